//! The queue screen rendered to ratatui's TestBackend with Chinese data, and
//! key events replayed through the same dispatch the terminal uses
//! (`tui::handle_event`), each replay checked against the database.

mod common;

use common::*;
use jixiao::config::Config;
use jixiao::domain::*;
use jixiao::store::{AuditFilter, QueueFilter, Store};
use jixiao::tui::app::App;
use jixiao::tui::overlay::Overlay;
use jixiao::tui::theme::Theme;
use jixiao::tui::view::{ViewContext, draw};
use jixiao::tui::{handle_event, layout};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

const USER: &str = "zhangli";

fn finding(severity: Severity, project: &str, message: &str) -> Finding {
    Finding {
        rule: "T-TEST".into(),
        severity,
        stage: Stage::Target,
        unit_code: "101".into(),
        project_code: Some(project.into()),
        indicator: None,
        message: message.into(),
    }
}

/// The sample data; target item 2 (P-101-01) has a blocking and a warning finding,
/// item 3 (P-202-01) a warning only, item 1 (101 部门整体) is clean.
fn app_at(path: &std::path::Path) -> App {
    let store = Store::open(path).unwrap();
    App::new(
        store,
        Config::defaults(),
        USER.into(),
        "张丽".into(),
        layout::visible_rows(80, 24),
    )
    .unwrap()
}

fn setup() -> (tempfile::TempDir, std::path::PathBuf, App) {
    let (dir, path) = temp_db();
    let mut store = open_staffed(&path);
    store.load_dataset(&sample(), "importer").unwrap();
    let ids = store.queue_ids(&QueueFilter::stage(Stage::Target)).unwrap();
    store
        .replace_findings(
            ids[1],
            &[
                finding(
                    Severity::Blocking,
                    "P-101-01",
                    "缺少成本指标：产出指标下无成本指标，也无一级成本指标",
                ),
                finding(Severity::Warning, "P-101-01", "三级指标「工程验收合格率」缺少计量单位"),
            ],
        )
        .unwrap();
    store
        .replace_findings(
            ids[2],
            &[finding(Severity::Warning, "P-202-01", "年度绩效目标过于简略")],
        )
        .unwrap();
    drop(store);
    let app = app_at(&path);
    (dir, path, app)
}

fn render(app: &App, w: u16, h: u16) -> String {
    render_text(app, w, h)
}

fn press(app: &mut App, code: KeyCode, mods: KeyModifiers) {
    handle_event(app, &Event::Key(KeyEvent::new(code, mods))).unwrap();
}

fn key(app: &mut App, c: char) {
    press(app, KeyCode::Char(c), KeyModifiers::NONE);
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        if c == '\n' {
            press(app, KeyCode::Enter, KeyModifiers::NONE);
        } else {
            key(app, c);
        }
    }
}

fn ctrl(app: &mut App, c: char) {
    press(app, KeyCode::Char(c), KeyModifiers::CONTROL);
}

fn review_of(path: &std::path::Path, stage: Stage, project: &str) -> Review {
    let store = Store::open(path).unwrap();
    let row = store
        .queue_page(stage, None, 100)
        .unwrap()
        .into_iter()
        .find(|r| r.project_code.as_deref() == Some(project))
        .unwrap();
    store.review(row.review_id).unwrap().unwrap()
}

#[test]
fn queue_at_80x24_with_chinese_data() {
    let (_d, _p, app) = setup();
    insta::assert_snapshot!("queue_80x24", render(&app, 80, 24));
}

#[test]
fn queue_at_120x40() {
    let (_d, _p, app) = setup();
    insta::assert_snapshot!("queue_120x40", render(&app, 120, 40));
}

#[test]
fn moving_down_shows_the_selected_items_findings() {
    let (_d, _p, mut app) = setup();
    key(&mut app, 'j');
    let screen = render(&app, 80, 24);
    assert!(screen.contains("[阻断] 缺少成本指标"), "{screen}");
    insta::assert_snapshot!("queue_preview", screen);
}

#[test]
fn each_tab_renders() {
    let (_d, _p, mut app) = setup();
    for (n, name) in [
        ('2', "tab_monitoring"),
        ('3', "tab_self_eval"),
        ('4', "tab_key_eval"),
        ('5', "tab_rectification"),
        ('6', "tab_overview"),
    ] {
        key(&mut app, n);
        insta::assert_snapshot!(name, render(&app, 80, 24));
    }
}

#[test]
fn too_small_terminal_gets_a_message() {
    let (_d, _p, app) = setup();
    let screen = render(&app, 60, 20);
    assert!(screen.contains("至少需要 80×24，当前为60×20"), "{screen}");
    insta::assert_snapshot!("too_small", screen);
}

#[test]
fn help_overlay_lists_the_live_key_map() {
    let (_d, _p, mut app) = setup();
    key(&mut app, '?');
    let screen = render(&app, 80, 24);
    for label in ["下移一行", "批量通过已标记项", "刷新", "Ctrl-d"] {
        assert!(screen.contains(label), "{label} missing:\n{screen}");
    }
    insta::assert_snapshot!("help_overlay", screen);
    key(&mut app, 'x');
    assert!(app.ses.overlay.is_none());
}

#[test]
fn navigation_keys() {
    let (_d, _p, mut app) = setup();
    key(&mut app, '2');
    assert_eq!(app.stage(), Some(Stage::Monitoring));
    press(&mut app, KeyCode::Tab, KeyModifiers::NONE);
    assert_eq!(app.stage(), Some(Stage::SelfEval));
    press(&mut app, KeyCode::BackTab, KeyModifiers::NONE);
    press(&mut app, KeyCode::BackTab, KeyModifiers::NONE);
    assert_eq!(app.stage(), Some(Stage::Target));
    key(&mut app, 'G');
    assert_eq!(app.queues[0].selected, 2);
    key(&mut app, 'g');
    assert_eq!(app.queues[0].selected, 0);
    press(&mut app, KeyCode::End, KeyModifiers::NONE);
    assert_eq!(app.queues[0].selected, 2);
    press(&mut app, KeyCode::PageUp, KeyModifiers::NONE);
    assert_eq!(app.queues[0].selected, 0);
    ctrl(&mut app, 'd');
    assert_eq!(app.queues[0].selected, 2);
    ctrl(&mut app, 'u');
    assert_eq!(app.queues[0].selected, 0);
    press(&mut app, KeyCode::Down, KeyModifiers::NONE);
    assert_eq!(app.queues[0].selected, 1);
}

#[test]
fn incremental_search_over_unit_project_and_findings() {
    let (_d, _p, mut app) = setup();
    key(&mut app, '/');
    typed(&mut app, "农业");
    assert_eq!(app.queues[0].selected_row().unwrap().unit_name, "区农业农村局");
    press(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(app.last_search.as_deref(), Some("农业"));
    key(&mut app, '/');
    typed(&mut app, "计量单位");
    assert_eq!(
        app.queues[0].selected_row().unwrap().project_code.as_deref(),
        Some("P-101-01")
    );
    press(&mut app, KeyCode::Esc, KeyModifiers::NONE);
    assert_eq!(app.queues[0].selected, 2, "Esc returns to where the search started");
    key(&mut app, 'n');
    assert_eq!(app.queues[0].selected, 2, "n repeats the last search (农业), wrapping");
}

#[test]
fn filter_by_menu_and_command_line() {
    let (_d, _p, mut app) = setup();
    key(&mut app, 'f');
    key(&mut app, '5'); // 有无问题 → 有问题
    assert_eq!(app.queues[0].ids.len(), 2);
    insta::assert_snapshot!("filter_menu", render(&app, 80, 24));
    key(&mut app, '4'); // 至少阻断
    assert_eq!(app.queues[0].ids.len(), 1);
    key(&mut app, '0');
    assert_eq!(app.queues[0].ids.len(), 3);
    press(&mut app, KeyCode::Esc, KeyModifiers::NONE);
    key(&mut app, ':');
    typed(&mut app, "filter section=农业科");
    press(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(app.queues[0].ids.len(), 1);
    assert!(render(&app, 80, 24).contains("筛选:农业科"));
    key(&mut app, ':');
    typed(&mut app, "filter");
    press(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    key(&mut app, ':');
    typed(&mut app, "goto 区农业农村局");
    press(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(app.queues[0].selected, 2);
    key(&mut app, 's'); // amount, largest first: 101 部门整体 1,234万
    assert_eq!(app.queues[0].ids.len(), 3);
    assert_eq!(
        app.queues[0].selected_row().unwrap().unit_name,
        "区农业农村局",
        "selection kept across sort"
    );
}

#[test]
fn bulk_approve_skips_blocking_items_and_undo_restores() {
    let (_d, path, mut app) = setup();
    key(&mut app, 'A');
    assert!(
        app.ses.message.as_deref().unwrap().contains("没有已标记的事项"),
        "never falls back to all rows"
    );
    key(&mut app, 'T');
    key(&mut app, 'A');
    let screen = render(&app, 80, 24);
    assert!(
        screen.contains("批量通过 2 项") && screen.contains("其中有阻断问题（将跳过） 1 项"),
        "{screen}"
    );
    insta::assert_snapshot!("bulk_confirm", screen);
    key(&mut app, 'y');
    assert_eq!(review_of(&path, Stage::Target, "101").state, ReviewState::Approved);
    assert_eq!(review_of(&path, Stage::Target, "P-202-01").state, ReviewState::Approved);
    assert_eq!(review_of(&path, Stage::Target, "P-101-01").state, ReviewState::Pending);
    key(&mut app, 'u');
    assert_eq!(review_of(&path, Stage::Target, "101").state, ReviewState::Pending);
    assert_eq!(review_of(&path, Stage::Target, "P-202-01").state, ReviewState::Pending);
    let store = Store::open(&path).unwrap();
    let events: Vec<String> = store
        .audit_entries(&AuditFilter {
            actor: Some(USER.into()),
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .map(|e| e.event)
        .collect();
    assert_eq!(events.iter().filter(|e| *e == "decision").count(), 2);
    assert_eq!(events.iter().filter(|e| *e == "undo").count(), 2);
    assert!(store.verify_audit().unwrap().is_intact());
}

#[test]
fn bulk_approve_with_override_needs_a_reason() {
    let (_d, path, mut app) = setup();
    key(&mut app, 'T');
    key(&mut app, 'A');
    key(&mut app, 'o');
    assert!(matches!(app.ses.overlay, Some(Overlay::Editor(..))));
    typed(&mut app, "短");
    ctrl(&mut app, 's');
    assert!(
        matches!(app.ses.overlay, Some(Overlay::Editor(..))),
        "a short reason is refused and the text kept"
    );
    typed(&mut app, "：已电话核实，单位承诺批复前补充成本指标");
    ctrl(&mut app, 's');
    assert!(app.ses.overlay.is_none());
    for p in ["101", "P-101-01", "P-202-01"] {
        assert_eq!(review_of(&path, Stage::Target, p).state, ReviewState::Approved, "{p}");
    }
    assert!(
        review_of(&path, Stage::Target, "P-101-01")
            .opinion
            .contains("已电话核实")
    );
}

#[test]
fn return_with_a_chinese_opinion_prefilled_from_findings() {
    let (_d, path, mut app) = setup();
    key(&mut app, 'j');
    key(&mut app, 'r');
    let Some(Overlay::Editor(editor, _)) = &app.ses.overlay else {
        panic!("editor not open")
    };
    assert!(editor.text().contains("1. 缺少成本指标"), "{}", editor.text());
    typed(&mut app, "\n请补充单位成本指标。");
    ctrl(&mut app, 's');
    assert!(app.ses.overlay.is_none(), "{:?}", app.ses.message);
    let r = review_of(&path, Stage::Target, "P-101-01");
    assert_eq!(r.state, ReviewState::Returned);
    assert!(r.opinion.contains("请补充单位成本指标。") && r.opinion.contains("缺少成本指标"));
    assert_eq!(r.decided_by.as_deref(), Some(USER));
}

#[test]
fn approving_a_blocked_item_asks_for_override_and_reason() {
    let (_d, path, mut app) = setup();
    key(&mut app, 'j');
    key(&mut app, 'a');
    assert!(matches!(app.ses.overlay, Some(Overlay::Editor(..))));
    press(&mut app, KeyCode::Esc, KeyModifiers::NONE);
    assert_eq!(review_of(&path, Stage::Target, "P-101-01").state, ReviewState::Pending);
    key(&mut app, 'a');
    typed(&mut app, "成本已在项目说明中列明，经核实同意通过");
    ctrl(&mut app, 's');
    assert_eq!(review_of(&path, Stage::Target, "P-101-01").state, ReviewState::Approved);
}

#[test]
fn a_draft_survives_a_dropped_session_and_is_offered_back() {
    let (_d, path, mut app) = setup();
    key(&mut app, 'j');
    key(&mut app, 'r');
    typed(&mut app, "\n草稿：成本指标需细化");
    // The link drops here: the app is gone without saving or leaving the editor.
    drop(app);
    let mut again = app_at(&path);
    assert!(render(&again, 80, 24).contains("发现上次未提交的意见草稿 1"));
    press(&mut again, KeyCode::Enter, KeyModifiers::NONE);
    let Some(Overlay::Editor(editor, _)) = &again.ses.overlay else {
        panic!("draft not reopened")
    };
    assert!(editor.text().ends_with("草稿：成本指标需细化"), "{}", editor.text());
}

#[test]
fn another_reviewers_change_is_reported_not_overwritten() {
    let (_d, path, mut app) = setup();
    // Another reviewer approves item 1 while this screen still shows it pending.
    let mut other = Store::open(&path).unwrap();
    let r = review_of(&path, Stage::Target, "101");
    other
        .decide(
            r.id,
            r.version,
            states::ReviewAction::Approve {
                override_blocking: false,
            },
            "",
            "wangfang",
            15,
        )
        .unwrap();
    key(&mut app, 'a');
    let after = review_of(&path, Stage::Target, "101");
    assert_eq!(after.decided_by.as_deref(), Some("wangfang"));
    let msg = app.ses.message.clone().unwrap_or_default();
    assert!(
        msg.contains("wangfang") || app.queues[0].selected_row().unwrap().state == ReviewState::Approved,
        "{msg}"
    );
}

/// The selected row must stay visible without colour: reverse video in mono,
/// a background in 16 and 256 colours.
#[test]
fn selection_is_visible_in_every_theme() {
    use ratatui::style::{Color, Modifier};
    let (_d, _p, app) = setup();
    for (theme, check) in [
        (
            Theme::mono(),
            Box::new(|s: ratatui::style::Style| s.add_modifier.contains(Modifier::REVERSED)) as Box<dyn Fn(_) -> bool>,
        ),
        (
            Theme::ansi16(),
            Box::new(|s: ratatui::style::Style| s.bg == Some(Color::Yellow)),
        ),
        (
            Theme::ansi256(),
            Box::new(|s: ratatui::style::Style| matches!(s.bg, Some(Color::Indexed(_)))),
        ),
    ] {
        let ctx = ViewContext { theme: &theme };
        let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
        term.draw(|f| draw(f, &app, &ctx)).unwrap();
        let cell = &term.backend().buffer()[(5, 2)];
        assert!(check(cell.style()), "{:?}", cell.style());
    }
}

/// Start-up draws from the first page and the counts, then reads the rest: the
/// first frame must already be the screen the complete queue shows.
#[test]
fn the_first_frame_is_the_complete_queue_screen() {
    let (_dir, path, complete) = setup();
    let store = Store::open(&path).unwrap();
    let mut first = App::new_first_frame(
        store,
        Config::defaults(),
        USER.into(),
        "张丽".into(),
        layout::visible_rows(80, 24),
    )
    .unwrap();
    assert!(first.queue().unwrap().is_partial());
    let first_frame = render(&first, 80, 24);
    assert_eq!(first_frame, render(&complete, 80, 24));
    assert!(first_frame.contains("1/"), "{first_frame}");
    assert!(!first.complete_loading().unwrap(), "nothing changed: no second frame");
    assert!(!first.queue().unwrap().is_partial());
    assert_eq!(render(&first, 80, 24), first_frame);
    // Keys work on the completed queue as on one loaded at once.
    key(&mut first, 'j');
    let mut complete = complete;
    key(&mut complete, 'j');
    assert_eq!(render(&first, 80, 24), render(&complete, 80, 24));
}

/// The sample's two self-evaluations with a warning each (no blocking), so
/// that `a` goes straight to the store; 101's opinion answers its finding.
fn self_eval_setup() -> (tempfile::TempDir, std::path::PathBuf, App, i64, i64) {
    let (dir, path) = temp_db();
    let mut store = open_staffed(&path);
    store.load_dataset(&sample(), "importer").unwrap();
    let rows = store.queue_page(Stage::SelfEval, None, 10).unwrap();
    let id_of = |code: &str| {
        rows.iter()
            .find(|r| r.project_code.as_deref() == Some(code))
            .unwrap()
            .review_id
    };
    let (unit, school) = (id_of("101"), id_of("P-101-01"));
    for (id, code, message) in [
        (unit, "101", "自评等级「优」与自评得分所在档次不符"),
        (
            school,
            "P-101-01",
            "全年执行数 240.00 万元低于 10 月监控执行数 260.00 万元",
        ),
    ] {
        let mut f = finding(Severity::Warning, code, message);
        f.rule = "S-OCT".into();
        f.stage = Stage::SelfEval;
        store.replace_findings(id, &[f]).unwrap();
    }
    let v = store.review(unit).unwrap().unwrap().version;
    let answered = "经审核，该项目自评存在以下问题：\n1. 自评等级「优」与自评得分所在档次不符\n\
                    审核意见：已核实自评得分 92.5 分，等级应为优，单位已更正等级";
    store.save_opinion(unit, v, answered, USER).unwrap();
    drop(store);
    let app = app_at(&path);
    (dir, path, app, unit, school)
}

fn state_of(path: &std::path::Path, id: i64) -> ReviewState {
    Store::open(path).unwrap().review(id).unwrap().unwrap().state
}

#[test]
fn queue_a_on_a_self_evaluation_needs_an_opinion_answering_its_findings() {
    let (_d, path, mut app, _unit, school) = self_eval_setup();
    key(&mut app, '3');
    key(&mut app, 'j');
    assert_eq!(app.queue().unwrap().selected_id(), Some(school));
    // No opinion: refused by the store, naming unit, project and finding.
    key(&mut app, 'a');
    let message = app.ses.message.clone().unwrap();
    assert!(
        message.contains("区第一中学「P-101-01 项目」")
            && message.contains("全年执行数")
            && message.contains("不能通过"),
        "{message}"
    );
    assert_eq!(state_of(&path, school), ReviewState::Pending);
    // 数据确认 alone: still refused, as 套话.
    let mut store = Store::open(&path).unwrap();
    let v = store.review(school).unwrap().unwrap().version;
    store.save_opinion(school, v, "数据确认。", USER).unwrap();
    drop(store);
    key(&mut app, 'a');
    assert!(
        app.ses.message.as_deref().unwrap().contains("套话"),
        "{:?}",
        app.ses.message
    );
    assert_eq!(state_of(&path, school), ReviewState::Pending);
    // The paragraph left empty: refused, naming the paragraph.
    let mut store = Store::open(&path).unwrap();
    let v = store.review(school).unwrap().unwrap().version;
    let paragraphs =
        "经审核，该项目自评存在以下问题：\n1. 全年执行数 240.00 万元低于 10 月监控执行数 260.00 万元\n审核意见：";
    store.save_opinion(school, v, paragraphs, USER).unwrap();
    drop(store);
    key(&mut app, 'a');
    assert!(
        app.ses.message.as_deref().unwrap().contains("第 1 条问题"),
        "{:?}",
        app.ses.message
    );
    // Answered: approved.
    let mut store = Store::open(&path).unwrap();
    let v = store.review(school).unwrap().unwrap().version;
    let answered = format!("{paragraphs}经核实系 12 月收回结余资金 20 万元所致，执行数口径已按决算更正");
    store.save_opinion(school, v, &answered, USER).unwrap();
    drop(store);
    key(&mut app, 'a');
    assert_eq!(state_of(&path, school), ReviewState::Approved, "{:?}", app.ses.message);
    let store = Store::open(&path).unwrap();
    let outcomes: Vec<String> = store
        .audit_entries(&AuditFilter {
            target: Some(format!("review:{school}")),
            event: Some("decision".into()),
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .map(|e| e.outcome)
        .collect();
    assert_eq!(outcomes, ["refused", "refused", "refused", "ok"]);
}

#[test]
fn bulk_a_approves_the_answered_and_reports_the_refused() {
    let (_d, path, mut app, unit, school) = self_eval_setup();
    key(&mut app, '3');
    key(&mut app, 'T');
    key(&mut app, 'A');
    key(&mut app, 'y');
    assert_eq!(state_of(&path, unit), ReviewState::Approved);
    assert_eq!(state_of(&path, school), ReviewState::Pending);
    let message = app.ses.message.clone().unwrap();
    assert!(
        message.contains("通过 1 项") && message.contains("1 项未通过"),
        "{message}"
    );
    assert!(message.contains("P-101-01 项目"), "{message}");
    // Undo takes back only what was approved.
    key(&mut app, 'u');
    assert_eq!(state_of(&path, unit), ReviewState::Pending);
    assert_eq!(state_of(&path, school), ReviewState::Pending);
}

/// The idle lock (等保 2.0): what the loop calls when no key came for
/// `session.idle_lock_minutes`. Not a word typed may be lost by it.
#[test]
fn an_idle_session_keeps_the_opinion_being_typed_as_a_draft_and_ends() {
    let (_d, path, mut app) = setup();
    // Even with drafts not saved as typed.
    app.ses.config.session.draft_autosave = false;
    key(&mut app, 'j');
    key(&mut app, 'r');
    typed(&mut app, "\n请补充单位成本指标，十日内重新报送。");
    let Some(Overlay::Editor(editor, _)) = &app.ses.overlay else {
        panic!("editor not open")
    };
    let (review_id, text) = (editor.review_id(), editor.text());
    let note = app.lock_for_idle().expect("locks");
    assert!(app.quit);
    assert!(
        note.contains("30 分钟无操作") && note.contains("已保存为草稿"),
        "{note}"
    );
    let store = Store::open(&path).unwrap();
    let draft = store.draft(USER, review_id).unwrap().expect("a draft");
    assert_eq!(draft.text, text);
    assert!(draft.text.contains("十日内重新报送。"));
    assert_eq!(
        review_of(&path, Stage::Target, "P-101-01").state,
        ReviewState::Pending,
        "a draft is not a decision"
    );
}

#[test]
fn an_idle_session_with_nothing_typed_ends_without_a_draft() {
    let (_d, path, mut app) = setup();
    let note = app.lock_for_idle().expect("locks");
    assert!(app.quit && !note.contains("草稿"), "{note}");
    assert!(Store::open(&path).unwrap().drafts_for(USER).unwrap().is_empty());
}

#[test]
fn a_bulk_reason_being_typed_keeps_an_idle_session_open() {
    let (_d, _path, mut app) = setup();
    key(&mut app, 'T');
    key(&mut app, 'A');
    key(&mut app, 'o');
    typed(&mut app, "已电话核实");
    // The reason belongs to no one item, so no draft can keep it.
    assert_eq!(app.lock_for_idle(), None);
    assert!(!app.quit);
    assert!(matches!(app.ses.overlay, Some(Overlay::Editor(..))));
}
