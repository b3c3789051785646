//! The overview tab (6): how much of the units and of the funds each step of
//! the year has covered (the seed's 两个全覆盖) as gauges, each section's
//! queue progress and monitoring exceptions as bar charts, the grade
//! distribution and the rectifications, overdue ones counted against
//! `App.today`. Charts use ASCII fills: block characters are ambiguous-width
//! on CJK terminals.

use crate::domain::money::format_percent;
use crate::domain::text::{pad_to_width, sanitize, truncate_to_width};
use crate::store::Overview;
use crate::tui::session::Session;
use crate::tui::strings as s;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::symbols::bar;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, LineGauge, Paragraph};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

const ASCII_BARS: bar::Set<'static> = bar::Set {
    full: "#",
    seven_eighths: "#",
    three_quarters: "#",
    five_eighths: "#",
    half: "#",
    three_eighths: "#",
    one_quarter: "#",
    one_eighth: "#",
    empty: " ",
};

/// Reads the figures again (on entering the tab and on refresh).
/// Tab 6: the year's figures, read each time the tab is shown.
#[derive(Debug, Default)]
pub struct OverviewTab {
    pub figures: Option<Overview>,
}

impl OverviewTab {
    pub fn show(&mut self, ses: &Session) -> Result<(), crate::store::StoreError> {
        self.figures = Some(ses.store.overview(&ses.config.rules.grades, ses.today)?);
        Ok(())
    }
}

fn ratio(part: Decimal, whole: Decimal) -> f64 {
    if whole <= Decimal::ZERO {
        0.0
    } else {
        (part / whole).min(Decimal::ONE).to_f64().unwrap_or(0.0)
    }
}

fn yi(yuan: Decimal) -> String {
    format!("{}{}", (yuan / Decimal::from(100_000_000)).round_dp(2), s::OV_YI)
}

pub fn draw(frame: &mut Frame, tab: &OverviewTab, theme: &Theme, header: Rect, body: Rect) {
    let width = header.width as usize;
    let title = match tab.figures.as_ref().and_then(|o| o.year) {
        Some(y) => format!("{} {y}", s::OVERVIEW_TITLE),
        None => s::OVERVIEW_TITLE.to_string(),
    };
    frame.render_widget(
        Paragraph::new(Span::styled(pad_to_width(&title, width), theme.header)),
        header,
    );
    let Some(o) = tab.figures.as_ref().filter(|o| o.year.is_some()) else {
        frame.render_widget(Paragraph::new(s::OV_EMPTY), body);
        return;
    };
    let row = |y: u16, h: u16| Rect {
        x: body.x,
        y: body.y + y,
        width: body.width,
        height: h.min(body.height.saturating_sub(y)),
    };
    frame.render_widget(Paragraph::new(Span::styled(s::OV_COVERAGE, theme.dim)), row(0, 1));
    for (i, c) in o.coverage.iter().enumerate() {
        draw_coverage(frame, theme, row(1 + i as u16, 1), o, c);
    }
    let used = 1 + o.coverage.len() as u16;
    let bottom = 3;
    let charts_h = body.height.saturating_sub(used + bottom);
    let charts = row(used, charts_h);
    let half = charts.width / 2;
    draw_sections(frame, theme, Rect { width: half, ..charts }, o);
    draw_exceptions(
        frame,
        theme,
        Rect {
            x: charts.x + half + 1,
            width: charts.width.saturating_sub(half + 1),
            ..charts
        },
        o,
    );
    let grades = |v: &[(crate::domain::Grade, i64)]| {
        v.iter()
            .map(|(g, n)| format!("{}{n}", g.label()))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let rects: Vec<String> = o
        .rect_by_state
        .iter()
        .map(|(st, n)| format!("{}{n}", st.label()))
        .collect();
    let lines = vec![
        Line::from(truncate_to_width(
            &format!("{}{}", s::OV_GRADES_USED, grades(&o.used_grades)),
            width,
        )),
        Line::from(Span::styled(
            truncate_to_width(
                &format!(
                    "{}{}{}{}",
                    s::OV_GRADES_REPORTED,
                    grades(&o.self_grades),
                    s::OV_KEY_GRADES,
                    grades(&o.key_grades)
                ),
                width,
            ),
            theme.dim,
        )),
        Line::from(vec![
            Span::raw(format!("{}{}", s::OV_RECTS, rects.join(" "))),
            Span::styled(
                format!("{}{}", s::OV_OVERDUE, o.rect_overdue),
                if o.rect_overdue > 0 {
                    theme.blocking
                } else {
                    theme.message
                },
            ),
        ]),
    ];
    frame.render_widget(Paragraph::new(lines), row(used + charts_h, bottom));
}

/// `目标申报 单位 71/124 部分52 ====--- 资金 35.39亿/36.36亿 97.3% ====-`: units
/// every project of which is covered (and those partly covered), funds of
/// the projects covered — one definition behind both gauges.
fn draw_coverage(frame: &mut Frame, theme: &Theme, area: Rect, o: &Overview, c: &crate::store::Coverage) {
    let label_w = 9;
    let rest = area.width.saturating_sub(label_w);
    let half = rest / 2;
    frame.render_widget(
        Paragraph::new(pad_to_width(s::coverage_label(c.step), label_w as usize)),
        Rect { width: label_w, ..area },
    );
    let units = ratio(Decimal::from(c.units), Decimal::from(o.units_total));
    let funds = ratio(c.funds, o.funds_total);
    let gauge = |label: String, r: f64| {
        LineGauge::default()
            .ratio(r)
            .label(label)
            .filled_symbol("=")
            .unfilled_symbol("-")
            .filled_style(if r >= 1.0 { theme.message } else { theme.warning })
            .unfilled_style(theme.dim)
    };
    frame.render_widget(
        gauge(
            if c.units_partly > 0 {
                format!(
                    "{}{}/{}{}{}",
                    s::OV_UNITS,
                    c.units,
                    o.units_total,
                    s::OV_UNITS_PARTLY,
                    c.units_partly
                )
            } else {
                format!("{}{}/{}", s::OV_UNITS, c.units, o.units_total)
            },
            units,
        ),
        Rect {
            x: area.x + label_w,
            width: half.saturating_sub(1),
            ..area
        },
    );
    let funds_pct = if o.funds_total > Decimal::ZERO {
        format_percent(c.funds / o.funds_total)
    } else {
        String::from("-")
    };
    frame.render_widget(
        gauge(
            format!("{}{}/{} {funds_pct}", s::OV_FUNDS, yi(c.funds), yi(o.funds_total)),
            funds,
        ),
        Rect {
            x: area.x + label_w + half,
            width: rest - half,
            ..area
        },
    );
}

fn chart<'a>(bars: Vec<Bar<'a>>, max: u64, theme: &Theme) -> BarChart<'a> {
    BarChart::horizontal(Vec::<Bar>::new())
        .data(BarGroup::new(bars))
        .bar_set(ASCII_BARS)
        .bar_width(1)
        .bar_gap(0)
        .max(max.max(1))
        .bar_style(theme.info)
        .value_style(theme.header)
}

/// Share of each section's items (all review stages) that are decided.
fn draw_sections(frame: &mut Frame, theme: &Theme, area: Rect, o: &Overview) {
    let mut by: Vec<(String, i64, i64)> = Vec::new();
    for p in &o.sections {
        match by.iter_mut().find(|(sec, ..)| *sec == p.section) {
            Some(e) => {
                e.1 += p.total;
                e.2 += p.decided;
            }
            None => by.push((p.section.clone(), p.total, p.decided)),
        }
    }
    let bars: Vec<Bar> = by
        .iter()
        .take(area.height.saturating_sub(1) as usize)
        .map(|(sec, total, decided)| {
            let pct = if *total > 0 { decided * 100 / total } else { 0 };
            Bar::with_label(short(sec), pct as u64).text_value(format!("{pct}%"))
        })
        .collect();
    frame.render_widget(
        Paragraph::new(Span::styled(s::OV_SECTIONS, theme.dim)),
        Rect { height: 1, ..area },
    );
    frame.render_widget(chart(bars, 100, theme), below_title(area));
}

fn draw_exceptions(frame: &mut Frame, theme: &Theme, area: Rect, o: &Overview) {
    let max = o.exceptions.iter().map(|(_, n)| *n).max().unwrap_or(1) as u64;
    let bars: Vec<Bar> = o
        .exceptions
        .iter()
        .take(area.height.saturating_sub(1) as usize)
        .map(|(sec, n)| Bar::with_label(short(sec), *n as u64).text_value(n.to_string()))
        .collect();
    frame.render_widget(
        Paragraph::new(Span::styled(s::OV_EXCEPTIONS, theme.dim)),
        Rect { height: 1, ..area },
    );
    frame.render_widget(chart(bars, max, theme), below_title(area));
}

fn below_title(area: Rect) -> Rect {
    Rect {
        y: area.y + 1,
        height: area.height.saturating_sub(1),
        ..area
    }
}

/// Section names are short already; cut the rare long one so the bars keep their room.
fn short(section: &str) -> String {
    truncate_to_width(&sanitize(section), 10)
}
