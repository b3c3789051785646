//! Existence checks an importer makes before it loads, so that a row naming an
//! unknown unit or project is reported at its cell instead of failing the load.
//! The free functions serve both the store and an open `ImportBatch` (which
//! sees the files it has loaded but not yet committed).

use super::{Store, StoreError};
use rusqlite::{Connection, OptionalExtension};

pub(super) fn unit_exists(conn: &Connection, code: &str) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM unit WHERE code = ?1")?
        .exists([code])?)
}

pub(super) fn project_latest_year(conn: &Connection, code: &str) -> Result<Option<i32>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT year FROM project WHERE code = ?1 ORDER BY year DESC LIMIT 1")?
        .query_row([code], |r| r.get(0))
        .optional()?)
}

pub(super) fn latest_year(conn: &Connection) -> Result<Option<i32>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT MAX(year) FROM project")?
        .query_row([], |r| r.get(0))?)
}

impl Store {
    /// Whether a unit with this code exists.
    pub fn unit_exists(&self, code: &str) -> Result<bool, StoreError> {
        unit_exists(&self.conn, code)
    }

    /// The latest year a project with this code exists in, if any.
    pub fn project_latest_year(&self, code: &str) -> Result<Option<i32>, StoreError> {
        project_latest_year(&self.conn, code)
    }

    /// The latest year with projects, if any.
    pub fn latest_year(&self) -> Result<Option<i32>, StoreError> {
        latest_year(&self.conn)
    }
}
