//! The import contract (DESIGN.md, "Import contract") as one table: sheet
//! names, columns with their Chinese names, English aliases, kind and help.
//! The importer, the template and its 填报说明 sheet all read this table, so
//! they cannot drift apart.

use crate::domain::labels::normalize_label;
use crate::domain::{BudgetKind, Direction, FundKind, Grade, Level1, Level2, Likelihood, QualTier};

/// What a column holds, which decides how a cell is read and how the template formats it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// A code (单位编码, 项目编码): text, trimmed; a number cell is read as its digits.
    Code,
    /// Free text, kept as written (trimmed).
    Text,
    /// Free text holding several items, one per line (发现问题).
    Lines,
    /// A value as written (指标值, 完成值): a number cell becomes its shortest text.
    Value,
    /// 年度: a whole year.
    Year,
    /// An amount in 元 (or 万元 with the unit written), never negative, at most 2 decimals.
    Amount,
    /// A score 0–100 (自评得分, 得分); a trailing 分 is accepted.
    Score,
    /// 权重: points; `20%` and `0.2` both mean 20 points.
    Weight,
    /// A date: an Excel date, a serial number, or text such as 2023-06-01.
    Date,
    /// 监控期: `2023-10`; an Excel date is read as its year and month.
    Period,
    /// One of a closed list; the list is the enum's labels.
    Choice(Choices),
}

/// The closed vocabularies a column may be restricted to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choices {
    BudgetKind,
    FundKind,
    Level1,
    Level2,
    Direction,
    Likelihood,
    QualTier,
    Grade,
}

impl Choices {
    /// The labels offered in drop-downs and named in error messages.
    pub fn labels(self) -> Vec<&'static str> {
        match self {
            Choices::BudgetKind => BudgetKind::labels(),
            Choices::FundKind => FundKind::labels(),
            Choices::Level1 => Level1::labels(),
            Choices::Level2 => Level2::labels(),
            Choices::Direction => Direction::labels(),
            Choices::Likelihood => Likelihood::labels(),
            Choices::QualTier => QualTier::labels(),
            Choices::Grade => Grade::labels(),
        }
    }
}

/// One column of a sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The Chinese header, as the template writes it.
    pub name: &'static str,
    /// Other headers accepted (English, older forms).
    pub aliases: &'static [&'static str],
    pub required: bool,
    pub kind: ColumnKind,
    /// What to write, for the 填报说明 sheet.
    pub help: &'static str,
}

/// One sheet of the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sheet {
    pub id: SheetId,
    /// The sheet name (and the CSV file name without `.csv`).
    pub name: &'static str,
    /// Other sheet names accepted.
    pub aliases: &'static [&'static str],
    pub columns: &'static [Column],
    /// At least one of these columns must be present (自评: 项目编码 or 单位编码).
    pub one_of: &'static [&'static str],
    pub help: &'static str,
}

/// The sheets, in the order they load (a later sheet refers to an earlier one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SheetId {
    Units,
    Projects,
    Indicators,
    Monitoring,
    Progress,
    SelfEvals,
    Actuals,
    KeyEvals,
}

const fn col(name: &'static str, aliases: &'static [&'static str], kind: ColumnKind, help: &'static str) -> Column {
    Column {
        name,
        aliases,
        required: true,
        kind,
        help,
    }
}

const fn opt(name: &'static str, aliases: &'static [&'static str], kind: ColumnKind, help: &'static str) -> Column {
    Column {
        name,
        aliases,
        required: false,
        kind,
        help,
    }
}

use ColumnKind::*;

const PROJECT_CODE: Column = col(
    "项目编码",
    &["project_code", "项目代码"],
    Code,
    "预算系统中的项目编码；须在本文件的「项目」表或数据库中已有",
);
const INDICATOR_NAME: Column = col(
    "三级指标",
    &["indicator", "indicator_name", "三级指标名称", "指标名称"],
    Text,
    "与「指标」表中的三级指标名称一致",
);

/// The whole contract.
pub const SHEETS: &[Sheet] = &[
    Sheet {
        id: SheetId::Units,
        name: "单位",
        aliases: &["单位表", "units", "unit"],
        columns: &[
            col("单位编码", &["unit_code", "单位代码"], Code, "预算单位编码，全区唯一"),
            col("单位名称", &["unit_name"], Text, "预算单位全称"),
            opt("主管部门", &["department"], Text, "主管部门名称"),
            opt("业务科室", &["section"], Text, "负责审核该单位的财政局业务科室"),
        ],
        one_of: &[],
        help: "每个预算单位一行",
    },
    Sheet {
        id: SheetId::Projects,
        name: "项目",
        aliases: &["项目表", "projects", "project"],
        columns: &[
            col("年度", &["year", "预算年度"], Year, "预算年度，如 2023"),
            PROJECT_CODE,
            col(
                "单位编码",
                &["unit_code"],
                Code,
                "项目所属单位的编码；部门整体支出的项目编码填单位编码",
            ),
            col(
                "项目名称",
                &["project_name"],
                Text,
                "项目全称；部门整体支出填「××单位部门整体支出」",
            ),
            col(
                "预算类型",
                &["budget_kind", "budget type"],
                Choice(Choices::BudgetKind),
                "从下拉列表选择",
            ),
            col(
                "资金性质",
                &["fund_kind", "fund type"],
                Choice(Choices::FundKind),
                "从下拉列表选择；部门整体支出选「部门整体」",
            ),
            col(
                "预算金额",
                &["amount", "budget amount", "预算数"],
                Amount,
                "单位：元；可写 12.3万元，按万元精确换算",
            ),
            opt(
                "年度绩效目标",
                &["annual_goal", "goal", "绩效目标"],
                Text,
                "年度总体绩效目标，写明要做什么、做到什么程度",
            ),
        ],
        one_of: &[],
        help: "每个项目一行；每个单位另有一行部门整体支出（项目编码 = 单位编码）",
    },
    Sheet {
        id: SheetId::Indicators,
        name: "指标",
        aliases: &["指标表", "绩效指标", "indicators", "indicator"],
        columns: &[
            PROJECT_CODE,
            col(
                "一级指标",
                &["level1"],
                Choice(Choices::Level1),
                "产出/成本/效益/满意度指标",
            ),
            col(
                "二级指标",
                &["level2"],
                Choice(Choices::Level2),
                "须属于所填一级指标，如 产出指标 → 数量指标",
            ),
            col(
                "三级指标",
                &["indicator", "indicator_name", "指标名称"],
                Text,
                "具体指标名称",
            ),
            col(
                "指标性质",
                &["direction", "指标方向"],
                Choice(Choices::Direction),
                "≥ 正向、≤ 反向、= 等于、定性；也可写 >=、大于等于",
            ),
            col(
                "指标值",
                &["target_value", "target"],
                Value,
                "目标值，如 95、≥95%；定性指标写文字",
            ),
            opt(
                "计量单位",
                &["measure_unit", "unit of measure"],
                Text,
                "如 %、人次、万元；定性指标不填",
            ),
            opt(
                "权重",
                &["weight"],
                Weight,
                "该指标在一级指标内的分值；20、20% 或 0.2 均表示 20 分",
            ),
            opt("指标解释", &["explanation", "指标说明"], Text, "指标口径或计算方法"),
        ],
        one_of: &[],
        help: "每个三级指标一行",
    },
    Sheet {
        id: SheetId::Monitoring,
        name: "监控",
        aliases: &["监控表", "运行监控", "monitoring"],
        columns: &[
            PROJECT_CODE,
            col("监控期", &["period", "监控时点"], Period, "如 2023-10"),
            col(
                "预算执行数",
                &["executed", "执行数"],
                Amount,
                "截至监控期的预算执行数，单位：元",
            ),
            opt(
                "情况说明",
                &["explanation", "偏差原因"],
                Text,
                "执行率或指标进度低于 75% 时必填",
            ),
            opt(
                "整改措施",
                &["measures", "改进措施"],
                Text,
                "执行率或指标进度低于 75% 时必填",
            ),
        ],
        one_of: &[],
        help: "每个监控项目一行（200 万元及以上专项资金必报）",
    },
    Sheet {
        id: SheetId::Progress,
        name: "指标进度",
        aliases: &["指标进度表", "progress"],
        columns: &[
            PROJECT_CODE,
            INDICATOR_NAME,
            col("当前完成值", &["current_value", "current"], Value, "截至监控期的完成值"),
            opt(
                "全年预计完成值",
                &["expected_value", "expected"],
                Value,
                "预计全年完成值",
            ),
            opt(
                "完成可能性",
                &["likelihood"],
                Choice(Choices::Likelihood),
                "确定能 / 有可能 / 不可能",
            ),
            opt(
                "原因",
                &["reason", "偏差原因"],
                Text,
                "完成可能性不是「确定能」时说明原因",
            ),
            opt("举措", &["action", "改进举措"], Text, "拟采取的措施"),
        ],
        one_of: &[],
        help: "监控项目的每个三级指标一行",
    },
    Sheet {
        id: SheetId::SelfEvals,
        name: "自评",
        aliases: &["自评表", "绩效自评", "self_eval", "self_evals", "self-eval"],
        columns: &[
            opt("项目编码", &["project_code"], Code, "项目自评填项目编码"),
            opt("单位编码", &["unit_code"], Code, "部门整体自评可只填单位编码"),
            col(
                "全年执行数",
                &["executed", "执行数"],
                Amount,
                "全年预算执行数，单位：元",
            ),
            col("自评得分", &["self_score", "score"], Score, "0–100，保留两位小数"),
            opt(
                "自评等级",
                &["self_grade", "grade"],
                Choice(Choices::Grade),
                "优 / 良 / 中 / 差",
            ),
            opt("自评报告", &["report"], Text, "自评报告正文或摘要；不得空缺"),
            opt("存在问题", &["problems"], Text, "自评发现的问题"),
            opt("改进措施", &["measures"], Text, "针对问题的改进措施"),
        ],
        one_of: &["项目编码", "单位编码"],
        help: "每个项目（及部门整体）一行",
    },
    Sheet {
        id: SheetId::Actuals,
        name: "指标实际",
        aliases: &["指标实际表", "指标完成", "actuals"],
        columns: &[
            PROJECT_CODE,
            INDICATOR_NAME,
            col("实际完成值", &["actual_value", "actual"], Value, "年末实际完成值"),
            opt(
                "定性等级",
                &["tier"],
                Choice(Choices::QualTier),
                "定性指标填 达成 / 部分达成 / 未达成",
            ),
            opt(
                "偏差原因",
                &["deviation_reason", "reason"],
                Text,
                "未完成或超额 30% 以上时说明原因",
            ),
        ],
        one_of: &[],
        help: "自评项目的每个三级指标一行",
    },
    Sheet {
        id: SheetId::KeyEvals,
        name: "重点评价",
        aliases: &["重点评价表", "key_evals", "key_eval", "key-eval"],
        columns: &[
            col(
                "评价对象编码",
                &["object_code", "object"],
                Code,
                "被评价项目的编码；部门整体评价填单位编码",
            ),
            col(
                "委托机构",
                &["firm", "第三方机构"],
                Text,
                "受托会计师事务所等第三方机构",
            ),
            col(
                "评价金额",
                &["amount", "evaluated amount"],
                Amount,
                "纳入评价的资金，单位：元",
            ),
            opt(
                "年度",
                &["year"],
                Year,
                "评价年度；不填时取本文件项目的年度或对象在数据库中的最新年度",
            ),
            opt("得分", &["score"], Score, "评价得分 0–100"),
            opt("等级", &["grade"], Choice(Choices::Grade), "优 / 良 / 中 / 差"),
            opt(
                "现场评价底稿",
                &["working_papers"],
                Date,
                "收到日期，如 2023-08-15；未收到不填",
            ),
            opt("现场评价回执", &["receipt"], Date, "收到日期；未收到不填"),
            opt(
                "反馈意见",
                &["feedback"],
                Date,
                "财政业务科室绩效报告反馈意见的日期；未收到不填",
            ),
            opt("发现问题", &["problems"], Lines, "每个问题一行（单元格内换行）"),
        ],
        one_of: &[],
        help: "每个重点评价对象一行",
    },
];

/// The contract of one sheet.
pub fn sheet(id: SheetId) -> &'static Sheet {
    SHEETS.iter().find(|s| s.id == id).expect("every SheetId is in SHEETS")
}

/// Headers and names compared without spaces, case, `*` marks or underscores.
fn fold(s: &str) -> String {
    normalize_label(s)
        .trim_matches(|c| c == '*' || c == '＊')
        .replace(['_', '-'], "")
        .to_lowercase()
}

/// The contract sheet a workbook sheet or a CSV file stem names, if any.
/// A CSV stem may carry a prefix (`101_项目`, `某单位-指标进度`).
pub fn sheet_for_name(name: &str) -> Option<&'static Sheet> {
    let folded = fold(name);
    let names = |s: &'static Sheet| std::iter::once(s.name).chain(s.aliases.iter().copied());
    if let Some(s) = SHEETS.iter().find(|s| names(s).any(|n| fold(n) == folded)) {
        return Some(s);
    }
    let normalized = normalize_label(name);
    // Longest name first so that `x_指标进度` is not read as `指标`.
    let mut candidates: Vec<(&'static str, &'static Sheet)> =
        SHEETS.iter().flat_map(|s| names(s).map(move |n| (n, s))).collect();
    candidates.sort_by_key(|(n, _)| std::cmp::Reverse(n.len()));
    candidates.into_iter().find_map(|(n, s)| {
        let prefix = normalized.strip_suffix(n)?;
        prefix.ends_with(['_', '-', '.', '·', '—']).then_some(s)
    })
}

/// A header as written, split into the column it names and the factor its
/// unit implies: `预算金额（万元）` is 预算金额 in 万元.
pub fn column_for_header(sheet: &Sheet, header: &str) -> Option<(&'static Column, rust_decimal::Decimal)> {
    let text = normalize_label(header);
    let (base, factor) = split_unit(&text);
    let folded = fold(base);
    let contract = SHEETS.iter().find(|s| s.id == sheet.id)?;
    folded_headers(contract.id)
        .iter()
        .find(|(name, _)| *name == folded)
        .map(|(_, index)| (&contract.columns[*index], factor))
}

/// A column's name or alias, folded, with the column's index in its sheet.
type FoldedHeader = (String, usize);

/// Each sheet's column names and aliases, folded once: every header cell of
/// every file is matched against them.
fn folded_headers(id: SheetId) -> &'static [FoldedHeader] {
    static FOLDED: std::sync::OnceLock<Vec<(SheetId, Vec<FoldedHeader>)>> = std::sync::OnceLock::new();
    let all = FOLDED.get_or_init(|| {
        SHEETS
            .iter()
            .map(|s| {
                let names = s.columns.iter().enumerate().flat_map(|(i, c)| {
                    std::iter::once(c.name)
                        .chain(c.aliases.iter().copied())
                        .map(move |n| (fold(n), i))
                });
                (s.id, names.collect())
            })
            .collect()
    });
    all.iter()
        .find(|(s, _)| *s == id)
        .map_or(&[], |(_, names)| names.as_slice())
}

/// Strips a bracketed unit from a header: `（元）` → 1, `（万元）` → 10,000.
fn split_unit(header: &str) -> (&str, rust_decimal::Decimal) {
    for (suffix, factor) in [("（万元）", 10_000), ("(万元)", 10_000), ("（元）", 1), ("(元)", 1)] {
        if let Some(base) = header.strip_suffix(suffix) {
            return (base, rust_decimal::Decimal::from(factor));
        }
    }
    (header, rust_decimal::Decimal::ONE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn names_and_aliases_find_their_sheet() {
        assert_eq!(sheet_for_name("项目").map(|s| s.id), Some(SheetId::Projects));
        assert_eq!(sheet_for_name(" 项目表 ").map(|s| s.id), Some(SheetId::Projects));
        assert_eq!(sheet_for_name("Projects").map(|s| s.id), Some(SheetId::Projects));
        assert_eq!(sheet_for_name("101_指标进度").map(|s| s.id), Some(SheetId::Progress));
        assert_eq!(sheet_for_name("某单位-指标").map(|s| s.id), Some(SheetId::Indicators));
        assert_eq!(sheet_for_name("填报说明"), None);
        assert_eq!(sheet_for_name("Sheet1"), None);
    }

    #[test]
    fn headers_match_chinese_english_and_units() {
        let projects = sheet(SheetId::Projects);
        let (c, f) = column_for_header(projects, "预算金额（万元）").unwrap();
        assert_eq!((c.name, f), ("预算金额", dec!(10000)));
        let (c, f) = column_for_header(projects, "Budget_Amount").unwrap();
        assert_eq!((c.name, f), ("预算金额", dec!(1)));
        assert_eq!(column_for_header(projects, "*项目编码").unwrap().0.name, "项目编码");
        assert!(column_for_header(projects, "备注").is_none());
    }

    #[test]
    fn every_sheet_has_distinct_headers() {
        for s in SHEETS {
            let mut seen = std::collections::HashSet::new();
            for c in s.columns {
                for n in std::iter::once(c.name).chain(c.aliases.iter().copied()) {
                    assert!(seen.insert(fold(n)), "{}: {n} twice", s.name);
                }
            }
        }
    }
}
