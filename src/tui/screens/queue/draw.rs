//! Draws a queue from its state; never touches the database. Cells are cut
//! by display width so mixed Chinese, ASCII and full-width digits stay aligned.

use super::StageQueue;
use crate::domain::money::format_wan;
use crate::domain::text::{display_width, pad_left_to_width, pad_to_width, sanitize, truncate_to_width};
use crate::domain::{ReviewState, Severity, Stage};
use crate::store::QueueRow;
use crate::tui::layout;
use crate::tui::strings as s;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
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
fn empty_text(q: &StageQueue) -> String {
    match q.stage_counts() {
        Some((total, pending)) if total > 0 => s::queue_filtered_empty(total, pending),
        _ => s::QUEUE_STAGE_EMPTY.to_string(),
    }
}

/// The queue's table and the selected item's findings.
pub fn draw(frame: &mut Frame, q: &StageQueue, theme: &Theme, l: &layout::QueueLayout) {
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

fn filter_text(q: &StageQueue) -> String {
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

/// The status bar's part for a queue: counts, position, tags, filter, sort.
pub fn status_text(q: &StageQueue) -> String {
    let mut text = String::new();
    for (state, n) in &q.counts {
        text.push_str(&format!("{}{n} ", state.label()));
    }
    text.push_str(&format!("| {}/{} ", (q.selected + 1).min(q.shown()), q.shown()));
    if !q.tagged.is_empty() {
        text.push_str(&format!("| {}{} ", s::TAGGED, q.tagged.len()));
    }
    text.push_str(&format!("| {} ", filter_text(q)));
    if q.sort != crate::store::QueueSort::Loaded {
        text.push_str(&format!("| {}{} ", s::SORT, s::sort_label(q.sort)));
    }
    text
}

/// The filter menu over the queue (`f`).
pub fn draw_filter_menu(frame: &mut Frame, q: &StageQueue, area: Rect, theme: &Theme) {
    let f = &q.filter;
    let box_area = layout::popup(frame, area, 70, 8);
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
