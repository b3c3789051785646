//! One write transaction for a whole import run: a file refused at load time
//! is rolled back alone (savepoint) while the files around it land; a bad
//! file leaves its unit as it was; an importer without the right is refused
//! once; a failing database stops the run with nothing of it committed; the
//! benchmark's plain insert (with `--features bench`) writes exactly the
//! rows an import writes; the
//! findings refresh (rules on several threads) is one pass's result.

mod common;

use common::{open_staffed, sample, temp_db, unit, with_clean_projects};
use jixiao::config::Config;
use jixiao::domain::rules::evaluate;
use jixiao::domain::*;
use jixiao::io::import::{FileOutcome, ImportOptions, import_paths};
use jixiao::store::{AuditFilter, Fault, Store, StoreError};
use rust_decimal::dec;
use std::path::{Path, PathBuf};

fn options(actor: &str) -> ImportOptions {
    ImportOptions {
        actor: actor.into(),
        today: chrono::NaiveDate::from_ymd_opt(2024, 3, 1).unwrap(),
    }
}

fn import_events(store: &Store) -> Vec<(String, String)> {
    store
        .audit_entries(&AuditFilter {
            event: Some("import".into()),
            ..AuditFilter::default()
        })
        .unwrap()
        .into_iter()
        .map(|e| (e.actor, e.outcome))
        .collect()
}

/// A unit with one project of its own.
fn unit_with_project(code: &str) -> Dataset {
    Dataset {
        units: vec![unit(code, &format!("单位{code}"), "教科文科")],
        projects: vec![common::project(
            &format!("P-{code}"),
            code,
            FundKind::Special,
            dec!(300000),
        )],
        ..Dataset::default()
    }
}

#[test]
fn a_dataset_refused_inside_the_batch_is_rolled_back_alone() {
    let (_dir, path) = temp_db();
    let mut store = open_staffed(&path);
    let mut bad = unit_with_project("404");
    // The unit row is written before the project naming an unknown unit fails.
    bad.projects[0].unit_code = "999".into();
    let mut batch = store.begin_import("importer").unwrap();
    assert!(batch.load(&unit_with_project("303")).unwrap().is_ok());
    let refused = batch.load(&bad).unwrap();
    assert!(matches!(refused, Err(StoreError::UnknownUnit { .. })), "{refused:?}");
    assert!(
        !batch.unit_exists("404").unwrap(),
        "the refused dataset's unit row is rolled back"
    );
    assert!(batch.unit_exists("303").unwrap(), "the earlier dataset stays");
    let summary = batch.load(&unit_with_project("505")).unwrap().unwrap();
    assert_eq!((summary.units.inserted, summary.projects.inserted), (1, 1));
    batch.commit().unwrap();

    let data = store.snapshot(2023).unwrap().data;
    let units: Vec<&str> = data.units.iter().map(|u| u.code.as_str()).collect();
    assert_eq!(units, ["303", "505"]);
    assert_eq!(data.projects.len(), 2);
    assert_eq!(import_events(&store).len(), 2, "one audit entry per dataset loaded");
}

#[test]
fn a_batch_dropped_without_commit_leaves_nothing() {
    let (_dir, path) = temp_db();
    let mut store = open_staffed(&path);
    let before = import_events(&store).len();
    {
        let mut batch = store.begin_import("importer").unwrap();
        batch.load(&unit_with_project("303")).unwrap().unwrap();
    }
    assert!(!store.unit_exists("303").unwrap());
    assert_eq!(import_events(&store).len(), before);
    // The store takes writes again (the lock and the cache size are given back).
    store.load_dataset(&unit_with_project("303"), "importer").unwrap();
    assert!(store.unit_exists("303").unwrap());
}

#[test]
fn a_batch_waiting_for_files_lets_the_lock_go_with_what_it_has_loaded() {
    let (_dir, path) = temp_db();
    let mut store = open_staffed(&path);
    let mut batch = store.begin_import("importer").unwrap();
    batch.load(&unit_with_project("303")).unwrap().unwrap();
    // Longer than a batch keeps the lock when it is about to wait.
    std::thread::sleep(std::time::Duration::from_millis(150));
    batch.pause_while_waiting().unwrap();

    // Meanwhile another reviewer's process sees the loaded file and can write.
    let mut other = Store::open(&path).unwrap();
    other.set_busy_timeout(std::time::Duration::from_millis(50)).unwrap();
    assert!(other.unit_exists("303").unwrap());
    other.load_dataset(&unit_with_project("404"), "importer").unwrap();

    // The batch goes on in a new transaction.
    batch.load(&unit_with_project("505")).unwrap().unwrap();
    batch.commit().unwrap();
    let data = store.snapshot(2023).unwrap().data;
    let units: Vec<&str> = data.units.iter().map(|u| u.code.as_str()).collect();
    assert_eq!(units, ["303", "404", "505"]);
}

fn write(folder: &Path, name: &str, text: &str) -> PathBuf {
    std::fs::create_dir_all(folder).unwrap();
    let path = folder.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

const PROJECT_HEADER: &str = "年度,项目编码,单位编码,项目名称,预算类型,资金性质,预算金额\n";

#[test]
fn a_bad_file_among_good_ones_leaves_its_unit_as_it_was() {
    let (dir, path) = temp_db();
    let mut store = open_staffed(&path);
    store.load_dataset(&sample(), "importer").unwrap();
    let before_202: Vec<Project> = store
        .snapshot(2023)
        .unwrap()
        .data
        .projects
        .into_iter()
        .filter(|p| p.unit_code == "202")
        .collect();
    let events_before = import_events(&store).len();

    let folder = dir.path().join("in");
    let good_101 = format!("{PROJECT_HEADER}2023,P-101-01,101,校舍维修改造（更正）,一般公共预算,专项资金,2500000\n");
    // Unit 202's file renames its project, then has a bad amount: none of it may land.
    let bad_202 = format!(
        "{PROJECT_HEADER}2023,P-202-01,202,高标准农田（更正）,一般公共预算,专项资金,3000000.50\n\
         2023,P-202-02,202,农机补贴,一般公共预算,专项资金,很多\n"
    );
    let new_unit = "单位编码,单位名称,业务科室\n606,区水务局,农业科\n";
    write(&folder, "a_项目.csv", &good_101);
    write(&folder, "b_项目.csv", &bad_202);
    write(&folder, "c_单位.csv", new_unit);
    let rules = Config::defaults().rules;
    let report = import_paths(
        &mut store,
        std::slice::from_ref(&folder),
        &options("importer"),
        &rules,
        &mut |_, _| {},
    )
    .unwrap();

    assert_eq!(report.imported().count(), 2);
    let refused: Vec<String> = report.errors().map(|e| e.to_string()).collect();
    assert_eq!(refused.len(), 1, "{refused:#?}");
    assert!(refused[0].contains("b_项目.csv:项目:3:预算金额"), "{refused:#?}");
    let data = store.snapshot(2023).unwrap().data;
    let p101 = data.projects.iter().find(|p| p.code == "P-101-01").unwrap();
    assert_eq!(p101.name, "校舍维修改造（更正）");
    let after_202: Vec<Project> = data.projects.iter().filter(|p| p.unit_code == "202").cloned().collect();
    assert_eq!(after_202, before_202, "the refused file changed its unit");
    assert!(
        data.units.iter().any(|u| u.code == "606"),
        "the file after the bad one landed"
    );
    assert_eq!(import_events(&store).len(), events_before + 2);

    // The same folder again, the bad file corrected: only that file changes anything.
    write(&folder, "b_项目.csv", &bad_202.replace("很多", "800000"));
    let again = import_paths(&mut store, &[folder], &options("importer"), &rules, &mut |_, _| {}).unwrap();
    assert_eq!(again.refused().count(), 0);
    // Files load in the contract's sheet order: 单位 before 项目.
    let changed: Vec<(String, bool)> = again
        .files
        .iter()
        .map(|f| {
            let name = f.path.file_name().unwrap().to_string_lossy().to_string();
            match &f.outcome {
                FileOutcome::Imported { summary, .. } => (name, summary.changed_anything()),
                FileOutcome::Refused(_) => unreachable!(),
            }
        })
        .collect();
    let want = [("c_单位.csv", false), ("a_项目.csv", false), ("b_项目.csv", true)];
    assert_eq!(changed, want.map(|(n, c)| (n.to_string(), c)));
    assert_eq!(import_events(&store).len(), events_before + 3);
}

#[test]
fn an_importer_without_the_right_is_refused_once_and_nothing_changes() {
    let (dir, path) = temp_db();
    let mut store = open_staffed(&path);
    store.load_dataset(&sample(), "importer").unwrap();
    let before = store.snapshot(2023).unwrap().data;
    let folder = dir.path().join("in");
    write(&folder, "a_单位.csv", "单位编码,单位名称\n707,区文旅局\n");
    write(&folder, "b_单位.csv", "单位编码,单位名称\n708,区档案馆\n");
    write(
        &folder,
        "c_项目.csv",
        &format!("{PROJECT_HEADER}2023,X-1,101,道路,一般公共预算,专项资金,很多\n"),
    );
    let rules = Config::defaults().rules;
    let report = import_paths(&mut store, &[folder], &options("mallory"), &rules, &mut |_, _| {}).unwrap();

    assert_eq!(report.imported().count(), 0);
    let errors: Vec<String> = report.errors().map(|e| e.to_string()).collect();
    assert_eq!(errors.len(), 3, "{errors:#?}");
    assert!(
        errors[0].contains("a_单位.csv") && errors[0].contains("未登记为审核人员"),
        "{errors:#?}"
    );
    assert!(
        errors[1].contains("b_单位.csv") && errors[1].contains("未登记为审核人员"),
        "{errors:#?}"
    );
    assert!(errors[2].contains("c_项目.csv:项目:2:预算金额"), "{errors:#?}");
    assert_eq!(store.snapshot(2023).unwrap().data, before);
    let refusals: Vec<(String, String)> = import_events(&store)
        .into_iter()
        .filter(|(_, outcome)| outcome == "refused")
        .collect();
    assert_eq!(refusals, [("mallory".to_string(), "refused".to_string())]);
}

#[test]
fn a_failing_database_stops_the_run_and_commits_nothing_of_it() {
    let (dir, path) = temp_db();
    let mut store = open_staffed(&path);
    store.load_dataset(&sample(), "importer").unwrap();
    let before = store.snapshot(2023).unwrap().data;
    let events = import_events(&store).len();
    let folder = dir.path().join("in");
    write(&folder, "a_单位.csv", "单位编码,单位名称\n707,区文旅局\n");
    let mut projects = PROJECT_HEADER.to_string();
    for i in 0..400 {
        projects.push_str(&format!(
            "2023,Q-{i:04},707,第{i}个道路养护项目（名称写长一些以占满数据页）,一般公共预算,专项资金,120000\n"
        ));
    }
    write(&folder, "b_项目.csv", &projects);
    store.drill(Fault::DiskFull).unwrap();
    let rules = Config::defaults().rules;
    let report = import_paths(&mut store, &[folder], &options("importer"), &rules, &mut |_, _| {}).unwrap();
    // The run stops and says so; nothing of it was committed, every file is
    // reported as not saved.
    assert_eq!(report.stopped.as_deref(), Some("磁盘已满"));
    assert_eq!(report.imported().count(), 0);
    assert_eq!(report.not_saved().count(), 2, "{:#?}", report.files);
    drop(store);

    let store = Store::open(&path).unwrap();
    assert_eq!(
        store.snapshot(2023).unwrap().data,
        before,
        "a file of the stopped run landed"
    );
    assert_eq!(import_events(&store).len(), events);
}

/// Rows per project, in order, so that two datasets compare whatever their project order.
#[cfg(feature = "bench")]
fn same_rows(a: &Dataset, b: &Dataset) {
    assert_eq!(a.units, b.units);
    assert_eq!(a.projects, b.projects);
    assert_eq!(a.indicators, b.indicators);
    assert_eq!(a.monitoring, b.monitoring);
    assert_eq!(a.progress, b.progress);
    assert_eq!(a.self_evals, b.self_evals);
    assert_eq!(a.actuals, b.actuals);
    assert_eq!(a.key_evals, b.key_evals);
}

/// The reference is built only with the benchmark (`--features bench`).
#[cfg(feature = "bench")]
#[test]
fn the_benchmark_reference_writes_the_rows_an_import_writes() {
    let ds = sample();
    let (_a, imported_path) = temp_db();
    let mut imported = open_staffed(&imported_path);
    imported.load_dataset(&ds, "importer").unwrap();
    let (_b, plain_path) = temp_db();
    let mut plain = Store::open(&plain_path).unwrap();
    plain.insert_plain(&ds).unwrap();

    let loaded = imported.snapshot(2023).unwrap();
    let inserted = plain.snapshot(2023).unwrap();
    same_rows(&inserted.data, &loaded.data);
    assert_eq!(inserted.data.row_count(), ds.row_count());
    // What the reference leaves out is the import's own work.
    assert!(inserted.reviews.is_empty() && !loaded.reviews.is_empty());
}

#[test]
fn the_findings_refresh_is_one_pass_of_the_rules() {
    let (_dir, path) = temp_db();
    let mut store = open_staffed(&path);
    // Enough projects that the rules run split by unit on a multi-core machine.
    store.load_dataset(&with_clean_projects(600), "importer").unwrap();
    let rules = Config::defaults().rules;
    let today = chrono::NaiveDate::from_ymd_opt(2024, 3, 1).unwrap();
    let refreshed = store.refresh_findings(&rules, today).unwrap();
    let one_pass = evaluate(&store.snapshot(2023).unwrap(), &rules, today);
    assert_eq!(refreshed, one_pass);
    assert!(refreshed.all().count() > 600);
    // What was stored is what a single pass finds, item by item.
    for (review_id, found) in &one_pass.per_review {
        let stored = store.findings_for(*review_id).unwrap();
        let key = |f: &Finding| (f.rule.clone(), f.severity, f.indicator.clone(), f.message.clone());
        assert_eq!(
            stored.iter().map(key).collect::<Vec<_>>(),
            found.iter().map(key).collect::<Vec<_>>()
        );
    }
}

/// Every review item of the store: (stage, unit, project or key-evaluation object).
fn items(store: &Store) -> Vec<(Stage, String, Option<String>)> {
    let mut items: Vec<_> = store
        .snapshot(2023)
        .unwrap()
        .reviews
        .into_iter()
        .map(|r| (r.stage, r.unit_code, r.project_code))
        .collect();
    items.sort();
    items
}

#[test]
fn items_are_the_same_whether_a_project_comes_with_its_rows_or_gets_them_later() {
    let (_a, at_once_path) = temp_db();
    let mut at_once = open_staffed(&at_once_path);
    at_once.load_dataset(&sample(), "importer").unwrap();

    let (_b, later_path) = temp_db();
    let mut later = open_staffed(&later_path);
    let full = sample();
    let projects_only = Dataset {
        units: full.units.clone(),
        projects: full.projects.clone(),
        ..Dataset::default()
    };
    let rows_only = Dataset {
        units: Vec::new(),
        projects: Vec::new(),
        ..full
    };
    later.load_dataset(&projects_only, "importer").unwrap();
    let summary = later.load_dataset(&rows_only, "importer").unwrap();
    assert!(
        summary.reviews_created > 0,
        "monitoring, self-evaluation and key-evaluation items come with the rows"
    );

    let want = items(&at_once);
    assert_eq!(want.iter().filter(|(s, _, _)| *s == Stage::Monitoring).count(), 2);
    assert_eq!(want.iter().filter(|(s, _, _)| *s == Stage::SelfEval).count(), 2);
    assert_eq!(items(&later), want);
}
