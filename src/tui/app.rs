//! The queue's state and `update(Action)`, the only place it changes. The view
//! reads this state and never touches the database; the window of rows on
//! screen is fetched here, by id, only when it moves.

use crate::config::Action;
use crate::domain::{Finding, ReviewState, Stage};
use crate::store::{QueueFilter, QueueRow, Store};

/// The tabs: the four review stages, rectification, overview.
pub const TAB_STAGES: [Stage; 5] = [
    Stage::Target,
    Stage::Monitoring,
    Stage::SelfEval,
    Stage::KeyEval,
    Stage::Rectification,
];
pub const TAB_COUNT: usize = 6;

/// One stage's queue: all matching ids (cheap), and only the visible rows in full.
#[derive(Debug, Default)]
pub struct StageQueue {
    pub ids: Vec<i64>,
    pub selected: usize,
    pub offset: usize,
    pub window: Vec<QueueRow>,
    pub counts: Vec<(ReviewState, i64)>,
    pub preview: Vec<Finding>,
    loaded: bool,
}

impl StageQueue {
    pub fn selected_row(&self) -> Option<&QueueRow> {
        self.window.get(self.selected.checked_sub(self.offset)?)
    }
}

/// Which overlay takes keys first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    Help,
}

pub struct App {
    pub store: Store,
    pub reviewer: String,
    pub tab: usize,
    pub queues: Vec<StageQueue>,
    pub overlay: Option<Overlay>,
    pub message: Option<String>,
    pub quit: bool,
    /// Item rows that fit on screen; set from the terminal size.
    pub page: usize,
}

impl App {
    pub fn new(store: Store, reviewer: String, page: usize) -> anyhow::Result<App> {
        let mut app = App {
            store,
            reviewer,
            tab: 0,
            queues: (0..TAB_STAGES.len()).map(|_| StageQueue::default()).collect(),
            overlay: None,
            message: None,
            quit: false,
            page: page.max(1),
        };
        app.load_tab()?;
        Ok(app)
    }

    /// The stage of the current tab, if it is a review queue.
    pub fn stage(&self) -> Option<Stage> {
        TAB_STAGES.get(self.tab).copied().filter(|s| *s != Stage::Rectification)
    }

    pub fn queue(&self) -> Option<&StageQueue> {
        self.stage().map(|_| &self.queues[self.tab])
    }

    fn load_tab(&mut self) -> anyhow::Result<()> {
        let Some(stage) = self.stage() else { return Ok(()) };
        let q = &mut self.queues[self.tab];
        if !q.loaded {
            let filter = QueueFilter::stage(stage);
            q.ids = self.store.queue_ids(&filter)?;
            q.counts = self.store.state_counts(stage, None)?;
            q.loaded = true;
        }
        self.fetch_window()
    }

    /// Reads the rows on screen and the selected item's findings.
    fn fetch_window(&mut self) -> anyhow::Result<()> {
        let page = self.page;
        let q = &mut self.queues[self.tab];
        let end = (q.offset + page).min(q.ids.len());
        q.window = self.store.queue_rows_by_ids(&q.ids[q.offset..end])?;
        q.preview = match q.ids.get(q.selected) {
            Some(id) => self.store.findings_for(*id)?,
            None => Vec::new(),
        };
        Ok(())
    }

    pub fn resize(&mut self, page: usize) -> anyhow::Result<()> {
        self.page = page.max(1);
        if self.stage().is_some() {
            let q = &mut self.queues[self.tab];
            q.offset = clamp_offset(q.selected, q.offset, self.page);
            self.fetch_window()?;
        }
        Ok(())
    }

    pub fn update(&mut self, action: Action) -> anyhow::Result<()> {
        if self.overlay.is_some() {
            self.overlay = None;
            return Ok(());
        }
        self.message = None;
        match action {
            Action::Quit => self.quit = true,
            Action::Help => self.overlay = Some(Overlay::Help),
            Action::NextStage => self.switch_tab((self.tab + 1) % TAB_COUNT)?,
            Action::PrevStage => self.switch_tab((self.tab + TAB_COUNT - 1) % TAB_COUNT)?,
            Action::Stage1 => self.switch_tab(0)?,
            Action::Stage2 => self.switch_tab(1)?,
            Action::Stage3 => self.switch_tab(2)?,
            Action::Stage4 => self.switch_tab(3)?,
            Action::Stage5 => self.switch_tab(4)?,
            Action::Stage6 => self.switch_tab(5)?,
            Action::Down => self.move_by(1)?,
            Action::Up => self.move_by(-1)?,
            Action::PageDown => self.move_by(self.page as i64)?,
            Action::PageUp => self.move_by(-(self.page as i64))?,
            Action::HalfPageDown => self.move_by((self.page / 2).max(1) as i64)?,
            Action::HalfPageUp => self.move_by(-((self.page / 2).max(1) as i64))?,
            Action::Top => self.move_by(i64::MIN / 2)?,
            Action::Bottom => self.move_by(i64::MAX / 2)?,
            Action::Refresh => {
                for q in &mut self.queues {
                    q.loaded = false;
                }
                self.load_tab()?;
            }
            other => self.message = Some(format!("{}{}", super::strings::NOT_YET, other.label())),
        }
        Ok(())
    }

    fn switch_tab(&mut self, tab: usize) -> anyhow::Result<()> {
        self.tab = tab;
        self.load_tab()
    }

    fn move_by(&mut self, delta: i64) -> anyhow::Result<()> {
        if self.stage().is_none() {
            return Ok(());
        }
        let page = self.page;
        let q = &mut self.queues[self.tab];
        if q.ids.is_empty() {
            return Ok(());
        }
        let last = q.ids.len() as i64 - 1;
        let next = (q.selected as i64).saturating_add(delta).clamp(0, last) as usize;
        if next == q.selected {
            return Ok(());
        }
        q.selected = next;
        let offset = clamp_offset(next, q.offset, page);
        let window_moved = offset != q.offset;
        q.offset = offset;
        if window_moved {
            self.fetch_window()
        } else {
            let q = &mut self.queues[self.tab];
            q.preview = self.store.findings_for(q.ids[q.selected])?;
            Ok(())
        }
    }
}

/// Keeps `selected` inside the window `[offset, offset + page)`, moving the window as little as possible.
fn clamp_offset(selected: usize, offset: usize, page: usize) -> usize {
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
