//! `jixiao backup PATH`: a consistent copy through SQLite's online backup API.
//! The whole file is copied in one step under one read snapshot, so reviewers
//! keep deciding (WAL readers do not block writers) and the copy holds the
//! state of one instant — never half a batch.

use super::audit::AuditTarget;
use super::audit::append_audit;
use super::permissions::require_registered;
use super::{Store, StoreError, files};
use rusqlite::Connection;
use rusqlite::backup::{Backup, StepResult};
use std::path::Path;
use std::time::{Duration, Instant};

/// What a backup wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct BackupReport {
    pub pages: i64,
    pub bytes: u64,
    pub seconds: f64,
}

/// How long to wait before retrying a step that found the source locked.
const RETRY_PAUSE: Duration = Duration::from_millis(50);

/// Copies every page of `source` into the file at `dest`, returning the page count.
fn copy_into(source: &Connection, dest: &Path) -> Result<i64, StoreError> {
    let mut copy = Connection::open(dest)?;
    {
        let backup = Backup::new(source, &mut copy)?;
        // -1: every page in one step, i.e. under one read snapshot of the source.
        loop {
            match backup.step(-1)? {
                StepResult::Done => break,
                StepResult::More => {}
                StepResult::Busy | StepResult::Locked => std::thread::sleep(RETRY_PAUSE),
                _ => std::thread::sleep(RETRY_PAUSE),
            }
        }
    }
    Ok(copy.pragma_query_value(None, "page_count", |r| r.get(0))?)
}

impl Store {
    /// Copies the database to a new file `dest` (0660) and audits it.
    pub fn backup_to(&mut self, dest: &Path, actor: &str) -> Result<BackupReport, StoreError> {
        let path = dest.display().to_string();
        let target = AuditTarget::File(&path);
        if let Err(e) = require_registered(&self.conn, actor, "备份数据库") {
            self.note_refusal(actor, "backup", target, &e);
            return Err(e);
        }
        if dest.exists() {
            return Err(StoreError::Backup(format!(
                "目标文件已存在，不会覆盖：{}",
                dest.display()
            )));
        }
        let started = Instant::now();
        files::prepare_db_file(dest).map_err(|e| StoreError::Backup(format!("{}：{e}", dest.display())))?;
        let pages = match copy_into(&self.conn, dest) {
            Ok(pages) => pages,
            Err(e) => {
                // Leave no half-written file that could be mistaken for a backup.
                let _ = std::fs::remove_file(dest);
                return Err(e);
            }
        };
        let bytes = std::fs::metadata(dest).map(|m| m.len()).unwrap_or(0);
        let seconds = started.elapsed().as_secs_f64();
        let after = serde_json::json!({ "pages": pages, "bytes": bytes }).to_string();
        self.write(|tx| append_audit(tx, actor, "backup", target, "ok", None, Some(&after)))?;
        Ok(BackupReport { pages, bytes, seconds })
    }
}
