//! The findings engine: pure rules that turn a stage's records into findings
//! with a stable id, a severity and a Chinese message naming the figure.
//! Thresholds and word lists come only from `RuleParams`; nothing here does I/O.
//!
//! One file per stage; this module holds the catalogue (one entry per rule id,
//! the single source of each rule's severity) and helpers the stages share.

mod engine;
mod key_eval;
mod monitoring;
mod rectification;
mod review;
mod self_eval;
mod target;

pub use engine::{Evaluation, ItemFigure, Snapshot, evaluate};
pub use key_eval::{key_eval_findings, key_eval_findings_in};
pub use monitoring::monitoring_findings;
pub use rectification::rectification_findings;
pub use review::{OpinionFault, opinion_fault, review_findings};
pub use self_eval::{self_eval_findings, self_eval_findings_scored};
pub use target::{target_findings, unit_findings};

use super::labels::{Severity, Stage};
use super::model::{Finding, Indicator};
use super::money::format_wan;
use super::quantity::{Quantity, parse_quantity};
use rust_decimal::{Decimal, RoundingStrategy};

/// What one rule checks, for the catalogue screen, `jixiao check` and the README.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleInfo {
    pub id: &'static str,
    pub stage: Stage,
    pub severity: Severity,
    /// What the rule checks, in Chinese.
    pub title: &'static str,
    /// The config key of its threshold or word list, when it has one.
    pub threshold: Option<&'static str>,
}

const fn rule(
    id: &'static str,
    stage: Stage,
    severity: Severity,
    title: &'static str,
    threshold: Option<&'static str>,
) -> RuleInfo {
    RuleInfo {
        id,
        stage,
        severity,
        title,
        threshold,
    }
}

use Severity::{Blocking, Info, Warning};
use Stage::{KeyEval, Monitoring, Rectification, SelfEval, Target};

// One line per rule: the table reads like the README catalogue.
#[rustfmt::skip]
static CATALOGUE: &[RuleInfo] = &[
    // 绩效目标审核 (财预〔2015〕88号: 完整性/相关性/适当性/可行性)
    rule("T-NONE", Target, Blocking, "项目未设定任何绩效指标（“三无”：无绩效目标）", None),
    rule("T-GOAL", Target, Blocking, "未填写年度绩效目标", None),
    rule("T-GOAL-SHORT", Target, Warning, "年度绩效目标过于简略", Some("target.min_goal_chars")),
    rule("T-QTY", Target, Blocking, "缺少产出数量指标", None),
    rule("T-QUAL", Target, Blocking, "缺少产出质量指标（质量指标弱化）", None),
    rule("T-TIME", Target, Warning, "缺少产出时效指标", None),
    rule("T-COST", Target, Blocking, "缺少成本指标（成本指标虚化）", None),
    rule("T-BENEFIT", Target, Blocking, "缺少效益指标（效益指标软化）", None),
    rule("T-SATIS", Target, Warning, "缺少满意度指标", None),
    rule("T-VAGUE", Target, Blocking, "目标或指标值使用模糊词且无数字（目标空泛/模糊化）", Some("target.vague_words")),
    rule("T-QUALONLY", Target, Blocking, "全部指标均为定性表述，未细化量化", None),
    rule("T-VALUE-TYPE", Target, Blocking, "指标值与指标性质或计量单位不符", None),
    rule("T-UNIT", Target, Warning, "数值型指标缺少计量单位或未标明指标性质（≥/≤/=）", None),
    rule("T-TOO-FEW", Target, Warning, "指标个数少于资金规模要求（与资金规模不匹配）", Some("target.indicator_minimums")),
    rule("T-COST-OVER", Target, Blocking, "成本指标合计超过预算金额", None),
    rule("T-SATIS-RANGE", Target, Blocking, "满意度指标值超出 0–100%", None),
    rule("T-DUP", Target, Warning, "指标重复设置", None),
    rule("U-NONE", Target, Blocking, "单位未设定任何绩效目标（“三无”）", None),
    rule("U-OVERALL", Target, Blocking, "单位未申报部门整体绩效目标", None),
    // 绩效运行监控 ("双监控")
    rule("M-EXEC", Monitoring, Warning, "预算执行率低于阈值", Some("monitoring.execution_threshold")),
    rule("M-ELAPSED", Monitoring, Info, "预算执行率低于序时进度（月份/12）", Some("monitoring.compare_time_elapsed")),
    rule("M-PROGRESS", Monitoring, Warning, "指标完成进度低于阈值（≤ 指标：已超上限）", Some("monitoring.progress_threshold")),
    rule("M-LIKELY", Monitoring, Warning, "指标完成可能性为“有可能”", None),
    rule("M-IMPOSSIBLE", Monitoring, Blocking, "指标完成可能性为“不可能”", None),
    rule("M-EXPLAIN", Monitoring, Blocking, "监控异常未提交情况说明或整改措施", None),
    rule("M-OVER", Monitoring, Blocking, "预算执行数超过预算金额", None),
    // 绩效自评审核
    rule("S-REPORT", SelfEval, Blocking, "未提交绩效自评报告（“三无”）", None),
    rule("S-SCORE", SelfEval, Blocking, "自评得分与重算得分相差过大（自评不实）", Some("self_eval.score_margin")),
    rule("S-GRADE", SelfEval, Warning, "自评等级与自评得分所在档次不符", Some("grades")),
    rule("S-EXEC-REASON", SelfEval, Blocking, "全年执行率偏低且未说明原因", Some("self_eval.execution_reason_threshold")),
    rule("S-OCT", SelfEval, Warning, "全年执行数低于 10 月监控执行数（与监控不一致）", None),
    rule("S-ACTUAL", SelfEval, Blocking, "指标缺少实际完成值或定性等级", None),
    rule("S-OVER-TARGET", SelfEval, Warning, "实际值远超目标值且未说明原因（目标偏低）", Some("self_eval.over_target_ratio")),
    // 重点绩效评价
    rule("K-DOC", KeyEval, Blocking, "重点评价过程文件缺项（不漏项）", None),
    rule("K-GRADE", KeyEval, Warning, "评价等级与评价得分所在档次不符", Some("grades")),
    rule("K-SCORE", KeyEval, Info, "重点评价尚无得分", None),
    // 审核意见质量 (its stage is the reviewed item's; listed under 自评审核 where the seed saw it)
    rule("R-OPINION", SelfEval, Warning, "有问题事项的审核意见为空、过短或仅为套话", Some("review.min_opinion_chars")),
    // 整改跟踪
    rule("X-OVERDUE", Rectification, Warning, "整改逾期未销号", None),
    rule("X-EVIDENCE", Rectification, Blocking, "已销号但无整改佐证材料", None),
];

/// Every rule, one entry per id, in stage order.
pub fn catalogue() -> &'static [RuleInfo] {
    CATALOGUE
}

/// The catalogue entry of a rule id.
pub fn rule_info(id: &str) -> Option<&'static RuleInfo> {
    CATALOGUE.iter().find(|r| r.id == id)
}

/// Collects the findings of one item; the severity comes from the catalogue so
/// that a rule cannot report a severity the catalogue does not list.
pub(crate) struct Sink<'a> {
    stage: Stage,
    unit_code: &'a str,
    project_code: Option<&'a str>,
    out: Vec<Finding>,
}

impl<'a> Sink<'a> {
    pub(crate) fn new(stage: Stage, unit_code: &'a str, project_code: Option<&'a str>) -> Self {
        Sink {
            stage,
            unit_code,
            project_code,
            out: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, rule: &'static str, indicator: Option<&str>, message: String) {
        let info = rule_info(rule);
        debug_assert!(info.is_some(), "rule {rule} missing from the catalogue");
        self.out.push(Finding {
            rule: rule.into(),
            severity: info.map_or(Severity::Warning, |r| r.severity),
            stage: self.stage,
            unit_code: self.unit_code.to_string(),
            project_code: self.project_code.map(str::to_string),
            indicator: indicator.map(str::to_string),
            message,
        });
    }

    pub(crate) fn finish(self) -> Vec<Finding> {
        self.out
    }
}

/// Text that is missing for the form's purposes (empty or only spaces).
pub(crate) fn is_blank(s: &str) -> bool {
    s.chars().all(|c| c.is_whitespace() || c == '\u{3000}')
}

/// 元 as `124.60 万元`.
pub(crate) fn wan(yuan: Decimal) -> String {
    format!("{} 万元", format_wan(yuan, 2))
}

/// A configured ratio as the bureau writes it: 0.75 → `75%`, 0.755 → `75.5%`.
pub(crate) fn threshold_percent(ratio: Decimal) -> String {
    format!("{}%", (ratio * Decimal::ONE_HUNDRED).normalize())
}

/// A measured ratio that lies below `threshold`, rounded like `format_percent`
/// but with more decimals where one would round it up to the threshold
/// (74.99 % must not print as 75.0 %).
pub(crate) fn percent_below(ratio: Decimal, threshold: Decimal) -> String {
    let pct = ratio * Decimal::ONE_HUNDRED;
    let limit = threshold * Decimal::ONE_HUNDRED;
    for dp in 1..4 {
        let shown = pct.round_dp(dp);
        if shown < limit {
            return format!("{:.*}%", dp as usize, shown);
        }
    }
    format!("{:.4}%", pct.round_dp_with_strategy(4, RoundingStrategy::ToZero))
}

/// A plain figure without trailing zeros: 100.00 → `100`, 0.5 → `0.5`.
pub(crate) fn figure(d: Decimal) -> String {
    d.normalize().to_string()
}

/// A score with two decimals, as the forms print it.
pub(crate) fn points(d: Decimal) -> String {
    format!("{:.2}", d.round_dp(2))
}

/// The figure of a value written as a number (`≥95%`, `1,200人次`), if it is one.
pub(crate) fn quantity(value: &str) -> Option<Quantity> {
    parse_quantity(value)
}

/// Whether a text holds any digit (ASCII or full-width): a goal with a number
/// in it is not "空泛" even when it uses a word like 提高.
pub(crate) fn has_digit(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
}

/// Whether a measure unit is a percentage.
pub(crate) fn is_percent_unit(unit: &str) -> bool {
    matches!(unit.trim(), "%" | "％" | "百分比")
}

/// An indicator counts as a cost indicator in either tree (成本 under 产出, or
/// 成本指标 as its own first level).
pub(crate) fn is_cost_indicator(ind: &Indicator) -> bool {
    ind.level2.is_cost() || ind.level1 == super::labels::Level1::Cost
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;
    use std::collections::HashSet;

    #[test]
    fn catalogue_ids_are_unique_and_prefixed_by_stage() {
        let mut seen = HashSet::new();
        for r in catalogue() {
            assert!(seen.insert(r.id), "duplicate id {}", r.id);
            let prefix = r.id.split('-').next().unwrap_or_default();
            assert!(matches!(prefix, "T" | "U" | "M" | "S" | "K" | "R" | "X"), "{}", r.id);
            assert!(!r.title.is_empty());
        }
    }

    #[test]
    fn thresholds_print_as_the_bureau_writes_them() {
        assert_eq!(threshold_percent(dec!(0.75)), "75%");
        assert_eq!(threshold_percent(dec!(0.755)), "75.5%");
        assert_eq!(percent_below(dec!(0.623), dec!(0.75)), "62.3%");
        assert_eq!(percent_below(dec!(0.7499), dec!(0.75)), "74.99%");
        assert_eq!(percent_below(dec!(0.749999), dec!(0.75)), "74.9999%");
        assert_eq!(percent_below(dec!(0.74999999), dec!(0.75)), "74.9999%");
        assert_eq!(percent_below(dec!(0.6235), dec!(0.75)), "62.4%");
        assert_eq!(figure(dec!(100.00)), "100");
        assert_eq!(points(dec!(78.5)), "78.50");
        assert_eq!(wan(dec!(1246000)), "124.60 万元");
    }

    #[test]
    fn digits_in_either_width_count() {
        assert!(has_digit("资助1200人次"));
        assert!(has_digit("资助１２００人次"));
        assert!(!has_digit("进一步提高教学质量"));
    }
}
