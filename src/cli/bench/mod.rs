//! `jixiao bench`: how fast the queue is on a thin terminal, measured the same
//! way every run, beside a bare ratatui table over the same rows and a plain
//! rusqlite insert; prints a table and writes JSON. Never a timed test.

mod import;
mod keys;
mod reference;
mod report;
mod terminal;

use crate::config::Config;
use crate::demo::DemoOptions;
use crate::store::Store;
use crate::store::demo::build_demo;
use report::{Figure, Report};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// 规模：1（124 家单位）、10（1240 家）或 both
    #[arg(long, default_value = "both")]
    pub scale: String,
    /// 终端级测量（启动、内存、空闲）的重复次数，取中位数
    #[arg(long, default_value_t = 5)]
    pub runs: usize,
    /// JSON 结果文件
    #[arg(long, default_value = "bench.json")]
    pub out: PathBuf,
    /// 演示数据库所在目录（已有则复用）；默认数据目录下的 bench/
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// 只测其中几部分，逗号分隔：import、keys、terminal、bulk、check；默认全部
    #[arg(long, value_delimiter = ',')]
    pub only: Vec<String>,
}

/// Which parts of the benchmark run.
struct Parts(Vec<String>);

impl Parts {
    fn wants(&self, part: &str) -> bool {
        self.0.is_empty() || self.0.iter().any(|p| p == part)
    }
}

pub fn run(args: BenchArgs, config: &Config) -> anyhow::Result<ExitCode> {
    let scales: Vec<usize> = match args.scale.as_str() {
        "1" => vec![1],
        "10" => vec![10],
        "both" => vec![1, 10],
        other => anyhow::bail!("--scale 可选 1、10、both，不认识：{other}"),
    };
    let dir = args
        .dir
        .clone()
        .unwrap_or_else(|| crate::paths::data_dir().join("bench"));
    std::fs::create_dir_all(&dir)?;
    let parts = Parts(args.only.clone());
    if let Some(bad) = parts
        .0
        .iter()
        .find(|p| !["import", "keys", "terminal", "bulk", "check"].contains(&p.as_str()))
    {
        anyhow::bail!("--only 可选 import、keys、terminal、bulk、check，不认识：{bad}");
    }
    let mut report = Report::new(config);
    // The import is budgeted at demo scale (124 workbooks) only.
    if parts.wants("import") && scales.contains(&1) {
        eprintln!("测量导入（124 个单位工作簿）……");
        report.push_import(&import::measure(&dir, args.runs, config)?);
    }
    let scale_parts = ["keys", "terminal", "bulk", "check"];
    for scale in scales
        .into_iter()
        .filter(|_| scale_parts.iter().any(|p| parts.wants(p)))
    {
        let db = demo_db(&dir, scale, config)?;
        eprintln!("测量 {scale}× 规模：{}", db.display());
        measure_scale(&mut report, scale, &db, &dir, args.runs, config, &parts)?;
    }
    report.print();
    report.write_json(&args.out)?;
    eprintln!("结果已写入 {}", args.out.display());
    Ok(ExitCode::SUCCESS)
}

/// The reference app in a real terminal (started by the terminal-level measurement).
pub fn run_reference(db: &Path) -> anyhow::Result<()> {
    reference::run_in_terminal(db)
}

/// The demo database of a scale, built once and reused by later runs.
fn demo_db(dir: &Path, scale: usize, config: &Config) -> anyhow::Result<PathBuf> {
    let path = dir.join(format!("demo-{scale}x.db"));
    let done = path.exists() && Store::open(&path)?.setting("bench.ready")?.is_some();
    if !done {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
        let started = Instant::now();
        eprintln!("生成 {scale}× 演示数据库……");
        let mut store = super::open_for_user(&path, config)?;
        let options = DemoOptions {
            units: 124 * scale,
            seed: 2023,
            year: 2023,
        };
        build_demo(
            &mut store,
            &options,
            &config.rules,
            chrono::Local::now().date_naive(),
            &crate::identity::os_user(),
        )?;
        store.set_setting("bench.ready", "1", &crate::identity::os_user())?;
        eprintln!("  用时 {:.1} 秒", started.elapsed().as_secs_f64());
    }
    Ok(path)
}

/// A private copy for benchmarks that write (approvals).
fn scratch_copy(db: &Path, dir: &Path, name: &str) -> anyhow::Result<PathBuf> {
    let copy = dir.join(name);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", copy.display()));
    }
    Store::open(db)?.copy_to(&copy)?;
    Ok(copy)
}

fn measure_scale(
    report: &mut Report,
    scale: usize,
    db: &Path,
    dir: &Path,
    runs: usize,
    config: &Config,
    parts: &Parts,
) -> anyhow::Result<()> {
    let tag = format!("{scale}x");
    // Keys in-process through the real dispatch and a real Terminal over a byte counter.
    if parts.wants("keys") {
        let copy = scratch_copy(db, dir, &format!("keys-{tag}.db"))?;
        let keys = keys::measure(&copy, config)?;
        let plain = keys::measure_plain(&copy, config)?;
        let bare = reference::measure_bytes(db)?;
        for k in &keys {
            let reference = bare.iter().find(|r| r.name == k.name);
            let before = plain.iter().find(|r| r.name == k.name);
            report.push(Figure::latency(&tag, k, reference, before));
        }
    }
    // The real terminal: start-up, memory, idle.
    if parts.wants("terminal") {
        match terminal::measure(db, dir, runs) {
            Ok(t) => report.push_terminal(&tag, &t),
            Err(e) => report.note(format!("{tag} 终端级测量未做：{e:#}")),
        }
    }
    if parts.wants("bulk") {
        bulk(report, &tag, db, dir)?;
    }
    if parts.wants("check") {
        check(report, &tag, db, config)?;
    }
    Ok(())
}

/// Bulk approve of 1,000 clean items with their audit entries.
/// Median of three, each on a fresh copy (a run approves what the next would).
fn bulk(report: &mut Report, tag: &str, db: &Path, dir: &Path) -> anyhow::Result<()> {
    let mut times = Vec::new();
    for _ in 0..3 {
        let copy = scratch_copy(db, dir, &format!("bulk-{tag}.db"))?;
        let mut store = Store::open(&copy)?;
        times.push(keys::bulk_approve(&mut store, 1000)?);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    report.push(Figure::plain(
        tag,
        "bulk_approve_1000",
        "批量通过 1000 项（含审计，3 次中位数）",
        times[1],
        "ms",
    ));
    Ok(())
}

/// `check` over every item.
fn check(report: &mut Report, tag: &str, db: &Path, config: &Config) -> anyhow::Result<()> {
    let store = Store::open(db)?;
    let started = Instant::now();
    let year = store.latest_year()?.unwrap_or(2023);
    let eval = crate::domain::rules::evaluate(&store.snapshot(year)?, &config.rules, chrono::Local::now().date_naive());
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    report.push(Figure::plain(
        tag,
        "check",
        &format!("check 全部事项（{} 条问题）", eval.all().count()),
        ms,
        "ms",
    ));
    Ok(())
}
