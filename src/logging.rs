//! Logs go to a file in the data directory, never to the terminal.

use std::path::PathBuf;
use tracing_appender::non_blocking::WorkerGuard;

/// Starts file logging; returns the log file path and a guard that flushes on drop.
/// `JIXIAO_LOG` sets the filter (default `info`).
pub fn init() -> Option<(PathBuf, WorkerGuard)> {
    let dir = crate::paths::log_dir();
    std::fs::create_dir_all(&dir).ok()?;
    let appender = tracing_appender::rolling::never(&dir, "jixiao.log");
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = tracing_subscriber::EnvFilter::try_from_env("JIXIAO_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .ok()?;
    Some((dir.join("jixiao.log"), guard))
}
