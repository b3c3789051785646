//! `jixiao export`: review results — opinions, rectifications, findings and
//! result application — as a workbook (amounts as numbers, header frozen) or
//! as CSV in UTF-8 with a BOM so that Excel on Chinese Windows opens it
//! correctly.

use crate::domain::Rectification;
use crate::domain::params::RuleParams;
use crate::domain::text::sanitize;
use crate::store::{FindingRow, OpinionRow, ResultRow};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Color, Format, Workbook, XlsxError};
use std::collections::HashMap;
use std::path::Path;

/// A cell of an exported table.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    /// An amount in 元: a number cell with two decimals in the workbook.
    Amount(Decimal),
    Number(i64),
}

fn text(s: impl Into<String>) -> Value {
    Value::Text(s.into())
}

/// A sheet of results: its name (the workbook sheet), headers and rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub name: &'static str,
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<Value>>,
}

/// 审核意见汇总表.
pub fn opinions_table(rows: &[OpinionRow]) -> Table {
    Table {
        name: "审核意见汇总表",
        headers: vec![
            "单位编码",
            "单位名称",
            "业务科室",
            "项目编码",
            "项目名称",
            "金额（元）",
            "环节",
            "状态",
            "审核人",
            "审核日期",
            "审核意见",
        ],
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    text(&r.unit_code),
                    text(&r.unit_name),
                    text(&r.section),
                    text(r.project_code.clone().unwrap_or_default()),
                    text(&r.project_name),
                    Value::Amount(r.amount),
                    text(r.stage.label()),
                    text(r.state.label()),
                    text(r.reviewer.clone().unwrap_or_default()),
                    // An RFC 3339 time: the date is what the table wants.
                    text(r.decided_at.as_deref().map(|d| d.get(..10).unwrap_or(d)).unwrap_or("")),
                    text(&r.opinion),
                ]
            })
            .collect(),
    }
}

/// 整改清单.
pub fn rectifications_table(
    rects: &[Rectification],
    unit_names: &HashMap<String, String>,
    project_names: &HashMap<String, String>,
    today: NaiveDate,
) -> Table {
    let name_of = |m: &HashMap<String, String>, code: &str| m.get(code).cloned().unwrap_or_default();
    Table {
        name: "整改清单",
        headers: vec![
            "编号",
            "来源环节",
            "单位编码",
            "单位名称",
            "项目编码",
            "项目名称",
            "问题",
            "整改要求",
            "整改期限",
            "状态",
            "是否逾期",
            "剩余天数",
            "整改佐证",
            "销号人",
            "销号时间",
            "延期次数",
        ],
        rows: rects
            .iter()
            .map(|r| {
                let project = r.project_code.clone().unwrap_or_default();
                vec![
                    Value::Number(r.id),
                    text(r.source_stage.label()),
                    text(&r.unit_code),
                    text(name_of(unit_names, &r.unit_code)),
                    text(&project),
                    text(name_of(project_names, &project)),
                    text(&r.problem),
                    text(&r.required_measure),
                    text(r.deadline.format("%Y-%m-%d").to_string()),
                    text(r.state.label()),
                    text(if r.is_overdue(today) { "逾期" } else { "" }),
                    Value::Number(r.days_left(today)),
                    text(&r.evidence),
                    text(r.verified_by.clone().unwrap_or_default()),
                    text(r.verified_at.clone().unwrap_or_default()),
                    Value::Number(r.extensions.len() as i64),
                ]
            })
            .collect(),
    }
}

/// 问题清单: every stored finding with its item.
pub fn findings_table(rows: &[FindingRow]) -> Table {
    Table {
        name: "问题清单",
        headers: vec![
            "单位编码",
            "单位名称",
            "项目编码",
            "项目名称",
            "金额（元）",
            "环节",
            "事项状态",
            "严重程度",
            "规则",
            "指标",
            "问题",
        ],
        rows: rows
            .iter()
            .map(|f| {
                vec![
                    text(&f.unit_code),
                    text(&f.unit_name),
                    text(f.project_code.clone().unwrap_or_default()),
                    text(&f.project_name),
                    Value::Amount(f.amount),
                    text(f.stage.label()),
                    text(f.state.label()),
                    text(f.severity.label()),
                    text(&f.rule),
                    text(f.indicator.clone().unwrap_or_default()),
                    text(&f.message),
                ]
            })
            .collect(),
    }
}

/// 结果应用表: each project's grade, the treatment it suggests for next
/// year's budget and the reviewer's answer.
pub fn results_table(rows: &[ResultRow]) -> Table {
    Table {
        name: "结果应用表",
        headers: vec![
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
        ],
        rows: rows
            .iter()
            .map(|r| {
                let answer = r.answer.as_ref();
                let changed = answer.filter(|a| !a.confirmed);
                vec![
                    text(&r.unit_code),
                    text(&r.unit_name),
                    text(&r.section),
                    text(&r.project_code),
                    text(&r.project_name),
                    Value::Amount(r.amount),
                    text(r.grade().label()),
                    text(r.source.label()),
                    text(&r.suggestion.treatment),
                    Value::Amount(r.suggestion.next_amount),
                    text(r.status().label()),
                    text(changed.map_or("", |a| a.treatment.as_str())),
                    text(changed.map_or("", |a| a.reason.as_str())),
                    text(answer.map_or("", |a| a.decided_by_name.as_str())),
                    text(answer.map_or("", |a| a.decided_at.get(..10).unwrap_or(&a.decided_at))),
                ]
            })
            .collect(),
    }
}

/// The output format, from the file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    Xlsx,
    Csv,
}

pub fn format_for(path: &Path) -> Option<OutputFormat> {
    match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "xlsx" => Some(OutputFormat::Xlsx),
        "csv" => Some(OutputFormat::Csv),
        _ => None,
    }
}

/// Text as it goes into a file: imported text is untrusted, so control
/// characters and escape sequences are dropped (newlines kept for long opinions).
fn clean(s: &str) -> String {
    s.split('\n').map(sanitize).collect::<Vec<_>>().join("\n")
}

/// Writes a table as a workbook with the header frozen and amounts as numbers.
pub fn write_xlsx(table: &Table, path: &Path) -> Result<(), XlsxError> {
    let mut workbook = Workbook::new();
    let ws = workbook.add_worksheet();
    ws.set_name(table.name)?;
    let header = Format::new().set_bold().set_background_color(Color::RGB(0xDDEBF7));
    let amount = Format::new().set_num_format("#,##0.00");
    for (c, h) in table.headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &header)?;
        let wide = matches!(
            *h,
            "审核意见"
                | "问题"
                | "整改要求"
                | "整改佐证"
                | "项目名称"
                | "单位名称"
                | "建议处理"
                | "调整后处理"
                | "理由"
        );
        ws.set_column_width(c as u16, if wide { 36.0 } else { 12.0 })?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, v) in row.iter().enumerate() {
            let c = c as u16;
            match v {
                Value::Text(t) if t.is_empty() => {}
                Value::Text(t) => {
                    ws.write_string(r, c, clean(t))?;
                }
                Value::Amount(d) => {
                    ws.write_with_format(r, c, *d, &amount)?;
                }
                Value::Number(n) => {
                    ws.write_number(r, c, *n as f64)?;
                }
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    if !table.rows.is_empty() {
        ws.autofilter(0, 0, table.rows.len() as u32, table.headers.len() as u16 - 1)?;
    }
    crate::store::files::create_output_file(path)?;
    workbook.save(path)
}

/// A text cell as CSV must carry it: one that Excel or WPS would read as a
/// formula (`=HYPERLINK(…)`, `=cmd|' /C calc'!A0`, `+`, `-`, `@`, or a leading
/// tab or carriage return) gets a leading apostrophe, which the spreadsheet
/// shows as plain text. Plain numbers (a negative amount) stay numbers.
fn csv_text(s: &str) -> String {
    let text = clean(s);
    let risky = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && text.trim().parse::<f64>().is_err() {
        format!("'{text}")
    } else {
        text
    }
}

/// Writes a table as CSV, UTF-8 with a BOM; amounts with two decimals and no separators.
pub fn write_csv(table: &Table, path: &Path) -> std::io::Result<()> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record(&table.headers)?;
        for row in &table.rows {
            w.write_record(row.iter().map(|v| match v {
                Value::Text(t) => csv_text(t),
                Value::Amount(d) => format!("{:.2}", d),
                Value::Number(n) => n.to_string(),
            }))?;
        }
        w.flush()?;
    }
    crate::store::files::create_output_file(path)?;
    std::fs::write(path, out)
}

/// Writes in the format the path's extension names.
pub fn write_table(table: &Table, path: &Path) -> anyhow::Result<()> {
    match format_for(path) {
        Some(OutputFormat::Xlsx) => write_xlsx(table, path)?,
        Some(OutputFormat::Csv) => write_csv(table, path)?,
        None => anyhow::bail!("不支持的导出格式：{}（只支持 .xlsx 和 .csv）", path.display()),
    }
    Ok(())
}

/// The result tables by name, as the command line and the TUI's `:export` call them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultTable {
    Opinions,
    Rectifications,
    Findings,
    /// 结果应用表.
    Results,
}

impl ResultTable {
    pub fn parse(name: &str) -> Option<ResultTable> {
        match name {
            "opinions" | "意见" => Some(ResultTable::Opinions),
            "rectifications" | "整改" => Some(ResultTable::Rectifications),
            "findings" | "问题" => Some(ResultTable::Findings),
            "results" | "结果应用" => Some(ResultTable::Results),
            _ => None,
        }
    }
}

/// Writes one result table to `path` (.xlsx or .csv) and records the export in
/// the audit log; returns the table's name and its row count. `rules` grade
/// the projects of the 结果应用表.
pub fn export_results(
    store: &mut crate::store::Store,
    what: ResultTable,
    path: &Path,
    actor: &str,
    today: chrono::NaiveDate,
    rules: &RuleParams,
) -> anyhow::Result<(&'static str, usize)> {
    let table = match what {
        ResultTable::Opinions => opinions_table(&store.opinion_rows()?),
        ResultTable::Rectifications => rectifications_table(
            &store.rectifications(None)?,
            &store.unit_names()?,
            &store.project_names()?,
            today,
        ),
        ResultTable::Findings => findings_table(&store.finding_rows()?),
        ResultTable::Results => results_table(&store.result_rows(rules)?),
    };
    write_table(&table, path).map_err(|e| e.context(format!("无法写入 {}", path.display())))?;
    store.record_export(actor, table.name, &path.display().to_string(), table.rows.len())?;
    Ok((table.name, table.rows.len()))
}
