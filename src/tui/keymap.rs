//! Terminal keys → the config's key specs; help lines made from the live key
//! map, so help never disagrees with what the keys do.

use crate::config::{Action, KeyName, KeyScope, KeySpec, Keymap};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// (keys as shown, what they do) of one screen or dialog: its own keys
/// first, in help order, then the global keys acting there (none in a modal).
pub fn help_lines(keys: &Keymap, scope: KeyScope) -> Vec<(String, String)> {
    let line = |(action, specs): &(Action, Vec<KeySpec>)| {
        let shown: Vec<String> = specs.iter().map(|k| k.to_string()).collect();
        (shown.join(" "), action.label().to_string())
    };
    let own = keys.bindings_of(scope).iter().map(line);
    if scope == KeyScope::Global {
        return own.collect();
    }
    own.chain(keys.global_bindings_of(scope).map(line)).collect()
}

/// A hint line from the live key map: each item as "key label", the first
/// key of its action on `scope`, items two spaces apart. Neighbouring items
/// with the same label share it: digit keys in a row as a range ("1-4 选项"),
/// other keys joined by '/' ("j/k 移动"). An action without a key there is left out.
pub fn hint(keys: &Keymap, scope: KeyScope, items: &[(Action, &str)]) -> String {
    let mut groups: Vec<(Vec<KeySpec>, &str)> = Vec::new();
    for (action, label) in items {
        let Some(first) = keys.keys_in(scope, *action).first() else {
            continue;
        };
        match groups.last_mut() {
            Some((specs, l)) if l == label => specs.push(*first),
            _ => groups.push((vec![*first], label)),
        }
    }
    groups
        .iter()
        .map(|(specs, label)| format!("{} {label}", shown_keys(specs)))
        .collect::<Vec<_>>()
        .join("  ")
}

/// Keys of one hint item: runs of consecutive digits as "1-4", the rest joined by '/'.
fn shown_keys(specs: &[KeySpec]) -> String {
    let digit = |k: &KeySpec| match k.key {
        KeyName::Char(c) if !k.ctrl => c.to_digit(10),
        _ => None,
    };
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < specs.len() {
        let mut j = i;
        if let Some(start) = digit(&specs[i]) {
            while j + 1 < specs.len() && digit(&specs[j + 1]) == Some(start + (j + 1 - i) as u32) {
                j += 1;
            }
        }
        if j > i {
            parts.push(format!("{}-{}", specs[i], specs[j]));
        } else {
            parts.push(specs[i].to_string());
        }
        i = j + 1;
    }
    parts.join("/")
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
