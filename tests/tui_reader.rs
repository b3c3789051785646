//! Long text read whole: the workspaces wrap their texts instead of cutting
//! them, one key opens a scrollable reader of the item's texts (or of a message
//! the line could not hold), and popups wrap. Rendered with `TestBackend` at
//! 80×24 and 200×50, keys replayed through `tui::handle_event`.

mod common;

use chrono::NaiveDate;
use common::*;
use jixiao::config::Config;
use jixiao::domain::*;
use jixiao::store::Store;
use jixiao::tui::app::App;
use jixiao::tui::overlay::Overlay;
use jixiao::tui::{handle_event, layout};
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

const USER: &str = "zhangli";

/// A self-evaluation report of 600+ characters, numbers and ASCII mixed in;
/// its last sentence is `LAST_SENTENCE`.
const REPORT: &str = "一、项目基本情况：本项目为区第一中学校舍维修改造工程（项目编码P-101-01），2023年度预算安排250.00万元，资金来源为区级专项资金。项目主要内容包括教学楼屋面防水、外墙保温、卫生间改造及消防设施更新，计划完成全区中小学校舍维修改造12所。二、绩效目标完成情况：截至2023年12月31日，项目实际支出240.00万元，预算执行率96.0%；已完成维修校舍12所，完成率100%；工程验收合格率因部分项目尚在整改期内，暂未形成最终数据。项目采用EPC总承包模式，由XX建设集团有限公司承建，监理单位按月报送进度报告，共报送月报10期。三、满意度调查：采用线上问卷（Questionnaire Star）与线下访谈相结合的方式，共发放问卷1,200份，回收有效问卷1,156份，有效率96.3%，师生满意度为92.4%，家长满意度为89.7%。四、存在的主要问题：一是雨季停工导致工期延误约45天；二是部分学校的验收资料（如隐蔽工程影像记录）不完整；三是绩效指标设置偏重数量，质量与效益指标不够细化。五、下一步改进措施：加强施工组织与进度管理，建立周调度机制；完善验收资料归档制度，确保影像、签证、检测报告齐全；在2024年度预算编制中细化质量、时效与成本指标，并于2024-03-31前完成整改回头看。六、自评结论：综合评定自评得分88分，等级为“良”。以上情况属实，特此报告，请审核。";
const LAST_SENTENCE: &str = "以上情况属实，特此报告，请审核。";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 11, 15).unwrap()
}

/// The sample year, P-101-01's self-evaluation report replaced by `REPORT`.
fn setup() -> (tempfile::TempDir, std::path::PathBuf, App) {
    let (dir, path) = temp_db();
    let mut store = open_staffed(&path);
    let mut data = sample();
    let se = data
        .self_evals
        .iter_mut()
        .find(|s| s.project_code == "P-101-01")
        .unwrap();
    se.report = REPORT.into();
    store.load_dataset(&data, "importer").unwrap();
    store.refresh_findings(&Config::defaults().rules, today()).unwrap();
    drop(store);
    let app = app_at(&path);
    (dir, path, app)
}

fn app_at(path: &std::path::Path) -> App {
    let mut app = App::new(
        Store::open(path).unwrap(),
        Config::defaults(),
        USER.into(),
        "张丽".into(),
        layout::visible_rows(80, 24),
    )
    .unwrap();
    app.ses.today = today();
    app
}

fn render(app: &App, w: u16, h: u16) -> String {
    render_text(app, w, h)
}

/// The screen's lines trimmed and joined: wrapped text reads as one string.
fn flat(screen: &str) -> String {
    screen.lines().map(str::trim).collect()
}

/// Without spaces (a line may break at one, which then is not drawn) and
/// popup borders.
fn squeeze(text: &str) -> String {
    text.chars().filter(|c| *c != ' ' && *c != '|').collect()
}

/// Whether `text` is on the screen whole, wrapped or not.
fn shows(screen: &str, text: &str) -> bool {
    squeeze(&flat(screen)).contains(&squeeze(text))
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

/// Switches to a stage's tab, selects the item of `project` (and opens it when `open`).
fn select_item(app: &mut App, tab: char, project: &str) {
    key(app, tab);
    for _ in 0..20 {
        let code = app
            .queue()
            .and_then(|q| q.selected_row())
            .and_then(|r| r.project_code.clone());
        if code.as_deref() == Some(project) {
            return;
        }
        key(app, 'j');
    }
    panic!("{project} not in the queue");
}

fn open_item(app: &mut App, tab: char, project: &str) {
    select_item(app, tab, project);
    enter(app);
    assert!(app.workspace.is_some(), "workspace open");
}

fn reader_open(app: &App) -> bool {
    matches!(app.ses.overlay, Some(Overlay::Reader(_)))
}

#[test]
fn the_self_evaluation_report_is_wrapped_in_the_workspace_not_cut() {
    let (_d, _p, mut app) = setup();
    open_item(&mut app, '3', "P-101-01");
    // Scroll until the report's section heading is at the top of the body.
    let mut screen = render(&app, 80, 24);
    for _ in 0..30 {
        if screen.lines().skip(5).take(3).any(|l| l.contains("-- 自评报告")) {
            break;
        }
        key(&mut app, 'j');
        screen = render(&app, 80, 24);
    }
    let head: String = REPORT.chars().take(150).collect();
    assert!(shows(&screen, &head), "report cut:\n{screen}");
    assert!(!screen.lines().any(|l| l.ends_with('~')), "a line is cut:\n{screen}");
    insta::assert_snapshot!("self_eval_report_wrapped_80x24", screen);
    // Scrolled on, the report ends whole.
    for _ in 0..12 {
        key(&mut app, 'j');
    }
    let screen = render(&app, 80, 24);
    assert!(shows(&screen, LAST_SENTENCE), "{screen}");
}

#[test]
fn the_reader_shows_the_whole_report_and_scrolls_to_its_end_at_80_columns() {
    let (_d, _p, mut app) = setup();
    open_item(&mut app, '3', "P-101-01");
    key(&mut app, 'i');
    assert!(reader_open(&app), "the reader key opens the reader");
    let screen = render(&app, 80, 24);
    // The title names the unit and the project; a position indicator shows where.
    assert!(screen.lines().next().unwrap().contains("区第一中学"), "{screen}");
    assert!(screen.lines().next().unwrap().contains("P-101-01"), "{screen}");
    assert!(screen.contains("行"), "{screen}");
    insta::assert_snapshot!("reader_self_eval_top_80x24", screen);
    key(&mut app, 'G');
    let screen = render(&app, 80, 24);
    assert!(shows(&screen, LAST_SENTENCE), "{screen}");
    insta::assert_snapshot!("reader_self_eval_end_80x24", screen);
    // Page back up and down, half pages, and close.
    press(&mut app, KeyCode::PageUp, KeyModifiers::NONE);
    press(&mut app, KeyCode::Char('d'), KeyModifiers::CONTROL);
    key(&mut app, ' ');
    key(&mut app, 'g');
    let top = render(&app, 80, 24);
    assert!(top.contains("1-"), "{top}");
    key(&mut app, 'q');
    assert!(!reader_open(&app));
    assert!(app.workspace.is_some(), "q closes the reader, not the workspace");
}

#[test]
fn the_reader_at_200_columns() {
    let (_d, _p, mut app) = setup();
    open_item(&mut app, '3', "P-101-01");
    key(&mut app, 'i');
    key(&mut app, 'G');
    let screen = render(&app, 200, 50);
    assert!(shows(&screen, LAST_SENTENCE), "{screen}");
    assert!(shows(&screen, REPORT), "the whole report on one screen:\n{screen}");
    insta::assert_snapshot!("reader_self_eval_200x50", screen);
}

#[test]
fn the_reader_from_the_queue_shows_the_findings_and_the_opinion() {
    let (_d, path, mut app) = setup();
    let id = {
        let store = Store::open(&path).unwrap();
        store
            .queue_page(Stage::SelfEval, None, 100)
            .unwrap()
            .into_iter()
            .find(|r| r.project_code.as_deref() == Some("P-101-01"))
            .unwrap()
            .review_id
    };
    let findings = Store::open(&path).unwrap().findings_for(id).unwrap();
    assert!(!findings.is_empty());
    select_item(&mut app, '3', "P-101-01");
    key(&mut app, 'i');
    assert!(reader_open(&app));
    let screen = render(&app, 80, 24);
    for f in &findings {
        assert!(shows(&screen, &f.message), "{} missing:\n{screen}", f.message);
    }
    assert!(screen.contains("审核意见"), "{screen}");
    key(&mut app, 'i');
    assert!(!reader_open(&app), "the reader key closes it again");
}

#[test]
fn the_draft_popup_shows_its_whole_text_at_80_columns() {
    let (_d, path, app) = setup();
    drop(app);
    let id = {
        let mut store = Store::open(&path).unwrap();
        let id = store.queue_page(Stage::Target, None, 1).unwrap()[0].review_id;
        store.save_draft(USER, id, "草稿：成本指标需细化").unwrap();
        id
    };
    assert!(id > 0);
    let app = app_at(&path);
    let screen = render(&app, 80, 24);
    assert!(
        shows(
            &screen,
            "发现上次未提交的意见草稿 1份。Enter 打开最近的一份继续编辑，n 稍后处理。"
        ),
        "{screen}"
    );
    let popup: Vec<&str> = screen.lines().filter(|l| l.contains('|')).collect();
    assert!(popup.iter().all(|l| !l.contains('~')), "{screen}");
    insta::assert_snapshot!("draft_popup_80x24", screen);
}

#[test]
fn a_long_refusal_is_read_whole() {
    let (_d, _p, mut app) = setup();
    open_item(&mut app, '3', "P-101-01");
    // An opinion of boilerplate only, then approve: refused with the reason.
    key(&mut app, 'o');
    for _ in 0..400 {
        press(&mut app, KeyCode::Backspace, KeyModifiers::NONE);
    }
    for c in "数据确认".chars() {
        key(&mut app, c);
    }
    press(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    key(&mut app, 'a');
    let message = app.ses.message.clone().expect("a refusal");
    assert!(message.contains("不能通过"), "{message}");
    let screen = render(&app, 80, 24);
    assert!(shows(&screen, &message), "refusal not whole:\n{screen}");
    insta::assert_snapshot!("refusal_80x24", screen);
    // The reader shows it too, first.
    key(&mut app, 'i');
    let screen = render(&app, 80, 24);
    assert!(shows(&screen, &message), "{screen}");
}

#[test]
fn a_message_longer_than_the_lines_is_cut_with_a_hint_and_read_in_the_reader() {
    let (_d, _p, mut app) = setup();
    let long: String = std::iter::repeat_n(
        "批量通过 3 项；2 项未通过（意见未逐条回应问题），如：区第一中学「P-101-01 项目」。",
        8,
    )
    .collect();
    app.ses.message = Some(long.clone());
    let screen = render(&app, 80, 24);
    assert!(screen.contains("（i 查看全文）"), "{screen}");
    assert!(!shows(&screen, &long));
    insta::assert_snapshot!("long_message_cut_80x24", screen);
    key(&mut app, 'i');
    assert!(reader_open(&app));
    let screen = render(&app, 80, 24);
    assert!(shows(&screen, &long), "{screen}");
}

#[test]
fn the_locale_hint_wraps_instead_of_being_cut() {
    let (_d, _p, mut app) = setup();
    app.ses.message = Some(jixiao::tui::strings::LOCALE_NOT_UTF8.into());
    let screen = render(&app, 80, 24);
    assert!(shows(&screen, jixiao::tui::strings::LOCALE_NOT_UTF8), "{screen}");
    insta::assert_snapshot!("locale_hint_80x24", screen);
}

#[test]
fn the_reader_key_is_in_the_help() {
    let (_d, _p, mut app) = setup();
    key(&mut app, '?');
    let screen = render(&app, 80, 24);
    assert!(screen.contains("查看全文"), "{screen}");
}

/// An opinion of several paragraphs, longer than the workspace's opinion lines.
const LONG_OPINION: &str = "经复核，单位自评得分与按指标实际完成值重新计算的得分差异较大：\n1. 自评得分 88.00，重算得分 54.60，相差 33.40 分，超过 5 分的允许范围，请逐项核实完成值并补充佐证材料。\n审核意见：已核减 33.40 分。\n2. 三级指标「工程验收合格率」未填实际完成值（目标 100），请补报验收结论及合格率计算依据。\n审核意见：请于 2024-01-31 前补报。\n请据实调整自评得分和等级后重新报送。";

#[test]
fn a_long_opinion_keeps_its_lines_and_is_whole_at_the_end_of_the_body() {
    let (_d, path, app) = setup();
    drop(app);
    {
        let mut store = Store::open(&path).unwrap();
        let row = store
            .queue_page(Stage::SelfEval, None, 100)
            .unwrap()
            .into_iter()
            .find(|r| r.project_code.as_deref() == Some("P-101-01"))
            .unwrap();
        store
            .save_opinion(row.review_id, row.version, LONG_OPINION, USER)
            .unwrap();
    }
    let mut app = app_at(&path);
    open_item(&mut app, '3', "P-101-01");
    let screen = render(&app, 80, 24);
    assert!(screen.contains("~ 意见共 8 行"), "{screen}");
    assert!(screen.contains("全文在正文末尾（i 查看全文）"), "{screen}");
    insta::assert_snapshot!("long_opinion_80x24", screen);
    key(&mut app, 'G');
    let screen = render(&app, 80, 24);
    assert!(screen.contains("-- 审核意见（全文）"), "{screen}");
    assert!(shows(&screen, "请据实调整自评得分和等级后重新报送。"), "{screen}");
    // The reader has it whole too, paragraph by paragraph.
    key(&mut app, 'i');
    key(&mut app, 'G');
    let screen = render(&app, 80, 24);
    for para in LONG_OPINION.lines() {
        assert!(shows(&screen, para), "{para}:\n{screen}");
    }
}

#[test]
fn monitoring_texts_wrap_in_the_workspace_and_the_reader() {
    let (dir, path) = temp_db();
    let mut store = open_staffed(&path);
    let mut data = sample();
    let explanation = "受汛期强降雨影响，6月至8月共停工47天；工程款按合同约定须待竣工验收合格后支付（合同编号JX-2023-017），目前已完成主体工程，预计11月20日前完成验收并支付剩余款项148.5万元，全年执行率可达95%以上。";
    data.monitoring[0].explanation = explanation.into();
    store.load_dataset(&data, "importer").unwrap();
    store.refresh_findings(&Config::defaults().rules, today()).unwrap();
    drop(store);
    let mut app = app_at(&path);
    open_item(&mut app, '2', "P-101-01");
    let screen = render(&app, 80, 24);
    assert!(shows(&screen, &format!("情况说明：{explanation}")), "{screen}");
    // Continuation lines hang under the text, not under the label.
    let second = screen
        .lines()
        .skip_while(|l| !l.starts_with("情况说明："))
        .nth(1)
        .unwrap();
    assert!(
        second.starts_with("          ") && !second.trim().is_empty(),
        "{screen}"
    );
    insta::assert_snapshot!("monitoring_long_explanation_80x24", screen);
    key(&mut app, 'i');
    let screen = render(&app, 80, 24);
    assert!(shows(&screen, explanation), "{screen}");
    assert!(screen.contains("-- 情况说明"), "{screen}");
    drop(dir);
}

#[test]
fn a_selected_key_evaluation_problem_stays_on_screen_when_problems_wrap() {
    let (dir, path) = temp_db();
    let mut store = open_staffed(&path);
    let mut data = sample();
    data.key_evals[0].problems = (1..=12)
        .map(|i| format!("问题{i}：项目资金拨付进度与合同约定不一致，部分款项滞后支付超过90天，未按规定履行调整程序，影响项目整体绩效目标实现"))
        .collect();
    store.load_dataset(&data, "importer").unwrap();
    store.refresh_findings(&Config::defaults().rules, today()).unwrap();
    drop(store);
    let mut app = app_at(&path);
    open_item(&mut app, '4', "P-202-01");
    for n in 2..=12 {
        key(&mut app, 'j');
        let screen = render(&app, 80, 24);
        let head = format!("{n}. 问题{n}：");
        assert!(screen.contains(&head), "problem {n} not shown:\n{screen}");
        // Its second line is on screen too.
        let line = screen.lines().position(|l| l.starts_with(&head)).unwrap();
        let next = screen.lines().nth(line + 1).unwrap();
        assert!(next.starts_with("   ") && next.contains("调整"), "{screen}");
    }
    drop(dir);
}

#[test]
fn scrolling_past_the_end_of_a_workspace_does_not_pile_up() {
    let (_d, _p, mut app) = setup();
    open_item(&mut app, '3', "P-101-01");
    render(&app, 80, 24);
    for _ in 0..60 {
        key(&mut app, 'j');
    }
    let bottom = render(&app, 80, 24);
    key(&mut app, 'k');
    let up_one = render(&app, 80, 24);
    assert_ne!(bottom, up_one, "one k after scrolling past the end moves up at once");
}

#[test]
fn hostile_text_in_a_report_is_inert_in_the_workspace_and_the_reader() {
    let (dir, path) = temp_db();
    let mut store = open_staffed(&path);
    let mut data = sample();
    data.self_evals[1].report = "报告\x1b[2J\x1b[H第一段\r\n第二段\x1b]0;pwned\x07结束\u{202e}反转\x08\x07。".into();
    store.load_dataset(&data, "importer").unwrap();
    store.refresh_findings(&Config::defaults().rules, today()).unwrap();
    drop(store);
    let mut app = app_at(&path);
    open_item(&mut app, '3', "P-101-01");
    key(&mut app, 'G');
    let workspace = render(&app, 80, 24);
    key(&mut app, 'i');
    let reader = render(&app, 80, 24);
    for screen in [&workspace, &reader] {
        assert!(
            !screen.chars().any(|c| c.is_control() && c != '\n'),
            "control characters reached the screen: {screen:?}"
        );
    }
    // The reader keeps the report's own line break.
    assert!(reader.contains(" 报告第一段\n 第二段结束反转。"), "{reader}");
    drop(dir);
}
