//! Result application (结果应用): an evaluation grade suggests next year's
//! budget treatment (configurable in `[result_application]`); the reviewer
//! confirms the suggestion or changes it with a reason. A project has one
//! grade for this: its key evaluation's when it has one, else its
//! self-evaluation's as recomputed.

use super::labels::Grade;
use super::model::GradeBands;
use super::params::ResultApplicationParams;
use rust_decimal::Decimal;

/// Which evaluation a project's grade comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GradeSource {
    /// The unit's self-evaluation, as the reviewer recomputed it.
    SelfEval,
    /// The key evaluation (重点绩效评价) by an outside firm.
    KeyEval,
}

impl GradeSource {
    pub fn code(self) -> &'static str {
        match self {
            GradeSource::SelfEval => "self_eval",
            GradeSource::KeyEval => "key_eval",
        }
    }

    pub fn from_code(code: &str) -> Option<GradeSource> {
        match code {
            "self_eval" => Some(GradeSource::SelfEval),
            "key_eval" => Some(GradeSource::KeyEval),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            GradeSource::SelfEval => "自评",
            GradeSource::KeyEval => "重点评价",
        }
    }

    /// Two characters, for a table column.
    pub fn short_label(self) -> &'static str {
        match self {
            GradeSource::SelfEval => "自评",
            GradeSource::KeyEval => "重点",
        }
    }
}

/// The grade of a key evaluation: the firm's, else the band of its score.
pub fn key_eval_grade(grade: Option<Grade>, score: Option<Decimal>, bands: &GradeBands) -> Option<Grade> {
    grade.or_else(|| score.map(|s| bands.grade(s)))
}

/// The grade a project's treatment rests on. A key evaluation wins over the
/// self-evaluation: it is an independent evaluation, the stronger evidence.
pub fn grade_basis(key_eval: Option<Grade>, self_eval: Option<Grade>) -> Option<(Grade, GradeSource)> {
    key_eval
        .map(|g| (g, GradeSource::KeyEval))
        .or_else(|| self_eval.map(|g| (g, GradeSource::SelfEval)))
}

/// Where the reviewer's answer to a project's suggestion stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ResultStatus {
    /// No answer yet.
    Open,
    Confirmed,
    Changed,
    /// Answered for another grade: the evaluation changed since, so the
    /// answer no longer fits the suggestion shown.
    Outdated,
}

impl ResultStatus {
    /// From the recorded answer (its grade and whether it confirmed) and the grade now.
    pub fn of(answer: Option<(Grade, bool)>, grade_now: Grade) -> ResultStatus {
        match answer {
            None => ResultStatus::Open,
            Some((g, _)) if g != grade_now => ResultStatus::Outdated,
            Some((_, true)) => ResultStatus::Confirmed,
            Some((_, false)) => ResultStatus::Changed,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ResultStatus::Open => "待确认",
            ResultStatus::Confirmed => "已确认",
            ResultStatus::Changed => "已调整",
            ResultStatus::Outdated => "待复核",
        }
    }

    /// Whether the reviewer still owes an answer.
    pub fn is_open(self) -> bool {
        matches!(self, ResultStatus::Open | ResultStatus::Outdated)
    }
}

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

/// Reads "处理方式；理由" as a change: either semicolon, or — when there is
/// none — the first colon ("压减 20%：项目已完工" is what people type too).
pub fn parse_change(text: &str) -> ResultChoice {
    let (treatment, reason) = text
        .split_once(['；', ';'])
        .or_else(|| text.split_once(['：', ':']))
        .map_or((text, ""), |(t, r)| (t, r));
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
    fn a_key_evaluation_outranks_the_self_evaluation() {
        assert_eq!(
            grade_basis(Some(Grade::Fair), Some(Grade::Excellent)),
            Some((Grade::Fair, GradeSource::KeyEval))
        );
        assert_eq!(
            grade_basis(None, Some(Grade::Good)),
            Some((Grade::Good, GradeSource::SelfEval))
        );
        assert_eq!(grade_basis(None, None), None);
        for source in [GradeSource::SelfEval, GradeSource::KeyEval] {
            assert_eq!(GradeSource::from_code(source.code()), Some(source));
        }
    }

    #[test]
    fn an_answer_for_another_grade_is_outdated() {
        assert_eq!(ResultStatus::of(None, Grade::Fair), ResultStatus::Open);
        assert_eq!(
            ResultStatus::of(Some((Grade::Fair, true)), Grade::Fair),
            ResultStatus::Confirmed
        );
        assert_eq!(
            ResultStatus::of(Some((Grade::Fair, false)), Grade::Fair),
            ResultStatus::Changed
        );
        let outdated = ResultStatus::of(Some((Grade::Good, true)), Grade::Poor);
        assert_eq!(outdated, ResultStatus::Outdated);
        assert!(outdated.is_open() && !ResultStatus::Changed.is_open());
    }

    #[test]
    fn a_change_needs_treatment_and_reason() {
        assert_eq!(ResultChoice::Confirm.check(), Ok(()));
        assert!(parse_change("取消预算").check().is_err());
        assert_eq!(parse_change("取消预算：项目已完成").check(), Ok(()));
        assert_eq!(
            parse_change("压减：20%；已完工"),
            ResultChoice::Change {
                treatment: "压减：20%".into(),
                reason: "已完工".into()
            }
        );
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
