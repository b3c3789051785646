//! Carrying over last year's rectification ledger: the item arrives in its
//! recorded state, is audited as `carry_over`, and a sign-off without evidence
//! is what the rules then report.

mod common;

use chrono::NaiveDate;
use jixiao::domain::rules::rectification_findings;
use jixiao::domain::states::RectAction;
use jixiao::domain::{RectState, Stage};
use jixiao::store::{AuditFilter, NewRectification, StoreError};

fn ledger_item(unit: &str) -> NewRectification {
    NewRectification {
        source_stage: Stage::SelfEval,
        source_review: None,
        unit_code: unit.into(),
        project_code: None,
        problem: "2022年度：自评报告未附佐证材料".into(),
        required_measure: "补充佐证材料".into(),
        deadline: NaiveDate::from_ymd_opt(2023, 6, 30).unwrap(),
    }
}

#[test]
fn an_item_arrives_in_its_recorded_state_and_is_audited() {
    let (_dir, mut store) = common::loaded_store();
    let carried = store
        .carry_over_rectification(&ledger_item("101"), RectState::Verified, "", "zhoumin")
        .unwrap();
    assert_eq!(carried.state, RectState::Verified);
    assert_eq!(carried.evidence, "");
    assert_eq!(carried.verified_by, None, "the paper sign-off is not ours to claim");
    assert_eq!(store.rectification(carried.id).unwrap(), Some(carried.clone()));

    let entries = store
        .audit_entries(&AuditFilter {
            event: Some("carry_over".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].actor, "zhoumin");
    assert_eq!(entries[0].target, format!("rectification:{}", carried.id));
    assert!(store.verify_audit().unwrap().is_intact());

    let today = NaiveDate::from_ymd_opt(2024, 3, 1).unwrap();
    let rules: Vec<String> = rectification_findings(&carried, today)
        .into_iter()
        .map(|f| f.rule.to_string())
        .collect();
    assert_eq!(rules, ["X-EVIDENCE"], "verified, so not overdue; but no evidence");
}

#[test]
fn a_carried_item_in_progress_moves_on_like_any_other() {
    let (_dir, mut store) = common::loaded_store();
    // 陈静 reviews the 农业科 units, unit 202 among them.
    let chenjing = common::person("chenjing", jixiao::domain::Role::Reviewer, &["农业科"]);
    store.add_reviewer(&chenjing, "importer").unwrap();
    let carried = store
        .carry_over_rectification(&ledger_item("202"), RectState::InProgress, "", "zhoumin")
        .unwrap();
    let submitted = store
        .rect_action(
            carried.id,
            carried.version,
            &RectAction::Submit {
                evidence: "整改报告".into(),
            },
            "chenjing",
        )
        .unwrap();
    assert_eq!(submitted.state, RectState::Submitted);
}

#[test]
fn an_unknown_unit_is_refused_and_nothing_is_written() {
    let (_dir, mut store) = common::loaded_store();
    let err = store
        .carry_over_rectification(&ledger_item("999"), RectState::Open, "", "zhoumin")
        .unwrap_err();
    assert!(matches!(err, StoreError::Sqlite(_)), "a foreign-key refusal: {err:?}");
    assert!(store.rectifications(None).unwrap().is_empty());
    let entries = store
        .audit_entries(&AuditFilter {
            event: Some("carry_over".into()),
            ..Default::default()
        })
        .unwrap();
    assert!(entries.is_empty(), "one transaction: no audit without the item");
}
