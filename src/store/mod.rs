//! The SQLite store: one file shared by every reviewer on the server.
//!
//! Every SQL statement of the program lives under this module, behind
//! functions named for what they do, so that another backend is one new
//! module and not a rewrite. Every write runs in a `BEGIN IMMEDIATE`
//! transaction so two processes queue on the write lock instead of
//! deadlocking on a read-to-write upgrade.

pub mod anchor;
mod audit;
mod audit_items;
mod backup;
mod carry_over;
mod checkpoint;
mod clock;
mod codec;
mod copy;
mod decisions;
pub mod demo;
mod detail;
mod error;
mod export;
mod figures;
pub mod files;
mod findings;
mod load;
mod lookup;
mod migrations;
mod overview;
mod permissions;
mod queue;
mod queue_index;
mod rectifications;
mod results;
mod reviewers;
mod rule_set;
mod settings;
mod snapshot;
mod totals;
mod undo;
mod views;

pub use anchor::Anchor;
pub use audit::{AnchorBreak, AuditBreak, AuditEntry, AuditFilter, AuditReport, AuditTarget};
pub use audit_items::ItemBreak;
pub use backup::BackupReport;
pub use decisions::{BatchOutcome, Draft};
pub use detail::{ItemDetail, KeyProjectRow};
pub use error::StoreError;
pub use export::{FindingRow, OpinionRow};
pub use load::{ImportBatch, LoadSummary, TableCounts};
pub use migrations::CURRENT_VERSION;
pub use overview::{Coverage, CoverageStep, Overview, RectCounts, RectLabels, SectionProgress};
pub use queue::{QueueFilter, QueueRow, QueueSort};
pub use queue_index::{QueueEntry, QueueIndex};
pub use rectifications::NewRectification;
pub use results::{ResultRecord, ResultRow};
pub use rule_set::{RuleSet, RuleSetChange, RuleValue};
pub use totals::Totals;
pub use undo::{AnswerRow, UndoEntry, UndoStep};

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use std::path::Path;
use std::time::Duration;

/// How long a write waits for another process's write before giving up, unless
/// the configuration says otherwise (`store.busy_timeout_ms`).
pub(super) const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Prepared statements kept per connection.
const STATEMENT_CACHE: usize = 128;

/// An open database file with its schema at the current version.
pub struct Store {
    conn: Connection,
    /// The time stamped on writes instead of the wall clock (`set_clock`).
    clock: Option<chrono::NaiveDateTime>,
    /// The file's name in audit anchors, and the last head anchored.
    anchor_db: String,
    anchored: i64,
    /// Off for a demo database: its thousands of generated decisions are no
    /// one's work, and must not flood the server's log.
    anchoring: bool,
}

/// A fault to put one connection in, for drills and tests of how the program
/// copes (the real ones — a full disk, a read-only file — need privileges or
/// special file systems to stage).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The file may not grow beyond its current size, as on a full disk.
    DiskFull,
    /// Every write fails as on a read-only file.
    ReadOnly,
}

/// What a full disk at start-up is, in words (SQLite says "disk I/O error"
/// when it cannot create the -wal or -shm file).
const DISK_FULL_AT_OPEN: &str =
    "磁盘空间已满或无法写入（打开数据库须写入其 -wal、-shm 文件），未做任何修改；请清理该磁盘的空间或联系管理员后重试";

/// Whether an error at open comes from a disk that takes no more bytes.
fn is_disk_full(e: &StoreError) -> bool {
    match e {
        StoreError::DiskFull => true,
        StoreError::Sqlite(inner) => matches!(
            inner.sqlite_error_code(),
            Some(rusqlite::ErrorCode::SystemIoFailure | rusqlite::ErrorCode::DiskFull)
        ),
        _ => false,
    }
}

/// The setting that marks a demo database (`jixiao demo`).
pub const DEMO_MARK: &str = "demo.options";

/// Upper bound of SQLite's page cache, in KiB (negative: a size, not a page count).
const CACHE_KIB: i64 = -16 * 1024;

impl Store {
    /// Opens (creating if missing, with its folder) and migrates to the current schema.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Self::open_at_version(path, CURRENT_VERSION)
    }

    /// Opens and migrates only up to `version`: lets tests build a database as an
    /// older build would have left it.
    pub fn open_at_version(path: &Path, version: i64) -> Result<Store, StoreError> {
        files::prepare_db_file(path).map_err(|e| StoreError::Open {
            path: path.display().to_string(),
            reason: if e.kind() == std::io::ErrorKind::StorageFull {
                DISK_FULL_AT_OPEN.to_string()
            } else {
                e.to_string()
            },
        })?;
        let conn = Connection::open(path).map_err(|e| StoreError::Open {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // A decision touches about ten distinct statements and a load about thirty;
        // the default cache of 16 would re-prepare them on every item.
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        let mut store = Store {
            conn,
            clock: None,
            anchor_db: anchor::db_name(path),
            anchored: 0,
            anchoring: true,
        };
        // A read-only file or folder (no -wal/-shm can be made) fails on the first
        // statement that reads the file or on the schema check: say so here,
        // before any screen opens.
        let read_only_at_open = |e: StoreError| match e {
            StoreError::ReadOnly | StoreError::CannotOpen(_) => StoreError::Open {
                path: path.display().to_string(),
                reason: "数据库文件或其所在目录只读（须能写入数据库及其 -wal、-shm 文件）；请检查权限".into(),
            },
            e if is_disk_full(&e) => StoreError::Open {
                path: path.display().to_string(),
                reason: DISK_FULL_AT_OPEN.into(),
            },
            other => other,
        };
        store.configure().map_err(read_only_at_open)?;
        migrations::migrate(&mut store.conn, version).map_err(read_only_at_open)?;
        store.anchoring = store.setting(DEMO_MARK)?.is_none();
        Ok(store)
    }

    /// Foreign keys, WAL, and a first read that proves the file can be read.
    fn configure(&self) -> Result<(), StoreError> {
        let conn = &self.conn;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Plans that looked at a bound value are re-prepared whenever a cached
        // statement's bindings are cleared (rusqlite does so on every reuse):
        // without this, a lookup by `?1 ... ORDER BY seq` is parsed anew each
        // time. No statistics are gathered here, so no plan is lost.
        conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
        // WAL needs to write the file; a read-only file stays in its journal mode
        // and the store then reports read-only on the first write.
        if let Err(e) = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get::<_, String>(0)) {
            let err = StoreError::from(e);
            if !matches!(err, StoreError::ReadOnly) {
                return Err(err);
            }
        }
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // SQLite's default 2 MB page cache spills a bulk decision's dirty pages
        // to the WAL in the middle of the transaction, and writes the audit
        // log's and the indexes' hot pages again and again (a third of a bulk
        // approval of 1,000 at 10×). The cache grows only as pages are used.
        conn.pragma_update(None, "cache_size", CACHE_KIB)?;
        conn.query_row("SELECT COUNT(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0))?;
        Ok(())
    }

    /// How long a write waits for another writer before `StoreError::Locked`.
    pub fn set_busy_timeout(&self, timeout: Duration) -> Result<(), StoreError> {
        Ok(self.conn.busy_timeout(timeout)?)
    }

    /// Puts this connection (only) in `fault` until it is closed.
    pub fn drill(&self, fault: Fault) -> Result<(), StoreError> {
        match fault {
            Fault::DiskFull => {
                // Pages on the free list would still be reused: reclaim them first.
                self.conn.execute_batch("VACUUM")?;
                let pages: i64 = self.conn.pragma_query_value(None, "page_count", |r| r.get(0))?;
                self.conn
                    .pragma_update_and_check(None, "max_page_count", pages, |r| r.get::<_, i64>(0))?;
            }
            Fault::ReadOnly => self.conn.pragma_update(None, "query_only", "ON")?,
        }
        Ok(())
    }

    /// The schema version recorded in the file (`PRAGMA user_version`).
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self.conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// The journal mode in effect, e.g. `wal`.
    pub fn journal_mode(&self) -> Result<String, StoreError> {
        Ok(self.conn.pragma_query_value(None, "journal_mode", |r| r.get(0))?)
    }

    /// Whether foreign keys are enforced on this connection.
    pub fn foreign_keys_enabled(&self) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .pragma_query_value(None, "foreign_keys", |r| r.get::<_, i64>(0))?
            == 1)
    }

    /// Changes whenever another connection commits: a screen polls this cheaply
    /// to know whether it must re-read.
    pub fn data_version(&self) -> Result<i64, StoreError> {
        data_version(&self.conn)
    }

    /// Stamps what this store writes with `at` instead of the wall clock —
    /// for building a demo's history, whose work happened over past months;
    /// `None` goes back to the clock.
    pub fn set_clock(&mut self, at: Option<chrono::NaiveDateTime>) {
        self.clock = at;
    }

    /// Runs `work` in one `BEGIN IMMEDIATE` transaction, committing only on success.
    fn write<T>(&mut self, work: impl FnOnce(&Transaction<'_>) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = clock::stamped(self.clock, || work(&tx))?;
        tx.commit()?;
        self.anchor_head();
        Ok(out)
    }

    /// After a commit: the chain's head to the system log and the anchor
    /// file, when it moved (a draft saved moves nothing).
    pub fn anchor_head(&mut self) {
        if !self.anchoring {
            return;
        }
        match anchor::head(&self.conn) {
            Ok(Some((seq, hash))) if seq > self.anchored => {
                anchor::emit(&anchor::Anchor {
                    db: self.anchor_db.clone(),
                    seq,
                    hash,
                });
                self.anchored = seq;
            }
            Ok(_) => {}
            Err(e) => tracing::warn!("audit head not read for its anchor: {e}"),
        }
    }

    /// Whether commits are anchored outside the database (off while a demo is built).
    pub fn set_anchoring(&mut self, on: bool) {
        self.anchoring = on;
    }

    /// SQLite's `PRAGMA quick_check`: "ok", or the first problem it found.
    pub fn quick_check(&self) -> Result<String, StoreError> {
        Ok(self.conn.pragma_query_value(None, "quick_check", |r| r.get(0))?)
    }

    /// The file's name in audit anchors.
    pub fn anchor_name(&self) -> &str {
        &self.anchor_db
    }
}

/// A second connection to the same file, for reading only.
pub(super) fn reader(path: &str) -> Result<Connection, StoreError> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI,
    )?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    Ok(conn)
}

/// `PRAGMA data_version`: it moves when another connection commits (and
/// only then: this connection's own commits leave it alone).
fn data_version(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.pragma_query_value(None, "data_version", |r| r.get(0))?)
}

/// Current time (or the time set with `set_clock`) as RFC 3339 with seconds,
/// the form every `*_at` column holds.
fn now() -> String {
    clock::now()
}
