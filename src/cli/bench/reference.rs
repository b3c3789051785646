//! The reference: a bare ratatui `Table` over the same rows (unit, project,
//! amount), all rows in memory, only the visible ones handed to the widget —
//! what the stack does with no work of ours. Measured in-process for bytes,
//! and run in a real terminal (`jixiao bench-reference`) for start-up.

use super::keys::{ByteCounter, KeyFigures, counting_terminal, summarise};
use crate::domain::Stage;
use crate::domain::money::format_wan;
use crate::store::Store;
use crate::tui::terminal as term;
use ratatui::Frame;
use ratatui::crossterm::event::{self, Event, KeyCode, KeyEventKind};
use ratatui::layout::Constraint;
use ratatui::style::{Color, Style};
use ratatui::widgets::{Row, Table, TableState};
use std::path::Path;
use std::time::Instant;

pub struct Bare {
    rows: Vec<[String; 3]>,
    state: TableState,
    offset: usize,
    height: usize,
}

impl Bare {
    pub fn load(db: &Path, height: usize) -> anyhow::Result<Bare> {
        let store = Store::open(db)?;
        let rows = store
            .queue_page(Stage::Target, None, usize::MAX >> 1)?
            .into_iter()
            .map(|r| [r.unit_name, r.project_name, format_wan(r.amount, 2)])
            .collect();
        let mut state = TableState::default();
        state.select(Some(0));
        Ok(Bare {
            rows,
            state,
            offset: 0,
            height,
        })
    }

    /// Rows on screen.
    pub fn page(&self) -> usize {
        self.height
    }

    fn selected(&self) -> usize {
        self.state.selected().unwrap_or(0)
    }

    pub fn key(&mut self, code: KeyCode) {
        let last = self.rows.len().saturating_sub(1);
        let next = match code {
            KeyCode::Char('j') | KeyCode::Down => (self.selected() + 1).min(last),
            KeyCode::Char('k') | KeyCode::Up => self.selected().saturating_sub(1),
            KeyCode::PageDown => (self.selected() + self.height).min(last),
            _ => self.selected(),
        };
        if next < self.offset {
            self.offset = next;
        } else if next >= self.offset + self.height {
            self.offset = next + 1 - self.height;
        }
        self.state.select(Some(next));
    }

    pub fn draw(&self, frame: &mut Frame) {
        let end = (self.offset + self.height).min(self.rows.len());
        let visible = self.rows[self.offset..end]
            .iter()
            .map(|r| Row::new(r.iter().map(String::as_str)));
        let table = Table::new(
            visible,
            [Constraint::Length(16), Constraint::Fill(1), Constraint::Length(12)],
        )
        .header(Row::new(["单位", "项目", "金额(万元)"]))
        .row_highlight_style(Style::new().bg(Color::Yellow).fg(Color::Black));
        let mut state = TableState::default();
        state.select(Some(self.selected() - self.offset));
        frame.render_stateful_widget(table, frame.area(), &mut state);
    }
}

/// Bytes and time per key for the same key series the queue is measured with.
pub fn measure_bytes(db: &Path) -> anyhow::Result<Vec<KeyFigures>> {
    let mut bare = Bare::load(db, 23)?;
    let counter = ByteCounter::default();
    let rows = bare.page();
    let mut terminal = counting_terminal(&counter)?;
    term::draw_synchronized(&mut terminal, |f| bare.draw(f))?;
    let mut series = |name, label, keys: Vec<KeyCode>| -> anyhow::Result<KeyFigures> {
        let (mut times, mut bytes) = (Vec::new(), 0);
        for k in keys {
            let before = counter.0.get();
            let started = Instant::now();
            bare.key(k);
            term::draw_synchronized(&mut terminal, |f| bare.draw(f))?;
            times.push(started.elapsed().as_secs_f64() * 1000.0);
            bytes += counter.0.get() - before;
        }
        Ok(summarise(name, label, times, bytes))
    };
    let wiggle = super::keys::window_sweep(rows);
    let mut out = vec![series("move", "窗口内移动一行", wiggle)?];
    series("", "", vec![KeyCode::Char('j'); rows])?;
    out.push(series("scroll", "滚动一行", vec![KeyCode::Char('j'); 1000])?);
    out.push(series("page", "下翻一页", vec![KeyCode::PageDown; 100])?);
    Ok(out)
}

/// `jixiao bench-reference --db PATH`: the reference in a real terminal (q quits).
pub fn run_in_terminal(db: &Path) -> anyhow::Result<()> {
    let mut guard = term::TerminalGuard::enter(false)?;
    let size = guard.terminal.size()?;
    let mut bare = Bare::load(db, size.height.saturating_sub(1) as usize)?;
    loop {
        guard.draw(|f| bare.draw(f))?;
        if let Event::Key(k) = event::read()?
            && k.kind == KeyEventKind::Press
        {
            if k.code == KeyCode::Char('q') {
                return Ok(());
            }
            bare.key(k.code);
        }
    }
}
