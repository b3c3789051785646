//! `jixiao audit verify|log`.

use crate::store::{AuditFilter, Store};
use clap::Subcommand;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// 逐条校验审计日志的哈希链，指出第一条被改动或删除的记录
    Verify,
    /// 查看审计记录
    Log {
        /// 只看某个对象，如 review:123
        #[arg(long)]
        item: Option<String>,
        /// 只看某个用户
        #[arg(long)]
        user: Option<String>,
    },
}

pub fn run(cmd: AuditCommand, store: &Store) -> anyhow::Result<ExitCode> {
    match cmd {
        AuditCommand::Verify => {
            let report = store.verify_audit()?;
            match &report.first_break {
                None => {
                    println!("审计日志完整：共 {} 条记录，哈希链校验通过。", report.entries);
                    Ok(ExitCode::SUCCESS)
                }
                Some(b) => {
                    println!("审计日志被篡改：{b}");
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        AuditCommand::Log { item, user } => {
            let filter = AuditFilter {
                target: item,
                actor: user,
                event: None,
            };
            for e in store.audit_entries(&filter)? {
                let clean = |s: &str| crate::domain::text::sanitize(s);
                println!(
                    "{:>6}  {}  {}  {}  {}  {}  {}",
                    e.seq,
                    e.at,
                    clean(&e.actor),
                    e.event,
                    clean(&e.target),
                    e.outcome,
                    clean(e.after.as_deref().unwrap_or(""))
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
