//! The smaller points of a reviewer's day (issue 16, item 8), each replayed
//! the way a reviewer meets it: a prompt that keeps what was typed, a date
//! written with slashes, the opinion editor starting where the answer is
//! missing, the key-project list of one's own section with its columns
//! aligned, refusals that name people and items, and no jargon on screen.

mod common;

use chrono::NaiveDate;
use common::*;
use jixiao::config::Config;
use jixiao::domain::states::ReviewAction;
use jixiao::domain::*;
use jixiao::store::{NewRectification, QueueFilter, Store, StoreError};
use jixiao::tui::app::App;
use jixiao::tui::overlay::Overlay;
use jixiao::tui::prompt::PromptKind;
use jixiao::tui::prompt::StagePrompt;
use jixiao::tui::theme::Theme;
use jixiao::tui::view::{ViewContext, draw};
use jixiao::tui::{handle_event, layout};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use unicode_width::UnicodeWidthStr;

const USER: &str = "zhangli";

/// 王建国 covers 教科文科 only (unit 101); unit 202 belongs to 农业科.
const SECTION_REVIEWER: &str = "wangjianguo";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 11, 15).unwrap()
}

/// The sample year with its findings, 王建国 registered beside the test staff.
fn setup_as(user: &str, name: &str) -> (tempfile::TempDir, std::path::PathBuf, App) {
    let (dir, path) = temp_db();
    let mut store = open_staffed(&path);
    store.load_dataset(&sample(), "importer").unwrap();
    store.refresh_findings(&Config::defaults().rules, today()).unwrap();
    store
        .add_reviewer(
            &Reviewer {
                os_user: SECTION_REVIEWER.into(),
                name: "王建国".into(),
                sections: vec!["教科文科".into()],
                role: Role::Reviewer,
            },
            "importer",
        )
        .unwrap();
    drop(store);
    let app = app_at(&path, user, name);
    (dir, path, app)
}

fn app_at(path: &std::path::Path, user: &str, name: &str) -> App {
    let mut app = App::new(
        Store::open(path).unwrap(),
        Config::defaults(),
        user.into(),
        name.into(),
        layout::visible_rows(80, 24),
    )
    .unwrap();
    app.ses.today = today();
    app
}

fn render(app: &App, w: u16, h: u16) -> String {
    let theme = Theme::mono();
    let ctx = ViewContext { theme: &theme };
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| draw(f, app, &ctx)).unwrap();
    let buf = term.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..h {
        let mut line = String::new();
        let mut x = 0;
        while x < w {
            let sym = buf[(x, y)].symbol();
            line.push_str(sym);
            x += UnicodeWidthStr::width(sym).max(1) as u16;
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn press(app: &mut App, code: KeyCode, mods: KeyModifiers) {
    handle_event(app, &Event::Key(KeyEvent::new(code, mods))).unwrap();
}

fn key(app: &mut App, c: char) {
    press(app, KeyCode::Char(c), KeyModifiers::NONE);
}

fn enter(app: &mut App) {
    press(app, KeyCode::Enter, KeyModifiers::NONE);
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, c);
    }
}

fn open_item(app: &mut App, tab: char, project: &str) {
    key(app, tab);
    for _ in 0..20 {
        let code = app
            .queue()
            .and_then(|q| q.selected_row())
            .and_then(|r| r.project_code.clone());
        if code.as_deref() == Some(project) {
            break;
        }
        key(app, 'j');
    }
    enter(app);
    let d = app.workspace.as_ref().expect("workspace open");
    assert_eq!(d.item.review.project_code.as_deref(), Some(project));
}

/// The open prompt's kind and text.
fn prompt(app: &App) -> Option<(PromptKind, String)> {
    match &app.ses.overlay {
        Some(Overlay::Prompt(p)) => Some((p.kind, p.input.clone())),
        _ => None,
    }
}

fn message(app: &App) -> String {
    app.ses.message.clone().unwrap_or_default()
}

/// The prompt line as drawn: its question and the text typed.
fn prompt_line(app: &App) -> String {
    match &app.ses.overlay {
        Some(Overlay::Prompt(p)) => p.line().0,
        _ => String::new(),
    }
}

// ---- m: a change without "；" keeps the text --------------------------------------

#[test]
fn a_result_change_without_its_reason_keeps_the_text_and_says_what_is_missing() {
    let (_d, path, mut app) = setup_as(USER, "张丽");
    open_item(&mut app, '3', "P-101-01");
    key(&mut app, 'm');
    typed(&mut app, "暂停安排");
    enter(&mut app);
    // Still asking, with what was typed, and saying how to write it.
    assert_eq!(
        prompt(&app),
        Some((PromptKind::Stage(StagePrompt::ResultChange), "暂停安排".into()))
    );
    // The question itself says what is missing (the prompt is the message line).
    assert_eq!(
        prompt_line(&app),
        "调整结果应用建议须写明理由，请写成「处理方式；理由」：暂停安排"
    );
    let screen = render(&app, 80, 24);
    assert!(
        screen.contains("须写明理由，请写成「处理方式；理由」：暂停安排"),
        "{screen}"
    );
    // The reason is added to the same line; an ASCII semicolon works as well.
    typed(&mut app, ";项目主体已完工，仅余质保金");
    enter(&mut app);
    assert!(prompt(&app).is_none(), "{:?}", app.ses.message);
    let store = Store::open(&path).unwrap();
    let id = app.workspace.as_ref().unwrap().item.review.id;
    let rec = store.result_record(id).unwrap().expect("the change is recorded");
    assert_eq!(rec.treatment, "暂停安排");
    assert_eq!(rec.reason, "项目主体已完工，仅余质保金");
}

// ---- d: a date written with slashes -------------------------------------------------

#[test]
fn an_extension_date_written_with_slashes_is_read() {
    let (_d, path, app) = setup_as(USER, "张丽");
    drop(app);
    let mut store = Store::open(&path).unwrap();
    let new = NewRectification {
        source_stage: Stage::Monitoring,
        source_review: None,
        unit_code: "101".into(),
        project_code: Some("P-101-01".into()),
        problem: "预算执行率 40.0%，低于 75%".into(),
        required_measure: "加快支付".into(),
        deadline: NaiveDate::from_ymd_opt(2023, 11, 30).unwrap(),
    };
    let rect = store.create_rectification(&new, USER).unwrap();
    drop(store);
    let mut app = app_at(&path, USER, "张丽");
    key(&mut app, '5');
    key(&mut app, 'd');
    typed(&mut app, "2026/12/31");
    enter(&mut app);
    let to = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
    assert_eq!(
        prompt(&app).map(|p| p.0),
        Some(PromptKind::Stage(StagePrompt::ExtendReason(rect.id, to))),
        "{:?}",
        app.ses.message
    );
    typed(&mut app, "跨年度政府采购");
    enter(&mut app);
    let store = Store::open(&path).unwrap();
    let after = store.rectifications(Some("101")).unwrap().remove(0);
    assert_eq!(after.deadline, to);
    // A date that cannot be read keeps the prompt and its text, and lists the forms.
    key(&mut app, 'd');
    typed(&mut app, "明年底");
    enter(&mut app);
    assert_eq!(
        prompt(&app),
        Some((PromptKind::Stage(StagePrompt::ExtendDate(rect.id)), "明年底".into()))
    );
    let line = prompt_line(&app);
    assert!(
        line.contains("无法识别的日期") && line.contains("2026/12/31") && line.ends_with("：明年底"),
        "{line}"
    );
}

// ---- o: the editor starts at the first unanswered paragraph --------------------------

#[test]
fn the_self_evaluation_opinion_starts_at_the_first_unanswered_paragraph() {
    let (_d, _p, mut app) = setup_as(USER, "张丽");
    open_item(&mut app, '3', "P-101-01");
    key(&mut app, 'o');
    let editor_cursor = |app: &App| match &app.ses.overlay {
        Some(Overlay::Editor(e, _)) => (e.cursor(), e.text()),
        _ => panic!("the editor is open"),
    };
    let (cursor, text) = editor_cursor(&app);
    let answers: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("审核意见："))
        .map(|(i, _)| i)
        .collect();
    assert!(answers.len() >= 2, "one paragraph per finding:\n{text}");
    // On the first paragraph's answer, after its mark — not at the end of the text.
    assert_eq!(cursor, (answers[0], "审核意见：".chars().count()), "{text}");
    typed(&mut app, "已核减");
    press(&mut app, KeyCode::Esc, KeyModifiers::NONE); // kept as a draft
    key(&mut app, 'o');
    let (cursor, text) = editor_cursor(&app);
    assert!(text.contains("审核意见：已核减"), "{text}");
    assert_eq!(cursor, (answers[1], "审核意见：".chars().count()), "{text}");
}

// ---- l: the key-project list of one's own section, aligned -------------------------------

/// The display column where `needle` ends on `line`.
fn end_column(line: &str, needle: &str) -> usize {
    let at = line.find(needle).unwrap_or_else(|| panic!("{needle} not in {line}"));
    UnicodeWidthStr::width(&line[..at + needle.len()])
}

#[test]
fn the_key_project_list_shows_the_reviewers_own_section_with_aligned_columns() {
    let (_d, _p, mut app) = setup_as(SECTION_REVIEWER, "王建国");
    open_item(&mut app, '2', "P-101-01");
    key(&mut app, 'l');
    let screen = render(&app, 80, 24);
    assert!(
        screen.contains("范围：教科文科（本人负责的科室），重点项目 1 个"),
        "{screen}"
    );
    assert!(!screen.contains("区农业农村局"), "another section's project:\n{screen}");
    let header = screen.lines().find(|l| l.starts_with("单位")).unwrap();
    let row = screen.lines().find(|l| l.starts_with("区第一中学")).unwrap();
    assert_eq!(
        end_column(header, "金额(万元)"),
        end_column(row, "250.00"),
        "\n{header}\n{row}"
    );
    assert_eq!(
        end_column(header, "执行率"),
        end_column(row, "40.0%"),
        "\n{header}\n{row}"
    );
    assert_eq!(
        UnicodeWidthStr::width(&header[..header.find("状态").unwrap()]),
        UnicodeWidthStr::width(&row[..row.find("待审").unwrap()]),
        "\n{header}\n{row}"
    );
    insta::assert_snapshot!("key_list_own_section_80x24", screen);
}

#[test]
fn an_admin_sees_every_sections_key_projects_and_is_told_so() {
    let (_d, _p, mut app) = setup_as("zhoumin", "zhoumin");
    open_item(&mut app, '2', "P-101-01");
    key(&mut app, 'l');
    let screen = render(&app, 80, 24);
    assert!(screen.contains("范围：全部科室，重点项目 2 个"), "{screen}");
    assert!(screen.contains("区农业农村局"), "{screen}");
}

// ---- refusals name the person, the unit and the project -------------------------------

#[test]
fn a_refusal_names_the_reviewer_the_unit_and_the_project_not_ids() {
    let (_d, path, app) = setup_as(USER, "张丽");
    drop(app);
    let mut store = Store::open(&path).unwrap();
    let farm = store
        .queue_ids(&QueueFilter::stage(Stage::Target))
        .unwrap()
        .into_iter()
        .map(|id| store.review(id).unwrap().unwrap())
        .find(|r| r.unit_code == "202")
        .unwrap();
    let approve = ReviewAction::Approve {
        override_blocking: false,
    };
    let err = store
        .decide(farm.id, farm.version, approve, "", SECTION_REVIEWER, 10)
        .unwrap_err();
    let StoreError::Forbidden { reason, .. } = &err else {
        panic!("expected a refusal, got {err:?}");
    };
    assert_eq!(
        reason,
        "区农业农村局（202）「P-202-01 项目」属农业科，王建国（wangjianguo，审核员，教科文科）无权处理（审核决定）"
    );
    assert!(!reason.contains("事项 ") && !reason.contains("用户 "), "{reason}");
    // A decision the state machine refuses names the item too.
    store
        .decide(
            farm.id,
            farm.version,
            ReviewAction::Return,
            "指标未细化量化，请补充后重报",
            "zhoumin",
            10,
        )
        .unwrap();
    let err = store
        .decide(
            farm.id,
            farm.version + 1,
            ReviewAction::Return,
            "再次退回的意见文字",
            "zhoumin",
            10,
        )
        .unwrap_err();
    let text = err.to_string();
    assert!(text.starts_with("区农业农村局（202）「P-202-01 项目」："), "{text}");
    assert!(!text.contains(&format!("事项 {}", farm.id)), "{text}");
}

#[test]
fn a_section_reviewer_in_the_tui_reads_whose_item_it_is() {
    let (_d, path, app) = setup_as(SECTION_REVIEWER, "王建国");
    drop(app);
    // A clean item of the other section: `a` goes straight to the store.
    let mut store = Store::open(&path).unwrap();
    let farm = store
        .queue_ids(&QueueFilter::stage(Stage::Target))
        .unwrap()
        .into_iter()
        .find(|id| store.review(*id).unwrap().unwrap().unit_code == "202")
        .unwrap();
    store.replace_findings(farm, &[]).unwrap();
    drop(store);
    let mut app = app_at(&path, SECTION_REVIEWER, "王建国");
    // Another section's items show once the scope is widened (F).
    key(&mut app, 'F');
    key(&mut app, '1');
    for _ in 0..5 {
        if app.queue().and_then(|q| q.selected_row()).map(|r| r.unit_code.clone()) == Some("202".into()) {
            break;
        }
        key(&mut app, 'j');
    }
    key(&mut app, 'a');
    let msg = message(&app);
    assert!(
        msg.starts_with(
            "区农业农村局（202）「P-202-01 项目」属农业科，王建国（wangjianguo，审核员，教科文科）无权处理"
        ),
        "{msg}"
    );
}

// ---- no jargon ----------------------------------------------------------------------------

#[test]
fn no_jargon_on_the_workspace_the_board_or_the_help() {
    let (_d, path, app) = setup_as(USER, "张丽");
    drop(app);
    let mut store = Store::open(&path).unwrap();
    let review = store
        .queue_ids(&QueueFilter::stage(Stage::Monitoring))
        .unwrap()
        .into_iter()
        .next()
        .unwrap();
    let new = NewRectification {
        source_stage: Stage::Monitoring,
        source_review: Some(review),
        unit_code: "101".into(),
        project_code: Some("P-101-01".into()),
        problem: "预算执行率 40.0%，低于 75%".into(),
        required_measure: "加快支付".into(),
        deadline: NaiveDate::from_ymd_opt(2023, 11, 30).unwrap(),
    };
    store.create_rectification(&new, USER).unwrap();
    drop(store);
    let mut app = app_at(&path, USER, "张丽");
    let mut screens = Vec::new();
    open_item(&mut app, '3', "P-101-01");
    screens.push(render(&app, 80, 24));
    key(&mut app, 'q');
    key(&mut app, '5');
    screens.push(render(&app, 80, 24));
    key(&mut app, '?');
    screens.push(render(&app, 80, 24));
    for screen in &screens {
        for jargon in ["版本", "事项#", "BackTab"] {
            assert!(!screen.contains(jargon), "{jargon}:\n{screen}");
        }
    }
    assert!(screens[2].contains("Shift-Tab"), "{}", screens[2]);
}
