//! Key evaluations (重点绩效评价) by third-party firms: every process document
//! present (不漏项), a score, and a grade that matches the score's band.

use super::{Sink, figure, points};
use crate::domain::labels::Stage;
use crate::domain::model::{Finding, KeyEval};
use crate::domain::params::RuleParams;

/// Findings of one key evaluation when only the evaluation is at hand: the
/// object code stands in for the unit (`unit_code`) and `project_code` is None.
/// Callers that know the owning unit use [`key_eval_findings_in`].
pub fn key_eval_findings(ke: &KeyEval, p: &RuleParams) -> Vec<Finding> {
    key_eval_findings_in(ke, &ke.object_code, p)
}

/// Findings of one key evaluation of an object owned by `unit_code`. The
/// object is a project unless its code is the unit's own (部门整体评价).
pub fn key_eval_findings_in(ke: &KeyEval, unit_code: &str, p: &RuleParams) -> Vec<Finding> {
    let project_code = (ke.object_code != unit_code).then_some(ke.object_code.as_str());
    let mut sink = Sink::new(Stage::KeyEval, unit_code, project_code);
    for doc in ke.documents.missing() {
        sink.push(
            "K-DOC",
            None,
            format!("重点评价「{}」（{}）缺少过程文件《{doc}》", ke.object_code, ke.firm),
        );
    }
    match ke.score {
        None => sink.push(
            "K-SCORE",
            None,
            format!("重点评价「{}」（{}）尚无评价得分", ke.object_code, ke.firm),
        ),
        Some(score) => {
            let due = p.grades.grade(score);
            if let Some(grade) = ke.grade
                && grade != due
            {
                sink.push(
                    "K-GRADE",
                    None,
                    format!(
                        "重点评价「{}」评价等级「{}」与评价得分 {} 不符，按分数应为「{}」（优 ≥ {}，良 ≥ {}，中 ≥ {}）",
                        ke.object_code,
                        grade.label(),
                        points(score),
                        due.label(),
                        figure(p.grades.excellent),
                        figure(p.grades.good),
                        figure(p.grades.fair)
                    ),
                );
            }
        }
    }
    sink.finish()
}
