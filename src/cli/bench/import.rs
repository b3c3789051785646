//! Import at demo scale: the demo year written as 124 unit workbooks (once,
//! kept beside the demo databases), imported into a fresh database exactly as
//! `jixiao import` does, beside the reference — a plain rusqlite insert of the
//! same rows into the same tables (`Store::insert_plain`: one transaction,
//! prepared statements, no reads). Medians of `--runs`, the runs interleaved
//! so that a busy machine slows both sides alike.

use crate::config::Config;
use crate::demo::{DemoOptions, generate};
use crate::domain::Dataset;
use crate::domain::scoring::{self, ScoreInput};
use crate::io::import::{ImportOptions, ImportReport, import_paths};
use crate::io::submissions::write_unit_workbooks;
use crate::store::Store;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Medians over the runs, in milliseconds.
#[derive(Debug, Clone, Serialize)]
pub struct ImportFigures {
    pub files: usize,
    pub rows: usize,
    pub bytes: u64,
    pub runs: usize,
    /// `jixiao import` of the folder into a fresh database, findings refresh included.
    pub total_ms: f64,
    /// Reading and parsing, summed over `read_threads` workers (overlaps `load_ms`).
    pub read_ms: f64,
    pub read_threads: usize,
    /// References checked and rows written, on the main thread.
    pub load_ms: f64,
    pub refresh_ms: f64,
    /// The same folder imported again: nothing changes.
    pub again_ms: f64,
    /// The reference: the same rows, plain prepared INSERTs in one transaction.
    pub plain_ms: f64,
}

impl ImportFigures {
    pub fn rows_per_s(&self, ms: f64) -> f64 {
        if ms > 0.0 { self.rows as f64 * 1000.0 / ms } else { 0.0 }
    }
}

pub fn measure(dir: &Path, runs: usize, config: &Config) -> anyhow::Result<ImportFigures> {
    let rules = &config.rules;
    let recompute = |input: &ScoreInput<'_>| scoring::score(input, &rules.scoring, &rules.grades).total;
    let (data, _) = generate(&DemoOptions::default(), &recompute);
    let folder = workbooks(dir, &data)?;
    let options = ImportOptions {
        actor: crate::identity::os_user(),
        today: chrono::Local::now().date_naive(),
    };
    let runs = runs.max(1);
    let mut samples: Vec<[f64; 6]> = Vec::with_capacity(runs);
    let mut read_threads = 0;
    for _ in 0..runs {
        let db = fresh(dir, "import-run.db")?;
        let mut store = super::super::open_for_user(&db, config)?;
        let mut import = || {
            import_paths(
                &mut store,
                std::slice::from_ref(&folder),
                &options,
                rules,
                &mut |_, _| {},
            )
        };
        let started = Instant::now();
        let report = import()?;
        let total = ms(started.elapsed());
        check_complete(&report, &data)?;
        read_threads = report.timings.read_threads;
        let started = Instant::now();
        let again = import()?;
        let again_ms = ms(started.elapsed());
        anyhow::ensure!(!again.changed_anything(), "再次导入同一文件夹改变了数据库");
        drop(store);
        let mut plain = Store::open(&fresh(dir, "import-plain.db")?)?;
        let started = Instant::now();
        plain.insert_plain(&data)?;
        let plain_ms = ms(started.elapsed());
        let t = &report.timings;
        samples.push([total, ms(t.read), ms(t.load), ms(t.refresh), again_ms, plain_ms]);
    }
    let median = |i: usize| {
        let mut v: Vec<f64> = samples.iter().map(|s| s[i]).collect();
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let bytes = std::fs::read_dir(&folder)?
        .filter_map(|e| e.ok()?.metadata().ok())
        .map(|m| m.len())
        .sum();
    Ok(ImportFigures {
        files: data.units.len(),
        rows: data.row_count(),
        bytes,
        runs,
        total_ms: median(0),
        read_ms: median(1),
        read_threads,
        load_ms: median(2),
        refresh_ms: median(3),
        again_ms: median(4),
        plain_ms: median(5),
    })
}

fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Every workbook imported and every row counted, or the figures mean nothing.
fn check_complete(report: &ImportReport, data: &Dataset) -> anyhow::Result<()> {
    if let Some(e) = report.errors().next() {
        anyhow::bail!("演示工作簿导入出错：{e}");
    }
    let rows: usize = report.rows_per_sheet().iter().map(|(_, n)| n).sum();
    anyhow::ensure!(
        report.imported().count() == data.units.len() && rows == data.row_count(),
        "演示工作簿只导入了 {} 个文件、{rows} 行（应为 {} 个、{} 行）",
        report.imported().count(),
        data.units.len(),
        data.row_count()
    );
    Ok(())
}

/// The demo year's unit workbooks, written once (the marker holds the row
/// count, so a changed generator rewrites them).
fn workbooks(dir: &Path, data: &Dataset) -> anyhow::Result<PathBuf> {
    let folder = dir.join("import-1x");
    let marker = dir.join("import-1x.ready");
    let want = data.row_count().to_string();
    if std::fs::read_to_string(&marker).ok().as_deref() != Some(want.as_str()) {
        eprintln!("生成 124 个单位工作簿……");
        let _ = std::fs::remove_dir_all(&folder);
        write_unit_workbooks(data, &folder)?;
        std::fs::write(&marker, &want)?;
    }
    Ok(folder)
}

/// A database path with no database (nor -wal/-shm) left from an earlier run.
fn fresh(dir: &Path, name: &str) -> anyhow::Result<PathBuf> {
    let path = dir.join(name);
    for suffix in ["", "-wal", "-shm"] {
        match std::fs::remove_file(format!("{}{suffix}", path.display())) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
            _ => {}
        }
    }
    Ok(path)
}
