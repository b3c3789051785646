//! Several reviewers at once, each with their own connection (threads) or
//! process: no lost update, conflicts reported naming who changed the item,
//! the audit chain intact; and the throughput four writers sustain.

mod common;

use common::*;
use jixiao::domain::states::ReviewAction;
use jixiao::domain::*;
use jixiao::store::{AuditFilter, QueueFilter, Store, StoreError};
use std::time::{Duration, Instant};

const APPROVE: ReviewAction = ReviewAction::Approve {
    override_blocking: false,
};

fn store_with(n: usize) -> (tempfile::TempDir, std::path::PathBuf, Vec<i64>) {
    let (dir, path) = temp_db();
    let mut store = open_staffed(&path);
    store.load_dataset(&with_clean_projects(n), "importer").unwrap();
    let ids = store.queue_ids(&QueueFilter::stage(Stage::Target)).unwrap();
    (dir, path, ids)
}

#[test]
fn four_writers_on_different_items_sustained_rate_and_longest_wait() {
    let (_d, path, ids) = store_with(1000);
    let per_writer = ids.len() / 4;
    let started = Instant::now();
    let handles: Vec<_> = SAMPLE_REVIEWERS
        .iter()
        .enumerate()
        .map(|(k, user)| {
            let path = path.clone();
            let mine: Vec<i64> = ids[k * per_writer..(k + 1) * per_writer].to_vec();
            std::thread::spawn(move || {
                let mut store = Store::open(&path).unwrap();
                let mut longest = Duration::ZERO;
                for id in mine {
                    let r = store.review(id).unwrap().unwrap();
                    let t = Instant::now();
                    store.decide(id, r.version, APPROVE, "", user, 10).unwrap();
                    longest = longest.max(t.elapsed());
                }
                longest
            })
        })
        .collect();
    let longest = handles.into_iter().map(|h| h.join().unwrap()).max().unwrap();
    let elapsed = started.elapsed().as_secs_f64();
    let decisions = per_writer * 4;
    println!(
        "4 个写入线程：{decisions} 次决定，{:.2} 秒，{:.0} 次/秒，单次最长等待 {:.1} 毫秒",
        elapsed,
        decisions as f64 / elapsed,
        longest.as_secs_f64() * 1000.0
    );
    let store = Store::open(&path).unwrap();
    let approved = store
        .queue_ids(&QueueFilter {
            state: Some(ReviewState::Approved),
            ..QueueFilter::stage(Stage::Target)
        })
        .unwrap();
    assert_eq!(approved.len(), decisions);
    let entries = store
        .audit_entries(&AuditFilter {
            event: Some("decision".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(entries.len(), decisions);
    assert!(store.verify_audit().unwrap().is_intact());
    // Far below the busy timeout: writers queue briefly, never time out.
    assert!(longest < Duration::from_secs(5), "{longest:?}");
}

#[test]
fn four_writers_on_the_same_items_lose_no_update_and_hear_of_every_conflict() {
    let (_d, path, ids) = store_with(20);
    let items: Vec<i64> = ids[..20].to_vec();
    let rounds = 30;
    let handles: Vec<_> = SAMPLE_REVIEWERS
        .iter()
        .map(|user| {
            let path = path.clone();
            let items = items.clone();
            std::thread::spawn(move || {
                let mut store = Store::open(&path).unwrap();
                let mut won = std::collections::HashMap::<i64, i64>::new();
                let mut conflicts = Vec::new();
                for round in 0..rounds {
                    for id in &items {
                        let r = store.review(*id).unwrap().unwrap();
                        // Give the others a chance to move the item on meanwhile.
                        std::thread::yield_now();
                        let (action, opinion) = match r.state {
                            ReviewState::Approved => {
                                (ReviewAction::Reopen, format!("{user} 第 {round} 轮复核：需重新审核"))
                            }
                            _ => (APPROVE, String::new()),
                        };
                        match store.decide(*id, r.version, action, &opinion, user, 10) {
                            Ok(_) => *won.entry(*id).or_default() += 1,
                            Err(StoreError::Conflict { changed_by, .. }) => conflicts.push(changed_by),
                            Err(e) => panic!("{user}: {e}"),
                        }
                    }
                }
                (user.to_string(), won, conflicts)
            })
        })
        .collect();
    let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let store = Store::open(&path).unwrap();
    let mut total_conflicts = 0;
    for (user, _, conflicts) in &results {
        for by in conflicts {
            assert_ne!(by, user, "a conflict names someone else");
            assert!(SAMPLE_REVIEWERS.contains(&by.as_str()), "{by}");
        }
        total_conflicts += conflicts.len();
    }
    for id in &items {
        let wins: i64 = results
            .iter()
            .map(|(_, won, _)| won.get(id).copied().unwrap_or(0))
            .sum();
        let r = store.review(*id).unwrap().unwrap();
        // Every successful decision, and only those, moved the version on: none lost.
        assert_eq!(r.version, 1 + wins, "item {id}");
        let audited = store
            .audit_entries(&AuditFilter {
                target: Some(format!("review:{id}")),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(audited.iter().filter(|e| e.outcome == "ok").count() as i64, wins);
    }
    let refused = store
        .audit_entries(&AuditFilter {
            event: Some("decision".into()),
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .filter(|e| e.outcome == "refused")
        .count();
    assert_eq!(refused, total_conflicts, "every conflict was reported and audited");
    println!(
        "同一批 {} 个事项，4 个写入线程各 {rounds} 轮：冲突 {total_conflicts} 次，全部报告",
        items.len()
    );
    assert!(store.verify_audit().unwrap().is_intact());
}

#[test]
fn two_jixiao_processes_approve_their_sections_at_once() {
    let (dir, path, ids) = store_with(400);
    let cfg = dir.path().join("cfg");
    let spawn = |section: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_jixiao"))
            .arg("--db")
            .arg(&path)
            .args(["approve", "--stage", "target", "--section", section, "--yes"])
            .env("JIXIAO_CONFIG_DIR", &cfg)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    // The process runs as this OS user: register it as admin (the first admin, importer, adds it).
    let me = jixiao::identity::os_user();
    Store::open(&path)
        .unwrap()
        .add_reviewer(&person(&me, Role::Admin, &[]), "importer")
        .unwrap();
    let a = spawn("教科文科");
    let b = spawn("农业科");
    for child in [a, b] {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stdout).contains("已通过"));
    }
    let store = Store::open(&path).unwrap();
    let approved = store
        .queue_ids(&QueueFilter {
            state: Some(ReviewState::Approved),
            ..QueueFilter::stage(Stage::Target)
        })
        .unwrap();
    // Every target item without a blocking finding in either section.
    let rows = store.queue_rows_by_ids(&ids).unwrap();
    let clean = rows.iter().filter(|r| r.blocking == 0).count();
    assert_eq!(approved.len(), clean);
    assert!(clean >= 400);
    assert!(store.verify_audit().unwrap().is_intact());
}
