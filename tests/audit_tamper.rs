//! A group member who can write the database file tries to rewrite history:
//! deleting the last entries and moving the stored head, editing an entry and
//! re-chaining every hash after it, or editing an item directly. The chain
//! alone cannot see the first two; the anchors the program wrote outside the
//! database (here the anchor file) can, and every item is held against its
//! audit trail. `jixiao audit verify` names each.

mod common;

use common::*;
use jixiao::config::Config;
use jixiao::domain::*;
use rusqlite::{Connection, params};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::Command;

struct Bureau {
    dir: tempfile::TempDir,
    db: PathBuf,
    anchors: PathBuf,
}

/// The sample year with the OS user as its admin, decided through the
/// built binary (which anchors each commit in the anchor file).
fn bureau() -> Bureau {
    let (dir, db) = temp_db();
    let mut store = open_staffed(&db);
    store
        .add_reviewer(&person(&jixiao::identity::os_user(), Role::Admin, &[]), "importer")
        .unwrap();
    store.load_dataset(&sample(), "importer").unwrap();
    store
        .refresh_findings(
            &Config::defaults().rules,
            chrono::NaiveDate::from_ymd_opt(2023, 11, 15).unwrap(),
        )
        .unwrap();
    // The admin decides two targets (before the anchored commands below).
    let filter = jixiao::store::QueueFilter::stage(Stage::Target);
    for id in store.queue_ids(&filter).unwrap() {
        let r = store.review(id).unwrap().unwrap();
        let (action, opinion) = match r.project_code.as_deref() {
            Some("P-202-01") => (
                jixiao::domain::states::ReviewAction::Approve {
                    override_blocking: true,
                },
                "经审核，阻断问题已与单位核实，目标完整，同意。",
            ),
            Some("P-101-01") => (
                jixiao::domain::states::ReviewAction::Return,
                "成本指标缺失，请按要求补充完整的成本指标后重新报送。",
            ),
            _ => continue,
        };
        store
            .decide(
                id,
                r.version,
                action,
                opinion,
                "zhoumin",
                &Config::defaults().rules.review,
            )
            .unwrap();
    }
    drop(store);
    let anchors = dir.path().join("anchors.log");
    std::fs::write(&anchors, "").unwrap();
    let b = Bureau { dir, db, anchors };
    for args in [
        vec!["user", "add", "sunba", "--name", "孙八", "--role", "auditor"],
        vec![
            "user",
            "add",
            "zhaoliu",
            "--name",
            "赵六",
            "--role",
            "reviewer",
            "--section",
            "农业科",
        ],
        vec!["approve", "--stage", "key-eval", "--yes"],
        vec![
            "user",
            "add",
            "qianqi",
            "--name",
            "钱七",
            "--role",
            "reviewer",
            "--section",
            "教科文科",
        ],
    ] {
        let out = b.jixiao(&b.db).args(&args).output().unwrap();
        assert!(
            out.status.code().is_some_and(|c| c <= 1),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    b
}

impl Bureau {
    fn jixiao(&self, db: &Path) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_jixiao"));
        c.arg("--db")
            .arg(db)
            .env("JIXIAO_CONFIG_DIR", self.dir.path())
            .env("JIXIAO_AUDIT_ANCHOR_FILE", &self.anchors)
            .env_remove("JIXIAO_DB");
        c
    }

    /// `audit verify` on `db` with the anchor file: (passed, what it printed).
    fn verify(&self, db: &Path) -> (bool, String) {
        let out = self.jixiao(db).args(["audit", "verify"]).output().unwrap();
        (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// The database file itself, to tamper with where it lies (anchors name
    /// the file by its path).
    fn file(&self) -> PathBuf {
        self.db.clone()
    }
}

/// The program's entry hash, as a forger with the source would compute it.
fn entry_hash(prev: &str, seq: i64, f: [&str; 5], before: Option<&str>, after: Option<&str>) -> String {
    let encoded = serde_json::json!([prev, seq, f[0], f[1], f[2], f[3], f[4], before, after]).to_string();
    Sha256::digest(encoded.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn unlock(conn: &Connection) {
    conn.execute_batch("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;")
        .unwrap();
}

#[test]
fn an_untouched_database_verifies_against_its_anchors() {
    let b = bureau();
    let lines = std::fs::read_to_string(&b.anchors).unwrap();
    assert!(lines.lines().count() >= 4, "one anchor per command that wrote: {lines}");
    let (ok, out) = b.verify(&b.db);
    assert!(ok, "{out}");
    assert!(
        out.contains("与审计日志一致") && out.contains("事项：当前状态"),
        "{out}"
    );
}

#[test]
fn tail_truncation_with_the_head_moved_is_named() {
    let b = bureau();
    let db = b.file();
    let conn = Connection::open(&db).unwrap();
    unlock(&conn);
    let last: i64 = conn
        .query_row("SELECT MAX(seq) FROM audit_log", [], |r| r.get(0))
        .unwrap();
    conn.execute("DELETE FROM audit_log WHERE seq > ?1", [last - 3])
        .unwrap();
    conn.execute(
        "UPDATE setting SET value = ?1 WHERE key = 'audit.head'",
        [(last - 3).to_string()],
    )
    .unwrap();
    drop(conn);
    let (ok, out) = b.verify(&db);
    assert!(!ok, "{out}");
    assert!(out.contains("哈希链校验通过"), "the chain alone passes: {out}");
    assert!(
        out.contains(&format!("曾到第 {last} 条")) && out.contains(&format!("第 {} 条起的记录被删除", last - 2)),
        "{out}"
    );
}

#[test]
fn an_edited_entry_re_chained_with_sha256_is_named() {
    let b = bureau();
    let db = b.file();
    let conn = Connection::open(&db).unwrap();
    unlock(&conn);
    // The forger rewrites the opinion recorded in the first decision (a return) and re-chains.
    let target: i64 = conn
        .query_row("SELECT MIN(seq) FROM audit_log WHERE event = 'decision'", [], |r| {
            r.get(0)
        })
        .unwrap();
    let changed = conn
        .execute(
            "UPDATE audit_log SET after = replace(after, '缺失', '齐全') WHERE seq = ?1",
            [target],
        )
        .unwrap();
    assert_eq!(changed, 1);
    let after: String = conn
        .query_row("SELECT after FROM audit_log WHERE seq = ?1", [target], |r| r.get(0))
        .unwrap();
    assert!(after.contains("成本指标齐全"), "{after}");
    type Entry = (
        i64,
        String,
        String,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<Entry> = conn
        .prepare(
            "SELECT seq, at, actor, event, target, outcome, before, after FROM audit_log WHERE seq >= ?1 ORDER BY seq",
        )
        .unwrap()
        .query_map([target], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut prev: String = conn
        .query_row("SELECT hash FROM audit_log WHERE seq = ?1", [target - 1], |r| r.get(0))
        .unwrap();
    for (seq, at, actor, event, tgt, outcome, before, after) in rows {
        let hash = entry_hash(
            &prev,
            seq,
            [&at, &actor, &event, &tgt, &outcome],
            before.as_deref(),
            after.as_deref(),
        );
        conn.execute(
            "UPDATE audit_log SET prev_hash = ?2, hash = ?3 WHERE seq = ?1",
            params![seq, prev, hash],
        )
        .unwrap();
        prev = hash;
    }
    drop(conn);
    let store = jixiao::store::Store::open(&db).unwrap();
    assert!(
        store.verify_audit().unwrap().first_break.is_none(),
        "the re-chained log passes the chain check alone"
    );
    drop(store);
    let (ok, out) = b.verify(&db);
    assert!(!ok, "{out}");
    assert!(out.contains("改写后重新链接"), "{out}");
}

#[test]
fn a_direct_edit_of_an_opinion_is_named_by_unit_and_project() {
    let b = bureau();
    let db = b.file();
    let conn = Connection::open(&db).unwrap();
    let id: i64 = conn
        .query_row(
            "SELECT r.id FROM review r JOIN project p ON p.id = r.project_id
             WHERE r.state = 'approved' AND p.code = 'P-202-01' AND r.stage = 'target'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    conn.execute("UPDATE review SET opinion = '伪造的审核意见' WHERE id = ?1", [id])
        .unwrap();
    drop(conn);
    let (ok, out) = b.verify(&db);
    assert!(!ok, "{out}");
    assert!(
        out.contains("区农业农村局「P-202-01 项目」（目标审核）的审核意见与审计记录不符")
            && out.contains("伪造的审核意见"),
        "{out}"
    );
    // The export no longer ships it unseen: doctor fails the same way.
    let out = b.jixiao(&db).arg("doctor").output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("审核意见与审计记录不符"));
}
