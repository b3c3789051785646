//! What can go wrong in the store, in words a reviewer can act on.

use crate::domain::states::{DecisionError, RectError};
use rusqlite::ErrorCode;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("无法打开数据库 {path}：{reason}")]
    Open { path: String, reason: String },
    #[error("数据库正被其他用户写入，等待超时仍未释放，请稍后重试")]
    Locked,
    #[error("数据库文件只读，无法保存修改；请检查文件权限")]
    ReadOnly,
    #[error("磁盘已满，修改未保存；请清理磁盘空间或联系管理员后重试")]
    DiskFull,
    #[error("无法写入数据库所在目录（需要创建 -wal/-shm 文件）；请检查目录权限：{0}")]
    CannotOpen(String),
    #[error("{reason}")]
    Forbidden { actor: String, reason: String },
    #[error("备份失败：{0}")]
    Backup(String),
    #[error("数据库结构版本为 {found}，高于本程序支持的 {supported}，请升级 jixiao")]
    TooNew { found: i64, supported: i64 },
    #[error("数据库结构升级到第 {version} 版失败：{reason}")]
    Migration { version: i64, reason: String },
    #[error("项目「{project}」所属单位「{unit}」不存在")]
    UnknownUnit { project: String, unit: String },
    #[error("{sheet}中的项目「{code}」不存在")]
    UnknownProject { sheet: &'static str, code: String },
    #[error("{what}不存在")]
    NotFound { what: String },
    #[error("该事项已被 {changed_by} 于 {changed_at} 修改，请刷新后重试")]
    Conflict {
        review_id: i64,
        current_version: i64,
        changed_by: String,
        changed_at: String,
    },
    /// `item` names the unit and the project (empty when `source` already does).
    #[error("{}{source}", item_prefix(item))]
    Decision {
        review_id: i64,
        item: String,
        source: DecisionError,
    },
    #[error("整改事项 {id}：{source}")]
    Rectification { id: i64, source: RectError },
    #[error("整改事项 {id} 已被他人修改（当前版本 {current_version}），请刷新后重试")]
    RectConflict { id: i64, current_version: i64 },
    /// A rule of the review refused the change (verdicts, result application).
    #[error("{0}")]
    Refused(String),
    /// A rule-set change that breaks a rule of the TOML file (file, line, key named).
    #[error("{0}")]
    RuleSet(crate::config::ConfigError),
    /// An approval of an item whose findings lag its data (an import was
    /// interrupted before it recomputed them).
    #[error(
        "{item}：数据已更新但问题清单尚未重新计算（导入可能被中断），暂不能通过；再次运行 jixiao import（同一批文件即可）或重新打开工作台即补算"
    )]
    FindingsStale { review_id: i64, item: String },
    #[error("数据库中的值「{0}」无法识别，文件可能已损坏")]
    BadValue(String),
    #[error("数据编码错误：{0}")]
    Json(#[from] serde_json::Error),
    #[error("数据库错误：{0}")]
    Sqlite(rusqlite::Error),
}

/// `区第一中学（101）「校舍维修改造」：`, or nothing.
fn item_prefix(item: &str) -> String {
    if item.is_empty() {
        String::new()
    } else {
        format!("{item}：")
    }
}

impl StoreError {
    /// Whether trying again later may succeed (another writer held the lock).
    pub fn is_retryable(&self) -> bool {
        matches!(self, StoreError::Locked)
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Locked,
            Some(ErrorCode::ReadOnly) => StoreError::ReadOnly,
            Some(ErrorCode::DiskFull) => StoreError::DiskFull,
            Some(ErrorCode::CannotOpen) => StoreError::CannotOpen(e.to_string()),
            _ => StoreError::Sqlite(e),
        }
    }
}
