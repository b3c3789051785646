//! Figures for the demo summary and the overview screen.

use super::codec::decode;
use super::{Store, StoreError};
use crate::domain::money::fen_to_yuan;
use crate::domain::{BudgetKind, FundKind, Stage};
use rust_decimal::Decimal;

/// Counts and amounts across the whole file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    pub units: i64,
    pub projects: i64,
    pub indicators: i64,
    pub monitoring: i64,
    pub self_evals: i64,
    pub key_evals: i64,
    /// Review items per stage (stages with none are left out).
    pub reviews_by_stage: Vec<(Stage, i64)>,
    /// Project count and budget amount in 元 per (预算类型, 资金性质), summed exactly in 分.
    pub amounts: Vec<(BudgetKind, FundKind, i64, Decimal)>,
}

impl Store {
    pub fn totals(&self) -> Result<Totals, StoreError> {
        let count = |table: &str| -> Result<i64, StoreError> {
            // Table names come from the fixed list below, never from input.
            Ok(self
                .conn
                .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))?)
        };
        let mut stmt = self
            .conn
            .prepare_cached("SELECT stage, COUNT(*) FROM review GROUP BY stage")?;
        let mut rows = stmt.query([])?;
        let mut reviews_by_stage = Vec::new();
        while let Some(r) = rows.next()? {
            reviews_by_stage.push((decode(&r.get::<_, String>(0)?, Stage::from_code)?, r.get(1)?));
        }
        reviews_by_stage.sort_by_key(|(stage, _)| *stage);
        let mut stmt = self.conn.prepare_cached(
            "SELECT budget_kind, fund_kind, COUNT(*), SUM(amount_fen) FROM project GROUP BY budget_kind, fund_kind",
        )?;
        let mut rows = stmt.query([])?;
        let mut amounts = Vec::new();
        while let Some(r) = rows.next()? {
            amounts.push((
                decode(&r.get::<_, String>(0)?, BudgetKind::from_code)?,
                decode(&r.get::<_, String>(1)?, FundKind::from_code)?,
                r.get(2)?,
                fen_to_yuan(r.get(3)?),
            ));
        }
        amounts.sort_by_key(|(b, f, _, _)| (*b, *f));
        Ok(Totals {
            units: count("unit")?,
            projects: count("project")?,
            indicators: count("indicator")?,
            monitoring: count("monitoring")?,
            self_evals: count("self_eval")?,
            key_evals: count("key_eval")?,
            reviews_by_stage,
            amounts,
        })
    }
}
