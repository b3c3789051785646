//! Unit-level declaration defects ("三无"): a unit that set no targets at all,
//! and units whose 部门整体 has no targets while their projects do. Planted
//! before the project kinds so no project carries two stories at once.

use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use super::defects::{MIN_PER_KIND, UNIT_NO_OVERALL_TARGETS, UNIT_NO_TARGETS};
use super::names::UnitPlan;
use super::{DemoManifest, Plan};
use crate::domain::Stage;

/// Units per 124 without any target, and without 部门整体 targets.
const NO_TARGETS_PER_124: usize = 1;
const NO_OVERALL_PER_124: usize = MIN_PER_KIND;

/// Clears the indicators of the chosen units' projects; returns the plan
/// indices it touched, which no other target kind may take.
pub(super) fn plant_unit_defects(
    units: &[UnitPlan],
    plans: &mut [Plan],
    manifest: &mut DemoManifest,
    rng: &mut ChaCha8Rng,
) -> Vec<usize> {
    let scale = units.len().div_ceil(124).max(1);
    // A unit whose key-evaluated or boundary projects must stay as they are is not eligible.
    let mut eligible: Vec<usize> = (0..units.len())
        .filter(|u| !plans.iter().any(|p| p.unit == *u && (p.key || p.boundary)))
        .collect();
    eligible.shuffle(rng);
    let project_count = |u: usize| plans.iter().filter(|p| p.unit == u).count();
    // The unit that declared nothing is a small one (a 卫生院 or 街道 with few projects).
    let mut by_size = eligible.clone();
    by_size.sort_by_key(|u| project_count(*u));
    by_size.truncate((by_size.len() / 4).max(1));
    let none: Vec<usize> = by_size.into_iter().take(NO_TARGETS_PER_124 * scale).collect();
    let no_overall: Vec<usize> = eligible
        .into_iter()
        .filter(|u| !none.contains(u))
        .take(NO_OVERALL_PER_124 * scale)
        .collect();

    let mut touched = Vec::new();
    for (i, plan) in plans.iter_mut().enumerate() {
        if none.contains(&plan.unit) {
            plan.indicators.clear();
            manifest.record(UNIT_NO_TARGETS, Stage::Target, &plan.project.code, None);
            touched.push(i);
        } else if plan.overall && no_overall.contains(&plan.unit) {
            plan.indicators.clear();
            manifest.record(UNIT_NO_OVERALL_TARGETS, Stage::Target, &plan.project.code, None);
            touched.push(i);
        }
    }
    touched
}
