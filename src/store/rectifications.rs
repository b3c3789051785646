//! Rectification items (整改): created from a review's problems, moved by
//! `domain::states::rect_transition`, versioned and audited like decisions.

use super::audit::{AuditTarget, append_audit};
use super::codec::{date, decode};
use super::permissions::{About, authorize_on};
use super::{Store, StoreError, now};
use crate::domain::model::{Extension, Rectification};
use crate::domain::states::{RectAction, rect_transition};
use crate::domain::{RectState, Stage};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

/// What a new rectification item needs (a domain value: the demo plans them too).
pub use crate::domain::model::NewRectification;

const COLUMNS: &str = "id, source_stage, source_review, unit_code, project_code, problem, required_measure, deadline,
     state, evidence, verified_by, verified_at, extensions, version";

fn rect_from_row(r: &rusqlite::Row<'_>) -> Result<Rectification, StoreError> {
    Ok(Rectification {
        id: r.get(0)?,
        source_stage: decode(&r.get::<_, String>(1)?, Stage::from_code)?,
        source_review: r.get(2)?,
        unit_code: r.get(3)?,
        project_code: r.get(4)?,
        problem: r.get(5)?,
        required_measure: r.get(6)?,
        deadline: date(&r.get::<_, String>(7)?)?,
        state: decode(&r.get::<_, String>(8)?, RectState::from_code)?,
        evidence: r.get(9)?,
        verified_by: r.get(10)?,
        verified_at: r.get(11)?,
        extensions: serde_json::from_str(&r.get::<_, String>(12)?)?,
        version: r.get(13)?,
    })
}

pub(super) fn read_rect(conn: &rusqlite::Connection, id: i64) -> Result<Option<Rectification>, StoreError> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM rectification WHERE id = ?1"))?
        .query_row([id], |r| Ok(rect_from_row(r)))
        .optional()?
        .transpose()
}

fn audit_rect(
    tx: &Transaction<'_>,
    actor: &str,
    r: &Rectification,
    before: Option<&Rectification>,
    action: &str,
) -> Result<(), StoreError> {
    let snapshot = |r: &Rectification| {
        serde_json::json!({
            "state": r.state.code(), "deadline": r.deadline.to_string(), "evidence": r.evidence,
            "version": r.version, "action": action,
        })
        .to_string()
    };
    let before = before.map(snapshot);
    append_audit(
        tx,
        actor,
        "rectification",
        AuditTarget::Rectification(r.id),
        "ok",
        before.as_deref(),
        Some(&snapshot(r)),
    )?;
    Ok(())
}

/// Opens a rectification inside the caller's transaction: checked against the
/// actor's remit and audited (a monitoring rejection opens one with its decision).
pub(super) fn insert_rectification(
    tx: &Transaction<'_>,
    new: &NewRectification,
    actor: &str,
) -> Result<Rectification, StoreError> {
    let about = new.project_code.as_deref().map_or(About::Unit, About::ProjectCode);
    authorize_on(tx, actor, &new.unit_code, about, "新建整改事项")?;
    tx.prepare_cached(
        "INSERT INTO rectification (source_stage, source_review, unit_code, project_code, problem,
             required_measure, deadline, state, created_by, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        new.source_stage.code(),
        new.source_review,
        new.unit_code,
        new.project_code,
        new.problem,
        new.required_measure,
        new.deadline.to_string(),
        RectState::Open.code(),
        actor,
        now()
    ])?;
    let created = read_rect(tx, tx.last_insert_rowid())?.ok_or_else(|| StoreError::NotFound {
        what: "新建的整改事项".into(),
    })?;
    audit_rect(tx, actor, &created, None, "create")?;
    Ok(created)
}

impl Store {
    pub fn create_rectification(&mut self, new: &NewRectification, actor: &str) -> Result<Rectification, StoreError> {
        let result = self.write(|tx| insert_rectification(tx, new, actor));
        if let Err(e @ StoreError::Forbidden { .. }) = &result {
            self.note_refusal(actor, "rectification", AuditTarget::Unit(&new.unit_code), e);
        }
        result
    }

    /// Moves a rectification; refused when its version moved on or the machine says no.
    pub fn rect_action(
        &mut self,
        id: i64,
        expected_version: i64,
        action: &RectAction,
        actor: &str,
    ) -> Result<Rectification, StoreError> {
        let result = self.write(|tx| {
            let mut r = read_rect(tx, id)?.ok_or_else(|| StoreError::NotFound {
                what: format!("整改事项 {id}"),
            })?;
            let about = r.project_code.as_deref().map_or(About::Unit, About::ProjectCode);
            authorize_on(tx, actor, &r.unit_code, about, action.label())?;
            if r.version != expected_version {
                return Err(StoreError::RectConflict {
                    id,
                    current_version: r.version,
                });
            }
            let before = r.clone();
            r.state = rect_transition(&r, action).map_err(|source| StoreError::Rectification { id, source })?;
            match action {
                RectAction::Submit { evidence } => r.evidence = evidence.clone(),
                RectAction::Verify => {
                    r.verified_by = Some(actor.to_string());
                    r.verified_at = Some(now());
                }
                RectAction::Extend { to, reason } => {
                    r.extensions.push(Extension {
                        from: r.deadline,
                        to: *to,
                        reason: reason.clone(),
                        by: actor.to_string(),
                    });
                    r.deadline = *to;
                }
                RectAction::Start | RectAction::Reject { .. } => {}
            }
            r.version += 1;
            tx.prepare_cached(
                "UPDATE rectification SET state = ?2, evidence = ?3, verified_by = ?4, verified_at = ?5,
                     deadline = ?6, extensions = ?7, version = ?8 WHERE id = ?1",
            )?
            .execute(params![
                id,
                r.state.code(),
                r.evidence,
                r.verified_by,
                r.verified_at,
                r.deadline.to_string(),
                serde_json::to_string(&r.extensions)?,
                r.version
            ])?;
            audit_rect(tx, actor, &r, Some(&before), action.label())?;
            Ok(r)
        });
        if let Err(e @ StoreError::Forbidden { .. }) = &result {
            self.note_refusal(actor, "rectification", AuditTarget::Rectification(id), e);
        }
        result
    }

    pub fn rectification(&self, id: i64) -> Result<Option<Rectification>, StoreError> {
        read_rect(&self.conn, id)
    }

    /// The rectifications opened from one review item (its workspace lists
    /// them), by the index on `source_review`.
    pub fn rectifications_from_review(&self, review_id: i64) -> Result<Vec<Rectification>, StoreError> {
        rectifications_where(&self.conn, "source_review = ?1", [review_id])
    }

    /// Every rectification, of one unit or all, by deadline.
    pub fn rectifications(&self, unit_code: Option<&str>) -> Result<Vec<Rectification>, StoreError> {
        rectifications_in(&self.conn, unit_code)
    }
}

/// Every rectification (of one unit, or all), by deadline.
pub(super) fn rectifications_in(conn: &Connection, unit_code: Option<&str>) -> Result<Vec<Rectification>, StoreError> {
    rectifications_where(conn, "(?1 IS NULL OR unit_code = ?1)", [unit_code])
}

/// The rectifications `filter` keeps, by deadline.
fn rectifications_where(
    conn: &Connection,
    filter: &str,
    args: impl rusqlite::Params,
) -> Result<Vec<Rectification>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM rectification WHERE {filter} ORDER BY deadline, id"
    ))?;
    let mut rows = stmt.query(args)?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(rect_from_row(r)?);
    }
    Ok(out)
}
