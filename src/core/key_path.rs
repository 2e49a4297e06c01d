//! Key paths as §3 prints them (`a.b[0]."x.y"`): building them while
//! flattening, and parsing them back from the command line and globs.

use std::fmt;

/// One step of a key path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Segment {
    Key(String),
    Index(usize),
    /// A list item named by its identity fields (§12): `[name=web]`,
    /// `[host=a,path=/x]`, fields in the order the rule gives them.
    Identity(Vec<(String, String)>),
}

/// Why a typed key path could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid key path {path:?}: {reason}")]
pub struct KeyPathError {
    pub path: String,
    pub reason: &'static str,
}

/// True when a mapping key must be written in double quotes.
pub fn needs_quotes(key: &str) -> bool {
    if key.is_ascii() {
        // Every key of every leaf comes through here: bytes, not chars.
        return key.is_empty()
            || key.bytes().any(|b| {
                matches!(b, b'.' | b'[' | b']' | b'"') || b.is_ascii_whitespace() || b == 0x0b
            });
    }
    key.chars().any(|c| matches!(c, '.' | '[' | ']' | '"') || c.is_whitespace())
}

/// Appends a mapping key segment to a path under construction.
pub fn push_key(path: &mut String, key: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    if needs_quotes(key) {
        path.push('"');
        // Runs between the bytes to escape, not a push per character:
        // INI and dotted keys come through here for every leaf.
        let mut run = 0;
        for (i, b) in key.bytes().enumerate() {
            if matches!(b, b'"' | b'\\') {
                path.push_str(&key[run..i]);
                path.push('\\');
                run = i;
            }
        }
        path.push_str(&key[run..]);
        path.push('"');
    } else {
        path.push_str(key);
    }
}

/// Appends a sequence index segment to a path under construction.
pub fn push_index(path: &mut String, index: usize) {
    use fmt::Write as _;
    let _ = write!(path, "[{index}]");
}

/// True when a field or value inside `[field=value]` must be quoted.
/// A field is quoted on `=` as well (a value may hold it plain).
fn identity_needs_quotes(text: &str, field: bool) -> bool {
    text.is_empty()
        || text.chars().any(|c| {
            matches!(c, ']' | ',' | '"' | '\\') || (field && c == '=') || c.is_whitespace()
        })
}

fn push_identity_part(path: &mut String, text: &str, field: bool) {
    if identity_needs_quotes(text, field) {
        path.push('"');
        for c in text.chars() {
            if matches!(c, '"' | '\\') {
                path.push('\\');
            }
            path.push(c);
        }
        path.push('"');
    } else {
        path.push_str(text);
    }
}

/// Appends an identity segment (`[name=web]`) to a path under construction.
pub fn push_identity<'a>(path: &mut String, fields: impl IntoIterator<Item = (&'a str, &'a str)>) {
    path.push('[');
    for (n, (field, value)) in fields.into_iter().enumerate() {
        if n > 0 {
            path.push(',');
        }
        push_identity_part(path, field, true);
        path.push('=');
        push_identity_part(path, value, false);
    }
    path.push(']');
}

/// Prints segments in the display form.
pub fn format(segments: &[Segment]) -> String {
    let mut path = String::new();
    for segment in segments {
        match segment {
            Segment::Key(key) => push_key(&mut path, key),
            Segment::Index(i) => push_index(&mut path, *i),
            Segment::Identity(fields) => {
                push_identity(&mut path, fields.iter().map(|(f, v)| (f.as_str(), v.as_str())));
            }
        }
    }
    path
}

/// Reads a display-form path back into segments.
pub fn parse(path: &str) -> Result<Vec<Segment>, KeyPathError> {
    let fail = |reason| KeyPathError { path: path.to_owned(), reason };
    let mut segments = Vec::new();
    let mut chars = path.chars().peekable();
    let mut expect_key = !path.starts_with('[');
    while chars.peek().is_some() || expect_key {
        if expect_key {
            segments.push(Segment::Key(read_key(&mut chars).map_err(fail)?));
        }
        while chars.peek() == Some(&'[') {
            chars.next();
            segments.push(read_bracket(&mut chars).map_err(fail)?);
        }
        match chars.next() {
            None => break,
            Some('.') => expect_key = true,
            Some(_) => return Err(fail("expected '.' or '[' after a segment")),
        }
    }
    if segments.is_empty() {
        return Err(fail("the key path is empty"));
    }
    Ok(segments)
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

/// The segment that `text` (what follows a `[`) starts with, and the text
/// after its `]`: for key globs, whose values may hold `*`.
pub fn bracket(text: &str) -> Result<(Segment, &str), &'static str> {
    let mut chars = text.chars().peekable();
    let segment = read_bracket(&mut chars)?;
    let rest: String = chars.collect();
    Ok((segment, &text[text.len() - rest.len()..]))
}

/// What follows a `[`: an index `0]` or identity fields `name=web]`.
fn read_bracket(chars: &mut Chars<'_>) -> Result<Segment, &'static str> {
    if chars.peek().is_some_and(char::is_ascii_digit) {
        let mut digits = String::new();
        while let Some(c) = chars.next_if(char::is_ascii_digit) {
            digits.push(c);
        }
        if chars.next() != Some(']') {
            return Err("an index is written [0], [1], …");
        }
        return digits.parse().map(Segment::Index).map_err(|_| "index too large");
    }
    let mut fields = Vec::new();
    loop {
        let field = read_identity_part(chars, '=')?;
        if chars.next() != Some('=') {
            return Err("a list item is written [0] or [field=value]");
        }
        let value = read_identity_part(chars, ',')?;
        fields.push((field, value));
        match chars.next() {
            Some(',') => {}
            Some(']') => return Ok(Segment::Identity(fields)),
            _ => return Err("a list item is written [0] or [field=value]"),
        }
    }
}

/// A field (up to `=`) or value (up to `,` or `]`) of an identity segment.
fn read_identity_part(chars: &mut Chars<'_>, until: char) -> Result<String, &'static str> {
    let mut text = String::new();
    if chars.peek() == Some(&'"') {
        chars.next();
        loop {
            match chars.next() {
                None => return Err("unclosed quote"),
                Some('"') => return Ok(text),
                Some('\\') => text.push(chars.next().ok_or("unclosed quote")?),
                Some(c) => text.push(c),
            }
        }
    }
    while let Some(c) = chars.next_if(|&c| c != until && c != ']' && c != ',') {
        if c == '"' || c == '\\' || (until == '=' && c == '=') || c.is_whitespace() {
            return Err("a field or value with ']', ',', '=', '\"' or spaces must be quoted");
        }
        text.push(c);
    }
    if text.is_empty() { Err("an empty field or value (quote it as \"\")") } else { Ok(text) }
}

fn read_key(chars: &mut Chars<'_>) -> Result<String, &'static str> {
    let mut key = String::new();
    if chars.peek() == Some(&'"') {
        chars.next();
        loop {
            match chars.next() {
                None => return Err("unclosed quote"),
                Some('"') => return Ok(key),
                Some('\\') => key.push(chars.next().ok_or("unclosed quote")?),
                Some(c) => key.push(c),
            }
        }
    }
    while let Some(c) = chars.next_if(|c| !matches!(c, '.' | '[')) {
        if matches!(c, ']' | '"') || c.is_whitespace() {
            return Err("a segment with ']', '\"' or spaces must be quoted");
        }
        key.push(c);
    }
    if key.is_empty() { Err("empty segment (quote it as \"\")") } else { Ok(key) }
}

/// The name of a leaf for secret rules: its last mapping-key segment,
/// skipping indices (`api_keys[0]` is named `api_keys`).
pub fn leaf_name(path: &str) -> Option<std::borrow::Cow<'_, str>> {
    match plain_leaf_name(path) {
        Plain::Name(name) => return Some(name.into()),
        Plain::NoName => return None,
        Plain::Quoted => {}
    }
    let segments = parse(path).ok()?;
    named_by_identity(&segments).map(Into::into).or_else(|| {
        segments.into_iter().rev().find_map(|s| match s {
            Segment::Key(k) => Some(k.into()),
            Segment::Index(_) | Segment::Identity(_) => None,
        })
    })
}

/// A Kubernetes `env` item's `value` is named by the item's `name`:
/// `env[name=DB_PASSWORD].value` is the value of `DB_PASSWORD`.
fn named_by_identity(segments: &[Segment]) -> Option<String> {
    match segments {
        [.., Segment::Identity(fields), Segment::Key(last)] if last == "value" => {
            fields.iter().find(|(field, _)| field == "name").map(|(_, value)| value.clone())
        }
        _ => None,
    }
}

/// One segment as `identity_leaf_name` reads it: a key, or an item with
/// its `name` field's value when it has one.
#[derive(Clone, Copy)]
enum Read<'a> {
    Key(&'a str),
    Item(Option<&'a str>),
}

/// `plain_leaf_name` of an unquoted path whose items may be keyed by
/// identity (`containers[name=web].env[name=DB].value`), read as `parse`
/// reads it, with no segment built: manifests name almost every leaf so.
fn identity_leaf_name(path: &str) -> Plain<'_> {
    let bytes = path.as_bytes();
    let mut at = 0;
    let mut expect_key = !path.starts_with('[');
    // The last two segments, and the last key.
    let (mut before, mut last): (Option<Read<'_>>, Option<Read<'_>>) = (None, None);
    let mut name = None;
    while at < bytes.len() || expect_key {
        if expect_key {
            let end = path[at..].find(['.', '[']).map_or(bytes.len(), |n| at + n);
            let key = &path[at..end];
            if key.is_empty() || key.contains(']') || key.chars().any(char::is_whitespace) {
                return Plain::NoName;
            }
            name = Some(key);
            (before, last) = (last, Some(Read::Key(key)));
            at = end;
        }
        while bytes.get(at) == Some(&b'[') {
            let Some(close) = path[at + 1..].find(']') else { return Plain::NoName };
            let inside = &path[at + 1..at + 1 + close];
            at += close + 2;
            let item = if inside.as_bytes().first().is_some_and(u8::is_ascii_digit) {
                if !inside.bytes().all(|b| b.is_ascii_digit()) || inside.parse::<usize>().is_err() {
                    return Plain::NoName;
                }
                None
            } else {
                let mut named = None;
                for field in inside.split(',') {
                    let Some((field, value)) = field.split_once('=') else { return Plain::NoName };
                    let bad = |text: &str| text.is_empty() || text.chars().any(char::is_whitespace);
                    if bad(field) || bad(value) {
                        return Plain::NoName;
                    }
                    if field == "name" && named.is_none() {
                        named = Some(value);
                    }
                }
                named
            };
            (before, last) = (last, Some(Read::Item(item)));
        }
        match bytes.get(at) {
            None => break,
            Some(b'.') => {
                at += 1;
                expect_key = true;
            }
            Some(_) => return Plain::NoName,
        }
    }
    // `env[name=DB].value` is named `DB` (`named_by_identity`).
    if let (Some(Read::Item(Some(named))), Some(Read::Key("value"))) = (before, last) {
        return Plain::Name(named);
    }
    name.map_or(Plain::NoName, Plain::Name)
}

/// What `plain_leaf_name` made of a path.
#[derive(Debug, PartialEq, Eq)]
enum Plain<'a> {
    Name(&'a str),
    /// The path does not read, or has no key segment.
    NoName,
    /// Quotes or backslashes: the parser's job.
    Quoted,
}

/// `leaf_name` without building segments, for a path with no quotes and
/// no backslashes (almost every path): the secret rules ask it for every
/// value they look at.
fn plain_leaf_name(path: &str) -> Plain<'_> {
    if path.contains(['"', '\\']) {
        return Plain::Quoted;
    }
    if path.contains('=') {
        return identity_leaf_name(path);
    }
    let mut name = None;
    for (n, part) in path.split('.').enumerate() {
        let key_end = part.find('[').unwrap_or(part.len());
        let (key, mut indices) = part.split_at(key_end);
        let bad_key = key.chars().any(|c| c == ']' || c.is_whitespace());
        // Only a path's first segment may be an index with no key.
        if bad_key || (key.is_empty() && (n > 0 || !path.starts_with('['))) {
            return Plain::NoName;
        }
        while let Some(rest) = indices.strip_prefix('[') {
            let Some((digits, after)) = rest.split_once(']') else { return Plain::NoName };
            if digits.is_empty()
                || !digits.bytes().all(|b| b.is_ascii_digit())
                || digits.parse::<usize>().is_err()
            {
                return Plain::NoName;
            }
            indices = after;
        }
        if !indices.is_empty() {
            return Plain::NoName;
        }
        if !key.is_empty() {
            name = Some(key);
        }
    }
    name.map_or(Plain::NoName, Plain::Name)
}

/// Byte offsets in `path` where each proper prefix ends (`a.b[0]` gives the
/// ends of `a` and `a.b`), so a prefix is `&path[..end]`.
pub fn prefix_ends(path: &str) -> Vec<usize> {
    let mut ends = Vec::new();
    for_each_prefix_end(path, |end| ends.push(end));
    ends
}

/// Calls `found` with each end `prefix_ends` gives, in order, without
/// collecting them. Bytes, not characters, are scanned: every byte that
/// matters (`"`, `\`, `.`, `[`, `]`) is ASCII, and no byte of a multi-byte
/// character is.
pub fn for_each_prefix_end(path: &str, mut found: impl FnMut(usize)) {
    let mut in_quotes = false;
    let mut escaped = false;
    // Inside `[field=value]`, `.` and `[` are text.
    let mut in_brackets = false;
    for (i, &b) in path.as_bytes().iter().enumerate() {
        if in_quotes {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_quotes = false;
            }
            continue;
        }
        match b {
            b'"' => in_quotes = true,
            b']' => in_brackets = false,
            _ if in_brackets => {}
            b'.' | b'[' if i > 0 => {
                found(i);
                in_brackets = b == b'[';
            }
            b'[' => in_brackets = true,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plain_leaf_name_agrees_with_the_parser() {
        let slow = |path: &str| -> Option<String> {
            let segments = parse(path).ok()?;
            named_by_identity(&segments).or_else(|| {
                segments.into_iter().rev().find_map(|s| match s {
                    Segment::Key(k) => Some(k),
                    Segment::Index(_) | Segment::Identity(_) => None,
                })
            })
        };
        let pieces = [
            "a",
            "bc",
            "",
            ".",
            "[",
            "]",
            "[0]",
            "[12]",
            "[x]",
            "[]",
            " ",
            "é",
            "[99999999999999999999999]",
            "[name=web]",
            "[name=a.b,id=1]",
            "[id=1,name=x]",
            "[name=]",
            "[=x]",
            "[n=a=b]",
            "[0x]",
            ".value",
            "value",
        ];
        let mut checked = 0;
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let path = format!("{a}{b}{c}");
                    let fast = match plain_leaf_name(&path) {
                        Plain::Name(name) => Some(name.to_owned()),
                        Plain::NoName => None,
                        Plain::Quoted => continue,
                    };
                    assert_eq!(fast, slow(&path), "{path:?}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 10000, "{checked}");
        assert_eq!(leaf_name("env[name=DB_PASSWORD].value").as_deref(), Some("DB_PASSWORD"));
        assert_eq!(leaf_name("env[id=1].value").as_deref(), Some("value"));
        assert_eq!(leaf_name("db.\"a.b\"[0]").as_deref(), Some("a.b"));
        assert_eq!(leaf_name("api_keys[0]").as_deref(), Some("api_keys"));
        assert_eq!(leaf_name("[0][1]"), None);
    }

    #[test]
    fn the_byte_check_agrees_with_the_char_rule() {
        let rule = |key: &str| {
            key.is_empty()
                || key.chars().any(|c| matches!(c, '.' | '[' | ']' | '"') || c.is_whitespace())
        };
        let mut keys: Vec<String> = (0u8..128).map(|b| format!("k{}x", b as char)).collect();
        keys.extend(
            ["", "plain", "é", "a\u{a0}b", "a\u{85}b", "ü.x", "a\u{2003}"].map(str::to_owned),
        );
        for key in keys {
            assert_eq!(needs_quotes(&key), rule(&key), "{key:?}");
        }
    }

    #[test]
    fn quotes_segments_that_need_it() {
        let segments = vec![
            Segment::Key("labels".into()),
            Segment::Key("app.kubernetes.io/name".into()),
            Segment::Key(String::new()),
            Segment::Key("say \"hi\" \\o/".into()),
            Segment::Key("servers".into()),
            Segment::Index(0),
            Segment::Index(12),
            Segment::Key("port".into()),
        ];
        let printed = format(&segments);
        assert_eq!(
            printed,
            r#"labels."app.kubernetes.io/name"."".“say \"hi\" \\o/”.servers[0][12].port"#
                .replace(['“', '”'], "\"")
        );
        assert_eq!(parse(&printed).unwrap(), segments);
    }

    #[test]
    fn leading_index_for_documents() {
        let segments = vec![Segment::Index(1), Segment::Key("a".into())];
        assert_eq!(format(&segments), "[1].a");
        assert_eq!(parse("[1].a").unwrap(), segments);
    }

    #[test]
    fn rejects_malformed_paths() {
        for bad in ["", "a..b", "a.", "a[x]", "a[1", "\"open", "a b", "a]"] {
            assert!(parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn names_skip_indices() {
        assert_eq!(leaf_name("creds.api_keys[0]").as_deref(), Some("api_keys"));
        assert_eq!(leaf_name(r#"a."db.password""#).as_deref(), Some("db.password"));
    }

    #[test]
    fn prefixes_respect_quotes() {
        let path = r#"a."x.y"[2].b"#;
        let prefixes: Vec<&str> = prefix_ends(path).iter().map(|&e| &path[..e]).collect();
        assert_eq!(prefixes, vec!["a", r#"a."x.y""#, r#"a."x.y"[2]"#]);
    }

    #[test]
    fn identity_segments_read_back() {
        let segments = vec![
            Segment::Key("Deployment/storefront".into()),
            Segment::Key("containers".into()),
            Segment::Identity(vec![("name".into(), "web".into())]),
            Segment::Key("env".into()),
            Segment::Identity(vec![("host".into(), "a.b".into()), ("path".into(), "/x y".into())]),
            Segment::Identity(vec![("k".into(), "a]b,\"c\\".into()), ("e".into(), String::new())]),
            Segment::Key("value".into()),
        ];
        let printed = format(&segments);
        assert_eq!(
            printed,
            r#"Deployment/storefront.containers[name=web].env[host=a.b,path="/x y"][k="a]b,\"c\\",e=""].value"#
        );
        assert_eq!(parse(&printed).unwrap(), segments);
        let prefixes: Vec<&str> = prefix_ends(&printed).iter().map(|&e| &printed[..e]).collect();
        assert_eq!(prefixes.len(), 6, "{prefixes:?}");
        assert_eq!(prefixes[2], "Deployment/storefront.containers[name=web]");
        for bad in ["a[name]", "a[=x]", "a[name=]", "a[name=x", "a[name=a b]", "a[n=x,]"] {
            assert!(parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn an_env_value_is_named_by_its_item() {
        assert_eq!(leaf_name("env[name=DB_PASSWORD].value").as_deref(), Some("DB_PASSWORD"));
        assert_eq!(leaf_name("env[name=DB_PASSWORD].other").as_deref(), Some("other"));
        assert_eq!(leaf_name("ports[containerPort=80].name").as_deref(), Some("name"));
    }
}
