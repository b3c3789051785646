//! The demo year written as one workbook per unit, imported into a fresh
//! database, comes back exactly (modulo order), and a second import of the
//! same folder changes nothing.

mod common;

use jixiao::config::Config;
use jixiao::demo::{DemoOptions, generate};
use jixiao::domain::scoring::{self, ScoreInput};
use jixiao::domain::*;
use jixiao::io::import::{ImportOptions, import_paths};
use jixiao::io::submissions::write_unit_workbooks;
use std::collections::BTreeMap;
use std::path::Path;

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
    let units = |d: &Dataset| {
        d.units
            .iter()
            .map(|u| (u.code.clone(), u.clone()))
            .collect::<BTreeMap<_, _>>()
    };
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

/// The three broken files of the done-when check, with the error each must get.
fn add_broken_files(folder: &Path, a_good_file: &Path) -> Vec<&'static str> {
    std::fs::write(folder.join("zz_garbage.xlsx"), b"not a workbook at all").unwrap();
    std::fs::write(
        folder.join("101001_项目.csv"),
        "年度,项目编码,单位编码,项目名称,预算类型,资金性质,预算金额\n2023,X-1,101001,道路,一般公共预算,专项资金,很多\n",
    )
    .unwrap();
    let bytes = std::fs::read(a_good_file).unwrap();
    std::fs::write(folder.join("half.xlsx"), &bytes[..bytes.len() / 3]).unwrap();
    vec![
        "zz_garbage.xlsx:-:-:-: 不是 Excel 工作簿",
        "101001_项目.csv:项目:2:预算金额: 「很多」不是有效的金额",
        "half.xlsx:-:-:-: 文件已损坏或不完整",
    ]
}

/// Done-when: a folder of the 124 demo units' workbooks and 3 broken files
/// imports the 124, names every error of the 3, reproduces the generated data,
/// and a second run of the same import changes nothing.
#[test]
fn demo_folder_round_trips_and_a_second_import_changes_nothing() {
    let generated = demo_dataset(124);
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("submissions");
    let files = write_unit_workbooks(&generated, &folder).unwrap();
    assert_eq!(files.len(), 124);
    let expected = add_broken_files(&folder, &files[0]);

    let (_db_dir, db) = common::temp_db();
    let mut store = common::open_staffed(&db);
    let rules = Config::defaults().rules;
    let mut audit_before = 0;
    for run in 0..2 {
        let mut calls = 0;
        let report = import_paths(
            &mut store,
            std::slice::from_ref(&folder),
            &options(),
            &rules,
            &mut |_, _| calls += 1,
        )
        .unwrap();
        assert_eq!(calls, 127);
        assert_eq!(report.imported().count(), 124);
        assert_eq!(report.refused().count(), 3);
        let errors: Vec<String> = report.errors().map(|e| e.to_string()).collect();
        assert_eq!(errors.len(), 3, "{errors:#?}");
        for want in &expected {
            assert!(errors.iter().any(|e| e.contains(want)), "want {want} in {errors:#?}");
        }
        let rows: usize = report.rows_per_sheet().iter().map(|(_, n)| n).sum();
        assert_eq!(rows, generated.row_count());
        if run == 0 {
            assert!(report.changed_anything());
            audit_before = store.audit_entries(&Default::default()).unwrap().len();
        } else {
            assert!(!report.changed_anything());
            assert_eq!(store.audit_entries(&Default::default()).unwrap().len(), audit_before);
        }
        assert_same_data(&generated, &store.snapshot(2023).unwrap().data);
    }
}
