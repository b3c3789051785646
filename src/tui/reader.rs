//! The reader: one long text — a self-evaluation report, an opinion, a list
//! of findings, a refusal — on the whole screen, wrapped to its width and
//! scrolled like a pager. One key (`reader` in `[keys]`, `i` and `F3` by
//! default) opens it wherever text is shown: in a queue it holds the selected
//! item's findings and opinion, in a workspace every text of the workspace,
//! and a message too long for the message line comes first. Other screens
//! open it with [`open`] or [`open_doc`].

use super::strings as s;
use super::theme::Theme;
use super::wrap::{Para, auto_indent, wrap_paras};
use crate::config::{Action, Keymap};
use crate::domain::text::{display_width, pad_to_width, sanitize, sanitize_lines, truncate_to_width};
use crate::domain::{Finding, Severity};
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use std::cell::Cell;

/// How a paragraph of a document is drawn (the theme is the view's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Heading,
    Text,
    Dim,
    Finding(Severity),
}

/// A document for the reader: paragraphs with their kind and hanging indent.
#[derive(Debug, Clone, Default)]
pub struct Doc {
    paras: Vec<(Kind, String, usize)>,
}

impl Doc {
    /// A section heading, with a blank line before it unless it opens the document.
    pub fn section(&mut self, heading: &str) {
        if !self.paras.is_empty() {
            self.paras.push((Kind::Text, String::new(), 0));
        }
        self.paras.push((Kind::Heading, sanitize(heading), 0));
    }

    /// Text as written: each of its lines a paragraph; `（未填写）` when empty.
    pub fn text(&mut self, text: &str) {
        self.text_or(text, s::READER_EMPTY);
    }

    /// Text as written, or `empty` (dimmed) when there is none.
    pub fn text_or(&mut self, text: &str, empty: &str) {
        let text = sanitize_lines(text.trim());
        if text.trim().is_empty() {
            self.paras.push((Kind::Dim, empty.to_string(), 0));
            return;
        }
        for line in text.split('\n') {
            let indent = auto_indent(line);
            self.paras.push((Kind::Text, line.to_string(), indent));
        }
    }

    /// One line of a kind, its continuation lines hanging under its text.
    pub fn line(&mut self, kind: Kind, text: &str) {
        let text = sanitize(text);
        let indent = auto_indent(&text);
        self.paras.push((kind, text, indent));
    }

    /// A labelled line ("原因：雨季停工"), continuation lines under the value.
    pub fn labelled(&mut self, label: &str, value: &str) {
        let value = sanitize(value.trim());
        let value = if value.is_empty() {
            s::READER_EMPTY.to_string()
        } else {
            value
        };
        self.paras
            .push((Kind::Text, format!("{label}{value}"), display_width(label)));
    }

    /// A finding: "[阻断] message", in its severity's colour.
    pub fn finding(&mut self, f: &Finding) {
        self.finding_indented(f, 0);
    }

    /// A finding under something (an indicator), `indent` cells in.
    pub fn finding_indented(&mut self, f: &Finding, indent: usize) {
        let label = format!("{}[{}] ", " ".repeat(indent), f.severity.label());
        let width = display_width(&label);
        self.paras.push((
            Kind::Finding(f.severity),
            format!("{label}{}", sanitize(&f.message)),
            width,
        ));
    }

    /// The findings under a "-- 问题 (n)" heading.
    pub fn findings(&mut self, findings: &[Finding]) {
        self.section(&format!("{} ({})", s::READER_FINDINGS, findings.len()));
        if findings.is_empty() {
            self.paras.push((Kind::Dim, s::DETAIL_NO_FINDINGS.to_string(), 0));
        }
        for f in findings {
            self.finding(f);
        }
    }

    /// Another document's paragraphs after this one's.
    pub fn extend(&mut self, other: Doc) {
        self.paras.extend(other.paras);
    }

    /// The opinion under its heading.
    pub fn opinion(&mut self, opinion: &str) {
        self.section(s::READER_OPINION);
        self.text_or(opinion, s::READER_NO_OPINION);
    }

    fn paras(&self, theme: &Theme) -> Vec<Para> {
        self.paras
            .iter()
            .map(|(kind, text, indent)| {
                let style = match kind {
                    Kind::Heading | Kind::Dim => theme.dim,
                    Kind::Text => Style::new(),
                    Kind::Finding(Severity::Blocking) => theme.blocking,
                    Kind::Finding(Severity::Warning) => theme.warning,
                    Kind::Finding(Severity::Info) => theme.info,
                };
                Para::hang(Line::from(Span::styled(text.clone(), style)), *indent)
            })
            .collect()
    }
}

/// The reader overlay: a document, its title and where it is scrolled to.
pub struct Reader {
    title: String,
    doc: Doc,
    /// First line shown; clamped by each draw to what the width makes of the text.
    scroll: Cell<usize>,
    /// Lines of text and lines shown at the last draw (for paging and clamping).
    total: Cell<usize>,
    height: Cell<usize>,
}

impl Reader {
    pub fn new(title: &str, doc: Doc) -> Reader {
        Reader {
            title: sanitize(title),
            doc,
            scroll: Cell::new(0),
            total: Cell::new(0),
            height: Cell::new(0),
        }
    }

    /// A key; false when it closes the reader.
    pub fn key(&mut self, key: &KeyEvent, keys: &Keymap) -> bool {
        let page = self.height.get().max(1) as i64;
        let half = (page / 2).max(1);
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let fixed = match key.code {
            KeyCode::Esc => return false,
            KeyCode::Char('q') if !ctrl => return false,
            KeyCode::Char(' ') | KeyCode::PageDown => Some(page),
            KeyCode::PageUp => Some(-page),
            KeyCode::Down | KeyCode::Enter => Some(1),
            KeyCode::Up => Some(-1),
            KeyCode::Home => Some(i64::MIN / 2),
            KeyCode::End => Some(i64::MAX / 2),
            KeyCode::Char('d') if ctrl => Some(half),
            KeyCode::Char('u') if ctrl => Some(-half),
            KeyCode::Char('f') if ctrl => Some(page),
            KeyCode::Char('b') if ctrl => Some(-page),
            KeyCode::Char('j') if !ctrl => Some(1),
            KeyCode::Char('k') if !ctrl => Some(-1),
            KeyCode::Char('g') if !ctrl => Some(i64::MIN / 2),
            KeyCode::Char('G') if !ctrl => Some(i64::MAX / 2),
            _ => None,
        };
        // Then the key map, so that remapped movement keys work here too.
        let delta = fixed.or_else(|| {
            let action =
                super::keymap::spec_of(key).and_then(|k| keys.action_in(crate::config::KeyScope::Global, k))?;
            match action {
                Action::Down => Some(1),
                Action::Up => Some(-1),
                Action::PageDown => Some(page),
                Action::PageUp => Some(-page),
                Action::HalfPageDown => Some(half),
                Action::HalfPageUp => Some(-half),
                Action::Top => Some(i64::MIN / 2),
                Action::Bottom => Some(i64::MAX / 2),
                _ => None,
            }
        });
        match delta {
            Some(d) => self.scroll_by(d),
            None => {
                let action =
                    super::keymap::spec_of(key).and_then(|k| keys.action_in(crate::config::KeyScope::Global, k));
                if matches!(action, Some(Action::Reader | Action::Quit)) {
                    return false;
                }
            }
        }
        true
    }

    fn scroll_by(&self, delta: i64) {
        // Clamp first with what the last draw knew, so that `k` after `G` moves up at once.
        let max = self.max_scroll();
        let from = self.scroll.get().min(max) as i64;
        let to = from.saturating_add(delta).clamp(0, max as i64);
        self.scroll.set(to as usize);
    }

    /// The last scroll position the text allows (not yet drawn: no limit).
    fn max_scroll(&self) -> usize {
        if self.height.get() == 0 {
            usize::MAX / 4
        } else {
            self.total.get().saturating_sub(self.height.get())
        }
    }

    /// Draws the reader over the whole of `area`: title bar, text, key and position bar.
    pub fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        if area.width < 4 || area.height < 3 {
            return;
        }
        frame.render_widget(Clear, area);
        let width = area.width as usize;
        let title = format!(" {} - {}", s::READER_TITLE, self.title);
        frame.render_widget(
            Paragraph::new(Span::styled(pad_to_width(&title, width), theme.tab_active)),
            Rect { height: 1, ..area },
        );
        // One blank column each side.
        let text_w = width.saturating_sub(2).max(1);
        let (lines, _) = wrap_paras(&self.doc.paras(theme), text_w);
        let height = (area.height - 2) as usize;
        self.total.set(lines.len());
        self.height.set(height);
        let scroll = self.scroll.get().min(self.max_scroll());
        self.scroll.set(scroll);
        let shown: Vec<Line> = lines.into_iter().skip(scroll).take(height).collect();
        let last = scroll + shown.len();
        frame.render_widget(
            Paragraph::new(shown),
            Rect {
                x: area.x + 1,
                y: area.y + 1,
                width: text_w as u16,
                height: height as u16,
            },
        );
        let total = self.total.get();
        let position = format!(" {}-{last}/{total}{} ", (scroll + 1).min(total), s::READER_LINES);
        let room = width.saturating_sub(display_width(&position));
        let bar = format!("{}{position}", pad_to_width(&format!(" {}", s::READER_KEYS), room));
        frame.render_widget(
            Paragraph::new(Span::styled(truncate_to_width(&bar, width), theme.status)),
            Rect {
                y: area.bottom() - 1,
                height: 1,
                ..area
            },
        );
    }
}

/// The key of the reader as the key map has it ("i"), for hints.
pub fn key_name(keys: &Keymap) -> String {
    keys.keys_in(crate::config::KeyScope::Global, Action::Reader)
        .first()
        .map_or_else(|| "i".to_string(), |k| k.to_string())
}
