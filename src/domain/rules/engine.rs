//! Runs every rule over a whole review year: one pure pass that the store uses
//! to cache findings with their items and `jixiao check` uses to report them.

use super::{
    key_eval_findings_in, monitoring_findings, rectification_findings, review_findings, self_eval_findings,
    target_findings, unit_findings,
};
use crate::domain::dataset::Dataset;
use crate::domain::labels::{FundKind, Stage};
use crate::domain::model::*;
use crate::domain::params::RuleParams;
use chrono::NaiveDate;
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
#[derive(Default)]
struct ProjectRecords<'a> {
    indicators: Vec<Indicator>,
    monitoring: Option<&'a Monitoring>,
    progress: Vec<IndicatorProgress>,
    self_eval: Option<&'a SelfEval>,
    actuals: Vec<IndicatorActual>,
}

fn group(data: &Dataset) -> HashMap<&str, ProjectRecords<'_>> {
    let mut by: HashMap<&str, ProjectRecords> = HashMap::with_capacity(data.projects.len());
    for i in &data.indicators {
        by.entry(i.project_code.as_str())
            .or_default()
            .indicators
            .push(i.clone());
    }
    // The latest period is the one that counts (the October table).
    for m in &data.monitoring {
        let slot = &mut by.entry(m.project_code.as_str()).or_default().monitoring;
        if slot.is_none_or(|old| old.period <= m.period) {
            *slot = Some(m);
        }
    }
    for p in &data.progress {
        by.entry(p.project_code.as_str()).or_default().progress.push(p.clone());
    }
    for s in &data.self_evals {
        by.entry(s.project_code.as_str()).or_default().self_eval = Some(s);
    }
    for a in &data.actuals {
        by.entry(a.project_code.as_str()).or_default().actuals.push(a.clone());
    }
    by
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
                Some(m) => monitoring_findings(project, &rec.indicators, m, &rec.progress, p),
                None => Vec::new(),
            },
            (Stage::SelfEval, Some(project)) => match rec.self_eval {
                Some(se) => self_eval_findings(project, &rec.indicators, se, &rec.actuals, rec.monitoring, p),
                None => Vec::new(),
            },
            (Stage::KeyEval, _) => match key_evals.get(code) {
                Some(ke) => key_eval_findings_in(ke, &review.unit_code, p),
                None => Vec::new(),
            },
            _ => Vec::new(),
        };
        let quality = review_findings(review, &found, p);
        found.extend(quality);
        eval.per_review.push((review.id, found));
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
