//! Stage workspaces: `Enter` on a queue item opens the screen where the
//! reviewer judges that one item. The frame is shared — header, a fixed panel
//! that belongs to the stage (verdicts, gauges, scores, checklist), a
//! scrolling body (indicator tree with findings marked, score lines,
//! problems), the opinion and the stage's keys — and every write goes through
//! the store (versioned, audited). One file per stage fills the panel and
//! body and handles its own keys.

mod key_eval;
mod monitoring;
mod self_eval;
mod target;

use super::Effect;
use crate::config::{Action, KeyScope};
use crate::domain::money::format_wan;
use crate::domain::result_application::parse_change;
use crate::domain::scoring::ScoreCard;
use crate::domain::states::ReviewAction;
use crate::domain::text::{display_width, pad_to_width, sanitize, sanitize_lines};
use crate::domain::{Finding, Severity, Stage};
use crate::store::{ItemDetail, KeyProjectRow, ResultRow};
use crate::tui::overlay::{EditPurpose, Overlay};
use crate::tui::prompt::{PromptOutcome, StagePrompt};
use crate::tui::session::{Decided, Session, rect_text};
use crate::tui::strings as s;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use std::cell::{Cell, RefCell};

use crate::tui::reader::Doc;
use crate::tui::wrap::{Para, wrap_line, wrap_paras};

/// The workspace of one item, on top of the queue.
pub struct Workspace {
    pub item: ItemDetail,
    /// What the item's stage keeps beside it.
    pub stage: StageState,
    /// First body line shown.
    pub scroll: usize,
    /// Body lines that fit, set at each draw from the terminal size.
    pub body_height: Cell<usize>,
    /// Where each of the stage's body lines starts once wrapped (set at each
    /// draw), so a selected line can be scrolled into view.
    pub line_starts: RefCell<Vec<usize>>,
    /// The last scroll position the body allows, set at each draw (before the
    /// first draw: no limit), so that scrolling past the end does not pile up.
    pub max_scroll: Cell<usize>,
}

/// What each stage's workspace keeps beside the item, one variant a stage.
pub enum StageState {
    /// The criterion (1–4) the verdict keys act on.
    Target {
        criterion: usize,
    },
    /// The October 全面清理 list of every key project, when shown.
    Monitoring {
        key_list: Option<KeyList>,
    },
    /// The recomputed score, and the project's result-application row.
    SelfEval {
        card: Option<ScoreCard>,
        result: Option<ResultRow>,
    },
    /// The problem `x` turns into a rectification, and the project's result-application row.
    KeyEval {
        problem: usize,
        result: Option<ResultRow>,
    },
    Rectification,
}

impl StageState {
    /// A stage's state for `item`, as first opened.
    fn of(item: &ItemDetail, ses: &Session) -> Result<StageState, crate::store::StoreError> {
        Ok(match item.review.stage {
            Stage::Target => StageState::Target { criterion: 0 },
            Stage::Monitoring => StageState::Monitoring { key_list: None },
            Stage::SelfEval => StageState::SelfEval {
                card: self_eval::score_card(item, &ses.config),
                result: result_row(ses, item)?,
            },
            Stage::KeyEval => StageState::KeyEval {
                problem: 0,
                result: result_row(ses, item)?,
            },
            Stage::Rectification => StageState::Rectification,
        })
    }

    /// What the item read again changes: the score and the result row; the
    /// reviewer's place (criterion, problem, list) stays.
    fn reread(&mut self, item: &ItemDetail, ses: &Session) -> Result<(), crate::store::StoreError> {
        match self {
            StageState::SelfEval { card, result } => {
                *card = self_eval::score_card(item, &ses.config);
                *result = result_row(ses, item)?;
            }
            StageState::KeyEval { result, .. } => *result = result_row(ses, item)?,
            _ => {}
        }
        Ok(())
    }

    /// The selected criterion (target) or problem (key evaluation).
    pub fn cursor(&self) -> usize {
        match self {
            StageState::Target { criterion } => *criterion,
            StageState::KeyEval { problem, .. } => *problem,
            _ => 0,
        }
    }

    /// The project's result-application row (self-evaluation, key evaluation).
    pub fn result(&self) -> Option<&ResultRow> {
        match self {
            StageState::SelfEval { result, .. } | StageState::KeyEval { result, .. } => result.as_ref(),
            _ => None,
        }
    }

    /// The key-project list, when shown (monitoring).
    pub fn key_list(&self) -> Option<&KeyList> {
        match self {
            StageState::Monitoring { key_list } => key_list.as_ref(),
            _ => None,
        }
    }
}

/// The list of key projects with their execution rate, lowest first.
pub struct KeyList {
    pub rows: Vec<KeyProjectRow>,
    pub selected: usize,
    /// The sections shown (a section reviewer's own); `None` for every section.
    pub scope: Option<Vec<String>>,
}

/// What the generic editor keys open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditKind {
    Opinion,
    Return,
}

impl Workspace {
    /// The workspace of one review item; None (and a message) when it is gone.
    pub fn open(ses: &mut Session, review_id: i64) -> anyhow::Result<Option<Workspace>> {
        let Some(item) = ses.store.item_detail(review_id)? else {
            ses.message = Some(s::DETAIL_NOT_FOUND.into());
            return Ok(None);
        };
        Ok(Some(Workspace {
            stage: StageState::of(&item, ses)?,
            item,
            scroll: 0,
            body_height: Cell::new(10),
            line_starts: RefCell::new(Vec::new()),
            max_scroll: Cell::new(usize::MAX),
        }))
    }

    pub fn review_id(&self) -> i64 {
        self.item.review.id
    }

    /// Re-reads the item after a write (its version, state, opinion moved on);
    /// false when it is gone (the workspace then closes).
    pub fn reload(&mut self, ses: &mut Session) -> anyhow::Result<bool> {
        match ses.store.item_detail(self.item.review.id)? {
            Some(item) => {
                self.stage.reread(&item, ses)?;
                self.item = item;
                Ok(true)
            }
            None => {
                ses.message = Some(s::DETAIL_NOT_FOUND.into());
                Ok(false)
            }
        }
    }

    /// An action of `[keys.workspace]` (or a global one acting here) while
    /// the workspace is open and no overlay is: the stage's own first.
    pub fn action(&mut self, ses: &mut Session, action: Action) -> anyhow::Result<Effect> {
        if self.stage.key_list().is_some() {
            return Ok(monitoring::list_action(self, action));
        }
        let consumed = match self.item.review.stage {
            Stage::Target => target::action(self, ses, action)?,
            Stage::Monitoring => monitoring::action(self, ses, action)?,
            Stage::SelfEval => self_eval::action(self, ses, action)?,
            Stage::KeyEval => key_eval::action(self, ses, action)?,
            Stage::Rectification => None,
        };
        if let Some(effect) = consumed {
            return Ok(effect);
        }
        if let Some(delta) = super::movement(action, self.body_height.get()) {
            self.scroll_by(delta);
            return Ok(Effect::None);
        }
        match action {
            Action::Quit | Action::Close => return Ok(Effect::Close),
            Action::Help => ses.overlay = Some(Overlay::Help),
            Action::Opinion => self.open_opinion(ses, EditKind::Opinion)?,
            Action::Return => self.open_opinion(ses, EditKind::Return)?,
            Action::Rectify => self.new_rectification(ses),
            Action::Refresh if !self.reload(ses)? => return Ok(Effect::Close),
            _ => {}
        }
        Ok(Effect::None)
    }

    fn scroll_by(&mut self, delta: i64) {
        let max = self.max_scroll.get().min(i64::MAX as usize / 2) as i64;
        self.scroll = (self.scroll.min(max as usize) as i64)
            .saturating_add(delta)
            .clamp(0, max) as usize;
    }

    /// Opens the editor on the item's opinion: a saved draft first, then the
    /// opinion already written, then the stage's own starting text.
    pub fn open_opinion(&mut self, ses: &mut Session, kind: EditKind) -> anyhow::Result<()> {
        let (id, version) = (self.item.review.id, self.item.review.version);
        let draft = ses.store.draft(&ses.user, id)?.map(|d| d.text);
        let existing = Some(self.item.review.opinion.clone()).filter(|o| !o.trim().is_empty());
        let start = match (self.item.review.stage, kind) {
            (Stage::SelfEval, _) => crate::domain::opinion::paragraphs(&self.item.findings),
            (_, EditKind::Return) => s::return_draft(&self.item.findings),
            _ => String::new(),
        };
        let initial = draft.or(existing).unwrap_or(start);
        let self_eval = self.item.review.stage == Stage::SelfEval;
        let (title, purpose) = match kind {
            EditKind::Opinion => (s::EDIT_OPINION, EditPurpose::Opinion { id, version }),
            EditKind::Return => (s::EDIT_RETURN, EditPurpose::Return { id, version }),
        };
        self.open_editor(ses, title, &initial, purpose);
        // One paragraph per finding: start at the first one still unanswered.
        if self_eval
            && let Some(Overlay::Editor(editor, _)) = ses.overlay.as_mut()
            && let Some(line) = crate::domain::opinion::first_unanswered_line(&editor.text())
        {
            editor.cursor_to_line_end(line);
        }
        Ok(())
    }

    /// Approves the open item: straight through when it has no blocking finding,
    /// else through the editor for the override and its reason. Each workspace
    /// runs its own stage check before calling this.
    pub fn approve(&mut self, ses: &mut Session) -> anyhow::Result<Effect> {
        let (id, version) = (self.item.review.id, self.item.review.version);
        if self.item.blocking() > 0 {
            let initial = self.item.review.opinion.clone();
            ses.message = Some(format!("{}{}", self.item.blocking(), s::NEEDS_OVERRIDE));
            self.open_editor(ses, s::EDIT_OVERRIDE, &initial, EditPurpose::Override { id, version });
            return Ok(Effect::None);
        }
        let approve = ReviewAction::Approve {
            override_blocking: false,
        };
        Ok(match ses.decide_one(id, version, approve, "")? {
            Decided::Done => Effect::Decided(id),
            Decided::Refused { .. } => Effect::Changed(id),
        })
    }

    /// The editor over the workspace, titled with the item.
    pub fn open_editor(&self, ses: &mut Session, title: &str, initial: &str, purpose: EditPurpose) {
        let title = format!("{title} - {} - {}", self.item.unit.name, project_name(&self.item));
        ses.open_editor(self.item.review.id, title, initial, purpose);
    }

    /// A workspace prompt answered (or cancelled).
    pub fn prompt_done(
        &mut self,
        ses: &mut Session,
        prompt: StagePrompt,
        outcome: PromptOutcome,
    ) -> anyhow::Result<Effect> {
        let PromptOutcome::Submit(text) = outcome else {
            return Ok(Effect::None);
        };
        match prompt {
            // "处理方式；理由" with a part missing: the prompt stays, text and all.
            StagePrompt::ResultChange => match parse_change(&text).check() {
                Err(why) => ses.ask_again(prompt, &text, format!("{why}{}", s::RESULT_CHANGE_FORM)),
                Ok(()) => return self_eval::change_result(self, ses, &text),
            },
            StagePrompt::FailReason(c) => return target::fail_with(self, ses, c, &text),
            StagePrompt::Conclusion => return target::change_conclusion(self, ses, &text),
            _ => {}
        }
        Ok(Effect::None)
    }

    /// `x`: the editor prefilled from the item's findings; saving creates the
    /// rectification (deadline = today + `rectification.response_days`).
    pub fn new_rectification(&self, ses: &mut Session) {
        let text = rect_text(&self.item.findings);
        let review_id = self.item.review.id;
        self.open_editor(
            ses,
            s::RECT_EDIT_TITLE,
            &text,
            EditPurpose::NewRectification { review_id },
        );
    }
}

/// The result-application row of an evaluated item, as the 结果应用 tab reads it.
fn result_row(ses: &Session, item: &ItemDetail) -> Result<Option<ResultRow>, crate::store::StoreError> {
    match item.review.stage {
        Stage::SelfEval | Stage::KeyEval => ses.store.result_row_for_review(item.review.id, &ses.config.rules),
        _ => Ok(None),
    }
}

fn project_name(item: &ItemDetail) -> String {
    item.project
        .as_ref()
        .map(|p| p.name.clone())
        .or_else(|| item.key_eval.as_ref().map(|k| k.object_code.clone()))
        .unwrap_or_default()
}

// ---- drawing ---------------------------------------------------------------------

/// Draws the workspace in `area` (everything above the shared hint and status
/// lines). Every text wraps to the width; the body scrolls under the fixed
/// header and panel, the opinion and the stage's keys stay at the bottom.
pub fn draw(frame: &mut Frame, d: &Workspace, ses: &Session, theme: &Theme, area: Rect) {
    let width = area.width as usize;
    let item = &d.item;
    let stage = item.review.stage;
    let mut top: Vec<Line> = vec![Line::from(Span::styled(
        pad_to_width(&title(item), width),
        theme.header,
    ))];
    top.extend(wrap_line(&Line::from(facts(item)), width, 0));
    let (panel, body, keys) = match stage {
        Stage::Target => (
            target::panel(d, theme, width),
            target::body(d, theme, width),
            s::TARGET_HINT,
        ),
        Stage::Monitoring if d.stage.key_list().is_some() => (
            Vec::new(),
            monitoring::list_body(d, ses, theme, width),
            s::MON_LIST_HINT,
        ),
        Stage::Monitoring => (
            monitoring::panel(d, ses, theme, width),
            monitoring::body(d, ses, theme, width),
            s::MON_HINT,
        ),
        Stage::SelfEval => (
            self_eval::panel(d, ses, theme, width),
            self_eval::body(d, theme, width),
            s::SE_HINT,
        ),
        Stage::KeyEval => (
            key_eval::panel(d, theme, width),
            key_eval::body(d, theme, width),
            s::KE_HINT,
        ),
        Stage::Rectification => (Vec::new(), Vec::new(), &[][..]),
    };
    let keys = ses.hint(KeyScope::Workspace, keys);
    top.extend(wrap_paras(&panel, width).0);
    let keys = wrap_line(&Line::from(Span::styled(keys, theme.info)), width, 0);

    // The opinion keeps a few lines at the bottom; a longer one is also shown
    // whole at the end of the body.
    let (opinion_full, _) = wrap_paras(&opinion_paras(item, theme), width);
    let room = (area.height as usize / 7).max(2);
    let mut opinion = vec![Line::from(Span::styled(s::DETAIL_OPINION, theme.dim))];
    let mut body_tail = Vec::new();
    if opinion_full.len() <= room {
        opinion.extend(opinion_full);
    } else {
        opinion.extend(opinion_full[..room - 1].iter().cloned());
        let more = format!(
            "{}{}{}{}{} {}{}",
            s::OPINION_MORE,
            opinion_full.len(),
            s::OPINION_MORE_TAIL,
            s::READER_MORE_OPEN,
            crate::tui::reader::key_name(&ses.config.keys),
            s::READER_HINT,
            s::CLOSE_PAREN
        );
        opinion.extend(wrap_line(&Line::from(Span::styled(more, theme.dim)), width, 0));
        body_tail.push(Line::from(Span::styled(s::DETAIL_OPINION_FULL, theme.dim)));
        body_tail.extend(opinion_full);
    }

    // The body: the annual goal, the stage's lines, the long opinion.
    let (mut lines_body, _) = wrap_paras(&[goal_para(item, theme)], width);
    let (stage_body, starts) = wrap_paras(&body, width);
    let offset = lines_body.len();
    d.line_starts.replace(starts.into_iter().map(|n| n + offset).collect());
    lines_body.extend(stage_body);
    lines_body.extend(body_tail);

    let fixed = top.len() + opinion.len() + keys.len();
    let body_h = (area.height as usize).saturating_sub(fixed);
    d.body_height.set(body_h);
    // Keep the scroll inside the body (a stage may have moved its cursor past the end).
    let max_scroll = lines_body.len().saturating_sub(body_h);
    d.max_scroll.set(max_scroll);
    let scroll = d.scroll.min(max_scroll);
    let mut lines = top;
    lines.extend(lines_body.into_iter().skip(scroll).take(body_h));
    while lines.len() < fixed - opinion.len() - keys.len() + body_h {
        lines.push(Line::from(""));
    }
    lines.extend(opinion);
    lines.extend(keys);
    frame.render_widget(Paragraph::new(lines), area);
}

/// Scrolls so that the stage's body line `line` (before wrapping) is shown,
/// as the last draw wrapped it.
pub fn ensure_visible(d: &mut Workspace, line: usize) {
    let h = d.body_height.get().max(1);
    let (first, last) = {
        let starts = d.line_starts.borrow();
        match starts.get(line) {
            Some(&first) => (
                first,
                starts.get(line + 1).map_or(first, |n| n.saturating_sub(1).max(first)),
            ),
            None => (line, line),
        }
    };
    if first < d.scroll {
        d.scroll = first;
    } else if last >= d.scroll + h {
        d.scroll = (last + 1 - h).min(first);
    }
}

/// The annual goal, first in the body of every workspace.
fn goal_para(item: &ItemDetail, theme: &Theme) -> Para {
    let goal = item
        .project
        .as_ref()
        .map(|p| sanitize(&p.annual_goal))
        .unwrap_or_default();
    if goal.trim().is_empty() {
        return Para::hang(Line::from(Span::styled(s::DETAIL_NO_GOAL, theme.dim)), 0);
    }
    Para::hang(
        Line::from(Span::styled(format!("{}{goal}", s::DETAIL_GOAL), theme.dim)),
        display_width(s::DETAIL_GOAL),
    )
}

fn title(item: &ItemDetail) -> String {
    let code = item
        .project
        .as_ref()
        .map(|p| p.code.clone())
        .or_else(|| item.review.project_code.clone())
        .unwrap_or_default();
    format!(
        " {} - {} - {} ({})",
        item.review.stage.label(),
        sanitize(&item.unit.name),
        sanitize(&project_name(item)),
        sanitize(&code)
    )
}

fn facts(item: &ItemDetail) -> String {
    let count = |sev: Severity| item.findings.iter().filter(|f| f.severity == sev).count();
    let project = item.project.as_ref().map_or(String::new(), |p| {
        format!(
            "{} | {} | {}{} | ",
            p.budget_kind.label(),
            p.fund_kind.label(),
            format_wan(p.amount, 2),
            s::WAN
        )
    });
    format!(
        "{project}{}{} | {}{}/{}/{}",
        s::STATE,
        item.review.state.label(),
        s::FINDINGS_COUNT,
        count(Severity::Blocking),
        count(Severity::Warning),
        count(Severity::Info),
    )
}

/// The opinion as written, a paragraph per line.
fn opinion_paras(item: &ItemDetail, theme: &Theme) -> Vec<Para> {
    let text = sanitize_lines(item.review.opinion.trim());
    if text.trim().is_empty() {
        return vec![Para::hang(Line::from(Span::styled(s::DETAIL_NO_OPINION, theme.dim)), 0)];
    }
    text.split('\n').map(|l| Line::from(l.to_string()).into()).collect()
}

/// The style of a finding's severity.
pub fn severity_style(theme: &Theme, sev: Severity) -> Style {
    match sev {
        Severity::Blocking => theme.blocking,
        Severity::Warning => theme.warning,
        Severity::Info => theme.info,
    }
}

/// One finding as a body line, wrapped under its text.
pub fn finding_line(theme: &Theme, f: &Finding) -> Para {
    Line::from(Span::styled(
        format!("[{}] {}", f.severity.label(), sanitize(&f.message)),
        severity_style(theme, f.severity),
    ))
    .into()
}

/// A section title in the body.
pub fn section(theme: &Theme, text: &str) -> Para {
    Para::hang(Line::from(Span::styled(text.to_string(), theme.dim)), 0)
}

/// The findings that name no indicator (or one not in the tree), then the tree.
pub fn findings_and_tree(d: &Workspace, theme: &Theme) -> Vec<Para> {
    let item = &d.item;
    let mut out = Vec::new();
    let in_tree = |f: &Finding| {
        f.indicator
            .as_ref()
            .is_some_and(|n| item.indicators.iter().any(|i| &i.name == n))
    };
    let loose: Vec<&Finding> = item.findings.iter().filter(|f| !in_tree(f)).collect();
    out.push(section(
        theme,
        &format!("{}({})", s::DETAIL_FINDINGS, item.findings.len()),
    ));
    if item.findings.is_empty() {
        out.push(Line::from(s::DETAIL_NO_FINDINGS).into());
    }
    out.extend(loose.iter().map(|f| finding_line(theme, f)));
    out.extend(target::tree(item, theme));
    out.extend(rectification_lines(theme, item));
    out
}

/// The item's rectifications, under their heading; nothing when it has none.
pub(super) fn rectification_lines(theme: &Theme, item: &ItemDetail) -> Vec<Para> {
    if item.rectifications.is_empty() {
        return Vec::new();
    }
    let mut out = vec![section(
        theme,
        &format!("{}({})", s::DETAIL_RECTS, item.rectifications.len()),
    )];
    out.extend(item.rectifications.iter().map(|r| {
        let head = format!("#{} {} {} ", r.id, r.state.label(), r.deadline);
        let indent = display_width(&head);
        Para::hang(Line::from(format!("{head}{}", sanitize(&r.problem))), indent)
    }));
    out
}

// ---- the reader ------------------------------------------------------------------

/// The reader's title for an item: stage, unit, project and its code.
pub fn reader_title(item: &ItemDetail) -> String {
    title(item).trim_start().to_string()
}

/// Every text of the workspace, in full, for the reader.
pub fn reader_doc(d: &Workspace, doc: &mut Doc) {
    let item = &d.item;
    if let Some(p) = &item.project {
        doc.section(s::READER_GOAL);
        doc.text(&p.annual_goal);
    }
    match item.review.stage {
        Stage::Target => target::reader(item, doc),
        Stage::Monitoring => monitoring::reader(item, doc),
        Stage::SelfEval => self_eval::reader(item, doc),
        Stage::KeyEval => key_eval::reader(item, doc),
        Stage::Rectification => doc.findings(&item.findings),
    }
    doc.opinion(&item.review.opinion);
    if !item.rectifications.is_empty() {
        doc.section(&format!("{} ({})", s::READER_RECTS, item.rectifications.len()));
        for r in &item.rectifications {
            let head = format!("#{} {} {} ", r.id, r.state.label(), r.deadline);
            doc.labelled(&head, &r.problem);
        }
    }
}
