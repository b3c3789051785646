//! The audit chain's head, written outside the database after every commit
//! that moved it: to the system log (facility auth, which reviewers cannot edit)
//! and, where the bureau set one up, to an append-only anchor file. A group
//! member who can write the database file can delete its last entries or
//! re-chain edited ones so that the chain alone still verifies; the anchors
//! they cannot reach then disagree, and `jixiao audit verify` names where.

use super::StoreError;
use rusqlite::{Connection, OptionalExtension};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The syslog tag and the prefix of every anchor line.
pub const TAG: &str = "jixiao-audit";

/// Where the anchor file is when `JIXIAO_AUDIT_ANCHOR_FILE` does not say:
/// created by the bureau's administrator (root-owned, group-appendable,
/// `chattr +a`), used only if it exists.
pub const DEFAULT_ANCHOR_FILE: &str = "/var/log/jixiao/audit-anchors.log";

/// One anchor: the head of a database's chain at some commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub db: String,
    pub seq: i64,
    pub hash: String,
}

impl Anchor {
    pub fn line(&self) -> String {
        format!("{TAG} db={} seq={} hash={}", self.db, self.seq, self.hash)
    }

    /// Reads an anchor out of a log line (a syslog line carries a prefix).
    pub fn parse(line: &str) -> Option<Anchor> {
        let rest = &line[line.find(TAG)? + TAG.len()..];
        let mut db = None;
        let mut seq = None;
        let mut hash = None;
        for field in rest.split_whitespace() {
            if let Some(v) = field.strip_prefix("db=") {
                db = Some(v.to_string());
            } else if let Some(v) = field.strip_prefix("seq=") {
                seq = v.parse().ok();
            } else if let Some(v) = field.strip_prefix("hash=") {
                hash = (v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit())).then(|| v.to_string());
            }
        }
        Some(Anchor {
            db: db?,
            seq: seq?,
            hash: hash?,
        })
    }
}

/// The database's name in anchors: its canonical path (a demo and the real
/// file on one server keep apart).
pub fn db_name(path: &Path) -> String {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
        .replace(char::is_whitespace, "_")
}

/// The anchor file in use, if any.
pub fn anchor_file() -> Option<PathBuf> {
    match std::env::var_os("JIXIAO_AUDIT_ANCHOR_FILE") {
        Some(p) if !p.is_empty() => Some(PathBuf::from(p)),
        _ => Some(PathBuf::from(DEFAULT_ANCHOR_FILE)).filter(|p| p.exists()),
    }
}

/// The chain's last entry, if any.
pub(super) fn head(conn: &Connection) -> Result<Option<(i64, String)>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// Writes one anchor to the system log and the anchor file. Failures are
/// logged, never raised: the commit has happened and must stand.
pub(super) fn emit(anchor: &Anchor) {
    let line = anchor.line();
    syslog(&line);
    if let Some(path) = anchor_file() {
        let written = std::fs::OpenOptions::new()
            .append(true)
            .create(false)
            .open(&path)
            .and_then(|mut f| writeln!(f, "{line}"));
        if let Err(e) = written {
            tracing::warn!("audit anchor not written to {}: {e}", path.display());
        }
    }
}

#[cfg(unix)]
fn syslog(line: &str) {
    use nix::syslog::{Facility, LogFlags, Priority, Severity, openlog};
    static OPENED: std::sync::Once = std::sync::Once::new();
    OPENED.call_once(|| {
        if let Err(e) = openlog(Some(c"jixiao"), LogFlags::LOG_PID, Facility::LOG_AUTH) {
            tracing::warn!("openlog: {e}");
        }
    });
    if let Err(e) = nix::syslog::syslog(Priority::new(Severity::LOG_NOTICE, Facility::LOG_AUTH), line) {
        tracing::warn!("audit anchor not sent to the system log: {e}");
    }
}

#[cfg(not(unix))]
fn syslog(_line: &str) {}

/// The anchors of `db` found in `text` (an anchor file, or the journal's output).
pub fn anchors_in(text: &str, db: &str) -> Vec<Anchor> {
    text.lines().filter_map(Anchor::parse).filter(|a| a.db == db).collect()
}

/// The anchors the system journal holds, if `journalctl` is there and may be
/// read by this user (admins and auditors are usually in `adm`).
pub fn journal_text() -> Option<String> {
    let out = std::process::Command::new("journalctl")
        .args(["-t", "jixiao", "--facility", "auth", "-o", "cat", "--no-pager", "-q"])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_anchor_line_reads_back_even_with_a_syslog_prefix() {
        let a = Anchor {
            db: "/srv/jixiao/jixiao.db".into(),
            seq: 42,
            hash: "ab".repeat(32),
        };
        assert_eq!(Anchor::parse(&a.line()), Some(a.clone()));
        let syslog = format!("Dec  4 16:40:01 srv jixiao[123]: {}", a.line());
        assert_eq!(Anchor::parse(&syslog), Some(a.clone()));
        assert_eq!(
            anchors_in(&format!("{syslog}\nnoise\n"), "/srv/jixiao/jixiao.db"),
            vec![a]
        );
        assert_eq!(Anchor::parse("jixiao-audit db=x seq=1 hash=short"), None);
    }
}
