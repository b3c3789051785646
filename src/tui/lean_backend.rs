//! A backend for slow links: the crossterm backend, minus two costs of the
//! released one. (1) It sends a cursor move after every double-width
//! character (about 70 % of the bytes with Chinese text): here the hidden half
//! is handed over as an empty cell, so the cursor is known to be in place.
//! (2) It never uses the terminal's scroll operations, so a one-row scroll
//! rewrites the whole table: here a block of rows that moved by one line is
//! scrolled inside a scroll region (DECSTBM + line feed / reverse index, VT100
//! since 1978) and only what is really new is written.
//!
//! (3) A row whose changed cells end in blanks to the end of the line (a
//! shorter text replacing a longer one) gets one erase-to-end-of-line (EL)
//! instead of a space per cell.
//!
//! It keeps its own copy of what the terminal shows, so the screen after each
//! frame is exactly what the plain backend would have left (`tests/lean_backend.rs`
//! replays both into a terminal emulator and compares). That copy is blanked
//! at the terminal's new size on every clear, which ratatui does on every
//! resize (`tests/tui_terminal.rs` grows and shrinks the window).

use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::{Position, Rect, Size};
use ratatui::style::Color;
use std::io::{self, Write};
use unicode_width::UnicodeWidthStr;

/// Rows that must have moved together before scrolling beats rewriting them.
const MIN_SCROLL_ROWS: usize = 3;

/// Blank cells to write before an erase-to-end-of-line (about 12 bytes) is cheaper.
const MIN_ERASE_CELLS: usize = 12;

pub struct LeanBackend<W: Write> {
    inner: CrosstermBackend<W>,
    /// What the terminal shows now, as far as this backend wrote it.
    shadow: Buffer,
    /// The size reported instead of asking the terminal (tests, measuring).
    fixed: Option<Size>,
}

impl<W: Write> LeanBackend<W> {
    /// `size` is the screen size (the real terminal's, or a fixed one for measuring).
    pub fn new(writer: W, size: Size) -> Self {
        LeanBackend {
            inner: CrosstermBackend::new(writer),
            shadow: Buffer::empty(Rect::new(0, 0, size.width, size.height)),
            fixed: None,
        }
    }

    /// A backend for a screen of `size` that is not the process's terminal (a
    /// test writing to an emulator): `size()` answers `size`, not the tty.
    pub fn with_fixed_size(writer: W, size: Size) -> Self {
        LeanBackend {
            fixed: Some(size),
            ..LeanBackend::new(writer, size)
        }
    }

    /// The screen of a fixed-size backend changed size (its window was resized).
    pub fn set_size(&mut self, size: Size) {
        self.fixed = Some(size);
    }

    fn row(buf: &Buffer, y: u16) -> &[Cell] {
        let w = buf.area.width as usize;
        &buf.content[y as usize * w..(y as usize + 1) * w]
    }

    /// The screen was cleared: the shadow becomes blank, at the size the
    /// terminal has now. ratatui clears on every resize, so this is where a
    /// grown window's new rows and columns enter the shadow; at the old size,
    /// every cell past the old edge was dropped and never drawn.
    fn forget_screen(&mut self) {
        let size = Backend::size(self).unwrap_or(self.shadow.area.as_size());
        self.shadow = Buffer::empty(Rect::new(0, 0, size.width, size.height));
    }

    /// A block `[top, bottom]` whose rows moved up (`true`) or down by one line.
    fn find_scroll(&self, next: &Buffer) -> Option<(u16, u16, bool)> {
        let h = self.shadow.area.height;
        let mut best: Option<(u16, u16, bool)> = None;
        for up in [true, false] {
            let mut y = 0;
            while y + 1 < h {
                // up: next[y] == old[y + 1]; down: next[y + 1] == old[y]
                let moved = |y: u16| {
                    let (new_row, old_row) = if up { (y, y + 1) } else { (y + 1, y) };
                    Self::row(next, new_row) == Self::row(&self.shadow, old_row)
                        && Self::row(next, new_row) != Self::row(&self.shadow, new_row)
                };
                if !moved(y) {
                    y += 1;
                    continue;
                }
                let start = y;
                while y + 1 < h && moved(y) {
                    y += 1;
                }
                let rows = (y - start) as usize;
                let longest = best.map_or(0, |(t, b, _)| (b - t) as usize);
                if rows >= MIN_SCROLL_ROWS && rows > longest {
                    // The block spans the moved rows plus the line that scrolls in.
                    best = Some((start, y, up));
                }
            }
        }
        best
    }

    /// Per row, the column from which the next frame is blank to the end of
    /// the line while the terminal still shows something there, when at least
    /// `MIN_ERASE_CELLS` blanks would have to be written.
    fn erasable_tails(&self, next: &Buffer) -> Vec<Option<u16>> {
        (0..next.area.height)
            .map(|y| {
                let (new_row, old_row) = (Self::row(next, y), Self::row(&self.shadow, y));
                let blanks = new_row.iter().rev().take_while(|c| is_blank(c)).count();
                let mut from = new_row.len() - blanks;
                // The hidden half of a wide character looks blank: the erase starts after it.
                if from > 0 && from < new_row.len() && new_row[from - 1].symbol().width() > 1 {
                    from += 1;
                }
                let stale = old_row[from..].iter().filter(|c| !is_blank(c)).count();
                (stale >= MIN_ERASE_CELLS).then_some(from as u16)
            })
            .collect()
    }

    /// Scrolls `[top, bottom]` by one line on the terminal and in the shadow.
    fn scroll(&mut self, top: u16, bottom: u16, up: bool) -> io::Result<()> {
        let w = &mut self.inner;
        // Attributes are reset at the end of every draw, so the new line is blank.
        if up {
            write!(w, "\x1b[{};{}r\x1b[{};1H\n\x1b[r", top + 1, bottom + 1, bottom + 1)?;
        } else {
            write!(w, "\x1b[{};{}r\x1b[{};1H\x1bM\x1b[r", top + 1, bottom + 1, top + 1)?;
        }
        let width = self.shadow.area.width as usize;
        let (t, b) = (top as usize * width, (bottom as usize + 1) * width);
        let block = &mut self.shadow.content[t..b];
        if up {
            block.rotate_left(width);
        } else {
            block.rotate_right(width);
        }
        let blank_row = if up { block.len() - width } else { 0 };
        for cell in &mut block[blank_row..blank_row + width] {
            cell.reset();
        }
        Ok(())
    }
}

/// A cell that shows nothing: what an erase leaves.
fn is_blank(c: &Cell) -> bool {
    c.symbol() == " " && c.fg == Color::Reset && c.bg == Color::Reset && c.modifier.is_empty()
}

impl<W: Write> Backend for LeanBackend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let mut next = self.shadow.clone();
        for (x, y, cell) in content {
            if let Some(slot) = next.cell_mut((x, y)) {
                *slot = cell.clone();
            }
            // ratatui's diff leaves out the cells a wide character covers; its
            // buffer holds them reset, and so must this copy.
            for dx in 1..cell.symbol().width().max(1) as u16 {
                if let Some(hidden) = next.cell_mut((x + dx, y)) {
                    hidden.reset();
                }
            }
        }
        if let Some((top, bottom, up)) = self.find_scroll(&next) {
            self.scroll(top, bottom, up)?;
        }
        let erase_from = self.erasable_tails(&next);
        let updates = self.shadow.diff(&next);
        // The hidden half of a wide character goes along as an empty cell, so the
        // crossterm backend sees contiguous cells and sends no cursor move.
        let mut spans: Vec<(u16, u16, Cell)> = Vec::with_capacity(updates.len() * 2);
        for (x, y, cell) in updates {
            if erase_from[y as usize].is_some_and(|from| x >= from) {
                continue;
            }
            spans.push((x, y, cell.clone()));
            for dx in 1..cell.symbol().width().max(1) as u16 {
                let mut hidden = cell.clone();
                hidden.set_symbol("");
                spans.push((x + dx, y, hidden));
            }
        }
        self.inner.draw(spans.iter().map(|(x, y, c)| (*x, *y, c)))?;
        // The crossterm backend ends a draw with colours and attributes reset,
        // so the erase leaves default blanks, which is what the buffer holds.
        for (y, from) in erase_from.iter().enumerate() {
            if let Some(x) = from {
                write!(self.inner, "\x1b[{};{}H\x1b[K", y + 1, x + 1)?;
            }
        }
        self.shadow = next;
        Ok(())
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        self.inner.hide_cursor()
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        self.inner.show_cursor()
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        self.inner.get_cursor_position()
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        self.inner.set_cursor_position(position)
    }

    fn clear(&mut self) -> io::Result<()> {
        self.forget_screen();
        self.inner.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        // Only full clears are used by a fullscreen app; anything else forgets the shadow.
        self.forget_screen();
        self.inner.clear_region(clear_type)
    }

    fn size(&self) -> io::Result<Size> {
        match self.fixed {
            Some(size) => Ok(size),
            None => self.inner.size().or(Ok(self.shadow.area.as_size())),
        }
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        self.inner.window_size()
    }

    fn flush(&mut self) -> io::Result<()> {
        Backend::flush(&mut self.inner)
    }
}

impl<W: Write> Write for LeanBackend<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        Write::flush(&mut self.inner)
    }
}
