//! Demo data: a realistic review year of a Hunan district (124 units by
//! default), reproducing the seed document's figures and its problems, with a
//! manifest of every defect planted, and a year of review work planned on it.
//! Deterministic: ChaCha8 streams seeded from the options, no hash-map order,
//! no clock.
//!
//! Its own floor on `domain` alone, so the store (and its tests) can build a
//! demo database without `io`: it makes domain values (a `Dataset`, a
//! `HistoryPlan`) and `store::demo` loads them and carries the plan out.

mod amounts;
mod catalog;
mod defects;
mod history;
mod indicators;
mod names;
mod texts;
mod unit_defects;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;

use crate::domain::{
    BudgetKind, Dataset, FundKind, Grade, GradeBands, Indicator, IndicatorActual, IndicatorProgress, KeyEval,
    KeyEvalDocuments, Monitoring, Project, SelfEval, Stage, Unit,
};
use amounts::{KEY_LINE_FEN, SMALL_CAP_FEN, scaled_total_fen};
use catalog::ProjectTemplate;
use indicators::Layout;
use names::UnitPlan;

pub use history::{
    ADMIN_LOGIN, Calendar, HistoryPlan, HistorySummary, Planned, Season, Work, demo_staff, plan_history,
};
pub use names::SECTIONS;

pub use defects::{
    KEY_EVAL_GRADE_MISMATCH, KEY_EVAL_KINDS, KEY_EVAL_MISSING_DOCUMENT, KEY_EVAL_NO_SCORE, MON_EXACTLY_75,
    MONITORING_KINDS, SELF_KINDS, TARGET_KINDS, UNIT_KINDS, UNIT_NO_OVERALL_TARGETS, UNIT_NO_TARGETS, VAGUE_WORDS,
};

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOptions {
    pub units: usize,
    pub seed: u64,
    pub year: i32,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            units: 124,
            seed: 2023,
            year: 2023,
        }
    }
}

/// What the official score recomputation sees of one self-evaluation (with `self_score` still 0).
pub use crate::domain::scoring::ScoreInput;

/// One planted defect (or boundary case): which kind, at which stage, where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefectSite {
    pub kind: &'static str,
    pub stage: Stage,
    /// Project code, unit code (部门整体) or key-evaluation object code.
    pub code: String,
    pub indicator: Option<String>,
}

/// What was planted, so tests and rules can be checked against it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoManifest {
    /// Defect kind → number of items it was planted in.
    pub defects: BTreeMap<&'static str, usize>,
    /// Every planted defect; items not named here are clean.
    pub sites: Vec<DefectSite>,
    /// Cases on a threshold that must NOT be findings (e.g. execution exactly 75 %).
    pub boundaries: Vec<DefectSite>,
    /// Budget totals per (预算类型, 资金性质), in 元.
    pub totals: BTreeMap<(BudgetKind, FundKind), Decimal>,
}

impl DemoManifest {
    fn record(&mut self, kind: &'static str, stage: Stage, code: &str, indicator: Option<String>) {
        *self.defects.entry(kind).or_insert(0) += 1;
        self.sites.push(DefectSite {
            kind,
            stage,
            code: code.to_string(),
            indicator,
        });
    }

    /// Codes of the items a kind was planted in.
    pub fn codes_of(&self, kind: &str) -> Vec<&str> {
        self.sites
            .iter()
            .filter(|s| s.kind == kind)
            .map(|s| s.code.as_str())
            .collect()
    }
}

/// The bureau's grade bands (优 ≥ 90, 良 ≥ 80, 中 ≥ 60).
fn bands() -> GradeBands {
    GradeBands {
        excellent: Decimal::from(90),
        good: Decimal::from(80),
        fair: Decimal::from(60),
    }
}

/// The three firms the seed names.
pub const FIRMS: [&str; 3] = [
    "湖南建业会计师事务所",
    "湖南天信兴业会计师事务所",
    "湖南天岳会计师事务所",
];

/// The seed's kind of key projects, largest first, with their share of the 2.4亿 less the unit.
const KEY_PROJECTS: [(&str, i64); 7] = [
    ("城区道路提质改造", 468),
    ("城乡居民基本养老保险待遇发放", 326),
    ("校舍维修改造", 285),
    ("高标准农田建设", 243),
    ("城乡环境卫生保洁一体化", 229),
    ("基本公共卫生服务", 187),
    ("城乡低保资金", 164),
];

/// A project while it is being generated.
struct Plan {
    unit: usize,
    template: ProjectTemplate,
    overall: bool,
    key: bool,
    boundary: bool,
    large: bool,
    fen: i64,
    layout: Layout,
    project: Project,
    indicators: Vec<Indicator>,
    monitoring: Option<(Monitoring, Vec<IndicatorProgress>)>,
}

/// Generates the dataset and says what it planted. `self_score` is the official
/// recomputation; clean self-evaluations carry exactly its value.
pub fn generate(options: &DemoOptions, self_score: &dyn Fn(&ScoreInput<'_>) -> Decimal) -> (Dataset, DemoManifest) {
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let mut manifest = DemoManifest::default();
    let units = names::plan_units(options.units, &mut rng);
    let mut plans = plan_projects(&units, options.year, &mut rng);
    let key_groups = pick_key_objects(&units, &plans, options.units);
    assign_amounts(&units, &mut plans, &key_groups, options.units, &mut rng);
    for plan in &mut plans {
        let first_quantity = plan
            .template
            .indicators
            .iter()
            .position(|t| t.level2 == crate::domain::Level2::Quantity);
        plan.indicators = indicators::build_clean(&plan.project, &plan.template, plan.overall, &plan.layout, &mut rng);
        plan.project.annual_goal = goal_text(plan, first_quantity);
    }
    let unit_level = unit_defects::plant_unit_defects(&units, &mut plans, &mut manifest, &mut rng);
    plant_target_defects(&mut plans, &unit_level, &mut manifest, &mut rng);
    monitor(&mut plans, options.year, &mut manifest, &mut rng);
    let (self_evals, actuals) = self_evaluate(&units, &plans, self_score, &mut manifest, &mut rng);
    let key_evals = key_evaluations(&units, &plans, &key_groups, options.year, &mut manifest, &mut rng);

    let mut data = Dataset {
        units: units
            .iter()
            .map(|u| Unit {
                code: u.code.clone(),
                name: u.name.clone(),
                department: u.department.clone(),
                section: u.section.to_string(),
            })
            .collect(),
        self_evals,
        actuals,
        key_evals,
        ..Dataset::default()
    };
    for plan in plans {
        *manifest
            .totals
            .entry((plan.project.budget_kind, plan.project.fund_kind))
            .or_insert(Decimal::ZERO) += plan.project.amount;
        data.indicators.extend(plan.indicators);
        if let Some((m, p)) = plan.monitoring {
            data.monitoring.push(m);
            data.progress.extend(p);
        }
        data.projects.push(plan.project);
    }
    (data, manifest)
}

/// The annual goal with the first quantity target written in.
fn goal_text(plan: &Plan, first_quantity: Option<usize>) -> String {
    let q = first_quantity
        .and_then(|i| plan.template.indicators.get(i))
        .and_then(|t| plan.indicators.iter().find(|i| i.name == t.name))
        .map(|i| format!("{}{}", i.target_value, i.measure_unit))
        .unwrap_or_default();
    plan.template.goal.replace("{q}", &q)
}

const REPEAT_SUFFIXES: [&str; 4] = ["（第二批）", "（续建）", "（三期）", "（第四批）"];

fn plan_projects(units: &[UnitPlan], year: i32, rng: &mut ChaCha8Rng) -> Vec<Plan> {
    let mut plans = Vec::with_capacity(units.len() * 21);
    for (u, unit) in units.iter().enumerate() {
        let overall = catalog::parse_project(catalog::UNIT_OVERALL);
        plans.push(new_plan(
            u,
            unit,
            overall,
            unit.code.clone(),
            format!("{}部门整体支出", unit.name),
            year,
            true,
            rng,
        ));
        let (own, generic) = catalog::bank(unit.field);
        let mut own: Vec<ProjectTemplate> = own
            .iter()
            .map(|l| catalog::parse_project(l))
            .filter(|t| match t.budget_kind {
                BudgetKind::SocialInsurance => unit.holds_social_insurance(),
                BudgetKind::StateCapital => unit.holds_state_capital(),
                _ => true,
            })
            .collect();
        own.shuffle(rng);
        let mut generic: Vec<ProjectTemplate> = generic.iter().map(|l| catalog::parse_project(l)).collect();
        generic.shuffle(rng);
        generic.truncate(rng.random_range(4..=7));
        let count = rng.random_range(14..=24);
        let mut chosen: Vec<(ProjectTemplate, String)> = Vec::with_capacity(count);
        for t in own.iter().chain(generic.iter()) {
            chosen.push((t.clone(), t.name.to_string()));
        }
        // Larger units run the same kind of project in several batches.
        let mut round = 0;
        while chosen.len() < count && !own.is_empty() {
            let t = &own[round % own.len()];
            let suffix = REPEAT_SUFFIXES[(round / own.len()) % REPEAT_SUFFIXES.len()];
            let name = match &unit.town {
                Some(town) if round % 3 == 2 => format!("{town}{}{suffix}", t.name),
                _ => format!("{}{suffix}", t.name),
            };
            chosen.push((t.clone(), name));
            round += 1;
        }
        chosen.truncate(count);
        for (seq, (t, name)) in chosen.into_iter().enumerate() {
            let code = format!("{}{:04}", unit.code, seq + 1);
            plans.push(new_plan(u, unit, t, code, name, year, false, rng));
        }
    }
    plans
}

#[allow(clippy::too_many_arguments)]
fn new_plan(
    u: usize,
    unit: &UnitPlan,
    template: ProjectTemplate,
    code: String,
    name: String,
    year: i32,
    overall: bool,
    rng: &mut ChaCha8Rng,
) -> Plan {
    let (budget_kind, fund_kind) = if overall {
        (BudgetKind::GeneralPublic, FundKind::UnitOverall)
    } else {
        (template.budget_kind, template.fund_kind)
    };
    let layout = Layout {
        tree_2021: rng.random_bool(0.2),
        weighted: rng.random_bool(0.3),
    };
    Plan {
        unit: u,
        overall,
        key: false,
        boundary: false,
        large: false,
        fen: 0,
        layout,
        project: Project {
            year,
            code,
            unit_code: unit.code.clone(),
            name,
            budget_kind,
            fund_kind,
            amount: Decimal::ZERO,
            annual_goal: String::new(),
        },
        template,
        indicators: Vec::new(),
        monitoring: None,
    }
}

/// One group of key evaluations: a unit's overall spending and 7 projects (plan indices).
struct KeyGroup {
    unit_overall: usize,
    projects: Vec<usize>,
}

/// 8 key evaluations per 124 units (at least 8), within one district each.
fn pick_key_objects(units: &[UnitPlan], plans: &[Plan], unit_count: usize) -> Vec<KeyGroup> {
    if units.is_empty() {
        return Vec::new();
    }
    let districts = units.last().map(|u| u.district + 1).unwrap_or(1);
    let groups = unit_count
        .div_ceil(names::UNITS_PER_DISTRICT)
        .min((unit_count + 62) / 124)
        .max(1);
    let mut taken = vec![false; plans.len()];
    let mut out = Vec::new();
    for g in 0..groups {
        let district = g.min(districts - 1);
        let in_district = |p: &Plan| units[p.unit].district == district;
        let unit_overall = plans
            .iter()
            .position(|p| p.overall && in_district(p) && units[p.unit].name.ends_with("城市管理和综合执法局"))
            .filter(|i| !taken[*i])
            .or_else(|| {
                (0..plans.len())
                    .filter(|i| plans[*i].overall && in_district(&plans[*i]) && !taken[*i])
                    .max_by_key(|i| (units[plans[*i].unit].weight, std::cmp::Reverse(*i)))
            });
        let Some(unit_overall) = unit_overall else { continue };
        taken[unit_overall] = true;
        let mut projects = Vec::new();
        for (name, _) in KEY_PROJECTS {
            let found = (0..plans.len()).find(|i| {
                !taken[*i] && in_district(&plans[*i]) && plans[*i].project.name == name && !plans[*i].overall
            });
            let found = found.or_else(|| {
                (0..plans.len()).find(|i| {
                    !taken[*i]
                        && in_district(&plans[*i])
                        && !plans[*i].overall
                        && plans[*i].project.fund_kind == FundKind::Special
                        && plans[*i].project.budget_kind == BudgetKind::GeneralPublic
                })
            });
            if let Some(i) = found {
                taken[i] = true;
                projects.push(i);
            }
        }
        out.push(KeyGroup { unit_overall, projects });
    }
    out
}

fn assign_amounts(units: &[UnitPlan], plans: &mut [Plan], keys: &[KeyGroup], unit_count: usize, rng: &mut ChaCha8Rng) {
    // 部门整体: by the unit's size, ±15 %, scaled to the seed's 21.06亿.
    for p in plans.iter_mut().filter(|p| p.overall) {
        p.fen = units[p.unit].weight as i64 * rng.random_range(85..=115) * 1_000_000;
    }
    {
        let mut overall: Vec<&mut i64> = plans.iter_mut().filter(|p| p.overall).map(|p| &mut p.fen).collect();
        amounts::rescale(&mut overall, scaled_total_fen(amounts::UNIT_OVERALL_TOTAL, unit_count));
    }
    for p in plans.iter_mut().filter(|p| p.overall) {
        p.fen = amounts::round_like_a_form(rng, p.fen);
    }
    // Key projects: the 2.4亿 less the evaluated unit, in the seed's proportions.
    for group in keys {
        let rest = (amounts::KEY_EVAL_TOTAL * 100 - plans[group.unit_overall].fen).max(7 * 300_000_000);
        let weights: Vec<i64> = (0..group.projects.len())
            .map(|k| KEY_PROJECTS[k].1 * rng.random_range(95..=105))
            .collect();
        let sum: i64 = weights.iter().sum::<i64>().max(1);
        for (k, &i) in group.projects.iter().enumerate() {
            plans[i].fen = ((rest as i128 * weights[k] as i128 / sum as i128) as i64 / 10_000) * 10_000;
            plans[i].key = true;
        }
    }
    // Everything else: heavy-tailed draws by kind.
    for p in plans.iter_mut().filter(|p| !p.overall && !p.key) {
        let yuan = match (p.project.budget_kind, p.project.fund_kind) {
            (BudgetKind::GeneralPublic, FundKind::Special) if rng.random_range(0..1000) < 45 => {
                p.large = true;
                if rng.random_range(0..100) < 85 {
                    amounts::log_uniform(rng, 2_000_000, 6_000_000)
                } else {
                    amounts::log_uniform(rng, 6_000_000, 15_000_000)
                }
            }
            (BudgetKind::GeneralPublic, FundKind::Special) => amounts::log_uniform(rng, 20_000, 1_800_000),
            (BudgetKind::GeneralPublic, _) => amounts::log_uniform(rng, 10_000, 1_000_000),
            (BudgetKind::SocialInsurance, _) => amounts::log_uniform(rng, 5_000_000, 25_000_000),
            (BudgetKind::GovFund, _) if rng.random_bool(0.3) => amounts::log_uniform(rng, 2_000_000, 8_000_000),
            (BudgetKind::GovFund, _) => amounts::log_uniform(rng, 100_000, 1_900_000),
            (BudgetKind::StateCapital, _) => amounts::log_uniform(rng, 1_000_000, 10_000_000),
        };
        p.fen = yuan * 100 + rng.random_range(0..100);
    }
    let fixed_fen = |plans: &[Plan], kind: BudgetKind| -> i64 {
        plans
            .iter()
            .filter(|p| !p.overall && p.project.budget_kind == kind && (p.key || p.large))
            .map(|p| p.fen)
            .sum()
    };
    for (kind, total) in [
        (BudgetKind::GeneralPublic, amounts::GENERAL_PROJECTS_TOTAL),
        (BudgetKind::SocialInsurance, amounts::SOCIAL_INSURANCE_TOTAL),
        (BudgetKind::GovFund, amounts::GOV_FUND_TOTAL),
        (BudgetKind::StateCapital, amounts::STATE_CAPITAL_TOTAL),
    ] {
        let want = scaled_total_fen(total, unit_count) - fixed_fen(plans, kind);
        let mut free: Vec<&mut i64> = plans
            .iter_mut()
            .filter(|p| !p.overall && !p.key && !p.large && p.project.budget_kind == kind)
            .map(|p| &mut p.fen)
            .collect();
        amounts::rescale(&mut free, want);
    }
    for p in plans.iter_mut().filter(|p| !p.overall && !p.key) {
        if p.project.budget_kind == BudgetKind::GeneralPublic && !p.large {
            p.fen = p.fen.clamp(100_000, SMALL_CAP_FEN);
        }
        p.fen = amounts::round_like_a_form(rng, p.fen);
    }
    // The key-project line itself: one project at exactly 2,000,000 and one a 分 under, per district.
    let districts = units.last().map(|u| u.district + 1).unwrap_or(0);
    for d in 0..districts {
        let mut candidates: Vec<usize> = (0..plans.len())
            .filter(|i| {
                let p = &plans[*i];
                units[p.unit].district == d
                    && !p.overall
                    && !p.key
                    && !p.large
                    && p.project.fund_kind == FundKind::Special
                    && p.project.budget_kind == BudgetKind::GeneralPublic
            })
            .collect();
        candidates.shuffle(rng);
        for (&i, fen) in candidates.iter().zip([KEY_LINE_FEN, KEY_LINE_FEN - 1]) {
            plans[i].fen = fen;
            plans[i].boundary = true;
        }
    }
    for p in plans.iter_mut() {
        p.project.amount = amounts::to_yuan(p.fen);
    }
}

fn plant_target_defects(plans: &mut [Plan], unit_level: &[usize], manifest: &mut DemoManifest, rng: &mut ChaCha8Rng) {
    let mut taken: Vec<bool> = plans.iter().map(|p| p.overall || p.key || p.boundary).collect();
    for &i in unit_level {
        taken[i] = true;
    }
    let population = taken.iter().filter(|t| !**t).count();
    for kind in TARGET_KINDS {
        let eligible: Vec<usize> = (0..plans.len())
            .filter(|i| defects::target_fits(kind, &plans[*i].project))
            .collect();
        for i in defects::choose(
            rng,
            eligible.into_iter(),
            defects::TARGET_RATE_PER_MILLE,
            population,
            &mut taken,
        ) {
            let plan = &mut plans[i];
            let tree = plan.layout.tree_2021;
            let indicator = defects::plant_target(kind, &mut plan.project, &mut plan.indicators, tree, rng);
            manifest.record(kind, Stage::Target, &plan.project.code, indicator);
        }
    }
}

/// Whether the October monitoring covers this project (专项 ≥ 2,000,000 元).
fn is_monitored(plan: &Plan) -> bool {
    plan.project.fund_kind == FundKind::Special && plan.fen >= KEY_LINE_FEN
}

fn monitor(plans: &mut [Plan], year: i32, manifest: &mut DemoManifest, rng: &mut ChaCha8Rng) {
    let period = format!("{year}-10");
    for plan in plans.iter_mut().filter(|p| is_monitored(p)) {
        // On track: ahead of the time elapsed (10/12 = 83.3 %).
        let executed = amounts::to_yuan(amounts::share(plan.fen, rng.random_range(840..=980)));
        let m = Monitoring {
            project_code: plan.project.code.clone(),
            period: period.clone(),
            executed,
            explanation: String::new(),
            measures: String::new(),
        };
        let progress = plan
            .indicators
            .iter()
            .map(|i| indicators::clean_progress(i, rng))
            .collect();
        plan.monitoring = Some((m, progress));
    }
    let monitored: Vec<usize> = (0..plans.len()).filter(|i| plans[*i].monitoring.is_some()).collect();
    // The 2,000,000 boundary project stays clean so the line itself can be tested.
    let mut taken: Vec<bool> = plans.iter().map(|p| p.monitoring.is_none() || p.boundary).collect();
    let population = monitored.len();
    let whole_quarters = monitored
        .iter()
        .copied()
        .filter(|i| plans[*i].fen % 4 == 0)
        .collect::<Vec<_>>();
    for i in defects::choose(rng, whole_quarters.into_iter(), 0, population, &mut taken) {
        let plan = &mut plans[i];
        if let Some((m, p)) = plan.monitoring.as_mut() {
            defects::plant_monitoring(MON_EXACTLY_75, plan.fen, m, p, &plan.indicators, rng);
        }
        manifest.boundaries.push(DefectSite {
            kind: MON_EXACTLY_75,
            stage: Stage::Monitoring,
            code: plan.project.code.clone(),
            indicator: None,
        });
    }
    for kind in MONITORING_KINDS {
        let eligible: Vec<usize> = monitored
            .iter()
            .copied()
            .filter(|i| defects::monitoring_fits(kind, &plans[*i].indicators))
            .collect();
        for i in defects::choose(
            rng,
            eligible.into_iter(),
            defects::MONITORING_RATE_PER_MILLE,
            population,
            &mut taken,
        ) {
            let plan = &mut plans[i];
            let Some((m, p)) = plan.monitoring.as_mut() else {
                continue;
            };
            let indicator = defects::plant_monitoring(kind, plan.fen, m, p, &plan.indicators, rng);
            manifest.record(kind, Stage::Monitoring, &plan.project.code, indicator);
        }
    }
}

fn self_evaluate(
    units: &[UnitPlan],
    plans: &[Plan],
    self_score: &dyn Fn(&ScoreInput<'_>) -> Decimal,
    manifest: &mut DemoManifest,
    rng: &mut ChaCha8Rng,
) -> (Vec<SelfEval>, Vec<IndicatorActual>) {
    let october = |p: &Plan| p.monitoring.as_ref().map(|(m, _)| m.executed);
    let mut evals: Vec<SelfEval> = Vec::with_capacity(plans.len());
    let mut actuals: Vec<Vec<IndicatorActual>> = Vec::with_capacity(plans.len());
    for plan in plans {
        let mut per_mille = rng.random_range(900..=1000);
        let short = rng.random_range(0..10) == 0;
        if short {
            per_mille = rng.random_range(860..=899);
        }
        let mut executed = amounts::to_yuan(amounts::share(plan.fen, per_mille));
        if let Some(oct) = october(plan) {
            executed = executed.max(oct);
        }
        let below_90 = executed * Decimal::from(10) < plan.project.amount * Decimal::from(9);
        let problems = if below_90 {
            format!("{}{}", texts::low_execution_reason(rng), texts::problem(rng))
        } else {
            texts::problem(rng)
        };
        let unit = &units[plan.unit];
        evals.push(SelfEval {
            project_code: plan.project.code.clone(),
            executed,
            self_score: Decimal::ZERO,
            self_grade: None,
            report: texts::self_eval_report(
                &unit.name,
                &plan.project.name,
                plan.project.amount,
                executed,
                plan.indicators.len(),
            ),
            problems,
            measures: texts::measure(rng),
        });
        actuals.push(
            plan.indicators
                .iter()
                .map(|i| indicators::clean_actual(i, rng))
                .collect(),
        );
    }

    let population = plans.len();
    let mut taken = vec![false; plans.len()];
    let mut score_kind: Vec<Option<&'static str>> = vec![None; plans.len()];
    for kind in SELF_KINDS {
        let eligible: Vec<usize> = (0..plans.len())
            .filter(|i| {
                let p = &plans[*i];
                match kind {
                    defects::SELF_INCONSISTENT_WITH_MONITORING => p.monitoring.is_some(),
                    defects::SELF_LOW_EXECUTION_NO_REASON => p.monitoring.is_none(),
                    defects::SELF_ACTUAL_OVER_130_NO_REASON => p.indicators.iter().any(defects::can_overshoot),
                    defects::SELF_MISSING_ACTUALS => p.indicators.len() >= 2,
                    _ => true,
                }
            })
            .collect();
        // Inconsistency with October can only be among the monitored few: their share.
        let (rate, of) = if kind == defects::SELF_INCONSISTENT_WITH_MONITORING {
            (defects::MONITORING_RATE_PER_MILLE, eligible.len())
        } else {
            (defects::SELF_RATE_PER_MILLE, population)
        };
        for i in defects::choose(rng, eligible.into_iter(), rate, of, &mut taken) {
            let plan = &plans[i];
            let eval = &mut evals[i];
            let mut indicator = None;
            match kind {
                defects::SELF_INCONSISTENT_WITH_MONITORING => {
                    let oct = october(plan).unwrap_or(eval.executed);
                    eval.executed =
                        (oct * Decimal::from(rng.random_range(850..=970)) / Decimal::from(1000)).round_dp(2);
                }
                defects::SELF_LOW_EXECUTION_NO_REASON => {
                    eval.executed = amounts::to_yuan(amounts::share(plan.fen, rng.random_range(600..=880)));
                    eval.problems.clear();
                    eval.measures.clear();
                }
                defects::SELF_ACTUAL_OVER_130_NO_REASON => {
                    if let Some(ind) = plan.indicators.iter().find(|i| defects::can_overshoot(i)) {
                        let target = indicators::numeric_target(ind).unwrap_or(Decimal::ONE);
                        let over = (target * Decimal::from(rng.random_range(135..=180)) / Decimal::ONE_HUNDRED).ceil();
                        if let Some(a) = actuals[i].iter_mut().find(|a| a.indicator_name == ind.name) {
                            a.actual_value = over.to_string();
                            a.deviation_reason.clear();
                        }
                        indicator = Some(ind.name.clone());
                    }
                }
                defects::SELF_MISSING_ACTUALS => {
                    let rows = &mut actuals[i];
                    let drop = rng.random_range(1..=rows.len().min(3));
                    let first = rng.random_range(0..=rows.len() - drop);
                    indicator = Some(rows[first].indicator_name.clone());
                    if rng.random_bool(0.5) {
                        rows.drain(first..first + drop);
                    } else {
                        rows[first].actual_value.clear();
                        rows[first].tier = None;
                    }
                }
                defects::SELF_MISSING_REPORT => eval.report.clear(),
                _ => score_kind[i] = Some(kind),
            }
            manifest.record(kind, Stage::SelfEval, &plan.project.code, indicator);
        }
    }

    let bands = bands();
    for (i, plan) in plans.iter().enumerate() {
        let official = self_score(&ScoreInput {
            project: &plan.project,
            indicators: &plan.indicators,
            self_eval: &evals[i],
            actuals: &actuals[i],
        })
        .round_dp(2);
        let eval = &mut evals[i];
        eval.self_score = official;
        eval.self_grade = Some(bands.grade(official));
        match score_kind[i] {
            Some(defects::SELF_SCORE_OFF) => {
                let off = Decimal::from(rng.random_range(60..=150)) / Decimal::from(10);
                let up =
                    official + off <= Decimal::ONE_HUNDRED && (official - off < Decimal::ZERO || rng.random_bool(0.5));
                eval.self_score = if up { official + off } else { official - off };
                eval.self_grade = Some(bands.grade(eval.self_score));
            }
            Some(defects::SELF_GRADE_MISMATCH) => {
                let honest = bands.grade(official);
                let others: Vec<_> = crate::domain::Grade::ALL
                    .iter()
                    .copied()
                    .filter(|g| *g != honest)
                    .collect();
                eval.self_grade = Some(others[rng.random_range(0..others.len())]);
            }
            _ => {}
        }
    }
    (evals, actuals.into_iter().flatten().collect())
}

fn key_evaluations(
    units: &[UnitPlan],
    plans: &[Plan],
    groups: &[KeyGroup],
    year: i32,
    manifest: &mut DemoManifest,
    rng: &mut ChaCha8Rng,
) -> Vec<KeyEval> {
    let date = |month: u32, day: u32| NaiveDate::from_ymd_opt(year, month, day);
    let bands = bands();
    let mut out = Vec::new();
    for (g, group) in groups.iter().enumerate() {
        let objects: Vec<usize> = group.projects.iter().copied().chain([group.unit_overall]).collect();
        let mut missing: Vec<usize> = (0..objects.len()).collect();
        missing.shuffle(rng);
        missing.truncate(defects::MIN_PER_KIND);
        // Independently of the documents: a few grades off their band, and one report not scored yet.
        let mut graded: Vec<usize> = (0..objects.len()).collect();
        graded.shuffle(rng);
        let wrong_grade: Vec<usize> = graded.iter().copied().take(defects::KEY_EVAL_WRONG_GRADES).collect();
        let unscored: Vec<usize> = graded
            .iter()
            .copied()
            .skip(defects::KEY_EVAL_WRONG_GRADES)
            .take(defects::KEY_EVAL_UNSCORED)
            .collect();
        for (k, &i) in objects.iter().enumerate() {
            let plan = &plans[i];
            let score = Decimal::from(rng.random_range(700..=945)) / Decimal::from(10);
            let mut documents = KeyEvalDocuments {
                working_papers: date(8, rng.random_range(1..=28)),
                receipt: date(9, rng.random_range(1..=28)),
                feedback: date(10, rng.random_range(1..=28)),
            };
            let code = if plan.overall {
                units[plan.unit].code.clone()
            } else {
                plan.project.code.clone()
            };
            if missing.contains(&k) {
                let label = match rng.random_range(0..3) {
                    0 => {
                        documents.working_papers = None;
                        "现场评价底稿"
                    }
                    1 => {
                        documents.receipt = None;
                        "现场评价回执"
                    }
                    _ => {
                        documents.feedback = None;
                        "财政业务科室绩效报告反馈意见"
                    }
                };
                manifest.record(
                    KEY_EVAL_MISSING_DOCUMENT,
                    Stage::KeyEval,
                    &code,
                    Some(label.to_string()),
                );
            }
            let (score, grade) = if unscored.contains(&k) {
                manifest.record(defects::KEY_EVAL_NO_SCORE, Stage::KeyEval, &code, None);
                (None, None)
            } else if wrong_grade.contains(&k) {
                manifest.record(defects::KEY_EVAL_GRADE_MISMATCH, Stage::KeyEval, &code, None);
                (Some(score), Some(neighbour_grade(bands.grade(score))))
            } else {
                (Some(score), Some(bands.grade(score)))
            };
            out.push(KeyEval {
                year,
                object_code: code,
                firm: FIRMS[(g + k) % FIRMS.len()].to_string(),
                amount: plan.project.amount,
                score,
                grade,
                documents,
                problems: texts::key_eval_problems(rng),
            });
        }
    }
    out
}

/// The grade a lenient firm gives one band up (优 stays next to 良): off by one band, as such slips are.
fn neighbour_grade(due: Grade) -> Grade {
    match due {
        Grade::Excellent => Grade::Good,
        Grade::Good => Grade::Excellent,
        Grade::Fair => Grade::Good,
        Grade::Poor => Grade::Fair,
    }
}
