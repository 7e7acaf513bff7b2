use crate::cursor::{DataCursor, ScreenCursor};
use crate::textarea::TextArea;
use crate::util::{char_width, num_digits};
use crate::wrap::{
    WrapMode, WrappedLine, effective_wrap_width, line_ranges, wrap_word_chunks_from,
};

#[derive(Debug, Clone, Copy)]
pub(crate) struct ScreenLine {
    pub wrapped: WrappedLine,
    pub screen_width: usize,
    pub cursor_max_col: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct DataLine {
    pub first_screen_line: usize,
    pub screen_line_count: usize,
    pub pure_ascii: bool,
}

fn is_pure_ascii(line: &str) -> bool {
    line.is_ascii() && !line.contains('\t')
}

fn char_display_width(c: char, col: usize, tab_len: u8, mask: Option<char>) -> usize {
    // A masked line is drawn as one mask character per char, so each char is as wide as the mask.
    if let Some(mask) = mask {
        char_width(mask)
    } else if c == '\t' {
        let tab = tab_len.max(1) as usize;
        let pad = tab - (col % tab);
        pad.max(1)
    } else {
        char_width(c)
    }
}

fn display_width(text: &str, tab_len: u8, mask: Option<char>) -> usize {
    let mut col = 0usize;
    for c in text.chars() {
        col += char_display_width(c, col, tab_len, mask);
    }
    col
}

fn screen_col_for_char_offset(
    text: &str,
    char_offset: usize,
    tab_len: u8,
    mask: Option<char>,
) -> usize {
    let mut col = 0usize;
    for c in text.chars().take(char_offset) {
        col += char_display_width(c, col, tab_len, mask);
    }
    col
}

fn char_offset_for_screen_col(
    text: &str,
    screen_col: usize,
    tab_len: u8,
    mask: Option<char>,
) -> usize {
    let mut col = 0usize;
    let mut chars = 0usize;
    for c in text.chars() {
        if col >= screen_col {
            break;
        }
        let width = char_display_width(c, col, tab_len, mask);
        if col + width > screen_col {
            break;
        }
        col += width;
        chars += 1;
    }
    chars
}

/// What the screen map was last built from, line by line, so that an edit re-wraps only the
/// lines (and within a long line, only the rows) it changed. Wrapping all of a 20,000-char text
/// on every key took most of a millisecond. (baocao patch.)
#[derive(Debug, Clone, Default)]
pub(crate) struct WrapCache {
    params: Option<WrapParams>,
    lines: Vec<CachedLine>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct WrapParams {
    width: Option<usize>,
    mode: WrapMode,
    tab_len: u8,
    mask: Option<char>,
}

#[derive(Debug, Clone)]
struct CachedLine {
    text: String,
    pure_ascii: bool,
    /// The line's screen lines, with `wrapped.row` 0.
    rows: Vec<ScreenLine>,
}

/// The screen lines of `ranges` of `text`, the first starting at char `start_col`; the last
/// one ends the line when `ends_line`.
fn screen_lines_of(
    text: &str,
    ranges: &[(usize, usize)],
    start_col: usize,
    ends_line: bool,
    params: WrapParams,
) -> Vec<ScreenLine> {
    let mut start_col = start_col;
    ranges
        .iter()
        .enumerate()
        .map(|(i, &(start_byte, end_byte))| {
            let end_col = start_col + text[start_byte..end_byte].chars().count();
            let wrapped = WrappedLine {
                row: 0,
                start_byte,
                end_byte,
                start_col,
                end_col,
                first_in_row: start_byte == 0,
                last_in_row: ends_line && i + 1 == ranges.len(),
            };
            start_col = end_col;
            screen_line(text, wrapped, params)
        })
        .collect()
}

fn screen_line(text: &str, wrapped: WrappedLine, params: WrapParams) -> ScreenLine {
    let fragment = &text[wrapped.start_byte..wrapped.end_byte];
    let screen_width = display_width(fragment, params.tab_len, params.mask);
    let cursor_max_col = if wrapped.last_in_row {
        screen_width
    } else {
        let char_count = wrapped.end_col.saturating_sub(wrapped.start_col);
        screen_col_for_char_offset(
            fragment,
            char_count.saturating_sub(1),
            params.tab_len,
            params.mask,
        )
    };
    ScreenLine {
        wrapped,
        screen_width,
        cursor_max_col,
    }
}

/// Wraps one line from scratch.
fn wrap_line(text: &str, params: WrapParams) -> Vec<ScreenLine> {
    let ranges = match params.width {
        Some(width) => line_ranges(text, params.mode, width, params.tab_len, params.mask),
        None => vec![(0, text.len())],
    };
    screen_lines_of(text, &ranges, 0, true, params)
}

/// The length of the common prefix of `a` and `b`, at a char boundary of both.
fn common_prefix(a: &str, b: &str) -> usize {
    let n = a
        .as_bytes()
        .iter()
        .zip(b.as_bytes())
        .take_while(|(x, y)| x == y)
        .count();
    (0..=n).rev().find(|&i| a.is_char_boundary(i)).unwrap_or(0)
}

/// The length of the common suffix of `a` and `b` that does not reach into their first
/// `prefix` bytes, at a char boundary of both.
fn common_suffix(a: &str, b: &str, prefix: usize) -> usize {
    let max = a.len().min(b.len()) - prefix;
    let n = a
        .as_bytes()
        .iter()
        .rev()
        .zip(b.as_bytes().iter().rev())
        .take(max)
        .take_while(|(x, y)| x == y)
        .count();
    (0..=n)
        .rev()
        .find(|&i| a.is_char_boundary(a.len() - i))
        .unwrap_or(0)
}

/// A word boundary that the text around it cannot move: a space on one side and a letter or
/// digit on the other (or the start of the line). Word segmentation after such a boundary, and
/// greedy wrapping of a row that starts there, depend only on the text after it.
fn stable_boundary(text: &str, at: usize) -> bool {
    if at == 0 {
        return true;
    }
    let before = text[..at].chars().next_back();
    let after = text[at..].chars().next();
    match (before, after) {
        (Some(' '), Some(c)) => c.is_alphanumeric(),
        (Some(c), Some(' ')) => c.is_alphanumeric(),
        _ => false,
    }
}

/// Re-wraps `text`, an edit of `old.text`, word-wrapped. The rows before the edit are kept:
/// wrapping starts again at a stable row start before the row the edit is in (a word made
/// shorter may now fit on the row before; a word joined across the old rows starts earlier),
/// and stops at the first stable row start in the unchanged tail where an old row started too;
/// the old rows from there are kept (shifted). Greedy word wrapping of a row depends only on
/// the text from the row's start, so this gives the rows a wrap from scratch gives.
fn rewrap_line(text: &str, old: &CachedLine, width: usize, params: WrapParams) -> Vec<ScreenLine> {
    let prefix = common_prefix(&old.text, text);
    let suffix = common_suffix(&old.text, text, prefix);
    let edited = old
        .rows
        .partition_point(|r| r.wrapped.start_byte <= prefix)
        .saturating_sub(1);
    let restart = (0..edited)
        .rev()
        .find(|&r| stable_boundary(&old.text, old.rows[r].wrapped.start_byte))
        .unwrap_or(0);
    let from = old.rows[restart].wrapped.start_byte;

    let byte_delta = text.len() as isize - old.text.len() as isize;
    let tail_new = text.len() - suffix;
    let tail_old = old.text.len() - suffix;
    let old_starts = &old.rows[restart..];
    let mut resume = None;
    let (ranges, stopped) = wrap_word_chunks_from(
        text,
        from,
        width,
        params.tab_len,
        params.mask,
        params.mode == WrapMode::WordOrGlyph,
        |start| {
            let before = text[..start].chars().next_back().map_or(0, char::len_utf8);
            if start == from || start < tail_new + before || !stable_boundary(text, start) {
                return false;
            }
            let old_start = (start as isize - byte_delta) as usize;
            if old_start < tail_old {
                return false;
            }
            match old_starts.binary_search_by_key(&old_start, |r| r.wrapped.start_byte) {
                Ok(i) => {
                    resume = Some(restart + i);
                    true
                }
                Err(_) => false,
            }
        },
    );
    if stopped.is_none() {
        resume = None;
    }

    let mut rows: Vec<ScreenLine> = old.rows[..restart].to_vec();
    let mut ranges = ranges;
    if ranges.is_empty() && resume.is_none() {
        ranges.push((from, from));
    }
    let start_col = old.rows[restart].wrapped.start_col;
    rows.extend(screen_lines_of(
        text,
        &ranges,
        start_col,
        resume.is_none(),
        params,
    ));
    if let Some(resume) = resume {
        let end_col = rows.last().map_or(start_col, |r| r.wrapped.end_col);
        let col_delta = end_col as isize - old.rows[resume].wrapped.start_col as isize;
        rows.extend(old.rows[resume..].iter().map(|r| {
            let mut r = *r;
            r.wrapped.start_byte = (r.wrapped.start_byte as isize + byte_delta) as usize;
            r.wrapped.end_byte = (r.wrapped.end_byte as isize + byte_delta) as usize;
            r.wrapped.start_col = (r.wrapped.start_col as isize + col_delta) as usize;
            r.wrapped.end_col = (r.wrapped.end_col as isize + col_delta) as usize;
            r.wrapped.first_in_row = r.wrapped.start_byte == 0;
            r
        }));
    }
    rows
}

impl TextArea<'_> {
    fn wrap_params(&self) -> WrapParams {
        let width = if self.wrap_mode() != WrapMode::None {
            let width = self.area.get().width;
            if width > 0 {
                let line_number_len = self
                    .line_number_style()
                    .map(|_| num_digits(self.lines.len()));
                Some(effective_wrap_width(width, line_number_len))
            } else {
                None
            }
        } else {
            None
        };
        WrapParams {
            width,
            mode: self.wrap_mode(),
            tab_len: self.tab_length(),
            mask: self.mask_char(),
        }
    }

    pub(crate) fn screen_map_load(&self) {
        let params = self.wrap_params();
        let mut cache = self.wrap_cache.borrow_mut();
        if cache.params != Some(params) {
            cache.params = Some(params);
            cache.lines.clear();
        }

        // The lines the edit left alone, at the start and at the end, keep their rows.
        let mut old = std::mem::take(&mut cache.lines);
        let new = &self.lines;
        let same = old.len().min(new.len());
        let prefix = old
            .iter()
            .zip(new)
            .take_while(|(o, n)| o.text == **n)
            .count();
        let suffix = old
            .iter()
            .rev()
            .zip(new.iter().rev())
            .take(same - prefix)
            .take_while(|(o, n)| o.text == **n)
            .count();
        let tail = old.split_off(old.len() - suffix);
        let changed = old.split_off(prefix);
        let mut lines = old;
        for (i, text) in new[prefix..new.len() - suffix].iter().enumerate() {
            // A line edited in place, or the first of the lines a line was split into.
            let before = changed
                .get(i)
                .filter(|_| i == 0 || changed.len() == new.len() - suffix - prefix);
            let rows = match (before, params.width) {
                (Some(before), Some(width))
                    if params.mode == WrapMode::Word && !before.rows.is_empty() =>
                {
                    rewrap_line(text, before, width, params)
                }
                _ => wrap_line(text, params),
            };
            lines.push(CachedLine {
                text: text.clone(),
                pure_ascii: is_pure_ascii(text),
                rows,
            });
        }
        lines.extend(tail);

        let total = lines.iter().map(|l| l.rows.len()).sum();
        let mut screen_lines = Vec::with_capacity(total);
        let mut data_pointers = Vec::with_capacity(lines.len());
        for (row, line) in lines.iter().enumerate() {
            data_pointers.push(DataLine {
                first_screen_line: screen_lines.len(),
                screen_line_count: line.rows.len(),
                pure_ascii: line.pure_ascii,
            });
            screen_lines.extend(line.rows.iter().map(|r| {
                let mut r = *r;
                r.wrapped.row = row;
                r
            }));
        }
        cache.lines = lines;
        drop(cache);

        *self.screen_lines.borrow_mut() = screen_lines;
        *self.data_pointers.borrow_mut() = data_pointers;
    }

    pub(crate) fn screen_lines_count(&self) -> usize {
        self.screen_lines.borrow().len()
    }

    pub(crate) fn screen_line_width(&self, row: usize) -> usize {
        self.screen_lines.borrow()[row].screen_width
    }

    pub(crate) fn screen_line_max_cursor_col(&self, row: usize) -> usize {
        self.screen_lines.borrow()[row].cursor_max_col
    }

    pub(crate) fn screen_line(&self, row: usize) -> ScreenLine {
        self.screen_lines.borrow()[row]
    }

    pub(crate) fn screen_to_array(&self, screen: ScreenCursor) -> DataCursor {
        if let Some(dc) = screen.dc {
            return dc;
        }

        let line = self.screen_line(screen.row);
        let fragment =
            &self.lines[line.wrapped.row][line.wrapped.start_byte..line.wrapped.end_byte];
        let char_offset =
            char_offset_for_screen_col(fragment, screen.col, self.tab_length(), self.mask_char());
        DataCursor(line.wrapped.row, line.wrapped.start_col + char_offset)
    }

    pub(crate) fn array_to_screen(&self, array: DataCursor) -> ScreenCursor {
        let data_line = &self.data_pointers.borrow()[array.0];
        let screen_lines = self.screen_lines.borrow();

        let mut screen_idx = data_line.first_screen_line;
        for idx in
            data_line.first_screen_line..data_line.first_screen_line + data_line.screen_line_count
        {
            let line = screen_lines[idx];
            let contains = if line.wrapped.last_in_row {
                line.wrapped.start_col <= array.1 && array.1 <= line.wrapped.end_col
            } else {
                line.wrapped.start_col <= array.1 && array.1 < line.wrapped.end_col
            };
            if contains {
                screen_idx = idx;
                break;
            }
        }

        let line = screen_lines[screen_idx];
        let fragment = &self.lines[array.0][line.wrapped.start_byte..line.wrapped.end_byte];
        let char_offset = array.1.saturating_sub(line.wrapped.start_col);
        let col =
            screen_col_for_char_offset(fragment, char_offset, self.tab_length(), self.mask_char());

        ScreenCursor {
            row: screen_idx,
            col,
            char: self.lines[array.0].chars().nth(array.1),
            dc: Some(array),
        }
    }

    pub(crate) fn data_cursor(&self, screen: ScreenCursor) -> DataCursor {
        screen.to_array_cursor(self)
    }

    pub(crate) fn increment_screen_cursor(&self, screen: ScreenCursor) -> ScreenCursor {
        let dc = self.data_cursor(screen);
        self.array_to_screen(DataCursor(dc.0, dc.1 + 1))
    }

    pub(crate) fn decrement_screen_cursor(&self, screen: ScreenCursor) -> ScreenCursor {
        let dc = self.data_cursor(screen);
        self.array_to_screen(DataCursor(dc.0, dc.1 - 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui_core::layout::Rect;

    fn make_textarea(lines: &[&str], wrap_mode: WrapMode, width: u16) -> TextArea<'static> {
        let mut textarea = TextArea::from(lines.iter().copied());
        textarea.set_wrap_mode(wrap_mode);
        textarea.area.set(Rect {
            x: 0,
            y: 0,
            width,
            height: 40,
        });
        textarea.screen_map_load();
        textarea
    }

    fn assert_round_trips(textarea: &TextArea<'_>) {
        for (row, line) in textarea.lines.iter().enumerate() {
            for col in 0..=line.chars().count() {
                let dc = DataCursor(row, col);
                let sc = textarea.array_to_screen(dc);
                assert_eq!(textarea.screen_to_array(sc), dc);

                let detached = ScreenCursor { dc: None, ..sc };
                assert_eq!(textarea.screen_to_array(detached), dc);
                assert_eq!(
                    textarea.array_to_screen(textarea.screen_to_array(detached)),
                    sc
                );
            }
        }
    }

    /// A small deterministic random source (xorshift), so the test needs no crate.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }
    }

    fn state(textarea: &TextArea<'_>) -> (Vec<String>, Vec<DataLine>) {
        let lines = textarea
            .screen_lines
            .borrow()
            .iter()
            .map(|l| format!("{l:?}"))
            .collect();
        (lines, textarea.data_pointers.borrow().clone())
    }

    /// After any edit, the screen map built from the previous one (re-wrapping only what
    /// changed) is the one a new text area builds from scratch (baocao patch).
    #[test]
    fn incremental_screen_map_equals_a_fresh_one() {
        const PIECES: &[&str] = &[
            "a",
            "b",
            "x",
            " ",
            " ",
            "  ",
            "\t",
            "ệ",
            "đường",
            "can't",
            "'",
            ".",
            ",",
            "-",
            "123",
            "1.234,5",
            "犬",
            "e\u{301}",
            "quán triệt",
            "Nghị quyết",
            "\n",
            "\n",
            "supercalifragilistic",
        ];
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for round in 0..300 {
            let width = [1u16, 2, 3, 5, 8, 13, 24, 40][round % 8];
            let mode = [
                WrapMode::Word,
                WrapMode::Word,
                WrapMode::WordOrGlyph,
                WrapMode::Glyph,
            ][round % 4];
            let mut text = String::new();
            for _ in 0..rng.below(60) {
                text.push_str(PIECES[rng.below(PIECES.len())]);
            }
            let lines: Vec<&str> = text.split('\n').collect();
            let mut textarea = make_textarea(&lines, mode, width);
            for _ in 0..40 {
                let mut lines = textarea.lines.clone();
                let row = rng.below(lines.len());
                let line = &lines[row];
                let cuts: Vec<usize> = (0..=line.len())
                    .filter(|&i| line.is_char_boundary(i))
                    .collect();
                let at = cuts[rng.below(cuts.len())];
                match rng.below(5) {
                    0 | 1 => lines[row]
                        .insert_str(at, PIECES[rng.below(PIECES.len())].trim_end_matches('\n')),
                    2 => {
                        let end = cuts[rng.below(cuts.len())].max(at);
                        lines[row].replace_range(at..end, "");
                    }
                    3 => {
                        let rest = lines[row].split_off(at);
                        lines.insert(row + 1, rest);
                    }
                    _ if row + 1 < lines.len() => {
                        let next = lines.remove(row + 1);
                        lines[row].push_str(&next);
                    }
                    _ => lines[row].clear(),
                }
                textarea.lines = lines.clone();
                textarea.screen_map_load();
                let strs: Vec<&str> = lines.iter().map(String::as_str).collect();
                let fresh = make_textarea(&strs, mode, width);
                assert_eq!(
                    state(&textarea),
                    state(&fresh),
                    "round {round}: {lines:?} at {width}"
                );
            }
        }
    }

    #[test]
    fn screen_map_round_trips_ascii_word_wrap() {
        let textarea = make_textarea(
            &[
                "Lorem ipsum dolor sit amet, consectetur adipiscing elit.",
                "Sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.",
            ],
            WrapMode::Word,
            24,
        );

        assert!(textarea.screen_lines_count() > textarea.lines.len());
        assert_round_trips(&textarea);
    }

    #[test]
    fn screen_map_round_trips_cjk_glyph_wrap() {
        let textarea = make_textarea(
            &["混合中文字符和ASCIIabc来验证屏幕坐标与数据坐标的往返转换。"],
            WrapMode::Glyph,
            12,
        );

        assert!(textarea.screen_lines_count() > textarea.lines.len());
        assert_round_trips(&textarea);
    }

    #[test]
    fn screen_map_round_trips_multilingual_word_or_glyph_wrap() {
        let textarea = make_textarea(
            &[
                "ASCII and русский текст can share one buffer.",
                "第二行 mixed-width 内容 with English words.",
            ],
            WrapMode::WordOrGlyph,
            18,
        );

        assert!(textarea.screen_lines_count() > textarea.lines.len());
        assert_round_trips(&textarea);
    }
}
