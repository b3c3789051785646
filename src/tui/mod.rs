//! The terminal UI: one synchronous loop that blocks on input (zero CPU while
//! idle), turns keys into actions, updates `App`, and redraws only then.

pub mod app;
pub mod board;
pub mod command;
pub mod detail;
pub mod editor;
pub mod keymap;
pub mod layout;
pub mod lean_backend;
pub mod overview;
pub mod prompt;
pub mod queue_state;
pub mod reader;
pub mod results;
pub mod scope;
pub mod strings;
pub mod terminal;
pub mod theme;
pub mod view;
pub mod wrap;

use crate::config::Config;
use crate::store::Store;
use ratatui::crossterm::event::{self, Event, KeyEventKind, MouseEventKind};
use std::time::Duration;

/// Applies one terminal event to the app — the one dispatch used by the real
/// terminal and by the tests. Returns whether the screen must be redrawn.
pub fn handle_event(app: &mut app::App, event: &Event) -> anyhow::Result<bool> {
    let result = match event {
        Event::Key(key) if key.kind == KeyEventKind::Press => {
            if let Err(e) = app.notice_other_writers() {
                tracing::warn!("data_version: {e}");
            }
            if app.overlay_takes_keys() {
                app.overlay_key(*key)
            } else if app.detail.is_some() {
                detail::key(app, *key).and_then(|()| {
                    if app.detail.is_none() {
                        app.workspace_closed()?;
                    }
                    Ok(())
                })
            } else if board::takes(app, key) {
                board::key(app, *key)
            } else {
                match keymap::spec_of(key).and_then(|k| app.config.keys.action_for(k)) {
                    Some(action) => app.update(action),
                    None => return Ok(false),
                }
            }
        }
        Event::Paste(text) => app.paste(text),
        Event::Resize(w, h) => app.resize(layout::visible_rows(*w, *h)),
        Event::Mouse(m) if app.config.display.mouse => match m.kind {
            MouseEventKind::ScrollDown => app.update(crate::config::Action::Down),
            MouseEventKind::ScrollUp => app.update(crate::config::Action::Up),
            _ => return Ok(false),
        },
        _ => return Ok(false),
    };
    // A failure (disk full, database locked…) is shown; the screen and any text typed stay.
    if let Err(e) = result {
        tracing::error!("{e:#}");
        app.message = Some(format!("{e:#}"));
    }
    Ok(true)
}

/// Opens the queue on `store` for `reviewer` and runs until the user quits.
pub fn run(store: Store, config: &Config, user: String, reviewer: String) -> anyhow::Result<()> {
    let help = keymap::help_lines(&config.keys);
    let theme = theme::Theme::from_config(&config.display);
    let mut guard = terminal::TerminalGuard::enter(config.display.mouse)?;
    let size = guard.terminal.size()?;
    let mut app = app::App::new_first_frame(
        store,
        config.clone(),
        user,
        reviewer,
        layout::visible_rows(size.width, size.height),
    )?;
    if !locale_is_utf8() {
        app.message = Some(strings::LOCALE_NOT_UTF8.into());
    }
    let ctx = view::ViewContext {
        theme: &theme,
        help: &help,
    };
    guard.draw(|f| view::draw(f, &app, &ctx))?;
    let mut dirty = app.complete_loading()?;
    // One timer, restarted by every event: an idle session wakes once, to lock.
    let idle_limit = Duration::from_secs(u64::from(config.session.idle_lock_minutes) * 60);
    let mut locked = None;
    while !app.quit {
        if dirty {
            guard.draw(|f| view::draw(f, &app, &ctx))?;
        }
        if !event::poll(idle_limit)? {
            locked = app.lock_for_idle();
            dirty = locked.is_none();
            continue;
        }
        let ev = event::read()?;
        if let Event::Resize(..) = ev {
            guard.terminal.autoresize()?;
        }
        dirty = handle_event(&mut app, &ev)?;
    }
    // The terminal is restored (and the screen's data gone) before the note.
    drop(guard);
    if let Some(note) = locked {
        println!("{note}");
    }
    Ok(())
}

/// crossterm decodes UTF-8 only: a client set to GBK shows mojibake and loses keys.
fn locale_is_utf8() -> bool {
    ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
        .is_none_or(|v| v.to_ascii_lowercase().replace('-', "").contains("utf8"))
}
