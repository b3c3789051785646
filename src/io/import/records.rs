//! Sheets → `Dataset`: headers matched against the contract, every row read
//! into its record, every problem collected with its cell (nothing stops at
//! the first error), duplicates found by each sheet's key.

use super::errors::{ImportError, Location};
use super::sheets::{self, Column, ColumnKind, Sheet, SheetId};
use super::table::{Cell, RawRow, RawSheet};
use super::values;
use crate::domain::*;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap, HashSet};

/// What a row refers to that must exist in the same file or in the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    Unit,
    Project,
    /// A key evaluation's object: a project code or a unit code.
    KeyEvalObject,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub kind: RefKind,
    pub code: String,
    pub at: Location,
}

/// One file read and checked on its own; references to the database are checked later.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub dataset: Dataset,
    /// Data rows read per sheet.
    pub rows: BTreeMap<SheetId, usize>,
    pub refs: Vec<Reference>,
    /// Key evaluations (index into `dataset.key_evals`) whose year the file does not say.
    pub missing_years: Vec<(usize, Location)>,
    /// Headers not in the contract, per sheet (reported once, ignored).
    pub ignored_columns: Vec<(&'static str, String)>,
    /// Sheets not in the contract (ignored).
    pub ignored_sheets: Vec<String>,
    /// Errors past `limits::MAX_ERRORS_PER_FILE`, counted, not kept.
    pub errors_not_kept: usize,
}

/// Where each contract column sits in a sheet.
struct Columns {
    by_name: HashMap<&'static str, (usize, String, Decimal)>,
}

/// Reads the contract's sheets out of a file's sheets into `out`, collecting every error.
pub fn read_sheets(file: &str, raw: &[RawSheet], out: &mut Parsed, errors: &mut Vec<ImportError>) {
    let mut found: Vec<(&'static Sheet, &RawSheet)> = Vec::new();
    for sheet in raw {
        match sheets::sheet_for_name(&sheet.name) {
            Some(spec) => {
                if let Some((_, first)) = found.iter().find(|(s, _)| s.id == spec.id) {
                    errors.push(ImportError {
                        file: file.to_string(),
                        sheet: Some(sheet.name.clone()),
                        row: None,
                        column: None,
                        reason: format!("与工作表「{}」重复，都是「{}」表", first.name, spec.name),
                    });
                    continue;
                }
                found.push((spec, sheet));
            }
            None => out.ignored_sheets.push(sheet.name.clone()),
        }
    }
    found.sort_by_key(|(s, _)| s.id);
    for (spec, sheet) in found {
        let at = header_index(spec, &sheet.rows);
        let Some((header, body)) = sheet.rows[at..].split_first() else {
            errors.push(ImportError {
                file: file.to_string(),
                sheet: Some(spec.name.to_string()),
                row: Some(1),
                column: None,
                reason: "工作表为空，缺少表头行".to_string(),
            });
            continue;
        };
        let Some(columns) = map_header(file, spec, header, out, errors) else {
            continue;
        };
        let defined = Defined::so_far(&out.dataset);
        let mut reader = SheetReader {
            file,
            sheet: spec,
            columns: &columns,
            out,
            errors,
            seen: HashMap::new(),
            defined: &defined,
        };
        for row in body {
            reader.read_row(row);
        }
        *out.rows.entry(spec.id).or_insert(0) += body.len();
    }
}

/// The header row: the first of the top rows naming two or more contract
/// columns, so that a title row above the table (`2023年项目绩效目标表`) is
/// skipped; the first row when none does (its missing columns are then reported).
fn header_index(spec: &Sheet, rows: &[RawRow]) -> usize {
    let names = |row: &RawRow| {
        row.cells
            .iter()
            .filter_map(|c| values::text(c).ok())
            .filter(|t| sheets::column_for_header(spec, t).is_some())
            .count()
    };
    rows.iter().take(10).position(|r| names(r) >= 2).unwrap_or(0)
}

/// Matches the header row to the contract; None when a required column is missing.
fn map_header(
    file: &str,
    spec: &'static Sheet,
    header: &RawRow,
    out: &mut Parsed,
    errors: &mut Vec<ImportError>,
) -> Option<Columns> {
    let at = |column: &str| Location {
        sheet: spec.name,
        row: header.line,
        column: column.to_string(),
    };
    let mut by_name: HashMap<&'static str, (usize, String, Decimal)> = HashMap::new();
    let before = errors.len();
    for (index, cell) in header.cells.iter().enumerate() {
        let written = values::text(cell).unwrap_or_default();
        if written.is_empty() {
            continue;
        }
        match sheets::column_for_header(spec, &written) {
            Some((column, factor)) => {
                if let Some((_, first, _)) = by_name.get(column.name) {
                    errors.push(at(&written).error(file, format!("与列「{first}」重复，都是「{}」", column.name)));
                } else {
                    by_name.insert(column.name, (index, written, factor));
                }
            }
            None => out.ignored_columns.push((spec.name, written)),
        }
    }
    for column in spec.columns.iter().filter(|c| c.required) {
        if !by_name.contains_key(column.name) {
            errors.push(at(column.name).error(file, format!("缺少必填列「{}」", column.name)));
        }
    }
    if !spec.one_of.is_empty() && !spec.one_of.iter().any(|c| by_name.contains_key(c)) {
        errors.push(at(spec.one_of[0]).error(file, format!("缺少列：{} 至少要有一列", spec.one_of.join("、"))));
    }
    (errors.len() == before).then_some(Columns { by_name })
}

struct SheetReader<'a> {
    file: &'a str,
    sheet: &'static Sheet,
    columns: &'a Columns,
    out: &'a mut Parsed,
    errors: &'a mut Vec<ImportError>,
    /// Row keys seen in this sheet, with their row number.
    seen: HashMap<String, u32>,
    defined: &'a Defined,
}

/// Units and projects the file's earlier sheets define (单位 and 项目 are read
/// before the sheets that name them): a row naming one needs no check against
/// the database, so no reference is kept for it.
struct Defined {
    units: HashSet<String>,
    projects: HashSet<String>,
}

impl Defined {
    fn so_far(ds: &Dataset) -> Defined {
        Defined {
            units: ds.units.iter().map(|u| u.code.clone()).collect(),
            projects: ds.projects.iter().map(|p| p.code.clone()).collect(),
        }
    }

    fn covers(&self, kind: RefKind, code: &str) -> bool {
        match kind {
            RefKind::Unit => self.units.contains(code),
            RefKind::Project => self.projects.contains(code),
            RefKind::KeyEvalObject => self.projects.contains(code) || self.units.contains(code),
        }
    }
}

/// One row being read: typed getters that record a located error and return None.
struct Row<'r, 'a> {
    reader: &'r mut SheetReader<'a>,
    raw: &'r RawRow,
    ok: bool,
}

impl Row<'_, '_> {
    fn spec(&self, name: &str) -> &'static Column {
        self.reader
            .sheet
            .columns
            .iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("column {name} not in sheet {}", self.reader.sheet.name))
    }

    fn at(&self, name: &'static str) -> Location {
        let header = self
            .reader
            .columns
            .by_name
            .get(name)
            .map_or(name.to_string(), |(_, h, _)| h.clone());
        Location {
            sheet: self.reader.sheet.name,
            row: self.raw.line,
            column: header,
        }
    }

    fn fail(&mut self, name: &'static str, reason: impl Into<String>) {
        self.ok = false;
        // A file of 250,000 bad rows lists its first errors, not a million.
        if self.reader.errors.len() > super::limits::MAX_ERRORS_PER_FILE {
            self.reader.out.errors_not_kept += 1;
            return;
        }
        let err = self.at(name).error(self.reader.file, reason);
        self.reader.errors.push(err);
    }

    /// The cell and the header's unit factor, or None when the column is absent or the cell blank.
    fn cell(&self, name: &'static str) -> Option<(&Cell, Decimal)> {
        let (index, _, factor) = self.reader.columns.by_name.get(name)?;
        let cell = self.raw.cell(*index);
        (!cell.is_blank()).then_some((cell, *factor))
    }

    /// A value read by `read`; a blank required column is an error.
    fn get<T>(&mut self, name: &'static str, read: impl FnOnce(&Cell, Decimal) -> Result<T, String>) -> Option<T> {
        // A blank value (指标值, 完成值) is the unit's omission, which the rules
        // report as a finding; only the column itself must be there.
        let spec = self.spec(name);
        let required = spec.required && spec.kind != ColumnKind::Value;
        let Some((cell, factor)) = self.cell(name) else {
            if required {
                self.fail(name, format!("「{name}」为必填项，不能为空"));
            }
            return None;
        };
        match read(cell, factor) {
            Ok(v) => Some(v),
            Err(reason) => {
                self.fail(name, reason);
                None
            }
        }
    }

    fn text(&mut self, name: &'static str) -> String {
        debug_assert!(matches!(
            self.spec(name).kind,
            ColumnKind::Text | ColumnKind::Code | ColumnKind::Value
        ));
        self.get(name, |c, _| values::text(c)).unwrap_or_default()
    }

    fn amount(&mut self, name: &'static str) -> Option<Decimal> {
        self.get(name, values::amount)
    }

    fn choice<T>(&mut self, name: &'static str, parse: fn(&str) -> Option<T>) -> Option<T> {
        let ColumnKind::Choice(choices) = self.spec(name).kind else {
            panic!("{name} is not a choice column");
        };
        self.get(name, |c, _| values::choice(c, name, parse, || choices.labels()))
    }

    /// Records a reference to check against the database (one to a unit or a
    /// project an earlier sheet of this file defines needs none).
    fn refer(&mut self, kind: RefKind, name: &'static str, code: &str) {
        if !code.is_empty() && !self.reader.defined.covers(kind, code) {
            let at = self.at(name);
            self.reader.out.refs.push(Reference {
                kind,
                code: code.to_string(),
                at,
            });
        }
    }

    /// Refuses a second row with the same key in this sheet.
    fn unique(&mut self, name: &'static str, key: String, what: &str) {
        if !self.ok {
            return;
        }
        let line = self.raw.line;
        if let Some(first) = self.reader.seen.get(&key) {
            let reason = format!("与第 {first} 行重复（同一{what}只能有一行）");
            self.fail(name, reason);
        } else {
            self.reader.seen.insert(key, line);
        }
    }
}

impl SheetReader<'_> {
    fn read_row(&mut self, raw: &RawRow) {
        let id = self.sheet.id;
        let mut row = Row {
            reader: self,
            raw,
            ok: true,
        };
        match id {
            SheetId::Units => unit_row(&mut row),
            SheetId::Projects => project_row(&mut row),
            SheetId::Indicators => indicator_row(&mut row),
            SheetId::Monitoring => monitoring_row(&mut row),
            SheetId::Progress => progress_row(&mut row),
            SheetId::SelfEvals => self_eval_row(&mut row),
            SheetId::Actuals => actual_row(&mut row),
            SheetId::KeyEvals => key_eval_row(&mut row),
        }
    }
}

fn unit_row(row: &mut Row<'_, '_>) {
    let code = row.text("单位编码");
    let unit = Unit {
        name: row.text("单位名称"),
        department: row.text("主管部门"),
        section: row.text("业务科室"),
        code,
    };
    row.unique("单位编码", unit.code.clone(), "单位编码");
    if row.ok {
        row.reader.out.dataset.units.push(unit);
    }
}

fn project_row(row: &mut Row<'_, '_>) {
    let year = row.get("年度", |c, _| values::year(c));
    let code = row.text("项目编码");
    let unit_code = row.text("单位编码");
    let name = row.text("项目名称");
    let budget_kind = row.choice("预算类型", BudgetKind::parse);
    let fund_kind = row.choice("资金性质", FundKind::parse);
    let amount = row.amount("预算金额");
    let annual_goal = row.text("年度绩效目标");
    row.refer(RefKind::Unit, "单位编码", &unit_code);
    if fund_kind == Some(FundKind::UnitOverall) && !code.is_empty() && code != unit_code {
        row.fail(
            "项目编码",
            format!("部门整体支出的项目编码应填单位编码「{unit_code}」，而不是「{code}」"),
        );
    }
    let (Some(year), Some(budget_kind), Some(fund_kind), Some(amount)) = (year, budget_kind, fund_kind, amount) else {
        return;
    };
    row.unique("项目编码", format!("{year}\u{1f}{code}"), "年度的项目编码");
    if row.ok {
        row.reader.out.dataset.projects.push(Project {
            year,
            code,
            unit_code,
            name,
            budget_kind,
            fund_kind,
            amount,
            annual_goal,
        });
    }
}

fn indicator_row(row: &mut Row<'_, '_>) {
    let project_code = row.text("项目编码");
    let level1 = row.choice("一级指标", Level1::parse);
    let level2 = row.choice("二级指标", Level2::parse);
    let name = row.text("三级指标");
    let direction = row.choice("指标性质", Direction::parse);
    let target_value = row.text("指标值");
    let measure_unit = row.text("计量单位");
    let weight = row.get("权重", |c, _| values::weight(c));
    let explanation = row.text("指标解释");
    row.refer(RefKind::Project, "项目编码", &project_code);
    if let (Some(l1), Some(l2)) = (level1, level2)
        && !l2.fits_under(l1)
    {
        row.fail(
            "二级指标",
            format!("二级指标「{}」不属于一级指标「{}」", l2.label(), l1.label()),
        );
    }
    // The same indicator twice is the unit's mistake in its targets: the T-DUP
    // finding shows it to the reviewer, so the row is kept, not refused.
    let (Some(level1), Some(level2), Some(direction)) = (level1, level2, direction) else {
        return;
    };
    if row.ok {
        row.reader.out.dataset.indicators.push(Indicator {
            project_code,
            level1,
            level2,
            name,
            direction,
            target_value,
            measure_unit,
            weight,
            explanation,
        });
    }
}

fn monitoring_row(row: &mut Row<'_, '_>) {
    let project_code = row.text("项目编码");
    let period = row.get("监控期", |c, _| values::period(c));
    let executed = row.amount("预算执行数");
    let explanation = row.text("情况说明");
    let measures = row.text("整改措施");
    row.refer(RefKind::Project, "项目编码", &project_code);
    let (Some(period), Some(executed)) = (period, executed) else {
        return;
    };
    row.unique("项目编码", format!("{project_code}\u{1f}{period}"), "项目同一监控期");
    if row.ok {
        row.reader.out.dataset.monitoring.push(Monitoring {
            project_code,
            period,
            executed,
            explanation,
            measures,
        });
    }
}

fn progress_row(row: &mut Row<'_, '_>) {
    let project_code = row.text("项目编码");
    let indicator_name = row.text("三级指标");
    let current_value = row.text("当前完成值");
    let expected_value = row.text("全年预计完成值");
    let likelihood = row.choice("完成可能性", Likelihood::parse);
    let reason = row.text("原因");
    let action = row.text("举措");
    row.refer(RefKind::Project, "项目编码", &project_code);
    if row.ok {
        row.reader.out.dataset.progress.push(IndicatorProgress {
            project_code,
            indicator_name,
            current_value,
            expected_value,
            likelihood,
            reason,
            action,
        });
    }
}

fn self_eval_row(row: &mut Row<'_, '_>) {
    let by_project = row.text("项目编码");
    let by_unit = row.text("单位编码");
    // 部门整体: the unit-overall project's code is the unit code (see `Dataset`).
    let (column, project_code) = if by_project.is_empty() {
        ("单位编码", by_unit)
    } else {
        ("项目编码", by_project)
    };
    if project_code.is_empty() {
        row.fail("项目编码", "项目编码和单位编码至少填一个");
    }
    let executed = row.amount("全年执行数");
    let self_score = row.get("自评得分", |c, _| values::score(c));
    let self_grade = row.choice("自评等级", Grade::parse);
    let report = row.text("自评报告");
    let problems = row.text("存在问题");
    let measures = row.text("改进措施");
    row.refer(RefKind::Project, column, &project_code);
    let (Some(executed), Some(self_score)) = (executed, self_score) else {
        return;
    };
    row.unique(column, project_code.clone(), "项目的自评");
    if row.ok {
        row.reader.out.dataset.self_evals.push(SelfEval {
            project_code,
            executed,
            self_score,
            self_grade,
            report,
            problems,
            measures,
        });
    }
}

fn actual_row(row: &mut Row<'_, '_>) {
    let project_code = row.text("项目编码");
    let indicator_name = row.text("三级指标");
    let actual_value = row.text("实际完成值");
    let tier = row.choice("定性等级", QualTier::parse);
    let deviation_reason = row.text("偏差原因");
    row.refer(RefKind::Project, "项目编码", &project_code);
    if row.ok {
        row.reader.out.dataset.actuals.push(IndicatorActual {
            project_code,
            indicator_name,
            actual_value,
            tier,
            deviation_reason,
        });
    }
}

fn key_eval_row(row: &mut Row<'_, '_>) {
    let object_code = row.text("评价对象编码");
    let firm = row.text("委托机构");
    let amount = row.amount("评价金额");
    let year = row.get("年度", |c, _| values::year(c));
    let score = row.get("得分", |c, _| values::score(c));
    let grade = row.choice("等级", Grade::parse);
    let documents = KeyEvalDocuments {
        working_papers: row.get("现场评价底稿", |c, _| values::date(c)),
        receipt: row.get("现场评价回执", |c, _| values::date(c)),
        feedback: row.get("反馈意见", |c, _| values::date(c)),
    };
    let problems = row.get("发现问题", |c, _| values::lines(c)).unwrap_or_default();
    row.refer(RefKind::KeyEvalObject, "评价对象编码", &object_code);
    let Some(amount) = amount else {
        return;
    };
    let year_key = year.map_or_else(String::new, |y| y.to_string());
    row.unique("评价对象编码", format!("{year_key}\u{1f}{object_code}"), "评价对象");
    if !row.ok {
        return;
    }
    if year.is_none() {
        let at = row.at("评价对象编码");
        let index = row.reader.out.dataset.key_evals.len();
        row.reader.out.missing_years.push((index, at));
    }
    row.reader.out.dataset.key_evals.push(KeyEval {
        year: year.unwrap_or(0),
        object_code,
        firm,
        amount,
        score,
        grade,
        documents,
        problems,
    });
}
