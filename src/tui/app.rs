//! The app routes: a key goes to the overlay on top, else to the open
//! workspace, else to the tab shown; what a screen's action means for the
//! others comes back as an `Effect` and is applied here. The app holds what
//! is shared (the `Session`) and the screens, and knows nothing of how a
//! screen decides, draws or reads the store.

use super::command::{self, Command, FilterSpec};
use super::editor::EditorOutcome;
use super::overlay::{Confirm, EditPurpose, Overlay};
use super::prompt::{Prompt, PromptKind, PromptOutcome, StagePrompt};
use super::reader::Doc;
use super::screens::Effect;
use super::screens::board::Board;
use super::screens::overview::OverviewTab;
use super::screens::queue::StageQueue;
use super::screens::results::ResultsTab;
use super::screens::workspace::Workspace;
use super::session::{Decided, Session};
use super::strings as s;
use super::tab::Tab;
use crate::config::{Action, Config, KeyScope};
use crate::domain::states::ReviewAction;
use crate::store::{Store, StoreError};
use ratatui::crossterm::event::KeyEvent;

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
    /// What every screen shares (store, config, identity, message, overlay, undo).
    pub ses: Session,
    pub tab: Tab,
    /// Tabs 1–4, in `Tab::QUEUES` order.
    pub queues: Vec<StageQueue>,
    /// The stage workspace open on top of the queue, if any.
    pub workspace: Option<Box<Workspace>>,
    /// Tab 5.
    pub board: Board,
    /// Tab 6, read when the tab is shown.
    pub overview: OverviewTab,
    /// Tab 7, read when the tab is shown.
    pub results: ResultsTab,
    pub quit: bool,
    /// The last search, for n / N.
    pub last_search: Option<String>,
    /// Where the selection was when `/` was pressed (Esc goes back there).
    search_origin: usize,
    data_version: i64,
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
        let ses = Session::new(store, config, user, reviewer_name, page)?;
        let scoped = ses.scoped();
        let queues = Tab::QUEUES
            .iter()
            .filter_map(|t| t.queue_stage())
            .map(|st| {
                let mut q = StageQueue::new(st);
                q.filter.scope = scoped.clone();
                q
            })
            .collect();
        let mut app = App {
            ses,
            tab: Tab::Target,
            queues,
            workspace: None,
            board: Board::default(),
            overview: OverviewTab::default(),
            results: ResultsTab::default(),
            quit: false,
            last_search: None,
            search_origin: 0,
            data_version,
            screen: Default::default(),
        };
        app.board.scope = scoped.clone();
        app.results.scope = scoped;
        let page = app.ses.page;
        app.queues[0].load_first_page(&app.ses.store, page)?;
        app.offer_drafts()?;
        Ok(app)
    }

    /// Reads what the first frame left out.
    /// Returns whether the screen would change (another reviewer wrote in
    /// between); if not, the first frame stands and nothing is sent again.
    pub fn complete_loading(&mut self) -> Result<bool, StoreError> {
        let page = self.ses.page;
        match self.queue_index().map(|i| &mut self.queues[i]) {
            Some(q) if q.is_partial() => {
                let shown = (q.window.clone(), q.counts.clone());
                q.reload(&self.ses.store, page)?;
                Ok(shown != (q.window.clone(), q.counts.clone()))
            }
            _ => self.show_tab().map(|_| true),
        }
    }

    // ---- what is shown ------------------------------------------------------

    /// The review stage of the tab shown, if it is a queue.
    pub fn stage(&self) -> Option<crate::domain::Stage> {
        self.tab.queue_stage()
    }

    fn queue_index(&self) -> Option<usize> {
        Tab::QUEUES.iter().position(|t| *t == self.tab)
    }

    /// The queue of the tab shown.
    pub fn queue(&self) -> Option<&StageQueue> {
        self.queue_index().map(|i| &self.queues[i])
    }

    fn queue_mut(&mut self) -> Option<&mut StageQueue> {
        self.queue_index().map(|i| &mut self.queues[i])
    }

    /// Reads the tab shown where it is not current.
    fn show_tab(&mut self) -> Result<(), StoreError> {
        let page = self.ses.page;
        match self.tab {
            Tab::Board => self.board.show(&self.ses),
            Tab::Overview => self.overview.show(&self.ses),
            Tab::Results => self.results.show(&self.ses),
            _ => {
                let Some(i) = self.queue_index() else { return Ok(()) };
                let q = &mut self.queues[i];
                if q.loaded {
                    q.fetch_window(&self.ses.store, page)
                } else {
                    q.reload(&self.ses.store, page)
                }
            }
        }
    }

    fn switch_tab(&mut self, tab: Tab) -> Result<(), StoreError> {
        self.tab = tab;
        self.show_tab()
    }

    /// Every screen reads again when next shown; the tab shown and the open
    /// workspace at once.
    fn reload_all(&mut self) -> anyhow::Result<()> {
        for q in &mut self.queues {
            q.loaded = false;
        }
        self.results.loaded = false;
        self.reload_workspace()?;
        self.show_tab()?;
        Ok(())
    }

    fn reload_workspace(&mut self) -> anyhow::Result<()> {
        if let Some(ws) = self.workspace.as_mut()
            && !ws.reload(&mut self.ses)?
        {
            self.workspace = None;
        }
        Ok(())
    }

    /// Applies what a screen's action means for the others.
    fn apply(&mut self, effect: Effect) -> anyhow::Result<()> {
        match effect {
            Effect::None => {}
            Effect::Decided(id) | Effect::Changed(id) => {
                let decided = matches!(effect, Effect::Decided(_));
                let current = self.queue_index();
                for (i, q) in self.queues.iter_mut().enumerate() {
                    if decided && Some(i) == current && q.loaded {
                        q.after_decided(&self.ses, id)?;
                    } else if q.loaded && q.ids.contains(&id) {
                        q.refresh_row(&self.ses.store, id)?;
                    }
                }
                // Tab 7 shows grades and answers a workspace may have changed.
                self.results.loaded = false;
                self.reload_workspace()?;
            }
            Effect::Reload => self.reload_all()?,
            Effect::Open(id) => {
                if let Some(ws) = Workspace::open(&mut self.ses, id)? {
                    self.workspace = Some(Box::new(ws));
                }
            }
            Effect::Close => {
                self.workspace = None;
                // The tab beneath shows what the workspace changed.
                if self.tab == Tab::Results {
                    self.results.loaded = false;
                    self.results.show(&self.ses)?;
                }
            }
        }
        Ok(())
    }

    pub fn resize(&mut self, page: usize) -> anyhow::Result<()> {
        self.ses.page = page.max(1);
        let page = self.ses.page;
        if let Some(q) = self.queue_mut() {
            q.offset = super::screens::queue::clamp_offset(q.selected, q.offset, page);
        }
        if let Some(i) = self.queue_index() {
            self.queues[i].fetch_window(&self.ses.store, page)?;
        }
        // Keeps tab 7's selection on screen.
        self.results.move_by(0, page);
        Ok(())
    }

    /// Picks up other reviewers' writes: a cheap `PRAGMA data_version` per key.
    pub fn notice_other_writers(&mut self) -> Result<(), StoreError> {
        let v = self.ses.store.data_version()?;
        if v != self.data_version {
            self.data_version = v;
            for q in &mut self.queues {
                q.loaded = false;
            }
            self.results.loaded = false;
            self.show_tab()?;
        }
        Ok(())
    }

    // ---- keys ---------------------------------------------------------------

    /// Whether the current overlay reads raw keys instead of mapped actions.
    pub fn overlay_takes_keys(&self) -> bool {
        self.ses.overlay.is_some()
    }

    /// Whose keys are live: the workspace's when one is open, else the tab's.
    pub fn key_scope(&self) -> KeyScope {
        if self.workspace.is_some() {
            return KeyScope::Workspace;
        }
        match self.tab {
            Tab::Board => KeyScope::Board,
            Tab::Results => KeyScope::Results,
            Tab::Overview => KeyScope::Global,
            _ => KeyScope::Queue,
        }
    }

    /// A key with no overlay on top, read in the live scope; false when it
    /// does nothing there.
    pub fn key(&mut self, key: KeyEvent) -> anyhow::Result<bool> {
        let Some(action) = self.ses.action_in(self.key_scope(), &key) else {
            return Ok(false);
        };
        self.update(action).map(|()| true)
    }

    /// A mapped action on the tab shown.
    pub fn update(&mut self, action: Action) -> anyhow::Result<()> {
        if action == Action::Reader {
            return self.open_reader();
        }
        self.ses.message = None;
        if let Some(ws) = self.workspace.as_mut() {
            let effect = match action {
                Action::Undo => return self.undo(),
                other => ws.action(&mut self.ses, other)?,
            };
            return self.apply(effect);
        }
        if changes_items(action) && self.ses.refuse_if_read_only() {
            // The store would refuse too; said before any editor opens.
            return Ok(());
        }
        match action {
            Action::Quit => self.quit = true,
            Action::Help => self.ses.overlay = Some(Overlay::Help),
            Action::NextStage => self.switch_tab(self.tab.next())?,
            Action::PrevStage => self.switch_tab(self.tab.prev())?,
            Action::Stage1 => self.switch_tab(Tab::at(0))?,
            Action::Stage2 => self.switch_tab(Tab::at(1))?,
            Action::Stage3 => self.switch_tab(Tab::at(2))?,
            Action::Stage4 => self.switch_tab(Tab::at(3))?,
            Action::Stage5 => self.switch_tab(Tab::at(4))?,
            Action::Stage6 => self.switch_tab(Tab::at(5))?,
            Action::Stage7 => self.switch_tab(Tab::at(6))?,
            Action::Refresh => self.refresh()?,
            Action::Command => self.ses.overlay = Some(Overlay::Prompt(Prompt::new(PromptKind::Command))),
            Action::Search if self.tab != Tab::Overview => {
                self.search_origin = self.selected_index();
                self.ses.overlay = Some(Overlay::Prompt(Prompt::new(PromptKind::Search)));
            }
            Action::SearchNext => self.search_step(true)?,
            Action::SearchPrev => self.search_step(false)?,
            Action::Scope => self.toggle_scope()?,
            Action::Undo => self.undo()?,
            other => {
                let effect = match self.tab {
                    Tab::Board => self.board.action(other, &mut self.ses)?,
                    Tab::Results => self.results.action(other, &mut self.ses)?,
                    Tab::Overview => Effect::None,
                    _ => match self.queue_index() {
                        Some(i) => self.queues[i].action(other, &mut self.ses)?,
                        None => Effect::None,
                    },
                };
                self.apply(effect)?;
            }
        }
        Ok(())
    }

    /// `Ctrl-l`: findings an interrupted import left behind its data are
    /// recomputed first (a read-only session cannot, and says so), then every
    /// screen is read again and the terminal repainted.
    fn refresh(&mut self) -> anyhow::Result<()> {
        if let Err(e) = self
            .ses
            .store
            .refresh_figures_if_stale(&self.ses.config.rules, self.ses.today)
        {
            tracing::warn!("refresh of stale findings: {e}");
        }
        self.reload_all()?;
        self.screen.repaint = true;
        self.ses.message = Some(s::REFRESHED.into());
        Ok(())
    }

    fn undo(&mut self) -> anyhow::Result<()> {
        if self.ses.undo_last()? {
            // Everything an undo may have changed is read again.
            let message = self.ses.message.take();
            self.reload_all()?;
            self.overview.figures = None;
            self.ses.message = message;
        }
        Ok(())
    }

    /// `F`: the reviewer's own sections or every section, on every tab at
    /// once, kept for their next session.
    fn toggle_scope(&mut self) -> anyhow::Result<()> {
        if !self.ses.scope.has_own() {
            self.ses.message = Some(s::SCOPE_NONE_OWN.into());
            return Ok(());
        }
        let user = self.ses.user.clone();
        if let Err(e) = self.ses.scope.toggle(&mut self.ses.store, &user) {
            // Not kept for next time, but shown now.
            tracing::warn!("scope not saved: {e}");
        }
        let scoped = self.ses.scoped();
        for q in &mut self.queues {
            q.filter.scope = scoped.clone();
            q.tagged.clear();
            q.loaded = false;
        }
        self.board.scope = scoped;
        self.board.refilter();
        self.results.rescope(&self.ses);
        self.results.loaded = false;
        self.show_tab()?;
        self.ses.message = Some(format!("{}{}", s::SCOPE_NOW, self.ses.scope.label()));
        Ok(())
    }

    // ---- the reader ------------------------------------------------------------

    /// The reader key on any screen: the message shown (if any) first, then the
    /// workspace's texts, or the selected row's.
    fn open_reader(&mut self) -> anyhow::Result<()> {
        let message = self.ses.message.take();
        let mut doc = Doc::default();
        if let Some(m) = &message {
            doc.section(s::READER_MESSAGE);
            doc.text(m);
        }
        let screen_doc = if let Some(ws) = self.workspace.as_deref() {
            let mut d = Doc::default();
            super::screens::workspace::reader_doc(ws, &mut d);
            Some((super::screens::workspace::reader_title(&ws.item), d))
        } else {
            match self.tab {
                Tab::Board => self.board.reader_doc(&self.ses),
                Tab::Results => super::screens::results::reader_doc(&self.results),
                Tab::Overview => None,
                _ => match self.queue() {
                    Some(q) => q.reader_doc(&self.ses)?,
                    None => None,
                },
            }
        };
        match (screen_doc, message) {
            (Some((title, d)), _) => {
                doc.extend(d);
                self.ses.open_reader(&title, doc)
            }
            (None, Some(_)) => self.ses.open_reader(s::READER_MESSAGE_TITLE, doc),
            (None, None) => self.ses.message = Some(s::READER_NOTHING.into()),
        }
        Ok(())
    }

    // ---- search, filter, commands ---------------------------------------

    /// Moves to the next (or previous) item matching the last search.
    fn search_step(&mut self, forward: bool) -> Result<(), StoreError> {
        let Some(needle) = self.last_search.clone() else {
            self.ses.message = Some(s::NO_SEARCH.into());
            return Ok(());
        };
        let from = self.selected_index();
        self.search(&needle, from, forward, true)
    }

    /// The selected row of the tab shown.
    fn selected_index(&self) -> usize {
        match self.tab {
            Tab::Results => self.results.selected,
            Tab::Board => self.board.selected,
            _ => self.queue().map_or(0, |q| q.selected),
        }
    }

    fn search(&mut self, needle: &str, from: usize, forward: bool, skip_current: bool) -> Result<(), StoreError> {
        match self.tab {
            Tab::Results => self.results.search(&mut self.ses, needle, from, forward, skip_current),
            Tab::Board => self.board.search(&mut self.ses, needle, from, forward, skip_current),
            Tab::Overview => {}
            _ => {
                if let Some(i) = self.queue_index() {
                    self.queues[i].search(&mut self.ses, needle, from, forward, skip_current)?;
                }
            }
        }
        Ok(())
    }

    /// Goes back to where the selection was when `/` was pressed.
    fn search_cancelled(&mut self) -> Result<(), StoreError> {
        let origin = self.search_origin;
        let page = self.ses.page;
        match self.tab {
            Tab::Results => {
                let back = origin as i64 - self.results.selected as i64;
                self.results.move_by(back, page);
            }
            Tab::Board => {
                let back = origin as i64 - self.board.selected as i64;
                self.board.move_by(back, page);
            }
            _ => {
                if let Some(i) = self.queue_index() {
                    self.queues[i].select(&self.ses.store, origin, page)?;
                }
            }
        }
        Ok(())
    }

    fn apply_filter(&mut self, spec: FilterSpec) -> Result<(), StoreError> {
        let unit = match &spec.unit {
            Some(u) => match self.ses.store.find_units(u, 1)?.pop() {
                Some((code, _)) => Some(code),
                None => {
                    self.ses.message = Some(format!("{}{u}", s::UNIT_NOT_FOUND));
                    return Ok(());
                }
            },
            None => None,
        };
        match self.tab {
            Tab::Board => self.board.apply_filter(&self.ses, spec.section, unit),
            Tab::Results => self.results.apply_filter(&self.ses, spec.section, unit),
            Tab::Overview => {}
            _ => {
                if let Some(i) = self.queue_index() {
                    self.queues[i].apply_filter(&self.ses, spec, unit)?;
                }
            }
        }
        Ok(())
    }

    fn run_command(&mut self, line: &str) -> anyhow::Result<()> {
        match command::parse(line) {
            Err(e) => self.ses.message = Some(e),
            Ok(Command::Quit) => self.quit = true,
            Ok(Command::Help) => self.ses.overlay = Some(Overlay::Help),
            Ok(Command::Filter(spec)) => self.apply_filter(spec)?,
            Ok(Command::Sort(sort)) => {
                if let Some(i) = self.queue_index() {
                    self.queues[i].sort_by(&mut self.ses, sort)?;
                }
            }
            Ok(Command::Goto(target)) => self.goto_unit(&target)?,
            Ok(Command::Export { what, path }) => self.export(&what, &path),
        }
        Ok(())
    }

    fn export(&mut self, what: &str, path: &str) {
        let Some(table) = crate::io::export::ResultTable::parse(what) else {
            self.ses.message = Some(s::CMD_EXPORT_USAGE.into());
            return;
        };
        let ses = &mut self.ses;
        let result = crate::io::export::export_results(
            &mut ses.store,
            table,
            std::path::Path::new(path),
            &ses.user,
            ses.today,
            &ses.config.rules,
        );
        if result.is_ok() {
            ses.remember(format!("{}{what} {path}", s::UNDO_EXPORT), Vec::new());
        }
        ses.message = Some(match result {
            Ok((name, rows)) => format!("{}{name}{}{rows}{}{path}", s::EXPORTED, s::COLON, s::ITEMS_TO),
            Err(e) => format!("{}{e:#}", s::EXPORT_FAILED),
        });
    }

    fn goto_unit(&mut self, target: &str) -> Result<(), StoreError> {
        let Some((code, name)) = self.ses.store.find_units(target, 1)?.pop() else {
            self.ses.message = Some(format!("{}{target}", s::UNIT_NOT_FOUND));
            return Ok(());
        };
        if let Some(i) = self.queue_index() {
            self.queues[i].goto_unit(&mut self.ses, &code, &name)?;
        }
        Ok(())
    }

    // ---- overlays --------------------------------------------------------

    /// A raw key for the overlay on top.
    pub fn overlay_key(&mut self, key: KeyEvent) -> anyhow::Result<()> {
        let Some(overlay) = self.ses.overlay.take() else {
            return Ok(());
        };
        match overlay {
            Overlay::Help => {}
            Overlay::Prompt(mut p) => {
                let outcome = p.handle_key(&key);
                let kind = p.kind;
                let input = p.input.clone();
                if !matches!(outcome, PromptOutcome::Submit(_) | PromptOutcome::Cancel) {
                    self.ses.overlay = Some(Overlay::Prompt(p));
                }
                self.prompt_outcome(kind, &input, outcome)?;
            }
            Overlay::FilterMenu => {
                self.ses.overlay = Some(Overlay::FilterMenu);
                let action = self.ses.action_in(KeyScope::Filter, &key);
                if let Some(i) = self.queue_index()
                    && let Some(spec) = self.queues[i].filter_menu_action(&mut self.ses, action)?
                {
                    self.apply_filter(spec)?;
                }
            }
            Overlay::Confirm(c) => self.confirm_key(c, key)?,
            Overlay::Reader(mut r) => {
                if r.key(&key, &self.ses.config.keys) {
                    self.ses.overlay = Some(Overlay::Reader(r));
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
        match self.ses.overlay.take() {
            Some(Overlay::Editor(mut editor, purpose)) => {
                let outcome = editor.handle_paste(text);
                self.editor_outcome(editor, purpose, outcome)?;
            }
            Some(Overlay::Prompt(mut p)) => {
                let outcome = p.paste(text);
                let (kind, input) = (p.kind, p.input.clone());
                self.ses.overlay = Some(Overlay::Prompt(p));
                self.prompt_outcome(kind, &input, outcome)?;
            }
            other => self.ses.overlay = other,
        }
        Ok(())
    }

    fn prompt_outcome(&mut self, kind: PromptKind, input: &str, outcome: PromptOutcome) -> anyhow::Result<()> {
        match (kind, outcome) {
            (PromptKind::Search, PromptOutcome::Edited) => self.search(input, self.search_origin, true, false)?,
            (PromptKind::Search, PromptOutcome::Submit(text)) => {
                self.last_search = (!text.is_empty()).then_some(text);
            }
            (PromptKind::Search, PromptOutcome::Cancel) => self.search_cancelled()?,
            (PromptKind::Command, PromptOutcome::Submit(line)) => self.run_command(&line)?,
            (PromptKind::FilterUnit, PromptOutcome::Submit(unit)) => {
                let mut spec = self.queue().map(StageQueue::filter_spec).unwrap_or_default();
                spec.unit = (!unit.trim().is_empty()).then(|| unit.trim().to_string());
                self.apply_filter(spec)?;
                self.ses.overlay = Some(Overlay::FilterMenu);
            }
            (PromptKind::FilterUnit, PromptOutcome::Cancel) => self.ses.overlay = Some(Overlay::FilterMenu),
            (PromptKind::Stage(p), outcome) => self.stage_prompt_done(p, outcome)?,
            _ => {}
        }
        Ok(())
    }

    /// A screen's question answered: the workspace's if one is open, else the tab's.
    fn stage_prompt_done(&mut self, prompt: StagePrompt, outcome: PromptOutcome) -> anyhow::Result<()> {
        if let Some(ws) = self.workspace.as_mut() {
            let effect = ws.prompt_done(&mut self.ses, prompt, outcome)?;
            return self.apply(effect);
        }
        match self.tab {
            Tab::Board => self.board.prompt_done(&mut self.ses, prompt, outcome),
            Tab::Results => self.results.prompt_done(&mut self.ses, prompt, outcome),
            _ => Ok(()),
        }
    }

    fn confirm_key(&mut self, c: Confirm, key: KeyEvent) -> anyhow::Result<()> {
        let answer = self.ses.action_in(KeyScope::Confirm, &key);
        let yes = answer == Some(Action::Yes);
        let effect = match c {
            Confirm::Drafts { review_id, .. } => {
                if yes {
                    self.open_draft(review_id)?;
                }
                Effect::None
            }
            Confirm::ConfirmResults { .. } => self.results.confirm_key(&mut self.ses, c, yes)?,
            Confirm::BulkApprove { .. } | Confirm::BulkReturn { .. } => match self.queue_index() {
                Some(i) => self.queues[i].confirm_answer(&mut self.ses, c, answer)?,
                None => Effect::None,
            },
        };
        self.apply(effect)
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
                self.ses.message = Some(format!("{}{e}", s::DRAFT_SAVE_FAILED));
                return None;
            }
        };
        let minutes = self.ses.config.session.idle_lock_minutes;
        tracing::info!("idle lock after {minutes} minutes");
        self.quit = true;
        Some(s::idle_locked(minutes, kept))
    }

    /// Keeps the opinion being typed as a draft before the session ends
    /// without the reviewer's say (the idle lock, a closed terminal, a
    /// signal): true when a text was kept, false when none was being typed.
    pub fn keep_draft_before_exit(&mut self) -> Result<bool, DraftNotKept> {
        let Some(Overlay::Editor(editor, _)) = &self.ses.overlay else {
            return Ok(false);
        };
        let text = editor.text();
        if text.trim().is_empty() {
            return Ok(false);
        }
        if editor.review_id() <= 0 {
            return Err(DraftNotKept::NoItem(text));
        }
        match self.ses.store.save_draft(&self.ses.user, editor.review_id(), &text) {
            Ok(()) => Ok(true),
            Err(e) => Err(DraftNotKept::Failed(text, e)),
        }
    }

    fn editor_outcome(
        &mut self,
        mut editor: Box<super::editor::OpinionEditor>,
        purpose: EditPurpose,
        outcome: EditorOutcome,
    ) -> anyhow::Result<()> {
        let ses = &mut self.ses;
        match outcome {
            EditorOutcome::Edited => {
                if ses.config.session.draft_autosave
                    && editor.review_id() > 0
                    && let Err(e) = ses.store.save_draft(&ses.user, editor.review_id(), &editor.text())
                {
                    ses.message = Some(format!("{}{e}", s::DRAFT_SAVE_FAILED));
                }
                ses.overlay = Some(Overlay::Editor(editor, purpose));
            }
            EditorOutcome::Unchanged => ses.overlay = Some(Overlay::Editor(editor, purpose)),
            EditorOutcome::Template(n) => {
                match ses.config.templates.get(n) {
                    Some(t) => editor.insert(&t.text),
                    None => ses.message = Some(format!("{}{}", s::NO_TEMPLATE, n + 1)),
                }
                ses.overlay = Some(Overlay::Editor(editor, purpose));
            }
            EditorOutcome::Leave(text) => {
                if editor.review_id() > 0 && !text.trim().is_empty() {
                    ses.message = Some(s::DRAFT_KEPT.into());
                }
            }
            EditorOutcome::Save(text) => match self.save_editor(&purpose, &text)? {
                Some(effect) => self.apply(effect)?,
                // Refused: the text stays on screen with the reason in the message line.
                None => self.ses.overlay = Some(Overlay::Editor(editor, purpose)),
            },
        }
        Ok(())
    }

    /// Carries out what the editor was opened for; None when refused (the
    /// editor stays open), else what it means for the screens.
    fn save_editor(&mut self, purpose: &EditPurpose, text: &str) -> anyhow::Result<Option<Effect>> {
        let ses = &mut self.ses;
        let decided = |d: Decided, id: i64| match d {
            Decided::Done => Some(Effect::Decided(id)),
            Decided::Refused { .. } => None,
        };
        let kept = |ok: bool, effect: Effect| ok.then_some(effect);
        let override_blocking = ReviewAction::Approve {
            override_blocking: true,
        };
        Ok(match purpose {
            EditPurpose::Return { id, version } => {
                decided(ses.decide_one(*id, *version, ReviewAction::Return, text)?, *id)
            }
            EditPurpose::Override { id, version } => {
                decided(ses.decide_one(*id, *version, override_blocking, text)?, *id)
            }
            EditPurpose::Opinion { id, version } => kept(ses.save_opinion(*id, *version, text)?, Effect::Changed(*id)),
            EditPurpose::NewRectification { review_id } => {
                kept(ses.create_rectification(*review_id, text)?, Effect::Changed(*review_id))
            }
            // The item stays where it is in the queue: the rectification it opened is what follows.
            EditPurpose::RejectExplanation { id, version } => {
                kept(ses.reject_explanation(*id, *version, text)?, Effect::Changed(*id))
            }
            EditPurpose::BulkReturn { .. } | EditPurpose::BulkOverride { .. }
                if text.trim().chars().count() < ses.config.rules.review.min_opinion_chars =>
            {
                let min = ses.config.rules.review.min_opinion_chars;
                ses.message = Some(format!("{}{min}{}", s::OPINION_TOO_SHORT, s::CHARS));
                None
            }
            EditPurpose::BulkReturn { items } | EditPurpose::BulkOverride { items } => {
                let action = match purpose {
                    EditPurpose::BulkReturn { .. } => ReviewAction::Return,
                    _ => override_blocking,
                };
                match self.queue_index() {
                    Some(i) => self.queues[i].batch_done(&mut self.ses, items, action, text)?,
                    None => None,
                }
            }
        })
    }

    // ---- drafts ------------------------------------------------------------

    /// After a dropped link or a crash: offer the drafts left behind.
    fn offer_drafts(&mut self) -> Result<(), StoreError> {
        let drafts = self.ses.store.drafts_for(&self.ses.user)?;
        if let Some(d) = drafts.iter().max_by(|a, b| a.updated_at.cmp(&b.updated_at)) {
            let latest = self.ses.item_label(d.review_id);
            self.ses.overlay = Some(Overlay::Confirm(Confirm::Drafts {
                review_id: d.review_id,
                count: drafts.len(),
                latest,
            }));
        }
        Ok(())
    }

    /// Opens a draft's item in the editor (moving the queue to it when shown).
    fn open_draft(&mut self, review_id: i64) -> anyhow::Result<()> {
        let Some(review) = self.ses.store.review(review_id)? else {
            return Ok(());
        };
        if let Some(tab) = Tab::of_stage(review.stage) {
            self.switch_tab(tab)?;
            let page = self.ses.page;
            if let Some(i) = self.queue_index()
                && let Some(at) = self.queues[i].ids.iter().position(|id| *id == review_id)
            {
                self.queues[i].select(&self.ses.store, at, page)?;
            }
        }
        let text = self
            .ses
            .store
            .draft(&self.ses.user, review_id)?
            .map(|d| d.text)
            .unwrap_or_default();
        let row = self.ses.store.queue_rows_by_ids(&[review_id])?.pop();
        let title = match &row {
            Some(r) => format!("{} - {} - {}", s::EDIT_DRAFT, r.unit_name, r.project_name),
            None => s::EDIT_DRAFT.to_string(),
        };
        let purpose = EditPurpose::Opinion {
            id: review_id,
            version: review.version,
        };
        self.ses.open_editor(review_id, title, &text, purpose);
        Ok(())
    }
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
