//! `jixiao backup PATH`: an online copy (SQLite backup API) that others may
//! keep working during; the copy's audit chain is verified before reporting.

use crate::store::Store;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct BackupArgs {
    /// 备份文件路径（须为新文件）
    pub path: PathBuf,
}

pub fn run(args: BackupArgs, store: &mut Store, actor: &str) -> anyhow::Result<ExitCode> {
    let report = store.backup_to(&args.path, actor)?;
    let copy = Store::open(&args.path)?;
    let audit = copy.verify_audit()?;
    println!(
        "已备份到 {}：{} 页，{:.1} MB，用时 {:.2} 秒。",
        args.path.display(),
        report.pages,
        report.bytes as f64 / 1_048_576.0,
        report.seconds
    );
    match audit.first_break {
        None => {
            println!("备份中的审计日志完整：共 {} 条记录。", audit.entries);
            Ok(ExitCode::SUCCESS)
        }
        Some(b) => {
            println!("警告：备份中的审计日志不完整：{b}");
            Ok(ExitCode::FAILURE)
        }
    }
}
