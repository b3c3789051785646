//! Draws the queue from `App` state; never touches the database. Cells are cut
//! by display width so mixed Chinese, ASCII and full-width digits stay aligned.

use super::app::{App, Overlay, TAB_COUNT, TAB_STAGES};
use super::layout;
use super::strings as s;
use super::theme::Theme;
use crate::domain::money::format_wan;
use crate::domain::text::{pad_left_to_width, pad_to_width, sanitize};
use crate::domain::{ReviewState, Severity};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

/// Column widths (cells) at the minimum width; the project column takes what is left.
const MARK_W: usize = 2;
const UNIT_W: usize = 14;
const AMOUNT_W: usize = 10;
const FIND_W: usize = 18;
const STATE_W: usize = 6;

pub struct ViewContext<'a> {
    pub theme: &'a Theme,
    pub help: &'a [(String, String)],
}

pub fn draw(frame: &mut Frame, app: &App, ctx: &ViewContext) {
    let area = frame.area();
    if layout::too_small(area) {
        draw_too_small(frame, area);
        return;
    }
    let l = layout::queue(area);
    draw_tabs(frame, app, ctx.theme, l.tabs);
    match app.queue() {
        Some(_) => draw_queue(frame, app, ctx.theme, &l),
        None => {
            let text = if app.tab == 4 { s::RECT_EMPTY } else { s::OVERVIEW_TITLE };
            frame.render_widget(Paragraph::new(text), l.rows);
        }
    }
    let hint = app.message.as_deref().unwrap_or(s::HINTS);
    frame.render_widget(Paragraph::new(Span::styled(sanitize(hint), ctx.theme.message)), l.hints);
    draw_status(frame, app, ctx.theme, l.status);
    if app.overlay == Some(Overlay::Help) {
        draw_help(frame, area, ctx);
    }
}

fn draw_too_small(frame: &mut Frame, area: Rect) {
    let text = vec![
        Line::from(format!("{}{}×{}", s::TOO_SMALL, area.width, area.height)),
        Line::from(s::TOO_SMALL_HINT),
    ];
    frame.render_widget(Paragraph::new(text).wrap(ratatui::widgets::Wrap { trim: false }), area);
}

fn tab_label(tab: usize) -> &'static str {
    TAB_STAGES.get(tab).map(|st| st.label()).unwrap_or(s::TAB_OVERVIEW)
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

fn project_width(total: u16) -> usize {
    (total as usize).saturating_sub(MARK_W + UNIT_W + AMOUNT_W + FIND_W + STATE_W + 5)
}

fn state_mark(state: ReviewState) -> &'static str {
    match state {
        ReviewState::Pending => "  ",
        ReviewState::Approved => "+ ",
        ReviewState::Returned => "x ",
        ReviewState::Resubmitted => "* ",
    }
}

fn draw_queue(frame: &mut Frame, app: &App, theme: &Theme, l: &layout::QueueLayout) {
    let q = &app.queues[app.tab];
    let pw = project_width(l.header.width);
    let header = format!(
        "{}{} {} {} {} {}",
        " ".repeat(MARK_W),
        pad_to_width(s::COL_UNIT, UNIT_W),
        pad_to_width(s::COL_PROJECT, pw),
        pad_left_to_width(s::COL_AMOUNT, AMOUNT_W),
        pad_to_width(s::COL_FINDINGS, FIND_W),
        pad_to_width(s::COL_STATE, STATE_W),
    );
    frame.render_widget(Paragraph::new(Span::styled(header, theme.header)), l.header);

    if q.ids.is_empty() {
        frame.render_widget(Paragraph::new(s::QUEUE_EMPTY), l.rows);
    }
    let lines: Vec<Line> = q
        .window
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let findings = if row.blocking + row.warning + row.info == 0 {
                String::new()
            } else {
                format!(
                    "{}/{}/{} {}",
                    row.blocking,
                    row.warning,
                    row.info,
                    sanitize(&row.first_finding)
                )
            };
            let text = format!(
                "{}{} {} {} {} {}",
                state_mark(row.state),
                pad_to_width(&sanitize(&row.unit_name), UNIT_W),
                pad_to_width(&sanitize(&row.project_name), pw),
                pad_left_to_width(&format_wan(row.amount, 2), AMOUNT_W),
                pad_to_width(&findings, FIND_W),
                pad_to_width(row.state.label(), STATE_W),
            );
            let style = if q.offset + i == q.selected {
                theme.selected
            } else if row.blocking > 0 {
                theme.blocking
            } else if row.warning > 0 {
                theme.warning
            } else {
                ratatui::style::Style::new()
            };
            Line::from(Span::styled(text, style))
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), l.rows);

    let mut preview = vec![Line::from(Span::styled(format!("-- {} ", s::PREVIEW_TITLE), theme.dim))];
    if q.selected_row().is_some() && q.preview.is_empty() {
        preview.push(Line::from(s::PREVIEW_CLEAN));
    }
    for f in q.preview.iter().take(layout::PREVIEW_LINES as usize - 1) {
        let style = match f.severity {
            Severity::Blocking => theme.blocking,
            Severity::Warning => theme.warning,
            Severity::Info => theme.info,
        };
        let text = format!("[{}] {}", f.severity.label(), sanitize(&f.message));
        preview.push(Line::from(Span::styled(
            pad_to_width(&text, l.preview.width as usize),
            style,
        )));
    }
    frame.render_widget(Paragraph::new(preview), l.preview);
}

fn draw_status(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let mut text = String::new();
    if let Some(q) = app.queue() {
        for (state, n) in &q.counts {
            text.push_str(&format!("{} {}  ", state.label(), n));
        }
        text.push_str(&format!("{}/{}  ", (q.selected + 1).min(q.ids.len()), q.ids.len()));
    }
    text.push_str(&format!(
        "{}  {}{}",
        s::FILTER_NONE,
        s::REVIEWER,
        sanitize(&app.reviewer)
    ));
    frame.render_widget(
        Paragraph::new(Span::styled(pad_to_width(&text, area.width as usize), theme.status)),
        area,
    );
}

fn draw_help(frame: &mut Frame, area: Rect, ctx: &ViewContext) {
    let width = 60.min(area.width);
    let height = (ctx.help.len() as u16 + 2).min(area.height);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    // Clearing whole cells avoids half of a wide character left under the popup edge.
    frame.render_widget(
        Clear,
        Rect {
            x: popup.x.saturating_sub(1),
            width: popup.width + 2,
            ..popup
        },
    );
    let mut lines = vec![Line::from(Span::styled(s::HELP_TITLE, ctx.theme.header))];
    for (keys, what) in ctx.help {
        lines.push(Line::from(format!("{} {}", pad_to_width(keys, 18), what)));
    }
    frame.render_widget(Paragraph::new(lines), popup);
}
