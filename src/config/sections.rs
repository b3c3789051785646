//! The non-rule sections of the config: display, session, store, budgets, templates.

use crate::domain::params::ParamError;
use serde::Deserialize;

/// Unit in which amounts are shown (input is always 元).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum MoneyUnit {
    #[serde(rename = "元")]
    Yuan,
    #[serde(rename = "万元")]
    Wan,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Theme {
    /// Chosen from the terminal (COLORTERM, TERM, NO_COLOR).
    #[serde(rename = "auto")]
    Auto,
    #[serde(rename = "256")]
    Colors256,
    #[serde(rename = "16")]
    Colors16,
    #[serde(rename = "mono")]
    Mono,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Lang {
    #[serde(rename = "zh")]
    Zh,
    #[serde(rename = "en")]
    En,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisplayConfig {
    pub money_unit: MoneyUnit,
    pub money_decimals: u32,
    pub theme: Theme,
    pub respect_no_color: bool,
    pub ascii_borders: bool,
    pub mouse: bool,
    pub lang: Lang,
    /// Below this size the screen shows a "too small" message instead of the UI.
    pub min_width: u16,
    pub min_height: u16,
}

impl DisplayConfig {
    pub fn validate(&self) -> Result<(), ParamError> {
        if self.money_decimals > 6 {
            return Err(err("money_decimals", "须在 0 到 6 之间"));
        }
        if self.min_width < 40 {
            return Err(err("min_width", "不能小于 40 列"));
        }
        if self.min_height < 12 {
            return Err(err("min_height", "不能小于 12 行"));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionConfig {
    /// Minutes without a key before the screen locks.
    pub idle_lock_minutes: u32,
    /// Save opinion drafts as typed.
    pub draft_autosave: bool,
}

impl SessionConfig {
    pub fn validate(&self) -> Result<(), ParamError> {
        // 等保 2.0 asks for a lock, so it cannot be switched off with 0.
        if !(1..=1440).contains(&self.idle_lock_minutes) {
            return Err(err("idle_lock_minutes", "须在 1 到 1440 分钟之间"));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreConfig {
    /// How long a writer waits for another reviewer's transaction.
    pub busy_timeout_ms: u32,
    /// The audit log is never purged younger than this.
    pub audit_retention_days: u32,
}

/// The audit log must be kept at least this long (DESIGN "Reliability and security").
pub const MIN_AUDIT_RETENTION_DAYS: u32 = 180;

impl StoreConfig {
    pub fn validate(&self) -> Result<(), ParamError> {
        if self.busy_timeout_ms == 0 || self.busy_timeout_ms > 600_000 {
            return Err(err("busy_timeout_ms", "须在 1 到 600000 毫秒之间"));
        }
        if self.audit_retention_days < MIN_AUDIT_RETENTION_DAYS {
            return Err(err("audit_retention_days", "审计日志至少保留 180 天"));
        }
        Ok(())
    }
}

/// Non-functional budgets the benchmark checks against.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Budgets {
    pub startup_ms: u64,
    pub keystroke_ms: u64,
    pub search_ms: u64,
    pub move_bytes: u64,
    pub scroll_bytes: u64,
    pub peak_rss_mib: u64,
    pub import_ms: u64,
    pub import_ratio: u64,
    pub bulk_approve_ms: u64,
}

impl Budgets {
    pub fn validate(&self) -> Result<(), ParamError> {
        let all = [
            ("startup_ms", self.startup_ms),
            ("keystroke_ms", self.keystroke_ms),
            ("search_ms", self.search_ms),
            ("move_bytes", self.move_bytes),
            ("scroll_bytes", self.scroll_bytes),
            ("peak_rss_mib", self.peak_rss_mib),
            ("import_ms", self.import_ms),
            ("import_ratio", self.import_ratio),
            ("bulk_approve_ms", self.bulk_approve_ms),
        ];
        match all.iter().find(|(_, v)| *v == 0) {
            Some((key, _)) => Err(err(key, "须大于 0")),
            None => Ok(()),
        }
    }
}

/// A ready-made opinion the reviewer can insert and edit.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpinionTemplate {
    pub name: String,
    pub text: String,
}

pub fn validate_templates(templates: &[OpinionTemplate]) -> Result<(), ParamError> {
    for (i, t) in templates.iter().enumerate() {
        if t.name.trim().is_empty() {
            return Err(err(&format!("[{i}].name"), "模板名称不能为空"));
        }
        if t.text.trim().is_empty() {
            return Err(err(&format!("[{i}].text"), "模板正文不能为空"));
        }
        if templates[..i].iter().any(|o| o.name == t.name) {
            return Err(err(&format!("[{i}].name"), &format!("模板名称「{}」重复", t.name)));
        }
    }
    Ok(())
}

fn err(key: &str, message: &str) -> ParamError {
    ParamError {
        key: key.to_string(),
        message: message.to_string(),
    }
}
