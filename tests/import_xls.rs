//! An Excel 97-2003 workbook (.xls), as units whose Excel saves in the old
//! format send it: `tests/fixtures/101001.xls` is `101001.xlsx` (a unit's
//! workbook that `jixiao export submissions` wrote: every sheet, with key
//! evaluations and their dates) saved as .xls by `tests/fixtures/xlsx_to_xls.py`.
//! Both must import to the same records; a damaged .xls is refused by name.

mod common;

use common::{open_staffed, temp_db};
use jixiao::config::Config;
use jixiao::io::import::{ImportOptions, ImportReport, import_paths};
use jixiao::store::Store;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn import(store: &mut Store, file: &Path) -> ImportReport {
    let options = ImportOptions {
        actor: "importer".into(),
        today: chrono::NaiveDate::from_ymd_opt(2024, 3, 1).unwrap(),
    };
    let rules = Config::defaults().rules;
    import_paths(store, &[file.to_path_buf()], &options, &rules, &mut |_, _| {}).unwrap()
}

fn errors(report: &ImportReport) -> Vec<String> {
    report.errors().map(|e| e.to_string()).collect()
}

#[test]
fn an_xls_workbook_imports_the_same_records_as_its_xlsx() {
    let (_d1, xls_db) = temp_db();
    let mut from_xls = open_staffed(&xls_db);
    let report = import(&mut from_xls, &fixture("101001.xls"));
    assert_eq!(errors(&report), Vec::<String>::new());
    let rows: Vec<(&str, usize)> = report.rows_per_sheet().into_iter().filter(|(_, n)| *n > 0).collect();
    assert_eq!(
        rows,
        [
            ("单位", 1),
            ("项目", 22),
            ("指标", 211),
            ("监控", 8),
            ("指标进度", 80),
            ("自评", 22),
            ("指标实际", 208),
            ("重点评价", 7)
        ]
    );
    let (_d2, xlsx_db) = temp_db();
    let mut from_xlsx = open_staffed(&xlsx_db);
    assert_eq!(
        errors(&import(&mut from_xlsx, &fixture("101001.xlsx"))),
        Vec::<String>::new()
    );
    let year = from_xls.latest_year().unwrap().unwrap();
    let (a, b) = (from_xls.snapshot(year).unwrap(), from_xlsx.snapshot(year).unwrap());
    assert_eq!(a.data, b.data, "amounts, dates, codes and Chinese text read alike");
    assert!(
        a.data.units[0].name == "区委办公室" && a.data.key_evals.iter().any(|k| k.documents.working_papers.is_some())
    );

    // The same data again, in the other format: nothing changes.
    let again = import(&mut from_xlsx, &fixture("101001.xls"));
    assert_eq!(errors(&again), Vec::<String>::new());
    assert!(!again.changed_anything());
}

#[test]
fn a_damaged_xls_is_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(fixture("101001.xls")).unwrap();
    let cut = dir.path().join("101001_截断.xls");
    std::fs::write(&cut, &bytes[..bytes.len() / 3]).unwrap();
    let (_d, db) = temp_db();
    let mut store = open_staffed(&db);
    let report = import(&mut store, &cut);
    assert_eq!(report.imported().count(), 0);
    let errs = errors(&report);
    assert!(
        errs.len() == 1 && errs[0].starts_with(&cut.display().to_string()),
        "{errs:#?}"
    );
    assert!(errs[0].contains("无法") || errs[0].contains("损坏"), "{errs:#?}");
    assert_eq!(store.latest_year().unwrap(), None, "nothing of it loaded");
}
