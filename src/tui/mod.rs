//! The terminal UI: one synchronous loop that blocks on input (zero CPU while
//! idle), turns keys into `Action`s, updates `App`, and redraws only then.

pub mod app;
pub mod keymap;
pub mod layout;
pub mod strings;
pub mod terminal;
pub mod theme;
pub mod view;

use crate::config::Config;
use crate::store::Store;
use ratatui::crossterm::event::{self, Event, KeyEventKind};

/// Opens the queue on `store` for `reviewer` and runs until the user quits.
pub fn run(store: Store, config: &Config, reviewer: String) -> anyhow::Result<()> {
    let help = keymap::help_lines(&config.keys);
    let theme = theme::Theme::from_config(&config.display);
    let mut guard = terminal::TerminalGuard::enter(config.display.mouse)?;
    let size = guard.terminal.size()?;
    let mut app = app::App::new(store, reviewer, layout::visible_rows(size.width, size.height))?;
    let ctx = view::ViewContext { theme: &theme, help: &help };
    let mut dirty = true;
    while !app.quit {
        if dirty {
            guard.draw(|f| view::draw(f, &app, &ctx))?;
            dirty = false;
        }
        match event::read()? {
            Event::Key(key) if key.kind == KeyEventKind::Press => {
                if let Some(action) = keymap::spec_of(&key).and_then(|k| config.keys.action_for(k)) {
                    if let Err(e) = app.update(action) {
                        tracing::error!("{e:#}");
                        app.message = Some(format!("{e}"));
                    }
                    dirty = true;
                }
            }
            Event::Resize(w, h) => {
                app.resize(layout::visible_rows(w, h))?;
                guard.terminal.autoresize()?;
                dirty = true;
            }
            _ => {}
        }
    }
    Ok(())
}
