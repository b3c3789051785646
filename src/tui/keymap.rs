//! Terminal keys → the config's key specs; help lines made from the live key
//! map, so help never disagrees with what the keys do.

use crate::config::{KeyName, KeySpec, Keymap};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// (keys as shown, what they do), in help order.
pub fn help_lines(keys: &Keymap) -> Vec<(String, String)> {
    keys.bindings()
        .iter()
        .map(|(action, specs)| {
            let shown: Vec<String> = specs.iter().map(|k| k.to_string()).collect();
            (shown.join(" "), action.label().to_string())
        })
        .collect()
}

/// Reads a crossterm key as the config's key spec. Ctrl-H arrives as Backspace
/// from clients set to send ^H; treat both alike.
pub fn spec_of(key: &KeyEvent) -> Option<KeySpec> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let name = match key.code {
        KeyCode::Char(' ') => KeyName::Space,
        KeyCode::Char('h') if ctrl => {
            return Some(KeySpec {
                key: KeyName::Backspace,
                ctrl: false,
            });
        }
        KeyCode::Char(c) => KeyName::Char(c),
        KeyCode::Enter => KeyName::Enter,
        KeyCode::Esc => KeyName::Esc,
        KeyCode::Tab => KeyName::Tab,
        KeyCode::BackTab => KeyName::BackTab,
        KeyCode::Backspace => KeyName::Backspace,
        KeyCode::Up => KeyName::Up,
        KeyCode::Down => KeyName::Down,
        KeyCode::Left => KeyName::Left,
        KeyCode::Right => KeyName::Right,
        KeyCode::Home => KeyName::Home,
        KeyCode::End => KeyName::End,
        KeyCode::PageUp => KeyName::PageUp,
        KeyCode::PageDown => KeyName::PageDown,
        KeyCode::Delete => KeyName::Delete,
        KeyCode::Insert => KeyName::Insert,
        KeyCode::F(n) => KeyName::F(n),
        _ => return None,
    };
    Some(KeySpec { key: name, ctrl })
}
