//! The store on real SQLite files in temporary folders.

use jixiao::domain::model::*;
use jixiao::domain::states::{RectAction, ReviewAction};
use jixiao::domain::*;
use jixiao::store::*;

mod common;
use common::*;
use rust_decimal::dec;

const APPROVE: ReviewAction = ReviewAction::Approve {
    override_blocking: false,
};
const RETURN_OPINION: &str = "产出指标未细化量化，请补充数量指标和成本指标";

fn all_reviews(store: &Store, stage: Stage) -> Vec<QueueRow> {
    store.queue_page(stage, None, 10_000).unwrap()
}

fn review_of(store: &Store, stage: Stage, project_code: &str) -> Review {
    let row = all_reviews(store, stage)
        .into_iter()
        .find(|r| r.project_code.as_deref() == Some(project_code))
        .unwrap();
    store.review(row.review_id).unwrap().unwrap()
}

fn finding(severity: Severity, message: &str) -> Finding {
    Finding {
        rule: "T-TEST".into(),
        severity,
        stage: Stage::Target,
        unit_code: "101".into(),
        project_code: Some("P-101-01".into()),
        indicator: None,
        message: message.into(),
    }
}

#[test]
fn fresh_file_has_current_schema_wal_and_foreign_keys() {
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    assert!(path.exists(), "the file and its folder are created");
    assert_eq!(store.schema_version().unwrap(), CURRENT_VERSION);
    const { assert!(CURRENT_VERSION >= 2) };
    assert_eq!(store.journal_mode().unwrap(), "wal");
    assert!(store.foreign_keys_enabled().unwrap());
}

#[test]
fn database_from_schema_1_opens_in_current_build_with_data_intact() {
    let (_dir, path) = temp_db();
    {
        let old = Store::open_at_version(&path, 1).unwrap();
        assert_eq!(old.schema_version().unwrap(), 1);
        // Write as the version-1 build would have: its tables only.
        let raw = rusqlite::Connection::open(&path).unwrap();
        raw.execute(
            "INSERT INTO unit (code, name, department, section) VALUES ('101', '区第一中学', '', '教科文科')",
            [],
        )
        .unwrap();
        raw.execute(
            "INSERT INTO project (year, code, unit_code, name, budget_kind, fund_kind, amount_fen, annual_goal)
             VALUES (2023, 'P1', '101', '校舍维修', 'general_public', 'special', 250000000, '')",
            [],
        )
        .unwrap();
        raw.execute(
            "INSERT INTO review (stage, unit_code, project_id, state, opinion, updated_by, updated_at)
             VALUES ('target', '101', 1, 'returned', '请补充成本指标', 'li', '2023-11-01T10:00:00+08:00')",
            [],
        )
        .unwrap();
        assert!(
            raw.prepare("SELECT blocking FROM review").is_err(),
            "version 1 has no finding counts"
        );
        assert!(raw.prepare("SELECT * FROM finding").is_err(), "nor a finding table");
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), CURRENT_VERSION);
    let rows = all_reviews(&store, Stage::Target);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].amount, dec!(2500000));
    assert_eq!(rows[0].blocking, 0);
    let review = store.review(rows[0].review_id).unwrap().unwrap();
    assert_eq!(review.opinion, "请补充成本指标");
    assert_eq!(review.state, ReviewState::Returned);
    assert!(store.drafts_for("li").unwrap().is_empty(), "draft table exists");
}

#[test]
fn load_counts_and_creates_reviews_per_stage_then_reload_changes_nothing() {
    let (_dir, path) = temp_db();
    let mut store = open_staffed(&path);
    let first = store.load_dataset(&sample(), "importer").unwrap();
    assert_eq!(first.units.inserted, 2);
    assert_eq!(first.projects.inserted, 3);
    assert_eq!(first.indicators.inserted, 4);
    assert_eq!(first.monitoring.inserted, 2);
    assert_eq!(first.self_evals.inserted, 2);
    assert_eq!(first.key_evals.inserted, 1);
    // 3 target + 2 monitoring + 2 self-eval + 1 key-eval.
    assert_eq!(first.reviews_created, 8);

    let totals = store.totals().unwrap();
    assert_eq!((totals.units, totals.projects, totals.indicators), (2, 3, 4));
    assert_eq!((totals.monitoring, totals.self_evals, totals.key_evals), (2, 2, 1));
    assert_eq!(
        totals.reviews_by_stage,
        vec![
            (Stage::Target, 3),
            (Stage::Monitoring, 2),
            (Stage::SelfEval, 2),
            (Stage::KeyEval, 1)
        ]
    );
    assert_eq!(
        totals.amounts,
        vec![
            (BudgetKind::GeneralPublic, FundKind::UnitOverall, 1, dec!(12345678.90)),
            (BudgetKind::GeneralPublic, FundKind::Special, 2, dec!(5500000.50)),
        ]
    );
    let key = all_reviews(&store, Stage::KeyEval);
    assert_eq!(key[0].unit_code, "202");
    assert_eq!(key[0].project_code.as_deref(), Some("P-202-01"));
    let overall = review_of(&store, Stage::SelfEval, "101");
    assert_eq!(overall.unit_code, "101");

    let audit_before = store.audit_entries(&AuditFilter::default()).unwrap().len();
    let versions_before: Vec<_> = Stage::ALL
        .iter()
        .flat_map(|s| all_reviews(&store, *s))
        .map(|r| (r.review_id, r.version))
        .collect();
    let second = store.load_dataset(&sample(), "importer").unwrap();
    assert!(!second.changed_anything(), "{second:?}");
    assert_eq!(second.projects.unchanged, 3);
    assert_eq!(second.indicators.unchanged, 4);
    assert_eq!(second.reviews_created, 0);
    let versions_after: Vec<_> = Stage::ALL
        .iter()
        .flat_map(|s| all_reviews(&store, *s))
        .map(|r| (r.review_id, r.version))
        .collect();
    assert_eq!(versions_before, versions_after);
    assert_eq!(
        store.audit_entries(&AuditFilter::default()).unwrap().len(),
        audit_before,
        "no audit entry for a no-op"
    );
}

#[test]
fn returned_review_becomes_resubmitted_only_when_its_data_changed() {
    let (_dir, mut store) = loaded_store();
    let target = review_of(&store, Stage::Target, "P-101-01");
    let returned = store
        .decide(
            target.id,
            target.version,
            ReviewAction::Return,
            RETURN_OPINION,
            "li",
            10,
        )
        .unwrap();
    assert_eq!(returned.state, ReviewState::Returned);

    // Same data again: stays returned, same version.
    store.load_dataset(&sample(), "importer").unwrap();
    let same = store.review(target.id).unwrap().unwrap();
    assert_eq!((same.state, same.version), (ReviewState::Returned, returned.version));

    // A corrected indicator: resubmitted, version bumped, opinion kept.
    let mut corrected = sample();
    corrected.indicators[1].target_value = "15".into();
    let summary = store.load_dataset(&corrected, "importer").unwrap();
    assert_eq!(summary.reviews_resubmitted, 1);
    assert_eq!(summary.indicators.updated, 2);
    assert_eq!(summary.indicators.unchanged, 2);
    let after = store.review(target.id).unwrap().unwrap();
    assert_eq!(after.state, ReviewState::Resubmitted);
    assert_eq!(after.version, returned.version + 1);
    assert_eq!(after.opinion, RETURN_OPINION);
    let entries = store
        .audit_entries(&AuditFilter {
            target: Some(format!("review:{}", target.id)),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        entries.iter().map(|e| e.event.as_str()).collect::<Vec<_>>(),
        vec!["decision", "resubmit"]
    );
    // A pending item of the same project is untouched by the change.
    let other = review_of(&store, Stage::Target, "P-202-01");
    assert_eq!((other.state, other.version), (ReviewState::Pending, 1));
}

#[test]
fn failing_load_leaves_nothing_behind() {
    let (dir, mut store) = loaded_store();
    let audit_before = store.audit_entries(&AuditFilter::default()).unwrap();
    let totals_before = store.totals().unwrap();
    let mut bad = sample();
    bad.units.push(unit("303", "区卫健委", "社保科"));
    bad.projects
        .push(project("P-999-01", "999", FundKind::Special, dec!(100)));
    let err = store.load_dataset(&bad, "importer").unwrap_err();
    assert!(matches!(&err, StoreError::UnknownUnit { project, unit } if project == "P-999-01" && unit == "999"));
    assert_eq!(err.to_string(), "项目「P-999-01」所属单位「999」不存在");
    assert_eq!(store.totals().unwrap(), totals_before, "not even the new unit landed");
    assert_eq!(store.audit_entries(&AuditFilter::default()).unwrap(), audit_before);
    drop(store);
    let reopened = Store::open(&dir.path().join("data").join("jixiao.db")).unwrap();
    assert_eq!(reopened.totals().unwrap().units, 2);
}

#[test]
fn child_rows_of_an_unknown_project_are_refused() {
    let (_dir, mut store) = loaded_store();
    let mut bad = sample();
    bad.indicators.push(indicator("NOPE", "不存在的项目指标", "1"));
    let err = store.load_dataset(&bad, "importer").unwrap_err();
    assert_eq!(err.to_string(), "指标表中的项目「NOPE」不存在");
}

#[test]
fn two_processes_writing_at_once_both_succeed() {
    let (dir, store) = loaded_store();
    let path = dir.path().join("data").join("jixiao.db");
    let ids: Vec<i64> = all_reviews(&store, Stage::Target).iter().map(|r| r.review_id).collect();
    drop(store);
    let handles: Vec<_> = ["li", "wang"]
        .into_iter()
        .map(|user| {
            let path = path.clone();
            let ids = ids.clone();
            std::thread::spawn(move || {
                let mut store = Store::open(&path).unwrap();
                for round in 0..20 {
                    for id in &ids {
                        store.save_draft(user, *id, &format!("{user} 第 {round} 稿")).unwrap();
                    }
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.drafts_for("li").unwrap().len(), ids.len());
    assert!(
        store
            .drafts_for("wang")
            .unwrap()
            .iter()
            .all(|d| d.text == "wang 第 19 稿")
    );
}

#[test]
fn concurrent_decisions_on_one_item_one_wins_the_other_conflicts() {
    let (dir, store) = loaded_store();
    let path = dir.path().join("data").join("jixiao.db");
    let item = review_of(&store, Stage::Target, "P-101-01");
    drop(store);
    let handles: Vec<_> = ["li", "wang"]
        .into_iter()
        .map(|user| {
            let path = path.clone();
            std::thread::spawn(move || {
                let mut store = Store::open(&path).unwrap();
                store.decide(item.id, item.version, APPROVE, "", user, 10)
            })
        })
        .collect();
    let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let winners: Vec<_> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
    assert_eq!(winners.len(), 1);
    let winner = winners[0].decided_by.clone().unwrap();
    let conflict = results.iter().find_map(|r| r.as_ref().err()).unwrap();
    match conflict {
        StoreError::Conflict {
            review_id,
            current_version,
            changed_by,
            ..
        } => {
            assert_eq!((*review_id, *current_version), (item.id, item.version + 1));
            assert_eq!(changed_by, &winner);
        }
        other => panic!("expected a conflict, got {other}"),
    }
    assert!(
        conflict.to_string().contains(&winner),
        "the message names who changed it"
    );
    let store = Store::open(&path).unwrap();
    let stored = store.review(item.id).unwrap().unwrap();
    assert_eq!(
        (stored.state, stored.version),
        (ReviewState::Approved, item.version + 1)
    );
    let refused = store
        .audit_entries(&AuditFilter {
            target: Some(format!("review:{}", item.id)),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        refused.iter().filter(|e| e.outcome == "refused").count(),
        1,
        "the refusal is audited"
    );
    assert!(store.verify_audit().unwrap().is_intact());
}

#[test]
fn decide_batch_is_all_or_nothing() {
    let (_dir, mut store) = loaded_store();
    let rows = all_reviews(&store, Stage::Target);
    let blocked = rows[1].review_id;
    store
        .replace_findings(blocked, &[finding(Severity::Blocking, "缺少成本指标")])
        .unwrap();
    let items: Vec<(i64, i64)> = rows.iter().map(|r| (r.review_id, r.version)).collect();
    let audit_before = store.audit_entries(&AuditFilter::default()).unwrap().len();

    let err = store.decide_batch(&items, APPROVE, "", "li", 10).unwrap_err();
    assert!(matches!(err, StoreError::Decision { review_id, .. } if review_id == blocked));
    // The refusal names the item by unit and project, not by its internal id.
    assert!(err.to_string().starts_with("区第一中学（101）「"), "{err}");
    assert!(!err.to_string().contains(&format!("事项 {blocked}")), "{err}");
    assert!(
        all_reviews(&store, Stage::Target)
            .iter()
            .all(|r| r.state == ReviewState::Pending && r.version == 1)
    );
    let audit = store.audit_entries(&AuditFilter::default()).unwrap();
    assert_eq!(audit.len(), audit_before + 1, "only the refusal is recorded");
    assert_eq!(audit.last().unwrap().outcome, "refused");

    // Without the blocked item the batch goes through, one audit entry per item.
    let clean: Vec<_> = items.iter().copied().filter(|(id, _)| *id != blocked).collect();
    let outcome = store.decide_batch(&clean, APPROVE, "", "li", 10).unwrap();
    assert_eq!(outcome.decided.len(), 2);
    assert!(
        outcome
            .decided
            .iter()
            .all(|r| r.state == ReviewState::Approved && r.version == 2)
    );
    assert_eq!(
        store
            .audit_entries(&AuditFilter {
                event: Some("decision".into()),
                ..Default::default()
            })
            .unwrap()
            .len(),
        3
    );

    // A stale version anywhere in the batch also rolls everything back.
    let stale = vec![(blocked, 1), (clean[0].0, 1)];
    let err = store
        .decide_batch(&stale, ReviewAction::Return, RETURN_OPINION, "wang", 10)
        .unwrap_err();
    assert!(matches!(err, StoreError::Decision { .. } | StoreError::Conflict { .. }));
    assert_eq!(store.review(blocked).unwrap().unwrap().state, ReviewState::Pending);
}

#[test]
fn decision_audit_records_findings_and_override_needs_reason() {
    let (_dir, mut store) = loaded_store();
    let item = review_of(&store, Stage::Target, "P-101-01");
    store
        .replace_findings(
            item.id,
            &[
                finding(Severity::Warning, "目标空泛"),
                finding(Severity::Blocking, "缺少成本指标"),
            ],
        )
        .unwrap();
    let row = store.queue_rows_by_ids(&[item.id]).unwrap().remove(0);
    assert_eq!((row.blocking, row.warning, row.info), (1, 1, 0));
    assert_eq!(
        row.first_finding, "缺少成本指标",
        "the most severe finding is previewed"
    );

    let err = store.decide(item.id, item.version, APPROVE, "", "li", 10).unwrap_err();
    assert_eq!(
        err.to_string(),
        "区第一中学（101）「P-101-01 项目」：该事项有 1 条阻断问题，须确认强制通过并写明理由"
    );
    let approved = store
        .decide(
            item.id,
            item.version,
            ReviewAction::Approve {
                override_blocking: true,
            },
            "已电话核实，单位批复前补充成本指标",
            "li",
            10,
        )
        .unwrap();
    assert_eq!(approved.state, ReviewState::Approved);
    let entry = store
        .audit_entries(&AuditFilter {
            target: Some(format!("review:{}", item.id)),
            event: Some("decision".into()),
            actor: None,
        })
        .unwrap()
        .into_iter()
        .find(|e| e.outcome == "ok")
        .unwrap();
    let after: serde_json::Value = serde_json::from_str(entry.after.as_deref().unwrap()).unwrap();
    assert_eq!(after["action"], "approve_override");
    assert_eq!(after["findings"].as_array().unwrap().len(), 2);
    assert_eq!(store.findings_for(item.id).unwrap()[1].message, "缺少成本指标");
}

#[test]
fn opinions_are_versioned_and_drafts_cleared_on_save() {
    let (_dir, mut store) = loaded_store();
    let item = review_of(&store, Stage::SelfEval, "P-101-01");
    store.save_draft("li", item.id, "自评得分与").unwrap();
    assert_eq!(store.draft("li", item.id).unwrap().unwrap().text, "自评得分与");
    let saved = store
        .save_opinion(item.id, item.version, "自评得分与复核得分差异较大", "li")
        .unwrap();
    assert_eq!(saved.version, item.version + 1);
    assert!(store.draft("li", item.id).unwrap().is_none());
    let stale = store.save_opinion(item.id, item.version, "覆盖", "wang").unwrap_err();
    assert!(matches!(stale, StoreError::Conflict { ref changed_by, .. } if changed_by == "li"));
    assert_eq!(
        store.review(item.id).unwrap().unwrap().opinion,
        "自评得分与复核得分差异较大"
    );
    // The saved opinion serves a later return.
    let returned = store
        .decide(item.id, saved.version, ReviewAction::Return, "", "li", 10)
        .unwrap();
    assert_eq!(returned.opinion, "自评得分与复核得分差异较大");
    store.save_draft("li", item.id, "x").unwrap();
    store.clear_draft("li", item.id).unwrap();
    assert!(store.drafts_for("li").unwrap().is_empty());
}

/// Audit entries written by `register_staff` before each test's own.
const STAFF_ENTRIES: i64 = 2 + SAMPLE_REVIEWERS.len() as i64;

#[test]
fn audit_chain_detects_edits_and_deletions() {
    let (dir, mut store) = loaded_store();
    let path = dir.path().join("data").join("jixiao.db");
    for row in all_reviews(&store, Stage::Target) {
        let r = store
            .save_opinion(row.review_id, row.version, "初审意见", "li")
            .unwrap();
        store
            .decide(r.id, r.version, ReviewAction::Return, RETURN_OPINION, "li", 10)
            .unwrap();
    }
    let report = store.verify_audit().unwrap();
    assert!(report.is_intact(), "{report:?}");
    // 6 staff registrations, the import, then 3 opinions and 3 decisions.
    assert_eq!(report.entries, STAFF_ENTRIES + 7);

    // The app's own connection cannot rewrite history.
    let raw = rusqlite::Connection::open(&path).unwrap();
    let refused = raw
        .execute("UPDATE audit_log SET actor = 'mallory' WHERE seq = 3", [])
        .unwrap_err();
    assert!(refused.to_string().contains("审计日志只允许追加"));
    assert!(raw.execute("DELETE FROM audit_log WHERE seq = 3", []).is_err());

    // An attacker with the sqlite3 tool drops the triggers first.
    raw.execute_batch("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;")
        .unwrap();
    raw.execute("UPDATE audit_log SET actor = 'mallory' WHERE seq = 4", [])
        .unwrap();
    let report = store.verify_audit().unwrap();
    assert_eq!(report.first_break, Some(AuditBreak::HashMismatch { seq: 4 }));
    assert_eq!(report.first_break.unwrap().seq(), 4);

    // Re-hashing the edited entry only moves the break to the next one.
    let forged_hash = "f".repeat(64);
    raw.execute("UPDATE audit_log SET hash = ?1 WHERE seq = 4", [&forged_hash])
        .unwrap();
    assert_eq!(store.verify_audit().unwrap().first_break.map(|b| b.seq()), Some(4));

    let (dir2, mut clean) = loaded_store();
    let path2 = dir2.path().join("data").join("jixiao.db");
    for row in all_reviews(&clean, Stage::Target) {
        clean
            .save_opinion(row.review_id, row.version, "初审意见", "li")
            .unwrap();
    }
    let raw2 = rusqlite::Connection::open(&path2).unwrap();
    raw2.execute_batch("DROP TRIGGER audit_log_no_delete;").unwrap();
    raw2.execute("DELETE FROM audit_log WHERE seq = 2", []).unwrap();
    let report = clean.verify_audit().unwrap();
    assert_eq!(report.first_break, Some(AuditBreak::Gap { expected: 2, found: 3 }));
    raw2.execute("DELETE FROM audit_log WHERE seq >= 3", []).unwrap();
    let report = clean.verify_audit().unwrap();
    assert_eq!(
        report.first_break,
        Some(AuditBreak::Truncated {
            expected: STAFF_ENTRIES + 4,
            found: 1
        }),
        "{report:?}"
    );
}

#[test]
fn queue_pages_cover_every_row_once_and_filters_work() {
    let (_dir, mut store) = loaded_store();
    // More projects, so that pages have something to page through.
    let mut more = Dataset {
        units: sample().units,
        ..Default::default()
    };
    for i in 0..47 {
        let unit = if i % 3 == 0 { "202" } else { "101" };
        more.projects.push(project(
            &format!("X{i:03}"),
            unit,
            FundKind::Special,
            dec!(1000) * rust_decimal::Decimal::from(i),
        ));
    }
    store.load_dataset(&more, "importer").unwrap();
    let filter = QueueFilter::stage(Stage::Target);
    let ids = store.queue_ids(&filter).unwrap();
    assert_eq!(ids.len(), 50);

    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = store.queue_page(Stage::Target, after, 7).unwrap();
        if page.is_empty() {
            break;
        }
        assert!(page.len() <= 7);
        after = Some(page.last().unwrap().review_id);
        seen.extend(page.into_iter().map(|r| r.review_id));
    }
    assert_eq!(seen, ids, "every row exactly once, in id order");

    let agri = QueueFilter {
        section: Some("农业科".into()),
        ..QueueFilter::stage(Stage::Target)
    };
    let agri_rows = store.queue_rows_by_ids(&store.queue_ids(&agri).unwrap()).unwrap();
    assert_eq!(agri_rows.len(), 1 + 16);
    assert!(
        agri_rows
            .iter()
            .all(|r| r.unit_code == "202" && r.section == "农业科" && r.unit_name == "区农业农村局")
    );
    assert_eq!(store.queue_ids(&agri).unwrap().len(), 17);
    let by_unit = QueueFilter {
        unit_code: Some("101".into()),
        ..QueueFilter::stage(Stage::Target)
    };
    assert_eq!(store.queue_ids(&by_unit).unwrap().len(), 33);

    // Findings and states.
    store
        .replace_all_findings(&[
            (ids[0], vec![finding(Severity::Info, "提示")]),
            (ids[1], vec![finding(Severity::Warning, "警告")]),
        ])
        .unwrap();
    let with = QueueFilter {
        has_findings: Some(true),
        ..QueueFilter::stage(Stage::Target)
    };
    assert_eq!(store.queue_ids(&with).unwrap(), vec![ids[0], ids[1]]);
    let warn = QueueFilter {
        min_severity: Some(Severity::Warning),
        ..QueueFilter::stage(Stage::Target)
    };
    assert_eq!(store.queue_ids(&warn).unwrap(), vec![ids[1]]);
    let clean = QueueFilter {
        has_findings: Some(false),
        ..QueueFilter::stage(Stage::Target)
    };
    assert_eq!(store.queue_ids(&clean).unwrap().len(), 48);

    let picked: Vec<(i64, i64)> = ids[2..7].iter().map(|id| (*id, 1)).collect();
    store.decide_batch(&picked, APPROVE, "", "li", 10).unwrap();
    let approved = QueueFilter {
        state: Some(ReviewState::Approved),
        ..QueueFilter::stage(Stage::Target)
    };
    assert_eq!(store.queue_ids(&approved).unwrap(), ids[2..7].to_vec());
    assert_eq!(
        store.state_counts(Stage::Target, None).unwrap(),
        vec![(ReviewState::Pending, 45), (ReviewState::Approved, 5)]
    );
    let rows = store.queue_rows_by_ids(&[ids[3], ids[2]]).unwrap();
    assert_eq!(
        rows.iter().map(|r| r.review_id).collect::<Vec<_>>(),
        vec![ids[3], ids[2]]
    );
    assert_eq!(
        store.state_counts(Stage::KeyEval, Some("农业科")).unwrap(),
        vec![(ReviewState::Pending, 1)]
    );
    assert!(store.state_counts(Stage::KeyEval, Some("教科文科")).unwrap().is_empty());
}

#[test]
fn data_version_notices_another_connections_write() {
    let (dir, store) = loaded_store();
    let path = dir.path().join("data").join("jixiao.db");
    let before = store.data_version().unwrap();
    assert_eq!(store.data_version().unwrap(), before);
    let mut other = Store::open(&path).unwrap();
    let id = all_reviews(&store, Stage::Target)[0].review_id;
    other.save_draft("wang", id, "草稿").unwrap();
    assert_ne!(store.data_version().unwrap(), before);
}

#[test]
fn reviewers_are_stored_and_audited() {
    let (_dir, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.reviewer_count().unwrap(), 0);
    let admin = Reviewer {
        os_user: "zhang".into(),
        name: "张科长".into(),
        sections: vec![],
        role: Role::Admin,
    };
    store.add_reviewer(&admin, "zhang").unwrap();
    let li = Reviewer {
        os_user: "li".into(),
        name: "李".into(),
        sections: vec!["教科文科".into(), "农业科".into()],
        role: Role::Reviewer,
    };
    store.add_reviewer(&li, "zhang").unwrap();
    assert_eq!(store.reviewer_count().unwrap(), 2);
    assert_eq!(store.reviewer("li").unwrap(), Some(li.clone()));
    assert_eq!(store.reviewers().unwrap(), vec![li, admin]);
    assert!(store.reviewer("nobody").unwrap().is_none());
    let entries = store
        .audit_entries(&AuditFilter {
            actor: Some("zhang".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        entries.iter().map(|e| e.target.as_str()).collect::<Vec<_>>(),
        vec!["user:zhang", "user:li"]
    );
}

#[test]
fn rectification_lifecycle_is_versioned_and_audited() {
    let (_dir, mut store) = loaded_store();
    let source = review_of(&store, Stage::Monitoring, "P-101-01");
    let deadline = chrono::NaiveDate::from_ymd_opt(2023, 11, 30).unwrap();
    let new = NewRectification {
        source_stage: Stage::Monitoring,
        source_review: Some(source.id),
        unit_code: "101".into(),
        project_code: Some("P-101-01".into()),
        problem: "预算执行率 40.0%，低于 75%".into(),
        required_measure: "加快支付进度".into(),
        deadline,
    };
    let r = store.create_rectification(&new, "li").unwrap();
    assert_eq!((r.state, r.version), (RectState::Open, 1));
    let later = chrono::NaiveDate::from_ymd_opt(2023, 12, 31).unwrap();
    let r = store
        .rect_action(
            r.id,
            1,
            &RectAction::Extend {
                to: later,
                reason: "资金未到位".into(),
            },
            "li",
        )
        .unwrap();
    assert_eq!(
        (r.deadline, r.extensions.len(), r.extensions[0].from),
        (later, 1, deadline)
    );
    let err = store
        .rect_action(r.id, r.version, &RectAction::Verify, "li")
        .unwrap_err();
    assert!(err.to_string().contains("不能销号"), "{err}");
    let r = store
        .rect_action(
            r.id,
            r.version,
            &RectAction::Submit {
                evidence: "支付凭证 3 份".into(),
            },
            "wang",
        )
        .unwrap();
    assert!(matches!(
        store.rect_action(r.id, 1, &RectAction::Verify, "li"),
        Err(StoreError::RectConflict { .. })
    ));
    let r = store.rect_action(r.id, r.version, &RectAction::Verify, "li").unwrap();
    assert_eq!(
        (r.state, r.verified_by.as_deref(), r.version),
        (RectState::Verified, Some("li"), 4)
    );
    assert_eq!(store.rectification(r.id).unwrap(), Some(r.clone()));
    assert_eq!(store.rectifications(Some("101")).unwrap().len(), 1);
    assert!(store.rectifications(Some("202")).unwrap().is_empty());
    let audit = store
        .audit_entries(&AuditFilter {
            target: Some(format!("rectification:{}", r.id)),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(audit.len(), 4);
}

#[test]
fn read_only_file_reports_a_clear_error() {
    let (dir, mut store) = loaded_store();
    let path = dir.path().join("data").join("jixiao.db");
    let id = all_reviews(&store, Stage::Target)[0].review_id;
    store.save_draft("li", id, "x").unwrap();
    drop(store);
    let ro = rusqlite::Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let err: StoreError = ro.execute("DELETE FROM draft", []).unwrap_err().into();
    assert!(matches!(err, StoreError::ReadOnly));
    assert_eq!(err.to_string(), "数据库文件只读，无法保存修改；请检查文件权限");
}

#[test]
fn a_held_write_lock_is_reported_as_retryable() {
    let (dir, store) = loaded_store();
    let path = dir.path().join("data").join("jixiao.db");
    let id = all_reviews(&store, Stage::Target)[0].review_id;
    let blocker = rusqlite::Connection::open(&path).unwrap();
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.busy_timeout(std::time::Duration::from_millis(50)).unwrap();
    let err: StoreError = raw.execute_batch("BEGIN IMMEDIATE").unwrap_err().into();
    assert!(err.is_retryable());
    assert!(err.to_string().contains("请稍后重试"));
    blocker.execute_batch("ROLLBACK").unwrap();
    drop(store);
    let mut store = Store::open(&path).unwrap();
    store.save_draft("li", id, "x").unwrap();
}

#[test]
fn queue_sorts_keep_id_order_within_equal_keys() {
    let (_dir, mut store) = loaded_store();
    let mut more = Dataset {
        units: sample().units,
        ..Default::default()
    };
    for i in 0..12 {
        let unit = if i % 2 == 0 { "202" } else { "101" };
        more.projects.push(project(
            &format!("S{i:03}"),
            unit,
            FundKind::Special,
            dec!(1000) * rust_decimal::Decimal::from(i % 4),
        ));
    }
    store.load_dataset(&more, "importer").unwrap();
    let filter = QueueFilter::stage(Stage::Target);
    let rows = store.queue_rows_by_ids(&store.queue_ids(&filter).unwrap()).unwrap();
    let by_amount = store.queue_ids_sorted(&filter, QueueSort::AmountDesc).unwrap();
    let mut expected = rows.clone();
    expected.sort_by(|a, b| b.amount.cmp(&a.amount).then(a.review_id.cmp(&b.review_id)));
    assert_eq!(by_amount, expected.iter().map(|r| r.review_id).collect::<Vec<_>>());
    let by_unit = store.queue_ids_sorted(&filter, QueueSort::Unit).unwrap();
    let mut expected = rows.clone();
    expected.sort_by(|a, b| a.unit_code.cmp(&b.unit_code).then(a.review_id.cmp(&b.review_id)));
    assert_eq!(by_unit, expected.iter().map(|r| r.review_id).collect::<Vec<_>>());
    // Approve two: sorting by state puts the pending ones first, as the counts bar does.
    let two: Vec<(i64, i64)> = by_unit[..2].iter().map(|id| (*id, 1)).collect();
    store.decide_batch(&two, APPROVE, "", "li", 10).unwrap();
    let by_state = store.queue_ids_sorted(&filter, QueueSort::State).unwrap();
    assert_eq!(&by_state[by_state.len() - 2..], {
        let mut t = vec![by_unit[0], by_unit[1]];
        t.sort();
        t
    });
}

#[test]
fn an_items_rectifications_are_read_by_its_index_not_all_of_them() {
    let (_dir, path) = temp_db();
    let mut store = open_staffed(&path);
    store.load_dataset(&sample(), "importer").unwrap();
    let ids = store.queue_ids(&QueueFilter::stage(Stage::Target)).unwrap();
    let deadline = chrono::NaiveDate::from_ymd_opt(2024, 1, 31).unwrap();
    let mut made = Vec::new();
    for (source, unit, problem) in [
        (Some(ids[1]), "101", "缺少成本指标"),
        (Some(ids[2]), "202", "年度目标过于简略"),
        (None, "101", "往年整改台账"),
    ] {
        let new = jixiao::store::NewRectification {
            source_stage: Stage::Target,
            source_review: source,
            unit_code: unit.into(),
            project_code: None,
            problem: problem.into(),
            required_measure: String::new(),
            deadline,
        };
        made.push(store.create_rectification(&new, "li").unwrap().id);
    }
    let own = store.rectifications_from_review(ids[1]).unwrap();
    assert_eq!(own.iter().map(|r| r.id).collect::<Vec<_>>(), [made[0]]);
    let detail = store.item_detail(ids[1]).unwrap().unwrap();
    assert_eq!(detail.rectifications, own);
    let raw = rusqlite::Connection::open(&path).unwrap();
    let plan: String = raw
        .query_row(
            "EXPLAIN QUERY PLAN SELECT id FROM rectification WHERE source_review = ?1",
            [ids[1]],
            |r| r.get(3),
        )
        .unwrap();
    assert!(plan.contains("rectification_source"), "{plan}");
}
