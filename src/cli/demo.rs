//! `jixiao demo`: builds a deterministic demo year for a district in its own
//! database file (beside, never over, the reviewer's real one), prints what it
//! holds, and opens the queue on it.

use crate::config::Config;
use crate::domain::ReviewState;
use crate::domain::money::format_wan;
use crate::domain::text::{pad_left_to_width, pad_to_width};
use crate::io::demo::{DemoOptions, HistorySummary, build_demo};
use crate::store::{RectCounts, Store, Totals};
use anyhow::{Context, bail};
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// The setting that marks a file as a demo database, with the options that made it.
const DEMO_MARK: &str = "demo.options";

#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// 单位数（124 为本区规模，1240 为 10 倍规模）
    #[arg(long, default_value_t = 124)]
    pub units: usize,
    /// 随机种子：同一种子生成完全相同的数据库
    #[arg(long, default_value_t = 2023)]
    pub seed: u64,
    /// 只生成数据库，不打开界面
    #[arg(long)]
    pub no_tui: bool,
    /// 重新生成，即使已有相同参数的演示数据库（会丢弃在演示库中的审核记录）
    #[arg(long)]
    pub fresh: bool,
}

pub fn run(args: DemoArgs, db_flag: Option<&Path>, config: &Config) -> anyhow::Result<ExitCode> {
    if args.units == 0 {
        bail!("--units 须至少为 1");
    }
    let path = db_flag
        .map(Path::to_path_buf)
        .unwrap_or_else(crate::paths::default_demo_db);
    guard_real_db(&path)?;
    let mark = format!("units={};seed={}", args.units, args.seed);
    let started = Instant::now();
    let reused = prepare_file(&path, &mark, args.fresh)?;
    let mut store = super::open_for_user(&path, config)?;
    let history = if reused {
        None
    } else {
        let history = build(&mut store, &args, config)?;
        store.set_setting(DEMO_MARK, &mark, &crate::identity::os_user())?;
        Some(history)
    };
    let totals = store.totals()?;
    let mut waiting = Vec::with_capacity(totals.reviews_by_stage.len());
    for (stage, _) in &totals.reviews_by_stage {
        let counts = store.state_counts(*stage, None)?;
        let n: i64 = counts
            .iter()
            .filter(|(st, _)| matches!(st, ReviewState::Pending | ReviewState::Resubmitted))
            .map(|(_, n)| n)
            .sum();
        waiting.push(n);
    }
    print_summary(&path, &totals, &waiting, reused, started.elapsed().as_secs_f64());
    if let Some(history) = history {
        println!("{}", history.line());
    }
    println!(
        "{}",
        rect_ledger_line(&store.rect_counts(chrono::Local::now().date_naive())?)
    );
    if !args.no_tui {
        super::open_tui(store, config)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Refuses to write the demo where the reviewer's real database is.
fn guard_real_db(path: &Path) -> anyhow::Result<()> {
    let real = super::real_db_path(None);
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    };
    if same(path, &real) {
        bail!(
            "演示数据库不能与正式数据库同名：{}。请用 --db 指定另一个文件。",
            path.display()
        );
    }
    Ok(())
}

/// Decides whether an existing file is reused (same options), rebuilt (a demo
/// made with other options, or `--fresh`), or refused (not a demo database).
fn prepare_file(path: &Path, mark: &str, fresh: bool) -> anyhow::Result<bool> {
    if !path.exists() {
        return Ok(false);
    }
    let existing = Store::open(path)
        .and_then(|s| s.setting(DEMO_MARK))
        .with_context(|| format!("无法读取已有文件 {}", path.display()))?;
    match existing {
        None => bail!(
            "{} 已存在且不是演示数据库，不会覆盖它。请用 --db 指定另一个文件。",
            path.display()
        ),
        Some(m) if m == mark && !fresh => Ok(true),
        Some(_) => {
            for suffix in ["", "-wal", "-shm"] {
                let file = PathBuf::from(format!("{}{suffix}", path.display()));
                if file.exists() {
                    std::fs::remove_file(&file).with_context(|| format!("无法删除旧的演示文件 {}", file.display()))?;
                }
            }
            Ok(false)
        }
    }
}

fn build(store: &mut Store, args: &DemoArgs, config: &Config) -> anyhow::Result<HistorySummary> {
    let options = DemoOptions {
        units: args.units,
        seed: args.seed,
        year: 2023,
    };
    let built = build_demo(store, &options, config, chrono::Local::now().date_naive())?;
    Ok(built.history)
}

fn yi(yuan: Decimal) -> String {
    format!("{}亿元", (yuan / Decimal::from(100_000_000)).round_dp(2))
}

/// The rectification ledger as the board (tab 5) and the overview (tab 6)
/// count it: every item by its state now, overdue against today.
fn rect_ledger_line(r: &RectCounts) -> String {
    let states: Vec<String> = r.by_state.iter().map(|(s, n)| format!("{} {n}", s.label())).collect();
    format!(
        "整改台账（同整改跟踪页、总览）：共 {} 项，{}；逾期未销号 {}",
        r.total(),
        states.join("，"),
        r.overdue
    )
}

/// `waiting`: per stage of `t.reviews_by_stage`, the items awaiting a
/// decision (pending or resubmitted), as the queue's status bar counts them.
fn print_summary(path: &Path, t: &Totals, waiting: &[i64], reused: bool, seconds: f64) {
    let verb = if reused {
        "沿用已有演示数据库"
    } else {
        "已生成演示数据库"
    };
    println!("{verb}（{seconds:.2} 秒）：{}", path.display());
    println!(
        "单位 {} 家，项目 {} 个（含部门整体），绩效指标 {} 条，监控 {} 个，自评 {} 份，重点评价 {} 个",
        t.units, t.projects, t.indicators, t.monitoring, t.self_evals, t.key_evals
    );
    let line = |a: &str, b: &str, c: &str, d: &str| {
        println!(
            "{}{}{}{}",
            pad_to_width(a, 18),
            pad_to_width(b, 12),
            pad_left_to_width(c, 8),
            pad_left_to_width(d, 18)
        );
    };
    line("预算类型", "资金性质", "项目数", "金额（万元）");
    for (budget, fund, count, amount) in &t.amounts {
        line(
            budget.label(),
            fund.label(),
            &count.to_string(),
            &format_wan(*amount, 2),
        );
    }
    let total: Decimal = t.amounts.iter().map(|r| r.3).sum();
    println!("合计 {}（{} 万元）", yi(total), format_wan(total, 2));
    let stages: Vec<String> = t
        .reviews_by_stage
        .iter()
        .zip(waiting)
        .map(|((s, n), w)| format!("{} {w}/{n}", s.label()))
        .collect();
    println!("审核事项（待审/共）：{}", stages.join("，"));
}
