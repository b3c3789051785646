//! One item's full record for its stage workspace, and the writes a
//! workspace makes besides decisions: target-audit verdicts, key-evaluation
//! documents with their dates, and a monitoring rejection that opens a
//! rectification in the same transaction. Every write is versioned on the
//! review and audited. (Result application is `results`.)

use super::audit::{AuditTarget, audit_change};
use super::codec::decode_opt;
use super::decisions::{checked_review, decide_in};
use super::queue::read_review;
use super::rectifications::NewRectification;
use super::snapshot::{PROJECT_COLUMNS, project_from_row, rows_of_project};
use super::{Store, StoreError, now};
use crate::domain::key_eval_docs::{KeyEvalDoc, check_close};
use crate::domain::money::fen_to_yuan;
use crate::domain::opinion::OpinionRules;
use crate::domain::states::{DecisionError, ReviewAction};
use crate::domain::target_audit::check_verdicts;
use crate::domain::*;
use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Transaction, params};
use rust_decimal::Decimal;

/// Everything a stage workspace shows about one review item.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemDetail {
    pub review: Review,
    pub unit: Unit,
    /// The project (for a key evaluation: the evaluated project, if it is one).
    pub project: Option<Project>,
    pub indicators: Vec<Indicator>,
    /// The latest monitoring period (the October table).
    pub monitoring: Option<Monitoring>,
    pub progress: Vec<IndicatorProgress>,
    pub self_eval: Option<SelfEval>,
    pub actuals: Vec<IndicatorActual>,
    pub key_eval: Option<KeyEval>,
    pub findings: Vec<Finding>,
    /// Rectifications opened from this item.
    pub rectifications: Vec<Rectification>,
}

impl ItemDetail {
    pub fn blocking(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Blocking)
            .count()
    }
}

/// A project at or above the key amount with its October execution, for the
/// 全面清理 list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyProjectRow {
    /// The monitoring review of the project, when it has one.
    pub review_id: Option<i64>,
    pub unit_name: String,
    /// The unit's 业务科室 (the list is scoped to the reviewer's own).
    pub section: String,
    pub project_code: String,
    pub project_name: String,
    pub amount: Decimal,
    /// None when no monitoring was reported.
    pub executed: Option<Decimal>,
    pub state: Option<ReviewState>,
    pub findings: i64,
}

impl KeyProjectRow {
    pub fn rate(&self) -> Option<Decimal> {
        let e = self.executed?;
        (self.amount > Decimal::ZERO).then(|| e / self.amount)
    }
}

fn read_key_eval(conn: &rusqlite::Connection, id: i64) -> Result<Option<KeyEval>, StoreError> {
    conn.prepare_cached(&format!("{} WHERE id = ?1", super::snapshot::KEY_EVAL_SELECT))?
        .query_row([id], |r| Ok(super::snapshot::key_eval_from_row(r)))
        .optional()?
        .transpose()
}

/// The key evaluation a review is about, with its id.
pub(super) fn key_eval_of(conn: &rusqlite::Connection, review_id: i64) -> Result<Option<(i64, KeyEval)>, StoreError> {
    let id: Option<i64> = conn
        .prepare_cached("SELECT key_eval_id FROM review WHERE id = ?1")?
        .query_row([review_id], |r| r.get(0))
        .optional()?
        .flatten();
    match id {
        Some(id) => Ok(read_key_eval(conn, id)?.map(|k| (id, k))),
        None => Ok(None),
    }
}

/// The close rule (不漏项), applied where decisions are made: approving a key
/// evaluation needs all three process documents.
pub(super) fn check_key_eval_close(
    tx: &Transaction<'_>,
    review: &Review,
    action: ReviewAction,
) -> Result<(), StoreError> {
    if review.stage != Stage::KeyEval || !matches!(action, ReviewAction::Approve { .. }) {
        return Ok(());
    }
    if let Some((_, ke)) = key_eval_of(tx, review.id)?
        && let Err(missing) = check_close(&ke.documents)
    {
        return Err(StoreError::Decision {
            review_id: review.id,
            item: super::permissions::review_item(tx, review.id)?,
            source: DecisionError::DocumentsMissing(missing),
        });
    }
    Ok(())
}

/// The column of a key-evaluation document: from the fixed enum, never from input.
pub(super) fn document_column(doc: KeyEvalDoc) -> &'static str {
    match doc {
        KeyEvalDoc::WorkingPapers => "working_papers_on",
        KeyEvalDoc::Receipt => "receipt_on",
        KeyEvalDoc::Feedback => "feedback_on",
    }
}

/// Bumps a review's version after a workspace write.
/// Sets (or clears) a key-evaluation document's received date and bumps the
/// review's version; returns the date it had, as stored. The toggle and its
/// undo both write through here.
pub(super) fn write_document_in(
    tx: &Transaction<'_>,
    review_id: i64,
    doc: KeyEvalDoc,
    on: Option<NaiveDate>,
    actor: &str,
) -> Result<Option<String>, StoreError> {
    let (id, ke) = key_eval_of(tx, review_id)?.ok_or_else(|| StoreError::NotFound {
        what: format!("事项 {review_id} 的重点评价"),
    })?;
    tx.prepare_cached(&format!(
        "UPDATE key_eval SET {} = ?2 WHERE id = ?1",
        document_column(doc)
    ))?
    .execute(params![id, on.map(|d| d.to_string())])?;
    touch_review(tx, review_id, actor)?;
    Ok(doc.received(&ke.documents).map(|d| d.to_string()))
}

pub(super) fn touch_review(tx: &Transaction<'_>, review_id: i64, actor: &str) -> Result<(), StoreError> {
    tx.prepare_cached("UPDATE review SET updated_by = ?2, updated_at = ?3, version = version + 1 WHERE id = ?1")?
        .execute(params![review_id, actor, now()])?;
    Ok(())
}

fn reread(tx: &Transaction<'_>, review_id: i64) -> Result<Review, StoreError> {
    read_review(tx, review_id)?.ok_or_else(|| StoreError::NotFound {
        what: format!("事项 {review_id}"),
    })
}

impl Store {
    /// One item with every record its stage workspace shows.
    pub fn item_detail(&self, review_id: i64) -> Result<Option<ItemDetail>, StoreError> {
        let Some(review) = self.review(review_id)? else {
            return Ok(None);
        };
        let conn = &self.conn;
        let unit = conn
            .prepare_cached("SELECT code, name, department, section FROM unit WHERE code = ?1")?
            .query_row([&review.unit_code], |r| {
                Ok(Unit {
                    code: r.get(0)?,
                    name: r.get(1)?,
                    department: r.get(2)?,
                    section: r.get(3)?,
                })
            })?;
        let key_eval = key_eval_of(conn, review_id)?;
        // A key evaluation names its project through key_eval.project_id.
        let project_id: Option<i64> = conn
            .prepare_cached(
                "SELECT COALESCE(r.project_id, k.project_id) FROM review r
                 LEFT JOIN key_eval k ON k.id = r.key_eval_id WHERE r.id = ?1",
            )?
            .query_row([review_id], |r| r.get(0))?;
        let mut detail = ItemDetail {
            review,
            unit,
            project: None,
            indicators: Vec::new(),
            monitoring: None,
            progress: Vec::new(),
            self_eval: None,
            actuals: Vec::new(),
            key_eval: key_eval.map(|(_, k)| k),
            findings: self.findings_for(review_id)?,
            rectifications: self.rectifications_from_review(review_id)?,
        };
        let Some(pid) = project_id else {
            return Ok(Some(detail));
        };
        detail.project = conn
            .prepare_cached(&format!("SELECT {PROJECT_COLUMNS} FROM project p WHERE p.id = ?1"))?
            .query_row([pid], |r| Ok(project_from_row(r)))
            .optional()?
            .transpose()?;
        detail.indicators = rows_of_project(conn, pid)?;
        // The latest period is the one that counts; within it, the last row.
        detail.monitoring = rows_of_project::<Monitoring>(conn, pid)?
            .into_iter()
            .max_by(|a, b| a.period.cmp(&b.period));
        detail.progress = rows_of_project(conn, pid)?;
        detail.self_eval = rows_of_project::<SelfEval>(conn, pid)?.pop();
        detail.actuals = rows_of_project(conn, pid)?;
        Ok(Some(detail))
    }

    /// Saves the four target-audit verdicts (and a changed conclusion) on a
    /// review: refused when a fail or a changed conclusion has no reason.
    pub fn save_verdicts(
        &mut self,
        review_id: i64,
        expected_version: i64,
        verdicts: &Verdicts,
        actor: &str,
    ) -> Result<Review, StoreError> {
        check_verdicts(verdicts).map_err(|e| StoreError::Refused(e.to_string()))?;
        self.write(|tx| {
            let before = checked_review(tx, review_id, expected_version, actor, "目标审核意见")?;
            let json = serde_json::to_string(verdicts)?;
            tx.prepare_cached("UPDATE review SET verdicts = ?2 WHERE id = ?1")?
                .execute(params![review_id, json])?;
            touch_review(tx, review_id, actor)?;
            let before_json = serde_json::json!({ "verdicts": before.verdicts, "version": before.version });
            let after_json = serde_json::json!({ "verdicts": verdicts, "version": before.version + 1 });
            audit_change(
                tx,
                actor,
                "verdicts",
                AuditTarget::Review(review_id),
                &before_json,
                &after_json,
            )?;
            reread(tx, review_id)
        })
    }

    /// Records (or with `None` clears) the date a key-evaluation document was received.
    pub fn set_key_eval_document(
        &mut self,
        review_id: i64,
        expected_version: i64,
        doc: KeyEvalDoc,
        on: Option<NaiveDate>,
        actor: &str,
    ) -> Result<Review, StoreError> {
        self.write(|tx| {
            let before = checked_review(tx, review_id, expected_version, actor, "重点评价过程文件")?;
            let was = write_document_in(tx, review_id, doc, on, actor)?;
            let before_json = serde_json::json!({ "document": doc.code(), "received": was, "version": before.version });
            let after_json = serde_json::json!({
                "document": doc.code(), "received": on.map(|d| d.to_string()), "version": before.version + 1,
            });
            audit_change(
                tx,
                actor,
                "document",
                AuditTarget::Review(review_id),
                &before_json,
                &after_json,
            )?;
            // The K-DOC findings follow the documents.
            super::findings::refresh_dependent_in(tx, review_id, &super::findings::bureau_rules_in(tx)?)?;
            reread(tx, review_id)
        })
    }

    /// Rejects a monitoring explanation (returns the item with the opinion) and
    /// opens the rectification, in one transaction: both or neither.
    pub fn reject_with_rectification<'r>(
        &mut self,
        review_id: i64,
        expected_version: i64,
        opinion: &str,
        rect: &NewRectification,
        actor: &str,
        rules: impl Into<OpinionRules<'r>>,
    ) -> Result<(Review, Rectification), StoreError> {
        let rules = rules.into();
        let result = self.write(|tx| {
            let params = super::findings::bureau_rules_in(tx)?;
            let review = decide_in(
                tx,
                review_id,
                expected_version,
                ReviewAction::Return,
                opinion,
                actor,
                rules,
                &params,
            )?;
            let created = super::rectifications::insert_rectification(tx, rect, actor)?;
            Ok((review, created))
        });
        if let Err(e @ (StoreError::Decision { .. } | StoreError::Conflict { .. } | StoreError::Forbidden { .. })) =
            &result
        {
            self.record_refusal(actor, "decision", AuditTarget::Review(review_id), &e.to_string())?;
        }
        result
    }

    /// Every project of `year` at or above `key_amount` 元 with its latest
    /// monitoring execution and its monitoring review, for the October 全面清理.
    pub fn key_projects(&self, year: i32, key_amount: Decimal) -> Result<Vec<KeyProjectRow>, StoreError> {
        let min_fen = crate::domain::money::yuan_to_fen(key_amount);
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.id, u.name, p.code, p.name, p.amount_fen,
                    (SELECT m.executed_fen FROM monitoring m WHERE m.project_id = p.id ORDER BY m.period DESC, m.seq DESC LIMIT 1),
                    r.state, COALESCE(r.blocking + r.warning + r.info, 0), u.section
             FROM project p JOIN unit u ON u.code = p.unit_code
             LEFT JOIN review r ON r.project_id = p.id AND r.stage = 'monitoring' AND r.key_eval_id IS NULL
             WHERE p.year = ?1 AND p.amount_fen >= ?2 AND p.fund_kind <> 'unit_overall'
             ORDER BY p.id",
        )?;
        let mut rows = stmt.query(params![year, min_fen])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(KeyProjectRow {
                review_id: r.get(0)?,
                unit_name: r.get(1)?,
                section: r.get(8)?,
                project_code: r.get(2)?,
                project_name: r.get(3)?,
                amount: fen_to_yuan(r.get(4)?),
                executed: r.get::<_, Option<i64>>(5)?.map(fen_to_yuan),
                state: decode_opt(r.get(6)?, ReviewState::from_code)?,
                findings: r.get(7)?,
            });
        }
        Ok(out)
    }
}
