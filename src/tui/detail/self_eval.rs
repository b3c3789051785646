//! Self-evaluation review (绩效自评审核): the self score against the
//! recomputed one, line by line (which indicator lost how much and why), the
//! grade, year-end execution beside October's. The opinion must answer each
//! finding — the editor starts with one paragraph per finding — and an
//! opinion that is only 数据确认 is refused on an item with findings.

use super::{Detail, StagePrompt, ask, finding_line, open_opinion, reload, section};
use crate::config::Config;
use crate::domain::Finding;
use crate::domain::ReviewState;
use crate::domain::money::{format_percent, format_wan};
use crate::domain::result_application::{ResultChoice, Suggestion, parse_change, suggest};
use crate::domain::rules::review_findings;
use crate::domain::scoring::{ScoreCard, ScoreInput, score};
use crate::domain::text::{pad_left_to_width, pad_to_width, sanitize};
use crate::store::ItemDetail;
use crate::tui::app::App;
use crate::tui::strings as s;
use crate::tui::theme::Theme;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use rust_decimal::Decimal;

pub fn key(app: &mut App, key: KeyEvent) -> anyhow::Result<bool> {
    let KeyCode::Char(c) = key.code else { return Ok(false) };
    match c {
        'a' => approve(app)?,
        'y' => confirm_result(app)?,
        'm' => ask(app, StagePrompt::ResultChange),
        'o' => open_opinion(app, super::EditKind::Opinion)?,
        _ => return Ok(false),
    }
    Ok(true)
}

/// The recomputed score of a self-evaluation item (None for other stages).
pub fn score_card(item: &ItemDetail, config: &Config) -> Option<ScoreCard> {
    if item.review.stage != crate::domain::Stage::SelfEval {
        return None;
    }
    let (project, self_eval) = (item.project.as_ref()?, item.self_eval.as_ref()?);
    let input = ScoreInput {
        project,
        indicators: &item.indicators,
        self_eval,
        actuals: &item.actuals,
    };
    Some(score(&input, &config.rules.scoring, &config.rules.grades))
}

/// The editor's starting text: one numbered paragraph per finding, each with
/// an empty 审核意见： for the reviewer to answer.
pub fn opinion_paragraphs(findings: &[Finding]) -> String {
    let relevant: Vec<&Finding> = findings.iter().filter(|f| !f.rule.starts_with("R-")).collect();
    if relevant.is_empty() {
        return String::new();
    }
    let mut text = format!("{}\n", s::SE_PARAGRAPH_HEAD);
    for (i, f) in relevant.iter().enumerate() {
        text.push_str(&format!("{}. {}\n{}\n", i + 1, sanitize(&f.message), s::SE_ANSWER));
    }
    text.trim_end().to_string()
}

/// Numbers of the paragraphs whose 审核意见： was left empty.
pub fn unanswered_paragraphs(opinion: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut n = 0;
    for line in opinion.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix(s::SE_ANSWER) {
            n += 1;
            if rest.trim().is_empty() {
                out.push(n);
            }
        }
    }
    out
}

/// Why the saved opinion cannot carry an approval, if it cannot.
pub fn opinion_refusal(item: &ItemDetail, config: &Config) -> Option<String> {
    let relevant: Vec<Finding> = item
        .findings
        .iter()
        .filter(|f| !f.rule.starts_with("R-"))
        .cloned()
        .collect();
    if relevant.is_empty() {
        return None;
    }
    let unanswered = unanswered_paragraphs(&item.review.opinion);
    if !unanswered.is_empty() {
        let list: Vec<String> = unanswered.iter().map(|n| n.to_string()).collect();
        return Some(format!(
            "{}{}{}",
            s::SE_UNANSWERED,
            list.join("、"),
            s::SE_UNANSWERED_TAIL
        ));
    }
    // The review-quality rule, as if the item were approved with this opinion.
    let mut review = item.review.clone();
    review.state = ReviewState::Approved;
    review_findings(&review, &relevant, &config.rules)
        .first()
        .map(|f| format!("{}{}", s::SE_OPINION_NEEDED, f.message))
}

fn approve(app: &mut App) -> anyhow::Result<()> {
    let Some(d) = app.detail.as_ref() else { return Ok(()) };
    if let Some(why) = opinion_refusal(&d.item, &app.config) {
        app.message = Some(why);
        return Ok(());
    }
    super::approve_open_item(app)
}

/// The result-application suggestion of the open item: the key evaluation's
/// grade where there is one, else the recomputed self-evaluation grade.
pub fn suggestion(d: &Detail, config: &Config) -> Option<Suggestion> {
    let p = &config.rules.result_application;
    if let Some(ke) = &d.item.key_eval {
        let grade = ke.grade.or_else(|| ke.score.map(|x| config.rules.grades.grade(x)))?;
        return Some(suggest(grade, ke.amount, p));
    }
    let card = d.card.as_ref()?;
    let amount = d.item.project.as_ref()?.amount;
    Some(suggest(card.grade, amount, p))
}

fn record(app: &mut App, choice: ResultChoice) -> anyhow::Result<()> {
    let Some(d) = app.detail.as_ref() else { return Ok(()) };
    let Some(sug) = suggestion(d, &app.config) else {
        app.message = Some(s::RESULT_NO_GRADE.into());
        return Ok(());
    };
    let id = d.item.review.id;
    match app.store.apply_result(id, &sug, &choice, &app.user) {
        Ok(_) => app.message = Some(s::RESULT_SAVED.into()),
        Err(e) => app.message = Some(e.to_string()),
    }
    reload(app)
}

pub fn confirm_result(app: &mut App) -> anyhow::Result<()> {
    record(app, ResultChoice::Confirm)
}

pub fn change_result(app: &mut App, text: &str) -> anyhow::Result<()> {
    record(app, parse_change(text))
}

// ---- drawing --------------------------------------------------------------------

/// The result-application line shared with the key-evaluation workspace.
pub fn result_line(d: &Detail, app: &App, theme: &Theme) -> Line<'static> {
    let Some(sug) = suggestion(d, &app.config) else {
        return Line::from(Span::styled(
            format!("{}{}", s::RESULT_APP, s::RESULT_NO_GRADE),
            theme.dim,
        ));
    };
    let state = match &d.item.result {
        Some(r) if r.confirmed => s::RESULT_CONFIRMED.to_string(),
        Some(r) => format!("{}{}{}", s::RESULT_CHANGED, sanitize(&r.treatment), "]"),
        None => s::RESULT_OPEN.to_string(),
    };
    let style = if d.item.result.is_some() {
        theme.message
    } else {
        theme.warning
    };
    Line::from(vec![
        Span::raw(format!(
            "{}{} -> {}（{}{}{}{}{}）",
            s::RESULT_APP,
            sug.grade.label(),
            sug.treatment,
            s::RESULT_CUT,
            format_percent(sug.cut_share),
            s::RESULT_NEXT,
            format_wan(sug.next_amount, 2),
            s::WAN
        )),
        Span::styled(state, style),
    ])
}

pub fn panel(d: &Detail, app: &App, theme: &Theme, _width: usize) -> Vec<Line<'static>> {
    let item = &d.item;
    let (Some(se), Some(p)) = (&item.self_eval, &item.project) else {
        return vec![Line::from(Span::styled(s::SE_NONE.to_string(), theme.dim))];
    };
    let mut out = Vec::with_capacity(3);
    if let Some(card) = &d.card {
        let diff = (se.self_score - card.total).abs();
        let margin = app.config.rules.self_eval.score_margin;
        let self_grade = se
            .self_grade
            .unwrap_or_else(|| app.config.rules.grades.grade(se.self_score));
        out.push(Line::from(vec![
            Span::raw(format!(
                "{}{}（{}）  ",
                s::SE_SELF,
                se.self_score.round_dp(2),
                self_grade.label()
            )),
            Span::styled(
                format!("{}{}（{}）", s::SE_RECOMPUTED, card.total, card.grade.label()),
                theme.message,
            ),
            Span::styled(
                format!("  {}{}{}", s::SE_DIFF, diff.round_dp(2), s::SE_POINTS),
                if diff > margin { theme.blocking } else { Style::new() },
            ),
        ]));
    }
    let rate = |e: Decimal| {
        if p.amount > Decimal::ZERO {
            format_percent(e / p.amount)
        } else {
            String::from("-")
        }
    };
    let october = item.monitoring.as_ref().map_or(s::SE_NO_OCT.to_string(), |m| {
        format!(
            "{}{}{} {}",
            s::SE_OCT,
            format_wan(m.executed, 2),
            s::WAN,
            rate(m.executed)
        )
    });
    out.push(Line::from(format!(
        "{}{}{} {}  {october}",
        s::SE_EXEC,
        format_wan(se.executed, 2),
        s::WAN,
        rate(se.executed)
    )));
    out.push(result_line(d, app, theme));
    out
}

pub fn body(d: &Detail, theme: &Theme, width: usize) -> Vec<Line<'static>> {
    let item = &d.item;
    let mut out = vec![section(
        theme,
        &format!("{}({})", s::DETAIL_FINDINGS, item.findings.len()),
    )];
    if item.findings.is_empty() {
        out.push(Line::from(s::DETAIL_NO_FINDINGS));
    }
    out.extend(item.findings.iter().map(|f| finding_line(theme, f)));
    if let Some(card) = &d.card {
        out.push(section(theme, s::SE_LINES));
        let name_w = width.saturating_sub(6 * 3 + 4).min(24);
        for l in &card.lines {
            let group = l.group.map_or(String::new(), |g| format!("[{}]", g.label()));
            let lost = l.lost();
            let text = format!(
                "{} {} {} {}  {}",
                pad_to_width(&sanitize(&format!("{group}{}", l.item)), name_w),
                pad_left_to_width(&l.weight.round_dp(2).to_string(), 6),
                pad_left_to_width(&l.earned.round_dp(2).to_string(), 6),
                pad_left_to_width(
                    &if lost > Decimal::ZERO {
                        format!("-{}", lost.round_dp(2))
                    } else {
                        String::new()
                    },
                    6
                ),
                sanitize(&l.reason)
            );
            let style = if lost > Decimal::ZERO {
                theme.warning
            } else {
                Style::new()
            };
            out.push(Line::from(Span::styled(text, style)));
        }
    }
    if let Some(se) = &item.self_eval {
        out.push(section(theme, s::SE_REPORT));
        for t in [&se.report, &se.problems, &se.measures] {
            let t = sanitize(t.trim());
            out.push(Line::from(if t.is_empty() { s::MON_EMPTY.to_string() } else { t }));
        }
    }
    out.extend(super::target::tree(item, theme));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_left_empty_are_found() {
        let text = "经审核：\n1. 自评得分偏高\n审核意见：已核减 8 分\n2. 缺少实际值\n审核意见：\n";
        assert_eq!(unanswered_paragraphs(text), vec![2]);
        assert!(unanswered_paragraphs("数据确认").is_empty());
    }
}
