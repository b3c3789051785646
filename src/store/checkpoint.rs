//! Copying the write-ahead log into the database file while the caller
//! computes. After an import the log holds megabytes; SQLite would copy it
//! at the next commit past 1,000 pages, waiting twice for the disk (100 ms
//! and more on the bureau's server) on the thread that the reviewer waits on.

use rusqlite::{Connection, OpenFlags};
use std::thread::JoinHandle;

/// A checkpoint running on a connection of its own; `wait` (or drop) joins it.
pub(super) struct Checkpoint(Option<JoinHandle<()>>);

impl Checkpoint {
    /// Starts a passive checkpoint of `conn`'s database file: it copies what
    /// no reader still needs and never blocks a reader or a writer. Nothing
    /// is started for a database in memory.
    pub(super) fn start(conn: &Connection) -> Checkpoint {
        let Some(path) = conn.path().filter(|p| !p.is_empty()).map(str::to_string) else {
            return Checkpoint(None);
        };
        Checkpoint(Some(std::thread::spawn(move || {
            // A failure only leaves the copy to SQLite's own checkpoint at a later commit.
            let copied = Connection::open_with_flags(
                &path,
                OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI,
            )
            .and_then(|c| c.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| r.get::<_, i64>(0)));
            if let Err(e) = copied {
                tracing::warn!("background checkpoint of {path} failed: {e}");
            }
        })))
    }

    pub(super) fn wait(mut self) {
        self.join();
    }

    fn join(&mut self) {
        if let Some(handle) = self.0.take()
            && let Err(panic) = handle.join()
        {
            std::panic::resume_unwind(panic);
        }
    }
}

impl Drop for Checkpoint {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            self.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_is_copied_into_the_database_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("wal.db");
        let conn = Connection::open(&path).expect("open");
        conn.pragma_update(None, "journal_mode", "WAL").expect("wal");
        // As during an import: nothing is copied at the commits.
        conn.pragma_update(None, "wal_autocheckpoint", 0)
            .expect("no autocheckpoint");
        conn.execute_batch(
            "CREATE TABLE t (x BLOB);
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
             INSERT INTO t SELECT randomblob(1000) FROM n;",
        )
        .expect("write");
        let size = || std::fs::metadata(&path).expect("file").len();
        let before = size();
        Checkpoint::start(&conn).wait();
        assert!(size() > before + 1_500_000, "{before} → {}", size());
        let rows: i64 = conn
            .query_row("SELECT COUNT(*) FROM t", [], |r| r.get(0))
            .expect("read");
        assert_eq!(rows, 2000);
    }

    #[test]
    fn a_database_in_memory_has_nothing_to_copy() {
        let conn = Connection::open_in_memory().expect("open");
        Checkpoint::start(&conn).wait();
    }
}
