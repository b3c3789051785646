//! Screen geometry shared by the view (to draw) and the app (to page), so that
//! paging moves by exactly what is shown.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::Clear;

pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;
/// Lines of the findings preview under the table (title included).
pub const PREVIEW_LINES: u16 = 5;

/// What the key dispatch and the run loop know about the terminal (kept on `App`).
#[derive(Debug, Clone, Default)]
pub struct Screen {
    /// Below 80×24: only the notice is drawn, and keys other than quit go nowhere.
    pub too_small: bool,
    /// Clear the terminal and draw the next frame whole (a resize, Ctrl-l).
    pub repaint: bool,
    /// What to say on the shell once the terminal is restored.
    pub exit_note: Option<String>,
}

/// The parts of the queue screen.
pub struct QueueLayout {
    pub tabs: Rect,
    pub header: Rect,
    pub rows: Rect,
    pub preview: Rect,
    pub hints: Rect,
    pub status: Rect,
}

pub fn too_small(area: Rect) -> bool {
    area.width < MIN_WIDTH || area.height < MIN_HEIGHT
}

pub fn queue(area: Rect) -> QueueLayout {
    let line = |y: u16, h: u16| Rect {
        x: area.x,
        y: area.y + y,
        width: area.width,
        height: h,
    };
    let table_rows = area.height.saturating_sub(4 + PREVIEW_LINES);
    QueueLayout {
        tabs: line(0, 1),
        header: line(1, 1),
        rows: line(2, table_rows),
        preview: line(2 + table_rows, PREVIEW_LINES),
        hints: line(area.height.saturating_sub(2), 1),
        status: line(area.height.saturating_sub(1), 1),
    }
}

/// How many item rows fit on a screen of this size.
pub fn visible_rows(width: u16, height: u16) -> usize {
    queue(Rect::new(0, 0, width, height)).rows.height as usize
}

/// A centred box; clears one extra cell each side so no half of a wide character survives at its edges.
pub fn popup(frame: &mut Frame, area: Rect, width: u16, height: u16) -> Rect {
    // Room for an ASCII frame: box-drawing characters are two cells wide on CJK terminals.
    let width = (width + 2).min(area.width);
    let height = (height + 2).min(area.height);
    let r = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    let wider = Rect {
        x: r.x.saturating_sub(1),
        width: (r.width + 2).min(area.width - r.x.saturating_sub(1)),
        ..r
    };
    frame.render_widget(Clear, wider);
    let frame_block = ratatui::widgets::Block::bordered().border_set(ASCII_BORDER);
    let inner = frame_block.inner(r);
    frame.render_widget(frame_block, r);
    inner
}

const ASCII_BORDER: ratatui::symbols::border::Set = ratatui::symbols::border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};
