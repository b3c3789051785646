//! The one way a demo database is built — by `jixiao demo` and by the tests
//! alike: generate, load, a year of review work, then the findings.

use chrono::NaiveDate;

use super::{DemoManifest, DemoOptions, HistorySummary, generate, simulate_history};
use crate::config::Config;
use crate::domain::scoring;
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
    let load = store.load_dataset(&dataset, &crate::identity::os_user())?;
    let history = simulate_history(store, config, options.seed, today)?;
    store.refresh_findings(rules, today)?;
    Ok(DemoBuild {
        manifest,
        load,
        history,
    })
}
