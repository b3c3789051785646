//! Reviewers, keyed by the OS user SSH authenticated. Policy (who may add whom,
//! the first user becoming admin) is the caller's; the store records and audits.

use super::audit::append_audit;
use super::codec::decode;
use super::{Store, StoreError, now};
use crate::domain::Role;
use crate::domain::model::Reviewer;
use rusqlite::{OptionalExtension, params};

fn reviewer_from_row(r: &rusqlite::Row<'_>) -> Result<Reviewer, StoreError> {
    Ok(Reviewer {
        os_user: r.get(0)?,
        name: r.get(1)?,
        sections: serde_json::from_str(&r.get::<_, String>(2)?)?,
        role: decode(&r.get::<_, String>(3)?, Role::from_code)?,
    })
}

impl Store {
    /// Adds a reviewer, or replaces the name, sections and role of an existing one.
    pub fn add_reviewer(&mut self, reviewer: &Reviewer, actor: &str) -> Result<(), StoreError> {
        self.write(|tx| {
            let before = tx
                .prepare_cached("SELECT os_user, name, sections, role FROM reviewer WHERE os_user = ?1")?
                .query_row([&reviewer.os_user], |r| Ok(reviewer_from_row(r)))
                .optional()?
                .transpose()?;
            tx.prepare_cached(
                "INSERT INTO reviewer (os_user, name, sections, role, added_at) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(os_user) DO UPDATE SET name = excluded.name, sections = excluded.sections,
                     role = excluded.role",
            )?
            .execute(params![
                reviewer.os_user,
                reviewer.name,
                serde_json::to_string(&reviewer.sections)?,
                reviewer.role.code(),
                now()
            ])?;
            let before = before.map(|b| serde_json::to_string(&b)).transpose()?;
            let after = serde_json::to_string(reviewer)?;
            let target = format!("user:{}", reviewer.os_user);
            append_audit(tx, actor, "user", &target, "ok", before.as_deref(), Some(&after))?;
            Ok(())
        })
    }

    /// Every reviewer, by OS user.
    pub fn reviewers(&self) -> Result<Vec<Reviewer>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT os_user, name, sections, role FROM reviewer ORDER BY os_user")?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(reviewer_from_row(r)?);
        }
        Ok(out)
    }

    pub fn reviewer(&self, os_user: &str) -> Result<Option<Reviewer>, StoreError> {
        self.conn
            .prepare_cached("SELECT os_user, name, sections, role FROM reviewer WHERE os_user = ?1")?
            .query_row([os_user], |r| Ok(reviewer_from_row(r)))
            .optional()?
            .transpose()
    }

    /// Zero means the next reviewer added is the first (callers make it admin).
    pub fn reviewer_count(&self) -> Result<i64, StoreError> {
        Ok(self.conn.query_row("SELECT COUNT(*) FROM reviewer", [], |r| r.get(0))?)
    }
}
