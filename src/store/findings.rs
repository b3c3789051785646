//! Stored findings, with their counts cached on the review row so the queue
//! can show and filter them without reading the findings themselves.

use super::codec::decode;
use super::{Store, StoreError};
use crate::domain::model::{Finding, Review};
use crate::domain::params::RuleParams;
use crate::domain::rules::{key_eval_findings_in, review_findings};
use crate::domain::{RuleId, Severity, Stage};
use rusqlite::{Connection, Transaction, params};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Replaces one review's findings and refreshes its cached counts.
fn replace_in(tx: &Transaction<'_>, review_id: i64, findings: &[Finding]) -> Result<(), StoreError> {
    tx.prepare_cached("DELETE FROM finding WHERE review_id = ?1")?
        .execute([review_id])?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO finding (review_id, seq, rule, severity, indicator, message) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (seq, f) in findings.iter().enumerate() {
        insert.execute(params![
            review_id,
            seq as i64,
            f.rule.as_str(),
            f.severity.code(),
            f.indicator,
            f.message
        ])?;
    }
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count() as i64;
    // The preview shows the most severe finding first.
    let first = findings
        .iter()
        .min_by_key(|f| f.severity)
        .map(|f| f.message.as_str())
        .unwrap_or("");
    let updated = tx
        .prepare_cached("UPDATE review SET blocking = ?2, warning = ?3, info = ?4, first_finding = ?5 WHERE id = ?1")?
        .execute(params![
            review_id,
            count(Severity::Blocking),
            count(Severity::Warning),
            count(Severity::Info),
            first
        ])?;
    if updated == 0 {
        return Err(StoreError::NotFound {
            what: format!("事项 {review_id}"),
        });
    }
    Ok(())
}

/// The findings of a review, in the order they were stored.
/// The findings that follow a decision, recomputed inside its transaction
/// with the bureau's rule set: a key evaluation's own findings (its
/// documents, score and grade: a document ticked or not), then the
/// review-quality findings on the opinion as it now stands. Every write
/// that moves a review's state, opinion or documents calls this, so the
/// TUI, `jixiao approve` and an undo leave the same findings. True when
/// they changed.
pub(super) fn refresh_dependent_in(
    tx: &Transaction<'_>,
    review_id: i64,
    rules: &RuleParams,
) -> Result<bool, StoreError> {
    let Some(review) = super::queue::read_review(tx, review_id)? else {
        return Ok(false);
    };
    let stored = findings_in(tx, review_id)?;
    refresh_dependent_of(tx, &review, &stored, rules)
}

/// The same for a review the caller has in hand as it now stands, with its
/// findings as stored (a decision has both: no second read).
pub(super) fn refresh_dependent_of(
    tx: &Transaction<'_>,
    review: &Review,
    stored: &[Finding],
    rules: &RuleParams,
) -> Result<bool, StoreError> {
    let mut found: Vec<Finding> = match review.stage {
        Stage::KeyEval => match super::detail::key_eval_of(tx, review.id)? {
            Some((_, ke)) => key_eval_findings_in(&ke, &review.unit_code, rules),
            None => stored.iter().filter(|f| !f.is_review_quality()).cloned().collect(),
        },
        _ => stored.iter().filter(|f| !f.is_review_quality()).cloned().collect(),
    };
    let quality = review_findings(review, &found, rules);
    found.extend(quality);
    if found == stored {
        return Ok(false);
    }
    replace_in(tx, review.id, &found)?;
    Ok(true)
}

/// The bureau's thresholds as stored in the file (what every shared result
/// is computed with; a personal config file cannot change them).
pub(super) fn bureau_rules_in(conn: &Connection) -> Result<RuleParams, StoreError> {
    Ok(super::rule_set::rule_set_in(conn)?.bureau.rules)
}

pub(super) fn findings_in(conn: &rusqlite::Connection, review_id: i64) -> Result<Vec<Finding>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT f.rule, f.severity, f.indicator, f.message, r.stage, r.unit_code, COALESCE(k.object_code, p.code)
         FROM finding f JOIN review r ON r.id = f.review_id
         LEFT JOIN project p ON p.id = r.project_id LEFT JOIN key_eval k ON k.id = r.key_eval_id
         WHERE f.review_id = ?1 ORDER BY f.seq",
    )?;
    let mut rows = stmt.query([review_id])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(Finding {
            rule: RuleId::new(r.get::<_, String>(0)?),
            severity: decode(&r.get::<_, String>(1)?, Severity::from_code)?,
            indicator: r.get(2)?,
            message: r.get(3)?,
            stage: decode(&r.get::<_, String>(4)?, Stage::from_code)?,
            unit_code: r.get(5)?,
            project_code: r.get(6)?,
        });
    }
    Ok(out)
}

/// What a stored finding says (rule, severity code, indicator, message): enough
/// to tell whether a recomputed finding is the same.
type StoredFinding = (String, String, Option<String>, String);

/// The stored findings of the given reviews, read in one pass over the table
/// instead of one query per review.
fn stored_findings(
    conn: &Connection,
    wanted: &HashMap<i64, &[Finding]>,
) -> Result<HashMap<i64, Vec<StoredFinding>>, StoreError> {
    let mut stmt = conn
        .prepare_cached("SELECT review_id, rule, severity, indicator, message FROM finding ORDER BY review_id, seq")?;
    let mut rows = stmt.query([])?;
    let mut out: HashMap<i64, Vec<StoredFinding>> = HashMap::new();
    while let Some(r) = rows.next()? {
        let review_id: i64 = r.get(0)?;
        if wanted.contains_key(&review_id) {
            out.entry(review_id)
                .or_default()
                .push((r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?));
        }
    }
    Ok(out)
}

/// Whether stored findings are not exactly `found` (rule, severity, indicator, message, in order).
fn differ(stored: &[StoredFinding], found: &[Finding]) -> bool {
    stored.len() != found.len()
        || stored
            .iter()
            .zip(found)
            .any(|((rule, severity, indicator, message), f)| {
                f.rule != rule.as_str()
                    || severity != f.severity.code()
                    || *indicator != f.indicator
                    || *message != f.message
            })
}

/// Stores the findings of the reviews whose stored findings differ from the
/// recomputed ones, inside the caller's write transaction; returns how many
/// reviews changed.
pub(super) fn store_changed_in(tx: &Transaction<'_>, per_review: &[(i64, Vec<Finding>)]) -> Result<usize, StoreError> {
    let wanted: HashMap<i64, &[Finding]> = per_review.iter().map(|(id, f)| (*id, f.as_slice())).collect();
    let stored = stored_findings(tx, &wanted)?;
    let mut changed = 0;
    for (review_id, found) in per_review {
        if differ(stored.get(review_id).map_or(&[], Vec::as_slice), found) {
            replace_in(tx, *review_id, found)?;
            changed += 1;
        }
    }
    Ok(changed)
}

/// The findings as they go into an audit entry: what the reviewer saw.
pub(super) fn findings_json(findings: &[Finding]) -> serde_json::Value {
    findings
        .iter()
        .map(|f| serde_json::json!({ "rule": f.rule, "severity": f.severity.code(), "message": f.message }))
        .collect()
}

/// Marks the findings of these units' items of these years as lagging their
/// data, inside the transaction that changes the data (see `findings_stale`
/// in the migrations): until a refresh stores them again, their items are
/// not approved.
pub(super) fn mark_stale_in(tx: &Transaction<'_>, pairs: &BTreeSet<(String, i32)>, at: &str) -> Result<(), StoreError> {
    let mut insert =
        tx.prepare_cached("INSERT OR IGNORE INTO findings_stale (unit_code, year, since) VALUES (?1, ?2, ?3)")?;
    for (unit, year) in pairs {
        insert.execute(params![unit, year, at])?;
    }
    Ok(())
}

/// Clears the marks of `year` — of the units in `units` (a JSON array), or
/// of every unit — inside the transaction that stores their findings.
pub(super) fn clear_stale_in(tx: &Transaction<'_>, year: i32, units: Option<&str>) -> Result<(), StoreError> {
    match units {
        None => tx
            .prepare_cached("DELETE FROM findings_stale WHERE year = ?1")?
            .execute([year])?,
        Some(units) => tx
            .prepare_cached(
                "DELETE FROM findings_stale WHERE year = ?1 AND unit_code IN (SELECT value FROM json_each(?2))",
            )?
            .execute(params![year, units])?,
    };
    Ok(())
}

/// Whether any of the unit's findings lag its data (a load changed it and no
/// refresh has stored them since).
pub(super) fn unit_is_stale(conn: &Connection, unit_code: &str) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM findings_stale WHERE unit_code = ?1")?
        .exists([unit_code])?)
}

/// The marked units, year by year.
pub(super) fn stale_units(conn: &Connection) -> Result<BTreeMap<i32, BTreeSet<String>>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT year, unit_code FROM findings_stale")?;
    let mut rows = stmt.query([])?;
    let mut out: BTreeMap<i32, BTreeSet<String>> = BTreeMap::new();
    while let Some(r) = rows.next()? {
        out.entry(r.get(0)?).or_default().insert(r.get(1)?);
    }
    Ok(out)
}

impl Store {
    /// The units whose findings lag their data, year by year (an import
    /// interrupted between its data and its refresh leaves some).
    pub fn units_with_stale_findings(&self) -> Result<BTreeMap<i32, BTreeSet<String>>, StoreError> {
        stale_units(&self.conn)
    }

    /// Stores a review's findings (replacing the old ones) and its cached counts.
    pub fn replace_findings(&mut self, review_id: i64, findings: &[Finding]) -> Result<(), StoreError> {
        self.write(|tx| replace_in(tx, review_id, findings))
    }

    /// Stores the findings of many reviews in one transaction.
    pub fn replace_all_findings(&mut self, per_review: &[(i64, Vec<Finding>)]) -> Result<(), StoreError> {
        self.write(|tx| {
            for (review_id, findings) in per_review {
                replace_in(tx, *review_id, findings)?;
            }
            Ok(())
        })
    }

    pub fn findings_for(&self, review_id: i64) -> Result<Vec<Finding>, StoreError> {
        findings_in(&self.conn, review_id)
    }
}
