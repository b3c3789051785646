//! Budget amounts in 分 (integers, so no float ever touches money): heavy-tailed
//! draws, then scaled so each budget kind sums to the seed document's figure.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;

/// The key-project line (重点监控): special funds at or above 2,000,000 元.
pub const KEY_LINE_FEN: i64 = 200_000_000;
/// Small general-budget projects stay clearly under the key line after scaling.
pub const SMALL_CAP_FEN: i64 = 195_000_000;

/// Seed totals for one district of 124 units, in 元.
pub const UNIT_OVERALL_TOTAL: i64 = 2_106_000_000;
pub const GENERAL_PROJECTS_TOTAL: i64 = 1_226_000_000;
pub const SOCIAL_INSURANCE_TOTAL: i64 = 131_000_000;
/// Not in the seed ("拓展囊括政府性基金预算、国有资本经营预算"): modest figures.
pub const GOV_FUND_TOTAL: i64 = 150_000_000;
pub const STATE_CAPITAL_TOTAL: i64 = 20_000_000;
/// Key evaluations per district: 7 projects + 1 unit, 2.4亿 in all.
pub const KEY_EVAL_TOTAL: i64 = 240_000_000;

/// Log-uniform by octaves between `lo` and `hi` (inclusive), integers only.
pub fn log_uniform(rng: &mut ChaCha8Rng, lo: i64, hi: i64) -> i64 {
    let mut edges = vec![lo];
    while edges[edges.len() - 1] * 2 < hi {
        let last = edges[edges.len() - 1];
        edges.push(last * 2);
    }
    edges.push(hi);
    let bucket = rng.random_range(0..edges.len() - 1);
    rng.random_range(edges[bucket]..=edges[bucket + 1])
}

/// `target` scaled to `units` (a district is 124 units), in 分.
pub fn scaled_total_fen(target_yuan: i64, units: usize) -> i64 {
    (target_yuan as i128 * 100 * units as i128 / 124) as i64
}

/// Multiplies every amount by `want / have`, exactly in integers.
pub fn rescale(amounts: &mut [&mut i64], want: i64) {
    let have: i128 = amounts.iter().map(|a| **a as i128).sum();
    if have <= 0 || want <= 0 {
        return;
    }
    for a in amounts.iter_mut() {
        **a = ((**a as i128) * want as i128 / have) as i64;
    }
}

/// Rounds like units write budgets: mostly whole hundreds, some whole 元, some to the 分.
pub fn round_like_a_form(rng: &mut ChaCha8Rng, fen: i64) -> i64 {
    match rng.random_range(0..10) {
        0..=4 => (fen / 10_000) * 10_000,
        5..=7 => (fen / 100) * 100,
        _ => fen,
    }
    .max(100)
}

/// `fen × per_mille / 1000`, rounded down to the 分.
pub fn share(fen: i64, per_mille: i64) -> i64 {
    (fen as i128 * per_mille as i128 / 1000) as i64
}

pub fn to_yuan(fen: i64) -> Decimal {
    Decimal::new(fen, 2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn log_uniform_stays_in_range() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        for _ in 0..1000 {
            let v = log_uniform(&mut rng, 1_000, 180_000);
            assert!((1_000..=180_000).contains(&v));
        }
    }

    #[test]
    fn rescale_hits_the_total_closely() {
        let mut a = [10, 20, 70_i64];
        let mut refs: Vec<&mut i64> = a.iter_mut().collect();
        rescale(&mut refs, 1000);
        assert_eq!(a, [100, 200, 700]);
    }
}
