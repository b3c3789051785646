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

use super::app::{App, EditPurpose, Overlay};
use super::editor::OpinionEditor;
use super::prompt::{Prompt, PromptKind, PromptOutcome};
use super::strings as s;
use super::theme::Theme;
use crate::config::Action;
use crate::domain::dates::parse_date;
use crate::domain::money::format_wan;
use crate::domain::result_application::parse_change;
use crate::domain::scoring::ScoreCard;
use crate::domain::text::{display_width, pad_to_width, sanitize, sanitize_lines};
use crate::domain::{Finding, Severity, Stage};
use crate::store::{ItemDetail, KeyProjectRow, NewRectification, ResultRow, UndoStep};
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use std::cell::{Cell, RefCell};

use super::reader::Doc;
use super::wrap::{Para, wrap_line, wrap_paras};

pub use key_eval::refresh_document_findings_of;
pub use monitoring::save_reject as monitoring_reject;

/// The workspace of one item, on top of the queue.
pub struct Detail {
    pub item: ItemDetail,
    /// First body line shown.
    pub scroll: usize,
    /// The selected criterion (target), document or problem (key evaluation).
    pub cursor: usize,
    /// The recomputed self-evaluation score.
    pub card: Option<ScoreCard>,
    /// The October 全面清理 list of every key project, when shown (monitoring).
    pub key_list: Option<KeyList>,
    /// Body lines that fit, set at each draw from the terminal size.
    pub body_height: Cell<usize>,
    /// Where each of the stage's body lines starts once wrapped (set at each
    /// draw), so a selected line can be scrolled into view.
    pub line_starts: RefCell<Vec<usize>>,
    /// The last scroll position the body allows, set at each draw (before the
    /// first draw: no limit), so that scrolling past the end does not pile up.
    pub max_scroll: Cell<usize>,
    /// The project's result-application row (self-evaluation and key evaluation).
    pub result: Option<ResultRow>,
}

/// The list of key projects with their execution rate, lowest first.
pub struct KeyList {
    pub rows: Vec<KeyProjectRow>,
    pub selected: usize,
    /// The sections shown (a section reviewer's own); `None` for every section.
    pub scope: Option<Vec<String>>,
}

/// A one-line question a workspace asks (reasons, dates, evidence).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StagePrompt {
    FailReason(crate::domain::Criterion),
    Conclusion,
    ResultChange,
    Evidence(i64),
    RejectEvidence(i64),
    ExtendDate(i64),
    ExtendReason(i64, chrono::NaiveDate),
}

impl StagePrompt {
    pub fn prefix(self) -> &'static str {
        match self {
            StagePrompt::FailReason(_) => s::PROMPT_FAIL_REASON,
            StagePrompt::Conclusion => s::PROMPT_CONCLUSION,
            StagePrompt::ResultChange => s::PROMPT_RESULT,
            StagePrompt::Evidence(_) => s::PROMPT_EVIDENCE,
            StagePrompt::RejectEvidence(_) => s::PROMPT_REJECT_EVIDENCE,
            StagePrompt::ExtendDate(_) => s::PROMPT_EXTEND_DATE,
            StagePrompt::ExtendReason(..) => s::PROMPT_EXTEND_REASON,
        }
    }
}

/// Opens the workspace of the item selected in the current queue.
pub fn open_selected(app: &mut App) -> anyhow::Result<()> {
    let Some(id) = app.queue().and_then(|q| q.selected_id()) else {
        app.message = Some(s::DETAIL_NOTHING.into());
        return Ok(());
    };
    open(app, id)
}

/// Opens the workspace of one review item.
pub fn open(app: &mut App, review_id: i64) -> anyhow::Result<()> {
    let Some(item) = app.store.item_detail(review_id)? else {
        app.message = Some(s::DETAIL_NOT_FOUND.into());
        return Ok(());
    };
    let card = self_eval::score_card(&item, &app.config);
    let result = result_row(app, &item)?;
    app.detail = Some(Box::new(Detail {
        item,
        scroll: 0,
        cursor: 0,
        card,
        key_list: None,
        body_height: Cell::new(10),
        line_starts: RefCell::new(Vec::new()),
        max_scroll: Cell::new(usize::MAX),
        result,
    }));
    Ok(())
}

/// The result-application row of an evaluated item, as the 结果应用 tab reads it.
fn result_row(app: &App, item: &ItemDetail) -> Result<Option<ResultRow>, crate::store::StoreError> {
    match item.review.stage {
        Stage::SelfEval | Stage::KeyEval => app.store.result_row_for_review(item.review.id, &app.config.rules),
        _ => Ok(None),
    }
}

/// Re-reads the open item after a write (its version, state, opinion moved on).
pub fn reload(app: &mut App) -> anyhow::Result<()> {
    let Some(id) = app.detail.as_ref().map(|d| d.item.review.id) else {
        return Ok(());
    };
    match app.store.item_detail(id)? {
        Some(item) => {
            let card = self_eval::score_card(&item, &app.config);
            let result = result_row(app, &item)?;
            if let Some(d) = app.detail.as_mut() {
                d.item = item;
                d.card = card;
                d.result = result;
            }
        }
        None => {
            app.detail = None;
            app.message = Some(s::DETAIL_NOT_FOUND.into());
        }
    }
    Ok(())
}

/// A key while the workspace is open (and no overlay is).
pub fn key(app: &mut App, key: KeyEvent) -> anyhow::Result<()> {
    // Before the message is cleared: a message too long for its line is read first.
    if action_of(app, &key) == Some(Action::Reader) {
        return super::reader::open_for_screen(app);
    }
    app.message = None;
    let Some(stage) = app.detail.as_ref().map(|d| d.item.review.stage) else {
        return Ok(());
    };
    if app.detail.as_ref().is_some_and(|d| d.key_list.is_some()) {
        return monitoring::list_key(app, key);
    }
    let consumed = match stage {
        Stage::Target => target::key(app, key)?,
        Stage::Monitoring => monitoring::key(app, key)?,
        Stage::SelfEval => self_eval::key(app, key)?,
        Stage::KeyEval => key_eval::key(app, key)?,
        Stage::Rectification => false,
    };
    if consumed {
        return Ok(());
    }
    if key.code == KeyCode::Esc {
        app.detail = None;
        return Ok(());
    }
    let action = action_of(app, &key);
    let page = app.detail.as_ref().map_or(10, |d| d.body_height.get().max(1)) as i64;
    match action {
        Some(Action::Quit) => app.detail = None,
        Some(Action::Help) => app.overlay = Some(Overlay::Help),
        Some(Action::Down) => scroll_by(app, 1),
        Some(Action::Up) => scroll_by(app, -1),
        Some(Action::PageDown | Action::HalfPageDown) => scroll_by(app, page),
        Some(Action::PageUp | Action::HalfPageUp) => scroll_by(app, -page),
        Some(Action::Top) => scroll_by(app, i64::MIN / 2),
        Some(Action::Bottom) => scroll_by(app, i64::MAX / 2),
        Some(Action::Opinion) => open_opinion(app, EditKind::Opinion)?,
        Some(Action::Return) => open_opinion(app, EditKind::Return)?,
        Some(Action::Rectify) => new_rectification(app)?,
        Some(Action::Refresh) => reload(app)?,
        Some(Action::Undo) => app.undo_last()?,
        _ => {}
    }
    Ok(())
}

/// The mapped action of a key (`[keys]`), for workspace keys that are remappable.
pub fn action_of(app: &App, key: &KeyEvent) -> Option<Action> {
    super::keymap::spec_of(key).and_then(|k| app.config.keys.action_for(k))
}

fn scroll_by(app: &mut App, delta: i64) {
    if let Some(d) = app.detail.as_mut() {
        let max = d.max_scroll.get().min(i64::MAX as usize / 2) as i64;
        d.scroll = (d.scroll.min(max as usize) as i64).saturating_add(delta).clamp(0, max) as usize;
    }
}

/// What the generic editor keys open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditKind {
    Opinion,
    Return,
}

/// Opens the editor on the item's opinion: a saved draft first, then the
/// opinion already written, then the stage's own starting text.
pub fn open_opinion(app: &mut App, kind: EditKind) -> anyhow::Result<()> {
    let Some(d) = app.detail.as_ref() else { return Ok(()) };
    let (id, version) = (d.item.review.id, d.item.review.version);
    let draft = app.store.draft(&app.user, id)?.map(|d| d.text);
    let existing = Some(d.item.review.opinion.clone()).filter(|o| !o.trim().is_empty());
    let start = match (d.item.review.stage, kind) {
        (Stage::SelfEval, _) => crate::domain::opinion::paragraphs(&d.item.findings),
        (_, EditKind::Return) => crate::tui::strings::return_draft(&d.item.findings),
        _ => String::new(),
    };
    let initial = draft.or(existing).unwrap_or(start);
    let self_eval = d.item.review.stage == Stage::SelfEval;
    let (title, purpose) = match kind {
        EditKind::Opinion => (s::EDIT_OPINION, EditPurpose::Opinion { id, version }),
        EditKind::Return => (s::EDIT_RETURN, EditPurpose::Return { id, version }),
    };
    open_editor(app, title, &initial, purpose);
    // One paragraph per finding: start at the first one still unanswered.
    if self_eval
        && let Some(Overlay::Editor(editor, _)) = app.overlay.as_mut()
        && let Some(line) = crate::domain::opinion::first_unanswered_line(&editor.text())
    {
        editor.cursor_to_line_end(line);
    }
    Ok(())
}

/// The editor over the workspace, titled with the item.
/// Approves the open item: straight through when it has no blocking finding,
/// else through the editor for the override and its reason. Each workspace
/// runs its own stage check before calling this.
pub fn approve_open_item(app: &mut App) -> anyhow::Result<()> {
    let Some(d) = app.detail.as_ref() else { return Ok(()) };
    let (id, version) = (d.item.review.id, d.item.review.version);
    if d.item.blocking() > 0 {
        let initial = d.item.review.opinion.clone();
        app.message = Some(format!("{}{}", d.item.blocking(), s::NEEDS_OVERRIDE));
        open_editor(app, s::EDIT_OVERRIDE, &initial, EditPurpose::Override { id, version });
        return Ok(());
    }
    app.decide_one(
        id,
        version,
        crate::domain::states::ReviewAction::Approve {
            override_blocking: false,
        },
        "",
    )?;
    reload(app)
}

pub fn open_editor(app: &mut App, title: &str, initial: &str, purpose: EditPurpose) {
    let Some(d) = app.detail.as_ref() else { return };
    let id = d.item.review.id;
    let title = format!("{title} - {} - {}", d.item.unit.name, project_name(&d.item));
    app.overlay = Some(Overlay::Editor(
        Box::new(OpinionEditor::new(id, title, initial)),
        purpose,
    ));
}

fn project_name(item: &ItemDetail) -> String {
    item.project
        .as_ref()
        .map(|p| p.name.clone())
        .or_else(|| item.key_eval.as_ref().map(|k| k.object_code.clone()))
        .unwrap_or_default()
}

/// Asks one line of the workspace's prompt.
pub fn ask(app: &mut App, prompt: StagePrompt) {
    app.overlay = Some(Overlay::Prompt(Prompt::new(PromptKind::Stage(prompt))));
}

/// Asks again with the text typed so far, the question saying what is wrong
/// with it: an answer that cannot be used is never thrown away.
fn ask_again(app: &mut App, prompt: StagePrompt, text: &str, why: String) {
    app.overlay = Some(Overlay::Prompt(Prompt::again(PromptKind::Stage(prompt), text, why)));
}

/// A workspace prompt answered (or cancelled).
pub fn prompt_done(app: &mut App, prompt: StagePrompt, outcome: PromptOutcome) -> anyhow::Result<()> {
    let PromptOutcome::Submit(text) = outcome else {
        return Ok(());
    };
    match prompt {
        // "处理方式；理由" with a part missing: the prompt stays, text and all.
        StagePrompt::ResultChange if parse_change(&text).check().is_err() => {
            let why = parse_change(&text).check().err().unwrap_or_default();
            ask_again(app, prompt, &text, format!("{why}{}", s::RESULT_CHANGE_FORM));
        }
        StagePrompt::ExtendDate(id) => match parse_date(&text) {
            Some(to) => ask(app, StagePrompt::ExtendReason(id, to)),
            None => ask_again(app, prompt, &text, s::DATE_AGAIN.to_string()),
        },
        StagePrompt::FailReason(c) => target::fail_with(app, c, &text)?,
        StagePrompt::Conclusion => target::change_conclusion(app, &text)?,
        // Asked by a workspace, or by the 结果应用 tab for its selected row.
        StagePrompt::ResultChange if app.detail.is_some() => self_eval::change_result(app, &text)?,
        StagePrompt::ResultChange => super::results::change_selected(app, &text)?,
        StagePrompt::Evidence(_) | StagePrompt::RejectEvidence(_) | StagePrompt::ExtendReason(..) => {
            super::board::prompt_done(app, prompt, &text)?
        }
    }
    Ok(())
}

// ---- rectifications ------------------------------------------------------------

/// `x`: the editor prefilled from the item's findings; saving creates the
/// rectification (deadline = today + `rectification.response_days`).
pub fn new_rectification(app: &mut App) -> anyhow::Result<()> {
    let Some(d) = app.detail.as_ref() else { return Ok(()) };
    let text = rect_text(&d.item.findings);
    let review_id = d.item.review.id;
    open_editor(
        app,
        s::RECT_EDIT_TITLE,
        &text,
        EditPurpose::NewRectification { review_id },
    );
    Ok(())
}

/// The problem text of a new rectification: the finding, or one numbered line
/// per finding (the board shows the first line, so no heading goes first).
pub fn rect_text(findings: &[Finding]) -> String {
    let relevant: Vec<&Finding> = findings.iter().filter(|f| !f.rule.starts_with("R-")).collect();
    if let [one] = relevant.as_slice() {
        return sanitize(&one.message);
    }
    let mut text = String::new();
    for (i, f) in relevant.iter().enumerate() {
        text.push_str(&format!("{}. {}\n", i + 1, sanitize(&f.message)));
    }
    text.trim_end().to_string()
}

/// What a new rectification of `review_id` needs, with the deadline from the config.
pub fn new_rect_for(app: &App, review_id: i64, problem: &str, measure: &str) -> anyhow::Result<NewRectification> {
    let row = app
        .store
        .queue_rows_by_ids(&[review_id])?
        .pop()
        .ok_or_else(|| anyhow::anyhow!("{}", s::DETAIL_NOT_FOUND))?;
    let days = i64::from(app.config.rules.rectification.response_days);
    Ok(NewRectification {
        source_stage: row.stage,
        source_review: Some(review_id),
        unit_code: row.unit_code,
        project_code: row.project_code,
        problem: problem.trim().to_string(),
        required_measure: measure.to_string(),
        deadline: app.today + chrono::Duration::days(days),
    })
}

/// Creates the rectification the editor was opened for; false when refused.
pub fn save_new_rectification(app: &mut App, review_id: i64, text: &str) -> anyhow::Result<bool> {
    if text.trim().is_empty() {
        app.message = Some(s::RECT_EMPTY_PROBLEM.into());
        return Ok(false);
    }
    let new = new_rect_for(app, review_id, text, s::RECT_DEFAULT_MEASURE)?;
    let created = app.store.create_rectification(&new, &app.user)?;
    let what = format!("{}{} {}", s::UNDO_RECT_NEW, created.id, app.item_label(review_id));
    app.remember(what, vec![UndoStep::RectificationCreated { id: created.id }]);
    app.message = Some(format!(
        "{}{}{}{}",
        s::RECT_CREATED,
        created.id,
        s::RECT_DEADLINE,
        created.deadline
    ));
    reload(app)?;
    Ok(true)
}

// ---- drawing ---------------------------------------------------------------------

/// Draws the workspace in `area` (everything above the shared hint and status
/// lines). Every text wraps to the width; the body scrolls under the fixed
/// header and panel, the opinion and the stage's keys stay at the bottom.
pub fn draw(frame: &mut Frame, app: &App, d: &Detail, theme: &Theme, area: Rect) {
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
            s::TARGET_KEYS,
        ),
        Stage::Monitoring if d.key_list.is_some() => {
            (Vec::new(), monitoring::list_body(d, theme, width), s::MON_LIST_KEYS)
        }
        Stage::Monitoring => (
            monitoring::panel(d, theme, width),
            monitoring::body(d, theme, width),
            s::MON_KEYS,
        ),
        Stage::SelfEval => (
            self_eval::panel(d, app, theme, width),
            self_eval::body(d, theme, width),
            s::SE_KEYS,
        ),
        Stage::KeyEval => (
            key_eval::panel(d, theme, width),
            key_eval::body(d, theme, width),
            s::KE_KEYS,
        ),
        Stage::Rectification => (Vec::new(), Vec::new(), ""),
    };
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
            super::reader::key_name(&app.config.keys),
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
pub fn ensure_visible(d: &mut Detail, line: usize) {
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
pub fn findings_and_tree(d: &Detail, theme: &Theme) -> Vec<Para> {
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
pub fn reader_doc(d: &Detail, doc: &mut Doc) {
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
