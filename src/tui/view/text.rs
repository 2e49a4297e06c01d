//! Cutting text to a display width with `…`, and wrapping it at spaces.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// `text` cut to at most `width` columns, ending in `…` when cut.
pub fn fit(text: &str, width: usize) -> String {
    let text = clean(text);
    if text.width() <= width {
        return text.into_owned();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Text with control characters made visible as spaces, so a value holding
/// a newline or tab cannot break the screen.
pub fn clean(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(char::is_control) {
        text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect::<String>().into()
    } else {
        text.into()
    }
}

/// `text` broken into lines of at most `width` columns at spaces; a word
/// longer than a line is cut with `…`.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in clean(text).split(' ').filter(|w| !w.is_empty()) {
        let needed = line.width() + usize::from(!line.is_empty()) + word.width();
        if !line.is_empty() && needed > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
        if line.width() > width {
            lines.push(fit(&std::mem::take(&mut line), width));
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
    fn cuts_with_an_ellipsis() {
        assert_eq!(fit("postgres://x", 6), "postg…");
        assert_eq!(fit("short", 6), "short");
        assert_eq!(fit("••••••••", 8), "••••••••");
        assert_eq!(fit("a\tb c", 4), "a b…");
    }

    #[test]
    fn wraps_at_spaces() {
        assert_eq!(wrap("65 is above the maximum 64", 12), ["65 is above", "the maximum", "64"]);
        assert_eq!(wrap("abcdefgh ij", 4), ["abc…", "ij"]);
        assert_eq!(wrap("", 4), [""]);
    }
}
