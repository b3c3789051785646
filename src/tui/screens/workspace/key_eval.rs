//! Key evaluations (重点绩效评价): the object, the firm, the amount; the three
//! process documents with their received dates (`1`–`3` tick or untick, dated
//! today); score and grade; each problem the firm found turned into a
//! rectification with `x` (j/k pick the problem, then scroll on). Closing
//! (`a`) is refused by the store while a document is missing (不漏项).

use super::{StageState, Workspace, ensure_visible, finding_line, rectification_lines, section};
use crate::config::Action;
use crate::domain::key_eval_docs::KeyEvalDoc;
use crate::domain::money::format_wan;
use crate::domain::text::sanitize;
use crate::store::{ItemDetail, UndoStep};
use crate::tui::overlay::EditPurpose;
use crate::tui::prompt::StagePrompt;
use crate::tui::reader::Doc;
use crate::tui::screens::Effect;
use crate::tui::session::Session;
use crate::tui::strings as s;
use crate::tui::theme::Theme;
use crate::tui::wrap::Para;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// The stage's own actions; None when the action is not one of them.
pub fn action(ws: &mut Workspace, ses: &mut Session, action: Action) -> anyhow::Result<Option<Effect>> {
    let effect = match action {
        // Down/Up pick the next problem; past the first or last they fall
        // through to the workspace's scrolling, as the hint line says.
        Action::Down => return Ok(move_problem(ws, 1).then_some(Effect::None)),
        Action::Up => return Ok(move_problem(ws, -1).then_some(Effect::None)),
        Action::ResultConfirm => super::self_eval::confirm_result(ws, ses)?,
        Action::ResultChange => {
            ses.ask(StagePrompt::ResultChange);
            Effect::None
        }
        Action::Pick1 | Action::Pick2 | Action::Pick3 => match action.pick().and_then(|i| KeyEvalDoc::ALL.get(i)) {
            Some(doc) => toggle_document(ws, ses, *doc)?,
            None => Effect::None,
        },
        Action::Rectify => {
            problem_to_rectification(ws, ses);
            Effect::None
        }
        Action::Approve => close(ws, ses)?,
        _ => return Ok(None),
    };
    Ok(Some(effect))
}

fn toggle_document(ws: &Workspace, ses: &mut Session, doc: KeyEvalDoc) -> anyhow::Result<Effect> {
    let Some(ke) = &ws.item.key_eval else {
        ses.message = Some(s::KE_NOT_KEY_EVAL.into());
        return Ok(Effect::None);
    };
    let (id, version) = (ws.item.review.id, ws.item.review.version);
    let was = doc.received(&ke.documents);
    let on = match was {
        Some(_) => None,
        None => Some(ses.today),
    };
    match ses.store.set_key_eval_document(id, version, doc, on, &ses.user) {
        Ok(after) => {
            let verb = if on.is_some() {
                s::UNDO_DOC_TICK
            } else {
                s::UNDO_DOC_UNTICK
            };
            let what = format!("{verb}《{}》 {}", doc.label(), ses.item_label(id));
            let step = UndoStep::Document {
                review_id: id,
                doc,
                before: was,
                version_after: after.version,
            };
            ses.remember(what, vec![step]);
            let verb = if on.is_some() { s::KE_TICKED } else { s::KE_UNTICKED };
            ses.message = Some(format!("{verb}《{}》", doc.label()));
        }
        Err(e) => ses.message = Some(e.to_string()),
    }
    Ok(Effect::Changed(id))
}

/// Moves the problem cursor; false when there is no problem that way.
fn move_problem(ws: &mut Workspace, delta: i64) -> bool {
    let n = ws.item.key_eval.as_ref().map_or(0, |k| k.problems.len()) as i64;
    let to = ws.stage.cursor() as i64 + delta;
    if n == 0 || !(0..n).contains(&to) {
        return false;
    }
    if let StageState::KeyEval { problem, .. } = &mut ws.stage {
        *problem = to as usize;
    }
    let line = to as usize + 1;
    ensure_visible(ws, line);
    true
}

fn problem_to_rectification(ws: &Workspace, ses: &mut Session) {
    let id = ws.item.review.id;
    match ws
        .item
        .key_eval
        .as_ref()
        .and_then(|k| k.problems.get(ws.stage.cursor()))
    {
        Some(p) => ws.open_editor(
            ses,
            s::RECT_EDIT_TITLE,
            p,
            EditPurpose::NewRectification { review_id: id },
        ),
        None => ws.new_rectification(ses),
    }
}

fn close(ws: &mut Workspace, ses: &mut Session) -> anyhow::Result<Effect> {
    // Other blocking findings still need the reviewer's reason; the store
    // refuses a missing document whatever the override says.
    ws.approve(ses)
}

// ---- drawing --------------------------------------------------------------------

pub fn panel(d: &Workspace, theme: &Theme, _width: usize) -> Vec<Para> {
    let Some(ke) = &d.item.key_eval else {
        return vec![Line::from(Span::styled(s::KE_NOT_KEY_EVAL.to_string(), theme.dim)).into()];
    };
    let score = ke
        .score
        .map_or(s::KE_NO_SCORE.to_string(), |x| x.round_dp(2).to_string());
    let grade = ke.grade.map_or(s::KE_NO_SCORE, |g| g.label());
    let mut out: Vec<Para> = vec![
        Line::from(format!(
            "{}{}  {}{}  {}{}{}",
            s::KE_OBJECT,
            sanitize(&ke.object_code),
            s::KE_FIRM,
            sanitize(&ke.firm),
            s::KE_AMOUNT,
            format_wan(ke.amount, 2),
            s::WAN
        ))
        .into(),
        Line::from(format!("{}{score}  {}{grade}", s::KE_SCORE, s::KE_GRADE)).into(),
        Para::hang(
            super::self_eval::result_line(d, theme),
            crate::domain::text::display_width(s::RESULT_APP),
        ),
        Line::from(Span::styled(s::KE_DOCS.to_string(), theme.dim)).into(),
    ];
    for (i, doc) in KeyEvalDoc::ALL.iter().enumerate() {
        let (mark, date, style) = match doc.received(&ke.documents) {
            Some(on) => ("[x]", on.to_string(), Style::new()),
            None => ("[ ]", s::KE_NOT_RECEIVED.to_string(), theme.blocking),
        };
        out.push(Line::from(Span::styled(format!(" {} {mark} {} {date}", i + 1, doc.label()), style)).into());
    }
    out
}

pub fn body(d: &Workspace, theme: &Theme, _width: usize) -> Vec<Para> {
    let item = &d.item;
    let mut out = vec![section(theme, s::KE_PROBLEMS)];
    match &item.key_eval {
        Some(ke) if !ke.problems.is_empty() => {
            for (i, p) in ke.problems.iter().enumerate() {
                let style = if i == d.stage.cursor() {
                    theme.selected
                } else {
                    Style::new()
                };
                out.push(Line::from(Span::styled(format!("{}. {}", i + 1, sanitize(p)), style)).into());
            }
        }
        _ => out.push(Line::from(s::KE_NO_PROBLEMS).into()),
    }
    out.push(section(
        theme,
        &format!("{}({})", s::DETAIL_FINDINGS, item.findings.len()),
    ));
    if item.findings.is_empty() {
        out.push(Line::from(s::DETAIL_NO_FINDINGS).into());
    }
    out.extend(item.findings.iter().map(|f| finding_line(theme, f)));
    out.extend(rectification_lines(theme, item));
    out
}

/// The key evaluation's texts for the reader: the firm's problems and the findings.
pub fn reader(item: &ItemDetail, doc: &mut Doc) {
    doc.section(s::READER_KE_PROBLEMS);
    match &item.key_eval {
        Some(ke) if !ke.problems.is_empty() => {
            for (i, p) in ke.problems.iter().enumerate() {
                doc.line(crate::tui::reader::Kind::Text, &format!("{}. {}", i + 1, p));
            }
        }
        Some(_) => doc.text_or("", s::KE_NO_PROBLEMS),
        None => doc.text_or("", s::KE_NOT_KEY_EVAL),
    }
    doc.findings(&item.findings);
}
