//! A review stage's queue (tabs 1–4): the list of items, tags, filter and
//! sort, and what the queue's keys do to the selected or tagged items.

mod draw;
mod state;

pub use draw::{draw, draw_filter_menu, status_text};
pub use state::{StageQueue, clamp_offset};

use super::Effect;
use crate::config::Action;
use crate::domain::states::ReviewAction;
use crate::domain::{ReviewState, Severity};
use crate::store::{QueueRow, QueueSort, StoreError};
use crate::tui::command::FilterSpec;
use crate::tui::overlay::{Confirm, EditPurpose, Overlay};
use crate::tui::prompt::{Prompt, PromptKind};
use crate::tui::session::{Decided, Session, rect_text};
use crate::tui::strings as s;

/// What the generic editor keys open on a queue item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EditKind {
    Return,
    Override,
    Opinion,
}

impl StageQueue {
    /// A mapped action on the queue (global actions are the app's).
    pub fn action(&mut self, action: Action, ses: &mut Session) -> anyhow::Result<Effect> {
        if let Some(delta) = super::movement(action, ses.page) {
            self.move_by(&ses.store, delta, ses.page)?;
            return Ok(Effect::None);
        }
        match action {
            Action::Filter => ses.overlay = Some(Overlay::FilterMenu),
            Action::Sort => self.cycle_sort(ses)?,
            Action::Tag => self.tag_selected(ses)?,
            Action::TagAll => self.tag_all(ses),
            Action::Approve => return self.approve_selected(ses),
            Action::Return => self.open_editor(ses, EditKind::Return)?,
            Action::Opinion => self.open_editor(ses, EditKind::Opinion)?,
            Action::BulkApprove => self.confirm_bulk(ses, true)?,
            Action::BulkReturn => self.confirm_bulk(ses, false)?,
            Action::Rectify => self.rectify_selected(ses)?,
            Action::Open => match self.selected_id() {
                Some(id) => return Ok(Effect::Open(id)),
                None => ses.message = Some(s::DETAIL_NOTHING.into()),
            },
            Action::ResultConfirm | Action::ResultChange | Action::ResultConfirmTagged => {
                ses.message = Some(s::RES_ONLY_HERE.into())
            }
            other => ses.message = Some(format!("{}{}", s::NOT_YET, other.label())),
        }
        Ok(Effect::None)
    }

    /// After a decision on this stage (here or in the workspace above): the
    /// selection moves on, then the decided row is read again.
    pub fn after_decided(&mut self, ses: &Session, id: i64) -> Result<(), StoreError> {
        // Moving first reads the next item's preview once; the decided row
        // then updates without a preview of its own.
        self.move_by(&ses.store, 1, ses.page)?;
        self.refresh_row(&ses.store, id)
    }

    fn cycle_sort(&mut self, ses: &mut Session) -> Result<(), StoreError> {
        let sort = match self.sort {
            QueueSort::Loaded => QueueSort::AmountDesc,
            QueueSort::AmountDesc => QueueSort::FindingsDesc,
            QueueSort::FindingsDesc => QueueSort::Unit,
            QueueSort::Unit => QueueSort::State,
            QueueSort::State => QueueSort::Loaded,
        };
        self.sort_by(ses, sort)
    }

    /// Shows the queue in another order (`s`, `:sort`).
    pub fn sort_by(&mut self, ses: &mut Session, sort: QueueSort) -> Result<(), StoreError> {
        self.sort = sort;
        self.refilter(&ses.store, ses.page)?;
        ses.message = Some(format!("{}{}", s::SORTED_BY, s::sort_label(sort)));
        Ok(())
    }

    // ---- tagging -------------------------------------------------------

    fn tag_selected(&mut self, ses: &Session) -> Result<(), StoreError> {
        let Some(id) = self.selected_id() else { return Ok(()) };
        if !self.tagged.remove(&id) {
            self.tagged.insert(id);
        }
        self.move_by(&ses.store, 1, ses.page)
    }

    fn tag_all(&mut self, ses: &mut Session) {
        if !self.ids.is_empty() && self.ids.iter().all(|id| self.tagged.contains(id)) {
            self.tagged.clear();
            ses.message = Some(s::UNTAGGED_ALL.into());
        } else {
            self.tagged.extend(self.ids.iter().copied());
            ses.message = Some(format!("{}{}", s::TAGGED_ALL, self.ids.len()));
        }
    }

    // ---- deciding ------------------------------------------------------

    fn approve_selected(&mut self, ses: &mut Session) -> anyhow::Result<Effect> {
        let Some(row) = self.selected_row().cloned() else {
            return Ok(Effect::None);
        };
        if row.blocking > 0 {
            ses.message = Some(format!("{}{}", row.blocking, s::NEEDS_OVERRIDE));
            self.open_editor(ses, EditKind::Override)?;
            return Ok(Effect::None);
        }
        let approve = ReviewAction::Approve {
            override_blocking: false,
        };
        Ok(match ses.decide_one(row.review_id, row.version, approve, "")? {
            Decided::Done => Effect::Decided(row.review_id),
            Decided::Refused { stale: true } => Effect::Reload,
            Decided::Refused { stale: false } => Effect::None,
        })
    }

    fn open_editor(&mut self, ses: &mut Session, kind: EditKind) -> anyhow::Result<()> {
        let Some(row) = self.selected_row().cloned() else {
            return Ok(());
        };
        let (id, version) = (row.review_id, row.version);
        let draft = ses.store.draft(&ses.user, id)?.map(|d| d.text);
        let existing = ses
            .store
            .review(id)?
            .map(|r| r.opinion)
            .filter(|o| !o.trim().is_empty());
        let initial = match kind {
            EditKind::Return => draft.or(existing).unwrap_or_else(|| s::return_draft(&self.preview)),
            EditKind::Override | EditKind::Opinion => draft.or(existing).unwrap_or_default(),
        };
        let (title, purpose) = match kind {
            EditKind::Return => (s::EDIT_RETURN, EditPurpose::Return { id, version }),
            EditKind::Override => (s::EDIT_OVERRIDE, EditPurpose::Override { id, version }),
            EditKind::Opinion => (s::EDIT_OPINION, EditPurpose::Opinion { id, version }),
        };
        let title = format!("{title} - {} - {}", row.unit_name, row.project_name);
        ses.open_editor(id, title, &initial, purpose);
        Ok(())
    }

    /// `x` on a queue item: the editor prefilled from its findings; saving
    /// creates the rectification.
    fn rectify_selected(&mut self, ses: &mut Session) -> anyhow::Result<()> {
        let Some(row) = self.selected_row().cloned() else {
            return Ok(());
        };
        let text = rect_text(&ses.store.findings_for(row.review_id)?);
        let title = format!("{} - {} - {}", s::RECT_EDIT_TITLE, row.unit_name, row.project_name);
        let purpose = EditPurpose::NewRectification {
            review_id: row.review_id,
        };
        ses.open_editor(row.review_id, title, &text, purpose);
        Ok(())
    }

    fn confirm_bulk(&mut self, ses: &mut Session, approve: bool) -> anyhow::Result<()> {
        let tagged = self.tagged_in_order();
        if tagged.is_empty() {
            ses.message = Some(s::NOTHING_TAGGED.into());
            return Ok(());
        }
        let rows = ses.store.queue_rows_by_ids(&tagged)?;
        // A batch acts on what is shown and allowed: another section's items
        // (tagged while the scope was wide) are left out and counted.
        let (rows, not_mine): (Vec<QueueRow>, Vec<QueueRow>) = rows
            .into_iter()
            .partition(|r| ses.me.as_ref().is_none_or(|me| me.may_act_on(&r.section)));
        let open = |r: &&QueueRow| matches!(r.state, ReviewState::Pending | ReviewState::Resubmitted);
        let decidable: Vec<&QueueRow> = rows.iter().filter(open).collect();
        let skipped = rows.len() - decidable.len();
        let others = not_mine.len();
        let confirm = if approve {
            let (blocking, clean): (Vec<&QueueRow>, Vec<&QueueRow>) =
                decidable.into_iter().partition(|r| r.blocking > 0);
            Confirm::BulkApprove {
                clean: clean.iter().map(|r| (r.review_id, r.version)).collect(),
                blocking: blocking.iter().map(|r| (r.review_id, r.version)).collect(),
                skipped,
                others,
            }
        } else {
            Confirm::BulkReturn {
                items: decidable.iter().map(|r| (r.review_id, r.version)).collect(),
                skipped,
                others,
            }
        };
        ses.overlay = Some(Overlay::Confirm(confirm));
        Ok(())
    }

    /// The answer to the queue's batch question (`[keys.confirm]`: yes,
    /// override_all; anything else cancels).
    pub fn confirm_answer(&mut self, ses: &mut Session, c: Confirm, answer: Option<Action>) -> anyhow::Result<Effect> {
        let yes = answer == Some(Action::Yes);
        let override_all = answer == Some(Action::OverrideAll);
        match c {
            Confirm::BulkApprove { clean, blocking, .. } => {
                if yes {
                    let approve = ReviewAction::Approve {
                        override_blocking: false,
                    };
                    return Ok(self.batch_done(ses, &clean, approve, "")?.unwrap_or_default());
                } else if override_all && !blocking.is_empty() {
                    let items = clean.into_iter().chain(blocking).collect();
                    ses.open_editor(0, s::EDIT_BULK_OVERRIDE.into(), "", EditPurpose::BulkOverride { items });
                } else {
                    ses.message = Some(s::CANCELLED.into());
                }
            }
            Confirm::BulkReturn { items, .. } => {
                if yes && !items.is_empty() {
                    let title = format!("{} - {}{}", s::EDIT_BULK_RETURN, items.len(), s::ITEMS);
                    ses.open_editor(0, title, "", EditPurpose::BulkReturn { items });
                } else {
                    ses.message = Some(if yes { s::NOTHING_TO_DECIDE } else { s::CANCELLED }.into());
                }
            }
            _ => {}
        }
        Ok(Effect::None)
    }

    /// Decides a batch of this queue's items; the tags go and every screen is
    /// read again. None when the batch was refused (the reason is on the message line).
    pub fn batch_done(
        &mut self,
        ses: &mut Session,
        items: &[(i64, i64)],
        action: ReviewAction,
        opinion: &str,
    ) -> anyhow::Result<Option<Effect>> {
        if !ses.decide_batch(items, action, opinion)? {
            return Ok(None);
        }
        self.tagged.clear();
        Ok(Some(Effect::Reload))
    }

    // ---- filter, search, goto ---------------------------------------------

    /// The filter as a command would write it.
    pub fn filter_spec(&self) -> FilterSpec {
        FilterSpec {
            state: self.filter.state,
            section: self.filter.section.clone(),
            unit: self.filter.unit_code.clone(),
            min_severity: self.filter.min_severity,
            has_findings: self.filter.has_findings,
        }
    }

    /// Shows the queue through a filter (`unit` already resolved to its code).
    pub fn apply_filter(&mut self, ses: &Session, spec: FilterSpec, unit: Option<String>) -> Result<(), StoreError> {
        self.filter.state = spec.state;
        self.filter.section = spec.section;
        self.filter.unit_code = unit;
        self.filter.min_severity = spec.min_severity;
        self.filter.has_findings = spec.has_findings;
        self.tagged.clear();
        self.refilter(&ses.store, ses.page)
    }

    /// `[keys.filter]`: state, section, unit, severity, findings, clear;
    /// each cycles and applies at once. Returns the spec to apply, if any.
    pub fn filter_menu_action(
        &mut self,
        ses: &mut Session,
        action: Option<Action>,
    ) -> anyhow::Result<Option<FilterSpec>> {
        let mut spec = self.filter_spec();
        let Some(action) = action else { return Ok(None) };
        match action {
            Action::FilterState => {
                spec.state = cycle(
                    &[
                        None,
                        Some(ReviewState::Pending),
                        Some(ReviewState::Resubmitted),
                        Some(ReviewState::Approved),
                        Some(ReviewState::Returned),
                    ],
                    &spec.state,
                )
            }
            Action::FilterSection => {
                let mut options: Vec<Option<String>> = vec![None];
                options.extend(ses.store.sections()?.into_iter().map(Some));
                spec.section = cycle(&options, &spec.section);
            }
            Action::FilterUnit => {
                ses.overlay = Some(Overlay::Prompt(Prompt::new(PromptKind::FilterUnit)));
                return Ok(None);
            }
            Action::FilterSeverity => {
                spec.min_severity = cycle(
                    &[
                        None,
                        Some(Severity::Blocking),
                        Some(Severity::Warning),
                        Some(Severity::Info),
                    ],
                    &spec.min_severity,
                )
            }
            Action::FilterFindings => spec.has_findings = cycle(&[None, Some(true), Some(false)], &spec.has_findings),
            Action::FilterClear => spec = FilterSpec::default(),
            Action::Close => {
                ses.overlay = None;
                return Ok(None);
            }
            _ => return Ok(None),
        }
        Ok(Some(spec))
    }

    /// Selects the first item matching `needle` at or after (`skip_current`:
    /// after) `from`, wrapping.
    pub fn search(
        &mut self,
        ses: &mut Session,
        needle: &str,
        from: usize,
        forward: bool,
        skip_current: bool,
    ) -> Result<(), StoreError> {
        if needle.is_empty() || self.ids.is_empty() {
            return Ok(());
        }
        if self.search_corpus.is_none() {
            self.search_corpus = Some(ses.store.search_corpus(self.filter.stage)?);
        }
        let needle_lc = needle.to_lowercase();
        let hits: std::collections::HashSet<i64> = self
            .search_corpus
            .iter()
            .flatten()
            .filter(|(_, text)| text.contains(&needle_lc))
            .map(|(id, _)| *id)
            .collect();
        let found = crate::tui::search::next_match(self.ids.len(), from, forward, skip_current, |i| {
            hits.contains(&self.ids[i])
        });
        match found {
            Some(i) => {
                self.select(&ses.store, i, ses.page)?;
                ses.message = Some(format!("{}{}{}", s::SEARCH_HITS, hits.len(), s::ITEMS));
            }
            None => ses.message = Some(format!("{}{needle}", s::SEARCH_NONE)),
        }
        Ok(())
    }

    /// `:goto 单位`: the unit's first item shown.
    pub fn goto_unit(&mut self, ses: &mut Session, code: &str, name: &str) -> Result<(), StoreError> {
        match self.first_of_unit(code) {
            Some(i) => {
                self.select(&ses.store, i, ses.page)?;
                ses.message = Some(format!("{}{name}", s::WENT_TO));
            }
            None => ses.message = Some(format!("{name}{}", s::UNIT_NOT_SHOWN)),
        }
        Ok(())
    }

    /// The selected item's findings and opinion, for the reader.
    pub fn reader_doc(&self, ses: &Session) -> anyhow::Result<Option<(String, crate::tui::reader::Doc)>> {
        let Some(row) = self.selected_row() else {
            return Ok(None);
        };
        let mut doc = crate::tui::reader::Doc::default();
        doc.findings(&ses.store.findings_for(row.review_id)?);
        doc.opinion(&ses.store.review(row.review_id)?.map(|r| r.opinion).unwrap_or_default());
        let title = format!(
            "{} - {} - {} ({})",
            row.stage.label(),
            row.unit_name,
            row.project_name,
            row.project_code.as_deref().unwrap_or("")
        );
        Ok(Some((title, doc)))
    }
}

/// The option after `current` in `options`, wrapping.
fn cycle<T: Clone + PartialEq>(options: &[T], current: &T) -> T {
    let i = options
        .iter()
        .position(|o| o == current)
        .map_or(0, |i| (i + 1) % options.len());
    options[i].clone()
}
