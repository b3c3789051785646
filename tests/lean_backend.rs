//! The lean backend must leave exactly the screen ratatui's own crossterm
//! backend leaves: both byte streams are replayed into a terminal emulator
//! (vt100) after every key of a long session with Chinese data, and the
//! screens compared cell by cell (text and attributes).

mod common;

use common::*;
use jixiao::config::Config;
use jixiao::domain::*;
use jixiao::store::{QueueFilter, Store};
use jixiao::tui::app::App;
use jixiao::tui::lean_backend::LeanBackend;
use jixiao::tui::terminal::draw_synchronized;
use jixiao::tui::theme::Theme;
use jixiao::tui::view::{ViewContext, draw};
use jixiao::tui::{handle_event, layout};
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Rect, Size};
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::cell::RefCell;
use std::io::Write;
use std::rc::Rc;

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

fn fixed() -> TerminalOptions {
    TerminalOptions {
        viewport: Viewport::Fixed(Rect::new(0, 0, 80, 24)),
    }
}

/// A queue long enough to scroll: 60 units with Chinese names, several projects each.
fn long_store() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, path) = temp_db();
    let mut store = open_staffed(&path);
    let mut ds = sample();
    for u in 0..60 {
        let code = format!("9{u:02}");
        ds.units
            .push(unit(&code, &format!("区第{u}中心学校（含ＡＢＣ分校）"), "教科文科"));
        for p in 0..4 {
            let mut pr = project(
                &format!("P{code}{p}"),
                &code,
                FundKind::Special,
                rust_decimal::Decimal::from(10_000 * (u * 7 + p + 1)),
            );
            pr.name = format!("校舍维修改造第{p}期工程（２０２３年）");
            ds.projects.push(pr);
        }
    }
    store.load_dataset(&ds, "importer").unwrap();
    let ids = store.queue_ids(&QueueFilter::stage(Stage::Target)).unwrap();
    for (i, id) in ids.iter().enumerate().filter(|(i, _)| i % 3 == 0) {
        let f = Finding {
            rule: "T-TEST".into(),
            severity: if i % 2 == 0 {
                Severity::Blocking
            } else {
                Severity::Warning
            },
            stage: Stage::Target,
            unit_code: "101".into(),
            project_code: None,
            indicator: None,
            message: format!("三级指标「受益学生人数{i}」为定性表述，未细化量化"),
        };
        store.replace_findings(*id, &[f]).unwrap();
    }
    (dir, path)
}

fn screen_of(bytes: &[u8]) -> vt100::Parser {
    let mut parser = vt100::Parser::new(24, 80, 0);
    parser.process(bytes);
    parser
}

fn cells(p: &vt100::Parser) -> Vec<String> {
    let s = p.screen();
    let mut out = Vec::new();
    for row in 0..24 {
        let mut line = String::new();
        for col in 0..80 {
            if let Some(c) = s.cell(row, col) {
                // A cleared cell and a written blank look the same; compare what is seen.
                let text = if c.contents().is_empty() && !c.is_wide_continuation() {
                    " ".to_string()
                } else {
                    c.contents().to_string()
                };
                // The colour and weight of a blank's glyph are not seen (unless
                // inverse turns the foreground into the background).
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

#[test]
fn lean_backend_leaves_the_same_screen_as_the_plain_one() {
    let (_dir, path) = long_store();
    let config = Config::defaults();
    for theme in [Theme::ansi16(), Theme::mono()] {
        let ctx = ViewContext { theme: &theme };
        let (plain_tape, lean_tape) = (Tape::default(), Tape::default());
        let mut plain = Terminal::with_options(CrosstermBackend::new(plain_tape.clone()), fixed()).unwrap();
        let mut lean = Terminal::with_options(LeanBackend::new(lean_tape.clone(), Size::new(80, 24)), fixed()).unwrap();
        let mut app = App::new(
            Store::open(&path).unwrap(),
            config.clone(),
            "tester".into(),
            "测试".into(),
            layout::visible_rows(80, 24),
        )
        .unwrap();
        let mut keys: Vec<KeyCode> = Vec::new();
        keys.extend([KeyCode::Char('j'); 40]); // scrolls down one row at a time
        keys.extend([KeyCode::Char('k'); 30]); // and back up (reverse scrolls)
        keys.extend([
            KeyCode::PageDown,
            KeyCode::PageDown,
            KeyCode::Char('G'),
            KeyCode::Char('g'),
        ]);
        keys.extend([
            KeyCode::Char(' '),
            KeyCode::Char(' '),
            KeyCode::Tab,
            KeyCode::BackTab,
            KeyCode::Char('?'),
            KeyCode::Esc,
        ]);
        keys.extend([
            KeyCode::Char('s'),
            KeyCode::Char('j'),
            KeyCode::Char('j'),
            KeyCode::Char('s'),
        ]);
        keys.extend([KeyCode::Char('j'); 20]);
        let mut lean_bytes = 0;
        let mut plain_bytes = 0;
        for (step, k) in std::iter::once(None).chain(keys.into_iter().map(Some)).enumerate() {
            if let Some(code) = k {
                handle_event(&mut app, &Event::Key(KeyEvent::new(code, KeyModifiers::NONE))).unwrap();
            }
            draw_synchronized(&mut plain, |f| draw(f, &app, &ctx)).unwrap();
            draw_synchronized(&mut lean, |f| draw(f, &app, &ctx)).unwrap();
            let (p, l) = (screen_of(&plain_tape.0.borrow()), screen_of(&lean_tape.0.borrow()));
            let (pc, lc) = (cells(&p), cells(&l));
            for row in 0..24 {
                assert_eq!(
                    pc[row],
                    lc[row],
                    "screens differ after step {step} ({k:?}) on row {row}:\nplain: {}\nlean:  {}",
                    p.screen().contents().lines().nth(row).unwrap_or(""),
                    l.screen().contents().lines().nth(row).unwrap_or("")
                );
            }
            plain_bytes = plain_tape.0.borrow().len();
            lean_bytes = lean_tape.0.borrow().len();
        }
        assert!(
            lean_bytes * 2 < plain_bytes,
            "lean {lean_bytes} B vs plain {plain_bytes} B"
        );
    }
}

/// A shorter text replacing a longer one: one erase-to-end-of-line instead of
/// a space per cell, and the screen shows only the short text.
#[test]
fn a_shorter_line_is_cleared_with_one_erase() {
    use ratatui::widgets::Paragraph;
    let tape = Tape::default();
    let mut lean = Terminal::with_options(LeanBackend::new(tape.clone(), Size::new(80, 24)), fixed()).unwrap();
    let long = "整改措施：对照绩效目标逐项核实产出数量、质量、时效和成本指标，补充佐证材料并说明偏差原因";
    draw_synchronized(&mut lean, |f| f.render_widget(Paragraph::new(long), f.area())).unwrap();
    let before = tape.0.borrow().len();
    draw_synchronized(&mut lean, |f| f.render_widget(Paragraph::new("已核实"), f.area())).unwrap();
    let frame = tape.0.borrow()[before..].to_vec();
    let text = String::from_utf8_lossy(&frame);
    assert!(text.contains("\x1b[1;7H\x1b[K"), "one erase from column 7: {text:?}");
    // Without the erase: a cursor move and a space for each of the 37 cells left.
    assert!(frame.len() < 90, "{} bytes for six cells and an erase", frame.len());
    let screen = screen_of(&tape.0.borrow());
    assert_eq!(screen.screen().contents().lines().next().unwrap().trim_end(), "已核实");
}

/// ratatui clears the screen on every resize: there the backend's copy of the
/// screen must take the new size, or every cell past the old edge is dropped
/// (a grown window stayed blank beyond 80×24, the status bar lost).
#[test]
fn a_clear_after_the_window_grew_takes_the_new_size() {
    use ratatui::widgets::Paragraph;
    let tape = Tape::default();
    let mut lean = Terminal::new(LeanBackend::with_fixed_size(tape.clone(), Size::new(80, 24))).unwrap();
    draw_synchronized(&mut lean, |f| f.render_widget(Paragraph::new("目标审核"), f.area())).unwrap();
    lean.backend_mut().set_size(Size::new(120, 30));
    draw_synchronized(&mut lean, |f| {
        f.render_widget(Paragraph::new("目标审核"), f.area());
        f.render_widget(Paragraph::new("审核人:张丽"), Rect::new(109, 29, 11, 1));
    })
    .unwrap();
    let mut screen = vt100::Parser::new(30, 120, 0);
    screen.process(&tape.0.borrow());
    let rows: Vec<String> = screen.screen().contents().lines().map(String::from).collect();
    assert_eq!(rows.first().map(|r| r.trim_end()), Some("目标审核"));
    assert_eq!(rows.get(29).map(|r| r.trim()), Some("审核人:张丽"), "{rows:#?}");
}
