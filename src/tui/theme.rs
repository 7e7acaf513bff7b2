//! Colours that read on a 16-colour Linux console, and nothing but bold,
//! underline and reverse video when NO_COLOR is set.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub color: bool,
    /// Marks and borders in ASCII (see [`to_ascii`]): `--ascii`, or a bare
    /// Linux console (`TERM=linux`), whose default font lacks ✓ ◐ ⚠ ▶ and
    /// the box characters.
    pub ascii: bool,
}

impl Theme {
    /// Colour unless NO_COLOR is set; ASCII when asked or on a bare
    /// Linux console.
    pub fn from_env(ascii: bool) -> Theme {
        Theme {
            color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
            ascii: ascii || std::env::var("TERM").is_ok_and(|t| t == "linux"),
        }
    }
    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::default().fg(c)
        } else {
            Style::default()
        }
    }
    pub fn bar(&self) -> Style {
        if self.color {
            Style::default().fg(Color::White).bg(Color::Blue)
        } else {
            Style::default().add_modifier(Modifier::REVERSED)
        }
    }
    pub fn title(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }
    pub fn dim(&self) -> Style {
        if self.color {
            Style::default().fg(Color::DarkGray)
        } else {
            Style::default()
        }
    }
    pub fn guidance(&self) -> Style {
        self.fg(Color::Cyan)
    }
    pub fn focus_border(&self) -> Style {
        if self.color {
            Style::default()
                .fg(Color::Yellow)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::default().add_modifier(Modifier::BOLD)
        }
    }
    pub fn border(&self) -> Style {
        self.dim()
    }
    pub fn error(&self) -> Style {
        if self.color {
            Style::default().fg(Color::Red).add_modifier(Modifier::BOLD)
        } else {
            Style::default().add_modifier(Modifier::BOLD)
        }
    }
    pub fn ok(&self) -> Style {
        self.fg(Color::Green)
    }
    pub fn selected(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }
    pub fn cursor(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }
    pub fn input(&self) -> Style {
        Style::default().add_modifier(Modifier::UNDERLINED)
    }
}

/// The frame with every mark and border a bare console's font may lack
/// made ASCII: boxes `+-|`, ✓ `v`, ◐ `~`, ⚠ `!`, ▶ `>`, ◀ `<`, … `.`.
/// Letters (Vietnamese among them) are left as they are: a console shows
/// them with a Vietnamese font (README: "Bare consoles").
pub fn to_ascii(buf: &mut ratatui::buffer::Buffer) {
    for cell in buf.content.iter_mut() {
        let mut chars = cell.symbol().chars();
        let (Some(c), None) = (chars.next(), chars.next()) else {
            continue;
        };
        if let Some(a) = ascii_of(c) {
            cell.set_char(a);
        }
    }
}

/// The ASCII stand-in of a mark or a box character; `None` for anything
/// else.
pub fn ascii_of(c: char) -> Option<char> {
    Some(match c {
        '─' | '━' | '═' | '╌' | '╍' | '┄' | '┅' | '┈' | '┉' | '╴' | '╶' | '╸' | '╺' => {
            '-'
        }
        '│' | '┃' | '║' | '╎' | '╏' | '┆' | '┇' | '┊' | '┋' | '╵' | '╷' | '╹' | '╻' => {
            '|'
        }
        '\u{2500}'..='\u{257F}' => '+',
        '\u{2580}'..='\u{259F}' => '#',
        '▶' | '►' | '▸' | '▹' | '→' | '»' | '›' => '>',
        '◀' | '◄' | '◂' | '◃' | '←' | '«' | '‹' => '<',
        '▲' | '△' | '↑' => '^',
        '▼' | '▽' | '↓' => 'v',
        '◐' | '◑' | '◒' | '◓' => '~',
        '○' | '◯' => 'o',
        '✓' | '✔' => 'v',
        '✗' | '✘' | '×' => 'x',
        '⚠' | '❗' => '!',
        '…' => '.',
        '–' | '—' => '-',
        '•' | '●' | '◆' | '■' | '★' => '*',
        '\u{25A0}'..='\u{25FF}' => '*',
        _ => return None,
    })
}
