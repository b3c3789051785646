//! The process documents of a key evaluation (不漏项): 现场评价底稿,
//! 现场评价回执 and 财政业务科室绩效报告反馈意见. An evaluation cannot be
//! closed while one of them is missing; the store applies this at the decision.

use super::model::KeyEvalDocuments;
use chrono::NaiveDate;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyEvalDoc {
    WorkingPapers,
    Receipt,
    Feedback,
}

impl KeyEvalDoc {
    pub const ALL: [KeyEvalDoc; 3] = [KeyEvalDoc::WorkingPapers, KeyEvalDoc::Receipt, KeyEvalDoc::Feedback];

    pub fn label(self) -> &'static str {
        match self {
            KeyEvalDoc::WorkingPapers => "现场评价底稿",
            KeyEvalDoc::Receipt => "现场评价回执",
            KeyEvalDoc::Feedback => "财政业务科室绩效报告反馈意见",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            KeyEvalDoc::WorkingPapers => "working_papers",
            KeyEvalDoc::Receipt => "receipt",
            KeyEvalDoc::Feedback => "feedback",
        }
    }

    pub fn received(self, d: &KeyEvalDocuments) -> Option<NaiveDate> {
        match self {
            KeyEvalDoc::WorkingPapers => d.working_papers,
            KeyEvalDoc::Receipt => d.receipt,
            KeyEvalDoc::Feedback => d.feedback,
        }
    }

    pub fn set(self, d: &mut KeyEvalDocuments, on: Option<NaiveDate>) {
        match self {
            KeyEvalDoc::WorkingPapers => d.working_papers = on,
            KeyEvalDoc::Receipt => d.receipt = on,
            KeyEvalDoc::Feedback => d.feedback = on,
        }
    }
}

/// `Err` naming every missing document when the evaluation may not be closed.
pub fn check_close(d: &KeyEvalDocuments) -> Result<(), String> {
    let missing = d.missing();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(missing.iter().map(|m| format!("《{m}》")).collect::<Vec<_>>().join(""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closing_needs_all_three() {
        let mut d = KeyEvalDocuments::default();
        assert_eq!(
            check_close(&d),
            Err("《现场评价底稿》《现场评价回执》《财政业务科室绩效报告反馈意见》".into())
        );
        for doc in KeyEvalDoc::ALL {
            doc.set(&mut d, NaiveDate::from_ymd_opt(2023, 6, 1));
        }
        assert_eq!(check_close(&d), Ok(()));
        KeyEvalDoc::Receipt.set(&mut d, None);
        assert_eq!(check_close(&d), Err("《现场评价回执》".into()));
    }
}
