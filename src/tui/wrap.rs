//! Styled lines wrapped to a width: the spans of a `Line` cut where
//! `domain::text::wrap_ranges` says, styles kept, continuation lines indented
//! under the text of the first ("[阻断] " and "1. " hang). `Paragraph`'s own
//! wrap breaks at spaces only, which Chinese does not have.

use crate::domain::text::{display_width, sanitize, wrap_ranges};
use ratatui::text::{Line, Span};

/// One logical line and the indent of its continuation lines.
#[derive(Debug, Clone)]
pub struct Para {
    pub line: Line<'static>,
    pub indent: usize,
}

impl Para {
    /// A line whose continuation lines start `indent` cells in.
    pub fn hang(line: Line<'static>, indent: usize) -> Para {
        Para { line, indent }
    }
}

/// A line whose continuation lines hang under its text (see [`auto_indent`]).
impl From<Line<'static>> for Para {
    fn from(line: Line<'static>) -> Self {
        let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
        let indent = auto_indent(&text);
        Para { line, indent }
    }
}

/// Where the text of a list line starts: after its leading spaces, a `!` or
/// `>` mark, and a label such as `[阻断] `, `1. ` or `#12 `.
pub fn auto_indent(text: &str) -> usize {
    let mut rest = text.trim_start_matches(' ');
    if let Some(r) = rest.strip_prefix("! ").or_else(|| rest.strip_prefix("> ")) {
        rest = r.trim_start_matches(' ');
    }
    let label_end = if rest.starts_with('[') {
        rest.find("] ").map(|i| i + 2)
    } else if rest.starts_with(|c: char| c.is_ascii_digit()) {
        let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        rest[digits..].starts_with(". ").then_some(digits + 2)
    } else {
        None
    };
    if let Some(end) = label_end.filter(|e| *e <= 16) {
        rest = &rest[end..];
    }
    display_width(text) - display_width(rest)
}

/// Wraps one styled line to `width` cells. Continuation lines start with
/// `indent` spaces, unless that would leave them less than half the width and
/// under 16 cells.
pub fn wrap_line(line: &Line<'_>, width: usize, indent: usize) -> Vec<Line<'static>> {
    let width = width.max(1);
    let indent = if indent * 2 <= width || indent + 16 <= width {
        indent
    } else {
        0
    };
    // The line's text, and where each span's part of it ends.
    let mut text = String::new();
    let mut parts = Vec::with_capacity(line.spans.len());
    for span in &line.spans {
        text.push_str(&sanitize(&span.content));
        parts.push((text.len(), span.style));
    }
    let mut out = Vec::new();
    for (n, range) in wrap_ranges(&text, width, width - indent).into_iter().enumerate() {
        let end = range.start + text[range.clone()].trim_end_matches(' ').len();
        let mut spans = Vec::new();
        if n > 0 && indent > 0 {
            spans.push(Span::raw(" ".repeat(indent)));
        }
        let mut from = 0;
        for (to, style) in &parts {
            let (a, b) = (from.max(range.start), (*to).min(end));
            if a < b {
                spans.push(Span::styled(text[a..b].to_string(), *style));
            }
            from = *to;
        }
        out.push(Line::from(spans).style(line.style));
    }
    out
}

/// Wraps logical lines; also returns the index of the first wrapped line of
/// each logical line (for keeping a selected logical line on screen).
pub fn wrap_paras(paras: &[Para], width: usize) -> (Vec<Line<'static>>, Vec<usize>) {
    let mut out = Vec::with_capacity(paras.len());
    let mut starts = Vec::with_capacity(paras.len());
    for p in paras {
        starts.push(out.len());
        out.extend(wrap_line(&p.line, width, p.indent));
    }
    (out, starts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::{Style, Stylize};

    fn texts(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn list_labels_hang() {
        assert_eq!(auto_indent("[阻断] 自评得分偏高"), 7);
        assert_eq!(auto_indent("       [警告] 完成进度低"), 14);
        assert_eq!(auto_indent("12. 资金支付进度滞后"), 4);
        assert_eq!(auto_indent("!   维修校舍数量：≥ 12 所"), 4);
        assert_eq!(auto_indent("项目自评报告"), 0);
        assert_eq!(auto_indent("2023年度"), 0);
    }

    #[test]
    fn spans_keep_their_styles_across_the_break() {
        let line = Line::from(vec![
            Span::raw("结果应用："),
            "[待确认]".bold(),
            Span::raw(" 差(自评) -> 大幅压减"),
        ]);
        let out = wrap_line(&line, 20, 2);
        assert_eq!(texts(&out), ["结果应用：[待确认]", "  差(自评) -> 大幅压", "  减"]);
        assert_eq!(out[0].spans[1].style, Style::new().bold());
        for l in &out {
            assert!(l.width() <= 20);
        }
    }

    #[test]
    fn a_finding_wraps_under_its_text() {
        let line = Line::from("[阻断] 三级指标「工程验收合格率」未填实际完成值（目标 100）");
        let out = wrap_line(&line, 30, auto_indent(&line.to_string()));
        assert_eq!(
            texts(&out),
            [
                "[阻断] 三级指标「工程验收合格",
                "       率」未填实际完成值（目",
                "       标 100）"
            ]
        );
    }
}
