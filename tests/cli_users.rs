//! End to end with the built binary: reading users never creates a database,
//! and `jixiao demo --as` lets a newcomer see a section reviewer's day — on a
//! demo database only.

use jixiao::store::Store;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn jixiao(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(args)
        .env("JIXIAO_DATA_DIR", data_dir)
        .env("JIXIAO_CONFIG_DIR", data_dir.join("no-config"))
        .env_remove("JIXIAO_DB")
        .stdin(Stdio::null())
        .output()
        .expect("binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn user_list_without_a_database_says_so_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = jixiao(dir.path(), &["user", "list"]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let err = stderr(&out);
    let default = dir.path().join("jixiao.db");
    assert!(
        err.contains("数据库文件不存在") && err.contains(default.to_str().unwrap()),
        "{err}"
    );
    for how in ["--db", "JIXIAO_DB", "jixiao demo", "jixiao import"] {
        assert!(err.contains(how), "{how} missing: {err}");
    }
    assert!(!default.exists(), "an empty database was created");
    // Changing a user needs an existing database too.
    let out = jixiao(dir.path(), &["user", "set-role", "zhangli", "admin"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!default.exists());
    // Registering the first user may start one, and says so.
    let out = jixiao(dir.path(), &["user", "add", "zhangli", "--name", "张丽"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("已新建数据库"), "{}", stderr(&out));
    assert!(default.exists());
    let out = jixiao(dir.path(), &["user", "list"]);
    assert!(
        out.status.success() && stdout(&out).contains("张丽"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn demo_as_a_section_reviewer_opens_as_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let out = jixiao(
        dir.path(),
        &[
            "demo",
            "--no-tui",
            "--units",
            "6",
            "--db",
            db.to_str().unwrap(),
            "--as",
            "wangjianguo",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("将以演示人员王建国（wangjianguo，审核员，教科文科）的身份打开审核界面"),
        "{text}"
    );
    // By name as well, on the demo just made.
    let out = jixiao(
        dir.path(),
        &[
            "demo",
            "--no-tui",
            "--units",
            "6",
            "--db",
            db.to_str().unwrap(),
            "--as",
            "刘志强",
        ],
    );
    assert!(
        stdout(&out).contains("刘志强（liuzhiqiang，审核员，农业农村科）"),
        "{}",
        stdout(&out)
    );
    // Without --as the summary tells a newcomer how to try it.
    let out = jixiao(
        dir.path(),
        &["demo", "--no-tui", "--units", "6", "--db", db.to_str().unwrap()],
    );
    let again = format!("jixiao demo --units 6 --db {}", db.display());
    assert!(
        stdout(&out).contains(&format!("{again} --as wangjianguo（教科文科的王建国）")),
        "{}",
        stdout(&out)
    );
}

#[test]
fn demo_as_is_refused_on_a_real_database() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.db");
    Store::open(&real).unwrap();
    let out = jixiao(
        dir.path(),
        &[
            "demo",
            "--no-tui",
            "--units",
            "3",
            "--db",
            real.to_str().unwrap(),
            "--as",
            "zhoumin",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(
        err.contains("--as 只能用于演示数据库") && err.contains("不是演示数据库"),
        "{err}"
    );
    // Nothing was written to it: no user registered, no demo data.
    let store = Store::open(&real).unwrap();
    assert_eq!(store.reviewer_count().unwrap(), 0);
    assert_eq!(store.latest_year().unwrap(), None);
}

#[test]
fn demo_as_an_unknown_name_lists_the_demo_reviewers() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let out = jixiao(
        dir.path(),
        &["demo", "--no-tui", "--db", db.to_str().unwrap(), "--as", "nobody"],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("演示数据中没有审核人员「nobody」"), "{err}");
    for line in [
        ("zhoumin", "周敏", "管理员", "绩效科"),
        ("wangjianguo", "王建国", "审核员", "教科文科"),
        ("huanghaitao", "黄海涛", "审计员", "全部（只读）"),
    ] {
        let found = err
            .lines()
            .any(|l| l.starts_with(line.0) && l.contains(line.1) && l.contains(line.2) && l.contains(line.3));
        assert!(found, "{line:?} missing:\n{err}");
    }
    assert!(!db.exists(), "nothing is built for a name that is not there");
    // `--as` alone (or `--as ?`) lists them on stdout and succeeds.
    for args in [&["demo", "--as"][..], &["demo", "--as", "?"][..]] {
        let out = jixiao(dir.path(), args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert!(stdout(&out).contains("wangjianguo   王建国"), "{}", stdout(&out));
    }
}

#[test]
fn a_non_terminal_demo_run_never_waits_for_enter() {
    // stdin is not a terminal here: the run goes straight on (to the TUI,
    // which fails without a terminal) instead of blocking on "按 Enter".
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let started = std::time::Instant::now();
    let out = jixiao(dir.path(), &["demo", "--units", "2", "--db", db.to_str().unwrap()]);
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    assert!(!stdout(&out).contains("按 Enter"), "{}", stdout(&out));
}
