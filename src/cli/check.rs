//! `jixiao check`: every finding of the latest year, as a table, CSV or JSON;
//! exit 1 when any blocking finding is listed, so scripts can gate on it.

use crate::config::Config;
use crate::domain::rules::evaluate;
use crate::domain::text::{pad_to_width, sanitize};
use crate::domain::{Finding, Severity, Stage};
use crate::store::Store;
use clap::ValueEnum;
use std::io::Write;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// 只看一个环节：target、monitoring、self-eval、key-eval、rectification
    #[arg(long, value_parser = parse_stage)]
    pub stage: Option<Stage>,
    /// 只看一个单位（单位编码）
    #[arg(long, value_name = "CODE")]
    pub unit: Option<String>,
    /// 输出格式
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

fn parse_stage(s: &str) -> Result<Stage, String> {
    Stage::parse(s).ok_or_else(|| "可选：target、monitoring、self-eval、key-eval、rectification".to_string())
}

/// The stable JSON shape scripts rely on.
#[derive(serde::Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    severity: &'static str,
    stage: &'static str,
    unit: &'a str,
    project: Option<&'a str>,
    indicator: Option<&'a str>,
    message: &'a str,
}

pub fn run(args: CheckArgs, store: &mut Store, config: &Config) -> anyhow::Result<ExitCode> {
    let Some(year) = store.latest_year()? else {
        println!("数据库中没有项目数据。");
        return Ok(ExitCode::SUCCESS);
    };
    let today = chrono::Local::now().date_naive();
    // Stored findings of an older rule set are redone (with the bureau's
    // rule set in the file); what is listed below is computed afresh anyway.
    if let Err(e) = store.refresh_figures_if_stale(&config.rules, today) {
        tracing::warn!("stale findings not refreshed: {e}");
    }
    let eval = evaluate(&store.snapshot(year)?, &config.rules, today);
    let shown: Vec<&Finding> = eval
        .all()
        .filter(|f| args.stage.is_none_or(|s| f.stage == s))
        .filter(|f| args.unit.as_deref().is_none_or(|u| f.unit_code == u))
        .collect();
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => {
            let rows: Vec<JsonFinding> = shown
                .iter()
                .map(|f| JsonFinding {
                    rule: f.rule.as_str(),
                    severity: f.severity.code(),
                    stage: f.stage.code(),
                    unit: &f.unit_code,
                    project: f.project_code.as_deref(),
                    indicator: f.indicator.as_deref(),
                    message: &f.message,
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &rows)?;
            writeln!(out)?;
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record(["规则", "严重程度", "环节", "单位编码", "项目编码", "指标", "问题"])?;
            for f in &shown {
                w.write_record([
                    f.rule.as_str(),
                    f.severity.label(),
                    f.stage.label(),
                    &f.unit_code,
                    f.project_code.as_deref().unwrap_or(""),
                    f.indicator.as_deref().unwrap_or(""),
                    &f.message,
                ])?;
            }
            w.flush()?;
        }
        Format::Table => {
            for f in &shown {
                writeln!(
                    out,
                    "{} {} {} {} {} {}",
                    pad_to_width(f.rule.as_str(), 14),
                    pad_to_width(f.severity.label(), 4),
                    pad_to_width(f.stage.label(), 8),
                    pad_to_width(&sanitize(&f.unit_code), 8),
                    pad_to_width(&sanitize(f.project_code.as_deref().unwrap_or("-")), 16),
                    sanitize(&f.message)
                )?;
            }
            let count = |s: Severity| shown.iter().filter(|f| f.severity == s).count();
            writeln!(
                out,
                "共 {} 条：阻断 {}，警告 {}，提示 {}",
                shown.len(),
                count(Severity::Blocking),
                count(Severity::Warning),
                count(Severity::Info)
            )?;
        }
    }
    let blocking = shown.iter().any(|f| f.severity == Severity::Blocking);
    Ok(if blocking { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}
