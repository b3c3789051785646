//! Runs every rule over a whole review year: one pure pass that the store uses
//! to cache findings with their items and `jixiao check` uses to report them.

use super::{
    key_eval_findings_in, monitoring_findings, rectification_findings, review_findings, self_eval_findings_scored,
    target_findings, unit_findings,
};
use crate::domain::dataset::Dataset;
use crate::domain::labels::Grade;
use crate::domain::labels::{FundKind, Stage};
use crate::domain::model::*;
use crate::domain::params::RuleParams;
use crate::domain::result_application::key_eval_grade;
use crate::domain::scoring::{ScoreInput, score};
use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};
use std::borrow::Cow;
use std::collections::HashMap;

/// A year's records with the review items and rectifications made on them.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub data: Dataset,
    /// Every review item; `project_code` is the key evaluation's object code for key-eval items.
    pub reviews: Vec<Review>,
    pub rectifications: Vec<Rectification>,
}

/// Findings per review item, and those that belong to no item (a unit with no
/// 部门整体 project to hang them on; rectifications).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evaluation {
    pub per_review: Vec<(i64, Vec<Finding>)>,
    pub unattached: Vec<Finding>,
    /// The key figure of every item of `per_review` (same order), stored with
    /// its findings so that a stage's list shows it without recomputing.
    pub figures: Vec<(i64, ItemFigure)>,
}

/// The figure a stage's list shows beside an item, derived from the same
/// records and in the same pass as its findings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ItemFigure {
    /// Monitoring: executed ÷ budget of the latest period (cut, never rounded
    /// up, at six decimals: a rate under the threshold stays under it).
    pub rate: Option<Decimal>,
    /// Self-evaluation: the unit's own score.
    pub self_score: Option<Decimal>,
    /// Self-evaluation: the score recomputed from the indicators (what tab 7
    /// grades by); key evaluation: the firm's score.
    pub score: Option<Decimal>,
    /// Self-evaluation: the recomputed score's grade; key evaluation: the
    /// firm's grade, else its score's band (as tab 7 takes it).
    pub grade: Option<Grade>,
}

impl Evaluation {
    /// Every finding, item findings first, in a stable order.
    pub fn all(&self) -> impl Iterator<Item = &Finding> {
        self.per_review
            .iter()
            .flat_map(|(_, f)| f.iter())
            .chain(self.unattached.iter())
    }
}

/// Records of one project, grouped once so each rule reads only its own.
/// A project's rows are borrowed where they lie together, as a year read
/// from the store has them; they are copied only when they are scattered.
#[derive(Default)]
struct ProjectRecords<'a> {
    indicators: Cow<'a, [Indicator]>,
    monitoring: Option<&'a Monitoring>,
    progress: Cow<'a, [IndicatorProgress]>,
    self_eval: Option<&'a SelfEval>,
    actuals: Cow<'a, [IndicatorActual]>,
}

fn group(data: &Dataset) -> HashMap<&str, ProjectRecords<'_>> {
    let mut by: HashMap<&str, ProjectRecords> = HashMap::with_capacity(data.projects.len());
    for (code, rows) in runs(&data.indicators, |i| &i.project_code) {
        append(&mut by.entry(code).or_default().indicators, rows);
    }
    // The latest period is the one that counts (the October table).
    for m in &data.monitoring {
        let slot = &mut by.entry(m.project_code.as_str()).or_default().monitoring;
        if slot.is_none_or(|old| old.period <= m.period) {
            *slot = Some(m);
        }
    }
    for (code, rows) in runs(&data.progress, |g| &g.project_code) {
        append(&mut by.entry(code).or_default().progress, rows);
    }
    for s in &data.self_evals {
        by.entry(s.project_code.as_str()).or_default().self_eval = Some(s);
    }
    for (code, rows) in runs(&data.actuals, |a| &a.project_code) {
        append(&mut by.entry(code).or_default().actuals, rows);
    }
    by
}

/// Consecutive rows of the same project, in order.
fn runs<T>(rows: &[T], code: fn(&T) -> &String) -> impl Iterator<Item = (&str, &[T])> {
    rows.chunk_by(move |a, b| code(a) == code(b))
        .map(move |run| (code(&run[0]).as_str(), run))
}

/// Adds a run of rows to a project's: borrowed if it is the first, copied after.
fn append<'a, T: Clone>(to: &mut Cow<'a, [T]>, rows: &'a [T]) {
    if to.is_empty() {
        *to = Cow::Borrowed(rows);
    } else {
        to.to_mut().extend_from_slice(rows);
    }
}

/// Every rule over every item of the snapshot.
pub fn evaluate(s: &Snapshot, p: &RuleParams, today: NaiveDate) -> Evaluation {
    let records = group(&s.data);
    let empty = ProjectRecords::default();
    let projects: HashMap<&str, &Project> = s.data.projects.iter().map(|p| (p.code.as_str(), p)).collect();
    let key_evals: HashMap<&str, &KeyEval> = s.data.key_evals.iter().map(|k| (k.object_code.as_str(), k)).collect();
    let unit_level = unit_level_findings(&s.data, &records, p);

    let mut eval = Evaluation::default();
    let mut attached_units: Vec<&str> = Vec::new();
    for review in &s.reviews {
        let code = review.project_code.as_deref().unwrap_or("");
        let project = projects.get(code).copied();
        let rec = records.get(code).unwrap_or(&empty);
        let mut figure = ItemFigure::default();
        let mut found = match (review.stage, project) {
            (Stage::Target, Some(project)) => {
                let mut f = target_findings(project, &rec.indicators, p);
                // Unit-level findings hang on the unit's 部门整体 target item.
                let is_overall = project.fund_kind == FundKind::UnitOverall && project.code == project.unit_code;
                if let Some(u) = unit_level.get(project.unit_code.as_str()).filter(|_| is_overall) {
                    f.extend(u.iter().cloned());
                    attached_units.push(project.unit_code.as_str());
                }
                f
            }
            (Stage::Monitoring, Some(project)) => match rec.monitoring {
                Some(m) => {
                    figure.rate = (project.amount > Decimal::ZERO)
                        .then(|| (m.executed / project.amount).round_dp_with_strategy(6, RoundingStrategy::ToZero));
                    monitoring_findings(project, &rec.indicators, m, &rec.progress, p)
                }
                None => Vec::new(),
            },
            (Stage::SelfEval, Some(project)) => match rec.self_eval {
                Some(se) => {
                    let input = ScoreInput {
                        project,
                        indicators: &rec.indicators,
                        self_eval: se,
                        actuals: &rec.actuals,
                    };
                    let card = score(&input, &p.scoring, &p.grades);
                    figure.self_score = Some(se.self_score);
                    figure.score = Some(card.total);
                    figure.grade = Some(card.grade);
                    self_eval_findings_scored(&input, &card, rec.monitoring, p)
                }
                None => Vec::new(),
            },
            (Stage::KeyEval, _) => match key_evals.get(code) {
                Some(ke) => {
                    figure.score = ke.score;
                    figure.grade = key_eval_grade(ke.grade, ke.score, &p.grades);
                    key_eval_findings_in(ke, &review.unit_code, p)
                }
                None => Vec::new(),
            },
            _ => Vec::new(),
        };
        let quality = review_findings(review, &found, p);
        found.extend(quality);
        eval.per_review.push((review.id, found));
        eval.figures.push((review.id, figure));
    }
    let mut units: Vec<&&str> = unit_level.keys().collect();
    units.sort();
    for unit in units {
        if !attached_units.contains(unit) {
            eval.unattached.extend(unit_level[*unit].iter().cloned());
        }
    }
    for r in &s.rectifications {
        eval.unattached.extend(rectification_findings(r, today));
    }
    eval
}

fn unit_level_findings<'a>(
    data: &'a Dataset,
    records: &HashMap<&str, ProjectRecords<'_>>,
    p: &RuleParams,
) -> HashMap<&'a str, Vec<Finding>> {
    let mut per_unit: HashMap<&str, Vec<(&Project, usize)>> = HashMap::new();
    for project in &data.projects {
        let count = records.get(project.code.as_str()).map_or(0, |r| r.indicators.len());
        per_unit
            .entry(project.unit_code.as_str())
            .or_default()
            .push((project, count));
    }
    data.units
        .iter()
        .filter_map(|unit| {
            let projects = per_unit.get(unit.code.as_str()).map(Vec::as_slice).unwrap_or(&[]);
            let found = unit_findings(unit, projects, p);
            (!found.is_empty()).then_some((unit.code.as_str(), found))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::labels::{Direction, Level1, Level2};

    fn indicator(project_code: &str, name: &str) -> Indicator {
        Indicator {
            project_code: project_code.to_string(),
            level1: Level1::Output,
            level2: Level2::Quantity,
            name: name.to_string(),
            direction: Direction::AtLeast,
            target_value: "10".to_string(),
            measure_unit: "个".to_string(),
            weight: None,
            explanation: String::new(),
        }
    }

    #[test]
    fn a_projects_rows_are_borrowed_where_together_and_gathered_where_scattered() {
        let data = Dataset {
            indicators: vec![
                indicator("A", "a1"),
                indicator("A", "a2"),
                indicator("B", "b1"),
                indicator("C", "c1"),
                indicator("B", "b2"),
            ],
            ..Dataset::default()
        };
        let by = group(&data);
        let names = |code: &str| -> Vec<&str> { by[code].indicators.iter().map(|i| i.name.as_str()).collect() };
        assert_eq!(names("A"), ["a1", "a2"]);
        assert_eq!(names("B"), ["b1", "b2"], "scattered rows keep the sheet's order");
        assert_eq!(names("C"), ["c1"]);
        assert!(matches!(by["A"].indicators, Cow::Borrowed(_)));
        assert!(matches!(by["B"].indicators, Cow::Owned(_)));
    }
}
