//! `jixiao approve`: the bulk approve of the queue (T then A), for reviewers
//! who script their routine: every pending or resubmitted item of the filter
//! with no blocking finding (with `--clean`: no finding at all) is approved in
//! one transaction. A self-evaluation whose opinion does not answer its
//! findings (逐条回应) stays as it was and is listed with the reason; any
//! other refusal leaves every item unchanged. Without `--yes` it only counts.
//! Exit code 1 when some items were refused.

use crate::config::Config;
use crate::domain::states::ReviewAction;
use crate::domain::{ReviewState, Role, Stage};
use crate::store::{QueueFilter, Store};
use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

#[derive(Debug, clap::Args)]
pub struct ApproveArgs {
    /// 环节：target、monitoring、self-eval、key-eval
    #[arg(long, value_parser = parse_stage)]
    pub stage: Stage,
    /// 只处理一个业务科室（审核员默认只处理自己负责的科室）
    #[arg(long)]
    pub section: Option<String>,
    /// 只处理一个单位（单位编码）
    #[arg(long, value_name = "CODE")]
    pub unit: Option<String>,
    /// 只通过没有任何问题的事项（默认：没有阻断问题的事项）
    #[arg(long)]
    pub clean: bool,
    /// 审核意见（可省略）
    #[arg(long, default_value = "")]
    pub opinion: String,
    /// 确认执行；不加时只列出将通过的事项数
    #[arg(long)]
    pub yes: bool,
}

fn parse_stage(s: &str) -> Result<Stage, String> {
    Stage::parse(s).ok_or_else(|| "可选：target、monitoring、self-eval、key-eval".to_string())
}

pub fn run(args: ApproveArgs, store: &mut Store, config: &Config, actor: &str) -> anyhow::Result<ExitCode> {
    // "Clean" is judged on the data as it stands now.
    store.refresh_findings(&config.rules, chrono::Local::now().date_naive())?;
    let sections: Vec<Option<String>> = match (&args.section, store.reviewer(actor)?) {
        (Some(s), _) => vec![Some(s.clone())],
        (None, Some(r)) if r.role == Role::Reviewer => r.sections.into_iter().map(Some).collect(),
        (None, _) => vec![None],
    };
    let mut items = Vec::new();
    for section in sections {
        for state in [ReviewState::Pending, ReviewState::Resubmitted] {
            let filter = QueueFilter {
                state: Some(state),
                section: section.clone(),
                unit_code: args.unit.clone(),
                has_findings: args.clean.then_some(false),
                ..QueueFilter::stage(args.stage)
            };
            let ids = store.queue_ids(&filter)?;
            let rows = store.queue_rows_by_ids(&ids)?;
            items.extend(
                rows.iter()
                    .filter(|r| r.blocking == 0)
                    .map(|r| (r.review_id, r.version)),
            );
        }
    }
    if items.is_empty() {
        println!("没有可通过的事项。");
        return Ok(ExitCode::SUCCESS);
    }
    if !args.yes {
        println!("将通过 {} 项{}事项；确认请加 --yes。", items.len(), args.stage.label());
        return Ok(ExitCode::SUCCESS);
    }
    println!("开始批量通过 {} 项{}事项……", items.len(), args.stage.label());
    std::io::stdout().flush()?;
    let started = Instant::now();
    let action = ReviewAction::Approve {
        override_blocking: false,
    };
    let outcome = store.decide_batch(&items, action, &args.opinion, actor, &config.rules.review)?;
    println!(
        "已通过 {} 项（{:.3} 秒，在一个事务中完成）。",
        outcome.decided.len(),
        started.elapsed().as_secs_f64()
    );
    if outcome.refused.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{} 项未通过（审核意见须逐条回应问题，请在自评审核工作区按 o 编辑后再通过）：",
        outcome.refused.len()
    );
    for (_, reason) in &outcome.refused {
        // Names in a reason come from units' files: never raw to the terminal.
        println!("  {}", crate::domain::text::sanitize(reason));
    }
    Ok(ExitCode::from(1))
}
