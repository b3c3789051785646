//! Whose work the tabs show: a section reviewer's own 业务科室 by default,
//! or every section after `F` (kept for their next session). Admins (绩效科),
//! auditors and unregistered users have no section of their own and see all.
//! The scope only chooses what is shown; who may change what stays the store's.

use super::strings as s;
use crate::domain::Role;
use crate::domain::model::Reviewer;
use crate::store::{Store, StoreError};

/// The key under which the choice is kept (`user_view`).
const VIEW_KEY: &str = "scope";
const ALL: &str = "all";
const MINE: &str = "mine";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    /// The reviewer's own sections (empty: none, so everything is shown).
    mine: Vec<String>,
    /// Widened to every section.
    all: bool,
    /// Whether the own sections leave any section out (else there is nothing to toggle).
    narrows: bool,
}

impl Scope {
    /// The scope of `reviewer` as they left it (their own sections unless they widened it).
    pub fn read(store: &Store, os_user: &str, reviewer: Option<&Reviewer>) -> Result<Scope, StoreError> {
        let mine = match reviewer {
            Some(r) if r.role == Role::Reviewer => r.sections.clone(),
            _ => Vec::new(),
        };
        let narrows = !mine.is_empty() && store.sections()?.iter().any(|s| !mine.contains(s));
        let all = narrows && store.view_choice(os_user, VIEW_KEY)?.as_deref() == Some(ALL);
        Ok(Scope { mine, all, narrows })
    }

    /// The sections shown, or None for every section.
    pub fn sections(&self) -> Option<&[String]> {
        (!self.all && self.narrows).then_some(self.mine.as_slice())
    }

    /// Whether a unit of `section` is shown.
    pub fn keeps(&self, section: &str) -> bool {
        self.sections().is_none_or(|ss| ss.iter().any(|s| s == section))
    }

    /// Whether there is a narrower scope to toggle to (own sections that
    /// leave some section out).
    pub fn has_own(&self) -> bool {
        self.narrows
    }

    /// Toggles between own sections and all; the choice is kept for the next session.
    pub fn toggle(&mut self, store: &mut Store, os_user: &str) -> Result<(), StoreError> {
        self.all = !self.all;
        store.set_view_choice(os_user, VIEW_KEY, if self.all { ALL } else { MINE })
    }

    /// For the status bar: `本科室:教科文科` or `全部科室`.
    pub fn label(&self) -> String {
        match self.sections() {
            Some(ss) => format!("{}{}", s::SCOPE_MINE, ss.join("、")),
            None => s::SCOPE_ALL.to_string(),
        }
    }
}
