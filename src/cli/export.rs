//! `jixiao export WHAT PATH`: review results (opinions, rectifications,
//! findings, result application) as .xlsx or .csv (UTF-8 with BOM),
//! or the year's submissions as one workbook per unit (`submissions DIR`).

use crate::config::Config;
use crate::io::export::{ResultTable, export_results};
use crate::io::submissions::write_unit_workbooks;
use crate::store::Store;
use anyhow::Context;
use clap::ValueEnum;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum What {
    /// 审核意见汇总表
    Opinions,
    /// 整改清单
    Rectifications,
    /// 问题清单（规则发现的问题）
    Findings,
    /// 结果应用表（评价等级、下年度预算建议及确认情况）
    Results,
    /// 最新年度的填报数据，每个单位一个工作簿（PATH 为文件夹），可原样再导入
    Submissions,
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    #[arg(value_enum)]
    pub what: What,
    /// 输出文件（.xlsx 或 .csv）；submissions 为输出文件夹
    #[arg(value_name = "PATH")]
    pub path: PathBuf,
}

pub fn run(args: ExportArgs, store: &mut Store, config: &Config) -> anyhow::Result<ExitCode> {
    let today = chrono::Local::now().date_naive();
    let (label, rows) = match args.what {
        What::Submissions => {
            let Some(year) = store.latest_year()? else {
                println!("数据库中没有项目数据。");
                return Ok(ExitCode::SUCCESS);
            };
            let data = store.snapshot(year)?.data;
            let files =
                write_unit_workbooks(&data, &args.path).with_context(|| format!("无法写入 {}", args.path.display()))?;
            println!(
                "已导出 {year} 年度填报数据：{} 个单位工作簿，{} 行，位于 {}",
                files.len(),
                data.row_count(),
                args.path.display()
            );
            ("submissions", data.row_count())
        }
        what => {
            let table = match what {
                What::Opinions => ResultTable::Opinions,
                What::Rectifications => ResultTable::Rectifications,
                What::Results => ResultTable::Results,
                _ => ResultTable::Findings,
            };
            let actor = crate::identity::os_user();
            let (name, rows) = export_results(store, table, &args.path, &actor, today, &config.rules)?;
            println!("已导出{name}：{rows} 行 → {}", args.path.display());
            return Ok(ExitCode::SUCCESS);
        }
    };
    store.record_export(
        &crate::identity::os_user(),
        label,
        &args.path.display().to_string(),
        rows,
    )?;
    Ok(ExitCode::SUCCESS)
}
