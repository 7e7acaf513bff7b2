//! One editable text: a ratatui-textarea kept in NFC, moving by grapheme,
//! with undo/redo on the keys people know (Ctrl+Z, Ctrl+Y).

use crate::text::nfc;
use crate::vi::ime::{Method, ToneStyle};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Style;
use ratatui_textarea::{CursorMove, TextArea, WrapMode};
use std::cell::Cell;
use unicode_segmentation::{GraphemeCursor, UnicodeSegmentation};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The text changed.
    Changed,
    /// The key was used (the cursor moved) but the text is the same.
    Used,
    /// Not a key for the text box; the caller decides.
    Ignored,
}

/// The built-in input method as a text box uses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ime {
    pub method: Method,
    pub style: ToneStyle,
}

impl Ime {
    pub const OFF: Ime = Ime {
        method: Method::Off,
        style: ToneStyle::Old,
    };
}

pub struct TextBox {
    area: TextArea<'static>,
    pub multiline: bool,
    /// The character count, drawn on every frame: counted again only after
    /// the text changed.
    count: Cell<Option<usize>>,
}

impl TextBox {
    pub fn new(text: &str, multiline: bool) -> TextBox {
        let text = if multiline {
            nfc(text)
        } else {
            nfc(text).replace('\n', " ")
        };
        let mut area = TextArea::from(text.split('\n').map(str::to_owned).collect::<Vec<_>>());
        area.set_wrap_mode(if multiline {
            WrapMode::Word
        } else {
            WrapMode::None
        });
        // Undo is per character in the widget: keep a long history.
        area.set_max_histories(10_000);
        area.move_cursor(CursorMove::Bottom);
        area.move_cursor(CursorMove::End);
        TextBox {
            area,
            multiline,
            count: Cell::new(None),
        }
    }

    /// Gives the widget the looks it is drawn with (see `draw::draw_textbox`),
    /// so that it can be drawn in place rather than as a copy.
    pub fn set_looks(&mut self, cursor: Style, placeholder: &str, placeholder_style: Style) {
        if !self.styled_as(cursor, placeholder, placeholder_style) {
            self.area.set_cursor_line_style(Style::default());
            self.area.set_cursor_style(cursor);
            self.area.set_placeholder_text(placeholder);
            self.area.set_placeholder_style(placeholder_style);
        }
    }

    /// Whether the widget already has these looks.
    pub fn styled_as(&self, cursor: Style, placeholder: &str, placeholder_style: Style) -> bool {
        self.area.cursor_style() == cursor
            && self.area.cursor_line_style() == Style::default()
            && self.area.placeholder_text() == placeholder
            && (placeholder.is_empty() || self.area.placeholder_style() == Some(placeholder_style))
    }

    /// The widget, to draw.
    pub fn widget(&self) -> &TextArea<'static> {
        &self.area
    }

    pub fn lines(&self) -> &[String] {
        self.area.lines()
    }

    pub fn text(&self) -> String {
        self.area.lines().join("\n")
    }

    pub fn set_text(&mut self, text: &str) {
        let multiline = self.multiline;
        let style = self.area.cursor_style();
        *self = TextBox::new(text, multiline);
        self.area.set_cursor_style(style);
    }

    /// Puts the cursor at character `offset` of the text (a line break
    /// counts as one character), or at its end when past it.
    pub fn set_cursor_char(&mut self, offset: usize) {
        let lines = self.area.lines();
        let last = lines.len().saturating_sub(1);
        let mut at = (last, lines.last().map_or(0, |l| l.chars().count()));
        let mut left = offset;
        for (row, l) in lines.iter().enumerate() {
            let n = l.chars().count();
            if left <= n {
                at = (row, left);
                break;
            }
            left -= n + 1;
        }
        let clamp = |n: usize| n.min(u16::MAX as usize) as u16;
        self.area
            .move_cursor(CursorMove::Jump(clamp(at.0), clamp(at.1)));
        self.snap(true);
    }

    /// Characters as a person counts them (graphemes).
    pub fn char_count(&self) -> usize {
        if let Some(n) = self.count.get() {
            return n;
        }
        let lines = self.area.lines();
        let n = lines.iter().map(|l| graphemes(l)).sum::<usize>() + lines.len().saturating_sub(1);
        self.count.set(Some(n));
        n
    }

    pub fn key(&mut self, key: KeyEvent) -> Outcome {
        self.key_ime(key, Ime::OFF)
    }

    pub fn undo(&mut self) -> Outcome {
        self.edited(|a| a.undo())
    }

    pub fn redo(&mut self) -> Outcome {
        self.edited(|a| a.redo())
    }

    /// Deletes the word before the cursor.
    pub fn delete_word(&mut self) -> Outcome {
        self.edited(|a| a.delete_word())
    }

    fn edited(&mut self, f: impl FnOnce(&mut TextArea<'static>) -> bool) -> Outcome {
        if f(&mut self.area) {
            self.count.set(None);
            Outcome::Changed
        } else {
            Outcome::Used
        }
    }

    /// A key, with the built-in input method turning ASCII keystrokes into
    /// Vietnamese ("ddwowngf" → "đường"). Keys a system input method sent
    /// already transformed pass through untouched.
    pub fn key_ime(&mut self, key: KeyEvent, ime: Ime) -> Outcome {
        let outcome = self.apply_key(key, ime);
        if outcome == Outcome::Changed {
            self.count.set(None);
        }
        outcome
    }

    fn apply_key(&mut self, key: KeyEvent, ime: Ime) -> Outcome {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        let changed = |b: bool| if b { Outcome::Changed } else { Outcome::Used };
        match key.code {
            KeyCode::Char('z') if ctrl => changed(self.area.undo()),
            KeyCode::Char('y') if ctrl => changed(self.area.redo()),
            KeyCode::Char('w') if ctrl => changed(self.area.delete_word()),
            KeyCode::Char(c) if !ctrl && !alt => {
                if !self.compose(c, ime) {
                    self.insert_char(c);
                }
                Outcome::Changed
            }
            KeyCode::Enter if self.multiline && !ctrl && !alt => {
                self.area.insert_newline();
                Outcome::Changed
            }
            KeyCode::Backspace if ctrl || alt => changed(self.area.delete_word()),
            KeyCode::Backspace => changed(self.area.delete_char()),
            KeyCode::Delete => changed(self.area.delete_next_char()),
            KeyCode::Left if ctrl => self.moved(CursorMove::WordBack),
            KeyCode::Right if ctrl => self.moved(CursorMove::WordForward),
            KeyCode::Left => {
                self.area.move_cursor(CursorMove::Back);
                self.snap(false);
                Outcome::Used
            }
            KeyCode::Right => {
                self.area.move_cursor(CursorMove::Forward);
                self.snap(true);
                Outcome::Used
            }
            KeyCode::Up if self.multiline => self.moved(CursorMove::Up),
            KeyCode::Down if self.multiline => self.moved(CursorMove::Down),
            KeyCode::Home if ctrl => self.moved(CursorMove::Top),
            KeyCode::End if ctrl => {
                self.area.move_cursor(CursorMove::Bottom);
                self.moved(CursorMove::End)
            }
            KeyCode::Home => self.moved(CursorMove::Head),
            KeyCode::End => self.moved(CursorMove::End),
            _ => Outcome::Ignored,
        }
    }

    /// Rewrites the word before the cursor when the input method takes `c`.
    fn compose(&mut self, c: char, ime: Ime) -> bool {
        if ime.method == Method::Off || !c.is_ascii() {
            return false;
        }
        let (row, col) = (self.area.cursor().0, self.area.cursor().1);
        let line = &self.area.lines()[row];
        let word = crate::vi::ime::word_before(&line[..byte_at(line, col)]);
        let Some(new) = crate::vi::ime::apply(ime.method, ime.style, word, c) else {
            return false;
        };
        for _ in 0..word.chars().count() {
            self.area.delete_char();
        }
        self.area.insert_str(nfc(&new));
        true
    }

    fn moved(&mut self, m: CursorMove) -> Outcome {
        self.area.move_cursor(m);
        Outcome::Used
    }

    /// Typed text reaches the widget in NFC: a combining mark sent on its
    /// own is composed with the letter before it.
    fn insert_char(&mut self, c: char) {
        if c == '\n' || c == '\r' {
            if self.multiline {
                self.area.insert_newline();
            }
            return;
        }
        if c.is_control() {
            return;
        }
        if unicode_normalization::char::is_combining_mark(c) {
            let (row, col) = (self.area.cursor().0, self.area.cursor().1);
            if col > 0
                && let Some(prev) = self.area.lines()[row].chars().nth(col - 1)
                && let Some(composed) = unicode_normalization::char::compose(prev, c)
            {
                self.area.delete_char();
                self.area.insert_char(composed);
                return;
            }
        }
        self.area.insert_char(c);
    }

    /// Pasted text: NFC, control characters dropped, one line when the
    /// field is one line.
    pub fn paste(&mut self, text: &str) -> bool {
        self.count.set(None);
        let clean: String = nfc(&text.replace("\r\n", "\n").replace('\r', "\n"))
            .chars()
            .map(|c| if c == '\t' { ' ' } else { c })
            .filter(|c| *c == '\n' || !c.is_control())
            .collect();
        let clean = if self.multiline {
            clean
        } else {
            clean.replace('\n', " ")
        };
        self.area.insert_str(clean)
    }

    /// Keeps the cursor off the middle of a grapheme (a letter with a
    /// combining mark that has no precomposed form). Looks only around the
    /// cursor: a 20,000-character paragraph is one line.
    fn snap(&mut self, forward: bool) {
        let (row, col) = (self.area.cursor().0, self.area.cursor().1);
        let line = &self.area.lines()[row];
        let at = byte_at(line, col);
        let mut cursor = GraphemeCursor::new(at, line.len(), true);
        if cursor.is_boundary(line, 0).unwrap_or(true) {
            return;
        }
        let target = if forward {
            cursor.next_boundary(line, 0)
        } else {
            cursor.prev_boundary(line, 0)
        };
        if let Ok(Some(t)) = target {
            let t = line[..t].chars().count();
            self.area
                .move_cursor(CursorMove::Jump(row as u16, t as u16));
        }
    }
}

/// The byte offset of character `col` in `line` (its end when past it).
fn byte_at(line: &str, col: usize) -> usize {
    line.char_indices().nth(col).map_or(line.len(), |(i, _)| i)
}

/// The graphemes of a line, counted fast for the usual case: in Latin and
/// precomposed Vietnamese letters every character is one grapheme. The
/// count is drawn on every frame after a change; segmenting a
/// 20,000-character answer took a third of a millisecond.
fn graphemes(line: &str) -> usize {
    if crate::text::latin_only(line) {
        line.chars().count()
    } else {
        line.graphemes(true).count()
    }
}
