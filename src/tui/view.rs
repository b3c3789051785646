//! Draws the queue from `App` state; never touches the database. Cells are cut
//! by display width so mixed Chinese, ASCII and full-width digits stay aligned.
//! No box-drawing characters: they are ambiguous-width on CJK terminals.

use super::app::{App, Confirm, Overlay, TAB_BOARD, TAB_COUNT, TAB_OVERVIEW, TAB_RESULTS, TAB_STAGES};
use super::layout;
use super::strings as s;
use super::theme::Theme;
use crate::domain::money::format_wan;
use crate::domain::text::{
    display_width, pad_left_to_width, pad_to_width, sanitize, truncate_to_width, wrap, wrap_ranges,
};
use crate::domain::{ReviewState, Severity, Stage};
use crate::store::QueueRow;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use rust_decimal::{Decimal, RoundingStrategy};

/// Fixed column widths (cells). Unit, project and the first finding share
/// what is left (see `Columns::at`).
const MARK_W: usize = 2;
const AMOUNT_W: usize = 10;
/// `阻/警/提` over counts such as `1/0/0` or `12/3/10`.
const COUNTS_W: usize = 8;
/// The state in full (`已通过`), or short (`通过`) below `FULL_STATE_FROM` columns.
const STATE_W: usize = 6;
const STATE_SHORT_W: usize = 4;
const FULL_STATE_FROM: u16 = 100;
const UNIT_MIN: usize = 10;
const UNIT_MAX: usize = 24;
const PROJECT_MIN: usize = 12;
const PROJECT_MAX: usize = 40;

pub struct ViewContext<'a> {
    pub theme: &'a Theme,
    pub help: &'a [(String, String)],
}

pub fn draw(frame: &mut Frame, app: &App, ctx: &ViewContext) {
    let area = frame.area();
    if layout::too_small(area) {
        draw_too_small(frame, app, area);
        return;
    }
    let l = layout::queue(area);
    if let Some(d) = &app.detail {
        let above = Rect {
            height: l.hints.y.saturating_sub(area.y),
            ..area
        };
        super::detail::draw(frame, app, d, ctx.theme, above);
    } else {
        draw_tabs(frame, app, ctx.theme, l.tabs);
        match app.tab {
            0..=3 => draw_queue(frame, app, ctx.theme, &l),
            TAB_BOARD => super::board::draw(frame, app, ctx.theme, l.header, l.rows, l.preview),
            TAB_RESULTS => super::results::draw(frame, app, ctx.theme, l.header, l.rows, l.preview),
            _ => super::overview::draw(
                frame,
                app,
                ctx.theme,
                l.header,
                Rect {
                    height: l.hints.y - l.rows.y,
                    ..l.rows
                },
            ),
        }
    }
    draw_hints(frame, app, ctx.theme, l.hints);
    draw_status(frame, app, ctx.theme, l.status);
    match &app.overlay {
        Some(Overlay::Help) => draw_help(frame, app, area, ctx),
        Some(Overlay::FilterMenu) => draw_filter_menu(frame, app, area, ctx.theme),
        Some(Overlay::Confirm(c)) => draw_confirm(frame, c, area, ctx.theme),
        Some(Overlay::Editor(editor, _)) => editor.render(frame, area, ctx.theme),
        Some(Overlay::Reader(reader)) => reader.draw(frame, area, ctx.theme),
        Some(Overlay::Prompt(_)) | None => {}
    }
}

fn draw_too_small(frame: &mut Frame, app: &App, area: Rect) {
    let mut text = vec![
        Line::from(format!("{}{}×{}", s::TOO_SMALL, area.width, area.height)),
        Line::from(s::TOO_SMALL_HINT),
    ];
    // Why q did not quit (a text no draft can keep).
    text.extend(app.message.as_deref().map(Line::from));
    frame.render_widget(Paragraph::new(text).wrap(ratatui::widgets::Wrap { trim: false }), area);
}

fn tab_label(tab: usize) -> &'static str {
    match tab {
        TAB_OVERVIEW => s::TAB_OVERVIEW,
        TAB_RESULTS => s::TAB_RESULTS,
        _ => TAB_STAGES.get(tab).map_or("", |st| st.label()),
    }
}

fn draw_tabs(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let mut spans = Vec::with_capacity(TAB_COUNT * 2);
    for tab in 0..TAB_COUNT {
        let style = if tab == app.tab { theme.tab_active } else { theme.tab };
        spans.push(Span::styled(format!(" {}{} ", tab + 1, tab_label(tab)), style));
        spans.push(Span::raw(" "));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Where a stage's table puts its columns at one width, in display cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Columns {
    unit: usize,
    project: usize,
    /// The stage's key figure; 0 for a stage without one.
    figure: usize,
    snippet: usize,
    state: usize,
}

impl Columns {
    /// Three tenths of the room left by the fixed columns go to the unit, three
    /// eighths to the project (each between its minimum and maximum), the rest
    /// to the first finding: extra width widens all three, and what grows
    /// without bound is the finding, the longest text (the preview under the
    /// table shows the selected item's findings whole).
    fn at(stage: Stage, total: u16) -> Columns {
        let figure = figure_width(stage);
        let state = if total >= FULL_STATE_FROM {
            STATE_W
        } else {
            STATE_SHORT_W
        };
        let separators = 6 + usize::from(figure > 0);
        let fixed = MARK_W + AMOUNT_W + figure + COUNTS_W + state + separators;
        let rest = (total as usize).saturating_sub(fixed);
        let unit = (rest * 3 / 10).clamp(UNIT_MIN, UNIT_MAX);
        let project = (rest * 3 / 8).clamp(PROJECT_MIN, PROJECT_MAX);
        Columns {
            unit,
            project,
            figure,
            snippet: rest.saturating_sub(unit + project),
            state,
        }
    }
}

/// The key figure column's width: its header's, or its widest cell's.
fn figure_width(stage: Stage) -> usize {
    match figure_header(stage) {
        Some(h) => display_width(h).max(match stage {
            Stage::Monitoring => 6,
            Stage::SelfEval => 12,
            _ => 7,
        }),
        None => 0,
    }
}

fn figure_header(stage: Stage) -> Option<&'static str> {
    match stage {
        Stage::Target | Stage::Rectification => None,
        Stage::Monitoring => Some(s::COL_RATE),
        Stage::SelfEval => Some(s::COL_SELF_SCORES),
        Stage::KeyEval => Some(s::COL_KEY_SCORE),
    }
}

/// A ratio as a percentage with one decimal, cut and never rounded up (an
/// execution rate of 74.99 % reads 74.9 %, under a 75 % threshold as it is).
fn percent_cut(ratio: Decimal) -> String {
    let pct = (ratio * Decimal::ONE_HUNDRED).round_dp_with_strategy(1, RoundingStrategy::ToZero);
    format!("{pct:.1}%")
}

/// A score with one decimal, cut (89.96 reads 89.9, still 良 as its grade
/// says); a full 100 without decimals, to keep the column narrow.
fn score_cut(score: Decimal) -> String {
    if score >= Decimal::ONE_HUNDRED {
        score.trunc().to_string()
    } else {
        format!("{:.1}", score.round_dp_with_strategy(1, RoundingStrategy::ToZero))
    }
}

/// The key figure of a row, as its stage's column shows it.
fn figure_text(row: &QueueRow) -> String {
    let f = &row.figure;
    let score = |d: Option<Decimal>| d.map_or_else(|| s::FIGURE_MISSING.to_string(), score_cut);
    let grade = f.grade.map_or(s::FIGURE_MISSING, |g| g.label());
    match row.stage {
        Stage::Target | Stage::Rectification => String::new(),
        Stage::Monitoring => f.rate.map_or_else(|| s::FIGURE_MISSING.to_string(), percent_cut),
        Stage::SelfEval => format!("{:>4}/{:<4} {grade}", score(f.self_score), score(f.score)),
        Stage::KeyEval => format!("{:>4} {grade}", score(f.score)),
    }
}

fn state_mark(state: ReviewState) -> char {
    match state {
        ReviewState::Pending => ' ',
        ReviewState::Approved => '+',
        ReviewState::Returned => 'x',
        ReviewState::Resubmitted => '*',
    }
}

fn row_text(row: &QueueRow, tagged: bool, c: &Columns) -> String {
    let any = row.blocking + row.warning + row.info > 0;
    let counts = if row.findings_pending {
        s::FINDINGS_PENDING_SHORT.to_string()
    } else if any {
        format!("{}/{}/{}", row.blocking, row.warning, row.info)
    } else {
        String::new()
    };
    let figure = if c.figure > 0 {
        let text = figure_text(row);
        let cell = match row.stage {
            Stage::Monitoring => pad_left_to_width(&text, c.figure),
            _ => pad_to_width(&text, c.figure),
        };
        format!("{cell} ")
    } else {
        String::new()
    };
    format!(
        "{}{} {} {} {} {figure}{} {} {}",
        if tagged { '>' } else { ' ' },
        state_mark(row.state),
        pad_to_width(&sanitize(&row.unit_name), c.unit),
        pad_to_width(&sanitize(&row.project_name), c.project),
        pad_left_to_width(&format_wan(row.amount, 2), AMOUNT_W),
        pad_to_width(&counts, COUNTS_W),
        pad_to_width(
            &if row.findings_pending {
                s::FINDINGS_PENDING.to_string()
            } else if any {
                sanitize(&row.first_finding)
            } else {
                String::new()
            },
            c.snippet
        ),
        pad_to_width(state_text(row.state, c), c.state),
    )
}

fn state_text(state: ReviewState, c: &Columns) -> &'static str {
    if c.state >= STATE_W {
        state.label()
    } else {
        s::state_short(state)
    }
}

fn header_text(stage: Stage, c: &Columns) -> String {
    let figure = match figure_header(stage) {
        Some(h) if stage == Stage::Monitoring => format!("{} ", pad_left_to_width(h, c.figure)),
        Some(h) => format!("{} ", pad_to_width(h, c.figure)),
        None => String::new(),
    };
    format!(
        "{} {} {} {} {figure}{} {} {}",
        " ".repeat(MARK_W),
        pad_to_width(s::COL_UNIT, c.unit),
        pad_to_width(s::COL_PROJECT, c.project),
        pad_left_to_width(s::COL_AMOUNT, AMOUNT_W),
        pad_to_width(s::COL_COUNTS, COUNTS_W),
        pad_to_width(s::COL_FIRST_FINDING, c.snippet),
        pad_to_width(s::COL_STATE, c.state),
    )
}

/// What an empty list says: that the stage has nothing, or that the filter hides what it has.
fn empty_text(q: &super::queue_state::StageQueue) -> String {
    match q.stage_counts() {
        Some((total, pending)) if total > 0 => s::queue_filtered_empty(total, pending),
        _ => s::QUEUE_STAGE_EMPTY.to_string(),
    }
}

fn draw_queue(frame: &mut Frame, app: &App, theme: &Theme, l: &layout::QueueLayout) {
    let q = &app.queues[app.tab];
    let stage = q.filter.stage;
    let c = Columns::at(stage, l.header.width);
    frame.render_widget(
        Paragraph::new(Span::styled(header_text(stage, &c), theme.header)),
        l.header,
    );

    if q.ids.is_empty() {
        frame.render_widget(
            Paragraph::new(empty_text(q)).wrap(ratatui::widgets::Wrap { trim: false }),
            l.rows,
        );
    }
    let lines: Vec<Line> = q
        .window
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let text = row_text(row, q.tagged.contains(&row.review_id), &c);
            let style = if q.offset + i == q.selected {
                theme.selected
            } else if row.blocking > 0 {
                theme.blocking
            } else if row.warning > 0 {
                theme.warning
            } else {
                Style::new()
            };
            Line::from(Span::styled(text, style))
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), l.rows);

    let title = match q.selected_row() {
        Some(r) => format!(
            "-- {} - {} - {} ",
            s::PREVIEW_TITLE,
            sanitize(&r.unit_name),
            sanitize(r.project_code.as_deref().unwrap_or(""))
        ),
        None => format!("-- {} ", s::PREVIEW_TITLE),
    };
    let width = l.preview.width as usize;
    let mut preview = vec![Line::from(Span::styled(truncate_to_width(&title, width), theme.dim))];
    if q.selected_row().is_some_and(|r| r.findings_pending) {
        preview.push(Line::from(Span::styled(s::FINDINGS_PENDING_LONG, theme.blocking)));
    } else if q.selected_row().is_some() && q.preview.is_empty() {
        preview.push(Line::from(s::PREVIEW_CLEAN));
    }
    let room = layout::PREVIEW_LINES as usize - 1;
    for (i, f) in q.preview.iter().enumerate().take(room) {
        let style = match f.severity {
            Severity::Blocking => theme.blocking,
            Severity::Warning => theme.warning,
            Severity::Info => theme.info,
        };
        let hidden = q.preview.len().saturating_sub(room - 1);
        let text = if i + 1 == room && q.preview.len() > room {
            format!("{}{hidden}{}", s::MORE_FINDINGS, s::MORE_FINDINGS_SUFFIX)
        } else {
            format!("[{}] {}", f.severity.label(), sanitize(&f.message))
        };
        preview.push(Line::from(Span::styled(pad_to_width(&text, width), style)));
    }
    frame.render_widget(Paragraph::new(preview), l.preview);
}

/// The message line: the last message, wrapped upwards over the screen's
/// bottom lines (at most one line in eight); a longer one is cut there and says
/// which key shows it whole. With no message: the keys of the screen.
fn draw_hints(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    if let Some(Overlay::Prompt(p)) = &app.overlay {
        let (text, cursor) = p.line();
        frame.render_widget(Paragraph::new(text), area);
        frame.set_cursor_position(Position::new(area.x + cursor.min(area.width.saturating_sub(1)), area.y));
        return;
    }
    let width = area.width as usize;
    let key = super::reader::key_name(&app.config.keys);
    if let Some(message) = &app.message {
        let lines = message_lines(message, width, (frame.area().height / 8).max(1) as usize, &key);
        let n = lines.len() as u16;
        let rect = Rect {
            y: area.y.saturating_sub(n - 1),
            height: n,
            ..area
        };
        frame.render_widget(Clear, rect);
        let lines: Vec<Line> = lines
            .into_iter()
            .map(|l| Line::from(Span::styled(l, theme.message)))
            .collect();
        frame.render_widget(Paragraph::new(lines), rect);
        return;
    }
    let hint = match (&app.detail, app.tab) {
        (Some(d), _) if d.item.review.stage == crate::domain::Stage::KeyEval => s::KE_BACK_HINT,
        (Some(_), _) => s::DETAIL_BACK_HINT,
        (None, TAB_BOARD) => s::BOARD_KEYS,
        (None, TAB_OVERVIEW) => s::OV_KEYS,
        (None, TAB_RESULTS) => s::RES_KEYS,
        (None, tab) => TAB_STAGES.get(tab).map_or(s::HINTS, |stage| s::queue_legend(*stage)),
    };
    // Where the reader has an item's texts to show, the hint says so.
    let hint = if app.detail.is_some() || app.stage().is_some() {
        format!("{hint}  {key} {}", s::READER_HINT)
    } else {
        hint.to_string()
    };
    frame.render_widget(
        Paragraph::new(Span::styled(truncate_to_width(&hint, width), theme.message)),
        area,
    );
}

/// A message wrapped to `width`, in at most `max` lines; when it needs more,
/// the last line is cut and ends with "（i 查看全文）".
fn message_lines(message: &str, width: usize, max: usize, key: &str) -> Vec<String> {
    let lines = wrap(message, width);
    if lines.len() <= max {
        return lines;
    }
    let clean = sanitize(message);
    let ranges = wrap_ranges(&clean, width, width);
    let more = format!("{}{key}{}", s::READER_MORE_OPEN, s::READER_MORE_CLOSE);
    let rest = &clean[ranges[max - 1].start..];
    let mut out = lines[..max - 1].to_vec();
    out.push(format!(
        "{}{more}",
        truncate_to_width(rest, width.saturating_sub(display_width(&more)))
    ));
    out
}

fn filter_text(app: &App) -> String {
    let Some(q) = app.queue() else { return String::new() };
    let f = &q.filter;
    let mut parts = Vec::new();
    if let Some(st) = f.state {
        parts.push(st.label().to_string());
    }
    if let Some(sec) = &f.section {
        parts.push(sec.clone());
    }
    if let Some(u) = &f.unit_code {
        parts.push(u.clone());
    }
    if let Some(sev) = f.min_severity {
        parts.push(format!("{}{}", s::AT_LEAST, sev.label()));
    }
    match f.has_findings {
        Some(true) => parts.push(s::HAS_FINDINGS.into()),
        Some(false) => parts.push(s::NO_FINDINGS.into()),
        None => {}
    }
    if parts.is_empty() {
        s::FILTER_NONE.to_string()
    } else {
        format!("{}{}", s::FILTER, parts.join(","))
    }
}

fn draw_status(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let mut text = String::new();
    if let Some(reason) = &app.read_only {
        text.push_str(&format!("{}{} | ", s::READ_ONLY_BANNER, sanitize(reason)));
    }
    if let Some(q) = app.queue() {
        for (state, n) in &q.counts {
            text.push_str(&format!("{}{n} ", state.label()));
        }
        text.push_str(&format!("| {}/{} ", (q.selected + 1).min(q.shown()), q.shown()));
        if !q.tagged.is_empty() {
            text.push_str(&format!("| {}{} ", s::TAGGED, q.tagged.len()));
        }
        text.push_str(&format!("| {} ", filter_text(app)));
        if q.sort != crate::store::QueueSort::Loaded {
            text.push_str(&format!("| {}{} ", s::SORT, s::sort_label(q.sort)));
        }
    } else if app.tab == TAB_RESULTS && app.detail.is_none() {
        text.push_str(&super::results::status_text(app));
    } else if app.tab == super::app::TAB_BOARD && app.detail.is_none() && app.board.rows.len() + app.board.hidden() > 0
    {
        let b = &app.board;
        text.push_str(&format!(
            "{}/{} | {}{} ",
            (b.selected + 1).min(b.rows.len()),
            b.rows.len(),
            s::FILTER,
            b.filter.label()
        ));
    }
    // The scope stays visible whatever the width: it decides what every count means.
    let scope = if app.scope.has_own() {
        format!(" [{}]", app.scope.label())
    } else {
        String::new()
    };
    let who = format!("{scope} {}{}", s::REVIEWER, sanitize(&app.reviewer_name));
    let width = area.width as usize;
    let left = truncate_to_width(&text, width.saturating_sub(display_width(&who)));
    let line = format!(
        "{}{who}",
        pad_to_width(&left, width.saturating_sub(display_width(&who)))
    );
    frame.render_widget(Paragraph::new(Span::styled(line, theme.status)), area);
}

/// A centred box; clears one extra cell each side so no half of a wide character survives at its edges.
fn popup(frame: &mut Frame, area: Rect, width: u16, height: u16) -> Rect {
    // Room for an ASCII frame: box-drawing characters are two cells wide on CJK terminals.
    let width = (width + 2).min(area.width);
    let height = (height + 2).min(area.height);
    let r = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    let wider = Rect {
        x: r.x.saturating_sub(1),
        width: (r.width + 2).min(area.width - r.x.saturating_sub(1)),
        ..r
    };
    frame.render_widget(Clear, wider);
    let frame_block = ratatui::widgets::Block::bordered().border_set(ASCII_BORDER);
    let inner = frame_block.inner(r);
    frame.render_widget(frame_block, r);
    inner
}

const ASCII_BORDER: ratatui::symbols::border::Set = ratatui::symbols::border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

fn draw_help(frame: &mut Frame, app: &App, area: Rect, ctx: &ViewContext) {
    let rows = ctx.help.len().div_ceil(2);
    let inner_w = 78.min(area.width.saturating_sub(2)) as usize;
    // What the reader key shows where, under the key list.
    let note = wrap(
        &format!(" {}{}", super::reader::key_name(&app.config.keys), s::READER_HELP_NOTE),
        inner_w,
    );
    let box_area = popup(frame, area, 78, (rows + 1 + note.len()) as u16);
    let mut lines = vec![Line::from(Span::styled(
        pad_to_width(s::HELP_TITLE, box_area.width as usize),
        ctx.theme.header,
    ))];
    let cell = |i: usize| -> String {
        ctx.help.get(i).map_or_else(String::new, |(keys, what)| {
            format!("{} {}", pad_to_width(keys, 14), pad_to_width(what, 22))
        })
    };
    for i in 0..rows {
        lines.push(Line::from(format!(" {} {}", cell(i), cell(i + rows))));
    }
    lines.extend(note.into_iter().map(|l| Line::from(Span::styled(l, ctx.theme.dim))));
    frame.render_widget(Paragraph::new(lines), box_area);
}

fn draw_filter_menu(frame: &mut Frame, app: &App, area: Rect, theme: &Theme) {
    let Some(q) = app.queue() else { return };
    let f = &q.filter;
    let box_area = popup(frame, area, 70, 8);
    let value = |v: Option<String>| v.unwrap_or_else(|| s::ALL.to_string());
    let lines = vec![
        Line::from(Span::styled(
            pad_to_width(s::FILTER_MENU_TITLE, box_area.width as usize),
            theme.header,
        )),
        Line::from(format!(
            " {}：{}",
            s::FILTER_STATE,
            value(f.state.map(|x| x.label().to_string()))
        )),
        Line::from(format!(" {}：{}", s::FILTER_SECTION, value(f.section.clone()))),
        Line::from(format!(" {}：{}", s::FILTER_UNIT, value(f.unit_code.clone()))),
        Line::from(format!(
            " {}：{}",
            s::FILTER_SEVERITY,
            value(f.min_severity.map(|x| format!("{}{}", s::AT_LEAST, x.label())))
        )),
        Line::from(format!(
            " {}：{}",
            s::FILTER_FINDINGS,
            value(
                f.has_findings
                    .map(|h| if h { s::HAS_FINDINGS } else { s::NO_FINDINGS }.to_string())
            )
        )),
        Line::from(format!(" {}{}", q.shown(), s::ITEMS)),
    ];
    frame.render_widget(Paragraph::new(lines), box_area);
}

fn draw_confirm(frame: &mut Frame, c: &Confirm, area: Rect, theme: &Theme) {
    let mut body: Vec<String> = Vec::new();
    let title = match c {
        Confirm::BulkApprove {
            clean,
            blocking,
            skipped,
            others,
        } => {
            body.push(format!("{} {}{}", s::BULK_APPROVE_Q, clean.len(), s::ITEMS));
            if !blocking.is_empty() {
                body.push(format!("{} {}{}", s::BLOCKING_SKIPPED, blocking.len(), s::ITEMS));
            }
            if *skipped > 0 {
                body.push(format!("{} {skipped}{}", s::ALREADY_DECIDED, s::ITEMS));
            }
            if *others > 0 {
                body.push(format!("{others}{}", s::BULK_NOT_YOURS));
            }
            body.push(s::CONFIRM_YES_NO.into());
            if !blocking.is_empty() {
                body.push(s::CONFIRM_OVERRIDE.into());
            }
            s::BULK_APPROVE_Q
        }
        Confirm::BulkReturn { items, skipped, others } => {
            body.push(format!("{} {}{}", s::BULK_RETURN_Q, items.len(), s::ITEMS));
            if *skipped > 0 {
                body.push(format!("{} {skipped}{}", s::ALREADY_DECIDED, s::ITEMS));
            }
            if *others > 0 {
                body.push(format!("{others}{}", s::BULK_NOT_YOURS));
            }
            body.push(s::CONFIRM_YES_NO.into());
            s::BULK_RETURN_Q
        }
        Confirm::Drafts { count, latest, .. } => {
            body.push(format!("{}{count}{}", s::DRAFTS_FOUND, s::DRAFTS_OPEN));
            body.push(format!("{}{}", s::DRAFTS_LATEST, sanitize(latest)));
            s::EDIT_DRAFT
        }
        Confirm::ConfirmResults { projects } => {
            body.push(format!("{}{}{}", s::RES_CONFIRM_ALL, projects.len(), s::ITEMS));
            body.push(s::CONFIRM_YES_NO.into());
            s::RES_CONFIRM_ALL_Q
        }
    };
    // Each line wraps inside the box, one blank column on its left.
    let inner_w = 64.min(area.width.saturating_sub(2)) as usize;
    let body: Vec<String> = body.iter().flat_map(|b| wrap(b, inner_w.saturating_sub(1))).collect();
    let box_area = popup(frame, area, 64, body.len() as u16 + 2);
    let mut lines = vec![Line::from(Span::styled(
        pad_to_width(title, box_area.width as usize),
        theme.header,
    ))];
    lines.extend(body.into_iter().map(|b| Line::from(format!(" {b}"))));
    frame.render_widget(Paragraph::new(lines), box_area);
}
