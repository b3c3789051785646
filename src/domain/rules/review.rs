//! Review quality: on an item with findings, a decision needs a substantive
//! opinion — not empty, not too short, not only boilerplate such as 数据确认
//! (the seed: 仅对相关数据进行确认，未提出审核意见).

use super::Sink;
use crate::domain::labels::ReviewState;
use crate::domain::model::{Finding, Review};
use crate::domain::params::RuleParams;

/// Findings on the reviewer's own opinion of a decided item (approved or
/// returned) that has findings; nothing otherwise. Length counts the
/// characters left after dropping punctuation and whitespace.
pub fn review_findings(review: &Review, item_findings: &[Finding], p: &RuleParams) -> Vec<Finding> {
    let mut sink = Sink::new(review.stage, &review.unit_code, review.project_code.as_deref());
    let decided = matches!(review.state, ReviewState::Approved | ReviewState::Returned);
    if !decided || item_findings.is_empty() {
        return sink.finish();
    }
    let r = &p.review;
    let context = format!("该事项有 {} 条问题且{}", item_findings.len(), review.state.label());
    let problem =
        opinion_fault(&review.opinion, r.min_opinion_chars, &r.boilerplate_phrases).map(|fault| match fault {
            OpinionFault::Empty => format!("{context}，审核意见为空"),
            OpinionFault::Boilerplate => format!(
                "{context}，审核意见「{}」仅为套话，未对项目整体情况提出审核意见",
                review.opinion.trim()
            ),
            OpinionFault::Short { count, min } => {
                format!(
                    "{context}，审核意见「{}」仅 {count} 字，少于 {min} 字",
                    review.opinion.trim()
                )
            }
        });
    if let Some(message) = problem {
        sink.push("R-OPINION", None, message);
    }
    sink.finish()
}

/// What is wrong with an opinion on an item that has findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpinionFault {
    Empty,
    /// Nothing but configured phrases such as 数据确认.
    Boilerplate,
    /// Fewer substantive characters than the configured minimum.
    Short {
        count: usize,
        min: usize,
    },
}

/// The fault of an opinion, if it has one. Length counts the characters left
/// after dropping punctuation and whitespace.
pub fn opinion_fault(opinion: &str, min_chars: usize, boilerplate: &[String]) -> Option<OpinionFault> {
    let words = substantive(opinion);
    let count = words.chars().count();
    if words.is_empty() {
        Some(OpinionFault::Empty)
    } else if only_boilerplate(&words, boilerplate) {
        Some(OpinionFault::Boilerplate)
    } else if count < min_chars {
        Some(OpinionFault::Short { count, min: min_chars })
    } else {
        None
    }
}

/// The opinion without punctuation and whitespace (CJK characters are kept).
fn substantive(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Whether the text is nothing but configured phrases, one after another
/// (`同意。数据无误。` is two phrases and still no opinion).
fn only_boilerplate(words: &str, boilerplate: &[String]) -> bool {
    let phrases: Vec<String> = boilerplate
        .iter()
        .map(|p| substantive(p))
        .filter(|p| !p.is_empty())
        .collect();
    let chars: Vec<char> = words.chars().collect();
    // covered[i]: the first i characters split into whole phrases.
    let mut covered = vec![false; chars.len() + 1];
    covered[0] = true;
    for i in 0..chars.len() {
        if !covered[i] {
            continue;
        }
        for phrase in &phrases {
            let len = phrase.chars().count();
            if i + len <= chars.len() && chars[i..i + len].iter().copied().eq(phrase.chars()) {
                covered[i + len] = true;
            }
        }
    }
    covered[chars.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phrases() -> Vec<String> {
        vec!["数据确认".into(), "同意".into(), "经审核数据属实".into()]
    }

    #[test]
    fn boilerplate_after_stripping_punctuation() {
        let r = phrases();
        assert!(only_boilerplate(&substantive("数据确认。"), &r));
        assert!(only_boilerplate(&substantive("经审核，数据属实"), &r));
        assert!(only_boilerplate(&substantive("同意。数据确认！"), &r));
        assert!(!only_boilerplate(&substantive("同意，但培训人数未达标"), &r));
    }

    #[test]
    fn faults_in_order_empty_boilerplate_short() {
        let r = phrases();
        assert_eq!(opinion_fault(" 。", 15, &r), Some(OpinionFault::Empty));
        assert_eq!(opinion_fault("数据确认。", 15, &r), Some(OpinionFault::Boilerplate));
        assert_eq!(
            opinion_fault("得分偏高", 15, &r),
            Some(OpinionFault::Short { count: 4, min: 15 })
        );
        assert_eq!(
            opinion_fault("经复核，工程验收合格率缺实际值，已核减自评得分", 15, &r),
            None
        );
    }
}
