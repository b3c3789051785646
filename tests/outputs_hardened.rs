//! What leaves the database and what greets a user on a bad day, held to a
//! shared server's standards: CSV cells that Excel or WPS would run as
//! formulas are written as text; exports, templates and the log are not
//! world-readable; another user's demo is not wiped by `--fresh`; a full
//! disk at start-up is said in words, not "disk I/O error".

mod common;

use common::*;
use jixiao::config::Config;
use jixiao::domain::states::ReviewAction;
use jixiao::domain::*;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

fn jixiao(dir: &Path, db: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jixiao"));
    c.arg("--db")
        .arg(db)
        .env("JIXIAO_CONFIG_DIR", dir)
        .env("JIXIAO_DATA_DIR", dir)
        .env_remove("JIXIAO_DB");
    c
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn csv_cells_that_would_run_as_formulas_are_written_as_text() {
    let (dir, db) = temp_db();
    let mut store = open_staffed(&db);
    store
        .add_reviewer(&person(&jixiao::identity::os_user(), Role::Admin, &[]), "importer")
        .unwrap();
    store.load_dataset(&sample(), "importer").unwrap();
    let rules = Config::defaults().rules;
    store
        .refresh_findings(&rules, chrono::NaiveDate::from_ymd_opt(2023, 11, 15).unwrap())
        .unwrap();
    let opinions = [
        "=HYPERLINK(\"http://evil.example/x\",\"点击查看整改要求\") 请补充成本指标后重报",
        "=cmd|' /C calc'!A0 成本指标缺失，请补充完整后重新报送",
        "@SUM(1+1)*cmd|' /C calc'!A0 年度目标过于笼统请细化",
    ];
    let ids = store
        .queue_ids(&jixiao::store::QueueFilter::stage(Stage::Target))
        .unwrap();
    for (id, opinion) in ids.iter().zip(opinions) {
        let r = store.review(*id).unwrap().unwrap();
        store
            .decide(*id, r.version, ReviewAction::Return, opinion, "zhoumin", &rules.review)
            .unwrap();
    }
    drop(store);
    let csv = dir.path().join("意见.csv");
    let out = jixiao(dir.path(), &db)
        .args(["export", "opinions"])
        .arg(&csv)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let cells: Vec<String> = reader
        .records()
        .flat_map(|r| r.unwrap().iter().map(str::to_string).collect::<Vec<_>>())
        .collect();
    for opinion in opinions {
        assert!(
            cells.iter().any(|c| *c == format!("'{opinion}")),
            "{opinion} neutralised: {cells:?}"
        );
        assert!(!cells.iter().any(|c| c == opinion), "{opinion} verbatim");
    }
    assert_eq!(mode(&csv), 0o640, "exports are not world-readable");
    let xlsx = dir.path().join("意见.xlsx");
    let out = jixiao(dir.path(), &db)
        .args(["export", "opinions"])
        .arg(&xlsx)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(mode(&xlsx), 0o640);
    let template = dir.path().join("模板.xlsx");
    assert!(
        jixiao(dir.path(), &db)
            .arg("template")
            .arg(&template)
            .output()
            .unwrap()
            .status
            .success()
    );
    assert_eq!(mode(&template), 0o640);
}

#[test]
fn the_log_is_not_world_readable() {
    // A log already there with a wide mode (an older build's) is narrowed too.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("log")).unwrap();
    let log = dir.path().join("log").join("jixiao.log");
    std::fs::write(&log, "").unwrap();
    std::fs::set_permissions(&log, std::fs::Permissions::from_mode(0o644)).unwrap();
    // The only test of this binary that touches the environment.
    unsafe { std::env::set_var("JIXIAO_DATA_DIR", dir.path()) };
    let path = jixiao::logging::init().expect("logging starts");
    assert_eq!(path, log);
    assert_eq!(mode(&log), 0o640);
}

#[test]
fn another_users_demo_is_not_wiped_by_fresh() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let build = |fresh: bool| {
        let mut c = jixiao(dir.path(), &db);
        c.args(["demo", "--no-tui", "--units", "3"]);
        if fresh {
            c.arg("--fresh");
        }
        c.output().unwrap()
    };
    assert!(build(false).status.success());
    // Built by someone else (as on the shared server).
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute(
        "UPDATE setting SET value = 'wangjianguo' WHERE key = 'demo.creator'",
        [],
    )
    .unwrap();
    drop(conn);
    let out = build(true);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("由用户 wangjianguo 生成") && err.contains("--db"), "{err}");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let creator: String = conn
        .query_row("SELECT value FROM setting WHERE key = 'demo.creator'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(creator, "wangjianguo", "the file was left alone");
    // Its creator may.
    conn.execute(
        "UPDATE setting SET value = ?1 WHERE key = 'demo.creator'",
        [jixiao::identity::os_user()],
    )
    .unwrap();
    drop(conn);
    assert!(build(true).status.success());
}

#[test]
fn a_full_disk_at_start_up_is_said_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("full.db");
    // A file-size limit of 16 KiB stands in for a full disk: SQLite cannot
    // write the new database (prlimit, from util-linux; .ci/run installs it).
    // SIGXFSZ ignored so the write fails instead of killing the process.
    let out = Command::new("prlimit")
        .arg("--fsize=16384")
        .args(["sh", "-c", "trap '' XFSZ; exec \"$0\" \"$@\""])
        .arg(env!("CARGO_BIN_EXE_jixiao"))
        .arg("--db")
        .arg(&db)
        .args(["import", "/nonexistent"])
        .env("JIXIAO_CONFIG_DIR", dir.path())
        .env("JIXIAO_DATA_DIR", dir.path())
        .env_remove("JIXIAO_DB")
        .output()
        .expect("prlimit (util-linux) is needed for this test; .ci/run installs it");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("磁盘空间已满") && err.contains("full.db"), "{err}");
    assert!(!err.contains("disk I/O error"), "{err}");
}
