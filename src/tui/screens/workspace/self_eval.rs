//! Self-evaluation review (绩效自评审核): the self score against the
//! recomputed one, line by line (which indicator lost how much and why), the
//! grade, year-end execution beside October's. The opinion must answer each
//! finding — the editor starts with one paragraph per finding — and an
//! opinion that is only 数据确认 is refused on an item with findings (the
//! rule is `domain::opinion`, enforced by the store on every approval).

use super::{StageState, Workspace, finding_line, section};
use crate::config::{Action, Config};
use crate::domain::money::{format_percent, format_wan};
use crate::domain::opinion::{OpinionRules, approval_gap, refusal_text};
use crate::domain::result_application::{ResultChoice, ResultStatus, parse_change};
use crate::domain::scoring::{ScoreCard, ScoreInput, score};
use crate::domain::text::{display_width, pad_left_to_width, pad_to_width, sanitize, sanitize_lines};
use crate::store::ItemDetail;
use crate::tui::prompt::StagePrompt;
use crate::tui::reader::Doc;
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
        Action::ResultConfirm => confirm_result(ws, ses)?,
        Action::ResultChange => {
            ses.ask(StagePrompt::ResultChange);
            Effect::None
        }
        Action::Approve => approve(ws, ses)?,
        _ => return Ok(None),
    };
    Ok(Some(effect))
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

/// Approves the open item. The store refuses an opinion that does not answer
/// the findings; asking the same rule first spares the reviewer the override
/// editor for an opinion that cannot pass.
fn approve(ws: &mut Workspace, ses: &mut Session) -> anyhow::Result<Effect> {
    let item = &ws.item;
    let rules = OpinionRules::from(&ses.config.rules.review);
    if let Some(gap) = approval_gap(item.review.stage, &item.review.opinion, &item.findings, rules) {
        let project = item.project.as_ref().map_or("", |p| p.name.as_str());
        ses.message = Some(format!(
            "{}{}",
            refusal_text(&item.unit.name, project, &gap),
            s::SE_EDIT_HINT
        ));
        return Ok(Effect::None);
    }
    ws.approve(ses)
}

/// Records the reviewer's answer to the item's result-application row.
fn record(ws: &Workspace, ses: &mut Session, choice: ResultChoice) -> anyhow::Result<Effect> {
    let Some(row) = ws.stage.result().cloned() else {
        let why = if ws.item.project.is_none() {
            s::RESULT_NO_PROJECT
        } else {
            s::RESULT_NO_GRADE
        };
        ses.message = Some(why.into());
        return Ok(Effect::None);
    };
    ses.answer_result(&row, &choice);
    Ok(Effect::Changed(ws.item.review.id))
}

pub fn confirm_result(ws: &Workspace, ses: &mut Session) -> anyhow::Result<Effect> {
    record(ws, ses, ResultChoice::Confirm)
}

pub fn change_result(ws: &Workspace, ses: &mut Session, text: &str) -> anyhow::Result<Effect> {
    record(ws, ses, parse_change(text))
}

// ---- drawing --------------------------------------------------------------------

/// The result-application line shared with the key-evaluation workspace:
/// the project's row as the 结果应用 tab shows it (the key evaluation's grade
/// where there is one, else the recomputed self-evaluation grade).
pub fn result_line(d: &Workspace, theme: &Theme) -> Line<'static> {
    let Some(row) = d.stage.result() else {
        // A key evaluation of a unit with no 部门整体 project has no project to answer for.
        let why = if d.item.project.is_none() {
            s::RESULT_NO_PROJECT
        } else {
            s::RESULT_NO_GRADE
        };
        return Line::from(Span::styled(format!("{}{why}", s::RESULT_APP), theme.dim));
    };
    let sug = &row.suggestion;
    let status = row.status();
    let state = match (&row.answer, status) {
        (_, ResultStatus::Outdated) => s::RESULT_OUTDATED.to_string(),
        (Some(a), ResultStatus::Changed) => format!("{}{}]", s::RESULT_CHANGED, sanitize(&a.treatment)),
        (_, ResultStatus::Confirmed) => s::RESULT_CONFIRMED.to_string(),
        _ => s::RESULT_OPEN.to_string(),
    };
    let style = if status.is_open() { theme.warning } else { theme.message };
    // The answer first: it is what the reviewer looks for, and the suggestion
    // is cut at 80 columns.
    Line::from(vec![
        Span::raw(s::RESULT_APP),
        Span::styled(state, style),
        Span::raw(format!(
            " {}({}) -> {}（{}{}{}{}{}）",
            sug.grade.label(),
            row.source.label(),
            sug.treatment,
            s::RESULT_CUT,
            format_percent(sug.cut_share),
            s::RESULT_NEXT,
            format_wan(sug.next_amount, 2),
            s::WAN
        )),
    ])
}

pub fn panel(d: &Workspace, ses: &Session, theme: &Theme, _width: usize) -> Vec<Para> {
    let item = &d.item;
    let (Some(se), Some(p)) = (&item.self_eval, &item.project) else {
        return vec![Line::from(Span::styled(s::SE_NONE.to_string(), theme.dim)).into()];
    };
    let mut out = Vec::with_capacity(3);
    if let StageState::SelfEval { card: Some(card), .. } = &d.stage {
        let diff = (se.self_score - card.total).abs();
        let margin = ses.config.rules.self_eval.score_margin;
        let self_grade = se
            .self_grade
            .unwrap_or_else(|| ses.config.rules.grades.grade(se.self_score));
        out.push(Para::from(Line::from(vec![
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
        ])));
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
    out.push(
        Line::from(format!(
            "{}{}{} {}  {october}",
            s::SE_EXEC,
            format_wan(se.executed, 2),
            s::WAN,
            rate(se.executed)
        ))
        .into(),
    );
    out.push(Para::hang(result_line(d, theme), display_width(s::RESULT_APP)));
    out
}

pub fn body(d: &Workspace, theme: &Theme, width: usize) -> Vec<Para> {
    let item = &d.item;
    let mut out = vec![section(
        theme,
        &format!("{}({})", s::DETAIL_FINDINGS, item.findings.len()),
    )];
    if item.findings.is_empty() {
        out.push(Line::from(s::DETAIL_NO_FINDINGS).into());
    }
    out.extend(item.findings.iter().map(|f| finding_line(theme, f)));
    if let StageState::SelfEval { card: Some(card), .. } = &d.stage {
        out.push(section(theme, s::SE_LINES));
        let name_w = width.saturating_sub(6 * 3 + 4).min(24);
        for l in &card.lines {
            let group = l.group.map_or(String::new(), |g| format!("[{}]", g.label()));
            let lost = l.lost();
            let figures = format!(
                "{} {} {} {}  ",
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
            );
            let style = if lost > Decimal::ZERO {
                theme.warning
            } else {
                Style::new()
            };
            // The reason wraps in its own column.
            let indent = display_width(&figures);
            let text = format!("{figures}{}", sanitize(&l.reason));
            out.push(Para::hang(Line::from(Span::styled(text, style)), indent));
        }
    }
    if let Some(se) = &item.self_eval {
        for (head, t) in [
            (s::READER_REPORT, &se.report),
            (s::READER_PROBLEMS, &se.problems),
            (s::READER_IMPROVE, &se.measures),
        ] {
            out.push(section(theme, head));
            let t = sanitize_lines(t.trim());
            if t.trim().is_empty() {
                out.push(Para::hang(Line::from(Span::styled(s::MON_EMPTY, theme.dim)), 0));
            } else {
                out.extend(t.split('\n').map(|p| Para::hang(Line::from(p.to_string()), 0)));
            }
        }
    }
    out.extend(super::target::tree(item, theme));
    out
}

/// The self-evaluation's texts for the reader: report, problems, measures, findings.
pub fn reader(item: &ItemDetail, doc: &mut Doc) {
    if let Some(se) = &item.self_eval {
        doc.section(s::READER_REPORT);
        doc.text(&se.report);
        doc.section(s::READER_PROBLEMS);
        doc.text(&se.problems);
        doc.section(s::READER_IMPROVE);
        doc.text(&se.measures);
    } else {
        doc.section(s::READER_REPORT);
        doc.text_or("", s::SE_NONE);
    }
    doc.findings(&item.findings);
}
