//! Config errors: each names the file, the line and the key, in Chinese.

use std::fmt;
use std::path::PathBuf;

/// Where a layer of configuration came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// `config/default.toml`, compiled into the binary.
    Builtin,
    /// A file on disk (user file or `--config`).
    File(PathBuf),
    /// Text handed in by a caller, e.g. a test; the name is shown as is.
    Text(String),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Builtin => f.write_str("内置默认配置"),
            Origin::File(p) => write!(f, "配置文件 {}", p.display()),
            Origin::Text(name) => write!(f, "配置 {name}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// Not valid TOML.
    #[error("{origin} 第 {line} 行：TOML 语法错误：{message}")]
    Syntax {
        origin: Origin,
        line: usize,
        message: String,
    },

    /// A key that is unknown, of the wrong type, or out of range. `origin` and
    /// `line` are those of the layer that set the key, when it can be found.
    #[error("{}", invalid_text(origin, line, key, message))]
    Invalid {
        origin: Option<Origin>,
        line: Option<usize>,
        key: String,
        message: String,
    },

    /// `--config PATH` names a file that is not there.
    #[error("找不到配置文件 {}（--config 指定的文件必须存在）", path.display())]
    Missing { path: PathBuf },

    /// The file exists but cannot be read (permissions, not UTF-8).
    #[error("无法读取配置文件 {}：{message}", path.display())]
    Unreadable { path: PathBuf, message: String },
}

fn invalid_text(origin: &Option<Origin>, line: &Option<usize>, key: &str, message: &str) -> String {
    match (origin, line) {
        (Some(o), Some(l)) => format!("{o} 第 {l} 行，键 {key}：{message}"),
        (Some(o), None) => format!("{o}，键 {key}：{message}"),
        _ => format!("配置键 {key}：{message}"),
    }
}

impl ConfigError {
    /// The key path concerned, if the error is about one key.
    pub fn key(&self) -> Option<&str> {
        match self {
            ConfigError::Invalid { key, .. } => Some(key),
            _ => None,
        }
    }

    /// The line in the file, if known.
    pub fn line(&self) -> Option<usize> {
        match self {
            ConfigError::Syntax { line, .. } => Some(*line),
            ConfigError::Invalid { line, .. } => *line,
            _ => None,
        }
    }
}
