//! The demo's review history is dated in the review calendar before the day
//! it is built — self-evaluations in spring, key evaluations in summer,
//! monitoring in October, targets before the budget — on working days in
//! office hours, and the audit log records each piece of work at its moment,
//! in order.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Weekday};
use jixiao::config::Config;
use jixiao::demo::{Calendar, DemoOptions};
use jixiao::domain::{ReviewState, Stage};
use jixiao::identity::os_user;
use jixiao::store::demo::build_demo;
use jixiao::store::{AuditFilter, Store};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()
}

fn moment(text: &str) -> NaiveDateTime {
    chrono::DateTime::parse_from_rfc3339(text)
        .unwrap_or_else(|e| panic!("{text}: {e}"))
        .naive_local()
}

/// (stage, decided at) of every decided item of a small demo built on `today()`.
fn decisions(seed: u64) -> (tempfile::TempDir, Store, Vec<(i64, Stage, NaiveDateTime)>) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("demo.db")).unwrap();
    let options = DemoOptions {
        units: 24,
        seed,
        year: 2023,
    };
    build_demo(&mut store, &options, &Config::defaults().rules, today(), &os_user()).unwrap();
    let year = store.latest_year().unwrap().unwrap();
    let decided = store
        .snapshot(year)
        .unwrap()
        .reviews
        .iter()
        .filter(|r| r.state != ReviewState::Pending)
        .map(|r| (r.id, r.stage, moment(r.decided_at.as_deref().expect("decided at"))))
        .collect();
    (dir, store, decided)
}

#[test]
fn decisions_are_spread_over_the_months_of_the_review_calendar() {
    let (_d, store, decided) = decisions(2023);
    assert!(decided.len() > 100, "{}", decided.len());
    let months: BTreeSet<(i32, u32)> = decided.iter().map(|(_, _, at)| (at.year(), at.month())).collect();
    assert!(months.len() >= 6, "decisions in only {months:?}");
    let calendar = Calendar::before(today());
    for (id, stage, at) in &decided {
        let day = at.date();
        assert!(day < today(), "review {id} decided {at}, not before today");
        assert!(
            !matches!(day.weekday(), Weekday::Sat | Weekday::Sun),
            "review {id} decided on a {:?}",
            day.weekday()
        );
        let hm = at.format("%H:%M").to_string();
        assert!(("08:30".."17:31").contains(&hm.as_str()), "review {id} at {hm}");
        let season = calendar.of(*stage);
        // A monitoring return goes out early enough for its rectification's deadline.
        let earliest = season.from - chrono::Days::new(if *stage == Stage::Monitoring { 45 } else { 2 });
        assert!(
            day >= earliest && day <= season.to,
            "{stage:?} review {id} decided {day}, outside {season:?}"
        );
    }
    // The seasons themselves: self-evaluation after the year end, key
    // evaluations in summer, monitoring in October, targets before the budget.
    assert_eq!((calendar.self_eval.from.month(), calendar.self_eval.to.month()), (3, 5));
    assert_eq!(calendar.monitoring.from.month(), 10);
    assert_eq!(calendar.target.from.month(), 11);
    assert_eq!(calendar.target.to, NaiveDate::from_ymd_opt(2026, 12, 3).unwrap());
    drop(store);
}

#[test]
fn the_audit_log_records_each_decision_at_its_moment_in_order() {
    let (_d, store, decided) = decisions(2023);
    let entries = store.audit_entries(&AuditFilter::default()).unwrap();
    let mut by_seq = entries.clone();
    by_seq.sort_by_key(|e| e.seq);
    for pair in by_seq.windows(2) {
        assert!(
            moment(&pair[0].at) <= moment(&pair[1].at),
            "entry {} at {} before entry {} at {}",
            pair[1].seq,
            pair[1].at,
            pair[0].seq,
            pair[0].at
        );
    }
    // The registrations and the import came before the first decision.
    let first_decision = decided.iter().map(|d| d.2).min().unwrap();
    let import = entries
        .iter()
        .find(|e| e.event == "import")
        .expect("the import is audited");
    assert!(moment(&import.at) < first_decision, "{} vs {first_decision}", import.at);
    // Each decision's audit entry carries the item's decided_at.
    for (id, _, at) in decided.iter().take(200) {
        let target = format!("review:{id}");
        let entry = entries
            .iter()
            .rev()
            .find(|e| e.target == target && e.event == "decision" && e.outcome == "ok")
            .unwrap_or_else(|| panic!("no decision entry for {target}"));
        assert_eq!(moment(&entry.at), *at, "{target}");
    }
    // Rectifications were opened before their deadline and before today, and
    // signed off after they were opened.
    for r in store.rectifications(None).unwrap() {
        let opened = entries
            .iter()
            .find(|e| e.target == format!("rectification:{}", r.id))
            .map(|e| moment(&e.at))
            .unwrap();
        assert!(opened.date() < today(), "rectification {} opened {opened}", r.id);
        if r.source_review.is_some() {
            assert!(
                opened.date() < r.deadline,
                "rectification {} opened {opened} after {}",
                r.id,
                r.deadline
            );
        }
        if let Some(v) = &r.verified_at {
            assert!(
                moment(v) >= opened,
                "rectification {} verified {v} before {opened}",
                r.id
            );
        }
    }
    assert!(store.verify_audit().unwrap().is_intact());
}

#[test]
fn the_same_seed_dates_the_same_work_the_same_way() {
    let (_a, _sa, a) = decisions(7);
    let (_b, _sb, b) = decisions(7);
    assert_eq!(a, b);
    let (_c, _sc, c) = decisions(8);
    assert_ne!(a, c);
}
