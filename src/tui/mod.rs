//! The terminal UI: one synchronous loop that blocks on input (zero CPU while
//! idle), turns keys into actions, updates `App`, and redraws only then. A
//! closed terminal or a signal ends it the way the idle lock does: the text
//! being typed kept as a draft (`hangup`).

pub mod app;
pub mod command;
pub mod editor;
pub mod hangup;
pub mod keymap;
pub mod layout;
pub mod lean_backend;
pub mod overlay;
pub mod prompt;
pub mod reader;
pub mod scope;
pub mod screens;
pub mod search;
pub mod session;
pub mod strings;
pub mod tab;
pub mod terminal;
pub mod theme;
pub mod view;
pub mod wrap;

use crate::config::{Action, Config};
use crate::store::Store;
use ratatui::crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEventKind};
use ratatui::layout::Rect;
use std::io::Write;
use std::time::Duration;

/// Applies one terminal event to the app — the one dispatch used by the real
/// terminal and by the tests. Returns whether the screen must be redrawn.
pub fn handle_event(app: &mut app::App, event: &Event) -> anyhow::Result<bool> {
    let result = match event {
        Event::Resize(w, h) => {
            // The terminal is cleared and drawn whole after every resize: a
            // terminal keeps, cuts or reflows what it showed in its own way.
            app.screen.too_small = layout::too_small(Rect::new(0, 0, *w, *h));
            app.screen.repaint = true;
            app.resize(layout::visible_rows(*w, *h))
        }
        // The notice is all that is shown: keys must not act out of sight.
        Event::Key(key) if key.kind == KeyEventKind::Press && app.screen.too_small => {
            return Ok(too_small_key(app, key));
        }
        _ if app.screen.too_small => return Ok(false),
        Event::Key(key) if key.kind == KeyEventKind::Press => {
            if let Err(e) = app.notice_other_writers() {
                tracing::warn!("data_version: {e}");
            }
            if app.overlay_takes_keys() {
                app.overlay_key(*key)
            } else {
                match app.key(*key) {
                    Ok(false) => return Ok(false),
                    other => other.map(|_| ()),
                }
            }
        }
        Event::Paste(text) => app.paste(text),
        // The wheel scrolls what is on top: the reader, else the list; an
        // editor or prompt keeps the list beneath still.
        Event::Mouse(m) if app.ses.config.display.mouse => {
            let code = match m.kind {
                MouseEventKind::ScrollDown => KeyCode::Down,
                MouseEventKind::ScrollUp => KeyCode::Up,
                _ => return Ok(false),
            };
            match &app.ses.overlay {
                Some(overlay::Overlay::Reader(_)) => app.overlay_key(KeyEvent::new(code, KeyModifiers::NONE)),
                Some(_) => return Ok(false),
                None if code == KeyCode::Down => app.update(Action::Down),
                None => app.update(Action::Up),
            }
        }
        _ => return Ok(false),
    };
    // A failure (disk full, database locked…) is shown; the screen and any text typed stay.
    if let Err(e) = result {
        tracing::error!("{e:#}");
        app.ses.message = Some(format!("{e:#}"));
    }
    Ok(true)
}

/// A key on the "too small" screen: the quit key (and Ctrl-C) quits, keeping
/// an opinion being typed as a draft; the refresh key repaints; every other
/// key goes nowhere (an editor hidden under the notice must not take it).
fn too_small_key(app: &mut app::App, key: &KeyEvent) -> bool {
    let ctrl_c = key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL);
    match keymap::spec_of(key).and_then(|k| app.ses.config.keys.action_in(crate::config::KeyScope::Global, k)) {
        Some(Action::Refresh) => app.screen.repaint = true,
        Some(Action::Quit) => quit_keeping_draft(app),
        _ if ctrl_c => quit_keeping_draft(app),
        _ => return false,
    }
    true
}

fn quit_keeping_draft(app: &mut app::App) {
    match app.keep_draft_before_exit() {
        Ok(kept) => {
            app.quit = true;
            if kept {
                app.screen.exit_note = Some(strings::QUIT_DRAFT_KEPT.into());
            }
        }
        // The reviewer is still there: say so rather than lose the text.
        Err(app::DraftNotKept::NoItem(_)) => app.ses.message = Some(strings::TOO_SMALL_TEXT_NOT_KEPT.into()),
        Err(app::DraftNotKept::Failed(_, e)) => app.ses.message = Some(format!("{}{e}", strings::DRAFT_SAVE_FAILED)),
    }
}

/// Events handled in a burst before a frame is drawn anyway (keys typed ahead
/// on a slow link, a window's corner dragged: one frame, not one per event).
const MAX_UNDRAWN_EVENTS: usize = 64;

/// How a session ended.
enum End {
    /// The reviewer quit, or the idle lock: what to say on the shell.
    Quit(Option<String>),
    /// Without the reviewer: the terminal closed, or a signal.
    Stopped(hangup::Cause),
}

/// Opens the queue on `store` for `reviewer` and runs until the user quits.
///
/// When the session ends without the reviewer (the terminal closed, a read or
/// write on it failed, SIGHUP, SIGTERM, SIGINT), the text being typed is kept
/// as a draft, the database released, the terminal restored as far as it is
/// still there, and the process ends here, with 128 + the signal's number as
/// its status (129 for a closed terminal).
/// A check run once the first frame is on screen (an administrator's audit
/// verification): what it returns, if anything, goes to the message line.
pub type StartupCheck = Box<dyn FnOnce(&Store) -> Option<String>>;

pub fn run(
    store: Store,
    config: &Config,
    user: String,
    reviewer: String,
    after_first_frame: Option<StartupCheck>,
) -> anyhow::Result<()> {
    let theme = theme::Theme::from_config(&config.display);
    let watch = hangup::Watch::start()?;
    let mut guard = terminal::TerminalGuard::enter(config.display.mouse)?;
    let size = guard.terminal.size()?;
    let mut app = app::App::new_first_frame(
        store,
        config.clone(),
        user,
        reviewer,
        layout::visible_rows(size.width, size.height),
    )?;
    app.screen.too_small = layout::too_small(Rect::new(0, 0, size.width, size.height));
    if !locale_is_utf8() {
        app.ses.message = Some(strings::LOCALE_NOT_UTF8.into());
    }
    let ctx = view::ViewContext { theme: &theme };
    // One timer, restarted by every event: an idle session wakes once, to lock.
    let idle_limit = Duration::from_secs(u64::from(config.session.idle_lock_minutes) * 60);
    match session(&watch, &mut guard, &mut app, &ctx, idle_limit, after_first_frame)? {
        End::Quit(note) => {
            // The terminal is restored (and the screen's data gone) before the note.
            drop(guard);
            if let Some(note) = note {
                println!("{note}");
            }
            Ok(())
        }
        End::Stopped(cause) => stop(watch, guard, app, cause),
    }
}

/// The loop: draw when something changed and no input is waiting, block on
/// input (no periodic tick), hand each event to `handle_event`.
fn session(
    watch: &hangup::Watch,
    guard: &mut terminal::TerminalGuard,
    app: &mut app::App,
    ctx: &view::ViewContext,
    idle_limit: Duration,
    after_first_frame: Option<StartupCheck>,
) -> anyhow::Result<End> {
    use hangup::Cause::TerminalError;
    let mut draw = |app: &mut app::App| {
        let repaint = std::mem::take(&mut app.screen.repaint);
        guard.draw_frame(repaint, |f| view::draw(f, app, ctx))
    };
    // The size the first frame is drawn at: a resize from then on, even one
    // before the loop starts, is seen at the next event.
    let mut known_size = ratatui::crossterm::terminal::size().ok();
    if let Err(e) = draw(app) {
        return Ok(End::Stopped(TerminalError(e)));
    }
    let mut dirty = app.complete_loading()?;
    // Checks that would hold up the first frame run after it.
    if let Some(message) = after_first_frame.and_then(|check| check(&app.ses.store)) {
        app.ses.message = Some(message);
        dirty = true;
    }
    let mut undrawn = 0;
    loop {
        if let Some(cause) = watch.cause() {
            return Ok(End::Stopped(cause));
        }
        if app.quit {
            return Ok(End::Quit(app.screen.exit_note.take()));
        }
        // Anything already waiting is handled before the frame is drawn.
        let ready = match event::poll(if dirty { Duration::ZERO } else { idle_limit }) {
            Ok(ready) => ready,
            // A read error on the terminal is a hang-up: never retried.
            Err(e) => return Ok(End::Stopped(TerminalError(e))),
        };
        // Woken by the watcher or a signal (crossterm sees a SIGWINCH).
        if let Some(cause) = watch.cause() {
            return Ok(End::Stopped(cause));
        }
        if !ready && !dirty {
            if let Some(note) = app.lock_for_idle() {
                return Ok(End::Quit(Some(note)));
            }
        } else if ready {
            let ev = match event::read() {
                Ok(ev) => ev,
                Err(e) => return Ok(End::Stopped(TerminalError(e))),
            };
            // Started under setsid or `su -c`, the process is not in the
            // terminal's foreground group and gets no SIGWINCH: a resize is
            // found at the next input, and handled before it.
            let size = match ev {
                Event::Resize(w, h) => Some((w, h)),
                _ => ratatui::crossterm::terminal::size().ok(),
            };
            if size != known_size {
                known_size = size;
                if let (Some((w, h)), false) = (size, matches!(ev, Event::Resize(..))) {
                    dirty |= handle_event(app, &Event::Resize(w, h))?;
                }
            }
            dirty |= handle_event(app, &ev)?;
            undrawn += 1;
            if undrawn < MAX_UNDRAWN_EVENTS {
                continue;
            }
        }
        if dirty || !ready {
            if let Err(e) = draw(app) {
                return Ok(End::Stopped(TerminalError(e)));
            }
            dirty = false;
            undrawn = 0;
        }
    }
}

/// The session ends without the reviewer: the text being typed is kept as a
/// draft (or, when no draft can hold it, written to the log: no one is left
/// to ask), the database released, the terminal restored as far as it is
/// still there, and the process ends.
fn stop(watch: hangup::Watch, guard: terminal::TerminalGuard, mut app: app::App, cause: hangup::Cause) -> ! {
    tracing::warn!("session ended: {cause}");
    let draft = match app.keep_draft_before_exit() {
        Ok(false) => None,
        Ok(true) => {
            tracing::info!("the text being typed was kept as a draft");
            Some(true)
        }
        Err(app::DraftNotKept::NoItem(text)) => {
            tracing::warn!("the text being typed belongs to no one item, so no draft can keep it; it was:\n{text}");
            Some(false)
        }
        Err(app::DraftNotKept::Failed(text, e)) => {
            tracing::error!("the text being typed could not be kept as a draft ({e}); it was:\n{text}");
            Some(false)
        }
    };
    drop(app);
    let closed = watch.terminal_closed();
    if closed {
        // Nothing to restore and no one to tell: output goes nowhere, so no
        // write can fail or wait on the dead terminal.
        if let Ok(null) = std::fs::OpenOptions::new().write(true).open("/dev/null") {
            let _ = nix::unistd::dup2_stdout(&null);
            let _ = nix::unistd::dup2_stderr(&null);
        }
    }
    drop(guard);
    if !closed && let Some(name) = cause.signal_name() {
        let _ = writeln!(std::io::stdout(), "{}", strings::stopped_by_signal(name, draft));
    }
    std::process::exit(cause.exit_code())
}

/// crossterm decodes UTF-8 only: a client set to GBK shows mojibake and loses keys.
fn locale_is_utf8() -> bool {
    ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
        .is_none_or(|v| v.to_ascii_lowercase().replace('-', "").contains("utf8"))
}
