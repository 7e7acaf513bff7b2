//! One editable text: a ratatui-textarea kept in NFC, moving by grapheme,
//! with undo/redo on the keys people know (Ctrl+Z, Ctrl+Y).
//!
//! Undo goes back by what the user did, not by the widget's edits: one
//! typed word (with the space after it), one step of the input method
//! (`Viê` + `j` → `Việ`, which the widget does as deletes and an insert),
//! one deletion, one paste. So it never shows a word half rewritten.
//!
//! A word in which a system input method (Unikey, ibus) sent a composed
//! letter (`ò`, `ủ`) is that method's: the built-in one leaves the rest of
//! the word alone, so `hò` + `a` stays `hòa` and `ủ` + `y` stays `ủy`.

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
    /// The steps Ctrl+Z takes back, oldest first, each the number of the
    /// widget's own edits it is made of; and those Ctrl+Y does again.
    undo: Vec<usize>,
    redo: Vec<usize>,
    /// The last step is a word being typed, which the next plain letter
    /// joins: where it ends, and whether it ends in a space.
    typing: Option<Typing>,
    /// A system input method sent a composed letter in the word being
    /// typed (see the module's notes).
    foreign_word: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Typing {
    at: (usize, usize),
    after_space: bool,
    /// A letter joins the step (not after an input method's step: that
    /// step is one of its own; a space after it joins it).
    letters_join: bool,
}

/// The widget's history is kept this long (edits); the steps undo knows
/// stay a little shorter, so that undo never reaches into a step whose
/// first edits the widget has already forgotten.
const HISTORY: usize = 10_000;
const STEPS_EDITS: usize = 9_000;

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
        area.set_max_histories(HISTORY);
        area.move_cursor(CursorMove::Bottom);
        area.move_cursor(CursorMove::End);
        TextBox {
            area,
            multiline,
            count: Cell::new(None),
            undo: Vec::new(),
            redo: Vec::new(),
            typing: None,
            foreign_word: false,
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
        self.jump(at, true);
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

    /// The cursor as (line, character in the line).
    pub fn cursor(&self) -> (usize, usize) {
        let c = self.area.cursor();
        (c.0, c.1)
    }

    /// Puts the cursor at (line, character), clamped to the text and kept
    /// off the middle of a letter.
    pub fn set_cursor(&mut self, (row, col): (usize, usize)) {
        let lines = self.area.lines();
        let row = row.min(lines.len().saturating_sub(1));
        let col = col.min(lines[row].chars().count());
        self.jump((row, col), false);
    }

    /// The cursor to (line, character), then to the nearest letter's edge,
    /// after it (`forward`) or before it.
    fn jump(&mut self, (row, col): (usize, usize), forward: bool) {
        let clamp = |n: usize| u16::try_from(n).unwrap_or(u16::MAX);
        self.area
            .move_cursor(CursorMove::Jump(clamp(row), clamp(col)));
        self.snap(forward);
    }

    pub fn key(&mut self, key: KeyEvent) -> Outcome {
        self.key_ime(key, Ime::OFF)
    }

    /// Takes back the last step: a typed word, an input method's step, a
    /// deletion or a paste.
    pub fn undo(&mut self) -> Outcome {
        self.end_word();
        let Some(edits) = self.undo.pop() else {
            return Outcome::Used;
        };
        let mut changed = false;
        for _ in 0..edits {
            changed |= self.area.undo();
        }
        self.redo.push(edits);
        self.changed(changed)
    }

    /// Does again the last step taken back.
    pub fn redo(&mut self) -> Outcome {
        self.end_word();
        let Some(edits) = self.redo.pop() else {
            return Outcome::Used;
        };
        let mut changed = false;
        for _ in 0..edits {
            changed |= self.area.redo();
        }
        self.undo.push(edits);
        self.changed(changed)
    }

    /// Deletes the word before the cursor.
    pub fn delete_word(&mut self) -> Outcome {
        self.end_word();
        let done = self.area.delete_word();
        self.step(usize::from(done));
        self.changed(done)
    }

    fn changed(&mut self, changed: bool) -> Outcome {
        if changed {
            self.count.set(None);
            Outcome::Changed
        } else {
            Outcome::Used
        }
    }

    /// A new step of `edits` of the widget's edits (none: nothing done).
    fn step(&mut self, edits: usize) {
        if edits == 0 {
            return;
        }
        self.redo.clear();
        self.undo.push(edits);
        let mut total: usize = self.undo.iter().sum();
        let mut drop = 0;
        while total > STEPS_EDITS && drop < self.undo.len() {
            total -= self.undo[drop];
            drop += 1;
        }
        self.undo.drain(..drop);
    }

    /// The word being typed is over: the next letter starts a new step
    /// and the built-in input method may work on it again.
    fn end_word(&mut self) {
        self.typing = None;
        self.foreign_word = false;
    }

    /// A plain character typed: it joins the word being typed (a space
    /// after a word too; a letter after a space starts the next word).
    fn typed(&mut self, c: char, at: (usize, usize)) {
        let space = c.is_whitespace();
        let joins = self
            .typing
            .is_some_and(|t| t.at == at && (space || (t.letters_join && !t.after_space)));
        match self.undo.last_mut() {
            Some(last) if joins => {
                *last += 1;
                self.redo.clear();
            }
            _ => self.step(1),
        }
        self.typing = Some(Typing {
            at: self.cursor_at(),
            after_space: space,
            letters_join: true,
        });
    }

    fn cursor_at(&self) -> (usize, usize) {
        let c = self.area.cursor();
        (c.0, c.1)
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
        let outcome = match key.code {
            KeyCode::Char('z') if ctrl => return self.undo(),
            KeyCode::Char('y') if ctrl => return self.redo(),
            KeyCode::Char('w') if ctrl => return self.delete_word(),
            KeyCode::Char(c) if !ctrl && !alt => {
                if !self.compose(c, ime) {
                    self.insert_char(c);
                }
                return Outcome::Changed;
            }
            KeyCode::Enter if self.multiline && !ctrl && !alt => {
                self.end_word();
                self.area.insert_newline();
                self.step(1);
                return Outcome::Changed;
            }
            KeyCode::Backspace if ctrl || alt => return self.delete_word(),
            KeyCode::Backspace => {
                // Within a word the system input method's word stays its
                // own: it rewrites with Backspaces.
                self.typing = None;
                let done = self.area.delete_char();
                self.step(usize::from(done));
                return changed(done);
            }
            KeyCode::Delete => {
                self.end_word();
                let done = self.area.delete_next_char();
                self.step(usize::from(done));
                return changed(done);
            }
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
        };
        // Every other key moves the cursor, or is not the box's.
        if outcome == Outcome::Used {
            self.end_word();
        }
        outcome
    }

    /// Rewrites the word before the cursor when the input method takes `c`:
    /// one step for undo.
    fn compose(&mut self, c: char, ime: Ime) -> bool {
        if ime.method == Method::Off || !c.is_ascii() || self.foreign_word {
            return false;
        }
        let (row, col) = self.cursor_at();
        let line = &self.area.lines()[row];
        let before = &line[..byte_at(line, col)];
        let word = crate::vi::ime::word_before(before);
        let Some(new) = crate::vi::ime::rewrite(ime.method, ime.style, before, c) else {
            return false;
        };
        let mut edits = 0;
        for _ in 0..word.chars().count() {
            edits += usize::from(self.area.delete_char());
        }
        edits += usize::from(self.area.insert_str(nfc(&new)));
        self.step(edits);
        self.typing = Some(Typing {
            at: self.cursor_at(),
            after_space: false,
            letters_join: false,
        });
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
                self.end_word();
                self.area.insert_newline();
                self.step(1);
            }
            return;
        }
        if c.is_control() {
            return;
        }
        if crate::vi::ime::is_composed(c) {
            self.foreign_word = true;
        } else if crate::vi::ime::ends_word(c) {
            self.foreign_word = false;
        }
        if unicode_normalization::char::is_combining_mark(c) {
            let (row, col) = self.cursor_at();
            if col > 0
                && let Some(prev) = self.area.lines()[row].chars().nth(col - 1)
                && let Some(composed) = unicode_normalization::char::compose(prev, c)
            {
                self.typing = None;
                let edits = usize::from(self.area.delete_char()) + 1;
                self.area.insert_char(composed);
                self.step(edits);
                return;
            }
        }
        let at = self.cursor_at();
        self.area.insert_char(c);
        self.typed(c, at);
    }

    /// Pasted text: NFC, control characters dropped, one line when the
    /// field is one line.
    pub fn paste(&mut self, text: &str) -> bool {
        self.count.set(None);
        self.end_word();
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
        let done = self.area.insert_str(clean);
        self.step(usize::from(done));
        done
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

#[cfg(test)]
mod tests {
    use super::*;

    fn press(tb: &mut TextBox, c: char) {
        tb.key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }

    /// Past the widget's history, undo stops at a whole step: the oldest
    /// steps are forgotten whole, never their first edits alone.
    #[test]
    fn undo_stops_at_a_whole_step_when_the_history_is_full() {
        let mut tb = TextBox::new("", false);
        for _ in 0..6_000 {
            press(&mut tb, 'a');
            press(&mut tb, ' ');
        }
        let mut undone = 0;
        while tb.undo() == Outcome::Changed {
            undone += 1;
        }
        assert!(undone <= STEPS_EDITS / 2 && undone > 4_000, "{undone}");
        assert_eq!(tb.text(), "a ".repeat(6_000 - undone));
        // And all of it comes back.
        while tb.redo() == Outcome::Changed {}
        assert_eq!(tb.text(), "a ".repeat(6_000));
    }

    #[test]
    fn a_composed_letter_marks_the_word_as_the_system_input_methods() {
        let telex = Ime {
            method: Method::Telex,
            style: ToneStyle::Old,
        };
        let mut tb = TextBox::new("", false);
        for c in "hòa".chars() {
            tb.key_ime(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE), telex);
        }
        assert!(tb.foreign_word);
        tb.key_ime(KeyEvent::new(KeyCode::Char(' '), KeyModifiers::NONE), telex);
        assert!(!tb.foreign_word);
        tb.key_ime(KeyEvent::new(KeyCode::Char('ủ'), KeyModifiers::NONE), telex);
        tb.key_ime(KeyEvent::new(KeyCode::Left, KeyModifiers::NONE), telex);
        assert!(!tb.foreign_word, "moving the cursor ends the word");
    }
}
