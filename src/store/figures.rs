//! Each item's key figure (execution rate, self and recomputed score, grade),
//! stored on its review row beside the finding counts by the same refresh, so
//! that a stage's list reads it with the row and never recomputes it.

use super::codec::{decimal, decode_opt};
use super::{Store, StoreError};
use crate::domain::params::RuleParams;
use crate::domain::rules::ItemFigure;
use crate::domain::{Grade, Stage};
use chrono::NaiveDate;
use rusqlite::{Transaction, params};
use std::collections::HashMap;

/// The setting that says the stored figures predate the data (set by the
/// migration that added them; cleared by a whole refresh).
const STALE: &str = "figures.stale";

/// Marks the figures as current, inside a whole refresh's transaction.
pub(super) fn clear_stale_in(tx: &Transaction<'_>) -> Result<(), StoreError> {
    tx.prepare_cached("DELETE FROM setting WHERE key = ?1")?
        .execute([STALE])?;
    Ok(())
}

impl Store {
    /// Refreshes the findings and figures of the latest year once if the
    /// file's figures predate its data (a file from before schema 6) or its
    /// findings predate the rule set (`rule_set`); returns whether it did.
    /// Also refreshes every unit whose findings lag its data (an import
    /// interrupted before its refresh), so that a reviewer opening the queue
    /// sees them and may approve them.
    pub fn refresh_figures_if_stale(&mut self, params: &RuleParams, today: NaiveDate) -> Result<bool, StoreError> {
        let mut refreshed = false;
        if self.setting(STALE)?.is_some() || self.findings_stale()? {
            self.refresh_findings(params, today)?;
            self.write(clear_stale_in)?;
            refreshed = true;
        }
        if !super::findings::stale_units(&self.conn)?.is_empty() {
            self.refresh_stale_findings(params, today)?;
            refreshed = true;
        }
        Ok(refreshed)
    }
}

/// The stored columns, as `figure_from` reads them (alias r).
pub(super) const FIGURE_COLUMNS: &str = "r.figure_rate, r.figure_self_score, r.figure_score, r.figure_grade";

/// Reads `FIGURE_COLUMNS` starting at column `at`.
pub(super) fn figure_from(r: &rusqlite::Row<'_>, at: usize) -> Result<ItemFigure, StoreError> {
    let dec = |i: usize| -> Result<Option<rust_decimal::Decimal>, StoreError> {
        r.get::<_, Option<String>>(at + i)?.map(|t| decimal(&t)).transpose()
    };
    Ok(ItemFigure {
        rate: dec(0)?,
        self_score: dec(1)?,
        score: dec(2)?,
        grade: decode_opt(r.get(at + 3)?, Grade::from_code)?,
    })
}

/// Stores the figures that differ from those on file, inside the caller's
/// write transaction (one pass over the stages that have figures); returns
/// how many items changed.
pub(super) fn store_changed_figures_in(
    tx: &Transaction<'_>,
    figures: &[(i64, ItemFigure)],
) -> Result<usize, StoreError> {
    let wanted: HashMap<i64, &ItemFigure> = figures.iter().map(|(id, f)| (*id, f)).collect();
    let mut stored: HashMap<i64, ItemFigure> = HashMap::with_capacity(wanted.len());
    let mut stmt = tx.prepare_cached(&format!(
        "SELECT r.id, {FIGURE_COLUMNS} FROM review r WHERE r.stage IN (?1, ?2, ?3)"
    ))?;
    let mut rows = stmt.query(params![
        Stage::Monitoring.code(),
        Stage::SelfEval.code(),
        Stage::KeyEval.code()
    ])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        if wanted.contains_key(&id) {
            stored.insert(id, figure_from(r, 1)?);
        }
    }
    let mut update = tx.prepare_cached(
        "UPDATE review SET figure_rate = ?2, figure_self_score = ?3, figure_score = ?4, figure_grade = ?5
         WHERE id = ?1",
    )?;
    let text = |d: Option<rust_decimal::Decimal>| d.map(|d| d.normalize().to_string());
    let mut changed = 0;
    for (id, figure) in figures {
        // Items of the other stages have no figure: nothing on file, nothing to store.
        if stored.get(id).copied().unwrap_or_default() == *figure {
            continue;
        }
        update.execute(params![
            id,
            text(figure.rate),
            text(figure.self_score),
            text(figure.score),
            figure.grade.map(Grade::code)
        ])?;
        changed += 1;
    }
    Ok(changed)
}
