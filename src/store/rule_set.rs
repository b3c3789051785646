//! The bureau's rule set, kept in the file so that every reviewer's findings,
//! scores and grades are computed with the same thresholds. Only the keys an
//! admin set are stored (`rule_value`), each as its TOML text; the compiled
//! defaults fill the rest, so a file where nothing was set has the defaults
//! (version 0). Every change is checked as the TOML file is, numbered
//! (`rule_set_version`) and audited key by key, refusals included.
//!
//! The stored findings carry the version they were computed with (the
//! setting `findings.rule_set_version`, written by every whole refresh in the
//! transaction that stores them). A refresh always evaluates with the rule
//! set in the file, whatever thresholds its caller holds; findings of an
//! older version are stale and the next whole refresh (the `config` command
//! right after a change, or opening, checking, importing, approving) redoes
//! them.

use super::audit::{AuditTarget, append_audit};
use super::permissions::require_role;
use super::{Store, StoreError, now};
use crate::config::{Bureau, RuleChange, RuleValues};
use crate::domain::Role;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

/// The setting holding the rule-set version the stored findings were computed with.
const FINDINGS_VERSION: &str = "findings.rule_set_version";

/// One key an admin set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleValue {
    pub key: String,
    /// The value as TOML text (`"0.75"`, `30`, `["进一步"]`).
    pub value: String,
    /// The rule-set version that set it.
    pub version: i64,
    pub set_by: String,
    pub set_at: String,
}

/// The rule set in effect.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSet {
    /// 0 while nothing was ever set (the compiled defaults).
    pub version: i64,
    /// Who made the current version, and when (none for version 0).
    pub set_by: Option<String>,
    pub set_at: Option<String>,
    /// The keys set in the file; every other key has its compiled default.
    pub values: Vec<RuleValue>,
    pub bureau: Bureau,
}

/// What a change did.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSetChange {
    /// The version after the change (unchanged when nothing changed).
    pub version: i64,
    /// Each key changed: (key, before, after), values as TOML text.
    pub changed: Vec<(String, String, String)>,
    pub bureau: Bureau,
}

/// The current version (0 when nothing was ever set).
pub(super) fn version_in(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn
        .prepare_cached("SELECT COALESCE(MAX(version), 0) FROM rule_set_version")?
        .query_row([], |r| r.get(0))?)
}

fn stored_values(conn: &Connection) -> Result<Vec<RuleValue>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT key, value, version, set_by, set_at FROM rule_value ORDER BY key")?;
    let rows = stmt.query_map([], |r| {
        Ok(RuleValue {
            key: r.get(0)?,
            value: r.get(1)?,
            version: r.get(2)?,
            set_by: r.get(3)?,
            set_at: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn as_map(values: &[RuleValue]) -> RuleValues {
    values.iter().map(|v| (v.key.clone(), v.value.clone())).collect()
}

/// The rule set as the file holds it.
pub(super) fn rule_set_in(conn: &Connection) -> Result<RuleSet, StoreError> {
    let version = version_in(conn)?;
    let made: Option<(String, String)> = conn
        .prepare_cached("SELECT set_by, set_at FROM rule_set_version WHERE version = ?1")?
        .query_row([version], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let values = stored_values(conn)?;
    let bureau = Bureau::from_stored(&as_map(&values)).map_err(StoreError::RuleSet)?;
    let (set_by, set_at) = made.unzip();
    Ok(RuleSet {
        version,
        set_by,
        set_at,
        values,
        bureau,
    })
}

/// Records that the stored findings are those of `version`, inside the
/// whole refresh's transaction.
pub(super) fn stamp_findings_in(tx: &Transaction<'_>, version: i64) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO setting (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![FINDINGS_VERSION, version.to_string()])?;
    Ok(())
}

/// Whether the stored findings predate the rule set (or were computed before
/// findings carried a version at all).
pub(super) fn findings_stale_in(conn: &Connection) -> Result<bool, StoreError> {
    let stamp: Option<String> = conn
        .prepare_cached("SELECT value FROM setting WHERE key = ?1")?
        .query_row([FINDINGS_VERSION], |r| r.get(0))
        .optional()?;
    if stamp.and_then(|s| s.parse::<i64>().ok()) == Some(version_in(conn)?) {
        return Ok(false);
    }
    // Nothing to recompute in a file with no item.
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM review)")?
        .query_row([], |r| r.get(0))?)
}

impl Store {
    /// The bureau's rule set in effect, with its version and who set it when.
    pub fn rule_set(&self) -> Result<RuleSet, StoreError> {
        rule_set_in(&self.conn)
    }

    /// The thresholds in effect (`rule_set().bureau`).
    pub fn bureau(&self) -> Result<Bureau, StoreError> {
        Ok(self.rule_set()?.bureau)
    }

    /// The rule-set version the stored findings were computed with, if known.
    pub fn findings_rule_set_version(&self) -> Result<Option<i64>, StoreError> {
        Ok(self.setting(FINDINGS_VERSION)?.and_then(|s| s.parse().ok()))
    }

    /// Whether the stored findings are of an older rule set than the file's.
    pub fn findings_stale(&self) -> Result<bool, StoreError> {
        findings_stale_in(&self.conn)
    }

    /// Every stored finding counted by severity: (blocking, warning, info).
    pub fn finding_counts(&self) -> Result<(i64, i64, i64), StoreError> {
        Ok(self.conn.query_row(
            "SELECT COALESCE(SUM(blocking), 0), COALESCE(SUM(warning), 0), COALESCE(SUM(info), 0) FROM review",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?)
    }

    /// Writes `change` into the rule set: admins only (a refusal is audited),
    /// checked over the whole set as the TOML file is, each changed key
    /// audited before → after, the version bumped once. Keys given their
    /// current value change nothing. The stored findings are then stale until
    /// the next whole refresh (`refresh_findings`), which the caller runs.
    pub fn change_rule_set(&mut self, change: &RuleChange, actor: &str) -> Result<RuleSetChange, StoreError> {
        let result = self.write(|tx| {
            require_role(tx, actor, &[Role::Admin], "修改全局规则集")?;
            let stored = stored_values(tx)?;
            let map = as_map(&stored);
            let bureau = Bureau::with_change(&map, change).map_err(StoreError::RuleSet)?;
            let old = version_in(tx)?;
            let changed: Vec<(String, String, String)> = change
                .values()
                .iter()
                .filter_map(|(key, after)| {
                    let before = map
                        .get(key)
                        .cloned()
                        .or_else(|| crate::config::bureau_default_value(key))
                        .unwrap_or_default();
                    (before != *after).then(|| (key.clone(), before, after.clone()))
                })
                .collect();
            if changed.is_empty() {
                return Ok(RuleSetChange {
                    version: old,
                    changed,
                    bureau: Bureau::from_stored(&map).map_err(StoreError::RuleSet)?,
                });
            }
            let version = old + 1;
            let at = now();
            let keys: Vec<&str> = changed.iter().map(|(k, _, _)| k.as_str()).collect();
            tx.prepare_cached(
                "INSERT INTO rule_set_version (version, set_by, set_at, source, keys) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                version,
                actor,
                at,
                change.origin().to_string(),
                serde_json::to_string(&keys)?
            ])?;
            let mut upsert = tx.prepare_cached(
                "INSERT INTO rule_value (key, value, version, set_by, set_at) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value, version = excluded.version,
                     set_by = excluded.set_by, set_at = excluded.set_at",
            )?;
            for (key, before, after) in &changed {
                upsert.execute(params![key, after, version, actor, at])?;
                let b = serde_json::json!({ "value": before, "version": old }).to_string();
                let a =
                    serde_json::json!({ "value": after, "version": version, "source": change.origin().to_string() })
                        .to_string();
                append_audit(
                    tx,
                    actor,
                    "rule_set",
                    AuditTarget::RuleSet(key),
                    "ok",
                    Some(&b),
                    Some(&a),
                )?;
            }
            Ok(RuleSetChange {
                version,
                changed,
                bureau,
            })
        });
        if let Err(e @ StoreError::Forbidden { .. }) = &result {
            self.note_refusal(actor, "rule_set", AuditTarget::RuleSetWhole, e);
        }
        result
    }
}
