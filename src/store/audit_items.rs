//! Every item's current state held against what its audit trail says it
//! should be. Every write that changes a review's state, opinion, verdicts or
//! version is audited with what it left (decision, opinion, verdicts,
//! document, resubmit, undo), so replaying those entries gives the item as it
//! must stand; a direct `UPDATE review SET opinion = …` (which the chain
//! itself cannot see) shows up as a difference, named by unit and project.

use super::StoreError;
use rusqlite::Connection;
use std::collections::HashMap;

/// An item whose stored state differs from its audited state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemBreak {
    pub review_id: i64,
    /// `区第一中学「校舍维修」（目标审核）`.
    pub item: String,
    /// 状态 / 审核意见 / 审核结论 / 版本.
    pub field: &'static str,
    pub audited: String,
    pub stored: String,
}

impl std::fmt::Display for ItemBreak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let cut = |s: &str| {
            let clean = crate::domain::text::sanitize(s);
            crate::domain::text::truncate_to_width(&clean, 40)
        };
        write!(
            f,
            "{}的{}与审计记录不符：审计记录为「{}」，数据库中为「{}」（未经本系统直接改动数据库）",
            self.item,
            self.field,
            cut(&self.audited),
            cut(&self.stored)
        )
    }
}

/// What the audit trail says an item must be; `None`: never set by an
/// audited write. Texts are kept as a hash and the entry that wrote them
/// (read again only to name a difference), so that a city's year of items
/// is checked in a few megabytes.
#[derive(Debug, Default)]
struct Expected {
    state: Option<String>,
    /// Hash of the opinion, and the entry that recorded it.
    opinion: Option<(u64, i64)>,
    verdicts: Option<(u64, i64)>,
    version: Option<i64>,
}

fn hash_of(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// Verdicts as stored and as audited are the same JSON value, written alike.
fn verdicts_key(v: &serde_json::Value) -> u64 {
    hash_of(&v.to_string())
}

/// A field of the entry `seq`'s `after`, as text, to name what was audited.
fn audited_text(conn: &Connection, seq: i64, field: &str) -> String {
    conn.query_row("SELECT after FROM audit_log WHERE seq = ?1", [seq], |r| {
        r.get::<_, Option<String>>(0)
    })
    .ok()
    .flatten()
    .and_then(|a| serde_json::from_str::<serde_json::Value>(&a).ok())
    .and_then(|a| a.get(field).cloned())
    .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
    .unwrap_or_default()
}

/// The audited events that say what a review item became.
fn shapes_review(event: &str, after: &serde_json::Value) -> bool {
    match event {
        "decision" | "opinion" | "verdicts" | "document" | "resubmit" => true,
        // An undo of a result answer is audited on the item too; it carries no state.
        "undo" => after.get("state").is_some() || after.get("document").is_some(),
        _ => false,
    }
}

fn expected_items(conn: &Connection) -> Result<HashMap<i64, Expected>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT target, event, after, seq FROM audit_log
         WHERE outcome = 'ok' AND target LIKE 'review:%' ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut out: HashMap<i64, Expected> = HashMap::new();
    while let Some(r) = rows.next()? {
        let target: String = r.get(0)?;
        let event: String = r.get(1)?;
        let after: Option<String> = r.get(2)?;
        let seq: i64 = r.get(3)?;
        let Some(id) = super::audit::AuditTarget::review_of(&target) else {
            continue;
        };
        let Some(after) = after.and_then(|a| serde_json::from_str::<serde_json::Value>(&a).ok()) else {
            continue;
        };
        if !shapes_review(&event, &after) {
            continue;
        }
        let e = out.entry(id).or_default();
        if let Some(v) = after.get("state").and_then(|v| v.as_str()) {
            e.state = Some(v.to_string());
        }
        if let Some(v) = after.get("opinion").and_then(|v| v.as_str()) {
            e.opinion = Some((hash_of(v), seq));
        }
        if let Some(v) = after.get("verdicts") {
            e.verdicts = Some((verdicts_key(v), seq));
        }
        if let Some(v) = after.get("version").and_then(|v| v.as_i64()) {
            e.version = Some(v);
        }
    }
    Ok(out)
}

/// Every item that differs from its audit trail, in id order.
pub(super) fn check_items(conn: &Connection) -> Result<Vec<ItemBreak>, StoreError> {
    let expected = expected_items(conn)?;
    let mut stmt = conn.prepare(
        "SELECT r.id, r.state, r.opinion, r.verdicts, r.version, u.name, COALESCE(p.name, k.object_code, ''), r.stage
         FROM review r JOIN unit u ON u.code = r.unit_code
         LEFT JOIN project p ON p.id = r.project_id
         LEFT JOIN key_eval k ON k.id = r.key_eval_id
         ORDER BY r.id",
    )?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    let none = Expected::default();
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let state: String = r.get(1)?;
        let opinion: String = r.get(2)?;
        let verdicts: String = r.get(3)?;
        let version: i64 = r.get(4)?;
        let stage: String = r.get(7)?;
        let e = expected.get(&id).unwrap_or(&none);
        let item = || {
            let stage = crate::domain::Stage::from_code(&stage).map_or(stage.clone(), |s| s.label().to_string());
            format!(
                "{}「{}」（{stage}）",
                r.get::<_, String>(5).unwrap_or_default(),
                r.get::<_, String>(6).unwrap_or_default()
            )
        };
        let mut differ = |field: &'static str, audited: String, stored: String| {
            out.push(ItemBreak {
                review_id: id,
                item: item(),
                field,
                audited,
                stored,
            })
        };
        // An item no audited write touched is as the import made it.
        let want_state = e.state.as_deref().unwrap_or("pending");
        if state != want_state {
            differ("状态", want_state.to_string(), state.clone());
        }
        let opinion_differs = match e.opinion {
            Some((h, _)) => hash_of(&opinion) != h,
            None => !opinion.is_empty(),
        };
        if opinion_differs {
            let audited = e
                .opinion
                .map_or_else(String::new, |(_, seq)| audited_text(conn, seq, "opinion"));
            differ("审核意见", audited, opinion.clone());
        }
        if let Some((h, seq)) = e.verdicts {
            let stored = serde_json::from_str::<serde_json::Value>(&verdicts).map(|v| verdicts_key(&v));
            if stored.ok() != Some(h) {
                differ("审核结论", audited_text(conn, seq, "verdicts"), verdicts.clone());
            }
        }
        let want_version = e.version.unwrap_or(1);
        if version != want_version {
            differ("版本", want_version.to_string(), version.to_string());
        }
    }
    Ok(out)
}
