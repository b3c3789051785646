//! Counts that must agree wherever a reviewer reads them: the demo's printed
//! summary, the rectification board (tab 5), the overview (tab 6), result
//! application (tab 7) and the queues — or differ exactly by a definition the
//! screen states. On a real SQLite file: the binary's demo, and the sample.

mod common;

use common::*;
use jixiao::config::Config;
use jixiao::domain::states::ReviewAction;
use jixiao::domain::*;
use jixiao::store::{CoverageStep, QueueFilter, Store};
use jixiao::tui::app::App;
use jixiao::tui::{handle_event, layout};
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use rust_decimal::dec;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// `jixiao demo --no-tui` on a fresh file; its printed summary.
fn demo_summary(db: &Path, units: &str) -> String {
    let dir = db.parent().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(["demo", "--no-tui", "--units", units, "--db", db.to_str().unwrap()])
        .env("JIXIAO_DATA_DIR", dir)
        .env("JIXIAO_CONFIG_DIR", dir.join("no-config"))
        .env_remove("JIXIAO_DB")
        .output()
        .expect("binary runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The number right after `label` in `text` (after optional spaces).
fn number_after(text: &str, label: &str) -> i64 {
    let at = text.find(label).unwrap_or_else(|| panic!("{label} missing in {text}")) + label.len();
    text[at..]
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or_else(|_| panic!("no number after {label} in {text}"))
}

fn line_with<'a>(text: &'a str, needle: &str) -> &'a str {
    text.lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle}:\n{text}"))
}

fn key(app: &mut App, c: char) {
    handle_event(app, &Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))).unwrap();
}

fn grades_text(counts: &BTreeMap<Grade, i64>) -> String {
    Grade::ALL
        .iter()
        .map(|g| format!("{}{}", g.label(), counts.get(g).copied().unwrap_or(0)))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn demo_summary_board_overview_and_result_application_agree() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let summary = demo_summary(&db, "24");
    let config = Config::defaults();
    let store = Store::open(&db).unwrap();

    // The rectification ledger: the summary's line, the board's rows and the overview.
    let mut app = App::new(
        Store::open(&db).unwrap(),
        config.clone(),
        "zhoumin".into(), // the demo's 绩效科 admin: every section
        "周敏".into(),
        layout::visible_rows(80, 24),
    )
    .unwrap();
    key(&mut app, '5');
    let board = &app.board.rows;
    assert!(board.len() > 5, "the demo has a ledger");
    let ledger = line_with(&summary, "整改台账");
    assert_eq!(number_after(ledger, "共"), board.len() as i64, "{ledger}");
    let overview = store.overview(&config.rules.grades, app.ses.today).unwrap();
    for state in RectState::ALL {
        let on_board = board.iter().filter(|r| r.rect.state == *state).count() as i64;
        let in_overview = overview
            .rect_by_state
            .iter()
            .find(|(s, _)| s == state)
            .map_or(0, |(_, n)| *n);
        assert_eq!(on_board, in_overview, "{state:?}: board vs overview");
        if on_board > 0 {
            assert_eq!(
                number_after(ledger, state.label()),
                on_board,
                "{state:?}: summary vs board"
            );
        }
    }
    let overdue = board.iter().filter(|r| r.rect.is_overdue(app.ses.today)).count() as i64;
    assert!(overdue > 0);
    assert_eq!(overview.rect_overdue, overdue, "overdue: overview vs board");
    assert_eq!(number_after(ledger, "逾期未销号"), overdue, "overdue: summary vs board");
    // The history line counts steps taken, and says so: not a second set of states.
    let history = line_with(&summary, "审核记录");
    assert!(history.contains("办理步骤") && history.contains(" 次"), "{history}");
    assert_eq!(
        number_after(history, "整改新建") + number_after(history, "结转往年"),
        board.len() as i64,
        "{history}"
    );

    // Items per stage: the summary's waiting/total against each queue's status counts.
    let stages = line_with(&summary, "审核事项（待审/共）");
    for stage in [Stage::Target, Stage::Monitoring, Stage::SelfEval, Stage::KeyEval] {
        let counts = store.state_counts(stage, None).unwrap();
        let total: i64 = counts.iter().map(|(_, n)| n).sum();
        let waiting: i64 = counts
            .iter()
            .filter(|(s, _)| matches!(s, ReviewState::Pending | ReviewState::Resubmitted))
            .map(|(_, n)| n)
            .sum();
        let shown = format!("{} {waiting}/{total}", stage.label());
        assert!(stages.contains(&shown), "{shown} missing in {stages}");
        assert!(waiting < total, "the demo has decided some {stage:?} items");
    }

    // Grades: the overview's result-application distribution is tab 7's.
    let mut tab7: BTreeMap<Grade, i64> = BTreeMap::new();
    for row in store.result_rows(&config.rules).unwrap() {
        *tab7.entry(row.grade()).or_default() += 1;
    }
    let used: BTreeMap<Grade, i64> = overview.used_grades.iter().copied().collect();
    assert_eq!(
        grades_text(&used),
        grades_text(&tab7),
        "overview vs tab 7 (same rows, same rule)"
    );
    // … and the self-reported one differs only as labelled, counted over the same self-evaluations.
    let reported: i64 = overview.self_grades.iter().map(|(_, n)| n).sum();
    assert_eq!(reported, store.totals().unwrap().self_evals);
    key(&mut app, '6');
    let screen = render_text(&app, 80, 24);
    let used_line = line_with(&screen, "结果应用等级");
    assert!(used_line.contains("同第7页"), "{used_line}");
    assert!(
        used_line.ends_with(&grades_text(&tab7)),
        "{used_line} vs tab 7 {tab7:?}"
    );
    assert!(line_with(&screen, "上报等级").contains("单位自评分"), "{screen}");
}

#[test]
fn a_unit_is_covered_when_all_its_projects_are_as_the_funds_count() {
    let (_dir, path) = temp_db();
    let mut store = open_staffed(&path);
    store.load_dataset(&sample(), "importer").unwrap();
    let rules = Config::defaults().rules;
    store.refresh_findings(&rules, today()).unwrap();
    // Approve the targets of P-101-01 (one of unit 101's two projects) and
    // P-202-01 (unit 202's only project).
    let ids = store.queue_ids(&QueueFilter::stage(Stage::Target)).unwrap();
    for row in store.queue_rows_by_ids(&ids).unwrap() {
        if row.project_code.as_deref() != Some("101") {
            store
                .decide(
                    row.review_id,
                    row.version,
                    ReviewAction::Approve {
                        override_blocking: true,
                    },
                    "经审核，已逐条核实问题并同意通过，理由见附件说明材料。",
                    "importer",
                    10,
                )
                .unwrap();
        }
    }
    let o = store.overview(&rules.grades, today()).unwrap();
    let reviewed = o
        .coverage
        .iter()
        .find(|c| c.step == CoverageStep::TargetsReviewed)
        .unwrap();
    assert_eq!(reviewed.units, 1, "unit 202 whole; unit 101 has its 部门整体 left");
    assert_eq!(reviewed.units_partly, 1);
    assert_eq!(
        reviewed.funds,
        dec!(2500000) + dec!(3000000.50),
        "the two projects reviewed"
    );
    assert!(reviewed.funds < o.funds_total);
}

#[test]
fn an_upgraded_file_gets_its_figures_when_a_reviewer_opens_it() {
    let (_dir, path) = temp_db();
    {
        let mut store = Store::open_at_version(&path, 5).unwrap();
        register_staff(&mut store);
        store.load_dataset(&sample(), "importer").unwrap();
    }
    let rules = Config::defaults().rules;
    let mut store = Store::open(&path).unwrap();
    let rates = |s: &Store| -> Vec<Option<rust_decimal::Decimal>> {
        s.queue_page(Stage::Monitoring, None, 10)
            .unwrap()
            .iter()
            .map(|r| r.figure.rate)
            .collect()
    };
    assert_eq!(rates(&store), [None, None], "nothing derived before the refresh");
    assert!(store.refresh_figures_if_stale(&rules, today()).unwrap());
    assert_eq!(rates(&store), [Some(dec!(0.4)), Some(dec!(0.933333))]);
    assert!(!store.refresh_figures_if_stale(&rules, today()).unwrap(), "once only");
    // A new file has nothing stale once it has been refreshed as an import does.
    let (_dir2, path2) = temp_db();
    let mut fresh = open_staffed(&path2);
    fresh.load_dataset(&sample(), "importer").unwrap();
    fresh.refresh_findings(&rules, today()).unwrap();
    assert!(!fresh.refresh_figures_if_stale(&rules, today()).unwrap());
}
