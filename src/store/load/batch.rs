//! One import run's write transaction. Each dataset (one file) loads under its
//! own savepoint: one that fails is rolled back alone and the others stay, so
//! a folder of files is written once instead of once per file while every
//! file still lands whole or not at all.

use super::{LoadSummary, load_in};
use crate::domain::{Dataset, Role};
use crate::store::audit::append_audit;
use crate::store::permissions::require_role;
use crate::store::{Store, StoreError, lookup, now};
use rusqlite::{Connection, Transaction, TransactionBehavior};
use std::time::{Duration, Instant};

/// How long a batch keeps the write lock before it commits what it has loaded
/// and takes the lock again: other reviewers' saves wait for it (up to the
/// busy timeout, 5 s by default), so a long import must not starve them.
const HOLD_LOCK_AT_MOST: Duration = Duration::from_secs(1);

/// A batch about to wait for the next file commits first once it has held the
/// lock this long, so that nobody waits on an import that is only reading.
/// (Shorter would commit after nearly every file when reading is the slower side.)
const HOLD_LOCK_WHILE_WAITING: Duration = Duration::from_millis(100);

/// Page cache while a batch is open (KiB; SQLite's default is 2 MiB): a
/// demo-scale folder writes about 8 MiB, and dirty pages that do not fit are
/// spilled to the WAL mid-transaction and written again at commit. Memory is
/// taken only as pages are used; the default comes back when the batch ends.
const BATCH_CACHE_KIB: i64 = 32 * 1024;

/// An open import: load datasets, then `commit`. The write transaction is
/// committed on the way when the batch has held the lock long enough (each
/// dataset still lands whole) and begun again at the next load. Dropped
/// without `commit`, what is loaded since the last of those is rolled back.
pub struct ImportBatch<'s> {
    conn: &'s Connection,
    tx: Option<Transaction<'s>>,
    actor: String,
    /// The store's clock (`Store::set_clock`), stamped on what is loaded.
    clock: Option<chrono::NaiveDateTime>,
    /// When the open transaction took the write lock.
    since: Instant,
    /// `PRAGMA cache_size` before the batch, restored when it ends.
    cache_size: i64,
    /// `PRAGMA wal_autocheckpoint` before the batch, restored when it ends.
    autocheckpoint: i64,
    /// Transactions committed so far: a dataset loaded while this was `n`
    /// is saved once it is `n + 1` or more.
    commits: u64,
    /// Whether each load marks the findings of what it changed as lagging
    /// until a refresh (`findings_stale`); off only for `load_dataset`.
    pub(super) mark_stale: bool,
}

impl Store {
    /// Opens the write transaction of an import run. Only admins and
    /// reviewers may import; a refusal is written to the audit log.
    pub fn begin_import(&mut self, actor: &str) -> Result<ImportBatch<'_>, StoreError> {
        if let Err(e) = require_role(&self.conn, actor, &[Role::Admin, Role::Reviewer], "导入数据") {
            if matches!(e, StoreError::Forbidden { .. }) {
                self.note_refusal(actor, "import", super::super::audit::AuditTarget::Dataset, &e);
            }
            return Err(e);
        }
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        let cache_size = self.conn.pragma_query_value(None, "cache_size", |r| r.get(0))?;
        self.conn.pragma_update(None, "cache_size", -BATCH_CACHE_KIB)?;
        // Each commit on the way would otherwise copy the WAL into the database
        // and wait for the disk twice (30-60 ms each on this server's disk): the
        // run checkpoints once, at the first commit after the batch.
        let autocheckpoint = self.conn.pragma_query_value(None, "wal_autocheckpoint", |r| r.get(0))?;
        self.conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        Ok(ImportBatch {
            conn: &self.conn,
            tx: Some(tx),
            actor: actor.to_string(),
            clock: self.clock,
            since: Instant::now(),
            cache_size,
            autocheckpoint,
            commits: 0,
            mark_stale: true,
        })
    }
}

/// Failures of the database itself: the batch cannot go on (and SQLite may
/// already have rolled the whole transaction back).
fn stops_the_batch(e: &StoreError) -> bool {
    matches!(
        e,
        StoreError::Locked
            | StoreError::ReadOnly
            | StoreError::DiskFull
            | StoreError::CannotOpen(_)
            | StoreError::Open { .. }
    )
}

impl ImportBatch<'_> {
    /// Loads one dataset. `Ok(Ok(summary))`: loaded. `Ok(Err(e))`: this
    /// dataset was refused and rolled back alone; the batch goes on.
    /// `Err(e)`: the database failed and the batch must stop (nothing since
    /// the last commit lands).
    pub fn load(&mut self, ds: &Dataset) -> Result<Result<LoadSummary, StoreError>, StoreError> {
        self.load_from(ds, None)
    }

    /// `load` of the dataset read from `file`, which its audit entry names.
    /// A refusal for want of the right (a unit of another section) is
    /// audited as a refused import of the file.
    pub fn load_from(
        &mut self,
        ds: &Dataset,
        file: Option<&str>,
    ) -> Result<Result<LoadSummary, StoreError>, StoreError> {
        self.commit_if_held(HOLD_LOCK_AT_MOST)?;
        if self.tx.is_none() {
            self.tx = Some(Transaction::new_unchecked(self.conn, TransactionBehavior::Immediate)?);
            self.since = Instant::now();
        }
        let tx = self.tx.as_ref().expect("begun above");
        tx.execute_batch("SAVEPOINT dataset")?;
        let loaded = super::super::clock::stamped(self.clock, || {
            load_in(tx, ds, &self.actor, &now(), file, self.mark_stale)
        });
        match loaded {
            Ok(summary) => {
                tx.execute_batch("RELEASE dataset")?;
                Ok(Ok(summary))
            }
            Err(e) if stops_the_batch(&e) => Err(e),
            Err(e) => {
                // Fails (and stops the batch) if SQLite ended the transaction itself.
                tx.execute_batch("ROLLBACK TO dataset; RELEASE dataset")?;
                if let StoreError::Forbidden { reason, .. } = &e {
                    let after = serde_json::json!({ "file": file, "reason": reason }).to_string();
                    super::super::clock::stamped(self.clock, || {
                        append_audit(
                            tx,
                            &self.actor,
                            "import",
                            super::super::audit::AuditTarget::Dataset,
                            "refused",
                            None,
                            Some(&after),
                        )
                    })?;
                }
                Ok(Err(e))
            }
        }
    }

    /// To be called before waiting for the next dataset: lets the write lock
    /// go (committing what is loaded) unless it was only just taken.
    pub fn pause_while_waiting(&mut self) -> Result<(), StoreError> {
        self.commit_if_held(HOLD_LOCK_WHILE_WAITING)
    }

    /// Commits what is loaded if the lock has been held for `held` or longer.
    fn commit_if_held(&mut self, held: Duration) -> Result<(), StoreError> {
        if self.since.elapsed() >= held
            && let Some(tx) = self.tx.take()
        {
            tx.commit()?;
            self.commits += 1;
        }
        Ok(())
    }

    /// Transactions committed so far (see `commits`): what was loaded while
    /// this was `n` is saved once it has moved past `n`.
    pub fn commits(&self) -> u64 {
        self.commits
    }

    /// Whether a unit with this code exists, counting datasets loaded so far.
    pub fn unit_exists(&self, code: &str) -> Result<bool, StoreError> {
        lookup::unit_exists(self.conn, code)
    }

    /// The latest year a project with this code exists in, counting datasets loaded so far.
    pub fn project_latest_year(&self, code: &str) -> Result<Option<i32>, StoreError> {
        lookup::project_latest_year(self.conn, code)
    }

    /// The latest year with projects, counting datasets loaded so far.
    pub fn latest_year(&self) -> Result<Option<i32>, StoreError> {
        lookup::latest_year(self.conn)
    }

    /// Commits every dataset loaded.
    pub fn commit(mut self) -> Result<(), StoreError> {
        if let Some(tx) = self.tx.take() {
            tx.commit()?;
        }
        Ok(())
    }
}

impl Drop for ImportBatch<'_> {
    fn drop(&mut self) {
        // Rolls back what is not committed before the cache shrinks.
        drop(self.tx.take());
        if let Err(e) = self.conn.pragma_update(None, "cache_size", self.cache_size) {
            tracing::warn!("could not restore cache_size after an import: {e}");
        }
        if let Err(e) = self.conn.pragma_update(None, "wal_autocheckpoint", self.autocheckpoint) {
            tracing::warn!("could not restore wal_autocheckpoint after an import: {e}");
        }
    }
}
