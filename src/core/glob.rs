//! Key globs (§8): `*` matches within one segment, `**` any number of
//! segments, `[*]` any index — `database.*`, `**.password`, `servers[*].host`.

use super::key_path::{self, Segment};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    /// A key segment, possibly with `*` wildcards.
    Key(String),
    Index(usize),
    AnyIndex,
    /// `**`: zero or more segments of any kind.
    AnySegments,
}

/// A compiled key glob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyGlob {
    text: String,
    parts: Vec<Part>,
}

/// Why a glob could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid key glob {glob:?}: {reason}")]
pub struct GlobError {
    pub glob: String,
    pub reason: &'static str,
}

impl KeyGlob {
    pub fn new(text: &str) -> Result<Self, GlobError> {
        let fail = |reason| GlobError { glob: text.to_owned(), reason };
        let mut parts = Vec::new();
        let mut rest = text;
        if rest.is_empty() {
            return Err(fail("the glob is empty"));
        }
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix("[*]") {
                parts.push(Part::AnyIndex);
                rest = after;
            } else if rest.starts_with('[') {
                let close = rest.find(']').ok_or_else(|| fail("unclosed '['"))?;
                let index = rest[1..close].parse().map_err(|_| fail("an index is [0] or [*]"))?;
                parts.push(Part::Index(index));
                rest = &rest[close + 1..];
            } else {
                let (segment, after) = split_segment(rest).map_err(fail)?;
                parts.push(if segment == "**" { Part::AnySegments } else { Part::Key(segment) });
                rest = after;
            }
            if let Some(after) = rest.strip_prefix('.') {
                if after.is_empty() {
                    return Err(fail("a glob cannot end with '.'"));
                }
                rest = after;
            } else if !rest.is_empty() && !rest.starts_with('[') {
                return Err(fail("expected '.' or '[' after a segment"));
            }
        }
        Ok(Self { text: text.to_owned(), parts })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// True when the key path (display form) matches.
    pub fn matches(&self, path: &str) -> bool {
        key_path::parse(path).is_ok_and(|segments| self.matches_segments(&segments))
    }

    pub fn matches_segments(&self, segments: &[Segment]) -> bool {
        match_parts(&self.parts, segments)
    }
}

/// One key segment (quoted or bare) and the text after it.
fn split_segment(text: &str) -> Result<(String, &str), &'static str> {
    if let Some(quoted) = text.strip_prefix('"') {
        let mut key = String::new();
        let mut chars = quoted.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => return Ok((key, &quoted[i + 1..])),
                '\\' => key.push(chars.next().ok_or("unclosed quote")?.1),
                c => key.push(c),
            }
        }
        return Err("unclosed quote");
    }
    let end = text.find(['.', '[']).unwrap_or(text.len());
    if end == 0 {
        return Err("empty segment");
    }
    Ok((text[..end].to_owned(), &text[end..]))
}

fn match_parts(parts: &[Part], segments: &[Segment]) -> bool {
    let Some((first, rest)) = parts.split_first() else { return segments.is_empty() };
    if *first == Part::AnySegments {
        return (0..=segments.len()).any(|skip| match_parts(rest, &segments[skip..]));
    }
    let Some((segment, others)) = segments.split_first() else { return false };
    let here = match (first, segment) {
        (Part::Key(pattern), Segment::Key(key)) => wildcard(pattern, key),
        (Part::Index(i), Segment::Index(j)) => i == j,
        (Part::AnyIndex, Segment::Index(_)) => true,
        _ => false,
    };
    here && match_parts(rest, others)
}

/// `*` matches any run of characters within one segment.
fn wildcard(pattern: &str, text: &str) -> bool {
    let Some((head, tail)) = pattern.split_once('*') else { return pattern == text };
    let Some(rest) = text.strip_prefix(head) else { return false };
    (0..=rest.len()).filter(|&i| rest.is_char_boundary(i)).any(|i| wildcard(tail, &rest[i..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glob(text: &str) -> KeyGlob {
        KeyGlob::new(text).unwrap()
    }

    #[test]
    fn star_stays_within_a_segment() {
        assert!(glob("database.*").matches("database.host"));
        assert!(!glob("database.*").matches("database.replica.host"));
        assert!(!glob("database.*").matches("database"));
        assert!(glob("db_*").matches("db_password"));
        assert!(glob("*_url").matches("api_url"));
        assert!(!glob("*_url").matches("api.url"));
    }

    #[test]
    fn double_star_spans_segments() {
        assert!(glob("**.password").matches("password"));
        assert!(glob("**.password").matches("a.b[3].password"));
        assert!(!glob("**.password").matches("a.password_min"));
        assert!(glob("a.**").matches("a.b.c"));
        assert!(glob("**").matches("anything[0].at.all"));
    }

    #[test]
    fn indices() {
        assert!(glob("servers[*].host").matches("servers[12].host"));
        assert!(!glob("servers[*].host").matches("servers.host"));
        assert!(glob("servers[0].host").matches("servers[0].host"));
        assert!(!glob("servers[0].host").matches("servers[1].host"));
    }

    #[test]
    fn quoted_segments() {
        assert!(
            glob(r#"labels."app.kubernetes.io/name""#)
                .matches(r#"labels."app.kubernetes.io/name""#)
        );
        assert!(glob("labels.*").matches(r#"labels."app.kubernetes.io/name""#));
    }

    #[test]
    fn bad_globs_are_errors() {
        for bad in ["", "a.", "a[x]", "a[1", "\"open", ".a"] {
            assert!(KeyGlob::new(bad).is_err(), "{bad:?}");
        }
    }
}
