//! The one way a demo database is built — by `jixiao demo`, the benchmark and
//! the tests alike: the demo year (`crate::demo`, domain values) loaded, its
//! planned year of review work carried out through the store's own calls, as
//! the reviewers' keys would, then the findings.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{LoadSummary, Store, StoreError};
use crate::demo::{
    ADMIN_LOGIN, Calendar, DemoManifest, DemoOptions, HistoryPlan, HistorySummary, Planned, Work, demo_staff, generate,
    plan_history,
};
use crate::domain::params::{ReviewParams, RuleParams};
use crate::domain::states::ReviewAction;
use crate::domain::{Dataset, Finding, Rectification, Role, scoring};

/// What building the demo did.
#[derive(Debug, Clone)]
pub struct DemoBuild {
    pub manifest: DemoManifest,
    pub load: LoadSummary,
    pub history: HistorySummary,
}

/// Fills an empty store with the demo year. `me` is the OS user building it:
/// they import the year when they may (they opened the file), else the
/// demo's admin does. Findings are refreshed after the history so that the
/// review-quality ones (R-OPINION) are stored too.
pub fn build_demo(
    store: &mut Store,
    options: &DemoOptions,
    rules: &RuleParams,
    today: NaiveDate,
    me: &str,
) -> Result<DemoBuild, StoreError> {
    // Clean self-evaluations carry exactly the official recomputation.
    let recompute = |input: &scoring::ScoreInput<'_>| scoring::score(input, &rules.scoring, &rules.grades).total;
    let (dataset, manifest) = generate(options, &recompute);
    // The staff and the units' submissions arrived before the review work
    // began (`Calendar`); the history dates each piece of work itself.
    store.set_clock(Some(Calendar::before(today).arrival()));
    let registered = register_and_load(store, &dataset, me);
    store.set_clock(None);
    let (staff, load) = registered?;
    let mut history = simulate_history(store, rules, options.seed, today)?;
    history.reviewers = staff;
    store.refresh_findings(rules, today)?;
    Ok(DemoBuild {
        manifest,
        load,
        history,
    })
}

/// Registers the demo's staff and loads the year's submissions: by `me`
/// when they may import, else by the demo's admin.
fn register_and_load(store: &mut Store, dataset: &Dataset, me: &str) -> Result<(usize, LoadSummary), StoreError> {
    let staff = register_reviewers(store)?;
    let may_import = store
        .reviewer(me)?
        .is_some_and(|r| matches!(r.role, Role::Admin | Role::Reviewer));
    let importer = if may_import { me } else { ADMIN_LOGIN };
    Ok((staff, store.load_dataset(dataset, importer)?))
}

/// Registers the demo's staff: the 绩效科 admin first — by the admin already
/// there (the OS user who created the file), or by herself in an empty
/// database — then she adds the section reviewers and the auditor.
fn register_reviewers(store: &mut Store) -> Result<usize, StoreError> {
    let all = demo_staff();
    let registrar = store
        .reviewers()?
        .into_iter()
        .find(|r| r.role == Role::Admin)
        .map_or_else(|| ADMIN_LOGIN.to_string(), |r| r.os_user);
    store.add_reviewer(&all[0], &registrar)?;
    for r in &all[1..] {
        store.add_reviewer(r, ADMIN_LOGIN)?;
    }
    Ok(all.len())
}

/// Leaves the demo database as a bureau's would be mid-way through the review
/// year (`demo::plan_history`), by the reviewers `register_reviewers` added.
/// Findings are refreshed first so decisions see what the reviewers saw; the
/// caller refreshes again afterwards for the review-quality findings.
fn simulate_history(
    store: &mut Store,
    rules: &RuleParams,
    seed: u64,
    today: NaiveDate,
) -> Result<HistorySummary, StoreError> {
    let Some(year) = store.latest_year()? else {
        return Ok(HistorySummary::default());
    };
    let evaluation = store.refresh_findings(rules, today)?;
    let snapshot = store.snapshot(year)?;
    let findings: HashMap<i64, Vec<Finding>> = evaluation.per_review.into_iter().collect();
    let HistoryPlan {
        work,
        rects,
        mut summary,
    } = plan_history(&snapshot, year, &findings, seed, today);
    let outcome = carry_out(store, work, rects, &rules.review);
    store.set_clock(None);
    let (approved, created) = outcome?;
    summary.approved += approved;
    summary.rect_overdue = created.iter().flatten().filter(|r| r.is_overdue(today)).count();
    Ok(summary)
}

/// Does the planned work in its order, each piece stamped with its moment.
/// Returns the clean items approved and the rectifications opened.
fn carry_out(
    store: &mut Store,
    plan: Vec<Planned>,
    rects: usize,
    rules: &ReviewParams,
) -> Result<(usize, Vec<Option<Rectification>>), StoreError> {
    let mut approved = 0;
    let mut created: Vec<Option<Rectification>> = vec![None; rects];
    for Planned { at, work } in plan {
        store.set_clock(Some(at));
        match work {
            Work::Decide {
                review,
                version,
                action,
                opinion,
                login,
            } => {
                store.decide(review, version, action, &opinion, login, rules)?;
            }
            Work::ApproveClean { items, opinion, login } => {
                let approve = ReviewAction::Approve {
                    override_blocking: false,
                };
                approved += store
                    .decide_batch(&items, approve, opinion, login, rules)?
                    .decided
                    .len();
            }
            Work::Rectify { key, new, login } => {
                created[key] = Some(store.create_rectification(&new, login)?);
            }
            Work::Act { key, action, login } => {
                if let Some(r) = created[key].as_mut() {
                    *r = store.rect_action(r.id, r.version, &action, login)?;
                }
            }
            Work::CarryOver { item, state, evidence } => {
                store.carry_over_rectification(&item, state, evidence, ADMIN_LOGIN)?;
            }
        }
    }
    Ok((approved, created))
}
