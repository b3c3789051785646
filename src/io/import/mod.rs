//! `jixiao import`: units' workbooks and CSV files into the database.
//!
//! Each file is read whole into a `Dataset`, collecting every error; its
//! references are checked against the database; only a file with no error is
//! loaded, in one transaction (`Store::load_dataset`). Findings are refreshed
//! once at the end of the run, not per file.

mod csv_source;
pub mod errors;
mod records;
mod resolve;
pub mod sheets;
mod table;
mod values;
mod xlsx_source;

pub use errors::ImportError;
pub use sheets::{Column, ColumnKind, SHEETS, Sheet, SheetId};

use crate::domain::params::RuleParams;
use crate::store::{LoadSummary, Store, StoreError};
use records::Parsed;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What a run needs besides the files.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// OS user recorded as the importer in the audit log.
    pub actor: String,
    pub today: chrono::NaiveDate,
}

/// What became of one file.
#[derive(Debug, Clone)]
pub enum FileOutcome {
    /// Loaded: data rows per sheet, and what the load changed.
    Imported {
        rows: Vec<(&'static str, usize)>,
        summary: Box<LoadSummary>,
    },
    /// Nothing of it was loaded, for these reasons.
    Refused(Vec<ImportError>),
}

#[derive(Debug, Clone)]
pub struct FileReport {
    pub path: PathBuf,
    pub outcome: FileOutcome,
}

/// The whole run.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    pub files: Vec<FileReport>,
    /// Things ignored (unknown columns and sheets, Excel lock files), each said once.
    pub notices: Vec<String>,
    /// Paths given that could not be used (missing, unsupported type).
    pub path_errors: Vec<ImportError>,
}

impl ImportReport {
    pub fn imported(&self) -> impl Iterator<Item = &FileReport> {
        self.files
            .iter()
            .filter(|f| matches!(f.outcome, FileOutcome::Imported { .. }))
    }

    pub fn refused(&self) -> impl Iterator<Item = &FileReport> {
        self.files
            .iter()
            .filter(|f| matches!(f.outcome, FileOutcome::Refused(_)))
    }

    /// Every error, files in order.
    pub fn errors(&self) -> impl Iterator<Item = &ImportError> {
        self.path_errors
            .iter()
            .chain(self.files.iter().flat_map(|f| match &f.outcome {
                FileOutcome::Refused(e) => e.as_slice(),
                FileOutcome::Imported { .. } => &[],
            }))
    }

    /// Data rows imported per sheet, over all imported files, in contract order.
    pub fn rows_per_sheet(&self) -> Vec<(&'static str, usize)> {
        let mut totals: Vec<(&'static str, usize)> = SHEETS.iter().map(|s| (s.name, 0)).collect();
        for f in self.imported() {
            if let FileOutcome::Imported { rows, .. } = &f.outcome {
                for (sheet, n) in rows {
                    if let Some(t) = totals.iter_mut().find(|(s, _)| s == sheet) {
                        t.1 += n;
                    }
                }
            }
        }
        totals
    }

    /// Whether any imported file changed the database.
    pub fn changed_anything(&self) -> bool {
        self.imported().any(|f| match &f.outcome {
            FileOutcome::Imported { summary, .. } => summary.changed_anything(),
            FileOutcome::Refused(_) => false,
        })
    }
}

/// File kinds the importer reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Workbook,
    Csv,
}

fn kind_of(path: &Path) -> Option<Kind> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "xlsx" | "xlsm" | "xls" => Some(Kind::Workbook),
        "csv" => Some(Kind::Csv),
        _ => None,
    }
}

/// Excel's lock file of an open workbook (`~$名称.xlsx`): never data.
fn is_lock_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("~$"))
}

/// The files to import: the files given, and the workbooks and CSV files found
/// in the folders given (recursively). Within a folder, CSV files come in the
/// contract's sheet order so that `项目.csv` loads before `指标.csv`.
pub fn collect_files(paths: &[PathBuf], notices: &mut Vec<String>) -> (Vec<PathBuf>, Vec<ImportError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        let shown = path.display().to_string();
        if path.is_dir() {
            walk(path, &mut files, &mut errors);
        } else if !path.exists() {
            errors.push(ImportError::file(&shown, "文件或文件夹不存在"));
        } else if kind_of(path).is_none() {
            errors.push(ImportError::file(
                &shown,
                "不支持的文件类型（只接受 .xlsx、.xls、.csv）",
            ));
        } else {
            files.push(path.clone());
        }
    }
    let locks = files.iter().filter(|p| is_lock_file(p)).count();
    if locks > 0 {
        notices.push(format!(
            "跳过 {locks} 个 Excel 临时文件（~$ 开头，工作簿正在 Excel 中打开）"
        ));
    }
    files.retain(|p| !is_lock_file(p));
    files.sort_by_cached_key(|p| {
        let rank = match kind_of(p) {
            Some(Kind::Csv) => csv_sheet(p).map_or(SHEETS.len(), |s| s.id as usize),
            _ => 0,
        };
        (p.parent().map(Path::to_path_buf), rank, p.clone())
    });
    files.dedup();
    (files, errors)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<ImportError>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push(ImportError::file(
                &dir.display().to_string(),
                format!("无法读取文件夹：{e}"),
            ));
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, files, errors);
        } else if kind_of(&path).is_some() {
            files.push(path);
        }
    }
}

fn csv_sheet(path: &Path) -> Option<&'static Sheet> {
    sheets::sheet_for_name(path.file_stem()?.to_str()?)
}

/// Reads one file into a `Dataset` on its own (no database), or every reason it cannot be.
pub fn read_file(path: &Path) -> Result<ParsedFile, Vec<ImportError>> {
    let file = path.display().to_string();
    let fail = |reason: String| vec![ImportError::file(&file, reason)];
    let bytes = std::fs::read(path).map_err(|e| fail(format!("无法读取文件：{e}")))?;
    if bytes.is_empty() {
        return Err(fail("文件为空（0 字节）".to_string()));
    }
    let raw = match kind_of(path) {
        Some(Kind::Workbook) => {
            if !xlsx_source::looks_like_workbook(&bytes) {
                return Err(fail(
                    "不是 Excel 工作簿：文件内容不是 .xlsx/.xls 格式（可能已损坏、被截断或只是改了扩展名）".to_string(),
                ));
            }
            xlsx_source::read_workbook(bytes, |name| sheets::sheet_for_name(name).is_some()).map_err(fail)?
        }
        Some(Kind::Csv) => {
            let Some(sheet) = csv_sheet(path) else {
                let names: Vec<&str> = SHEETS.iter().map(|s| s.name).collect();
                return Err(fail(format!(
                    "无法从文件名判断是哪张表：CSV 文件应命名为 {}.csv 之一（可加前缀，如 101_项目.csv）",
                    names.join(".csv、")
                )));
            };
            let text = csv_source::decode_text(&bytes).map_err(fail)?;
            vec![csv_source::read_csv(&text, sheet.name).map_err(|e| {
                vec![ImportError {
                    file: file.clone(),
                    sheet: Some(sheet.name.to_string()),
                    row: None,
                    column: None,
                    reason: e,
                }]
            })?]
        }
        None => return Err(fail("不支持的文件类型（只接受 .xlsx、.xls、.csv）".to_string())),
    };
    let mut parsed = Parsed::default();
    let mut errors = Vec::new();
    records::read_sheets(&file, &raw, &mut parsed, &mut errors);
    if errors.is_empty() && parsed.rows.is_empty() {
        let names: Vec<&str> = SHEETS.iter().map(|s| s.name).collect();
        errors.push(ImportError::file(
            &file,
            format!("缺少工作表：没有任何一张约定的表（{}）", names.join("、")),
        ));
    } else if errors.is_empty() && parsed.dataset.row_count() == 0 {
        errors.push(ImportError::file(&file, "没有数据行：各表只有表头"));
    }
    if errors.is_empty() {
        Ok(ParsedFile { parsed })
    } else {
        Err(errors)
    }
}

/// A file read without error, waiting for its references to be checked.
#[derive(Debug, Clone)]
pub struct ParsedFile {
    parsed: Parsed,
}

impl ParsedFile {
    pub fn dataset(&self) -> &crate::domain::Dataset {
        &self.parsed.dataset
    }
}

/// Imports every file found under `paths`. `progress(done, total)` is called
/// after each file. A refused file changes nothing; the others still load.
pub fn import_paths(
    store: &mut Store,
    paths: &[PathBuf],
    options: &ImportOptions,
    rules: &RuleParams,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ImportReport, StoreError> {
    let mut report = ImportReport::default();
    let (files, path_errors) = collect_files(paths, &mut report.notices);
    report.path_errors = path_errors;
    let mut ignored_columns: BTreeMap<(&'static str, String), usize> = BTreeMap::new();
    let mut ignored_sheets: BTreeMap<String, usize> = BTreeMap::new();
    let total = files.len();
    let mut failure = None;
    // Files are parsed on worker threads while this thread loads them, in order.
    parse_in_parallel(&files, |done, path, parsed| {
        let outcome = match parsed {
            Err(errors) => FileOutcome::Refused(errors),
            Ok(file) => {
                for key in &file.parsed.ignored_columns {
                    *ignored_columns.entry(key.clone()).or_insert(0) += 1;
                }
                for name in &file.parsed.ignored_sheets {
                    *ignored_sheets.entry(name.clone()).or_insert(0) += 1;
                }
                match load_file(store, path, file, options) {
                    Ok(outcome) => outcome,
                    Err(e) => {
                        failure = Some(e);
                        return false;
                    }
                }
            }
        };
        report.files.push(FileReport {
            path: path.to_path_buf(),
            outcome,
        });
        progress(done + 1, total);
        true
    });
    if let Some(e) = failure {
        return Err(e);
    }
    for ((sheet, column), n) in ignored_columns {
        report
            .notices
            .push(format!("已忽略「{sheet}」表中约定以外的列「{column}」（{n} 个文件）"));
    }
    for (name, n) in ignored_sheets
        .into_iter()
        .filter(|(name, _)| name != TEMPLATE_HELP_SHEET)
    {
        report
            .notices
            .push(format!("已忽略约定以外的工作表「{name}」（{n} 个文件）"));
    }
    if report.changed_anything() {
        store.refresh_findings(rules, options.today)?;
    }
    Ok(report)
}

/// Parses `files` on a few worker threads and hands each result to `consume`
/// on this thread in file order (so CSV sheets still load in contract order).
/// `consume` returns false to stop early.
fn parse_in_parallel(
    files: &[PathBuf],
    mut consume: impl FnMut(usize, &Path, Result<ParsedFile, Vec<ImportError>>) -> bool,
) {
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, 4)
        .min(files.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let stop = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel(workers * 2);
        for _ in 0..workers {
            let tx = tx.clone();
            let (next, stop) = (&next, &stop);
            scope.spawn(move || {
                use std::sync::atomic::Ordering::Relaxed;
                while !stop.load(Relaxed) {
                    let i = next.fetch_add(1, Relaxed);
                    let Some(path) = files.get(i) else { break };
                    if tx.send((i, read_file(path))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut waiting = BTreeMap::new();
        let mut expected = 0;
        for (i, parsed) in rx.iter() {
            waiting.insert(i, parsed);
            while let Some(parsed) = waiting.remove(&expected) {
                if !consume(expected, &files[expected], parsed) {
                    stop.store(true, std::sync::atomic::Ordering::Relaxed);
                    return;
                }
                expected += 1;
            }
        }
    });
}

/// The instructions sheet of the template, which every filled-in template carries.
pub const TEMPLATE_HELP_SHEET: &str = "填报说明";

/// Checks one parsed file's references and loads it in one transaction.
fn load_file(
    store: &mut Store,
    path: &Path,
    mut file: ParsedFile,
    options: &ImportOptions,
) -> Result<FileOutcome, StoreError> {
    let shown = path.display().to_string();
    let errors = resolve::resolve(&shown, &mut file.parsed, store)?;
    if !errors.is_empty() {
        return Ok(FileOutcome::Refused(errors));
    }
    match store.load_dataset(&file.parsed.dataset, &options.actor) {
        Ok(summary) => Ok(FileOutcome::Imported {
            rows: file
                .parsed
                .rows
                .iter()
                .map(|(id, n)| (sheets::sheet(*id).name, *n))
                .collect(),
            summary: Box::new(summary),
        }),
        // The database itself failing (locked, read-only) stops the run; anything
        // else is about this file's data and refuses only it.
        Err(e @ (StoreError::Locked | StoreError::ReadOnly | StoreError::Open { .. })) => Err(e),
        Err(e) => Ok(FileOutcome::Refused(vec![ImportError::file(&shown, e.to_string())])),
    }
}
