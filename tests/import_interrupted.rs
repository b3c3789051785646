//! Findings never lag the data they describe: `kill -9` at random points of a
//! large `jixiao import` leaves every committed item either with the
//! findings a fresh evaluation gives or refused for approval until its
//! findings are recomputed; the next import (of the same, unchanged files)
//! repairs them; a full disk mid-import says file by file what was saved.

mod common;

use common::{open_staffed, person, sample, temp_db};
use jixiao::config::Config;
use jixiao::demo::{DemoOptions, generate};
use jixiao::domain::rules::evaluate;
use jixiao::domain::scoring::{self, ScoreInput};
use jixiao::domain::states::ReviewAction;
use jixiao::domain::*;
use jixiao::io::import::{ImportOptions, import_paths};
use jixiao::store::{Fault, Store, StoreError};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// A demo year of `units` units as one workbook per unit, the way units send them.
fn workbooks(dir: &Path, units: usize) -> PathBuf {
    let rules = Config::defaults().rules;
    let recompute = |input: &ScoreInput<'_>| scoring::score(input, &rules.scoring, &rules.grades).total;
    let options = DemoOptions {
        units,
        ..DemoOptions::default()
    };
    let (data, _) = generate(&options, &recompute);
    let folder = dir.join("workbooks");
    jixiao::io::submissions::write_unit_workbooks(&data, &folder).unwrap();
    folder
}

/// An empty database with the OS user running the tests (whom the binary
/// acts as) registered as admin.
fn empty_db(path: &Path) {
    let mut store = Store::open(path).unwrap();
    let me = jixiao::identity::os_user();
    store.add_reviewer(&person(&me, Role::Admin, &[]), &me).unwrap();
}

fn import_command(db: &Path, folder: &Path, config_dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jixiao"));
    c.arg("--db")
        .arg(db)
        .args(["import", "--quiet"])
        .arg(folder)
        .env("JIXIAO_CONFIG_DIR", config_dir)
        .env_remove("JIXIAO_DB")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

type Said = Vec<(String, String, String)>;

fn said(findings: &[Finding]) -> Said {
    findings
        .iter()
        .map(|f| (f.rule.to_string(), f.severity.code().to_string(), f.message.clone()))
        .collect()
}

/// Every item of the latest year: its stored findings are a fresh
/// evaluation's, or its unit is marked as lagging and an approval of it is
/// refused. Returns (items checked, items lagging).
fn check_items(path: &Path, approver: &str) -> (usize, usize) {
    let mut store = Store::open(path).unwrap();
    let Some(year) = store.latest_year().unwrap() else {
        return (0, 0);
    };
    let stale = store.units_with_stale_findings().unwrap();
    let lagging_units = stale.get(&year).cloned().unwrap_or_default();
    let snapshot = store.snapshot(year).unwrap();
    let fresh: HashMap<i64, Said> = evaluate(&snapshot, &Config::defaults().rules, today())
        .per_review
        .iter()
        .map(|(id, f)| (*id, said(f)))
        .collect();
    let (mut lagging, mut refused_one) = (0, false);
    for review in &snapshot.reviews {
        if lagging_units.contains(&review.unit_code) {
            lagging += 1;
            if !refused_one && matches!(review.state, ReviewState::Pending | ReviewState::Resubmitted) {
                let approve = ReviewAction::Approve {
                    override_blocking: true,
                };
                let result = store.decide(
                    review.id,
                    review.version,
                    approve,
                    "已逐项核实，同意通过。",
                    approver,
                    1,
                );
                assert!(
                    matches!(result, Err(StoreError::FindingsStale { .. })),
                    "an item whose findings lag its data was approvable: {result:?}"
                );
                refused_one = true;
            }
            continue;
        }
        let stored = said(&store.findings_for(review.id).unwrap());
        let want = fresh.get(&review.id).cloned().unwrap_or_default();
        assert_eq!(
            stored, want,
            "item {} of unit {} shows findings that are not its data's",
            review.id, review.unit_code
        );
    }
    (snapshot.reviews.len(), lagging)
}

#[test]
fn kill_9_at_random_points_of_a_large_import_never_leaves_an_item_approvable_without_its_findings() {
    let dir = tempfile::tempdir().unwrap();
    let config_dir = dir.path().join("config");
    let folder = workbooks(dir.path(), 40);
    let empty = dir.path().join("empty.db");
    empty_db(&empty);
    let me = jixiao::identity::os_user();

    // How long a whole run takes here, to kill inside it.
    let whole = dir.path().join("whole.db");
    std::fs::copy(&empty, &whole).unwrap();
    let started = Instant::now();
    assert!(import_command(&whole, &folder, &config_dir).status().unwrap().success());
    let run = started.elapsed();
    let (items, lagging) = check_items(&whole, &me);
    assert!(
        items > 100 && lagging == 0,
        "{items} items, {lagging} lagging after a whole run"
    );

    // "Random" points, spread over the run (a fixed seed: the same on every machine).
    let mut seed: u64 = 0x2023_1028;
    let mut caught_lagging = 0;
    for round in 0..5 {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let fraction = 0.1 + (seed >> 33) as f64 / (1u64 << 31) as f64 * 0.85;
        let db = dir.path().join(format!("killed-{round}.db"));
        std::fs::copy(&empty, &db).unwrap();
        let mut child = import_command(&db, &folder, &config_dir).spawn().unwrap();
        std::thread::sleep(run.mul_f64(fraction));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let (items, lagging) = check_items(&db, &me);
        println!(
            "kill -9 at {:.0}% of {run:?}: {items} items, {lagging} awaiting their findings",
            fraction * 100.0
        );
        if lagging > 0 {
            caught_lagging += 1;
        }
        // The same files again (the committed ones unchanged) repair the rest.
        let mut store = Store::open(&db).unwrap();
        let rules = Config::defaults().rules;
        let options = ImportOptions {
            actor: jixiao::identity::os_user(),
            today: today(),
        };
        let report = import_paths(
            &mut store,
            std::slice::from_ref(&folder),
            &options,
            &rules,
            &mut |_, _| {},
        )
        .unwrap();
        assert_eq!(report.refused().count(), 0);
        assert!(store.units_with_stale_findings().unwrap().is_empty());
        drop(store);
        assert_eq!(check_items(&db, &me).1, 0);
    }
    println!("{caught_lagging} of 5 kills left items awaiting their findings");
}

#[test]
fn a_reimport_of_unchanged_files_repairs_findings_an_interrupted_run_left_behind() {
    let (dir, path) = temp_db();
    let mut store = open_staffed(&path);
    let folder = dir.path().join("in");
    let ds = sample();
    jixiao::io::submissions::write_unit_workbooks(&ds, &folder).unwrap();
    let rules = Config::defaults().rules;
    let options = ImportOptions {
        actor: "importer".into(),
        today: today(),
    };
    import_paths(
        &mut store,
        std::slice::from_ref(&folder),
        &options,
        &rules,
        &mut |_, _| {},
    )
    .unwrap();
    drop(store);
    let whole = check_items(&path, "importer");
    assert_eq!(whole.1, 0);
    // As a run killed between its commit and its refresh leaves it: the data
    // committed (an indicator gone), the findings of before.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute(
        "DELETE FROM indicator WHERE project_id = (SELECT id FROM project WHERE code = 'P-101-01')",
        [],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO findings_stale (unit_code, year, since) VALUES ('101', 2023, 'killed')",
        [],
    )
    .unwrap();
    drop(conn);
    assert_eq!(
        check_items(&path, "importer").1,
        5,
        "the unit's five items await their findings"
    );
    let mut store = Store::open(&path).unwrap();
    let report = import_paths(
        &mut store,
        std::slice::from_ref(&folder),
        &options,
        &rules,
        &mut |_, _| {},
    )
    .unwrap();
    drop(store);
    let _ = report;
    assert_eq!(check_items(&path, "importer").1, 0, "the re-import recomputed them");
}

#[test]
fn a_full_disk_mid_import_says_which_files_were_saved_and_which_not() {
    let (dir, path) = temp_db();
    let mut store = open_staffed(&path);
    store.load_dataset(&sample(), "importer").unwrap();
    store.refresh_findings(&Config::defaults().rules, today()).unwrap();
    // Room for a small file and no more: a large draft, then the disk full,
    // then the draft deleted (its pages free for the first file only).
    let item = store
        .queue_ids(&jixiao::store::QueueFilter::stage(Stage::Target))
        .unwrap()[0];
    store
        .save_draft("importer", item, &"经审核，该项目绩效目标表述空泛。".repeat(8000))
        .unwrap();
    store.drill(Fault::DiskFull).unwrap();
    store.clear_draft("importer", item).unwrap();

    let folder = dir.path().join("in");
    std::fs::create_dir_all(&folder).unwrap();
    let small = folder.join("a_单位.csv");
    std::fs::write(&small, "单位编码,单位名称,业务科室\n707,区文旅局,教科文科\n").unwrap();
    // More than the room left.
    let mut projects = "年度,项目编码,单位编码,项目名称,预算类型,资金性质,预算金额\n".to_string();
    for i in 0..5_000 {
        projects.push_str(&format!(
            "2023,Q-{i:05},707,第{i}个道路养护项目（名称写长一些以占满数据页）,一般公共预算,专项资金,120000\n"
        ));
    }
    let large = folder.join("b_项目.csv");
    std::fs::write(&large, projects).unwrap();
    let rules = Config::defaults().rules;
    let options = ImportOptions {
        actor: "importer".into(),
        today: today(),
    };
    // The run is slow after the first file (as a large folder is): the batch
    // commits what it holds before it loads the next.
    let mut slow = |done: usize, _: usize| {
        if done == 1 {
            std::thread::sleep(Duration::from_millis(1100));
        }
    };
    let report = import_paths(&mut store, std::slice::from_ref(&folder), &options, &rules, &mut slow).unwrap();
    let message = report.stop_message().expect("the run says it stopped");
    println!("{message}");
    assert_eq!(report.stopped.as_deref(), Some("磁盘已满"));
    assert!(
        message.contains("导入中止（磁盘已满）：已保存 1 个文件，未保存 1 个文件"),
        "{message}"
    );
    let saved_at = message.find("已保存（").unwrap();
    let not_saved_at = message.find("未保存（").unwrap();
    let small_at = message.find(&small.display().to_string()).unwrap();
    let large_at = message.find(&large.display().to_string()).unwrap();
    assert!(
        saved_at < small_at && small_at < not_saved_at && not_saved_at < large_at,
        "{message}"
    );
    drop(store);
    // Exactly that: the small file's unit is in, nothing of the large one.
    let store = Store::open(&path).unwrap();
    assert!(store.unit_exists("707").unwrap());
    assert_eq!(store.project_latest_year("Q-00000").unwrap(), None);
}
