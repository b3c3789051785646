//! One stage's queue held in memory as a compact index — id, state, finding
//! counts and unit of every item, read once from a covering index — so that a
//! filter, a sort or the counts in the status bar are a scan of a few hundred
//! kilobytes instead of a query over 25,000 rows per key (issue #8: a filter key
//! took 20 ms at 10× as SQL, a scan in memory takes well under one).
//!
//! The filter's meaning lives here once: `queue_ids` and the TUI both go
//! through `QueueIndex::ids`.

use super::codec::decode;
use super::queue::{QueueFilter, QueueRow, QueueSort};
use super::{Store, StoreError};
use crate::domain::{ReviewState, Severity, Stage};
use std::collections::HashMap;

/// One item as the queue's filters and sorts see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueEntry {
    pub id: i64,
    pub state: ReviewState,
    pub blocking: u32,
    pub warning: u32,
    pub info: u32,
    /// Index into `QueueIndex::units`.
    unit: u32,
}

impl QueueEntry {
    fn findings(&self) -> u32 {
        self.blocking + self.warning + self.info
    }
}

/// A unit as the filters see it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct UnitKey {
    code: String,
    section: String,
}

/// Every item of one stage, in id order.
#[derive(Debug, Clone)]
pub struct QueueIndex {
    pub stage: Stage,
    entries: Vec<QueueEntry>,
    units: Vec<UnitKey>,
    /// Amount in 分 per entry (parallel to `entries`), read on the first sort by amount.
    amounts: Option<Vec<i64>>,
}

impl QueueIndex {
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn unit(&self, e: &QueueEntry) -> &UnitKey {
        &self.units[e.unit as usize]
    }

    fn matches(&self, filter: &QueueFilter, e: &QueueEntry) -> bool {
        let unit = self.unit(e);
        filter.state.is_none_or(|s| s == e.state)
            && filter.section.as_ref().is_none_or(|s| *s == unit.section)
            && filter.scope.as_ref().is_none_or(|ss| ss.contains(&unit.section))
            && filter.unit_code.as_ref().is_none_or(|c| *c == unit.code)
            && filter.has_findings.is_none_or(|has| has == (e.findings() > 0))
            && match filter.min_severity {
                Some(Severity::Blocking) => e.blocking > 0,
                Some(Severity::Warning) => e.blocking + e.warning > 0,
                Some(Severity::Info) => e.findings() > 0,
                None => true,
            }
    }

    /// Whether the amounts are in memory (a sort by amount needs them).
    pub fn needs_amounts(&self, sort: QueueSort) -> bool {
        sort == QueueSort::AmountDesc && self.amounts.is_none()
    }

    /// The ids the filter shows, in the order of `sort`. Sorting by amount
    /// before `load_amounts` falls back to id order.
    pub fn ids(&self, filter: &QueueFilter, sort: QueueSort) -> Vec<i64> {
        let mut picked: Vec<usize> = (0..self.entries.len())
            .filter(|i| self.matches(filter, &self.entries[*i]))
            .collect();
        let e = &self.entries;
        // Entries are in id order, so a stable sort keeps id as the last key.
        match sort {
            QueueSort::Loaded => {}
            QueueSort::AmountDesc => {
                if let Some(amounts) = &self.amounts {
                    picked.sort_by_key(|i| std::cmp::Reverse(amounts[*i]));
                }
            }
            QueueSort::Unit => picked.sort_by(|a, b| self.unit(&e[*a]).code.cmp(&self.unit(&e[*b]).code)),
            QueueSort::FindingsDesc => {
                picked.sort_by_key(|i| std::cmp::Reverse((e[*i].blocking, e[*i].warning, e[*i].info)))
            }
            QueueSort::State => picked.sort_by_key(|i| e[*i].state),
        }
        picked.into_iter().map(|i| e[i].id).collect()
    }

    /// How many items of the stage (within the filter's section and scope)
    /// stand in each state; states with none are left out.
    pub fn state_counts(&self, filter: &QueueFilter) -> Vec<(ReviewState, i64)> {
        let mut counts: Vec<(ReviewState, i64)> = Vec::new();
        for e in &self.entries {
            let section = &self.unit(e).section;
            if filter.section.as_ref().is_some_and(|s| s != section)
                || filter.scope.as_ref().is_some_and(|ss| !ss.contains(section))
            {
                continue;
            }
            match counts.iter_mut().find(|(s, _)| *s == e.state) {
                Some((_, n)) => *n += 1,
                None => counts.push((e.state, 1)),
            }
        }
        counts.sort_by_key(|(state, _)| *state);
        counts
    }

    /// Takes in what a fresh row says about an item after a write of this session.
    pub fn update(&mut self, row: &QueueRow) {
        if let Ok(i) = self.entries.binary_search_by_key(&row.review_id, |e| e.id) {
            let e = &mut self.entries[i];
            e.state = row.state;
            e.blocking = row.blocking.try_into().unwrap_or(u32::MAX);
            e.warning = row.warning.try_into().unwrap_or(u32::MAX);
            e.info = row.info.try_into().unwrap_or(u32::MAX);
        }
    }
}

impl Store {
    /// Every item of a stage as the queue's filters see it: one pass over the
    /// covering index `review_entries`, plus the units' sections.
    pub fn queue_index(&self, stage: Stage) -> Result<QueueIndex, StoreError> {
        let mut units = Vec::new();
        let mut unit_slot: HashMap<String, u32> = HashMap::new();
        let mut stmt = self
            .conn
            .prepare_cached("SELECT code, section FROM unit ORDER BY code")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let code: String = r.get(0)?;
            unit_slot.insert(code.clone(), units.len() as u32);
            units.push(UnitKey {
                code,
                section: r.get(1)?,
            });
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, state, blocking, warning, info, unit_code FROM review WHERE stage = ?1 ORDER BY id",
        )?;
        let mut rows = stmt.query([stage.code()])?;
        let mut entries = Vec::with_capacity(4096);
        // Borrowed text, no allocation per row: this loop is most of start-up at 10×.
        let text = |r: &rusqlite::Row<'_>, i: usize| -> Result<String, StoreError> { Ok(r.get(i)?) };
        while let Some(r) = rows.next()? {
            let state = match r.get_ref(1)?.as_str() {
                Ok(code) => decode(code, ReviewState::from_code)?,
                Err(_) => decode(&text(r, 1)?, ReviewState::from_code)?,
            };
            let unit = match r.get_ref(5)?.as_str().ok().and_then(|code| unit_slot.get(code)) {
                Some(slot) => *slot,
                // A review always has its unit (foreign key); keep the index total anyway.
                None => {
                    let code = text(r, 5)?;
                    let slot = units.len() as u32;
                    unit_slot.insert(code.clone(), slot);
                    units.push(UnitKey {
                        code,
                        section: String::new(),
                    });
                    slot
                }
            };
            entries.push(QueueEntry {
                id: r.get(0)?,
                state,
                blocking: r.get(2)?,
                warning: r.get(3)?,
                info: r.get(4)?,
                unit,
            });
        }
        Ok(QueueIndex {
            stage,
            entries,
            units,
            amounts: None,
        })
    }

    /// Reads the amounts a sort by amount needs into the index.
    pub fn load_queue_amounts(&self, index: &mut QueueIndex) -> Result<(), StoreError> {
        let mut by_id: HashMap<i64, i64> = HashMap::with_capacity(index.entries.len());
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.id, COALESCE(k.amount_fen, p.amount_fen, 0) FROM review r
             LEFT JOIN project p ON p.id = r.project_id LEFT JOIN key_eval k ON k.id = r.key_eval_id
             WHERE r.stage = ?1",
        )?;
        let mut rows = stmt.query([index.stage.code()])?;
        while let Some(r) = rows.next()? {
            by_id.insert(r.get(0)?, r.get(1)?);
        }
        index.amounts = Some(
            index
                .entries
                .iter()
                .map(|e| by_id.get(&e.id).copied().unwrap_or(0))
                .collect(),
        );
        Ok(())
    }

    /// The ids of every item the filter shows, in id order.
    pub fn queue_ids(&self, filter: &QueueFilter) -> Result<Vec<i64>, StoreError> {
        self.queue_ids_sorted(filter, QueueSort::Loaded)
    }

    /// The ids of every item the filter shows, in the chosen order.
    pub fn queue_ids_sorted(&self, filter: &QueueFilter, sort: QueueSort) -> Result<Vec<i64>, StoreError> {
        let mut index = self.queue_index(filter.stage)?;
        if index.needs_amounts(sort) {
            self.load_queue_amounts(&mut index)?;
        }
        Ok(index.ids(filter, sort))
    }

    /// How many items of a stage (within `section`) stand in each state, states
    /// with none left out — counted by SQL over an index, for the first frame
    /// before the stage's index is read (`QueueIndex::state_counts` after).
    pub fn state_counts(&self, stage: Stage, section: Option<&str>) -> Result<Vec<(ReviewState, i64)>, StoreError> {
        let scope = section.map(|s| vec![s.to_string()]);
        self.state_counts_in(stage, scope.as_deref())
    }

    /// The same within any of `scope`'s sections (the reviewer's own).
    pub fn state_counts_in(
        &self,
        stage: Stage,
        scope: Option<&[String]>,
    ) -> Result<Vec<(ReviewState, i64)>, StoreError> {
        let sql = if scope.is_some() {
            "SELECT r.state, COUNT(*) FROM review r JOIN unit u ON u.code = r.unit_code
             WHERE r.stage = ?1 AND u.section IN (SELECT value FROM json_each(?2)) GROUP BY r.state"
        } else {
            // Covered by review(stage, state, id): no table rows read.
            "SELECT r.state, COUNT(*) FROM review r WHERE r.stage = ?1 AND ?2 IS NULL GROUP BY r.state"
        };
        let scope = scope.map(serde_json::to_string).transpose()?;
        let mut stmt = self.conn.prepare_cached(sql)?;
        let mut rows = stmt.query(rusqlite::params![stage.code(), scope])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push((decode(&r.get::<_, String>(0)?, ReviewState::from_code)?, r.get(1)?));
        }
        out.sort_by_key(|(state, _)| *state);
        Ok(out)
    }
}
