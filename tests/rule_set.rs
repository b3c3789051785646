//! One rule set for the bureau (issue 20, item 3): the thresholds that decide
//! findings live in the database, set by an admin with `jixiao config
//! set/import` (audited, versioned); a personal file or `--config` changes
//! only display and keys, says so when it tries more, and never changes the
//! stored findings; the idle lock is capped by the bureau's.

mod common;

use common::*;
use jixiao::config::{Config, RuleChange};
use jixiao::domain::Role;
use jixiao::domain::rules::evaluate;
use jixiao::store::{AuditFilter, Store, StoreError};
use std::path::Path;
use std::process::{Command, Output};

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// The binary on `db`, with `cfg` as the user's config folder.
fn jixiao(db: &Path, cfg: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("JIXIAO_CONFIG_DIR", cfg)
        .env_remove("JIXIAO_DB")
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).to_string()
}

/// Every stored finding and every item's cached counts and figures, as text:
/// what "byte-identical" is checked on.
fn dump(db: &Path) -> String {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut out = String::new();
    for sql in [
        "SELECT * FROM finding ORDER BY review_id, seq",
        "SELECT id, blocking, warning, info, first_finding, figure_rate, figure_self_score, figure_score, figure_grade
         FROM review ORDER BY id",
    ] {
        let mut stmt = conn.prepare(sql).unwrap();
        let n = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            for i in 0..n {
                let v: rusqlite::types::Value = r.get(i).unwrap();
                out.push_str(&format!("{v:?}|"));
            }
            out.push('\n');
        }
    }
    out
}

const LAX: &str = "# a reviewer's own file\n[display]\nmouse = false\n\n[target]\nvague_words = []\n\n[self_eval]\nscore_margin = \"100\"\n\n[monitoring]\nkey_project_amount = \"999999999999\"\n";

/// The sample with the test staff, its findings refreshed, and the OS user
/// running the tests registered with `role`.
fn sample_db(role: Role) -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, path) = temp_db();
    let mut store = open_staffed(&path);
    store.load_dataset(&sample(), "importer").unwrap();
    let me = jixiao::identity::os_user();
    store
        .add_reviewer(&person(&me, role, &SAMPLE_SECTIONS), "importer")
        .unwrap();
    store.refresh_findings(&Config::defaults().rules, today()).unwrap();
    (dir, path)
}

fn rule_set_audit(store: &Store, outcome: &str) -> Vec<String> {
    store
        .audit_entries(&AuditFilter::default())
        .unwrap()
        .into_iter()
        .filter(|e| e.event == "rule_set" && e.outcome == outcome)
        .map(|e| {
            format!(
                "{} {} {} {}",
                e.actor,
                e.target,
                e.before.unwrap_or_default(),
                e.after.unwrap_or_default()
            )
        })
        .collect()
}

#[test]
fn a_lax_personal_config_leaves_the_stored_findings_byte_identical_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let cfg = dir.path().join("cfg");
    std::fs::create_dir_all(&cfg).unwrap();
    let out = jixiao(&db, &cfg, &["demo", "--units", "6", "--no-tui"]);
    assert!(out.status.success(), "{}", text(&out.stderr));

    // The lax thresholds would change the findings, were they applied.
    let store = Store::open(&db).unwrap();
    let lax = Config::from_str_layers(&[("lax", LAX)]).unwrap();
    let defaults = Config::defaults();
    assert!(
        blocking(&store, &lax.rules) < blocking(&store, &defaults.rules),
        "the lax rules must matter for this test to mean anything"
    );
    let (stored_blocking, _, _) = store.finding_counts().unwrap();
    assert!(stored_blocking > 0);
    drop(store);

    let before = dump(&db);
    let lax_file = dir.path().join("lax.toml");
    std::fs::write(&lax_file, LAX).unwrap();
    // Also as the user's own file: the same keys are ignored there.
    std::fs::write(cfg.join("config.toml"), "[review]\nmin_opinion_chars = 1\n").unwrap();
    let lax_arg = lax_file.to_str().unwrap();
    for args in [
        vec!["--config", lax_arg, "approve", "--stage", "self-eval"],
        vec!["--config", lax_arg, "check"],
        vec!["--config", lax_arg, "check", "--format", "json"],
    ] {
        let out = jixiao(&db, &cfg, &args);
        let err = text(&out.stderr);
        assert!(!err.contains("错误"), "{args:?}: {err}");
        for (line, key) in [
            (6, "target.vague_words"),
            (9, "self_eval.score_margin"),
            (12, "monitoring.key_project_amount"),
        ] {
            let warning = err
                .lines()
                .find(|l| l.contains(key) && l.contains("lax.toml"))
                .unwrap_or_else(|| panic!("{args:?}: no warning for {key}: {err}"));
            assert!(
                warning.contains(&format!("第 {line} 行"))
                    && warning.contains("全局规则集")
                    && warning.contains("已忽略")
                    && warning.contains("jixiao config show"),
                "{warning}"
            );
        }
        assert!(
            err.contains("config.toml 第 2 行，键 review.min_opinion_chars"),
            "{err}"
        );
        assert_eq!(dump(&db), before, "{args:?} changed the stored findings");
    }
    // What check lists is the bureau's, not the lax file's.
    let out = jixiao(&db, &cfg, &["--config", lax_arg, "check", "--format", "json"]);
    let listed: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let listed_blocking = listed.iter().filter(|f| f["severity"] == "blocking").count();
    let store = Store::open(&db).unwrap();
    assert_eq!(listed_blocking, blocking(&store, &defaults.rules));
}

/// Blocking findings of the latest year under `rules`.
fn blocking(store: &Store, rules: &jixiao::domain::params::RuleParams) -> usize {
    let year = store.latest_year().unwrap().unwrap();
    evaluate(&store.snapshot(year).unwrap(), rules, today())
        .all()
        .filter(|f| f.severity == jixiao::domain::Severity::Blocking)
        .count()
}

#[test]
fn config_set_by_a_reviewer_is_refused_and_audited() {
    let (dir, db) = sample_db(Role::Reviewer);
    let before = dump(&db);
    let out = jixiao(&db, dir.path(), &["config", "set", "target.min_goal_chars", "500"]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("不能修改全局规则集：须为管理员"), "{err}");
    let store = Store::open(&db).unwrap();
    let me = jixiao::identity::os_user();
    let refused = rule_set_audit(&store, "refused");
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert!(refused[0].starts_with(&format!("{me} rule_set")), "{refused:?}");
    assert_eq!(store.rule_set().unwrap().version, 0);
    assert_eq!(dump(&db), before);

    // An unregistered user and an auditor are refused the same way, in the store.
    let mut store = store;
    let change = RuleChange::one("target.min_goal_chars", "500").unwrap();
    for who in ["nobody", "huang"] {
        if who == "huang" {
            store
                .add_reviewer(&person("huang", Role::Auditor, &[]), "importer")
                .unwrap();
        }
        match store.change_rule_set(&change, who) {
            Err(StoreError::Forbidden { reason, .. }) => assert!(reason.contains("不能修改全局规则集"), "{reason}"),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }
    assert_eq!(rule_set_audit(&store, "refused").len(), 3);
    assert_eq!(store.rule_set().unwrap().version, 0);
}

#[test]
fn config_set_by_an_admin_is_applied_audited_versioned_and_recomputes_the_findings() {
    let (dir, db) = sample_db(Role::Admin);
    let me = jixiao::identity::os_user();
    let store = Store::open(&db).unwrap();
    let before_counts = store.finding_counts().unwrap();
    assert_eq!(store.findings_rule_set_version().unwrap(), Some(0));
    drop(store);

    let out = jixiao(
        &db,
        dir.path(),
        &["config", "set", "monitoring.execution_threshold", "\"0.95\""],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert!(
        said.contains("第 1 版") && said.contains("monitoring.execution_threshold：\"0.75\" → \"0.95\""),
        "{said}"
    );

    let store = Store::open(&db).unwrap();
    let rule_set = store.rule_set().unwrap();
    assert_eq!(rule_set.version, 1);
    assert_eq!(rule_set.set_by.as_deref(), Some(me.as_str()));
    assert_eq!(
        rule_set.bureau.rules.monitoring.execution_threshold,
        rust_decimal::dec!(0.95)
    );
    let audited = rule_set_audit(&store, "ok");
    assert_eq!(audited.len(), 1, "{audited:?}");
    assert!(
        audited[0].contains("rule_set:monitoring.execution_threshold")
            && audited[0].contains(r#"{"value":"\"0.75\"","version":0}"#)
            && audited[0].contains(r#""value":"\"0.95\"""#)
            && audited[0].contains(r#""version":1"#),
        "{audited:?}"
    );
    // The stored findings are those of the new rule set, and say so.
    assert_eq!(store.findings_rule_set_version().unwrap(), Some(1));
    let after_counts = store.finding_counts().unwrap();
    assert_ne!(after_counts, before_counts);
    let year = store.latest_year().unwrap().unwrap();
    let fresh = evaluate(&store.snapshot(year).unwrap(), &rule_set.bureau.rules, today());
    for (id, found) in &fresh.per_review {
        let stored: Vec<String> = store
            .findings_for(*id)
            .unwrap()
            .into_iter()
            .map(|f| f.message)
            .collect();
        let expected: Vec<String> = found.iter().map(|f| f.message.clone()).collect();
        assert_eq!(stored, expected, "item {id}");
    }
    drop(store);

    // `config show` names the version, who set it and the key's value.
    let out = jixiao(&db, dir.path(), &["config", "show"]);
    let shown = text(&out.stdout);
    assert!(shown.starts_with(&format!("# 全局规则集 第 1 版：{me} 于 ")), "{shown}");
    assert!(shown.contains("execution_threshold = \"0.95\"  # 第 1 版"), "{shown}");
    assert!(shown.contains("score_margin = \"5\"\n"), "{shown}");

    // The same value again changes nothing and bumps nothing.
    let out = jixiao(
        &db,
        dir.path(),
        &["config", "set", "monitoring.execution_threshold", "\"0.95\""],
    );
    assert!(out.status.success());
    assert!(text(&out.stdout).contains("未改变"));
    assert_eq!(Store::open(&db).unwrap().rule_set().unwrap().version, 1);
    // A float where a quoted decimal is due is refused, naming the key.
    let out = jixiao(
        &db,
        dir.path(),
        &["config", "set", "monitoring.execution_threshold", "0.8"],
    );
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains("monitoring.execution_threshold") && err.contains("引号"),
        "{err}"
    );
}

#[test]
fn config_import_of_a_bad_file_names_file_line_and_key_and_changes_nothing() {
    let (dir, db) = sample_db(Role::Admin);
    let before = dump(&db);
    let cases = [
        (
            "ratio.toml",
            "# thresholds for 2024\n[monitoring]\nkey_project_amount = \"3000000\"\n\nexecution_threshold = \"75\"\n",
            5,
            "monitoring.execution_threshold",
            "0 到 1",
        ),
        (
            "typo.toml",
            "[self_eval]\nscore_margin = \"3\"\nscore_margn = \"3\"\n",
            3,
            "self_eval.score_margn",
            "未知的键",
        ),
        (
            "personal.toml",
            "[grades]\nexcellent = \"92\"\n\n[display]\ntheme = \"16\"\n",
            5,
            "display.theme",
            "个人设置",
        ),
        (
            "weights.toml",
            "[scoring.weights]\noutput = \"40\"\n",
            1,
            "scoring.weights",
            "100",
        ),
        (
            "session.toml",
            "[session]\nidle_lock_minutes = 0\n",
            2,
            "session.idle_lock_minutes",
            "1440",
        ),
    ];
    for (name, body, line, key, why) in cases {
        let file = dir.path().join(name);
        std::fs::write(&file, body).unwrap();
        let out = jixiao(&db, dir.path(), &["config", "import", file.to_str().unwrap()]);
        assert!(!out.status.success(), "{name}");
        let err = text(&out.stderr);
        assert!(
            err.contains(&file.display().to_string())
                && err.contains(&format!("第 {line} 行"))
                && err.contains(key)
                && err.contains(why),
            "{name}: {err}"
        );
    }
    let store = Store::open(&db).unwrap();
    assert_eq!(store.rule_set().unwrap().version, 0);
    assert!(store.rule_set().unwrap().values.is_empty());
    assert!(rule_set_audit(&store, "ok").is_empty());
    drop(store);
    assert_eq!(dump(&db), before);

    // A good file: every key at once, one version, one audit entry per key.
    let good = dir.path().join("good.toml");
    std::fs::write(
        &good,
        "[scoring.weights]\noutput = \"45\"\nbenefit = \"35\"\n\n[session]\nidle_lock_minutes = 15\n",
    )
    .unwrap();
    let out = jixiao(&db, dir.path(), &["config", "import", good.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let store = Store::open(&db).unwrap();
    let rule_set = store.rule_set().unwrap();
    assert_eq!(rule_set.version, 1);
    assert_eq!(rule_set.values.len(), 3);
    assert_eq!(rule_set.bureau.idle_lock_minutes, 15);
    assert_eq!(rule_set_audit(&store, "ok").len(), 3);
    assert_eq!(store.findings_rule_set_version().unwrap(), Some(1));
}

#[test]
fn a_personal_idle_lock_is_capped_by_the_bureaus() {
    let (dir, db) = sample_db(Role::Admin);
    let cfg = dir.path().join("cfg");
    std::fs::create_dir_all(&cfg).unwrap();
    std::fs::write(cfg.join("config.toml"), "[session]\nidle_lock_minutes = 1440\n").unwrap();
    let mut store = Store::open(&db).unwrap();
    let me = jixiao::identity::os_user();
    // The bureau's 30 (the compiled default), then 45, then 30 again set by an admin.
    let loaded = Config::load_with_user_dir(Some(&cfg), None).unwrap();
    assert_eq!(
        loaded.config.session.idle_lock_minutes, 1440,
        "the personal choice as read"
    );
    let (config, note) = loaded.under(&store.bureau().unwrap());
    assert_eq!(config.session.idle_lock_minutes, 30);
    let note = note.expect("a note when the choice is cut");
    assert!(
        note.contains("config.toml 第 2 行") && note.contains("1440") && note.contains("30 分钟"),
        "{note}"
    );
    for (bureau, mine, expected) in [
        ("45", Some(1440), 45),
        ("45", Some(10), 10),
        ("45", None, 45),
        ("30", Some(1440), 30),
    ] {
        store
            .change_rule_set(&RuleChange::one("session.idle_lock_minutes", bureau).unwrap(), &me)
            .unwrap();
        match mine {
            Some(m) => {
                std::fs::write(cfg.join("config.toml"), format!("[session]\nidle_lock_minutes = {m}\n")).unwrap()
            }
            None => std::fs::write(cfg.join("config.toml"), "[display]\nmouse = true\n").unwrap(),
        }
        let loaded = Config::load_with_user_dir(Some(&cfg), None).unwrap();
        assert_eq!(
            loaded.under(&store.bureau().unwrap()).0.session.idle_lock_minutes,
            expected,
            "bureau {bureau}, mine {mine:?}"
        );
    }
    // The binary says the same.
    std::fs::write(cfg.join("config.toml"), "[session]\nidle_lock_minutes = 1440\n").unwrap();
    let out = jixiao(&db, &cfg, &["config", "show"]);
    let shown = text(&out.stdout);
    assert!(shown.contains("会话空闲 30 分钟后锁定（全局上限 30 分钟"), "{shown}");
    assert!(text(&out.stderr).contains("1440 分钟超过全局规则集的上限 30 分钟"));
}

#[test]
fn findings_carry_their_rule_set_version_and_older_ones_are_redone() {
    let (_dir, path) = temp_db();
    let mut store = open_staffed(&path);
    store.load_dataset(&sample(), "importer").unwrap();
    // Loaded but never refreshed: stale.
    assert!(store.findings_stale().unwrap());
    assert!(
        store
            .refresh_figures_if_stale(&Config::defaults().rules, today())
            .unwrap()
    );
    assert_eq!(store.findings_rule_set_version().unwrap(), Some(0));
    assert!(!store.findings_stale().unwrap());
    let defaults = dump(&path);

    // A caller holding other thresholds cannot store findings of its own:
    // the refresh uses the rule set in the file.
    let lax = Config::from_str_layers(&[("lax", LAX), ("more", "[target]\nmin_goal_chars = 1\n")]).unwrap();
    store.refresh_findings(&lax.rules, today()).unwrap();
    assert_eq!(dump(&path), defaults);

    // An admin's change makes the stored findings stale until a whole refresh.
    let change = RuleChange::one("target.min_goal_chars", "500").unwrap();
    let outcome = store.change_rule_set(&change, "zhoumin").unwrap();
    assert_eq!(outcome.version, 1);
    assert!(store.findings_stale().unwrap());
    assert_eq!(
        dump(&path),
        defaults,
        "the change itself leaves the findings to the refresh"
    );
    // An import's refresh of one unit redoes every unit when the findings are stale.
    let units: std::collections::BTreeSet<String> = ["101".to_string()].into();
    store
        .refresh_findings_of_units(&Config::defaults().rules, today(), &units)
        .unwrap();
    assert!(!store.findings_stale().unwrap());
    assert_eq!(store.findings_rule_set_version().unwrap(), Some(1));
    let redone = dump(&path);
    assert_ne!(redone, defaults);
    // The same again: nothing to do.
    assert!(
        !store
            .refresh_figures_if_stale(&Config::defaults().rules, today())
            .unwrap()
    );
    assert_eq!(dump(&path), redone);
}

#[test]
fn a_file_from_before_the_rule_set_gets_its_findings_redone_once() {
    let (_dir, path) = temp_db();
    {
        // As the build before the rule set left it (findings of unknown thresholds).
        let mut store = Store::open_at_version(&path, 7).unwrap();
        register_staff(&mut store);
        store.load_dataset(&sample(), "importer").unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.findings_rule_set_version().unwrap(), None);
    assert!(store.findings_stale().unwrap());
    assert!(
        store
            .refresh_figures_if_stale(&Config::defaults().rules, today())
            .unwrap()
    );
    assert_eq!(store.findings_rule_set_version().unwrap(), Some(0));
}
