//! The queue's state and the one place it changes: `update(Action)` for mapped
//! keys, `overlay_key` for overlays that read raw keys (editor, prompts,
//! confirmations). The view reads this state and never touches the database.

use super::command::{self, Command, FilterSpec};
use super::editor::{EditorOutcome, OpinionEditor};
use super::prompt::{Prompt, PromptKind, PromptOutcome};
use super::queue_state::StageQueue;
use super::strings as s;
use crate::config::{Action, Config};
use crate::domain::rules::review_findings;
use crate::domain::states::ReviewAction;
use crate::domain::{Rectification, ReviewState, Severity, Stage};
use crate::store::{QueueRow, QueueSort, Store, StoreError, UndoEntry, UndoStep};
use ratatui::crossterm::event::{KeyCode, KeyEvent};

/// The tabs: the four review stages, rectification, overview, result application.
pub const TAB_STAGES: [Stage; 5] = [
    Stage::Target,
    Stage::Monitoring,
    Stage::SelfEval,
    Stage::KeyEval,
    Stage::Rectification,
];
pub const TAB_COUNT: usize = 7;
const REVIEW_TABS: usize = 4;
/// Tab 5 (rectification board), 6 (overview) and 7 (result application), 0-based.
pub const TAB_BOARD: usize = 4;
pub const TAB_OVERVIEW: usize = 5;
pub const TAB_RESULTS: usize = 6;

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

/// Which overlay takes keys first.
pub enum Overlay {
    Help,
    Prompt(Prompt),
    FilterMenu,
    Confirm(Confirm),
    Editor(Box<OpinionEditor>, EditPurpose),
    /// One long text on the whole screen (`reader` key).
    Reader(Box<super::reader::Reader>),
}

/// Why the text being typed could not be kept as a draft (it is returned, so
/// that a session ending anyway can at least log it).
#[derive(Debug)]
pub enum DraftNotKept {
    /// A bulk override's reason or a bulk return's opinion: no one item to keep it on.
    NoItem(String),
    /// The store refused (the disk is full, the database locked…).
    Failed(String, StoreError),
}

pub struct App {
    pub store: Store,
    pub config: Config,
    /// The OS user acting, and the name shown.
    pub user: String,
    pub reviewer_name: String,
    pub tab: usize,
    pub queues: Vec<StageQueue>,
    pub rectifications: Vec<Rectification>,
    pub overlay: Option<Overlay>,
    pub message: Option<String>,
    pub quit: bool,
    /// Item rows that fit on screen; set from the terminal size.
    pub page: usize,
    /// The last search, for n / N.
    pub last_search: Option<String>,
    /// Where the selection was when `/` was pressed (Esc goes back there).
    search_origin: usize,
    /// What the reviewer did this session, newest last: `u` takes back the last.
    undo: Vec<UndoEntry>,
    data_version: i64,
    pub today: chrono::NaiveDate,
    /// The stage workspace open on top of the queue, if any.
    pub detail: Option<Box<super::detail::Detail>>,
    /// Tab 5.
    pub board: super::board::Board,
    /// Tab 6, read when the tab is shown.
    pub overview: Option<crate::store::Overview>,
    /// Tab 7, read when the tab is shown.
    pub results: super::results::ResultsTab,
    /// Why this session may change nothing (an unknown OS user, an auditor):
    /// shown in the status bar and in answer to every decision key.
    pub read_only: Option<String>,
    /// The staff record of the user (None: not registered).
    pub me: Option<crate::domain::model::Reviewer>,
    /// Whose work the tabs show: the reviewer's sections, or all.
    pub scope: super::scope::Scope,
    /// The terminal's state as the run loop knows it (too small, repaint asked).
    pub screen: super::layout::Screen,
}

impl App {
    /// The queue fully loaded, ready for keys.
    pub fn new(store: Store, config: Config, user: String, reviewer_name: String, page: usize) -> anyhow::Result<App> {
        let mut app = App::new_first_frame(store, config, user, reviewer_name, page)?;
        app.complete_loading()?;
        Ok(app)
    }

    /// Just enough for the first frame (the first page of the first queue and
    /// its counts); `complete_loading` must run before the first key. At 10×
    /// reading the whole queue's index is most of start-up, and the user cannot
    /// type before the frame is on screen anyway.
    pub fn new_first_frame(
        store: Store,
        config: Config,
        user: String,
        reviewer_name: String,
        page: usize,
    ) -> anyhow::Result<App> {
        let data_version = store.data_version()?;
        let read_only = store.read_only_reason(&user)?;
        let me = store.reviewer(&user)?;
        let scope = super::scope::Scope::read(&store, &user, me.as_ref())?;
        let scoped = scope.sections().map(<[String]>::to_vec);
        let mut app = App {
            store,
            config,
            user,
            reviewer_name,
            tab: 0,
            queues: TAB_STAGES[..REVIEW_TABS]
                .iter()
                .map(|st| {
                    let mut q = StageQueue::new(*st);
                    q.filter.scope = scoped.clone();
                    q
                })
                .collect(),
            rectifications: Vec::new(),
            overlay: None,
            message: None,
            quit: false,
            page: page.max(1),
            last_search: None,
            search_origin: 0,
            undo: Vec::new(),
            data_version,
            today: chrono::Local::now().date_naive(),
            detail: None,
            board: super::board::Board::default(),
            overview: None,
            results: super::results::ResultsTab::default(),
            read_only,
            me,
            scope,
            screen: Default::default(),
        };
        app.board.scope = scoped.clone();
        app.results.scope = scoped;
        let page = app.page;
        app.queues[0].load_first_page(&app.store, page)?;
        app.offer_drafts()?;
        Ok(app)
    }

    /// Reads what the first frame left out.
    /// Returns whether the screen would change (another reviewer wrote in
    /// between); if not, the first frame stands and nothing is sent again.
    pub fn complete_loading(&mut self) -> Result<bool, StoreError> {
        let page = self.page;
        match self.queues.get_mut(self.tab) {
            Some(q) if q.is_partial() => {
                let shown = (q.window.clone(), q.counts.clone());
                q.reload(&self.store, page)?;
                Ok(shown != (q.window.clone(), q.counts.clone()))
            }
            _ => self.load_tab().map(|_| true),
        }
    }

    /// The stage of the current tab, if it is a review queue.
    pub fn stage(&self) -> Option<Stage> {
        (self.tab < REVIEW_TABS).then(|| TAB_STAGES[self.tab])
    }

    pub fn queue(&self) -> Option<&StageQueue> {
        self.queues.get(self.tab)
    }

    fn queue_mut(&mut self) -> Option<&mut StageQueue> {
        self.queues.get_mut(self.tab)
    }

    fn load_tab(&mut self) -> Result<(), StoreError> {
        let page = self.page;
        if let Some(q) = self.queues.get_mut(self.tab) {
            if q.loaded {
                q.fetch_window(&self.store, page)?;
            } else {
                q.reload(&self.store, page)?;
            }
        } else if self.tab == TAB_BOARD {
            self.rectifications = self.store.rectifications(None)?;
            self.board.today = Some(self.today);
            self.board.load(&self.store)?;
        } else if self.tab == TAB_OVERVIEW {
            super::overview::load(self)?;
        } else if self.tab == TAB_RESULTS {
            super::results::show(self)?;
        }
        Ok(())
    }

    /// After a workspace closes: the tab beneath shows what it changed.
    pub fn workspace_closed(&mut self) -> Result<(), StoreError> {
        self.results.loaded = false;
        if self.tab == TAB_RESULTS {
            super::results::load(self)?;
        }
        Ok(())
    }

    fn reload_tab(&mut self) -> Result<(), StoreError> {
        let page = self.page;
        match self.queues.get_mut(self.tab) {
            Some(q) => q.reload(&self.store, page),
            None => self.load_tab(),
        }
    }

    /// Shows the current tab through a changed filter or sort: in memory.
    fn refilter_tab(&mut self) -> Result<(), StoreError> {
        let page = self.page;
        match self.queues.get_mut(self.tab) {
            Some(q) => q.refilter(&self.store, page),
            None => self.load_tab(),
        }
    }

    pub fn resize(&mut self, page: usize) -> anyhow::Result<()> {
        self.page = page.max(1);
        let page = self.page;
        if let Some(q) = self.queues.get_mut(self.tab) {
            q.offset = super::queue_state::clamp_offset(q.selected, q.offset, page);
            q.fetch_window(&self.store, page)?;
        }
        // Keeps tab 7's selection on screen.
        self.results.move_by(0, page);
        Ok(())
    }

    /// Picks up other reviewers' writes: a cheap `PRAGMA data_version` per key.
    pub fn notice_other_writers(&mut self) -> Result<(), StoreError> {
        let v = self.store.data_version()?;
        if v != self.data_version {
            self.data_version = v;
            for q in &mut self.queues {
                q.loaded = false;
            }
            self.results.loaded = false;
            self.load_tab()?;
        }
        Ok(())
    }

    /// Whether the current overlay reads raw keys instead of mapped actions.
    pub fn overlay_takes_keys(&self) -> bool {
        self.overlay.is_some()
    }

    /// A mapped action on the queue.
    pub fn update(&mut self, action: Action) -> anyhow::Result<()> {
        if action == Action::Reader {
            // Before the message is cleared: a message too long for its line is read first.
            return super::reader::open_for_screen(self);
        }
        self.message = None;
        if let Some(reason) = &self.read_only
            && changes_items(action)
        {
            // The store would refuse too; say why before opening any editor.
            self.message = Some(reason.clone());
            return Ok(());
        }
        let page = self.page as i64;
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
            Action::Stage7 => self.switch_tab(TAB_RESULTS)?,
            Action::Down => self.move_by(1)?,
            Action::Up => self.move_by(-1)?,
            Action::PageDown => self.move_by(page)?,
            Action::PageUp => self.move_by(-page)?,
            Action::HalfPageDown => self.move_by((page / 2).max(1))?,
            Action::HalfPageUp => self.move_by(-(page / 2).max(1))?,
            Action::Top => self.move_by(i64::MIN / 2)?,
            Action::Bottom => self.move_by(i64::MAX / 2)?,
            Action::Refresh => {
                // Findings an interrupted import left behind its data are
                // recomputed first (a read-only session cannot, and says so).
                if let Err(e) = self.store.refresh_figures_if_stale(&self.config.rules, self.today) {
                    tracing::warn!("refresh of stale findings: {e}");
                }
                for q in &mut self.queues {
                    q.loaded = false;
                }
                self.results.loaded = false;
                self.load_tab()?;
                self.screen.repaint = true;
                self.message = Some(s::REFRESHED.into());
            }
            Action::Command => self.overlay = Some(Overlay::Prompt(Prompt::new(PromptKind::Command))),
            Action::Search if self.stage().is_some() || self.tab == TAB_RESULTS || self.tab == TAB_BOARD => {
                self.search_origin = self.selected_index();
                self.overlay = Some(Overlay::Prompt(Prompt::new(PromptKind::Search)));
            }
            Action::SearchNext => self.search_step(true)?,
            Action::SearchPrev => self.search_step(false)?,
            Action::Filter if self.stage().is_some() => self.overlay = Some(Overlay::FilterMenu),
            Action::Filter if self.tab == TAB_RESULTS => super::results::cycle_filter(self),
            Action::Filter if self.tab == TAB_BOARD => super::board::cycle_filter(self),
            Action::Scope => self.toggle_scope()?,
            Action::Sort if self.stage().is_some() => self.cycle_sort()?,
            Action::Tag if self.tab == TAB_RESULTS => super::results::tag(self),
            Action::TagAll if self.tab == TAB_RESULTS => super::results::tag_all(self),
            Action::Tag => self.tag_selected()?,
            Action::TagAll => self.tag_all(),
            Action::Approve => self.approve_selected()?,
            Action::Return => self.open_editor(EditKind::Return)?,
            Action::Opinion => self.open_editor(EditKind::Opinion)?,
            Action::BulkApprove => self.confirm_bulk(true)?,
            Action::BulkReturn => self.confirm_bulk(false)?,
            Action::Undo => self.undo_last()?,
            Action::Open if self.stage().is_some() => super::detail::open_selected(self)?,
            Action::Open if self.tab == TAB_RESULTS => super::results::open_selected(self)?,
            // The store answers who may confirm what (read-only sessions and
            // other sections' projects included).
            Action::ResultConfirm if self.tab == TAB_RESULTS => super::results::confirm_selected(self)?,
            Action::ResultChange if self.tab == TAB_RESULTS => super::results::ask_change(self),
            Action::ResultConfirmTagged if self.tab == TAB_RESULTS => super::results::confirm_tagged(self)?,
            Action::ResultConfirm | Action::ResultChange | Action::ResultConfirmTagged => {
                self.message = Some(s::RES_ONLY_HERE.into())
            }
            Action::Rectify if self.stage().is_some() => self.rectify_selected()?,
            other => self.message = Some(format!("{}{}", s::NOT_YET, other.label())),
        }
        Ok(())
    }

    /// `F`: the reviewer's own sections or every section, on every tab at
    /// once, kept for their next session.
    fn toggle_scope(&mut self) -> anyhow::Result<()> {
        if !self.scope.has_own() {
            self.message = Some(s::SCOPE_NONE_OWN.into());
            return Ok(());
        }
        if let Err(e) = self.scope.toggle(&mut self.store, &self.user) {
            // Not kept for next time, but shown now.
            tracing::warn!("scope not saved: {e}");
        }
        let scoped = self.scope.sections().map(<[String]>::to_vec);
        for q in &mut self.queues {
            q.filter.scope = scoped.clone();
            q.tagged.clear();
            q.loaded = false;
        }
        self.board.scope = scoped.clone();
        self.board.refilter();
        self.results.scope = scoped;
        self.results.tagged.clear();
        self.results.loaded = false;
        self.load_tab()?;
        self.message = Some(format!("{}{}", s::SCOPE_NOW, self.scope.label()));
        Ok(())
    }

    fn switch_tab(&mut self, tab: usize) -> Result<(), StoreError> {
        self.tab = tab;
        self.load_tab()
    }

    fn move_by(&mut self, delta: i64) -> Result<(), StoreError> {
        let page = self.page;
        match self.queues.get_mut(self.tab) {
            Some(q) => q.move_by(&self.store, delta, page),
            None if self.tab == TAB_RESULTS => {
                self.results.move_by(delta, page);
                Ok(())
            }
            None => {
                self.board.move_by(delta, page);
                Ok(())
            }
        }
    }

    /// `x` on a queue item: the editor prefilled from its findings; saving
    /// creates the rectification.
    fn rectify_selected(&mut self) -> anyhow::Result<()> {
        let Some(row) = self.selected_row() else { return Ok(()) };
        let text = super::detail::rect_text(&self.store.findings_for(row.review_id)?);
        let title = format!("{} - {} - {}", s::RECT_EDIT_TITLE, row.unit_name, row.project_name);
        self.overlay = Some(Overlay::Editor(
            Box::new(OpinionEditor::new(row.review_id, title, &text)),
            EditPurpose::NewRectification {
                review_id: row.review_id,
            },
        ));
        Ok(())
    }

    /// After a workspace changed an item: its review-quality findings and its queue row.
    pub(crate) fn after_decision(&mut self, id: i64) -> Result<(), StoreError> {
        self.refresh_review_quality(&[id])?;
        for q in &mut self.queues {
            if q.loaded && q.ids.contains(&id) {
                q.refresh_row(&self.store, id)?;
            }
        }
        Ok(())
    }

    fn cycle_sort(&mut self) -> Result<(), StoreError> {
        let Some(q) = self.queue_mut() else { return Ok(()) };
        q.sort = match q.sort {
            QueueSort::Loaded => QueueSort::AmountDesc,
            QueueSort::AmountDesc => QueueSort::FindingsDesc,
            QueueSort::FindingsDesc => QueueSort::Unit,
            QueueSort::Unit => QueueSort::State,
            QueueSort::State => QueueSort::Loaded,
        };
        let label = s::sort_label(q.sort);
        self.refilter_tab()?;
        self.message = Some(format!("{}{label}", s::SORTED_BY));
        Ok(())
    }

    // ---- tagging -------------------------------------------------------

    fn tag_selected(&mut self) -> Result<(), StoreError> {
        let page = self.page;
        let Some(q) = self.queues.get_mut(self.tab) else {
            return Ok(());
        };
        let Some(id) = q.selected_id() else { return Ok(()) };
        if !q.tagged.remove(&id) {
            q.tagged.insert(id);
        }
        q.move_by(&self.store, 1, page)
    }

    fn tag_all(&mut self) {
        let Some(q) = self.queues.get_mut(self.tab) else { return };
        if !q.ids.is_empty() && q.ids.iter().all(|id| q.tagged.contains(id)) {
            q.tagged.clear();
            self.message = Some(s::UNTAGGED_ALL.into());
        } else {
            q.tagged.extend(q.ids.iter().copied());
            self.message = Some(format!("{}{}", s::TAGGED_ALL, q.ids.len()));
        }
    }

    // ---- deciding ------------------------------------------------------

    fn selected_row(&self) -> Option<QueueRow> {
        self.queue()?.selected_row().cloned()
    }

    fn approve_selected(&mut self) -> anyhow::Result<()> {
        let Some(row) = self.selected_row() else { return Ok(()) };
        if row.blocking > 0 {
            self.message = Some(format!("{}{}", row.blocking, s::NEEDS_OVERRIDE));
            return self.open_editor(EditKind::Override);
        }
        self.decide_one(
            row.review_id,
            row.version,
            ReviewAction::Approve {
                override_blocking: false,
            },
            "",
        )?;
        Ok(())
    }

    /// Decides one item, records it for undo, refreshes its row and moves on;
    /// false when refused (the reason is in the message line).
    pub(crate) fn decide_one(
        &mut self,
        id: i64,
        version: i64,
        action: ReviewAction,
        opinion: &str,
    ) -> anyhow::Result<bool> {
        let before = self.store.review(id)?;
        match self
            .store
            .decide(id, version, action, opinion, &self.user, &self.config.rules.review)
        {
            Ok(after) => {
                if let Some(before) = before {
                    let what = format!("{} {}", action.label(), self.item_label(id));
                    self.remember(
                        what,
                        vec![UndoStep::Review {
                            before,
                            version_after: after.version,
                        }],
                    );
                }
                self.refresh_quality_of(&after)?;
                let page = self.page;
                if let Some(q) = self.queues.get_mut(self.tab) {
                    // Moving first reads the next item's preview once; the
                    // decided row then updates without a preview of its own.
                    q.move_by(&self.store, 1, page)?;
                    q.refresh_row(&self.store, id)?;
                }
                self.message = Some(format!("{}{}", action.label(), s::DONE_SUFFIX));
                Ok(true)
            }
            Err(e) => {
                self.message = Some(self.explain(&e));
                if matches!(e, StoreError::Conflict { .. }) {
                    self.reload_tab()?;
                }
                Ok(false)
            }
        }
    }

    /// The review-quality findings (R-OPINION) depend on the opinion just written.
    fn refresh_review_quality(&mut self, ids: &[i64]) -> Result<(), StoreError> {
        for id in ids {
            if let Some(review) = self.store.review(*id)? {
                self.refresh_quality_of(&review)?;
            }
        }
        Ok(())
    }

    /// The review-quality findings of one item as it stands now.
    fn refresh_quality_of(&mut self, review: &crate::domain::model::Review) -> Result<(), StoreError> {
        let stored = self.store.findings_for(review.id)?;
        let mut found: Vec<_> = stored.iter().filter(|f| !f.rule.starts_with("R-")).cloned().collect();
        let quality = review_findings(review, &found, &self.config.rules);
        found.extend(quality);
        // Most decisions change no finding (a clean item approved): no second write.
        if found != stored {
            self.store.replace_findings(review.id, &found)?;
        }
        Ok(())
    }

    /// A store error in the reviewer's words (conflicts name who changed the item).
    fn explain(&self, e: &StoreError) -> String {
        match e {
            StoreError::Conflict {
                changed_by, changed_at, ..
            } => {
                format!(
                    "{}{}（{changed_at}）{}",
                    s::CONFLICT_PREFIX,
                    self.person(changed_by),
                    s::CONFLICT_SUFFIX
                )
            }
            other => other.to_string(),
        }
    }

    /// A colleague as the staff list names them: `王芳（wangfang）`, or the login alone.
    fn person(&self, login: &str) -> String {
        let login = crate::domain::text::sanitize(login);
        match self.store.reviewer(&login) {
            Ok(Some(r)) if r.name != login => format!("{}（{login}）", crate::domain::text::sanitize(&r.name)),
            _ => login,
        }
    }

    fn open_editor(&mut self, kind: EditKind) -> anyhow::Result<()> {
        let Some(row) = self.selected_row() else { return Ok(()) };
        let (id, version) = (row.review_id, row.version);
        let draft = self.store.draft(&self.user, id)?.map(|d| d.text);
        let review = self.store.review(id)?;
        let existing = review
            .as_ref()
            .map(|r| r.opinion.clone())
            .filter(|o| !o.trim().is_empty());
        let initial = match kind {
            EditKind::Return => draft
                .or(existing)
                .unwrap_or_else(|| s::return_draft(&self.queue().map(|q| q.preview.clone()).unwrap_or_default())),
            EditKind::Override | EditKind::Opinion => draft.or(existing).unwrap_or_default(),
        };
        let (title, purpose) = match kind {
            EditKind::Return => (s::EDIT_RETURN, EditPurpose::Return { id, version }),
            EditKind::Override => (s::EDIT_OVERRIDE, EditPurpose::Override { id, version }),
            EditKind::Opinion => (s::EDIT_OPINION, EditPurpose::Opinion { id, version }),
        };
        let title = format!("{title} - {} - {}", row.unit_name, row.project_name);
        self.overlay = Some(Overlay::Editor(
            Box::new(OpinionEditor::new(id, title, &initial)),
            purpose,
        ));
        Ok(())
    }

    fn confirm_bulk(&mut self, approve: bool) -> anyhow::Result<()> {
        let Some(q) = self.queue() else { return Ok(()) };
        let tagged = q.tagged_in_order();
        if tagged.is_empty() {
            self.message = Some(s::NOTHING_TAGGED.into());
            return Ok(());
        }
        let rows = self.store.queue_rows_by_ids(&tagged)?;
        // A batch acts on what is shown and allowed: another section's items
        // (tagged while the scope was wide) are left out and counted.
        let (rows, not_mine): (Vec<QueueRow>, Vec<QueueRow>) = rows
            .into_iter()
            .partition(|r| self.me.as_ref().is_none_or(|me| me.may_act_on(&r.section)));
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
        self.overlay = Some(Overlay::Confirm(confirm));
        Ok(())
    }

    /// Decides a batch; false when refused or failed (the reason is in the message line).
    fn decide_batch(&mut self, items: &[(i64, i64)], action: ReviewAction, opinion: &str) -> anyhow::Result<bool> {
        if items.is_empty() {
            self.message = Some(s::NOTHING_TO_DECIDE.into());
            return Ok(true);
        }
        let mut befores = std::collections::HashMap::with_capacity(items.len());
        for (id, _) in items {
            if let Some(r) = self.store.review(*id)? {
                befores.insert(*id, r);
            }
        }
        let outcome = self
            .store
            .decide_batch(items, action, opinion, &self.user, &self.config.rules.review);
        match outcome {
            Ok(outcome) => {
                // Only the decided items can be undone; the refused ones did not change.
                let steps = outcome
                    .decided
                    .iter()
                    .filter_map(|after| {
                        befores.remove(&after.id).map(|before| UndoStep::Review {
                            before,
                            version_after: after.version,
                        })
                    })
                    .collect();
                let what = format!(
                    "{}{} {}{}",
                    s::BATCH_DONE,
                    action.label(),
                    outcome.decided.len(),
                    s::ITEMS
                );
                self.remember(what, steps);
                let ids: Vec<i64> = outcome.decided.iter().map(|r| r.id).collect();
                self.refresh_review_quality(&ids)?;
                if let Some(q) = self.queue_mut() {
                    q.tagged.clear();
                }
                self.reload_tab()?;
                let mut message = format!(
                    "{}{} {}{}",
                    s::BATCH_DONE,
                    action.label(),
                    outcome.decided.len(),
                    s::ITEMS
                );
                if let Some((_, why)) = outcome.refused.first() {
                    message.push_str(&format!("；{}{}{why}", outcome.refused.len(), s::BATCH_REFUSED));
                }
                self.message = Some(message);
                Ok(true)
            }
            Err(e) => {
                self.message = Some(format!("{}{}", s::BATCH_FAILED, self.explain(&e)));
                Ok(false)
            }
        }
    }

    /// Records an action the reviewer took, for `u`. An action with no steps
    /// (an export: the file is out) stands in the stack so that `u` says it
    /// cannot be taken back instead of silently undoing the one before it.
    pub(crate) fn remember(&mut self, what: String, steps: Vec<UndoStep>) {
        self.undo.push(UndoEntry { what, steps });
    }

    /// `单位「项目」` of a review item, for messages and the undo stack.
    pub(crate) fn item_label(&self, review_id: i64) -> String {
        match self.store.queue_rows_by_ids(&[review_id]) {
            Ok(mut rows) => rows.pop().map_or_else(
                || format!("{}{review_id}", s::ITEM_FALLBACK),
                |r| format!("{}「{}」", r.unit_name, r.project_name),
            ),
            Err(_) => format!("{}{review_id}", s::ITEM_FALLBACK),
        }
    }

    /// Takes back the reviewer's last action, whatever screen it was taken
    /// on, and says what it was; a refusal (someone changed it since) says why
    /// and leaves the action on the stack.
    pub(crate) fn undo_last(&mut self) -> anyhow::Result<()> {
        let Some(entry) = self.undo.pop() else {
            self.message = Some(s::NOTHING_TO_UNDO.into());
            return Ok(());
        };
        if entry.steps.is_empty() {
            self.message = Some(format!(
                "{}{}{}",
                s::UNDO_CANNOT_PREFIX,
                entry.what,
                s::UNDO_CANNOT_SUFFIX
            ));
            return Ok(());
        }
        match self.store.undo(&entry, &self.user) {
            Ok(_) => {
                self.after_undo(&entry)?;
                self.message = Some(format!("{}{}", s::UNDONE, entry.what));
            }
            Err(e) => {
                self.message = Some(format!("{}{}」：{}", s::UNDO_FAILED, entry.what, self.explain(&e)));
                // Only a busy database is worth another `u`; a conflict stays one.
                if e.is_retryable() {
                    self.undo.push(entry);
                }
            }
        }
        Ok(())
    }

    /// Everything an undo may have changed is read again: findings that
    /// depend on the opinion or documents, every queue's rows and counts,
    /// tab 7, the open workspace and the tab shown.
    fn after_undo(&mut self, entry: &UndoEntry) -> anyhow::Result<()> {
        for step in &entry.steps {
            match step {
                UndoStep::Review { before, .. } => self.refresh_review_quality(&[before.id])?,
                UndoStep::Document { review_id, .. } => super::detail::refresh_document_findings_of(self, *review_id)?,
                _ => {}
            }
        }
        for q in &mut self.queues {
            q.loaded = false;
        }
        self.results.loaded = false;
        self.overview = None;
        // The tab shown is read again below; the board, like every other
        // tab, is read whenever it is shown.
        super::detail::reload(self)?;
        self.load_tab()?;
        Ok(())
    }

    // ---- search, filter, commands ---------------------------------------

    /// Moves to the next (or previous) item matching the last search.
    fn search_step(&mut self, forward: bool) -> Result<(), StoreError> {
        let Some(needle) = self.last_search.clone() else {
            self.message = Some(s::NO_SEARCH.into());
            return Ok(());
        };
        let from = self.selected_index();
        self.jump_to_match(&needle, from, forward, true)
    }

    /// The selected row of the tab shown (a queue's item or tab 7's row).
    fn selected_index(&self) -> usize {
        if self.tab == TAB_RESULTS {
            self.results.selected
        } else if self.tab == TAB_BOARD {
            self.board.selected
        } else {
            self.queue().map_or(0, |q| q.selected)
        }
    }

    /// Selects the first match at or after (`skip_current`: after) `from`, wrapping.
    fn jump_to_match(
        &mut self,
        needle: &str,
        from: usize,
        forward: bool,
        skip_current: bool,
    ) -> Result<(), StoreError> {
        if self.tab == TAB_RESULTS {
            super::results::jump_to_match(self, needle, from, forward, skip_current);
            return Ok(());
        }
        if self.tab == TAB_BOARD {
            super::board::jump_to_match(self, needle, from, forward, skip_current);
            return Ok(());
        }
        let page = self.page;
        let Some(q) = self.queues.get_mut(self.tab) else {
            return Ok(());
        };
        if needle.is_empty() || q.ids.is_empty() {
            return Ok(());
        }
        if q.search_corpus.is_none() {
            q.search_corpus = Some(self.store.search_corpus(q.filter.stage)?);
        }
        let needle_lc = needle.to_lowercase();
        let hits: std::collections::HashSet<i64> = q
            .search_corpus
            .iter()
            .flatten()
            .filter(|(_, text)| text.contains(&needle_lc))
            .map(|(id, _)| *id)
            .collect();
        let found = super::search::next_match(q.ids.len(), from, forward, skip_current, |i| hits.contains(&q.ids[i]));
        match found {
            Some(i) => {
                q.select(&self.store, i, page)?;
                self.message = Some(format!("{}{}{}", s::SEARCH_HITS, hits.len(), s::ITEMS));
            }
            None => self.message = Some(format!("{}{needle}", s::SEARCH_NONE)),
        }
        Ok(())
    }

    fn apply_filter(&mut self, spec: FilterSpec) -> Result<(), StoreError> {
        let unit = match &spec.unit {
            Some(u) => match self.store.find_units(u, 1)?.pop() {
                Some((code, _)) => Some(code),
                None => {
                    self.message = Some(format!("{}{u}", s::UNIT_NOT_FOUND));
                    return Ok(());
                }
            },
            None => None,
        };
        if self.tab == TAB_BOARD {
            self.board.section = spec.section;
            self.board.unit_code = unit;
            self.board.refilter();
            self.board.move_by(0, self.page);
            return Ok(());
        }
        if self.tab == TAB_RESULTS {
            self.results.section = spec.section;
            self.results.unit_code = unit;
            super::results::refilter(self);
            return Ok(());
        }
        let Some(q) = self.queue_mut() else { return Ok(()) };
        q.filter.state = spec.state;
        q.filter.section = spec.section;
        q.filter.unit_code = unit;
        q.filter.min_severity = spec.min_severity;
        q.filter.has_findings = spec.has_findings;
        q.tagged.clear();
        self.refilter_tab()
    }

    fn run_command(&mut self, line: &str) -> anyhow::Result<()> {
        match command::parse(line) {
            Err(e) => self.message = Some(e),
            Ok(Command::Quit) => self.quit = true,
            Ok(Command::Help) => self.overlay = Some(Overlay::Help),
            Ok(Command::Filter(spec)) => self.apply_filter(spec)?,
            Ok(Command::Sort(sort)) => {
                if let Some(q) = self.queue_mut() {
                    q.sort = sort;
                }
                self.refilter_tab()?;
                self.message = Some(format!("{}{}", s::SORTED_BY, s::sort_label(sort)));
            }
            Ok(Command::Goto(target)) => self.goto_unit(&target)?,
            Ok(Command::Export { what, path }) => self.export(&what, &path),
        }
        Ok(())
    }

    fn export(&mut self, what: &str, path: &str) {
        let Some(table) = crate::io::export::ResultTable::parse(what) else {
            self.message = Some(s::CMD_EXPORT_USAGE.into());
            return;
        };
        let result = crate::io::export::export_results(
            &mut self.store,
            table,
            std::path::Path::new(path),
            &self.user,
            self.today,
            &self.config.rules,
        );
        if result.is_ok() {
            self.remember(format!("{}{what} {path}", s::UNDO_EXPORT), Vec::new());
        }
        self.message = Some(match result {
            Ok((name, rows)) => format!("{}{name}{}{rows}{}{path}", s::EXPORTED, s::COLON, s::ITEMS_TO),
            Err(e) => format!("{}{e:#}", s::EXPORT_FAILED),
        });
    }

    fn goto_unit(&mut self, target: &str) -> Result<(), StoreError> {
        let Some((code, name)) = self.store.find_units(target, 1)?.pop() else {
            self.message = Some(format!("{}{target}", s::UNIT_NOT_FOUND));
            return Ok(());
        };
        let page = self.page;
        let Some(q) = self.queues.get_mut(self.tab) else {
            return Ok(());
        };
        match q.first_of_unit(&code) {
            Some(i) => {
                q.select(&self.store, i, page)?;
                self.message = Some(format!("{}{name}", s::WENT_TO));
            }
            None => self.message = Some(format!("{name}{}", s::UNIT_NOT_SHOWN)),
        }
        Ok(())
    }

    // ---- overlays --------------------------------------------------------

    /// A raw key for the overlay on top.
    pub fn overlay_key(&mut self, key: KeyEvent) -> anyhow::Result<()> {
        let Some(overlay) = self.overlay.take() else {
            return Ok(());
        };
        match overlay {
            Overlay::Help => {}
            Overlay::Prompt(mut p) => {
                let outcome = p.handle_key(&key);
                let kind = p.kind;
                let input = p.input.clone();
                if !matches!(outcome, PromptOutcome::Submit(_) | PromptOutcome::Cancel) {
                    self.overlay = Some(Overlay::Prompt(p));
                }
                self.prompt_outcome(kind, &input, outcome)?;
            }
            Overlay::FilterMenu => {
                self.overlay = Some(Overlay::FilterMenu);
                self.filter_menu_key(key)?;
            }
            Overlay::Confirm(c) => self.confirm_key(c, key)?,
            Overlay::Reader(mut r) => {
                if r.key(&key, &self.config.keys) {
                    self.overlay = Some(Overlay::Reader(r));
                }
            }
            Overlay::Editor(mut editor, purpose) => {
                let outcome = editor.handle_key(key);
                self.editor_outcome(editor, purpose, outcome)?;
            }
        }
        Ok(())
    }

    /// Bracketed paste goes to the editor or prompt, never to key bindings.
    pub fn paste(&mut self, text: &str) -> anyhow::Result<()> {
        match self.overlay.take() {
            Some(Overlay::Editor(mut editor, purpose)) => {
                let outcome = editor.handle_paste(text);
                self.editor_outcome(editor, purpose, outcome)?;
            }
            Some(Overlay::Prompt(mut p)) => {
                let outcome = p.paste(text);
                let (kind, input) = (p.kind, p.input.clone());
                self.overlay = Some(Overlay::Prompt(p));
                self.prompt_outcome(kind, &input, outcome)?;
            }
            other => self.overlay = other,
        }
        Ok(())
    }

    fn prompt_outcome(&mut self, kind: PromptKind, input: &str, outcome: PromptOutcome) -> anyhow::Result<()> {
        match (kind, outcome) {
            (PromptKind::Search, PromptOutcome::Edited) => {
                self.jump_to_match(input, self.search_origin, true, false)?
            }
            (PromptKind::Search, PromptOutcome::Submit(text)) => {
                self.last_search = (!text.is_empty()).then_some(text);
            }
            (PromptKind::Search, PromptOutcome::Cancel) if self.tab == TAB_RESULTS => {
                let back = self.search_origin as i64 - self.results.selected as i64;
                self.results.move_by(back, self.page);
            }
            (PromptKind::Search, PromptOutcome::Cancel) if self.tab == TAB_BOARD => {
                let back = self.search_origin as i64 - self.board.selected as i64;
                self.board.move_by(back, self.page);
            }
            (PromptKind::Search, PromptOutcome::Cancel) => {
                let (origin, page) = (self.search_origin, self.page);
                if let Some(q) = self.queues.get_mut(self.tab) {
                    q.select(&self.store, origin, page)?;
                }
            }
            (PromptKind::Command, PromptOutcome::Submit(line)) => self.run_command(&line)?,
            (PromptKind::FilterUnit, PromptOutcome::Submit(unit)) => {
                let mut spec = self.current_filter_spec();
                spec.unit = (!unit.trim().is_empty()).then(|| unit.trim().to_string());
                self.apply_filter(spec)?;
                self.overlay = Some(Overlay::FilterMenu);
            }
            (PromptKind::FilterUnit, PromptOutcome::Cancel) => self.overlay = Some(Overlay::FilterMenu),
            (PromptKind::Stage(p), outcome) => super::detail::prompt_done(self, p, outcome)?,
            _ => {}
        }
        Ok(())
    }

    fn current_filter_spec(&self) -> FilterSpec {
        self.queue().map_or_else(FilterSpec::default, |q| FilterSpec {
            state: q.filter.state,
            section: q.filter.section.clone(),
            unit: q.filter.unit_code.clone(),
            min_severity: q.filter.min_severity,
            has_findings: q.filter.has_findings,
        })
    }

    /// 1 state, 2 section, 3 unit, 4 severity, 5 findings, 0 clear; each cycles and applies at once.
    fn filter_menu_key(&mut self, key: KeyEvent) -> anyhow::Result<()> {
        let mut spec = self.current_filter_spec();
        match key.code {
            KeyCode::Char('1') => {
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
            KeyCode::Char('2') => {
                let mut options: Vec<Option<String>> = vec![None];
                options.extend(self.store.sections()?.into_iter().map(Some));
                spec.section = cycle(&options, &spec.section);
            }
            KeyCode::Char('3') => {
                self.overlay = Some(Overlay::Prompt(Prompt::new(PromptKind::FilterUnit)));
                return Ok(());
            }
            KeyCode::Char('4') => {
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
            KeyCode::Char('5') => spec.has_findings = cycle(&[None, Some(true), Some(false)], &spec.has_findings),
            KeyCode::Char('0') | KeyCode::Char('c') => spec = FilterSpec::default(),
            KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q') | KeyCode::Char('f') => {
                self.overlay = None;
                return Ok(());
            }
            _ => return Ok(()),
        }
        self.apply_filter(spec)?;
        Ok(())
    }

    fn confirm_key(&mut self, c: Confirm, key: KeyEvent) -> anyhow::Result<()> {
        let yes = matches!(key.code, KeyCode::Char('y') | KeyCode::Char('Y') | KeyCode::Enter);
        let override_all = matches!(key.code, KeyCode::Char('o') | KeyCode::Char('O'));
        match c {
            Confirm::BulkApprove { clean, blocking, .. } => {
                if yes {
                    self.decide_batch(
                        &clean,
                        ReviewAction::Approve {
                            override_blocking: false,
                        },
                        "",
                    )?;
                } else if override_all && !blocking.is_empty() {
                    let items = clean.into_iter().chain(blocking).collect();
                    let editor = OpinionEditor::new(0, s::EDIT_BULK_OVERRIDE.into(), "");
                    self.overlay = Some(Overlay::Editor(Box::new(editor), EditPurpose::BulkOverride { items }));
                } else {
                    self.message = Some(s::CANCELLED.into());
                }
            }
            Confirm::BulkReturn { items, .. } => {
                if yes && !items.is_empty() {
                    let editor =
                        OpinionEditor::new(0, format!("{} - {}{}", s::EDIT_BULK_RETURN, items.len(), s::ITEMS), "");
                    self.overlay = Some(Overlay::Editor(Box::new(editor), EditPurpose::BulkReturn { items }));
                } else {
                    self.message = Some(if yes { s::NOTHING_TO_DECIDE } else { s::CANCELLED }.into());
                }
            }
            Confirm::Drafts { review_id, .. } => {
                if yes {
                    self.open_draft(review_id)?;
                }
            }
            Confirm::ConfirmResults { projects } => {
                if yes {
                    super::results::confirm_projects(self, &projects)?;
                } else {
                    self.message = Some(s::CANCELLED.into());
                }
            }
        }
        Ok(())
    }

    /// Nothing has been typed for `session.idle_lock_minutes` (等保 2.0 asks
    /// that an idle session lock): the session ends and the terminal is
    /// cleared. An opinion being written is first kept as a draft, even when
    /// drafts are not saved as typed. If it cannot be kept (the disk is full,
    /// or the text is a bulk override's reason, which has no item to keep it
    /// on), the session stays open, with a message, rather than lose a word;
    /// None then, else what to tell the user on the shell.
    pub fn lock_for_idle(&mut self) -> Option<String> {
        let kept = match self.keep_draft_before_exit() {
            Ok(kept) => kept,
            Err(DraftNotKept::NoItem(_)) => return None,
            Err(DraftNotKept::Failed(_, e)) => {
                tracing::error!("idle lock: draft not saved: {e}");
                self.message = Some(format!("{}{e}", s::DRAFT_SAVE_FAILED));
                return None;
            }
        };
        tracing::info!("idle lock after {} minutes", self.config.session.idle_lock_minutes);
        self.quit = true;
        Some(s::idle_locked(self.config.session.idle_lock_minutes, kept))
    }

    /// Keeps the opinion being typed as a draft before the session ends
    /// without the reviewer's say (the idle lock, a closed terminal, a
    /// signal): true when a text was kept, false when none was being typed.
    pub fn keep_draft_before_exit(&mut self) -> Result<bool, DraftNotKept> {
        let Some(Overlay::Editor(editor, _)) = &self.overlay else {
            return Ok(false);
        };
        let text = editor.text();
        if text.trim().is_empty() {
            return Ok(false);
        }
        if editor.review_id() <= 0 {
            return Err(DraftNotKept::NoItem(text));
        }
        match self.store.save_draft(&self.user, editor.review_id(), &text) {
            Ok(()) => Ok(true),
            Err(e) => Err(DraftNotKept::Failed(text, e)),
        }
    }

    fn editor_outcome(
        &mut self,
        mut editor: Box<OpinionEditor>,
        purpose: EditPurpose,
        outcome: EditorOutcome,
    ) -> anyhow::Result<()> {
        match outcome {
            EditorOutcome::Edited => {
                if self.config.session.draft_autosave
                    && editor.review_id() > 0
                    && let Err(e) = self.store.save_draft(&self.user, editor.review_id(), &editor.text())
                {
                    self.message = Some(format!("{}{e}", s::DRAFT_SAVE_FAILED));
                }
                self.overlay = Some(Overlay::Editor(editor, purpose));
            }
            EditorOutcome::Unchanged => self.overlay = Some(Overlay::Editor(editor, purpose)),
            EditorOutcome::Template(n) => {
                match self.config.templates.get(n) {
                    Some(t) => editor.insert(&t.text),
                    None => self.message = Some(format!("{}{}", s::NO_TEMPLATE, n + 1)),
                }
                self.overlay = Some(Overlay::Editor(editor, purpose));
            }
            EditorOutcome::Leave(text) => {
                if editor.review_id() > 0 && !text.trim().is_empty() {
                    self.message = Some(s::DRAFT_KEPT.into());
                }
            }
            EditorOutcome::Save(text) => {
                let kept = self.save_editor(&purpose, &text)?;
                if kept {
                    super::detail::reload(self)?;
                } else {
                    // Refused: the text stays on screen with the reason in the message line.
                    self.overlay = Some(Overlay::Editor(editor, purpose));
                }
            }
        }
        Ok(())
    }

    /// Carries out what the editor was opened for; false when refused (editor stays open).
    fn save_editor(&mut self, purpose: &EditPurpose, text: &str) -> anyhow::Result<bool> {
        let min = self.config.rules.review.min_opinion_chars;
        let short = text.trim().chars().count() < min;
        let before_opinion = match purpose {
            EditPurpose::Opinion { id, .. } => self.store.review(*id)?,
            _ => None,
        };
        match purpose {
            EditPurpose::Return { id, version } => self.decide_one(*id, *version, ReviewAction::Return, text),
            EditPurpose::Override { id, version } => self.decide_one(
                *id,
                *version,
                ReviewAction::Approve {
                    override_blocking: true,
                },
                text,
            ),
            EditPurpose::Opinion { id, version } => match self.store.save_opinion(*id, *version, text, &self.user) {
                Ok(after) => {
                    if let Some(before) = before_opinion {
                        let what = format!("{} {}", s::UNDO_OPINION, self.item_label(*id));
                        let version_after = after.version;
                        self.remember(what, vec![UndoStep::Review { before, version_after }]);
                    }
                    self.refresh_review_quality(&[*id])?;
                    if let Some(q) = self.queues.get_mut(self.tab) {
                        q.refresh_row(&self.store, *id)?;
                    }
                    self.message = Some(s::OPINION_SAVED.into());
                    Ok(true)
                }
                Err(e) => {
                    self.message = Some(self.explain(&e));
                    Ok(false)
                }
            },
            EditPurpose::NewRectification { review_id } => {
                super::detail::save_new_rectification(self, *review_id, text)
            }
            EditPurpose::RejectExplanation { id, version } => {
                super::detail::monitoring_reject(self, *id, *version, text)
            }
            EditPurpose::BulkReturn { items } | EditPurpose::BulkOverride { items } if short => {
                let _ = items;
                self.message = Some(format!("{}{min}{}", s::OPINION_TOO_SHORT, s::CHARS));
                Ok(false)
            }
            EditPurpose::BulkReturn { items } => self.decide_batch(items, ReviewAction::Return, text),
            EditPurpose::BulkOverride { items } => self.decide_batch(
                items,
                ReviewAction::Approve {
                    override_blocking: true,
                },
                text,
            ),
        }
    }

    // ---- drafts ------------------------------------------------------------

    /// After a dropped link or a crash: offer the drafts left behind.
    fn offer_drafts(&mut self) -> Result<(), StoreError> {
        let drafts = self.store.drafts_for(&self.user)?;
        if let Some(d) = drafts.iter().max_by(|a, b| a.updated_at.cmp(&b.updated_at)) {
            let latest = self.item_label(d.review_id);
            self.overlay = Some(Overlay::Confirm(Confirm::Drafts {
                review_id: d.review_id,
                count: drafts.len(),
                latest,
            }));
        }
        Ok(())
    }

    /// Opens a draft's item in the editor (moving the queue to it when shown).
    fn open_draft(&mut self, review_id: i64) -> anyhow::Result<()> {
        let Some(review) = self.store.review(review_id)? else {
            return Ok(());
        };
        if let Some(tab) = TAB_STAGES[..REVIEW_TABS].iter().position(|st| *st == review.stage) {
            self.switch_tab(tab)?;
            let page = self.page;
            if let Some(q) = self.queues.get_mut(tab)
                && let Some(i) = q.ids.iter().position(|id| *id == review_id)
            {
                q.select(&self.store, i, page)?;
            }
        }
        let text = self
            .store
            .draft(&self.user, review_id)?
            .map(|d| d.text)
            .unwrap_or_default();
        let row = self.store.queue_rows_by_ids(&[review_id])?.pop();
        let title = match &row {
            Some(r) => format!("{} - {} - {}", s::EDIT_DRAFT, r.unit_name, r.project_name),
            None => s::EDIT_DRAFT.to_string(),
        };
        let purpose = EditPurpose::Opinion {
            id: review_id,
            version: review.version,
        };
        self.overlay = Some(Overlay::Editor(
            Box::new(OpinionEditor::new(review_id, title, &text)),
            purpose,
        ));
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EditKind {
    Return,
    Override,
    Opinion,
}

/// The actions that change items (refused up front in a read-only session).
fn changes_items(action: Action) -> bool {
    matches!(
        action,
        Action::Approve
            | Action::Return
            | Action::Opinion
            | Action::Rectify
            | Action::Undo
            | Action::BulkApprove
            | Action::BulkReturn
    )
}

/// The option after `current` in `options`, wrapping.
fn cycle<T: Clone + PartialEq>(options: &[T], current: &T) -> T {
    let i = options
        .iter()
        .position(|o| o == current)
        .map_or(0, |i| (i + 1) % options.len());
    options[i].clone()
}
