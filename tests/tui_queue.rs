//! The queue screen rendered to ratatui's TestBackend with Chinese data, and
//! key events replayed through the same dispatch the terminal uses.

mod common;

use common::*;
use jixiao::config::Config;
use jixiao::domain::*;
use jixiao::store::{QueueFilter, Store};
use jixiao::tui::app::App;
use jixiao::tui::theme::Theme;
use jixiao::tui::view::{ViewContext, draw};
use jixiao::tui::{handle_event, keymap, layout};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

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

fn app_with_findings() -> (tempfile::TempDir, App) {
    let (dir, mut store) = loaded_store();
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
    let app = App::new(store, "张审核".into(), layout::visible_rows(80, 24)).unwrap();
    (dir, app)
}

fn render(app: &App, w: u16, h: u16) -> String {
    let config = Config::defaults();
    let help = keymap::help_lines(&config.keys);
    let theme = Theme::mono();
    let ctx = ViewContext {
        theme: &theme,
        help: &help,
    };
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

fn key(app: &mut App, code: KeyCode) {
    let config = Config::defaults();
    handle_event(app, &config, &Event::Key(KeyEvent::new(code, KeyModifiers::NONE))).unwrap();
}

#[test]
fn queue_at_80x24_with_chinese_data() {
    let (_dir, app) = app_with_findings();
    insta::assert_snapshot!("queue_80x24", render(&app, 80, 24));
}

#[test]
fn queue_at_120x40() {
    let (_dir, app) = app_with_findings();
    insta::assert_snapshot!("queue_120x40", render(&app, 120, 40));
}

#[test]
fn moving_down_shows_the_selected_items_findings() {
    let (_dir, mut app) = app_with_findings();
    key(&mut app, KeyCode::Char('j'));
    let screen = render(&app, 80, 24);
    assert!(screen.contains("[阻断] 缺少成本指标"), "{screen}");
    insta::assert_snapshot!("queue_preview", screen);
}

#[test]
fn too_small_terminal_gets_a_message() {
    let (_dir, app) = app_with_findings();
    let screen = render(&app, 60, 20);
    assert!(screen.contains("至少需要 80×24，当前为60×20"), "{screen}");
}

#[test]
fn help_overlay_lists_the_live_key_map() {
    let (_dir, mut app) = app_with_findings();
    key(&mut app, KeyCode::Char('?'));
    let screen = render(&app, 80, 24);
    assert!(screen.contains("帮助"), "{screen}");
    assert!(screen.contains("下移一行"), "{screen}");
    insta::assert_snapshot!("help_overlay", screen);
}

#[test]
fn tabs_switch_by_number_and_tab_key() {
    let (_dir, mut app) = app_with_findings();
    key(&mut app, KeyCode::Char('2'));
    assert_eq!(app.stage(), Some(Stage::Monitoring));
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.stage(), Some(Stage::SelfEval));
    key(&mut app, KeyCode::BackTab);
    key(&mut app, KeyCode::BackTab);
    assert_eq!(app.stage(), Some(Stage::Target));
    key(&mut app, KeyCode::Char('G'));
    assert_eq!(app.queues[0].selected, app.queues[0].ids.len() - 1);
    key(&mut app, KeyCode::Char('g'));
    assert_eq!(app.queues[0].selected, 0);
}

#[allow(dead_code)]
fn unused(_: Store) {}
