//! Existence checks an importer makes before it loads, so that a row naming an
//! unknown unit or project is reported at its cell instead of failing the load.

use super::{Store, StoreError};
use rusqlite::OptionalExtension;

impl Store {
    /// Whether a unit with this code exists.
    pub fn unit_exists(&self, code: &str) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM unit WHERE code = ?1")?
            .exists([code])?)
    }

    /// The latest year a project with this code exists in, if any.
    pub fn project_latest_year(&self, code: &str) -> Result<Option<i32>, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT year FROM project WHERE code = ?1 ORDER BY year DESC LIMIT 1")?
            .query_row([code], |r| r.get(0))
            .optional()?)
    }
}
