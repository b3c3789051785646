//! Clean indicator sets, and the progress and actual values a project on
//! track reports against them. Defects are layered on later (`defects.rs`).

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rust_decimal::{Decimal, RoundingStrategy};
use std::str::FromStr;

use super::catalog::{self, IndicatorTemplate, ProjectTemplate, Target, WAN};
use crate::domain::{
    Direction, Indicator, IndicatorActual, IndicatorProgress, Level1, Level2, Likelihood, Project, QualTier,
};

/// How a clean project's targets are laid out.
pub struct Layout {
    /// The 2021 tree: 成本 as its own first level.
    pub tree_2021: bool,
    /// The unit filled in the 权重 column.
    pub weighted: bool,
}

pub fn level1_of(level2: Level2, tree_2021: bool) -> Level1 {
    match level2 {
        Level2::Quantity | Level2::Quality | Level2::Timeliness => Level1::Output,
        Level2::Cost | Level2::EconomicCost | Level2::SocialCost | Level2::EcoCost => {
            if tree_2021 {
                Level1::Cost
            } else {
                Level1::Output
            }
        }
        Level2::EconomicBenefit | Level2::SocialBenefit | Level2::EcoBenefit | Level2::Sustainability => {
            Level1::Benefit
        }
        Level2::Satisfaction => Level1::Satisfaction,
    }
}

/// Minimum indicators a careful unit sets for this much money.
fn wanted_count(project: &Project, overall: bool) -> usize {
    if overall {
        12
    } else if project.amount >= Decimal::from(1_000_000) {
        11
    } else {
        10
    }
}

pub fn make(project: &Project, t: &IndicatorTemplate, tree_2021: bool, rng: &mut ChaCha8Rng) -> Indicator {
    let target_value = match t.target {
        Target::Text(s) => s.to_string(),
        Target::Fixed(lo, hi) => rng.random_range(lo..=hi).to_string(),
        Target::PerMillion(lo, hi) => {
            let base = Decimal::from(rng.random_range(lo..=hi));
            (base * project.amount / Decimal::from(1_000_000))
                .round()
                .max(Decimal::ONE)
                .to_string()
        }
    };
    Indicator {
        project_code: project.code.clone(),
        level1: level1_of(t.level2, tree_2021),
        level2: t.level2,
        name: t.name.to_string(),
        direction: t.direction,
        target_value,
        measure_unit: t.unit.to_string(),
        weight: None,
        explanation: format!("反映{}的完成情况。", t.name),
    }
}

/// A budget-control cost indicator of `share`‰ of the amount, in 万元 rounded down.
pub fn cost_indicator(project: &Project, name: &str, per_mille: i64, tree_2021: bool) -> Indicator {
    let wan = (project.amount * Decimal::from(per_mille) / Decimal::from(1000) / WAN)
        .round_dp_with_strategy(2, RoundingStrategy::ToZero);
    Indicator {
        project_code: project.code.clone(),
        level1: if tree_2021 { Level1::Cost } else { Level1::Output },
        level2: if tree_2021 { Level2::EconomicCost } else { Level2::Cost },
        name: name.to_string(),
        direction: Direction::AtMost,
        target_value: wan.normalize().to_string(),
        measure_unit: "万元".to_string(),
        weight: None,
        explanation: "反映项目预算成本控制情况，不超过年初预算。".to_string(),
    }
}

/// The full, clean indicator set of a project.
pub fn build_clean(
    project: &Project,
    template: &ProjectTemplate,
    overall: bool,
    layout: &Layout,
    rng: &mut ChaCha8Rng,
) -> Vec<Indicator> {
    let tree = layout.tree_2021;
    let mut out: Vec<Indicator> = template
        .indicators
        .iter()
        .map(|t| make(project, t, tree, rng))
        .collect();
    if !out.iter().any(|i| i.level2 == Level2::Quality) {
        out.push(make(project, &catalog::parse_indicator(catalog::QUALITY), tree, rng));
    }
    if !out.iter().any(|i| i.level2 == Level2::Timeliness) {
        let t = catalog::parse_indicator(catalog::TIMELINESS[rng.random_range(0..catalog::TIMELINESS.len())]);
        out.push(make(project, &t, tree, rng));
    }
    if overall {
        out.push(cost_indicator(
            project,
            "基本支出控制数",
            rng.random_range(600..=700),
            tree,
        ));
        out.push(cost_indicator(
            project,
            "项目支出控制数",
            rng.random_range(250..=290),
            tree,
        ));
    } else if rng.random_bool(0.3) {
        out.push(cost_indicator(
            project,
            "项目实施成本",
            rng.random_range(600..=700),
            tree,
        ));
        out.push(cost_indicator(
            project,
            "管理及其他成本",
            rng.random_range(200..=250),
            tree,
        ));
    } else {
        out.push(cost_indicator(project, "项目预算成本控制数", 1000, tree));
    }
    let satisfaction = IndicatorTemplate {
        level2: Level2::Satisfaction,
        name: "",
        direction: Direction::AtLeast,
        unit: "%",
        target: Target::Fixed(90, 95),
    };
    let mut sat = make(project, &satisfaction, tree, rng);
    sat.name = format!("{}满意度", template.served);
    sat.explanation = format!("反映{}对项目实施的满意程度。", template.served);
    out.push(sat);
    for extra in catalog::EXTRA {
        if out.len() >= wanted_count(project, overall) {
            break;
        }
        let t = catalog::parse_indicator(extra);
        if !out.iter().any(|i| i.name == t.name) {
            out.push(make(project, &t, tree, rng));
        }
    }
    out.sort_by_key(|i| i.level1);
    if layout.weighted && !tree {
        give_weights(&mut out);
    }
    out
}

/// Splits 产出 50, 效益 30, 满意度 10 into whole-point weights.
fn give_weights(indicators: &mut [Indicator]) {
    for (level1, points) in [(Level1::Output, 50), (Level1::Benefit, 30), (Level1::Satisfaction, 10)] {
        let n = indicators.iter().filter(|i| i.level1 == level1).count() as i64;
        if n == 0 {
            continue;
        }
        let mut remainder = points % n;
        for i in indicators.iter_mut().filter(|i| i.level1 == level1) {
            let extra = if remainder > 0 { 1 } else { 0 };
            remainder -= extra;
            i.weight = Some(Decimal::from(points / n + extra));
        }
    }
}

/// The target as a number, when it is one.
pub fn numeric_target(i: &Indicator) -> Option<Decimal> {
    if i.direction == Direction::Qualitative {
        return None;
    }
    Decimal::from_str(i.target_value.trim()).ok()
}

/// `value × per_cent / 100` at the target's own precision, rounded up or down.
fn scaled(value: Decimal, per_cent: i64, up: bool) -> Decimal {
    let dp = value.scale();
    let strategy = if up {
        RoundingStrategy::AwayFromZero
    } else {
        RoundingStrategy::ToZero
    };
    (value * Decimal::from(per_cent) / Decimal::ONE_HUNDRED)
        .round_dp_with_strategy(dp, strategy)
        .normalize()
}

/// What an on-track project reaches at year end: targets met, ≤ 112 %.
pub fn clean_actual(i: &Indicator, rng: &mut ChaCha8Rng) -> IndicatorActual {
    let (actual_value, tier) = match numeric_target(i) {
        None => ("达成".to_string(), Some(QualTier::Achieved)),
        Some(t) => {
            let v = match i.direction {
                // a rate never beyond 100 %, and never so far past a low target that it looks set too low
                Direction::AtLeast if catalog::is_percent(&i.measure_unit) => {
                    scaled(t, rng.random_range(100..=112), false)
                        .min(Decimal::ONE_HUNDRED)
                        .max(t)
                }
                // rounded down, so a target of 1 stays 1 rather than jumping to 200 %
                Direction::AtLeast => scaled(t, rng.random_range(100..=112), false).max(t),
                Direction::AtMost => scaled(t, rng.random_range(85..=100), false),
                _ => t,
            };
            (v.to_string(), None)
        }
    };
    IndicatorActual {
        project_code: i.project_code.clone(),
        indicator_name: i.name.clone(),
        actual_value,
        tier,
        deviation_reason: String::new(),
    }
}

/// October progress of an on-track indicator: 85–100 % of target, certain to finish.
pub fn clean_progress(i: &Indicator, rng: &mut ChaCha8Rng) -> IndicatorProgress {
    let current_value = match numeric_target(i) {
        None => "按计划推进".to_string(),
        Some(t) => scaled(t, rng.random_range(85..=100), true).to_string(),
    };
    IndicatorProgress {
        project_code: i.project_code.clone(),
        indicator_name: i.name.clone(),
        current_value,
        expected_value: if numeric_target(i).is_some() {
            i.target_value.clone()
        } else {
            "达成".to_string()
        },
        likelihood: Some(Likelihood::Certain),
        reason: String::new(),
        action: String::new(),
    }
}
