//! What every screen shares: the store handle, the config, who is acting,
//! today, the message line, the overlay on top and the undo stack; and the
//! writes more than one screen makes (a decision, an opinion, a new
//! rectification, a result answer), each recorded for `u` and said on the
//! message line. Screens receive `&mut Session` and never see one another.

use super::editor::OpinionEditor;
use super::overlay::{EditPurpose, Overlay};
use super::prompt::{Prompt, PromptKind, StagePrompt};
use super::scope::Scope;
use super::strings as s;
use crate::config::{Action, Config, KeyScope};
use crate::domain::model::Reviewer;
use crate::domain::result_application::ResultChoice;
use crate::domain::states::ReviewAction;
use crate::domain::text::sanitize;
use crate::store::{NewRectification, ResultRecord, ResultRow, Store, StoreError, UndoEntry, UndoStep};
use ratatui::crossterm::event::KeyEvent;

pub struct Session {
    pub store: Store,
    pub config: Config,
    /// The OS user acting, and the name shown.
    pub user: String,
    pub reviewer_name: String,
    /// The staff record of the user (None: not registered).
    pub me: Option<Reviewer>,
    /// Why this session may change nothing (an unknown OS user, an auditor):
    /// shown in the status bar and in answer to every decision key.
    pub read_only: Option<String>,
    /// Whose work the tabs show: the reviewer's sections, or all.
    pub scope: Scope,
    pub today: chrono::NaiveDate,
    /// Item rows that fit on screen; set from the terminal size.
    pub page: usize,
    pub message: Option<String>,
    pub overlay: Option<Overlay>,
    /// What the reviewer did this session, newest last: `u` takes back the last.
    undo: Vec<UndoEntry>,
}

/// How one decision went.
pub enum Decided {
    Done,
    /// Refused (the reason is in the message line); `stale`: someone else
    /// changed the item, so the list shown is out of date.
    Refused {
        stale: bool,
    },
}

impl Session {
    pub fn new(store: Store, config: Config, user: String, reviewer_name: String, page: usize) -> anyhow::Result<Self> {
        let read_only = store.read_only_reason(&user)?;
        let me = store.reviewer(&user)?;
        let scope = Scope::read(&store, &user, me.as_ref())?;
        Ok(Session {
            store,
            config,
            user,
            reviewer_name,
            me,
            read_only,
            scope,
            today: chrono::Local::now().date_naive(),
            page: page.max(1),
            message: None,
            overlay: None,
            undo: Vec::new(),
        })
    }

    /// What a key does on a screen or dialog: its own table of `[keys.*]`
    /// first, then the global keys that act there.
    pub fn action_in(&self, scope: KeyScope, key: &KeyEvent) -> Option<Action> {
        super::keymap::spec_of(key).and_then(|k| self.config.keys.action_in(scope, k))
    }

    /// A hint line from the live key map: the first key of each action, then its label.
    pub fn hint(&self, scope: KeyScope, items: &[(Action, &str)]) -> String {
        super::keymap::hint(&self.config.keys, scope, items)
    }

    /// The sections the tabs show, or None for all.
    pub fn scoped(&self) -> Option<Vec<String>> {
        self.scope.sections().map(<[String]>::to_vec)
    }

    /// In a read-only session: says why and returns true (the store would refuse too).
    pub fn refuse_if_read_only(&mut self) -> bool {
        match &self.read_only {
            Some(reason) => {
                self.message = Some(reason.clone());
                true
            }
            None => false,
        }
    }

    // ---- overlays -------------------------------------------------------------

    /// The editor on top, titled with the item.
    pub fn open_editor(&mut self, review_id: i64, title: String, initial: &str, purpose: EditPurpose) {
        let mut editor = OpinionEditor::new(review_id, title, initial);
        editor.bind(&self.config.keys);
        self.overlay = Some(Overlay::Editor(Box::new(editor), purpose));
    }

    /// The reader on top, on a document built with [`Doc`](super::reader::Doc).
    pub fn open_reader(&mut self, title: &str, doc: super::reader::Doc) {
        self.overlay = Some(Overlay::Reader(Box::new(super::reader::Reader::new(title, doc))));
    }

    /// Asks one line of a screen's question.
    pub fn ask(&mut self, prompt: StagePrompt) {
        self.overlay = Some(Overlay::Prompt(Prompt::new(PromptKind::Stage(prompt))));
    }

    /// Asks again with the text typed so far, the question saying what is wrong
    /// with it: an answer that cannot be used is never thrown away.
    pub fn ask_again(&mut self, prompt: StagePrompt, text: &str, why: String) {
        self.overlay = Some(Overlay::Prompt(Prompt::again(PromptKind::Stage(prompt), text, why)));
    }

    // ---- words ------------------------------------------------------------------

    /// `单位「项目」` of a review item, for messages and the undo stack.
    pub fn item_label(&self, review_id: i64) -> String {
        match self.store.queue_rows_by_ids(&[review_id]) {
            Ok(mut rows) => rows.pop().map_or_else(
                || format!("{}{review_id}", s::ITEM_FALLBACK),
                |r| format!("{}「{}」", r.unit_name, r.project_name),
            ),
            Err(_) => format!("{}{review_id}", s::ITEM_FALLBACK),
        }
    }

    /// A store error in the reviewer's words (conflicts name who changed the item).
    pub fn explain(&self, e: &StoreError) -> String {
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
        let login = sanitize(login);
        match self.store.reviewer(&login) {
            Ok(Some(r)) if r.name != login => format!("{}（{login}）", sanitize(&r.name)),
            _ => login,
        }
    }

    // ---- undo ---------------------------------------------------------------------

    /// Records an action the reviewer took, for `u`. An action with no steps
    /// (an export: the file is out) stands in the stack so that `u` says it
    /// cannot be taken back instead of silently undoing the one before it.
    pub fn remember(&mut self, what: String, steps: Vec<UndoStep>) {
        self.undo.push(UndoEntry { what, steps });
    }

    /// Takes back the reviewer's last action, whatever screen it was taken
    /// on, and says what it was; a refusal (someone changed it since) says why
    /// and leaves the action on the stack. True when something changed.
    pub fn undo_last(&mut self) -> anyhow::Result<bool> {
        let Some(entry) = self.undo.pop() else {
            self.message = Some(s::NOTHING_TO_UNDO.into());
            return Ok(false);
        };
        if entry.steps.is_empty() {
            self.message = Some(format!(
                "{}{}{}",
                s::UNDO_CANNOT_PREFIX,
                entry.what,
                s::UNDO_CANNOT_SUFFIX
            ));
            return Ok(false);
        }
        match self.store.undo(&entry, &self.user) {
            Ok(_) => {
                self.message = Some(format!("{}{}", s::UNDONE, entry.what));
                Ok(true)
            }
            Err(e) => {
                self.message = Some(format!("{}{}」：{}", s::UNDO_FAILED, entry.what, self.explain(&e)));
                // Only a busy database is worth another `u`; a conflict stays one.
                if e.is_retryable() {
                    self.undo.push(entry);
                }
                Ok(false)
            }
        }
    }

    // ---- writes shared by screens ----------------------------------------------------

    /// Decides one item and records it for undo.
    pub fn decide_one(
        &mut self,
        id: i64,
        version: i64,
        action: ReviewAction,
        opinion: &str,
    ) -> anyhow::Result<Decided> {
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
                self.message = Some(format!("{}{}", action.label(), s::DONE_SUFFIX));
                Ok(Decided::Done)
            }
            Err(e) => {
                self.message = Some(self.explain(&e));
                Ok(Decided::Refused {
                    stale: matches!(e, StoreError::Conflict { .. }),
                })
            }
        }
    }

    /// Decides a batch; false when refused or failed (the reason is in the message line).
    pub fn decide_batch(&mut self, items: &[(i64, i64)], action: ReviewAction, opinion: &str) -> anyhow::Result<bool> {
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
        match self
            .store
            .decide_batch(items, action, opinion, &self.user, &self.config.rules.review)
        {
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
                let done = format!(
                    "{}{} {}{}",
                    s::BATCH_DONE,
                    action.label(),
                    outcome.decided.len(),
                    s::ITEMS
                );
                self.remember(done.clone(), steps);
                let mut message = done;
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

    /// Saves an opinion without deciding; false when refused.
    pub fn save_opinion(&mut self, id: i64, version: i64, text: &str) -> anyhow::Result<bool> {
        let before = self.store.review(id)?;
        match self.store.save_opinion(id, version, text, &self.user) {
            Ok(after) => {
                if let Some(before) = before {
                    let what = format!("{} {}", s::UNDO_OPINION, self.item_label(id));
                    let version_after = after.version;
                    self.remember(what, vec![UndoStep::Review { before, version_after }]);
                }
                self.message = Some(s::OPINION_SAVED.into());
                Ok(true)
            }
            Err(e) => {
                self.message = Some(self.explain(&e));
                Ok(false)
            }
        }
    }

    /// What a new rectification of `review_id` needs, with the deadline from the config.
    fn new_rect_for(&self, review_id: i64, problem: &str, measure: &str) -> anyhow::Result<NewRectification> {
        let row = self
            .store
            .queue_rows_by_ids(&[review_id])?
            .pop()
            .ok_or_else(|| anyhow::anyhow!("{}", s::DETAIL_NOT_FOUND))?;
        let days = i64::from(self.config.rules.rectification.response_days);
        Ok(NewRectification {
            source_stage: row.stage,
            source_review: Some(review_id),
            unit_code: row.unit_code,
            project_code: row.project_code,
            problem: problem.trim().to_string(),
            required_measure: measure.to_string(),
            deadline: self.today + chrono::Duration::days(days),
        })
    }

    /// Creates a rectification of an item (deadline = today +
    /// `rectification.response_days`); false when refused.
    pub fn create_rectification(&mut self, review_id: i64, text: &str) -> anyhow::Result<bool> {
        if text.trim().is_empty() {
            self.message = Some(s::RECT_EMPTY_PROBLEM.into());
            return Ok(false);
        }
        let new = self.new_rect_for(review_id, text, s::RECT_DEFAULT_MEASURE)?;
        let created = self.store.create_rectification(&new, &self.user)?;
        let what = format!("{}{} {}", s::UNDO_RECT_NEW, created.id, self.item_label(review_id));
        self.remember(what, vec![UndoStep::RectificationCreated { id: created.id }]);
        self.message = Some(format!(
            "{}{}{}{}",
            s::RECT_CREATED,
            created.id,
            s::RECT_DEADLINE,
            created.deadline
        ));
        Ok(true)
    }

    /// Rejects a monitoring explanation: the return and its rectification
    /// together (the problem: the item's findings); false when refused.
    pub fn reject_explanation(&mut self, id: i64, version: i64, opinion: &str) -> anyhow::Result<bool> {
        let problem = Some(rect_text(&self.store.findings_for(id)?))
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| s::MON_REJECT_HEAD.to_string());
        let new = self.new_rect_for(id, &problem, opinion.trim())?;
        let before = self.store.review(id)?;
        match self
            .store
            .reject_with_rectification(id, version, opinion, &new, &self.user, &self.config.rules.review)
        {
            Ok((after, rect)) => {
                if let Some(before) = before {
                    let what = format!("{} #{} {}", s::UNDO_MON_REJECT, rect.id, self.item_label(id));
                    let steps = vec![
                        UndoStep::Review {
                            before,
                            version_after: after.version,
                        },
                        UndoStep::RectificationCreated { id: rect.id },
                    ];
                    self.remember(what, steps);
                }
                self.message = Some(format!(
                    "{}#{}{}{}",
                    s::MON_REJECTED,
                    rect.id,
                    s::RECT_DEADLINE,
                    rect.deadline
                ));
                Ok(true)
            }
            Err(e) => {
                self.message = Some(e.to_string());
                Ok(false)
            }
        }
    }

    /// Records one answer to a result-application row (tab 7 or a workspace)
    /// and remembers it for `u`. None when refused (the reason is in the message line).
    pub fn answer_result(&mut self, row: &ResultRow, choice: &ResultChoice) -> Option<ResultRecord> {
        let before = match self.store.answer_row(row.project_id) {
            Ok(b) => b,
            Err(e) => {
                self.message = Some(e.to_string());
                return None;
            }
        };
        match self.store.apply_result(row, choice, &self.user) {
            Ok(record) => {
                let verb = if record.confirmed {
                    s::UNDO_RESULT_CONFIRM
                } else {
                    s::UNDO_RESULT_CHANGE
                };
                let what = format!("{verb} {}「{}」", sanitize(&row.unit_name), sanitize(&row.project_name));
                let step = UndoStep::ResultAnswer {
                    project_id: row.project_id,
                    before,
                    version_after: record.version,
                };
                self.remember(what, vec![step]);
                self.message = Some(s::RESULT_SAVED.into());
                Some(record)
            }
            Err(e) => {
                self.message = Some(e.to_string());
                None
            }
        }
    }
}

/// The problem text of a new rectification: the finding, or one numbered line
/// per finding (the board shows the first line, so no heading goes first).
pub fn rect_text(findings: &[crate::domain::Finding]) -> String {
    let relevant: Vec<_> = findings.iter().filter(|f| !f.is_review_quality()).collect();
    if let [one] = relevant.as_slice() {
        return sanitize(&one.message);
    }
    let mut text = String::new();
    for (i, f) in relevant.iter().enumerate() {
        text.push_str(&format!("{}. {}\n", i + 1, sanitize(&f.message)));
    }
    text.trim_end().to_string()
}
