//! `u` takes back the reviewer's last action of any kind, on any screen, and
//! says what it was: a self-evaluation return, a rectification step on tab 5,
//! a result-application answer on tab 7, a key-evaluation document, target
//! verdicts, a new rectification; an export cannot be taken back and says so;
//! a change someone made since is refused, naming them. Each undo is an
//! audited store write.

mod common;

use common::*;
use jixiao::config::Config;
use jixiao::domain::*;
use jixiao::store::{AuditFilter, NewRectification, Store};
use jixiao::tui::app::App;
use jixiao::tui::{handle_event, layout};
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

const USER: &str = "zhangli";

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2023, 12, 20).unwrap()
}

/// The graded sample with one open rectification (#1, of unit 101), opened as the reviewer.
fn setup() -> (tempfile::TempDir, std::path::PathBuf, App, i64) {
    let (dir, path) = temp_db();
    let mut store = open_staffed(&path);
    store.load_dataset(&graded_sample(), "importer").unwrap();
    store.refresh_findings(&Config::defaults().rules, today()).unwrap();
    let rect = store
        .create_rectification(
            &NewRectification {
                source_stage: Stage::Target,
                source_review: None,
                unit_code: "101".into(),
                project_code: Some("P-101-01".into()),
                problem: "成本指标未细化".into(),
                required_measure: "补充成本指标".into(),
                deadline: chrono::NaiveDate::from_ymd_opt(2024, 1, 31).unwrap(),
            },
            "zhoumin",
        )
        .unwrap();
    drop(store);
    let mut app = App::new(
        Store::open(&path).unwrap(),
        Config::defaults(),
        USER.into(),
        "张丽".into(),
        layout::visible_rows(80, 24),
    )
    .unwrap();
    app.ses.today = today();
    (dir, path, app, rect.id)
}

fn press(app: &mut App, code: KeyCode, mods: KeyModifiers) {
    handle_event(app, &Event::Key(KeyEvent::new(code, mods))).unwrap();
}

fn keys(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c), KeyModifiers::NONE);
    }
}

fn message(app: &App) -> String {
    app.ses.message.clone().unwrap_or_default()
}

fn review(path: &std::path::Path, stage: Stage, project: &str) -> Review {
    let store = Store::open(path).unwrap();
    let id = store
        .queue_ids(&jixiao::store::QueueFilter::stage(stage))
        .unwrap()
        .into_iter()
        .find(|id| store.review(*id).unwrap().unwrap().project_code.as_deref() == Some(project))
        .unwrap();
    store.review(id).unwrap().unwrap()
}

fn rect_state(path: &std::path::Path, id: i64) -> Option<RectState> {
    Store::open(path).unwrap().rectification(id).unwrap().map(|r| r.state)
}

fn undo_events(path: &std::path::Path) -> Vec<(String, String)> {
    Store::open(path)
        .unwrap()
        .audit_entries(&AuditFilter {
            event: Some("undo".into()),
            ..AuditFilter::default()
        })
        .unwrap()
        .into_iter()
        .map(|e| (e.target, e.after.unwrap_or_default()))
        .collect()
}

/// The issue's replay: a return on tab 3, then `w` on tab 5, then `u`. The
/// rectification goes back to 待整改 and the return stays; a second `u` takes
/// back the return, and tab 3's counts show it.
#[test]
fn u_after_w_undoes_the_start_not_an_earlier_return() {
    let (_d, path, mut app, rect) = setup();
    keys(&mut app, "3");
    let project = app
        .queue()
        .unwrap()
        .selected_row()
        .unwrap()
        .project_code
        .clone()
        .unwrap();
    keys(&mut app, "r");
    press(&mut app, KeyCode::Char('u'), KeyModifiers::CONTROL); // clear the prefilled line
    keys(&mut app, "自评报告未说明执行率偏低的原因，请补充后重报。");
    press(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert_eq!(
        review(&path, Stage::SelfEval, &project).state,
        ReviewState::Returned,
        "{}",
        message(&app)
    );
    let returned_count = |app: &App| {
        app.queue()
            .unwrap()
            .counts
            .iter()
            .find(|(s, _)| *s == ReviewState::Returned)
            .map_or(0, |(_, n)| *n)
    };
    assert_eq!(returned_count(&app), 1);

    keys(&mut app, "5");
    keys(&mut app, "w");
    assert_eq!(
        rect_state(&path, rect),
        Some(RectState::InProgress),
        "{}",
        message(&app)
    );
    keys(&mut app, "u");
    assert_eq!(rect_state(&path, rect), Some(RectState::Open));
    assert_eq!(review(&path, Stage::SelfEval, &project).state, ReviewState::Returned);
    let said = message(&app);
    assert!(
        said.contains("已撤销") && said.contains("开始整改") && said.contains(&format!("#{rect}")),
        "{said}"
    );
    assert_eq!(
        app.board.selected_row().unwrap().rect.state,
        RectState::Open,
        "the board shows it"
    );

    keys(&mut app, "u");
    assert_eq!(review(&path, Stage::SelfEval, &project).state, ReviewState::Pending);
    let said = message(&app);
    assert!(said.contains("已撤销") && said.contains("退回"), "{said}");
    keys(&mut app, "3");
    assert_eq!(returned_count(&app), 0, "tab 3's counts are read again");

    keys(&mut app, "u");
    assert!(message(&app).contains("没有可撤销的操作"), "{}", message(&app));
    let targets: Vec<String> = undo_events(&path).into_iter().map(|(t, _)| t).collect();
    assert_eq!(targets.len(), 2);
    assert_eq!(targets[0], format!("rectification:{rect}"));
    assert!(targets[1].starts_with("review:"));
    assert!(Store::open(&path).unwrap().verify_audit().unwrap().is_intact());
}

/// Tab 7's `y` (and a batch `Y`) can be taken back: the answer is gone again.
#[test]
fn u_undoes_a_result_answer_on_tab_7() {
    let (_d, path, mut app, _) = setup();
    keys(&mut app, "7");
    let project = app.results.selected_row().unwrap().project_id;
    let answered = |path: &std::path::Path| {
        Store::open(path)
            .unwrap()
            .answer_row(project)
            .unwrap()
            .map(|a| a.decision)
    };
    keys(&mut app, "y");
    assert_eq!(answered(&path).as_deref(), Some("confirmed"), "{}", message(&app));
    keys(&mut app, "u");
    assert_eq!(answered(&path), None);
    let said = message(&app);
    assert!(said.contains("已撤销") && said.contains("确认结果应用"), "{said}");
    let row = app.results.rows.iter().find(|r| r.project_id == project).unwrap();
    assert!(row.answer.is_none(), "tab 7 shows the row open again");

    // A batch: every row it confirmed comes back open.
    keys(&mut app, "Y");
    keys(&mut app, "y");
    let store = Store::open(&path).unwrap();
    let open_after_batch = store
        .result_rows(&Config::defaults().rules)
        .unwrap()
        .iter()
        .filter(|r| r.answer.is_none())
        .count();
    assert_eq!(open_after_batch, 0, "{}", message(&app));
    keys(&mut app, "u");
    let open_after_undo = store
        .result_rows(&Config::defaults().rules)
        .unwrap()
        .iter()
        .filter(|r| r.answer.is_none())
        .count();
    assert_eq!(open_after_undo, app.results.rows.len(), "{}", message(&app));
    assert!(message(&app).contains("批量确认结果应用"), "{}", message(&app));
}

/// Inside a workspace: a key-evaluation document ticked, and target verdicts
/// set, are each taken back by `u` without leaving the workspace.
#[test]
fn u_in_a_workspace_undoes_a_document_and_a_verdict() {
    let (_d, path, mut app, _) = setup();
    keys(&mut app, "4");
    press(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    let id = app.workspace.as_ref().expect("key evaluation open").item.review.id;
    let papers = |path: &std::path::Path| {
        Store::open(path)
            .unwrap()
            .item_detail(id)
            .unwrap()
            .unwrap()
            .key_eval
            .unwrap()
            .documents
            .working_papers
    };
    let before = papers(&path);
    keys(&mut app, "1");
    assert_ne!(papers(&path), before, "{}", message(&app));
    keys(&mut app, "u");
    assert_eq!(papers(&path), before);
    assert!(app.workspace.is_some(), "still in the workspace");
    assert!(message(&app).contains("现场评价底稿"), "{}", message(&app));
    press(&mut app, KeyCode::Esc, KeyModifiers::NONE);

    keys(&mut app, "1");
    press(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    let target = app.workspace.as_ref().expect("target open").item.review.clone();
    keys(&mut app, "p");
    let after = Store::open(&path).unwrap().review(target.id).unwrap().unwrap();
    assert_ne!(after.verdicts, target.verdicts, "{}", message(&app));
    keys(&mut app, "u");
    let undone = Store::open(&path).unwrap().review(target.id).unwrap().unwrap();
    assert_eq!(undone.verdicts, target.verdicts);
    assert!(message(&app).contains("目标审核结论"), "{}", message(&app));
}

/// A rectification opened with `x` is removed again by `u` while untouched.
#[test]
fn u_removes_a_rectification_just_opened() {
    let (_d, path, mut app, _) = setup();
    let count = |path: &std::path::Path| Store::open(path).unwrap().rectifications(None).unwrap().len();
    assert_eq!(count(&path), 1);
    keys(&mut app, "1");
    keys(&mut app, "x");
    press(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert_eq!(count(&path), 2, "{}", message(&app));
    keys(&mut app, "u");
    assert_eq!(count(&path), 1);
    assert!(message(&app).contains("新建整改事项"), "{}", message(&app));
}

/// An export is not taken back (the file is out): `u` says so, and the next
/// `u` takes back the action before it.
#[test]
fn an_export_cannot_be_undone_and_says_so() {
    let (dir, path, mut app, _) = setup();
    keys(&mut app, "1");
    let project = app
        .queue()
        .unwrap()
        .selected_row()
        .unwrap()
        .project_code
        .clone()
        .unwrap();
    keys(&mut app, "r");
    press(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert_eq!(
        review(&path, Stage::Target, &project).state,
        ReviewState::Returned,
        "{}",
        message(&app)
    );
    keys(&mut app, ":");
    let out = dir.path().join("意见.csv");
    keys(&mut app, &format!("export opinions {}", out.display()));
    press(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    assert!(out.exists(), "{}", message(&app));
    keys(&mut app, "u");
    assert!(message(&app).contains("无法撤销"), "{}", message(&app));
    assert_eq!(review(&path, Stage::Target, &project).state, ReviewState::Returned);
    keys(&mut app, "u");
    assert_eq!(review(&path, Stage::Target, &project).state, ReviewState::Pending);
}

/// Someone changed the item since: `u` is refused, naming who, and nothing changes.
#[test]
fn undo_after_another_reviewers_change_is_refused_naming_them() {
    let (_d, path, mut app, rect) = setup();
    keys(&mut app, "5");
    keys(&mut app, "w");
    let mut other = Store::open(&path).unwrap();
    let r = other.rectification(rect).unwrap().unwrap();
    other
        .rect_action(
            rect,
            r.version,
            &jixiao::domain::states::RectAction::Submit {
                evidence: "整改报告已上传".into(),
            },
            "zhoumin",
        )
        .unwrap();
    keys(&mut app, "u");
    assert_eq!(
        rect_state(&path, rect),
        Some(RectState::Submitted),
        "nothing taken back"
    );
    let said = message(&app);
    assert!(said.contains("无法撤销") && said.contains("开始整改"), "{said}");
    assert!(undo_events(&path).is_empty());
}

/// A decision someone else changed since: `u` is refused naming them by
/// their name as the staff list has it, not by their login alone.
#[test]
fn an_undo_refused_by_a_colleagues_change_names_them() {
    let (_d, path, mut app, _) = setup();
    let mut other = Store::open(&path).unwrap();
    let zhao = Reviewer {
        name: "赵六".into(),
        ..person("zhaoliu", Role::Reviewer, &SAMPLE_SECTIONS)
    };
    other.add_reviewer(&zhao, "importer").unwrap();
    drop(other);
    keys(&mut app, "1");
    let project = app
        .queue()
        .unwrap()
        .selected_row()
        .unwrap()
        .project_code
        .clone()
        .unwrap();
    keys(&mut app, "r");
    press(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    let returned = review(&path, Stage::Target, &project);
    assert_eq!(returned.state, ReviewState::Returned, "{}", message(&app));
    let mut other = Store::open(&path).unwrap();
    other
        .save_opinion(
            returned.id,
            returned.version,
            "赵六补充：请一并说明资金来源和测算依据。",
            "zhaoliu",
        )
        .unwrap();
    drop(other);
    keys(&mut app, "u");
    let said = message(&app);
    assert!(said.contains("无法撤销") && said.contains("赵六（zhaoliu）"), "{said}");
}
