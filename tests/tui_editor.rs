//! The opinion editor on ratatui's TestBackend at 80×24: keys and pastes in
//! Chinese, the hardware cursor after wide characters, wrapping, and the popup
//! drawn over a Chinese background.

use jixiao::tui::editor::{EditorOutcome, OpinionEditor, popup_area};
use jixiao::tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::layout::{Position, Rect};
use ratatui::style::Modifier;
use unicode_width::UnicodeWidthStr;

const W: u16 = 80;
const H: u16 = 24;
const TITLE: &str = "退回意见 - 区教育局 - 学生资助项目";

fn editor(initial: &str) -> OpinionEditor {
    OpinionEditor::new(42, TITLE.into(), initial)
}

fn press(ed: &mut OpinionEditor, code: KeyCode) -> EditorOutcome {
    ed.handle_key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ctrl(ed: &mut OpinionEditor, c: char) -> EditorOutcome {
    ed.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn type_str(ed: &mut OpinionEditor, s: &str) {
    for c in s.chars() {
        assert_eq!(press(ed, KeyCode::Char(c)), EditorOutcome::Edited, "typing {c:?}");
    }
}

/// The text area's top-left cell on an 80×24 screen.
fn text_origin() -> (u16, u16) {
    let popup = popup_area(Rect::new(0, 0, W, H));
    (popup.x + 1, popup.y + 1)
}

fn draw(terminal: &mut Terminal<TestBackend>, ed: &OpinionEditor) {
    let theme = Theme::mono();
    terminal.draw(|f| ed.render(f, f.area(), &theme)).unwrap();
}

fn drawn(ed: &OpinionEditor) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(W, H)).unwrap();
    draw(&mut terminal, ed);
    terminal
}

fn cursor(terminal: &mut Terminal<TestBackend>) -> (u16, u16) {
    let p = terminal.get_cursor_position().unwrap();
    (p.x, p.y)
}

/// One line of the buffer as text, wide characters once, trailing spaces trimmed.
fn row_text(buf: &Buffer, y: u16, from: u16, to: u16) -> String {
    let mut line = String::new();
    let mut x = from;
    while x < to {
        let sym = buf[(x, y)].symbol();
        line.push_str(sym);
        x += UnicodeWidthStr::width(sym).max(1) as u16;
    }
    line.trim_end().to_string()
}

fn screen_text(buf: &Buffer) -> String {
    (0..buf.area.height)
        .map(|y| row_text(buf, y, 0, buf.area.width) + "\n")
        .collect()
}

/// A 300-character opinion: a realistic sentence repeated to length.
fn long_opinion(chars: usize) -> String {
    let sentence = "该项目绩效目标未细化量化，产出指标缺少成本指标，满意度指标无调查方式说明，请补充后重新报送。";
    sentence.chars().cycle().take(chars).collect()
}

#[test]
fn typing_chinese_moves_the_cursor_two_cells_per_character() {
    let mut ed = editor("");
    type_str(&mut ed, "审核意见：同意");
    assert_eq!(ed.text(), "审核意见：同意");
    let mut terminal = drawn(&ed);
    let (left, top) = text_origin();
    terminal
        .backend_mut()
        .assert_cursor_position(Position::new(left + 14, top));
    assert_eq!(cursor(&mut terminal), (left + 14, top));
}

#[test]
fn mixed_chinese_ascii_and_full_width_digits() {
    let mut ed = editor("");
    type_str(&mut ed, "中文ABC１２３x");
    let mut terminal = drawn(&ed);
    let (left, top) = text_origin();
    // 2×2 + 3×1 + 3×2 + 1
    assert_eq!(cursor(&mut terminal), (left + 14, top));
    assert_eq!(
        row_text(terminal.backend().buffer(), top, left, left + 30),
        "中文ABC１２３x"
    );
    assert_eq!(ed.char_count(), 9);
}

#[test]
fn ctrl_h_deletes_one_wide_character_and_the_cursor_moves_back_two_cells() {
    let mut ed = editor("");
    type_str(&mut ed, "审核意见：同意");
    let mut terminal = drawn(&ed);
    let before = cursor(&mut terminal);
    assert_eq!(ctrl(&mut ed, 'h'), EditorOutcome::Edited);
    assert_eq!(ed.text(), "审核意见：同");
    draw(&mut terminal, &ed);
    assert_eq!(cursor(&mut terminal), (before.0 - 2, before.1));
    // Backspace does the same; on an empty line start there is nothing to delete.
    assert_eq!(press(&mut ed, KeyCode::Backspace), EditorOutcome::Edited);
    assert_eq!(ed.text(), "审核意见：");
    let mut empty = editor("");
    assert_eq!(ctrl(&mut empty, 'h'), EditorOutcome::Unchanged);
}

#[test]
fn enter_makes_a_new_line() {
    let mut ed = editor("");
    type_str(&mut ed, "第一行");
    assert_eq!(press(&mut ed, KeyCode::Enter), EditorOutcome::Edited);
    type_str(&mut ed, "第二行");
    assert_eq!(ed.text(), "第一行\n第二行");
    let mut terminal = drawn(&ed);
    let (left, top) = text_origin();
    assert_eq!(cursor(&mut terminal), (left + 6, top + 1));
    // A bare LF (Ctrl-J in raw mode) is a newline too.
    assert_eq!(ctrl(&mut ed, 'j'), EditorOutcome::Edited);
    assert_eq!(ed.text(), "第一行\n第二行\n");
}

#[test]
fn ctrl_s_saves_and_esc_leaves_with_the_exact_text() {
    let mut ed = editor("原草稿");
    press(&mut ed, KeyCode::Enter);
    type_str(&mut ed, "补充：目标值１００%");
    let expected = "原草稿\n补充：目标值１００%".to_string();
    assert_eq!(ctrl(&mut ed, 's'), EditorOutcome::Save(expected.clone()));
    assert_eq!(press(&mut ed, KeyCode::Esc), EditorOutcome::Leave(expected.clone()));
    assert_eq!(ed.text(), expected, "neither Save nor Leave changes the text");
    assert_eq!(ed.review_id(), 42);
}

#[test]
fn ctrl_t_then_a_digit_asks_for_a_template() {
    let mut ed = editor("");
    assert_eq!(ctrl(&mut ed, 't'), EditorOutcome::Unchanged);
    assert!(ed.awaiting_template());
    assert_eq!(press(&mut ed, KeyCode::Char('2')), EditorOutcome::Template(1));
    assert!(!ed.awaiting_template());
    // A full-width digit from an IME in full-width mode works as well.
    ctrl(&mut ed, 't');
    assert_eq!(press(&mut ed, KeyCode::Char('９')), EditorOutcome::Template(8));
    // Any other key cancels without typing; Esc cancels without leaving.
    ctrl(&mut ed, 't');
    assert_eq!(press(&mut ed, KeyCode::Char('x')), EditorOutcome::Unchanged);
    ctrl(&mut ed, 't');
    assert_eq!(press(&mut ed, KeyCode::Char('0')), EditorOutcome::Unchanged);
    ctrl(&mut ed, 't');
    assert_eq!(press(&mut ed, KeyCode::Esc), EditorOutcome::Unchanged);
    assert_eq!(ed.text(), "");
    // The caller inserts the template at the cursor.
    type_str(&mut ed, "经审核，");
    ed.insert("该项目绩效目标不完整。\n请于5个工作日内补正。");
    assert_eq!(ed.text(), "经审核，该项目绩效目标不完整。\n请于5个工作日内补正。");
}

#[test]
fn key_release_and_alt_keys_are_ignored() {
    let mut ed = editor("");
    let mut release = KeyEvent::new(KeyCode::Char('a'), KeyModifiers::NONE);
    release.kind = KeyEventKind::Release;
    assert_eq!(ed.handle_key(release), EditorOutcome::Unchanged);
    let alt_b = KeyEvent::new(KeyCode::Backspace, KeyModifiers::ALT);
    type_str(&mut ed, "同意");
    assert_eq!(ed.handle_key(alt_b), EditorOutcome::Unchanged);
    assert_eq!(
        ed.handle_key(KeyEvent::new(KeyCode::Char('x'), KeyModifiers::ALT)),
        EditorOutcome::Unchanged
    );
    assert_eq!(ed.text(), "同意");
    // Cursor moves change nothing.
    assert_eq!(press(&mut ed, KeyCode::Left), EditorOutcome::Unchanged);
    type_str(&mut ed, "不");
    assert_eq!(ed.text(), "同不意");
    // Ctrl-Z undoes the last edit.
    assert_eq!(ctrl(&mut ed, 'z'), EditorOutcome::Edited);
    assert_eq!(ed.text(), "同意");
}

#[test]
fn paste_inserts_lines_without_escape_sequences() {
    let mut ed = editor("");
    assert_eq!(ed.handle_paste("第一行\n第二行\x1b[2J"), EditorOutcome::Edited);
    assert_eq!(ed.text(), "第一行\n第二行");
    // Windows line ends from an SSH client's clipboard, a bell and a tab.
    let mut ed = editor("");
    ed.handle_paste("甲\r\n乙\x07\t丙\r丁");
    assert_eq!(ed.text(), "甲\n乙 丙\n丁");
    // A paste made only of control characters changes nothing.
    assert_eq!(ed.handle_paste("\x1b[0m\x07"), EditorOutcome::Unchanged);
    // A paste is text, never keys: Ctrl-T pending is cancelled, "2" is inserted.
    ctrl(&mut ed, 't');
    ed.handle_paste("2");
    assert!(!ed.awaiting_template());
    assert_eq!(ed.text(), "甲\n乙 丙\n丁2");
}

#[test]
fn a_long_chinese_paragraph_wraps_within_the_popup() {
    let opinion = long_opinion(300);
    let ed = editor(&opinion);
    let mut terminal = drawn(&ed);
    let popup = popup_area(Rect::new(0, 0, W, H));
    let (left, top) = text_origin();
    let width = popup.width - 2;
    let per_row = (width / 2) as usize;
    let rows = opinion.chars().count().div_ceil(per_row);
    let buf = terminal.backend().buffer().clone();
    let mut seen = String::new();
    for y in top..top + rows as u16 {
        let row = row_text(&buf, y, left, left + width);
        assert!(UnicodeWidthStr::width(row.as_str()) <= width as usize);
        seen.push_str(&row);
    }
    assert_eq!(seen, opinion, "the paragraph reads in order across wrapped rows");
    // Nothing spills left or right of the popup.
    for y in popup.top()..popup.bottom() {
        assert_eq!(buf[(popup.x - 1, y)].symbol(), " ");
        assert_eq!(buf[(popup.right(), y)].symbol(), " ");
    }
    // The cursor sits after the last character, on the last wrapped row.
    let last_row_chars = opinion.chars().count() - (rows - 1) * per_row;
    assert_eq!(
        cursor(&mut terminal),
        (left + 2 * last_row_chars as u16, top + rows as u16 - 1)
    );
}

#[test]
fn a_text_longer_than_the_popup_scrolls_and_the_cursor_stays_inside() {
    let ed = editor(&long_opinion(600));
    let mut terminal = drawn(&ed);
    let popup = popup_area(Rect::new(0, 0, W, H));
    let (left, top) = text_origin();
    let (x, y) = cursor(&mut terminal);
    assert_eq!(y, popup.bottom() - 2, "the last text row, just above the hint bar");
    assert!(x >= left && x < popup.right() - 1);
    assert!(y > top);
    let hint = row_text(terminal.backend().buffer(), popup.bottom() - 1, popup.x, popup.right());
    assert!(hint.ends_with("字数 600"), "{hint}");
}

#[test]
fn a_wide_character_cut_by_the_popup_edge_does_not_eat_the_popup() {
    let popup = popup_area(Rect::new(0, 0, W, H));
    // Background text whose wide characters start on even columns: with the
    // popup at an odd column, one of them straddles its left edge.
    assert_eq!(popup.x % 2, 1);
    let background = "预算绩效".repeat(W as usize / 8);
    let theme = Theme::mono();
    let ed = editor("同意");
    let mut terminal = Terminal::new(TestBackend::new(W, H)).unwrap();
    let paint_background = |f: &mut ratatui::Frame| {
        for y in 0..H {
            f.buffer_mut()
                .set_string(0, y, &background, ratatui::style::Style::default());
        }
    };
    terminal.draw(paint_background).unwrap();
    terminal
        .draw(|f| {
            paint_background(f);
            ed.render(f, f.area(), &theme);
        })
        .unwrap();
    let shown = terminal.backend().buffer();
    for y in popup.top()..popup.bottom() {
        assert_eq!(
            shown[(popup.x - 1, y)].symbol(),
            " ",
            "row {y}: the cut character is blanked"
        );
    }
    // The first cell of the title bar reached the terminal in reverse video.
    assert!(shown[(popup.x, popup.y)].modifier.contains(Modifier::REVERSED));
    assert!(
        shown[(popup.x, popup.bottom() - 1)]
            .modifier
            .contains(Modifier::REVERSED)
    );
    insta::assert_snapshot!("editor_over_chinese_background", screen_text(shown));
}

#[test]
fn the_chrome_is_ascii_or_unambiguous_width() {
    let ed = editor("审核意见：同意");
    let terminal = drawn(&ed);
    let text = screen_text(terminal.backend().buffer());
    for c in text.chars() {
        assert!(
            !('\u{2500}'..='\u{257f}').contains(&c) && !['…', '·', '→', '●', '■'].contains(&c),
            "ambiguous-width character {c:?} in the editor chrome"
        );
    }
}

#[test]
fn snapshot_editor_with_chinese_opinion() {
    let mut ed = editor("");
    type_str(&mut ed, "经审核，该项目绩效目标存在以下问题：");
    press(&mut ed, KeyCode::Enter);
    ed.handle_paste(
        "1. 产出指标缺少成本指标；\n2. 满意度指标未说明调查方式，目标值９０%以上的依据不足；\n3. 效益指标“社会效益”表述笼统，无法量化考核。",
    );
    press(&mut ed, KeyCode::Enter);
    type_str(&mut ed, "请于5个工作日内修改后重新报送。");
    insta::assert_snapshot!("editor_chinese_opinion", screen_text(drawn(&ed).backend().buffer()));
}

#[test]
fn snapshot_editor_empty_and_awaiting_template() {
    let mut ed = editor("");
    insta::assert_snapshot!("editor_empty", screen_text(drawn(&ed).backend().buffer()));
    ctrl(&mut ed, 't');
    insta::assert_snapshot!("editor_awaiting_template", screen_text(drawn(&ed).backend().buffer()));
}

#[test]
fn snapshot_editor_at_120_by_40() {
    let ed = editor(&long_opinion(300));
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    draw(&mut terminal, &ed);
    insta::assert_snapshot!("editor_120x40", screen_text(terminal.backend().buffer()));
}

#[test]
fn a_row_filled_exactly_leaves_the_cursor_just_past_it_inside_the_popup() {
    let popup = popup_area(Rect::new(0, 0, W, H));
    let (left, top) = text_origin();
    let per_row = ((popup.width - 2) / 2) as usize;
    let mut ed = editor(&long_opinion(per_row));
    let mut terminal = drawn(&ed);
    assert_eq!(cursor(&mut terminal), (left + 2 * per_row as u16, top));
    assert!(left + 2 * (per_row as u16) < popup.right());
    // The next character wraps to the second row.
    type_str(&mut ed, "。");
    draw(&mut terminal, &ed);
    assert_eq!(cursor(&mut terminal), (left + 2, top + 1));
}

#[test]
fn a_long_title_is_cut_with_the_ascii_mark_and_stripped_of_escapes() {
    let title = format!(
        "退回意见 - {}\x1b[31m - {}",
        "区教育局下属某某中心学校".repeat(3),
        "学生资助项目"
    );
    let ed = OpinionEditor::new(7, title, "");
    let terminal = drawn(&ed);
    let popup = popup_area(Rect::new(0, 0, W, H));
    let bar = row_text(terminal.backend().buffer(), popup.y, popup.x, popup.right());
    // The one cut of `domain::text`, its mark `~` (ASCII: `…` is two cells on CJK terminals).
    assert!(bar.trim_end().ends_with('~'), "{bar}");
    assert!(!bar.contains('…') && !bar.contains("[31m"), "{bar}");
    assert!(UnicodeWidthStr::width(bar.as_str()) <= popup.width as usize);
}
