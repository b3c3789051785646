//! Where files live: the reviewer's database, the demo database beside it, and
//! the log. The platform data directory by default (`directories`).

use std::path::PathBuf;

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("cn", "jixiao", "jixiao")
}

/// The platform data directory, e.g. `~/.local/share/jixiao` on Linux.
/// `JIXIAO_DATA_DIR` overrides it (used by tests and shared installations).
pub fn data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("JIXIAO_DATA_DIR") {
        return PathBuf::from(dir);
    }
    project_dirs()
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The reviewer's real database when neither `--db` nor `JIXIAO_DB` is given.
pub fn default_db() -> PathBuf {
    data_dir().join("jixiao.db")
}

/// The demo database: beside the real one, never over it.
pub fn default_demo_db() -> PathBuf {
    data_dir().join("demo.db")
}

/// The log directory (logs never go to the screen).
pub fn log_dir() -> PathBuf {
    data_dir().join("log")
}
