//! End to end: the built binary's `demo`, `check` and `audit` as a new user runs them.

use jixiao::store::Store;
use std::path::Path;
use std::process::{Command, Output};

fn jixiao(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(args)
        .env("JIXIAO_DATA_DIR", data_dir)
        .env("JIXIAO_CONFIG_DIR", data_dir.join("no-config"))
        .env_remove("JIXIAO_DB")
        .output()
        .expect("binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// The number printed right after `label` in the summary.
fn figure_after(text: &str, label: &str) -> i64 {
    let rest = &text[text.find(label).unwrap_or_else(|| panic!("{label} missing in {text}")) + label.len()..];
    rest.trim_start()
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect::<String>()
        .parse()
        .unwrap()
}

#[test]
fn demo_summary_matches_the_database_it_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let out = jixiao(dir.path(), &["demo", "--no-tui", "--db", db.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = stdout(&out);
    assert!(text.contains("已生成演示数据库"), "{text}");
    assert!(text.contains(db.to_str().unwrap()), "{text}");

    let store = Store::open(&db).unwrap();
    let t = store.totals().unwrap();
    assert_eq!(t.units, 124);
    assert_eq!(figure_after(&text, "单位"), t.units);
    assert_eq!(figure_after(&text, "项目"), t.projects);
    assert_eq!(figure_after(&text, "绩效指标"), t.indicators);
    assert_eq!(figure_after(&text, "监控"), t.monitoring);
    assert_eq!(figure_after(&text, "自评"), t.self_evals);
    assert_eq!(figure_after(&text, "重点评价"), t.key_evals);
    for (budget, fund, count, amount) in &t.amounts {
        let wan = jixiao::domain::money::format_wan(*amount, 2);
        let line = text
            .lines()
            .find(|l| l.starts_with(budget.label()) && l.contains(fund.label()))
            .unwrap_or_else(|| panic!("no line for {budget} {fund} in {text}"));
        assert!(
            line.contains(&wan) && line.contains(&count.to_string()),
            "{line} vs {count} {wan}"
        );
    }
    // Near the seed's figures: 21.06亿 unit-overall, 12.26亿 general-public projects, 1.31亿 social insurance.
    let yi = |b: jixiao::domain::BudgetKind, overall: bool| -> f64 {
        let sum: rust_decimal::Decimal = t
            .amounts
            .iter()
            .filter(|r| r.0 == b && (r.1 == jixiao::domain::FundKind::UnitOverall) == overall)
            .map(|r| r.3)
            .sum();
        (sum / rust_decimal::Decimal::from(100_000_000))
            .to_string()
            .parse()
            .unwrap()
    };
    use jixiao::domain::BudgetKind::*;
    assert!((yi(GeneralPublic, true) - 21.06).abs() < 21.06 * 0.05);
    assert!((yi(GeneralPublic, false) - 12.26).abs() < 12.26 * 0.05);
    assert!((yi(SocialInsurance, false) - 1.31).abs() < 1.31 * 0.10);

    // A second run keeps the reviewer's demo work; check and audit work on it.
    let again = jixiao(dir.path(), &["demo", "--no-tui", "--db", db.to_str().unwrap()]);
    assert!(stdout(&again).contains("沿用已有演示数据库"), "{}", stdout(&again));
    let check = jixiao(dir.path(), &["--db", db.to_str().unwrap(), "check", "--format", "json"]);
    assert_eq!(check.status.code(), Some(1), "blocking findings exist in the demo");
    let findings: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let first = &findings.as_array().unwrap()[0];
    for key in ["rule", "severity", "stage", "unit", "project", "message"] {
        assert!(first.get(key).is_some(), "{key} missing in {first}");
    }
    let verify = jixiao(dir.path(), &["--db", db.to_str().unwrap(), "audit", "verify"]);
    assert!(verify.status.success(), "{}", stdout(&verify));
    assert!(stdout(&verify).contains("哈希链校验通过"));
}

#[test]
fn same_seed_gives_the_same_data() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.db");
    let b = dir.path().join("b.db");
    for db in [&a, &b] {
        let out = jixiao(
            dir.path(),
            &[
                "demo",
                "--no-tui",
                "--units",
                "12",
                "--seed",
                "7",
                "--db",
                db.to_str().unwrap(),
            ],
        );
        assert!(out.status.success());
    }
    let snap = |p: &Path| Store::open(p).unwrap().snapshot(2023).unwrap();
    let (sa, sb) = (snap(&a), snap(&b));
    assert_eq!(sa.data, sb.data);
    let states = |s: &jixiao::domain::rules::Snapshot| {
        s.reviews
            .iter()
            .map(|r| (r.stage, r.project_code.clone(), r.state, r.opinion.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(states(&sa), states(&sb));
    let c = dir.path().join("c.db");
    jixiao(
        dir.path(),
        &[
            "demo",
            "--no-tui",
            "--units",
            "12",
            "--seed",
            "8",
            "--db",
            c.to_str().unwrap(),
        ],
    );
    assert_ne!(snap(&c).data, sa.data);
}

#[test]
fn demo_never_writes_over_a_real_database() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.db");
    Store::open(&real).unwrap();
    let out = jixiao(
        dir.path(),
        &["demo", "--no-tui", "--units", "3", "--db", real.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("不是演示数据库，不会覆盖"));
    // the default demo file sits beside the default real one
    let out = jixiao(dir.path(), &["demo", "--no-tui", "--units", "3"]);
    assert!(out.status.success());
    assert!(dir.path().join("demo.db").exists());
    assert!(!dir.path().join("jixiao.db").exists());
}

#[test]
fn reporting_commands_never_create_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.db");
    let out = jixiao(dir.path(), &["--db", missing.to_str().unwrap(), "check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("数据库文件不存在"));
    assert!(!missing.exists());
}

#[test]
fn a_bad_config_file_names_key_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("bad.toml");
    std::fs::write(&cfg, "[display]\nmoney_decimals = \"2\"\n").unwrap();
    let out = jixiao(
        dir.path(),
        &["--config", cfg.to_str().unwrap(), "demo", "--no-tui", "--units", "2"],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("第 2 行") && err.contains("display.money_decimals"),
        "{err}"
    );
    // A rule is the bureau's, not a personal file's: named, ignored, and the run goes on.
    std::fs::write(&cfg, "[monitoring]\nexecution_threshold = 0.75\n").unwrap();
    let out = jixiao(
        dir.path(),
        &["--config", cfg.to_str().unwrap(), "demo", "--no-tui", "--units", "2"],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("第 2 行") && err.contains("monitoring.execution_threshold") && err.contains("已忽略"),
        "{err}"
    );
}
