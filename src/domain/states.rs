//! The review and rectification state machines: which transitions exist and
//! what each one needs. The store applies them; nothing else changes a state.

use super::labels::{RectState, ReviewState};
use super::model::Rectification;
use chrono::NaiveDate;

/// What a reviewer (or an import) does to a review item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewAction {
    /// 通过; `override_blocking` when the reviewer approves despite blocking findings.
    Approve { override_blocking: bool },
    /// 退回, with an opinion.
    Return,
    /// A re-import of a returned item.
    Resubmit,
    /// 重新打开 an approved item, with a reason.
    Reopen,
}

impl ReviewAction {
    pub fn code(self) -> &'static str {
        match self {
            ReviewAction::Approve {
                override_blocking: false,
            } => "approve",
            ReviewAction::Approve {
                override_blocking: true,
            } => "approve_override",
            ReviewAction::Return => "return",
            ReviewAction::Resubmit => "resubmit",
            ReviewAction::Reopen => "reopen",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ReviewAction::Approve {
                override_blocking: false,
            } => "通过",
            ReviewAction::Approve {
                override_blocking: true,
            } => "强制通过",
            ReviewAction::Return => "退回",
            ReviewAction::Resubmit => "重报",
            ReviewAction::Reopen => "重新打开",
        }
    }
}

/// Why a decision was refused; shown to the reviewer as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecisionError {
    #[error("「{state}」状态的事项不能{action}")]
    NotAllowed { state: &'static str, action: &'static str },
    #[error("该事项有 {0} 条阻断问题，须确认强制通过并写明理由")]
    BlockingNeedsOverride(usize),
    #[error("{action}须填写意见（至少 {min} 个字）")]
    OpinionRequired { action: &'static str, min: usize },
    #[error("重点评价过程文件不全，不能结项：缺少{0}")]
    DocumentsMissing(String),
    /// The opinion does not answer the item's findings (逐条回应); the text
    /// names the unit, the project and the finding.
    #[error("{0}")]
    OpinionUnanswered(String),
}

/// What a decision needs to know besides the state.
#[derive(Debug, Clone, Copy)]
pub struct DecisionContext<'a> {
    pub blocking_findings: usize,
    pub opinion: &'a str,
    /// Minimum opinion length in characters (config `review.min_opinion_chars`).
    pub min_opinion_chars: usize,
}

/// The state a transition leads to, or `None` where the machine has no such edge.
pub fn review_transition(state: ReviewState, action: ReviewAction) -> Option<ReviewState> {
    use ReviewState::*;
    match (state, action) {
        (Pending | Resubmitted, ReviewAction::Approve { .. }) => Some(Approved),
        (Pending | Resubmitted, ReviewAction::Return) => Some(Returned),
        (Returned, ReviewAction::Resubmit) => Some(Resubmitted),
        (Approved | Returned, ReviewAction::Reopen) => Some(Pending),
        _ => None,
    }
}

/// Checks a decision against the machine and its conditions (opinion on return,
/// override and reason on blocking findings, reason on reopen).
pub fn decide(
    state: ReviewState,
    action: ReviewAction,
    ctx: DecisionContext<'_>,
) -> Result<ReviewState, DecisionError> {
    let next = review_transition(state, action).ok_or(DecisionError::NotAllowed {
        state: state.label(),
        action: action.label(),
    })?;
    let opinion_len = ctx.opinion.trim().chars().count();
    let min = ctx.min_opinion_chars.max(1);
    match action {
        ReviewAction::Approve { override_blocking } if ctx.blocking_findings > 0 => {
            if !override_blocking {
                return Err(DecisionError::BlockingNeedsOverride(ctx.blocking_findings));
            }
            if opinion_len < min {
                return Err(DecisionError::OpinionRequired {
                    action: "强制通过",
                    min,
                });
            }
        }
        ReviewAction::Return | ReviewAction::Reopen if opinion_len < min => {
            return Err(DecisionError::OpinionRequired {
                action: action.label(),
                min,
            });
        }
        _ => {}
    }
    Ok(next)
}

/// What happens to a rectification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RectAction {
    /// The unit starts work.
    Start,
    /// The unit hands in evidence (整改佐证).
    Submit { evidence: String },
    /// A reviewer signs off (销号).
    Verify,
    /// A reviewer sends submitted evidence back.
    Reject { reason: String },
    /// A new deadline, with a reason; the state does not change.
    Extend { to: NaiveDate, reason: String },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RectError {
    #[error("「{state}」状态的整改事项不能{action}")]
    NotAllowed { state: &'static str, action: &'static str },
    #[error("销号前须有整改佐证材料")]
    NoEvidence,
    #[error("须写明理由")]
    ReasonRequired,
    #[error("新期限 {to} 须晚于原期限 {from}")]
    DeadlineNotLater { from: NaiveDate, to: NaiveDate },
}

impl RectAction {
    pub fn label(&self) -> &'static str {
        match self {
            RectAction::Start => "开始整改",
            RectAction::Submit { .. } => "报送佐证",
            RectAction::Verify => "销号",
            RectAction::Reject { .. } => "退回佐证",
            RectAction::Extend { .. } => "延期",
        }
    }
}

/// The state a rectification moves to; `Extend` keeps the state and moves the deadline.
pub fn rect_transition(r: &Rectification, action: &RectAction) -> Result<RectState, RectError> {
    use RectState::*;
    let refuse = || RectError::NotAllowed {
        state: r.state.label(),
        action: action.label(),
    };
    match (r.state, action) {
        (Open, RectAction::Start) => Ok(InProgress),
        (Open | InProgress, RectAction::Submit { evidence }) => {
            if evidence.trim().is_empty() {
                Err(RectError::NoEvidence)
            } else {
                Ok(Submitted)
            }
        }
        (Submitted, RectAction::Verify) => {
            if r.evidence.trim().is_empty() {
                Err(RectError::NoEvidence)
            } else {
                Ok(Verified)
            }
        }
        (Submitted, RectAction::Reject { reason }) => {
            if reason.trim().is_empty() {
                Err(RectError::ReasonRequired)
            } else {
                Ok(InProgress)
            }
        }
        (Open | InProgress | Submitted, RectAction::Extend { to, reason }) => {
            if reason.trim().is_empty() {
                Err(RectError::ReasonRequired)
            } else if *to <= r.deadline {
                Err(RectError::DeadlineNotLater {
                    from: r.deadline,
                    to: *to,
                })
            } else {
                Ok(r.state)
            }
        }
        _ => Err(refuse()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::labels::Stage;
    use ReviewState::*;

    fn ctx(blocking: usize, opinion: &str) -> DecisionContext<'_> {
        DecisionContext {
            blocking_findings: blocking,
            opinion,
            min_opinion_chars: 10,
        }
    }

    const APPROVE: ReviewAction = ReviewAction::Approve {
        override_blocking: false,
    };
    const OVERRIDE: ReviewAction = ReviewAction::Approve {
        override_blocking: true,
    };

    #[test]
    fn allowed_review_transitions() {
        assert_eq!(decide(Pending, APPROVE, ctx(0, "")), Ok(Approved));
        assert_eq!(decide(Resubmitted, APPROVE, ctx(0, "")), Ok(Approved));
        assert_eq!(
            decide(
                Pending,
                ReviewAction::Return,
                ctx(0, "产出指标未细化量化，请补充数量指标")
            ),
            Ok(Returned)
        );
        assert_eq!(decide(Returned, ReviewAction::Resubmit, ctx(0, "")), Ok(Resubmitted));
        assert_eq!(
            decide(Approved, ReviewAction::Reopen, ctx(0, "单位更正了预算金额，需重新审核")),
            Ok(Pending)
        );
    }

    #[test]
    fn refused_review_transitions() {
        assert_eq!(
            decide(Approved, APPROVE, ctx(0, "")),
            Err(DecisionError::NotAllowed {
                state: "已通过",
                action: "通过"
            })
        );
        assert!(decide(Returned, APPROVE, ctx(0, "")).is_err());
        assert!(decide(Pending, ReviewAction::Resubmit, ctx(0, "")).is_err());
        assert!(decide(Approved, ReviewAction::Return, ctx(0, "一二三四五六七八九十")).is_err());
        assert!(decide(Pending, ReviewAction::Reopen, ctx(0, "一二三四五六七八九十")).is_err());
    }

    #[test]
    fn return_needs_an_opinion() {
        assert_eq!(
            decide(Pending, ReviewAction::Return, ctx(0, "  不行  ")),
            Err(DecisionError::OpinionRequired {
                action: "退回",
                min: 10
            })
        );
    }

    #[test]
    fn blocking_findings_need_override_and_reason() {
        assert_eq!(
            decide(Pending, APPROVE, ctx(2, "")),
            Err(DecisionError::BlockingNeedsOverride(2))
        );
        assert!(matches!(
            decide(Pending, OVERRIDE, ctx(2, "同意")),
            Err(DecisionError::OpinionRequired { .. })
        ));
        assert_eq!(
            decide(Pending, OVERRIDE, ctx(2, "已电话核实，单位将在批复前补充成本指标")),
            Ok(Approved)
        );
        assert_eq!(
            DecisionError::BlockingNeedsOverride(2).to_string(),
            "该事项有 2 条阻断问题，须确认强制通过并写明理由"
        );
    }

    fn rect(state: RectState, evidence: &str) -> Rectification {
        Rectification {
            id: 1,
            source_stage: Stage::Monitoring,
            source_review: Some(7),
            unit_code: "001".into(),
            project_code: Some("P1".into()),
            problem: "预算执行率 52.0%，低于 75%".into(),
            required_measure: "加快支付进度".into(),
            deadline: NaiveDate::from_ymd_opt(2023, 11, 30).unwrap(),
            state,
            evidence: evidence.into(),
            verified_by: None,
            verified_at: None,
            extensions: vec![],
            version: 1,
        }
    }

    #[test]
    fn rectification_machine() {
        use RectState::*;
        assert_eq!(rect_transition(&rect(Open, ""), &RectAction::Start), Ok(InProgress));
        assert_eq!(
            rect_transition(
                &rect(InProgress, ""),
                &RectAction::Submit {
                    evidence: "支付凭证".into()
                }
            ),
            Ok(Submitted)
        );
        assert_eq!(
            rect_transition(&rect(InProgress, ""), &RectAction::Submit { evidence: " ".into() }),
            Err(RectError::NoEvidence)
        );
        assert_eq!(
            rect_transition(&rect(Submitted, "支付凭证"), &RectAction::Verify),
            Ok(Verified)
        );
        assert_eq!(
            rect_transition(&rect(Submitted, ""), &RectAction::Verify),
            Err(RectError::NoEvidence)
        );
        assert!(rect_transition(&rect(Open, ""), &RectAction::Verify).is_err());
        assert!(rect_transition(&rect(Verified, "x"), &RectAction::Start).is_err());
        assert_eq!(
            rect_transition(
                &rect(Submitted, "x"),
                &RectAction::Reject {
                    reason: "凭证不全".into()
                }
            ),
            Ok(InProgress)
        );
    }

    #[test]
    fn extension_needs_later_date_and_reason() {
        let r = rect(RectState::Open, "");
        let later = NaiveDate::from_ymd_opt(2023, 12, 31).unwrap();
        assert_eq!(
            rect_transition(
                &r,
                &RectAction::Extend {
                    to: later,
                    reason: "资金未到位".into()
                }
            ),
            Ok(RectState::Open)
        );
        assert_eq!(
            rect_transition(
                &r,
                &RectAction::Extend {
                    to: later,
                    reason: "".into()
                }
            ),
            Err(RectError::ReasonRequired)
        );
        assert!(matches!(
            rect_transition(
                &r,
                &RectAction::Extend {
                    to: r.deadline,
                    reason: "x".into()
                }
            ),
            Err(RectError::DeadlineNotLater { .. })
        ));
        assert!(
            rect_transition(
                &rect(RectState::Verified, "x"),
                &RectAction::Extend {
                    to: later,
                    reason: "x".into()
                }
            )
            .is_err()
        );
    }

    #[test]
    fn overdue_is_derived_from_the_deadline() {
        let r = rect(RectState::InProgress, "");
        let d = |m, day| NaiveDate::from_ymd_opt(2023, m, day).unwrap();
        assert!(!r.is_overdue(d(11, 30)));
        assert!(r.is_overdue(d(12, 1)));
        assert_eq!(r.days_left(d(11, 20)), 10);
        assert_eq!(r.days_left(d(12, 3)), -3);
        assert!(!rect(RectState::Verified, "x").is_overdue(d(12, 31)));
    }
}
