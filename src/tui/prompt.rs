//! One-line input for search, the command line and the unit filter: plain
//! characters in, cursor placed by display width (CJK counts two cells).

use crate::domain::text::{display_width, sanitize};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A one-line question a workspace or the board asks (reasons, dates, evidence).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StagePrompt {
    FailReason(crate::domain::Criterion),
    Conclusion,
    ResultChange,
    Evidence(i64),
    RejectEvidence(i64),
    ExtendDate(i64),
    ExtendReason(i64, chrono::NaiveDate),
}

impl StagePrompt {
    pub fn prefix(self) -> &'static str {
        match self {
            StagePrompt::FailReason(_) => super::strings::PROMPT_FAIL_REASON,
            StagePrompt::Conclusion => super::strings::PROMPT_CONCLUSION,
            StagePrompt::ResultChange => super::strings::PROMPT_RESULT,
            StagePrompt::Evidence(_) => super::strings::PROMPT_EVIDENCE,
            StagePrompt::RejectEvidence(_) => super::strings::PROMPT_REJECT_EVIDENCE,
            StagePrompt::ExtendDate(_) => super::strings::PROMPT_EXTEND_DATE,
            StagePrompt::ExtendReason(..) => super::strings::PROMPT_EXTEND_REASON,
        }
    }
}

/// What a prompt is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    Search,
    Command,
    FilterUnit,
    /// A stage workspace's or the board's question (reason, date, evidence).
    Stage(StagePrompt),
}

impl PromptKind {
    pub fn prefix(self) -> &'static str {
        match self {
            PromptKind::Search => "/",
            PromptKind::Command => ":",
            PromptKind::FilterUnit => super::strings::PROMPT_UNIT,
            PromptKind::Stage(p) => p.prefix(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Prompt {
    pub kind: PromptKind,
    pub input: String,
    /// Shown instead of the usual question when the prompt is asked again:
    /// what was wrong with the answer (the message line is the prompt's own).
    pub note: Option<String>,
}

/// What a key did to the prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptOutcome {
    Edited,
    Unchanged,
    Submit(String),
    Cancel,
}

impl Prompt {
    pub fn new(kind: PromptKind) -> Prompt {
        Prompt {
            kind,
            input: String::new(),
            note: None,
        }
    }

    /// The prompt asked again with what was typed before, the question
    /// replaced by `note` (what is wrong with the answer and how to write it).
    pub fn again(kind: PromptKind, input: &str, note: String) -> Prompt {
        Prompt {
            kind,
            input: input.to_string(),
            note: Some(note),
        }
    }

    pub fn handle_key(&mut self, key: &KeyEvent) -> PromptOutcome {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc => PromptOutcome::Cancel,
            KeyCode::Enter => PromptOutcome::Submit(self.input.clone()),
            KeyCode::Backspace => self.pop(),
            KeyCode::Char('h') if ctrl => self.pop(),
            KeyCode::Char('u') if ctrl => {
                self.input.clear();
                PromptOutcome::Edited
            }
            KeyCode::Char(c) if !ctrl => {
                self.input.push(c);
                PromptOutcome::Edited
            }
            _ => PromptOutcome::Unchanged,
        }
    }

    /// Bracketed paste: one line of plain text.
    pub fn paste(&mut self, text: &str) -> PromptOutcome {
        self.input.push_str(sanitize(text).trim());
        PromptOutcome::Edited
    }

    fn pop(&mut self) -> PromptOutcome {
        if self.input.pop().is_some() {
            PromptOutcome::Edited
        } else {
            PromptOutcome::Unchanged
        }
    }

    /// The line as shown and the cursor column (cells) after it.
    pub fn line(&self) -> (String, u16) {
        let question = self.note.as_deref().unwrap_or(self.kind.prefix());
        let text = format!("{question}{}", sanitize(&self.input));
        let width = display_width(&text) as u16;
        (text, width)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn cursor_moves_by_display_width() {
        let mut p = Prompt::new(PromptKind::Search);
        for c in "教育局a".chars() {
            p.handle_key(&key(KeyCode::Char(c)));
        }
        assert_eq!(p.line(), ("/教育局a".to_string(), 8));
        assert_eq!(
            p.handle_key(&KeyEvent::new(KeyCode::Char('h'), KeyModifiers::CONTROL)),
            PromptOutcome::Edited
        );
        p.handle_key(&key(KeyCode::Backspace));
        assert_eq!(p.line(), ("/教育".to_string(), 5));
        assert_eq!(p.handle_key(&key(KeyCode::Enter)), PromptOutcome::Submit("教育".into()));
    }
}
