//! Keystroke to frame, in-process: the real key dispatch (`tui::handle_event`)
//! and a real ratatui `Terminal` over the crossterm backend writing into a byte
//! counter, at 80×24. Each key's time covers update and draw; bytes are what
//! the terminal would receive.

use crate::config::Config;
use crate::domain::states::ReviewAction;
use crate::domain::{ReviewState, Stage};
use crate::store::{QueueFilter, Store};
use crate::tui::app::App;
use crate::tui::lean_backend::LeanBackend;
use crate::tui::{handle_event, layout, terminal as term, theme, view};
use ratatui::backend::Backend;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Rect, Size};
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::cell::Cell;
use std::io::Write;
use std::path::Path;
use std::rc::Rc;
use std::time::Instant;

/// Counts bytes instead of writing them.
#[derive(Clone, Default)]
pub struct ByteCounter(pub Rc<Cell<u64>>);

impl Write for ByteCounter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.set(self.0.get() + buf.len() as u64);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

pub fn counting_terminal(counter: &ByteCounter) -> std::io::Result<Terminal<CrosstermBackend<ByteCounter>>> {
    Terminal::with_options(CrosstermBackend::new(counter.clone()), fixed())
}

/// The backend the real terminal uses (scroll regions, no cursor move after wide characters).
pub fn counting_lean_terminal(counter: &ByteCounter) -> std::io::Result<Terminal<LeanBackend<ByteCounter>>> {
    Terminal::with_options(LeanBackend::new(counter.clone(), Size::new(80, 24)), fixed())
}

fn fixed() -> TerminalOptions {
    TerminalOptions {
        viewport: Viewport::Fixed(Rect::new(0, 0, 80, 24)),
    }
}

/// Median, p99 and mean bytes of one kind of key.
#[derive(Debug, Clone)]
pub struct KeyFigures {
    pub name: &'static str,
    pub label: &'static str,
    pub median_ms: f64,
    pub p99_ms: f64,
    pub bytes_per_key: f64,
}

pub fn summarise(name: &'static str, label: &'static str, mut times: Vec<f64>, bytes: u64) -> KeyFigures {
    times.sort_by(|a, b| a.total_cmp(b));
    let n = times.len().max(1);
    KeyFigures {
        name,
        label,
        median_ms: times.get(n / 2).copied().unwrap_or(0.0),
        p99_ms: times.get((n * 99 / 100).min(n - 1)).copied().unwrap_or(0.0),
        bytes_per_key: bytes as f64 / n as f64,
    }
}

struct Rig<B: Backend<Error = std::io::Error> + Write> {
    app: App,
    terminal: Terminal<B>,
    counter: ByteCounter,
    theme: theme::Theme,
}

impl<B: Backend<Error = std::io::Error> + Write> Rig<B> {
    fn draw(&mut self) -> std::io::Result<()> {
        let ctx = view::ViewContext { theme: &self.theme };
        let app = &self.app;
        term::draw_synchronized(&mut self.terminal, |f| view::draw(f, app, &ctx))
    }

    /// One key through the real dispatch and one frame; returns (ms, bytes).
    fn key(&mut self, code: KeyCode, mods: KeyModifiers) -> anyhow::Result<(f64, u64)> {
        let before = self.counter.0.get();
        let started = Instant::now();
        if handle_event(&mut self.app, &Event::Key(KeyEvent::new(code, mods)))? {
            self.draw()?;
        }
        Ok((started.elapsed().as_secs_f64() * 1000.0, self.counter.0.get() - before))
    }

    fn press(&mut self, code: KeyCode) -> anyhow::Result<()> {
        self.key(code, KeyModifiers::NONE).map(|_| ())
    }

    fn series(&mut self, name: &'static str, label: &'static str, keys: &[KeyCode]) -> anyhow::Result<KeyFigures> {
        let (mut times, mut bytes) = (Vec::with_capacity(keys.len()), 0);
        for k in keys {
            let (ms, b) = self.key(*k, KeyModifiers::NONE)?;
            times.push(ms);
            bytes += b;
        }
        Ok(summarise(name, label, times, bytes))
    }

    fn typed(&mut self, text: &str) -> anyhow::Result<()> {
        for c in text.chars() {
            self.press(KeyCode::Char(c))?;
        }
        Ok(())
    }
}

/// Every key kind through the lean backend the real terminal uses.
pub fn measure(db: &Path, config: &Config) -> anyhow::Result<Vec<KeyFigures>> {
    let counter = ByteCounter::default();
    let terminal = counting_lean_terminal(&counter)?;
    run_keys(db, config, terminal, counter, true)
}

/// Moves, scrolls and pages through ratatui's own crossterm backend: the "before".
pub fn measure_plain(db: &Path, config: &Config) -> anyhow::Result<Vec<KeyFigures>> {
    let counter = ByteCounter::default();
    let terminal = counting_terminal(&counter)?;
    run_keys(db, config, terminal, counter, false)
}

fn run_keys<B: Backend<Error = std::io::Error> + Write>(
    db: &Path,
    config: &Config,
    terminal: Terminal<B>,
    counter: ByteCounter,
    all: bool,
) -> anyhow::Result<Vec<KeyFigures>> {
    let store = Store::open(db)?;
    let user = crate::identity::os_user();
    let app = App::new(store, config.clone(), user.clone(), user, layout::visible_rows(80, 24))?;
    let mut rig = Rig {
        app,
        terminal,
        counter,
        theme: theme::Theme::ansi16(),
    };
    rig.app.ses.overlay = None; // a demo may leave drafts: not part of what is measured
    rig.draw()?;
    let page = rig.app.ses.page;
    let mut out = Vec::new();

    let wiggle = window_sweep(page);
    out.push(rig.series("move", "窗口内移动一行", &wiggle)?);
    // One-row scrolls: from the last visible row, every `j` scrolls by one.
    for _ in 0..page {
        rig.press(KeyCode::Char('j'))?;
    }
    out.push(rig.series("scroll", "滚动一行（连续 1000 次）", &[KeyCode::Char('j'); 1000])?);
    out.push(rig.series("page", "下翻一页", &[KeyCode::PageDown; 100])?);
    if !all {
        return Ok(out);
    }
    rig.press(KeyCode::Char('g'))?;
    out.push(rig.series("tab", "切换阶段", &[KeyCode::Tab; 60])?);
    rig.press(KeyCode::Char('1'))?;
    out.push(rig.series("tag", "标记一项", &[KeyCode::Char(' '); 200])?);
    rig.press(KeyCode::Char('T'))?;
    rig.press(KeyCode::Char('T'))?; // clear tags again

    // Filter: each `5` in the filter menu re-reads the queue for the new filter.
    rig.press(KeyCode::Char('f'))?;
    out.push(rig.series("filter", "切换筛选条件", &[KeyCode::Char('5'); 30])?);
    rig.press(KeyCode::Char('0'))?;
    rig.press(KeyCode::Esc)?;

    // Search over every item of the stage: `n` with a term matching a finding's text.
    rig.press(KeyCode::Char('/'))?;
    rig.typed("成本")?;
    rig.press(KeyCode::Enter)?;
    out.push(rig.series("search", "搜索下一个（全部事项）", &[KeyCode::Char('n'); 50])?);

    // Approve: clean pending items, one key each.
    rig.press(KeyCode::Char(':'))?;
    rig.typed("filter findings=无 state=待审")?;
    rig.press(KeyCode::Enter)?;
    let n = rig.app.queue().map_or(0, |q| q.ids.len()).min(200);
    out.push(rig.series("approve", "通过一项", &vec![KeyCode::Char('a'); n])?);
    Ok(out)
}

/// 1,000 moves inside a window of `page` rows: down to the last row and back
/// up, again and again, so every row of the window is left and entered alike.
pub fn window_sweep(page: usize) -> Vec<KeyCode> {
    let span = page.saturating_sub(1).max(1);
    (0..1000)
        .map(|i| {
            if (i / span).is_multiple_of(2) {
                KeyCode::Char('j')
            } else {
                KeyCode::Char('k')
            }
        })
        .collect()
}

/// Bulk approve of `n` clean pending target items in one batch, with audit; ms.
pub fn bulk_approve(store: &mut Store, n: usize) -> anyhow::Result<f64> {
    let mut filter = QueueFilter::stage(Stage::Target);
    filter.state = Some(ReviewState::Pending);
    filter.has_findings = Some(false);
    let ids = store.queue_ids(&filter)?;
    let rows = store.queue_rows_by_ids(&ids[..ids.len().min(n)])?;
    let items: Vec<(i64, i64)> = rows.iter().map(|r| (r.review_id, r.version)).collect();
    let started = Instant::now();
    let user = crate::identity::os_user();
    store.decide_batch(
        &items,
        ReviewAction::Approve {
            override_blocking: false,
        },
        "",
        &user,
        15,
    )?;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if items.len() < n {
        eprintln!("  注意：只有 {} 项干净的待审事项可批量通过", items.len());
    }
    Ok(ms)
}
