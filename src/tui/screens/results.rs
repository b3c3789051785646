//! The result-application tab (7, 结果应用): every project with a grade —
//! its key evaluation's, else its recomputed self-evaluation's — with the
//! next-year budget treatment the grade suggests and the reviewer's answer.
//! `y` confirms, `m` changes with a reason, `Space` tags, `Y` confirms the
//! tagged (or, asked first, every open row shown) in one transaction, `f`
//! cycles the filter, `Enter` opens the graded item's workspace. Every write
//! goes through the store, which checks who may answer for which section.

use super::Effect;
use crate::config::Action;
use crate::domain::Grade;
use crate::domain::money::{format_percent, format_wan};
use crate::domain::result_application::{ResultChoice, ResultStatus, parse_change};
use crate::domain::text::{pad_left_to_width, pad_to_width, sanitize, truncate_to_width};
use crate::store::{ResultRow, Store, StoreError, UndoStep};
use crate::tui::overlay::{Confirm, Overlay};
use crate::tui::prompt::PromptOutcome;
use crate::tui::prompt::StagePrompt;
use crate::tui::session::Session;
use crate::tui::strings as s;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use rust_decimal::Decimal;
use std::collections::BTreeSet;

/// Which rows are shown; `f` cycles All → 待确认 → 差 → 中 → 良 → 优.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ResultFilter {
    #[default]
    All,
    /// Rows still owing an answer (none yet, or answered for another grade).
    Open,
    Grade(Grade),
}

impl ResultFilter {
    pub fn next(self) -> ResultFilter {
        match self {
            ResultFilter::All => ResultFilter::Open,
            ResultFilter::Open => ResultFilter::Grade(Grade::Poor),
            ResultFilter::Grade(Grade::Poor) => ResultFilter::Grade(Grade::Fair),
            ResultFilter::Grade(Grade::Fair) => ResultFilter::Grade(Grade::Good),
            ResultFilter::Grade(Grade::Good) => ResultFilter::Grade(Grade::Excellent),
            ResultFilter::Grade(Grade::Excellent) => ResultFilter::All,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ResultFilter::All => s::RES_FILTER_ALL,
            ResultFilter::Open => s::RES_FILTER_OPEN,
            ResultFilter::Grade(g) => g.label(),
        }
    }

    fn keeps(self, row: &ResultRow) -> bool {
        match self {
            ResultFilter::All => true,
            ResultFilter::Open => row.status().is_open(),
            ResultFilter::Grade(g) => row.grade() == g,
        }
    }
}

/// The tab's rows and where the reviewer is in them.
#[derive(Debug, Default)]
pub struct ResultsTab {
    /// Every row of the latest year, in unit and project order.
    pub rows: Vec<ResultRow>,
    /// Indices into `rows` that the filter keeps.
    pub shown: Vec<usize>,
    /// Position in `shown`.
    pub selected: usize,
    /// First shown row on screen.
    pub offset: usize,
    /// Tagged rows by project id.
    pub tagged: BTreeSet<i64>,
    pub filter: ResultFilter,
    /// The reviewer's scope (their sections), None for every section.
    pub scope: Option<Vec<String>>,
    /// `:filter section=… unit=…` on this tab.
    pub section: Option<String>,
    pub unit_code: Option<String>,
    /// Whether `rows` is current. Reading them rescores every self-evaluation
    /// of the year (about 0.1 s at the demo's size), so they are read again
    /// only when another writer changed the file, on refresh, after a batch or
    /// a workspace — not each time the tab comes round.
    pub loaded: bool,
}

/// The figures of the summary line, over the whole year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub total: usize,
    /// Rows per grade, 优 to 差.
    pub per_grade: Vec<(Grade, usize)>,
    pub answered: usize,
    /// Rows whose treatment the reviewer changed (their cut is in words, not a share).
    pub changed: usize,
    /// The suggested cut of next year's budget (元), changed rows left out.
    pub cut: Decimal,
}

impl ResultsTab {
    /// Re-reads the rows, keeping the selected project where it still shows.
    pub fn load(&mut self, store: &Store, rules: &crate::domain::params::RuleParams) -> Result<(), StoreError> {
        let keep = self.selected_row().map(|r| r.project_id);
        self.rows = store.result_rows(rules)?;
        let ids: BTreeSet<i64> = self.rows.iter().map(|r| r.project_id).collect();
        self.tagged.retain(|id| ids.contains(id));
        self.refilter(keep);
        self.loaded = true;
        Ok(())
    }

    /// Whether a row is within the scope and the section/unit filter (the
    /// grade filter aside): the rows the summary counts.
    fn in_scope(&self, r: &ResultRow) -> bool {
        self.scope.as_ref().is_none_or(|ss| ss.contains(&r.section))
            && self.section.as_ref().is_none_or(|s| *s == r.section)
            && self.unit_code.as_ref().is_none_or(|c| *c == r.unit_code)
    }

    fn refilter(&mut self, keep: Option<i64>) {
        let filter = self.filter;
        self.shown = (0..self.rows.len())
            .filter(|i| self.in_scope(&self.rows[*i]) && filter.keeps(&self.rows[*i]))
            .collect();
        let at = keep.and_then(|id| self.shown.iter().position(|i| self.rows[*i].project_id == id));
        self.selected = at.unwrap_or(self.selected).min(self.shown.len().saturating_sub(1));
        self.offset = self.offset.min(self.selected);
    }

    pub fn selected_row(&self) -> Option<&ResultRow> {
        self.shown.get(self.selected).map(|i| &self.rows[*i])
    }

    /// Moves the selection and scrolls so it stays within `height` rows.
    pub fn move_by(&mut self, delta: i64, height: usize) {
        if self.shown.is_empty() {
            return;
        }
        let last = self.shown.len() as i64 - 1;
        self.selected = (self.selected as i64).saturating_add(delta).clamp(0, last) as usize;
        let height = height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
    }

    /// The first shown row at or after `from` (after it, with `skip_current`),
    /// going forward or back and wrapping, whose unit, project name or code
    /// holds `needle` (letters in any case); with how many shown rows hold it.
    pub fn find(&self, needle: &str, from: usize, forward: bool, skip_current: bool) -> Option<(usize, usize)> {
        let n = self.shown.len();
        if needle.is_empty() || n == 0 {
            return None;
        }
        let needle = needle.to_lowercase();
        let hit = |i: usize| {
            let r = &self.rows[self.shown[i]];
            [&r.unit_name, &r.project_name, &r.project_code, &r.unit_code]
                .iter()
                .any(|t| t.to_lowercase().contains(&needle))
        };
        let hits = (0..n).filter(|i| hit(*i)).count();
        crate::tui::search::next_match(n, from, forward, skip_current, hit).map(|i| (i, hits))
    }

    /// Puts a re-read row in place of the old one (the filter is applied again
    /// only on the next load, so the row stays where the reviewer sees it).
    fn replace(&mut self, row: ResultRow) {
        if let Some(old) = self.rows.iter_mut().find(|r| r.project_id == row.project_id) {
            *old = row;
        }
    }

    /// The figures over the rows in scope (every grade).
    pub fn summary(&self) -> Summary {
        let rows: Vec<&ResultRow> = self.rows.iter().filter(|r| self.in_scope(r)).collect();
        let per_grade = Grade::ALL
            .iter()
            .map(|g| (*g, rows.iter().filter(|r| r.grade() == *g).count()))
            .collect();
        Summary {
            total: rows.len(),
            per_grade,
            answered: rows.iter().filter(|r| !r.status().is_open()).count(),
            changed: rows.iter().filter(|r| r.status() == ResultStatus::Changed).count(),
            cut: rows
                .iter()
                .filter(|r| r.status() != ResultStatus::Changed)
                .map(|r| r.suggested_cut())
                .sum(),
        }
    }
}

impl ResultsTab {
    /// On entering the tab: reads the rows unless they are current.
    pub fn show(&mut self, ses: &Session) -> Result<(), StoreError> {
        if self.loaded {
            return Ok(());
        }
        self.load(&ses.store, &ses.config.rules)
    }

    /// A mapped action on tab 7 (global actions are the app's).
    pub fn action(&mut self, action: Action, ses: &mut Session) -> anyhow::Result<Effect> {
        if let Some(delta) = super::movement(action, ses.page) {
            self.move_by(delta, ses.page);
            return Ok(Effect::None);
        }
        match action {
            Action::Filter => self.cycle_filter(ses),
            Action::Tag => self.tag(ses),
            Action::TagAll => self.tag_all(ses),
            Action::Open => match self.selected_row().map(|r| r.review_id) {
                Some(id) => return Ok(Effect::Open(id)),
                None => ses.message = Some(s::RES_NO_ROW.into()),
            },
            // The store answers who may confirm what (read-only sessions and
            // other sections' projects included).
            Action::ResultConfirm => self.answer_selected(ses, ResultChoice::Confirm)?,
            Action::ResultChange => self.ask_change(ses),
            Action::ResultConfirmTagged => return self.confirm_tagged(ses),
            other => ses.message = Some(format!("{}{}", s::NOT_YET, other.label())),
        }
        Ok(Effect::None)
    }

    /// `Space`: tags or untags the selected row and moves down.
    fn tag(&mut self, ses: &Session) {
        let Some(id) = self.selected_row().map(|r| r.project_id) else {
            return;
        };
        if !self.tagged.remove(&id) {
            self.tagged.insert(id);
        }
        self.move_by(1, ses.page);
    }

    /// `T`: tags every row shown, or untags them when all are tagged.
    fn tag_all(&mut self, ses: &mut Session) {
        let shown: Vec<i64> = self.shown.iter().map(|i| self.rows[*i].project_id).collect();
        if !shown.is_empty() && shown.iter().all(|id| self.tagged.contains(id)) {
            self.tagged.clear();
            ses.message = Some(s::UNTAGGED_ALL.into());
        } else {
            self.tagged.extend(shown.iter().copied());
            ses.message = Some(format!("{}{}", s::TAGGED_ALL, shown.len()));
        }
    }

    /// `/` on tab 7: selects the next row matching `needle` (see `ResultsTab::find`).
    pub fn search(&mut self, ses: &mut Session, needle: &str, from: usize, forward: bool, skip_current: bool) {
        let found = self.find(needle, from, forward, skip_current);
        if let Some(i) = super::search_hit(ses, needle, found, s::ROWS) {
            self.move_by(i as i64 - self.selected as i64, ses.page);
        }
    }

    /// Shows the rows again through a changed scope or section/unit filter.
    pub fn apply_filter(&mut self, ses: &Session, section: Option<String>, unit_code: Option<String>) {
        self.section = section;
        self.unit_code = unit_code;
        self.rescope(ses);
    }

    /// Shows the rows through the session's scope (after `F`).
    pub fn rescope(&mut self, ses: &Session) {
        self.scope = ses.scoped();
        let keep = self.selected_row().map(|r| r.project_id);
        self.tagged.clear();
        self.refilter(keep);
        self.move_by(0, ses.page);
    }

    fn cycle_filter(&mut self, ses: &mut Session) {
        self.filter = self.filter.next();
        let keep = self.selected_row().map(|r| r.project_id);
        self.tagged.clear();
        self.refilter(keep);
        ses.message = Some(format!("{}{}", s::RES_FILTERED, self.filter.label()));
    }

    /// Records one answer to the selected row; moves on when it is saved.
    fn answer_selected(&mut self, ses: &mut Session, choice: ResultChoice) -> anyhow::Result<()> {
        let Some(row) = self.selected_row().cloned() else {
            ses.message = Some(s::RES_NO_ROW.into());
            return Ok(());
        };
        if let Some(record) = ses.answer_result(&row, &choice) {
            if let Some(fresh) = ses.store.result_row_for_review(row.review_id, &ses.config.rules)? {
                self.replace(fresh);
            }
            let what = if record.confirmed {
                s::RES_CONFIRMED_ONE
            } else {
                s::RES_CHANGED_ONE
            };
            ses.message = Some(format!(
                "{what}{} {} {} -> {}",
                sanitize(&row.unit_name),
                sanitize(&row.project_name),
                row.grade().label(),
                sanitize(&record.treatment)
            ));
            self.move_by(1, ses.page);
        }
        Ok(())
    }

    /// `m`: asks "处理方式；理由" for the selected row. A read-only session is
    /// told the store's reason before typing anything.
    fn ask_change(&mut self, ses: &mut Session) {
        if ses.refuse_if_read_only() {
        } else if self.selected_row().is_none() {
            ses.message = Some(s::RES_NO_ROW.into());
        } else {
            ses.ask(StagePrompt::ResultChange);
        }
    }

    /// The answer typed at the `m` prompt: asked again while a part is missing.
    pub fn prompt_done(
        &mut self,
        ses: &mut Session,
        prompt: StagePrompt,
        outcome: PromptOutcome,
    ) -> anyhow::Result<()> {
        let (StagePrompt::ResultChange, PromptOutcome::Submit(text)) = (prompt, outcome) else {
            return Ok(());
        };
        match parse_change(&text).check() {
            Err(why) => ses.ask_again(prompt, &text, format!("{why}{}", s::RESULT_CHANGE_FORM)),
            Ok(()) => self.answer_selected(ses, parse_change(&text))?,
        }
        Ok(())
    }

    /// `Y`: confirms the tagged rows still owing an answer, in one transaction;
    /// with nothing tagged, asks before confirming every open row shown.
    fn confirm_tagged(&mut self, ses: &mut Session) -> anyhow::Result<Effect> {
        if ses.refuse_if_read_only() {
            return Ok(Effect::None);
        }
        if self.tagged.is_empty() {
            let open: Vec<i64> = self
                .shown
                .iter()
                .map(|i| &self.rows[*i])
                .filter(|r| r.status().is_open() && may_answer(ses.me.as_ref(), r))
                .map(|r| r.project_id)
                .collect();
            if open.is_empty() {
                ses.message = Some(s::RES_NOTHING_OPEN.into());
            } else {
                ses.overlay = Some(Overlay::Confirm(Confirm::ConfirmResults { projects: open }));
            }
            return Ok(Effect::None);
        }
        let ids: Vec<i64> = self.tagged.iter().copied().collect();
        self.confirm_projects(ses, &ids)
    }

    /// The answer to "confirm every open row shown?".
    pub fn confirm_key(&mut self, ses: &mut Session, c: Confirm, yes: bool) -> anyhow::Result<Effect> {
        match c {
            Confirm::ConfirmResults { projects } if yes => self.confirm_projects(ses, &projects),
            _ => {
                ses.message = Some(s::CANCELLED.into());
                Ok(Effect::None)
            }
        }
    }

    /// Confirms the rows of these projects that still owe an answer; those
    /// already answered are skipped (a confirmation must not undo a change).
    fn confirm_projects(&mut self, ses: &mut Session, projects: &[i64]) -> anyhow::Result<Effect> {
        let wanted: BTreeSet<i64> = projects.iter().copied().collect();
        let (mine, others): (Vec<ResultRow>, Vec<ResultRow>) = self
            .rows
            .iter()
            .filter(|r| wanted.contains(&r.project_id))
            .cloned()
            .partition(|r| may_answer(ses.me.as_ref(), r));
        let (open, answered): (Vec<ResultRow>, Vec<ResultRow>) = mine.into_iter().partition(|r| r.status().is_open());
        let mut skipped = if answered.is_empty() {
            String::new()
        } else {
            format!("{}{}{}", s::RES_SKIPPED_ANSWERED, answered.len(), s::ITEMS)
        };
        if !others.is_empty() {
            skipped.push_str(&format!("；{}{}", others.len(), s::BULK_NOT_YOURS));
        }
        if open.is_empty() {
            ses.message = Some(format!("{}{skipped}", s::RES_NOTHING_OPEN));
            return Ok(Effect::None);
        }
        let mut befores = Vec::with_capacity(open.len());
        for r in &open {
            befores.push((r.project_id, ses.store.answer_row(r.project_id)?));
        }
        match ses.store.confirm_results(&open, &ses.user) {
            Ok(n) => {
                let steps = befores
                    .into_iter()
                    .map(|(project_id, before)| UndoStep::ResultAnswer {
                        project_id,
                        version_after: before.as_ref().map_or(1, |b| b.version + 1),
                        before,
                    })
                    .collect();
                ses.remember(format!("{} {n}{}", s::UNDO_RESULTS_BATCH, s::ITEMS), steps);
                self.tagged.clear();
                self.load(&ses.store, &ses.config.rules)?;
                ses.message = Some(format!("{}{n}{}{skipped}", s::RES_CONFIRMED_MANY, s::ITEMS));
            }
            Err(e) => ses.message = Some(format!("{}{e}", s::BATCH_FAILED)),
        }
        Ok(Effect::None)
    }
}

/// Whether the user may answer for this row's project (the store decides in
/// the end; this keeps a batch to what is allowed instead of refusing it whole).
fn may_answer(me: Option<&crate::domain::model::Reviewer>, r: &ResultRow) -> bool {
    me.is_some_and(|me| me.may_act_on(&r.section))
}

// ---- drawing -----------------------------------------------------------------------

/// Column widths (cells); the project and treatment columns share what is left.
const MARK_W: usize = 2;
const UNIT_W: usize = 12;
const AMOUNT_W: usize = 10;
const GRADE_W: usize = 7;
const NEXT_W: usize = 9;
const ANSWER_W: usize = 6;

fn widths(total: usize) -> (usize, usize) {
    let rest = total.saturating_sub(MARK_W + UNIT_W + AMOUNT_W + GRADE_W + NEXT_W + ANSWER_W + 6);
    let treatment = rest * 2 / 5;
    (rest - treatment, treatment)
}

fn row_text(row: &ResultRow, tagged: bool, pw: usize, tw: usize) -> String {
    format!(
        "{} {} {} {} {} {} {} {}",
        if tagged { '>' } else { ' ' },
        pad_to_width(&sanitize(&row.unit_name), UNIT_W),
        pad_to_width(&sanitize(&row.project_name), pw),
        pad_left_to_width(&format_wan(row.amount, 2), AMOUNT_W),
        pad_to_width(
            &format!("{} {}", row.grade().label(), row.source.short_label()),
            GRADE_W
        ),
        pad_to_width(&sanitize(&row.suggestion.treatment), tw),
        pad_left_to_width(&format_wan(row.suggestion.next_amount, 2), NEXT_W),
        pad_to_width(row.status().label(), ANSWER_W),
    )
}

pub fn draw(frame: &mut Frame, t: &ResultsTab, theme: &Theme, header: Rect, rows: Rect, preview: Rect) {
    let width = header.width as usize;
    let (pw, tw) = widths(width);
    let head = format!(
        "{} {} {} {} {} {} {} {}",
        " ",
        pad_to_width(s::COL_UNIT, UNIT_W),
        pad_to_width(s::COL_PROJECT, pw),
        pad_left_to_width(s::COL_AMOUNT, AMOUNT_W),
        pad_to_width(s::RES_COL_GRADE, GRADE_W),
        pad_to_width(s::RES_COL_TREATMENT, tw),
        pad_left_to_width(s::RES_COL_NEXT, NEXT_W),
        pad_to_width(s::RES_COL_ANSWER, ANSWER_W),
    );
    frame.render_widget(
        Paragraph::new(Span::styled(pad_to_width(&head, width), theme.header)),
        header,
    );
    if t.shown.is_empty() {
        let empty = if t.rows.is_empty() {
            s::RES_EMPTY
        } else {
            s::RES_NONE_SHOWN
        };
        frame.render_widget(Paragraph::new(empty), rows);
    }
    let lines: Vec<Line> = t
        .shown
        .iter()
        .enumerate()
        .skip(t.offset)
        .take(rows.height as usize)
        .map(|(pos, i)| {
            let row = &t.rows[*i];
            let style = if pos == t.selected {
                theme.selected
            } else if row.status().is_open() {
                Style::new()
            } else {
                // Answered rows step back so the open ones stand out.
                theme.dim
            };
            let text = row_text(row, t.tagged.contains(&row.project_id), pw, tw);
            Line::from(Span::styled(text, style))
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), rows);
    draw_preview(frame, t, theme, preview);
}

/// The answer of a row in words.
fn answer_text(row: &ResultRow) -> String {
    let by = |a: &crate::store::ResultRecord| {
        format!(
            "（{} {}）",
            sanitize(&a.decided_by_name),
            a.decided_at.get(..10).unwrap_or(&a.decided_at)
        )
    };
    match (&row.answer, row.status()) {
        (Some(a), ResultStatus::Outdated) => {
            format!("{}{}{}", s::RES_OUTDATED, a.grade.label(), s::RES_OUTDATED_TAIL)
        }
        (Some(a), ResultStatus::Confirmed) => format!("{}{}", s::RES_CONFIRMED, by(a)),
        (Some(a), ResultStatus::Changed) => format!(
            "{}{}{}{}{}",
            s::RES_CHANGED,
            sanitize(&a.treatment),
            s::RES_REASON,
            sanitize(&a.reason),
            by(a)
        ),
        _ => s::RES_OPEN.to_string(),
    }
}

fn summary_text(sum: &Summary) -> String {
    let grades: Vec<String> = sum.per_grade.iter().map(|(g, n)| format!("{}{n}", g.label())).collect();
    let mut text = format!(
        "{}{}{}：{} | {}{} | {}{}{}",
        s::RES_TOTAL,
        sum.total,
        s::ITEM,
        grades.join(" "),
        s::RES_ANSWERED,
        sum.answered,
        s::RES_TOTAL_CUT,
        format_wan(sum.cut, 2),
        s::WAN
    );
    if sum.changed > 0 {
        text.push_str(&format!(
            "{}{}{}",
            s::RES_NOT_CHANGED,
            sum.changed,
            s::RES_NOT_CHANGED_TAIL
        ));
    }
    text
}

/// The selected row in full, for the reader (`i`): the preview's lines uncut.
pub fn reader_doc(t: &ResultsTab) -> Option<(String, crate::tui::reader::Doc)> {
    let row = t.selected_row()?;
    let sug = &row.suggestion;
    let mut doc = crate::tui::reader::Doc::default();
    doc.section(s::RES_DETAIL.trim_start_matches("-- ").trim());
    doc.text(&format!(
        "{}（{}） {}{}{}{}{}{}{}）",
        sug.grade.label(),
        row.source.label(),
        s::RES_SUGGESTED,
        sug.treatment,
        s::RES_CUT,
        format_percent(sug.cut_share),
        s::RES_NEXT,
        format_wan(sug.next_amount, 2),
        s::WAN
    ));
    doc.labelled(s::RES_ANSWER, &answer_text(row));
    if let Some(note) = &sug.note {
        doc.labelled(s::RES_NOTE, note);
    }
    let title = format!(
        "{} - {} - {} ({})",
        s::TAB_RESULTS,
        row.unit_name,
        row.project_name,
        row.project_code
    );
    Some((title, doc))
}

fn draw_preview(frame: &mut Frame, t: &ResultsTab, theme: &Theme, area: Rect) {
    let width = area.width as usize;
    let cut = |text: String| truncate_to_width(&text, width);
    let mut lines = Vec::with_capacity(area.height as usize);
    match t.selected_row() {
        Some(row) => {
            let sug = &row.suggestion;
            lines.push(Line::from(Span::styled(
                cut(format!(
                    "{}- {} - {} ({}) ",
                    s::RES_DETAIL,
                    sanitize(&row.unit_name),
                    sanitize(&row.project_name),
                    sanitize(&row.project_code)
                )),
                theme.dim,
            )));
            lines.push(Line::from(cut(format!(
                "{}（{}） {}{}{}{}{}{}{}）",
                sug.grade.label(),
                row.source.label(),
                s::RES_SUGGESTED,
                sanitize(&sug.treatment),
                s::RES_CUT,
                format_percent(sug.cut_share),
                s::RES_NEXT,
                format_wan(sug.next_amount, 2),
                s::WAN
            ))));
            let answer_style = if row.status().is_open() {
                theme.warning
            } else {
                theme.message
            };
            lines.push(Line::from(Span::styled(
                cut(format!("{}{}", s::RES_ANSWER, answer_text(row))),
                answer_style,
            )));
            let note = sug
                .note
                .as_ref()
                .map_or(String::new(), |n| format!("{}{n}", s::RES_NOTE));
            lines.push(Line::from(Span::styled(cut(note), theme.dim)));
        }
        None => lines.push(Line::from(Span::styled(cut(s::RES_DETAIL.to_string()), theme.dim))),
    }
    while lines.len() + 1 < area.height as usize {
        lines.push(Line::from(""));
    }
    lines.push(Line::from(Span::styled(cut(summary_text(&t.summary())), theme.info)));
    frame.render_widget(Paragraph::new(lines), area);
}

/// The status bar's part for this tab: position, tags, filter.
pub fn status_text(t: &ResultsTab) -> String {
    let mut text = format!("{}/{} ", (t.selected + 1).min(t.shown.len()), t.shown.len());
    if !t.tagged.is_empty() {
        text.push_str(&format!("| {}{} ", s::TAGGED, t.tagged.len()));
    }
    text.push_str(&format!("| {}{} ", s::FILTER, t.filter.label()));
    text
}
