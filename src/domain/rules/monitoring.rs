//! October monitoring ("双监控"): budget execution and indicator progress of the
//! key projects (amount ≥ `monitoring.key_project_amount`, inclusive).
//!
//! Indicator progress is current / target for ≥ and = indicators. A ≤ indicator
//! (a cost cap, a time limit) is a ceiling, not a goal to climb towards: a low
//! current value is good, so current / target says nothing about lagging. It is
//! an exception only once the current value already exceeds the ceiling.

use super::{Sink, figure, is_blank, percent_below, quantity, threshold_percent, wan};
use crate::domain::labels::{Direction, Likelihood, Stage};
use crate::domain::model::{Finding, Indicator, IndicatorProgress, Monitoring, Project};
use crate::domain::money::format_percent;
use crate::domain::params::{MonitoringParams, RuleParams};
use rust_decimal::Decimal;

/// Every monitoring finding of one project; none for a project below the key amount.
pub fn monitoring_findings(
    project: &Project,
    indicators: &[Indicator],
    monitoring: &Monitoring,
    progress: &[IndicatorProgress],
    p: &RuleParams,
) -> Vec<Finding> {
    let m = &p.monitoring;
    let mut sink = Sink::new(Stage::Monitoring, &project.unit_code, Some(&project.code));
    if project.amount < m.key_project_amount {
        return sink.finish();
    }
    if let Some(exception) = execution(&mut sink, project, monitoring, m) {
        explain(&mut sink, monitoring, None, &exception);
    }
    for ind in indicators {
        let row = progress.iter().find(|r| r.indicator_name == ind.name);
        if let Some(row) = row
            && let Some(exception) = indicator_progress(&mut sink, ind, row, m)
        {
            explain(&mut sink, monitoring, Some(row), &exception);
        }
    }
    for row in progress {
        likelihood(&mut sink, row);
    }
    sink.finish()
}

/// Execution checks; the exception the unit must explain, if there is one.
fn execution(sink: &mut Sink, project: &Project, mon: &Monitoring, m: &MonitoringParams) -> Option<String> {
    let (budget, executed) = (project.amount, mon.executed);
    if executed > budget {
        sink.push(
            "M-OVER",
            None,
            format!("预算执行数 {} 超过预算金额 {}", wan(executed), wan(budget)),
        );
    }
    if budget <= Decimal::ZERO {
        return None;
    }
    let rate = executed / budget;
    if rate < m.execution_threshold {
        let (shown, limit) = (
            percent_below(rate, m.execution_threshold),
            threshold_percent(m.execution_threshold),
        );
        sink.push(
            "M-EXEC",
            None,
            format!(
                "预算执行率 {shown}（执行 {} / 预算 {}），低于 {limit}",
                wan(executed),
                wan(budget)
            ),
        );
        return Some(format!("预算执行率 {shown} 低于 {limit}"));
    }
    // Only worth saying when the threshold itself was met: under it, M-EXEC speaks.
    if m.compare_time_elapsed
        && let Some(month) = period_month(&mon.period)
    {
        let elapsed = Decimal::from(month) / Decimal::from(12);
        if rate < elapsed {
            sink.push(
                "M-ELAPSED",
                None,
                format!(
                    "预算执行率 {} 低于序时进度 {}（监控期 {}，{month}/12）",
                    percent_below(rate, elapsed),
                    format_percent(elapsed),
                    mon.period.trim()
                ),
            );
        }
    }
    None
}

/// The month of a period written `YYYY-MM` (also `YYYY-M`, `YYYY/MM`, `YYYY年MM月`).
fn period_month(period: &str) -> Option<u32> {
    let rest = period.trim().get(4..)?;
    let digits: String = rest
        .trim_start_matches(['-', '/', '年', '.'])
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().ok().filter(|m| (1..=12).contains(m))
}

/// Progress check of one indicator; the exception to explain, if there is one.
fn indicator_progress(
    sink: &mut Sink,
    ind: &Indicator,
    row: &IndicatorProgress,
    m: &MonitoringParams,
) -> Option<String> {
    let (Some(target), Some(current)) = (quantity(&ind.target_value), quantity(&row.current_value)) else {
        return None;
    };
    let (target, current) = (target.value, current.value);
    let name = ind.name.as_str();
    let is_ceiling = ind.direction == Direction::AtMost || (ind.direction == Direction::Equal && target.is_zero());
    if ind.direction == Direction::Qualitative {
        return None;
    }
    if is_ceiling {
        if current <= target {
            return None;
        }
        let (now, cap) = (row.current_value.trim(), ind.target_value.trim());
        sink.push(
            "M-PROGRESS",
            Some(name),
            format!(
                "三级指标「{name}」当前值 {now} 已超过上限 {cap}（{}）",
                ind.direction.label()
            ),
        );
        return Some(format!("三级指标「{name}」当前值 {now} 已超过上限 {cap}"));
    }
    if target <= Decimal::ZERO {
        return None;
    }
    let ratio = current / target;
    if ratio >= m.progress_threshold {
        return None;
    }
    let (shown, limit) = (
        percent_below(ratio, m.progress_threshold),
        threshold_percent(m.progress_threshold),
    );
    sink.push(
        "M-PROGRESS",
        Some(name),
        format!(
            "三级指标「{name}」完成进度 {shown}（当前 {} / 目标 {}），低于 {limit}",
            figure(current),
            figure(target)
        ),
    );
    Some(format!("三级指标「{name}」完成进度 {shown} 低于 {limit}"))
}

fn likelihood(sink: &mut Sink, row: &IndicatorProgress) {
    let name = row.indicator_name.as_str();
    match row.likelihood {
        Some(Likelihood::Possible) => sink.push(
            "M-LIKELY",
            Some(name),
            format!("三级指标「{name}」全年完成可能性为“有可能”，存在不能完成的风险"),
        ),
        Some(Likelihood::Impossible) => sink.push(
            "M-IMPOSSIBLE",
            Some(name),
            format!("三级指标「{name}」全年完成可能性为“不可能”，绩效目标无法实现"),
        ),
        Some(Likelihood::Certain) | None => {}
    }
}

/// An exception needs a 情况说明 and 整改措施: the project's own, or for an
/// indicator exception also the indicator row's 原因 and 举措. `exception`
/// says what is under threshold, with its figure.
fn explain(sink: &mut Sink, mon: &Monitoring, row: Option<&IndicatorProgress>, exception: &str) {
    let explained = !is_blank(&mon.explanation) || row.is_some_and(|r| !is_blank(&r.reason));
    let measured = !is_blank(&mon.measures) || row.is_some_and(|r| !is_blank(&r.action));
    let mut missing = Vec::new();
    if !explained {
        missing.push("情况说明");
    }
    if !measured {
        missing.push("整改措施");
    }
    if missing.is_empty() {
        return;
    }
    sink.push(
        "M-EXPLAIN",
        row.map(|r| r.indicator_name.as_str()),
        format!("{exception}，但未提交{}", missing.join("和")),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_of_periods_as_written() {
        assert_eq!(period_month("2023-10"), Some(10));
        assert_eq!(period_month("2023-6"), Some(6));
        assert_eq!(period_month("2023年09月"), Some(9));
        assert_eq!(period_month("2023-13"), None);
        assert_eq!(period_month("十月"), None);
    }
}
