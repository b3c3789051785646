//! "My section" everywhere: a section reviewer's tabs show their own 业务科室
//! by default, `F` widens to every section (and back), the choice is kept
//! across restarts; tab 5 filters (`f`) and searches (`/`, `n`); tab 7 takes
//! `:filter section=…`; a batch acts on what is shown and allowed and says
//! what it skipped instead of refusing the whole batch.

mod common;

use common::*;
use jixiao::config::Config;
use jixiao::domain::*;
use jixiao::store::{NewRectification, Store};
use jixiao::tui::app::App;
use jixiao::tui::overlay::{Confirm, Overlay};
use jixiao::tui::{handle_event, layout};
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2023, 12, 20).unwrap()
}

fn rect(unit: &str, project: &str, problem: &str, deadline: (i32, u32, u32)) -> NewRectification {
    NewRectification {
        source_stage: Stage::SelfEval,
        source_review: None,
        unit_code: unit.into(),
        project_code: Some(project.into()),
        problem: problem.into(),
        required_measure: "限期整改".into(),
        deadline: chrono::NaiveDate::from_ymd_opt(deadline.0, deadline.1, deadline.2).unwrap(),
    }
}

/// The graded sample (unit 101 of 教科文科, unit 202 of 农业科) with three
/// rectifications, and lisi, a reviewer of 教科文科.
fn setup() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, path) = temp_db();
    let mut store = open_staffed(&path);
    store
        .add_reviewer(&person("lisi", Role::Reviewer, &["教科文科"]), "importer")
        .unwrap();
    store.load_dataset(&graded_sample(), "importer").unwrap();
    store.refresh_findings(&Config::defaults().rules, today()).unwrap();
    for r in [
        rect("101", "P-101-01", "校舍维修成本指标未细化", (2024, 1, 31)),
        rect("101", "101", "部门整体自评报告缺少偏差分析", (2023, 12, 1)),
        rect("202", "P-202-01", "高标准农田验收资料不全", (2024, 2, 28)),
    ] {
        store.create_rectification(&r, "zhoumin").unwrap();
    }
    drop(store);
    (dir, path)
}

fn app_as(path: &std::path::Path, user: &str) -> App {
    let mut app = App::new(
        Store::open(path).unwrap(),
        Config::defaults(),
        user.into(),
        "李四".into(),
        layout::visible_rows(80, 24),
    )
    .unwrap();
    app.ses.today = today();
    app
}

fn press(app: &mut App, code: KeyCode) {
    handle_event(app, &Event::Key(KeyEvent::new(code, KeyModifiers::NONE))).unwrap();
}

fn keys(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

fn command(app: &mut App, line: &str) {
    keys(app, ":");
    keys(app, line);
    press(app, KeyCode::Enter);
}

fn sections_shown(app: &App) -> Vec<String> {
    let mut s: Vec<String> = match app.queue() {
        Some(q) => q.window.iter().map(|r| r.section.clone()).collect(),
        None => app
            .results
            .shown
            .iter()
            .map(|i| app.results.rows[*i].section.clone())
            .collect(),
    };
    s.sort();
    s.dedup();
    s
}

#[test]
fn a_section_reviewer_sees_their_section_in_every_tab_and_f_widens_it() {
    let (_d, path) = setup();
    let mut app = app_as(&path, "lisi");
    for tab in ['1', '2', '3', '4'] {
        keys(&mut app, &tab.to_string());
        let shown = sections_shown(&app);
        assert!(shown.iter().all(|s| s == "教科文科"), "tab {tab}: {shown:?}");
    }
    let screen = render_text(&app, 80, 24);
    assert!(screen.contains("[本科室:教科文科]"), "{screen}");
    keys(&mut app, "5");
    let units: Vec<&str> = app.board.rows.iter().map(|r| r.rect.unit_code.as_str()).collect();
    assert_eq!(units, vec!["101", "101"], "tab 5 shows the section's rectifications");
    keys(&mut app, "7");
    assert_eq!(sections_shown(&app), vec!["教科文科"]);
    let own_rows = app.results.shown.len();
    assert_eq!(
        app.results.summary().total,
        own_rows,
        "the summary counts what is in scope"
    );

    keys(&mut app, "F");
    assert!(app.ses.message.as_deref().unwrap_or("").contains("全部科室"));
    assert_eq!(sections_shown(&app), vec!["农业科", "教科文科"]);
    keys(&mut app, "5");
    assert_eq!(app.board.rows.len(), 3);
    keys(&mut app, "1");
    assert_eq!(sections_shown(&app), vec!["农业科", "教科文科"]);

    // Kept across restarts, per user.
    let mut again = app_as(&path, "lisi");
    assert_eq!(sections_shown(&again), vec!["农业科", "教科文科"]);
    keys(&mut again, "F");
    assert_eq!(sections_shown(&again), vec!["教科文科"]);
    let third = app_as(&path, "lisi");
    assert_eq!(sections_shown(&third), vec!["教科文科"]);

    // An admin has no section of their own: everything, and F says why it does nothing.
    let mut admin = app_as(&path, "zhoumin");
    assert_eq!(sections_shown(&admin), vec!["农业科", "教科文科"]);
    keys(&mut admin, "F");
    assert!(admin.ses.message.as_deref().unwrap_or("").contains("已是全部科室"));
}

#[test]
fn tab_5_filters_and_searches() {
    let (_d, path) = setup();
    let mut app = app_as(&path, "zhoumin");
    keys(&mut app, "5");
    assert_eq!(app.board.rows.len(), 3);
    // 全部 → 待整改 → 整改中 … → 逾期.
    keys(&mut app, "f");
    assert_eq!(app.board.rows.len(), 3, "all three are 待整改");
    keys(&mut app, "ffff");
    let overdue: Vec<&str> = app.board.rows.iter().map(|r| r.rect.problem.as_str()).collect();
    assert_eq!(overdue, vec!["部门整体自评报告缺少偏差分析"], "逾期 against 2023-12-20");
    let screen = render_text(&app, 80, 24);
    assert!(screen.contains("筛选:逾期"), "{screen}");
    assert!(!screen.contains("尚未开放"), "{screen}");
    keys(&mut app, "f");
    assert_eq!(app.board.rows.len(), 3);

    keys(&mut app, "/");
    keys(&mut app, "农田");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.board.selected_row().unwrap().rect.unit_code, "202");
    keys(&mut app, "g/");
    keys(&mut app, "区第一中学");
    press(&mut app, KeyCode::Enter);
    let first = app.board.selected_row().unwrap().rect.id;
    keys(&mut app, "n");
    let second = app.board.selected_row().unwrap().rect.id;
    assert_ne!(first, second, "n goes on to the next match");
    assert!(
        app.ses.message.as_deref().unwrap_or("").contains("匹配 2"),
        "{:?}",
        app.ses.message
    );

    command(&mut app, "filter section=农业科");
    assert_eq!(app.board.rows.len(), 1);
}

#[test]
fn tab_7_takes_a_section_filter_and_y_confirms_own_rows_skipping_others() {
    let (_d, path) = setup();
    let mut app = app_as(&path, "lisi");
    keys(&mut app, "F7");
    let all_rows = app.results.shown.len();
    command(&mut app, "filter section=农业科");
    assert_eq!(sections_shown(&app), vec!["农业科"]);
    assert!(app.results.shown.len() < all_rows);
    command(&mut app, "filter");
    assert_eq!(app.results.shown.len(), all_rows);

    // Y with nothing tagged, everything shown: only lisi's own open rows are offered.
    keys(&mut app, "Y");
    let Some(Overlay::Confirm(Confirm::ConfirmResults { projects })) = &app.ses.overlay else {
        panic!("asks first: {:?}", app.ses.message);
    };
    let own = app
        .results
        .rows
        .iter()
        .filter(|r| r.section == "教科文科" && r.answer.is_none())
        .count();
    assert_eq!(projects.len(), own);
    keys(&mut app, "y");
    let msg = app.ses.message.clone().unwrap_or_default();
    assert!(msg.contains(&format!("{own}")), "{msg}");
    let store = Store::open(&path).unwrap();
    let rows = store.result_rows(&Config::defaults().rules).unwrap();
    assert!(
        rows.iter()
            .filter(|r| r.section == "教科文科")
            .all(|r| r.answer.is_some())
    );
    assert!(
        rows.iter()
            .filter(|r| r.section == "农业科")
            .all(|r| r.answer.is_none())
    );

    // Tagged across sections: own rows confirmed, the others skipped and said so.
    keys(&mut app, "u");
    keys(&mut app, "T");
    keys(&mut app, "Y");
    let msg = app.ses.message.clone().unwrap_or_default();
    assert!(msg.contains("属于其他科室"), "{msg}");
}

#[test]
fn a_bulk_approve_across_sections_decides_own_items_and_names_the_skipped() {
    let (_d, path) = setup();
    let mut app = app_as(&path, "lisi");
    keys(&mut app, "F1T");
    let tagged = app.queue().unwrap().tagged.len();
    assert_eq!(tagged, 3);
    keys(&mut app, "A");
    let screen = render_text(&app, 80, 24);
    assert!(screen.contains("1 项属于其他科室"), "{screen}");
    let Some(Overlay::Confirm(Confirm::BulkApprove { clean, blocking, .. })) = &app.ses.overlay else {
        panic!("a confirmation");
    };
    assert_eq!(clean.len() + blocking.len(), 2, "only 教科文科's two targets");
}

/// `i` on tabs 5 and 7 reads the selected rectification or row whole.
#[test]
fn the_reader_on_tab_5_and_tab_7() {
    let (_d, path) = setup();
    let mut app = app_as(&path, "zhoumin");
    keys(&mut app, "5");
    keys(&mut app, "i");
    assert!(
        matches!(app.ses.overlay, Some(Overlay::Reader(_))),
        "{:?}",
        app.ses.message
    );
    let screen = render_text(&app, 80, 24);
    let problem = &app.board.selected_row().unwrap().rect.problem;
    assert!(
        screen.contains(problem.as_str()) && screen.contains("整改期限："),
        "{screen}"
    );
    keys(&mut app, "q");
    keys(&mut app, "7i");
    let screen = render_text(&app, 80, 24);
    assert!(screen.contains("结果应用") && screen.contains("答复："), "{screen}");
}

/// The mouse wheel scrolls the reader when it is open, never the list beneath it.
#[test]
fn the_wheel_scrolls_the_reader_not_the_list_beneath() {
    use ratatui::crossterm::event::{MouseEvent, MouseEventKind};
    let (_d, path) = setup();
    let mut app = app_as(&path, "zhoumin");
    app.ses.config.display.mouse = true;
    keys(&mut app, "1");
    let wheel = |app: &mut App, kind| {
        let m = MouseEvent {
            kind,
            column: 10,
            row: 5,
            modifiers: KeyModifiers::NONE,
        };
        handle_event(app, &Event::Mouse(m)).unwrap();
    };
    wheel(&mut app, MouseEventKind::ScrollDown);
    assert_eq!(app.queue().unwrap().selected, 1, "the wheel moves the list");
    keys(&mut app, "i");
    wheel(&mut app, MouseEventKind::ScrollDown);
    wheel(&mut app, MouseEventKind::ScrollDown);
    assert_eq!(app.queue().unwrap().selected, 1, "not under the reader");
    assert!(matches!(app.ses.overlay, Some(Overlay::Reader(_))));
}

/// An item whose unit's data changed after its findings were computed (an
/// import interrupted before its refresh) says so in its row and preview,
/// cannot be approved, and Ctrl-l recomputes it.
#[test]
fn an_item_whose_findings_lag_its_data_says_so_and_ctrl_l_repairs_it() {
    let (_d, path) = setup();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute(
        "INSERT INTO findings_stale (unit_code, year, since) VALUES ('202', 2023, 'test')",
        [],
    )
    .unwrap();
    drop(conn);
    let mut app = app_as(&path, "zhoumin");
    keys(&mut app, "1");
    while app.queue().unwrap().selected_row().unwrap().unit_code != "202" {
        keys(&mut app, "j");
    }
    let screen = render_text(&app, 80, 24);
    assert!(
        screen.contains("待重算") && screen.contains("问题清单尚未重新计算"),
        "{screen}"
    );
    let id = app.queue().unwrap().selected_id().unwrap();
    keys(&mut app, "a");
    if matches!(app.ses.overlay, Some(Overlay::Editor(..))) {
        // Blocking findings ask for a reason first; the store refuses either way.
        for c in "经核实该单位数据，同意强制通过本项目目标。".chars() {
            press(&mut app, KeyCode::Char(c));
        }
        handle_event(
            &mut app,
            &Event::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)),
        )
        .unwrap();
        press(&mut app, KeyCode::Esc);
    }
    let state = Store::open(&path).unwrap().review(id).unwrap().unwrap().state;
    assert_eq!(state, ReviewState::Pending, "not approvable while its findings lag");
    handle_event(
        &mut app,
        &Event::Key(KeyEvent::new(KeyCode::Char('l'), KeyModifiers::CONTROL)),
    )
    .unwrap();
    let screen = render_text(&app, 80, 24);
    assert!(!screen.contains("待重算"), "{screen}");
}
