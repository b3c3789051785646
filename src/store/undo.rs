//! Undoing the reviewer's last decision or batch: the item goes back to what it
//! was, as long as nobody changed it since. Audited as its own event.

use super::audit::append_audit;
use super::permissions::{About, authorize_on};
use super::queue::read_review;
use super::{Store, StoreError, now};
use crate::domain::model::Review;
use rusqlite::params;

/// What a decision changed: the item as it was, and the version it left behind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undoable {
    pub before: Review,
    pub version_after: i64,
}

impl Store {
    /// Restores every item of a decision (or batch) or none; an item changed
    /// since by anyone is a conflict naming who changed it.
    pub fn undo(&mut self, items: &[Undoable], actor: &str) -> Result<usize, StoreError> {
        let result = self.write(|tx| {
            for item in items {
                let id = item.before.id;
                let current = read_review(tx, id)?.ok_or_else(|| StoreError::NotFound { what: format!("事项 {id}") })?;
                authorize_on(tx, actor, &current.unit_code, About::Review(id), "撤销")?;
                if current.version != item.version_after {
                    let (changed_by, changed_at): (String, String) = tx
                        .prepare_cached("SELECT updated_by, updated_at FROM review WHERE id = ?1")?
                        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
                    return Err(StoreError::Conflict {
                        review_id: id,
                        current_version: current.version,
                        changed_by,
                        changed_at,
                    });
                }
                let b = &item.before;
                tx.prepare_cached(
                    "UPDATE review SET state = ?2, opinion = ?3, decided_by = ?4, decided_at = ?5, updated_by = ?6,
                         updated_at = ?7, version = version + 1 WHERE id = ?1",
                )?
                .execute(params![id, b.state.code(), b.opinion, b.decided_by, b.decided_at, actor, now()])?;
                let before = serde_json::json!({ "state": current.state.code(), "version": current.version, "opinion": current.opinion });
                let after = serde_json::json!({ "state": b.state.code(), "version": current.version + 1, "opinion": b.opinion });
                append_audit(tx, actor, "undo", &format!("review:{id}"), "ok", Some(&before.to_string()), Some(&after.to_string()))?;
            }
            Ok(items.len())
        });
        if let Err(e @ StoreError::Forbidden { .. }) = &result {
            self.note_refusal(actor, "undo", &format!("batch:{}", items.len()), e);
        }
        result
    }
}
