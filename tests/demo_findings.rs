//! The demo database as `jixiao demo` builds it: every rule of the catalogue
//! finds something in it, the year of review work left its traces, and no
//! item the manifest leaves clean has a finding.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;
use std::sync::OnceLock;

use chrono::NaiveDate;
use jixiao::config::Config;
use jixiao::demo::DemoOptions;
use jixiao::domain::rules::{Evaluation, catalogue, evaluate};
use jixiao::domain::{RectState, ReviewState, Role, Stage};
use jixiao::identity::os_user;
use jixiao::store::Store;
use jixiao::store::demo::{DemoBuild, build_demo};

struct Built {
    _dir: tempfile::TempDir,
    store: Store,
    build: DemoBuild,
    today: NaiveDate,
}

/// One demo database for the whole file: building it takes seconds.
fn built() -> &'static std::sync::Mutex<Built> {
    static BUILT: OnceLock<std::sync::Mutex<Built>> = OnceLock::new();
    BUILT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("demo.db")).unwrap();
        let today = chrono::Local::now().date_naive();
        let build = build_demo(
            &mut store,
            &DemoOptions::default(),
            &Config::defaults().rules,
            today,
            &os_user(),
        )
        .unwrap();
        std::sync::Mutex::new(Built {
            _dir: dir,
            store,
            build,
            today,
        })
    })
}

fn evaluation_with(config: &Config) -> Evaluation {
    let b = built().lock().unwrap();
    let year = b.store.latest_year().unwrap().expect("a year");
    evaluate(&b.store.snapshot(year).unwrap(), &config.rules, b.today)
}

fn rules_found(eval: &Evaluation) -> BTreeMap<String, usize> {
    let mut found = BTreeMap::new();
    for f in eval.all() {
        *found.entry(f.rule.to_string()).or_insert(0) += 1;
    }
    found
}

#[test]
fn every_rule_finds_something_in_the_demo() {
    let found = rules_found(&evaluation_with(&Config::defaults()));
    let missing: Vec<&str> = catalogue()
        .iter()
        .map(|r| r.id)
        .filter(|id| *id != "M-ELAPSED" && !found.contains_key(*id))
        .collect();
    assert!(
        missing.is_empty(),
        "rules with no finding: {missing:?} (found {found:?})"
    );
    assert!(!found.contains_key("M-ELAPSED"), "M-ELAPSED is off by default");

    let elapsed = Config::from_str_layers(&[("t", "[monitoring]\ncompare_time_elapsed = true")]).unwrap();
    let found = rules_found(&evaluation_with(&elapsed));
    assert!(found.get("M-ELAPSED").copied().unwrap_or(0) >= 3, "{found:?}");
}

#[test]
fn no_finding_on_a_clean_item() {
    let eval = evaluation_with(&Config::defaults());
    let b = built().lock().unwrap();
    let named: BTreeSet<(Stage, &str)> = b
        .build
        .manifest
        .sites
        .iter()
        .map(|s| (s.stage, s.code.as_str()))
        .collect();
    let year = b.store.latest_year().unwrap().expect("a year");
    let reviews = b.store.snapshot(year).unwrap().reviews;
    let stage_of: BTreeMap<i64, (Stage, String)> = reviews
        .iter()
        .map(|r| (r.id, (r.stage, r.project_code.clone().unwrap_or_default())))
        .collect();
    let mut clean = 0;
    let mut false_positives = Vec::new();
    for (id, findings) in &eval.per_review {
        let (stage, code) = &stage_of[id];
        if !matches!(stage, Stage::Target | Stage::Monitoring | Stage::SelfEval)
            || named.contains(&(*stage, code.as_str()))
        {
            continue;
        }
        clean += 1;
        if !findings.is_empty() {
            let rules: Vec<&str> = findings.iter().map(|f| f.rule.as_str()).collect();
            false_positives.push(format!("{} {code}: {rules:?}", stage.label()));
        }
    }
    assert!(clean > 3000, "most items are clean: {clean}");
    assert!(
        false_positives.is_empty(),
        "{} clean items with findings, e.g. {:?}",
        false_positives.len(),
        &false_positives[..false_positives.len().min(10)]
    );
    // The 75 % boundary is clean on purpose.
    let boundary = &b.build.manifest.boundaries;
    assert!(!boundary.is_empty());
    for site in boundary {
        assert!(!named.contains(&(site.stage, site.code.as_str())));
    }
}

#[test]
fn the_history_is_a_year_of_review_work() {
    let b = built().lock().unwrap();
    let h = &b.build.history;
    assert_eq!(h.reviewers, 8);
    let reviewers = b.store.reviewers().unwrap();
    assert_eq!(reviewers.iter().filter(|r| r.role == Role::Admin).count(), 1);
    assert_eq!(reviewers.iter().filter(|r| r.role == Role::Auditor).count(), 1);
    assert!(h.approved > 500 && h.returned > 50, "{h:?}");
    assert!(h.approved_with_boilerplate >= 6, "{h:?}");
    assert_eq!(h.overridden, 1);
    assert_eq!(h.rect_extended, 1);
    assert_eq!(h.carried_over, 4);
    assert!(
        h.rect_overdue >= 3 && h.rect_verified >= 2 && h.rect_submitted > h.rect_verified,
        "{h:?}"
    );

    // Everyone acted only on their own section's units.
    let year = b.store.latest_year().unwrap().expect("a year");
    let snap = b.store.snapshot(year).unwrap();
    let section: BTreeMap<&str, &str> = snap
        .data
        .units
        .iter()
        .map(|u| (u.code.as_str(), u.section.as_str()))
        .collect();
    let decided: Vec<_> = snap
        .reviews
        .iter()
        .filter(|r| r.state != ReviewState::Pending)
        .collect();
    assert_eq!(
        decided.len(),
        h.approved + h.returned + h.approved_with_boilerplate + h.overridden
    );
    for r in decided {
        let by = r.decided_by.as_deref().expect("decided by someone");
        let who = reviewers
            .iter()
            .find(|x| x.os_user == by)
            .expect("a registered reviewer");
        assert!(who.may_act_on(section[r.unit_code.as_str()]), "{by} decided {}", r.id);
    }
    // Returned items carry an opinion naming what is wrong.
    let returned = snap.reviews.iter().find(|r| r.state == ReviewState::Returned).unwrap();
    assert!(returned.opinion.starts_with("经审核，") && returned.opinion.chars().count() >= 15);

    // Rectifications: overdue ones, one signed off without evidence from last year's ledger.
    let rects = b.store.rectifications(None).unwrap();
    assert_eq!(rects.len(), h.rectifications_created + h.carried_over);
    assert_eq!(rects.iter().filter(|r| r.is_overdue(b.today)).count(), h.rect_overdue);
    let bare: Vec<_> = rects
        .iter()
        .filter(|r| r.state == RectState::Verified && r.evidence.trim().is_empty())
        .collect();
    assert_eq!(bare.len(), 1);
    assert!(bare[0].problem.starts_with("2022年度"));
    assert!(
        rects
            .iter()
            .any(|r| r.extensions.len() == 1 && !r.extensions[0].reason.is_empty())
    );
    let carried = b
        .store
        .audit_entries(&jixiao::store::AuditFilter {
            event: Some("carry_over".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(carried.len(), 4);
    assert!(b.store.verify_audit().unwrap().is_intact());
}

#[test]
fn the_same_seed_gives_the_same_history() {
    let other = tempfile::tempdir().unwrap();
    let mut store = Store::open(&other.path().join("again.db")).unwrap();
    let options = DemoOptions {
        units: 20,
        ..DemoOptions::default()
    };
    let today = NaiveDate::from_ymd_opt(2024, 3, 15).unwrap();
    let a = build_demo(&mut store, &options, &Config::defaults().rules, today, &os_user()).unwrap();
    let second = tempfile::tempdir().unwrap();
    let mut again = Store::open(&second.path().join("again.db")).unwrap();
    let b = build_demo(&mut again, &options, &Config::defaults().rules, today, &os_user()).unwrap();
    assert_eq!(a.history, b.history);
    let states = |s: &Store| -> Vec<(ReviewState, String)> {
        let year = s.latest_year().unwrap().unwrap();
        s.snapshot(year)
            .unwrap()
            .reviews
            .into_iter()
            .map(|r| (r.state, r.opinion))
            .collect()
    };
    assert_eq!(states(&store), states(&again));
}

#[test]
fn the_binary_demo_then_check_lists_every_rule_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let config_dir = dir.path().join("config");
    std::fs::create_dir_all(&config_dir).unwrap();
    let jixiao = || {
        let mut c = Command::new(env!("CARGO_BIN_EXE_jixiao"));
        c.env("JIXIAO_CONFIG_DIR", &config_dir)
            .env("JIXIAO_DATA_DIR", dir.path())
            .env_remove("JIXIAO_DB");
        c
    };
    let demo = jixiao().args(["demo", "--no-tui", "--db"]).arg(&db).output().unwrap();
    assert!(demo.status.success(), "{}", String::from_utf8_lossy(&demo.stderr));
    let out = String::from_utf8_lossy(&demo.stdout);
    assert!(out.contains("审核记录：审核人员 8 名"), "{out}");

    let check = jixiao()
        .arg("--db")
        .arg(&db)
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(1), "blocking findings exit 1");
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&check.stdout).unwrap();
    let found: BTreeSet<&str> = rows.iter().filter_map(|r| r["rule"].as_str()).collect();
    let expected: BTreeSet<&str> = catalogue()
        .iter()
        .map(|r| r.id)
        .filter(|id| *id != "M-ELAPSED")
        .collect();
    assert_eq!(found, expected);
}
