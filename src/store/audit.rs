//! The append-only, hash-chained audit log. Each entry's hash covers the
//! previous entry's hash and every field of its own, so editing, deleting or
//! reordering an entry breaks the chain at that entry.

use super::{Store, StoreError, now};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use sha2::{Digest, Sha256};

/// The `prev_hash` of the first entry.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One stored audit entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub event: String,
    pub target: String,
    pub outcome: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

/// Which entries to list.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub target: Option<String>,
    pub actor: Option<String>,
    pub event: Option<String>,
}

/// Where and why the chain first breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuditBreak {
    #[error("第 {seq} 条审计记录的内容与其哈希不符（记录被修改）")]
    HashMismatch { seq: i64 },
    #[error("第 {seq} 条审计记录与前一条不衔接（前一条被修改或删除）")]
    PrevMismatch { seq: i64 },
    #[error("审计记录序号在第 {expected} 条处中断，下一条为第 {found} 条（记录被删除）")]
    Gap { expected: i64, found: i64 },
    #[error("审计记录最后应为第 {expected} 条，实际只到第 {found} 条（末尾记录被删除）")]
    Truncated { expected: i64, found: i64 },
}

impl AuditBreak {
    /// The first entry that is missing or wrong.
    pub fn seq(&self) -> i64 {
        match self {
            AuditBreak::HashMismatch { seq } | AuditBreak::PrevMismatch { seq } => *seq,
            AuditBreak::Gap { expected, .. } => *expected,
            AuditBreak::Truncated { found, .. } => found + 1,
        }
    }
}

/// Where the chain disagrees with the anchors kept outside the database.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnchorBreak {
    #[error("系统日志记录审计日志曾到第 {anchored} 条，数据库中只到第 {found} 条：第 {} 条起的记录被删除", found + 1)]
    Truncated { anchored: i64, found: i64 },
    #[error("第 {seq} 条审计记录与系统日志中的锚点不符：第 {from} 至 {seq} 条之间的记录被改写后重新链接")]
    Rechained { from: i64, seq: i64 },
}

/// Result of walking the whole chain, holding it against the anchors kept
/// outside the database, and every item against its audit trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditReport {
    pub entries: i64,
    pub first_break: Option<AuditBreak>,
    /// How many anchors of this database were held against the chain.
    pub anchors: usize,
    pub anchor_break: Option<AnchorBreak>,
    /// Items whose stored state differs from their audited state.
    pub item_breaks: Vec<super::audit_items::ItemBreak>,
}

impl AuditReport {
    pub fn is_intact(&self) -> bool {
        self.first_break.is_none() && self.anchor_break.is_none() && self.item_breaks.is_empty()
    }
}

/// Setting that remembers the last entry, so that cutting off the tail shows.
const HEAD_KEY: &str = "audit.head";

/// The hash of an entry: SHA-256 over a JSON array of the previous hash and
/// every field, an encoding in which no two different entries coincide.
fn entry_hash(prev_hash: &str, seq: i64, fields: [&str; 5], before: Option<&str>, after: Option<&str>) -> String {
    let [at, actor, event, target, outcome] = fields;
    let encoded = serde_json::json!([prev_hash, seq, at, actor, event, target, outcome, before, after]).to_string();
    let digest = Sha256::digest(encoded.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// What an audit entry is about, written `kind:key` in the log
/// (`review:42`, `rectification:7`, `user:wangfang`, `batch:120`): the one
/// spelling the log, `audit verify` and the item replay agree on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditTarget<'a> {
    Review(i64),
    Rectification(i64),
    /// A project's result-application answer where no review names it.
    Project(i64),
    Unit(&'a str),
    User(&'a str),
    /// One key of the bureau's rule set; `RuleSetWhole` for a refused change.
    RuleSet(&'a str),
    RuleSetWhole,
    Setting(&'a str),
    /// A file written (a backup).
    File(&'a str),
    /// Many items in one transaction (a batch, an undo of several steps).
    Batch(usize),
    /// An import run.
    Dataset,
    /// A table exported, by its name.
    Export(&'a str),
}

impl std::fmt::Display for AuditTarget<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AuditTarget::Review(id) => write!(f, "review:{id}"),
            AuditTarget::Rectification(id) => write!(f, "rectification:{id}"),
            AuditTarget::Project(id) => write!(f, "project:{id}"),
            AuditTarget::Unit(code) => write!(f, "unit:{code}"),
            AuditTarget::User(login) => write!(f, "user:{login}"),
            AuditTarget::RuleSet(key) => write!(f, "rule_set:{key}"),
            AuditTarget::RuleSetWhole => f.write_str("rule_set"),
            AuditTarget::Setting(key) => write!(f, "setting:{key}"),
            AuditTarget::File(path) => write!(f, "file:{path}"),
            AuditTarget::Batch(n) => write!(f, "batch:{n}"),
            AuditTarget::Dataset => f.write_str("dataset"),
            AuditTarget::Export(what) => f.write_str(what),
        }
    }
}

impl AuditTarget<'_> {
    /// The review an entry's target names, if it names one.
    pub fn review_of(target: &str) -> Option<i64> {
        target.strip_prefix("review:").and_then(|n| n.parse().ok())
    }
}

/// The audited change of one record, the common case: `before` → `after`
/// as JSON, outcome `ok`, in the caller's transaction.
pub(super) fn audit_change(
    tx: &Transaction<'_>,
    actor: &str,
    event: &str,
    target: AuditTarget<'_>,
    before: &serde_json::Value,
    after: &serde_json::Value,
) -> Result<i64, StoreError> {
    append_audit(
        tx,
        actor,
        event,
        target,
        "ok",
        Some(&before.to_string()),
        Some(&after.to_string()),
    )
}

/// Appends one entry inside the caller's transaction, so the entry and the
/// change it records commit or vanish together.
pub(super) fn append_audit(
    tx: &Transaction<'_>,
    actor: &str,
    event: &str,
    target: AuditTarget<'_>,
    outcome: &str,
    before: Option<&str>,
    after: Option<&str>,
) -> Result<i64, StoreError> {
    let target = target.to_string();
    let target = target.as_str();
    let last: Option<(i64, String)> = tx
        .prepare_cached("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (prev_seq, prev_hash) = last.unwrap_or((0, GENESIS.to_string()));
    let seq = prev_seq + 1;
    let at = now();
    let hash = entry_hash(&prev_hash, seq, [&at, actor, event, target, outcome], before, after);
    tx.prepare_cached(
        "INSERT INTO audit_log (seq, at, actor, event, target, outcome, before, after, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        seq, at, actor, event, target, outcome, before, after, prev_hash, hash
    ])?;
    tx.prepare_cached(
        "INSERT INTO setting (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![HEAD_KEY, seq.to_string()])?;
    Ok(seq)
}

fn entry_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        seq: r.get(0)?,
        at: r.get(1)?,
        actor: r.get(2)?,
        event: r.get(3)?,
        target: r.get(4)?,
        outcome: r.get(5)?,
        before: r.get(6)?,
        after: r.get(7)?,
        prev_hash: r.get(8)?,
        hash: r.get(9)?,
    })
}

const ENTRY_COLUMNS: &str = "seq, at, actor, event, target, outcome, before, after, prev_hash, hash";

impl Store {
    /// Records a refused action in its own transaction (the refused change
    /// itself was rolled back).
    pub(super) fn record_refusal(
        &mut self,
        actor: &str,
        event: &str,
        target: AuditTarget<'_>,
        reason: &str,
    ) -> Result<(), StoreError> {
        let after = serde_json::json!({ "reason": reason }).to_string();
        self.write(|tx| append_audit(tx, actor, event, target, "refused", None, Some(&after)).map(|_| ()))
    }

    /// Records a refusal without letting a failure to record it (a read-only
    /// file, a full disk) hide the refusal itself from the caller.
    pub(super) fn note_refusal(&mut self, actor: &str, event: &str, target: AuditTarget<'_>, refusal: &StoreError) {
        if let Err(e) = self.record_refusal(actor, event, target, &refusal.to_string()) {
            tracing::warn!("could not audit a refusal for {actor} on {target}: {e}");
        }
    }

    /// Walks the chain from the first entry and reports the first break, then
    /// holds every item against its audit trail.
    pub fn verify_audit(&self) -> Result<AuditReport, StoreError> {
        self.verify_audit_against(&[])
    }

    /// The same, also holding the chain against anchors kept outside the
    /// database (the system log, the anchor file): a cut tail or a re-chained
    /// log verifies on its own but not against them.
    ///
    /// It reads the whole log and every item once: on a connection of its
    /// own with a small page cache, so that an administrator's session that
    /// runs it at start keeps its memory (a city's log would otherwise fill
    /// the session's 16 MB cache).
    pub fn verify_audit_against(&self, anchors: &[super::anchor::Anchor]) -> Result<AuditReport, StoreError> {
        let lean = match self.conn.path().filter(|p| !p.is_empty()) {
            Some(path) => {
                let conn = super::reader(path)?;
                conn.pragma_update(None, "cache_size", VERIFY_CACHE_KIB)?;
                Some(conn)
            }
            None => None,
        };
        let conn = lean.as_ref().unwrap_or(&self.conn);
        let mut report = verify_chain(conn)?;
        report.anchors = anchors.len();
        report.anchor_break = check_anchors(conn, anchors)?;
        report.item_breaks = super::audit_items::check_items(conn)?;
        Ok(report)
    }
}

/// The page cache of the verifying connection, in KiB (negative: a size).
const VERIFY_CACHE_KIB: i64 = -1024;

/// The first anchor the chain does not hold (anchors in any order,
/// repeats allowed): an anchored entry whose hash changed (re-chained),
/// else anchors past the last entry (the tail cut off).
fn check_anchors(conn: &Connection, anchors: &[super::anchor::Anchor]) -> Result<Option<AnchorBreak>, StoreError> {
    let mut sorted: Vec<&super::anchor::Anchor> = anchors.iter().collect();
    sorted.sort_by_key(|a| a.seq);
    let last: i64 = conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM audit_log", [], |r| r.get(0))?;
    let mut stmt = conn.prepare_cached("SELECT hash FROM audit_log WHERE seq = ?1")?;
    let mut good = 0;
    for a in sorted.iter().filter(|a| a.seq <= last) {
        let hash: Option<String> = stmt.query_row([a.seq], |r| r.get(0)).optional()?;
        if hash.as_deref() != Some(a.hash.as_str()) {
            return Ok(Some(AnchorBreak::Rechained {
                from: good + 1,
                seq: a.seq,
            }));
        }
        good = a.seq;
    }
    Ok(sorted.last().filter(|a| a.seq > last).map(|a| AnchorBreak::Truncated {
        anchored: a.seq,
        found: last,
    }))
}

/// The chain alone: order, links, hashes, and the stored head.
fn verify_chain(conn: &Connection) -> Result<AuditReport, StoreError> {
    let mut stmt = conn.prepare(&format!("SELECT {ENTRY_COLUMNS} FROM audit_log ORDER BY seq"))?;
    let mut rows = stmt.query([])?;
    let mut expected_seq = 1;
    let mut prev_hash = GENESIS.to_string();
    let mut entries = 0;
    while let Some(row) = rows.next()? {
        let e = entry_from_row(row)?;
        entries += 1;
        let broken = if e.seq != expected_seq {
            Some(AuditBreak::Gap {
                expected: expected_seq,
                found: e.seq,
            })
        } else if e.prev_hash != prev_hash {
            Some(AuditBreak::PrevMismatch { seq: e.seq })
        } else {
            let fields = [e.at.as_str(), &e.actor, &e.event, &e.target, &e.outcome];
            let computed = entry_hash(&e.prev_hash, e.seq, fields, e.before.as_deref(), e.after.as_deref());
            (computed != e.hash).then_some(AuditBreak::HashMismatch { seq: e.seq })
        };
        if broken.is_some() {
            return Ok(AuditReport {
                entries,
                first_break: broken,
                anchors: 0,
                anchor_break: None,
                item_breaks: Vec::new(),
            });
        }
        prev_hash = e.hash;
        expected_seq += 1;
    }
    let head: Option<String> = conn
        .query_row("SELECT value FROM setting WHERE key = ?1", [HEAD_KEY], |r| r.get(0))
        .optional()?;
    let head: i64 = head.and_then(|h| h.parse().ok()).unwrap_or(0);
    let last = expected_seq - 1;
    let first_break = (head > last).then_some(AuditBreak::Truncated {
        expected: head,
        found: last,
    });
    Ok(AuditReport {
        entries,
        first_break,
        anchors: 0,
        anchor_break: None,
        item_breaks: Vec::new(),
    })
}

impl Store {
    /// Entries matching the filter, oldest first.
    pub fn audit_entries(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {ENTRY_COLUMNS} FROM audit_log
             WHERE (?1 IS NULL OR target = ?1) AND (?2 IS NULL OR actor = ?2) AND (?3 IS NULL OR event = ?3)
             ORDER BY seq"
        ))?;
        let rows = stmt.query_map(params![filter.target, filter.actor, filter.event], entry_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_covers_every_field_unambiguously() {
        let base = entry_hash(GENESIS, 1, ["t", "li", "decision", "review:1", "ok"], None, Some("{}"));
        assert_eq!(base.len(), 64);
        assert_ne!(
            base,
            entry_hash(GENESIS, 2, ["t", "li", "decision", "review:1", "ok"], None, Some("{}"))
        );
        assert_ne!(
            base,
            entry_hash(GENESIS, 1, ["t", "l", "idecision", "review:1", "ok"], None, Some("{}"))
        );
        assert_ne!(
            base,
            entry_hash(GENESIS, 1, ["t", "li", "decision", "review:1", "ok"], Some("{}"), None)
        );
        assert_ne!(
            base,
            entry_hash(GENESIS, 1, ["t", "li", "decision", "review:1", "ok"], None, Some(""))
        );
    }
}
