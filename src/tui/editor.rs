//! The opinion editor: a popup over the queue where a reviewer writes a return
//! opinion or a rectification requirement in Chinese.
//!
//! Built on `ratatui_textarea::TextArea` with wrapping by display width, so a
//! long Chinese paragraph stays readable at 80 columns. The chrome is ASCII and
//! reverse video only (box drawing is ambiguous-width on CJK terminals), and the
//! real terminal cursor is placed on the text cursor every frame so the IME
//! candidate window follows it.

use crate::config::{Action, KeyName, KeyScope, KeySpec, Keymap};
use crate::domain::text::{display_width, pad_to_width, sanitize, sanitize_lines};
use crate::tui::strings;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Widget};
use ratatui_textarea::{CursorMove, TextArea, WrapMode};

/// What a key or a paste did, so the caller knows whether to save a draft,
/// save for real, close the popup or insert a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditorOutcome {
    /// The text changed: the caller saves the draft.
    Edited,
    /// Nothing changed (cursor moves, ignored keys, the first half of Ctrl-T).
    Unchanged,
    /// Ctrl-S: save this text as the opinion.
    Save(String),
    /// Esc: close the editor; the caller keeps this text as the draft.
    Leave(String),
    /// Ctrl-T then digit n (1–9): the caller inserts template n−1.
    Template(usize),
}

pub struct OpinionEditor {
    review_id: i64,
    title: String,
    textarea: TextArea<'static>,
    /// Ctrl-T was pressed; the next key picks a template.
    awaiting_template: bool,
    /// `[keys.editor]`: save, template, leave.
    keys: EditorKeys,
}

/// The editor's own keys (`[keys.editor]`); the rest are the text area's.
#[derive(Debug, Clone)]
struct EditorKeys {
    save: Vec<KeySpec>,
    template: Vec<KeySpec>,
    leave: Vec<KeySpec>,
    hint: String,
}

impl Default for EditorKeys {
    fn default() -> Self {
        EditorKeys {
            save: vec![KeySpec::ctrl('s')],
            template: vec![KeySpec::ctrl('t')],
            leave: vec![KeySpec::plain(KeyName::Esc)],
            hint: strings::EDITOR_HINTS.to_string(),
        }
    }
}

impl OpinionEditor {
    /// An editor for the opinion of `review_id`, starting from `initial` (a
    /// saved draft or an empty string) with the cursor at its end.
    pub fn new(review_id: i64, title: String, initial: &str) -> Self {
        let mut textarea = TextArea::default();
        textarea.set_wrap_mode(WrapMode::Glyph);
        // The hardware cursor marks the position; a reversed cell on top of it
        // would hide it on terminals that draw the cursor by inverting.
        textarea.set_cursor_style(Style::default());
        textarea.set_cursor_line_style(Style::default());
        textarea.set_placeholder_text(strings::EDITOR_PLACEHOLDER);
        textarea.insert_str(sanitize_lines(initial));
        OpinionEditor {
            review_id,
            // Unit and project names come from imports: no escapes on screen.
            title: sanitize(&title),
            textarea,
            awaiting_template: false,
            keys: EditorKeys::default(),
        }
    }

    pub fn review_id(&self) -> i64 {
        self.review_id
    }

    /// The opinion as typed: lines joined with '\n'.
    pub fn text(&self) -> String {
        self.textarea.lines().join("\n")
    }

    /// Characters in the opinion, newlines not counted.
    pub fn char_count(&self) -> usize {
        self.textarea.lines().iter().map(|l| l.chars().count()).sum()
    }

    /// Whether Ctrl-T was pressed and the next key picks a template.
    pub fn awaiting_template(&self) -> bool {
        self.awaiting_template
    }

    /// The text cursor as (line, character), 0-based.
    pub fn cursor(&self) -> (usize, usize) {
        let c = self.textarea.cursor();
        (c.0, c.1)
    }

    /// Puts the cursor at the end of line `row` (0-based; the last line if past it).
    pub fn cursor_to_line_end(&mut self, row: usize) {
        let last = self.textarea.lines().len().saturating_sub(1);
        let row = row.min(last);
        let col = self.textarea.lines().get(row).map_or(0, |l| l.chars().count());
        let clamp = |n: usize| u16::try_from(n).unwrap_or(u16::MAX);
        self.textarea.move_cursor(CursorMove::Jump(clamp(row), clamp(col)));
    }

    /// Takes the editor's keys from the key map (`[keys.editor]`) and its hint line.
    pub fn bind(&mut self, keys: &Keymap) {
        let of = |a: Action| keys.keys_in(KeyScope::Editor, a).to_vec();
        self.keys = EditorKeys {
            save: of(Action::Save),
            template: of(Action::Template),
            leave: of(Action::Leave),
            hint: super::keymap::hint(keys, KeyScope::Editor, strings::EDITOR_HINT),
        };
    }

    /// Inserts text at the cursor (templates); cleaned like a paste.
    pub fn insert(&mut self, text: &str) {
        self.textarea.insert_str(sanitize_lines(text));
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> EditorOutcome {
        if key.kind == KeyEventKind::Release {
            return EditorOutcome::Unchanged;
        }
        if std::mem::take(&mut self.awaiting_template) {
            return match key.code {
                KeyCode::Char(c) => template_digit(c).map_or(EditorOutcome::Unchanged, EditorOutcome::Template),
                _ => EditorOutcome::Unchanged,
            };
        }
        // Alt arrives as an ESC prefix that slow links split: bind nothing to it.
        if key.modifiers.contains(KeyModifiers::ALT) {
            return EditorOutcome::Unchanged;
        }
        if let Some(spec) = super::keymap::spec_of(&key) {
            if self.keys.save.contains(&spec) {
                return EditorOutcome::Save(self.text());
            }
            if self.keys.leave.contains(&spec) {
                return EditorOutcome::Leave(self.text());
            }
            if self.keys.template.contains(&spec) {
                self.awaiting_template = true;
                return EditorOutcome::Unchanged;
            }
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Char(c) if ctrl => match c.to_ascii_lowercase() {
                // Clients set to send ^H for Backspace.
                'h' => edited(self.textarea.delete_char()),
                // A bare LF in raw mode; some clients send it for Enter.
                'j' => {
                    self.textarea.insert_newline();
                    EditorOutcome::Edited
                }
                // The undo key office users know; Ctrl-U (textarea's own) works too.
                'z' => edited(self.textarea.undo()),
                _ => edited(self.textarea.input(key)),
            },
            _ => edited(self.textarea.input(key)),
        }
    }

    /// A bracketed paste: inserted as text, never replayed as keys, with escape
    /// sequences and control characters other than newlines removed.
    pub fn handle_paste(&mut self, text: &str) -> EditorOutcome {
        self.awaiting_template = false;
        edited(self.textarea.insert_str(sanitize_lines(text)))
    }

    /// Draws the editor as a popup over `area` and puts the terminal cursor on
    /// the text cursor.
    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let popup = popup_area(area);
        if popup.width < 4 || popup.height < 3 {
            return;
        }
        clear_whole_cells(frame.buffer_mut(), popup);
        let parts = EditorLayout::of(popup);

        let title = format!(" {}", self.title);
        let title = pad_to_width(&title, parts.title.width as usize);
        frame.render_widget(Paragraph::new(title).style(theme.tab_active), parts.title);

        frame.render_widget(&self.textarea, parts.text);
        frame.render_widget(self.hint_line(parts.hints.width as usize, theme), parts.hints);

        frame.set_cursor_position(self.cursor_position(parts.text));
    }

    /// The hints on the left, the character count on the right, in one bar.
    fn hint_line(&self, width: usize, theme: &Theme) -> Line<'static> {
        let count = format!("{} {} ", strings::EDITOR_CHAR_COUNT, self.char_count());
        let hints = if self.awaiting_template {
            strings::EDITOR_TEMPLATE_PROMPT
        } else {
            self.keys.hint.as_str()
        };
        let room = width.saturating_sub(display_width(&count));
        let left = pad_to_width(&format!(" {hints}"), room);
        let right = pad_to_width(&count, width - display_width(&left));
        Line::from(vec![Span::raw(left), Span::raw(right)]).style(theme.status)
    }

    /// Where the text cursor is on screen, from the text area's screen cursor
    /// and the scroll offset recorded by the last render.
    fn cursor_position(&self, text: Rect) -> Position {
        let cursor = self.textarea.screen_cursor();
        let (top_row, top_col) = self.textarea.scroll_offset();
        let row = cursor.row.saturating_sub(top_row as usize);
        let col = cursor.col.saturating_sub(top_col as usize);
        // A line that fills the width exactly puts the cursor just past it, in
        // the popup's right padding column: still inside the popup.
        let x = text.x.saturating_add(col as u16).min(text.right());
        let y = text.y.saturating_add(row as u16).min(text.bottom().saturating_sub(1));
        Position::new(x, y)
    }
}

/// The popup's rectangle: about 70×14 at 80×24, centered, growing with the screen.
pub fn popup_area(screen: Rect) -> Rect {
    let width = (screen.width as u32 * 7 / 8).min(110) as u16;
    let height = (screen.height as u32 * 7 / 12).clamp(6, 30) as u16;
    let width = width.min(screen.width);
    let height = height.min(screen.height);
    Rect {
        x: screen.x + (screen.width - width) / 2,
        y: screen.y + (screen.height - height) / 2,
        width,
        height,
    }
}

/// Title bar, text (one blank column each side, so the popup stands out from
/// the queue without a border), hint bar.
struct EditorLayout {
    title: Rect,
    text: Rect,
    hints: Rect,
}

impl EditorLayout {
    fn of(popup: Rect) -> Self {
        EditorLayout {
            title: Rect { height: 1, ..popup },
            text: Rect {
                x: popup.x + 1,
                y: popup.y + 1,
                width: popup.width - 2,
                height: popup.height - 2,
            },
            hints: Rect {
                y: popup.bottom() - 1,
                height: 1,
                ..popup
            },
        }
    }
}

/// Clears `area`, and blanks a wide character just left of it whose right half
/// lies under the popup: ratatui would otherwise draw it whole and skip the
/// popup's first cell, corrupting the edge (ratatui issue 2526).
fn clear_whole_cells(buf: &mut Buffer, area: Rect) {
    Clear.render(area, buf);
    if area.x <= buf.area.x {
        return;
    }
    for y in area.top()..area.bottom() {
        let cell = &mut buf[(area.x - 1, y)];
        if display_width(cell.symbol()) > 1 {
            cell.set_symbol(" ");
        }
    }
}

/// '1'–'9' (half- or full-width, as an IME in full-width mode sends) → 0–8.
fn template_digit(c: char) -> Option<usize> {
    let ascii = match c {
        '１'..='９' => char::from_u32(c as u32 - '１' as u32 + '1' as u32)?,
        c => c,
    };
    match ascii {
        '1'..='9' => Some(ascii as usize - '1' as usize),
        _ => None,
    }
}

fn edited(changed: bool) -> EditorOutcome {
    if changed {
        EditorOutcome::Edited
    } else {
        EditorOutcome::Unchanged
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_digits_half_and_full_width() {
        assert_eq!(template_digit('1'), Some(0));
        assert_eq!(template_digit('9'), Some(8));
        assert_eq!(template_digit('２'), Some(1));
        assert_eq!(template_digit('0'), None);
        assert_eq!(template_digit('a'), None);
    }

    #[test]
    fn popup_is_about_70_by_14_at_80_by_24_and_grows() {
        assert_eq!(popup_area(Rect::new(0, 0, 80, 24)), Rect::new(5, 5, 70, 14));
        let big = popup_area(Rect::new(0, 0, 160, 50));
        assert!(big.width > 70 && big.height > 14);
        let tiny = popup_area(Rect::new(0, 0, 20, 5));
        assert!(tiny.width <= 20 && tiny.height <= 5);
    }
}
