//! The real terminal: raw mode, alternate screen, a buffered writer (slow SSH
//! links), synchronized output around each frame, and restoration on panic.

use super::lean_backend::LeanBackend;
use ratatui::Terminal;
use ratatui::crossterm::event::{DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture};
use ratatui::crossterm::terminal::{
    BeginSynchronizedUpdate, EndSynchronizedUpdate, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode,
    enable_raw_mode,
};
use ratatui::crossterm::{cursor, execute};
use ratatui::layout::{Rect, Size};
use std::io::{self, BufWriter, Stdout, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

pub type Backend = LeanBackend<BufWriter<Stdout>>;

/// Whether raw mode and the alternate screen are in force (so that a panic in
/// a plain command-line run does not print terminal sequences).
static ENTERED: AtomicBool = AtomicBool::new(false);

/// Puts the terminal back as it was; safe to call twice, a no-op when the UI never started.
pub fn restore() {
    if !ENTERED.swap(false, Ordering::SeqCst) {
        return;
    }
    let _ = disable_raw_mode();
    let mut out = io::stdout();
    let _ = execute!(
        out,
        DisableMouseCapture,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = out.flush();
}

/// Installs a panic hook that restores the terminal and says where the log is,
/// before the default hook prints the panic.
pub fn install_panic_hook(log_path: Option<PathBuf>) {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        tracing::error!("panic: {info}");
        if let Some(path) = &log_path {
            eprintln!("{}{}", crate::tui::strings::PANIC_LOG_AT, path.display());
        }
        previous(info);
    }));
}

/// Enters raw mode and the alternate screen; the guard restores on drop.
/// The environment variable naming the first-frame stamp file.
pub const FIRST_FRAME_STAMP: &str = "JIXIAO_FIRST_FRAME_STAMP";

pub struct TerminalGuard {
    pub terminal: Terminal<Backend>,
    mouse: bool,
    /// Where to note the wall-clock time of the first frame (the benchmark's
    /// start-up figure; `JIXIAO_FIRST_FRAME_STAMP`), taken after the first draw.
    first_frame_stamp: Option<std::path::PathBuf>,
}

impl TerminalGuard {
    pub fn enter(mouse: bool) -> io::Result<Self> {
        enable_raw_mode()?;
        ENTERED.store(true, Ordering::SeqCst);
        let mut out = io::stdout();
        execute!(out, EnterAlternateScreen, EnableBracketedPaste)?;
        if mouse {
            execute!(out, EnableMouseCapture)?;
        }
        let size = ratatui::crossterm::terminal::size()?;
        let backend = LeanBackend::new(
            BufWriter::with_capacity(64 * 1024, io::stdout()),
            Size::new(size.0, size.1),
        );
        let terminal = Terminal::new(backend)?;
        let first_frame_stamp = std::env::var_os(FIRST_FRAME_STAMP).map(std::path::PathBuf::from);
        Ok(TerminalGuard {
            terminal,
            mouse,
            first_frame_stamp,
        })
    }

    /// Draws one frame inside a synchronized update, then flushes once.
    pub fn draw(&mut self, render: impl FnOnce(&mut ratatui::Frame)) -> io::Result<()> {
        self.draw_frame(false, render)
    }

    /// As `draw`; with `repaint`, the terminal cleared and the frame drawn whole.
    pub fn draw_frame(&mut self, repaint: bool, render: impl FnOnce(&mut ratatui::Frame)) -> io::Result<()> {
        draw_frame(&mut self.terminal, repaint, render)?;
        if let Some(path) = self.first_frame_stamp.take() {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default();
            std::fs::write(path, format!("{}.{:06}", now.as_secs(), now.subsec_micros()))?;
        }
        Ok(())
    }
}

/// One frame wrapped in synchronized output (terminals without it ignore the
/// sequences), flushed once; with `repaint`, the terminal is first cleared and
/// the frame drawn whole (after a resize, or Ctrl-l over a screen something
/// else wrote on). The real loop, the tests and the benchmark all draw this way.
pub fn draw_frame<B: ratatui::backend::Backend<Error = io::Error> + Write>(
    terminal: &mut Terminal<B>,
    repaint: bool,
    render: impl FnOnce(&mut ratatui::Frame),
) -> io::Result<()> {
    execute!(terminal.backend_mut(), BeginSynchronizedUpdate)?;
    if repaint {
        // A resize to the size the terminal has now clears it and forgets the
        // last frame, so the next diff writes every cell. (`Terminal::clear`
        // would first ask the terminal where its cursor is: a round trip.)
        let size = terminal.size()?;
        terminal.resize(Rect::new(0, 0, size.width, size.height))?;
    }
    terminal.draw(render)?;
    execute!(terminal.backend_mut(), EndSynchronizedUpdate)?;
    Write::flush(terminal.backend_mut())
}

/// One frame drawn over the last one (see `draw_frame`).
pub fn draw_synchronized<B: ratatui::backend::Backend<Error = io::Error> + Write>(
    terminal: &mut Terminal<B>,
    render: impl FnOnce(&mut ratatui::Frame),
) -> io::Result<()> {
    draw_frame(terminal, false, render)
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        if self.mouse {
            let _ = execute!(io::stdout(), DisableMouseCapture);
        }
        restore();
    }
}
