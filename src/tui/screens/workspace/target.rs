//! Target audit (绩效目标审核): the indicator tree with findings on their rows,
//! the four verdicts of 88号 and the conclusion they give; the verdicts'
//! reasons start the return opinion. 部门整体 targets are reviewed the same way.

use super::{StageState, Workspace, findings_and_tree, section, severity_style};
use crate::config::Action;
use crate::domain::model::{Verdict, Verdicts};
use crate::domain::target_audit::{
    ConclusionOverride, check_approval, check_return, conclusion, derived_conclusion, fail_lines, meaning,
};
use crate::domain::text::{display_width, sanitize};
use crate::domain::{Criterion, Grade, Level1, Level2};
use crate::store::{ItemDetail, UndoStep};
use crate::tui::overlay::EditPurpose;
use crate::tui::prompt::StagePrompt;
use crate::tui::reader::{Doc, Kind};
use crate::tui::screens::Effect;
use crate::tui::session::Session;
use crate::tui::strings as s;
use crate::tui::theme::Theme;
use crate::tui::wrap::Para;
use ratatui::text::{Line, Span};

/// The stage's own actions; None when the action is not one of them.
pub fn action(ws: &mut Workspace, ses: &mut Session, action: Action) -> anyhow::Result<Option<Effect>> {
    let effect = match action {
        Action::Pick1 | Action::Pick2 | Action::Pick3 | Action::Pick4 => {
            set_criterion(ws, action.pick().unwrap_or(0));
            Effect::None
        }
        Action::Pass => set_verdict(ws, ses, Verdict::Pass)?,
        Action::Fail => {
            ses.ask(StagePrompt::FailReason(criterion(ws)));
            Effect::None
        }
        Action::Conclusion => {
            ses.ask(StagePrompt::Conclusion);
            Effect::None
        }
        Action::Approve => approve(ws, ses)?,
        Action::Return => {
            send_back(ws, ses)?;
            Effect::None
        }
        _ => return Ok(None),
    };
    Ok(Some(effect))
}

fn criterion(ws: &Workspace) -> Criterion {
    Criterion::ALL[ws.stage.cursor().min(Criterion::ALL.len() - 1)]
}

fn set_criterion(ws: &mut Workspace, i: usize) {
    if let StageState::Target { criterion } = &mut ws.stage {
        *criterion = i.min(Criterion::ALL.len() - 1);
    }
}

/// Saves the verdicts; the effect says whether the store took them (the
/// reason for a refusal is in the message line).
fn save(ws: &Workspace, ses: &mut Session, verdicts: &Verdicts, done: String) -> anyhow::Result<(bool, Effect)> {
    let (id, version) = (ws.item.review.id, ws.item.review.version);
    let before = ws.item.review.clone();
    match ses.store.save_verdicts(id, version, verdicts, &ses.user) {
        Ok(after) => {
            let what = format!("{} {}", s::UNDO_VERDICTS, ses.item_label(id));
            let version_after = after.version;
            ses.remember(what, vec![UndoStep::Review { before, version_after }]);
            ses.message = Some(done);
            Ok((true, Effect::Changed(id)))
        }
        Err(e) => {
            ses.message = Some(e.to_string());
            Ok((false, Effect::Changed(id)))
        }
    }
}

fn set_verdict(ws: &mut Workspace, ses: &mut Session, verdict: Verdict) -> anyhow::Result<Effect> {
    let mut v = ws.item.review.verdicts.clone();
    let c = criterion(ws);
    let shown = match &verdict {
        Verdict::Pass => s::PASS.to_string(),
        Verdict::Fail(r) => format!("{}{r}", s::FAIL),
    };
    v.set(c, Some(verdict));
    let (saved, effect) = save(ws, ses, &v, format!("{}{} {shown}", s::VERDICT_SAVED, c.label()))?;
    // On to the next criterion: four keystrokes for a clean target.
    if saved {
        set_criterion(ws, ws.stage.cursor() + 1);
    }
    Ok(effect)
}

pub fn fail_with(ws: &mut Workspace, ses: &mut Session, c: Criterion, reason: &str) -> anyhow::Result<Effect> {
    set_criterion(ws, Criterion::ALL.iter().position(|x| *x == c).unwrap_or(0));
    set_verdict(ws, ses, Verdict::Fail(reason.trim().to_string()))
}

/// `c`: "中 理由" sets the conclusion; the derived one's grade clears the override.
pub fn change_conclusion(ws: &mut Workspace, ses: &mut Session, text: &str) -> anyhow::Result<Effect> {
    let mut v = ws.item.review.verdicts.clone();
    let text = text.trim();
    let Some(first) = text.chars().next() else {
        return Ok(Effect::None);
    };
    let Some(grade) = Grade::parse(&first.to_string()) else {
        ses.message = Some(s::CONCLUSION_BAD.into());
        return Ok(Effect::None);
    };
    let reason = text[first.len_utf8()..].trim().to_string();
    v.conclusion = (Some(grade) != derived_conclusion(&v)).then_some(ConclusionOverride { grade, reason });
    Ok(save(ws, ses, &v, format!("{}{}", s::CONCLUSION, grade.label()))?.1)
}

fn approve(ws: &mut Workspace, ses: &mut Session) -> anyhow::Result<Effect> {
    if let Err(e) = check_approval(&ws.item.review.verdicts) {
        ses.message = Some(e.to_string());
        return Ok(Effect::None);
    }
    ws.approve(ses)
}

fn send_back(ws: &Workspace, ses: &mut Session) -> anyhow::Result<()> {
    if let Err(e) = check_return(&ws.item.review.verdicts) {
        ses.message = Some(e.to_string());
        return Ok(());
    }
    let (id, version) = (ws.item.review.id, ws.item.review.version);
    let draft = ses.store.draft(&ses.user, id)?.map(|d| d.text);
    let initial = draft.unwrap_or_else(|| return_opinion(&ws.item));
    ws.open_editor(ses, s::EDIT_RETURN, &initial, EditPurpose::Return { id, version });
    Ok(())
}

/// The return opinion to start from: the conclusion, each failed criterion, each finding.
pub fn return_opinion(item: &ItemDetail) -> String {
    let v = &item.review.verdicts;
    let grade = conclusion(v).unwrap_or(Grade::Fair);
    let mut text = format!("{}{}」：{}。\n", s::RETURN_TARGET_HEAD, grade.label(), meaning(grade));
    let mut n = 0;
    for line in fail_lines(v) {
        n += 1;
        text.push_str(&format!("{n}. {line}\n"));
    }
    for f in item.findings.iter().filter(|f| !f.is_review_quality()) {
        n += 1;
        text.push_str(&format!("{n}. {}\n", sanitize(&f.message)));
    }
    text.push_str(s::RETURN_TARGET_TAIL);
    text
}

// ---- drawing --------------------------------------------------------------------

pub fn panel(d: &Workspace, theme: &Theme, _width: usize) -> Vec<Para> {
    let v = &d.item.review.verdicts;
    let mut out = Vec::with_capacity(5);
    for (i, c) in Criterion::ALL.iter().enumerate() {
        let mark = if i == d.stage.cursor() { ">" } else { " " };
        let (text, style) = match v.get(*c) {
            None => (s::NOT_GIVEN.to_string(), theme.dim),
            Some(Verdict::Pass) => (s::PASS.to_string(), ratatui::style::Style::new()),
            Some(Verdict::Fail(r)) => (format!("{}{}", s::FAIL, sanitize(r)), theme.blocking),
        };
        let label_style = if i == d.stage.cursor() {
            theme.selected
        } else {
            ratatui::style::Style::new()
        };
        let head = format!("{mark}{} {} ", i + 1, c.label());
        let indent = display_width(&head);
        out.push(Para::hang(
            Line::from(vec![
                Span::raw(format!("{mark}{} ", i + 1)),
                Span::styled(c.label().to_string(), label_style),
                Span::raw(" "),
                Span::styled(text, style),
            ]),
            indent,
        ));
    }
    let conclusion_line = match conclusion(v) {
        Some(g) if derived_conclusion(v).is_some() => {
            let mut t = format!("{}{}（{}）", s::CONCLUSION, g.label(), meaning(g));
            if let (Some(o), Some(derived)) = (&v.conclusion, derived_conclusion(v)) {
                t.push_str(&format!(
                    "{}{}{}{}{}",
                    s::CONCLUSION_CHANGED_FROM,
                    derived.label(),
                    s::CONCLUSION_CHANGED_REASON,
                    sanitize(&o.reason),
                    s::CLOSE_PAREN
                ));
            }
            let style = if crate::domain::target_audit::says_return(g) {
                theme.blocking
            } else {
                theme.message
            };
            Line::from(Span::styled(t, style))
        }
        _ => Line::from(Span::styled(
            format!("{}{}", s::CONCLUSION, s::CONCLUSION_PENDING),
            theme.dim,
        )),
    };
    out.push(Para::hang(conclusion_line, display_width(s::CONCLUSION)));
    out
}

pub fn body(d: &Workspace, theme: &Theme, _width: usize) -> Vec<Para> {
    findings_and_tree(d, theme)
}

/// The indicator tree 一级 → 二级 → 三级, a `!` and the finding under each row it concerns.
pub fn tree(item: &ItemDetail, theme: &Theme) -> Vec<Para> {
    let mut out = vec![section(theme, s::DETAIL_INDICATORS)];
    if item.indicators.is_empty() {
        out.push(Line::from(s::DETAIL_NO_INDICATORS).into());
        return out;
    }
    let mut last: Option<(Level1, Level2)> = None;
    for ind in &item.indicators {
        if last.map(|(l1, _)| l1) != Some(ind.level1) {
            out.push(Line::from(ind.level1.label().to_string()).into());
        }
        if last != Some((ind.level1, ind.level2)) {
            out.push(Line::from(format!("  {}", ind.level2.label())).into());
        }
        last = Some((ind.level1, ind.level2));
        let concerns: Vec<_> = item
            .findings
            .iter()
            .filter(|f| f.indicator.as_deref() == Some(ind.name.as_str()))
            .collect();
        let mark = if concerns.is_empty() { "  " } else { "! " };
        let text = format!(
            "{mark}  {}：{} {} {}",
            sanitize(&ind.name),
            ind.direction.label(),
            sanitize(&ind.target_value),
            sanitize(&ind.measure_unit)
        );
        let style = concerns
            .iter()
            .map(|f| f.severity)
            .min()
            .map_or(ratatui::style::Style::new(), |sev| severity_style(theme, sev));
        out.push(Line::from(Span::styled(text, style)).into());
        for f in concerns {
            out.push(
                Line::from(Span::styled(
                    format!("       [{}] {}", f.severity.label(), sanitize(&f.message)),
                    severity_style(theme, f.severity),
                ))
                .into(),
            );
        }
    }
    out
}

/// The target audit's texts for the reader: the four verdicts with their
/// reasons, the conclusion, the findings, each indicator with its findings.
pub fn reader(item: &ItemDetail, doc: &mut Doc) {
    let v = &item.review.verdicts;
    doc.section(s::READER_VERDICTS);
    for c in Criterion::ALL.iter() {
        let text = match v.get(*c) {
            None => s::NOT_GIVEN.to_string(),
            Some(Verdict::Pass) => s::PASS.to_string(),
            Some(Verdict::Fail(r)) => format!("{}{}", s::FAIL, r),
        };
        doc.labelled(&format!("{} ", c.label()), &text);
    }
    let conclusion_text = match (conclusion(v), derived_conclusion(v)) {
        (Some(g), Some(derived)) => {
            let mut t = format!("{}（{}）", g.label(), meaning(g));
            if let Some(o) = &v.conclusion {
                t.push_str(&format!(
                    "{}{}{}{}{}",
                    s::CONCLUSION_CHANGED_FROM,
                    derived.label(),
                    s::CONCLUSION_CHANGED_REASON,
                    o.reason,
                    s::CLOSE_PAREN
                ));
            }
            t
        }
        _ => s::CONCLUSION_PENDING.to_string(),
    };
    doc.labelled(s::CONCLUSION, &conclusion_text);
    doc.findings(&item.findings);
    doc.section(s::READER_INDICATORS);
    if item.indicators.is_empty() {
        doc.text_or("", s::DETAIL_NO_INDICATORS);
    }
    for ind in &item.indicators {
        doc.line(
            Kind::Text,
            &format!(
                "{} > {} > {}：{} {} {}",
                ind.level1.label(),
                ind.level2.label(),
                ind.name,
                ind.direction.label(),
                ind.target_value,
                ind.measure_unit
            ),
        );
        for f in item
            .findings
            .iter()
            .filter(|f| f.indicator.as_deref() == Some(ind.name.as_str()))
        {
            doc.finding_indented(f, 2);
        }
    }
}
