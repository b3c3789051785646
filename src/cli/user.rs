//! `jixiao user add|list|set-section|set-role`: managing reviewers. The store
//! decides who may (admins only; separation of duties) and audits every change
//! and refusal; this command only parses and prints.

use crate::domain::Role;
use crate::domain::model::Reviewer;
use crate::domain::text::{pad_to_width, sanitize};
use crate::store::Store;
use clap::Subcommand;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// 登记审核人员（仅管理员）：jixiao user add zhangli --name 张丽 --role reviewer --section 教科文科
    Add {
        /// 服务器上的操作系统用户名（SSH 登录名）
        os_user: String,
        /// 姓名
        #[arg(long)]
        name: String,
        /// 角色：reviewer（审核员）、admin（管理员，绩效科）、auditor（审计员）
        #[arg(long, default_value = "reviewer")]
        role: String,
        /// 负责的业务科室，可多次给出
        #[arg(long = "section")]
        sections: Vec<String>,
    },
    /// 列出全部审核人员
    List,
    /// 重新设定某人负责的业务科室（仅管理员）
    SetSection {
        os_user: String,
        #[arg(required = true)]
        sections: Vec<String>,
    },
    /// 更改某人的角色（仅管理员；管理员不能改自己的角色）
    SetRole { os_user: String, role: String },
}

impl UserCommand {
    /// Only registering someone may start a new database (its first user
    /// becomes the admin); listing and changing users need an existing one.
    pub fn may_create_db(&self) -> bool {
        matches!(self, UserCommand::Add { .. })
    }
}

fn parse_role(text: &str) -> anyhow::Result<Role> {
    Role::parse(text).ok_or_else(|| {
        anyhow::anyhow!("无法识别的角色「{text}」：可用 reviewer（审核员）、admin（管理员）、auditor（审计员）")
    })
}

pub fn run(cmd: UserCommand, store: &mut Store, actor: &str) -> anyhow::Result<ExitCode> {
    match cmd {
        UserCommand::Add {
            os_user,
            name,
            role,
            sections,
        } => {
            let reviewer = Reviewer {
                os_user,
                name,
                sections,
                role: parse_role(&role)?,
            };
            warn_unknown_sections(store, &reviewer.sections)?;
            store.add_reviewer(&reviewer, actor)?;
            println!("已登记：{}", describe(&reviewer));
        }
        UserCommand::List => {
            for r in store.reviewers()? {
                println!("{}", describe(&r));
            }
        }
        UserCommand::SetSection { os_user, sections } => {
            warn_unknown_sections(store, &sections)?;
            let r = store.set_reviewer_sections(&os_user, &sections, actor)?;
            println!("已更新：{}", describe(&r));
        }
        UserCommand::SetRole { os_user, role } => {
            let r = store.set_reviewer_role(&os_user, parse_role(&role)?, actor)?;
            println!("已更新：{}", describe(&r));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One line per reviewer: login, name, role, sections.
fn describe(r: &Reviewer) -> String {
    let sections = if r.sections.is_empty() {
        "-".to_string()
    } else {
        sanitize(&r.sections.join("、"))
    };
    format!(
        "{} {} {} {}",
        pad_to_width(&sanitize(&r.os_user), 14),
        pad_to_width(&sanitize(&r.name), 10),
        pad_to_width(r.role.label(), 8),
        sanitize(&sections)
    )
}

/// A typo in a section name would silently give a reviewer nothing to do: say so.
fn warn_unknown_sections(store: &Store, sections: &[String]) -> anyhow::Result<()> {
    let known = store.sections()?;
    if known.is_empty() {
        return Ok(());
    }
    for s in sections.iter().filter(|s| !known.contains(s)) {
        eprintln!(
            "提示：数据库中尚无业务科室「{}」的单位（已有：{}）",
            sanitize(s),
            sanitize(&known.join("、"))
        );
    }
    Ok(())
}
