//! What can lie on top of a screen: help, a one-line prompt, the queue's
//! filter menu, a y/n question, the opinion editor or the reader. Each
//! carries, as plain data, what answering it does (`EditPurpose`, `Confirm`,
//! `StagePrompt`, defined with the prompt); the screen that asked turns the answer into a change, so
//! this module knows no screen.

use super::editor::OpinionEditor;
use super::prompt::Prompt;
use super::reader::Reader;

/// Which overlay takes keys first.
pub enum Overlay {
    Help,
    Prompt(Prompt),
    FilterMenu,
    Confirm(Confirm),
    Editor(Box<OpinionEditor>, EditPurpose),
    /// One long text on the whole screen (`reader` key).
    Reader(Box<Reader>),
}

/// What saving the editor does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditPurpose {
    /// Return one item with this opinion.
    Return { id: i64, version: i64 },
    /// Approve one item with blocking findings, the opinion saying why.
    Override { id: i64, version: i64 },
    /// Save the opinion only.
    Opinion { id: i64, version: i64 },
    /// Return every tagged item with one opinion.
    BulkReturn { items: Vec<(i64, i64)> },
    /// Approve every tagged item, blocking ones included, with one opinion.
    BulkOverride { items: Vec<(i64, i64)> },
    /// Create a rectification of this item; the text is the problem.
    NewRectification { review_id: i64 },
    /// Reject a monitoring explanation: return the item and open a rectification.
    RejectExplanation { id: i64, version: i64 },
}

/// A question waiting for y/n.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirm {
    /// Approve the clean tagged items; `blocking` lists those that need an override.
    BulkApprove {
        clean: Vec<(i64, i64)>,
        blocking: Vec<(i64, i64)>,
        skipped: usize,
        /// Tagged items of sections not the reviewer's, left out.
        others: usize,
    },
    BulkReturn {
        items: Vec<(i64, i64)>,
        skipped: usize,
        others: usize,
    },
    /// Drafts left from a dropped session: open the first.
    Drafts {
        review_id: i64,
        count: usize,
        /// `单位「项目」` of the most recent one.
        latest: String,
    },
    /// Nothing tagged on the result-application tab: confirm the suggestion
    /// of every open row shown (these projects).
    ConfirmResults { projects: Vec<i64> },
}
