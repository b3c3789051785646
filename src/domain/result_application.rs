//! Result application (结果应用): an evaluation grade suggests next year's
//! budget treatment (configurable in `[result_application]`); the reviewer
//! confirms the suggestion or changes it with a reason.

use super::labels::Grade;
use super::params::ResultApplicationParams;
use rust_decimal::Decimal;

/// What the grade suggests for one project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub grade: Grade,
    pub treatment: String,
    /// Share of this year's budget to cut next year.
    pub cut_share: Decimal,
    /// This year's budget less the cut, in 元.
    pub next_amount: Decimal,
    /// The rule for a one-off project graded 差, shown beside the treatment.
    pub note: Option<String>,
}

/// The treatment a grade suggests for a project of `amount` 元.
pub fn suggest(grade: Grade, amount: Decimal, p: &ResultApplicationParams) -> Suggestion {
    let t = p.for_grade(grade);
    Suggestion {
        grade,
        treatment: t.treatment.clone(),
        cut_share: t.cut_share,
        next_amount: (amount * (Decimal::ONE - t.cut_share)).round_dp(2),
        note: (grade == Grade::Poor).then(|| p.one_off_poor_rule.clone()),
    }
}

/// The reviewer's answer to a suggestion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResultChoice {
    Confirm,
    Change { treatment: String, reason: String },
}

impl ResultChoice {
    pub fn code(&self) -> &'static str {
        match self {
            ResultChoice::Confirm => "confirmed",
            ResultChoice::Change { .. } => "changed",
        }
    }

    /// A change needs the new treatment and the reason.
    pub fn check(&self) -> Result<(), &'static str> {
        match self {
            ResultChoice::Change { treatment, .. } if treatment.trim().is_empty() => Err("须写明调整后的处理方式"),
            ResultChoice::Change { reason, .. } if reason.trim().is_empty() => Err("调整结果应用建议须写明理由"),
            _ => Ok(()),
        }
    }
}

/// Reads "处理方式；理由" (either semicolon) as a change.
pub fn parse_change(text: &str) -> ResultChoice {
    let (treatment, reason) = text.split_once(['；', ';']).map_or((text, ""), |(t, r)| (t, r));
    ResultChoice::Change {
        treatment: treatment.trim().to_string(),
        reason: reason.trim().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::params::GradeTreatment;
    use rust_decimal::dec;

    fn params() -> ResultApplicationParams {
        let t = |treatment: &str, cut: Decimal| GradeTreatment {
            treatment: treatment.into(),
            cut_share: cut,
        };
        ResultApplicationParams {
            excellent: t("保持或优先保障", dec!(0)),
            good: t("原则上保持", dec!(0)),
            fair: t("按比例压减下年度预算，并限期整改", dec!(0.10)),
            poor: t("大幅压减、暂停或取消", dec!(0.30)),
            one_off_poor_rule: "一次性项目评价结果为差的，下一年度不再安排同类新增项目".into(),
        }
    }

    #[test]
    fn grades_map_to_the_configured_treatment() {
        let p = params();
        let s = suggest(Grade::Fair, dec!(2500000), &p);
        assert_eq!(s.cut_share, dec!(0.10));
        assert_eq!(s.next_amount, dec!(2250000));
        assert!(s.treatment.contains("压减"));
        assert_eq!(s.note, None);
        let s = suggest(Grade::Poor, dec!(1000000), &p);
        assert_eq!(s.next_amount, dec!(700000));
        assert!(s.note.unwrap().contains("一次性项目"));
        assert_eq!(suggest(Grade::Excellent, dec!(1), &p).next_amount, dec!(1));
    }

    #[test]
    fn a_change_needs_treatment_and_reason() {
        assert_eq!(ResultChoice::Confirm.check(), Ok(()));
        assert!(parse_change("取消预算").check().is_err());
        let c = parse_change("压减 20%；项目已完成主体建设");
        assert_eq!(c.check(), Ok(()));
        assert_eq!(
            c,
            ResultChoice::Change {
                treatment: "压减 20%".into(),
                reason: "项目已完成主体建设".into()
            }
        );
    }
}
