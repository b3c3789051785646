//! Self-evaluation scoring on worked examples, each computed by hand below
//! from DESIGN.md "Scoring" (财预〔2020〕10号) with the default weights
//! 预算执行率 10 / 产出 50 / 效益 30 / 满意度 10 and tiers 1.0 / 0.7 / 0.3.

use jixiao::config::Config;
use jixiao::domain::scoring::{ScoreGroup, ScoreInput, quantitative_ratio, score};
use jixiao::domain::*;
use rust_decimal::Decimal;
use rust_decimal::dec;

fn project(amount: Decimal) -> Project {
    Project {
        year: 2023,
        code: "P001".into(),
        unit_code: "101001".into(),
        name: "学生资助项目".into(),
        budget_kind: BudgetKind::GeneralPublic,
        fund_kind: FundKind::Special,
        amount,
        annual_goal: "资助家庭经济困难学生1200人次，资助资金按时足额发放".into(),
    }
}

fn ind(
    level1: Level1,
    level2: Level2,
    name: &str,
    dir: Direction,
    value: &str,
    unit: &str,
    weight: Option<Decimal>,
) -> Indicator {
    Indicator {
        project_code: "P001".into(),
        level1,
        level2,
        name: name.into(),
        direction: dir,
        target_value: value.into(),
        measure_unit: unit.into(),
        weight,
        explanation: String::new(),
    }
}

fn actual(name: &str, value: &str, tier: Option<QualTier>) -> IndicatorActual {
    IndicatorActual {
        project_code: "P001".into(),
        indicator_name: name.into(),
        actual_value: value.into(),
        tier,
        deviation_reason: String::new(),
    }
}

fn self_eval(executed: Decimal) -> SelfEval {
    SelfEval {
        project_code: "P001".into(),
        executed,
        self_score: Decimal::ZERO,
        self_grade: None,
        report: "自评报告".into(),
        problems: String::new(),
        measures: String::new(),
    }
}

fn run(p: &Project, inds: &[Indicator], se: &SelfEval, acts: &[IndicatorActual]) -> scoring::ScoreCard {
    let cfg = Config::defaults();
    score(
        &ScoreInput {
            project: p,
            indicators: inds,
            self_eval: se,
            actuals: acts,
        },
        &cfg.rules.scoring,
        &cfg.rules.grades,
    )
}

use jixiao::domain::scoring;

/// 执行 900,000 / 1,000,000 = 90 % → 10 × 0.9 = 9.00
/// 产出 50 over four equal shares of 12.5:
///   培训人数 ≥1000, actual 800 → 12.5 × 0.8 = 10.00
///   合格率 ≥95%, actual 96% → 12.50
///   完成时限 ≤30 天, actual 36 → 12.5 × (1 − 6/30) = 10.00
///   人均成本 ≤500, actual 1000 (= 2 × target) → 0
///   = 32.50
/// 效益 30 over two qualitative shares of 15: 达成 15 × 1.0 = 15; 部分达成 15 × 0.7 = 10.50 → 25.50
/// 满意度 10: ≥90%, actual 85% → 10 × 85/90 = 9.444… → 9.44
/// Total 9 + 32.5 + 25.5 + 9.44 = 76.44 → 中 (60 ≤ 76.44 < 80)
#[test]
fn worked_example_mixed_directions() {
    let p = project(dec!(1000000));
    let inds = vec![
        ind(
            Level1::Output,
            Level2::Quantity,
            "培训人数",
            Direction::AtLeast,
            "1000",
            "人次",
            None,
        ),
        ind(
            Level1::Output,
            Level2::Quality,
            "合格率",
            Direction::AtLeast,
            "95%",
            "%",
            None,
        ),
        ind(
            Level1::Output,
            Level2::Timeliness,
            "完成时限",
            Direction::AtMost,
            "30",
            "天",
            None,
        ),
        ind(
            Level1::Output,
            Level2::Cost,
            "人均成本",
            Direction::AtMost,
            "500",
            "元/人",
            None,
        ),
        ind(
            Level1::Benefit,
            Level2::SocialBenefit,
            "群众获得感",
            Direction::Qualitative,
            "明显增强",
            "",
            None,
        ),
        ind(
            Level1::Benefit,
            Level2::Sustainability,
            "长效机制",
            Direction::Qualitative,
            "建立",
            "",
            None,
        ),
        ind(
            Level1::Satisfaction,
            Level2::Satisfaction,
            "受助学生满意度",
            Direction::AtLeast,
            "90%",
            "%",
            None,
        ),
    ];
    let acts = vec![
        actual("培训人数", "800", None),
        actual("合格率", "96%", None),
        actual("完成时限", "36", None),
        actual("人均成本", "1000", None),
        actual("群众获得感", "", Some(QualTier::Achieved)),
        actual("长效机制", "", Some(QualTier::Partial)),
        actual("受助学生满意度", "85%", None),
    ];
    let card = run(&p, &inds, &self_eval(dec!(900000)), &acts);
    let earned: Vec<(String, Decimal)> = card.lines.iter().map(|l| (l.item.clone(), l.earned)).collect();
    assert_eq!(
        earned,
        vec![
            ("预算执行率".to_string(), dec!(9.00)),
            ("培训人数".to_string(), dec!(10.00)),
            ("合格率".to_string(), dec!(12.50)),
            ("完成时限".to_string(), dec!(10.00)),
            ("人均成本".to_string(), dec!(0)),
            ("群众获得感".to_string(), dec!(15)),
            ("长效机制".to_string(), dec!(10.50)),
            ("受助学生满意度".to_string(), dec!(9.44)),
        ]
    );
    assert_eq!(card.total, dec!(76.44));
    assert_eq!(card.grade, Grade::Fair);
    // every point lost is explained
    for l in &card.lines {
        assert_eq!(l.lost() > Decimal::ZERO, !l.reason.is_empty(), "{l:?}");
    }
    assert!(card.lines[0].reason.contains("90.0%"));
}

/// No 满意度 indicator: its 10 points go to 产出 and 效益 in proportion 50:30:
/// 产出 50 + 10 × 50/80 = 56.25, 效益 30 + 10 × 30/80 = 33.75.
/// 执行 2,100,000 / 2,000,000 > 100 % → full 10.
/// 道路长度 ≥5 公里, actual 5 → 56.25. 安全事故 = 0 起, actual 1 → 0 (target 0: full only if actual ≤ 0).
/// Total 10 + 56.25 + 0 = 66.25 → 中.
#[test]
fn worked_example_missing_satisfaction_group() {
    let p = project(dec!(2000000));
    let inds = vec![
        ind(
            Level1::Output,
            Level2::Quantity,
            "道路长度",
            Direction::AtLeast,
            "5",
            "公里",
            None,
        ),
        ind(
            Level1::Benefit,
            Level2::SocialBenefit,
            "安全事故",
            Direction::Equal,
            "0",
            "起",
            None,
        ),
    ];
    let acts = vec![actual("道路长度", "5", None), actual("安全事故", "1", None)];
    let card = run(&p, &inds, &self_eval(dec!(2100000)), &acts);
    assert_eq!(card.lines[1].weight, dec!(56.25));
    assert_eq!(card.lines[2].weight, dec!(33.75));
    assert_eq!(card.lines[2].group, Some(ScoreGroup::Benefit));
    assert_eq!(card.total, dec!(66.25));
    assert_eq!(card.grade, Grade::Fair);
}

/// 权重 given: 产出 A 20 and B 30 of the group's 50 → A weighs 50 × 20/50 = 20, B 30.
/// A ≥100, actual 50 → 20 × 0.5 = 10; B ≥100, actual 100 → 30.
/// 效益 ≥10, actual 10 → 30; 满意度 ≥90, actual 95 → 10; 执行 100 % → 10.
/// Total 10 + 10 + 30 + 30 + 10 = 90 → exactly the 优 line.
#[test]
fn worked_example_given_weights_and_the_90_boundary() {
    let p = project(dec!(500000));
    let inds = vec![
        ind(
            Level1::Output,
            Level2::Quantity,
            "A",
            Direction::AtLeast,
            "100",
            "个",
            Some(dec!(20)),
        ),
        ind(
            Level1::Output,
            Level2::Quality,
            "B",
            Direction::AtLeast,
            "100",
            "个",
            Some(dec!(30)),
        ),
        ind(
            Level1::Benefit,
            Level2::EconomicBenefit,
            "C",
            Direction::AtLeast,
            "10",
            "万元",
            None,
        ),
        ind(
            Level1::Satisfaction,
            Level2::Satisfaction,
            "D",
            Direction::AtLeast,
            "90",
            "%",
            None,
        ),
    ];
    let acts = vec![
        actual("A", "50", None),
        actual("B", "100", None),
        actual("C", "10", None),
        actual("D", "95", None),
    ];
    let card = run(&p, &inds, &self_eval(dec!(500000)), &acts);
    assert_eq!(card.total, dec!(90));
    assert_eq!(card.grade, Grade::Excellent);
}

/// Missing actual values and a missing tier score 0 with a reason:
/// 执行 0 → 0; 产出 50 (one indicator, no actual) → 0; 效益 30 (qualitative, no tier) → 0;
/// 满意度 10, ≥90 actual 90 → 10. Total 10 → 差.
#[test]
fn missing_actuals_lose_their_points() {
    let p = project(dec!(100000));
    let inds = vec![
        ind(
            Level1::Output,
            Level2::Quantity,
            "维修校舍",
            Direction::AtLeast,
            "12",
            "所",
            None,
        ),
        ind(
            Level1::Benefit,
            Level2::SocialBenefit,
            "办学条件",
            Direction::Qualitative,
            "改善",
            "",
            None,
        ),
        ind(
            Level1::Satisfaction,
            Level2::Satisfaction,
            "师生满意度",
            Direction::AtLeast,
            "90%",
            "%",
            None,
        ),
    ];
    let acts = vec![actual("师生满意度", "90%", None)];
    let card = run(&p, &inds, &self_eval(dec!(0)), &acts);
    assert_eq!(card.total, dec!(10));
    assert_eq!(card.grade, Grade::Poor);
    assert_eq!(card.lines[1].reason, "缺少实际完成值");
    assert_eq!(card.lines[2].reason, "定性指标未填达成等级");
}

/// The ≤ rule at its edges: at target full; 1.5 × target half; 2 × target and beyond nothing.
#[test]
fn at_most_is_scored_in_the_right_direction() {
    assert_eq!(quantitative_ratio(Direction::AtMost, dec!(30), dec!(30)), dec!(1));
    assert_eq!(quantitative_ratio(Direction::AtMost, dec!(30), dec!(20)), dec!(1));
    assert_eq!(quantitative_ratio(Direction::AtMost, dec!(30), dec!(45)), dec!(0.5));
    assert_eq!(quantitative_ratio(Direction::AtMost, dec!(30), dec!(60)), dec!(0));
    assert_eq!(quantitative_ratio(Direction::AtMost, dec!(30), dec!(90)), dec!(0));
    assert_eq!(quantitative_ratio(Direction::AtLeast, dec!(100), dec!(150)), dec!(1));
    assert_eq!(quantitative_ratio(Direction::Equal, dec!(100), dec!(80)), dec!(0.8));
    assert_eq!(quantitative_ratio(Direction::Equal, dec!(0), dec!(0)), dec!(1));
}

/// Three equal shares of 33.3333… round to 33.33 each line, but a full score
/// stays exactly 100, never above.
#[test]
fn rounding_never_passes_the_full_score() {
    let p = project(dec!(300000));
    let inds = vec![
        ind(
            Level1::Output,
            Level2::Quantity,
            "甲",
            Direction::AtLeast,
            "1",
            "个",
            None,
        ),
        ind(
            Level1::Output,
            Level2::Quality,
            "乙",
            Direction::AtLeast,
            "1",
            "个",
            None,
        ),
        ind(
            Level1::Output,
            Level2::Timeliness,
            "丙",
            Direction::AtLeast,
            "1",
            "个",
            None,
        ),
        ind(
            Level1::Benefit,
            Level2::SocialBenefit,
            "丁",
            Direction::AtLeast,
            "1",
            "个",
            None,
        ),
        ind(
            Level1::Benefit,
            Level2::EconomicBenefit,
            "戊",
            Direction::AtLeast,
            "1",
            "个",
            None,
        ),
        ind(
            Level1::Benefit,
            Level2::Sustainability,
            "己",
            Direction::AtLeast,
            "1",
            "个",
            None,
        ),
        ind(
            Level1::Satisfaction,
            Level2::Satisfaction,
            "庚",
            Direction::AtLeast,
            "1",
            "个",
            None,
        ),
    ];
    let acts: Vec<_> = ["甲", "乙", "丙", "丁", "戊", "己", "庚"]
        .iter()
        .map(|n| actual(n, "1", None))
        .collect();
    let card = run(&p, &inds, &self_eval(dec!(300000)), &acts);
    assert!(card.total <= dec!(100), "{}", card.total);
    assert!(card.total >= dec!(99.99), "{}", card.total);
}
