//! Target-audit conclusion after 财预〔2015〕88号: the four verdicts
//! 完整性/相关性/适当性/可行性 give 优 (goes on to the budget), 良 (goes on after
//! agreed changes), 中 (returned for changes and resubmission) or 差 (cannot
//! enter the budget). The reviewer may change the derived conclusion with a reason.

use super::labels::{Criterion, Grade};
use super::model::{Verdict, Verdicts};
use serde::{Deserialize, Serialize};

/// A conclusion the reviewer set instead of the derived one, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConclusionOverride {
    pub grade: Grade,
    pub reason: String,
}

/// Why a set of verdicts (or a decision based on them) is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerdictError {
    #[error("「{}」判为不通过时须写明理由", .0.label())]
    FailWithoutReason(Criterion),
    #[error("改变审核结论（由「{}」改为「{}」）须写明理由", .derived.label(), .chosen.label())]
    OverrideWithoutReason { derived: Grade, chosen: Grade },
    #[error("四项审核（完整性/相关性/适当性/可行性）尚未全部给出：缺{0}")]
    Incomplete(String),
    #[error("审核结论为「{}」（{}），应退回而不能通过", .0.label(), meaning(*.0))]
    ConclusionSaysReturn(Grade),
}

/// The conclusion the four verdicts give; `None` until all four are given.
/// Each failed criterion drops one grade: 0 → 优, 1 → 良, 2 → 中, 3 or 4 → 差.
pub fn derived_conclusion(v: &Verdicts) -> Option<Grade> {
    let given: Vec<&Verdict> = Criterion::ALL.iter().filter_map(|c| v.get(*c)).collect();
    if given.len() < Criterion::ALL.len() {
        return None;
    }
    let fails = given.iter().filter(|v| matches!(v, Verdict::Fail(_))).count();
    Some(match fails {
        0 => Grade::Excellent,
        1 => Grade::Good,
        2 => Grade::Fair,
        _ => Grade::Poor,
    })
}

/// The conclusion in force: the reviewer's override, else the derived one.
pub fn conclusion(v: &Verdicts) -> Option<Grade> {
    v.conclusion.as_ref().map(|o| o.grade).or_else(|| derived_conclusion(v))
}

/// What a conclusion means for the budget (88号).
pub fn meaning(g: Grade) -> &'static str {
    match g {
        Grade::Excellent => "进入预算编审流程",
        Grade::Good => "按审核意见修改后进入预算编审流程",
        Grade::Fair => "退回单位修改后重新报送",
        Grade::Poor => "不得进入预算编审流程",
    }
}

/// Whether the conclusion sends the target back to the unit.
pub fn says_return(g: Grade) -> bool {
    matches!(g, Grade::Fair | Grade::Poor)
}

/// Every fail has a reason; an override that differs from the derived conclusion has one.
pub fn check_verdicts(v: &Verdicts) -> Result<(), VerdictError> {
    for c in Criterion::ALL {
        if let Some(Verdict::Fail(reason)) = v.get(*c)
            && reason.trim().is_empty()
        {
            return Err(VerdictError::FailWithoutReason(*c));
        }
    }
    if let (Some(o), Some(derived)) = (&v.conclusion, derived_conclusion(v))
        && o.grade != derived
        && o.reason.trim().is_empty()
    {
        return Err(VerdictError::OverrideWithoutReason {
            derived,
            chosen: o.grade,
        });
    }
    Ok(())
}

/// Approving a target needs all four verdicts and a conclusion of 优 or 良.
pub fn check_approval(v: &Verdicts) -> Result<(), VerdictError> {
    check_verdicts(v)?;
    let g = complete(v)?;
    if says_return(g) {
        return Err(VerdictError::ConclusionSaysReturn(g));
    }
    Ok(())
}

/// Returning a target needs all four verdicts (their reasons make the opinion).
pub fn check_return(v: &Verdicts) -> Result<(), VerdictError> {
    check_verdicts(v)?;
    complete(v).map(|_| ())
}

fn complete(v: &Verdicts) -> Result<Grade, VerdictError> {
    conclusion(v)
        .filter(|_| derived_conclusion(v).is_some())
        .ok_or_else(|| {
            let missing: Vec<&str> = Criterion::ALL
                .iter()
                .filter(|c| v.get(**c).is_none())
                .map(|c| c.label())
                .collect();
            VerdictError::Incomplete(missing.join("、"))
        })
}

/// The failed criteria with their reasons, one line each, for a return opinion.
pub fn fail_lines(v: &Verdicts) -> Vec<String> {
    Criterion::ALL
        .iter()
        .filter_map(|c| match v.get(*c) {
            Some(Verdict::Fail(reason)) => Some(format!("{}：{}", c.label(), reason.trim())),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdicts(fails: &[Criterion]) -> Verdicts {
        let mut v = Verdicts::default();
        for c in Criterion::ALL {
            let verdict = if fails.contains(c) {
                Verdict::Fail(format!("{}不足", c.label()))
            } else {
                Verdict::Pass
            };
            v.set(*c, Some(verdict));
        }
        v
    }

    #[test]
    fn each_fail_drops_one_grade() {
        use Criterion::*;
        assert_eq!(derived_conclusion(&verdicts(&[])), Some(Grade::Excellent));
        assert_eq!(derived_conclusion(&verdicts(&[Relevance])), Some(Grade::Good));
        assert_eq!(
            derived_conclusion(&verdicts(&[Relevance, Feasibility])),
            Some(Grade::Fair)
        );
        assert_eq!(
            derived_conclusion(&verdicts(&[Completeness, Relevance, Feasibility])),
            Some(Grade::Poor)
        );
        assert_eq!(derived_conclusion(&Verdicts::default()), None);
    }

    #[test]
    fn fail_needs_reason_and_override_needs_reason() {
        let mut v = verdicts(&[]);
        v.set(Criterion::Appropriateness, Some(Verdict::Fail("  ".into())));
        assert_eq!(
            check_verdicts(&v),
            Err(VerdictError::FailWithoutReason(Criterion::Appropriateness))
        );
        let mut v = verdicts(&[Criterion::Feasibility]);
        v.conclusion = Some(ConclusionOverride {
            grade: Grade::Fair,
            reason: String::new(),
        });
        assert!(matches!(
            check_verdicts(&v),
            Err(VerdictError::OverrideWithoutReason { .. })
        ));
        v.conclusion.as_mut().unwrap().reason = "测算依据缺失，须补充后重报".into();
        assert_eq!(check_verdicts(&v), Ok(()));
        assert_eq!(conclusion(&v), Some(Grade::Fair));
        assert_eq!(check_approval(&v), Err(VerdictError::ConclusionSaysReturn(Grade::Fair)));
        assert_eq!(check_return(&v), Ok(()));
    }

    #[test]
    fn decisions_need_all_four() {
        let mut v = Verdicts::default();
        v.set(Criterion::Completeness, Some(Verdict::Pass));
        assert_eq!(
            check_approval(&v),
            Err(VerdictError::Incomplete("相关性、适当性、可行性".into()))
        );
        assert_eq!(check_approval(&verdicts(&[Criterion::Relevance])), Ok(()));
        assert_eq!(
            fail_lines(&verdicts(&[Criterion::Relevance])),
            vec!["相关性：相关性不足"]
        );
    }
}
