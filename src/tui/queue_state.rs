//! One stage's queue in memory: every matching id (cheap), the tags, and only
//! the rows on screen in full. Moving reads the store only when the window moves.

use crate::domain::{Finding, ReviewState, Stage};
use crate::store::{QueueFilter, QueueRow, QueueSort, Store, StoreError};
use std::collections::HashSet;

#[derive(Debug)]
pub struct StageQueue {
    pub filter: QueueFilter,
    pub sort: QueueSort,
    pub ids: Vec<i64>,
    pub selected: usize,
    pub offset: usize,
    /// The rows on screen, `ids[offset..offset + window.len()]`.
    pub window: Vec<QueueRow>,
    pub counts: Vec<(ReviewState, i64)>,
    pub preview: Vec<Finding>,
    pub tagged: HashSet<i64>,
    pub loaded: bool,
    /// What `/` searches, read on the first search and dropped on every reload.
    pub search_corpus: Option<Vec<(i64, String)>>,
}

impl StageQueue {
    pub fn new(stage: Stage) -> StageQueue {
        StageQueue {
            filter: QueueFilter::stage(stage),
            sort: QueueSort::default(),
            ids: Vec::new(),
            selected: 0,
            offset: 0,
            window: Vec::new(),
            counts: Vec::new(),
            preview: Vec::new(),
            tagged: HashSet::new(),
            loaded: false,
            search_corpus: None,
        }
    }

    pub fn selected_row(&self) -> Option<&QueueRow> {
        self.window.get(self.selected.checked_sub(self.offset)?)
    }

    pub fn selected_id(&self) -> Option<i64> {
        self.ids.get(self.selected).copied()
    }

    /// Re-reads the ids for the filter and sort, keeping the selected item when it is still shown.
    pub fn reload(&mut self, store: &Store, page: usize) -> Result<(), StoreError> {
        let keep = self.selected_id();
        self.search_corpus = None;
        self.ids = store.queue_ids_sorted(&self.filter, self.sort)?;
        self.counts = store.state_counts(self.filter.stage, self.filter.section.as_deref())?;
        self.selected = keep.and_then(|id| self.ids.iter().position(|x| *x == id)).unwrap_or(0);
        self.selected = self.selected.min(self.ids.len().saturating_sub(1));
        self.offset = clamp_offset(self.selected, self.offset.min(self.selected), page);
        self.loaded = true;
        self.fetch_window(store, page)
    }

    /// Reads the rows on screen and the selected item's findings.
    pub fn fetch_window(&mut self, store: &Store, page: usize) -> Result<(), StoreError> {
        let end = (self.offset + page).min(self.ids.len());
        self.window = store.queue_rows_by_ids(&self.ids[self.offset.min(end)..end])?;
        self.fetch_preview(store)
    }

    pub fn fetch_preview(&mut self, store: &Store) -> Result<(), StoreError> {
        self.preview = match self.selected_id() {
            Some(id) => store.findings_for(id)?,
            None => Vec::new(),
        };
        Ok(())
    }

    /// Moves the selection to `index` (clamped), reading only what changed.
    pub fn select(&mut self, store: &Store, index: usize, page: usize) -> Result<(), StoreError> {
        if self.ids.is_empty() {
            return Ok(());
        }
        let next = index.min(self.ids.len() - 1);
        if next == self.selected {
            return Ok(());
        }
        self.selected = next;
        let offset = clamp_offset(next, self.offset, page);
        if offset != self.offset {
            self.offset = offset;
            self.fetch_window(store, page)
        } else {
            self.fetch_preview(store)
        }
    }

    pub fn move_by(&mut self, store: &Store, delta: i64, page: usize) -> Result<(), StoreError> {
        let last = self.ids.len().saturating_sub(1) as i64;
        let next = (self.selected as i64).saturating_add(delta).clamp(0, last.max(0));
        self.select(store, next as usize, page)
    }

    /// Puts a fresh copy of one row into the window after a decision.
    pub fn refresh_row(&mut self, store: &Store, review_id: i64) -> Result<(), StoreError> {
        if let Some(slot) = self.window.iter_mut().find(|r| r.review_id == review_id)
            && let Some(row) = store.queue_rows_by_ids(&[review_id])?.pop()
        {
            *slot = row;
        }
        self.counts = store.state_counts(self.filter.stage, self.filter.section.as_deref())?;
        self.fetch_preview(store)
    }

    /// Tagged ids in queue order.
    pub fn tagged_in_order(&self) -> Vec<i64> {
        self.ids.iter().copied().filter(|id| self.tagged.contains(id)).collect()
    }
}

/// Keeps `selected` inside the window `[offset, offset + page)`, moving the window as little as possible.
pub fn clamp_offset(selected: usize, offset: usize, page: usize) -> usize {
    let page = page.max(1);
    if selected < offset {
        selected
    } else if selected >= offset + page {
        selected + 1 - page
    } else {
        offset
    }
}

#[cfg(test)]
mod tests {
    use super::clamp_offset;

    #[test]
    fn window_follows_selection_minimally() {
        assert_eq!(clamp_offset(5, 0, 10), 0);
        assert_eq!(clamp_offset(10, 0, 10), 1);
        assert_eq!(clamp_offset(3, 5, 10), 3);
        assert_eq!(clamp_offset(100, 0, 15), 86);
    }
}
