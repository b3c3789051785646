//! `jixiao template`: the blank workbook of the import contract, read from the
//! same table as the importer (`import::SHEETS`): every sheet and header, drop-
//! downs on enumerated columns, number formats, frozen header rows, and a
//! 填报说明 sheet. The same sheet set-up serves the per-unit workbooks that
//! `export submissions` writes, so both import without edits.

use super::import::{ColumnKind, SHEETS, Sheet, TEMPLATE_HELP_SHEET};
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, Format, FormatAlign, Workbook, Worksheet, XlsxError,
};
use std::path::Path;

/// Rows below the header that carry drop-downs and formats in a blank template.
pub const TEMPLATE_ROWS: u32 = 2000;

pub(crate) const AMOUNT_FORMAT: &str = "#,##0.00";
pub(crate) const DATE_FORMAT: &str = "yyyy-mm-dd";

/// The cell format a column's values get.
pub(crate) fn column_format(kind: ColumnKind) -> Format {
    match kind {
        ColumnKind::Amount => Format::new().set_num_format(AMOUNT_FORMAT),
        ColumnKind::Score | ColumnKind::Weight => Format::new().set_num_format("0.00"),
        ColumnKind::Year => Format::new().set_num_format("0"),
        ColumnKind::Date => Format::new().set_num_format(DATE_FORMAT),
        // Text stays text: Excel must not turn 0101 into 101 or 2023-10 into a date.
        ColumnKind::Code | ColumnKind::Period | ColumnKind::Text | ColumnKind::Value | ColumnKind::Choice(_) => {
            Format::new().set_num_format("@")
        }
        ColumnKind::Lines => Format::new().set_num_format("@").set_text_wrap(),
    }
}

fn column_width(kind: ColumnKind) -> f64 {
    match kind {
        ColumnKind::Text | ColumnKind::Lines => 28.0,
        ColumnKind::Amount => 16.0,
        ColumnKind::Code | ColumnKind::Choice(_) | ColumnKind::Value => 14.0,
        _ => 11.0,
    }
}

/// Adds one contract sheet: header row (required columns in red), formats,
/// widths, drop-downs down to `rows` data rows, and the header frozen.
pub(crate) fn add_contract_sheet<'w>(
    workbook: &'w mut Workbook,
    sheet: &Sheet,
    rows: u32,
) -> Result<&'w mut Worksheet, XlsxError> {
    let ws = workbook.add_worksheet();
    ws.set_name(sheet.name)?;
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xDDEBF7))
        .set_align(FormatAlign::Center);
    let required = header.clone().set_font_color(Color::RGB(0xC00000));
    for (i, column) in sheet.columns.iter().enumerate() {
        let col = i as u16;
        let is_required = column.required || sheet.one_of.contains(&column.name);
        ws.write_string_with_format(0, col, column.name, if is_required { &required } else { &header })?;
        ws.set_column_width(col, column_width(column.kind))?;
        ws.set_column_format(col, &column_format(column.kind))?;
        if let ColumnKind::Choice(choices) = column.kind {
            // A warning, not a stop: the importer also accepts variants such as >= or 大于等于.
            let validation = DataValidation::new()
                .allow_list_strings(&choices.labels())?
                .set_error_style(DataValidationErrorStyle::Warning)
                .set_input_title(column.name)?
                .set_input_message(column.help)?;
            ws.add_data_validation(1, col, rows.max(1), col, &validation)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(ws)
}

/// Adds the 填报说明 sheet: general rules, then every column of every sheet.
pub(crate) fn add_help_sheet(workbook: &mut Workbook) -> Result<(), XlsxError> {
    let ws = workbook.add_worksheet();
    ws.set_name(TEMPLATE_HELP_SHEET)?;
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    let general = [
        "填报说明（本表不导入，可保留）",
        "1. 每张表第一行是表头，请勿修改表头文字；列的顺序可以调整，多出的列导入时忽略。",
        "2. 红色表头为必填列；「自评」表的项目编码和单位编码至少填一个（部门整体自评可只填单位编码）。",
        "3. 金额单位为元，可带千分位；也可写「12.3万元」，按万元精确换算为元；不得为负数，最多两位小数。",
        "4. 百分比可写 85% 或 0.85；日期可写 2023-06-01 或使用 Excel 日期；监控期写 2023-10。",
        "5. 带下拉列表的列请从列表选择；常见写法（如 >=、大于等于）也能识别。",
        "6. 一个文件中任何一处有错，整份文件不导入，并逐条列出「文件:表:行:列: 原因」；改正后重新导入即可。",
        "7. 重新导入会按单位编码、项目编码和年度更新数据；已退回的事项转为「已重报」，审核意见不会被覆盖。",
    ];
    for (i, line) in general.iter().enumerate() {
        ws.write_string_with_format(i as u32, 0, *line, if i == 0 { &bold } else { &wrap })?;
    }
    let top = general.len() as u32 + 1;
    for (c, title) in ["表名", "列名", "必填", "说明", "可选值"].iter().enumerate() {
        ws.write_string_with_format(top, c as u16, *title, &bold)?;
    }
    let mut row = top + 1;
    for sheet in SHEETS {
        for column in sheet.columns {
            let required = if column.required {
                "是"
            } else if sheet.one_of.contains(&column.name) {
                "二选一"
            } else {
                "否"
            };
            let choices = match column.kind {
                ColumnKind::Choice(c) => c.labels().join("、"),
                _ => String::new(),
            };
            let help = format!("{}（{}）", column.help, sheet.help);
            for (c, text) in [sheet.name, column.name, required, &help, &choices].iter().enumerate() {
                ws.write_string_with_format(row, c as u16, *text, &wrap)?;
            }
            row += 1;
        }
    }
    for (c, width) in [10.0, 16.0, 8.0, 60.0, 40.0].iter().enumerate() {
        ws.set_column_width(c as u16, *width)?;
    }
    Ok(())
}

/// The blank template as a workbook.
pub fn template_workbook() -> Result<Workbook, XlsxError> {
    let mut workbook = Workbook::new();
    for sheet in SHEETS {
        add_contract_sheet(&mut workbook, sheet, TEMPLATE_ROWS)?;
    }
    add_help_sheet(&mut workbook)?;
    Ok(workbook)
}

/// Writes the blank template to `path`.
pub fn write_template(path: &Path) -> Result<(), XlsxError> {
    crate::store::files::create_output_file(path)?;
    template_workbook()?.save(path)
}
