//! What each reviewer last chose to see (the scope of their tabs), kept
//! across restarts. A preference of one person changes no shared result, so
//! it is not audited; only a registered user keeps one (an unknown user's
//! session writes nothing).

use super::permissions::require_registered;
use super::{Store, StoreError};
use rusqlite::{OptionalExtension, params};
use std::collections::HashMap;

impl Store {
    /// A user's saved choice under `key`, if any.
    pub fn view_choice(&self, os_user: &str, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT value FROM user_view WHERE os_user = ?1 AND key = ?2")?
            .query_row(params![os_user, key], |r| r.get(0))
            .optional()?)
    }

    /// Keeps a user's choice under `key` for their next session.
    pub fn set_view_choice(&mut self, os_user: &str, key: &str, value: &str) -> Result<(), StoreError> {
        self.write(|tx| {
            require_registered(tx, os_user, "保存显示范围")?;
            tx.prepare_cached(
                "INSERT INTO user_view (os_user, key, value) VALUES (?1, ?2, ?3)
                 ON CONFLICT(os_user, key) DO UPDATE SET value = excluded.value",
            )?
            .execute(params![os_user, key, value])?;
            Ok(())
        })
    }

    /// The 业务科室 of every unit, by unit code (the board and the scope filter by it).
    pub fn unit_sections(&self) -> Result<HashMap<String, String>, StoreError> {
        let mut stmt = self.conn.prepare_cached("SELECT code, section FROM unit")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
