//! The one way a demo database is built — by `jixiao demo` and by the tests
//! alike: generate, load, a year of review work, then the findings.

use chrono::NaiveDate;

use super::history::{ADMIN_LOGIN, Calendar, register_reviewers};
use super::{DemoManifest, DemoOptions, HistorySummary, generate, simulate_history};
use crate::config::Config;
use crate::domain::scoring;
use crate::domain::{Dataset, Role};
use crate::store::{LoadSummary, Store, StoreError};

/// What building the demo did.
#[derive(Debug, Clone)]
pub struct DemoBuild {
    pub manifest: DemoManifest,
    pub load: LoadSummary,
    pub history: HistorySummary,
}

/// Fills an empty store with the demo year. Findings are refreshed after the
/// history so that the review-quality ones (R-OPINION) are stored too.
pub fn build_demo(
    store: &mut Store,
    options: &DemoOptions,
    config: &Config,
    today: NaiveDate,
) -> Result<DemoBuild, StoreError> {
    let rules = &config.rules;
    // Clean self-evaluations carry exactly the official recomputation.
    let recompute = |input: &scoring::ScoreInput<'_>| scoring::score(input, &rules.scoring, &rules.grades).total;
    let (dataset, manifest) = generate(options, &recompute);
    // The staff and the units' submissions arrived before the review work
    // began (`Calendar`); the history dates each piece of work itself.
    store.set_clock(Some(Calendar::before(today).arrival()));
    let registered = register_and_load(store, &dataset);
    store.set_clock(None);
    let (staff, load) = registered?;
    let mut history = simulate_history(store, config, options.seed, today)?;
    history.reviewers = staff;
    store.refresh_findings(rules, today)?;
    Ok(DemoBuild {
        manifest,
        load,
        history,
    })
}

/// Registers the demo's staff and loads the year's submissions: by the OS
/// user when they may import (they opened the file), else by the demo's admin.
fn register_and_load(store: &mut Store, dataset: &Dataset) -> Result<(usize, LoadSummary), StoreError> {
    let staff = register_reviewers(store)?;
    let me = crate::identity::os_user();
    let may_import = store
        .reviewer(&me)?
        .is_some_and(|r| matches!(r.role, Role::Admin | Role::Reviewer));
    let importer = if may_import { me } else { ADMIN_LOGIN.to_string() };
    Ok((staff, store.load_dataset(dataset, &importer)?))
}
