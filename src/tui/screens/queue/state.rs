//! One stage's queue in memory: the stage's index (id, state, counts, unit of
//! every item), the ids the filter shows, the tags, and only the rows on screen
//! in full. Moving reads the store only when the window moves; filtering and
//! sorting read it not at all.

use crate::domain::{Finding, ReviewState, Stage};
use crate::store::{QueueFilter, QueueIndex, QueueRow, QueueSort, Store, StoreError};
use std::collections::HashSet;

#[derive(Debug)]
pub struct StageQueue {
    pub filter: QueueFilter,
    pub sort: QueueSort,
    /// Every item of the stage, read on the first load and after writes.
    index: Option<QueueIndex>,
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
            index: None,
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

    /// The first page and the counts only, for the first frame: a keyset page
    /// and a count over an index instead of the whole stage. `reload` completes it.
    pub fn load_first_page(&mut self, store: &Store, page: usize) -> Result<(), StoreError> {
        let scope = self.filter.scope.as_deref();
        self.window = store.queue_first_page(self.filter.stage, scope, page)?;
        self.ids = self.window.iter().map(|r| r.review_id).collect();
        self.counts = store.state_counts_in(self.filter.stage, scope)?;
        self.selected = 0;
        self.offset = 0;
        self.fetch_preview(store)
    }

    /// Whether only the first page is read.
    pub fn is_partial(&self) -> bool {
        !self.loaded
    }

    /// How many items the filter shows (known from the counts before the index is read).
    pub fn shown(&self) -> usize {
        if self.loaded {
            self.ids.len()
        } else {
            self.counts.iter().map(|(_, n)| *n as usize).sum()
        }
    }

    /// How many items the stage has within the reviewer's scope, and how
    /// many of them await a decision (pending or resubmitted), whatever the
    /// filter; `None` before the stage's index is read.
    pub fn stage_counts(&self) -> Option<(i64, i64)> {
        let scope_only = QueueFilter {
            scope: self.filter.scope.clone(),
            ..QueueFilter::stage(self.filter.stage)
        };
        let counts = self.index.as_ref()?.state_counts(&scope_only);
        let total = counts.iter().map(|(_, n)| n).sum();
        let waiting = counts
            .iter()
            .filter(|(st, _)| matches!(st, ReviewState::Pending | ReviewState::Resubmitted))
            .map(|(_, n)| n)
            .sum();
        Some((total, waiting))
    }

    pub fn selected_row(&self) -> Option<&QueueRow> {
        self.window.get(self.selected.checked_sub(self.offset)?)
    }

    pub fn selected_id(&self) -> Option<i64> {
        self.ids.get(self.selected).copied()
    }

    /// Re-reads the stage's index from the store (after writes, or when another
    /// reviewer changed the database) and shows it through the filter.
    pub fn reload(&mut self, store: &Store, page: usize) -> Result<(), StoreError> {
        self.index = Some(store.queue_index(self.filter.stage)?);
        self.search_corpus = None;
        self.refilter(store, page)
    }

    /// Applies the filter and sort to the index in memory, keeping the selected
    /// item when it is still shown; reads only the rows on screen.
    pub fn refilter(&mut self, store: &Store, page: usize) -> Result<(), StoreError> {
        let keep = self.selected_id();
        let index = match &mut self.index {
            Some(index) => index,
            None => self.index.insert(store.queue_index(self.filter.stage)?),
        };
        if index.needs_amounts(self.sort) {
            store.load_queue_amounts(index)?;
        }
        self.ids = index.ids(&self.filter, self.sort);
        self.counts = index.state_counts(&self.filter);
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

    /// Takes in one item changed by this session: its row on screen, its entry
    /// in the index and the counts. The item stays where it is until the next
    /// filter, so the reviewer sees what they just did.
    pub fn refresh_row(&mut self, store: &Store, review_id: i64) -> Result<(), StoreError> {
        let Some(row) = store.queue_rows_by_ids(&[review_id])?.pop() else {
            return Ok(());
        };
        if let Some(index) = &mut self.index {
            index.update(&row);
            self.counts = index.state_counts(&self.filter);
        }
        if let Some(slot) = self.window.iter_mut().find(|r| r.review_id == review_id) {
            *slot = row;
        }
        if self.selected_id() == Some(review_id) {
            self.fetch_preview(store)?;
        }
        Ok(())
    }

    /// Where the first shown item of a unit stands in the queue.
    pub fn first_of_unit(&self, unit_code: &str) -> Option<usize> {
        let index = self.index.as_ref()?;
        let mut filter = self.filter.clone();
        filter.unit_code = Some(unit_code.to_string());
        let of_unit: HashSet<i64> = index.ids(&filter, QueueSort::Loaded).into_iter().collect();
        self.ids.iter().position(|id| of_unit.contains(id))
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
