//! One workflow, whatever the door: the same items approved by `jixiao
//! approve` (the built binary) and by the queue's `a` in the TUI leave the
//! same findings (the review-quality finding on an empty opinion included)
//! and the same audit rows. Before the workflow moved into the store, the
//! TUI recomputed R-OPINION after a decision and `jixiao approve` did not.

mod common;

use chrono::Local;
use common::{open_staffed, person, with_clean_projects};
use jixiao::config::Config;
use jixiao::domain::{Role, Stage};
use jixiao::store::{AuditFilter, Store};
use jixiao::tui::app::App;
use jixiao::tui::{handle_event, layout};
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use std::path::Path;
use std::process::{Command, Stdio};

/// The sample year with three projects that only warn, findings computed today, the OS user running the tests an admin.
fn fixture(path: &Path) -> String {
    let me = jixiao::identity::os_user();
    let mut store = open_staffed(path);
    store.add_reviewer(&person(&me, Role::Admin, &[]), "importer").unwrap();
    store.load_dataset(&with_clean_projects(3), "importer").unwrap();
    store
        .refresh_findings(&Config::defaults().rules, Local::now().date_naive())
        .unwrap();
    me
}

/// The target-audit items `jixiao approve` takes: pending, no blocking finding.
fn approvable(path: &Path) -> Vec<(i64, usize)> {
    let store = Store::open(path).unwrap();
    store
        .queue_page(Stage::Target, None, 100)
        .unwrap()
        .into_iter()
        .filter(|r| r.blocking == 0)
        .map(|r| (r.review_id, (r.warning + r.info) as usize))
        .collect()
}

/// Findings (rule, severity, message) and audit rows (actor, event, target,
/// outcome, before, after) of these items, time and chain left out.
type Trail = Vec<(Vec<(String, String, String)>, Vec<[String; 6]>)>;

fn trail(path: &Path, ids: &[i64]) -> Trail {
    let store = Store::open(path).unwrap();
    ids.iter()
        .map(|id| {
            let findings = store
                .findings_for(*id)
                .unwrap()
                .into_iter()
                .map(|f| (f.rule.to_string(), f.severity.code().to_string(), f.message))
                .collect();
            let audit = store
                .audit_entries(&AuditFilter {
                    target: Some(format!("review:{id}")),
                    ..AuditFilter::default()
                })
                .unwrap()
                .into_iter()
                .map(|e| {
                    [
                        e.actor,
                        e.event,
                        e.target,
                        e.outcome,
                        e.before.unwrap_or_default(),
                        e.after.unwrap_or_default(),
                    ]
                })
                .collect();
            (findings, audit)
        })
        .collect()
}

#[test]
fn jixiao_approve_and_the_queue_key_leave_the_same_findings_and_audit_rows() {
    let dir = tempfile::tempdir().unwrap();
    let by_cli = dir.path().join("cli.db");
    let me = fixture(&by_cli);
    let by_tui = dir.path().join("tui.db");
    std::fs::copy(&by_cli, &by_tui).unwrap();
    let items = approvable(&by_cli);
    assert!(
        !items.is_empty(),
        "the sample has target items without blocking findings"
    );
    assert!(
        items.iter().any(|(_, n)| *n > 0),
        "one of them has findings, so an empty opinion is itself a finding: {items:?}"
    );
    let ids: Vec<i64> = items.iter().map(|(id, _)| *id).collect();
    assert_eq!(trail(&by_cli, &ids), trail(&by_tui, &ids), "the copies start equal");

    // The command line.
    let out = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(["approve", "--stage", "target", "--yes", "--db"])
        .arg(&by_cli)
        .env("JIXIAO_CONFIG_DIR", dir.path().join("no-config"))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    // The queue: `a` on each item, in queue order.
    let mut app = App::new(
        Store::open(&by_tui).unwrap(),
        Config::defaults(),
        me,
        "管理员".into(),
        layout::visible_rows(80, 24),
    )
    .unwrap();
    for id in &ids {
        let at = app.queue().unwrap().ids.iter().position(|x| x == id).unwrap();
        while app.queue().unwrap().selected != at {
            let key = if app.queue().unwrap().selected < at { 'j' } else { 'k' };
            handle_event(
                &mut app,
                &Event::Key(KeyEvent::new(KeyCode::Char(key), KeyModifiers::NONE)),
            )
            .unwrap();
        }
        handle_event(
            &mut app,
            &Event::Key(KeyEvent::new(KeyCode::Char('a'), KeyModifiers::NONE)),
        )
        .unwrap();
        assert!(
            app.ses.message.as_deref().unwrap_or("").contains("通过"),
            "{:?}",
            app.ses.message
        );
    }
    drop(app);

    let cli = trail(&by_cli, &ids);
    let tui = trail(&by_tui, &ids);
    assert_eq!(cli, tui);
    // Not trivially equal: every item has its decision row, and an item with
    // findings approved with no opinion carries R-OPINION in both files.
    assert!(
        cli.iter()
            .all(|(_, audit)| audit.iter().any(|a| a[1] == "decision" && a[3] == "ok"))
    );
    let with_findings = items.iter().find(|(_, n)| *n > 0).unwrap().0;
    let at = ids.iter().position(|id| *id == with_findings).unwrap();
    assert!(
        cli[at]
            .0
            .iter()
            .any(|(rule, _, message)| rule == "R-OPINION" && message.contains("审核意见为空")),
        "{:?}",
        cli[at].0
    );
}

/// Every write of the workflow, not only a decision, keeps the findings that
/// depend on it: a return with a thin opinion gets R-OPINION, a real opinion
/// saved clears it, the undo of that save brings it back; a key-evaluation
/// document ticked drops its K-DOC, the undo restores it.
#[test]
fn opinions_documents_and_undo_refresh_their_findings_in_the_store() {
    use jixiao::domain::key_eval_docs::KeyEvalDoc;
    use jixiao::domain::states::ReviewAction;
    use jixiao::store::{UndoEntry, UndoStep};
    let (_dir, path) = common::temp_db();
    let mut store = open_staffed(&path);
    store.load_dataset(&common::sample(), "importer").unwrap();
    let config = Config::defaults();
    let today = chrono::NaiveDate::from_ymd_opt(2023, 11, 15).unwrap();
    store.refresh_findings(&config.rules, today).unwrap();
    let rules = &config.rules.review;
    let rules_of = |store: &Store, id: i64| -> Vec<String> {
        store
            .findings_for(id)
            .unwrap()
            .into_iter()
            .map(|f| f.rule.to_string())
            .collect()
    };

    let id = store
        .queue_page(Stage::Target, None, 100)
        .unwrap()
        .into_iter()
        .find(|r| r.blocking + r.warning + r.info > 0)
        .unwrap()
        .review_id;
    assert!(!rules_of(&store, id).contains(&"R-OPINION".to_string()));
    let v = store.review(id).unwrap().unwrap().version;
    let thin = "请补充，请补充，请补充，请补充。";
    let returned = store.decide(id, v, ReviewAction::Return, thin, "li", rules).unwrap();
    assert!(rules_of(&store, id).contains(&"R-OPINION".to_string()));
    let full = "经复核，产出指标缺少成本指标，工程验收合格率缺计量单位，请补充后重报。";
    let saved = store.save_opinion(id, returned.version, full, "li").unwrap();
    assert!(!rules_of(&store, id).contains(&"R-OPINION".to_string()));
    let undo = UndoEntry {
        what: "保存意见".into(),
        steps: vec![UndoStep::Review {
            before: returned,
            version_after: saved.version,
        }],
    };
    store.undo(&undo, "li").unwrap();
    assert!(rules_of(&store, id).contains(&"R-OPINION".to_string()));

    let ke = store
        .queue_page(Stage::KeyEval, None, 100)
        .unwrap()
        .into_iter()
        .find(|r| rules_of(&store, r.review_id).contains(&"K-DOC".to_string()))
        .expect("a key evaluation missing a document")
        .review_id;
    let doc_findings = |store: &Store| rules_of(store, ke).iter().filter(|r| *r == "K-DOC").count();
    let missing = doc_findings(&store);
    let v = store.review(ke).unwrap().unwrap().version;
    let docs = store.item_detail(ke).unwrap().unwrap().key_eval.unwrap().documents;
    let doc = KeyEvalDoc::ALL
        .into_iter()
        .find(|d| d.received(&docs).is_none())
        .unwrap();
    let ticked = store.set_key_eval_document(ke, v, doc, Some(today), "li").unwrap();
    assert_eq!(doc_findings(&store), missing - 1);
    let undo = UndoEntry {
        what: "登记收到".into(),
        steps: vec![UndoStep::Document {
            review_id: ke,
            doc,
            before: None,
            version_after: ticked.version,
        }],
    };
    store.undo(&undo, "li").unwrap();
    assert_eq!(doc_findings(&store), missing);
}
