//! Aggregates for the overview tab and the rectification board: a handful
//! of grouped queries, each one pass over its table, cheap at 10× scale.

use super::codec::{decimal, decode, decode_opt};
use super::{Store, StoreError};
use crate::domain::model::GradeBands;
use crate::domain::money::fen_to_yuan;
use crate::domain::result_application::{grade_basis, key_eval_grade};
use crate::domain::{Grade, RectState, Stage};
use chrono::NaiveDate;
use rusqlite::params;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// What one step of the year covers: units and funds (the seed's 两个全覆盖).
/// Both count the same thing, the projects the step has covered: the funds
/// are their amounts, and a unit counts as covered once every project of its
/// year is (so a unit with one project reviewed out of twenty is `units_partly`,
/// not covered — the funds gauge could never reach 100 % beside it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    pub step: CoverageStep,
    /// Units every project of which the step covers.
    pub units: i64,
    /// Units some but not all of whose projects the step covers.
    pub units_partly: i64,
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
    /// The grade result application (tab 7) uses, per project: its key
    /// evaluation's, else its self-evaluation's as recomputed from the
    /// indicators (the stored figure) — the same rows and grades as tab 7.
    pub used_grades: Vec<(Grade, i64)>,
    /// Self-evaluations by the band of the unit's own score, and key
    /// evaluations by the firm's grade: what was reported, before review.
    pub self_grades: Vec<(Grade, i64)>,
    pub key_grades: Vec<(Grade, i64)>,
    pub rect_by_state: Vec<(RectState, i64)>,
    pub rect_overdue: i64,
}

/// Every rectification of the ledger (all years, as the board lists them)
/// by state, and how many are past their deadline and not signed off.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RectCounts {
    pub by_state: Vec<(RectState, i64)>,
    pub overdue: i64,
}

impl RectCounts {
    pub fn total(&self) -> i64 {
        self.by_state.iter().map(|(_, n)| n).sum()
    }
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
        // Per unit and step: (projects covered, projects of the unit).
        let mut units: HashMap<String, [(i64, i64); 4]> = HashMap::new();
        let mut funds = [0i64; 4];
        let mut rows = stmt.query([year])?;
        while let Some(r) = rows.next()? {
            let unit: String = r.get(0)?;
            let amount: i64 = r.get(1)?;
            let counts = units.entry(unit).or_default();
            for (i, count) in counts.iter_mut().enumerate() {
                count.1 += 1;
                if r.get::<_, bool>(2 + i)? {
                    count.0 += 1;
                    funds[i] += amount;
                }
            }
        }
        let coverage = steps
            .iter()
            .enumerate()
            .map(|(i, step)| Coverage {
                step: *step,
                units: units.values().filter(|c| c[i].0 == c[i].1).count() as i64,
                units_partly: units.values().filter(|c| c[i].0 > 0 && c[i].0 < c[i].1).count() as i64,
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
        let used_grades = self.used_grades(year, bands)?;
        let in_order = |m: &HashMap<Grade, i64>| -> Vec<(Grade, i64)> {
            Grade::ALL
                .iter()
                .map(|g| (*g, m.get(g).copied().unwrap_or(0)))
                .collect()
        };

        let rects = self.rect_counts(today)?;

        Ok(Overview {
            year: Some(year),
            units_total,
            funds_total: fen_to_yuan(funds_total),
            coverage,
            sections,
            exceptions,
            used_grades: in_order(&used_grades),
            self_grades: in_order(&self_grades),
            key_grades: in_order(&key_grades),
            rect_by_state: rects.by_state,
            rect_overdue: rects.overdue,
        })
    }

    /// The rectification ledger by state, overdue counted against `today` as
    /// `Rectification::is_overdue` does (past the deadline day, not signed
    /// off): what the overview, the board and the demo summary each show.
    pub fn rect_counts(&self, today: NaiveDate) -> Result<RectCounts, StoreError> {
        let mut out = RectCounts::default();
        let mut stmt = self.conn.prepare_cached(
            "SELECT state, COUNT(*), SUM(state <> 'verified' AND deadline < ?1) FROM rectification GROUP BY state",
        )?;
        let mut rows = stmt.query(params![today.to_string()])?;
        while let Some(r) = rows.next()? {
            out.by_state
                .push((decode(&r.get::<_, String>(0)?, RectState::from_code)?, r.get(1)?));
            out.overdue += r.get::<_, i64>(2)?;
        }
        out.by_state.sort_by_key(|(s, _)| *s);
        Ok(out)
    }

    /// Projects of `year` by the grade result application uses (tab 7's rows
    /// and rule: a key evaluation's grade — the firm's, else its score's band
    /// — over the self-evaluation's recomputed grade), read from the stored
    /// figures, not rescored. A project with neither item, or with a
    /// self-evaluation item but no self-evaluation and no key grade, has none.
    fn used_grades(&self, year: i32, bands: &GradeBands) -> Result<HashMap<Grade, i64>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT sr.id, sr.figure_grade, kr.id, k.grade, k.score
             FROM project p
             LEFT JOIN review sr ON sr.id =
                 (SELECT r.id FROM review r WHERE r.project_id = p.id AND r.stage = ?2 AND r.key_eval_id IS NULL)
             LEFT JOIN key_eval k ON k.project_id = p.id
             LEFT JOIN review kr ON kr.key_eval_id = k.id
             WHERE p.year = ?1",
        )?;
        let mut rows = stmt.query(params![year, Stage::SelfEval.code()])?;
        let mut out: HashMap<Grade, i64> = HashMap::new();
        while let Some(r) = rows.next()? {
            let (self_review, key_review): (Option<i64>, Option<i64>) = (r.get(0)?, r.get(2)?);
            let from_self = match self_review {
                Some(_) => decode_opt(r.get(1)?, Grade::from_code)?,
                None => None,
            };
            let from_key = match key_review {
                Some(_) => key_eval_grade(
                    decode_opt(r.get(3)?, Grade::from_code)?,
                    r.get::<_, Option<String>>(4)?.map(|t| decimal(&t)).transpose()?,
                    bands,
                ),
                None => None,
            };
            if let Some((grade, _)) = grade_basis(from_key, from_self) {
                *out.entry(grade).or_default() += 1;
            }
        }
        Ok(out)
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
