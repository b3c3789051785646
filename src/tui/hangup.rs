//! The session ending without the reviewer: the terminal closed (a dropped
//! SSH link, a closed window) or a signal (SIGHUP, SIGTERM, SIGINT).
//!
//! Why this is needed: crossterm 0.29's unix event source reads the terminal
//! in a loop that ends only on an event or `WouldBlock`. Once the terminal is
//! gone, `read` answers 0 (end of input) or EIO at once, every time, so
//! `event::poll` spins at 100 % CPU inside that loop and never returns, not
//! even at its timeout (crossterm issue 793; the fixes, PRs 1067 and 1116, are
//! unreleased). The loop above never gets to see an error. The hang-up signal
//! would end the process (losing the text being typed), but under `setsid`,
//! `su - user -c`, `sudo -u` or a ForceCommand the process is not in the
//! terminal's session and gets no signal at all.
//!
//! What is done here: a watcher thread sleeps in poll(2) on the terminal with
//! no events asked, so that it wakes only when the terminal hangs up (POLLHUP
//! or POLLERR; no CPU while the terminal lives). It then notes why, puts an
//! empty non-blocking pipe in the place of the terminal on file descriptor 0
//! (the one crossterm reads), so that crossterm's read loop ends with
//! `WouldBlock`, and raises SIGWINCH: crossterm's poll wakes on nothing else
//! than the terminal and that signal. SIGHUP, SIGTERM and SIGINT are caught
//! the same way: noted, and SIGWINCH raised. The run loop asks `cause()` each
//! time crossterm returns, and treats any read error as a hang-up too. A
//! second SIGTERM or SIGINT ends the process at once (if the loop is stuck
//! writing to a terminal that stopped reading).

use ratatui::crossterm::event;
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM, SIGWINCH};
use signal_hook::{flag, low_level};
use std::io::{self, IsTerminal};
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::net::UnixStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

/// Why the session ends without the reviewer.
#[derive(Debug)]
pub enum Cause {
    /// The terminal hung up (POLLHUP).
    TerminalClosed,
    /// Reading or writing the terminal failed.
    TerminalError(io::Error),
    /// A signal (SIGHUP, SIGTERM, SIGINT).
    Signal(i32),
}

impl Cause {
    /// The exit status: 128 plus the signal, as a shell reports a process
    /// killed by it (a closed terminal counts as SIGHUP).
    pub fn exit_code(&self) -> i32 {
        match self {
            Cause::Signal(sig) => 128 + sig,
            _ => 128 + SIGHUP,
        }
    }

    /// The signal's name, for the note on the shell.
    pub fn signal_name(&self) -> Option<&'static str> {
        match self {
            Cause::Signal(SIGHUP) => Some("SIGHUP"),
            Cause::Signal(SIGTERM) => Some("SIGTERM"),
            Cause::Signal(SIGINT) => Some("SIGINT"),
            _ => None,
        }
    }
}

impl std::fmt::Display for Cause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cause::TerminalClosed => f.write_str("the terminal hung up"),
            Cause::TerminalError(e) => write!(f, "the terminal failed: {e}"),
            Cause::Signal(sig) => write!(f, "signal {sig} ({})", self.signal_name().unwrap_or("?")),
        }
    }
}

/// Watches for the terminal closing and for the signals that end a session,
/// from `start` until dropped.
pub struct Watch {
    terminal_gone: Arc<AtomicBool>,
    /// The signal received, 0 for none.
    signal: Arc<AtomicUsize>,
    /// Set when the session is over: the signals then do what they do by default.
    over: Arc<AtomicBool>,
    /// The terminal, to ask at the end whether it is still there.
    tty: OwnedFd,
}

impl Watch {
    /// Call before the terminal is set up and before the first `event::poll`:
    /// it makes sure crossterm reads the terminal on file descriptor 0.
    pub fn start() -> io::Result<Watch> {
        if !io::stdin().is_terminal() {
            // crossterm would open /dev/tty on a descriptor of its own, which
            // the watcher could not replace; put the terminal on 0 instead.
            let tty = std::fs::OpenOptions::new().read(true).write(true).open("/dev/tty")?;
            nix::unistd::dup2_stdin(&tty)?;
        }
        let over = Arc::new(AtomicBool::new(false));
        let signal = Arc::new(AtomicUsize::new(0));
        let asked_twice = Arc::new(AtomicBool::new(false));
        for sig in [SIGHUP, SIGTERM, SIGINT] {
            // Actions run in the order registered.
            flag::register_conditional_default(sig, Arc::clone(&over))?;
            if sig != SIGHUP {
                // A dropped link can bring two SIGHUPs (the kernel's and the
                // shell's): only a repeated SIGTERM or SIGINT is someone insisting.
                flag::register_conditional_shutdown(sig, 128 + sig, Arc::clone(&asked_twice))?;
                flag::register(sig, Arc::clone(&asked_twice))?;
            }
            flag::register_usize(sig, Arc::clone(&signal), sig as usize)?;
            // SAFETY: raise(3) is async-signal-safe; nothing else is done.
            unsafe { low_level::register(sig, wake_the_loop)? };
        }

        let terminal_gone = Arc::new(AtomicBool::new(false));
        let tty = io::stdin().as_fd().try_clone_to_owned()?;
        let watched = tty.try_clone()?;
        // Made now, so that nothing can fail when the terminal is gone.
        let (empty, keep_open) = UnixStream::pair()?;
        empty.set_nonblocking(true)?;
        let gone = Arc::clone(&terminal_gone);
        std::thread::Builder::new()
            .name("jixiao-hangup".into())
            .spawn(move || watch_terminal(watched, empty, keep_open, gone))?;
        // crossterm's event source (and its SIGWINCH handler) exists from its
        // first poll on; a SIGWINCH raised before that would wake nothing.
        // (The watcher runs already: a terminal dead at start spins no more.)
        event::poll(Duration::ZERO)?;
        Ok(Watch {
            terminal_gone,
            signal,
            over,
            tty,
        })
    }

    /// Why the session must end now, if it must.
    pub fn cause(&self) -> Option<Cause> {
        if self.terminal_gone.load(Ordering::SeqCst) {
            return Some(Cause::TerminalClosed);
        }
        match self.signal.load(Ordering::SeqCst) {
            0 => None,
            sig => Some(Cause::Signal(sig as i32)),
        }
    }

    /// Whether the terminal has hung up, asked now (a SIGHUP may have come first).
    pub fn terminal_closed(&self) -> bool {
        use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
        if self.terminal_gone.load(Ordering::SeqCst) {
            return true;
        }
        let mut fds = [PollFd::new(self.tty.as_fd(), PollFlags::empty())];
        poll(&mut fds, PollTimeout::ZERO).is_ok_and(|_| fds[0].revents().is_some_and(hung_up))
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.over.store(true, Ordering::SeqCst);
    }
}

/// Wakes crossterm's poll (which wakes on the terminal and on SIGWINCH only).
fn wake_the_loop() {
    let _ = low_level::raise(SIGWINCH);
}

fn hung_up(revents: nix::poll::PollFlags) -> bool {
    use nix::poll::PollFlags;
    revents.intersects(PollFlags::POLLHUP | PollFlags::POLLERR | PollFlags::POLLNVAL)
}

/// The watcher: asleep until the terminal hangs up, then it takes the dead
/// terminal away from crossterm and wakes the loop.
fn watch_terminal(tty: OwnedFd, empty: UnixStream, keep_open: UnixStream, gone: Arc<AtomicBool>) {
    use nix::errno::Errno;
    use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
    loop {
        // No events asked: poll returns only for POLLHUP, POLLERR or POLLNVAL.
        let mut fds = [PollFd::new(tty.as_fd(), PollFlags::empty())];
        match poll(&mut fds, PollTimeout::NONE) {
            Ok(_) if fds[0].revents().is_some_and(hung_up) => break,
            Err(Errno::EINTR) => continue,
            // Not expected with no events asked; never a busy loop, whatever it was.
            Ok(_) => std::thread::sleep(Duration::from_millis(100)),
            Err(e) => {
                tracing::warn!("terminal watcher: poll failed: {e}");
                return;
            }
        }
    }
    gone.store(true, Ordering::SeqCst);
    // crossterm reads descriptor 0 until an event or WouldBlock: an empty
    // non-blocking pipe (its writing end kept open, so never at its end)
    // answers WouldBlock, where the dead terminal answered 0 or EIO forever.
    if let Err(e) = nix::unistd::dup2_stdin(&empty) {
        tracing::error!("terminal watcher: cannot take the closed terminal away: {e}");
    }
    std::mem::forget(keep_open);
    wake_the_loop();
}
