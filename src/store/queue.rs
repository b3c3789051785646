//! The review queue: pages read by keyset (`id > N`), never OFFSET, so the
//! cost of a page does not grow with its position in a queue of 75,000 items.

use super::codec::decode;
use super::figures::figure_from;
use super::{Store, StoreError};
use crate::domain::model::{Review, Verdicts};
use crate::domain::money::fen_to_yuan;
use crate::domain::rules::ItemFigure;
use crate::domain::{ReviewState, Severity, Stage};
use rusqlite::{OptionalExtension, params};
use rust_decimal::Decimal;

/// One line of the queue table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueRow {
    pub review_id: i64,
    pub stage: Stage,
    pub unit_code: String,
    pub unit_name: String,
    pub section: String,
    /// The project, or a key evaluation's object code.
    pub project_code: Option<String>,
    pub project_name: String,
    /// 预算金额 (评价金额 for a key evaluation) in 元.
    pub amount: Decimal,
    pub state: ReviewState,
    pub blocking: i64,
    pub warning: i64,
    pub info: i64,
    pub first_finding: String,
    pub version: i64,
    /// The stage's key figure (execution rate, scores, grade), as the last
    /// refresh of the findings stored it.
    pub figure: ItemFigure,
    /// The unit's data changed after its findings were computed (an import
    /// interrupted before its refresh): the findings shown are not to be
    /// trusted, and approval is refused until they are recomputed.
    pub findings_pending: bool,
}

/// Which items of a stage the queue shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueFilter {
    pub stage: Stage,
    pub state: Option<ReviewState>,
    pub section: Option<String>,
    /// The reviewer's scope: only units of these sections (None: every section).
    pub scope: Option<Vec<String>>,
    pub unit_code: Option<String>,
    /// Some(true): only items with findings; Some(false): only clean items.
    pub has_findings: Option<bool>,
    /// Only items with at least one finding this severe or worse.
    pub min_severity: Option<Severity>,
}

impl QueueFilter {
    /// Every item of a stage.
    pub fn stage(stage: Stage) -> Self {
        QueueFilter {
            stage,
            state: None,
            section: None,
            scope: None,
            unit_code: None,
            has_findings: None,
            min_severity: None,
        }
    }
}

const ROW_SELECT: &str = "SELECT r.id, r.stage, r.unit_code, u.name, u.section, COALESCE(k.object_code, p.code),
        COALESCE(p.name, ''), COALESCE(k.amount_fen, p.amount_fen, 0), r.state,
        r.blocking, r.warning, r.info, r.first_finding, r.version,
        r.figure_rate, r.figure_self_score, r.figure_score, r.figure_grade,
        EXISTS (SELECT 1 FROM findings_stale fs WHERE fs.unit_code = r.unit_code)
     FROM review r
     JOIN unit u ON u.code = r.unit_code
     LEFT JOIN project p ON p.id = r.project_id
     LEFT JOIN key_eval k ON k.id = r.key_eval_id";

fn queue_row(r: &rusqlite::Row<'_>) -> Result<QueueRow, StoreError> {
    Ok(QueueRow {
        review_id: r.get(0)?,
        stage: decode(&r.get::<_, String>(1)?, Stage::from_code)?,
        unit_code: r.get(2)?,
        unit_name: r.get(3)?,
        section: r.get(4)?,
        project_code: r.get(5)?,
        project_name: r.get(6)?,
        amount: fen_to_yuan(r.get(7)?),
        state: decode(&r.get::<_, String>(8)?, ReviewState::from_code)?,
        blocking: r.get(9)?,
        warning: r.get(10)?,
        info: r.get(11)?,
        first_finding: r.get(12)?,
        version: r.get(13)?,
        figure: figure_from(r, 14)?,
        findings_pending: r.get(18)?,
    })
}

impl Store {
    /// Up to `limit` items of a stage after `after_id`, in id order: one
    /// plain keyset query (the benchmark's reference app reads the queue this way).
    pub fn queue_page(&self, stage: Stage, after_id: Option<i64>, limit: usize) -> Result<Vec<QueueRow>, StoreError> {
        let sql = format!("{ROW_SELECT} WHERE r.stage = ?1 AND r.id > ?2 ORDER BY r.id LIMIT ?3");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut rows = stmt.query(params![stage.code(), after_id.unwrap_or(0), limit])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(queue_row(r)?);
        }
        Ok(out)
    }

    /// The first `limit` items of a stage within the reviewer's scope, in id
    /// order, for the first frame (before the stage's index is read).
    pub fn queue_first_page(
        &self,
        stage: Stage,
        scope: Option<&[String]>,
        limit: usize,
    ) -> Result<Vec<QueueRow>, StoreError> {
        let Some(scope) = scope else {
            return self.queue_page(stage, None, limit);
        };
        let sql = format!(
            "{ROW_SELECT} WHERE r.stage = ?1 AND u.section IN (SELECT value FROM json_each(?2)) ORDER BY r.id LIMIT ?3"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut rows = stmt.query(params![stage.code(), serde_json::to_string(scope)?, limit])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(queue_row(r)?);
        }
        Ok(out)
    }

    /// The rows of just these items, in the order given (missing ids are skipped).
    pub fn queue_rows_by_ids(&self, ids: &[i64]) -> Result<Vec<QueueRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!("{ROW_SELECT} WHERE r.id = ?1"))?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let mut rows = stmt.query([id])?;
            if let Some(r) = rows.next()? {
                out.push(queue_row(r)?);
            }
        }
        Ok(out)
    }

    /// One review item with the reviewer's work on it.
    pub fn review(&self, id: i64) -> Result<Option<Review>, StoreError> {
        read_review(&self.conn, id)
    }
}

/// Columns of a review as `review_from_row` reads them (aliases r, p, k).
pub(super) const REVIEW_SELECT: &str =
    "SELECT r.id, r.stage, r.unit_code, COALESCE(k.object_code, p.code), r.state, r.opinion,
        r.verdicts, r.decided_by, r.decided_at, r.version
     FROM review r LEFT JOIN project p ON p.id = r.project_id LEFT JOIN key_eval k ON k.id = r.key_eval_id";

pub(super) fn review_from_row(r: &rusqlite::Row<'_>) -> Result<Review, StoreError> {
    Ok(Review {
        id: r.get(0)?,
        stage: decode(&r.get::<_, String>(1)?, Stage::from_code)?,
        unit_code: r.get(2)?,
        project_code: r.get(3)?,
        state: decode(&r.get::<_, String>(4)?, ReviewState::from_code)?,
        opinion: r.get(5)?,
        verdicts: serde_json::from_str::<Verdicts>(&r.get::<_, String>(6)?)?,
        decided_by: r.get(7)?,
        decided_at: r.get(8)?,
        version: r.get(9)?,
    })
}

/// Reads a review on any connection or transaction (decisions read inside theirs).
pub(super) fn read_review(conn: &rusqlite::Connection, id: i64) -> Result<Option<Review>, StoreError> {
    conn.prepare_cached(&format!("{REVIEW_SELECT} WHERE r.id = ?1"))?
        .query_row([id], |r| Ok(review_from_row(r)))
        .optional()?
        .transpose()
}

/// Orders the queue can be shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QueueSort {
    /// As loaded (unit by unit).
    #[default]
    Loaded,
    AmountDesc,
    Unit,
    FindingsDesc,
    State,
}

impl Store {
    /// Every 业务科室 that has units, sorted.
    pub fn sections(&self) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT DISTINCT section FROM unit WHERE section <> '' ORDER BY section")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Units whose code or name contains `needle`, as (code, name), at most `limit`.
    pub fn find_units(&self, needle: &str, limit: usize) -> Result<Vec<(String, String)>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT code, name FROM unit WHERE code = ?1 OR instr(name, ?1) > 0 OR instr(code, ?1) > 0
             ORDER BY code = ?1 DESC, code LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![needle, limit as i64], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

impl Store {
    /// Everything `/` searches, per item of the stage: unit name and code,
    /// project name and code, and every finding's text, lower-cased — read once
    /// so that each keystroke of a search is a scan in memory, not a query.
    pub fn search_corpus(&self, stage: Stage) -> Result<Vec<(i64, String)>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.id, u.name || ' ' || u.code || ' ' || COALESCE(p.name, '') || ' ' || COALESCE(k.object_code, p.code, '')
                    || ' ' || COALESCE((SELECT group_concat(f.message, ' ') FROM finding f WHERE f.review_id = r.id), '')
             FROM review r JOIN unit u ON u.code = r.unit_code
             LEFT JOIN project p ON p.id = r.project_id LEFT JOIN key_eval k ON k.id = r.key_eval_id
             WHERE r.stage = ?1 ORDER BY r.id",
        )?;
        let rows = stmt.query_map([stage.code()], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?.to_lowercase()))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
