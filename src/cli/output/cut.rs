//! Cutting text to a width for a terminal table: values keep their start
//! and end in `…`; keys are cut in the middle so their last segments stay
//! (`spec…containers[name=web].image`), where two keys usually differ.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::core::key_path;

/// Cuts text to `width` display columns, ending in `…` when cut.
pub fn fit(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// A key in at most `width` columns: its first segment, `…`, and as many
/// whole last segments as fit; when not even one fits beside the first
/// segment, the start cut short before the last segment; else `…` and the
/// key's last columns.
pub fn key(key: &str, width: usize) -> String {
    if key.width() <= width {
        return key.to_owned();
    }
    let ends = key_path::prefix_ends(key);
    // Where a suffix of whole segments starts: after a `.`, or at a `[`.
    let start = |i: usize| if key.as_bytes()[i] == b'.' { i + 1 } else { i };
    if let (Some(&first_end), Some(&last_end)) = (ends.first(), ends.last()) {
        let head = &key[..first_end];
        let room = width.saturating_sub(head.width() + 1);
        let suffixes = ends.iter().skip(1).map(|&i| &key[start(i)..]);
        if let Some(tail) = suffixes.into_iter().find(|tail| tail.width() <= room) {
            return format!("{head}…{tail}");
        }
        let last = &key[start(last_end)..];
        if last.width() + 2 <= width {
            return format!("{}{last}", fit(&key[..start(last_end)], width - last.width()));
        }
    }
    tail(key, width)
}

/// `…` and the last `width - 1` columns of `text`.
fn tail(text: &str, width: usize) -> String {
    let mut kept = Vec::new();
    let mut used = 0;
    for c in text.chars().rev() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        kept.push(c);
    }
    std::iter::once('…').chain(kept.into_iter().rev()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_cuts_by_display_width() {
        assert_eq!(fit("short", 10), "short");
        assert_eq!(fit("abcdefghij", 5), "abcd…");
        assert_eq!(fit("日本語テキスト", 6), "日本…");
    }

    #[test]
    fn keys_keep_their_first_and_last_segments() {
        let k = "spec.template.spec.containers[name=web].image";
        assert_eq!(key(k, 100), k);
        assert_eq!(key(k, 31), "spec…containers[name=web].image");
        assert_eq!(key(k, 30), "spec…[name=web].image");
        assert_eq!(key(k, 12), "spec…image");
        assert_eq!(key(k, 8), "sp…image");
        assert_eq!(key(k, 5), "…mage");
        for width in 2..k.len() {
            assert!(key(k, width).width() <= width, "{width}: {}", key(k, width));
        }
    }

    #[test]
    fn quoted_segments_are_not_split() {
        let k = r#"metadata.labels."app.kubernetes.io/name""#;
        assert_eq!(key(k, 33), r#"metadata…"app.kubernetes.io/name""#);
        assert_eq!(key("one_very_long_segment_without_dots", 10), "…hout_dots");
        assert_eq!(key("database.statement_timeout_ms", 28), "databas…statement_timeout_ms");
    }
}
