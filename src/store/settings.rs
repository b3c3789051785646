//! Named settings kept in the file (the demo marker, the audit head…).

use super::audit::AuditTarget;
use super::{Store, StoreError};
use rusqlite::{OptionalExtension, params};

impl Store {
    /// The value of a setting, if set.
    pub fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT value FROM setting WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    /// Sets a setting, recording the change in the audit log.
    pub fn set_setting(&mut self, key: &str, value: &str, actor: &str) -> Result<(), StoreError> {
        self.write(|tx| {
            let before: Option<String> =
                tx.query_row("SELECT value FROM setting WHERE key = ?1", [key], |r| r.get(0)).optional()?;
            tx.execute(
                "INSERT INTO setting (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )?;
            super::audit::append_audit(tx, actor, "setting", AuditTarget::Setting(key), "ok", before.as_deref(), Some(value))?;
            Ok(())
        })
    }
}
