//! `jixiao config show|set|import`: the bureau's rule set in the database.
//! Anyone may look; only an admin may change it (the store refuses others and
//! audits the refusal). A change is checked as the TOML file is, audited key
//! by key, numbered, and the stored findings are recomputed with it at once
//! (should that be interrupted, the next open, check, import or approve does
//! it: findings carry the rule-set version they were computed with).

use crate::config::{LoadedConfig, RuleChange, bureau_default_value, bureau_keys};
use crate::domain::text::sanitize;
use crate::store::{RuleSet, Store};
use clap::Subcommand;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// 显示现行全局规则集（版本、设置人和时间；输出可另存为文件，修改后用 import 写回）
    Show,
    /// 修改一个键（仅管理员）：jixiao config set monitoring.execution_threshold '"0.8"'
    /// （金额和比率写成带引号的小数，与配置文件相同）
    Set {
        /// 键，如 monitoring.key_project_amount
        key: String,
        /// 值，按 TOML 写法：'"0.8"'、30、'["进一步", "有效"]'
        value: String,
    },
    /// 从 TOML 文件一次修改多个键（仅管理员；文件有任何错误则整份不生效）
    Import {
        /// 规则集文件（与 config/default.toml 同样的节和键，只含全局规则）
        file: PathBuf,
    },
}

pub fn run(cmd: ConfigCommand, store: &mut Store, loaded: &LoadedConfig, actor: &str) -> anyhow::Result<ExitCode> {
    match cmd {
        ConfigCommand::Show => {
            show(&store.rule_set()?, loaded, actor);
            Ok(ExitCode::SUCCESS)
        }
        ConfigCommand::Set { key, value } => apply(store, &RuleChange::one(&key, &value)?, actor),
        ConfigCommand::Import { file } => apply(store, &RuleChange::read_file(&file)?, actor),
    }
}

/// Prints the rule set as a TOML file (every key, set or default), so that
/// `jixiao config show > rules.toml`, edited, is what `import` takes.
fn show(rule_set: &RuleSet, loaded: &LoadedConfig, actor: &str) {
    match (&rule_set.set_by, &rule_set.set_at) {
        (Some(by), Some(at)) => println!(
            "# 全局规则集 第 {} 版：{} 于 {} 设置；未注明的键为内置默认值",
            rule_set.version,
            sanitize(by),
            at
        ),
        _ => println!("# 全局规则集 第 0 版：内置默认值，管理员尚未修改"),
    }
    println!("# 适用于本数据库的全部审核人员；个人配置文件中的这些键不起作用。");
    println!("# 修改（仅管理员）：jixiao config set 键 值，或 jixiao config import 文件.toml");
    let mut section = String::new();
    for key in bureau_keys() {
        let (parent, name) = key.rsplit_once('.').unwrap_or(("", key.as_str()));
        if parent != section {
            println!("\n[{parent}]");
            section = parent.to_string();
        }
        match rule_set.values.iter().find(|v| v.key == key) {
            Some(v) => println!(
                "{name} = {}  # 第 {} 版，{}，{}",
                v.value,
                v.version,
                sanitize(&v.set_by),
                v.set_at
            ),
            None => println!("{name} = {}", bureau_default_value(&key).unwrap_or_default()),
        }
    }
    let (config, note) = loaded.under(&rule_set.bureau);
    println!(
        "\n# 本人（{}）：会话空闲 {} 分钟后锁定（全局上限 {} 分钟；个人配置只能设得更短）",
        sanitize(actor),
        config.session.idle_lock_minutes,
        rule_set.bureau.idle_lock_minutes
    );
    if let Some(note) = note {
        eprintln!("{note}");
    }
}

/// Writes a change, then recomputes the stored findings with it.
fn apply(store: &mut Store, change: &RuleChange, actor: &str) -> anyhow::Result<ExitCode> {
    let before = store.finding_counts()?;
    let outcome = store.change_rule_set(change, actor)?;
    if outcome.changed.is_empty() {
        println!(
            "全局规则集未改变（仍为第 {} 版）：所给的值与现行值相同。",
            outcome.version
        );
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "全局规则集已更新为第 {} 版（{} 个键，已记入审计日志）：",
        outcome.version,
        outcome.changed.len()
    );
    for (key, old, new) in &outcome.changed {
        println!("  {key}：{} → {}", sanitize(old), sanitize(new));
    }
    let today = chrono::Local::now().date_naive();
    if let Err(e) = store.refresh_findings(&outcome.bureau.rules, today) {
        anyhow::bail!(
            "规则集已保存，但问题清单未能按新规则集重新计算（{e}）；下次打开、检查（jixiao check）或导入时会自动重新计算"
        );
    }
    let after = store.finding_counts()?;
    println!(
        "已按第 {} 版重新检查全部事项：阻断问题 {} → {}，警告 {} → {}，提示 {} → {}。",
        outcome.version, before.0, after.0, before.1, after.1, before.2, after.2
    );
    Ok(ExitCode::SUCCESS)
}
