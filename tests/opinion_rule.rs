//! 逐条回应: approving a self-evaluation with findings needs an opinion that
//! answers them, on every path — one decision, a batch (which approves the
//! rest and reports the refused) and `jixiao approve`. Other stages are not
//! held to it.

mod common;

use common::*;
use jixiao::domain::states::ReviewAction;
use jixiao::domain::*;
use jixiao::store::{AuditFilter, Store, StoreError};
use rust_decimal::dec;
use std::process::Command;

const APPROVE: ReviewAction = ReviewAction::Approve {
    override_blocking: false,
};

fn warning(stage: Stage, code: &str, message: &str) -> Finding {
    Finding {
        rule: "S-OCT".into(),
        severity: Severity::Warning,
        stage,
        unit_code: "101".into(),
        project_code: Some(code.into()),
        indicator: None,
        message: message.into(),
    }
}

fn id_of(store: &Store, stage: Stage, code: &str) -> i64 {
    store
        .queue_page(stage, None, 100)
        .unwrap()
        .into_iter()
        .find(|r| r.project_code.as_deref() == Some(code))
        .unwrap()
        .review_id
}

fn version(store: &Store, id: i64) -> i64 {
    store.review(id).unwrap().unwrap().version
}

#[test]
fn one_decision_is_refused_until_the_opinion_answers() {
    let (_d, mut store) = loaded_store();
    let rules = jixiao::config::Config::defaults().rules.review;
    let id = id_of(&store, Stage::SelfEval, "P-101-01");
    let message = "全年执行数低于 10 月监控执行数";
    store
        .replace_findings(id, &[warning(Stage::SelfEval, "P-101-01", message)])
        .unwrap();
    for opinion in ["", "数据确认", "同意。数据确认！"] {
        let err = store
            .decide(id, version(&store, id), APPROVE, opinion, "li", &rules)
            .unwrap_err();
        let StoreError::Decision { source, .. } = &err else {
            panic!("{err:?}")
        };
        assert!(matches!(
            source,
            jixiao::domain::states::DecisionError::OpinionUnanswered(_)
        ));
        let text = err.to_string();
        assert!(
            text.contains("区第一中学「P-101-01 项目」") && text.contains(message),
            "{text}"
        );
    }
    // A bare minimum length (callers without the phrase list) still refuses 套话 by its length.
    assert!(
        store
            .decide(id, version(&store, id), APPROVE, "数据确认", "li", 10)
            .is_err()
    );
    let decided = store
        .decide(
            id,
            version(&store, id),
            APPROVE,
            "经核实，10 月监控执行数含预拨款 20 万元，全年执行数口径正确，同意",
            "li",
            &rules,
        )
        .unwrap();
    assert_eq!(decided.state, ReviewState::Approved);
}

#[test]
fn other_stages_and_clean_items_are_not_held_to_it() {
    let (_d, mut store) = loaded_store();
    let rules = jixiao::config::Config::defaults().rules.review;
    let target = id_of(&store, Stage::Target, "P-202-01");
    store
        .replace_findings(target, &[warning(Stage::Target, "P-202-01", "年度绩效目标过于简略")])
        .unwrap();
    store
        .decide(target, version(&store, target), APPROVE, "", "li", &rules)
        .unwrap();
    let clean = id_of(&store, Stage::SelfEval, "101");
    store.replace_findings(clean, &[]).unwrap();
    store
        .decide(clean, version(&store, clean), APPROVE, "", "li", &rules)
        .unwrap();
}

#[test]
fn a_batch_approves_the_rest_in_one_transaction_and_names_the_refused() {
    let (_d, mut store) = loaded_store();
    let rules = jixiao::config::Config::defaults().rules.review;
    let school = id_of(&store, Stage::SelfEval, "P-101-01");
    let unit = id_of(&store, Stage::SelfEval, "101");
    store
        .replace_findings(
            school,
            &[warning(Stage::SelfEval, "P-101-01", "全年执行数低于 10 月监控执行数")],
        )
        .unwrap();
    store.replace_findings(unit, &[]).unwrap();
    let items = [(unit, version(&store, unit)), (school, version(&store, school))];
    let outcome = store.decide_batch(&items, APPROVE, "", "li", &rules).unwrap();
    assert_eq!(outcome.decided.iter().map(|r| r.id).collect::<Vec<_>>(), [unit]);
    assert_eq!(outcome.refused.len(), 1);
    assert_eq!(outcome.refused[0].0, school);
    assert!(outcome.refused[0].1.contains("P-101-01 项目"), "{:?}", outcome.refused);
    assert_eq!(store.review(school).unwrap().unwrap().state, ReviewState::Pending);
    let refused = store
        .audit_entries(&AuditFilter {
            target: Some(format!("review:{school}")),
            ..AuditFilter::default()
        })
        .unwrap();
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].outcome, "refused");
    assert!(store.verify_audit().unwrap().is_intact());
    // Any other refusal still leaves the whole batch unchanged.
    let stale = [(unit, 1), (school, version(&store, school))];
    assert!(matches!(
        store.decide_batch(&stale, ReviewAction::Return, "请补充说明执行差异的原因", "li", &rules),
        Err(StoreError::Conflict { .. })
    ));
    assert_eq!(store.review(school).unwrap().unwrap().state, ReviewState::Pending);
}

/// Two clean projects with complete self-evaluations: C0000 graded as its
/// score says, C0001 graded 良 at 95 points (自评等级不符, a warning).
fn self_evaluated() -> Dataset {
    let mut ds = with_clean_projects(2);
    for (code, grade) in [("C0000", Grade::Excellent), ("C0001", Grade::Good)] {
        ds.self_evals.push(SelfEval {
            project_code: code.into(),
            executed: dec!(500000),
            self_score: dec!(95),
            self_grade: Some(grade),
            report: "项目自评报告：各项指标均已完成".into(),
            problems: "无".into(),
            measures: "继续加强管理".into(),
        });
        for (name, value) in [
            ("维修校舍数量", "12"),
            ("工程验收合格率", "100"),
            ("按期完工率", "100"),
            ("维修单价", "40000"),
            ("受益学生人数", "3000"),
            ("师生满意度", "90"),
        ] {
            ds.actuals.push(IndicatorActual {
                project_code: code.into(),
                indicator_name: name.into(),
                actual_value: value.into(),
                tier: None,
                deviation_reason: String::new(),
            });
        }
    }
    ds
}

#[test]
fn jixiao_approve_lists_the_refused_and_approves_the_rest() {
    let (dir, path) = temp_db();
    let mut store = open_staffed(&path);
    store.load_dataset(&self_evaluated(), "importer").unwrap();
    let me = jixiao::identity::os_user();
    store.add_reviewer(&person(&me, Role::Admin, &[]), "importer").unwrap();
    let (clean, flagged) = (
        id_of(&store, Stage::SelfEval, "C0000"),
        id_of(&store, Stage::SelfEval, "C0001"),
    );
    drop(store);
    let out = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .arg("--db")
        .arg(&path)
        .env("JIXIAO_CONFIG_DIR", dir.path())
        .env_remove("JIXIAO_DB")
        .args(["approve", "--stage", "self-eval", "--yes"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let store = Store::open(&path).unwrap();
    let found = store.findings_for(flagged).unwrap();
    assert!(
        !found.is_empty() && found.iter().all(|f| f.severity != Severity::Blocking),
        "C0001 has warnings only: {found:?}"
    );
    assert!(store.findings_for(clean).unwrap().is_empty(), "C0000 is clean");
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("1 项未通过") && stdout.contains("C0001 项目"),
        "{stdout}"
    );
    assert_eq!(store.review(clean).unwrap().unwrap().state, ReviewState::Approved);
    assert_eq!(store.review(flagged).unwrap().unwrap().state, ReviewState::Pending);
}
