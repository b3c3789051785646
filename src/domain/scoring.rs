//! Self-evaluation scoring after 财预〔2020〕10号, as DESIGN.md "Scoring" states
//! it: 预算执行率 10, 产出 50, 效益 30, 满意度 10 (configurable); a group with
//! no indicator gives its weight to the others in proportion; within a group,
//! the 权重 column or equal shares. Every point lost is explained.

use super::labels::{Direction, Grade, Level1, QualTier};
use super::model::{GradeBands, Indicator, IndicatorActual, Project, SelfEval};
use super::money::format_percent;
use super::params::ScoringParams;
use super::quantity::parse_quantity;
use rust_decimal::Decimal;

/// What the recomputation reads.
#[derive(Debug, Clone, Copy)]
pub struct ScoreInput<'a> {
    pub project: &'a Project,
    pub indicators: &'a [Indicator],
    pub self_eval: &'a SelfEval,
    pub actuals: &'a [IndicatorActual],
}

/// The score group an indicator counts in. Cost indicators count in 产出 in
/// both trees (the 2021 tree's own 成本 level included).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ScoreGroup {
    Output,
    Benefit,
    Satisfaction,
}

impl ScoreGroup {
    pub fn of(level1: Level1) -> ScoreGroup {
        match level1 {
            Level1::Output | Level1::Cost => ScoreGroup::Output,
            Level1::Benefit => ScoreGroup::Benefit,
            Level1::Satisfaction => ScoreGroup::Satisfaction,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ScoreGroup::Output => "产出",
            ScoreGroup::Benefit => "效益",
            ScoreGroup::Satisfaction => "满意度",
        }
    }
}

/// One scored line: the execution rate or one indicator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreLine {
    /// `预算执行率` or the indicator's name.
    pub item: String,
    pub group: Option<ScoreGroup>,
    pub weight: Decimal,
    pub earned: Decimal,
    /// Why points were lost (empty when none were).
    pub reason: String,
}

impl ScoreLine {
    pub fn lost(&self) -> Decimal {
        self.weight - self.earned
    }
}

/// The recomputed score, its grade, and every line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreCard {
    pub total: Decimal,
    pub grade: Grade,
    pub lines: Vec<ScoreLine>,
}

fn r2(d: Decimal) -> Decimal {
    d.round_dp(2)
}

/// Recomputes a self-evaluation's score.
pub fn score(input: &ScoreInput<'_>, params: &ScoringParams, bands: &GradeBands) -> ScoreCard {
    let w = &params.weights;
    let mut lines = vec![execution_line(input, w.execution)];

    let group_weights = group_weights(input.indicators, params);
    for (group, group_weight) in group_weights {
        let members: Vec<&Indicator> = input
            .indicators
            .iter()
            .filter(|i| ScoreGroup::of(i.level1) == group)
            .collect();
        let shares = indicator_shares(&members, group_weight);
        for (ind, weight) in members.into_iter().zip(shares) {
            let actual = input.actuals.iter().find(|a| a.indicator_name == ind.name);
            lines.push(indicator_line(ind, actual, weight, group, params));
        }
    }
    let total: Decimal = lines.iter().map(|l| l.earned).sum();
    // Lines are rounded to the cent of a point; their sum may pass the full
    // score by a rounding step (3 × 33.335 → 100.02), which no score can.
    let total = r2(total).min(w.total());
    ScoreCard {
        total,
        grade: bands.grade(total),
        lines,
    }
}

fn execution_line(input: &ScoreInput<'_>, weight: Decimal) -> ScoreLine {
    let budget = input.project.amount;
    let executed = input.self_eval.executed;
    let (earned, reason) = if budget <= Decimal::ZERO {
        (Decimal::ZERO, "预算金额为 0，无法计算执行率".to_string())
    } else {
        let rate = executed / budget;
        if rate >= Decimal::ONE {
            (weight, String::new())
        } else {
            (
                r2(weight * rate.max(Decimal::ZERO)),
                format!("预算执行率 {}，按比例得分", format_percent(rate)),
            )
        }
    };
    ScoreLine {
        item: "预算执行率".into(),
        group: None,
        weight,
        earned,
        reason,
    }
}

/// Group weights after giving the weight of each empty group to the others in proportion.
fn group_weights(indicators: &[Indicator], params: &ScoringParams) -> Vec<(ScoreGroup, Decimal)> {
    let w = &params.weights;
    let all = [
        (ScoreGroup::Output, w.output),
        (ScoreGroup::Benefit, w.benefit),
        (ScoreGroup::Satisfaction, w.satisfaction),
    ];
    let present: Vec<(ScoreGroup, Decimal)> = all
        .iter()
        .copied()
        .filter(|(g, _)| indicators.iter().any(|i| ScoreGroup::of(i.level1) == *g))
        .collect();
    let missing: Decimal = all
        .iter()
        .filter(|(g, _)| !present.iter().any(|(p, _)| p == g))
        .map(|(_, w)| *w)
        .sum();
    let present_sum: Decimal = present.iter().map(|(_, w)| *w).sum();
    if present_sum.is_zero() {
        return present;
    }
    present
        .into_iter()
        .map(|(g, weight)| (g, weight + missing * weight / present_sum))
        .collect()
}

/// Each indicator's weight within its group: the 权重 column when every member
/// gives one (scaled to the group's weight), else equal shares.
fn indicator_shares(members: &[&Indicator], group_weight: Decimal) -> Vec<Decimal> {
    if members.is_empty() {
        return Vec::new();
    }
    let given: Option<Vec<Decimal>> = members
        .iter()
        .map(|i| i.weight.filter(|w| *w > Decimal::ZERO))
        .collect();
    match given {
        Some(weights) => {
            let sum: Decimal = weights.iter().sum();
            weights.into_iter().map(|w| group_weight * w / sum).collect()
        }
        None => vec![group_weight / Decimal::from(members.len()); members.len()],
    }
}

fn indicator_line(
    ind: &Indicator,
    actual: Option<&IndicatorActual>,
    weight: Decimal,
    group: ScoreGroup,
    params: &ScoringParams,
) -> ScoreLine {
    let line = |earned: Decimal, reason: String| ScoreLine {
        item: ind.name.clone(),
        group: Some(group),
        weight: r2(weight),
        earned: r2(earned),
        reason,
    };
    if ind.direction == Direction::Qualitative {
        let tier = actual.and_then(|a| a.tier);
        let t = &params.tiers;
        return match tier {
            Some(QualTier::Achieved) => line(weight * t.achieved, lost_reason(t.achieved, "达成年度指标")),
            Some(QualTier::Partial) => line(weight * t.partial, lost_reason(t.partial, "部分达成")),
            Some(QualTier::NotAchieved) => line(weight * t.not_achieved, lost_reason(t.not_achieved, "未达成")),
            None => line(Decimal::ZERO, "定性指标未填达成等级".into()),
        };
    }
    let Some(actual) = actual.filter(|a| !a.actual_value.trim().is_empty()) else {
        return line(Decimal::ZERO, "缺少实际完成值".into());
    };
    let (Some(target), Some(value)) = (parse_quantity(&ind.target_value), parse_quantity(&actual.actual_value)) else {
        return line(
            Decimal::ZERO,
            format!(
                "指标值「{}」或实际值「{}」不是数字，无法计算",
                ind.target_value, actual.actual_value
            ),
        );
    };
    let (t, a) = (target.value, value.value);
    let ratio = quantitative_ratio(ind.direction, t, a);
    let reason = if ratio >= Decimal::ONE {
        String::new()
    } else {
        format!(
            "目标 {}，实际 {}，得分比例 {}",
            ind.target_value.trim(),
            actual.actual_value.trim(),
            format_percent(ratio)
        )
    };
    line(weight * ratio, reason)
}

fn lost_reason(share: Decimal, tier: &str) -> String {
    if share >= Decimal::ONE {
        String::new()
    } else {
        format!("定性等级「{tier}」，按 {} 计分", format_percent(share))
    }
}

/// Share of the weight earned by a quantitative indicator (0 to 1).
pub fn quantitative_ratio(direction: Direction, target: Decimal, actual: Decimal) -> Decimal {
    let two = Decimal::TWO;
    match direction {
        Direction::AtMost => {
            if actual <= target {
                Decimal::ONE
            } else if target <= Decimal::ZERO || actual >= two * target {
                Decimal::ZERO
            } else {
                Decimal::ONE - (actual - target) / target
            }
        }
        Direction::Equal if target.is_zero() => {
            if actual <= Decimal::ZERO {
                Decimal::ONE
            } else {
                Decimal::ZERO
            }
        }
        _ => {
            if actual >= target {
                Decimal::ONE
            } else if target <= Decimal::ZERO || actual <= Decimal::ZERO {
                Decimal::ZERO
            } else {
                actual / target
            }
        }
    }
}
