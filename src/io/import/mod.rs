//! `jixiao import`: units' workbooks and CSV files into the database.
//!
//! Each file is read whole into a `Dataset`, collecting every error; its
//! references are checked against the database; only a file with no error is
//! loaded. All files of a run load in one write transaction (`ImportBatch`),
//! each under its own savepoint, so a bad file is rolled back alone. Findings
//! are refreshed once at the end of the run, not per file, for the units
//! whose findings lag their data: each load marks what it changed in the
//! transaction of the data (so an interrupted run leaves its committed units
//! marked, their items not approvable), and the refresh clears the marks —
//! so the next run, even of unchanged files, repairs what an interrupted one
//! left. A run the database stops (a full disk) says which files were saved.

mod csv_source;
pub mod errors;
pub mod limits;
mod records;
mod resolve;
pub mod sheets;
mod table;
mod timing;
mod values;
mod xls_check;
mod xlsx_source;

pub use errors::ImportError;
pub use sheets::{Column, ColumnKind, SHEETS, Sheet, SheetId};
pub use timing::ImportTimings;

use crate::domain::params::RuleParams;
use crate::store::{ImportBatch, LoadSummary, Store, StoreError};
use records::Parsed;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use timing::{NO_TIME, Spent, Stopwatch};

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
    pub timings: ImportTimings,
    /// Why the run stopped before its end, when the database failed (a full
    /// disk): the files saved before are `imported()`, every other file is
    /// refused with what became of it.
    pub stopped: Option<String>,
    /// Why the findings of what was saved could not be recomputed (their
    /// items are not approved until the next import or start repairs them).
    pub findings_not_refreshed: Option<String>,
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

    /// The units whose records the imported files wrote.
    pub fn units_touched(&self) -> std::collections::BTreeSet<String> {
        self.imported()
            .flat_map(|f| match &f.outcome {
                FileOutcome::Imported { summary, .. } => summary.units_touched.iter().cloned().collect(),
                FileOutcome::Refused(_) => Vec::new(),
            })
            .collect()
    }

    /// The files refused because the run stopped before they were saved.
    pub fn not_saved(&self) -> impl Iterator<Item = &FileReport> {
        self.refused().filter(|f| match &f.outcome {
            FileOutcome::Refused(errors) => errors.iter().any(|e| e.reason.starts_with(NOT_SAVED)),
            FileOutcome::Imported { .. } => false,
        })
    }

    /// What a run the database stopped saved and did not, file by file, and
    /// whether the findings of what it saved are recomputed; `None` for a
    /// run that went to its end with its findings refreshed.
    pub fn stop_message(&self) -> Option<String> {
        use std::fmt::Write;
        if self.stopped.is_none() && self.findings_not_refreshed.is_none() {
            return None;
        }
        let shown = |f: &FileReport| crate::domain::text::sanitize(&f.path.display().to_string());
        let mut out = String::new();
        if let Some(reason) = &self.stopped {
            let saved: Vec<_> = self.imported().collect();
            let not_saved: Vec<_> = self.not_saved().collect();
            let _ = writeln!(
                out,
                "导入中止（{reason}）：已保存 {} 个文件，未保存 {} 个文件。",
                saved.len(),
                not_saved.len()
            );
            if !saved.is_empty() {
                let _ = writeln!(out, "已保存（已写入数据库）：");
                for f in &saved {
                    let _ = writeln!(out, "  {}", shown(f));
                }
            }
            if !not_saved.is_empty() {
                let _ = writeln!(out, "未保存（数据库中没有这些文件的任何内容）：");
                for f in &not_saved {
                    let _ = writeln!(out, "  {}", shown(f));
                }
            }
            let _ = writeln!(
                out,
                "排除原因后重新导入同一批文件即可：已保存的文件内容不变，不会重复写入。"
            );
        }
        if let Some(reason) = &self.findings_not_refreshed {
            let _ = writeln!(
                out,
                "问题清单未能重新计算（{reason}）：已保存而问题未补算的单位，其事项在补算前不能通过；排除原因后再次运行 jixiao import（同一批文件即可）或重新打开工作台即补算。"
            );
        }
        Some(out)
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
///
/// Inside a folder, a symbolic link to a folder is not followed (a link to
/// `.` would otherwise walk forever), and each file is taken once however
/// many names it has (links, a folder given twice): files are told apart by
/// device and inode. A path given on the command line is followed as given.
pub fn collect_files(paths: &[PathBuf], notices: &mut Vec<String>) -> (Vec<PathBuf>, Vec<ImportError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let mut skipped_links = 0;
    for path in paths {
        let shown = path.display().to_string();
        if path.is_dir() {
            walk(path, &mut files, &mut errors, &mut skipped_links);
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
    if skipped_links > 0 {
        notices.push(format!(
            "跳过文件夹中 {skipped_links} 个指向文件夹的符号链接（不跟随，以免重复或循环）"
        ));
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
    let mut seen = std::collections::HashSet::new();
    let before = files.len();
    files.retain(|p| file_identity(p).is_none_or(|id| seen.insert(id)));
    let twice = before - files.len();
    if twice > 0 {
        notices.push(format!(
            "{twice} 个文件以别的路径（链接或重复给出的文件夹）出现了不止一次，每个只导入一次"
        ));
    }
    (files, errors)
}

/// What tells a file apart whatever its name: device and inode.
#[cfg(unix)]
fn file_identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn file_identity(path: &Path) -> Option<PathBuf> {
    std::fs::canonicalize(path).ok()
}

/// The importable files under `dir`; symbolic links to folders are counted in
/// `skipped_links`, not followed. Folders are told apart by device and inode
/// too, so nothing is walked twice even through bind mounts.
fn walk(dir: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<ImportError>, skipped_links: &mut usize) {
    let mut visited = std::collections::HashSet::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        if let Some(id) = file_identity(&dir)
            && !visited.insert(id)
        {
            continue;
        }
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) => {
                errors.push(ImportError::file(
                    &dir.display().to_string(),
                    format!("无法读取文件夹：{e}"),
                ));
                continue;
            }
        };
        for entry in entries.flatten() {
            let path = entry.path();
            // The entry itself, not what a link points to.
            let Ok(kind) = entry.file_type() else { continue };
            if kind.is_dir() {
                pending.push(path);
            } else if kind.is_symlink() && path.is_dir() {
                *skipped_links += 1;
            } else if kind_of(&path).is_some() {
                files.push(path);
            }
        }
    }
}

fn csv_sheet(path: &Path) -> Option<&'static Sheet> {
    sheets::sheet_for_name(path.file_stem()?.to_str()?)
}

/// Reads one file into a `Dataset` on its own (no database), or every reason it
/// cannot be. Nothing in a file can make this panic or take more than the caps
/// of `limits` allow; a refusal names the file, and the cell where there is one.
pub fn read_file(path: &Path) -> Result<ParsedFile, Vec<ImportError>> {
    let file = path.display().to_string();
    let fail = |reason: String| vec![ImportError::file(&file, reason)];
    let bytes = read_capped(path).map_err(|too_large| {
        // A large file that is not even of its kind is better told so.
        match (kind_of(path), first_bytes(path)) {
            (Some(Kind::Workbook), Some(head)) if !xlsx_source::looks_like_workbook(&head) => {
                fail(NOT_A_WORKBOOK.to_string())
            }
            (Some(Kind::Csv), Some(head)) if head.contains(&0) => fail(csv_source::BINARY.to_string()),
            _ => fail(too_large),
        }
    })?;
    if bytes.is_empty() {
        return Err(fail("文件为空（0 字节）".to_string()));
    }
    let raw = match kind_of(path) {
        Some(Kind::Workbook) => {
            if !xlsx_source::looks_like_workbook(&bytes) {
                return Err(fail(NOT_A_WORKBOOK.to_string()));
            }
            xlsx_source::read_workbook(bytes, |name| sheets::sheet_for_name(name).is_some())
                .map_err(|e| vec![e.in_file(&file)])?
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
            drop(bytes);
            vec![csv_source::read_csv(&text, sheet.name).map_err(|mut e| {
                e.sheet.get_or_insert_with(|| sheet.name.to_string());
                vec![e.in_file(&file)]
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
    if errors.len() > limits::MAX_ERRORS_PER_FILE {
        let more = errors.len() - limits::MAX_ERRORS_PER_FILE + parsed.errors_not_kept;
        errors.truncate(limits::MAX_ERRORS_PER_FILE);
        errors.push(ImportError::file(
            &file,
            format!(
                "另有 {more} 条错误未列出（每个文件最多列出 {} 条）",
                limits::MAX_ERRORS_PER_FILE
            ),
        ));
    }
    if errors.is_empty() {
        Ok(ParsedFile { parsed })
    } else {
        Err(errors)
    }
}

const NOT_A_WORKBOOK: &str = "不是 Excel 工作簿：文件内容不是 .xlsx/.xls 格式（可能已损坏、被截断或只是改了扩展名）";

/// The first 64 KiB of a file.
fn first_bytes(path: &Path) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut head = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(65_536)
        .read_to_end(&mut head)
        .ok()?;
    Some(head)
}

/// The file's bytes, refused before reading when larger than `MAX_FILE_BYTES`
/// (and never more than that read, should it grow meanwhile).
fn read_capped(path: &Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let too_large = |size: u64| {
        format!(
            "文件有 {}，超过 {} 的上限（单位的工作簿通常不到 5 MB；请检查是否放错了文件）",
            limits::megabytes(size),
            limits::megabytes(limits::MAX_FILE_BYTES)
        )
    };
    // Not opened unless a regular file: opening a FIFO named `x.csv` would block the run.
    let meta = std::fs::metadata(path).map_err(|e| format!("无法读取文件：{e}"))?;
    if !meta.is_file() {
        return Err("不是普通文件（可能是设备、管道或失效的链接）".to_string());
    }
    let file = std::fs::File::open(path).map_err(|e| format!("无法读取文件：{e}"))?;
    let meta = file.metadata().map_err(|e| format!("无法读取文件：{e}"))?;
    if !meta.is_file() {
        return Err("不是普通文件（可能是设备、管道或失效的链接）".to_string());
    }
    if meta.len() > limits::MAX_FILE_BYTES {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limits::MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("无法读取文件：{e}"))?;
    if bytes.len() as u64 > limits::MAX_FILE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// `read_file`, with a panic (a bug, never meant to happen: parsing checks
/// every figure and index) turned into a refusal naming the file, so that one
/// file cannot end the run. In a release build a panic aborts instead (the
/// profile's `panic = "abort"`), which is why parsing must not panic at all;
/// `tests/hostile.rs` runs the hostile corpus through the built binary.
fn read_file_guarded(path: &Path) -> Result<ParsedFile, Vec<ImportError>> {
    std::panic::catch_unwind(|| read_file(path)).unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(vec![ImportError::file(
            &path.display().to_string(),
            format!("读取此文件时程序出错，文件未导入（{what}）；请把文件交给管理员"),
        )])
    })
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
/// after each file. A refused file changes nothing; the others still load, all
/// in one write transaction (a savepoint per file), so a folder is written once.
pub fn import_paths(
    store: &mut Store,
    paths: &[PathBuf],
    options: &ImportOptions,
    rules: &RuleParams,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ImportReport, StoreError> {
    let started = Stopwatch::start();
    let mut report = ImportReport::default();
    let (files, path_errors) = collect_files(paths, &mut report.notices);
    report.path_errors = path_errors;
    let mut ignored = IgnoredNames::default();
    let total = files.len();
    let (loaded, read, read_threads) = parse_in_parallel(&files, |parsed| -> Result<(), StoreError> {
        let mut record = |path: &Path, outcome: FileOutcome, report: &mut ImportReport| {
            report.files.push(FileReport {
                path: path.to_path_buf(),
                outcome,
            });
            progress(report.files.len(), total);
        };
        // Files that cannot be read are refused before the write lock is taken.
        let first = loop {
            match parsed.next() {
                None => return Ok(()),
                Some((i, Err(errors))) => record(&files[i], FileOutcome::Refused(errors), &mut report),
                Some((i, Ok(file))) => break (i, file),
            }
        };
        let mut load = NO_TIME;
        let mut timed = Stopwatch::start();
        let mut batch = match store.begin_import(&options.actor) {
            Ok(batch) => batch,
            // Not allowed to import: every readable file is refused with the reason.
            Err(e @ StoreError::Forbidden { .. }) => {
                for (i, result) in std::iter::once((first.0, Ok(first.1))).chain(parsed) {
                    let errors = result.map_or_else(
                        |errors| errors,
                        |_| vec![ImportError::file(&files[i].display().to_string(), e.to_string())],
                    );
                    record(&files[i], FileOutcome::Refused(errors), &mut report);
                }
                return Ok(());
            }
            Err(e) => return Err(e),
        };
        load += timed.spent();
        // Files loaded (index in the report) with the batch's commit count
        // then: saved once the count has moved past it.
        let mut unsaved: Vec<(usize, u64)> = Vec::new();
        let mut next = Some((first.0, Ok(first.1)));
        let stopped = loop {
            timed = Stopwatch::start();
            if next.is_none()
                && !parsed.ready()
                && let Err(e) = batch.pause_while_waiting()
            {
                break Some(e);
            }
            load += timed.spent();
            let Some((i, result)) = next.take().or_else(|| parsed.next()) else {
                break None;
            };
            timed = Stopwatch::start();
            let outcome = match result {
                Err(errors) => FileOutcome::Refused(errors),
                Ok(file) => {
                    ignored.add(&file.parsed);
                    match load_file(&mut batch, &files[i], file) {
                        Ok(outcome) => outcome,
                        Err(e) => {
                            let reason =
                                format!("{NOT_SAVED}写入数据库时中止（{}），此文件未写入数据库", stop_reason(&e));
                            let errors = vec![ImportError::file(&files[i].display().to_string(), reason)];
                            record(&files[i], FileOutcome::Refused(errors), &mut report);
                            break Some(e);
                        }
                    }
                }
            };
            load += timed.spent();
            let generation = batch.commits();
            unsaved.retain(|(_, g)| *g >= generation);
            if matches!(outcome, FileOutcome::Imported { .. }) {
                unsaved.push((report.files.len(), generation));
            }
            record(&files[i], outcome, &mut report);
        };
        timed = Stopwatch::start();
        // What is committed: the loads of the generations before this one.
        let generation = batch.commits();
        let stopped = match stopped {
            Some(e) => Some(e),
            None => batch.commit().err(),
        };
        report.timings.load = load + timed.spent();
        if let Some(e) = stopped {
            // What the last commit did not take is rolled back: say so file by
            // file, and name the files the run never reached.
            unsaved.retain(|(_, g)| *g >= generation);
            let reason = format!(
                "{NOT_SAVED}导入在写入数据库时中止（{}），此文件未写入数据库",
                stop_reason(&e)
            );
            for (at, _) in unsaved {
                let f = &mut report.files[at];
                f.outcome = FileOutcome::Refused(vec![ImportError::file(&f.path.display().to_string(), &reason)]);
            }
            let reason = format!("{NOT_SAVED}导入已中止（{}），此文件未处理", stop_reason(&e));
            for path in &files[report.files.len()..] {
                let errors = vec![ImportError::file(&path.display().to_string(), &reason)];
                record(path, FileOutcome::Refused(errors), &mut report);
            }
            report.stopped = Some(stop_reason(&e));
        }
        Ok(())
    });
    loaded?;
    report.timings.read = read;
    report.timings.read_threads = read_threads;
    ignored.report(&mut report.notices);
    // Every unit whose findings lag its data — this run's, and any an
    // interrupted run left — is refreshed, even when this run changed nothing.
    let refresh_started = Stopwatch::start();
    if let Err(e) = store.refresh_stale_findings(rules, options.today) {
        report.findings_not_refreshed = Some(stop_reason(&e));
    }
    report.timings.refresh = refresh_started.spent();
    report.timings.total = started.spent();
    Ok(report)
}

/// How a refused file's reason starts when the file was not saved because
/// the run stopped (as opposed to an error of its own).
pub const NOT_SAVED: &str = "未保存：";

/// A database failure in a few words, for the report of a stopped run (the
/// error's own wording says "nothing saved", which a run's earlier commits
/// contradict).
fn stop_reason(e: &StoreError) -> String {
    match e {
        StoreError::DiskFull => "磁盘已满".to_string(),
        StoreError::ReadOnly => "数据库文件只读".to_string(),
        StoreError::Locked => "数据库正被其他用户写入，等待超时".to_string(),
        other => other.to_string(),
    }
}

/// Columns and sheets outside the contract, counted over the files that had them.
#[derive(Default)]
struct IgnoredNames {
    columns: BTreeMap<(&'static str, String), usize>,
    sheets: BTreeMap<String, usize>,
}

impl IgnoredNames {
    fn add(&mut self, parsed: &Parsed) {
        for key in &parsed.ignored_columns {
            *self.columns.entry(key.clone()).or_insert(0) += 1;
        }
        for name in &parsed.ignored_sheets {
            *self.sheets.entry(name.clone()).or_insert(0) += 1;
        }
    }

    fn report(self, notices: &mut Vec<String>) {
        // Names from the files: shown escaped, like every error line.
        use errors::shown;
        for ((sheet, column), n) in self.columns {
            notices.push(format!(
                "已忽略「{sheet}」表中约定以外的列「{}」（{n} 个文件）",
                shown(&column)
            ));
        }
        for (name, n) in self.sheets.into_iter().filter(|(name, _)| name != TEMPLATE_HELP_SHEET) {
            notices.push(format!("已忽略约定以外的工作表「{}」（{n} 个文件）", shown(&name)));
        }
    }
}

/// Parses `files` on a few worker threads and hands `consume` the results in
/// file order (so CSV sheets still load in contract order) as they come.
/// Returns what `consume` returns, the reading time summed over the workers,
/// and the number of workers. Workers stop once `consume` returns.
fn parse_in_parallel<R>(
    files: &[PathBuf],
    consume: impl FnOnce(&mut InOrder<Result<ParsedFile, Vec<ImportError>>>) -> R,
) -> (R, Spent, usize) {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, 4)
        .min(files.len().max(1));
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel(workers * 2);
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                let tx = tx.clone();
                let (next, stop) = (&next, &stop);
                scope.spawn(move || {
                    let mut busy = NO_TIME;
                    while !stop.load(Relaxed) {
                        let i = next.fetch_add(1, Relaxed);
                        let Some(path) = files.get(i) else { break };
                        let started = Stopwatch::start();
                        let parsed = read_file_guarded(path);
                        busy += started.spent();
                        if tx.send((i, parsed)).is_err() {
                            break;
                        }
                    }
                    busy
                })
            })
            .collect();
        drop(tx);
        let mut in_order = InOrder {
            rx,
            waiting: BTreeMap::new(),
            expected: 0,
        };
        let out = consume(&mut in_order);
        // Workers blocked on a full channel see it closed and stop.
        stop.store(true, Relaxed);
        drop(in_order);
        // A worker that panicked ended the results early: say so, never pass over it.
        let busy = handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .sum();
        (out, busy, workers)
    })
}

/// Worker results put back in file order.
struct InOrder<T> {
    rx: std::sync::mpsc::Receiver<(usize, T)>,
    waiting: BTreeMap<usize, T>,
    expected: usize,
}

impl<T> InOrder<T> {
    /// Whether `next` would return at once (the next result is in, or there is none).
    fn ready(&mut self) -> bool {
        loop {
            if self.waiting.contains_key(&self.expected) {
                return true;
            }
            match self.rx.try_recv() {
                Ok((i, item)) => {
                    self.waiting.insert(i, item);
                }
                Err(std::sync::mpsc::TryRecvError::Empty) => return false,
                Err(std::sync::mpsc::TryRecvError::Disconnected) => return true,
            }
        }
    }
}

impl<T> Iterator for InOrder<T> {
    type Item = (usize, T);

    fn next(&mut self) -> Option<(usize, T)> {
        loop {
            if let Some(item) = self.waiting.remove(&self.expected) {
                self.expected += 1;
                return Some((self.expected - 1, item));
            }
            let (i, item) = self.rx.recv().ok()?;
            self.waiting.insert(i, item);
        }
    }
}

/// The instructions sheet of the template, which every filled-in template carries.
pub const TEMPLATE_HELP_SHEET: &str = "填报说明";

/// Checks one parsed file's references and loads it under its own savepoint.
/// `Err` only when the database itself fails (the run stops).
fn load_file(batch: &mut ImportBatch<'_>, path: &Path, mut file: ParsedFile) -> Result<FileOutcome, StoreError> {
    let shown = path.display().to_string();
    let errors = resolve::resolve(&shown, &mut file.parsed, batch)?;
    if !errors.is_empty() {
        return Ok(FileOutcome::Refused(errors));
    }
    Ok(match batch.load_from(&file.parsed.dataset, Some(&shown))? {
        Ok(summary) => FileOutcome::Imported {
            rows: file
                .parsed
                .rows
                .iter()
                .map(|(id, n)| (sheets::sheet(*id).name, *n))
                .collect(),
            summary: Box::new(summary),
        },
        Err(e) => FileOutcome::Refused(vec![ImportError::file(&shown, e.to_string())]),
    })
}
