//! Colours for 16-colour terminals by default; a monochrome theme (modifiers
//! only) for NO_COLOR and `theme = "mono"`, so selection stays visible without colour.

use crate::config::{DisplayConfig, Theme as ThemeName};
use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone)]
pub struct Theme {
    pub tab_active: Style,
    pub tab: Style,
    pub header: Style,
    pub selected: Style,
    pub blocking: Style,
    pub warning: Style,
    pub info: Style,
    pub dim: Style,
    pub status: Style,
    pub message: Style,
}

impl Theme {
    /// Picks the theme from the config and the environment (`NO_COLOR`, `TERM`).
    pub fn from_config(display: &DisplayConfig) -> Theme {
        let no_color = display.respect_no_color && std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let term = std::env::var("TERM").unwrap_or_default();
        match display.theme {
            _ if no_color => Theme::mono(),
            ThemeName::Mono => Theme::mono(),
            ThemeName::Colors256 => Theme::ansi256(),
            ThemeName::Colors16 => Theme::ansi16(),
            // COLORTERM is rarely forwarded over SSH; TERM names 256 colours when the client has them.
            ThemeName::Auto if term.contains("256color") => Theme::ansi256(),
            ThemeName::Auto if term == "dumb" => Theme::mono(),
            ThemeName::Auto => Theme::ansi16(),
        }
    }

    /// Softer tones from the 256-colour palette (xterm indices).
    pub fn ansi256() -> Theme {
        Theme {
            tab_active: Style::new()
                .fg(Color::Indexed(16))
                .bg(Color::Indexed(110))
                .add_modifier(Modifier::BOLD),
            tab: Style::new().fg(Color::Indexed(110)),
            header: Style::new()
                .fg(Color::Indexed(252))
                .bg(Color::Indexed(238))
                .add_modifier(Modifier::BOLD),
            selected: Style::new().fg(Color::Indexed(16)).bg(Color::Indexed(179)),
            blocking: Style::new().fg(Color::Indexed(203)).add_modifier(Modifier::BOLD),
            warning: Style::new().fg(Color::Indexed(179)),
            info: Style::new().fg(Color::Indexed(109)),
            dim: Style::new().fg(Color::Indexed(244)),
            status: Style::new().fg(Color::Indexed(16)).bg(Color::Indexed(250)),
            message: Style::new().fg(Color::Indexed(114)),
        }
    }

    pub fn ansi16() -> Theme {
        Theme {
            tab_active: Style::new()
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
            tab: Style::new().fg(Color::Cyan),
            header: Style::new().add_modifier(Modifier::REVERSED),
            selected: Style::new().fg(Color::Black).bg(Color::Yellow),
            blocking: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            warning: Style::new().fg(Color::Yellow),
            info: Style::new().fg(Color::Blue),
            dim: Style::new().fg(Color::DarkGray),
            status: Style::new().fg(Color::Black).bg(Color::White),
            message: Style::new().fg(Color::Green),
        }
    }

    /// No colours: reverse video and bold carry the meaning.
    pub fn mono() -> Theme {
        let plain = Style::new().fg(Color::Reset).bg(Color::Reset);
        Theme {
            tab_active: plain.add_modifier(Modifier::REVERSED | Modifier::BOLD),
            tab: plain,
            header: plain.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            selected: plain.add_modifier(Modifier::REVERSED),
            blocking: plain.add_modifier(Modifier::BOLD),
            warning: plain,
            info: plain,
            dim: plain,
            status: plain.add_modifier(Modifier::REVERSED),
            message: plain.add_modifier(Modifier::BOLD),
        }
    }
}
