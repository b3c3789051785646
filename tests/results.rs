//! Result application (结果应用) in the store, on a real SQLite file: which
//! grade a project's row rests on (a key evaluation over the recomputed
//! self-evaluation), the suggestion each grade makes under the config, the
//! answers read back, the batch confirm in one transaction with its audit
//! entries, the section refusal, the migration from schema 3, and the
//! 结果应用表 export read back with calamine.

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::*;
use jixiao::config::Config;
use jixiao::domain::params::RuleParams;
use jixiao::domain::result_application::{GradeSource, ResultChoice, ResultStatus};
use jixiao::domain::*;
use jixiao::io::export::{ResultTable, export_results};
use jixiao::store::{AuditFilter, CURRENT_VERSION, ResultRow, Store, StoreError};
use rust_decimal::dec;

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2023, 12, 20).unwrap()
}

fn loaded(ds: &Dataset) -> (tempfile::TempDir, std::path::PathBuf, Store) {
    let (dir, path) = temp_db();
    let mut store = open_staffed(&path);
    store.load_dataset(ds, "importer").unwrap();
    (dir, path, store)
}

fn row<'a>(rows: &'a [ResultRow], code: &str) -> &'a ResultRow {
    rows.iter()
        .find(|r| r.project_code == code)
        .unwrap_or_else(|| panic!("no row for {code}"))
}

fn result_events(store: &Store) -> Vec<(String, String)> {
    store
        .audit_entries(&AuditFilter {
            event: Some("result_application".into()),
            ..AuditFilter::default()
        })
        .unwrap()
        .into_iter()
        .map(|e| (e.target, e.outcome))
        .collect()
}

#[test]
fn a_key_evaluation_grade_outranks_the_recomputed_self_evaluation() {
    let (_d, _p, store) = loaded(&graded_sample());
    let rules = Config::defaults().rules;
    let rows = store.result_rows(&rules).unwrap();
    assert_eq!(
        rows.iter().map(|r| r.project_code.as_str()).collect::<Vec<_>>(),
        ["101", "P-101-01", "P-202-01"],
        "every graded project once, by unit then project"
    );
    // 101 has a self-evaluation (self-graded 优) and the key evaluation of the
    // unit: the key evaluation decides, its grade from the score's band.
    let unit = row(&rows, "101");
    assert_eq!((unit.source, unit.grade()), (GradeSource::KeyEval, Grade::Good));
    let key_review = store
        .queue_ids(&jixiao::store::QueueFilter::stage(Stage::KeyEval))
        .unwrap()
        .into_iter()
        .find(|id| store.review(*id).unwrap().unwrap().project_code.as_deref() == Some("101"))
        .expect("the unit's key-evaluation item");
    assert_eq!(unit.review_id, key_review, "Enter opens the key evaluation");
    assert_eq!(
        (unit.unit_name.as_str(), unit.section.as_str()),
        ("区第一中学", "教科文科")
    );
    // P-101-01 has only its self-evaluation: the recomputed grade (差), not the unit's own 良.
    let own = row(&rows, "P-101-01");
    assert_eq!((own.source, own.grade()), (GradeSource::SelfEval, Grade::Poor));
    assert_eq!(own.amount, dec!(2500000));
    // P-202-01: the firm's grade 中.
    let farm = row(&rows, "P-202-01");
    assert_eq!((farm.source, farm.grade()), (GradeSource::KeyEval, Grade::Fair));
    assert!(
        rows.iter()
            .all(|r| r.status() == ResultStatus::Open && r.answer.is_none())
    );
    // One project's row, as the workspace reads it, is the table's row.
    let self_review = own.review_id;
    assert_eq!(
        store.result_row_for_review(self_review, &rules).unwrap().as_ref(),
        Some(own)
    );
}

#[test]
fn suggestions_follow_the_configured_treatment_of_each_grade() {
    let (_d, _p, store) = loaded(&graded_sample());
    let mut rules: RuleParams = Config::defaults().rules;
    rules.result_application.fair.treatment = "压减 20% 并限期整改".into();
    rules.result_application.fair.cut_share = dec!(0.20);
    let rows = store.result_rows(&rules).unwrap();
    let farm = row(&rows, "P-202-01");
    assert_eq!(farm.suggestion.treatment, "压减 20% 并限期整改");
    assert_eq!(farm.suggestion.next_amount, dec!(2400000.40));
    assert_eq!(farm.suggested_cut(), dec!(600000.10));
    let poor = row(&rows, "P-101-01");
    assert_eq!(poor.suggestion.treatment, rules.result_application.poor.treatment);
    assert_eq!(poor.suggestion.next_amount, dec!(1750000), "差: cut by 30 %");
    assert!(poor.suggestion.note.as_deref().unwrap().contains("一次性项目"));
    let good = row(&rows, "101");
    assert_eq!(good.suggestion.next_amount, good.amount, "良 keeps the budget");
}

#[test]
fn answers_are_read_back_and_a_new_grade_asks_again() {
    let (_d, path, mut store) = loaded(&graded_sample());
    let rules = Config::defaults().rules;
    let rows = store.result_rows(&rules).unwrap();
    let poor = row(&rows, "P-101-01").clone();
    let change = ResultChoice::Change {
        treatment: "暂停安排下年度预算".into(),
        reason: "主体工程已完工，仅余质保金".into(),
    };
    let rec = store.apply_result(&poor, &change, "zhangli").unwrap();
    assert!(!rec.confirmed);
    assert_eq!(rec.version, 1);
    // A change without a reason is refused and changes nothing.
    let bare = ResultChoice::Change {
        treatment: "取消".into(),
        reason: " ".into(),
    };
    let err = store.apply_result(&poor, &bare, "zhangli").unwrap_err();
    assert!(
        err.to_string().contains("理由") && err.to_string().contains("区第一中学"),
        "{err}"
    );

    let store = Store::open(&path).unwrap();
    let again = store.result_rows(&rules).unwrap();
    let poor = row(&again, "P-101-01");
    assert_eq!(poor.status(), ResultStatus::Changed);
    let a = poor.answer.as_ref().unwrap();
    assert_eq!(
        (a.treatment.as_str(), a.reason.as_str(), a.decided_by.as_str()),
        ("暂停安排下年度预算", "主体工程已完工，仅余质保金", "zhangli")
    );
    assert_eq!((a.grade, a.source), (Grade::Poor, GradeSource::SelfEval));
    assert!(a.decided_at.starts_with("20"), "{}", a.decided_at);
    assert_eq!(store.result_record(poor.review_id).unwrap().as_ref(), Some(a));
    drop(store);

    // The firm's key evaluation of P-101-01 arrives graded 良: the row now rests
    // on it, and the answer given for 差 no longer fits.
    let mut ds = graded_sample();
    ds.key_evals.push(KeyEval {
        year: 2023,
        object_code: "P-101-01".into(),
        firm: "某会计师事务所".into(),
        amount: dec!(2500000),
        score: Some(dec!(83)),
        grade: Some(Grade::Good),
        documents: KeyEvalDocuments::default(),
        problems: Vec::new(),
    });
    let mut store = Store::open(&path).unwrap();
    store.load_dataset(&ds, "importer").unwrap();
    let rows = store.result_rows(&rules).unwrap();
    let now = row(&rows, "P-101-01");
    assert_eq!((now.source, now.grade()), (GradeSource::KeyEval, Grade::Good));
    assert_eq!(now.status(), ResultStatus::Outdated);
    assert!(now.status().is_open());
    let confirmed = store.apply_result(now, &ResultChoice::Confirm, "zhangli").unwrap();
    assert_eq!((confirmed.source, confirmed.version), (GradeSource::KeyEval, 2));
    assert_eq!(confirmed.treatment, rules.result_application.good.treatment);
}

#[test]
fn a_batch_confirms_in_one_transaction_with_one_audit_entry_each() {
    let (_d, path, mut store) = loaded(&graded_sample());
    let rules = Config::defaults().rules;
    let rows = store.result_rows(&rules).unwrap();
    let before = store.verify_audit().unwrap();
    assert_eq!(store.confirm_results(&rows, "zhangli").unwrap(), 3);
    drop(store);
    let store = Store::open(&path).unwrap();
    let after = store.result_rows(&rules).unwrap();
    assert!(after.iter().all(|r| r.status() == ResultStatus::Confirmed));
    for r in &after {
        assert_eq!(r.answer.as_ref().unwrap().treatment, r.suggestion.treatment);
    }
    let events = result_events(&store);
    assert_eq!(events.len(), 3);
    for r in &rows {
        assert!(
            events.contains(&(format!("review:{}", r.review_id), "ok".into())),
            "{events:?}"
        );
    }
    let report = store.verify_audit().unwrap();
    assert!(report.is_intact());
    assert_eq!(report.entries, before.entries + 3);
}

#[test]
fn another_sections_reviewer_is_refused_and_the_batch_leaves_nothing() {
    let (_d, path, mut store) = loaded(&graded_sample());
    store
        .add_reviewer(&person("nongke", Role::Reviewer, &["农业科"]), "importer")
        .unwrap();
    let rules = Config::defaults().rules;
    let rows = store.result_rows(&rules).unwrap();
    let school = row(&rows, "P-101-01").clone();
    let farm = row(&rows, "P-202-01").clone();
    // One project of the reviewer's own section goes through.
    store.apply_result(&farm, &ResultChoice::Confirm, "nongke").unwrap();
    // One of 教科文科 is refused, naming the project and the section.
    let err = store
        .apply_result(&school, &ResultChoice::Confirm, "nongke")
        .unwrap_err();
    assert!(matches!(err, StoreError::Forbidden { .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("P-101-01 项目") && text.contains("教科文科"), "{text}");
    // A batch with both is refused as a whole: the first row is not written either.
    let unit = row(&rows, "101").clone();
    let err = store
        .confirm_results(&[unit.clone(), school.clone()], "nongke")
        .unwrap_err();
    assert!(err.to_string().contains("教科文科"), "{err}");
    // Auditors and unregistered users answer nothing.
    store
        .add_reviewer(&person("shenji", Role::Auditor, &[]), "importer")
        .unwrap();
    assert!(matches!(
        store.apply_result(&farm, &ResultChoice::Confirm, "shenji"),
        Err(StoreError::Forbidden { .. })
    ));
    drop(store);
    let store = Store::open(&path).unwrap();
    assert_eq!(store.result_record(unit.review_id).unwrap(), None);
    assert_eq!(store.result_record(school.review_id).unwrap(), None);
    assert!(store.result_record(farm.review_id).unwrap().unwrap().confirmed);
    let events = result_events(&store);
    assert_eq!(events.iter().filter(|(_, o)| o == "ok").count(), 1);
    assert_eq!(events.iter().filter(|(_, o)| o == "refused").count(), 3, "{events:?}");
}

#[test]
fn a_row_cannot_be_pointed_at_another_unit() {
    // The unit checked is read from the project, not taken from the row.
    let (_d, _p, mut store) = loaded(&graded_sample());
    store
        .add_reviewer(&person("nongke", Role::Reviewer, &["农业科"]), "importer")
        .unwrap();
    let rules = Config::defaults().rules;
    let rows = store.result_rows(&rules).unwrap();
    let mut forged = row(&rows, "P-101-01").clone();
    forged.unit_code = "202".into();
    forged.section = "农业科".into();
    assert!(matches!(
        store.apply_result(&forged, &ResultChoice::Confirm, "nongke"),
        Err(StoreError::Forbidden { .. })
    ));
    // Nor at another project's item.
    let mut crossed = row(&rows, "P-202-01").clone();
    crossed.review_id = row(&rows, "P-101-01").review_id;
    assert!(matches!(
        store.apply_result(&crossed, &ResultChoice::Confirm, "nongke"),
        Err(StoreError::NotFound { .. })
    ));
}

#[test]
fn answers_given_under_schema_3_move_to_their_projects() {
    let (_d, path) = temp_db();
    let (unit_self, unit_key, school_self) = {
        let mut old = Store::open_at_version(&path, 3).unwrap();
        register_staff(&mut old);
        old.load_dataset(&graded_sample(), "importer").unwrap();
        let id_of = |stage: Stage, code: &str| {
            old.queue_ids(&jixiao::store::QueueFilter::stage(stage))
                .unwrap()
                .into_iter()
                .find(|id| old.review(*id).unwrap().unwrap().project_code.as_deref() == Some(code))
                .unwrap()
        };
        let ids = (
            id_of(Stage::SelfEval, "101"),
            id_of(Stage::KeyEval, "101"),
            id_of(Stage::SelfEval, "P-101-01"),
        );
        drop(old);
        // As the schema-3 build wrote them: keyed by review. The unit was
        // answered twice; its key evaluation's answer is the older one.
        let raw = rusqlite::Connection::open(&path).unwrap();
        let insert = "INSERT INTO result_application
                 (review_id, grade, suggested, cut_share, decision, treatment, reason, decided_by, decided_at, version)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'li', ?8, ?9)";
        raw.execute(
            insert,
            rusqlite::params![
                ids.0,
                "excellent",
                "保持",
                "0",
                "changed",
                "优先保障",
                "重点民生",
                "2023-11-02T09:00:00+08:00",
                1
            ],
        )
        .unwrap();
        raw.execute(
            insert,
            rusqlite::params![
                ids.1,
                "good",
                "原则上保持",
                "0",
                "confirmed",
                "原则上保持",
                "",
                "2023-10-01T09:00:00+08:00",
                2
            ],
        )
        .unwrap();
        raw.execute(
            insert,
            rusqlite::params![
                ids.2,
                "poor",
                "大幅压减",
                "0.30",
                "confirmed",
                "大幅压减",
                "",
                "2023-11-03T09:00:00+08:00",
                1
            ],
        )
        .unwrap();
        ids
    };
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), CURRENT_VERSION);
    let unit = store.result_record(unit_key).unwrap().unwrap();
    assert_eq!(
        (unit.grade, unit.source, unit.version),
        (Grade::Good, GradeSource::KeyEval, 2)
    );
    assert!(unit.confirmed, "the key evaluation's answer is kept");
    assert_eq!(
        store.result_record(unit_self).unwrap(),
        Some(unit),
        "one answer per project"
    );
    let school = store.result_record(school_self).unwrap().unwrap();
    assert_eq!((school.grade, school.source), (Grade::Poor, GradeSource::SelfEval));
    let rows = store.result_rows(&Config::defaults().rules).unwrap();
    assert_eq!(row(&rows, "P-101-01").status(), ResultStatus::Confirmed);
    assert_eq!(row(&rows, "101").status(), ResultStatus::Confirmed);
}

#[test]
fn the_result_table_is_exported_and_reads_back() {
    let (dir, _p, mut store) = loaded(&graded_sample());
    let rules = Config::defaults().rules;
    let rows = store.result_rows(&rules).unwrap();
    let poor = row(&rows, "P-101-01").clone();
    let change = ResultChoice::Change {
        treatment: "暂停安排".into(),
        reason: "项目主体已完工".into(),
    };
    store.apply_result(&poor, &change, "zhangli").unwrap();
    store
        .apply_result(row(&rows, "P-202-01"), &ResultChoice::Confirm, "wangfang")
        .unwrap();
    let xlsx = dir.path().join("结果应用.xlsx");
    let (name, n) = export_results(&mut store, ResultTable::Results, &xlsx, "zhangli", today(), &rules).unwrap();
    assert_eq!((name, n), ("结果应用表", 3));
    let mut book: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let sheet = book.worksheet_range("结果应用表").unwrap();
    let cells: Vec<Vec<Data>> = sheet.rows().map(|r| r.to_vec()).collect();
    let header: Vec<String> = cells[0].iter().map(|c| c.to_string()).collect();
    assert_eq!(
        header,
        [
            "单位编码",
            "单位名称",
            "业务科室",
            "项目编码",
            "项目名称",
            "金额（元）",
            "等级",
            "等级来源",
            "建议处理",
            "下年度建议金额（元）",
            "确认状态",
            "调整后处理",
            "理由",
            "确认人",
            "确认日期",
        ]
    );
    let line = |code: &str| {
        cells
            .iter()
            .find(|r| r[3] == Data::String(code.into()))
            .unwrap_or_else(|| panic!("{code} exported"))
    };
    let school = line("P-101-01");
    assert_eq!(school[5], Data::Float(2500000.0));
    assert_eq!(school[6], Data::String("差".into()));
    assert_eq!(school[7], Data::String("自评".into()));
    assert_eq!(school[9], Data::Float(1750000.0));
    assert_eq!(school[10], Data::String("已调整".into()));
    assert_eq!(school[11], Data::String("暂停安排".into()));
    assert_eq!(school[12], Data::String("项目主体已完工".into()));
    assert_eq!(school[13], Data::String("zhangli".into()));
    assert!(school[14].to_string().starts_with("20"));
    let farm = line("P-202-01");
    assert_eq!(farm[2], Data::String("农业科".into()));
    assert_eq!(farm[5], Data::Float(3000000.5));
    assert_eq!(farm[7], Data::String("重点评价".into()));
    assert_eq!(farm[9], Data::Float(2700000.45));
    assert_eq!(farm[10], Data::String("已确认".into()));
    assert_eq!(farm[11], Data::Empty, "a confirmation has no treatment of its own");
    assert_eq!(line("101")[10], Data::String("待确认".into()));
    // CSV too, and the export is audited.
    let csv = dir.path().join("结果应用.csv");
    export_results(&mut store, ResultTable::Results, &csv, "zhangli", today(), &rules).unwrap();
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with('\u{feff}'));
    assert!(text.contains("P-202-01") && text.contains("2700000.45"), "{text}");
    let exports = store
        .audit_entries(&AuditFilter {
            actor: Some("zhangli".into()),
            ..AuditFilter::default()
        })
        .unwrap()
        .into_iter()
        .filter(|e| e.after.as_deref().unwrap_or("").contains("结果应用表"))
        .count();
    assert_eq!(exports, 2);
}
