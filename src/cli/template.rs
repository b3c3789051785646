//! `jixiao template PATH.xlsx`: the blank import workbook for units to fill in.

use anyhow::{Context, bail};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct TemplateArgs {
    /// 输出文件（.xlsx）
    #[arg(value_name = "PATH.xlsx")]
    pub path: PathBuf,
    /// 覆盖已有文件
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: TemplateArgs) -> anyhow::Result<ExitCode> {
    let ext = args
        .path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if ext.as_deref() != Some("xlsx") {
        bail!("模板文件名须以 .xlsx 结尾：{}", args.path.display());
    }
    if args.path.exists() && !args.force {
        bail!("{} 已存在；如需覆盖请加 --force", args.path.display());
    }
    crate::io::template::write_template(&args.path).with_context(|| format!("无法写入模板 {}", args.path.display()))?;
    println!("已生成填报模板：{}", args.path.display());
    Ok(ExitCode::SUCCESS)
}
