//! Text from imports is untrusted and CJK: strip control characters and
//! terminal escape sequences before display, and cut by display width.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Removes terminal escape sequences (CSI, OSC, and other ESC-introduced
/// sequences) and control characters; tabs and newlines become spaces.
pub fn sanitize(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => match chars.peek() {
                // CSI: ESC [ params final-byte(0x40..=0x7e)
                Some('[') => {
                    chars.next();
                    for n in chars.by_ref() {
                        if ('\u{40}'..='\u{7e}').contains(&n) {
                            break;
                        }
                    }
                }
                // OSC / DCS / PM / APC / SOS: up to BEL or ST (ESC \)
                Some(']' | 'P' | '^' | '_' | 'X') => {
                    chars.next();
                    while let Some(n) = chars.next() {
                        if n == '\u{7}' || n == '\u{9c}' {
                            break;
                        }
                        if n == '\u{1b}' {
                            if chars.peek() == Some(&'\\') {
                                chars.next();
                            }
                            break;
                        }
                    }
                }
                Some(_) => {
                    chars.next();
                }
                None => {}
            },
            // C1 CSI
            '\u{9b}' => {
                for n in chars.by_ref() {
                    if ('\u{40}'..='\u{7e}').contains(&n) {
                        break;
                    }
                }
            }
            '\t' | '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            // bidi overrides and zero-width joiners that can disguise text
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200b}'..='\u{200f}' | '\u{feff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Display width in terminal cells (CJK = 2).
pub fn display_width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// The mark of a cut: ASCII, because `…` is ambiguous-width (two cells on
/// CJK-configured terminals such as Xshell) and would shift every column after it.
pub const CUT_MARK: char = '~';

/// Cuts `s` to at most `max` cells, ending with `CUT_MARK` when cut; never splits a
/// wide character (a half-cell gap is padded with a space).
pub fn truncate_to_width(s: &str, max: usize) -> String {
    if display_width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let budget = max - 1; // room for the ellipsis (1 cell)
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > budget {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push(CUT_MARK);
    used += 1;
    while used < max {
        out.push(' ');
        used += 1;
    }
    out
}

/// Pads (or cuts) `s` to exactly `width` cells, left-aligned.
pub fn pad_to_width(s: &str, width: usize) -> String {
    let cut = truncate_to_width(s, width);
    let w = display_width(&cut);
    format!("{cut}{}", " ".repeat(width.saturating_sub(w)))
}

/// Right-aligns `s` in `width` cells.
pub fn pad_left_to_width(s: &str, width: usize) -> String {
    let cut = truncate_to_width(s, width);
    let w = display_width(&cut);
    format!("{}{cut}", " ".repeat(width.saturating_sub(w)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_become_inert() {
        assert_eq!(sanitize("单位\x1b[2J名称"), "单位名称");
        assert_eq!(sanitize("\x1b]0;title\x07项目"), "项目");
        assert_eq!(sanitize("a\x1b]8;;http://x\x1b\\b"), "ab");
        assert_eq!(sanitize("行1\n行2\t!"), "行1 行2 !");
        assert_eq!(sanitize("x\u{0}\u{8}\u{7f}y"), "xy");
        assert_eq!(sanitize("\u{202e}evil"), "evil");
        assert_eq!(sanitize("\x1bc重置"), "重置");
    }

    #[test]
    fn cuts_by_display_width() {
        assert_eq!(display_width("审核意见：同意"), 14);
        assert_eq!(truncate_to_width("教育局2023年学生资助项目", 10), "教育局202~");
        assert_eq!(display_width(&truncate_to_width("教育局2023年学生资助项目", 10)), 10);
        // a wide char that would straddle the edge is dropped and padded
        assert_eq!(truncate_to_width("一二三四五", 6), "一二~ ");
        assert_eq!(truncate_to_width("短", 6), "短");
        assert_eq!(pad_to_width("短", 6), "短    ");
        assert_eq!(pad_left_to_width("１２", 6), "  １２");
        assert_eq!(display_width(&pad_to_width("ＡＢＣ全角abc", 7)), 7);
    }
}
