//! `jixiao demo`: builds a deterministic demo year for a district in its own
//! database file (beside, never over, the reviewer's real one), prints what it
//! holds, and opens the queue on it — as the OS user, or with `--as` as one of
//! the demo's own reviewers (on a demo database only).

use crate::config::{Config, LoadedConfig};
use crate::demo::{Calendar, DemoOptions, HistorySummary, demo_staff};
use crate::domain::ReviewState;
use crate::domain::Role;
use crate::domain::model::Reviewer;
use crate::domain::money::format_wan;
use crate::domain::text::{pad_left_to_width, pad_to_width};
use crate::store::demo::build_demo;
use crate::store::{RectCounts, Store, Totals};
use anyhow::{Context, bail};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// The setting that marks a file as a demo database, with the options that made it.
use crate::store::DEMO_MARK;
/// Who built the demo database: only they may rebuild it.
const DEMO_CREATOR: &str = "demo.creator";

const DEFAULT_UNITS: usize = 124;
const DEFAULT_SEED: u64 = 2023;

/// The section reviewer the summary suggests trying the demo as.
const SUGGESTED_REVIEWER: &str = "wangjianguo";

#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// 单位数（124 为本区规模，1240 为 10 倍规模）
    #[arg(long, default_value_t = DEFAULT_UNITS)]
    pub units: usize,
    /// 随机种子：同一种子生成完全相同的数据库
    #[arg(long, default_value_t = DEFAULT_SEED)]
    pub seed: u64,
    /// 只生成数据库，不打开界面
    #[arg(long)]
    pub no_tui: bool,
    /// 重新生成，即使已有相同参数的演示数据库（会丢弃在演示库中的审核记录）
    #[arg(long)]
    pub fresh: bool,
    /// 以演示数据中的某位审核人员（登录名或姓名）身份打开界面，如 --as wangjianguo；
    /// 仅限演示数据库。只写 --as（或 --as ?）列出演示人员
    #[arg(long = "as", value_name = "USER", num_args = 0..=1, default_missing_value = "?")]
    pub as_user: Option<String>,
}

pub fn run(args: DemoArgs, db_flag: Option<&Path>, loaded: &LoadedConfig) -> anyhow::Result<ExitCode> {
    let config = &loaded.config;
    if args.units == 0 {
        bail!("--units 须至少为 1");
    }
    let path = db_flag
        .map(Path::to_path_buf)
        .unwrap_or_else(crate::paths::default_demo_db);
    guard_real_db(&path)?;
    let as_user = match args.as_user.as_deref() {
        None => None,
        Some(who) => {
            refuse_as_on_real_db(&path)?;
            match find_staff(who) {
                Some(r) => Some(r),
                None if who.trim() == "?" => {
                    print!("{}", staff_list());
                    return Ok(ExitCode::SUCCESS);
                }
                None => {
                    eprint!("演示数据中没有审核人员「{who}」。可选：\n{}", staff_list());
                    return Ok(ExitCode::from(2));
                }
            }
        }
    };
    let mark = format!("units={};seed={}", args.units, args.seed);
    let started = Instant::now();
    let reused = prepare_file(&path, &mark, args.fresh)?;
    let today = chrono::Local::now().date_naive();
    let mut store = super::open_store(&path, config)?;
    store.set_anchoring(false);
    // Whoever generates a new demo joins its staff when the others did.
    if !reused {
        store.set_clock(Some(Calendar::before(today).arrival()));
    }
    let registered = super::register_first_user(&mut store);
    store.set_clock(None);
    registered?;
    let history = if reused {
        None
    } else {
        let history = build(&mut store, &args, config, today)?;
        store.set_setting(DEMO_MARK, &mark, &crate::identity::os_user())?;
        store.set_setting(DEMO_CREATOR, &crate::identity::os_user(), &crate::identity::os_user())?;
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
    let session = match &as_user {
        Some(r) => {
            if store.reviewer(&r.os_user)?.is_none() {
                bail!(
                    "演示数据库 {} 中没有 {}：它由旧版本生成，请加 --fresh 重新生成",
                    path.display(),
                    r.os_user
                );
            }
            println!("将以演示人员{}的身份打开审核界面（仅限演示数据库）", describe(r));
            r.os_user.clone()
        }
        None => {
            println!("{}", try_as_hint(&again(&args, db_flag)));
            crate::identity::os_user()
        }
    };
    if args.no_tui {
        return Ok(ExitCode::SUCCESS);
    }
    if !wait_for_enter()? {
        return Ok(ExitCode::SUCCESS);
    }
    super::open_tui(store, loaded, Some(session))?;
    println!(
        "演示数据库保存在 {}；再次打开：{}",
        path.display(),
        again(&args, db_flag)
    );
    Ok(ExitCode::SUCCESS)
}

/// A demo reviewer by login or name.
fn find_staff(who: &str) -> Option<Reviewer> {
    let who = who.trim();
    demo_staff().into_iter().find(|r| r.os_user == who || r.name == who)
}

/// `王建国（wangjianguo，审核员，教科文科）`.
fn describe(r: &Reviewer) -> String {
    let mut parts = vec![r.os_user.clone(), r.role.label().to_string()];
    if !r.sections.is_empty() {
        parts.push(r.sections.join("、"));
    }
    format!("{}（{}）", r.name, parts.join("，"))
}

/// The demo's staff, one per line: login, name, role, sections.
fn staff_list() -> String {
    let mut out = format!(
        "{}{}{}{}\n",
        pad_to_width("登录名", 14),
        pad_to_width("姓名", 8),
        pad_to_width("角色", 8),
        "业务科室"
    );
    for r in demo_staff() {
        let sections = if r.role == Role::Auditor {
            "全部（只读）".to_string()
        } else {
            r.sections.join("、")
        };
        out.push_str(&format!(
            "{}{}{}{}\n",
            pad_to_width(&r.os_user, 14),
            pad_to_width(&r.name, 8),
            pad_to_width(r.role.label(), 8),
            sections
        ));
    }
    out.push_str("用法：jixiao demo --as 登录名（或姓名），如 jixiao demo --as wangjianguo\n");
    out
}

/// What a newcomer reads under the summary: how to see a section reviewer's day.
fn try_as_hint(demo: &str) -> String {
    let who = find_staff(SUGGESTED_REVIEWER)
        .map_or_else(String::new, |r| format!("（{}的{}）", r.sections.join("、"), r.name));
    format!(
        "以科室审核员身份试用：{demo} --as {SUGGESTED_REVIEWER}{who}\n\
         列出全部演示人员：{demo} --as"
    )
}

/// The command that opens this same demo again (other options would rebuild it).
fn again(args: &DemoArgs, db_flag: Option<&Path>) -> String {
    let mut command = String::from("jixiao demo");
    if args.units != DEFAULT_UNITS {
        command.push_str(&format!(" --units {}", args.units));
    }
    if args.seed != DEFAULT_SEED {
        command.push_str(&format!(" --seed {}", args.seed));
    }
    if let Some(db) = db_flag {
        command.push_str(&format!(" --db {}", db.display()));
    }
    command
}

/// On a terminal, keeps the summary readable until the reviewer presses
/// Enter; false when they ended input instead (Ctrl-D). Never blocks a
/// script or a pipe.
fn wait_for_enter() -> anyhow::Result<bool> {
    if !(std::io::stdin().is_terminal() && std::io::stdout().is_terminal()) {
        return Ok(true);
    }
    print!("按 Enter 打开审核界面（Ctrl-C 退出）…");
    std::io::stdout().flush()?;
    let mut line = String::new();
    let read = std::io::stdin().lock().read_line(&mut line)?;
    Ok(read > 0)
}

/// `--as` is for trying the demo only: on any other database the session is
/// always the OS user SSH authenticated.
fn refuse_as_on_real_db(path: &Path) -> anyhow::Result<()> {
    if !path.exists() {
        return Ok(());
    }
    let mark = Store::open(path)
        .and_then(|s| s.setting(DEMO_MARK))
        .with_context(|| format!("无法读取已有文件 {}", path.display()))?;
    if mark.is_none() {
        bail!(
            "--as 只能用于演示数据库：{} 不是演示数据库。正式数据库中的身份始终是登录服务器的操作系统用户（当前为 {}）。",
            path.display(),
            crate::identity::os_user()
        );
    }
    Ok(())
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
    let (existing, creator) = Store::open(path)
        .and_then(|s| Ok((s.setting(DEMO_MARK)?, s.setting(DEMO_CREATOR)?)))
        .with_context(|| format!("无法读取已有文件 {}", path.display()))?;
    match existing {
        None => bail!(
            "{} 已存在且不是演示数据库，不会覆盖它。请用 --db 指定另一个文件。",
            path.display()
        ),
        Some(m) if m == mark && !fresh => Ok(true),
        // On a shared server another user's demo (and the work they tried in it) is theirs.
        Some(_) if creator.as_deref().is_some_and(|c| c != crate::identity::os_user()) => bail!(
            "演示数据库 {} 由用户 {} 生成，只有该用户可以重建（--fresh 或改变 --units/--seed）。\
             请用 --db 指定你自己的演示文件，如 --db ~/demo.db",
            path.display(),
            crate::domain::text::sanitize(creator.as_deref().unwrap_or_default())
        ),
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

fn build(store: &mut Store, args: &DemoArgs, config: &Config, today: NaiveDate) -> anyhow::Result<HistorySummary> {
    let options = DemoOptions {
        units: args.units,
        seed: args.seed,
        year: 2023,
    };
    let built = build_demo(store, &options, &config.rules, today, &crate::identity::os_user())?;
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
