//! Reads a whole review year back into domain records, for the findings engine
//! and for `jixiao check`. One query per table, ordered as loaded.

use super::codec::{date, decimal, decode, decode_opt};
use super::queue::{REVIEW_SELECT, review_from_row};
use super::{Store, StoreError};
use crate::domain::dataset::Dataset;
use crate::domain::money::fen_to_yuan;
use crate::domain::params::RuleParams;
use crate::domain::rules::{Evaluation, Snapshot, evaluate};
use crate::domain::*;
use chrono::NaiveDate;

/// Columns of a key evaluation as `key_eval_from_row` reads them.
pub(super) const KEY_EVAL_SELECT: &str = "SELECT year, object_code, firm, amount_fen, score, grade, working_papers_on,
        receipt_on, feedback_on, problems FROM key_eval";

pub(super) fn key_eval_from_row(r: &rusqlite::Row<'_>) -> Result<KeyEval, StoreError> {
    Ok(KeyEval {
        year: r.get(0)?,
        object_code: r.get(1)?,
        firm: r.get(2)?,
        amount: fen_to_yuan(r.get(3)?),
        score: r.get::<_, Option<String>>(4)?.map(|s| decimal(&s)).transpose()?,
        grade: decode_opt(r.get(5)?, Grade::from_code)?,
        documents: KeyEvalDocuments {
            working_papers: opt_date(r.get(6)?)?,
            receipt: opt_date(r.get(7)?)?,
            feedback: opt_date(r.get(8)?)?,
        },
        problems: serde_json::from_str(&r.get::<_, String>(9)?)?,
    })
}

/// Runs a query and maps every row.
fn query_children<T>(
    store: &Store,
    sql: &str,
    args: impl rusqlite::Params,
    map: impl Fn(&rusqlite::Row<'_>) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    let mut stmt = store.conn.prepare(sql)?;
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

impl Store {
    /// Every record, review and rectification of `year`.
    pub fn snapshot(&self, year: i32) -> Result<Snapshot, StoreError> {
        let units = query_children(
            self,
            "SELECT code, name, department, section FROM unit ORDER BY code",
            [],
            |r| {
                Ok(Unit {
                    code: r.get(0)?,
                    name: r.get(1)?,
                    department: r.get(2)?,
                    section: r.get(3)?,
                })
            },
        )?;
        let projects = query_children(
            self,
            "SELECT year, code, unit_code, name, budget_kind, fund_kind, amount_fen, annual_goal
             FROM project WHERE year = ?1 ORDER BY id",
            [year],
            |r| {
                Ok(Project {
                    year: r.get(0)?,
                    code: r.get(1)?,
                    unit_code: r.get(2)?,
                    name: r.get(3)?,
                    budget_kind: decode(&r.get::<_, String>(4)?, BudgetKind::from_code)?,
                    fund_kind: decode(&r.get::<_, String>(5)?, FundKind::from_code)?,
                    amount: fen_to_yuan(r.get(6)?),
                    annual_goal: r.get(7)?,
                })
            },
        )?;
        let indicators = query_children(
            self,
            "SELECT p.code, i.level1, i.level2, i.name, i.direction, i.target_value, i.measure_unit, i.weight, i.explanation
             FROM indicator i JOIN project p ON p.id = i.project_id WHERE p.year = ?1 ORDER BY i.project_id, i.seq",
            [year],
            |r| {
                Ok(Indicator {
                    project_code: r.get(0)?,
                    level1: decode(&r.get::<_, String>(1)?, Level1::from_code)?,
                    level2: decode(&r.get::<_, String>(2)?, Level2::from_code)?,
                    name: r.get(3)?,
                    direction: decode(&r.get::<_, String>(4)?, Direction::from_code)?,
                    target_value: r.get(5)?,
                    measure_unit: r.get(6)?,
                    weight: r.get::<_, Option<String>>(7)?.map(|w| decimal(&w)).transpose()?,
                    explanation: r.get(8)?,
                })
            },
        )?;
        let monitoring = query_children(
            self,
            "SELECT p.code, m.period, m.executed_fen, m.explanation, m.measures
             FROM monitoring m JOIN project p ON p.id = m.project_id WHERE p.year = ?1 ORDER BY m.project_id, m.seq",
            [year],
            |r| {
                Ok(Monitoring {
                    project_code: r.get(0)?,
                    period: r.get(1)?,
                    executed: fen_to_yuan(r.get(2)?),
                    explanation: r.get(3)?,
                    measures: r.get(4)?,
                })
            },
        )?;
        let progress = query_children(
            self,
            "SELECT p.code, g.indicator_name, g.current_value, g.expected_value, g.likelihood, g.reason, g.action
             FROM indicator_progress g JOIN project p ON p.id = g.project_id WHERE p.year = ?1
             ORDER BY g.project_id, g.seq",
            [year],
            |r| {
                Ok(IndicatorProgress {
                    project_code: r.get(0)?,
                    indicator_name: r.get(1)?,
                    current_value: r.get(2)?,
                    expected_value: r.get(3)?,
                    likelihood: decode_opt(r.get(4)?, Likelihood::from_code)?,
                    reason: r.get(5)?,
                    action: r.get(6)?,
                })
            },
        )?;
        let self_evals = query_children(
            self,
            "SELECT p.code, s.executed_fen, s.self_score, s.self_grade, s.report, s.problems, s.measures
             FROM self_eval s JOIN project p ON p.id = s.project_id WHERE p.year = ?1 ORDER BY s.project_id, s.seq",
            [year],
            |r| {
                Ok(SelfEval {
                    project_code: r.get(0)?,
                    executed: fen_to_yuan(r.get(1)?),
                    self_score: decimal(&r.get::<_, String>(2)?)?,
                    self_grade: decode_opt(r.get(3)?, Grade::from_code)?,
                    report: r.get(4)?,
                    problems: r.get(5)?,
                    measures: r.get(6)?,
                })
            },
        )?;
        let actuals = query_children(
            self,
            "SELECT p.code, a.indicator_name, a.actual_value, a.tier, a.deviation_reason
             FROM indicator_actual a JOIN project p ON p.id = a.project_id WHERE p.year = ?1
             ORDER BY a.project_id, a.seq",
            [year],
            |r| {
                Ok(IndicatorActual {
                    project_code: r.get(0)?,
                    indicator_name: r.get(1)?,
                    actual_value: r.get(2)?,
                    tier: decode_opt(r.get(3)?, QualTier::from_code)?,
                    deviation_reason: r.get(4)?,
                })
            },
        )?;
        let key_evals = query_children(
            self,
            &format!("{KEY_EVAL_SELECT} WHERE year = ?1 ORDER BY id"),
            [year],
            key_eval_from_row,
        )?;
        let reviews = query_children(
            self,
            &format!("{REVIEW_SELECT} WHERE COALESCE(p.year, k.year) = ?1 ORDER BY r.id"),
            [year],
            review_from_row,
        )?;
        let rectifications = self.rectifications(None)?;
        Ok(Snapshot {
            data: Dataset {
                units,
                projects,
                indicators,
                monitoring,
                progress,
                self_evals,
                actuals,
                key_evals,
            },
            reviews,
            rectifications,
        })
    }

    /// Recomputes every finding of the latest year and stores those that changed
    /// with their items, in one transaction. Returns the evaluation.
    pub fn refresh_findings(&mut self, params: &RuleParams, today: NaiveDate) -> Result<Evaluation, StoreError> {
        let Some(year) = self.latest_year()? else {
            return Ok(Evaluation::default());
        };
        let eval = evaluate(&self.snapshot(year)?, params, today);
        let changed: Vec<(i64, Vec<Finding>)> = eval
            .per_review
            .iter()
            .filter(|(id, found)| self.stored_findings_differ(*id, found).unwrap_or(true))
            .cloned()
            .collect();
        if !changed.is_empty() {
            self.replace_all_findings(&changed)?;
        }
        Ok(eval)
    }

    /// Whether the stored findings of a review are not exactly `found` (rule, severity, indicator, message).
    fn stored_findings_differ(&self, review_id: i64, found: &[Finding]) -> Result<bool, StoreError> {
        let stored = self.findings_for(review_id)?;
        Ok(stored.len() != found.len()
            || stored.iter().zip(found).any(|(a, b)| {
                a.rule != b.rule || a.severity != b.severity || a.indicator != b.indicator || a.message != b.message
            }))
    }
}
