//! Who may do what: reviewers act on their own sections' items, admins on all,
//! auditors and unknown OS users on none — enforced by the store for every
//! write path, refusals worded in Chinese and audited; user management by
//! admins only, with separation of duties; the TUI's read-only session.

mod common;

use common::*;
use jixiao::config::Config;
use jixiao::domain::states::{RectAction, ReviewAction};
use jixiao::domain::*;
use jixiao::store::{AuditFilter, NewRectification, QueueFilter, Store, StoreError, UndoEntry, UndoStep};
use jixiao::tui::app::App;
use jixiao::tui::handle_event;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use std::process::Command;

const APPROVE: ReviewAction = ReviewAction::Approve {
    override_blocking: false,
};

/// The sample with 李四 on 教科文科 (unit 101), 王五 on 农业科 (unit 202) and 黄 the auditor.
fn sectioned() -> (tempfile::TempDir, Store) {
    let (dir, mut store) = loaded_store();
    for (login, role, sections) in [
        ("lisi", Role::Reviewer, vec!["教科文科"]),
        ("wangwu", Role::Reviewer, vec!["农业科"]),
        ("huang", Role::Auditor, vec![]),
    ] {
        store.add_reviewer(&person(login, role, &sections), "importer").unwrap();
    }
    (dir, store)
}

fn target_of(store: &Store, project: &str) -> Review {
    let ids = store.queue_ids(&QueueFilter::stage(Stage::Target)).unwrap();
    ids.into_iter()
        .map(|id| store.review(id).unwrap().unwrap())
        .find(|r| store.queue_rows_by_ids(&[r.id]).unwrap()[0].project_code.as_deref() == Some(project))
        .unwrap()
}

fn refusals_of(store: &Store, actor: &str) -> Vec<String> {
    store
        .audit_entries(&AuditFilter {
            actor: Some(actor.into()),
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .filter(|e| e.outcome == "refused")
        .map(|e| format!("{} {}", e.event, e.after.unwrap_or_default()))
        .collect()
}

fn forbidden_reason(e: StoreError) -> String {
    match e {
        StoreError::Forbidden { reason, .. } => reason,
        other => panic!("expected Forbidden, got {other:?}"),
    }
}

#[test]
fn a_reviewer_is_refused_another_sections_item_and_told_why() {
    let (_d, mut store) = sectioned();
    let farm = target_of(&store, "P-202-01");
    let err = store
        .decide(farm.id, farm.version, APPROVE, "", "lisi", 10)
        .unwrap_err();
    let reason = forbidden_reason(err);
    assert_eq!(
        reason,
        "区农业农村局（202）「P-202-01 项目」属农业科，lisi（审核员，教科文科）无权处理（审核决定）"
    );
    let unchanged = store.review(farm.id).unwrap().unwrap();
    assert_eq!(
        (unchanged.state, unchanged.version),
        (ReviewState::Pending, farm.version)
    );
    let refused = refusals_of(&store, "lisi");
    assert_eq!(refused.len(), 1);
    assert!(
        refused[0].starts_with("decision ") && refused[0].contains("属农业科，lisi"),
        "{refused:?}"
    );

    // Their own section's item goes through; so does the other one for its own reviewer.
    let school = target_of(&store, "P-101-01");
    store
        .decide(school.id, school.version, APPROVE, "", "lisi", 10)
        .unwrap_or_else(|e| {
            // P-101-01 may carry blocking findings in other fixtures; this one has none.
            panic!("{e}")
        });
    store.decide(farm.id, farm.version, APPROVE, "", "wangwu", 10).unwrap();
}

#[test]
fn every_item_write_path_checks_the_section() {
    let (_d, mut store) = sectioned();
    let farm = target_of(&store, "P-202-01");
    let err = store.save_opinion(farm.id, farm.version, "意见", "lisi").unwrap_err();
    assert!(forbidden_reason(err).contains("保存审核意见"));

    // Undo of someone else's decision on a section not one's own.
    let decided = store.decide(farm.id, farm.version, APPROVE, "", "wangwu", 10).unwrap();
    let undo = UndoEntry {
        what: "通过".into(),
        steps: vec![UndoStep::Review {
            before: farm.clone(),
            version_after: decided.version,
        }],
    };
    assert!(forbidden_reason(store.undo(&undo, "lisi").unwrap_err()).contains("撤销"));
    assert_eq!(store.review(farm.id).unwrap().unwrap().state, ReviewState::Approved);

    let new = NewRectification {
        source_stage: Stage::Target,
        source_review: Some(farm.id),
        unit_code: "202".into(),
        project_code: Some("P-202-01".into()),
        problem: "指标未量化".into(),
        required_measure: "细化指标".into(),
        deadline: chrono::NaiveDate::from_ymd_opt(2023, 12, 31).unwrap(),
    };
    assert!(forbidden_reason(store.create_rectification(&new, "lisi").unwrap_err()).contains("新建整改事项"));
    let rect = store.create_rectification(&new, "wangwu").unwrap();
    let err = store
        .rect_action(rect.id, rect.version, &RectAction::Start, "lisi")
        .unwrap_err();
    assert!(forbidden_reason(err).contains("属农业科，lisi"));
    assert!(store.rectifications(Some("202")).unwrap()[0].state == RectState::Open);
    // Four refusals, each audited.
    assert_eq!(refusals_of(&store, "lisi").len(), 4);
}

#[test]
fn a_batch_with_one_forbidden_item_is_refused_whole_and_names_it() {
    let (_d, mut store) = sectioned();
    let school = target_of(&store, "101");
    let farm = target_of(&store, "P-202-01");
    let items = [(school.id, school.version), (farm.id, farm.version)];
    let err = store.decide_batch(&items, APPROVE, "", "lisi", 10).unwrap_err();
    let reason = forbidden_reason(err);
    assert!(reason.contains("区农业农村局（202）「P-202-01 项目」"), "{reason}");
    assert_eq!(store.review(school.id).unwrap().unwrap().state, ReviewState::Pending);
    assert_eq!(refusals_of(&store, "lisi").len(), 1);
}

#[test]
fn auditors_and_unknown_users_change_nothing_but_registered_users_keep_drafts() {
    let (_d, mut store) = sectioned();
    let school = target_of(&store, "101");
    let err = store
        .decide(school.id, school.version, APPROVE, "", "huang", 10)
        .unwrap_err();
    assert!(forbidden_reason(err).contains("huang（审计员）只能查看和审计"));
    let err = store
        .decide(school.id, school.version, APPROVE, "", "mallory", 10)
        .unwrap_err();
    assert!(forbidden_reason(err).contains("mallory 未登记为审核人员"));
    let err = store.load_dataset(&sample(), "huang").unwrap_err();
    assert!(forbidden_reason(err).contains("不能导入数据：须为管理员或审核员"));
    assert!(store.load_dataset(&sample(), "mallory").is_err());
    let ledger = NewRectification {
        source_stage: Stage::SelfEval,
        source_review: None,
        unit_code: "101".into(),
        project_code: None,
        problem: "2022年度：未附佐证".into(),
        required_measure: "补充".into(),
        deadline: chrono::NaiveDate::from_ymd_opt(2023, 6, 30).unwrap(),
    };
    assert!(
        store
            .carry_over_rectification(&ledger, RectState::Open, "", "huang")
            .is_err()
    );
    store
        .carry_over_rectification(&ledger, RectState::Open, "", "lisi")
        .unwrap();

    store.save_draft("huang", school.id, "审计笔记").unwrap();
    assert!(store.save_draft("mallory", school.id, "x").is_err());
    assert!(store.drafts_for("mallory").unwrap().is_empty());

    assert!(store.read_only_reason("huang").unwrap().is_some());
    assert!(store.read_only_reason("mallory").unwrap().is_some());
    assert!(store.read_only_reason("lisi").unwrap().is_none());
    // An admin acts on any section.
    store
        .decide(school.id, school.version, APPROVE, "", "zhoumin", 10)
        .unwrap();
    assert_eq!(refusals_of(&store, "huang").len(), 3);
}

#[test]
fn only_admins_manage_users_with_duties_separated() {
    let (_d, mut store) = sectioned();
    let newcomer = person("zhaoliu", Role::Reviewer, &["教科文科"]);
    let err = store.add_reviewer(&newcomer, "lisi").unwrap_err();
    assert_eq!(
        forbidden_reason(err),
        "lisi（审核员，教科文科）无权管理用户：只有管理员可以"
    );
    assert!(store.reviewer("zhaoliu").unwrap().is_none());
    store.add_reviewer(&newcomer, "zhoumin").unwrap();
    let moved = store
        .set_reviewer_sections("zhaoliu", &["农业科".to_string()], "zhoumin")
        .unwrap();
    assert_eq!(moved.sections, vec!["农业科".to_string()]);
    assert!(store.set_reviewer_sections("nobody", &[], "zhoumin").is_err());

    let err = store.set_reviewer_role("huang", Role::Admin, "zhoumin").unwrap_err();
    assert!(forbidden_reason(err).contains("职责分离"));
    let err = store
        .set_reviewer_role("zhoumin", Role::Reviewer, "zhoumin")
        .unwrap_err();
    assert!(forbidden_reason(err).contains("须由另一名管理员操作"));
    // Another admin may; the database keeps an admin (importer).
    let r = store.set_reviewer_role("zhoumin", Role::Reviewer, "importer").unwrap();
    assert_eq!(r.role, Role::Reviewer);
    let err = store
        .set_reviewer_role("importer", Role::Reviewer, "importer")
        .unwrap_err();
    assert!(forbidden_reason(err).contains("另一名管理员"));
    assert_eq!(store.reviewer("importer").unwrap().unwrap().role, Role::Admin);

    let user_events = store
        .audit_entries(&AuditFilter {
            event: Some("user".into()),
            ..Default::default()
        })
        .unwrap();
    let refused = user_events.iter().filter(|e| e.outcome == "refused").count();
    assert_eq!(refused, 4);
    assert!(store.verify_audit().unwrap().is_intact());
}

fn key(app: &mut App, c: char) {
    let ev = Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    handle_event(app, &ev).unwrap();
}

fn status_line(app: &App) -> String {
    render_text(app, 120, 30)
        .lines()
        .find(|line| line.contains("只读"))
        .unwrap_or_default()
        .to_string()
}

#[test]
fn an_unknown_user_gets_a_read_only_session_that_says_why() {
    let (dir, store) = sectioned();
    let path = dir.path().join("data").join("jixiao.db");
    drop(store);
    let store = Store::open(&path).unwrap();
    let mut app = App::new(store, Config::defaults(), "mallory".into(), "mallory".into(), 10).unwrap();
    let reason = app.ses.read_only.clone().expect("read-only");
    let banner = status_line(&app);
    assert!(banner.contains("只读："), "{banner}");
    assert!(banner.contains("mallory"), "{banner}");
    for c in ['a', 'r', 'o', 'A', 'u'] {
        key(&mut app, c);
        assert!(app.ses.overlay.is_none(), "key {c} opened an overlay");
        assert_eq!(app.ses.message.as_deref(), Some(reason.as_str()));
    }
    // Moving and reading still work.
    key(&mut app, 'j');
    assert_eq!(app.queues[0].selected, 1);
    let store = Store::open(&path).unwrap();
    let pending = store
        .queue_ids(&QueueFilter {
            state: Some(ReviewState::Pending),
            ..QueueFilter::stage(Stage::Target)
        })
        .unwrap();
    assert_eq!(pending.len(), 3);

    // The auditor reads too, with the auditor's reason.
    let auditor = App::new(store, Config::defaults(), "huang".into(), "黄".into(), 10).unwrap();
    assert!(auditor.ses.read_only.unwrap().contains("审计员"));
}

#[test]
fn a_section_reviewer_in_the_tui_is_told_the_stores_refusal() {
    let (dir, store) = sectioned();
    let path = dir.path().join("data").join("jixiao.db");
    drop(store);
    let store = Store::open(&path).unwrap();
    let mut app = App::new(store, Config::defaults(), "lisi".into(), "李四".into(), 10).unwrap();
    assert!(app.ses.read_only.is_none());
    // A section reviewer sees their own section first: two items of 教科文科.
    assert_eq!(app.queue().unwrap().shown(), 2);
    // F widens to every section (kept for the next session).
    key(&mut app, 'F');
    assert_eq!(app.queue().unwrap().shown(), 3);
    let again = App::new(
        Store::open(&path).unwrap(),
        Config::defaults(),
        "lisi".into(),
        "李四".into(),
        10,
    )
    .unwrap();
    assert_eq!(
        again.queue().unwrap().shown(),
        3,
        "the wide scope is kept across restarts"
    );
    // Target items in load order: 101, P-101-01, P-202-01. Go to the 农业科 one.
    key(&mut app, 'j');
    key(&mut app, 'j');
    key(&mut app, 'a');
    let msg = app.ses.message.clone().unwrap_or_default();
    assert!(
        msg.starts_with("区农业农村局（202）「P-202-01 项目」属农业科，lisi"),
        "{msg}"
    );
}

fn jixiao(db: &std::path::Path, cfg: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jixiao"));
    c.arg("--db")
        .arg(db)
        .env("JIXIAO_CONFIG_DIR", cfg)
        .env_remove("JIXIAO_DB");
    c
}

#[test]
fn user_commands_first_user_is_admin_and_refusals_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shared").join("jixiao.db");
    let me = jixiao::identity::os_user();
    let run = |args: &[&str]| {
        let out = jixiao(&db, dir.path()).args(args).output().unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    let (ok, out, err) = run(&[
        "user",
        "add",
        "zhangli",
        "--name",
        "张丽",
        "--role",
        "reviewer",
        "--section",
        "教科文科",
        "--section",
        "农业科",
    ]);
    assert!(ok, "{err}");
    assert!(
        out.contains("张丽") && out.contains("审核员") && out.contains("教科文科、农业科"),
        "{out}"
    );
    let (ok, out, _) = run(&["user", "list"]);
    assert!(ok);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines.iter().any(|l| l.starts_with(&me) && l.contains("管理员")),
        "{out}"
    );
    let (ok, out, err) = run(&["user", "set-section", "zhangli", "综合科"]);
    assert!(ok, "{err}");
    assert!(out.contains("综合科"));
    let (ok, _, err) = run(&["user", "set-role", &me, "reviewer"]);
    assert!(!ok);
    assert!(err.contains("管理员不能更改自己的角色"), "{err}");
    let (ok, _, err) = run(&["user", "set-role", "zhangli", "boss"]);
    assert!(!ok && err.contains("无法识别的角色"), "{err}");
    let (ok, _, err) = run(&["user", "add", "x", "--name", "x", "--role", "auditor"]);
    assert!(ok, "{err}");
    let (ok, _, err) = run(&["user", "set-role", "x", "admin"]);
    assert!(!ok && err.contains("职责分离"), "{err}");
    let (ok, out, _) = run(&["audit", "verify"]);
    assert!(ok && out.contains("哈希链校验通过"), "{out}");
}
