//! The records of a review year, as the forms and the reviewers make them.
//! Money is `Decimal` in 元; text is what the unit wrote (sanitised before display).

use super::labels::*;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// 预算单位.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    pub code: String,
    pub name: String,
    /// 主管部门.
    pub department: String,
    /// 业务科室 responsible for reviewing this unit.
    pub section: String,
}

/// A person allowed to act, identified by the OS user that SSH authenticated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reviewer {
    pub os_user: String,
    pub name: String,
    /// 业务科室 this reviewer covers.
    pub sections: Vec<String>,
    pub role: Role,
}

impl Reviewer {
    /// Whether this reviewer may decide items of a unit in that section.
    pub fn may_act_on(&self, section: &str) -> bool {
        match self.role {
            Role::Admin => true,
            Role::Auditor => false,
            Role::Reviewer => self.sections.iter().any(|s| s == section),
        }
    }
}

/// A project, or a unit's overall spending when `fund_kind` is 部门整体.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Project {
    pub year: i32,
    pub code: String,
    pub unit_code: String,
    pub name: String,
    pub budget_kind: BudgetKind,
    pub fund_kind: FundKind,
    /// 预算金额 in 元.
    pub amount: Decimal,
    /// 年度绩效目标.
    pub annual_goal: String,
}

/// A third-level indicator (三级指标) with its place in the tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Indicator {
    pub project_code: String,
    pub level1: Level1,
    pub level2: Level2,
    /// 三级指标 name.
    pub name: String,
    pub direction: Direction,
    /// 指标值 exactly as written: `95`, `≥95%`, `按月安排`, `有效提升`.
    pub target_value: String,
    /// 计量单位: `%`, `人次`, `万元`, or empty.
    pub measure_unit: String,
    /// 权重 within its first-level group, when the unit gave one.
    pub weight: Option<Decimal>,
    /// 指标解释.
    pub explanation: String,
}

/// The October monitoring of one project: budget execution (预算执行数).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Monitoring {
    pub project_code: String,
    /// 监控期, e.g. `2023-10`.
    pub period: String,
    /// 预算执行数 in 元.
    pub executed: Decimal,
    /// 情况说明.
    pub explanation: String,
    /// 整改措施.
    pub measures: String,
}

/// Progress of one indicator at monitoring time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorProgress {
    pub project_code: String,
    pub indicator_name: String,
    /// 当前完成值 as written.
    pub current_value: String,
    /// 全年预计完成值 as written.
    pub expected_value: String,
    pub likelihood: Option<Likelihood>,
    pub reason: String,
    pub action: String,
}

/// A unit's self-evaluation of a project (or of its overall spending).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelfEval {
    pub project_code: String,
    /// 全年执行数 in 元.
    pub executed: Decimal,
    pub self_score: Decimal,
    pub self_grade: Option<Grade>,
    /// 自评报告 text; empty when no report was written.
    pub report: String,
    pub problems: String,
    pub measures: String,
}

/// What an indicator actually reached at year end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorActual {
    pub project_code: String,
    pub indicator_name: String,
    /// 实际完成值 as written.
    pub actual_value: String,
    pub tier: Option<QualTier>,
    pub deviation_reason: String,
}

/// The three process documents a key evaluation must not miss (不漏项), with
/// the dates they were received.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyEvalDocuments {
    /// 现场评价底稿.
    pub working_papers: Option<NaiveDate>,
    /// 现场评价回执.
    pub receipt: Option<NaiveDate>,
    /// 财政业务科室绩效报告反馈意见.
    pub feedback: Option<NaiveDate>,
}

impl KeyEvalDocuments {
    /// Labels of the documents not yet received.
    pub fn missing(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.working_papers.is_none() {
            out.push("现场评价底稿");
        }
        if self.receipt.is_none() {
            out.push("现场评价回执");
        }
        if self.feedback.is_none() {
            out.push("财政业务科室绩效报告反馈意见");
        }
        out
    }
}

/// A third-party key evaluation (重点绩效评价) of a project or a unit's overall spending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyEval {
    pub year: i32,
    /// 评价对象编码: a project code, or a unit code for a unit-overall evaluation.
    pub object_code: String,
    /// 委托机构 (the accounting firm).
    pub firm: String,
    /// 评价金额 in 元.
    pub amount: Decimal,
    pub score: Option<Decimal>,
    pub grade: Option<Grade>,
    pub documents: KeyEvalDocuments,
    /// 发现问题, one per line.
    pub problems: Vec<String>,
}

/// A target-audit verdict on one criterion: pass, or fail with a reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "verdict", content = "reason", rename_all = "snake_case")]
pub enum Verdict {
    Pass,
    Fail(String),
}

/// The four verdicts of target audit; unset until the reviewer gives them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdicts {
    pub completeness: Option<Verdict>,
    pub relevance: Option<Verdict>,
    pub appropriateness: Option<Verdict>,
    pub feasibility: Option<Verdict>,
    /// The reviewer's own conclusion when it differs from the derived one (88号).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conclusion: Option<super::target_audit::ConclusionOverride>,
}

impl Verdicts {
    pub fn get(&self, c: Criterion) -> Option<&Verdict> {
        match c {
            Criterion::Completeness => self.completeness.as_ref(),
            Criterion::Relevance => self.relevance.as_ref(),
            Criterion::Appropriateness => self.appropriateness.as_ref(),
            Criterion::Feasibility => self.feasibility.as_ref(),
        }
    }

    pub fn set(&mut self, c: Criterion, v: Option<Verdict>) {
        let slot = match c {
            Criterion::Completeness => &mut self.completeness,
            Criterion::Relevance => &mut self.relevance,
            Criterion::Appropriateness => &mut self.appropriateness,
            Criterion::Feasibility => &mut self.feasibility,
        };
        *slot = v;
    }

    pub fn is_empty(&self) -> bool {
        Criterion::ALL.iter().all(|c| self.get(*c).is_none())
    }
}

/// Reference to what a review or a rectification is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Subject {
    Project { year: i32, code: String },
    KeyEval { year: i32, object_code: String },
}

/// One reviewable item of one stage, with the reviewer's work on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    pub id: i64,
    pub stage: Stage,
    pub unit_code: String,
    pub project_code: Option<String>,
    pub state: ReviewState,
    /// 审核意见.
    pub opinion: String,
    pub verdicts: Verdicts,
    /// OS user of the last decision.
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    /// Bumped on every change; a write that expects an older version is a conflict.
    pub version: i64,
}

/// An extension of a rectification deadline, with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub reason: String,
    pub by: String,
}

/// What a new rectification item needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRectification {
    pub source_stage: Stage,
    pub source_review: Option<i64>,
    pub unit_code: String,
    pub project_code: Option<String>,
    pub problem: String,
    pub required_measure: String,
    pub deadline: NaiveDate,
}

/// A tracked problem (整改) with a deadline, evidence and sign-off (销号).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rectification {
    pub id: i64,
    pub source_stage: Stage,
    /// The review this problem came from.
    pub source_review: Option<i64>,
    pub unit_code: String,
    pub project_code: Option<String>,
    pub problem: String,
    /// 整改要求.
    pub required_measure: String,
    pub deadline: NaiveDate,
    pub state: RectState,
    /// 整改佐证材料 received.
    pub evidence: String,
    pub verified_by: Option<String>,
    pub verified_at: Option<String>,
    pub extensions: Vec<Extension>,
    pub version: i64,
}

impl Rectification {
    /// Past its deadline and not signed off.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.state != RectState::Verified && today > self.deadline
    }

    /// Days until the deadline (negative when overdue).
    pub fn days_left(&self, today: NaiveDate) -> i64 {
        (self.deadline - today).num_days()
    }
}

/// A problem a rule found in an item, ready to show to the reviewer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable rule id, e.g. `T-VAGUE`.
    pub rule: crate::domain::RuleId,
    pub severity: Severity,
    pub stage: Stage,
    pub unit_code: String,
    /// None for a unit-level finding.
    pub project_code: Option<String>,
    /// The indicator concerned, when there is one.
    pub indicator: Option<String>,
    /// Chinese message naming the indicator, figure and threshold.
    pub message: String,
}

impl Finding {
    /// A finding on the reviewer's own opinion (not on the unit's data).
    pub fn is_review_quality(&self) -> bool {
        self.rule.is_review_quality()
    }
}

/// Score bands for 优/良/中/差.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradeBands {
    pub excellent: Decimal,
    pub good: Decimal,
    pub fair: Decimal,
}

impl GradeBands {
    /// The grade a score earns: 优 ≥ excellent, 良 ≥ good, 中 ≥ fair, else 差.
    pub fn grade(&self, score: Decimal) -> Grade {
        if score >= self.excellent {
            Grade::Excellent
        } else if score >= self.good {
            Grade::Good
        } else if score >= self.fair {
            Grade::Fair
        } else {
            Grade::Poor
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn grade_bands_are_inclusive_at_the_bottom() {
        let b = GradeBands {
            excellent: dec!(90),
            good: dec!(80),
            fair: dec!(60),
        };
        assert_eq!(b.grade(dec!(90)), Grade::Excellent);
        assert_eq!(b.grade(dec!(89.99)), Grade::Good);
        assert_eq!(b.grade(dec!(80)), Grade::Good);
        assert_eq!(b.grade(dec!(79.9)), Grade::Fair);
        assert_eq!(b.grade(dec!(60)), Grade::Fair);
        assert_eq!(b.grade(dec!(59.99)), Grade::Poor);
    }

    #[test]
    fn reviewer_remit() {
        let r = Reviewer {
            os_user: "li".into(),
            name: "李".into(),
            sections: vec!["教科文科".into()],
            role: Role::Reviewer,
        };
        assert!(r.may_act_on("教科文科"));
        assert!(!r.may_act_on("农业科"));
        let a = Reviewer {
            role: Role::Admin,
            ..r.clone()
        };
        assert!(a.may_act_on("农业科"));
        let au = Reviewer {
            role: Role::Auditor,
            ..r
        };
        assert!(!au.may_act_on("教科文科"));
    }

    #[test]
    fn missing_documents_are_named() {
        let d = KeyEvalDocuments {
            working_papers: NaiveDate::from_ymd_opt(2023, 5, 1),
            receipt: None,
            feedback: None,
        };
        assert_eq!(d.missing(), vec!["现场评价回执", "财政业务科室绩效报告反馈意见"]);
    }
}
