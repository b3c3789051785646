//! `jixiao import` held to the permissions of every other write: a
//! reviewer's file that changes another section's unit, moves a unit into or
//! out of a section, renames a unit or creates one in another section is
//! refused whole (naming the unit, its section, the field) and changes
//! nothing, while the other files of the run still land; an admin's import of
//! the same lands; every change is audited field by field, before → after.

mod common;

use common::{open_staffed, person, sample, temp_db};
use jixiao::config::Config;
use jixiao::domain::*;
use jixiao::io::import::{ImportOptions, ImportReport, import_paths};
use jixiao::store::{AuditFilter, QueueFilter, Store};
use std::path::{Path, PathBuf};

fn options(actor: &str) -> ImportOptions {
    ImportOptions {
        actor: actor.into(),
        today: chrono::NaiveDate::from_ymd_opt(2024, 3, 1).unwrap(),
    }
}

fn write(folder: &Path, name: &str, text: &str) -> PathBuf {
    std::fs::create_dir_all(folder).unwrap();
    let path = folder.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

const UNIT_HEADER: &str = "单位编码,单位名称,主管部门,业务科室\n";
const PROJECT_HEADER: &str = "年度,项目编码,单位编码,项目名称,预算类型,资金性质,预算金额\n";

/// The sample (101 教科文科, 202 农业科) plus 综合科's 区财政局 (101028) with
/// a project of 187,876.19 元, findings computed; `jkw` reviews 教科文科 only.
fn prepared() -> (tempfile::TempDir, PathBuf, Store) {
    let (dir, path) = temp_db();
    let mut store = open_staffed(&path);
    let mut ds = sample();
    ds.units.push(common::unit("101028", "区财政局", "综合科"));
    let mut p = common::project(
        "P-101028-01",
        "101028",
        FundKind::Special,
        rust_decimal::dec!(187876.19),
    );
    p.name = "财政信息化运维".into();
    ds.projects.push(p);
    store.load_dataset(&ds, "importer").unwrap();
    store
        .add_reviewer(&person("jkw", Role::Reviewer, &["教科文科"]), "importer")
        .unwrap();
    store
        .refresh_findings(&Config::defaults().rules, options("x").today)
        .unwrap();
    (dir, path, store)
}

fn import(store: &mut Store, paths: &[PathBuf], actor: &str) -> ImportReport {
    let rules = Config::defaults().rules;
    import_paths(store, paths, &options(actor), &rules, &mut |_, _| {}).unwrap()
}

fn errors(report: &ImportReport) -> Vec<String> {
    report.errors().map(|e| e.to_string()).collect()
}

/// Every table an import writes, and the review items, as text.
fn state(store: &Store) -> String {
    let snap = store.snapshot(2023).unwrap();
    format!("{:?}\n{:?}", snap.data, snap.reviews)
}

fn import_entries(store: &Store) -> Vec<(String, String, serde_json::Value)> {
    store
        .audit_entries(&AuditFilter {
            event: Some("import".into()),
            ..AuditFilter::default()
        })
        .unwrap()
        .into_iter()
        .map(|e| {
            let after = e
                .after
                .as_deref()
                .map_or(serde_json::Value::Null, |a| serde_json::from_str(a).unwrap());
            (e.actor, e.outcome, after)
        })
        .collect()
}

#[test]
fn a_reviewers_file_touching_another_sections_unit_is_refused_whole_and_the_others_land() {
    let (dir, _path, mut store) = prepared();
    let before = state(&store);
    let folder = dir.path().join("in");
    // Own section's project renamed, then 综合科's amount rewritten: none of it may land.
    let hostile = write(
        &folder,
        "a_项目.csv",
        &format!(
            "{PROJECT_HEADER}2023,P-101-01,101,校舍维修改造（改）,一般公共预算,专项资金,2500000\n\
             2023,P-101028-01,101028,财政信息化运维,一般公共预算,专项资金,1.00\n"
        ),
    );
    // A new unit of the reviewer's own section, in another file: it lands.
    let own = write(
        &folder,
        "b_单位.csv",
        &format!("{UNIT_HEADER}103,区第三中学,区教育局,教科文科\n"),
    );
    let report = import(&mut store, &[hostile.clone(), own], "jkw");

    let errs = errors(&report);
    assert_eq!(report.imported().count(), 1, "{errs:#?}");
    assert_eq!(errs.len(), 1, "{errs:#?}");
    let e = &errs[0];
    assert!(e.starts_with(&hostile.display().to_string()), "{e}");
    assert!(e.contains("区财政局（101028）") && e.contains("属综合科"), "{e}");
    assert!(e.contains("jkw") && e.contains("教科文科"), "{e}");
    // Nothing of the refused file: only the other file's unit is new.
    assert!(store.unit_exists("103").unwrap());
    let after = store.snapshot(2023).unwrap().data;
    let amount = |code: &str| after.projects.iter().find(|p| p.code == code).unwrap().clone();
    assert_eq!(amount("P-101028-01").amount, rust_decimal::dec!(187876.19));
    assert_eq!(amount("P-101-01").name, "P-101-01 项目");
    // The refusal is audited with the file and the reason.
    let refused: Vec<_> = import_entries(&store)
        .into_iter()
        .filter(|(_, outcome, _)| outcome == "refused")
        .collect();
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert_eq!(refused[0].0, "jkw");
    assert!(
        refused[0].2["reason"].as_str().unwrap().contains("101028"),
        "{refused:?}"
    );
    drop(before);
}

#[test]
fn a_reviewer_may_not_move_rename_or_create_units_outside_their_section_and_nothing_changes() {
    let (dir, _path, mut store) = prepared();
    let before = state(&store);
    let folder = dir.path().join("in");
    // Into their section: refused on the unit's current section.
    let move_in = write(
        &folder,
        "a_单位.csv",
        &format!("{UNIT_HEADER}101028,区财政局,区财政局,教科文科\n"),
    );
    // Out of their section, and a rename: identity is the admin's.
    let move_out = write(
        &folder,
        "b_单位.csv",
        &format!("{UNIT_HEADER}101,区第一中学,区教育局,综合科\n"),
    );
    let rename = write(
        &folder,
        "c_单位.csv",
        &format!("{UNIT_HEADER}101,区第一高级中学,区教育局,教科文科\n"),
    );
    // A new unit of another section.
    let create = write(
        &folder,
        "d_单位.csv",
        &format!("{UNIT_HEADER}909,区审计局,区审计局,综合科\n"),
    );
    let report = import(&mut store, &[move_in, move_out, rename, create], "jkw");
    assert_eq!(report.imported().count(), 0);
    let errs = errors(&report);
    assert_eq!(errs.len(), 4, "{errs:#?}");
    assert!(errs[0].contains("区财政局（101028）属综合科"), "{}", errs[0]);
    assert!(
        errs[1].contains("区第一中学（101）") && errs[1].contains("业务科室「教科文科」→「综合科」"),
        "{}",
        errs[1]
    );
    assert!(
        errs[2].contains("只能由管理员修改") && errs[2].contains("单位名称「区第一中学」→「区第一高级中学」"),
        "{}",
        errs[2]
    );
    assert!(
        errs[3].contains("新单位区审计局（909）") && errs[3].contains("「综合科」"),
        "{}",
        errs[3]
    );
    assert_eq!(state(&store), before, "a refused file changed the database");
    // So the reviewer still may not decide 综合科's items.
    let ids = store.queue_ids(&QueueFilter::stage(Stage::Target)).unwrap();
    let theirs = ids
        .into_iter()
        .find(|id| store.review(*id).unwrap().unwrap().unit_code == "101028")
        .unwrap();
    let r = store.review(theirs).unwrap().unwrap();
    let approve = jixiao::domain::states::ReviewAction::Approve {
        override_blocking: true,
    };
    assert!(
        store
            .decide(theirs, r.version, approve, "理由充分，同意通过。", "jkw", 10)
            .is_err()
    );
}

#[test]
fn auditors_and_unregistered_users_import_nothing() {
    let (dir, _path, mut store) = prepared();
    store
        .add_reviewer(&person("hht", Role::Auditor, &[]), "importer")
        .unwrap();
    let before = state(&store);
    let file = write(
        &dir.path().join("in"),
        "项目.csv",
        &format!("{PROJECT_HEADER}2023,P-101-01,101,校舍维修改造,一般公共预算,专项资金,1\n"),
    );
    for who in ["hht", "mallory"] {
        let report = import(&mut store, std::slice::from_ref(&file), who);
        assert_eq!(report.imported().count(), 0);
        assert!(errors(&report)[0].contains(who), "{:?}", errors(&report));
    }
    assert_eq!(state(&store), before);
}

#[test]
fn an_admins_import_of_the_same_lands_and_every_change_is_audited_field_by_field() {
    let (dir, _path, mut store) = prepared();
    let folder = dir.path().join("in");
    // P-202-01's target item was returned: the changed amount resubmits it.
    let item = store
        .queue_ids(&QueueFilter::stage(Stage::Target))
        .unwrap()
        .into_iter()
        .find(|id| store.review(*id).unwrap().unwrap().project_code.as_deref() == Some("P-101028-01"))
        .unwrap();
    let r = store.review(item).unwrap().unwrap();
    store
        .decide(
            item,
            r.version,
            jixiao::domain::states::ReviewAction::Return,
            "绩效目标不够细化，请补充产出指标。",
            "zhoumin",
            10,
        )
        .unwrap();
    let units = write(
        &folder,
        "a_单位.csv",
        &format!("{UNIT_HEADER}101028,区财政局,区教育局,教科文科\n"),
    );
    let projects = write(
        &folder,
        "b_项目.csv",
        "年度,项目编码,单位编码,项目名称,预算类型,资金性质,预算金额,年度绩效目标\n\
         2023,P-101028-01,101028,财政信息化运维,一般公共预算,专项资金,1.00,完成全区中小学校舍维修改造 12 所\n",
    );
    let report = import(&mut store, &[units.clone(), projects.clone()], "zhoumin");
    assert_eq!(report.imported().count(), 2, "{:#?}", errors(&report));
    assert_eq!(store.review(item).unwrap().unwrap().state, ReviewState::Resubmitted);

    let entries: Vec<_> = import_entries(&store)
        .into_iter()
        .filter(|(actor, outcome, _)| actor == "zhoumin" && outcome == "ok")
        .collect();
    assert_eq!(entries.len(), 2, "{entries:#?}");
    let unit_change = &entries[0].2;
    assert_eq!(unit_change["file"], units.display().to_string());
    assert_eq!(
        unit_change["changes"],
        serde_json::json!([{
            "unit": "101028 区财政局", "sheet": "单位", "field": "业务科室",
            "before": "综合科", "after": "教科文科"
        }])
    );
    let amount_change = &entries[1].2;
    assert_eq!(
        amount_change["changes"],
        serde_json::json!([{
            "unit": "101028 区财政局", "project": "2023 P-101028-01 财政信息化运维", "sheet": "项目",
            "field": "预算金额（元）", "before": "187876.19", "after": "1.00"
        }])
    );

    // Unchanged, the same files write no audit detail at all.
    let count = import_entries(&store).len();
    let again = import(&mut store, &[units, projects], "zhoumin");
    assert!(!again.changed_anything());
    assert_eq!(import_entries(&store).len(), count);
}

#[test]
fn rows_of_an_existing_project_are_audited_row_by_row() {
    let (dir, _path, mut store) = prepared();
    let file = write(
        &dir.path().join("in"),
        "指标.csv",
        "项目编码,一级指标,二级指标,三级指标,指标性质,指标值,计量单位\n\
         P-101-01,产出指标,数量指标,维修校舍数量,≥,10,所\n\
         P-101-01,产出指标,时效指标,按期完工率,≥,100,%\n",
    );
    let report = import(&mut store, &[file], "jkw");
    assert_eq!(report.imported().count(), 1, "{:#?}", errors(&report));
    let (_, _, after) = import_entries(&store).pop().unwrap();
    let changes = after["changes"].as_array().unwrap();
    let said: Vec<String> = changes
        .iter()
        .map(|c| {
            format!(
                "{}|{}|{}|{}|{}",
                c["row"].as_str().unwrap_or(""),
                c["field"].as_str().unwrap_or("(row)"),
                c["before"],
                c["after"],
                c["project"].as_str().unwrap()
            )
        })
        .collect();
    assert!(
        said.iter()
            .any(|c| c.starts_with("维修校舍数量|指标值|\"12\"|\"10\"|2023 P-101-01")),
        "{said:#?}"
    );
    assert!(
        said.iter().any(|c| c.starts_with("按期完工率|(row)|null|{")),
        "{said:#?}"
    );
    assert!(
        said.iter().any(|c| c.starts_with("工程验收合格率|(row)|{")),
        "{said:#?}"
    );
}
