//! Draws the frame from `App` state: the tab bar, the screen shown (each
//! screen draws itself), the hint and status lines and the overlay on top;
//! never touches the database. Cells are cut by display width.
//! No box-drawing characters: they are ambiguous-width on CJK terminals.

use super::app::App;
use super::layout;
use super::overlay::{Confirm, Overlay};
use super::screens;
use super::strings as s;
use super::tab::Tab;
use super::theme::Theme;
use crate::domain::text::{display_width, pad_to_width, sanitize, truncate_to_width, wrap, wrap_ranges};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

pub struct ViewContext<'a> {
    pub theme: &'a Theme,
}

pub fn draw(frame: &mut Frame, app: &App, ctx: &ViewContext) {
    let area = frame.area();
    if layout::too_small(area) {
        draw_too_small(frame, app, area);
        return;
    }
    let l = layout::queue(area);
    let ses = &app.ses;
    if let Some(ws) = &app.workspace {
        let above = Rect {
            height: l.hints.y.saturating_sub(area.y),
            ..area
        };
        screens::workspace::draw(frame, ws, ses, ctx.theme, above);
    } else {
        draw_tabs(frame, app, ctx.theme, l.tabs);
        match app.tab {
            Tab::Board => screens::board::draw(frame, &app.board, ses, ctx.theme, l.header, l.rows, l.preview),
            Tab::Results => screens::results::draw(frame, &app.results, ctx.theme, l.header, l.rows, l.preview),
            Tab::Overview => screens::overview::draw(
                frame,
                &app.overview,
                ctx.theme,
                l.header,
                Rect {
                    height: l.hints.y - l.rows.y,
                    ..l.rows
                },
            ),
            _ => {
                if let Some(q) = app.queue() {
                    screens::queue::draw(frame, q, ctx.theme, &l);
                }
            }
        }
    }
    draw_hints(frame, app, ctx.theme, l.hints);
    draw_status(frame, app, ctx.theme, l.status);
    match &ses.overlay {
        Some(Overlay::Help) => draw_help(frame, app, area, ctx),
        Some(Overlay::FilterMenu) => {
            if let Some(q) = app.queue() {
                screens::queue::draw_filter_menu(frame, q, area, ctx.theme);
            }
        }
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
    text.extend(app.ses.message.as_deref().map(Line::from));
    frame.render_widget(Paragraph::new(text).wrap(ratatui::widgets::Wrap { trim: false }), area);
}

fn draw_tabs(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let mut spans = Vec::with_capacity(Tab::ALL.len() * 2);
    for tab in Tab::ALL {
        let style = if tab == app.tab { theme.tab_active } else { theme.tab };
        spans.push(Span::styled(format!(" {}{} ", tab.index() + 1, tab.label()), style));
        spans.push(Span::raw(" "));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The message line: the last message, wrapped upwards over the screen's
/// bottom lines (at most one line in eight); a longer one is cut there and says
/// which key shows it whole. With no message: the keys of the screen.
fn draw_hints(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    if let Some(Overlay::Prompt(p)) = &app.ses.overlay {
        let (text, cursor) = p.line();
        frame.render_widget(Paragraph::new(text), area);
        frame.set_cursor_position(Position::new(area.x + cursor.min(area.width.saturating_sub(1)), area.y));
        return;
    }
    let width = area.width as usize;
    let key = super::reader::key_name(&app.ses.config.keys);
    if let Some(message) = &app.ses.message {
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
    // The keys as the live key map binds them on this screen.
    let ses = &app.ses;
    let scope = app.key_scope();
    let hint = match (&app.workspace, app.tab) {
        (Some(d), _) if d.item.review.stage == crate::domain::Stage::KeyEval => ses.hint(scope, s::KE_BACK_HINT),
        (Some(_), _) => ses.hint(scope, s::DETAIL_BACK_HINT),
        (None, Tab::Board) => ses.hint(scope, s::BOARD_HINT),
        (None, Tab::Overview) => ses.hint(scope, s::OV_HINT),
        (None, Tab::Results) => ses.hint(scope, s::RES_HINT),
        (None, tab) => format!(
            "{}  {}",
            tab.queue_stage().map_or("", s::queue_legend),
            ses.hint(scope, s::QUEUE_HINT)
        ),
    };
    // Where the reader has an item's texts to show, the hint says so.
    let hint = if app.workspace.is_some() || app.stage().is_some() {
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

fn draw_status(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let mut text = String::new();
    if let Some(reason) = &app.ses.read_only {
        text.push_str(&format!("{}{} | ", s::READ_ONLY_BANNER, sanitize(reason)));
    }
    if let Some(q) = app.queue() {
        text.push_str(&screens::queue::status_text(q));
    } else if app.tab == Tab::Results && app.workspace.is_none() {
        text.push_str(&screens::results::status_text(&app.results));
    } else if app.tab == Tab::Board && app.workspace.is_none() && app.board.rows.len() + app.board.hidden() > 0 {
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
    let scope = if app.ses.scope.has_own() {
        format!(" [{}]", app.ses.scope.label())
    } else {
        String::new()
    };
    let who = format!("{scope} {}{}", s::REVIEWER, sanitize(&app.ses.reviewer_name));
    let width = area.width as usize;
    let left = truncate_to_width(&text, width.saturating_sub(display_width(&who)));
    let line = format!(
        "{}{who}",
        pad_to_width(&left, width.saturating_sub(display_width(&who)))
    );
    frame.render_widget(Paragraph::new(Span::styled(line, theme.status)), area);
}

/// The keys of the screen shown, from the live key map: its own first, then
/// the global ones that act there (`?` in a workspace shows the workspace's).
fn draw_help(frame: &mut Frame, app: &App, area: Rect, ctx: &ViewContext) {
    let help = super::keymap::help_lines(&app.ses.config.keys, app.key_scope());
    let screen = match &app.workspace {
        Some(ws) => ws.item.review.stage.label(),
        None => app.tab.label(),
    };
    let rows = help.len().div_ceil(2);
    let inner_w = 78.min(area.width.saturating_sub(2)) as usize;
    // What the reader key shows where, under the key list.
    let note = wrap(
        &format!(
            " {}{}",
            super::reader::key_name(&app.ses.config.keys),
            s::READER_HELP_NOTE
        ),
        inner_w,
    );
    let box_area = layout::popup(frame, area, 78, (rows + 1 + note.len()) as u16);
    let mut lines = vec![Line::from(Span::styled(
        pad_to_width(&s::help_title(screen), box_area.width as usize),
        ctx.theme.header,
    ))];
    let cell = |i: usize| -> String {
        help.get(i).map_or_else(String::new, |(keys, what)| {
            format!("{} {}", pad_to_width(keys, 14), pad_to_width(what, 22))
        })
    };
    for i in 0..rows {
        lines.push(Line::from(format!(" {} {}", cell(i), cell(i + rows))));
    }
    lines.extend(note.into_iter().map(|l| Line::from(Span::styled(l, ctx.theme.dim))));
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
    let box_area = layout::popup(frame, area, 64, body.len() as u16 + 2);
    let mut lines = vec![Line::from(Span::styled(
        pad_to_width(title, box_area.width as usize),
        theme.header,
    ))];
    lines.extend(body.into_iter().map(|b| Line::from(format!(" {b}"))));
    frame.render_widget(Paragraph::new(lines), box_area);
}
