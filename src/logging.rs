//! Logs go to a file in the data directory, never to the terminal.
//!
//! Written synchronously under a mutex: the TUI logs little (start, errors), a
//! release build aborts on panic so a background writer could lose the last
//! lines, and the non-blocking appender's 128,000-slot channel cost a quarter
//! of start-up (issue #8).

use std::fs::{File, OpenOptions};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::PathBuf;
use std::sync::Mutex;

/// Starts file logging; returns the log file path. `JIXIAO_LOG` sets the
/// filter (default `info`).
pub fn init() -> Option<PathBuf> {
    let dir = crate::paths::log_dir();
    std::fs::create_dir_all(&dir).ok()?;
    let path = dir.join("jixiao.log");
    // The log names units, projects and reviewers: the group may read it, nobody else.
    let file: File = OpenOptions::new()
        .create(true)
        .append(true)
        .mode(crate::store::files::OUTPUT_MODE)
        .open(&path)
        .ok()?;
    let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(crate::store::files::OUTPUT_MODE));
    let filter = tracing_subscriber::EnvFilter::try_from_env("JIXIAO_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_writer(Mutex::new(file))
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .ok()?;
    Some(path)
}
