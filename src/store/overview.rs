//! Aggregates for the overview tab and the rectification board: a handful
//! of grouped queries, each one pass over its table, cheap at 10× scale.

use super::codec::{decimal, decode};
use super::{Store, StoreError};
use crate::domain::model::GradeBands;
use crate::domain::money::fen_to_yuan;
use crate::domain::{Grade, RectState, Stage};
use chrono::NaiveDate;
use rusqlite::params;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// What one step of the year covers: units and funds (the seed's 两个全覆盖).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    pub step: CoverageStep,
    pub units: i64,
    /// 元 of the projects covered.
    pub funds: Decimal,
}

/// The steps whose coverage is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoverageStep {
    /// Projects with indicators (绩效目标申报).
    TargetsSubmitted,
    /// Target-audit items decided.
    TargetsReviewed,
    /// Projects with a self-evaluation (绩效自评).
    SelfEvaluated,
    /// Self-evaluation items decided.
    SelfEvalReviewed,
}

/// Items of one stage in one 业务科室 and how many are decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionProgress {
    pub section: String,
    pub stage: Stage,
    pub total: i64,
    pub decided: i64,
}

/// Everything the overview tab shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Overview {
    pub year: Option<i32>,
    pub units_total: i64,
    /// 元 of every project of the year.
    pub funds_total: Decimal,
    pub coverage: Vec<Coverage>,
    pub sections: Vec<SectionProgress>,
    /// Monitoring items with an exception (a warning or blocking finding), per section.
    pub exceptions: Vec<(String, i64)>,
    /// Self-evaluation grades (by the band of the self score) and key-evaluation grades.
    pub self_grades: Vec<(Grade, i64)>,
    pub key_grades: Vec<(Grade, i64)>,
    pub rect_by_state: Vec<(RectState, i64)>,
    pub rect_overdue: i64,
}

/// A rectification's unit and project names, for the board.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RectLabels {
    pub unit_name: String,
    pub project_name: String,
}

impl Store {
    /// The overview of the latest year, overdue counted against `today`.
    pub fn overview(&self, bands: &GradeBands, today: NaiveDate) -> Result<Overview, StoreError> {
        let Some(year) = self.latest_year()? else {
            return Ok(Overview::default());
        };
        let conn = &self.conn;
        let units_total: i64 = conn.query_row("SELECT COUNT(*) FROM unit", [], |r| r.get(0))?;
        let funds_total: i64 = conn.query_row(
            "SELECT COALESCE(SUM(amount_fen), 0) FROM project WHERE year = ?1",
            [year],
            |r| r.get(0),
        )?;
        // One pass over the projects: each flag says whether the project counts for a step.
        // `key_eval_id IS NULL` lets SQLite use the partial index review(project_id, stage):
        // without it this query scans the reviews once per project (3 s at demo scale, 7 ms with).
        let mut stmt = conn.prepare_cached(
            "SELECT p.unit_code, p.amount_fen,
                    EXISTS (SELECT 1 FROM indicator i WHERE i.project_id = p.id),
                    EXISTS (SELECT 1 FROM review r WHERE r.project_id = p.id AND r.stage = 'target' AND r.key_eval_id IS NULL
                            AND r.state IN ('approved', 'returned')),
                    EXISTS (SELECT 1 FROM self_eval s WHERE s.project_id = p.id),
                    EXISTS (SELECT 1 FROM review r WHERE r.project_id = p.id AND r.stage = 'self-eval' AND r.key_eval_id IS NULL
                            AND r.state IN ('approved', 'returned'))
             FROM project p WHERE p.year = ?1",
        )?;
        let steps = [
            CoverageStep::TargetsSubmitted,
            CoverageStep::TargetsReviewed,
            CoverageStep::SelfEvaluated,
            CoverageStep::SelfEvalReviewed,
        ];
        let mut units: Vec<std::collections::HashSet<String>> = vec![Default::default(); steps.len()];
        let mut funds = [0i64; 4];
        let mut rows = stmt.query([year])?;
        while let Some(r) = rows.next()? {
            let unit: String = r.get(0)?;
            let amount: i64 = r.get(1)?;
            for i in 0..steps.len() {
                if r.get::<_, bool>(2 + i)? {
                    units[i].insert(unit.clone());
                    funds[i] += amount;
                }
            }
        }
        let coverage = steps
            .iter()
            .enumerate()
            .map(|(i, step)| Coverage {
                step: *step,
                units: units[i].len() as i64,
                funds: fen_to_yuan(funds[i]),
            })
            .collect();

        let mut sections = Vec::new();
        let mut stmt = conn.prepare_cached(
            "SELECT u.section, r.stage, COUNT(*), SUM(r.state IN ('approved', 'returned'))
             FROM review r JOIN unit u ON u.code = r.unit_code GROUP BY u.section, r.stage ORDER BY u.section",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            sections.push(SectionProgress {
                section: r.get(0)?,
                stage: decode(&r.get::<_, String>(1)?, Stage::from_code)?,
                total: r.get(2)?,
                decided: r.get(3)?,
            });
        }

        let mut stmt = conn.prepare_cached(
            "SELECT u.section, COUNT(*) FROM review r JOIN unit u ON u.code = r.unit_code
             WHERE r.stage = 'monitoring' AND r.blocking + r.warning > 0 GROUP BY u.section ORDER BY u.section",
        )?;
        let exceptions = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;

        let mut self_grades: HashMap<Grade, i64> = HashMap::new();
        let mut stmt = conn.prepare_cached(
            "SELECT s.self_score FROM self_eval s JOIN project p ON p.id = s.project_id WHERE p.year = ?1",
        )?;
        let mut rows = stmt.query([year])?;
        while let Some(r) = rows.next()? {
            *self_grades
                .entry(bands.grade(decimal(&r.get::<_, String>(0)?)?))
                .or_default() += 1;
        }
        let mut key_grades: HashMap<Grade, i64> = HashMap::new();
        let mut stmt = conn.prepare_cached(
            "SELECT grade, COUNT(*) FROM key_eval WHERE year = ?1 AND grade IS NOT NULL GROUP BY grade",
        )?;
        let mut rows = stmt.query([year])?;
        while let Some(r) = rows.next()? {
            key_grades.insert(decode(&r.get::<_, String>(0)?, Grade::from_code)?, r.get(1)?);
        }
        let in_order = |m: &HashMap<Grade, i64>| -> Vec<(Grade, i64)> {
            Grade::ALL
                .iter()
                .map(|g| (*g, m.get(g).copied().unwrap_or(0)))
                .collect()
        };

        let mut rect_by_state = Vec::new();
        let mut rect_overdue = 0;
        let mut stmt = conn.prepare_cached(
            "SELECT state, COUNT(*), SUM(state <> 'verified' AND deadline < ?1) FROM rectification GROUP BY state",
        )?;
        let mut rows = stmt.query(params![today.to_string()])?;
        while let Some(r) = rows.next()? {
            rect_by_state.push((decode(&r.get::<_, String>(0)?, RectState::from_code)?, r.get(1)?));
            rect_overdue += r.get::<_, i64>(2)?;
        }
        rect_by_state.sort_by_key(|(s, _)| *s);

        Ok(Overview {
            year: Some(year),
            units_total,
            funds_total: fen_to_yuan(funds_total),
            coverage,
            sections,
            exceptions,
            self_grades: in_order(&self_grades),
            key_grades: in_order(&key_grades),
            rect_by_state,
            rect_overdue,
        })
    }

    /// Unit and project names of every rectification, by rectification id.
    pub fn rect_labels(&self) -> Result<HashMap<i64, RectLabels>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT x.id, COALESCE(u.name, x.unit_code),
                    COALESCE((SELECT p.name FROM project p WHERE p.code = x.project_code ORDER BY p.year DESC LIMIT 1), '')
             FROM rectification x LEFT JOIN unit u ON u.code = x.unit_code",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                RectLabels {
                    unit_name: r.get(1)?,
                    project_name: r.get(2)?,
                },
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
