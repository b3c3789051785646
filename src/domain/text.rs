//! Text from imports is untrusted and CJK: strip control characters and
//! terminal escape sequences before display, cut by display width (one cut
//! function, one mark) and wrap by display width (one wrap function).

use std::ops::Range;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

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
    let budget = max - 1; // room for the mark (1 cell)
    let mut out = String::new();
    let mut used = 0;
    for g in s.graphemes(true) {
        let w = display_width(g);
        if used + w > budget {
            break;
        }
        used += w;
        out.push_str(g);
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

/// Untrusted text made safe for display, its line breaks kept: CRLF and CR
/// become LF, and each line loses escape sequences and control characters
/// (tabs become spaces).
pub fn sanitize_lines(text: &str) -> String {
    let unified = text.replace("\r\n", "\n").replace('\r', "\n");
    unified.split('\n').map(sanitize).collect::<Vec<_>>().join("\n")
}

/// Wraps `text` to lines of at most `width` cells: its line breaks are kept,
/// control characters and escape sequences are dropped, and each paragraph is
/// cut where [`wrap_ranges`] says. The spaces a line ends with are dropped.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    for para in sanitize_lines(text).split('\n') {
        for r in wrap_ranges(para, width, width) {
            out.push(para[r].trim_end_matches(' ').to_string());
        }
    }
    out
}

/// Closing punctuation: never at the start of a line (it stays with the
/// character before it).
const NO_LINE_START: &str = "，。、；：？！）」』》〉】〕］｝…～％’”,.;:?!)]}%";
/// Opening punctuation: never at the end of a line (it goes with the character after it).
const NO_LINE_END: &str = "（「『《〈【〔［｛‘“([{";

/// Where one paragraph (no line breaks, already sanitized) is cut into lines:
/// the first line at most `first` cells wide, the others at most `rest`.
///
/// The ranges are byte ranges that follow each other and cover the whole
/// paragraph, so nothing is lost or repeated; a space where the line breaks
/// ends the line before (drop it when drawing). Chinese has no spaces: a line
/// may break between any two wide characters, except before closing or after
/// opening punctuation. A run of ASCII letters and digits ("250.00", "EPC",
/// "P-101-01") is kept whole when it fits on a line, else cut at the width.
/// Cuts fall between grapheme clusters, so a wide character is never split;
/// only a limit under 2 cells can make a line wider than it (one wide
/// character on a line of its own).
pub fn wrap_ranges(text: &str, first: usize, rest: usize) -> Vec<Range<usize>> {
    let limit = |line: usize| if line == 0 { first } else { rest }.max(1);
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut start = 0;
    // Cells used on the current line, and the spaces after them (which only
    // count once something follows them on the same line).
    let mut used = 0;
    let mut spaces = 0;
    for token in tokens(text) {
        if token.space {
            spaces += token.width;
            continue;
        }
        if used + spaces + token.width <= limit(out.len()) {
            used += spaces + token.width;
            spaces = 0;
            continue;
        }
        if used > 0 {
            // Break before the token; the spaces end the line before.
            out.push(start..token.range.start);
            start = token.range.start;
            used = 0;
            spaces = 0;
            if token.width <= limit(out.len()) {
                used = token.width;
                continue;
            }
        } else {
            // Only indentation so far: it stays, and the token is cut after it.
            used = spaces;
            spaces = 0;
        }
        // Too long for a line of its own: cut between grapheme clusters.
        for (at, g) in text[token.range.clone()].grapheme_indices(true) {
            let at = token.range.start + at;
            let w = display_width(g);
            if used > 0 && used + w > limit(out.len()) {
                out.push(start..at);
                start = at;
                used = 0;
            }
            used += w;
        }
    }
    out.push(start..text.len());
    out
}

/// A piece of a paragraph that is never cut unless it is wider than a line.
struct Token {
    range: Range<usize>,
    width: usize,
    space: bool,
}

/// Spaces, runs of narrow characters, single wide characters; punctuation
/// glued to the character it belongs with.
fn tokens(text: &str) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    for (at, g) in text.grapheme_indices(true) {
        let range = at..at + g.len();
        let width = display_width(g);
        let space = g == " ";
        let first = g.chars().next().unwrap_or(' ');
        if let Some(last) = out.last_mut() {
            let prev_char = text[last.range.clone()].chars().next_back().unwrap_or(' ');
            let narrow_run = !space && !last.space && width <= 1 && last_is_narrow(text, last);
            let closing = !space && !last.space && NO_LINE_START.contains(first);
            let opening = !space && !last.space && NO_LINE_END.contains(prev_char);
            // A zero-width cluster (a stray combining mark) stays with what precedes it.
            let zero = width == 0 && !last.space;
            if narrow_run || closing || opening || zero {
                last.range.end = range.end;
                last.width += width;
                continue;
            }
        }
        out.push(Token { range, width, space });
    }
    out
}

/// Whether a token ends with a narrow (one-cell) character.
fn last_is_narrow(text: &str, token: &Token) -> bool {
    text[token.range.clone()]
        .graphemes(true)
        .next_back()
        .is_some_and(|g| display_width(g) <= 1)
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

    /// Mixed Chinese, ASCII words and numbers, full-width punctuation and
    /// letters, a combining mark, an emoji, indentation and spaces.
    const MIXED: &str = "  一、项目基本情况：本项目（编码P-101-01）2023年度预算安排250.00万元，采用EPC总承包模式；\
        满意度为92.4%，“良”。Ｆｕｌｌｗｉｄｔｈ１２３ and ASCII words like verylongidentifier_without_spaces_at_all \
        e\u{301}té 😀 结束。";

    #[test]
    fn wrapped_lines_never_exceed_the_width() {
        for width in 2..=60 {
            for line in wrap(MIXED, width) {
                assert!(display_width(&line) <= width, "{width}: {line:?}");
            }
        }
        assert_eq!(display_width("，。；：（）「」"), 16);
        assert_eq!(display_width("Ｆｕｌｌ１２"), 12);
        assert_eq!(display_width("P-101-01 年度"), 13);
    }

    #[test]
    fn wrapping_loses_and_repeats_nothing() {
        for width in 1..=60 {
            let ranges = wrap_ranges(MIXED, width, width);
            let joined: String = ranges.iter().map(|r| &MIXED[r.clone()]).collect();
            assert_eq!(joined, MIXED, "{width}");
            for pair in ranges.windows(2) {
                assert_eq!(pair[0].end, pair[1].start);
            }
        }
        // Chinese has no spaces: the lines rejoined are the input without its line breaks.
        let text = "经审核，该项目绩效目标表述空泛，年度目标仅有“进一步提高”等定性描述。\n请将年度目标分解为可衡量的数量、质量、时效指标（至少5个），明确指标值后重新报送。";
        for width in 2..=30 {
            assert_eq!(wrap(text, width).concat(), text.replace('\n', ""), "{width}");
        }
        // With spaces, only the spaces at the breaks go.
        let squeeze = |s: &str| s.replace(' ', "");
        for width in 2..=40 {
            assert_eq!(squeeze(&wrap(MIXED, width).concat()), squeeze(MIXED), "{width}");
        }
    }

    #[test]
    fn wide_characters_and_clusters_are_never_split() {
        for width in 1..=40 {
            for r in wrap_ranges(MIXED, width, width) {
                // Slicing at a non-boundary would panic; a cut inside a cluster would
                // leave a line starting with the combining mark.
                let line = &MIXED[r];
                assert!(!line.starts_with('\u{301}'), "{width}: {line:?}");
            }
        }
        // Three cells: a wide character goes whole to the next line.
        assert_eq!(wrap("一二三四", 3), ["一", "二", "三", "四"]);
        assert_eq!(wrap("a一二", 4), ["a一", "二"]);
    }

    #[test]
    fn words_numbers_and_punctuation_stay_together() {
        assert_eq!(wrap("预算安排250.00万元", 12), ["预算安排", "250.00万元"]);
        assert_eq!(wrap("编码P-101-01的项目", 10), ["编码", "P-101-01的", "项目"]);
        // Closing punctuation never starts a line; opening never ends one.
        assert_eq!(wrap("一二三，四五", 6), ["一二", "三，四", "五"]);
        assert_eq!(wrap("一二（三四）", 6), ["一二", "（三", "四）"]);
        // Words break at spaces; the space at the break goes.
        assert_eq!(wrap("jixiao review tool", 10), ["jixiao", "review", "tool"]);
        // A word longer than the line is cut at the width.
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        // Indentation is kept on the first line only.
        assert_eq!(wrap("  一二三四", 6), ["  一二", "三四"]);
        // Line breaks are kept, empty lines too.
        assert_eq!(wrap("甲\n\n乙", 10), ["甲", "", "乙"]);
        assert_eq!(wrap("", 10), [""]);
    }

    #[test]
    fn wrapping_strips_control_characters_and_escapes() {
        assert_eq!(
            wrap("单位\x1b[2J名称\x07\r\n第二\u{202e}行\t末", 20),
            ["单位名称", "第二行 末"]
        );
        assert_eq!(sanitize_lines("甲\r\n乙\r丙\x1b[31m丁\x07"), "甲\n乙\n丙丁");
    }

    #[test]
    fn the_first_line_and_the_rest_have_their_own_width() {
        let text = "一二三四五六七八九十";
        let ranges = wrap_ranges(text, 4, 8);
        let lines: Vec<&str> = ranges.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(lines, ["一二", "三四五六", "七八九十"]);
    }
}
