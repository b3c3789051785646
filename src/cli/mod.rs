//! Subcommands: what each does is in the README. This floor wires config,
//! store, io and tui together; it holds no rules and no SQL.

mod approve;
mod audit;
mod backup;
// The benchmark is built only with the `bench` cargo feature (docs/bench.md);
// without it `jixiao bench` is hidden and says how to build it.
#[cfg(feature = "bench")]
mod bench;
#[cfg(not(feature = "bench"))]
mod no_bench;
#[cfg(not(feature = "bench"))]
use no_bench as bench;
mod check;
mod config;
mod demo;
mod doctor;
mod export;
mod import;
mod template;
mod user;

use crate::config::{Config, LoadedConfig};
use crate::store::Store;
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "jixiao",
    version,
    about = "绩效审核工作台：预算绩效审核队列（目标审核、运行监控、自评审核、重点评价、整改跟踪）"
)]
pub struct Cli {
    /// 数据库文件（默认：平台数据目录下的 jixiao.db；也可用环境变量 JIXIAO_DB）
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// 配置文件，覆盖内置默认值和用户配置
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 生成演示数据库（默认 124 家单位）并打开审核界面
    Demo(demo::DemoArgs),
    /// 检查全部事项，列出发现的问题；有阻断问题时退出码为 1
    Check(check::CheckArgs),
    /// 性能测量：首屏、按键延迟、终端字节、内存、空闲、批量通过、检查（与参照对比）
    #[cfg(feature = "bench")]
    Bench(bench::BenchArgs),
    /// 此程序未包含性能测量（见 docs/bench.md）
    #[cfg(not(feature = "bench"))]
    #[command(hide = true)]
    Bench(bench::BenchArgs),
    /// 性能测量用的参照程序：最简 ratatui 表格（供 bench 在终端中启动）
    #[cfg(feature = "bench")]
    #[command(hide = true)]
    BenchReference,
    /// 审计日志：校验哈希链、查看记录
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// 导入单位报送的工作簿或 CSV（文件或文件夹）；有错的文件整份不导入并逐条列出错误
    Import(import::ImportArgs),
    /// 生成空白填报模板（.xlsx），含下拉列表和填报说明
    Template(template::TemplateArgs),
    /// 导出审核意见、整改清单、问题清单、结果应用表（.xlsx/.csv），或各单位填报数据（文件夹）
    Export(export::ExportArgs),
    /// 审核人员管理（仅管理员）：add、list、set-section、set-role
    #[command(subcommand)]
    User(user::UserCommand),
    /// 批量通过一个环节中没有阻断问题的待审事项（一个事务；意见未逐条回应问题的自评事项不通过并列出）
    Approve(approve::ApproveArgs),
    /// 在线备份数据库到新文件（他人可同时继续审核）
    Backup(backup::BackupArgs),
    /// 服务器自检：文件完整性、权限、审计日志（含系统日志锚点）与各事项是否一致
    Doctor,
    /// 全局规则集（判定问题、评分、等级、监控、审核意见、结果应用、整改期限、会话锁定上限）：
    /// show 查看；set、import 修改（仅管理员，记入审计日志）
    #[command(subcommand)]
    Config(config::ConfigCommand),
}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let loaded = Config::load(cli.config.as_deref())?;
    // A personal file may not change the bureau's rule set: say which keys were ignored.
    for ignored in &loaded.ignored {
        eprintln!("{ignored}");
    }
    // An old flat `[keys] approve` is read into its screens' tables: say where it belongs now.
    for moved in &loaded.moved_keys {
        eprintln!("{moved}");
    }
    let config = &loaded.config;
    match cli.command {
        None => {
            let path = real_db_path(cli.db.as_deref());
            let store = open_or_create(&path, config)?;
            open_tui(store, &loaded, None)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Demo(args)) => demo::run(args, cli.db.as_deref(), &loaded),
        Some(Command::Check(args)) => {
            let mut store = open_existing(&real_db_path(cli.db.as_deref()), config)?;
            let config = under_bureau(&loaded, &store)?;
            check::run(args, &mut store, &config)
        }
        Some(Command::Bench(args)) => bench::run(args, config),
        #[cfg(feature = "bench")]
        Some(Command::BenchReference) => {
            bench::run_reference(&real_db_path(cli.db.as_deref()))?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Audit(cmd)) => {
            let store = open_existing(&real_db_path(cli.db.as_deref()), config)?;
            audit::run(cmd, &store)
        }
        Some(Command::Import(args)) => {
            let mut store = open_or_create(&real_db_path(cli.db.as_deref()), config)?;
            let config = under_bureau(&loaded, &store)?;
            import::run(args, &mut store, &config)
        }
        Some(Command::Template(args)) => template::run(args),
        Some(Command::Export(args)) => {
            let mut store = open_existing(&real_db_path(cli.db.as_deref()), config)?;
            let config = under_bureau(&loaded, &store)?;
            export::run(args, &mut store, &config)
        }
        Some(Command::User(cmd)) => {
            let path = real_db_path(cli.db.as_deref());
            let mut store = if cmd.may_create_db() {
                open_or_create(&path, config)?
            } else {
                open_existing(&path, config)?
            };
            user::run(cmd, &mut store, &crate::identity::os_user())
        }
        Some(Command::Approve(args)) => {
            let mut store = open_existing(&real_db_path(cli.db.as_deref()), config)?;
            let config = under_bureau(&loaded, &store)?;
            approve::run(args, &mut store, &config, &crate::identity::os_user())
        }
        Some(Command::Doctor) => {
            let path = real_db_path(cli.db.as_deref());
            let store = open_existing(&path, config)?;
            doctor::run(&store, &path)
        }
        Some(Command::Backup(args)) => {
            let mut store = open_existing(&real_db_path(cli.db.as_deref()), config)?;
            backup::run(args, &mut store, &crate::identity::os_user())
        }
        Some(Command::Config(cmd)) => {
            let mut store = open_existing(&real_db_path(cli.db.as_deref()), config)?;
            config::run(cmd, &mut store, &loaded, &crate::identity::os_user())
        }
    }
}

/// The configuration under the bureau's rule set held by `store`: its
/// thresholds, and the user's idle lock no longer than the bureau's.
fn under_bureau(loaded: &LoadedConfig, store: &Store) -> anyhow::Result<Config> {
    Ok(loaded.under(&store.bureau()?).0)
}

/// `--db`, else `JIXIAO_DB`, else the platform data directory.
fn real_db_path(flag: Option<&Path>) -> PathBuf {
    flag.map(Path::to_path_buf)
        .or_else(|| {
            std::env::var_os("JIXIAO_DB")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        })
        .unwrap_or_else(crate::paths::default_db)
}

/// Opens the store with the configured wait for other writers.
fn open_store(path: &Path, config: &Config) -> anyhow::Result<Store> {
    let store = Store::open(path)?;
    store.set_busy_timeout(std::time::Duration::from_millis(u64::from(
        config.store.busy_timeout_ms,
    )))?;
    Ok(store)
}

/// Opens a database that must already exist (reporting commands never create one).
fn open_existing(path: &Path, config: &Config) -> anyhow::Result<Store> {
    if !path.exists() {
        anyhow::bail!(
            "数据库文件不存在：{}。\n\
             可用 --db PATH 或环境变量 JIXIAO_DB 指定已有的数据库；\
             新建数据库请先导入单位报送的文件（jixiao import 文件或文件夹）；\
             只想试用请运行 jixiao demo（生成演示数据库）。",
            path.display()
        );
    }
    open_store(path, config)
}

/// Opens the database for a command that may start a new one (the queue,
/// import, registering a user), saying so when it does: a new empty database
/// at an unexpected path must not pass unnoticed.
fn open_or_create(path: &Path, config: &Config) -> anyhow::Result<Store> {
    let new = !path.exists();
    let store = open_for_user(path, config)?;
    if new {
        eprintln!(
            "已新建数据库：{}（你 {} 已登记为管理员）。如本想打开已有的数据库，请用 --db 或 JIXIAO_DB 指定。",
            path.display(),
            crate::identity::os_user()
        );
    }
    Ok(store)
}

/// Opens the database; the first OS user to open an empty one becomes its admin.
fn open_for_user(path: &Path, config: &Config) -> anyhow::Result<Store> {
    let mut store = open_store(path, config)?;
    register_first_user(&mut store)?;
    // A file from before the lists' stored figures gets them once, here; a
    // file this user may not write keeps showing "-" until the next import.
    // Findings of an older rule set are redone here too (with the file's rule set).
    if let Err(e) = store.refresh_figures_if_stale(&config.rules, chrono::Local::now().date_naive()) {
        tracing::warn!("stored figures not refreshed: {e}");
    }
    Ok(store)
}

/// Registers the OS user as the admin of a database that has no user yet.
fn register_first_user(store: &mut Store) -> anyhow::Result<()> {
    let user = crate::identity::os_user();
    if store.reviewer_count()? == 0 {
        let reviewer = crate::domain::Reviewer {
            name: crate::identity::os_user_full_name().unwrap_or_else(|| user.clone()),
            os_user: user.clone(),
            sections: Vec::new(),
            role: crate::domain::Role::Admin,
        };
        store.add_reviewer(&reviewer, &user)?;
    }
    Ok(())
}

/// For an administrator's start: one line when the audit trail does not verify.
fn admin_audit_notice(store: &Store) -> Option<String> {
    let (anchors, _sources) = match audit::gather_anchors(store, &[], false) {
        Ok(found) => found,
        Err(e) => return Some(format!("审计日志锚点无法读取：{e}")),
    };
    match store.verify_audit_against(&anchors) {
        Ok(report) if report.is_intact() => None,
        Ok(report) => {
            let mut parts: Vec<String> = Vec::new();
            if let Some(b) = &report.first_break {
                parts.push(format!("审计日志被篡改：{b}"));
            }
            if let Some(b) = &report.anchor_break {
                parts.push(format!("审计日志被篡改：{b}"));
            }
            if let Some(first) = report.item_breaks.first() {
                parts.push(format!(
                    "{} 处事项与审计记录不符（数据库被直接改动），如：{first}",
                    report.item_breaks.len()
                ));
            }
            Some(format!(
                "警告：{}（运行 jixiao audit verify 查看全部）",
                parts.join("；")
            ))
        }
        Err(e) => Some(format!("审计日志无法校验：{e}")),
    }
}

/// Runs the queue UI with file logging; the log path is printed on failure.
/// The session is the OS user's, or — on a demo database only, checked by
/// `demo` — the demo reviewer given to `jixiao demo --as`.
fn open_tui(store: Store, loaded: &LoadedConfig, as_user: Option<String>) -> anyhow::Result<()> {
    // The bureau's thresholds, and an idle lock no longer than the bureau allows.
    let (config, note) = loaded.under(&store.bureau()?);
    if let Some(note) = note {
        eprintln!("{note}");
    }
    let config = &config;
    let log_path = crate::logging::init();
    crate::tui::terminal::install_panic_hook(log_path.clone());
    let user = as_user.unwrap_or_else(crate::identity::os_user);
    let me = store.reviewer(&user)?;
    let name = me.as_ref().map(|r| r.name.clone()).unwrap_or_else(|| user.clone());
    // An administrator is told at once when the audit trail was tampered
    // with: checked after the first frame, which it must not hold up.
    let check: Option<crate::tui::StartupCheck> = match me {
        Some(r) if r.role == crate::domain::Role::Admin => Some(Box::new(admin_audit_notice)),
        _ => None,
    };
    let result = crate::tui::run(store, config, user, name, check);
    if let (Err(e), Some(path)) = (&result, &log_path) {
        tracing::error!("{e:#}");
        eprintln!("{}{}", crate::tui::strings::PANIC_LOG_AT, path.display());
    }
    result
}
