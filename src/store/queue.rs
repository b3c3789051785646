//! The review queue: pages read by keyset (`id > N`), never OFFSET, so the
//! cost of a page does not grow with its position in a queue of 75,000 items.

use super::codec::decode;
use super::{Store, StoreError};
use crate::domain::model::{Review, Verdicts};
use crate::domain::money::fen_to_yuan;
use crate::domain::{ReviewState, Severity, Stage};
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, params, params_from_iter};
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
}

/// Which items of a stage the queue shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueFilter {
    pub stage: Stage,
    pub state: Option<ReviewState>,
    pub section: Option<String>,
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
            unit_code: None,
            has_findings: None,
            min_severity: None,
        }
    }

    /// The WHERE clause and its parameters; only the conditions in use are
    /// emitted so the planner can use `review(stage, state, id)`.
    fn where_clause(&self) -> (String, Vec<Value>) {
        let mut sql = String::from("r.stage = ?");
        let mut values = vec![Value::Text(self.stage.code().to_string())];
        if let Some(state) = self.state {
            sql.push_str(" AND r.state = ?");
            values.push(Value::Text(state.code().to_string()));
        }
        if let Some(section) = &self.section {
            sql.push_str(" AND u.section = ?");
            values.push(Value::Text(section.clone()));
        }
        if let Some(unit) = &self.unit_code {
            sql.push_str(" AND r.unit_code = ?");
            values.push(Value::Text(unit.clone()));
        }
        match self.has_findings {
            Some(true) => sql.push_str(" AND r.blocking + r.warning + r.info > 0"),
            Some(false) => sql.push_str(" AND r.blocking + r.warning + r.info = 0"),
            None => {}
        }
        match self.min_severity {
            Some(Severity::Blocking) => sql.push_str(" AND r.blocking > 0"),
            Some(Severity::Warning) => sql.push_str(" AND r.blocking + r.warning > 0"),
            Some(Severity::Info) => sql.push_str(" AND r.blocking + r.warning + r.info > 0"),
            None => {}
        }
        (sql, values)
    }
}

const ROW_SELECT: &str = "SELECT r.id, r.stage, r.unit_code, u.name, u.section, COALESCE(k.object_code, p.code),
        COALESCE(p.name, ''), COALESCE(k.amount_fen, p.amount_fen, 0), r.state,
        r.blocking, r.warning, r.info, r.first_finding, r.version
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
    })
}

impl Store {
    /// Up to `limit` items after `after_id`, in id order.
    pub fn queue_page(
        &self,
        filter: &QueueFilter,
        after_id: Option<i64>,
        limit: usize,
    ) -> Result<Vec<QueueRow>, StoreError> {
        let (mut clause, mut values) = filter.where_clause();
        clause.push_str(" AND r.id > ?");
        values.push(Value::Integer(after_id.unwrap_or(0)));
        values.push(Value::Integer(i64::try_from(limit).unwrap_or(i64::MAX)));
        let sql = format!("{ROW_SELECT} WHERE {clause} ORDER BY r.id LIMIT ?");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params_from_iter(values))?;
        let mut out = Vec::with_capacity(limit.min(1024));
        while let Some(r) = rows.next()? {
            out.push(queue_row(r)?);
        }
        Ok(out)
    }

    /// The ids of every matching item, in id order: cheap enough to hold in
    /// memory for tagging and sorting.
    pub fn queue_ids(&self, filter: &QueueFilter) -> Result<Vec<i64>, StoreError> {
        let (clause, values) = filter.where_clause();
        let join = if filter.section.is_some() {
            "JOIN unit u ON u.code = r.unit_code"
        } else {
            ""
        };
        let sql = format!("SELECT r.id FROM review r {join} WHERE {clause} ORDER BY r.id");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let ids = stmt.query_map(params_from_iter(values), |r| r.get(0))?;
        Ok(ids.collect::<Result<_, _>>()?)
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

    /// How many items of a stage stand in each state (states with none are left out).
    pub fn state_counts(&self, stage: Stage, section: Option<&str>) -> Result<Vec<(ReviewState, i64)>, StoreError> {
        let sql = if section.is_some() {
            "SELECT r.state, COUNT(*) FROM review r JOIN unit u ON u.code = r.unit_code
             WHERE r.stage = ?1 AND u.section = ?2 GROUP BY r.state"
        } else {
            // Covered by review(stage, state, id): no table rows read.
            "SELECT r.state, COUNT(*) FROM review r WHERE r.stage = ?1 AND ?2 IS NULL GROUP BY r.state"
        };
        let mut stmt = self.conn.prepare_cached(sql)?;
        let mut rows = stmt.query(params![stage.code(), section])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push((decode(&r.get::<_, String>(0)?, ReviewState::from_code)?, r.get(1)?));
        }
        out.sort_by_key(|(state, _)| *state);
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

impl QueueSort {
    fn order_by(self) -> &'static str {
        match self {
            QueueSort::Loaded => "r.id",
            QueueSort::AmountDesc => "COALESCE(k.amount_fen, p.amount_fen, 0) DESC, r.id",
            QueueSort::Unit => "r.unit_code, r.id",
            QueueSort::FindingsDesc => "r.blocking DESC, r.warning DESC, r.info DESC, r.id",
            QueueSort::State => "r.state, r.id",
        }
    }
}

impl Store {
    /// The ids of every matching item in the chosen order.
    pub fn queue_ids_sorted(&self, filter: &QueueFilter, sort: QueueSort) -> Result<Vec<i64>, StoreError> {
        let (clause, values) = filter.where_clause();
        // Join only what the filter or the order reads: the plain queue is an index scan of review.
        let unit = if filter.section.is_some() {
            "JOIN unit u ON u.code = r.unit_code"
        } else {
            ""
        };
        let amounts = if sort == QueueSort::AmountDesc {
            "LEFT JOIN project p ON p.id = r.project_id LEFT JOIN key_eval k ON k.id = r.key_eval_id"
        } else {
            ""
        };
        let sql = format!(
            "SELECT r.id FROM review r {unit} {amounts} WHERE {clause} ORDER BY {}",
            sort.order_by()
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let ids = stmt.query_map(params_from_iter(values), |r| r.get(0))?;
        Ok(ids.collect::<Result<_, _>>()?)
    }

    /// Items of the filter whose unit (name or code), project (name or code) or
    /// any finding's text contains `needle` (case-insensitive for ASCII).
    pub fn search_ids(&self, filter: &QueueFilter, needle: &str) -> Result<Vec<i64>, StoreError> {
        let (clause, mut values) = filter.where_clause();
        let escaped = needle.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        values.push(Value::Text(format!("%{escaped}%")));
        let sql = format!(
            "SELECT r.id FROM review r JOIN unit u ON u.code = r.unit_code
             LEFT JOIN project p ON p.id = r.project_id LEFT JOIN key_eval k ON k.id = r.key_eval_id
             WHERE {clause} AND (u.name LIKE ?{n} ESCAPE '\\' OR u.code LIKE ?{n} ESCAPE '\\'
                 OR p.name LIKE ?{n} ESCAPE '\\' OR COALESCE(k.object_code, p.code) LIKE ?{n} ESCAPE '\\'
                 OR EXISTS (SELECT 1 FROM finding f WHERE f.review_id = r.id AND f.message LIKE ?{n} ESCAPE '\\'))
             ORDER BY r.id",
            n = values.len()
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let ids = stmt.query_map(params_from_iter(values), |r| r.get(0))?;
        Ok(ids.collect::<Result<_, _>>()?)
    }

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
    /// Everything `/` searches, per item of the filter: unit name and code,
    /// project name and code, and every finding's text, lower-cased — read once
    /// so that each keystroke of a search is a scan in memory, not a query.
    pub fn search_corpus(&self, filter: &QueueFilter) -> Result<Vec<(i64, String)>, StoreError> {
        let (clause, values) = filter.where_clause();
        let sql = format!(
            "SELECT r.id, u.name || ' ' || u.code || ' ' || COALESCE(p.name, '') || ' ' || COALESCE(k.object_code, p.code, '')
                    || ' ' || COALESCE((SELECT group_concat(f.message, ' ') FROM finding f WHERE f.review_id = r.id), '')
             FROM review r JOIN unit u ON u.code = r.unit_code
             LEFT JOIN project p ON p.id = r.project_id LEFT JOIN key_eval k ON k.id = r.key_eval_id
             WHERE {clause} ORDER BY r.id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(values), |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?.to_lowercase()))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
