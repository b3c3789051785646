//! Reviewers, keyed by the OS user SSH authenticated. Every change is checked
//! by `permissions::check_user_change` (admins manage users; the first user of
//! an empty database registers themselves as admin; separation of duties) and
//! audited, refusals included.

use super::audit::{AuditTarget, append_audit};
use super::codec::decode;
use super::permissions::{Staff, check_user_change};
use super::{Store, StoreError, now};
use crate::domain::Role;
use crate::domain::model::Reviewer;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

fn reviewer_from_row(r: &rusqlite::Row<'_>) -> Result<Reviewer, StoreError> {
    Ok(Reviewer {
        os_user: r.get(0)?,
        name: r.get(1)?,
        sections: serde_json::from_str(&r.get::<_, String>(2)?)?,
        role: decode(&r.get::<_, String>(3)?, Role::from_code)?,
    })
}

pub(super) fn read_reviewer(conn: &Connection, os_user: &str) -> Result<Option<Reviewer>, StoreError> {
    conn.prepare_cached("SELECT os_user, name, sections, role FROM reviewer WHERE os_user = ?1")?
        .query_row([os_user], |r| Ok(reviewer_from_row(r)))
        .optional()?
        .transpose()
}

fn staff(conn: &Connection) -> Result<Staff, StoreError> {
    let (reviewers, admins) = conn
        .prepare_cached("SELECT COUNT(*), COUNT(*) FILTER (WHERE role = ?1) FROM reviewer")?
        .query_row([Role::Admin.code()], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(Staff { reviewers, admins })
}

/// Checks and writes one reviewer record (`change` turns the current record,
/// if any, into the new one), auditing before and after.
fn put_reviewer(
    tx: &Transaction<'_>,
    os_user: &str,
    actor: &str,
    change: impl FnOnce(Option<&Reviewer>) -> Result<Reviewer, StoreError>,
) -> Result<Reviewer, StoreError> {
    let before = read_reviewer(tx, os_user)?;
    let after = change(before.as_ref())?;
    let actor_record = read_reviewer(tx, actor)?;
    check_user_change(actor, actor_record.as_ref(), before.as_ref(), &after, &staff(tx)?).map_err(|reason| {
        StoreError::Forbidden {
            actor: actor.to_string(),
            reason,
        }
    })?;
    tx.prepare_cached(
        "INSERT INTO reviewer (os_user, name, sections, role, added_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(os_user) DO UPDATE SET name = excluded.name, sections = excluded.sections,
             role = excluded.role",
    )?
    .execute(params![
        after.os_user,
        after.name,
        serde_json::to_string(&after.sections)?,
        after.role.code(),
        now()
    ])?;
    let before = before.map(|b| serde_json::to_string(&b)).transpose()?;
    let after_json = serde_json::to_string(&after)?;
    let target = AuditTarget::User(&after.os_user);
    append_audit(tx, actor, "user", target, "ok", before.as_deref(), Some(&after_json))?;
    Ok(after)
}

impl Store {
    /// Runs a reviewer change, auditing a refusal.
    fn change_reviewer(
        &mut self,
        os_user: &str,
        actor: &str,
        change: impl FnOnce(Option<&Reviewer>) -> Result<Reviewer, StoreError>,
    ) -> Result<Reviewer, StoreError> {
        let result = self.write(|tx| put_reviewer(tx, os_user, actor, change));
        if let Err(e @ StoreError::Forbidden { .. }) = &result {
            self.note_refusal(actor, "user", AuditTarget::User(os_user), e);
        }
        result
    }

    /// Adds a reviewer, or replaces the name, sections and role of an existing one.
    pub fn add_reviewer(&mut self, reviewer: &Reviewer, actor: &str) -> Result<(), StoreError> {
        self.change_reviewer(&reviewer.os_user, actor, |_| Ok(reviewer.clone()))
            .map(|_| ())
    }

    /// Replaces the 业务科室 a reviewer covers.
    pub fn set_reviewer_sections(
        &mut self,
        os_user: &str,
        sections: &[String],
        actor: &str,
    ) -> Result<Reviewer, StoreError> {
        self.change_reviewer(os_user, actor, |before| {
            let before = before.ok_or_else(|| not_registered(os_user))?;
            Ok(Reviewer {
                sections: sections.to_vec(),
                ..before.clone()
            })
        })
    }

    /// Changes a reviewer's role.
    pub fn set_reviewer_role(&mut self, os_user: &str, role: Role, actor: &str) -> Result<Reviewer, StoreError> {
        self.change_reviewer(os_user, actor, |before| {
            let before = before.ok_or_else(|| not_registered(os_user))?;
            Ok(Reviewer { role, ..before.clone() })
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
        read_reviewer(&self.conn, os_user)
    }

    /// Zero means the next reviewer added is the first (callers make it admin).
    pub fn reviewer_count(&self) -> Result<i64, StoreError> {
        Ok(self.conn.query_row("SELECT COUNT(*) FROM reviewer", [], |r| r.get(0))?)
    }

    /// Why `os_user` may change nothing at all (an unknown user or an auditor),
    /// in the words the store's refusals use; `None` for admins and reviewers.
    pub fn read_only_reason(&self, os_user: &str) -> Result<Option<String>, StoreError> {
        let reviewer = read_reviewer(&self.conn, os_user)?;
        Ok(super::permissions::read_only_reason(
            os_user,
            reviewer.as_ref(),
            "修改任何事项",
        ))
    }
}

fn not_registered(os_user: &str) -> StoreError {
    StoreError::NotFound {
        what: format!("用户 {os_user}（请先用 jixiao user add 登记）"),
    }
}
