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
    let execution_exception = execution(&mut sink, project, monitoring, m);
    if execution_exception {
        explain(&mut sink, monitoring, None, "预算执行率");
    }
    for ind in indicators {
        let row = progress.iter().find(|r| r.indicator_name == ind.name);
        if let Some(row) = row
            && indicator_progress(&mut sink, ind, row, m)
        {
            explain(&mut sink, monitoring, Some(row), "指标完成进度");
        }
    }
    for row in progress {
        likelihood(&mut sink, row);
    }
    sink.finish()
}

/// Execution checks; true when the rate is an exception the unit must explain.
fn execution(sink: &mut Sink, project: &Project, mon: &Monitoring, m: &MonitoringParams) -> bool {
    let (budget, executed) = (project.amount, mon.executed);
    if executed > budget {
        sink.push(
            "M-OVER",
            None,
            format!("预算执行数 {} 超过预算金额 {}", wan(executed), wan(budget)),
        );
    }
    if budget <= Decimal::ZERO {
        return false;
    }
    let rate = executed / budget;
    if rate < m.execution_threshold {
        sink.push(
            "M-EXEC",
            None,
            format!(
                "预算执行率 {}（执行 {} / 预算 {}），低于 {}",
                percent_below(rate, m.execution_threshold),
                wan(executed),
                wan(budget),
                threshold_percent(m.execution_threshold)
            ),
        );
        return true;
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
    false
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

/// Progress check of one indicator; true when it is an exception.
fn indicator_progress(sink: &mut Sink, ind: &Indicator, row: &IndicatorProgress, m: &MonitoringParams) -> bool {
    let (Some(target), Some(current)) = (quantity(&ind.target_value), quantity(&row.current_value)) else {
        return false;
    };
    let (target, current) = (target.value, current.value);
    let name = ind.name.as_str();
    let is_ceiling = ind.direction == Direction::AtMost || (ind.direction == Direction::Equal && target.is_zero());
    match ind.direction {
        Direction::Qualitative => false,
        _ if is_ceiling => {
            if current > target {
                sink.push(
                    "M-PROGRESS",
                    Some(name),
                    format!(
                        "三级指标「{name}」当前值 {} 已超过上限 {}（{}）",
                        row.current_value.trim(),
                        ind.target_value.trim(),
                        ind.direction.label()
                    ),
                );
                return true;
            }
            false
        }
        _ => {
            if target <= Decimal::ZERO {
                return false;
            }
            let ratio = current / target;
            if ratio < m.progress_threshold {
                sink.push(
                    "M-PROGRESS",
                    Some(name),
                    format!(
                        "三级指标「{name}」完成进度 {}（当前 {} / 目标 {}），低于 {}",
                        percent_below(ratio, m.progress_threshold),
                        figure(current),
                        figure(target),
                        threshold_percent(m.progress_threshold)
                    ),
                );
                return true;
            }
            false
        }
    }
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
/// indicator exception also the indicator row's 原因 and 举措.
fn explain(sink: &mut Sink, mon: &Monitoring, row: Option<&IndicatorProgress>, what: &str) {
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
    let subject = match row {
        Some(r) => format!("三级指标「{}」{what}", r.indicator_name),
        None => what.to_string(),
    };
    sink.push(
        "M-EXPLAIN",
        row.map(|r| r.indicator_name.as_str()),
        format!("{subject}低于阈值，但未提交{}", missing.join("和")),
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
