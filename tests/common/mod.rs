//! Shared fixtures: a small, realistic dataset in Chinese and a store on a
//! real file in a temporary folder.
#![allow(dead_code)]

use jixiao::domain::*;
use jixiao::store::Store;
use rust_decimal::dec;
use std::path::PathBuf;

pub fn temp_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data").join("jixiao.db");
    (dir, path)
}

pub fn unit(code: &str, name: &str, section: &str) -> Unit {
    Unit {
        code: code.into(),
        name: name.into(),
        department: "区教育局".into(),
        section: section.into(),
    }
}

pub fn project(code: &str, unit_code: &str, fund_kind: FundKind, amount: rust_decimal::Decimal) -> Project {
    Project {
        year: 2023,
        code: code.into(),
        unit_code: unit_code.into(),
        name: format!("{code} 项目"),
        budget_kind: BudgetKind::GeneralPublic,
        fund_kind,
        amount,
        annual_goal: "完成全区中小学校舍维修改造 12 所".into(),
    }
}

pub fn indicator(project_code: &str, name: &str, target: &str) -> Indicator {
    Indicator {
        project_code: project_code.into(),
        level1: Level1::Output,
        level2: Level2::Quantity,
        name: name.into(),
        direction: Direction::AtLeast,
        target_value: target.into(),
        measure_unit: "所".into(),
        weight: Some(dec!(20)),
        explanation: String::new(),
    }
}

/// Two units, three projects (one the 部门整体 of unit 101), indicators,
/// monitoring, self-evaluations and a key evaluation.
pub fn sample() -> Dataset {
    Dataset {
        units: vec![
            unit("101", "区第一中学", "教科文科"),
            unit("202", "区农业农村局", "农业科"),
        ],
        projects: vec![
            project("101", "101", FundKind::UnitOverall, dec!(12345678.90)),
            project("P-101-01", "101", FundKind::Special, dec!(2500000)),
            project("P-202-01", "202", FundKind::Special, dec!(3000000.50)),
        ],
        indicators: vec![
            indicator("101", "保障在校学生人数", "1200"),
            indicator("P-101-01", "维修校舍数量", "12"),
            indicator("P-101-01", "工程验收合格率", "100"),
            indicator("P-202-01", "高标准农田面积", "5000"),
        ],
        monitoring: vec![
            Monitoring {
                project_code: "P-101-01".into(),
                period: "2023-10".into(),
                executed: dec!(1000000),
                explanation: "工程款待验收后支付".into(),
                measures: "11 月完成验收".into(),
            },
            Monitoring {
                project_code: "P-202-01".into(),
                period: "2023-10".into(),
                executed: dec!(2800000),
                explanation: String::new(),
                measures: String::new(),
            },
        ],
        progress: vec![IndicatorProgress {
            project_code: "P-101-01".into(),
            indicator_name: "维修校舍数量".into(),
            current_value: "5".into(),
            expected_value: "12".into(),
            likelihood: Some(Likelihood::Possible),
            reason: "雨季停工".into(),
            action: "增加施工班组".into(),
        }],
        self_evals: vec![
            SelfEval {
                project_code: "101".into(),
                executed: dec!(12000000),
                self_score: dec!(92.5),
                self_grade: Some(Grade::Excellent),
                report: "部门整体支出绩效自评报告".into(),
                problems: String::new(),
                measures: String::new(),
            },
            SelfEval {
                project_code: "P-101-01".into(),
                executed: dec!(2400000),
                self_score: dec!(88),
                self_grade: Some(Grade::Good),
                report: "项目自评报告".into(),
                problems: "验收滞后".into(),
                measures: "加强进度管理".into(),
            },
        ],
        actuals: vec![IndicatorActual {
            project_code: "P-101-01".into(),
            indicator_name: "维修校舍数量".into(),
            actual_value: "12".into(),
            tier: None,
            deviation_reason: String::new(),
        }],
        key_evals: vec![KeyEval {
            year: 2023,
            object_code: "P-202-01".into(),
            firm: "某会计师事务所".into(),
            amount: dec!(3000000.50),
            score: Some(dec!(78.5)),
            grade: Some(Grade::Fair),
            documents: KeyEvalDocuments {
                working_papers: chrono::NaiveDate::from_ymd_opt(2023, 6, 1),
                receipt: None,
                feedback: None,
            },
            problems: vec!["绩效目标设置不够细化".into(), "资金支付进度滞后".into()],
        }],
    }
}

/// The sample plus a key evaluation of unit 101 as a whole (部门整体): its
/// object is the unit's code, which is also the code of its 部门整体 project.
/// The firm gave a score (85) but no grade: three graded projects, one per
/// kind of source (for result application).
pub fn graded_sample() -> Dataset {
    let mut ds = sample();
    ds.key_evals.push(KeyEval {
        year: 2023,
        object_code: "101".into(),
        firm: "某税务师事务所".into(),
        amount: dec!(12345678.90),
        score: Some(dec!(85)),
        grade: None,
        documents: KeyEvalDocuments::default(),
        problems: vec!["部门整体绩效目标与职能匹配度不高".into()],
    });
    ds
}

/// The two sections of the sample.
pub const SAMPLE_SECTIONS: [&str; 2] = ["教科文科", "农业科"];

/// OS users the tests act as: `importer` (admin, the first user) imports,
/// `zhoumin` (admin) carries over ledgers, and the reviewers below cover both
/// sections of the sample.
pub const SAMPLE_REVIEWERS: [&str; 4] = ["li", "wang", "zhangli", "wangfang"];

pub fn person(os_user: &str, role: Role, sections: &[&str]) -> Reviewer {
    Reviewer {
        os_user: os_user.into(),
        name: os_user.into(),
        sections: sections.iter().map(|s| s.to_string()).collect(),
        role,
    }
}

/// Registers the test staff on an empty store (`importer` registers itself first).
pub fn register_staff(store: &mut Store) {
    store
        .add_reviewer(&person("importer", Role::Admin, &[]), "importer")
        .unwrap();
    store
        .add_reviewer(&person("zhoumin", Role::Admin, &["绩效科"]), "importer")
        .unwrap();
    for login in SAMPLE_REVIEWERS {
        store
            .add_reviewer(&person(login, Role::Reviewer, &SAMPLE_SECTIONS), "importer")
            .unwrap();
    }
}

/// A new store on `path` with the test staff registered.
pub fn open_staffed(path: &std::path::Path) -> Store {
    let mut store = Store::open(path).unwrap();
    register_staff(&mut store);
    store
}

pub fn loaded_store() -> (tempfile::TempDir, Store) {
    let (dir, path) = temp_db();
    let mut store = open_staffed(&path);
    store.load_dataset(&sample(), "importer").unwrap();
    (dir, store)
}

/// The screen of `app` drawn at `w`×`h` in the mono theme, as text (a wide
/// character's second cell skipped), lines right-trimmed.
pub fn render_text(app: &jixiao::tui::app::App, w: u16, h: u16) -> String {
    use jixiao::tui::theme::Theme;
    use jixiao::tui::view::{ViewContext, draw};
    let theme = Theme::mono();
    let ctx = ViewContext { theme: &theme };
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
    term.draw(|f| draw(f, app, &ctx)).unwrap();
    let buf = term.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..h {
        let mut line = String::new();
        let mut x = 0;
        while x < w {
            let sym = buf[(x, y)].symbol();
            line.push_str(sym);
            x += unicode_width::UnicodeWidthStr::width(sym).max(1) as u16;
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The sample plus `n` projects alternating between its two units, each with
/// a complete indicator tree and no blocking finding (only the short goal
/// warns): items a bulk approve takes.
pub fn with_clean_projects(n: usize) -> Dataset {
    let mut ds = sample();
    for i in 0..n {
        let code = format!("C{i:04}");
        let unit = if i % 2 == 0 { "101" } else { "202" };
        ds.projects.push(project(&code, unit, FundKind::Special, dec!(500000)));
        for (level1, level2, name, value, measure) in [
            (Level1::Output, Level2::Quantity, "维修校舍数量", "12", "所"),
            (Level1::Output, Level2::Quality, "工程验收合格率", "100", "%"),
            (Level1::Output, Level2::Timeliness, "按期完工率", "100", "%"),
            (Level1::Cost, Level2::EconomicCost, "维修单价", "40000", "元/所"),
            (Level1::Benefit, Level2::SocialBenefit, "受益学生人数", "3000", "人"),
            (Level1::Satisfaction, Level2::Satisfaction, "师生满意度", "90", "%"),
        ] {
            ds.indicators.push(Indicator {
                project_code: code.clone(),
                level1,
                level2,
                name: name.into(),
                direction: Direction::AtLeast,
                target_value: value.into(),
                measure_unit: measure.into(),
                weight: None,
                explanation: String::new(),
            });
        }
    }
    ds
}
