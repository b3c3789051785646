//! Key evaluations (重点绩效评价): the object, the firm, the amount; the three
//! process documents with their received dates (`1`–`3` tick or untick, dated
//! today); score and grade; each problem the firm found turned into a
//! rectification with `x` (j/k pick the problem, then scroll on). Closing
//! (`a`) is refused by the store while a document is missing (不漏项).

use super::{
    Detail, StagePrompt, ask, ensure_visible, finding_line, open_editor, rectification_lines, reload, section,
};
use crate::config::Action;
use crate::domain::key_eval_docs::KeyEvalDoc;
use crate::domain::money::format_wan;
use crate::domain::rules::key_eval_findings_in;
use crate::domain::states::ReviewAction;
use crate::domain::text::sanitize;
use crate::store::{ItemDetail, UndoStep};
use crate::tui::app::{App, EditPurpose};
use crate::tui::reader::Doc;
use crate::tui::strings as s;
use crate::tui::theme::Theme;
use crate::tui::wrap::Para;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

pub fn key(app: &mut App, key: KeyEvent) -> anyhow::Result<bool> {
    match super::action_of(app, &key) {
        // Down/Up pick the next problem; past the first or last they fall
        // through to the workspace's scrolling, as the hint line says.
        Some(Action::Down) => return Ok(move_problem(app, 1)),
        Some(Action::Up) => return Ok(move_problem(app, -1)),
        Some(Action::ResultConfirm) => super::self_eval::confirm_result(app)?,
        Some(Action::ResultChange) => ask(app, StagePrompt::ResultChange),
        _ => match key.code {
            KeyCode::Char(c @ '1'..='3') => toggle_document(app, KeyEvalDoc::ALL[(c as usize) - ('1' as usize)])?,
            KeyCode::Char('x') => problem_to_rectification(app)?,
            KeyCode::Char('a') => close(app)?,
            _ => return Ok(false),
        },
    }
    Ok(true)
}

fn toggle_document(app: &mut App, doc: KeyEvalDoc) -> anyhow::Result<()> {
    let Some(d) = app.detail.as_ref() else { return Ok(()) };
    let Some(ke) = &d.item.key_eval else {
        app.message = Some(s::KE_NOT_KEY_EVAL.into());
        return Ok(());
    };
    let (id, version) = (d.item.review.id, d.item.review.version);
    let on = match doc.received(&ke.documents) {
        Some(_) => None,
        None => Some(app.today),
    };
    let was = doc.received(&ke.documents);
    match app.store.set_key_eval_document(id, version, doc, on, &app.user) {
        Ok(after) => {
            let verb = if on.is_some() {
                s::UNDO_DOC_TICK
            } else {
                s::UNDO_DOC_UNTICK
            };
            let what = format!("{verb}《{}》 {}", doc.label(), app.item_label(id));
            let step = UndoStep::Document {
                review_id: id,
                doc,
                before: was,
                version_after: after.version,
            };
            app.remember(what, vec![step]);
            let verb = if on.is_some() { s::KE_TICKED } else { s::KE_UNTICKED };
            app.message = Some(format!("{verb}《{}》", doc.label()));
            reload(app)?;
            refresh_document_findings(app)?;
            app.after_decision(id)?;
        }
        Err(e) => app.message = Some(e.to_string()),
    }
    reload(app)
}

/// The K-DOC findings follow the documents: recompute this item's key-evaluation
/// findings (keeping those on the opinion) without re-running the whole year.
fn refresh_document_findings(app: &mut App) -> anyhow::Result<()> {
    let Some(id) = app.detail.as_ref().map(|d| d.item.review.id) else {
        return Ok(());
    };
    refresh_document_findings_of(app, id)
}

/// The same for any key-evaluation item (an undo may touch one not open).
pub fn refresh_document_findings_of(app: &mut App, review_id: i64) -> anyhow::Result<()> {
    let Some(item) = app.store.item_detail(review_id)? else {
        return Ok(());
    };
    let Some(ke) = &item.key_eval else { return Ok(()) };
    let mut found = key_eval_findings_in(ke, &item.unit.code, &app.config.rules);
    found.extend(item.findings.iter().filter(|f| f.rule.starts_with("R-")).cloned());
    app.store.replace_findings(review_id, &found)?;
    Ok(())
}

/// Moves the problem cursor; false when there is no problem that way.
fn move_problem(app: &mut App, delta: i64) -> bool {
    let Some(d) = app.detail.as_mut() else { return false };
    let n = d.item.key_eval.as_ref().map_or(0, |k| k.problems.len()) as i64;
    let to = d.cursor as i64 + delta;
    if n == 0 || !(0..n).contains(&to) {
        return false;
    }
    d.cursor = to as usize;
    let line = d.cursor + 1;
    ensure_visible(d, line);
    true
}

fn problem_to_rectification(app: &mut App) -> anyhow::Result<()> {
    let Some(d) = app.detail.as_ref() else { return Ok(()) };
    let id = d.item.review.id;
    let problem = d.item.key_eval.as_ref().and_then(|k| k.problems.get(d.cursor)).cloned();
    match problem {
        Some(p) => {
            open_editor(
                app,
                s::RECT_EDIT_TITLE,
                &p,
                EditPurpose::NewRectification { review_id: id },
            );
        }
        None => super::new_rectification(app)?,
    }
    Ok(())
}

fn close(app: &mut App) -> anyhow::Result<()> {
    let Some(d) = app.detail.as_ref() else { return Ok(()) };
    let (id, version, blocking) = (d.item.review.id, d.item.review.version, d.item.blocking());
    if blocking > 0 {
        // Other blocking findings still need the reviewer's reason; the store
        // refuses a missing document whatever the override says.
        let initial = d.item.review.opinion.clone();
        open_editor(app, s::EDIT_OVERRIDE, &initial, EditPurpose::Override { id, version });
        return Ok(());
    }
    app.decide_one(
        id,
        version,
        ReviewAction::Approve {
            override_blocking: false,
        },
        "",
    )?;
    reload(app)
}

// ---- drawing --------------------------------------------------------------------

pub fn panel(d: &Detail, theme: &Theme, _width: usize) -> Vec<Para> {
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

pub fn body(d: &Detail, theme: &Theme, _width: usize) -> Vec<Para> {
    let item = &d.item;
    let mut out = vec![section(theme, s::KE_PROBLEMS)];
    match &item.key_eval {
        Some(ke) if !ke.problems.is_empty() => {
            for (i, p) in ke.problems.iter().enumerate() {
                let style = if i == d.cursor { theme.selected } else { Style::new() };
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
