//! The demo year written as one workbook per unit, imported into a fresh
//! database, comes back exactly (modulo order), and a second import of the
//! same folder changes nothing.

mod common;

use jixiao::config::Config;
use jixiao::domain::scoring::{self, ScoreInput};
use jixiao::domain::*;
use jixiao::io::demo::{DemoOptions, generate};
use jixiao::io::import::{ImportOptions, import_paths};
use jixiao::io::submissions::write_unit_workbooks;
use jixiao::store::Store;
use std::collections::BTreeMap;

fn demo_dataset(units: usize) -> Dataset {
    let rules = Config::defaults().rules;
    let recompute = |input: &ScoreInput<'_>| scoring::score(input, &rules.scoring, &rules.grades).total;
    generate(
        &DemoOptions {
            units,
            ..DemoOptions::default()
        },
        &recompute,
    )
    .0
}

fn options() -> ImportOptions {
    ImportOptions {
        actor: "importer".into(),
        today: chrono::NaiveDate::from_ymd_opt(2024, 3, 1).unwrap(),
    }
}

/// Rows per project, in sheet order.
fn grouped<T: Clone>(rows: &[T], code: impl Fn(&T) -> &str) -> BTreeMap<String, Vec<T>> {
    let mut m: BTreeMap<String, Vec<T>> = BTreeMap::new();
    for r in rows {
        m.entry(code(r).to_string()).or_default().push(r.clone());
    }
    m
}

fn assert_same_data(a: &Dataset, b: &Dataset) {
    let units = |d: &Dataset| d.units.iter().map(|u| (u.code.clone(), u.clone())).collect::<BTreeMap<_, _>>();
    assert_eq!(units(a), units(b));
    let projects = |d: &Dataset| {
        d.projects
            .iter()
            .map(|p| ((p.year, p.code.clone()), p.clone()))
            .collect::<BTreeMap<_, _>>()
    };
    assert_eq!(projects(a), projects(b));
    assert_eq!(
        grouped(&a.indicators, |r| &r.project_code),
        grouped(&b.indicators, |r| &r.project_code)
    );
    assert_eq!(
        grouped(&a.monitoring, |r| &r.project_code),
        grouped(&b.monitoring, |r| &r.project_code)
    );
    assert_eq!(
        grouped(&a.progress, |r| &r.project_code),
        grouped(&b.progress, |r| &r.project_code)
    );
    assert_eq!(
        grouped(&a.self_evals, |r| &r.project_code),
        grouped(&b.self_evals, |r| &r.project_code)
    );
    assert_eq!(
        grouped(&a.actuals, |r| &r.project_code),
        grouped(&b.actuals, |r| &r.project_code)
    );
    let key_evals = |d: &Dataset| {
        d.key_evals
            .iter()
            .map(|k| ((k.year, k.object_code.clone()), k.clone()))
            .collect::<BTreeMap<_, _>>()
    };
    assert_eq!(key_evals(a), key_evals(b));
}

#[test]
fn demo_folder_round_trips_and_a_second_import_changes_nothing() {
    let generated = demo_dataset(124);
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("submissions");
    let files = write_unit_workbooks(&generated, &folder).unwrap();
    assert_eq!(files.len(), 124);

    let (_db_dir, db) = common::temp_db();
    let mut store = Store::open(&db).unwrap();
    let rules = Config::defaults().rules;
    let mut calls = 0;
    let report = import_paths(&mut store, &[folder.clone()], &options(), &rules, &mut |_, _| calls += 1).unwrap();
    let errors: Vec<String> = report.errors().map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{}", errors[..errors.len().min(20)].join("\n"));
    assert_eq!(report.imported().count(), 124);
    assert_eq!(calls, 124);
    let rows: usize = report.rows_per_sheet().iter().map(|(_, n)| n).sum();
    assert_eq!(rows, generated.row_count());

    let back = store.snapshot(2023).unwrap().data;
    assert_same_data(&generated, &back);

    let audit_before = store.audit_entries(&Default::default()).unwrap().len();
    let version_before = store.data_version().unwrap();
    let again = import_paths(&mut store, &[folder], &options(), &rules, &mut |_, _| {}).unwrap();
    assert_eq!(again.imported().count(), 124);
    assert!(!again.changed_anything());
    assert_eq!(store.audit_entries(&Default::default()).unwrap().len(), audit_before);
    assert_eq!(store.data_version().unwrap(), version_before);
}

#[test]
fn timing_probe() {
    let t = std::time::Instant::now();
    let generated = demo_dataset(124);
    eprintln!("generate {:?}", t.elapsed());
    let dir = tempfile::tempdir().unwrap();
    let t = std::time::Instant::now();
    write_unit_workbooks(&generated, dir.path()).unwrap();
    eprintln!("write {:?}", t.elapsed());
    let t = std::time::Instant::now();
    for f in std::fs::read_dir(dir.path()).unwrap() {
        jixiao::io::import::read_file(&f.unwrap().path()).unwrap();
    }
    eprintln!("parse {:?}", t.elapsed());
}
