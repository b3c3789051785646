//! Rectification tracking (整改跟踪): overdue items and sign-offs without evidence.

use super::{Sink, is_blank};
use crate::domain::labels::{RectState, Stage};
use crate::domain::model::{Finding, Rectification};
use chrono::NaiveDate;

/// Findings of one rectification item as of `today`. The deadline day itself
/// is still in time.
pub fn rectification_findings(r: &Rectification, today: NaiveDate) -> Vec<Finding> {
    let mut sink = Sink::new(Stage::Rectification, &r.unit_code, r.project_code.as_deref());
    if r.is_overdue(today) {
        sink.push(
            "X-OVERDUE",
            None,
            format!(
                "整改事项「{}」已逾期 {} 天（整改期限 {}，当前状态「{}」）",
                r.problem.trim(),
                -r.days_left(today),
                r.deadline.format("%Y-%m-%d"),
                r.state.label()
            ),
        );
    }
    if r.state == RectState::Verified && is_blank(&r.evidence) {
        sink.push(
            "X-EVIDENCE",
            None,
            format!("整改事项「{}」已销号，但无整改佐证材料", r.problem.trim()),
        );
    }
    sink.finish()
}
