//! 逐条回应: approving a self-evaluation that has findings needs an opinion
//! that answers them — when written as one numbered paragraph per finding,
//! every paragraph's 审核意见： filled in — and that is not only 套话 such as
//! 数据确认. The store asks `approval_gap` on every approval (queue `a`, bulk
//! `A`, the workspace, `jixiao approve`), so no path can skip it.

use super::labels::Stage;
use super::model::Finding;
use super::params::ReviewParams;
use super::rules::{OpinionFault, opinion_fault};

/// The first line of the paragraphs the editor starts from.
pub const PARAGRAPH_HEAD: &str = "经审核，该项目自评存在以下问题：";
/// Opens the reviewer's answer under each finding.
pub const ANSWER_MARK: &str = "审核意见：";

/// Characters of a finding quoted in a refusal (the message line is one row).
const QUOTE_CHARS: usize = 24;

/// What an approval's opinion is held to: `[review]` of the config, or only a
/// minimum length (callers that have no phrase list, such as tools and tests).
#[derive(Debug, Clone, Copy)]
pub struct OpinionRules<'a> {
    pub min_chars: usize,
    pub boilerplate: &'a [String],
}

impl From<usize> for OpinionRules<'static> {
    fn from(min_chars: usize) -> Self {
        OpinionRules {
            min_chars,
            boilerplate: &[],
        }
    }
}

impl<'a> From<&'a ReviewParams> for OpinionRules<'a> {
    fn from(p: &'a ReviewParams) -> Self {
        OpinionRules {
            min_chars: p.min_opinion_chars,
            boilerplate: &p.boilerplate_phrases,
        }
    }
}

/// The findings an opinion must answer: all but those on the opinion itself (R-).
pub fn to_answer(findings: &[Finding]) -> Vec<&Finding> {
    findings.iter().filter(|f| !f.is_review_quality()).collect()
}

/// The editor's starting text: one numbered paragraph per finding, each with
/// an empty 审核意见： for the reviewer to fill in.
pub fn paragraphs(findings: &[Finding]) -> String {
    let relevant = to_answer(findings);
    if relevant.is_empty() {
        return String::new();
    }
    let mut text = format!("{PARAGRAPH_HEAD}\n");
    for (i, f) in relevant.iter().enumerate() {
        text.push_str(&format!(
            "{}. {}\n{ANSWER_MARK}\n",
            i + 1,
            super::text::sanitize(&f.message)
        ));
    }
    text.trim_end().to_string()
}

/// A paragraph whose 审核意见： was left empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unanswered {
    /// 1-based, in the order of the answers.
    pub number: usize,
    /// The finding the paragraph quotes (its numbered line), if any.
    pub finding: String,
}

/// The paragraphs whose 审核意见： is empty, in order.
pub fn unanswered(opinion: &str) -> Vec<Unanswered> {
    let mut out = Vec::new();
    let mut n = 0;
    let mut quoted = String::new();
    for line in opinion.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix(ANSWER_MARK) {
            n += 1;
            if rest.trim().is_empty() {
                out.push(Unanswered {
                    number: n,
                    finding: std::mem::take(&mut quoted),
                });
            }
            quoted.clear();
        } else if let Some((num, text)) = line.split_once(". ")
            && !num.is_empty()
            && num.chars().all(|c| c.is_ascii_digit())
        {
            quoted = text.trim().to_string();
        }
    }
    out
}

/// The line (0-based) of the first paragraph whose 审核意见： is still empty:
/// where the reviewer's next words go.
pub fn first_unanswered_line(opinion: &str) -> Option<usize> {
    opinion.lines().position(|line| {
        line.trim()
            .strip_prefix(ANSWER_MARK)
            .is_some_and(|rest| rest.trim().is_empty())
    })
}

/// Why an opinion cannot carry an approval.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpinionGap {
    /// A paragraph was left without its answer.
    Unanswered { number: usize, finding: String },
    /// The opinion as a whole answers nothing (empty, 套话, too short).
    NotAnswered {
        fault: OpinionFault,
        opinion: String,
        finding: String,
    },
}

/// Why `opinion` cannot approve an item of `stage` with `findings`; `None`
/// when it can. Only self-evaluations are held to it: that is where the
/// seed found opinions that merely confirmed the data (仅对相关数据进行确认).
pub fn approval_gap(stage: Stage, opinion: &str, findings: &[Finding], rules: OpinionRules<'_>) -> Option<OpinionGap> {
    if stage != Stage::SelfEval {
        return None;
    }
    let first = to_answer(findings).first()?.message.clone();
    if let Some(u) = unanswered(opinion).into_iter().next() {
        let finding = if u.finding.is_empty() { first } else { u.finding };
        return Some(OpinionGap::Unanswered {
            number: u.number,
            finding,
        });
    }
    opinion_fault(opinion, rules.min_chars, rules.boilerplate).map(|fault| OpinionGap::NotAnswered {
        fault,
        opinion: opinion.trim().to_string(),
        finding: first,
    })
}

/// A finding or opinion quoted in a refusal, shortened with the one cut mark
/// (`…` is two cells on CJK terminals and would shift the line).
fn quote(text: &str) -> String {
    let text = super::text::sanitize(text.trim());
    if text.chars().count() <= QUOTE_CHARS {
        text
    } else {
        let head: String = text.chars().take(QUOTE_CHARS).collect();
        format!("{head}{}", super::text::CUT_MARK)
    }
}

impl std::fmt::Display for OpinionGap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OpinionGap::Unanswered { number, finding } => write!(
                f,
                "第 {number} 条问题「{}」后的「{ANSWER_MARK}」尚未填写，审核意见须逐条回应问题",
                quote(finding)
            ),
            OpinionGap::NotAnswered {
                fault,
                opinion,
                finding,
            } => {
                let why = match fault {
                    OpinionFault::Empty => "审核意见为空".to_string(),
                    OpinionFault::Boilerplate => format!("审核意见「{}」仅为套话", quote(opinion)),
                    OpinionFault::Short { count, min } => format!("审核意见仅 {count} 字（至少 {min} 字）"),
                };
                write!(f, "{why}，未回应问题「{}」，须逐条写出审核意见", quote(finding))
            }
        }
    }
}

/// The refusal as the reviewer reads it, naming the unit and the project.
pub fn refusal_text(unit_name: &str, project_name: &str, gap: &OpinionGap) -> String {
    format!("{unit_name}「{project_name}」：{gap}，不能通过")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::labels::Severity;

    fn finding(rule: &str, message: &str) -> Finding {
        Finding {
            rule: rule.into(),
            severity: Severity::Warning,
            stage: Stage::SelfEval,
            unit_code: "101".into(),
            project_code: Some("P1".into()),
            indicator: None,
            message: message.into(),
        }
    }

    fn phrases() -> Vec<String> {
        vec!["数据确认".into(), "同意".into()]
    }

    #[test]
    fn the_first_empty_answer_is_found_by_line() {
        let text = "经审核：\n1. 自评得分偏高\n审核意见：已核减 8 分\n2. 缺少实际值\n审核意见：\n3. 无报告\n审核意见：";
        assert_eq!(first_unanswered_line(text), Some(4));
        assert_eq!(first_unanswered_line("1. a\n审核意见：好"), None);
    }

    #[test]
    fn paragraphs_left_empty_are_found_with_their_finding() {
        let text = "经审核：\n1. 自评得分偏高\n审核意见：已核减 8 分\n2. 缺少实际值\n审核意见：\n";
        assert_eq!(
            unanswered(text),
            vec![Unanswered {
                number: 2,
                finding: "缺少实际值".into()
            }]
        );
        assert!(unanswered("数据确认").is_empty());
    }

    #[test]
    fn the_editor_text_round_trips_as_all_unanswered() {
        let found = [finding("S-SCORE", "自评得分偏高"), finding("R-OPINION", "意见为套话")];
        let text = paragraphs(&found);
        assert!(text.starts_with(PARAGRAPH_HEAD));
        assert!(!text.contains("意见为套话"), "R- findings are about the opinion itself");
        assert_eq!(unanswered(&text).len(), 1);
    }

    #[test]
    fn a_self_evaluation_with_findings_needs_an_answer_to_each() {
        let found = [finding("S-OCT", "全年执行数低于 10 月监控执行数")];
        let phrases = phrases();
        let rules = OpinionRules {
            min_chars: 15,
            boilerplate: &phrases,
        };
        let gap = approval_gap(Stage::SelfEval, "数据确认", &found, rules).unwrap();
        let text = refusal_text("区第一中学", "校舍维修", &gap);
        assert!(
            text.contains("区第一中学「校舍维修」") && text.contains("套话"),
            "{text}"
        );
        assert!(text.contains("全年执行数低于"), "{text}");
        let unanswered = format!("{PARAGRAPH_HEAD}\n1. 全年执行数低于 10 月监控执行数\n{ANSWER_MARK}");
        assert!(matches!(
            approval_gap(Stage::SelfEval, &unanswered, &found, rules),
            Some(OpinionGap::Unanswered { number: 1, .. })
        ));
        let answered = format!("{unanswered}经核实系 12 月退回结余资金所致，执行数口径已更正");
        assert_eq!(approval_gap(Stage::SelfEval, &answered, &found, rules), None);
        // Other stages, and items without findings, are not held to it.
        assert_eq!(approval_gap(Stage::Target, "", &found, rules), None);
        assert_eq!(approval_gap(Stage::SelfEval, "", &[], rules), None);
        let only_quality = [finding("R-OPINION", "意见为套话")];
        assert_eq!(approval_gap(Stage::SelfEval, "", &only_quality, rules), None);
    }
}
