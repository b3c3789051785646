//! Target audit (绩效目标审核): the four criteria of 财预〔2015〕88号 turned into
//! checks on a project's indicator tree, values and goal, and on a unit's
//! declaration as a whole ("三无": no targets at all).

use super::{Sink, has_digit, is_blank, is_cost_indicator, is_percent_unit, quantity, wan};
use crate::domain::labels::{Direction, FundKind, Level1, Level2, Stage, normalize_label};
use crate::domain::model::{Finding, Indicator, Project, Unit};
use crate::domain::params::{RuleParams, TargetParams};
use rust_decimal::Decimal;

/// Every target-audit finding of one project, in a stable order: goal, tree
/// completeness, project-wide checks, then each indicator in form order.
pub fn target_findings(project: &Project, indicators: &[Indicator], p: &RuleParams) -> Vec<Finding> {
    let mut sink = Sink::new(Stage::Target, &project.unit_code, Some(&project.code));
    goal(&mut sink, project, &p.target);
    if indicators.is_empty() {
        // With no indicator at all, "missing 数量/质量/…" would only repeat this.
        sink.push(
            "T-NONE",
            None,
            format!("项目「{}」未设定任何绩效指标（“三无”：无绩效目标）", project.name),
        );
        return sink.finish();
    }
    tree_completeness(&mut sink, indicators);
    qualitative_only(&mut sink, indicators);
    too_few(&mut sink, project, indicators, &p.target);
    cost_over_budget(&mut sink, project, indicators);
    duplicates(&mut sink, indicators);
    for ind in indicators {
        indicator_value(&mut sink, ind, &p.target);
    }
    sink.finish()
}

/// Unit-level declaration: a unit with no targets at all, or with project
/// targets but no 部门整体 targets (every unit must declare its overall spending).
pub fn unit_findings(unit: &Unit, projects_of_unit: &[(&Project, usize)], _p: &RuleParams) -> Vec<Finding> {
    let mut sink = Sink::new(Stage::Target, &unit.code, None);
    let with_targets: Vec<&Project> = projects_of_unit
        .iter()
        .filter(|(_, count)| *count > 0)
        .map(|(project, _)| *project)
        .collect();
    if projects_of_unit.is_empty() {
        sink.push(
            "U-NONE",
            None,
            format!(
                "单位「{}」未申报部门整体或项目绩效目标（“三无”：无绩效目标）",
                unit.name
            ),
        );
    } else if with_targets.is_empty() {
        sink.push(
            "U-NONE",
            None,
            format!(
                "单位「{}」申报的 {} 个项目均未设定绩效指标（“三无”：无绩效目标）",
                unit.name,
                projects_of_unit.len()
            ),
        );
    } else if !with_targets.iter().any(|p| p.fund_kind == FundKind::UnitOverall) {
        sink.push(
            "U-OVERALL",
            None,
            format!("单位「{}」未申报部门整体绩效目标（仅有项目绩效目标）", unit.name),
        );
    }
    sink.finish()
}

fn goal(sink: &mut Sink, project: &Project, t: &TargetParams) {
    let text = project.annual_goal.trim();
    if is_blank(text) {
        sink.push("T-GOAL", None, format!("项目「{}」未填写年度绩效目标", project.name));
        return;
    }
    let chars = text.chars().filter(|c| !c.is_whitespace()).count();
    if chars < t.min_goal_chars {
        sink.push(
            "T-GOAL-SHORT",
            None,
            format!(
                "年度绩效目标「{text}」仅 {chars} 字，少于 {} 字，过于简略",
                t.min_goal_chars
            ),
        );
    }
    if let Some(word) = vague_word(text, t) {
        sink.push(
            "T-VAGUE",
            None,
            format!("年度绩效目标「{text}」使用“{word}”等模糊表述且无具体数值（目标空泛）"),
        );
    }
}

/// The first configured vague word in a text that holds no number.
fn vague_word<'t>(text: &str, t: &'t TargetParams) -> Option<&'t str> {
    if has_digit(text) {
        return None;
    }
    t.vague_words.iter().map(|w| w.trim()).find(|w| text.contains(w))
}

fn tree_completeness(sink: &mut Sink, indicators: &[Indicator]) {
    let has_level2 = |l2: Level2| indicators.iter().any(|i| i.level2 == l2);
    let has_level1 = |l1: Level1| indicators.iter().any(|i| i.level1 == l1);
    if !has_level2(Level2::Quantity) {
        sink.push("T-QTY", None, "缺少产出指标中的数量指标".into());
    }
    if !has_level2(Level2::Quality) {
        sink.push("T-QUAL", None, "缺少产出指标中的质量指标".into());
    }
    if !has_level2(Level2::Timeliness) {
        sink.push("T-TIME", None, "缺少产出指标中的时效指标".into());
    }
    if !indicators.iter().any(is_cost_indicator) {
        sink.push(
            "T-COST",
            None,
            "缺少成本指标（产出指标下的成本指标，或成本指标下的经济/社会/生态环境成本指标）".into(),
        );
    }
    if !has_level1(Level1::Benefit) {
        sink.push(
            "T-BENEFIT",
            None,
            "缺少效益指标（经济/社会/生态效益或可持续影响）".into(),
        );
    }
    if !has_level1(Level1::Satisfaction) && !has_level2(Level2::Satisfaction) {
        sink.push("T-SATIS", None, "缺少满意度指标".into());
    }
}

fn qualitative_only(sink: &mut Sink, indicators: &[Indicator]) {
    if indicators.iter().all(|i| i.direction == Direction::Qualitative) {
        let names: Vec<String> = indicators.iter().map(|i| format!("「{}」", i.name)).collect();
        sink.push(
            "T-QUALONLY",
            None,
            format!(
                "全部 {} 个三级指标{}均为定性表述，未细化量化",
                indicators.len(),
                names.join("")
            ),
        );
    }
}

fn too_few(sink: &mut Sink, project: &Project, indicators: &[Indicator], t: &TargetParams) {
    let needed = t.min_indicators_for(project.amount);
    if indicators.len() < needed {
        sink.push(
            "T-TOO-FEW",
            None,
            format!(
                "共 {} 个三级指标，预算 {} 的项目至少应设 {} 个，与资金规模不匹配",
                indicators.len(),
                wan(project.amount),
                needed
            ),
        );
    }
}

/// A cost indicator's amount in 元, when it is stated in 元 or 万元. A value
/// written with 万 (`28.8万元`) is already scaled by `parse_quantity`.
fn cost_in_yuan(ind: &Indicator) -> Option<Decimal> {
    let unit = ind.measure_unit.trim();
    if unit != "元" && unit != "万元" {
        return None;
    }
    let q = quantity(&ind.target_value)?;
    let written_in_wan = ind.target_value.contains('万');
    if unit == "万元" && !written_in_wan {
        Some(q.value * Decimal::from(10_000))
    } else {
        Some(q.value)
    }
}

fn cost_over_budget(sink: &mut Sink, project: &Project, indicators: &[Indicator]) {
    let costs: Vec<Decimal> = indicators
        .iter()
        .filter(|i| is_cost_indicator(i))
        .filter_map(cost_in_yuan)
        .collect();
    let total: Decimal = costs.iter().sum();
    if !costs.is_empty() && total > project.amount {
        sink.push(
            "T-COST-OVER",
            None,
            format!(
                "{} 个成本指标合计 {}，超过预算金额 {}",
                costs.len(),
                wan(total),
                wan(project.amount)
            ),
        );
    }
}

/// Same name twice (which covers same level1 + level2 + name); reported once
/// per name, at its second appearance.
fn duplicates(sink: &mut Sink, indicators: &[Indicator]) {
    let keys: Vec<String> = indicators.iter().map(|i| normalize_label(&i.name)).collect();
    for (idx, key) in keys.iter().enumerate() {
        let earlier = keys[..idx].iter().filter(|k| *k == key).count();
        if earlier == 1 {
            let total = keys.iter().filter(|k| *k == key).count();
            let name = &indicators[idx].name;
            sink.push("T-DUP", Some(name), format!("三级指标「{name}」重复设置 {total} 次"));
        }
    }
}

/// Checks of one indicator's value: vague words, type/unit fit, missing unit or
/// direction, and the satisfaction range.
fn indicator_value(sink: &mut Sink, ind: &Indicator, t: &TargetParams) {
    let name = ind.name.as_str();
    let value = ind.target_value.trim();
    let figure = quantity(value);
    if figure.is_none()
        && let Some(word) = vague_word(value, t)
    {
        sink.push(
            "T-VAGUE",
            Some(name),
            format!("三级指标「{name}」指标值「{value}」使用“{word}”等模糊表述，未细化量化"),
        );
    } else if let Some(reason) = value_type_mismatch(ind) {
        sink.push("T-VALUE-TYPE", Some(name), format!("三级指标「{name}」{reason}"));
    } else if let Some(reason) = missing_unit_or_direction(ind) {
        sink.push("T-UNIT", Some(name), format!("三级指标「{name}」{reason}"));
    }
    if is_satisfaction(ind)
        && let Some(q) = figure
        && (q.percent || is_percent_unit(&ind.measure_unit) || is_blank(&ind.measure_unit))
        && (q.value < Decimal::ZERO || q.value > Decimal::ONE_HUNDRED)
    {
        sink.push(
            "T-SATIS-RANGE",
            Some(name),
            format!("满意度指标「{name}」指标值「{value}」超出 0–100% 的范围"),
        );
    }
}

fn is_satisfaction(ind: &Indicator) -> bool {
    ind.level1 == Level1::Satisfaction || ind.level2 == Level2::Satisfaction
}

/// Why a value does not fit its 指标性质 or 计量单位, as published forms get it wrong.
fn value_type_mismatch(ind: &Indicator) -> Option<String> {
    let value = ind.target_value.trim();
    let unit = ind.measure_unit.trim();
    let figure = quantity(value);
    let unit_percent = is_percent_unit(unit);
    if ind.direction != Direction::Qualitative && figure.is_none() {
        return Some(format!(
            "为定量指标（{}），指标值「{value}」却不是数值",
            ind.direction.label()
        ));
    }
    if ind.direction == Direction::Qualitative && unit_percent {
        return Some(format!("为定性指标，计量单位却为「{unit}」（指标值「{value}」）"));
    }
    if is_cost_indicator(ind) && (unit_percent || figure.is_some_and(|q| q.percent)) {
        return Some(format!(
            "为成本指标，应以金额表示，却填为百分比「{value}」（单位「{unit}」）"
        ));
    }
    if unit_percent && value.contains('元') {
        return Some(format!("指标值「{value}」为金额，计量单位却为「{unit}」"));
    }
    if figure.is_some_and(|q| q.percent) && !unit.is_empty() && !unit_percent {
        return Some(format!("指标值「{value}」为百分比，计量单位却为「{unit}」"));
    }
    None
}

/// A numeric target needs a unit (in the column or after the figure) and a
/// declared direction: a figure marked 定性 has none.
fn missing_unit_or_direction(ind: &Indicator) -> Option<String> {
    let value = ind.target_value.trim();
    quantity(value)?;
    if ind.direction == Direction::Qualitative {
        return Some(format!("指标值「{value}」为数值，指标性质却为定性，未标明 ≥/≤/="));
    }
    if is_blank(&ind.measure_unit) && suffix_after_figure(value).is_empty() {
        return Some(format!("指标值「{value}」缺少计量单位"));
    }
    None
}

/// What follows the last digit of a value: `%` in `≥95%`, `人次` in `1,200人次`.
fn suffix_after_figure(value: &str) -> &str {
    let end_of_figure = value
        .char_indices()
        .filter(|(_, c)| c.is_ascii_digit() || ('０'..='９').contains(c))
        .map(|(i, c)| i + c.len_utf8())
        .next_back()
        .unwrap_or(0);
    value[end_of_figure..].trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_is_read_after_the_figure() {
        assert_eq!(suffix_after_figure("≥95%"), "%");
        assert_eq!(suffix_after_figure("1,200人次"), "人次");
        assert_eq!(suffix_after_figure("95"), "");
        assert_eq!(suffix_after_figure("９５％"), "％");
    }
}
