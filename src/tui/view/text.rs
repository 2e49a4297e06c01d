//! Cutting text to a display width with `…`, and wrapping it at spaces.
//! Widths are measured per grapheme, as ratatui lays cells out, and a
//! grapheme that terminals draw at different widths (a flag, an emoji
//! joined with ZWJ, a skin tone or a keycap) is written in a form every
//! terminal draws at the width counted: else its leftover half stays on
//! screen when the cell is drawn over.

use std::borrow::Cow;

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// `text` cut to at most `width` columns, ending in `…` when cut; never
/// inside a grapheme.
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
    for grapheme in text.graphemes(true) {
        let w = grapheme.width();
        if used + w > width - 1 {
            break;
        }
        out.push_str(grapheme);
        used += w;
    }
    out.push('…');
    out
}

/// How many columns `text` takes once drawn (`clean`ed, per grapheme as
/// `fit` counts).
pub fn width(text: &str) -> usize {
    if text.is_ascii() { text.len() } else { clean(text).width() }
}

/// Text with control characters made visible as spaces, so a value holding
/// a newline or tab cannot break the screen, and each emoji sequence as
/// `steady` writes it.
pub fn clean(text: &str) -> Cow<'_, str> {
    if text.is_ascii() && !text.bytes().any(|b| b.is_ascii_control()) {
        return text.into();
    }
    let control = text.chars().any(char::is_control);
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    for grapheme in text.graphemes(true) {
        let steady = steady(grapheme);
        changed |= matches!(steady, Cow::Owned(_));
        out.push_str(&steady);
    }
    if !control && !changed {
        return text.into();
    }
    if control {
        out = out.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    }
    out.into()
}

/// Regional indicators (`🇫`): a flag is a pair of them.
const REGIONAL: std::ops::RangeInclusive<char> = '\u{1f1e6}'..='\u{1f1ff}';

/// Whether `c` only makes sense in an emoji sequence: ZWJ, the emoji
/// variation selector, a skin tone, the keycap mark, a tag.
fn joins_emoji(c: char) -> bool {
    matches!(c, '\u{200d}' | '\u{fe0f}' | '\u{20e3}' | '\u{1f3fb}'..='\u{1f3ff}' | '\u{e0020}'..='\u{e007f}')
}

/// A grapheme as every terminal draws it at the width ratatui counts: a
/// flag as its two letters (`FR`), an emoji sequence (ZWJ family, skin
/// tone, keycap, `❤️`) as its first character alone; anything else as it is.
fn steady(grapheme: &str) -> Cow<'_, str> {
    let mut chars = grapheme.chars();
    let Some(first) = chars.next() else { return grapheme.into() };
    if REGIONAL.contains(&first) {
        let letters = grapheme
            .chars()
            .filter(|c| REGIONAL.contains(c))
            .filter_map(|c| char::from_u32(u32::from(c) - 0x1f1e6 + u32::from(b'A')));
        return letters.collect::<String>().into();
    }
    if chars.as_str().chars().any(joins_emoji) {
        return first.to_string().into();
    }
    grapheme.into()
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
    fn cuts_between_graphemes_as_ratatui_counts_them() {
        // A combining accent stays with its letter.
        assert_eq!(fit("e\u{301}e\u{301}e\u{301}", 3), "e\u{301}e\u{301}e\u{301}");
        assert_eq!(fit("e\u{301}e\u{301}e\u{301}x", 3), "e\u{301}e\u{301}…");
        assert_eq!(fit("東京都庁", 5), "東京…");
        for text in
            ["東京都庁", "a🇫🇷b 👨\u{200d}👩\u{200d}👧 c", "1\u{fe0f}\u{20e3} 👋🏽", "e\u{301}x"]
        {
            for width in 0..12 {
                let cut = fit(text, width);
                assert!(cut.width() <= width, "{text:?} in {width}: {cut:?}");
                let per_grapheme: usize = cut.graphemes(true).map(UnicodeWidthStr::width).sum();
                assert_eq!(per_grapheme, cut.width(), "{cut:?}");
            }
        }
    }

    #[test]
    fn emoji_sequences_are_written_as_every_terminal_draws_them() {
        assert_eq!(clean("🇫🇷 Paris"), "FR Paris");
        assert_eq!(clean("team 👨\u{200d}👩\u{200d}👧!"), "team 👨!");
        assert_eq!(clean("👋🏽 hi"), "👋 hi");
        assert_eq!(clean("1\u{fe0f}\u{20e3} one"), "1 one");
        assert_eq!(clean("❤\u{fe0f}"), "❤");
        assert_eq!(clean("東京 e\u{301} 😀"), "東京 e\u{301} 😀", "no sequence: unchanged");
        assert!(matches!(clean("plain"), Cow::Borrowed(_)));
        assert_eq!(clean("a\tb\u{7}"), "a b ");
        assert_eq!(fit("🇫🇷🇩🇪🇮🇹", 5), "FRDE…");
    }

    #[test]
    fn wraps_at_spaces() {
        assert_eq!(wrap("65 is above the maximum 64", 12), ["65 is above", "the maximum", "64"]);
        assert_eq!(wrap("abcdefgh ij", 4), ["abc…", "ij"]);
        assert_eq!(wrap("", 4), [""]);
    }
}
