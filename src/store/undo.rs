//! Undoing what a reviewer did, action by action: a decision or batch, an
//! opinion, target-audit verdicts, a key-evaluation document, a new
//! rectification, a rectification step, a result-application answer. Each
//! step puts back exactly what the action changed, as long as nobody changed
//! it since (else a refusal naming who did), checked against the actor's
//! remit like every other write and audited as an `undo` with before and after.

use super::audit::{AuditTarget, audit_change};
use super::decisions::checked_review;
use super::detail::write_document_in;
use super::permissions::{About, authorize_on};
use super::rectifications::read_rect;
use super::{Store, StoreError, now};
use crate::domain::key_eval_docs::KeyEvalDoc;
use crate::domain::model::{Rectification, Review};
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

/// A stored result-application answer, every column, so that undo can put it back as it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerRow {
    pub project_id: i64,
    pub source: String,
    pub source_review: Option<i64>,
    pub grade: String,
    pub suggested: String,
    pub cut_share: String,
    pub decision: String,
    pub treatment: String,
    pub reason: String,
    pub decided_by: String,
    pub decided_at: String,
    pub version: i64,
}

/// One record an action changed, with what it was before and the version the
/// action left behind (an undo finding another version is a conflict).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UndoStep {
    /// A review item's state, opinion, verdicts and decision.
    Review { before: Review, version_after: i64 },
    /// The date a key-evaluation document was received (None: not received).
    Document {
        review_id: i64,
        doc: KeyEvalDoc,
        before: Option<NaiveDate>,
        version_after: i64,
    },
    /// A rectification the action opened: undone by removing it while untouched.
    RectificationCreated { id: i64 },
    /// A rectification's state, evidence, deadline and sign-off.
    Rectification { before: Rectification, version_after: i64 },
    /// A project's result-application answer (None: there was none).
    ResultAnswer {
        project_id: i64,
        before: Option<AnswerRow>,
        version_after: i64,
    },
}

/// One action of the reviewer, in their words ("通过 区第一中学「校舍维修」"),
/// and every record it changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndoEntry {
    pub what: String,
    pub steps: Vec<UndoStep>,
}

const ANSWER_COLUMNS: &str = "project_id, source, source_review, grade, suggested, cut_share, decision, treatment,
     reason, decided_by, decided_at, version";

pub(super) fn read_answer(conn: &Connection, project_id: i64) -> Result<Option<AnswerRow>, StoreError> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {ANSWER_COLUMNS} FROM result_application WHERE project_id = ?1"
        ))?
        .query_row([project_id], |r| {
            Ok(AnswerRow {
                project_id: r.get(0)?,
                source: r.get(1)?,
                source_review: r.get(2)?,
                grade: r.get(3)?,
                suggested: r.get(4)?,
                cut_share: r.get(5)?,
                decision: r.get(6)?,
                treatment: r.get(7)?,
                reason: r.get(8)?,
                decided_by: r.get(9)?,
                decided_at: r.get(10)?,
                version: r.get(11)?,
            })
        })
        .optional()?)
}

fn audit_undo(
    tx: &Transaction<'_>,
    actor: &str,
    target: AuditTarget<'_>,
    what: &str,
    before: serde_json::Value,
    after: serde_json::Value,
) -> Result<(), StoreError> {
    let mut after = after;
    if let Some(obj) = after.as_object_mut() {
        obj.insert("undone".into(), serde_json::Value::String(what.to_string()));
    }
    audit_change(tx, actor, "undo", target, &before, &after)?;
    Ok(())
}

fn review_json(r: &Review) -> serde_json::Value {
    serde_json::json!({
        "state": r.state.code(), "opinion": r.opinion, "verdicts": r.verdicts,
        "decided_by": r.decided_by, "version": r.version,
    })
}

fn rect_json(r: &Rectification) -> serde_json::Value {
    serde_json::json!({
        "state": r.state.code(), "deadline": r.deadline.to_string(), "evidence": r.evidence,
        "verified_by": r.verified_by, "extensions": r.extensions.len(), "version": r.version,
    })
}

fn answer_json(a: Option<&AnswerRow>) -> serde_json::Value {
    match a {
        Some(a) => serde_json::json!({
            "grade": a.grade, "decision": a.decision, "treatment": a.treatment, "reason": a.reason,
            "decided_by": a.decided_by, "version": a.version,
        }),
        None => serde_json::json!({ "answer": null }),
    }
}

/// The item a review step is about, checked against the actor's remit and the
/// version the action left.
fn current_review(tx: &Transaction<'_>, id: i64, version_after: i64, actor: &str) -> Result<Review, StoreError> {
    checked_review(tx, id, version_after, actor, "撤销")
}

fn undo_review(
    tx: &Transaction<'_>,
    before: &Review,
    version_after: i64,
    actor: &str,
    what: &str,
) -> Result<(), StoreError> {
    let id = before.id;
    let current = current_review(tx, id, version_after, actor)?;
    tx.prepare_cached(
        "UPDATE review SET state = ?2, opinion = ?3, verdicts = ?4, decided_by = ?5, decided_at = ?6,
             updated_by = ?7, updated_at = ?8, version = version + 1 WHERE id = ?1",
    )?
    .execute(params![
        id,
        before.state.code(),
        before.opinion,
        serde_json::to_string(&before.verdicts)?,
        before.decided_by,
        before.decided_at,
        actor,
        now()
    ])?;
    let mut after = review_json(before);
    after["version"] = serde_json::json!(current.version + 1);
    audit_undo(tx, actor, AuditTarget::Review(id), what, review_json(&current), after)
}

fn undo_document(
    tx: &Transaction<'_>,
    review_id: i64,
    doc: KeyEvalDoc,
    before: Option<NaiveDate>,
    version_after: i64,
    actor: &str,
    what: &str,
) -> Result<(), StoreError> {
    let current = current_review(tx, review_id, version_after, actor)?;
    let was = write_document_in(tx, review_id, doc, before, actor)?;
    audit_undo(
        tx,
        actor,
        AuditTarget::Review(review_id),
        what,
        serde_json::json!({ "document": doc.code(), "received": was, "version": current.version }),
        serde_json::json!({
            "document": doc.code(), "received": before.map(|d| d.to_string()), "version": current.version + 1,
        }),
    )
}

/// The rectification as it is now, if the actor may touch it and it is as the action left it.
fn current_rect(tx: &Transaction<'_>, id: i64, version_after: i64, actor: &str) -> Result<Rectification, StoreError> {
    let current = read_rect(tx, id)?.ok_or_else(|| StoreError::NotFound {
        what: format!("整改事项 {id}"),
    })?;
    let about = current.project_code.as_deref().map_or(About::Unit, About::ProjectCode);
    authorize_on(tx, actor, &current.unit_code, about, "撤销")?;
    if current.version != version_after {
        return Err(StoreError::RectConflict {
            id,
            current_version: current.version,
        });
    }
    Ok(current)
}

fn undo_created_rect(tx: &Transaction<'_>, id: i64, actor: &str, what: &str) -> Result<(), StoreError> {
    // A new rectification starts at version 1; anything since (started,
    // evidence, extension) is someone's work and is not thrown away.
    let current = current_rect(tx, id, 1, actor)?;
    tx.prepare_cached("DELETE FROM rectification WHERE id = ?1")?
        .execute([id])?;
    let mut before = rect_json(&current);
    before["problem"] = serde_json::json!(current.problem);
    before["unit"] = serde_json::json!(current.unit_code);
    audit_undo(
        tx,
        actor,
        AuditTarget::Rectification(id),
        what,
        before,
        serde_json::json!({ "removed": true }),
    )
}

fn undo_rect(
    tx: &Transaction<'_>,
    before: &Rectification,
    version_after: i64,
    actor: &str,
    what: &str,
) -> Result<(), StoreError> {
    let current = current_rect(tx, before.id, version_after, actor)?;
    tx.prepare_cached(
        "UPDATE rectification SET state = ?2, evidence = ?3, verified_by = ?4, verified_at = ?5,
             deadline = ?6, extensions = ?7, version = version + 1 WHERE id = ?1",
    )?
    .execute(params![
        before.id,
        before.state.code(),
        before.evidence,
        before.verified_by,
        before.verified_at,
        before.deadline.to_string(),
        serde_json::to_string(&before.extensions)?,
    ])?;
    let mut after = rect_json(before);
    after["version"] = serde_json::json!(current.version + 1);
    audit_undo(
        tx,
        actor,
        AuditTarget::Rectification(before.id),
        what,
        rect_json(&current),
        after,
    )
}

fn undo_answer(
    tx: &Transaction<'_>,
    project_id: i64,
    before: Option<&AnswerRow>,
    version_after: i64,
    actor: &str,
    what: &str,
) -> Result<(), StoreError> {
    let (unit, project_name): (String, String) = tx
        .prepare_cached("SELECT unit_code, name FROM project WHERE id = ?1")?
        .query_row([project_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or_else(|| StoreError::NotFound {
            what: format!("项目 {project_id}"),
        })?;
    authorize_on(tx, actor, &unit, About::ProjectName(&project_name), "撤销")?;
    let current = read_answer(tx, project_id)?;
    match &current {
        Some(c) if c.version == version_after => {}
        Some(c) => {
            return Err(StoreError::Refused(format!(
                "「{project_name}」的结果应用已被 {} 于 {} 重新处理，无法撤销",
                c.decided_by, c.decided_at
            )));
        }
        None => {
            return Err(StoreError::Refused(format!(
                "「{project_name}」的结果应用已被他人撤销或清除，无需撤销"
            )));
        }
    }
    let target_review = current.as_ref().and_then(|c| c.source_review);
    match before {
        None => {
            tx.prepare_cached("DELETE FROM result_application WHERE project_id = ?1")?
                .execute([project_id])?;
        }
        Some(b) => {
            tx.prepare_cached(
                "UPDATE result_application SET source = ?2, source_review = ?3, grade = ?4, suggested = ?5,
                     cut_share = ?6, decision = ?7, treatment = ?8, reason = ?9, decided_by = ?10,
                     decided_at = ?11, version = version + 1 WHERE project_id = ?1",
            )?
            .execute(params![
                project_id,
                b.source,
                b.source_review,
                b.grade,
                b.suggested,
                b.cut_share,
                b.decision,
                b.treatment,
                b.reason,
                b.decided_by,
                b.decided_at
            ])?;
        }
    }
    // Answers are audited on the item whose grade they used, as when given.
    let target = match target_review {
        Some(id) => AuditTarget::Review(id),
        None => AuditTarget::Project(project_id),
    };
    audit_undo(
        tx,
        actor,
        target,
        what,
        answer_json(current.as_ref()),
        answer_json(before),
    )
}

impl Store {
    /// Takes back one action: every step or none, last step first. Returns
    /// how many records were put back.
    pub fn undo(&mut self, entry: &UndoEntry, actor: &str) -> Result<usize, StoreError> {
        let what = entry.what.as_str();
        let result = self.write(|tx| {
            let params = super::findings::bureau_rules_in(tx)?;
            for step in entry.steps.iter().rev() {
                match step {
                    // The findings that follow an opinion or a document follow it back.
                    UndoStep::Review { before, version_after } => {
                        undo_review(tx, before, *version_after, actor, what)?;
                        super::findings::refresh_dependent_in(tx, before.id, &params)?;
                    }
                    UndoStep::Document {
                        review_id,
                        doc,
                        before,
                        version_after,
                    } => {
                        undo_document(tx, *review_id, *doc, *before, *version_after, actor, what)?;
                        super::findings::refresh_dependent_in(tx, *review_id, &params)?;
                    }
                    UndoStep::RectificationCreated { id } => undo_created_rect(tx, *id, actor, what)?,
                    UndoStep::Rectification { before, version_after } => {
                        undo_rect(tx, before, *version_after, actor, what)?
                    }
                    UndoStep::ResultAnswer {
                        project_id,
                        before,
                        version_after,
                    } => undo_answer(tx, *project_id, before.as_ref(), *version_after, actor, what)?,
                }
            }
            Ok(entry.steps.len())
        });
        if let Err(e @ StoreError::Forbidden { .. }) = &result {
            self.note_refusal(actor, "undo", AuditTarget::Batch(entry.steps.len()), e);
        }
        result
    }

    /// A project's result-application answer as stored, for undo.
    pub fn answer_row(&self, project_id: i64) -> Result<Option<AnswerRow>, StoreError> {
        read_answer(&self.conn, project_id)
    }
}
