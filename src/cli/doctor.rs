//! `jixiao doctor`: what an administrator checks on the server — the file
//! opens and is whole, its modes keep it to the reviewers' group, the audit
//! chain verifies against the anchors kept outside the database and every
//! item agrees with its audit trail.

use crate::store::Store;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::ExitCode;

pub fn run(store: &Store, path: &Path) -> anyhow::Result<ExitCode> {
    let mut problems = 0;
    let mut say = |ok: bool, line: String| {
        if !ok {
            problems += 1;
        }
        println!("{} {line}", if ok { "[正常]" } else { "[问题]" });
    };
    say(
        true,
        format!("数据库：{}（结构版本 {}）", clean(path), store.schema_version()?),
    );
    let check = store.quick_check()?;
    say(check == "ok", format!("文件完整性（quick_check）：{check}"));
    for (what, p, loose) in [
        ("数据库文件", path.to_path_buf(), 0o007),
        ("所在目录", dir_of(path), 0o007),
    ] {
        match std::fs::metadata(&p) {
            Ok(m) => {
                let mode = m.permissions().mode() & 0o7777;
                say(
                    mode & loose == 0,
                    format!(
                        "{what}权限 {mode:04o}（{}）",
                        if mode & loose == 0 {
                            "其他用户不可读写"
                        } else {
                            "其他用户可访问：应为文件 0660、目录 2770"
                        }
                    ),
                );
            }
            Err(e) => say(false, format!("{what} {}：{e}", clean(&p))),
        }
    }
    let syslog = Path::new("/dev/log").exists();
    say(
        syslog,
        if syslog {
            "系统日志：可写入审计锚点（/dev/log）".to_string()
        } else {
            "系统日志：/dev/log 不存在，审计锚点无法写入系统日志".to_string()
        },
    );
    let (anchors, sources) = super::audit::gather_anchors(store, &[], true)?;
    let report = store.verify_audit_against(&anchors)?;
    for line in super::audit::report_lines(&report, &sources) {
        say(report.is_intact(), line);
    }
    if problems == 0 {
        println!("检查完毕，未发现问题。");
        Ok(ExitCode::SUCCESS)
    } else {
        println!("检查完毕：{problems} 项问题。");
        Ok(ExitCode::FAILURE)
    }
}

fn dir_of(path: &Path) -> std::path::PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    }
}

fn clean(p: &Path) -> String {
    crate::domain::text::sanitize(&p.display().to_string())
}
