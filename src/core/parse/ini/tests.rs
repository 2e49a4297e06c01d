//! Tests of the INI reader against what Python's `configparser` (default
//! options) reads from the same text: worked out by hand from its
//! `_read` rules, and, where `python3` runs here, checked against it.

use proptest::prelude::*;

use super::parse;
use crate::core::leaf::{Named, Origin, ParseError, Parsed, Position, Value};

fn read(text: &str) -> Result<Vec<Named>, ParseError> {
    parse(text).map(Parsed::named)
}

fn leaves(text: &str) -> Vec<Named> {
    read(text).unwrap_or_else(|e| panic!("{e} at {:?} in\n{text}", e.position))
}

fn pairs(text: &str) -> Vec<(String, String)> {
    leaves(text)
        .into_iter()
        .map(|l| match &l.value {
            Value::String(s) => (l.path.clone(), s.to_string()),
            other => (l.path.clone(), format!("{other:?}")),
        })
        .collect()
}

fn pair(path: &str, value: &str) -> (String, String) {
    (path.to_owned(), value.to_owned())
}

/// Pyramid's `production.ini`, shortened.
const PYRAMID: &str = "\
###
# app configuration
###

[app:main]
use = egg:myproject
pyramid.reload_templates = false
sqlalchemy.url = postgresql://app:fake-pass@db/app

[server:main]
use = egg:waitress#main
listen = *:6543

[loggers]
keys = root, myproject
";

#[test]
fn sections_options_and_delimiters() {
    assert_eq!(
        pairs(PYRAMID),
        [
            pair("app:main.use", "egg:myproject"),
            pair("app:main.\"pyramid.reload_templates\"", "false"),
            pair("app:main.\"sqlalchemy.url\"", "postgresql://app:fake-pass@db/app"),
            pair("server:main.use", "egg:waitress#main"),
            pair("server:main.listen", "*:6543"),
            pair("loggers.keys", "root, myproject"),
        ]
    );
    let text = "[s]\nA = 1\nb: 2\nc=x=y\nd :e: f\nempty =\nsemi = a ; not a comment\n";
    assert_eq!(
        pairs(text),
        [
            pair("s.a", "1"),
            pair("s.b", "2"),
            pair("s.c", "x=y"),
            pair("s.d", "e: f"),
            pair("s.empty", ""),
            pair("s.semi", "a ; not a comment"),
        ]
    );
}

#[test]
fn continuation_lines_and_blank_lines_inside_values() {
    let text =
        "[s]\nkeys = one\n  two\n\n   three\n# a comment does not end it\n  four\n\nnext = x\n";
    assert_eq!(pairs(text), [pair("s.keys", "one\ntwo\n\nthree\nfour"), pair("s.next", "x")]);
    let text = "[s]\nhead =\n    first\n    second\n\n\n";
    assert_eq!(pairs(text), [pair("s.head", "\nfirst\nsecond")]);
    let got = leaves(text);
    assert_eq!(got[0].position, Position { line: 3, column: 5 });
    assert_eq!(&text[got[0].span.0 as usize..got[0].span.1 as usize], "\n    first\n    second");
}

#[test]
fn default_is_a_base_layer_of_every_section() {
    let text = "[DEFAULT]\n# The log level.\nlevel = info\nhost = h\n\n[a]\nlevel = debug\n\n[b]\n";
    let got = leaves(text);
    let view: Vec<(&str, &Value, Origin, u32)> =
        got.iter().map(|l| (l.path.as_str(), &l.value, l.origin, l.position.line)).collect();
    let s = |t: &str| Value::String(t.into());
    assert_eq!(
        view,
        [
            ("DEFAULT.level", &s("info"), Origin::Direct, 3),
            ("DEFAULT.host", &s("h"), Origin::Direct, 4),
            ("a.level", &s("debug"), Origin::Direct, 7),
            ("a.host", &s("h"), Origin::Merge, 4),
            ("b.level", &s("info"), Origin::Merge, 3),
            ("b.host", &s("h"), Origin::Merge, 4),
        ]
    );
    assert_eq!(got[4].doc.as_deref(), Some("The log level."));
    assert_eq!(got[4].span, got[0].span, "a merged default points at its text");
    // A default written after the section still applies.
    assert_eq!(pairs("[a]\n[DEFAULT]\nx = 1\n"), [pair("a.x", "1"), pair("DEFAULT.x", "1")]);
}

#[test]
fn an_empty_section_is_an_empty_map_at_its_header() {
    let got = leaves("[a]\n; nothing\n[b]\nx = 1\n");
    assert_eq!(got[0].path, "a");
    assert_eq!(got[0].value, Value::EmptyMap);
    assert_eq!(got[0].position, Position { line: 1, column: 1 });
}

#[test]
fn comments_document_the_next_option() {
    let text = "# about the section\n[s]\n; first\n# second\nx = 1\n\n# lost\n\ny = 2\n";
    let got = leaves(text);
    assert_eq!(got[0].doc.as_deref(), Some("first\nsecond"));
    assert_eq!(got[1].doc, None);
}

#[test]
fn errors_as_configparser_raises_them() {
    for (text, line, what) in [
        ("x = 1\n", 1, "`[section]` header"),
        ("[s]\njust a line\n", 2, "expected `name = value`"),
        ("[s]\n= 1\n", 2, "needs a name"),
        ("[s]\nA = 1\na = 2\n", 3, "duplicate option `a` in `[s]` (first at line 2)"),
        ("[s]\n[t]\n[s]\n", 3, "duplicate section `[s]` (first at line 1)"),
        ("[s]\n[]\n", 2, "expected `name = value`"),
    ] {
        let err = read(text).unwrap_err();
        assert_eq!(err.position.map(|p| p.line), Some(line), "{text}");
        assert!(err.message.contains(what), "{text}: {}", err.message);
    }
    assert!(read("[DEFAULT]\na = 1\n[DEFAULT]\nb = 2\n").is_ok(), "DEFAULT may come back");
}

#[test]
fn crlf_and_odd_headers() {
    let text = "[s] trailing text ]\r\nk = v \r\n  w\r\n";
    assert_eq!(pairs(text), [pair("\"s] trailing text \".k", "v\nw")]);
}

proptest! {
    #[test]
    fn never_panics_and_spans_stay_inside(text in "[a-z=:;#\\[\\] \t\n\r.é]{0,80}") {
        if let Ok(parsed) = parse(&text) {
            for leaf in &parsed.leaves {
                let (start, end) = (leaf.span.0 as usize, leaf.span.1 as usize);
                prop_assert!(start <= end && end <= text.len());
                prop_assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
            }
        }
    }
}
