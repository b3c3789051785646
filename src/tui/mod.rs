//! The terminal UI: one synchronous loop that blocks on input (zero CPU while
//! idle), turns keys into actions, updates `App`, and redraws only then.

pub mod app;
pub mod editor;
pub mod keymap;
pub mod layout;
pub mod strings;
pub mod terminal;
pub mod theme;
pub mod view;

use crate::config::Config;
use crate::store::Store;
use ratatui::crossterm::event::{self, Event, KeyEventKind};

/// Applies one terminal event to the app — the one dispatch used by the real
/// terminal and by the tests. Returns whether the screen must be redrawn.
pub fn handle_event(app: &mut app::App, config: &Config, event: &Event) -> anyhow::Result<bool> {
    match event {
        Event::Key(key) if key.kind == KeyEventKind::Press => {
            let Some(action) = keymap::spec_of(key).and_then(|k| config.keys.action_for(k)) else {
                return Ok(false);
            };
            if let Err(e) = app.update(action) {
                tracing::error!("{e:#}");
                app.message = Some(e.to_string());
            }
            Ok(true)
        }
        Event::Resize(w, h) => {
            app.resize(layout::visible_rows(*w, *h))?;
            Ok(true)
        }
        _ => Ok(false),
    }
}

/// Opens the queue on `store` for `reviewer` and runs until the user quits.
pub fn run(store: Store, config: &Config, reviewer: String) -> anyhow::Result<()> {
    let help = keymap::help_lines(&config.keys);
    let theme = theme::Theme::from_config(&config.display);
    let mut guard = terminal::TerminalGuard::enter(config.display.mouse)?;
    let size = guard.terminal.size()?;
    let mut app = app::App::new(store, reviewer, layout::visible_rows(size.width, size.height))?;
    let ctx = view::ViewContext {
        theme: &theme,
        help: &help,
    };
    let mut dirty = true;
    while !app.quit {
        if dirty {
            guard.draw(|f| view::draw(f, &app, &ctx))?;
        }
        let ev = event::read()?;
        if let Event::Resize(..) = ev {
            guard.terminal.autoresize()?;
        }
        dirty = handle_event(&mut app, config, &ev)?;
    }
    Ok(())
}
