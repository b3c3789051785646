//! `jixiao audit verify|log`.

use crate::store::anchor::{anchor_file, anchors_in, journal_text};
use crate::store::{Anchor, AuditFilter, AuditReport, Store};
use clap::Subcommand;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// 校验审计日志：哈希链、系统日志中的锚点（末尾删除、改写后重新链接）、每个事项与其审计记录是否一致
    Verify {
        /// 另外读取的锚点文件（如从系统日志导出的 auth.log），可多次给出
        #[arg(long, value_name = "FILE")]
        anchors: Vec<std::path::PathBuf>,
    },
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
        AuditCommand::Verify { anchors } => {
            let (anchors, sources) = gather_anchors(store, &anchors, true)?;
            let report = store.verify_audit_against(&anchors)?;
            for line in report_lines(&report, &sources) {
                println!("{line}");
            }
            Ok(if report.is_intact() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
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

/// The anchors of this database from the files named, the anchor file in use
/// and (with `journal`) the system journal, which can take seconds to read;
/// with a line saying where they came from.
pub fn gather_anchors(
    store: &Store,
    files: &[std::path::PathBuf],
    journal: bool,
) -> anyhow::Result<(Vec<Anchor>, Vec<String>)> {
    let db = store.anchor_name().to_string();
    let mut anchors = Vec::new();
    let mut sources = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(file)
            .map_err(|e| anyhow::anyhow!("锚点文件 {} 无法读取：{e}", clean(&file.display().to_string())))?;
        let found = anchors_in(&text, &db);
        sources.push(format!("{}（{} 个）", clean(&file.display().to_string()), found.len()));
        anchors.extend(found);
    }
    if let Some(file) = anchor_file()
        && !files.contains(&file)
        && let Ok(text) = std::fs::read_to_string(&file)
    {
        let found = anchors_in(&text, &db);
        sources.push(format!("{}（{} 个）", clean(&file.display().to_string()), found.len()));
        anchors.extend(found);
    }
    if journal && let Some(text) = journal_text() {
        let found = anchors_in(&text, &db);
        sources.push(format!("系统日志 journalctl（{} 个）", found.len()));
        anchors.extend(found);
    }
    Ok((anchors, sources))
}

/// What `audit verify` (and `doctor`) says, line by line.
pub fn report_lines(report: &AuditReport, sources: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    match &report.first_break {
        None => out.push(format!("审计日志完整：共 {} 条记录，哈希链校验通过。", report.entries)),
        Some(b) => out.push(format!("审计日志被篡改：{b}")),
    }
    if report.anchors == 0 {
        out.push(
            "外部锚点：未找到本数据库的锚点（系统日志不可读或没有记录，也没有锚点文件）；只校验了库内的链，无法发现末尾删除或改写后重新链接。可用 --anchors 指定从系统日志导出的文件。"
                .to_string(),
        );
    } else {
        match &report.anchor_break {
            None => out.push(format!(
                "外部锚点：{} 个，与审计日志一致（来源：{}）。",
                report.anchors,
                sources.join("、")
            )),
            Some(b) => out.push(format!("审计日志被篡改：{b}（锚点来源：{}）", sources.join("、"))),
        }
    }
    if report.item_breaks.is_empty() {
        out.push("事项：当前状态、意见、结论与审计记录一致。".to_string());
    } else {
        out.push(format!(
            "事项：{} 处与审计记录不符（数据库被直接改动）：",
            report.item_breaks.len()
        ));
        for b in report.item_breaks.iter().take(20) {
            out.push(format!("  {b}"));
        }
        if report.item_breaks.len() > 20 {
            out.push(format!("  ……另有 {} 处", report.item_breaks.len() - 20));
        }
    }
    out
}

fn clean(s: &str) -> String {
    crate::domain::text::sanitize(s)
}
