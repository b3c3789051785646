//! The terminal changing under the app: the window grown and shrunk (the
//! lean backend's bytes replayed into a terminal emulator, vt100, resized as a
//! real terminal is, and compared cell by cell with a fresh draw at the new
//! size), Ctrl-l repainting a damaged screen, and keys on the "too small"
//! screen going nowhere.

mod common;

use common::*;
use jixiao::config::Config;
use jixiao::store::Store;
use jixiao::tui::app::App;
use jixiao::tui::lean_backend::LeanBackend;
use jixiao::tui::overlay::Overlay;
use jixiao::tui::terminal::draw_frame;
use jixiao::tui::theme::Theme;
use jixiao::tui::view::{ViewContext, draw};
use jixiao::tui::{handle_event, layout};
use ratatui::Terminal;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Size;
use std::cell::RefCell;
use std::io::Write;
use std::rc::Rc;

const USER: &str = "zhangli";

#[derive(Clone, Default)]
struct Tape(Rc<RefCell<Vec<u8>>>);

impl Write for Tape {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Tape {
    /// The bytes written since the last call.
    fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.0.borrow_mut())
    }
}

/// A terminal of `size` that the test can resize, and the emulator it writes to.
struct Screen {
    tape: Tape,
    terminal: Terminal<LeanBackend<Tape>>,
    emulator: vt100::Parser,
}

impl Screen {
    fn new(size: Size) -> Screen {
        let tape = Tape::default();
        let terminal = Terminal::new(LeanBackend::with_fixed_size(tape.clone(), size)).unwrap();
        Screen {
            tape,
            terminal,
            emulator: vt100::Parser::new(size.height, size.width, 0),
        }
    }

    /// The window resized: the terminal keeps what it showed (cut or padded
    /// with blanks, as terminals do) and the app gets the event.
    fn resize(&mut self, app: &mut App, size: Size) {
        self.terminal.backend_mut().set_size(size);
        self.emulator.screen_mut().set_size(size.height, size.width);
        handle_event(app, &Event::Resize(size.width, size.height)).unwrap();
    }

    /// One frame, the way the run loop draws it.
    fn draw(&mut self, app: &mut App) {
        let theme = Theme::ansi16();
        let ctx = ViewContext { theme: &theme };
        let repaint = std::mem::take(&mut app.screen.repaint);
        draw_frame(&mut self.terminal, repaint, |f| draw(f, app, &ctx)).unwrap();
        self.emulator.process(&self.tape.take());
    }
}

/// What a terminal emulator shows: each cell's text and the attributes one
/// can see, row by row.
fn cells(p: &vt100::Parser) -> Vec<String> {
    let s = p.screen();
    let (rows, cols) = s.size();
    let mut out = Vec::new();
    for row in 0..rows {
        let mut line = String::new();
        for col in 0..cols {
            if let Some(c) = s.cell(row, col) {
                let text = if c.contents().is_empty() && !c.is_wide_continuation() {
                    " ".to_string()
                } else {
                    c.contents().to_string()
                };
                let invisible_fg = text == " " && !c.inverse();
                let fg = if invisible_fg {
                    "-".to_string()
                } else {
                    format!("{:?}{}", c.fgcolor(), c.bold())
                };
                line.push_str(&format!(
                    "{}|{}{:?}{}{};",
                    text,
                    fg,
                    c.bgcolor(),
                    c.inverse(),
                    c.underline()
                ));
            }
        }
        out.push(line);
    }
    out
}

/// The same app drawn on a new terminal of `size`.
fn fresh(app: &mut App, size: Size) -> vt100::Parser {
    let mut screen = Screen::new(size);
    screen.draw(app);
    screen.emulator
}

fn assert_same_screen(shown: &vt100::Parser, expected: &vt100::Parser, when: &str) {
    let (s, e) = (cells(shown), cells(expected));
    assert_eq!(shown.screen().size(), expected.screen().size(), "{when}");
    for row in 0..s.len() {
        assert_eq!(
            s[row],
            e[row],
            "{when}: row {row} differs from a fresh draw\nshown:    {}\nexpected: {}\n--- whole screen shown ---\n{}",
            shown.screen().contents().lines().nth(row).unwrap_or(""),
            expected.screen().contents().lines().nth(row).unwrap_or(""),
            shown.screen().contents()
        );
    }
}

fn app_on(path: &std::path::Path) -> App {
    let mut config = Config::defaults();
    config.session.draft_autosave = false;
    App::new(
        Store::open(path).unwrap(),
        config,
        USER.into(),
        "张丽".into(),
        layout::visible_rows(80, 24),
    )
    .unwrap()
}

/// Enough items with Chinese names to fill a 120×30 table.
fn loaded_app() -> (tempfile::TempDir, std::path::PathBuf, App) {
    let (dir, path) = temp_db();
    let mut store = open_staffed(&path);
    store.load_dataset(&with_clean_projects(60), "importer").unwrap();
    drop(store);
    let app = app_on(&path);
    (dir, path, app)
}

fn key(app: &mut App, code: KeyCode) {
    handle_event(app, &Event::Key(KeyEvent::new(code, KeyModifiers::NONE))).unwrap();
}

fn ctrl(app: &mut App, c: char) {
    handle_event(app, &Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))).unwrap();
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

fn editor_text(app: &App) -> String {
    match &app.ses.overlay {
        Some(Overlay::Editor(editor, _)) => editor.text(),
        _ => panic!("no editor open"),
    }
}

#[test]
fn growing_and_shrinking_the_window_redraws_it_whole() {
    let (_dir, _path, mut app) = loaded_app();
    let mut screen = Screen::new(Size::new(80, 24));
    screen.draw(&mut app);
    assert_same_screen(&screen.emulator, &fresh(&mut app, Size::new(80, 24)), "the first frame");
    for (w, h) in [(120, 30), (100, 30), (80, 24), (70, 20), (80, 24), (120, 30), (100, 26)] {
        let size = Size::new(w, h);
        screen.resize(&mut app, size);
        screen.draw(&mut app);
        let expected = fresh(&mut app, size);
        assert_same_screen(&screen.emulator, &expected, &format!("after resizing to {w}×{h}"));
        if layout::too_small(ratatui::layout::Rect::new(0, 0, w, h)) {
            assert!(
                screen.emulator.screen().contents().contains("终端窗口太小"),
                "{}",
                screen.emulator.screen().contents()
            );
            continue;
        }
        assert!(
            screen
                .emulator
                .screen()
                .contents()
                .lines()
                .nth(h as usize - 1)
                .is_some_and(|l| l.contains("审核人")),
            "the status bar on the last row at {w}×{h}:\n{}",
            screen.emulator.screen().contents()
        );
        // Moving about at the new size keeps the screen right too.
        for _ in 0..3 {
            key(&mut app, KeyCode::Char('j'));
            screen.draw(&mut app);
        }
        assert_same_screen(
            &screen.emulator,
            &fresh(&mut app, size),
            &format!("after j j j at {w}×{h}"),
        );
    }
}

/// With an opinion being typed, the editor's popup is redrawn at the new size too.
#[test]
fn a_resize_with_the_editor_open_redraws_the_popup() {
    let (_dir, _path, mut app) = loaded_app();
    let mut screen = Screen::new(Size::new(80, 24));
    screen.draw(&mut app);
    key(&mut app, KeyCode::Char('r'));
    typed(&mut app, "请补充成本指标");
    screen.draw(&mut app);
    for (w, h) in [(120, 30), (80, 24)] {
        let size = Size::new(w, h);
        screen.resize(&mut app, size);
        screen.draw(&mut app);
        assert_same_screen(&screen.emulator, &fresh(&mut app, size), &format!("editor at {w}×{h}"));
    }
}

/// Ctrl-l repaints a screen that something else wrote over (a `wall`
/// message, line noise): the terminal is cleared and the frame drawn whole.
#[test]
fn ctrl_l_repaints_a_damaged_screen() {
    let (_dir, _path, mut app) = loaded_app();
    let mut screen = Screen::new(Size::new(80, 24));
    screen.draw(&mut app);
    screen
        .emulator
        .process("\x1b[5;10HBroadcast message from root: 系统将于 10 分钟后重启".as_bytes());
    ctrl(&mut app, 'l');
    screen.draw(&mut app);
    assert_same_screen(&screen.emulator, &fresh(&mut app, Size::new(80, 24)), "after Ctrl-l");
}

/// On the "too small" screen nothing is shown but the notice, so keys must
/// not reach the hidden editor; q quits, keeping the text as a draft.
#[test]
fn keys_on_the_too_small_screen_go_nowhere_and_q_quits_keeping_the_draft() {
    let (_dir, path, mut app) = loaded_app();
    key(&mut app, KeyCode::Char('r'));
    typed(&mut app, "请补充成本指标，");
    let before = editor_text(&app);
    let review_id = match &app.ses.overlay {
        Some(Overlay::Editor(editor, _)) => editor.review_id(),
        _ => unreachable!(),
    };
    handle_event(&mut app, &Event::Resize(70, 20)).unwrap();
    for code in [
        KeyCode::Char('x'),
        KeyCode::Char('请'),
        KeyCode::Backspace,
        KeyCode::Enter,
        KeyCode::Esc,
    ] {
        key(&mut app, code);
        assert_eq!(editor_text(&app), before, "{code:?} changed the hidden editor");
    }
    handle_event(&mut app, &Event::Paste("粘贴的文字".into())).unwrap();
    ctrl(&mut app, 's');
    assert_eq!(editor_text(&app), before, "keys reached the hidden editor");
    assert!(!app.quit);

    // Grown back, the editor is as it was and takes keys again.
    handle_event(&mut app, &Event::Resize(80, 24)).unwrap();
    typed(&mut app, "十日内");
    assert_eq!(editor_text(&app), format!("{before}十日内"));

    handle_event(&mut app, &Event::Resize(70, 20)).unwrap();
    key(&mut app, KeyCode::Char('q'));
    assert!(app.quit, "q quits from the too-small screen");
    let kept = format!("{before}十日内");
    let store = Store::open(&path).unwrap();
    let draft = store.draft(USER, review_id).unwrap().expect("the text kept as a draft");
    assert_eq!(draft.text, kept);
}

/// A bulk reason belongs to no one item, so no draft can keep it: q on the
/// too-small screen then does not quit (the reviewer is there to be told).
#[test]
fn q_on_the_too_small_screen_does_not_drop_a_bulk_reason() {
    let (_dir, _path, mut app) = loaded_app();
    key(&mut app, KeyCode::Char('T'));
    key(&mut app, KeyCode::Char('R'));
    key(&mut app, KeyCode::Char('y'));
    typed(&mut app, "已电话核实");
    let before = editor_text(&app);
    handle_event(&mut app, &Event::Resize(70, 20)).unwrap();
    key(&mut app, KeyCode::Char('q'));
    assert!(!app.quit);
    assert_eq!(editor_text(&app), before);
    assert!(
        app.ses.message.as_deref().is_some_and(|m| m.contains("草稿")),
        "{:?}",
        app.ses.message
    );
}
