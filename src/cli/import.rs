//! `jixiao import PATH...`: workbooks and CSV files (and folders of them) into
//! the database; every error listed as `file:sheet:row:column: reason`, then a
//! summary. Exit 1 when any file was refused.

use crate::config::Config;
use crate::io::import::{FileOutcome, ImportOptions, ImportReport, import_paths};
use crate::store::{LoadSummary, Store, TableCounts};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// 要导入的文件（.xlsx、.xls、.csv）或文件夹（递归查找）
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// 不显示进度
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(args: ImportArgs, store: &mut Store, config: &Config) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let options = ImportOptions {
        actor: crate::identity::os_user(),
        today: chrono::Local::now().date_naive(),
    };
    let show_progress = !args.quiet && std::io::stderr().is_terminal();
    let mut progress = |done: usize, total: usize| {
        if show_progress {
            eprint!("\r导入 {done}/{total} …");
            if done == total {
                eprint!("\r\x1b[K");
            }
        }
    };
    let report = import_paths(store, &args.paths, &options, &config.rules, &mut progress)?;
    // An import commits through its own batch: its chain head is anchored here.
    store.anchor_head();
    let mut out = std::io::stdout().lock();
    for error in report.errors() {
        writeln!(out, "{error}")?;
    }
    for notice in &report.notices {
        writeln!(out, "提示：{notice}")?;
    }
    print_summary(&mut out, &report, started.elapsed().as_secs_f64())?;
    print_stopped(&mut out, &report)?;
    let refused = report.refused().count() + report.path_errors.len();
    Ok(
        if refused > 0 || report.stopped.is_some() || report.findings_not_refreshed.is_some() {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        },
    )
}

/// A run the database stopped: which files are saved and which are not,
/// each named; and findings that could not be recomputed.
fn print_stopped(out: &mut impl Write, report: &ImportReport) -> std::io::Result<()> {
    if let Some(message) = report.stop_message() {
        write!(out, "{message}")?;
    }
    Ok(())
}

fn add(total: &mut TableCounts, c: &TableCounts) {
    total.inserted += c.inserted;
    total.updated += c.updated;
    total.unchanged += c.unchanged;
}

fn print_summary(out: &mut impl Write, report: &ImportReport, seconds: f64) -> std::io::Result<()> {
    let imported = report.imported().count();
    let refused = report.refused().count();
    let errors = report.errors().count();
    writeln!(
        out,
        "导入完成（{seconds:.2} 秒）：共 {} 个文件，导入 {imported} 个，拒绝 {refused} 个，错误 {errors} 条",
        report.files.len()
    )?;
    let rows: Vec<String> = report
        .rows_per_sheet()
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(s, n)| format!("{s} {n}"))
        .collect();
    if !rows.is_empty() {
        writeln!(out, "各表行数：{}", rows.join("，"))?;
    }
    let mut rows_total = TableCounts::default();
    let mut summary_total = LoadSummary::default();
    for f in report.imported() {
        if let FileOutcome::Imported { summary, .. } = &f.outcome {
            for c in [
                &summary.units,
                &summary.projects,
                &summary.indicators,
                &summary.monitoring,
                &summary.progress,
                &summary.self_evals,
                &summary.actuals,
                &summary.key_evals,
            ] {
                add(&mut rows_total, c);
            }
            summary_total.reviews_created += summary.reviews_created;
            summary_total.reviews_resubmitted += summary.reviews_resubmitted;
        }
    }
    if imported > 0 {
        writeln!(
            out,
            "数据变化：新增 {} 行，更新 {} 行，未变 {} 行；新建审核事项 {} 个，已退回事项转为已重报 {} 个",
            rows_total.inserted,
            rows_total.updated,
            rows_total.unchanged,
            summary_total.reviews_created,
            summary_total.reviews_resubmitted
        )?;
    }
    if refused > 0 {
        writeln!(out, "被拒绝的文件未改动数据库；按上面列出的位置改正后重新导入即可。")?;
    }
    Ok(())
}
