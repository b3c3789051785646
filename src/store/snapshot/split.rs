//! Every rule over a year on a few threads. The rules read, for an item, only
//! its own unit's records: a project's rows, the unit's projects (unit-level
//! findings), the key evaluation its code names, the item itself. So a
//! snapshot split by unit — each part holding a contiguous range of unit codes
//! with everything hanging off them — evaluates part by part to exactly what
//! one pass gives, and the parts join back in that pass's order: items by id,
//! then unattached findings unit by unit, rectifications last.

use crate::domain::dataset::Dataset;
use crate::domain::params::RuleParams;
use crate::domain::rules::{Evaluation, Snapshot, evaluate};
use chrono::NaiveDate;
use std::collections::HashMap;

/// Below this many projects one pass is as quick as starting threads.
const SPLIT_FROM_PROJECTS: usize = 500;

/// `evaluate(&s, params, today)`, computed on up to `threads` threads.
pub(super) fn evaluate_split(s: Snapshot, params: &RuleParams, today: NaiveDate, threads: usize) -> Evaluation {
    let parts = threads.min(s.data.units.len());
    if parts < 2 || s.data.projects.len() < SPLIT_FROM_PROJECTS {
        return evaluate(&s, params, today);
    }
    let split = split_by_unit(s, parts);
    let evaluations: Vec<Evaluation> = std::thread::scope(|scope| {
        // Each thread owns its part and frees it too.
        let handles: Vec<_> = split
            .into_iter()
            .map(|part| scope.spawn(move || evaluate(&part, params, today)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    });
    join(evaluations)
}

fn join(parts: Vec<Evaluation>) -> Evaluation {
    let mut out = Evaluation::default();
    for part in parts {
        out.per_review.extend(part.per_review);
        out.unattached.extend(part.unattached);
        out.figures.extend(part.figures);
    }
    // Each part keeps the id order of the snapshot; ids are unique.
    out.per_review.sort_by_key(|(id, _)| *id);
    out.figures.sort_by_key(|(id, _)| *id);
    out
}

/// `parts` snapshots, units in contiguous ranges of the (code-ordered) unit list.
fn split_by_unit(s: Snapshot, parts: usize) -> Vec<Snapshot> {
    let Snapshot {
        data,
        reviews,
        rectifications,
    } = s;
    let per_part = data.units.len().div_ceil(parts);
    let unit_part: HashMap<String, usize> = data
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| (u.code.clone(), i / per_part))
        .collect();
    let project_part: HashMap<String, usize> = data
        .projects
        .iter()
        .map(|p| (p.code.clone(), unit_part.get(&p.unit_code).copied().unwrap_or(0)))
        .collect();
    // A code names a project (a key evaluation's object, an item's project) or else a unit.
    let code_part = |code: &str| project_part.get(code).or_else(|| unit_part.get(code)).copied();
    let mut out: Vec<Snapshot> = (0..parts).map(|_| Snapshot::default()).collect();
    let Dataset {
        units,
        projects,
        indicators,
        monitoring,
        progress,
        self_evals,
        actuals,
        key_evals,
    } = data;
    for u in units {
        let i = unit_part[&u.code];
        out[i].data.units.push(u);
    }
    for p in projects {
        let i = project_part[&p.code];
        out[i].data.projects.push(p);
    }
    let by_project = |code: &str| project_part.get(code).copied().unwrap_or(0);
    for row in indicators {
        out[by_project(&row.project_code)].data.indicators.push(row);
    }
    for row in monitoring {
        out[by_project(&row.project_code)].data.monitoring.push(row);
    }
    for row in progress {
        out[by_project(&row.project_code)].data.progress.push(row);
    }
    for row in self_evals {
        out[by_project(&row.project_code)].data.self_evals.push(row);
    }
    for row in actuals {
        out[by_project(&row.project_code)].data.actuals.push(row);
    }
    for k in key_evals {
        let i = code_part(&k.object_code).unwrap_or(0);
        out[i].data.key_evals.push(k);
    }
    for r in reviews {
        let i = r
            .project_code
            .as_deref()
            .and_then(code_part)
            .or_else(|| unit_part.get(&r.unit_code).copied())
            .unwrap_or(0);
        out[i].reviews.push(r);
    }
    // Rectification findings come after every unit's in one pass.
    out[parts - 1].rectifications = rectifications;
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::domain::model::{Rectification, Review, Verdicts};
    use crate::domain::{RectState, ReviewState, Stage};

    fn review(id: i64, stage: Stage, unit_code: &str, code: &str) -> Review {
        Review {
            id,
            stage,
            unit_code: unit_code.to_string(),
            project_code: Some(code.to_string()),
            state: ReviewState::Pending,
            opinion: String::new(),
            verdicts: Verdicts::default(),
            decided_by: None,
            decided_at: None,
            version: 1,
        }
    }

    /// The demo year with an item per project and stage, a key-evaluation item
    /// whose unit is stale (its project moved), and an overdue rectification.
    fn demo_snapshot() -> Snapshot {
        let rules = Config::defaults().rules;
        let score = |input: &crate::domain::scoring::ScoreInput<'_>| {
            crate::domain::scoring::score(input, &rules.scoring, &rules.grades).total
        };
        let (data, _) = crate::demo::generate(&crate::demo::DemoOptions::default(), &score);
        let mut reviews = Vec::new();
        let mut id = 0;
        for p in &data.projects {
            for (stage, wanted) in [
                (Stage::Target, true),
                (
                    Stage::Monitoring,
                    data.monitoring.iter().any(|m| m.project_code == p.code),
                ),
                (
                    Stage::SelfEval,
                    data.self_evals.iter().any(|s| s.project_code == p.code),
                ),
            ] {
                if wanted {
                    id += 1;
                    reviews.push(review(id, stage, &p.unit_code, &p.code));
                }
            }
        }
        for (n, k) in data.key_evals.iter().enumerate() {
            id += 1;
            let unit = if n == 0 {
                data.units[0].code.clone()
            } else {
                k.object_code.clone()
            };
            reviews.push(review(id, Stage::KeyEval, &unit, &k.object_code));
        }
        let last_unit = data.units.last().expect("units").code.clone();
        let rectification = Rectification {
            id: 1,
            source_stage: Stage::Target,
            source_review: Some(1),
            unit_code: last_unit,
            project_code: None,
            problem: "产出指标未细化".to_string(),
            required_measure: String::new(),
            deadline: NaiveDate::from_ymd_opt(2024, 1, 31).expect("date"),
            state: RectState::Open,
            evidence: String::new(),
            verified_by: None,
            verified_at: None,
            extensions: Vec::new(),
            version: 1,
        };
        // Reviews are read in id order; shuffle nothing else.
        Snapshot {
            data,
            reviews,
            rectifications: vec![rectification],
        }
    }

    #[test]
    fn a_split_evaluation_is_the_single_pass() {
        let rules = Config::defaults().rules;
        let today = NaiveDate::from_ymd_opt(2024, 3, 1).expect("date");
        let snapshot = demo_snapshot();
        let whole = evaluate(&snapshot, &rules, today);
        assert!(whole.all().count() > 1000, "the demo year has findings to compare");
        assert!(!whole.unattached.is_empty());
        for threads in [2, 3, 7] {
            assert_eq!(
                evaluate_split(snapshot.clone(), &rules, today, threads),
                whole,
                "{threads} threads"
            );
        }
    }

    #[test]
    fn parts_hold_whole_units_in_code_order() {
        let parts = split_by_unit(demo_snapshot(), 3);
        assert_eq!(parts.len(), 3);
        let last_codes: Vec<&str> = parts
            .iter()
            .map(|p| p.data.units.last().expect("units").code.as_str())
            .collect();
        assert!(last_codes.windows(2).all(|w| w[0] < w[1]), "{last_codes:?}");
        for part in &parts {
            let units: Vec<&str> = part.data.units.iter().map(|u| u.code.as_str()).collect();
            assert!(part.data.projects.iter().all(|p| units.contains(&p.unit_code.as_str())));
        }
        assert!(parts[..2].iter().all(|p| p.rectifications.is_empty()));
        assert_eq!(parts[2].rectifications.len(), 1);
    }
}
