//! Monitoring exceptions ("双监控"): budget execution as a bar against the 75 %
//! line, each indicator's progress against its target, the unit's 情况说明 and
//! 整改措施. Accept the explanation (approve), or reject it: the item is
//! returned and a rectification opened in one transaction. `l` lists every key
//! project with its execution rate for the October 全面清理.

use super::{KeyList, StageState, Workspace, ensure_visible, finding_line, section};
use crate::config::Action;
use crate::domain::money::{format_percent, format_wan};
use crate::domain::quantity::parse_quantity;
use crate::domain::text::{display_width, pad_left_to_width, pad_to_width, sanitize};
use crate::domain::{Direction, Likelihood, Role};
use crate::store::ItemDetail;
use crate::tui::overlay::EditPurpose;
use crate::tui::reader::{Doc, Kind};
use crate::tui::screens::Effect;
use crate::tui::session::Session;
use crate::tui::strings as s;
use crate::tui::theme::Theme;
use crate::tui::wrap::Para;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use rust_decimal::Decimal;

/// The stage's own actions; None when the action is not one of them.
pub fn action(ws: &mut Workspace, ses: &mut Session, action: Action) -> anyhow::Result<Option<Effect>> {
    let effect = match action {
        Action::Approve => ws.approve(ses)?,
        Action::Return => {
            reject(ws, ses)?;
            Effect::None
        }
        Action::KeyList => {
            open_list(ws, ses)?;
            Effect::None
        }
        _ => return Ok(None),
    };
    Ok(Some(effect))
}

fn reject(ws: &Workspace, ses: &mut Session) -> anyhow::Result<()> {
    let (id, version) = (ws.item.review.id, ws.item.review.version);
    let mut text = format!("{}\n", s::MON_REJECT_HEAD);
    for (i, f) in ws.item.findings.iter().filter(|f| !f.is_review_quality()).enumerate() {
        text.push_str(&format!("{}. {}\n", i + 1, sanitize(&f.message)));
    }
    text.push_str(s::MON_REJECT_TAIL);
    let initial = ses.store.draft(&ses.user, id)?.map(|d| d.text).unwrap_or(text);
    ws.open_editor(
        ses,
        s::MON_REJECT_TITLE,
        &initial,
        EditPurpose::RejectExplanation { id, version },
    );
    Ok(())
}

fn open_list(ws: &mut Workspace, ses: &mut Session) -> anyhow::Result<()> {
    let Some(year) = ses.store.latest_year()? else {
        return Ok(());
    };
    let mut rows = ses
        .store
        .key_projects(year, ses.config.rules.monitoring.key_project_amount)?;
    // A section reviewer chases their own sections' projects; admins and
    // auditors (and unregistered readers) see every section.
    let scope = ses
        .me
        .as_ref()
        .filter(|r| r.role == Role::Reviewer)
        .map(|r| r.sections.clone());
    if let Some(sections) = &scope {
        rows.retain(|r| sections.contains(&r.section));
    }
    // Unreported first, then the lowest execution: what the clean-up must chase.
    rows.sort_by_key(|r| (r.rate().is_some(), r.rate().unwrap_or(Decimal::ZERO)));
    ws.stage = StageState::Monitoring {
        key_list: Some(KeyList {
            rows,
            selected: 0,
            scope,
        }),
    };
    ws.scroll = 0;
    ws.max_scroll.set(usize::MAX);
    Ok(())
}

/// Actions on the key-project list.
pub fn list_action(ws: &mut Workspace, action: Action) -> Effect {
    let page = ws.body_height.get().max(1);
    let StageState::Monitoring { key_list: Some(list) } = &mut ws.stage else {
        return Effect::None;
    };
    let last = list.rows.len().saturating_sub(1) as i64;
    if let Some(delta) = crate::tui::screens::movement(action, page) {
        list.selected = (list.selected as i64).saturating_add(delta).clamp(0, last) as usize;
        let sel = list.selected;
        ensure_visible(ws, sel + LIST_HEAD_LINES);
        return Effect::None;
    }
    match action {
        Action::KeyList | Action::Quit | Action::Close => {
            ws.stage = StageState::Monitoring { key_list: None };
            ws.scroll = 0;
            ws.max_scroll.set(usize::MAX);
            Effect::None
        }
        Action::Open => match list.rows.get(list.selected).and_then(|r| r.review_id) {
            Some(id) => Effect::Open(id),
            None => Effect::None,
        },
        _ => Effect::None,
    }
}

// ---- drawing --------------------------------------------------------------------

/// `[#######.....|.....] 42.0%`: ASCII so it stays one cell wide on CJK terminals.
pub fn bar(rate: Decimal, line: Decimal, cells: usize) -> String {
    let cells = cells.max(4);
    let filled = ((rate.min(Decimal::ONE).max(Decimal::ZERO) * Decimal::from(cells)).round())
        .to_string()
        .parse::<usize>()
        .unwrap_or(0);
    let mark = ((line * Decimal::from(cells)).round())
        .to_string()
        .parse::<usize>()
        .unwrap_or(0);
    let mut out = String::with_capacity(cells + 2);
    out.push('[');
    for i in 0..cells {
        out.push(if i == mark && i >= filled {
            '|'
        } else if i < filled {
            '#'
        } else {
            '.'
        });
    }
    out.push(']');
    out
}

pub fn panel(d: &Workspace, ses: &Session, theme: &Theme, width: usize) -> Vec<Para> {
    let item = &d.item;
    let threshold = ses.config.rules.monitoring.execution_threshold;
    let mut out = Vec::with_capacity(4);
    match (&item.monitoring, &item.project) {
        (Some(m), Some(p)) if p.amount > Decimal::ZERO => {
            let rate = m.executed / p.amount;
            out.push(
                Line::from(format!(
                    "{}{}{}{}{} {}（{}）",
                    s::MON_EXEC,
                    format_wan(m.executed, 2),
                    s::MON_EXEC_OF,
                    format_wan(p.amount, 2),
                    s::WAN,
                    format_percent(rate),
                    sanitize(&m.period)
                ))
                .into(),
            );
            let style = if rate < threshold {
                theme.blocking
            } else {
                theme.message
            };
            let cells = width.saturating_sub(24).min(50);
            out.push(
                Line::from(vec![
                    Span::styled(bar(rate, threshold, cells), style),
                    Span::raw(format!(" {} {}", format_percent(rate), s::mon_line(threshold))),
                ])
                .into(),
            );
        }
        _ => out.push(Line::from(Span::styled(s::MON_NONE.to_string(), theme.dim)).into()),
    }
    out
}

/// "情况说明：…" wrapped under its text.
fn labelled(label: &str, text: &str) -> Para {
    let t = sanitize(text.trim());
    let t = if t.is_empty() { s::MON_EMPTY.to_string() } else { t };
    Para::hang(Line::from(format!("{label}{t}")), display_width(label))
}

pub fn body(d: &Workspace, ses: &Session, theme: &Theme, _width: usize) -> Vec<Para> {
    let item = &d.item;
    let threshold = ses.config.rules.monitoring.progress_threshold;
    let mut out = Vec::new();
    // The unit's own words first: long, and what the reviewer accepts or rejects.
    if let Some(m) = &item.monitoring {
        out.push(labelled(s::MON_EXPLAIN, &m.explanation));
        out.push(labelled(s::MON_MEASURES, &m.measures));
    }
    out.push(section(theme, &s::mon_progress(threshold)));
    if item.progress.is_empty() {
        out.push(Line::from(s::MON_NO_PROGRESS).into());
    }
    for g in &item.progress {
        let ind = item.indicators.iter().find(|i| i.name == g.indicator_name);
        let target = ind.and_then(|i| parse_quantity(&i.target_value)).map(|q| q.value);
        let current = parse_quantity(&g.current_value).map(|q| q.value);
        let rate = match (current, target, ind.map(|i| i.direction)) {
            (Some(c), Some(t), Some(dir)) if t > Decimal::ZERO && dir != Direction::AtMost => Some(c / t),
            _ => None,
        };
        let low = rate.is_some_and(|r| r < threshold)
            || matches!(g.likelihood, Some(Likelihood::Possible | Likelihood::Impossible));
        let mark = if low { "! " } else { "  " };
        let target_text = ind.map_or(String::new(), |i| {
            format!(" / {}{}", sanitize(&i.target_value), sanitize(&i.measure_unit))
        });
        let text = format!(
            "{mark}{}：{}{} {} {}",
            sanitize(&g.indicator_name),
            sanitize(&g.current_value),
            target_text,
            rate.map(format_percent).unwrap_or_default(),
            g.likelihood.map(|l| l.label()).unwrap_or("")
        );
        out.push(Para::hang(
            Line::from(Span::styled(text, if low { theme.warning } else { Style::new() })),
            2,
        ));
        if !g.reason.trim().is_empty() || !g.action.trim().is_empty() {
            out.push(Para::hang(
                Line::from(format!(
                    "    {}{}  {}{}",
                    s::MON_REASON,
                    sanitize(&g.reason),
                    s::MON_ACTION,
                    sanitize(&g.action)
                )),
                4,
            ));
        }
    }
    out.push(section(
        theme,
        &format!("{}({})", s::DETAIL_FINDINGS, item.findings.len()),
    ));
    if item.findings.is_empty() {
        out.push(Line::from(s::DETAIL_NO_FINDINGS).into());
    }
    out.extend(item.findings.iter().map(|f| finding_line(theme, f)));
    out.extend(super::target::tree(item, theme));
    out
}

/// Lines above the first row of the key-project list: title, scope, header.
const LIST_HEAD_LINES: usize = 3;

/// Column widths of the key-project list (the project takes what is left).
const LIST_UNIT_W: usize = 17;
const LIST_AMOUNT_W: usize = 11;
const LIST_RATE_W: usize = 7;
const LIST_STATE_W: usize = 6;

/// One row of the list, header and values alike: each cell padded by
/// display width, so values sit under their headings with CJK text.
fn list_row(unit: &str, project: &str, amount: &str, rate: &str, state: &str, width: usize) -> String {
    let fixed = LIST_UNIT_W + LIST_AMOUNT_W + LIST_RATE_W + LIST_STATE_W + 4;
    let project_w = width.saturating_sub(fixed).max(8);
    format!(
        "{} {} {} {} {}",
        pad_to_width(unit, LIST_UNIT_W),
        pad_to_width(project, project_w),
        pad_left_to_width(amount, LIST_AMOUNT_W),
        pad_left_to_width(rate, LIST_RATE_W),
        state
    )
}

/// The key-project list: a table, its rows cut to their columns (the
/// workspace of a row, `Enter`, shows its texts whole).
pub fn list_body(d: &Workspace, ses: &Session, theme: &Theme, width: usize) -> Vec<Para> {
    let Some(list) = d.stage.key_list() else {
        return Vec::new();
    };
    let scope = match &list.scope {
        Some(sections) => format!("{}{}{}", s::KEY_LIST_SCOPE, sections.join("、"), s::KEY_LIST_MINE),
        None => format!("{}{}", s::KEY_LIST_SCOPE, s::KEY_LIST_ALL),
    };
    let header = list_row(
        s::COL_UNIT,
        s::COL_PROJECT,
        s::COL_AMOUNT,
        s::KEY_LIST_RATE,
        s::COL_STATE,
        width,
    );
    let mut out = vec![
        section(theme, s::MON_LIST_TITLE),
        Line::from(Span::styled(
            format!("{scope}{}{}{}", s::KEY_LIST_COUNT, list.rows.len(), s::KEY_LIST_UNIT),
            theme.dim,
        ))
        .into(),
        Line::from(Span::styled(pad_to_width(&header, width), theme.header)).into(),
    ];
    if list.rows.is_empty() {
        out.push(Line::from(s::MON_LIST_EMPTY).into());
    }
    let threshold = ses.config.rules.monitoring.execution_threshold;
    for (i, r) in list.rows.iter().enumerate() {
        let rate = r.rate();
        let text = list_row(
            &sanitize(&r.unit_name),
            &sanitize(&r.project_name),
            &format_wan(r.amount, 2),
            &rate.map_or(s::MON_NOT_REPORTED.to_string(), format_percent),
            r.state.map_or("", |st| st.label()),
            width,
        );
        let style = if i == list.selected {
            theme.selected
        } else if rate.is_none_or(|x| x < threshold) {
            theme.warning
        } else {
            Style::new()
        };
        out.push(Para::hang(Line::from(Span::styled(text, style)), 0));
    }
    out
}

/// The monitoring texts for the reader: execution, the unit's explanation and
/// measures, each indicator's progress with its reason, the findings.
pub fn reader(item: &ItemDetail, doc: &mut Doc) {
    doc.section(s::READER_EXEC);
    match (&item.monitoring, &item.project) {
        (Some(m), Some(p)) if p.amount > Decimal::ZERO => doc.line(
            Kind::Text,
            &format!(
                "{}{}{}{}{} {}（{}）",
                s::MON_EXEC,
                format_wan(m.executed, 2),
                s::MON_EXEC_OF,
                format_wan(p.amount, 2),
                s::WAN,
                format_percent(m.executed / p.amount),
                m.period
            ),
        ),
        _ => doc.text_or("", s::MON_NONE),
    }
    if let Some(m) = &item.monitoring {
        doc.section(s::READER_EXPLAIN);
        doc.text(&m.explanation);
        doc.section(s::READER_MEASURES);
        doc.text(&m.measures);
    }
    if !item.progress.is_empty() {
        doc.section(s::READER_PROGRESS);
        for g in &item.progress {
            let target = item
                .indicators
                .iter()
                .find(|i| i.name == g.indicator_name)
                .map_or(String::new(), |i| format!(" / {}{}", i.target_value, i.measure_unit));
            let likelihood = g.likelihood.map_or(String::new(), |l| format!(" {}", l.label()));
            doc.labelled(
                &format!("{}：", sanitize(&g.indicator_name)),
                &format!("{}{target}{likelihood}", g.current_value),
            );
            if !g.reason.trim().is_empty() {
                doc.labelled(&format!("  {}", s::MON_REASON), &g.reason);
            }
            if !g.action.trim().is_empty() {
                doc.labelled(&format!("  {}", s::MON_ACTION), &g.action);
            }
        }
    }
    doc.findings(&item.findings);
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn bar_marks_the_line_and_the_fill() {
        assert_eq!(bar(dec!(0.5), dec!(0.75), 8), "[####..|.]");
        assert_eq!(bar(dec!(0.9), dec!(0.75), 8), "[#######.]");
        assert_eq!(bar(dec!(1.3), dec!(0.75), 4), "[####]");
    }
}
