//! Review decisions and opinions with optimistic concurrency: every write names
//! the version it was based on, and a write based on an older version is
//! refused with who changed the item and when — never silently overwritten.

use super::audit::{AuditTarget, append_audit, audit_change};
use super::findings::{bureau_rules_in, findings_in, findings_json, refresh_dependent_in, refresh_dependent_of};
use super::permissions::{About, authorize_on, require_registered, review_item};
use super::queue::read_review;
use super::{Store, StoreError, now};
use crate::domain::Severity;
use crate::domain::model::{Finding, Review};
use crate::domain::opinion::{OpinionRules, approval_gap, refusal_text};
use crate::domain::params::RuleParams;
use crate::domain::states::{DecisionContext, DecisionError, ReviewAction, decide};
use rusqlite::{OptionalExtension, Transaction, params};

/// What a batch decision did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchOutcome {
    /// The items decided, as they stand after the batch, in the order given.
    pub decided: Vec<Review>,
    /// Items left as they were because their opinion does not answer their
    /// findings (逐条回应), with the reason naming unit, project and finding,
    /// or because their findings lag their data (not yet recomputed after an
    /// import). Any other refusal still rolls the whole batch back.
    pub refused: Vec<(i64, String)>,
}

/// An opinion being typed, saved so that a dropped link loses nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub review_id: i64,
    pub text: String,
    pub updated_at: String,
}

/// Reads the review for a write by `actor`, refusing when the actor may not
/// act on its unit (the refusal names the item) or its version moved on.
pub(super) fn checked_review(
    tx: &Transaction<'_>,
    review_id: i64,
    expected_version: i64,
    actor: &str,
    what: &str,
) -> Result<Review, StoreError> {
    let review = read_review(tx, review_id)?.ok_or_else(|| StoreError::NotFound {
        what: format!("事项 {review_id}"),
    })?;
    authorize_on(tx, actor, &review.unit_code, About::Review(review_id), what)?;
    if review.version != expected_version {
        let (changed_by, changed_at): (String, String) = tx
            .prepare_cached("SELECT updated_by, updated_at FROM review WHERE id = ?1")?
            .query_row([review_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        return Err(StoreError::Conflict {
            review_id,
            current_version: review.version,
            changed_by,
            changed_at,
        });
    }
    Ok(review)
}

/// A decision's refusal, if it is one the machine made (as opposed to a failure).
fn is_refusal(e: &StoreError) -> bool {
    matches!(
        e,
        StoreError::Decision { .. }
            | StoreError::Conflict { .. }
            | StoreError::Forbidden { .. }
            | StoreError::FindingsStale { .. }
    )
}

/// The 逐条回应 rule, applied where every approval passes: an approval whose
/// opinion does not answer the item's findings is refused, naming the unit,
/// the project and the finding left unanswered.
fn check_opinion_answers(
    tx: &Transaction<'_>,
    review: &Review,
    action: ReviewAction,
    opinion: &str,
    findings: &[Finding],
    rules: OpinionRules<'_>,
) -> Result<(), StoreError> {
    if !matches!(action, ReviewAction::Approve { .. }) {
        return Ok(());
    }
    let Some(gap) = approval_gap(review.stage, opinion, findings, rules) else {
        return Ok(());
    };
    let (unit, project): (String, String) = tx
        .prepare_cached(
            "SELECT u.name, COALESCE(p.name, k.object_code, '') FROM review r JOIN unit u ON u.code = r.unit_code
             LEFT JOIN key_eval k ON k.id = r.key_eval_id
             LEFT JOIN project p ON p.id = COALESCE(r.project_id, k.project_id) WHERE r.id = ?1",
        )?
        .query_row([review.id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Err(StoreError::Decision {
        review_id: review.id,
        // The refusal text names the unit and the project itself.
        item: String::new(),
        source: DecisionError::OpinionUnanswered(refusal_text(&unit, &project, &gap)),
    })
}

/// Whether a batch leaves this item out and goes on (its opinion answers
/// nothing) rather than rolling back.
fn skipped_in_batch(e: &StoreError) -> bool {
    matches!(
        e,
        StoreError::Decision {
            source: DecisionError::OpinionUnanswered(_),
            ..
        } | StoreError::FindingsStale { .. }
    )
}

/// Applies one decision inside the caller's transaction: the permission
/// and version check, the state machine, the opinion rule, the row, the
/// audit entry, then the findings that depend on the decision
/// (`refresh_dependent_in`, with the bureau's `params`).
#[allow(clippy::too_many_arguments)]
pub(super) fn decide_in(
    tx: &Transaction<'_>,
    review_id: i64,
    expected_version: i64,
    action: ReviewAction,
    opinion: &str,
    actor: &str,
    rules: OpinionRules<'_>,
    params: &RuleParams,
) -> Result<Review, StoreError> {
    let before = checked_review(tx, review_id, expected_version, actor, "审核决定")?;
    // Findings not yet computed for the item's current data are no ground
    // for an approval ("未发现问题" would only mean "not looked yet").
    if matches!(action, ReviewAction::Approve { .. }) && super::findings::unit_is_stale(tx, &before.unit_code)? {
        return Err(StoreError::FindingsStale {
            review_id,
            item: review_item(tx, review_id)?,
        });
    }
    super::detail::check_key_eval_close(tx, &before, action)?;
    // The findings are stored with their counts on the review in one write
    // (`replace_in`), so the blocking count is read off the rows.
    let found = findings_in(tx, review_id)?;
    let blocking = found.iter().filter(|f| f.severity == Severity::Blocking).count();
    // An empty opinion in the decision keeps the one already saved on the item.
    let opinion = if opinion.trim().is_empty() {
        before.opinion.as_str()
    } else {
        opinion
    };
    let ctx = DecisionContext {
        blocking_findings: blocking,
        opinion,
        min_opinion_chars: rules.min_chars,
    };
    let next = match decide(before.state, action, ctx) {
        Ok(next) => next,
        Err(source) => {
            return Err(StoreError::Decision {
                review_id,
                item: review_item(tx, review_id)?,
                source,
            });
        }
    };
    check_opinion_answers(tx, &before, action, opinion, &found, rules)?;
    let at = now();
    tx.prepare_cached(
        "UPDATE review SET state = ?2, opinion = ?3, decided_by = ?4, decided_at = ?5, updated_by = ?4,
             updated_at = ?5, version = version + 1 WHERE id = ?1",
    )?
    .execute(params![review_id, next.code(), opinion, actor, at])?;
    tx.prepare_cached("DELETE FROM draft WHERE os_user = ?1 AND review_id = ?2")?
        .execute(params![actor, review_id])?;
    let findings = findings_json(&found);
    let before_json = serde_json::json!({
        "state": before.state.code(), "version": before.version, "opinion": before.opinion,
    });
    let after_json = serde_json::json!({
        "action": action.code(), "state": next.code(), "version": before.version + 1,
        "opinion": opinion, "findings": findings,
    });
    audit_change(
        tx,
        actor,
        "decision",
        AuditTarget::Review(review_id),
        &before_json,
        &after_json,
    )?;
    // What the UPDATE above wrote, without reading it back (a bulk approval
    // of 1,000 items would read 1,000 rows again).
    let after = Review {
        state: next,
        opinion: opinion.to_string(),
        decided_by: Some(actor.to_string()),
        decided_at: Some(at),
        version: before.version + 1,
        ..before
    };
    refresh_dependent_of(tx, &after, &found, params)?;
    Ok(after)
}

impl Store {
    /// Decides one item. A refusal (state machine or version conflict) writes
    /// nothing but a `refused` audit entry.
    /// `rules` is the config's `[review]` (or, where only length matters, a
    /// minimum number of characters).
    pub fn decide<'r>(
        &mut self,
        review_id: i64,
        expected_version: i64,
        action: ReviewAction,
        opinion: &str,
        actor: &str,
        rules: impl Into<OpinionRules<'r>>,
    ) -> Result<Review, StoreError> {
        let rules = rules.into();
        let result = self.write(|tx| {
            let params = bureau_rules_in(tx)?;
            decide_in(tx, review_id, expected_version, action, opinion, actor, rules, &params)
        });
        if let Err(e) = &result
            && is_refusal(e)
        {
            self.note_refusal(actor, "decision", AuditTarget::Review(review_id), e);
        }
        result
    }

    /// Decides every `(review_id, expected_version)` in one transaction. An
    /// item whose opinion does not answer its findings, or whose findings
    /// lag its data, is left out and reported in `refused` (audited as
    /// refused); any other refusal rolls the whole batch back and names its item.
    pub fn decide_batch<'r>(
        &mut self,
        items: &[(i64, i64)],
        action: ReviewAction,
        opinion: &str,
        actor: &str,
        rules: impl Into<OpinionRules<'r>>,
    ) -> Result<BatchOutcome, StoreError> {
        let rules = rules.into();
        let result = self.write(|tx| {
            let params = bureau_rules_in(tx)?;
            let mut decided = Vec::with_capacity(items.len());
            let mut refused = Vec::new();
            for (review_id, expected_version) in items {
                match decide_in(
                    tx,
                    *review_id,
                    *expected_version,
                    action,
                    opinion,
                    actor,
                    rules,
                    &params,
                ) {
                    Ok(review) => decided.push(review),
                    // The check runs before any write of the item, so nothing of it is undone.
                    Err(e) if skipped_in_batch(&e) => {
                        let reason = serde_json::json!({ "reason": e.to_string() }).to_string();
                        let target = AuditTarget::Review(*review_id);
                        append_audit(tx, actor, "decision", target, "refused", None, Some(&reason))?;
                        refused.push((*review_id, e.to_string()));
                    }
                    Err(e) => return Err(e),
                }
            }
            Ok(BatchOutcome { decided, refused })
        });
        if let Err(e) = &result
            && is_refusal(e)
        {
            let target = AuditTarget::Batch(items.len());
            self.note_refusal(actor, "decision", target, e);
        }
        result
    }

    /// Saves the opinion text without a decision (versioned and audited).
    pub fn save_opinion(
        &mut self,
        review_id: i64,
        expected_version: i64,
        text: &str,
        actor: &str,
    ) -> Result<Review, StoreError> {
        let result = self.write(|tx| {
            let before = checked_review(tx, review_id, expected_version, actor, "保存审核意见")?;
            let at = now();
            tx.prepare_cached(
                "UPDATE review SET opinion = ?2, updated_by = ?3, updated_at = ?4, version = version + 1 WHERE id = ?1",
            )?
            .execute(params![review_id, text, actor, at])?;
            tx.prepare_cached("DELETE FROM draft WHERE os_user = ?1 AND review_id = ?2")?
                .execute(params![actor, review_id])?;
            let before_json = serde_json::json!({ "opinion": before.opinion, "version": before.version });
            let after_json = serde_json::json!({ "opinion": text, "version": before.version + 1 });
            audit_change(
                tx,
                actor,
                "opinion",
                AuditTarget::Review(review_id),
                &before_json,
                &after_json,
            )?;
            // The opinion of a decided item is judged (R-OPINION) as it now reads.
            refresh_dependent_in(tx, review_id, &bureau_rules_in(tx)?)?;
            read_review(tx, review_id)?.ok_or_else(|| StoreError::NotFound {
                what: format!("事项 {review_id}"),
            })
        });
        if let Err(e @ StoreError::Forbidden { .. }) = &result {
            self.note_refusal(actor, "opinion", AuditTarget::Review(review_id), e);
        }
        result
    }

    /// Saves what the user is typing (not audited: it is not a decision yet).
    /// Any registered user may keep drafts: they are private to their author.
    pub fn save_draft(&mut self, os_user: &str, review_id: i64, text: &str) -> Result<(), StoreError> {
        self.write(|tx| {
            require_registered(tx, os_user, "保存意见草稿")?;
            tx.prepare_cached(
                "INSERT INTO draft (os_user, review_id, text, updated_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(os_user, review_id) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at",
            )?
            .execute(params![os_user, review_id, text, now()])?;
            Ok(())
        })
    }

    /// The drafts a user left, most recent first.
    pub fn drafts_for(&self, os_user: &str) -> Result<Vec<Draft>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT review_id, text, updated_at FROM draft WHERE os_user = ?1 ORDER BY updated_at DESC, review_id",
        )?;
        let rows = stmt.query_map([os_user], |r| {
            Ok(Draft {
                review_id: r.get(0)?,
                text: r.get(1)?,
                updated_at: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One draft, if the user left one on that item.
    pub fn draft(&self, os_user: &str, review_id: i64) -> Result<Option<Draft>, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT review_id, text, updated_at FROM draft WHERE os_user = ?1 AND review_id = ?2")?
            .query_row(params![os_user, review_id], |r| {
                Ok(Draft {
                    review_id: r.get(0)?,
                    text: r.get(1)?,
                    updated_at: r.get(2)?,
                })
            })
            .optional()?)
    }

    pub fn clear_draft(&mut self, os_user: &str, review_id: i64) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.prepare_cached("DELETE FROM draft WHERE os_user = ?1 AND review_id = ?2")?
                .execute(params![os_user, review_id])?;
            Ok(())
        })
    }
}
