//! The demo generator: determinism, scale, the seed document's figures, and
//! every planted defect found again by looking at the data itself — while the
//! items the manifest does not name show none of them.

use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;
use std::sync::OnceLock;

use jixiao::demo::{
    DemoManifest, DemoOptions, FIRMS, KEY_EVAL_GRADE_MISMATCH, KEY_EVAL_KINDS, KEY_EVAL_NO_SCORE, MON_EXACTLY_75,
    MONITORING_KINDS, SECTIONS, SELF_KINDS, ScoreInput, TARGET_KINDS, UNIT_KINDS, UNIT_NO_OVERALL_TARGETS,
    UNIT_NO_TARGETS, VAGUE_WORDS, generate,
};
use jixiao::domain::{
    BudgetKind, Dataset, Direction, FundKind, Grade, GradeBands, Indicator, Level1, Level2, Likelihood, Project,
};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// Stand-in for the official recomputation: 10 × execution (capped) + 90 × the
/// share of indicators with an actual value.
fn stand_in(input: &ScoreInput<'_>) -> Decimal {
    let rate = if input.project.amount.is_zero() {
        Decimal::ONE
    } else {
        (input.self_eval.executed / input.project.amount).min(Decimal::ONE)
    };
    let with_actual = input
        .indicators
        .iter()
        .filter(|i| {
            input
                .actuals
                .iter()
                .any(|a| a.indicator_name == i.name && !a.actual_value.is_empty())
        })
        .count();
    let share = if input.indicators.is_empty() {
        Decimal::ONE
    } else {
        Decimal::from(with_actual as i64) / Decimal::from(input.indicators.len() as i64)
    };
    Decimal::from(10) * rate + Decimal::from(90) * share
}

fn demo() -> &'static (Dataset, DemoManifest) {
    static DEMO: OnceLock<(Dataset, DemoManifest)> = OnceLock::new();
    DEMO.get_or_init(|| generate(&DemoOptions::default(), &stand_in))
}

fn yi(d: Decimal) -> f64 {
    (d / Decimal::from(100_000_000)).to_f64().unwrap_or(0.0)
}

fn near(value: Decimal, target_yi: f64, tolerance: f64) -> bool {
    let v = yi(value);
    (v - target_yi).abs() <= target_yi * tolerance
}

fn by_project(data: &Dataset) -> BTreeMap<&str, Vec<&Indicator>> {
    let mut m: BTreeMap<&str, Vec<&Indicator>> = BTreeMap::new();
    for p in &data.projects {
        m.entry(p.code.as_str()).or_default();
    }
    for i in &data.indicators {
        m.entry(i.project_code.as_str()).or_default().push(i);
    }
    m
}

fn number(s: &str) -> Option<Decimal> {
    Decimal::from_str(s.trim()).ok()
}

fn defect_codes(manifest: &DemoManifest, kinds: &[&str]) -> BTreeSet<String> {
    manifest
        .sites
        .iter()
        .filter(|s| kinds.contains(&s.kind))
        .map(|s| s.code.clone())
        .collect()
}

#[test]
fn same_seed_same_data_other_seed_other_data() {
    let opts = DemoOptions {
        units: 30,
        ..DemoOptions::default()
    };
    let (a, ma) = generate(&opts, &stand_in);
    let (b, mb) = generate(&opts, &stand_in);
    assert!(a == b, "same options must give an identical dataset");
    assert_eq!(ma, mb);
    let (c, _) = generate(&DemoOptions { seed: 2024, ..opts }, &stand_in);
    assert!(a != c, "another seed must give other data");
    assert!(!a.projects.is_empty());
}

#[test]
fn scale_matches_the_seed_document() {
    let (data, _) = demo();
    assert_eq!(data.units.len(), 124);
    let projects = data.projects.len();
    assert!((2250..=2750).contains(&projects), "projects: {projects}");
    let indicators = data.indicators.len();
    assert!((21_250..=28_750).contains(&indicators), "indicators: {indicators}");
    let overall = data
        .projects
        .iter()
        .filter(|p| p.fund_kind == FundKind::UnitOverall)
        .count();
    assert_eq!(overall, 124, "one 部门整体 per unit");
    assert_eq!(
        data.self_evals.len(),
        projects,
        "every project and every unit self-evaluates"
    );
}

#[test]
fn totals_per_budget_kind_are_the_seeds() {
    let (data, manifest) = demo();
    let sum = |pred: &dyn Fn(&Project) -> bool| data.projects.iter().filter(|p| pred(p)).map(|p| p.amount).sum();
    let unit_overall: Decimal = sum(&|p| p.fund_kind == FundKind::UnitOverall);
    let general: Decimal = sum(&|p| p.fund_kind != FundKind::UnitOverall && p.budget_kind == BudgetKind::GeneralPublic);
    let social: Decimal = sum(&|p| p.budget_kind == BudgetKind::SocialInsurance);
    assert!(near(unit_overall, 21.06, 0.05), "部门整体 {}", yi(unit_overall));
    assert!(near(general, 12.26, 0.05), "一般公共预算项目 {}", yi(general));
    assert!(near(social, 1.31, 0.10), "社保基金 {}", yi(social));
    assert!(data.projects.iter().any(|p| p.budget_kind == BudgetKind::GovFund));
    assert!(data.projects.iter().any(|p| p.budget_kind == BudgetKind::StateCapital));
    let manifest_general = manifest.totals[&(BudgetKind::GeneralPublic, FundKind::Special)]
        + manifest.totals[&(BudgetKind::GeneralPublic, FundKind::Other)];
    assert_eq!(manifest_general, general, "manifest totals are the data's");
    assert!(
        data.projects
            .iter()
            .all(|p| p.amount > Decimal::ZERO && p.amount.scale() <= 2)
    );
}

#[test]
fn key_evaluations_are_seven_projects_and_one_unit() {
    let (data, manifest) = demo();
    assert_eq!(data.key_evals.len(), 8);
    let unit_codes: BTreeSet<&str> = data.units.iter().map(|u| u.code.as_str()).collect();
    let units = data
        .key_evals
        .iter()
        .filter(|k| unit_codes.contains(k.object_code.as_str()))
        .count();
    assert_eq!(units, 1, "one 部门整体");
    let firms: BTreeSet<&str> = data.key_evals.iter().map(|k| k.firm.as_str()).collect();
    assert_eq!(firms, FIRMS.iter().copied().collect());
    let total: Decimal = data.key_evals.iter().map(|k| k.amount).sum();
    assert!(near(total, 2.4, 0.05), "重点评价 {}", yi(total));
    let bands = GradeBands {
        excellent: Decimal::from(90),
        good: Decimal::from(80),
        fair: Decimal::from(60),
    };
    let wrong_grade: BTreeSet<&str> = manifest.codes_of(KEY_EVAL_GRADE_MISMATCH).into_iter().collect();
    let unscored: BTreeSet<&str> = manifest.codes_of(KEY_EVAL_NO_SCORE).into_iter().collect();
    assert_eq!(wrong_grade.len(), 2, "two grades off their band");
    assert_eq!(unscored.len(), 1, "one report not scored yet");
    let (mut seen_wrong, mut seen_unscored) = (0, 0);
    for k in &data.key_evals {
        assert!((2..=4).contains(&k.problems.len()));
        let Some(score) = k.score else {
            assert_eq!(k.grade, None, "no grade without a score");
            assert!(
                unscored.contains(k.object_code.as_str()),
                "unplanted unscored {}",
                k.object_code
            );
            seen_unscored += 1;
            continue;
        };
        if k.grade != Some(bands.grade(score)) {
            assert!(
                wrong_grade.contains(k.object_code.as_str()),
                "unplanted grade {}",
                k.object_code
            );
            seen_wrong += 1;
        }
        let object = data
            .projects
            .iter()
            .find(|p| p.code == k.object_code)
            .expect("object exists");
        assert_eq!(object.amount, k.amount);
    }
    let missing = data
        .key_evals
        .iter()
        .filter(|k| !k.documents.missing().is_empty())
        .count();
    assert!((3..8).contains(&missing), "some but not all miss a document: {missing}");
    assert_eq!(manifest.defects.get("key_eval_missing_document"), Some(&missing));
    assert_eq!((seen_wrong, seen_unscored), (2, 1));
}

#[test]
fn monitoring_covers_exactly_special_funds_from_two_million() {
    let (data, _) = demo();
    let line = Decimal::from(2_000_000);
    let should: BTreeSet<&str> = data
        .projects
        .iter()
        .filter(|p| p.fund_kind == FundKind::Special && p.amount >= line)
        .map(|p| p.code.as_str())
        .collect();
    let monitored: BTreeSet<&str> = data.monitoring.iter().map(|m| m.project_code.as_str()).collect();
    assert_eq!(monitored, should);
    assert!(data.monitoring.iter().all(|m| m.period == "2023-10"));
    let special = data
        .projects
        .iter()
        .filter(|p| p.fund_kind == FundKind::Special)
        .count();
    let share = should.len() as f64 / special as f64;
    assert!((0.04..=0.09).contains(&share), "key-line share {share}");
    assert!(
        data.projects
            .iter()
            .any(|p| p.amount == line && should.contains(p.code.as_str()))
    );
    let under = Decimal::from_str("1999999.99").unwrap();
    assert!(
        data.projects
            .iter()
            .any(|p| p.amount == under && !should.contains(p.code.as_str()))
    );
    let progress: BTreeSet<&str> = data.progress.iter().map(|p| p.project_code.as_str()).collect();
    assert!(progress.is_subset(&monitored));
}

#[test]
fn references_and_codes_hold_together() {
    let (data, _) = demo();
    let units: BTreeSet<&str> = data.units.iter().map(|u| u.code.as_str()).collect();
    assert_eq!(units.len(), data.units.len(), "unit codes unique");
    let names: BTreeSet<&str> = data.units.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(names.len(), data.units.len(), "unit names unique");
    assert!(
        data.units
            .iter()
            .all(|u| u.code.len() == 6 && u.code.starts_with("101"))
    );
    assert!(
        data.units.iter().all(|u| names.contains(u.department.as_str())),
        "主管部门 is a unit"
    );
    assert!(data.units.iter().all(|u| SECTIONS.contains(&u.section.as_str())));
    assert!(names.contains("区教育局") && names.contains("马家河街道办事处") && names.contains("群丰镇卫生院"));
    let school = data.units.iter().find(|u| u.name == "区第一中学").expect("school");
    assert_eq!(school.department, "区教育局");
    let projects: BTreeSet<&str> = data.projects.iter().map(|p| p.code.as_str()).collect();
    assert_eq!(projects.len(), data.projects.len(), "project codes unique");
    assert!(data.projects.iter().all(|p| units.contains(p.unit_code.as_str())));
    assert!(
        data.indicators
            .iter()
            .all(|i| projects.contains(i.project_code.as_str()))
    );
    assert!(
        data.self_evals
            .iter()
            .all(|s| projects.contains(s.project_code.as_str()))
    );
    assert!(data.actuals.iter().all(|a| projects.contains(a.project_code.as_str())));
    for p in data.projects.iter().filter(|p| p.fund_kind == FundKind::UnitOverall) {
        assert_eq!(p.code, p.unit_code, "部门整体 is keyed by the unit code");
        assert_eq!(p.budget_kind, BudgetKind::GeneralPublic);
    }
    let tree_2021 = data.indicators.iter().filter(|i| i.level1 == Level1::Cost).count();
    assert!(tree_2021 > 0, "some projects use the 2021 tree");
    assert!(data.indicators.iter().all(|i| i.level2.fits_under(i.level1)));
    assert!(data.indicators.iter().any(|i| i.weight.is_some()));
}

/// Independent looks at the data for each target-audit defect.
fn target_problems(p: &Project, inds: &[&Indicator]) -> Vec<&'static str> {
    let mut out = Vec::new();
    if p.fund_kind == FundKind::UnitOverall {
        return out;
    }
    let has = |f: &dyn Fn(&Indicator) -> bool| inds.iter().any(|i| f(i));
    if inds.is_empty() {
        out.push("target_no_indicators");
        return out;
    }
    let vague = |i: &Indicator| {
        let text = format!("{}{}", i.name, i.target_value);
        VAGUE_WORDS.iter().any(|w| text.contains(w)) && !text.chars().any(|c| c.is_ascii_digit())
    };
    if has(&vague) {
        out.push("target_vague");
    }
    for (kind, l2) in [
        ("target_missing_quantity", Level2::Quantity),
        ("target_missing_quality", Level2::Quality),
        ("target_missing_timeliness", Level2::Timeliness),
    ] {
        if !has(&|i| i.level2 == l2) {
            out.push(kind);
        }
    }
    if !has(&|i| i.level2.is_cost()) {
        out.push("target_missing_cost");
    }
    if !has(&|i| i.level1 == Level1::Benefit) {
        out.push("target_missing_benefit");
    }
    if !has(&|i| i.level1 == Level1::Satisfaction) {
        out.push("target_missing_satisfaction");
    }
    if has(&|i| i.direction != Direction::Qualitative && number(&i.target_value).is_none()) {
        out.push("target_text_in_quantitative");
    }
    if has(&|i| i.direction == Direction::Qualitative && !i.measure_unit.is_empty()) {
        out.push("target_qualitative_with_unit");
    }
    if has(&|i| i.target_value.ends_with("万元") && i.measure_unit == "%") {
        out.push("target_amount_with_percent");
    }
    if has(&|i| i.level2.is_cost() && i.measure_unit == "%") {
        out.push("target_cost_as_percent");
    }
    if has(&|i| number(&i.target_value).is_some() && i.measure_unit.is_empty()) {
        out.push("target_missing_measure_unit");
    }
    if p.amount >= Decimal::from(5_000_000) && inds.len() <= 3 {
        out.push("target_too_few_indicators");
    }
    let cost_wan: Decimal = inds
        .iter()
        .filter(|i| i.level2.is_cost() && i.measure_unit == "万元")
        .filter_map(|i| number(&i.target_value))
        .sum();
    if cost_wan * Decimal::from(10_000) > p.amount {
        out.push("target_cost_over_budget");
    }
    if has(&|i| {
        i.level1 == Level1::Satisfaction
            && i.direction != Direction::Qualitative
            && number(&i.target_value).is_none_or(|v| v > Decimal::ONE_HUNDRED)
    }) {
        out.push("target_satisfaction_out_of_range");
    }
    let names: BTreeSet<&str> = inds.iter().map(|i| i.name.as_str()).collect();
    if names.len() < inds.len() {
        out.push("target_duplicate_indicator");
    }
    if p.annual_goal.chars().count() < 10 {
        out.push("target_goal_missing_or_short");
    }
    if inds.iter().all(|i| i.direction == Direction::Qualitative) {
        out.push("target_qualitative_only");
    }
    out
}

#[test]
fn every_target_defect_is_in_the_data_and_only_where_planted() {
    let (data, manifest) = demo();
    let inds = by_project(data);
    let kinds: Vec<&str> = TARGET_KINDS.iter().chain(&UNIT_KINDS).copied().collect();
    let planted = defect_codes(manifest, &kinds);
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for p in &data.projects {
        let problems = target_problems(p, &inds[p.code.as_str()]);
        if !planted.contains(&p.code) {
            assert!(problems.is_empty(), "clean project {} shows {problems:?}", p.code);
        }
        for k in problems {
            *seen.entry(k).or_default() += 1;
        }
    }
    for kind in TARGET_KINDS {
        let n = manifest.defects.get(kind).copied().unwrap_or(0);
        assert!(n >= 3, "{kind} planted {n} times");
        assert!(
            seen.get(kind).copied().unwrap_or(0) >= 3,
            "{kind} found {:?} times",
            seen.get(kind)
        );
    }
    // A realistic share: each kind a few per cent of the projects, not most of them.
    let special = data
        .projects
        .iter()
        .filter(|p| p.fund_kind != FundKind::UnitOverall)
        .count();
    assert!(manifest.defects[TARGET_KINDS[1]] * 100 / special <= 15);
}

#[test]
fn unit_level_defects_are_in_the_data_and_only_where_planted() {
    let (data, manifest) = demo();
    let inds = by_project(data);
    let mut no_targets: BTreeSet<&str> = BTreeSet::new();
    let mut no_overall: BTreeSet<&str> = BTreeSet::new();
    for unit in &data.units {
        let projects: Vec<&Project> = data.projects.iter().filter(|p| p.unit_code == unit.code).collect();
        let bare = |p: &&Project| inds[p.code.as_str()].is_empty();
        if projects.iter().all(bare) {
            no_targets.insert(&unit.code);
        } else if projects.iter().any(|p| p.fund_kind == FundKind::UnitOverall && bare(p)) {
            no_overall.insert(&unit.code);
        }
    }
    let planted_units = |kind: &str| -> BTreeSet<&str> {
        let codes: BTreeSet<&str> = manifest.codes_of(kind).into_iter().collect();
        data.projects
            .iter()
            .filter(|p| codes.contains(p.code.as_str()))
            .map(|p| p.unit_code.as_str())
            .collect()
    };
    assert_eq!(no_targets, planted_units(UNIT_NO_TARGETS));
    assert_eq!(no_targets.len(), 1, "one unit declared no targets at all");
    assert_eq!(no_overall, planted_units(UNIT_NO_OVERALL_TARGETS));
    assert_eq!(no_overall.len(), 3, "three units without 部门整体 targets");
    // Every project of the unit without targets is named, so none passes for clean.
    let unit = no_targets.first().copied().unwrap_or_default();
    let projects = data.projects.iter().filter(|p| p.unit_code == unit).count();
    assert_eq!(manifest.defects[UNIT_NO_TARGETS], projects);
}

fn ratio(a: Decimal, b: Decimal) -> Decimal {
    if b.is_zero() { Decimal::ZERO } else { a / b }
}

#[test]
fn every_monitoring_defect_is_in_the_data_and_only_where_planted() {
    let (data, manifest) = demo();
    let amount: BTreeMap<&str, Decimal> = data.projects.iter().map(|p| (p.code.as_str(), p.amount)).collect();
    let inds = by_project(data);
    let q = Decimal::from_str("0.75").unwrap();
    let mut low_explained = 0;
    let mut low_unexplained = 0;
    let mut exactly = 0;
    let mut over = 0;
    let mut bad: BTreeSet<&str> = BTreeSet::new();
    for m in &data.monitoring {
        let r = ratio(m.executed, amount[m.project_code.as_str()]);
        if r < q {
            bad.insert(&m.project_code);
            if m.explanation.is_empty() || m.measures.is_empty() {
                low_unexplained += 1;
            } else {
                low_explained += 1;
            }
        }
        if r == q {
            exactly += 1;
        }
        if r > Decimal::ONE {
            over += 1;
            bad.insert(&m.project_code);
        }
    }
    let mut low_progress = 0;
    let mut possible = 0;
    let mut impossible = 0;
    for row in &data.progress {
        let ind = inds[row.project_code.as_str()]
            .iter()
            .find(|i| i.name == row.indicator_name)
            .expect("indicator");
        if let (Some(cur), Some(target)) = (number(&row.current_value), number(&ind.target_value))
            && matches!(ind.direction, Direction::AtLeast | Direction::Equal)
            && target > Decimal::ZERO
            && cur / target < q
        {
            low_progress += 1;
            bad.insert(&row.project_code);
        }
        match row.likelihood {
            Some(Likelihood::Possible) => possible += 1,
            Some(Likelihood::Impossible) => impossible += 1,
            _ => continue,
        }
        bad.insert(&row.project_code);
    }
    for (name, n) in [
        ("low explained", low_explained),
        ("low unexplained", low_unexplained),
        ("exactly 75 %", exactly),
        ("over budget", over),
        ("low progress", low_progress),
        ("有可能", possible),
        ("不可能", impossible),
    ] {
        assert!(n >= 3, "{name}: {n}");
    }
    for kind in MONITORING_KINDS {
        assert!(manifest.defects.get(kind).copied().unwrap_or(0) >= 3, "{kind}");
    }
    let planted = defect_codes(manifest, &MONITORING_KINDS);
    for code in &bad {
        assert!(planted.contains(*code), "unplanted monitoring exception in {code}");
    }
    let boundary: BTreeSet<&str> = manifest
        .boundaries
        .iter()
        .filter(|b| b.kind == MON_EXACTLY_75)
        .map(|b| b.code.as_str())
        .collect();
    assert_eq!(boundary.len(), exactly);
    assert!(
        boundary.iter().all(|c| !planted.contains(*c)),
        "the 75 % boundary is not a defect"
    );
    // Clean monitoring is ahead of the time elapsed (10/12).
    for m in data.monitoring.iter().filter(|m| !planted.contains(&m.project_code)) {
        if !boundary.contains(m.project_code.as_str()) {
            assert!(ratio(m.executed, amount[m.project_code.as_str()]) * Decimal::from(12) >= Decimal::from(10));
        }
    }
}

#[test]
fn every_self_evaluation_defect_is_in_the_data_and_only_where_planted() {
    let (data, manifest) = demo();
    let amount: BTreeMap<&str, &Project> = data.projects.iter().map(|p| (p.code.as_str(), p)).collect();
    let october: BTreeMap<&str, Decimal> = data
        .monitoring
        .iter()
        .map(|m| (m.project_code.as_str(), m.executed))
        .collect();
    let inds = by_project(data);
    let mut actuals: BTreeMap<&str, Vec<_>> = BTreeMap::new();
    for a in &data.actuals {
        actuals.entry(a.project_code.as_str()).or_default().push(a);
    }
    let bands = GradeBands {
        excellent: Decimal::from(90),
        good: Decimal::from(80),
        fair: Decimal::from(60),
    };
    let planted = defect_codes(manifest, &SELF_KINDS);
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for s in &data.self_evals {
        let p = amount[s.project_code.as_str()];
        let its_inds = &inds[p.code.as_str()];
        let its_actuals = actuals.get(p.code.as_str()).cloned().unwrap_or_default();
        let mut found = Vec::new();
        if october.get(p.code.as_str()).is_some_and(|oct| s.executed < *oct) {
            found.push("self_inconsistent_with_monitoring");
        }
        if s.executed * Decimal::from(10) < p.amount * Decimal::from(9) && s.problems.trim().is_empty() {
            found.push("self_low_execution_no_reason");
        }
        let over_130 = its_actuals.iter().any(|a| {
            let ind = its_inds.iter().find(|i| i.name == a.indicator_name);
            match (ind, number(&a.actual_value)) {
                (Some(i), Some(v)) if i.direction == Direction::AtLeast => {
                    number(&i.target_value)
                        .is_some_and(|t| t > Decimal::ZERO && v >= t * Decimal::from_str("1.3").unwrap())
                        && a.deviation_reason.is_empty()
                }
                _ => false,
            }
        });
        if over_130 {
            found.push("self_actual_over_130_no_reason");
        }
        let missing = its_inds.iter().any(|i| {
            !its_actuals
                .iter()
                .any(|a| a.indicator_name == i.name && !a.actual_value.is_empty())
        });
        if missing {
            found.push("self_missing_actuals");
        }
        if s.report.is_empty() {
            found.push("self_missing_report");
        }
        let official = stand_in(&ScoreInput {
            project: p,
            indicators: &its_inds.iter().map(|i| (*i).clone()).collect::<Vec<_>>(),
            self_eval: s,
            actuals: &its_actuals.iter().map(|a| (*a).clone()).collect::<Vec<_>>(),
        })
        .round_dp(2);
        let gap = (s.self_score - official).abs();
        if gap >= Decimal::from(6) {
            found.push("self_score_off");
        } else {
            assert!(gap.is_zero(), "{}: self score {} vs {}", p.code, s.self_score, official);
        }
        if s.self_grade != Some(bands.grade(s.self_score)) {
            found.push("self_grade_mismatch");
        }
        if !planted.contains(&p.code) {
            assert!(found.is_empty(), "clean self-evaluation {} shows {found:?}", p.code);
        }
        for k in found {
            *seen.entry(k).or_default() += 1;
        }
    }
    for kind in SELF_KINDS {
        assert!(manifest.defects.get(kind).copied().unwrap_or(0) >= 3, "{kind} planted");
        assert!(
            seen.get(kind).copied().unwrap_or(0) >= 3,
            "{kind} found {:?}",
            seen.get(kind)
        );
    }
    assert!(data.self_evals.iter().any(|s| s.self_grade == Some(Grade::Excellent)));
}

#[test]
fn ten_times_the_units_gives_ten_times_the_rows() {
    let (small, _) = demo();
    let (big, manifest) = generate(
        &DemoOptions {
            units: 1240,
            ..DemoOptions::default()
        },
        &stand_in,
    );
    assert_eq!(big.units.len(), 1240);
    let names: BTreeSet<&str> = big.units.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(names.len(), 1240, "unit names stay unique at 10×");
    let codes: BTreeSet<&str> = big.projects.iter().map(|p| p.code.as_str()).collect();
    assert_eq!(codes.len(), big.projects.len());
    let factor = big.row_count() as f64 / small.row_count() as f64;
    assert!((9.0..=11.0).contains(&factor), "rows ×{factor}");
    assert_eq!(big.key_evals.len(), 80);
    let kinds = TARGET_KINDS.iter().chain(&MONITORING_KINDS).chain(&SELF_KINDS);
    for kind in kinds.chain(&UNIT_KINDS).chain(&KEY_EVAL_KINDS) {
        assert!(manifest.defects.get(kind).copied().unwrap_or(0) >= 3, "{kind} at 10×");
    }
}
