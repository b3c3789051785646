//! The screens, each owning its state: the four review queues, the workspace
//! of one item, the rectification board, the overview and result
//! application. A screen turns keys into its own actions against the shared
//! `Session`, draws itself from a read-only view of its state, and tells the
//! app what the others must know through an `Effect`; no screen calls another.

pub mod board;
pub mod overview;
pub mod queue;
pub mod results;
pub mod workspace;

use crate::config::Action;

/// How far a movement action moves a list or a body of `page` lines (None:
/// not a movement). One table for every screen, so `Ctrl-d` means the same
/// everywhere.
pub fn movement(action: Action, page: usize) -> Option<i64> {
    let page = page.max(1) as i64;
    Some(match action {
        Action::Down => 1,
        Action::Up => -1,
        Action::PageDown => page,
        Action::PageUp => -page,
        Action::HalfPageDown => (page / 2).max(1),
        Action::HalfPageUp => -(page / 2).max(1),
        Action::Top => i64::MIN / 2,
        Action::Bottom => i64::MAX / 2,
        _ => return None,
    })
}

/// Says how a search on a list went and returns the row to select: the hit
/// count in `rows` (件/行), or that nothing matches (an empty needle says nothing).
pub fn search_hit(
    ses: &mut crate::tui::session::Session,
    needle: &str,
    found: Option<(usize, usize)>,
    rows: &str,
) -> Option<usize> {
    use crate::tui::strings as s;
    match found {
        Some((i, hits)) => {
            ses.message = Some(format!("{}{hits}{rows}", s::SEARCH_HITS));
            Some(i)
        }
        None if needle.is_empty() => None,
        None => {
            ses.message = Some(format!("{}{needle}", s::SEARCH_NONE));
            None
        }
    }
}

/// What a screen's action means for the rest of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Effect {
    #[default]
    None,
    /// An item was decided: the queue shown moves on; its rows and the open
    /// workspace are read again.
    Decided(i64),
    /// An item changed in place (opinion, verdicts, documents, a new
    /// rectification): its rows and the open workspace are read again.
    Changed(i64),
    /// Many items may have changed (a batch, an undo, answers on tab 7):
    /// every screen reads again when next shown.
    Reload,
    /// Open the workspace of this review item.
    Open(i64),
    /// Close the workspace.
    Close,
}
