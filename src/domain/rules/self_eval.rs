//! Self-evaluation review (绩效自评审核): is the self score true (自评不实), is
//! every figure reported and explained, and does it agree with October?

use super::{Sink, figure, is_blank, percent_below, points, quantity, threshold_percent, wan};
use crate::domain::labels::{Direction, Stage};
use crate::domain::model::{Finding, Indicator, IndicatorActual, Monitoring, Project, SelfEval};
use crate::domain::params::RuleParams;
use crate::domain::scoring::{ScoreCard, ScoreInput, score};
use rust_decimal::Decimal;

/// Every self-evaluation finding of one project (or unit overall), in a stable
/// order: report, score, grade, execution, October, then each indicator.
pub fn self_eval_findings(
    project: &Project,
    indicators: &[Indicator],
    self_eval: &SelfEval,
    actuals: &[IndicatorActual],
    october: Option<&Monitoring>,
    p: &RuleParams,
) -> Vec<Finding> {
    let input = ScoreInput {
        project,
        indicators,
        self_eval,
        actuals,
    };
    let card = score(&input, &p.scoring, &p.grades);
    self_eval_findings_scored(&input, &card, october, p)
}

/// `self_eval_findings` with the recomputed score already at hand (the
/// engine keeps it as the item's key figure, so it is scored once).
pub fn self_eval_findings_scored(
    input: &ScoreInput<'_>,
    card: &ScoreCard,
    october: Option<&Monitoring>,
    p: &RuleParams,
) -> Vec<Finding> {
    let (project, indicators, self_eval, actuals) = (input.project, input.indicators, input.self_eval, input.actuals);
    let mut sink = Sink::new(Stage::SelfEval, &project.unit_code, Some(&project.code));
    if is_blank(&self_eval.report) {
        sink.push(
            "S-REPORT",
            None,
            format!("项目「{}」未提交绩效自评报告（“三无”：无自我评估报告）", project.name),
        );
    }
    self_score(&mut sink, self_eval, card, p);
    self_grade(&mut sink, self_eval, p);
    execution_reason(&mut sink, project, self_eval, p);
    if let Some(oct) = october
        && self_eval.executed < oct.executed
    {
        sink.push(
            "S-OCT",
            None,
            format!(
                "全年执行数 {} 低于 {} 监控时的执行数 {}，与监控数据不一致",
                wan(self_eval.executed),
                oct.period.trim(),
                wan(oct.executed)
            ),
        );
    }
    for ind in indicators {
        let actual = actuals.iter().find(|a| a.indicator_name == ind.name);
        missing_actual(&mut sink, ind, actual);
        if let Some(actual) = actual {
            over_target(&mut sink, ind, actual, p);
        }
    }
    sink.finish()
}

fn self_score(sink: &mut Sink, self_eval: &SelfEval, card: &ScoreCard, p: &RuleParams) {
    let margin = p.self_eval.score_margin;
    let gap = (self_eval.self_score - card.total).abs();
    if gap <= margin {
        return;
    }
    // The first of the lines that lost the most, so ties read in form order.
    let worst = card.lines.iter().filter(|l| l.lost() > Decimal::ZERO).fold(
        None,
        |best: Option<&crate::domain::scoring::ScoreLine>, l| match best {
            Some(b) if b.lost() >= l.lost() => Some(b),
            _ => Some(l),
        },
    );
    let worst = worst.map_or(String::new(), |l| {
        format!("；失分最多：{} −{}", l.item, points(l.lost()))
    });
    sink.push(
        "S-SCORE",
        None,
        format!(
            "自评得分 {}，重算得分 {}（相差 {}，超过 {} 分）{worst}",
            points(self_eval.self_score),
            points(card.total),
            points(gap),
            figure(margin)
        ),
    );
}

fn self_grade(sink: &mut Sink, self_eval: &SelfEval, p: &RuleParams) {
    let Some(grade) = self_eval.self_grade else {
        return;
    };
    let due = p.grades.grade(self_eval.self_score);
    if grade != due {
        sink.push(
            "S-GRADE",
            None,
            format!(
                "自评等级「{}」与自评得分 {} 不符，按分数应为「{}」（优 ≥ {}，良 ≥ {}，中 ≥ {}）",
                grade.label(),
                points(self_eval.self_score),
                due.label(),
                figure(p.grades.excellent),
                figure(p.grades.good),
                figure(p.grades.fair)
            ),
        );
    }
}

fn execution_reason(sink: &mut Sink, project: &Project, self_eval: &SelfEval, p: &RuleParams) {
    if project.amount <= Decimal::ZERO || !is_blank(&self_eval.problems) {
        return;
    }
    let threshold = p.self_eval.execution_reason_threshold;
    let rate = self_eval.executed / project.amount;
    if rate < threshold {
        sink.push(
            "S-EXEC-REASON",
            None,
            format!(
                "全年预算执行率 {}（执行 {} / 预算 {}），低于 {}，未在“存在问题”中说明原因",
                percent_below(rate, threshold),
                wan(self_eval.executed),
                wan(project.amount),
                threshold_percent(threshold)
            ),
        );
    }
}

fn missing_actual(sink: &mut Sink, ind: &Indicator, actual: Option<&IndicatorActual>) {
    let name = ind.name.as_str();
    if ind.direction == Direction::Qualitative {
        if actual.and_then(|a| a.tier).is_none() {
            sink.push(
                "S-ACTUAL",
                Some(name),
                format!("定性指标「{name}」未填达成等级（达成/部分达成/未达成）"),
            );
        }
    } else if actual.is_none_or(|a| is_blank(&a.actual_value)) {
        sink.push(
            "S-ACTUAL",
            Some(name),
            format!("三级指标「{name}」未填实际完成值（目标 {}）", ind.target_value.trim()),
        );
    }
}

/// A ≥ indicator reached far beyond its target suggests the target was set
/// too low; the unit must say why.
fn over_target(sink: &mut Sink, ind: &Indicator, actual: &IndicatorActual, p: &RuleParams) {
    if ind.direction != Direction::AtLeast || !is_blank(&actual.deviation_reason) {
        return;
    }
    let (Some(target), Some(value)) = (quantity(&ind.target_value), quantity(&actual.actual_value)) else {
        return;
    };
    if target.value <= Decimal::ZERO {
        return;
    }
    let ratio = p.self_eval.over_target_ratio;
    if value.value >= ratio * target.value {
        let name = ind.name.as_str();
        sink.push(
            "S-OVER-TARGET",
            Some(name),
            format!(
                "三级指标「{name}」实际完成 {}，为目标 {} 的 {}，达到 {} 及以上却未说明偏差原因（目标可能定得过低）",
                actual.actual_value.trim(),
                ind.target_value.trim(),
                crate::domain::money::format_percent(value.value / target.value),
                threshold_percent(ratio)
            ),
        );
    }
}
