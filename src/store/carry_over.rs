//! Carrying over last year's rectification ledger (往年整改台账): an item arrives
//! in the state the old (often paper) ledger recorded, evidence and all — or
//! without evidence, which is exactly what the rules must then point out.

use super::audit::{AuditTarget, append_audit};
use super::permissions::require_role;
use super::rectifications::{NewRectification, read_rect};
use super::{Store, StoreError, now};
use crate::domain::model::Rectification;
use crate::domain::{RectState, Role};
use rusqlite::params;

impl Store {
    /// Inserts one ledger item in its recorded `state` with its `evidence`, audited
    /// as `carry_over`, in one transaction. A verified item keeps no sign-off of
    /// ours: who signed it off on paper is not known to this database.
    pub fn carry_over_rectification(
        &mut self,
        item: &NewRectification,
        state: RectState,
        evidence: &str,
        actor: &str,
    ) -> Result<Rectification, StoreError> {
        let result = self.write(|tx| {
            require_role(tx, actor, &[Role::Admin, Role::Reviewer], "结转往年整改台账")?;
            tx.prepare_cached(
                "INSERT INTO rectification (source_stage, source_review, unit_code, project_code, problem,
                     required_measure, deadline, state, evidence, created_by, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?
            .execute(params![
                item.source_stage.code(),
                item.source_review,
                item.unit_code,
                item.project_code,
                item.problem,
                item.required_measure,
                item.deadline.to_string(),
                state.code(),
                evidence,
                actor,
                now()
            ])?;
            let carried = read_rect(tx, tx.last_insert_rowid())?.ok_or_else(|| StoreError::NotFound {
                what: "结转的整改事项".into(),
            })?;
            let after = serde_json::json!({
                "state": carried.state.code(), "deadline": carried.deadline.to_string(),
                "evidence": carried.evidence, "problem": carried.problem, "unit": carried.unit_code,
            });
            append_audit(
                tx,
                actor,
                "carry_over",
                AuditTarget::Rectification(carried.id),
                "ok",
                None,
                Some(&after.to_string()),
            )?;
            Ok(carried)
        });
        if let Err(e @ StoreError::Forbidden { .. }) = &result {
            self.note_refusal(actor, "carry_over", AuditTarget::Unit(&item.unit_code), e);
        }
        result
    }
}
