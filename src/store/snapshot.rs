//! Reads a whole review year back into domain records, for the findings engine
//! and for `jixiao check`. One query per table, ordered as loaded. The child
//! tables are read project by project in id order (`CROSS JOIN`, `+p.year`
//! keeps the planner off the year index) so that SQLite walks the
//! (project_id, seq) index in order instead of sorting the year's rows.

mod parallel;
mod split;

use super::codec::{date, decimal, decode};
use super::queue::{REVIEW_SELECT, review_from_row};
use super::{Store, StoreError};
use crate::domain::money::fen_to_yuan;
use crate::domain::params::RuleParams;
use crate::domain::rules::{Evaluation, Snapshot};
use crate::domain::*;
use chrono::NaiveDate;
use rusqlite::Connection;

/// Columns of a key evaluation as `key_eval_from_row` reads them.
pub(super) const KEY_EVAL_SELECT: &str = "SELECT year, object_code, firm, amount_fen, score, grade, working_papers_on,
        receipt_on, feedback_on, problems FROM key_eval";

pub(super) fn key_eval_from_row(r: &rusqlite::Row<'_>) -> Result<KeyEval, StoreError> {
    Ok(KeyEval {
        year: r.get(0)?,
        object_code: r.get(1)?,
        firm: r.get(2)?,
        amount: fen_to_yuan(r.get(3)?),
        score: decimal_opt(r, 4)?,
        grade: code_opt(r, 5, Grade::from_code)?,
        documents: KeyEvalDocuments {
            working_papers: opt_date(r.get(6)?)?,
            receipt: opt_date(r.get(7)?)?,
            feedback: opt_date(r.get(8)?)?,
        },
        problems: serde_json::from_str(&r.get::<_, String>(9)?)?,
    })
}

/// Columns of a project (`p`) as `project_from_row` reads them.
pub(super) const PROJECT_COLUMNS: &str =
    "p.year, p.code, p.unit_code, p.name, p.budget_kind, p.fund_kind, p.amount_fen, p.annual_goal";

pub(super) fn project_from_row(r: &rusqlite::Row<'_>) -> Result<Project, StoreError> {
    Ok(Project {
        year: r.get(0)?,
        code: r.get(1)?,
        unit_code: r.get(2)?,
        name: r.get(3)?,
        budget_kind: code(r, 4, BudgetKind::from_code)?,
        fund_kind: code(r, 5, FundKind::from_code)?,
        amount: fen_to_yuan(r.get(6)?),
        annual_goal: r.get(7)?,
    })
}

/// Columns of an indicator (`i`, with its project `p`) as `indicator_from_row` reads them.
pub(super) const INDICATOR_COLUMNS: &str = "p.code, i.level1, i.level2, i.name, i.direction, i.target_value,
        i.measure_unit, i.weight, i.explanation";

pub(super) fn indicator_from_row(r: &rusqlite::Row<'_>) -> Result<Indicator, StoreError> {
    Ok(Indicator {
        project_code: r.get(0)?,
        level1: code(r, 1, Level1::from_code)?,
        level2: code(r, 2, Level2::from_code)?,
        name: r.get(3)?,
        direction: code(r, 4, Direction::from_code)?,
        target_value: r.get(5)?,
        measure_unit: r.get(6)?,
        weight: decimal_opt(r, 7)?,
        explanation: r.get(8)?,
    })
}

/// Columns of a self-evaluation (`s`, with its project `p`) as `self_eval_from_row` reads them.
pub(super) const SELF_EVAL_COLUMNS: &str =
    "p.code, s.executed_fen, s.self_score, s.self_grade, s.report, s.problems, s.measures";

pub(super) fn self_eval_from_row(r: &rusqlite::Row<'_>) -> Result<SelfEval, StoreError> {
    Ok(SelfEval {
        project_code: r.get(0)?,
        executed: fen_to_yuan(r.get(1)?),
        self_score: decimal(text_ref(r, 2)?.unwrap_or(""))?,
        self_grade: code_opt(r, 3, Grade::from_code)?,
        report: r.get(4)?,
        problems: r.get(5)?,
        measures: r.get(6)?,
    })
}

/// Columns of an indicator's actual value (`a`, with its project `p`) as `actual_from_row` reads them.
pub(super) const ACTUAL_COLUMNS: &str = "p.code, a.indicator_name, a.actual_value, a.tier, a.deviation_reason";

pub(super) fn actual_from_row(r: &rusqlite::Row<'_>) -> Result<IndicatorActual, StoreError> {
    Ok(IndicatorActual {
        project_code: r.get(0)?,
        indicator_name: r.get(1)?,
        actual_value: r.get(2)?,
        tier: code_opt(r, 3, QualTier::from_code)?,
        deviation_reason: r.get(4)?,
    })
}

/// A per-project sheet's table, read the same way by the snapshot, the
/// workspace and the import: `p` is the project, `ALIAS` the row.
pub(super) trait StoredChild: Sized {
    const TABLE: &'static str;
    const ALIAS: &'static str;
    /// `p.code`, then the row's own columns.
    const COLUMNS: &'static str;
    fn from_row(r: &rusqlite::Row<'_>) -> Result<Self, StoreError>;
}

/// What of a year is read: all of it, or only the records of some units
/// (after an import, the units it wrote).
#[derive(Debug, Clone, Copy)]
pub(super) struct Reading<'a> {
    pub year: i32,
    /// The units' codes as a JSON array, read in SQL by `json_each(?2)`.
    pub units: Option<&'a str>,
}

impl Reading<'_> {
    /// `?1` the year, and `?2` the units when only some are read.
    fn args(&self) -> rusqlite::ParamsFromIter<Vec<rusqlite::types::Value>> {
        let mut args = vec![rusqlite::types::Value::Integer(i64::from(self.year))];
        if let Some(units) = self.units {
            args.push(rusqlite::types::Value::Text(units.to_string()));
        }
        rusqlite::params_from_iter(args)
    }

    /// ` AND <column> is one of the units`, when only some are read.
    fn of_units(&self, column: &str) -> String {
        match self.units {
            Some(_) => format!(" AND {column} IN (SELECT value FROM json_each(?2))"),
            None => String::new(),
        }
    }
}

/// One project's rows, in form order.
pub(super) fn rows_of_project<T: StoredChild>(conn: &Connection, project_id: i64) -> Result<Vec<T>, StoreError> {
    query_children(conn, &child_select::<T>("p.id = ?1"), [project_id], T::from_row)
}

/// A year's rows (of some units), project by project in id order (`+p.year`
/// keeps the planner off the year index, see above).
fn rows_of_year<T: StoredChild>(conn: &Connection, reading: Reading<'_>) -> Result<Vec<T>, StoreError> {
    let filter = format!("+p.year = ?1{}", reading.of_units("p.unit_code"));
    query_children(conn, &child_select::<T>(&filter), reading.args(), T::from_row)
}

/// The rows of `T`'s table whose project `filter` keeps, in project and form order.
fn child_select<T: StoredChild>(filter: &str) -> String {
    format!(
        "SELECT {columns} FROM project p CROSS JOIN {table} {a} ON {a}.project_id = p.id
         WHERE {filter} ORDER BY p.id, {a}.seq",
        columns = T::COLUMNS,
        table = T::TABLE,
        a = T::ALIAS
    )
}

impl StoredChild for Indicator {
    const TABLE: &'static str = "indicator";
    const ALIAS: &'static str = "i";
    const COLUMNS: &'static str = INDICATOR_COLUMNS;
    fn from_row(r: &rusqlite::Row<'_>) -> Result<Self, StoreError> {
        indicator_from_row(r)
    }
}

impl StoredChild for SelfEval {
    const TABLE: &'static str = "self_eval";
    const ALIAS: &'static str = "s";
    const COLUMNS: &'static str = SELF_EVAL_COLUMNS;
    fn from_row(r: &rusqlite::Row<'_>) -> Result<Self, StoreError> {
        self_eval_from_row(r)
    }
}

impl StoredChild for IndicatorActual {
    const TABLE: &'static str = "indicator_actual";
    const ALIAS: &'static str = "a";
    const COLUMNS: &'static str = ACTUAL_COLUMNS;
    fn from_row(r: &rusqlite::Row<'_>) -> Result<Self, StoreError> {
        actual_from_row(r)
    }
}

impl StoredChild for Monitoring {
    const TABLE: &'static str = "monitoring";
    const ALIAS: &'static str = "m";
    const COLUMNS: &'static str = "p.code, m.period, m.executed_fen, m.explanation, m.measures";
    fn from_row(r: &rusqlite::Row<'_>) -> Result<Self, StoreError> {
        Ok(Monitoring {
            project_code: r.get(0)?,
            period: r.get(1)?,
            executed: fen_to_yuan(r.get(2)?),
            explanation: r.get(3)?,
            measures: r.get(4)?,
        })
    }
}

impl StoredChild for IndicatorProgress {
    const TABLE: &'static str = "indicator_progress";
    const ALIAS: &'static str = "g";
    const COLUMNS: &'static str =
        "p.code, g.indicator_name, g.current_value, g.expected_value, g.likelihood, g.reason, g.action";
    fn from_row(r: &rusqlite::Row<'_>) -> Result<Self, StoreError> {
        Ok(IndicatorProgress {
            project_code: r.get(0)?,
            indicator_name: r.get(1)?,
            current_value: r.get(2)?,
            expected_value: r.get(3)?,
            likelihood: code_opt(r, 4, Likelihood::from_code)?,
            reason: r.get(5)?,
            action: r.get(6)?,
        })
    }
}

/// Runs a query and maps every row.
fn query_children<T>(
    conn: &Connection,
    sql: &str,
    args: impl rusqlite::Params,
    map: impl Fn(&rusqlite::Row<'_>) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(args)?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(map(r)?);
    }
    Ok(out)
}

fn opt_date(text: Option<String>) -> Result<Option<NaiveDate>, StoreError> {
    text.map(|t| date(&t)).transpose()
}

/// A TEXT column borrowed in place: a year is tens of thousands of rows, and
/// an enum code or a decimal need no `String` of their own.
fn text_ref<'r>(r: &'r rusqlite::Row<'_>, i: usize) -> Result<Option<&'r str>, StoreError> {
    match r.get_ref(i)? {
        rusqlite::types::ValueRef::Null => Ok(None),
        value => Ok(Some(value.as_str().map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
        })?)),
    }
}

/// A stored enum code (NOT NULL column).
fn code<T>(r: &rusqlite::Row<'_>, i: usize, from_code: fn(&str) -> Option<T>) -> Result<T, StoreError> {
    decode(text_ref(r, i)?.unwrap_or(""), from_code)
}

/// A stored enum code that may be NULL.
fn code_opt<T>(r: &rusqlite::Row<'_>, i: usize, from_code: fn(&str) -> Option<T>) -> Result<Option<T>, StoreError> {
    text_ref(r, i)?.map(|c| decode(c, from_code)).transpose()
}

/// A decimal stored as TEXT that may be NULL.
fn decimal_opt(r: &rusqlite::Row<'_>, i: usize) -> Result<Option<rust_decimal::Decimal>, StoreError> {
    text_ref(r, i)?.map(decimal).transpose()
}

/// Each table of a year, read on its own (see `parallel` for how they are put together).
mod tables {
    use super::*;

    pub fn units(conn: &Connection, reading: Reading<'_>) -> Result<Vec<Unit>, StoreError> {
        let map = |r: &rusqlite::Row<'_>| {
            Ok(Unit {
                code: r.get(0)?,
                name: r.get(1)?,
                department: r.get(2)?,
                section: r.get(3)?,
            })
        };
        let select = "SELECT code, name, department, section FROM unit";
        match reading.units {
            None => query_children(conn, &format!("{select} ORDER BY code"), [], map),
            Some(units) => query_children(
                conn,
                &format!("{select} WHERE code IN (SELECT value FROM json_each(?1)) ORDER BY code"),
                [units],
                map,
            ),
        }
    }

    pub fn projects(conn: &Connection, reading: Reading<'_>) -> Result<Vec<Project>, StoreError> {
        query_children(
            conn,
            &format!(
                "SELECT {PROJECT_COLUMNS} FROM project p WHERE +p.year = ?1{} ORDER BY p.id",
                reading.of_units("p.unit_code")
            ),
            reading.args(),
            project_from_row,
        )
    }

    /// A unit's key evaluations: of the unit as a whole, or of its projects.
    pub fn key_evals(conn: &Connection, reading: Reading<'_>) -> Result<Vec<KeyEval>, StoreError> {
        let of_units = match reading.units {
            Some(_) => " AND (object_code IN (SELECT value FROM json_each(?2))
                          OR project_id IN (SELECT id FROM project WHERE unit_code IN (SELECT value FROM json_each(?2))))",
            None => "",
        };
        query_children(
            conn,
            &format!("{KEY_EVAL_SELECT} WHERE year = ?1{of_units} ORDER BY id"),
            reading.args(),
            key_eval_from_row,
        )
    }

    pub fn reviews(conn: &Connection, reading: Reading<'_>) -> Result<Vec<Review>, StoreError> {
        let of_units = match reading.units {
            Some(_) => {
                " AND (r.unit_code IN (SELECT value FROM json_each(?2))
                          OR p.unit_code IN (SELECT value FROM json_each(?2)))"
            }
            None => "",
        };
        query_children(
            conn,
            &format!("{REVIEW_SELECT} WHERE COALESCE(p.year, k.year) = ?1{of_units} ORDER BY r.id"),
            reading.args(),
            review_from_row,
        )
    }
}

impl Store {
    /// Every record, review and rectification of `year`, as of one moment:
    /// the tables are read on a few connections at once, and read again in
    /// one transaction if another connection committed meanwhile.
    pub fn snapshot(&self, year: i32) -> Result<Snapshot, StoreError> {
        parallel::consistent_snapshot(&self.conn, Reading { year, units: None })
    }

    /// Recomputes every finding of the latest year and stores those that
    /// changed with their items, in one transaction. Returns the evaluation
    /// (the rules run on a few threads, split by unit; the result is one pass's).
    ///
    /// The thresholds are the bureau's rule set in the file (`rule_set`):
    /// `params` are used only when they are that rule set, so that no
    /// caller's own configuration can change the shared findings.
    pub fn refresh_findings(&mut self, params: &RuleParams, today: NaiveDate) -> Result<Evaluation, StoreError> {
        self.refresh_findings_then(params, today, None, None, |_| Ok(()))
    }

    /// `refresh_findings` for the items of `units` only: what an import that
    /// wrote their records can have changed (an item's findings read its own
    /// unit's records only, and none depends on the date). One corrected
    /// workbook at ten times the demo's size is refreshed in milliseconds,
    /// not seconds. Half of the units or more are done as the whole year.
    /// The evaluation returned holds those items and units only.
    pub fn refresh_findings_of_units(
        &mut self,
        params: &RuleParams,
        today: NaiveDate,
        units: &std::collections::BTreeSet<String>,
    ) -> Result<Evaluation, StoreError> {
        self.refresh_units_of_year(params, today, None, units)
    }

    /// Refreshes every unit whose findings lag its data (marked by the load
    /// that changed it, in the same transaction), year by year, and clears
    /// the marks: what an import does after loading, so that a run that was
    /// interrupted before its refresh — killed, hung up, out of disk — is
    /// repaired by the next import even of unchanged files. Returns how many
    /// (unit, year) pairs were refreshed.
    pub fn refresh_stale_findings(&mut self, params: &RuleParams, today: NaiveDate) -> Result<usize, StoreError> {
        let stale = super::findings::stale_units(&self.conn)?;
        let mut refreshed = 0;
        for (year, units) in stale {
            self.refresh_units_of_year(params, today, Some(year), &units)?;
            refreshed += units.len();
        }
        Ok(refreshed)
    }

    /// The refresh of `units` in `year` (the latest when `None`); half of the
    /// units or more are done as the whole year.
    fn refresh_units_of_year(
        &mut self,
        params: &RuleParams,
        today: NaiveDate,
        year: Option<i32>,
        units: &std::collections::BTreeSet<String>,
    ) -> Result<Evaluation, StoreError> {
        let all: i64 = self.conn.query_row("SELECT COUNT(*) FROM unit", [], |r| r.get(0))?;
        // Findings of an older rule set are redone everywhere, not only here.
        if units.len() * 2 >= all as usize || super::rule_set::findings_stale_in(&self.conn)? {
            return self.refresh_findings_then(params, today, year, None, |_| Ok(()));
        }
        let json = serde_json::to_string(units)?;
        self.refresh_findings_then(params, today, year, Some(&json), |_| Ok(()))
    }

    /// A refresh of all units or of `units` (a JSON array) of `year` (the
    /// latest when `None`), running `meanwhile` between the reading and the
    /// writing, where another connection's commit may fall (the tests stage
    /// one). The marks of lagging findings of what it stored are cleared in
    /// the same transaction.
    fn refresh_findings_then(
        &mut self,
        params: &RuleParams,
        today: NaiveDate,
        year: Option<i32>,
        units: Option<&str>,
        meanwhile: impl FnOnce(&Store) -> Result<(), StoreError>,
    ) -> Result<Evaluation, StoreError> {
        let requested = year;
        let Some(year) = requested.map_or_else(|| self.latest_year(), |y| Ok(Some(y)))? else {
            return Ok(Evaluation::default());
        };
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
        let evaluate = |s: Snapshot, params: &RuleParams| split::evaluate_split(s, params, today, threads);
        let rule_set = super::rule_set::rule_set_in(&self.conn)?;
        if rule_set.bureau.rules != *params {
            tracing::warn!("findings refreshed with the rule set in the file, not the caller's thresholds");
        }
        // The log left by the writes before (an import's megabytes) is copied
        // into the file while the rules run, not at this refresh's commit.
        let checkpoint = super::checkpoint::Checkpoint::start(&self.conn);
        // Read and evaluate without the write lock; if another connection
        // committed meanwhile, read and evaluate again under it, so that what
        // is stored is never older than the data.
        let version = super::data_version(&self.conn)?;
        let first = evaluate(
            parallel::read_snapshot(&self.conn, Reading { year, units })?,
            &rule_set.bureau.rules,
        );
        checkpoint.wait();
        meanwhile(self)?;
        self.write(|tx| {
            // An admin may have changed the rule set meanwhile: then its new version.
            let now_version = super::rule_set::version_in(tx)?;
            let (eval, year) = if super::data_version(tx)? == version && now_version == rule_set.version {
                (first, year)
            } else {
                let rules = if now_version == rule_set.version {
                    rule_set.bureau.rules.clone()
                } else {
                    super::rule_set::rule_set_in(tx)?.bureau.rules
                };
                // The latest year may have moved on; a year asked for stays.
                let year = match requested {
                    Some(year) => year,
                    None => super::lookup::latest_year(tx)?.unwrap_or(year),
                };
                let eval = evaluate(parallel::read_in_one_transaction(tx, Reading { year, units })?, &rules);
                (eval, year)
            };
            super::findings::store_changed_in(tx, &eval.per_review)?;
            super::figures::store_changed_figures_in(tx, &eval.figures)?;
            super::findings::clear_stale_in(tx, year, units)?;
            if units.is_none() {
                super::figures::clear_stale_in(tx)?;
                super::rule_set::stamp_findings_in(tx, now_version)?;
            }
            Ok(eval)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::demo::DemoOptions;
    use crate::domain::rules::evaluate;
    use crate::store::demo::build_demo;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 3, 1).expect("date")
    }

    /// A small demo year in a database file.
    fn demo_file() -> (tempfile::TempDir, std::path::PathBuf, Store) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("demo.db");
        let mut store = Store::open(&path).expect("open");
        let options = DemoOptions {
            units: 8,
            ..DemoOptions::default()
        };
        build_demo(&mut store, &options, &Config::defaults().rules, today(), "tester").expect("demo");
        (dir, path, store)
    }

    #[test]
    fn three_connections_read_what_one_transaction_reads() {
        let (_dir, _path, store) = demo_file();
        let year = store.latest_year().unwrap().unwrap();
        let parallel = parallel::read_snapshot(&store.conn, Reading { year, units: None }).unwrap();
        let tx = rusqlite::Transaction::new_unchecked(&store.conn, rusqlite::TransactionBehavior::Deferred).unwrap();
        let one = parallel::read_in_one_transaction(&tx, Reading { year, units: None }).unwrap();
        assert!(one.data.indicators.len() > 100 && !one.reviews.is_empty());
        assert_eq!(parallel.data, one.data);
        assert_eq!(format!("{:?}", parallel.reviews), format!("{:?}", one.reviews));
        assert_eq!(
            format!("{:?}", parallel.rectifications),
            format!("{:?}", one.rectifications)
        );
    }

    /// Every item's stored findings, as (rule, message) lists by item id.
    fn stored(store: &Store, ids: impl Iterator<Item = i64>) -> Vec<(i64, Vec<(String, String)>)> {
        ids.map(|id| {
            let found = store.findings_for(id).unwrap();
            (
                id,
                found.iter().map(|f| (f.rule.to_string(), f.message.clone())).collect(),
            )
        })
        .collect()
    }

    #[test]
    fn a_refresh_of_the_units_an_import_wrote_stores_what_a_whole_refresh_would() {
        let (_dir, _path, mut store) = demo_file();
        let rules = Config::defaults().rules;
        let year = store.latest_year().unwrap().unwrap();
        let before = store.snapshot(year).unwrap();
        let unit = before.data.units[3].code.clone();
        // The unit's 部门整体 project loses its indicators (an import would do it).
        store
            .conn
            .execute(
                "DELETE FROM indicator WHERE project_id IN (SELECT id FROM project WHERE code = ?1)",
                [&unit],
            )
            .unwrap();
        let units = std::collections::BTreeSet::from([unit.clone()]);
        let eval = store.refresh_findings_of_units(&rules, today(), &units).unwrap();
        let theirs: Vec<i64> = before
            .reviews
            .iter()
            .filter(|r| r.unit_code == unit)
            .map(|r| r.id)
            .collect();
        assert!(!theirs.is_empty());
        assert_eq!(
            eval.per_review.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
            theirs,
            "only the unit's items were read and evaluated"
        );
        let whole = evaluate(&store.snapshot(year).unwrap(), &rules, today());
        let said = |f: &[Finding]| -> Vec<(String, String)> {
            f.iter().map(|f| (f.rule.to_string(), f.message.clone())).collect()
        };
        let expected: Vec<(i64, Vec<(String, String)>)> =
            whole.per_review.iter().map(|(id, f)| (*id, said(f))).collect();
        assert_eq!(stored(&store, whole.per_review.iter().map(|(id, _)| *id)), expected);
        assert!(
            stored(&store, theirs.into_iter())
                .iter()
                .any(|(_, f)| f.iter().any(|(rule, _)| rule == "T-NONE")),
            "the change shows"
        );
    }

    #[test]
    fn a_commit_between_reading_and_writing_is_not_overwritten_with_older_findings() {
        let (_dir, path, mut store) = demo_file();
        let rules = Config::defaults().rules;
        let year = store.latest_year().unwrap().unwrap();
        let target = store
            .snapshot(year)
            .unwrap()
            .reviews
            .into_iter()
            .find(|r| {
                r.stage == crate::domain::Stage::Target
                    && !store.findings_for(r.id).unwrap().iter().any(|f| f.rule == "T-NONE")
            })
            .expect("a target item");
        let code = target.project_code.clone().expect("a project");
        // Another reviewer's import takes every indicator of the project away
        // after this refresh has read the year.
        let eval = store
            .refresh_findings_then(&rules, today(), None, None, |_| {
                let other = Store::open(&path)?;
                other.conn.execute(
                    "DELETE FROM indicator WHERE project_id = (SELECT id FROM project WHERE code = ?1)",
                    [&code],
                )?;
                Ok(())
            })
            .unwrap();
        let now = evaluate(&store.snapshot(year).unwrap(), &rules, today());
        let current = |e: &Evaluation| {
            e.per_review
                .iter()
                .find(|(id, _)| *id == target.id)
                .map(|(_, f)| f.clone())
        };
        assert_eq!(current(&eval), current(&now), "the refresh re-read the changed year");
        // What is stored is what the rules say now (a finding is stored
        // without its project, which the item gives back when read).
        let said = |f: &[Finding]| -> Vec<(String, String)> {
            f.iter().map(|f| (f.rule.to_string(), f.message.clone())).collect()
        };
        let stored = store.findings_for(target.id).unwrap();
        assert_eq!(Some(said(&stored)), current(&now).as_deref().map(said));
        assert!(stored.iter().any(|f| f.rule == "T-NONE"), "{stored:?}");
    }
}
