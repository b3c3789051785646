//! Read-only queries behind `jixiao export`: review opinions and findings with
//! the names a reader of the spreadsheet needs, and unit/project names for the
//! rectification list.

use super::codec::decode;
use super::{Store, StoreError};
use crate::domain::money::fen_to_yuan;
use crate::domain::{ReviewState, Severity, Stage};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// One line of 审核意见汇总表.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpinionRow {
    pub unit_code: String,
    pub unit_name: String,
    pub section: String,
    pub project_code: Option<String>,
    pub project_name: String,
    pub amount: Decimal,
    pub stage: Stage,
    pub state: ReviewState,
    /// The reviewer's name when known, else the OS user.
    pub reviewer: Option<String>,
    pub decided_at: Option<String>,
    pub opinion: String,
}

/// One stored finding with its item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingRow {
    pub rule: String,
    pub severity: Severity,
    pub stage: Stage,
    pub unit_code: String,
    pub unit_name: String,
    pub project_code: Option<String>,
    pub project_name: String,
    pub amount: Decimal,
    pub indicator: Option<String>,
    pub message: String,
    pub state: ReviewState,
}

/// The unit, project and key evaluation of a review `r`.
const ITEM_JOINS: &str = "JOIN unit u ON u.code = r.unit_code
     LEFT JOIN project p ON p.id = r.project_id
     LEFT JOIN key_eval k ON k.id = r.key_eval_id";

impl Store {
    /// Every review item a reviewer has acted on or written an opinion for, by unit and item.
    pub fn opinion_rows(&self) -> Result<Vec<OpinionRow>, StoreError> {
        let sql = format!(
            "SELECT r.unit_code, u.name, u.section, COALESCE(k.object_code, p.code), COALESCE(p.name, ''),
                    COALESCE(k.amount_fen, p.amount_fen, 0), r.stage, r.state,
                    COALESCE(v.name, r.decided_by), r.decided_at, r.opinion
             FROM review r {ITEM_JOINS} LEFT JOIN reviewer v ON v.os_user = r.decided_by
             WHERE r.state <> 'pending' OR r.opinion <> '' OR r.decided_by IS NOT NULL
             ORDER BY r.unit_code, r.stage, r.id"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(OpinionRow {
                unit_code: r.get(0)?,
                unit_name: r.get(1)?,
                section: r.get(2)?,
                project_code: r.get(3)?,
                project_name: r.get(4)?,
                amount: fen_to_yuan(r.get(5)?),
                stage: decode(&r.get::<_, String>(6)?, Stage::from_code)?,
                state: decode(&r.get::<_, String>(7)?, ReviewState::from_code)?,
                reviewer: r.get(8)?,
                decided_at: r.get(9)?,
                opinion: r.get(10)?,
            });
        }
        Ok(out)
    }

    /// Every stored finding, most severe first within each item.
    pub fn finding_rows(&self) -> Result<Vec<FindingRow>, StoreError> {
        let sql = format!(
            "SELECT f.rule, f.severity, r.stage, r.unit_code, u.name, COALESCE(k.object_code, p.code),
                    COALESCE(p.name, ''), COALESCE(k.amount_fen, p.amount_fen, 0), f.indicator, f.message, r.state
             FROM finding f JOIN review r ON r.id = f.review_id {ITEM_JOINS}
             ORDER BY r.unit_code, r.stage, r.id, f.seq"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(FindingRow {
                rule: r.get(0)?,
                severity: decode(&r.get::<_, String>(1)?, Severity::from_code)?,
                stage: decode(&r.get::<_, String>(2)?, Stage::from_code)?,
                unit_code: r.get(3)?,
                unit_name: r.get(4)?,
                project_code: r.get(5)?,
                project_name: r.get(6)?,
                amount: fen_to_yuan(r.get(7)?),
                indicator: r.get(8)?,
                message: r.get(9)?,
                state: decode(&r.get::<_, String>(10)?, ReviewState::from_code)?,
            });
        }
        out.sort_by_key(|f| (f.unit_code.clone(), f.stage, f.project_code.clone(), f.severity));
        Ok(out)
    }

    /// Unit code → name.
    pub fn unit_names(&self) -> Result<HashMap<String, String>, StoreError> {
        let mut stmt = self.conn.prepare("SELECT code, name FROM unit")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Project code → name, the latest year winning.
    pub fn project_names(&self) -> Result<HashMap<String, String>, StoreError> {
        let mut stmt = self.conn.prepare("SELECT code, name FROM project ORDER BY year")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

impl Store {
    /// Records in the audit log that results left the database: what, where, how many rows.
    pub fn record_export(&mut self, actor: &str, what: &str, path: &str, rows: usize) -> Result<(), StoreError> {
        let after = serde_json::json!({ "what": what, "path": path, "rows": rows }).to_string();
        self.write(|tx| {
            super::audit::append_audit(
                tx,
                actor,
                "export",
                super::audit::AuditTarget::Export(what),
                "ok",
                None,
                Some(&after),
            )?;
            Ok(())
        })
    }
}
