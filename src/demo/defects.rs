//! The defects the demo plants, each under a stable kind name, and how each
//! one changes an otherwise clean item. Everything a rule should catch lives
//! here; the items not named in the manifest are left clean.

use rand::Rng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;

use super::catalog::WAN;
use super::indicators::{cost_indicator, numeric_target};
use super::texts;
use crate::domain::{Direction, Indicator, IndicatorProgress, Level1, Level2, Likelihood, Monitoring, Project};

/// Words that make a target 空泛 when no number stands beside them.
pub const VAGUE_WORDS: [&str; 7] = ["进一步", "有效", "明显", "显著", "提高", "加强", "改善"];

// Target audit (绩效目标审核).
pub const TARGET_VAGUE: &str = "target_vague";
pub const TARGET_MISSING_QUANTITY: &str = "target_missing_quantity";
pub const TARGET_MISSING_QUALITY: &str = "target_missing_quality";
pub const TARGET_MISSING_TIMELINESS: &str = "target_missing_timeliness";
pub const TARGET_MISSING_COST: &str = "target_missing_cost";
pub const TARGET_MISSING_BENEFIT: &str = "target_missing_benefit";
pub const TARGET_MISSING_SATISFACTION: &str = "target_missing_satisfaction";
pub const TARGET_TEXT_IN_QUANTITATIVE: &str = "target_text_in_quantitative";
pub const TARGET_QUALITATIVE_WITH_UNIT: &str = "target_qualitative_with_unit";
pub const TARGET_AMOUNT_WITH_PERCENT: &str = "target_amount_with_percent";
pub const TARGET_COST_AS_PERCENT: &str = "target_cost_as_percent";
pub const TARGET_MISSING_MEASURE_UNIT: &str = "target_missing_measure_unit";
pub const TARGET_TOO_FEW_INDICATORS: &str = "target_too_few_indicators";
pub const TARGET_COST_OVER_BUDGET: &str = "target_cost_over_budget";
pub const TARGET_SATISFACTION_OUT_OF_RANGE: &str = "target_satisfaction_out_of_range";
pub const TARGET_DUPLICATE_INDICATOR: &str = "target_duplicate_indicator";
pub const TARGET_GOAL_MISSING_OR_SHORT: &str = "target_goal_missing_or_short";
pub const TARGET_NO_INDICATORS: &str = "target_no_indicators";
/// Every indicator 定性, each with a concrete text value (no vague word, no figure).
pub const TARGET_QUALITATIVE_ONLY: &str = "target_qualitative_only";

/// Every target-audit kind, in the order they are planted.
pub const TARGET_KINDS: [&str; 19] = [
    TARGET_TOO_FEW_INDICATORS,
    TARGET_VAGUE,
    TARGET_MISSING_QUANTITY,
    TARGET_MISSING_QUALITY,
    TARGET_MISSING_TIMELINESS,
    TARGET_MISSING_COST,
    TARGET_MISSING_BENEFIT,
    TARGET_MISSING_SATISFACTION,
    TARGET_TEXT_IN_QUANTITATIVE,
    TARGET_QUALITATIVE_WITH_UNIT,
    TARGET_AMOUNT_WITH_PERCENT,
    TARGET_COST_AS_PERCENT,
    TARGET_MISSING_MEASURE_UNIT,
    TARGET_COST_OVER_BUDGET,
    TARGET_SATISFACTION_OUT_OF_RANGE,
    TARGET_DUPLICATE_INDICATOR,
    TARGET_GOAL_MISSING_OR_SHORT,
    TARGET_NO_INDICATORS,
    TARGET_QUALITATIVE_ONLY,
];

// Unit-level declaration (单位整体申报), planted before the project kinds.
/// A unit none of whose projects (部门整体 included) has an indicator; every project is a site.
pub const UNIT_NO_TARGETS: &str = "unit_no_targets";
/// A unit whose 部门整体 has no indicators while its projects do; the site is the unit code.
pub const UNIT_NO_OVERALL_TARGETS: &str = "unit_no_overall_targets";

pub const UNIT_KINDS: [&str; 2] = [UNIT_NO_TARGETS, UNIT_NO_OVERALL_TARGETS];

// Monitoring (绩效运行监控).
pub const MON_LOW_EXECUTION_EXPLAINED: &str = "monitoring_low_execution_explained";
pub const MON_LOW_EXECUTION_UNEXPLAINED: &str = "monitoring_low_execution_unexplained";
pub const MON_LOW_PROGRESS: &str = "monitoring_low_progress";
pub const MON_LIKELIHOOD_POSSIBLE: &str = "monitoring_likelihood_possible";
pub const MON_LIKELIHOOD_IMPOSSIBLE: &str = "monitoring_likelihood_impossible";
pub const MON_OVER_BUDGET: &str = "monitoring_over_budget";
/// Not a defect: execution exactly 75 % passes (inclusive boundary).
pub const MON_EXACTLY_75: &str = "monitoring_execution_exactly_75";

pub const MONITORING_KINDS: [&str; 6] = [
    MON_LOW_EXECUTION_EXPLAINED,
    MON_LOW_EXECUTION_UNEXPLAINED,
    MON_LOW_PROGRESS,
    MON_LIKELIHOOD_POSSIBLE,
    MON_LIKELIHOOD_IMPOSSIBLE,
    MON_OVER_BUDGET,
];

// Self-evaluation (绩效自评).
pub const SELF_SCORE_OFF: &str = "self_score_off";
pub const SELF_GRADE_MISMATCH: &str = "self_grade_mismatch";
pub const SELF_LOW_EXECUTION_NO_REASON: &str = "self_low_execution_no_reason";
pub const SELF_ACTUAL_OVER_130_NO_REASON: &str = "self_actual_over_130_no_reason";
pub const SELF_INCONSISTENT_WITH_MONITORING: &str = "self_inconsistent_with_monitoring";
pub const SELF_MISSING_ACTUALS: &str = "self_missing_actuals";
pub const SELF_MISSING_REPORT: &str = "self_missing_report";

pub const SELF_KINDS: [&str; 7] = [
    SELF_INCONSISTENT_WITH_MONITORING,
    SELF_LOW_EXECUTION_NO_REASON,
    SELF_ACTUAL_OVER_130_NO_REASON,
    SELF_MISSING_ACTUALS,
    SELF_MISSING_REPORT,
    SELF_SCORE_OFF,
    SELF_GRADE_MISMATCH,
];

// Key evaluation (重点绩效评价).
pub const KEY_EVAL_MISSING_DOCUMENT: &str = "key_eval_missing_document";
/// The firm's grade is not the band of its own score.
pub const KEY_EVAL_GRADE_MISMATCH: &str = "key_eval_grade_mismatch";
/// The report is not scored yet (no score, no grade).
pub const KEY_EVAL_NO_SCORE: &str = "key_eval_no_score";

pub const KEY_EVAL_KINDS: [&str; 3] = [KEY_EVAL_MISSING_DOCUMENT, KEY_EVAL_GRADE_MISMATCH, KEY_EVAL_NO_SCORE];

/// Key evaluations per group of eight graded against their band, and left unscored.
pub const KEY_EVAL_WRONG_GRADES: usize = 2;
pub const KEY_EVAL_UNSCORED: usize = 1;

/// Shares of the eligible items each kind is planted in.
pub const TARGET_RATE_PER_MILLE: usize = 25;
pub const MONITORING_RATE_PER_MILLE: usize = 60;
pub const SELF_RATE_PER_MILLE: usize = 40;
/// Each kind at least this often, so a rule always has something to find.
pub const MIN_PER_KIND: usize = 3;

/// Picks `rate`‰ of `eligible` (at least `MIN_PER_KIND`) not yet `taken`, and marks them.
pub fn choose(
    rng: &mut ChaCha8Rng,
    eligible: impl Iterator<Item = usize>,
    rate_per_mille: usize,
    population: usize,
    taken: &mut [bool],
) -> Vec<usize> {
    let mut pool: Vec<usize> = eligible.filter(|i| !taken[*i]).collect();
    pool.shuffle(rng);
    let want = (population * rate_per_mille).div_ceil(1000).max(MIN_PER_KIND);
    pool.truncate(want);
    pool.sort_unstable();
    for i in &pool {
        taken[*i] = true;
    }
    pool
}

/// Whether a target kind can be planted in this project.
pub fn target_fits(kind: &str, project: &Project) -> bool {
    match kind {
        TARGET_TOO_FEW_INDICATORS => project.amount >= Decimal::from(5_000_000),
        _ => true,
    }
}

const VAGUE_TARGETS: &[(&str, &str)] = &[
    ("服务质量进一步提高", "有效提升"),
    ("群众获得感明显增强", "明显增强"),
    ("项目管理水平显著提高", "显著提高"),
    ("资金监管加强", "进一步加强"),
    ("群众生产生活条件改善", "得到改善"),
    ("工作效率有效提高", "有效提高"),
];

fn first_index(inds: &[Indicator], pred: impl Fn(&Indicator) -> bool) -> Option<usize> {
    inds.iter().position(pred)
}

fn numeric_quantity(i: &Indicator) -> bool {
    i.level2 == Level2::Quantity && numeric_target(i).is_some()
}

/// Plants a target-audit defect; returns the indicator it concerns, if one.
pub fn plant_target(
    kind: &str,
    project: &mut Project,
    inds: &mut Vec<Indicator>,
    tree_2021: bool,
    rng: &mut ChaCha8Rng,
) -> Option<String> {
    match kind {
        TARGET_VAGUE => {
            let at = first_index(inds, |i| i.level2 == Level2::Quality)
                .or_else(|| first_index(inds, |i| i.level1 == Level1::Benefit))
                .unwrap_or(0);
            let (name, value) = VAGUE_TARGETS[rng.random_range(0..VAGUE_TARGETS.len())];
            let i = &mut inds[at];
            i.name = name.to_string();
            i.target_value = value.to_string();
            i.direction = Direction::Qualitative;
            i.measure_unit = String::new();
            Some(name.to_string())
        }
        TARGET_MISSING_QUANTITY => drop_level2(inds, |l| l == Level2::Quantity),
        TARGET_MISSING_QUALITY => drop_level2(inds, |l| l == Level2::Quality),
        TARGET_MISSING_TIMELINESS => drop_level2(inds, |l| l == Level2::Timeliness),
        TARGET_MISSING_COST => drop_level2(inds, |l| l.is_cost()),
        TARGET_MISSING_BENEFIT => {
            inds.retain(|i| i.level1 != Level1::Benefit);
            None
        }
        TARGET_MISSING_SATISFACTION => {
            inds.retain(|i| i.level1 != Level1::Satisfaction);
            None
        }
        TARGET_TEXT_IN_QUANTITATIVE => {
            let at = first_index(inds, |i| i.level2 == Level2::Timeliness && numeric_target(i).is_some())
                .or_else(|| first_index(inds, numeric_quantity))?;
            inds[at].target_value = "按月安排".to_string();
            Some(inds[at].name.clone())
        }
        TARGET_QUALITATIVE_WITH_UNIT => {
            let at = first_index(inds, |i| i.level2 == Level2::Quality).unwrap_or(0);
            let i = &mut inds[at];
            i.direction = Direction::Qualitative;
            i.target_value = "合格".to_string();
            i.measure_unit = "%".to_string();
            Some(i.name.clone())
        }
        TARGET_AMOUNT_WITH_PERCENT => {
            let at = first_index(inds, numeric_quantity)?;
            let wan =
                (project.amount * Decimal::from(rng.random_range(10..=40)) / Decimal::ONE_HUNDRED / WAN).round_dp(1);
            let i = &mut inds[at];
            i.target_value = format!("{}万元", wan.normalize());
            i.measure_unit = "%".to_string();
            Some(i.name.clone())
        }
        TARGET_COST_AS_PERCENT => {
            let at = first_index(inds, |i| i.level2.is_cost())?;
            let i = &mut inds[at];
            i.name = "成本控制率".to_string();
            i.target_value = "100".to_string();
            i.measure_unit = "%".to_string();
            Some(i.name.clone())
        }
        TARGET_MISSING_MEASURE_UNIT => {
            let at = first_index(inds, numeric_quantity)?;
            inds[at].measure_unit = String::new();
            Some(inds[at].name.clone())
        }
        TARGET_TOO_FEW_INDICATORS => {
            let keep: Vec<usize> = [
                first_index(inds, |i| i.level2 == Level2::Quantity),
                first_index(inds, |i| i.level1 == Level1::Benefit),
                first_index(inds, |i| i.level1 == Level1::Satisfaction),
            ]
            .into_iter()
            .flatten()
            .collect();
            let kept: Vec<Indicator> = keep.into_iter().map(|k| inds[k].clone()).collect();
            *inds = kept;
            None
        }
        TARGET_COST_OVER_BUDGET => {
            let at = first_index(inds, |i| i.level2.is_cost()).unwrap_or(inds.len());
            inds.retain(|i| !i.level2.is_cost());
            let at = at.min(inds.len());
            let first = cost_indicator(project, "项目实施成本", rng.random_range(750..=850), tree_2021);
            let second = cost_indicator(project, "设备及材料购置成本", rng.random_range(350..=450), tree_2021);
            inds.insert(at, second);
            inds.insert(at, first);
            None
        }
        TARGET_SATISFACTION_OUT_OF_RANGE => {
            let at = first_index(inds, |i| i.level1 == Level1::Satisfaction)?;
            inds[at].target_value = rng.random_range(105..=120).to_string();
            Some(inds[at].name.clone())
        }
        TARGET_DUPLICATE_INDICATOR => {
            let at = first_index(inds, |i| i.level2 == Level2::Quantity).unwrap_or(0);
            let copy = inds[at].clone();
            inds.insert(at + 1, copy);
            Some(inds[at].name.clone())
        }
        TARGET_GOAL_MISSING_OR_SHORT => {
            project.annual_goal = if rng.random_bool(0.5) {
                String::new()
            } else {
                "按计划实施".to_string()
            };
            None
        }
        TARGET_NO_INDICATORS => {
            inds.clear();
            None
        }
        TARGET_QUALITATIVE_ONLY => {
            for i in inds.iter_mut() {
                i.direction = Direction::Qualitative;
                i.target_value = qualitative_value(i).to_string();
                i.measure_unit = String::new();
            }
            None
        }
        other => unreachable!("not a target kind: {other}"),
    }
}

/// What a unit writes when it states a target in words only: concrete, but no figure.
fn qualitative_value(i: &Indicator) -> &'static str {
    match (i.level1, i.level2) {
        (_, Level2::Quantity) => "按计划全部完成",
        (_, Level2::Quality) => "符合国家及行业验收标准",
        (_, Level2::Timeliness) => "按合同约定时间节点完成",
        (_, l) if l.is_cost() => "控制在批复预算范围内",
        (Level1::Cost, _) => "控制在批复预算范围内",
        (Level1::Benefit, _) => "达到项目申报预期",
        (Level1::Satisfaction, _) | (_, Level2::Satisfaction) => "服务对象总体满意",
        _ => "按要求完成",
    }
}

fn drop_level2(inds: &mut Vec<Indicator>, pred: impl Fn(Level2) -> bool) -> Option<String> {
    inds.retain(|i| !pred(i.level2));
    None
}

/// Whether a monitoring kind can be planted in this project's monitoring.
pub fn monitoring_fits(kind: &str, inds: &[Indicator]) -> bool {
    match kind {
        MON_LOW_PROGRESS => inds.iter().any(progress_can_lag),
        MON_LIKELIHOOD_POSSIBLE | MON_LIKELIHOOD_IMPOSSIBLE => !inds.is_empty(),
        _ => true,
    }
}

fn progress_can_lag(i: &Indicator) -> bool {
    matches!(i.direction, Direction::AtLeast | Direction::Equal) && numeric_target(i).is_some_and(|t| t > Decimal::ZERO)
}

/// Plants a monitoring defect; `amount_fen` is the project's budget in 分.
pub fn plant_monitoring(
    kind: &str,
    amount_fen: i64,
    monitoring: &mut Monitoring,
    progress: &mut [IndicatorProgress],
    inds: &[Indicator],
    rng: &mut ChaCha8Rng,
) -> Option<String> {
    let executed = |per_mille: i64| Decimal::new(super::amounts::share(amount_fen, per_mille), 2);
    match kind {
        MON_LOW_EXECUTION_EXPLAINED => {
            monitoring.executed = executed(rng.random_range(300..=700));
            monitoring.explanation = texts::monitoring_explanation(rng);
            monitoring.measures = texts::monitoring_measure(rng);
            None
        }
        MON_LOW_EXECUTION_UNEXPLAINED => {
            monitoring.executed = executed(rng.random_range(300..=700));
            match rng.random_range(0..3) {
                0 => {}
                1 => monitoring.measures = texts::monitoring_measure(rng),
                _ => monitoring.explanation = texts::monitoring_explanation(rng),
            }
            None
        }
        MON_OVER_BUDGET => {
            monitoring.executed = executed(rng.random_range(1020..=1100));
            None
        }
        MON_EXACTLY_75 => {
            monitoring.executed = executed(750);
            None
        }
        MON_LOW_PROGRESS => {
            let at = inds.iter().position(progress_can_lag)?;
            let target = numeric_target(&inds[at])?;
            let low = (target * Decimal::from(rng.random_range(30..=70)) / Decimal::ONE_HUNDRED).floor();
            let row = progress.iter_mut().find(|p| p.indicator_name == inds[at].name)?;
            row.current_value = low.to_string();
            row.reason = texts::progress_reason(rng);
            row.action = texts::progress_action(rng);
            explain(monitoring, rng);
            Some(inds[at].name.clone())
        }
        MON_LIKELIHOOD_POSSIBLE | MON_LIKELIHOOD_IMPOSSIBLE => {
            let row = progress.get_mut(rng.random_range(0..progress.len().max(1)))?;
            row.likelihood = Some(if kind == MON_LIKELIHOOD_POSSIBLE {
                Likelihood::Possible
            } else {
                Likelihood::Impossible
            });
            row.reason = texts::progress_reason(rng);
            row.action = texts::progress_action(rng);
            explain(monitoring, rng);
            Some(row.indicator_name.clone())
        }
        other => unreachable!("not a monitoring kind: {other}"),
    }
}

/// A unit with a lagging indicator explains it, so the item has only the one problem.
fn explain(monitoring: &mut Monitoring, rng: &mut ChaCha8Rng) {
    monitoring.explanation = texts::progress_reason(rng);
    monitoring.measures = texts::progress_action(rng);
}

/// An indicator whose actual can overshoot: a positive count-like ≥ target.
pub fn can_overshoot(i: &Indicator) -> bool {
    i.direction == Direction::AtLeast && i.measure_unit != "%" && numeric_target(i).is_some_and(|t| t > Decimal::ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn choose_takes_at_least_the_minimum_and_marks_them() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut taken = vec![false; 100];
        let a = choose(&mut rng, 0..100, 10, 100, &mut taken);
        assert_eq!(a.len(), MIN_PER_KIND);
        let b = choose(&mut rng, 0..100, 100, 100, &mut taken);
        assert_eq!(b.len(), 10);
        assert!(a.iter().all(|i| !b.contains(i)), "kinds never share an item");
    }
}
