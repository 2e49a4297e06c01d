//! Key globs (§8): `*` matches within one segment, `**` any number of
//! segments, `[*]` any index or identity, `[name=*]` any identity of that
//! field — `database.*`, `**.password`, `servers[*].host`,
//! `containers[name=*].image`.

use super::key_path::{self, Segment};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    /// A key segment, possibly with `*` wildcards.
    Key(String),
    Index(usize),
    /// `[*]`: any index or identity segment.
    AnyIndex,
    /// `[name=web]`, `[name=*]`: an identity segment with these fields,
    /// each value a pattern with `*` wildcards.
    Identity(Vec<(String, String)>),
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
            } else if let Some(inner) = rest.strip_prefix('[') {
                let (segment, after) = key_path::bracket(inner)
                    .map_err(|_| fail("a list item is [0], [*], [name=web] or [name=*]"))?;
                parts.push(match segment {
                    Segment::Index(i) => Part::Index(i),
                    Segment::Identity(fields) => Part::Identity(fields),
                    Segment::Key(_) => return Err(fail("unclosed '['")),
                });
                rest = after;
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

/// `**` matches any run of segments, every other part one segment. The
/// classic greedy match that, on a mismatch, lets the last `**` take one
/// more segment: at most parts × segments part tests, where trying every
/// split for every `**` took exponential time (`**.**.**.**.x` on a deep
/// key hung the run).
fn match_parts(parts: &[Part], segments: &[Segment]) -> bool {
    let (mut p, mut s) = (0, 0);
    // The part after the last `**` seen, and the segment it resumes from.
    let mut star: Option<(usize, usize)> = None;
    while let Some(segment) = segments.get(s) {
        match parts.get(p) {
            Some(Part::AnySegments) => {
                star = Some((p + 1, s));
                p += 1;
            }
            Some(part) if part_matches(part, segment) => {
                p += 1;
                s += 1;
            }
            _ => match star {
                Some((after, from)) => {
                    star = Some((after, from + 1));
                    p = after;
                    s = from + 1;
                }
                None => return false,
            },
        }
    }
    parts.get(p..).is_some_and(|rest| rest.iter().all(|part| *part == Part::AnySegments))
}

fn part_matches(part: &Part, segment: &Segment) -> bool {
    match (part, segment) {
        (Part::Key(pattern), Segment::Key(key)) => wildcard(pattern, key),
        (Part::Index(i), Segment::Index(j)) => i == j,
        (Part::AnyIndex, Segment::Index(_) | Segment::Identity(_)) => true,
        (Part::Identity(want), Segment::Identity(have)) => {
            want.len() == have.len()
                && want.iter().zip(have).all(|((wf, wv), (hf, hv))| wf == hf && wildcard(wv, hv))
        }
        _ => false,
    }
}

/// `*` matches any run of characters within one segment; the same greedy
/// match as `match_parts`, over characters (`*a*a*a*a*b` on a long key
/// was exponential too).
fn wildcard(pattern: &str, text: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let text: Vec<char> = text.chars().collect();
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while let Some(&c) = text.get(t) {
        match pattern.get(p) {
            Some('*') => {
                star = Some((p + 1, t));
                p += 1;
            }
            Some(&want) if want == c => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((after, from)) => {
                    star = Some((after, from + 1));
                    p = after;
                    t = from + 1;
                }
                None => return false,
            },
        }
    }
    pattern.get(p..).is_some_and(|rest| rest.iter().all(|&c| c == '*'))
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
    fn identity_items() {
        let path = "Deployment/web.spec.containers[name=web].env[name=LOG_LEVEL].value";
        assert!(glob("**.containers[name=*].env[*].value").matches(path));
        assert!(glob("**.containers[name=web].**").matches(path));
        assert!(glob("**.env[name=LOG_*].value").matches(path));
        assert!(!glob("**.containers[name=api].**").matches(path));
        assert!(!glob("**.containers[image=*].**").matches(path));
        assert!(!glob("**.containers[0].**").matches(path));
        assert!(glob("routes[host=a,path=*].x").matches("routes[host=a,path=/v1].x"));
        assert!(!glob("routes[host=*].x").matches("routes[host=a,path=/v1].x"));
        assert!(KeyGlob::new("a[name=").is_err());
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
    fn many_stars_match_in_linear_time() {
        let long = "a".repeat(5_000);
        assert!(!glob("*a*a*a*a*a*a*a*a*a*b").matches(&long));
        assert!(glob("*a*a*a*a*a*a*a*a*a*").matches(&long));
        assert!(glob("a*b*c").matches("axxbyyc") && !glob("a*b*c").matches("axxbyyd"));
        assert!(glob("*").matches("x") && glob("x*").matches("x") && !glob("x*y").matches("x"));
        let deep = vec!["k"; 300].join(".");
        assert!(!glob("**.**.**.**.**.**.**.y").matches(&deep));
        assert!(glob("**.**.k.**.k").matches(&deep));
        assert!(glob("k.**").matches("k") && !glob("k.**.j").matches("k"));
    }

    #[test]
    fn bad_globs_are_errors() {
        for bad in ["", "a.", "a[x]", "a[1", "\"open", ".a"] {
            assert!(KeyGlob::new(bad).is_err(), "{bad:?}");
        }
    }
}
