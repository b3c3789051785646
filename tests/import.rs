//! `jixiao import` on real files made in the test: a clean workbook, a GBK
//! CSV, every kind of bad input (each refused with a located error and the
//! database byte-for-byte unchanged), a re-import after a return, the
//! template filled in, and the exports.

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{open_staffed, sample, temp_db};
use jixiao::config::Config;
use jixiao::domain::states::ReviewAction;
use jixiao::domain::*;
use jixiao::io::import::{FileOutcome, ImportOptions, ImportReport, SHEETS, import_paths};
use jixiao::io::template::template_workbook;
use jixiao::store::{QueueFilter, Store};
use rust_decimal::dec;
use rust_xlsxwriter::Workbook;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// A cell to write: text or a number.
#[derive(Clone)]
enum V {
    T(&'static str),
    N(f64),
}
use V::{N, T};

type SheetData = (&'static str, Vec<Vec<V>>);

fn write_book(path: &Path, sheets: &[SheetData]) {
    let mut wb = Workbook::new();
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                match v {
                    T("") => {}
                    T(s) => {
                        ws.write_string(r as u32, c as u16, *s).unwrap();
                    }
                    N(n) => {
                        ws.write_number(r as u32, c as u16, *n).unwrap();
                    }
                }
            }
        }
    }
    wb.save(path).unwrap();
}

/// A clean submission of a new unit 303 with one special project and the
/// unit's overall spending; headers in free order, English aliases, an extra column.
fn clean_sheets() -> Vec<SheetData> {
    vec![
        (
            "单位",
            vec![
                vec![T("单位名称"), T("unit_code"), T("业务科室"), T("备注")],
                vec![T("区卫生健康局"), N(303.0), T("社保科"), T("无")],
            ],
        ),
        (
            "项目",
            vec![
                vec![
                    T("年度"),
                    T("项目编码"),
                    T("单位编码"),
                    T("项目名称"),
                    T("预算类型"),
                    T("资金性质"),
                    T("预算金额"),
                    T("年度绩效目标"),
                ],
                vec![
                    N(2023.0),
                    T("303"),
                    T("303"),
                    T("区卫生健康局部门整体支出"),
                    T("一般公共预算"),
                    T("部门整体"),
                    T("1,234,567.89"),
                    T("保障全区公共卫生服务"),
                ],
                vec![
                    N(2023.0),
                    T("P-303-01"),
                    T("303"),
                    T("基本公共卫生服务"),
                    T("一般公共"),
                    T("专项资金"),
                    T("250万元"),
                    T("为全区 30 万常住人口提供 12 类基本公共卫生服务"),
                ],
            ],
        ),
        (
            "指标",
            vec![
                vec![
                    T("项目编码"),
                    T("一级指标"),
                    T("二级指标"),
                    T("三级指标"),
                    T("指标性质"),
                    T("指标值"),
                    T("计量单位"),
                    T("权重"),
                ],
                vec![
                    T("P-303-01"),
                    T("产出指标"),
                    T("数量指标"),
                    T("建档人数"),
                    T(">="),
                    N(300000.0),
                    T("人"),
                    T("20%"),
                ],
                vec![
                    T("P-303-01"),
                    T("产出"),
                    T("质量"),
                    T("建档合格率"),
                    T("大于等于"),
                    T("95"),
                    T("%"),
                    N(0.2),
                ],
                vec![
                    T("P-303-01"),
                    T("满意度指标"),
                    T("服务对象满意度指标"),
                    T("群众满意度"),
                    T("≥"),
                    T("90"),
                    T("%"),
                    N(10.0),
                ],
            ],
        ),
        (
            "监控",
            vec![
                vec![
                    T("项目编码"),
                    T("监控期"),
                    T("预算执行数"),
                    T("情况说明"),
                    T("整改措施"),
                ],
                vec![T("P-303-01"), T("2023年10月"), N(1_500_000.0), T(""), T("")],
            ],
        ),
        (
            "自评",
            vec![
                vec![
                    T("单位编码"),
                    T("项目编码"),
                    T("全年执行数"),
                    T("自评得分"),
                    T("自评等级"),
                    T("自评报告"),
                ],
                vec![
                    T("303"),
                    T(""),
                    N(1_200_000.0),
                    T("91.5分"),
                    T("优"),
                    T("部门整体自评报告"),
                ],
                vec![
                    T(""),
                    T("P-303-01"),
                    N(2_400_000.0),
                    N(88.0),
                    T("良"),
                    T("项目自评报告"),
                ],
            ],
        ),
        (
            "重点评价",
            vec![
                vec![
                    T("评价对象编码"),
                    T("委托机构"),
                    T("评价金额"),
                    T("现场评价底稿"),
                    T("发现问题"),
                ],
                vec![
                    T("P-303-01"),
                    T("某会计师事务所"),
                    N(2_500_000.0),
                    T("2023/8/15"),
                    T("问题一\n问题二"),
                ],
            ],
        ),
        ("填报说明", vec![vec![T("说明文字")]]),
    ]
}

fn options() -> ImportOptions {
    ImportOptions {
        actor: "importer".into(),
        today: chrono::NaiveDate::from_ymd_opt(2024, 3, 1).unwrap(),
    }
}

/// A database holding the shared sample, with its reviewer, closed (checkpointed).
fn prepared_db() -> (tempfile::TempDir, PathBuf) {
    let (dir, path) = temp_db();
    let mut store = open_staffed(&path);
    store.load_dataset(&sample(), "importer").unwrap();
    (dir, path)
}

/// The database's bytes (main file; the WAL is checkpointed away on close).
fn fingerprint(path: &Path) -> String {
    let wal = PathBuf::from(format!("{}-wal", path.display()));
    let wal_bytes = std::fs::read(&wal).unwrap_or_default();
    let mut h = Sha256::new();
    h.update(std::fs::read(path).unwrap());
    h.update(&wal_bytes);
    format!("{:x}", h.finalize())
}

fn import(db: &Path, files: &[PathBuf]) -> ImportReport {
    let mut store = Store::open(db).unwrap();
    let rules = Config::defaults().rules;
    import_paths(&mut store, files, &options(), &rules, &mut |_, _| {}).unwrap()
}

fn errors(report: &ImportReport) -> Vec<String> {
    report.errors().map(|e| e.to_string()).collect()
}

/// Imports a bad file and checks it is refused with `expected` in its errors,
/// while the database stays byte-for-byte the same.
fn assert_refused(db: &Path, file: &Path, expected: &[&str]) -> Vec<String> {
    let before = fingerprint(db);
    let report = import(db, &[file.to_path_buf()]);
    assert_eq!(report.imported().count(), 0);
    let errs = errors(&report);
    for want in expected {
        assert!(errs.iter().any(|e| e.contains(want)), "want {want:?} in {errs:#?}");
    }
    let name = file.display().to_string();
    assert!(errs.iter().all(|e| e.starts_with(&name)), "{errs:#?}");
    assert_eq!(fingerprint(db), before, "database changed by a refused file");
    errs
}

#[test]
fn clean_workbook_imports_with_values_normalised() {
    let (dir, db) = prepared_db();
    let file = dir.path().join("303.xlsx");
    write_book(&file, &clean_sheets());
    let report = import(&db, std::slice::from_ref(&file));
    assert_eq!(errors(&report), Vec::<String>::new());
    assert_eq!(report.imported().count(), 1);
    assert!(
        report.notices.iter().any(|n| n.contains("备注")),
        "{:?}",
        report.notices
    );
    assert!(!report.notices.iter().any(|n| n.contains("填报说明")));
    let FileOutcome::Imported { rows, .. } = &report.files[0].outcome else {
        unreachable!()
    };
    assert!(rows.contains(&("指标", 3)));

    let store = Store::open(&db).unwrap();
    let data = store.snapshot(2023).unwrap().data;
    let p = data.projects.iter().find(|p| p.code == "P-303-01").unwrap();
    assert_eq!(p.amount, dec!(2500000));
    assert_eq!(p.budget_kind, BudgetKind::GeneralPublic);
    let overall = data.projects.iter().find(|p| p.code == "303").unwrap();
    assert_eq!(overall.amount, dec!(1234567.89));
    let inds: Vec<&Indicator> = data
        .indicators
        .iter()
        .filter(|i| i.project_code == "P-303-01")
        .collect();
    assert_eq!(inds[0].target_value, "300000");
    assert_eq!(inds[0].direction, Direction::AtLeast);
    assert_eq!(inds[0].weight, Some(dec!(20)));
    assert_eq!(inds[1].weight, Some(dec!(20)));
    assert_eq!(inds[1].level2, Level2::Quality);
    let m = data.monitoring.iter().find(|m| m.project_code == "P-303-01").unwrap();
    assert_eq!(m.period, "2023-10");
    let s = data.self_evals.iter().find(|s| s.project_code == "303").unwrap();
    assert_eq!((s.self_score, s.self_grade), (dec!(91.5), Some(Grade::Excellent)));
    let k = data.key_evals.iter().find(|k| k.object_code == "P-303-01").unwrap();
    assert_eq!(k.year, 2023);
    assert_eq!(k.documents.working_papers, chrono::NaiveDate::from_ymd_opt(2023, 8, 15));
    assert_eq!(k.problems, vec!["问题一", "问题二"]);
    assert_eq!(data.units.iter().find(|u| u.code == "303").unwrap().section, "社保科");
}

#[test]
fn gbk_and_bom_csv_import_in_sheet_order() {
    let (dir, db) = prepared_db();
    let folder = dir.path().join("csv");
    std::fs::create_dir_all(&folder).unwrap();
    // Named so that alphabetical order would load 指标 before 项目.
    let projects = "年度,项目编码,单位编码,项目名称,预算类型,资金性质,预算金额（万元）\n\
                    2023,P-101-09,101,\"校园安全, 监控\",一般公共预算,专项资金,\"1,200.5\"\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(projects);
    std::fs::write(folder.join("b_项目.csv"), &gbk).unwrap();
    let indicators = "项目编码,一级指标,二级指标,三级指标,指标性质,指标值,计量单位\n\
                      P-101-09,产出指标,数量指标,监控点位,≥,120,个\n";
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(indicators.as_bytes());
    std::fs::write(folder.join("a_指标.csv"), &bom).unwrap();
    let report = import(&db, &[folder]);
    assert_eq!(errors(&report), Vec::<String>::new());
    assert_eq!(report.imported().count(), 2);
    let store = Store::open(&db).unwrap();
    let data = store.snapshot(2023).unwrap().data;
    let p = data.projects.iter().find(|p| p.code == "P-101-09").unwrap();
    assert_eq!(p.name, "校园安全, 监控");
    assert_eq!(p.amount, dec!(12005000));
    assert!(
        data.indicators
            .iter()
            .any(|i| i.project_code == "P-101-09" && i.name == "监控点位")
    );
}

/// The clean sheets with one cell replaced (sheet, row, column index).
fn with_cell(sheet: &str, row: usize, col: usize, v: V) -> Vec<SheetData> {
    let mut s = clean_sheets();
    let target = s.iter_mut().find(|(n, _)| *n == sheet).unwrap();
    target.1[row][col] = v;
    s
}

#[test]
fn every_kind_of_bad_input_is_refused_with_its_location_and_nothing_changes() {
    let (dir, db) = prepared_db();
    let f = |name: &str| dir.path().join(name);

    // Missing sheet: a workbook with none of the contract's sheets.
    write_book(&f("nosheet.xlsx"), &[("Sheet1", vec![vec![T("a")]])]);
    assert_refused(&db, &f("nosheet.xlsx"), &["nosheet.xlsx:-:-:-: 缺少工作表"]);

    // Missing column.
    let mut s = clean_sheets();
    for row in &mut s[1].1 {
        row.remove(6);
    }
    write_book(&f("nocol.xlsx"), &s);
    assert_refused(
        &db,
        &f("nocol.xlsx"),
        &["nocol.xlsx:项目:1:预算金额: 缺少必填列「预算金额」"],
    );

    // Unknown project code (and an unknown unit) named at their cells.
    let mut s = with_cell("指标", 2, 0, T("P-999"));
    s[1].1[2][2] = T("909");
    write_book(&f("unknown.xlsx"), &s);
    assert_refused(
        &db,
        &f("unknown.xlsx"),
        &[
            "unknown.xlsx:指标:3:项目编码: 项目编码「P-999」不存在",
            "unknown.xlsx:项目:3:单位编码: 单位编码「909」不存在",
        ],
    );

    // A number that is not a number; an amount with a foreign unit; a negative amount.
    write_book(&f("nan.xlsx"), &with_cell("项目", 2, 6, T("二百五十万")));
    assert_refused(
        &db,
        &f("nan.xlsx"),
        &["nan.xlsx:项目:3:预算金额: 「二百五十万」不是有效的金额"],
    );
    write_book(&f("unit.xlsx"), &with_cell("监控", 1, 2, T("150万美元")));
    assert_refused(
        &db,
        &f("unit.xlsx"),
        &["unit.xlsx:监控:2:预算执行数: 「150万美元」不是有效的金额"],
    );
    write_book(&f("neg.xlsx"), &with_cell("自评", 2, 2, N(-5.0)));
    assert_refused(&db, &f("neg.xlsx"), &["neg.xlsx:自评:3:全年执行数: 金额「-5」为负数"]);

    // A bad enumeration names the allowed values.
    write_book(&f("enum.xlsx"), &with_cell("指标", 1, 4, T("约")));
    assert_refused(
        &db,
        &f("enum.xlsx"),
        &["enum.xlsx:指标:2:指标性质: 「约」不是有效的指标性质，可选：≥、≤、=、定性"],
    );

    // Duplicate row.
    let mut s = clean_sheets();
    let dup = s[1].1[2].clone();
    s[1].1.push(dup);
    write_book(&f("dup.xlsx"), &s);
    assert_refused(&db, &f("dup.xlsx"), &["dup.xlsx:项目:4:项目编码: 与第 3 行重复"]);

    // Several errors in one file: every one is listed.
    let mut s = with_cell("项目", 2, 6, T("abc"));
    s[2].1[1][4] = T("约");
    s[3].1[1][1] = T("十月");
    write_book(&f("many.xlsx"), &s);
    let errs = assert_refused(
        &db,
        &f("many.xlsx"),
        &["项目:3:预算金额", "指标:2:指标性质", "监控:2:监控期"],
    );
    assert_eq!(errs.len(), 3, "{errs:#?}");

    // Empty files.
    std::fs::write(f("empty.xlsx"), b"").unwrap();
    assert_refused(&db, &f("empty.xlsx"), &["empty.xlsx:-:-:-: 文件为空"]);
    std::fs::write(f("项目.csv"), b"").unwrap();
    assert_refused(&db, &f("项目.csv"), &["文件为空"]);

    // A truncated workbook and a text file named .xlsx.
    write_book(&f("whole.xlsx"), &clean_sheets());
    let bytes = std::fs::read(f("whole.xlsx")).unwrap();
    std::fs::write(f("truncated.xlsx"), &bytes[..bytes.len() / 2]).unwrap();
    assert_refused(&db, &f("truncated.xlsx"), &["truncated.xlsx:-:-:-: 文件已损坏或不完整"]);
    std::fs::write(f("text.xlsx"), "单位编码,单位名称\n101,一中\n").unwrap();
    assert_refused(&db, &f("text.xlsx"), &["text.xlsx:-:-:-: 不是 Excel 工作簿"]);

    // 50 MB of garbage, named as a workbook and as a CSV.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let garbage: Vec<u8> = (0..50 * 1024 * 1024 / 8)
        .flat_map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x.to_le_bytes()
        })
        .collect();
    std::fs::write(f("garbage.xlsx"), &garbage).unwrap();
    assert_refused(&db, &f("garbage.xlsx"), &["不是 Excel 工作簿"]);
    std::fs::write(f("garbage_项目.csv"), &garbage).unwrap();
    assert_refused(&db, &f("garbage_项目.csv"), &["既不是 UTF-8 也不是 GBK/GB18030"]);
}

#[test]
fn a_bad_file_does_not_stop_the_good_ones() {
    let (dir, db) = prepared_db();
    write_book(&dir.path().join("good.xlsx"), &clean_sheets());
    write_book(&dir.path().join("bad.xlsx"), &with_cell("项目", 2, 6, T("abc")));
    let report = import(&db, &[dir.path().join("bad.xlsx"), dir.path().join("good.xlsx")]);
    assert_eq!(report.imported().count(), 1);
    assert_eq!(report.refused().count(), 1);
    let store = Store::open(&db).unwrap();
    assert!(store.unit_exists("303").unwrap());
}

#[test]
fn a_title_row_above_the_header_is_skipped_and_rows_keep_their_excel_numbers() {
    let (dir, db) = prepared_db();
    let mut s = with_cell("项目", 2, 6, T("abc"));
    s[1].1.insert(0, vec![T("2023年度项目绩效目标表")]);
    write_book(&dir.path().join("title.xlsx"), &s);
    assert_refused(&db, &dir.path().join("title.xlsx"), &["title.xlsx:项目:4:预算金额"]);
}

fn review_of(store: &Store, stage: Stage, code: &str) -> Review {
    let ids = store.queue_ids(&QueueFilter::stage(stage)).unwrap();
    let row = store
        .queue_rows_by_ids(&ids)
        .unwrap()
        .into_iter()
        .find(|r| r.project_code.as_deref() == Some(code))
        .unwrap();
    store.review(row.review_id).unwrap().unwrap()
}

#[test]
fn reimport_after_a_return_resubmits_and_keeps_the_reviewers_work() {
    let (dir, db) = prepared_db();
    let file = dir.path().join("303.xlsx");
    write_book(&file, &clean_sheets());
    import(&db, std::slice::from_ref(&file));

    let opinion = "产出指标未细化量化，请补充时效指标和成本指标";
    let (returned, approved) = {
        let mut store = Store::open(&db).unwrap();
        let target = review_of(&store, Stage::Target, "P-303-01");
        let returned = store
            .decide(target.id, target.version, ReviewAction::Return, opinion, "zhoumin", 10)
            .unwrap();
        let overall = review_of(&store, Stage::Target, "303");
        let approve = ReviewAction::Approve {
            override_blocking: true,
        };
        let approved = store
            .decide(
                overall.id,
                overall.version,
                approve,
                "目标完整，同意通过（已核实阻断问题）",
                "zhoumin",
                10,
            )
            .unwrap();
        (returned, approved)
    };

    // The same file again: nothing changes, not even the file's bytes.
    let before = fingerprint(&db);
    let report = import(&db, std::slice::from_ref(&file));
    assert_eq!(report.imported().count(), 1);
    assert!(!report.changed_anything());
    assert_eq!(fingerprint(&db), before);

    // The corrected file: the returned target is resubmitted, opinion kept; the approved one untouched.
    let mut s = clean_sheets();
    s[2].1.push(vec![
        T("P-303-01"),
        T("产出指标"),
        T("时效指标"),
        T("建档完成时间"),
        T("≤"),
        T("12"),
        T("月"),
        T(""),
    ]);
    write_book(&file, &s);
    let report = import(&db, std::slice::from_ref(&file));
    assert_eq!(errors(&report), Vec::<String>::new());
    let store = Store::open(&db).unwrap();
    let after = store.review(returned.id).unwrap().unwrap();
    assert_eq!(after.state, ReviewState::Resubmitted);
    assert_eq!(after.opinion, opinion);
    assert_eq!(after.version, returned.version + 1);
    let kept = store.review(approved.id).unwrap().unwrap();
    assert_eq!((kept.state, kept.version), (ReviewState::Approved, approved.version));
}

#[test]
fn the_template_has_every_sheet_and_header_and_imports_once_filled_in() {
    let dir = tempfile::tempdir().unwrap();
    let blank = dir.path().join("t.xlsx");
    jixiao::io::template::write_template(&blank).unwrap();
    let mut book: Xlsx<_> = open_workbook(&blank).unwrap();
    let names = book.sheet_names();
    for sheet in SHEETS {
        assert!(names.iter().any(|n| n == sheet.name), "{}", sheet.name);
        let range = book.worksheet_range(sheet.name).unwrap();
        let headers: Vec<String> = range.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
        let want: Vec<&str> = sheet.columns.iter().map(|c| c.name).collect();
        assert_eq!(headers, want);
    }
    let help = book.worksheet_range("填报说明").unwrap();
    let all: Vec<String> = help.rows().flat_map(|r| r.iter().map(|c| c.to_string())).collect();
    for sheet in SHEETS {
        for c in sheet.columns {
            assert!(all.iter().any(|t| t == c.name), "填报说明 misses {}", c.name);
        }
    }

    // Filled in as a unit would: values typed under the template's headers.
    let mut wb = template_workbook().unwrap();
    let put = |wb: &mut Workbook, sheet: &str, row: u32, values: &[&str]| {
        let ws = wb.worksheet_from_name(sheet).unwrap();
        for (c, v) in values.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(row, c as u16, *v).unwrap();
            }
        }
    };
    put(&mut wb, "单位", 1, &["404", "区文化旅游局", "区委宣传部", "教科文科"]);
    put(
        &mut wb,
        "项目",
        1,
        &[
            "2023",
            "P-404-01",
            "404",
            "非遗保护",
            "一般公共预算",
            "专项资金",
            "300000",
            "完成 5 个非遗项目保护",
        ],
    );
    wb.worksheet_from_name("项目")
        .unwrap()
        .write_number(2, 0, 2023.0)
        .unwrap();
    put(
        &mut wb,
        "项目",
        2,
        &[
            "",
            "404",
            "404",
            "部门整体支出",
            "一般公共预算",
            "部门整体",
            "12万元",
            "",
        ],
    );
    put(
        &mut wb,
        "指标",
        1,
        &[
            "P-404-01",
            "产出指标",
            "数量指标",
            "保护项目数",
            "≥",
            "5",
            "个",
            "50",
            "",
        ],
    );
    let filled = dir.path().join("filled.xlsx");
    wb.save(&filled).unwrap();
    let (_db_dir, db) = temp_db();
    drop(open_staffed(&db));
    let report = import(&db, &[filled]);
    assert_eq!(errors(&report), Vec::<String>::new());
    let store = Store::open(&db).unwrap();
    let data = store.snapshot(2023).unwrap().data;
    assert_eq!(data.projects.len(), 2);
    assert_eq!(data.indicators.len(), 1);
    assert_eq!(
        data.projects.iter().find(|p| p.code == "404").unwrap().amount,
        dec!(120000)
    );
}

#[test]
fn exports_write_numbers_in_the_workbook_and_a_bom_in_csv() {
    use jixiao::io::export::*;
    let (dir, db) = prepared_db();
    let mut store = Store::open(&db).unwrap();
    let review = review_of(&store, Stage::Target, "P-101-01");
    store
        .decide(
            review.id,
            review.version,
            ReviewAction::Return,
            "产出指标未细化量化，请补充数量指标",
            "li",
            10,
        )
        .unwrap();
    let rules = Config::defaults().rules;
    store.refresh_findings(&rules, options().today).unwrap();

    let table = opinions_table(&store.opinion_rows().unwrap());
    assert_eq!(table.rows.len(), 1);
    let xlsx = dir.path().join("opinions.xlsx");
    write_table(&table, &xlsx).unwrap();
    let mut book: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let range = book.worksheet_range("审核意见汇总表").unwrap();
    let rows: Vec<&[Data]> = range.rows().collect();
    assert_eq!(rows[0][0], Data::String("单位编码".into()));
    assert_eq!(rows[1][5], Data::Float(2500000.0));
    assert_eq!(rows[1][7], Data::String("已退回".into()));
    assert_eq!(rows[1][10], Data::String("产出指标未细化量化，请补充数量指标".into()));

    let findings = findings_table(&store.finding_rows().unwrap());
    assert!(!findings.rows.is_empty());
    let csv = dir.path().join("findings.csv");
    write_table(&findings, &csv).unwrap();
    let bytes = std::fs::read(&csv).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.starts_with("单位编码,单位名称,项目编码,项目名称,金额（元）"));
    assert_eq!(text.lines().count(), findings.rows.len() + 1);

    let rects = rectifications_table(&[], &Default::default(), &Default::default(), options().today);
    write_table(&rects, &dir.path().join("rect.xlsx")).unwrap();
    assert!(write_table(&rects, &dir.path().join("rect.pdf")).is_err());
}
