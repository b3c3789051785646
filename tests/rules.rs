//! The findings engine, rule by rule: for each rule one case that triggers it
//! and one near miss that does not, boundaries included; a clean, realistic
//! project has no finding in any stage; the catalogue lists exactly the ids
//! the rules emit.

use chrono::NaiveDate;
use jixiao::config::Config;
use jixiao::domain::params::RuleParams;
use jixiao::domain::rules::*;
use jixiao::domain::*;
use rust_decimal::Decimal;
use rust_decimal::dec;
use std::collections::BTreeSet;

// ── fixtures ────────────────────────────────────────────────────────────────

fn params() -> RuleParams {
    Config::defaults().rules
}

const UNIT: &str = "101001";
const CODE: &str = "P001";

/// A 3,000,000 元 special fund for vocational training, as a careful unit fills it.
fn project() -> Project {
    Project {
        year: 2023,
        code: CODE.into(),
        unit_code: UNIT.into(),
        name: "职业技能培训补贴".into(),
        budget_kind: BudgetKind::GeneralPublic,
        fund_kind: FundKind::Special,
        amount: dec!(3000000),
        annual_goal: "全年开展职业技能培训1000人次，培训合格率不低于95%，学员就业率达到80%以上".into(),
    }
}

fn ind(level1: Level1, level2: Level2, name: &str, direction: Direction, value: &str, unit: &str) -> Indicator {
    Indicator {
        project_code: CODE.into(),
        level1,
        level2,
        name: name.into(),
        direction,
        target_value: value.into(),
        measure_unit: unit.into(),
        weight: None,
        explanation: String::new(),
    }
}

/// The full tree: 数量/质量/时效/成本 (2021 tree)/效益/满意度, all numeric.
fn indicators() -> Vec<Indicator> {
    use Direction::*;
    vec![
        ind(Level1::Output, Level2::Quantity, "培训人数", AtLeast, "1000", "人次"),
        ind(Level1::Output, Level2::Quality, "培训合格率", AtLeast, "95", "%"),
        ind(Level1::Output, Level2::Timeliness, "补贴按时发放率", AtLeast, "95", "%"),
        ind(Level1::Cost, Level2::EconomicCost, "人均培训成本", AtMost, "2500", "元"),
        ind(Level1::Benefit, Level2::SocialBenefit, "学员就业率", AtLeast, "80", "%"),
        ind(
            Level1::Satisfaction,
            Level2::Satisfaction,
            "学员满意度",
            AtLeast,
            "90",
            "%",
        ),
    ]
}

fn without(name: &str) -> Vec<Indicator> {
    indicators().into_iter().filter(|i| i.name != name).collect()
}

fn with_value(name: &str, value: &str, unit: &str) -> Vec<Indicator> {
    indicators()
        .into_iter()
        .map(|mut i| {
            if i.name == name {
                i.target_value = value.into();
                i.measure_unit = unit.into();
            }
            i
        })
        .collect()
}

fn monitoring(executed: Decimal) -> Monitoring {
    Monitoring {
        project_code: CODE.into(),
        period: "2023-10".into(),
        executed,
        explanation: String::new(),
        measures: String::new(),
    }
}

fn progress(name: &str, current: &str, likelihood: Option<Likelihood>) -> IndicatorProgress {
    IndicatorProgress {
        project_code: CODE.into(),
        indicator_name: name.into(),
        current_value: current.into(),
        expected_value: String::new(),
        likelihood,
        reason: String::new(),
        action: String::new(),
    }
}

fn clean_progress() -> Vec<IndicatorProgress> {
    let certain = Some(Likelihood::Certain);
    vec![
        progress("培训人数", "800", certain),
        progress("培训合格率", "96", certain),
        progress("补贴按时发放率", "95", certain),
        progress("人均培训成本", "2300", certain),
        progress("学员就业率", "78", certain),
        progress("学员满意度", "92", certain),
    ]
}

fn self_eval(executed: Decimal, self_score: Decimal, grade: Option<Grade>) -> SelfEval {
    SelfEval {
        project_code: CODE.into(),
        executed,
        self_score,
        self_grade: grade,
        report: "项目全年完成培训1100人次，合格率96%，就业率85%，资金全部拨付到位。".into(),
        problems: String::new(),
        measures: String::new(),
    }
}

fn actual(name: &str, value: &str) -> IndicatorActual {
    IndicatorActual {
        project_code: CODE.into(),
        indicator_name: name.into(),
        actual_value: value.into(),
        tier: None,
        deviation_reason: String::new(),
    }
}

fn clean_actuals() -> Vec<IndicatorActual> {
    vec![
        actual("培训人数", "1100"),
        actual("培训合格率", "96"),
        actual("补贴按时发放率", "97"),
        actual("人均培训成本", "2400"),
        actual("学员就业率", "85"),
        actual("学员满意度", "93"),
    ]
}

fn actuals_with(name: &str, value: &str) -> Vec<IndicatorActual> {
    clean_actuals()
        .into_iter()
        .map(|a| {
            if a.indicator_name == name {
                actual(name, value)
            } else {
                a
            }
        })
        .collect()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn key_eval(score: Option<Decimal>, grade: Option<Grade>) -> KeyEval {
    KeyEval {
        year: 2023,
        object_code: CODE.into(),
        firm: "湖南建业会计师事务所".into(),
        amount: dec!(30000000),
        score,
        grade,
        documents: KeyEvalDocuments {
            working_papers: Some(day(2023, 6, 1)),
            receipt: Some(day(2023, 6, 5)),
            feedback: Some(day(2023, 7, 1)),
        },
        problems: Vec::new(),
    }
}

fn review(state: ReviewState, opinion: &str) -> Review {
    Review {
        id: 1,
        stage: Stage::SelfEval,
        unit_code: UNIT.into(),
        project_code: Some(CODE.into()),
        state,
        opinion: opinion.into(),
        verdicts: Verdicts::default(),
        decided_by: Some("li".into()),
        decided_at: None,
        version: 1,
    }
}

fn rectification(state: RectState, deadline: NaiveDate, evidence: &str) -> Rectification {
    Rectification {
        id: 1,
        source_stage: Stage::Monitoring,
        source_review: Some(1),
        unit_code: UNIT.into(),
        project_code: Some(CODE.into()),
        problem: "预算执行进度偏慢".into(),
        required_measure: "加快资金拨付".into(),
        deadline,
        state,
        evidence: evidence.into(),
        verified_by: None,
        verified_at: None,
        extensions: Vec::new(),
        version: 1,
    }
}

fn unit() -> Unit {
    Unit {
        code: UNIT.into(),
        name: "区人力资源和社会保障局".into(),
        department: "区人社局".into(),
        section: "社保科".into(),
    }
}

// ── helpers ─────────────────────────────────────────────────────────────────

fn targets(p: &Project, inds: &[Indicator]) -> Vec<Finding> {
    target_findings(p, inds, &params())
}

fn has(findings: &[Finding], rule: &str) -> bool {
    findings.iter().any(|f| f.rule == rule)
}

/// The single finding of that rule; fails listing what was found instead.
fn only<'a>(findings: &'a [Finding], rule: &str) -> &'a Finding {
    let hits: Vec<&Finding> = findings.iter().filter(|f| f.rule == rule).collect();
    assert_eq!(hits.len(), 1, "expected one {rule}, got {findings:#?}");
    hits[0]
}

fn assert_message(f: &Finding, needles: &[&str]) {
    for n in needles {
        assert!(f.message.contains(n), "{} message lacks 「{n}」: {}", f.rule, f.message);
    }
}

// ── a clean project has no finding anywhere ─────────────────────────────────

#[test]
fn clean_realistic_project_has_no_finding_in_any_stage() {
    let p = params();
    let proj = project();
    let inds = indicators();
    assert_eq!(target_findings(&proj, &inds, &p), vec![]);
    let overall = Project {
        code: "U101001".into(),
        fund_kind: FundKind::UnitOverall,
        ..project()
    };
    assert_eq!(unit_findings(&unit(), &[(&overall, 8), (&proj, 6)], &p), vec![]);
    let oct = monitoring(dec!(2400000));
    assert_eq!(monitoring_findings(&proj, &inds, &oct, &clean_progress(), &p), vec![]);
    // 100 % executed, every target met: recomputed 100, self score 98 within the margin.
    let se = self_eval(dec!(3000000), dec!(98), Some(Grade::Excellent));
    assert_eq!(
        self_eval_findings(&proj, &inds, &se, &clean_actuals(), Some(&oct), &p),
        vec![]
    );
    let ke = key_eval(Some(dec!(92.5)), Some(Grade::Excellent));
    assert_eq!(key_eval_findings(&ke, &p), vec![]);
    let r = review(ReviewState::Approved, "数据确认");
    assert_eq!(review_findings(&r, &[], &p), vec![]);
    let x = rectification(RectState::InProgress, day(2024, 3, 31), "");
    assert_eq!(rectification_findings(&x, day(2024, 1, 15)), vec![]);
}

#[test]
fn findings_are_deterministic() {
    let mut inds = with_value("培训人数", "有效提升", "人次");
    inds.push(ind(
        Level1::Output,
        Level2::Quantity,
        "培训人数",
        Direction::AtLeast,
        "1000",
        "人次",
    ));
    let mut proj = project();
    proj.annual_goal = "进一步加强培训".into();
    let first = targets(&proj, &inds);
    assert!(first.len() >= 3, "{first:#?}");
    assert_eq!(first, targets(&proj, &inds));
}

// ── target audit ────────────────────────────────────────────────────────────

#[test]
fn t_none_project_without_indicators() {
    let f = targets(&project(), &[]);
    let hit = only(&f, "T-NONE");
    assert_eq!(hit.severity, Severity::Blocking);
    assert_eq!(hit.stage, Stage::Target);
    assert_eq!(hit.project_code.as_deref(), Some(CODE));
    assert_message(hit, &["职业技能培训补贴", "三无"]);
    // No echo of every missing level when there is nothing at all.
    assert!(!has(&f, "T-QTY") && !has(&f, "T-COST"), "{f:#?}");
    assert!(!has(&targets(&project(), &indicators()[..1]), "T-NONE"));
}

#[test]
fn t_goal_missing_and_short() {
    let mut proj = project();
    proj.annual_goal = "  ".into();
    let hit = only(&targets(&proj, &indicators()), "T-GOAL").clone();
    assert_eq!(hit.severity, Severity::Blocking);
    assert!(!has(&targets(&project(), &indicators()), "T-GOAL"));

    // min_goal_chars = 20: 19 characters are too few, 20 are enough.
    proj.annual_goal = "资助困难学生".repeat(3) + "按";
    assert_eq!(proj.annual_goal.chars().count(), 19);
    let f = targets(&proj, &indicators());
    let hit = only(&f, "T-GOAL-SHORT");
    assert_eq!(hit.severity, Severity::Warning);
    assert_message(hit, &["19", "20"]);
    proj.annual_goal.push('时');
    assert!(!has(&targets(&proj, &indicators()), "T-GOAL-SHORT"));
}

#[test]
fn t_missing_levels_each_their_own_rule() {
    let cases = [
        ("培训人数", "T-QTY", Severity::Blocking, "数量"),
        ("培训合格率", "T-QUAL", Severity::Blocking, "质量"),
        ("补贴按时发放率", "T-TIME", Severity::Warning, "时效"),
        ("人均培训成本", "T-COST", Severity::Blocking, "成本"),
        ("学员就业率", "T-BENEFIT", Severity::Blocking, "效益"),
        ("学员满意度", "T-SATIS", Severity::Warning, "满意度"),
    ];
    let full = targets(&project(), &indicators());
    for (removed, rule, severity, word) in cases {
        let f = targets(&project(), &without(removed));
        let hit = only(&f, rule);
        assert_eq!(hit.severity, severity, "{rule}");
        assert_message(hit, &[word]);
        assert!(!has(&full, rule), "{rule} on the full tree");
    }
}

#[test]
fn t_cost_accepts_both_trees() {
    // Older tree: 成本 under 产出.
    let old: Vec<Indicator> = indicators()
        .into_iter()
        .map(|mut i| {
            if i.name == "人均培训成本" {
                i.level1 = Level1::Output;
                i.level2 = Level2::Cost;
            }
            i
        })
        .collect();
    assert!(!has(&targets(&project(), &old), "T-COST"));
    // 2021 tree, 社会成本.
    let social: Vec<Indicator> = indicators()
        .into_iter()
        .map(|mut i| {
            if i.name == "人均培训成本" {
                i.level2 = Level2::SocialCost;
            }
            i
        })
        .collect();
    assert!(!has(&targets(&project(), &social), "T-COST"));
}

#[test]
fn t_vague_goal_and_indicator_value() {
    let mut proj = project();
    proj.annual_goal = "进一步提高培训质量，有效促进就业，加强项目管理工作".into();
    let f = targets(&proj, &indicators());
    let hit = only(&f, "T-VAGUE");
    assert_eq!(hit.severity, Severity::Blocking);
    assert_eq!(hit.indicator, None);
    assert_message(hit, &["进一步", "目标空泛"]);
    // The same words with a figure are a quantified goal.
    proj.annual_goal = "进一步提高培训质量，全年培训1000人次，合格率不低于95%".into();
    assert!(!has(&targets(&proj, &indicators()), "T-VAGUE"));

    let f = targets(&project(), &with_value("学员就业率", "明显提升", "%"));
    let hit = only(&f, "T-VAGUE");
    assert_eq!(hit.indicator.as_deref(), Some("学员就业率"));
    assert_message(hit, &["学员就业率", "明显提升", "明显"]);
    // Vagueness is the finding; not also "not a number".
    assert!(!has(&f, "T-VALUE-TYPE"), "{f:#?}");
    assert!(!has(
        &targets(&project(), &with_value("学员就业率", "≥80", "%")),
        "T-VAGUE"
    ));
}

#[test]
fn t_qualitative_only() {
    let qual: Vec<Indicator> = indicators()
        .into_iter()
        .map(|mut i| {
            i.direction = Direction::Qualitative;
            i.target_value = "达到预期".into();
            i.measure_unit = String::new();
            i
        })
        .collect();
    let f = targets(&project(), &qual);
    let hit = only(&f, "T-QUALONLY");
    assert_eq!(hit.severity, Severity::Blocking);
    assert_message(hit, &["6", "「学员满意度」", "定性", "未细化量化"]);
    // One qualitative indicator among quantitative ones is fine.
    let mut mixed = indicators();
    mixed[4] = qual[4].clone();
    assert!(!has(&targets(&project(), &mixed), "T-QUALONLY"));
}

#[test]
fn t_value_type_each_form_seen_in_published_tables() {
    let cases: Vec<(Vec<Indicator>, &str, &str)> = vec![
        // 定量 with a text value.
        (
            with_value("补贴按时发放率", "按月安排", "%"),
            "补贴按时发放率",
            "按月安排",
        ),
        // An amount with unit %.
        (with_value("培训人数", "28.8万元", "%"), "培训人数", "28.8万元"),
        // A cost given as a percentage.
        (with_value("人均培训成本", "≤5%", "%"), "人均培训成本", "成本"),
    ];
    for (inds, name, needle) in cases {
        let f = targets(&project(), &inds);
        let hit = only(&f, "T-VALUE-TYPE");
        assert_eq!(hit.severity, Severity::Blocking);
        assert_eq!(hit.indicator.as_deref(), Some(name));
        assert_message(hit, &[name, needle]);
    }
    // 定性 with unit %.
    let mut inds = indicators();
    inds[1].direction = Direction::Qualitative;
    inds[1].target_value = "合格".into();
    let hit = only(&targets(&project(), &inds), "T-VALUE-TYPE").clone();
    assert_message(&hit, &["培训合格率", "定性", "%"]);
    // Near misses: the same indicators written properly.
    assert!(!has(
        &targets(&project(), &with_value("人均培训成本", "≤28.8万元", "万元")),
        "T-VALUE-TYPE"
    ));
    inds[1].measure_unit = String::new();
    assert!(!has(&targets(&project(), &inds), "T-VALUE-TYPE"));
}

#[test]
fn t_unit_missing_unit_or_direction() {
    let f = targets(&project(), &with_value("培训人数", "≥1000", ""));
    let hit = only(&f, "T-UNIT");
    assert_eq!(hit.severity, Severity::Warning);
    assert_message(hit, &["培训人数", "计量单位"]);
    // A unit written after the figure counts.
    assert!(!has(
        &targets(&project(), &with_value("培训人数", "≥1000人次", "")),
        "T-UNIT"
    ));

    // A figure declared 定性 has no direction.
    let mut inds = indicators();
    inds[0].direction = Direction::Qualitative;
    let hit = only(&targets(&project(), &inds), "T-UNIT").clone();
    assert_message(&hit, &["培训人数", "1000", "≥/≤/="]);
}

#[test]
fn t_too_few_for_the_fund_size() {
    // 1,000,000 元 and above need 5 indicators; below, 3.
    let four = &indicators()[..4];
    let mut proj = project();
    proj.amount = dec!(1000000);
    let f = targets(&proj, four);
    let hit = only(&f, "T-TOO-FEW");
    assert_eq!(hit.severity, Severity::Warning);
    assert_message(hit, &["4", "5", "100.00 万元"]);
    proj.amount = dec!(999999.99);
    assert!(!has(&targets(&proj, four), "T-TOO-FEW"));
    proj.amount = dec!(1000000);
    assert!(!has(&targets(&proj, &indicators()[..5]), "T-TOO-FEW"));
}

#[test]
fn t_cost_over_budget_counts_only_amounts_and_converts_wan() {
    let mut inds = with_value("人均培训成本", "≤200", "万元");
    inds.push(ind(
        Level1::Cost,
        Level2::EconomicCost,
        "场地租赁成本",
        Direction::AtMost,
        "≤1,000,000.01",
        "元",
    ));
    let f = targets(&project(), &inds);
    let hit = only(&f, "T-COST-OVER");
    assert_eq!(hit.severity, Severity::Blocking);
    assert_message(hit, &["300.00 万元"]);
    // Exactly the budget: 200万 + 100万 = 300万.
    inds[6].target_value = "≤1,000,000".into();
    assert!(!has(&targets(&project(), &inds), "T-COST-OVER"));
    // `280万元` under unit 万元 is 2,800,000 元, not 28,000,000,000.
    let f = targets(&project(), &with_value("人均培训成本", "≤280万元", "万元"));
    assert!(!has(&f, "T-COST-OVER"), "{f:#?}");
    // A cost in 人次 or % does not add to money.
    let f = targets(&project(), &with_value("人均培训成本", "≤5000000", "人次"));
    assert!(!has(&f, "T-COST-OVER"));
}

#[test]
fn t_satisfaction_outside_0_to_100() {
    let f = targets(&project(), &with_value("学员满意度", "≥120", "%"));
    let hit = only(&f, "T-SATIS-RANGE");
    assert_eq!(hit.severity, Severity::Blocking);
    assert_message(hit, &["学员满意度", "120", "0–100%"]);
    assert!(!has(
        &targets(&project(), &with_value("学员满意度", "≥100%", "")),
        "T-SATIS-RANGE"
    ));
}

#[test]
fn t_duplicate_indicators() {
    let mut inds = indicators();
    let mut twin = inds[0].clone();
    twin.level2 = Level2::Quality;
    twin.name = "培训 人数".into();
    inds.push(twin);
    let f = targets(&project(), &inds);
    let hit = only(&f, "T-DUP");
    assert_eq!(hit.severity, Severity::Warning);
    assert_message(hit, &["培训", "2 次"]);
    assert!(!has(&targets(&project(), &indicators()), "T-DUP"));
}

#[test]
fn u_unit_without_targets_or_without_overall_targets() {
    let p = params();
    let proj = project();
    let f = unit_findings(&unit(), &[(&proj, 0)], &p);
    let hit = only(&f, "U-NONE");
    assert_eq!(hit.severity, Severity::Blocking);
    assert_eq!(hit.project_code, None);
    assert_message(hit, &["区人力资源和社会保障局", "三无"]);
    assert!(has(&unit_findings(&unit(), &[], &p), "U-NONE"));

    let f = unit_findings(&unit(), &[(&proj, 6)], &p);
    let hit = only(&f, "U-OVERALL");
    assert_eq!(hit.severity, Severity::Blocking);
    assert!(!has(&f, "U-NONE"));
    let overall = Project {
        fund_kind: FundKind::UnitOverall,
        ..project()
    };
    assert!(unit_findings(&unit(), &[(&overall, 5)], &p).is_empty());
    // An overall project with no indicators is no overall target.
    assert!(has(
        &unit_findings(&unit(), &[(&overall, 0), (&proj, 6)], &p),
        "U-OVERALL"
    ));
}

// ── monitoring ──────────────────────────────────────────────────────────────

fn monitor(proj: &Project, mon: &Monitoring, prog: &[IndicatorProgress], p: &RuleParams) -> Vec<Finding> {
    monitoring_findings(proj, &indicators(), mon, prog, p)
}

#[test]
fn m_key_project_amount_is_inclusive() {
    let p = params();
    let mut proj = project();
    proj.amount = dec!(2000000);
    let f = monitor(&proj, &monitoring(dec!(1000000)), &clean_progress(), &p);
    assert!(has(&f, "M-EXEC"), "{f:#?}");
    proj.amount = dec!(1999999.99);
    let f = monitor(&proj, &monitoring(dec!(1000000)), &clean_progress(), &p);
    assert_eq!(f, vec![]);
}

#[test]
fn m_exec_exactly_75_percent_passes() {
    let p = params();
    let mut proj = project();
    proj.amount = dec!(2000000);
    let mut mon = monitoring(dec!(1500000));
    mon.explanation = "采购合同已签订，尾款年底支付".into();
    mon.measures = "加快项目验收和资金拨付".into();
    assert!(!has(&monitor(&proj, &mon, &clean_progress(), &p), "M-EXEC"));
    mon.executed = dec!(1499800);
    let f = monitor(&proj, &mon, &clean_progress(), &p);
    let hit = only(&f, "M-EXEC");
    assert_eq!(hit.severity, Severity::Warning);
    assert_eq!(hit.stage, Stage::Monitoring);
    assert_eq!(
        hit.message,
        "预算执行率 74.99%（执行 149.98 万元 / 预算 200.00 万元），低于 75%"
    );
    assert!(!has(&f, "M-EXPLAIN"), "explained exception: {f:#?}");
}

#[test]
fn m_exec_message_as_the_bureau_reads_it() {
    let mut proj = project();
    proj.amount = dec!(2000000);
    let f = monitor(&proj, &monitoring(dec!(1246000)), &clean_progress(), &params());
    assert_eq!(
        only(&f, "M-EXEC").message,
        "预算执行率 62.3%（执行 124.60 万元 / 预算 200.00 万元），低于 75%"
    );
}

#[test]
fn m_elapsed_only_when_configured() {
    let mut p = params();
    // October: 10/12 = 83.3 %; 80 % passes the 75 % threshold but lags time.
    let mon = monitoring(dec!(2400000));
    assert!(!has(&monitor(&project(), &mon, &clean_progress(), &p), "M-ELAPSED"));
    p.monitoring.compare_time_elapsed = true;
    let f = monitor(&project(), &mon, &clean_progress(), &p);
    let hit = only(&f, "M-ELAPSED");
    assert_eq!(hit.severity, Severity::Info);
    assert_message(hit, &["80.0%", "83.3%", "2023-10"]);
    let f = monitor(&project(), &monitoring(dec!(2500000)), &clean_progress(), &p);
    assert!(!has(&f, "M-ELAPSED"), "{f:#?}");
}

#[test]
fn m_progress_ratio_for_at_least_and_ceiling_for_at_most() {
    let p = params();
    let mon = monitoring(dec!(2400000));
    let mut prog = clean_progress();
    prog[0].current_value = "740".into();
    prog[0].reason = "部分培训班安排在11月".into();
    prog[0].action = "11月加开两期".into();
    let f = monitor(&project(), &mon, &prog, &p);
    let hit = only(&f, "M-PROGRESS");
    assert_eq!(hit.severity, Severity::Warning);
    assert_eq!(hit.indicator.as_deref(), Some("培训人数"));
    assert_message(hit, &["培训人数", "74.0%", "740", "1000", "75%"]);
    // The row's own reason and action explain it.
    assert!(!has(&f, "M-EXPLAIN"), "{f:#?}");
    prog[0].current_value = "750".into();
    assert!(!has(&monitor(&project(), &mon, &prog, &p), "M-PROGRESS"));

    // ≤ 2500 元: 100 元 so far is not "4 % progress"; 2501 breaches the ceiling.
    prog[3].current_value = "100".into();
    assert!(!has(&monitor(&project(), &mon, &prog, &p), "M-PROGRESS"));
    prog[3].current_value = "2500".into();
    assert!(!has(&monitor(&project(), &mon, &prog, &p), "M-PROGRESS"));
    prog[3].current_value = "2501".into();
    let f = monitor(&project(), &mon, &prog, &p);
    let hit = only(&f, "M-PROGRESS");
    assert_message(hit, &["人均培训成本", "2501", "上限"]);
}

#[test]
fn m_likelihood_possible_warns_impossible_blocks() {
    let p = params();
    let mon = monitoring(dec!(2400000));
    let mut prog = clean_progress();
    prog[4].likelihood = Some(Likelihood::Possible);
    let f = monitor(&project(), &mon, &prog, &p);
    let hit = only(&f, "M-LIKELY");
    assert_eq!(hit.severity, Severity::Warning);
    assert_message(hit, &["学员就业率", "有可能"]);
    assert!(!has(&f, "M-IMPOSSIBLE"));
    prog[4].likelihood = Some(Likelihood::Impossible);
    let f = monitor(&project(), &mon, &prog, &p);
    let hit = only(&f, "M-IMPOSSIBLE");
    assert_eq!(hit.severity, Severity::Blocking);
    assert_message(hit, &["学员就业率", "不可能"]);
    prog[4].likelihood = Some(Likelihood::Certain);
    let f = monitor(&project(), &mon, &prog, &p);
    assert!(!has(&f, "M-LIKELY") && !has(&f, "M-IMPOSSIBLE"));
}

#[test]
fn m_explain_needs_both_explanation_and_measures() {
    let p = params();
    let mut mon = monitoring(dec!(1200000));
    let f = monitor(&project(), &mon, &clean_progress(), &p);
    let hit = only(&f, "M-EXPLAIN");
    assert_eq!(hit.severity, Severity::Blocking);
    assert_message(hit, &["预算执行率 40.0% 低于 75%", "情况说明", "整改措施"]);
    mon.explanation = "设备采购延期".into();
    let f = monitor(&project(), &mon, &clean_progress(), &p);
    let hit = only(&f, "M-EXPLAIN");
    assert!(!hit.message.contains("情况说明"), "{}", hit.message);
    assert_message(hit, &["整改措施"]);
    mon.measures = "11月底前完成验收付款".into();
    assert!(!has(&monitor(&project(), &mon, &clean_progress(), &p), "M-EXPLAIN"));
    // An indicator exception without any explanation, execution fine.
    let mut prog = clean_progress();
    prog[1].current_value = "50".into();
    let f = monitor(&project(), &monitoring(dec!(2400000)), &prog, &p);
    let hit = only(&f, "M-EXPLAIN");
    assert_eq!(hit.indicator.as_deref(), Some("培训合格率"));
    assert_message(hit, &["培训合格率", "52.6%", "75%"]);
}

#[test]
fn m_over_execution_beyond_the_budget() {
    let p = params();
    let f = monitor(&project(), &monitoring(dec!(3000000.01)), &clean_progress(), &p);
    let hit = only(&f, "M-OVER");
    assert_eq!(hit.severity, Severity::Blocking);
    assert_message(hit, &["300.00 万元"]);
    assert!(!has(
        &monitor(&project(), &monitoring(dec!(3000000)), &clean_progress(), &p),
        "M-OVER"
    ));
}

// ── self-evaluation ─────────────────────────────────────────────────────────

fn evaluate(se: &SelfEval, acts: &[IndicatorActual], oct: Option<&Monitoring>) -> Vec<Finding> {
    self_eval_findings(&project(), &indicators(), se, acts, oct, &params())
}

#[test]
fn s_score_margin_is_inclusive() {
    // Everything met and fully executed: recomputed 100.00.
    let exact = self_eval(dec!(3000000), dec!(95), Some(Grade::Excellent));
    assert!(!has(&evaluate(&exact, &clean_actuals(), None), "S-SCORE"));
    let off = self_eval(dec!(3000000), dec!(94.99), Some(Grade::Excellent));
    let f = evaluate(&off, &clean_actuals(), None);
    let hit = only(&f, "S-SCORE");
    assert_eq!(hit.severity, Severity::Blocking);
    assert_message(hit, &["94.99", "100.00", "5.01", "5 分"]);
}

#[test]
fn s_score_names_the_biggest_loss() {
    // 培训人数 500 of 1000: 产出 50 over 4 output/cost indicators = 12.5 each, half lost.
    let se = self_eval(dec!(3000000), dec!(100), Some(Grade::Excellent));
    let f = evaluate(&se, &actuals_with("培训人数", "500"), None);
    assert_eq!(
        only(&f, "S-SCORE").message,
        "自评得分 100.00，重算得分 93.75（相差 6.25，超过 5 分）；失分最多：培训人数 −6.25"
    );
}

#[test]
fn s_grade_band_boundary() {
    let at_90 = self_eval(dec!(3000000), dec!(90), Some(Grade::Excellent));
    assert!(!has(&evaluate(&at_90, &clean_actuals(), None), "S-GRADE"));
    let below = self_eval(dec!(3000000), dec!(89.99), Some(Grade::Excellent));
    let f = evaluate(&below, &clean_actuals(), None);
    let hit = only(&f, "S-GRADE");
    assert_eq!(hit.severity, Severity::Warning);
    assert_message(hit, &["「优」", "89.99", "「良」", "90"]);
}

#[test]
fn s_exec_reason_below_90_percent_without_problems() {
    let mut se = self_eval(dec!(2699700), dec!(99), Some(Grade::Excellent));
    let f = evaluate(&se, &clean_actuals(), None);
    let hit = only(&f, "S-EXEC-REASON");
    assert_eq!(hit.severity, Severity::Blocking);
    assert_message(hit, &["89.99%", "90%", "269.97 万元", "300.00 万元"]);
    se.problems = "部分培训补贴因学员未取得证书暂缓发放".into();
    assert!(!has(&evaluate(&se, &clean_actuals(), None), "S-EXEC-REASON"));
    let at_90 = self_eval(dec!(2700000), dec!(99), Some(Grade::Excellent));
    assert!(!has(&evaluate(&at_90, &clean_actuals(), None), "S-EXEC-REASON"));
}

#[test]
fn s_over_target_at_130_percent() {
    let se = self_eval(dec!(3000000), dec!(100), Some(Grade::Excellent));
    let f = evaluate(&se, &actuals_with("培训人数", "1300"), None);
    let hit = only(&f, "S-OVER-TARGET");
    assert_eq!(hit.severity, Severity::Warning);
    assert_eq!(hit.indicator.as_deref(), Some("培训人数"));
    assert_message(hit, &["培训人数", "1300", "1000", "130%"]);
    assert!(!has(
        &evaluate(&se, &actuals_with("培训人数", "1299.9"), None),
        "S-OVER-TARGET"
    ));
    let mut acts = actuals_with("培训人数", "1300");
    acts[0].deviation_reason = "上级追加培训任务".into();
    assert!(!has(&evaluate(&se, &acts, None), "S-OVER-TARGET"));
    // A ≤ indicator far under its cap is good, not "over target".
    assert!(!has(
        &evaluate(&se, &actuals_with("人均培训成本", "500"), None),
        "S-OVER-TARGET"
    ));
}

#[test]
fn s_oct_year_end_below_october() {
    let se = self_eval(dec!(2390000), dec!(99), Some(Grade::Excellent));
    let oct = monitoring(dec!(2400000));
    let f = evaluate(&se, &clean_actuals(), Some(&oct));
    let hit = only(&f, "S-OCT");
    assert_eq!(hit.severity, Severity::Warning);
    assert_message(hit, &["239.00 万元", "240.00 万元", "2023-10"]);
    let same = self_eval(dec!(2400000), dec!(99), Some(Grade::Excellent));
    assert!(!has(&evaluate(&same, &clean_actuals(), Some(&oct)), "S-OCT"));
    assert!(!has(&evaluate(&se, &clean_actuals(), None), "S-OCT"));
}

#[test]
fn s_actual_missing_values_and_tiers() {
    let se = self_eval(dec!(3000000), dec!(99), Some(Grade::Excellent));
    let acts: Vec<IndicatorActual> = clean_actuals()
        .into_iter()
        .filter(|a| a.indicator_name != "培训合格率")
        .collect();
    let f = evaluate(&se, &acts, None);
    let hit = only(&f, "S-ACTUAL");
    assert_eq!(hit.severity, Severity::Blocking);
    assert_eq!(hit.indicator.as_deref(), Some("培训合格率"));
    assert_message(hit, &["培训合格率", "实际完成值"]);
    let f = evaluate(&se, &actuals_with("学员就业率", " "), None);
    assert_eq!(only(&f, "S-ACTUAL").indicator.as_deref(), Some("学员就业率"));

    // A 定性 indicator needs a tier, not a figure.
    let mut inds = indicators();
    inds[5].direction = Direction::Qualitative;
    inds[5].target_value = "群众基本满意".into();
    inds[5].measure_unit = String::new();
    let p = params();
    let f = self_eval_findings(&project(), &inds, &se, &clean_actuals(), None, &p);
    assert_message(only(&f, "S-ACTUAL"), &["学员满意度", "达成等级"]);
    let mut acts = clean_actuals();
    acts[5].tier = Some(QualTier::Achieved);
    let f = self_eval_findings(&project(), &inds, &se, &acts, None, &p);
    assert!(!has(&f, "S-ACTUAL"), "{f:#?}");
}

#[test]
fn s_report_missing_is_san_wu() {
    let mut se = self_eval(dec!(3000000), dec!(99), Some(Grade::Excellent));
    se.report = " \n".into();
    let f = evaluate(&se, &clean_actuals(), None);
    let hit = only(&f, "S-REPORT");
    assert_eq!(hit.severity, Severity::Blocking);
    assert_message(hit, &["自评报告", "三无"]);
    se.report = "见附件".into();
    assert!(!has(&evaluate(&se, &clean_actuals(), None), "S-REPORT"));
}

// ── key evaluation ──────────────────────────────────────────────────────────

#[test]
fn k_doc_each_missing_document_named() {
    let p = params();
    let mut ke = key_eval(Some(dec!(85)), Some(Grade::Good));
    ke.documents.receipt = None;
    let f = key_eval_findings(&ke, &p);
    let hit = only(&f, "K-DOC");
    assert_eq!(hit.severity, Severity::Blocking);
    assert_eq!(hit.stage, Stage::KeyEval);
    assert_message(hit, &["现场评价回执", "湖南建业会计师事务所"]);
    ke.documents.feedback = None;
    assert_eq!(
        key_eval_findings(&ke, &p).iter().filter(|f| f.rule == "K-DOC").count(),
        2
    );
    assert!(key_eval_findings(&key_eval(Some(dec!(85)), Some(Grade::Good)), &p).is_empty());
}

#[test]
fn k_grade_band_boundary_and_k_score() {
    let p = params();
    let f = key_eval_findings(&key_eval(Some(dec!(89.99)), Some(Grade::Excellent)), &p);
    let hit = only(&f, "K-GRADE");
    assert_eq!(hit.severity, Severity::Warning);
    assert_message(hit, &["89.99", "「良」"]);
    assert!(key_eval_findings(&key_eval(Some(dec!(90)), Some(Grade::Excellent)), &p).is_empty());

    let f = key_eval_findings(&key_eval(None, None), &p);
    let hit = only(&f, "K-SCORE");
    assert_eq!(hit.severity, Severity::Info);
    assert!(!has(&f, "K-GRADE"));
}

#[test]
fn k_findings_attributed_to_the_owning_unit() {
    let mut ke = key_eval(None, None);
    let f = key_eval_findings_in(&ke, UNIT, &params());
    assert_eq!(f[0].unit_code, UNIT);
    assert_eq!(f[0].project_code.as_deref(), Some(CODE));
    // A unit-overall evaluation has no project.
    ke.object_code = UNIT.into();
    let f = key_eval_findings_in(&ke, UNIT, &params());
    assert_eq!(f[0].project_code, None);
}

// ── review quality ──────────────────────────────────────────────────────────

fn some_findings() -> Vec<Finding> {
    targets(&project(), &without("学员满意度"))
}

#[test]
fn r_opinion_empty_boilerplate_or_short_on_items_with_findings() {
    let p = params();
    let items = some_findings();
    assert!(!items.is_empty());
    for opinion in ["", "  ", "数据确认。", "经审核，数据属实", "同意。数据无误！"] {
        let f = review_findings(&review(ReviewState::Approved, opinion), &items, &p);
        let hit = only(&f, "R-OPINION");
        assert_eq!(hit.severity, Severity::Warning, "{opinion}");
        assert_eq!(hit.stage, Stage::SelfEval);
    }
    let f = review_findings(&review(ReviewState::Returned, "数据确认。"), &items, &p);
    assert_message(only(&f, "R-OPINION"), &["数据确认", "套话"]);
}

#[test]
fn r_opinion_length_boundary() {
    let p = params();
    let items = some_findings();
    // min_opinion_chars = 15, counted without punctuation.
    let fifteen = "缺少满意度指标，请补充问卷调查表";
    assert_eq!(fifteen.chars().filter(|c| c.is_alphanumeric()).count(), 15);
    assert!(review_findings(&review(ReviewState::Returned, fifteen), &items, &p).is_empty());
    let fourteen = "缺少满意度指标，请补充问卷调查";
    let f = review_findings(&review(ReviewState::Returned, fourteen), &items, &p);
    assert_message(only(&f, "R-OPINION"), &["14", "15"]);
}

#[test]
fn r_opinion_only_on_decided_items_with_findings() {
    let p = params();
    assert!(review_findings(&review(ReviewState::Pending, ""), &some_findings(), &p).is_empty());
    assert!(review_findings(&review(ReviewState::Resubmitted, ""), &some_findings(), &p).is_empty());
    assert!(review_findings(&review(ReviewState::Approved, ""), &[], &p).is_empty());
}

// ── rectification ───────────────────────────────────────────────────────────

#[test]
fn x_overdue_from_the_day_after_the_deadline() {
    let today = day(2024, 3, 31);
    let on_time = rectification(RectState::Submitted, today, "整改报告");
    assert!(rectification_findings(&on_time, today).is_empty());
    let late = rectification(RectState::InProgress, day(2024, 3, 30), "");
    let f = rectification_findings(&late, today);
    let hit = only(&f, "X-OVERDUE");
    assert_eq!(hit.severity, Severity::Warning);
    assert_eq!(hit.stage, Stage::Rectification);
    assert_message(hit, &["1 天", "2024-03-30", "预算执行进度偏慢"]);
    let signed_off = rectification(RectState::Verified, day(2024, 1, 1), "拨付凭证");
    assert!(rectification_findings(&signed_off, today).is_empty());
}

#[test]
fn x_evidence_required_for_sign_off() {
    let today = day(2024, 1, 1);
    let f = rectification_findings(&rectification(RectState::Verified, day(2024, 3, 1), " "), today);
    let hit = only(&f, "X-EVIDENCE");
    assert_eq!(hit.severity, Severity::Blocking);
    assert_message(hit, &["销号", "佐证"]);
    let f = rectification_findings(&rectification(RectState::Submitted, day(2024, 3, 1), ""), today);
    assert!(f.is_empty());
}

// ── catalogue ───────────────────────────────────────────────────────────────

/// Every rule id the engine emits over a set of bad items.
fn ids_triggered() -> BTreeSet<String> {
    let mut p = params();
    p.monitoring.compare_time_elapsed = true;
    let mut all: Vec<Finding> = Vec::new();

    let mut vague = project();
    vague.annual_goal = "加强管理".into();
    all.extend(target_findings(&vague, &[], &p));
    let mut empty_goal = project();
    empty_goal.annual_goal = String::new();
    let mut bad = vec![
        ind(
            Level1::Output,
            Level2::Quantity,
            "培训人数",
            Direction::Qualitative,
            "有效提升",
            "%",
        ),
        ind(
            Level1::Output,
            Level2::Quantity,
            "培训人数",
            Direction::Qualitative,
            "达到预期",
            "%",
        ),
        ind(
            Level1::Satisfaction,
            Level2::Satisfaction,
            "满意度",
            Direction::Qualitative,
            "120",
            "",
        ),
    ];
    all.extend(target_findings(&empty_goal, &bad, &p));
    bad = with_value("学员满意度", "≥120", "%");
    bad.push(ind(
        Level1::Cost,
        Level2::EconomicCost,
        "总成本",
        Direction::AtMost,
        "≤400",
        "万元",
    ));
    bad.push(ind(
        Level1::Output,
        Level2::Quantity,
        "培训班次",
        Direction::AtLeast,
        "≥20",
        "",
    ));
    all.extend(target_findings(&project(), &bad, &p));
    all.extend(target_findings(&project(), &[indicators()[4].clone()], &p));
    let proj = project();
    all.extend(unit_findings(&unit(), &[], &p));
    all.extend(unit_findings(&unit(), &[(&proj, 3)], &p));

    let mut prog = clean_progress();
    prog[0].current_value = "100".into();
    prog[1].likelihood = Some(Likelihood::Possible);
    prog[2].likelihood = Some(Likelihood::Impossible);
    all.extend(monitoring_findings(
        &proj,
        &indicators(),
        &monitoring(dec!(1000000)),
        &prog,
        &p,
    ));
    all.extend(monitoring_findings(
        &proj,
        &indicators(),
        &monitoring(dec!(2400000)),
        &[],
        &p,
    ));
    all.extend(monitoring_findings(
        &proj,
        &indicators(),
        &monitoring(dec!(3100000)),
        &[],
        &p,
    ));

    let mut se = self_eval(dec!(1000000), dec!(95), Some(Grade::Good));
    se.report = String::new();
    let mut acts = actuals_with("培训人数", "5000");
    acts.pop();
    let oct = monitoring(dec!(2000000));
    all.extend(self_eval_findings(&proj, &indicators(), &se, &acts, Some(&oct), &p));

    let mut ke = key_eval(Some(dec!(70)), Some(Grade::Excellent));
    ke.documents.feedback = None;
    all.extend(key_eval_findings(&ke, &p));
    all.extend(key_eval_findings(&key_eval(None, None), &p));
    all.extend(review_findings(
        &review(ReviewState::Approved, "同意"),
        &all.clone(),
        &p,
    ));
    let today = day(2024, 6, 1);
    all.extend(rectification_findings(
        &rectification(RectState::Open, day(2024, 1, 1), ""),
        today,
    ));
    all.extend(rectification_findings(
        &rectification(RectState::Verified, day(2024, 9, 1), ""),
        today,
    ));

    for f in &all {
        let info = rule_info(f.rule.as_str()).unwrap_or_else(|| panic!("{} not in the catalogue", f.rule));
        assert_eq!(f.severity, info.severity, "{}", f.rule);
    }
    all.into_iter().map(|f| f.rule.to_string()).collect()
}

#[test]
fn catalogue_lists_exactly_the_ids_the_rules_emit() {
    let emitted = ids_triggered();
    let listed: BTreeSet<String> = catalogue().iter().map(|r| r.id.to_string()).collect();
    let missing_from_catalogue: Vec<_> = emitted.difference(&listed).collect();
    let never_emitted: Vec<_> = listed.difference(&emitted).collect();
    assert!(
        missing_from_catalogue.is_empty(),
        "not in the catalogue: {missing_from_catalogue:?}"
    );
    assert!(never_emitted.is_empty(), "never emitted: {never_emitted:?}");
}

#[test]
fn catalogue_thresholds_name_real_config_keys() {
    let defaults = include_str!("../config/default.toml");
    for r in catalogue() {
        if let Some(key) = r.threshold {
            let (section, field) = key.split_once('.').unwrap_or((key, ""));
            assert!(defaults.contains(&format!("[{section}]")), "{key}");
            // A plain key, or an array of tables such as [[target.indicator_minimums]].
            let written = defaults.contains(&format!("\n{field} =")) || defaults.contains(&format!("[[{key}]]"));
            assert!(field.is_empty() || written, "{key}");
        }
    }
}

#[test]
fn catalogue_severities_follow_the_approval_rule() {
    let sev = |id: &str| rule_info(id).map(|r| r.severity);
    for id in [
        "T-NONE",
        "T-COST",
        "T-BENEFIT",
        "T-QUALONLY",
        "T-VAGUE",
        "M-EXPLAIN",
        "M-IMPOSSIBLE",
        "S-SCORE",
        "S-REPORT",
        "K-DOC",
    ] {
        assert_eq!(sev(id), Some(Severity::Blocking), "{id}");
    }
    assert_eq!(sev("M-LIKELY"), Some(Severity::Warning));
    assert_eq!(sev("NOPE"), None);
}

#[test]
fn readme_catalogue_lists_every_rule_with_its_severity_and_key() {
    let readme = include_str!("../README.md");
    let start = readme.find("## 规则目录").expect("README has a rule catalogue section");
    let section = &readme[start..];
    let end = section[3..].find("\n## ").map_or(section.len(), |i| i + 3);
    let rows: Vec<&str> = section[..end].lines().filter(|l| l.starts_with("| `")).collect();
    assert_eq!(rows.len(), catalogue().len(), "README rule catalogue rows vs catalogue");
    for r in catalogue() {
        let row = rows
            .iter()
            .find(|l| l.starts_with(&format!("| `{}` |", r.id)))
            .unwrap_or_else(|| panic!("{} missing from the README rule catalogue", r.id));
        assert!(row.contains(r.stage.label()), "{row}");
        assert!(row.contains(r.severity.label()), "{row}");
        assert!(row.contains(r.title), "{row}");
        let key = r.threshold.map_or("—".to_string(), |k| format!("`{k}`"));
        assert!(row.ends_with(&format!("| {key} |")), "{row}");
    }
}
