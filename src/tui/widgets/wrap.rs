//! Words laid out in lines of a width, for the lists whose entries are
//! never cut (the import's reasons): greedy, at spaces; a word longer
//! than a line (a path) is broken where the line ends.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// `text` in lines at most `width` columns wide (at least one line).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    // Leading spaces (an indent, a mark's padding) stay on the first line.
    let body = text.trim_start_matches(' ');
    let lead = text.len() - body.len();
    if lead > 0 && lead < width {
        let mut lines = wrap(body, width - lead);
        lines[0].insert_str(0, &" ".repeat(lead));
        return lines;
    }
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let w = word.width();
        let need = if line.is_empty() {
            w
        } else {
            line.width() + 1 + w
        };
        if need <= width {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if w <= width {
            line.push_str(word);
            continue;
        }
        // Longer than a line: broken into pieces.
        let mut used = 0;
        for c in word.chars() {
            let cw = c.width().unwrap_or(0);
            if used + cw > width {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            line.push(c);
            used += cw;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_wrap_and_nothing_is_lost() {
        let text = "Từ chối /media/usb/26212-r1-abcdef.bcpkg: mã kiểm tra không khớp.";
        for width in [8, 13, 20, 40, 200] {
            let lines = wrap(text, width);
            assert!(lines.iter().all(|l| l.width() <= width), "{lines:?}");
            let joined: String = lines.concat();
            assert_eq!(
                joined.replace(' ', ""),
                text.replace(' ', ""),
                "every character kept at {width}"
            );
        }
        assert_eq!(wrap("a b c", 3), ["a b", "c"]);
        assert_eq!(wrap("", 5), [""]);
        assert_eq!(wrap(" ✗ tệp", 20), [" ✗ tệp"]);
    }
}
