//! A review year written back as the units send it: one workbook per unit,
//! following the import contract (the template's sheets and formats), so that
//! importing the folder reproduces the data. Used by `jixiao export
//! submissions DIR` and by the round-trip tests.

use super::import::{SHEETS, SheetId, sheets};
use super::template::{add_contract_sheet, add_help_sheet, column_format};
use crate::domain::*;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use rust_xlsxwriter::{ExcelDateTime, Workbook, Worksheet, XlsxError};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// A value for one cell.
enum Out {
    Text(String),
    Number(Decimal),
    Date(NaiveDate),
}

fn text(s: &str) -> Option<Out> {
    (!s.is_empty()).then(|| Out::Text(s.to_string()))
}

fn label<T: Copy>(v: Option<T>, label: fn(T) -> &'static str) -> Option<Out> {
    v.map(|v| Out::Text(label(v).to_string()))
}

/// The rows of one unit, sheet by sheet, as (column name, value) pairs.
type SheetRows = Vec<Vec<(&'static str, Option<Out>)>>;

fn unit_rows(ds: &Dataset, unit: &Unit) -> Vec<(SheetId, SheetRows)> {
    let codes: HashSet<&str> = ds
        .projects
        .iter()
        .filter(|p| p.unit_code == unit.code)
        .map(|p| p.code.as_str())
        .collect();
    let mine = |code: &str| codes.contains(code);
    let units = vec![vec![
        ("单位编码", text(&unit.code)),
        ("单位名称", text(&unit.name)),
        ("主管部门", text(&unit.department)),
        ("业务科室", text(&unit.section)),
    ]];
    let projects = ds
        .projects
        .iter()
        .filter(|p| p.unit_code == unit.code)
        .map(|p| {
            vec![
                ("年度", Some(Out::Number(Decimal::from(p.year)))),
                ("项目编码", text(&p.code)),
                ("单位编码", text(&p.unit_code)),
                ("项目名称", text(&p.name)),
                ("预算类型", text(p.budget_kind.label())),
                ("资金性质", text(p.fund_kind.label())),
                ("预算金额", Some(Out::Number(p.amount))),
                ("年度绩效目标", text(&p.annual_goal)),
            ]
        })
        .collect();
    let indicators = ds
        .indicators
        .iter()
        .filter(|i| mine(&i.project_code))
        .map(|i| {
            vec![
                ("项目编码", text(&i.project_code)),
                ("一级指标", text(i.level1.label())),
                ("二级指标", text(i.level2.label())),
                ("三级指标", text(&i.name)),
                ("指标性质", text(i.direction.label())),
                ("指标值", text(&i.target_value)),
                ("计量单位", text(&i.measure_unit)),
                ("权重", i.weight.map(Out::Number)),
                ("指标解释", text(&i.explanation)),
            ]
        })
        .collect();
    let monitoring = ds
        .monitoring
        .iter()
        .filter(|m| mine(&m.project_code))
        .map(|m| {
            vec![
                ("项目编码", text(&m.project_code)),
                ("监控期", text(&m.period)),
                ("预算执行数", Some(Out::Number(m.executed))),
                ("情况说明", text(&m.explanation)),
                ("整改措施", text(&m.measures)),
            ]
        })
        .collect();
    let progress = ds
        .progress
        .iter()
        .filter(|g| mine(&g.project_code))
        .map(|g| {
            vec![
                ("项目编码", text(&g.project_code)),
                ("三级指标", text(&g.indicator_name)),
                ("当前完成值", text(&g.current_value)),
                ("全年预计完成值", text(&g.expected_value)),
                ("完成可能性", label(g.likelihood, Likelihood::label)),
                ("原因", text(&g.reason)),
                ("举措", text(&g.action)),
            ]
        })
        .collect();
    let self_evals = ds
        .self_evals
        .iter()
        .filter(|s| mine(&s.project_code))
        .map(|s| {
            vec![
                ("项目编码", text(&s.project_code)),
                ("全年执行数", Some(Out::Number(s.executed))),
                ("自评得分", Some(Out::Number(s.self_score))),
                ("自评等级", label(s.self_grade, Grade::label)),
                ("自评报告", text(&s.report)),
                ("存在问题", text(&s.problems)),
                ("改进措施", text(&s.measures)),
            ]
        })
        .collect();
    let actuals = ds
        .actuals
        .iter()
        .filter(|a| mine(&a.project_code))
        .map(|a| {
            vec![
                ("项目编码", text(&a.project_code)),
                ("三级指标", text(&a.indicator_name)),
                ("实际完成值", text(&a.actual_value)),
                ("定性等级", label(a.tier, QualTier::label)),
                ("偏差原因", text(&a.deviation_reason)),
            ]
        })
        .collect();
    let key_evals = ds
        .key_evals
        .iter()
        .filter(|k| mine(&k.object_code) || k.object_code == unit.code)
        .map(|k| {
            vec![
                ("评价对象编码", text(&k.object_code)),
                ("委托机构", text(&k.firm)),
                ("评价金额", Some(Out::Number(k.amount))),
                ("年度", Some(Out::Number(Decimal::from(k.year)))),
                ("得分", k.score.map(Out::Number)),
                ("等级", label(k.grade, Grade::label)),
                ("现场评价底稿", k.documents.working_papers.map(Out::Date)),
                ("现场评价回执", k.documents.receipt.map(Out::Date)),
                ("反馈意见", k.documents.feedback.map(Out::Date)),
                ("发现问题", text(&k.problems.join("\n"))),
            ]
        })
        .collect();
    vec![
        (SheetId::Units, units),
        (SheetId::Projects, projects),
        (SheetId::Indicators, indicators),
        (SheetId::Monitoring, monitoring),
        (SheetId::Progress, progress),
        (SheetId::SelfEvals, self_evals),
        (SheetId::Actuals, actuals),
        (SheetId::KeyEvals, key_evals),
    ]
}

fn write_rows(ws: &mut Worksheet, sheet: &sheets::Sheet, rows: &SheetRows) -> Result<(), XlsxError> {
    let index: HashMap<&str, (u16, &sheets::Column)> = sheet
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| (c.name, (i as u16, c)))
        .collect();
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (name, value) in row {
            let Some(value) = value else { continue };
            let (col, column) = index[name];
            let format = column_format(column.kind);
            match value {
                Out::Text(t) => ws.write_string_with_format(r, col, t, &format)?,
                Out::Number(d) => ws.write_with_format(r, col, *d, &format)?,
                Out::Date(d) => {
                    let date = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
                    ws.write_datetime_with_format(r, col, &date, &format)?
                }
            };
        }
    }
    Ok(())
}

/// A file name for a unit: its code and name, with characters file systems refuse replaced.
fn file_name(unit: &Unit) -> String {
    let safe: String = format!("{}_{}", unit.code, unit.name)
        .chars()
        .map(|c| {
            if "/\\:*?\"<>|".contains(c) || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    format!("{safe}.xlsx")
}

/// One unit's workbook.
pub fn unit_workbook(ds: &Dataset, unit: &Unit) -> Result<Workbook, XlsxError> {
    let mut workbook = Workbook::new();
    for (id, rows) in unit_rows(ds, unit) {
        let sheet = sheets::sheet(id);
        let ws = add_contract_sheet(&mut workbook, sheet, rows.len() as u32 + 200)?;
        write_rows(ws, sheet, &rows)?;
    }
    add_help_sheet(&mut workbook)?;
    Ok(workbook)
}

/// Writes one workbook per unit of `ds` into `dir` (created if missing); returns the files.
pub fn write_unit_workbooks(ds: &Dataset, dir: &Path) -> Result<Vec<PathBuf>, XlsxError> {
    std::fs::create_dir_all(dir)?;
    debug_assert_eq!(SHEETS.len(), 8);
    let mut files = Vec::with_capacity(ds.units.len());
    for unit in &ds.units {
        let path = dir.join(file_name(unit));
        crate::store::files::create_output_file(&path)?;
        unit_workbook(ds, unit)?.save(&path)?;
        files.push(path);
    }
    Ok(files)
}
