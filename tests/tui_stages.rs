//! The stage workspaces, the rectification board and the overview, rendered
//! at 80×24 with Chinese data and driven by keys through `tui::handle_event`;
//! each replay takes one item to its end state and checks the database, the
//! audit log and the rectification it created.

mod common;

use chrono::NaiveDate;
use common::*;
use jixiao::config::Config;
use jixiao::domain::key_eval_docs::KeyEvalDoc;
use jixiao::domain::states::RectAction;
use jixiao::domain::*;
use jixiao::store::{AuditFilter, NewRectification, Store, StoreError};
use jixiao::tui::app::App;
use jixiao::tui::overlay::Overlay;
use jixiao::tui::theme::Theme;
use jixiao::tui::view::{ViewContext, draw};
use jixiao::tui::{handle_event, layout};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

const USER: &str = "zhangli";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 11, 15).unwrap()
}

/// The sample year with its findings, opened as the reviewer on a fixed day.
fn setup() -> (tempfile::TempDir, std::path::PathBuf, App) {
    let (dir, path) = temp_db();
    let mut store = open_staffed(&path);
    store.load_dataset(&sample(), "importer").unwrap();
    store.refresh_findings(&Config::defaults().rules, today()).unwrap();
    drop(store);
    let app = app_at(&path);
    (dir, path, app)
}

fn app_at(path: &std::path::Path) -> App {
    app_with(path, Config::defaults())
}

/// The reviewer's session on `path` with this config, on the fixed day.
fn app_with(path: &std::path::Path, config: Config) -> App {
    let mut app = App::new(
        Store::open(path).unwrap(),
        config,
        USER.into(),
        "张丽".into(),
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
            x += unicode_width::UnicodeWidthStr::width(sym).max(1) as u16;
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

fn save(app: &mut App) {
    press(app, KeyCode::Char('s'), KeyModifiers::CONTROL);
}

/// Switches to a stage's tab, selects the item of `project` and presses Enter.
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

fn review_id(path: &std::path::Path, stage: Stage, project: &str) -> i64 {
    let store = Store::open(path).unwrap();
    store
        .queue_page(stage, None, 100)
        .unwrap()
        .into_iter()
        .find(|r| r.project_code.as_deref() == Some(project))
        .unwrap()
        .review_id
}

fn audit_events(path: &std::path::Path, target: &str) -> Vec<(String, String)> {
    let store = Store::open(path).unwrap();
    store
        .audit_entries(&AuditFilter {
            target: Some(target.into()),
            ..AuditFilter::default()
        })
        .unwrap()
        .into_iter()
        .map(|e| (e.event, e.outcome))
        .collect()
}

// ---- target audit ------------------------------------------------------------------

#[test]
fn target_workspace_at_80x24() {
    let (_d, _p, mut app) = setup();
    open_item(&mut app, '1', "P-101-01");
    let screen = render(&app, 80, 24);
    for part in [
        "目标审核 - 区第一中学",
        "完整性",
        "可行性",
        "审核结论",
        "产出指标",
        "1-4 选项",
    ] {
        assert!(screen.contains(part), "{part} missing:\n{screen}");
    }
    insta::assert_snapshot!("target_80x24", screen);
}

/// `[keys.workspace] pass = ["P"]`: the hint line, the help and the key
/// itself follow the config; `p` no longer passes anything.
#[test]
fn a_remapped_workspace_key_shows_in_the_hint_and_the_help_and_works() {
    let (_d, path, _app) = setup();
    let config =
        Config::from_str_layers(&[("user.toml", "[keys.workspace]\npass = [\"P\"]\nconclusion = [\"K\"]\n")]).unwrap();
    let mut app = app_with(&path, config);
    open_item(&mut app, '1', "P-101-01");
    let screen = render(&app, 80, 24);
    assert!(screen.contains("P 通过"), "{screen}");
    assert!(screen.contains("K 改结论"), "{screen}");
    assert!(!screen.contains("p 通过"), "{screen}");
    // `?` in the workspace lists the workspace's keys, remapped.
    key(&mut app, '?');
    let help = render(&app, 80, 24);
    assert!(help.contains("帮助：目标审核"), "{help}");
    assert!(help.contains("P ") && help.contains("判为通过"), "{help}");
    key(&mut app, 'q');
    // The old key does nothing; the new one passes the first criterion.
    key(&mut app, 'p');
    assert_eq!(
        app.workspace
            .as_ref()
            .unwrap()
            .item
            .review
            .verdicts
            .get(jixiao::domain::Criterion::ALL[0]),
        None
    );
    key(&mut app, 'P');
    assert_eq!(
        app.workspace
            .as_ref()
            .unwrap()
            .item
            .review
            .verdicts
            .get(jixiao::domain::Criterion::ALL[0]),
        Some(&jixiao::domain::model::Verdict::Pass)
    );
}

#[test]
fn target_audit_four_verdicts_then_return() {
    let (_d, path, mut app) = setup();
    open_item(&mut app, '1', "P-101-01");
    // A decision before the four verdicts are given is refused.
    key(&mut app, 'r');
    assert!(
        app.ses.message.as_deref().unwrap().contains("尚未全部给出"),
        "{:?}",
        app.ses.message
    );
    key(&mut app, 'p'); // 完整性 通过
    key(&mut app, 'f'); // 相关性 不通过
    typed(&mut app, "指标与单位职责关联不强");
    enter(&mut app);
    key(&mut app, 'f'); // 适当性 不通过
    enter(&mut app); // no reason: refused
    assert!(
        app.ses.message.as_deref().unwrap().contains("须写明理由"),
        "{:?}",
        app.ses.message
    );
    key(&mut app, 'f');
    typed(&mut app, "成本测算依据不足");
    enter(&mut app);
    key(&mut app, 'p'); // 可行性 通过
    let screen = render(&app, 80, 24);
    assert!(screen.contains("审核结论：中（退回单位修改后重新报送）"), "{screen}");
    insta::assert_snapshot!("target_verdicts_80x24", screen);
    // 中 cannot be approved…
    key(&mut app, 'a');
    assert!(
        app.ses.message.as_deref().unwrap().contains("应退回"),
        "{:?}",
        app.ses.message
    );
    // …it is returned, the opinion starting from the failed criteria.
    key(&mut app, 'r');
    match &app.ses.overlay {
        Some(Overlay::Editor(e, _)) => {
            let text = e.text();
            assert!(text.contains("相关性：指标与单位职责关联不强"), "{text}");
            assert!(text.contains("适当性：成本测算依据不足"), "{text}");
        }
        _ => panic!("editor expected"),
    }
    save(&mut app);
    assert!(app.ses.overlay.is_none(), "{:?}", app.ses.message);
    let id = review_id(&path, Stage::Target, "P-101-01");
    let store = Store::open(&path).unwrap();
    let r = store.review(id).unwrap().unwrap();
    assert_eq!(r.state, ReviewState::Returned);
    assert_eq!(
        r.verdicts.relevance,
        Some(Verdict::Fail("指标与单位职责关联不强".into()))
    );
    assert_eq!(r.verdicts.completeness, Some(Verdict::Pass));
    let events = audit_events(&path, &format!("review:{id}"));
    assert_eq!(events.iter().filter(|(e, o)| e == "verdicts" && o == "ok").count(), 4);
    assert!(events.contains(&("decision".into(), "ok".into())));
    assert!(store.verify_audit().unwrap().is_intact());
}

#[test]
fn a_changed_conclusion_needs_a_reason() {
    let (_d, path, mut app) = setup();
    open_item(&mut app, '1', "P-101-01");
    for _ in 0..4 {
        key(&mut app, 'p');
    }
    key(&mut app, 'c');
    typed(&mut app, "良");
    enter(&mut app);
    assert!(
        app.ses.message.as_deref().unwrap().contains("须写明理由"),
        "{:?}",
        app.ses.message
    );
    key(&mut app, 'c');
    typed(&mut app, "良 年度目标与预算规模不完全匹配");
    enter(&mut app);
    let store = Store::open(&path).unwrap();
    let r = store
        .review(review_id(&path, Stage::Target, "P-101-01"))
        .unwrap()
        .unwrap();
    let o = r.verdicts.conclusion.unwrap();
    assert_eq!(o.grade, Grade::Good);
    assert_eq!(o.reason, "年度目标与预算规模不完全匹配");
}

#[test]
fn x_opens_a_rectification_prefilled_from_the_findings() {
    let (_d, path, mut app) = setup();
    open_item(&mut app, '1', "P-202-01");
    key(&mut app, 'x');
    let text = match &app.ses.overlay {
        Some(Overlay::Editor(e, _)) => e.text(),
        _ => panic!("editor expected"),
    };
    // One numbered line per finding, nothing before them.
    assert!(text.starts_with("1. "), "{text}");
    assert!(text.contains("年度绩效目标"), "{text}");
    save(&mut app);
    let store = Store::open(&path).unwrap();
    let rects = store.rectifications(None).unwrap();
    assert_eq!(rects.len(), 1);
    let r = &rects[0];
    assert_eq!(r.source_stage, Stage::Target);
    assert_eq!(r.source_review, Some(review_id(&path, Stage::Target, "P-202-01")));
    assert_eq!(r.deadline, today() + chrono::Duration::days(30));
    assert_eq!(r.problem, text);
}

#[test]
fn x_in_the_queue_works_too() {
    let (_d, path, mut app) = setup();
    key(&mut app, '2');
    key(&mut app, 'x');
    assert!(matches!(app.ses.overlay, Some(Overlay::Editor(..))));
    save(&mut app);
    let store = Store::open(&path).unwrap();
    assert_eq!(store.rectifications(None).unwrap()[0].source_stage, Stage::Monitoring);
}

// ---- monitoring ------------------------------------------------------------------

#[test]
fn monitoring_workspace_at_80x24() {
    let (_d, _p, mut app) = setup();
    open_item(&mut app, '2', "P-101-01");
    let screen = render(&app, 80, 24);
    for part in [
        "预算执行：100.00 / 预算 250.00万元 40.0%",
        "|",
        "情况说明：工程款待验收后支付",
        "维修校舍数量",
    ] {
        assert!(screen.contains(part), "{part} missing:\n{screen}");
    }
    insta::assert_snapshot!("monitoring_80x24", screen);
}

/// The bar's mark and the progress heading follow the bureau's thresholds,
/// not a literal 75 %.
#[test]
fn the_monitoring_lines_are_drawn_at_the_configured_thresholds() {
    let (_d, path, _app) = setup();
    let mut config = Config::defaults();
    config.rules.monitoring.execution_threshold = rust_decimal::dec!(0.8);
    config.rules.monitoring.progress_threshold = rust_decimal::dec!(0.6);
    let mut app = app_with(&path, config);
    open_item(&mut app, '2', "P-101-01");
    let screen = render(&app, 80, 24);
    assert!(screen.contains("（| 为 80% 线）"), "{screen}");
    assert!(screen.contains("低于 60% 标 !"), "{screen}");
}

#[test]
fn monitoring_reject_opens_a_rectification_seen_on_the_board() {
    let (_d, path, mut app) = setup();
    open_item(&mut app, '2', "P-101-01");
    key(&mut app, 'r');
    assert!(matches!(app.ses.overlay, Some(Overlay::Editor(..))));
    save(&mut app);
    assert!(app.ses.overlay.is_none(), "{:?}", app.ses.message);
    assert!(
        app.ses.message.as_deref().unwrap().contains("整改事项已建立"),
        "{:?}",
        app.ses.message
    );
    let id = review_id(&path, Stage::Monitoring, "P-101-01");
    let store = Store::open(&path).unwrap();
    assert_eq!(store.review(id).unwrap().unwrap().state, ReviewState::Returned);
    let rects = store.rectifications(None).unwrap();
    assert_eq!(rects.len(), 1);
    assert_eq!(rects[0].source_review, Some(id));
    assert_eq!(rects[0].state, RectState::Open);
    assert!(rects[0].required_measure.contains("不予认可"));
    let events = audit_events(&path, &format!("rectification:{}", rects[0].id));
    assert_eq!(events, vec![("rectification".to_string(), "ok".to_string())]);
    // Back to the queue and over to the board.
    key(&mut app, 'q');
    key(&mut app, '5');
    let screen = render(&app, 80, 24);
    assert!(screen.contains("-- 待整改 (1)"), "{screen}");
    assert!(screen.contains("区第一中学"), "{screen}");
    assert!(screen.contains("剩30天"), "{screen}");
}

#[test]
fn monitoring_accept_and_the_key_project_list() {
    let (_d, path, mut app) = setup();
    open_item(&mut app, '2', "P-101-01");
    key(&mut app, 'l');
    let screen = render(&app, 80, 24);
    assert!(screen.contains("重点项目执行清单"), "{screen}");
    // Lowest execution first: P-101-01 at 40 % before P-202-01 at 93 %.
    let a = screen.find("40.0%").unwrap();
    let b = screen.find("93.3%").unwrap();
    assert!(a < b, "{screen}");
    insta::assert_snapshot!("monitoring_list_80x24", screen);
    key(&mut app, 'j');
    enter(&mut app);
    assert_eq!(
        app.workspace.as_ref().unwrap().item.review.project_code.as_deref(),
        Some("P-202-01")
    );
    // P-202-01 executed 93 %: no exception, accepted in one key.
    key(&mut app, 'a');
    assert!(app.ses.overlay.is_none());
    let store = Store::open(&path).unwrap();
    let r = store
        .review(review_id(&path, Stage::Monitoring, "P-202-01"))
        .unwrap()
        .unwrap();
    assert_eq!(r.state, ReviewState::Approved);
}

// ---- self-evaluation -----------------------------------------------------------------

#[test]
fn self_eval_workspace_shows_the_recomputation() {
    let (_d, _p, mut app) = setup();
    open_item(&mut app, '3', "P-101-01");
    let screen = render(&app, 80, 24);
    for part in [
        "自评得分 88",
        "重算得分 54.60（差）",
        "相差 33.40 分",
        "10 月监控执行 100.00万元 40.0%",
        "预算执行率",
    ] {
        assert!(screen.contains(part), "{part} missing:\n{screen}");
    }
    insta::assert_snapshot!("self_eval_80x24", screen);
}

#[test]
fn self_eval_needs_an_opinion_that_answers_each_finding() {
    let (_d, path, mut app) = setup();
    let id = review_id(&path, Stage::SelfEval, "P-101-01");
    open_item(&mut app, '3', "P-101-01");
    let findings = app.workspace.as_ref().unwrap().item.findings.len();
    assert!(findings >= 2, "sample self-evaluation has findings");
    // No opinion: refused.
    key(&mut app, 'a');
    assert!(
        app.ses.message.as_deref().unwrap().contains("审核意见"),
        "{:?}",
        app.ses.message
    );
    // 数据确认 alone: refused.
    {
        let mut store = Store::open(&path).unwrap();
        let v = store.review(id).unwrap().unwrap().version;
        store.save_opinion(id, v, "数据确认", USER).unwrap();
    }
    key(&mut app, 'k'); // any key; the workspace re-reads on the next write
    app.workspace.as_mut().unwrap().reload(&mut app.ses).unwrap();
    key(&mut app, 'a');
    assert!(
        app.ses.message.as_deref().unwrap().contains("套话"),
        "{:?}",
        app.ses.message
    );
    assert_eq!(
        Store::open(&path).unwrap().review(id).unwrap().unwrap().state,
        ReviewState::Pending
    );
    // The editor starts from one paragraph per finding (the saved opinion is cleared first).
    {
        let mut store = Store::open(&path).unwrap();
        let v = store.review(id).unwrap().unwrap().version;
        store.save_opinion(id, v, "", USER).unwrap();
    }
    app.workspace.as_mut().unwrap().reload(&mut app.ses).unwrap();
    key(&mut app, 'o');
    let text = match &app.ses.overlay {
        Some(Overlay::Editor(e, _)) => e.text(),
        _ => panic!("editor expected"),
    };
    assert_eq!(text.matches("审核意见：").count(), findings, "{text}");
    // Saved with the paragraphs unanswered: the approval names them.
    save(&mut app);
    key(&mut app, 'a');
    assert!(
        app.ses.message.as_deref().unwrap().contains("尚未填写"),
        "{:?}",
        app.ses.message
    );
}

#[test]
fn self_eval_approved_with_an_answered_opinion_and_result_confirmed() {
    let (_d, path, mut app) = setup();
    let id = review_id(&path, Stage::SelfEval, "P-101-01");
    // One finding to answer keeps the replay short.
    {
        let mut store = Store::open(&path).unwrap();
        let mut f = store.findings_for(id).unwrap();
        f.retain(|x| x.rule == "S-SCORE");
        assert_eq!(f.len(), 1);
        store.replace_findings(id, &f).unwrap();
    }
    open_item(&mut app, '3', "P-101-01");
    key(&mut app, 'o');
    typed(
        &mut app,
        "经核实工程验收合格率未填实际值，重算得分 54.6 分，自评得分依据不足，予以核减并要求补充佐证",
    );
    save(&mut app);
    key(&mut app, 'a'); // S-SCORE is blocking: the override editor opens with the opinion
    assert!(matches!(app.ses.overlay, Some(Overlay::Editor(..))));
    save(&mut app);
    let store = Store::open(&path).unwrap();
    let r = store.review(id).unwrap().unwrap();
    assert_eq!(r.state, ReviewState::Approved, "{:?}", app.ses.message);
    assert!(r.opinion.contains("审核意见：经核实"));
    drop(store);
    // Result application: 差 → the configured treatment, confirmed; then changed with a reason.
    key(&mut app, 'y');
    let store = Store::open(&path).unwrap();
    let rec = store.result_record(id).unwrap().unwrap();
    assert_eq!(rec.grade, Grade::Poor);
    assert!(rec.confirmed);
    drop(store);
    key(&mut app, 'm');
    typed(&mut app, "暂停安排");
    enter(&mut app);
    // The prompt stays with what was typed, asking for the reason; it is added to the line.
    match &app.ses.overlay {
        Some(Overlay::Prompt(p)) => assert!(p.line().0.contains("须写明理由"), "{:?}", p.line()),
        _ => panic!("the result prompt stays open"),
    }
    typed(&mut app, "；项目主体已完工，仅余质保金");
    enter(&mut app);
    let store = Store::open(&path).unwrap();
    let rec = store.result_record(id).unwrap().unwrap();
    assert!(!rec.confirmed);
    assert_eq!(rec.treatment, "暂停安排");
    assert_eq!(rec.reason, "项目主体已完工，仅余质保金");
    let events = audit_events(&path, &format!("review:{id}"));
    assert_eq!(events.iter().filter(|(e, _)| e == "result_application").count(), 2);
}

// ---- key evaluations ---------------------------------------------------------------------

#[test]
fn key_eval_workspace_at_80x24() {
    let (_d, _p, mut app) = setup();
    open_item(&mut app, '4', "P-202-01");
    let screen = render(&app, 80, 24);
    for part in [
        "某会计师事务所",
        "[x] 现场评价底稿 2023-06-01",
        "[ ] 现场评价回执 未收到",
        "绩效目标设置不够细化",
    ] {
        assert!(screen.contains(part), "{part} missing:\n{screen}");
    }
    insta::assert_snapshot!("key_eval_80x24", screen);
}

#[test]
fn key_eval_closes_only_after_the_three_documents() {
    let (_d, path, mut app) = setup();
    let id = review_id(&path, Stage::KeyEval, "P-202-01");
    open_item(&mut app, '4', "P-202-01");
    // Missing documents are blocking findings; even an override is refused by the store.
    key(&mut app, 'a');
    typed(&mut app, "评价机构已口头确认，先行结项，文件后补");
    save(&mut app);
    assert!(
        app.ses.message.as_deref().unwrap().contains("不能结项"),
        "{:?}",
        app.ses.message
    );
    press(&mut app, KeyCode::Esc, KeyModifiers::NONE);
    assert_eq!(
        Store::open(&path).unwrap().review(id).unwrap().unwrap().state,
        ReviewState::Pending
    );
    // Tick the two missing documents (dated today), then close.
    key(&mut app, '2');
    key(&mut app, '3');
    let item = &app.workspace.as_ref().unwrap().item;
    assert_eq!(item.key_eval.as_ref().unwrap().documents.missing(), Vec::<&str>::new());
    assert!(item.findings.iter().all(|f| f.rule != "K-DOC"), "{:?}", item.findings);
    key(&mut app, 'a');
    let store = Store::open(&path).unwrap();
    let r = store.review(id).unwrap().unwrap();
    assert_eq!(r.state, ReviewState::Approved, "{:?}", app.ses.message);
    let snap = store.snapshot(2023).unwrap();
    let ke = &snap.data.key_evals[0];
    assert_eq!(ke.documents.receipt, Some(today()));
    assert_eq!(ke.documents.feedback, Some(today()));
    let events = audit_events(&path, &format!("review:{id}"));
    assert!(events.contains(&("decision".into(), "refused".into())), "{events:?}");
    assert_eq!(events.iter().filter(|(e, _)| e == "document").count(), 2);
    assert!(events.contains(&("decision".into(), "ok".into())));
}

#[test]
fn key_eval_problem_becomes_a_rectification() {
    let (_d, path, mut app) = setup();
    open_item(&mut app, '4', "P-202-01");
    key(&mut app, 'j'); // the second problem
    key(&mut app, 'x');
    save(&mut app);
    let store = Store::open(&path).unwrap();
    let rects = store.rectifications(None).unwrap();
    assert_eq!(rects.len(), 1);
    assert!(rects[0].problem.contains("资金支付进度滞后"), "{}", rects[0].problem);
    assert_eq!(rects[0].source_stage, Stage::KeyEval);
}

#[test]
fn store_refuses_to_close_a_key_evaluation_with_a_missing_document() {
    let (_d, path, _app) = setup();
    let id = review_id(&path, Stage::KeyEval, "P-202-01");
    let mut store = Store::open(&path).unwrap();
    let v = store.review(id).unwrap().unwrap().version;
    let err = store
        .decide(
            id,
            v,
            jixiao::domain::states::ReviewAction::Approve {
                override_blocking: true,
            },
            "强制结项的理由写得足够长了",
            USER,
            10,
        )
        .unwrap_err();
    assert!(matches!(err, StoreError::Decision { .. }), "{err}");
    assert!(
        err.to_string()
            .contains("《现场评价回执》《财政业务科室绩效报告反馈意见》"),
        "{err}"
    );
    let v = store
        .set_key_eval_document(id, v, KeyEvalDoc::Receipt, Some(today()), USER)
        .unwrap()
        .version;
    assert!(
        store
            .decide(
                id,
                v,
                jixiao::domain::states::ReviewAction::Approve {
                    override_blocking: true
                },
                "强制结项的理由写得足够长了",
                USER,
                10
            )
            .is_err()
    );
    let v = store
        .set_key_eval_document(id, v, KeyEvalDoc::Feedback, Some(today()), USER)
        .unwrap()
        .version;
    let r = store
        .decide(
            id,
            v,
            jixiao::domain::states::ReviewAction::Approve {
                override_blocking: true,
            },
            "三项过程文件齐全，同意结项",
            USER,
            10,
        )
        .unwrap();
    assert_eq!(r.state, ReviewState::Approved);
    // An old version is a conflict, not a silent overwrite.
    assert!(matches!(
        store.set_key_eval_document(id, v, KeyEvalDoc::Receipt, None, USER),
        Err(StoreError::Conflict { .. })
    ));
}

// ---- rectification board -------------------------------------------------------------------

fn rect(store: &mut Store, unit: &str, project: &str, problem: &str, deadline: NaiveDate) -> i64 {
    store
        .create_rectification(
            &NewRectification {
                source_stage: Stage::Monitoring,
                source_review: None,
                unit_code: unit.into(),
                project_code: Some(project.into()),
                problem: problem.into(),
                required_measure: "加快支付进度并报送支付凭证".into(),
                deadline,
            },
            USER,
        )
        .unwrap()
        .id
}

fn board_setup() -> (tempfile::TempDir, std::path::PathBuf, App) {
    let (dir, path, app) = setup();
    drop(app);
    let mut store = Store::open(&path).unwrap();
    let d = |m, day| NaiveDate::from_ymd_opt(2023, m, day).unwrap();
    rect(&mut store, "101", "P-101-01", "预算执行率 40.0%，低于 75%", d(11, 10));
    let b = rect(&mut store, "202", "P-202-01", "未提交情况说明和整改措施", d(12, 15));
    let c = rect(&mut store, "101", "P-101-01", "指标完成可能性为有可能", d(11, 30));
    store.rect_action(b, 1, &RectAction::Start, USER).unwrap();
    store
        .rect_action(
            c,
            1,
            &RectAction::Submit {
                evidence: "支付凭证扫描件.pdf".into(),
            },
            USER,
        )
        .unwrap();
    drop(store);
    let app = app_at(&path);
    (dir, path, app)
}

#[test]
fn board_groups_by_state_and_highlights_overdue_against_the_clock() {
    let (_d, _p, mut app) = board_setup();
    key(&mut app, '5');
    let screen = render(&app, 80, 24);
    for part in [
        "-- 待整改 (1)",
        "-- 整改中 (1)",
        "-- 已报送 (1)",
        "逾期5天",
        "剩30天",
        "剩15天",
        "w 开始整改",
    ] {
        assert!(screen.contains(part), "{part} missing:\n{screen}");
    }
    insta::assert_snapshot!("board_80x24", screen);
    // The same item, a month later by the injected clock.
    app.ses.today = NaiveDate::from_ymd_opt(2023, 12, 20).unwrap();
    let screen = render(&app, 80, 24);
    assert!(screen.contains("逾期40天") && screen.contains("逾期5天"), "{screen}");
}

#[test]
fn board_sign_off_and_extension() {
    let (_d, path, mut app) = board_setup();
    key(&mut app, '5');
    // Rows: 待整改 (101), 整改中 (202), 已报送 (101). Sign off the submitted one.
    key(&mut app, 'j');
    key(&mut app, 'j');
    key(&mut app, 'v');
    assert!(
        app.ses.message.as_deref().unwrap().contains("销号"),
        "{:?}",
        app.ses.message
    );
    // Extend the open one: a date that is not later is refused, then a later one with a reason.
    key(&mut app, 'g');
    key(&mut app, 'd');
    typed(&mut app, "2023-13-01");
    enter(&mut app);
    // The prompt stays with the text, asking for a date it can read: clear it and write one.
    match &app.ses.overlay {
        Some(Overlay::Prompt(p)) => assert!(p.line().0.contains("无法识别的日期"), "{:?}", p.line()),
        _ => panic!("the date prompt stays open"),
    }
    press(&mut app, KeyCode::Char('u'), KeyModifiers::CONTROL);
    typed(&mut app, "2023-12-31");
    enter(&mut app);
    typed(&mut app, "资金下达滞后");
    enter(&mut app);
    let store = Store::open(&path).unwrap();
    let rects = store.rectifications(None).unwrap();
    let verified = rects.iter().find(|r| r.state == RectState::Verified).unwrap();
    assert_eq!(verified.verified_by.as_deref(), Some(USER));
    let extended = rects.iter().find(|r| !r.extensions.is_empty()).unwrap();
    assert_eq!(extended.deadline, NaiveDate::from_ymd_opt(2023, 12, 31).unwrap());
    assert_eq!(extended.extensions[0].reason, "资金下达滞后");
    let screen = render(&app, 80, 24);
    assert!(screen.contains("-- 已销号 (1)"), "{screen}");
    assert!(
        screen.contains("延期：2023-11-10 -> 2023-12-31 资金下达滞后"),
        "{screen}"
    );
}

// ---- overview ------------------------------------------------------------------------------

#[test]
fn overview_at_80x24() {
    let (_d, _p, mut app) = board_setup();
    key(&mut app, '6');
    let screen = render(&app, 80, 24);
    for part in [
        "目标申报",
        "单位 2/2",
        "开展自评",
        "单位 1/2",
        "各科室审核进度",
        "监控异常",
        "逾期未销号 1",
    ] {
        assert!(screen.contains(part), "{part} missing:\n{screen}");
    }
    insta::assert_snapshot!("overview_80x24", screen);
}

#[test]
fn key_eval_j_k_pick_problems_then_scroll_as_the_hint_says() {
    let (_d, path) = temp_db();
    let mut store = open_staffed(&path);
    let mut ds = sample();
    ds.key_evals[0].problems = (1..=15).map(|i| format!("第 {i} 个问题：资金支付进度滞后")).collect();
    store.load_dataset(&ds, "importer").unwrap();
    store.refresh_findings(&Config::defaults().rules, today()).unwrap();
    drop(store);
    let mut app = app_at(&path);
    open_item(&mut app, '4', "P-202-01");
    let screen = render(&app, 80, 24);
    assert!(screen.contains("j/k 选问题（到头后滚动）"), "{screen}");
    assert!(!screen.contains("-- 问题 (2)"), "the findings are below the fold");
    let cursor = |app: &App| app.workspace.as_ref().unwrap().stage.cursor();
    let scroll = |app: &App| app.workspace.as_ref().unwrap().scroll;
    for _ in 0..14 {
        key(&mut app, 'j');
        render(&app, 80, 24);
    }
    assert_eq!(cursor(&app), 14, "j picks the problems one by one");
    let at_last = scroll(&app);
    key(&mut app, 'j');
    assert_eq!(
        (cursor(&app), scroll(&app)),
        (14, at_last + 1),
        "past the last problem j scrolls"
    );
    for _ in 0..3 {
        key(&mut app, 'j');
    }
    let screen = render(&app, 80, 24);
    assert!(screen.contains("-- 问题 (2)"), "{screen}");
    key(&mut app, 'k');
    assert_eq!(cursor(&app), 13, "k picks the problem above");
}
