//! The rectification board (tab 5): every rectification grouped by state
//! (待整改, 整改中, 已报送, 已销号) and by unit, with its deadline and the days
//! left or overdue against `App.today` (the injected clock). The reviewer
//! records evidence, signs off (销号), sends evidence back, or extends the
//! deadline with a reason; each step goes through the store's state machine
//! (versioned, audited).

use super::Effect;
use crate::config::Action;
use crate::domain::RectState;
use crate::domain::dates::parse_date;
use crate::domain::model::Rectification;
use crate::domain::states::RectAction;
use crate::domain::text::{pad_to_width, sanitize, truncate_to_width};
use crate::store::{RectLabels, UndoStep};
use crate::tui::prompt::PromptOutcome;
use crate::tui::prompt::StagePrompt;
use crate::tui::reader::Doc;
use crate::tui::session::Session;
use crate::tui::strings as s;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// One rectification with the names shown beside it.
#[derive(Debug, Clone)]
pub struct BoardRow {
    pub rect: Rectification,
    pub labels: RectLabels,
}

/// A line of the board: a state's heading or a rectification (index into rows).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Entry {
    Heading(RectState, usize),
    Row(usize),
}

/// Which rectifications the board shows besides the scope; `f` cycles
/// 全部 → 待整改 → 整改中 → 已报送 → 已销号 → 逾期.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum BoardFilter {
    #[default]
    All,
    State(RectState),
    Overdue,
}

impl BoardFilter {
    pub fn next(self) -> BoardFilter {
        match self {
            BoardFilter::All => BoardFilter::State(RectState::Open),
            BoardFilter::State(RectState::Open) => BoardFilter::State(RectState::InProgress),
            BoardFilter::State(RectState::InProgress) => BoardFilter::State(RectState::Submitted),
            BoardFilter::State(RectState::Submitted) => BoardFilter::State(RectState::Verified),
            BoardFilter::State(_) => BoardFilter::Overdue,
            BoardFilter::Overdue => BoardFilter::All,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            BoardFilter::All => s::RES_FILTER_ALL,
            BoardFilter::State(st) => st.label(),
            BoardFilter::Overdue => s::BOARD_FILTER_OVERDUE,
        }
    }

    fn keeps(self, r: &Rectification, today: chrono::NaiveDate) -> bool {
        match self {
            BoardFilter::All => true,
            BoardFilter::State(st) => r.state == st,
            BoardFilter::Overdue => r.is_overdue(today),
        }
    }
}

#[derive(Debug, Default)]
pub struct Board {
    /// The rectifications shown (scope and filter applied), in board order.
    pub rows: Vec<BoardRow>,
    /// Every rectification, in board order, with its unit's section.
    every: Vec<(BoardRow, String)>,
    pub selected: usize,
    /// First line shown.
    pub offset: usize,
    pub filter: BoardFilter,
    /// The reviewer's scope (their sections), None for every section.
    pub scope: Option<Vec<String>>,
    /// `:filter section=… unit=…` on this tab.
    pub section: Option<String>,
    pub unit_code: Option<String>,
    /// The day overdue is counted against (the app's clock).
    pub today: Option<chrono::NaiveDate>,
}

impl Board {
    /// Reads every rectification, ordered by state, unit, deadline, and shows
    /// those the scope and filter keep.
    pub fn load(&mut self, store: &crate::store::Store) -> Result<(), crate::store::StoreError> {
        let mut labels = store.rect_labels()?;
        let sections = store.unit_sections()?;
        let mut rows: Vec<(BoardRow, String)> = store
            .rectifications(None)?
            .into_iter()
            .map(|rect| {
                let labels = labels.remove(&rect.id).unwrap_or(RectLabels {
                    unit_name: rect.unit_code.clone(),
                    project_name: String::new(),
                });
                let section = sections.get(&rect.unit_code).cloned().unwrap_or_default();
                (BoardRow { rect, labels }, section)
            })
            .collect();
        rows.sort_by(|(a, _), (b, _)| {
            (a.rect.state, &a.rect.unit_code, a.rect.deadline, a.rect.id).cmp(&(
                b.rect.state,
                &b.rect.unit_code,
                b.rect.deadline,
                b.rect.id,
            ))
        });
        self.every = rows;
        self.refilter();
        Ok(())
    }

    /// Shows what the scope and filter keep, the selection staying on its
    /// rectification where it still shows.
    pub fn refilter(&mut self) {
        let keep = self.selected_row().map(|r| r.rect.id);
        let today = self.today.unwrap_or_else(|| chrono::Local::now().date_naive());
        self.rows = self
            .every
            .iter()
            .filter(|(row, section)| {
                self.scope.as_ref().is_none_or(|ss| ss.contains(section))
                    && self.section.as_ref().is_none_or(|s| s == section)
                    && self.unit_code.as_ref().is_none_or(|c| *c == row.rect.unit_code)
                    && self.filter.keeps(&row.rect, today)
            })
            .map(|(row, _)| row.clone())
            .collect();
        self.selected = keep
            .and_then(|id| self.rows.iter().position(|r| r.rect.id == id))
            .unwrap_or(self.selected)
            .min(self.rows.len().saturating_sub(1));
    }

    /// How many rectifications the scope hides (told beside an empty board).
    pub fn hidden(&self) -> usize {
        self.every.len() - self.rows.len()
    }

    /// The first shown row at or after `from` (after it, with `skip_current`),
    /// forward or back, wrapping, whose unit, project, problem or number holds
    /// `needle`; with how many rows hold it.
    pub fn find(&self, needle: &str, from: usize, forward: bool, skip_current: bool) -> Option<(usize, usize)> {
        let n = self.rows.len();
        if needle.is_empty() || n == 0 {
            return None;
        }
        let needle = needle.to_lowercase();
        let hit = |i: usize| {
            let r = &self.rows[i];
            let number = format!("#{}", r.rect.id);
            [
                &r.labels.unit_name,
                &r.labels.project_name,
                &r.rect.problem,
                &r.rect.unit_code,
                &number,
            ]
            .iter()
            .any(|t| t.to_lowercase().contains(&needle))
        };
        let hits = (0..n).filter(|i| hit(*i)).count();
        crate::tui::search::next_match(n, from, forward, skip_current, hit).map(|i| (i, hits))
    }

    pub fn selected_row(&self) -> Option<&BoardRow> {
        self.rows.get(self.selected)
    }

    fn entries(&self) -> Vec<Entry> {
        let mut out = Vec::with_capacity(self.rows.len() + 4);
        let mut last = None;
        for (i, r) in self.rows.iter().enumerate() {
            if last != Some(r.rect.state) {
                let n = self.rows.iter().filter(|x| x.rect.state == r.rect.state).count();
                out.push(Entry::Heading(r.rect.state, n));
                last = Some(r.rect.state);
            }
            out.push(Entry::Row(i));
        }
        out
    }

    /// Moves the selection and scrolls so it stays within `height` lines.
    pub fn move_by(&mut self, delta: i64, height: usize) {
        if self.rows.is_empty() {
            return;
        }
        let last = self.rows.len() as i64 - 1;
        self.selected = (self.selected as i64).saturating_add(delta).clamp(0, last) as usize;
        let line = self
            .entries()
            .iter()
            .position(|e| *e == Entry::Row(self.selected))
            .unwrap_or(0);
        let height = height.max(1);
        // Show the state heading above the first row of a group when scrolling up.
        let want_top = line.saturating_sub(1);
        if want_top < self.offset {
            self.offset = want_top;
        } else if line >= self.offset + height {
            self.offset = line + 1 - height;
        }
    }
}

impl Board {
    /// A mapped action on the board (global actions are the app's).
    pub fn action(&mut self, action: Action, ses: &mut Session) -> anyhow::Result<Effect> {
        if let Some(delta) = super::movement(action, ses.page) {
            self.move_by(delta, ses.page);
            return Ok(Effect::None);
        }
        match action {
            Action::Filter => self.cycle_filter(ses),
            Action::Start | Action::Verify | Action::Evidence | Action::RejectEvidence | Action::Extend => {
                self.on_selected(ses, action)?
            }
            Action::ResultConfirm | Action::ResultChange | Action::ResultConfirmTagged => {
                ses.message = Some(s::RES_ONLY_HERE.into())
            }
            other => ses.message = Some(format!("{}{}", s::NOT_YET, other.label())),
        }
        Ok(Effect::None)
    }

    /// One of the board's own actions, on the selected rectification.
    fn on_selected(&mut self, ses: &mut Session, action: Action) -> anyhow::Result<()> {
        let Some(row) = self.selected_row() else {
            return Ok(());
        };
        let (id, version) = (row.rect.id, row.rect.version);
        match action {
            Action::Start => self.act(ses, id, version, RectAction::Start)?,
            Action::Verify => self.act(ses, id, version, RectAction::Verify)?,
            Action::Evidence => ses.ask(StagePrompt::Evidence(id)),
            Action::RejectEvidence => ses.ask(StagePrompt::RejectEvidence(id)),
            Action::Extend => ses.ask(StagePrompt::ExtendDate(id)),
            _ => {}
        }
        Ok(())
    }

    /// Reads the board again, counting overdue against the session's today.
    pub fn show(&mut self, ses: &Session) -> Result<(), crate::store::StoreError> {
        self.today = Some(ses.today);
        self.scope = ses.scoped();
        self.load(&ses.store)
    }

    fn act(&mut self, ses: &mut Session, id: i64, version: i64, action: RectAction) -> anyhow::Result<()> {
        let label = action.label();
        let before = ses.store.rectification(id)?;
        match ses.store.rect_action(id, version, &action, &ses.user) {
            Ok(r) => {
                if let Some(before) = before {
                    let unit = self
                        .rows
                        .iter()
                        .find(|row| row.rect.id == id)
                        .map_or_else(|| r.unit_code.clone(), |row| row.labels.unit_name.clone());
                    let what = format!("{label} {}{id}（{}）", s::UNDO_RECT_STEP, sanitize(&unit));
                    let version_after = r.version;
                    ses.remember(what, vec![UndoStep::Rectification { before, version_after }]);
                }
                ses.message = Some(format!("{}{label}：#{} {}", s::RECT_DONE, r.id, r.state.label()))
            }
            Err(e) => ses.message = Some(e.to_string()),
        }
        self.load(&ses.store)?;
        // The row moved to its new state's group: scroll to where it went.
        self.move_by(0, ses.page);
        Ok(())
    }

    /// `f` on the board: the next filter, applied at once.
    fn cycle_filter(&mut self, ses: &mut Session) {
        self.filter = self.filter.next();
        self.refilter();
        self.move_by(0, ses.page);
        ses.message = Some(format!(
            "{}{} ({}{})",
            s::RES_FILTERED,
            self.filter.label(),
            self.rows.len(),
            s::ITEMS
        ));
    }

    /// `:filter section=… unit=…` on the board.
    pub fn apply_filter(&mut self, ses: &Session, section: Option<String>, unit_code: Option<String>) {
        self.section = section;
        self.unit_code = unit_code;
        self.refilter();
        self.move_by(0, ses.page);
    }

    /// `/`, `n`, `N` on the board.
    pub fn search(&mut self, ses: &mut Session, needle: &str, from: usize, forward: bool, skip_current: bool) {
        let found = self.find(needle, from, forward, skip_current);
        if let Some(i) = super::search_hit(ses, needle, found, s::ITEMS) {
            self.move_by(i as i64 - self.selected as i64, ses.page);
        }
    }

    /// The selected rectification in full, for the reader (`i`).
    pub fn reader_doc(&self, ses: &Session) -> Option<(String, Doc)> {
        let row = self.selected_row()?;
        let r = &row.rect;
        let mut doc = Doc::default();
        doc.section(s::BOARD_PROBLEM);
        doc.text(&r.problem);
        doc.labelled(s::BOARD_MEASURE, &r.required_measure);
        doc.labelled(s::BOARD_EVIDENCE, &r.evidence);
        doc.labelled(s::BOARD_SOURCE, r.source_stage.label());
        doc.labelled(
            s::BOARD_DEADLINE,
            &format!("{} {}", r.deadline, days_text(r, ses.today)),
        );
        for e in &r.extensions {
            doc.labelled(
                s::BOARD_EXTENDED,
                &format!("{} -> {}：{}（{}）", e.from, e.to, e.reason, e.by),
            );
        }
        let title = format!(
            "{} #{} - {} - {}",
            s::TAB_BOARD_NAME,
            r.id,
            row.labels.unit_name,
            row.labels.project_name
        );
        Some((title, doc))
    }

    /// A board prompt answered (a date asked again until it reads as one).
    pub fn prompt_done(
        &mut self,
        ses: &mut Session,
        prompt: StagePrompt,
        outcome: PromptOutcome,
    ) -> anyhow::Result<()> {
        let PromptOutcome::Submit(text) = outcome else {
            return Ok(());
        };
        let version = |board: &Board, id: i64| {
            board
                .rows
                .iter()
                .find(|r| r.rect.id == id)
                .map_or(0, |r| r.rect.version)
        };
        let reason = text.trim().to_string();
        match prompt {
            StagePrompt::ExtendDate(id) => match parse_date(&text) {
                Some(to) => ses.ask(StagePrompt::ExtendReason(id, to)),
                None => ses.ask_again(prompt, &text, s::DATE_AGAIN.to_string()),
            },
            StagePrompt::Evidence(id) => {
                self.act(ses, id, version(self, id), RectAction::Submit { evidence: reason })?
            }
            StagePrompt::RejectEvidence(id) => self.act(ses, id, version(self, id), RectAction::Reject { reason })?,
            StagePrompt::ExtendReason(id, to) => {
                self.act(ses, id, version(self, id), RectAction::Extend { to, reason })?
            }
            _ => {}
        }
        Ok(())
    }
}

// ---- drawing --------------------------------------------------------------------

/// Days left, or overdue, against today; verified items show as done.
pub fn days_text(r: &Rectification, today: chrono::NaiveDate) -> String {
    if r.state == RectState::Verified {
        return s::BOARD_DONE.to_string();
    }
    let days = r.days_left(today);
    if r.is_overdue(today) {
        format!("{}{}{}", s::OVERDUE, -days, s::DAYS)
    } else {
        format!("{}{days}{}", s::BOARD_LEFT, s::DAYS)
    }
}

pub fn draw(frame: &mut Frame, board: &Board, ses: &Session, theme: &Theme, header: Rect, rows: Rect, preview: Rect) {
    let width = header.width as usize;
    frame.render_widget(
        Paragraph::new(Span::styled(pad_to_width(s::BOARD_HEADER, width), theme.header)),
        header,
    );
    if board.rows.is_empty() {
        let text = if board.hidden() > 0 {
            format!("{}{}{}", s::BOARD_ALL_HIDDEN, board.hidden(), s::BOARD_ALL_HIDDEN_TAIL)
        } else {
            s::RECT_EMPTY.to_string()
        };
        frame.render_widget(Paragraph::new(text), rows);
        return;
    }
    let problem_w = width.saturating_sub(3 + 14 + 11 + 10 + 8 + 4);
    let lines: Vec<Line> = board
        .entries()
        .into_iter()
        .skip(board.offset)
        .take(rows.height as usize)
        .map(|e| match e {
            Entry::Heading(state, n) => Line::from(Span::styled(format!("-- {} ({n})", state.label()), theme.dim)),
            Entry::Row(i) => {
                let r = &board.rows[i].rect;
                let text = format!(
                    "{} {} {} {} {} {}",
                    if i == board.selected { ">" } else { " " },
                    pad_to_width(&sanitize(&board.rows[i].labels.unit_name), 14),
                    pad_to_width(&sanitize(&r.problem.replace('\n', " ")), problem_w),
                    r.deadline,
                    pad_to_width(&days_text(r, ses.today), 9),
                    r.source_stage.label()
                );
                let style = if i == board.selected {
                    theme.selected
                } else if r.is_overdue(ses.today) {
                    theme.blocking
                } else {
                    Style::new()
                };
                Line::from(Span::styled(text, style))
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), rows);
    draw_preview(frame, board, theme, preview);
}

fn draw_preview(frame: &mut Frame, board: &Board, theme: &Theme, area: Rect) {
    let width = area.width as usize;
    let Some(row) = board.selected_row() else { return };
    let r = &row.rect;
    let mut lines = vec![Line::from(Span::styled(
        truncate_to_width(
            &format!(
                "{}- #{} {} - {} ",
                s::BOARD_DETAIL,
                r.id,
                sanitize(&row.labels.unit_name),
                sanitize(&row.labels.project_name)
            ),
            width,
        ),
        theme.dim,
    ))];
    lines.push(Line::from(truncate_to_width(
        &format!(
            "{}{}  {}",
            s::BOARD_SOURCE,
            r.source_stage.label(),
            sanitize(r.project_code.as_deref().unwrap_or("")),
        ),
        width,
    )));
    lines.push(Line::from(truncate_to_width(
        &format!("{}{}", s::BOARD_MEASURE, sanitize(&r.required_measure)),
        width,
    )));
    let evidence = if r.evidence.trim().is_empty() {
        s::BOARD_NO_EVIDENCE.to_string()
    } else {
        sanitize(&r.evidence)
    };
    lines.push(Line::from(truncate_to_width(
        &format!("{}{evidence}", s::BOARD_EVIDENCE),
        width,
    )));
    let mut last = String::new();
    if let (Some(by), Some(at)) = (&r.verified_by, &r.verified_at) {
        last.push_str(&format!("{}{by} {} ", s::BOARD_VERIFIED, at.get(..10).unwrap_or(at)));
    }
    if let Some(x) = r.extensions.last() {
        last.push_str(&format!(
            "{}{} -> {} {}",
            s::BOARD_EXTENDED,
            x.from,
            x.to,
            sanitize(&x.reason)
        ));
    }
    lines.push(Line::from(truncate_to_width(&last, width)));
    frame.render_widget(Paragraph::new(lines), area);
}
