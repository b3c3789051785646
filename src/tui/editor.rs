//! Placeholder with the agreed API until the real editor lands (same branch merge replaces it).

use super::theme::Theme;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::widgets::{Clear, Paragraph};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditorOutcome {
    Edited,
    Unchanged,
    Save(String),
    Leave(String),
    Template(usize),
}

pub struct OpinionEditor {
    review_id: i64,
    title: String,
    text: String,
    template_pending: bool,
}

impl OpinionEditor {
    pub fn new(review_id: i64, title: String, initial: &str) -> Self {
        OpinionEditor {
            review_id,
            title,
            text: initial.to_string(),
            template_pending: false,
        }
    }
    pub fn review_id(&self) -> i64 {
        self.review_id
    }
    pub fn text(&self) -> String {
        self.text.clone()
    }
    pub fn insert(&mut self, text: &str) {
        self.text.push_str(text);
    }
    pub fn handle_paste(&mut self, text: &str) -> EditorOutcome {
        self.text.push_str(text);
        EditorOutcome::Edited
    }
    pub fn handle_key(&mut self, key: KeyEvent) -> EditorOutcome {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if self.template_pending {
            self.template_pending = false;
            if let KeyCode::Char(c @ '1'..='9') = key.code {
                return EditorOutcome::Template(c as usize - '1' as usize);
            }
        }
        match key.code {
            KeyCode::Char('s') if ctrl => EditorOutcome::Save(self.text.clone()),
            KeyCode::Char('t') if ctrl => {
                self.template_pending = true;
                EditorOutcome::Unchanged
            }
            KeyCode::Esc => EditorOutcome::Leave(self.text.clone()),
            KeyCode::Backspace => {
                self.text.pop();
                EditorOutcome::Edited
            }
            KeyCode::Enter => {
                self.text.push('\n');
                EditorOutcome::Edited
            }
            KeyCode::Char(c) if !ctrl => {
                self.text.push(c);
                EditorOutcome::Edited
            }
            _ => EditorOutcome::Unchanged,
        }
    }
    pub fn render(&self, frame: &mut Frame, area: Rect, _theme: &Theme) {
        frame.render_widget(Clear, area);
        frame.render_widget(Paragraph::new(format!("{}\n{}", self.title, self.text)), area);
    }
}
