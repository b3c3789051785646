//! Tab 7 (结果应用) at 80×24 with Chinese data, driven by keys through
//! `tui::handle_event`; every replay is checked against the database and the
//! audit log.

mod common;

use common::*;
use jixiao::config::Config;
use jixiao::domain::result_application::{GradeSource, ResultStatus};
use jixiao::domain::*;
use jixiao::store::{AuditFilter, ResultRow, Store};
use jixiao::tui::app::App;
use jixiao::tui::overlay::Overlay;
use jixiao::tui::{handle_event, layout};
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

const USER: &str = "zhangli";

fn setup_as(user: &str) -> (tempfile::TempDir, std::path::PathBuf, App) {
    let (dir, path) = temp_db();
    let mut store = open_staffed(&path);
    store
        .add_reviewer(&person("nongke", Role::Reviewer, &["农业科"]), "importer")
        .unwrap();
    store.load_dataset(&graded_sample(), "importer").unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2023, 12, 20).unwrap();
    store.refresh_findings(&Config::defaults().rules, today).unwrap();
    drop(store);
    let mut app = App::new(
        Store::open(&path).unwrap(),
        Config::defaults(),
        user.into(),
        "张丽".into(),
        layout::visible_rows(80, 24),
    )
    .unwrap();
    app.ses.today = today;
    (dir, path, app)
}

fn setup() -> (tempfile::TempDir, std::path::PathBuf, App) {
    setup_as(USER)
}

fn press(app: &mut App, code: KeyCode) {
    handle_event(app, &Event::Key(KeyEvent::new(code, KeyModifiers::NONE))).unwrap();
}

fn keys(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

fn rows(path: &std::path::Path) -> Vec<ResultRow> {
    Store::open(path)
        .unwrap()
        .result_rows(&Config::defaults().rules)
        .unwrap()
}

fn row<'a>(rows: &'a [ResultRow], code: &str) -> &'a ResultRow {
    rows.iter().find(|r| r.project_code == code).unwrap()
}

/// (target, actor, outcome) of every result-application audit entry.
fn audit(path: &std::path::Path) -> Vec<(String, String, String)> {
    Store::open(path)
        .unwrap()
        .audit_entries(&AuditFilter {
            event: Some("result_application".into()),
            ..AuditFilter::default()
        })
        .unwrap()
        .into_iter()
        .map(|e| (e.target, e.actor, e.outcome))
        .collect()
}

#[test]
fn tab_7_at_80x24() {
    let (_d, _p, mut app) = setup();
    keys(&mut app, "7");
    assert_eq!(app.results.rows.len(), 3);
    insta::assert_snapshot!("results_80x24", render_text(&app, 80, 24));
}

#[test]
fn tab_7_is_in_the_tab_cycle_and_the_strip_fits_80_columns() {
    let (_d, _p, mut app) = setup();
    for _ in 0..6 {
        press(&mut app, KeyCode::Tab);
    }
    assert_eq!(app.tab, jixiao::tui::tab::Tab::Results);
    let screen = render_text(&app, 80, 24);
    let strip = screen.lines().next().unwrap();
    assert!(strip.ends_with("7结果应用"), "{strip}");
    assert!(unicode_width::UnicodeWidthStr::width(strip) <= 80);
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.tab, jixiao::tui::tab::Tab::Target, "Tab wraps to the first stage");
}

#[test]
fn j_y_confirms_the_second_row_and_moves_on() {
    let (_d, path, mut app) = setup();
    keys(&mut app, "7jy");
    let after = rows(&path);
    let school = row(&after, "P-101-01");
    assert_eq!(school.status(), ResultStatus::Confirmed, "{:?}", app.ses.message);
    let answer = school.answer.as_ref().unwrap();
    assert_eq!((answer.grade, answer.source), (Grade::Poor, GradeSource::SelfEval));
    assert_eq!(answer.decided_by, USER);
    assert_eq!(answer.treatment, school.suggestion.treatment);
    // Only that row: the others still wait.
    assert_eq!(row(&after, "101").status(), ResultStatus::Open);
    assert_eq!(row(&after, "P-202-01").status(), ResultStatus::Open);
    assert_eq!(
        audit(&path),
        [(
            format!("review:{}", school.review_id),
            USER.to_string(),
            "ok".to_string()
        )]
    );
    let message = app.ses.message.clone().unwrap();
    assert!(
        message.contains("已确认") && message.contains("P-101-01 项目"),
        "{message}"
    );
    assert_eq!(app.results.selected, 2, "the selection moves on");
    let screen = render_text(&app, 80, 24);
    assert!(screen.contains("已答复1 |"), "{screen}");
}

#[test]
fn m_changes_the_treatment_with_a_reason() {
    let (_d, path, mut app) = setup();
    keys(&mut app, "7G");
    // Without a reason: refused, nothing written.
    keys(&mut app, "m");
    assert!(matches!(app.ses.overlay, Some(Overlay::Prompt(_))));
    keys(&mut app, "暂停安排");
    press(&mut app, KeyCode::Enter);
    // The prompt stays, text and all, its question asking for the reason.
    match &app.ses.overlay {
        Some(Overlay::Prompt(p)) => assert!(p.line().0.ends_with("须写明理由，请写成「处理方式；理由」：暂停安排")),
        _ => panic!("the prompt stays open"),
    }
    assert_eq!(row(&rows(&path), "P-202-01").answer, None);
    // With one.
    press(&mut app, KeyCode::Esc);
    keys(&mut app, "m");
    keys(&mut app, "压减 20%；项目进度滞后，10 月执行率仅 93%");
    press(&mut app, KeyCode::Enter);
    let after = rows(&path);
    let farm = row(&after, "P-202-01");
    assert_eq!(farm.status(), ResultStatus::Changed, "{:?}", app.ses.message);
    let a = farm.answer.as_ref().unwrap();
    assert_eq!(a.treatment, "压减 20%");
    assert_eq!(a.reason, "项目进度滞后，10 月执行率仅 93%");
    assert_eq!((a.grade, a.source), (Grade::Fair, GradeSource::KeyEval));
    let events = audit(&path);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].0, format!("review:{}", farm.review_id));
    // The preview on another row: the answer's line carries today's date.
    keys(&mut app, "k");
    insta::assert_snapshot!("results_changed_80x24", render_text(&app, 80, 24));
}

#[test]
fn space_space_y_confirms_the_two_tagged_rows_in_one_go() {
    let (_d, path, mut app) = setup();
    keys(&mut app, "7");
    press(&mut app, KeyCode::Char(' '));
    press(&mut app, KeyCode::Char(' '));
    assert_eq!(app.results.tagged.len(), 2);
    keys(&mut app, "Y");
    let after = rows(&path);
    assert_eq!(
        row(&after, "101").status(),
        ResultStatus::Confirmed,
        "{:?}",
        app.ses.message
    );
    assert_eq!(row(&after, "P-101-01").status(), ResultStatus::Confirmed);
    assert_eq!(row(&after, "P-202-01").status(), ResultStatus::Open);
    let events = audit(&path);
    let targets: Vec<String> = events.iter().map(|(t, _, _)| t.clone()).collect();
    assert_eq!(
        targets,
        [
            format!("review:{}", row(&after, "101").review_id),
            format!("review:{}", row(&after, "P-101-01").review_id),
        ]
    );
    assert!(
        events
            .iter()
            .all(|(_, actor, outcome)| actor == USER && outcome == "ok")
    );
    assert!(app.results.tagged.is_empty());
    assert!(
        app.ses.message.as_deref().unwrap().contains("2 项"),
        "{:?}",
        app.ses.message
    );
    // Tagging a confirmed row again and pressing Y does not confirm it twice.
    keys(&mut app, "g");
    press(&mut app, KeyCode::Char(' '));
    keys(&mut app, "Y");
    assert!(
        app.ses.message.as_deref().unwrap().contains("跳过已答复 1"),
        "{:?}",
        app.ses.message
    );
    assert_eq!(audit(&path).len(), 2);
}

#[test]
fn y_with_nothing_tagged_asks_then_confirms_every_open_row_shown() {
    let (_d, path, mut app) = setup();
    keys(&mut app, "7jy"); // one answered first
    keys(&mut app, "Y");
    assert!(matches!(app.ses.overlay, Some(Overlay::Confirm(_))));
    let screen = render_text(&app, 80, 24);
    assert!(screen.contains("全部待确认项目 2 项"), "{screen}");
    keys(&mut app, "n");
    assert_eq!(audit(&path).len(), 1, "n cancels");
    keys(&mut app, "Yy");
    assert!(rows(&path).iter().all(|r| r.status() == ResultStatus::Confirmed));
    assert_eq!(audit(&path).len(), 3);
}

#[test]
fn f_cycles_the_filter_through_open_and_each_grade() {
    let (_d, _p, mut app) = setup();
    keys(&mut app, "7jy");
    keys(&mut app, "f");
    assert!(app.ses.message.as_deref().unwrap().contains("待确认"));
    let shown: Vec<&str> = app
        .results
        .shown
        .iter()
        .map(|i| app.results.rows[*i].project_code.as_str())
        .collect();
    assert_eq!(shown, ["101", "P-202-01"]);
    keys(&mut app, "f"); // 差
    assert_eq!(app.results.shown.len(), 1);
    assert_eq!(app.results.selected_row().unwrap().project_code, "P-101-01");
    keys(&mut app, "ff"); // 中, 良
    assert_eq!(app.results.selected_row().unwrap().project_code, "101");
    keys(&mut app, "ff"); // 优 (none), all
    assert_eq!(app.results.shown.len(), 3);
}

#[test]
fn enter_opens_the_graded_items_workspace_and_back_shows_its_answer() {
    let (_d, path, mut app) = setup();
    keys(&mut app, "7");
    press(&mut app, KeyCode::Enter);
    let d = app.workspace.as_ref().expect("workspace open");
    assert_eq!(
        d.item.review.stage,
        Stage::KeyEval,
        "101's grade comes from its key evaluation"
    );
    assert_eq!(d.item.review.id, row(&rows(&path), "101").review_id);
    keys(&mut app, "y");
    keys(&mut app, "q");
    assert!(app.workspace.is_none());
    assert_eq!(app.results.rows[0].status(), ResultStatus::Confirmed);
    let screen = render_text(&app, 80, 24);
    assert!(screen.contains("已答复1 |"), "{screen}");
}

#[test]
fn refusals_come_from_the_store() {
    // Another section's reviewer: her own section's row goes, 教科文科's does
    // not. Her tab shows her section first; F shows every section.
    let (_d, path, mut app) = setup_as("nongke");
    keys(&mut app, "7");
    assert!(
        app.results
            .shown
            .iter()
            .all(|i| app.results.rows[*i].section == "农业科")
    );
    keys(&mut app, "Fgy");
    let message = app.ses.message.clone().unwrap();
    assert!(
        message.contains("教科文科") && message.contains("区第一中学"),
        "{message}"
    );
    keys(&mut app, "Gy");
    let after = rows(&path);
    assert_eq!(row(&after, "P-202-01").status(), ResultStatus::Confirmed);
    assert_eq!(row(&after, "101").status(), ResultStatus::Open);
    // An unregistered user: the store's read-only reason, nothing written.
    let (_d2, path2, mut ghost) = setup_as("ghost");
    keys(&mut ghost, "7y");
    assert!(
        ghost.ses.message.as_deref().unwrap().contains("未登记"),
        "{:?}",
        ghost.ses.message
    );
    keys(&mut ghost, "m");
    assert!(ghost.ses.overlay.is_none(), "no prompt to type into");
    assert!(ghost.ses.message.as_deref().unwrap().contains("未登记"));
    assert!(rows(&path2).iter().all(|r| r.answer.is_none()));
    let refused = audit(&path2);
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].2, "refused");
}

#[test]
fn the_result_keys_are_remappable_and_in_help() {
    let help = jixiao::tui::keymap::help_lines(&Config::defaults().keys, jixiao::config::KeyScope::Results);
    for (keys, what) in [
        ("y", "确认结果应用建议"),
        ("m", "调整结果应用并写理由"),
        ("Y", "批量确认结果应用"),
        ("7", "结果应用"),
    ] {
        assert!(help.contains(&(keys.to_string(), what.to_string())), "{keys} {what}");
    }
    let (_d, path, _app) = setup();
    let dir = path.parent().unwrap();
    let cfg = dir.join("keys.toml");
    std::fs::write(&cfg, "[keys]\nresult_confirm = [\"c\"]\n").unwrap();
    let config = Config::load(Some(&cfg)).unwrap().config;
    let mut app = App::new(
        Store::open(&path).unwrap(),
        config,
        USER.into(),
        "张丽".into(),
        layout::visible_rows(80, 24),
    )
    .unwrap();
    keys(&mut app, "7y");
    assert!(rows(&path).iter().all(|r| r.answer.is_none()), "y is no longer bound");
    keys(&mut app, "c");
    assert_eq!(row(&rows(&path), "101").status(), ResultStatus::Confirmed);
}

#[test]
fn another_reviewers_answer_shows_on_the_next_key() {
    let (_d, path, mut app) = setup();
    keys(&mut app, "7");
    keys(&mut app, "1"); // away: the rows stay as read
    {
        let mut other = Store::open(&path).unwrap();
        let rows = other.result_rows(&Config::defaults().rules).unwrap();
        other
            .apply_result(
                row(&rows, "P-202-01"),
                &jixiao::domain::result_application::ResultChoice::Confirm,
                "wangfang",
            )
            .unwrap();
    }
    keys(&mut app, "7");
    assert_eq!(row(&app.results.rows, "P-202-01").status(), ResultStatus::Confirmed);
}

#[test]
fn slash_searches_tab_7_by_unit_project_or_code() {
    let (_d, _p, mut app) = setup();
    keys(&mut app, "7/农业");
    assert_eq!(app.results.selected, 2, "the selection follows as one types");
    press(&mut app, KeyCode::Enter);
    assert!(app.ses.overlay.is_none());
    assert_eq!(app.ses.message.as_deref(), Some("匹配 1 行"));
    assert_eq!(app.results.selected_row().unwrap().unit_name, "区农业农村局");
    // A code in any case; `n` goes on to the next match, wrapping.
    keys(&mut app, "/p-1");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.results.selected_row().unwrap().project_code, "P-101-01");
    keys(&mut app, "/项目");
    press(&mut app, KeyCode::Enter);
    let at = app.results.selected;
    keys(&mut app, "n");
    assert_eq!(app.results.selected, (at + 1) % 3, "{:?}", app.ses.message);
    // No match: said, and Esc puts the selection back.
    let before = app.results.selected;
    keys(&mut app, "/不存在的单位");
    assert_eq!(app.ses.message.as_deref(), Some("没有匹配：不存在的单位"));
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.results.selected, before);
}
