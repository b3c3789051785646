//! The three commands as a user runs them: `template`, `export submissions`
//! then `import` of that folder into another database, a refused file's exit
//! code and error lines, and `export findings` as CSV.

mod common;

use common::{open_staffed, sample, temp_db};
use jixiao::store::Store;
use std::path::Path;
use std::process::{Command, Output};

fn jixiao(db: &Path, args: &[&str], config_dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("JIXIAO_CONFIG_DIR", config_dir)
        .env_remove("JIXIAO_DB")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn template_export_import_round_trip_through_the_commands() {
    let (dir, db) = temp_db();
    let config = dir.path().join("config");
    {
        let mut store = open_staffed(&db);
        store.load_dataset(&sample(), "importer").unwrap();
    }

    let t = dir.path().join("t.xlsx");
    let out = jixiao(&db, &["template", t.to_str().unwrap()], &config);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(t.exists());
    let again = jixiao(&db, &["template", t.to_str().unwrap()], &config);
    assert!(!again.status.success(), "overwrote without --force");

    let folder = dir.path().join("out");
    let out = jixiao(&db, &["export", "submissions", folder.to_str().unwrap()], &config);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout(&out).contains("2 个单位工作簿"), "{}", stdout(&out));

    let other = dir.path().join("other.db");
    let out = jixiao(&other, &["import", "--quiet", folder.to_str().unwrap()], &config);
    assert!(
        out.status.success(),
        "{}\n{}",
        stdout(&out),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout(&out).contains("导入 2 个，拒绝 0 个，错误 0 条"),
        "{}",
        stdout(&out)
    );
    let a = Store::open(&db).unwrap().snapshot(2023).unwrap().data;
    let b = Store::open(&other).unwrap().snapshot(2023).unwrap().data;
    assert_eq!(a.units, b.units);
    assert_eq!(a.row_count(), b.row_count());
    for p in &a.projects {
        assert!(b.projects.contains(p), "{p:?}");
    }
    for i in &a.indicators {
        assert!(b.indicators.contains(i), "{i:?}");
    }
    assert_eq!(a.key_evals, b.key_evals);

    let bad = dir.path().join("bad_项目.csv");
    std::fs::write(
        &bad,
        "年度,项目编码,单位编码,项目名称,预算类型,资金性质,预算金额\n2023,Q-1,101,x,一般公共预算,专项资金,-3\n",
    )
    .unwrap();
    let out = jixiao(&other, &["import", bad.to_str().unwrap()], &config);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains(&format!("{}:项目:2:预算金额: 金额「-3」为负数", bad.display())),
        "{text}"
    );
    assert!(text.contains("拒绝 1 个"), "{text}");

    let csv = dir.path().join("findings.csv");
    let out = jixiao(&other, &["export", "findings", csv.to_str().unwrap()], &config);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(std::fs::read(&csv).unwrap().starts_with(b"\xEF\xBB\xBF"));
}
