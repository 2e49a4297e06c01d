//! Tests of the JSON parser: values, types, positions, spans, every error
//! with its position, limits, and robustness on truncated or random input.

use std::fmt::Write as _;

use proptest::prelude::*;

use crate::core::flatten::MAX_DEPTH;
use crate::core::key_path;
use crate::core::leaf::{Named, Origin, Position, Value};
use crate::core::source::LineIndex;

/// The parser's leaves, each with its path.
fn parse(text: &str) -> Result<Vec<Named>, crate::core::leaf::ParseError> {
    super::parse(text).map(crate::core::leaf::Parsed::named)
}

const SAMPLE: &str = r#"{
  "database": {
    "host": "db.internal",
    "port": 5432,
    "ratio": 0.75,
    "big": 9223372036854775808,
    "exp": 1e3,
    "neg": -12,
    "tls": true,
    "replica": null,
    "labels": {"app.kubernetes.io/name": "api", "": "empty key"}
  },
  "servers": [
    {"name": "a\tb\"c\\d\u00e9\ud83d\ude00", "ports": [80, 443]},
    {},
    []
  ],
  "empty_map": { },
  "empty_list": [
  ],
  "naïve": "é→x",
  "deep": [[[false]]]
}
"#;

fn leaves(text: &str) -> Vec<Named> {
    match parse(text) {
        Ok(leaves) => leaves,
        Err(err) => panic!("parse failed: {err} at {:?}", err.position),
    }
}

/// One line per leaf: path, value, type, line:column and the span's text.
fn listing(text: &str) -> String {
    let mut out = String::new();
    for leaf in leaves(text) {
        let (start, end) = (leaf.span.0 as usize, leaf.span.1 as usize);
        let _ = writeln!(
            out,
            "{} = {} ({}) @{}:{} span {:?}",
            leaf.path,
            leaf.value.to_json(),
            leaf.value.value_type(),
            leaf.position.line,
            leaf.position.column,
            &text[start..end],
        );
    }
    out
}

fn error_at(text: &str) -> (u32, u32, String) {
    match parse(text) {
        Ok(leaves) => panic!("expected an error for {text:?}, got {} leaves", leaves.len()),
        Err(err) => {
            let at = err.position.unwrap_or_default();
            (at.line, at.column, err.message)
        }
    }
}

fn pos(line: u32, column: u32) -> Position {
    Position { line, column }
}

#[test]
fn sample_listing() {
    insta::assert_snapshot!(listing(SAMPLE));
}

#[test]
fn scalar_spans_and_positions_match_the_text() {
    let index = LineIndex::new(SAMPLE);
    for leaf in leaves(SAMPLE) {
        let text = &SAMPLE[leaf.span.0 as usize..leaf.span.1 as usize];
        assert_eq!(leaf.doc, None);
        assert_eq!(leaf.origin, Origin::Direct);
        match leaf.value {
            Value::EmptyMap => assert!(text.starts_with('{') && text.ends_with('}')),
            Value::EmptyList => assert!(text.starts_with('[') && text.ends_with(']')),
            _ => {
                assert_eq!(leaf.position, index.position(leaf.span.0 as usize), "{}", leaf.path);
                // serde_json keeps integers past i64 as u64; ours are floats.
                let reread: serde_json::Value = serde_json::from_str(text).unwrap();
                let ours = leaf.value.to_json();
                match (reread.as_number(), ours.as_number()) {
                    (Some(a), Some(b)) => assert_eq!(a.as_f64(), b.as_f64(), "{}", leaf.path),
                    _ => assert_eq!(reread, ours, "{}", leaf.path),
                }
            }
        }
    }
}

#[test]
fn empty_containers_point_at_their_key() {
    let all = leaves(SAMPLE);
    let find = |path: &str| all.iter().find(|l| l.path == path).unwrap();
    // Under a key: the key's opening quote.
    assert_eq!(find("empty_map").position, pos(18, 3));
    assert_eq!(find("empty_list").position, pos(19, 3));
    // An array item has no key: the container itself.
    assert_eq!(find("servers[1]").position, pos(15, 5));
    // The span still covers the container as written, for editing.
    let span = find("empty_list").span;
    assert_eq!(&SAMPLE[span.0 as usize..span.1 as usize], "[\n  ]");
    // A file that is only an empty container has no keys.
    assert!(leaves(" {}").is_empty());
    assert!(leaves("[]").is_empty());
}

#[test]
fn columns_count_characters_on_long_lines() {
    // Minified JSON is one long line: columns must count characters, not
    // bytes, and stay right for every value along the line.
    let mut text = String::from("{");
    for i in 0..200 {
        let _ = write!(text, "\"k{i}é\":\"v→{i}\",");
    }
    text.push_str("\"end\":1}");
    let index = LineIndex::new(&text);
    let all = leaves(&text);
    assert_eq!(all.len(), 201);
    for leaf in &all {
        assert_eq!(leaf.position, index.position(leaf.span.0 as usize));
    }
    assert_eq!(all[1].position, pos(1, 20));
}

#[test]
fn number_types() {
    let read = |n: &str| leaves(&format!("[{n}]"))[0].value.clone();
    assert_eq!(read("0"), Value::Int(0));
    assert_eq!(read("-0"), Value::Int(0));
    assert_eq!(read("9223372036854775807"), Value::Int(i64::MAX));
    assert_eq!(read("-9223372036854775808"), Value::Int(i64::MIN));
    assert_eq!(read("9223372036854775808"), Value::Float(9.223_372_036_854_776e18));
    assert_eq!(read("1.0"), Value::Float(1.0));
    assert_eq!(read("1E2"), Value::Float(100.0));
    assert_eq!(read("-2.5e-3"), Value::Float(-0.0025));
    assert_eq!(read("1e-400"), Value::Float(0.0));
    let tiny = format!("0.{}1", "0".repeat(10_000));
    assert_eq!(read(&tiny), Value::Float(0.0));
    let long_exact = format!("1.{}", "0".repeat(10_000));
    assert_eq!(read(&long_exact), Value::Float(1.0));
}

#[test]
fn numbers_out_of_range() {
    let huge = format!("[1, {}]", "9".repeat(10_000));
    assert_eq!(error_at(&huge), (1, 5, "number out of range".into()));
    assert_eq!(error_at("[1e400]"), (1, 2, "number out of range".into()));
    assert_eq!(error_at("[-1.5e999]"), (1, 2, "number out of range".into()));
}

#[test]
fn string_escapes() {
    let all = leaves(
        r#"["\"\\\/\b\f\n\r\t", "\u0041\u00e9\u20AC", "\ud834\udd1e", "\u0000", "plain é"]"#,
    );
    let strings: Vec<_> = all.iter().map(|l| l.value.clone()).collect();
    assert_eq!(
        strings,
        vec![
            Value::String("\"\\/\u{8}\u{c}\n\r\t".into()),
            Value::String("Aé€".into()),
            Value::String("𝄞".into()),
            Value::String("\0".into()),
            Value::String("plain é".into()),
        ]
    );
    // Keys are unescaped too.
    let keyed = leaves(r#"{"a\u002eb": 1, "\"q\"": 2}"#);
    assert_eq!(keyed[0].path, r#""a.b""#);
    assert_eq!(keyed[1].path, r#""\"q\"""#);
}

#[test]
fn paths_quote_segments() {
    let all = leaves(r#"{"a": {"b c": [{"x.y": 1}, [true]]}}"#);
    let paths: Vec<_> = all.iter().map(|l| l.path.as_str()).collect();
    assert_eq!(paths, vec![r#"a."b c"[0]."x.y""#, r#"a."b c"[1][0]"#]);
}

#[test]
fn errors_with_positions() {
    let cases: &[(&str, u32, u32, &str)] = &[
        ("\"text\"", 1, 1, "must hold an object or an array"),
        ("  42", 1, 3, "must hold an object or an array"),
        ("null", 1, 1, "must hold an object or an array"),
        ("x", 1, 1, "expected `{` or `[`"),
        ("{} {}", 1, 4, "unexpected text after"),
        ("[1]\n]", 2, 1, "unexpected text after"),
        ("{\n  \"a\": 1,\n}", 3, 1, "expected a key"),
        ("{\"a\" 1}", 1, 6, "expected `:`"),
        ("{'a': 1}", 1, 2, "expected a key"),
        ("{a: 1}", 1, 2, "expected a key"),
        ("[1,]", 1, 4, "expected a value"),
        ("[1 2]", 1, 4, "expected `,` or `]`"),
        ("{\"a\": 1 \"b\": 2}", 1, 9, "expected `,` or `}`"),
        ("[1", 1, 3, "not closed"),
        ("{\"a\":", 1, 6, "unexpected end of file"),
        ("[tru]", 1, 2, "expected a value"),
        ("[True]", 1, 2, "expected a value"),
        ("[nulls]", 1, 6, "expected `,` or `]`"),
        ("[01]", 1, 2, "cannot start with `0`"),
        ("[-]", 1, 2, "expected a digit"),
        ("[+1]", 1, 2, "expected a value"),
        ("[.5]", 1, 2, "expected a value"),
        ("[1.]", 1, 2, "after `.`"),
        ("[1e]", 1, 2, "exponent"),
        ("[1e+]", 1, 2, "exponent"),
        ("[NaN]", 1, 2, "expected a value"),
        ("[\"abc", 1, 2, "unterminated string"),
        ("[\"a\tb\"]", 1, 4, "control character"),
        ("[\"a\nb\"]", 1, 4, "control character"),
        ("[\"\\x\"]", 1, 3, "invalid escape"),
        ("[\"\\u12\"]", 1, 3, "4 hex digits"),
        ("[\"\\uZZZZ\"]", 1, 3, "4 hex digits"),
        ("[\"ab\\ud800\"]", 1, 5, "lone surrogate"),
        ("[\"\\ud800\\u0041\"]", 1, 3, "lone surrogate"),
        ("[\"\\udc00\"]", 1, 3, "lone surrogate"),
        ("[\"é\", \"\\ud800x\"]", 1, 8, "lone surrogate"),
        ("[1,\u{c}2]", 1, 4, "expected a value"),
        ("[\u{a0}1]", 1, 2, "expected a value"),
        ("{\"a\":1}/*c*/", 1, 8, "unexpected text after"),
    ];
    for &(text, line, column, fragment) in cases {
        let (l, c, message) = error_at(text);
        assert_eq!((l, c), (line, column), "{text:?}: {message}");
        assert!(message.contains(fragment), "{text:?}: {message:?} lacks {fragment:?}");
    }
}

#[test]
fn duplicate_keys_are_errors_at_the_second() {
    let text = "{\n  \"a\": 1,\n  \"b\": {\"a\": 2},\n  \"a\": 3\n}";
    assert_eq!(error_at(text), (4, 3, "duplicate key `a` (first at line 2)".into()));
    // Escapes are compared after decoding.
    let (_, _, message) = error_at(r#"{"k": 1, "\u006b": 2}"#);
    assert!(message.starts_with("duplicate key `k`"));
    // Sibling objects have separate keys; a reused frame is cleared.
    assert_eq!(leaves(r#"[{"a": 1}, {"a": 2}, {"a": {"a": 3}}]"#).len(), 3);
    // Large objects switch to hashing and still catch duplicates.
    let mut big = String::from("{");
    for i in 0..100 {
        let _ = writeln!(big, "\"key{i}\": {i},");
    }
    big.push_str("\"key57\": 0}");
    assert_eq!(error_at(&big), (101, 1, "duplicate key `key57` (first at line 58)".into()));
    big.truncate(big.rfind("\"key57\"").unwrap());
    big.push_str("\"last\": 0}");
    assert_eq!(leaves(&big).len(), 101);
}

#[test]
fn an_empty_file_is_not_json() {
    for text in ["", " \n\t\r\n "] {
        let err = parse(text).unwrap_err();
        assert!(err.message.contains("empty"), "{err:?}");
    }
}

#[test]
fn nesting_limit() {
    // The top-level container holds MAX_DEPTH nested levels of members.
    let ok = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
    let deepest = leaves(&ok);
    assert_eq!(deepest.len(), 1);
    assert_eq!(deepest[0].path, "[0]".repeat(MAX_DEPTH));
    let too_deep = format!("{}{}", "[".repeat(MAX_DEPTH + 2), "]".repeat(MAX_DEPTH + 2));
    let (line, column, message) = error_at(&too_deep);
    assert_eq!((line, column), (1, MAX_DEPTH as u32 + 2));
    assert!(message.contains("256"), "{message}");
    // Hostile nesting fails fast with the same error, never overflowing the
    // stack, in objects as well as arrays.
    let started = std::time::Instant::now();
    assert!(error_at(&"[".repeat(10_000)).2.contains("nesting deeper"));
    assert!(error_at(&"{\"a\":".repeat(10_000)).2.contains("nesting deeper"));
    // A hang guard, not a speed test: the machine may be busy.
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
}

#[test]
fn truncation_never_panics() {
    let full_len = SAMPLE.trim_end().len();
    for end in 0..SAMPLE.len() {
        let Some(prefix) = SAMPLE.get(..end) else {
            continue;
        };
        let result = std::panic::catch_unwind(|| parse(prefix));
        let Ok(result) = result else {
            panic!("panic on the first {end} bytes");
        };
        // A proper prefix of one document is never a whole document.
        let complete = end >= full_len;
        assert_eq!(result.is_ok(), complete, "first {end} bytes");
        if let Err(err) = result {
            assert!(err.position.is_some(), "first {end} bytes");
        }
    }
}

/// Flattens a `serde_json` value the way §3 does, for comparison.
fn flatten(
    value: &serde_json::Value,
    path: &mut String,
    out: &mut Vec<(String, serde_json::Value)>,
) {
    let mark = path.len();
    match value {
        serde_json::Value::Object(map) if !map.is_empty() => {
            for (key, child) in map {
                key_path::push_key(path, key);
                flatten(child, path, out);
                path.truncate(mark);
            }
        }
        serde_json::Value::Array(items) if !items.is_empty() => {
            for (i, child) in items.iter().enumerate() {
                key_path::push_index(path, i);
                flatten(child, path, out);
                path.truncate(mark);
            }
        }
        _ => out.push((path.clone(), value.clone())),
    }
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let scalar = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(serde_json::Value::from),
        (-1e12f64..1e12).prop_map(serde_json::Value::from),
        "\\PC{0,8}".prop_map(serde_json::Value::String),
        "[\u{0}-\u{1f}\"\\\\a-z]{0,6}".prop_map(serde_json::Value::String),
    ];
    scalar.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            prop::collection::btree_map("[a-z.é \"]{0,4}", inner, 0..6)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn agrees_with_serde_json(value in json_value(), pretty in any::<bool>()) {
        let container = match value {
            serde_json::Value::Object(_) | serde_json::Value::Array(_) => value,
            scalar => serde_json::Value::Array(vec![scalar]),
        };
        let text = if pretty {
            serde_json::to_string_pretty(&container).unwrap()
        } else {
            serde_json::to_string(&container).unwrap()
        };
        let mut expected = Vec::new();
        flatten(&container, &mut String::new(), &mut expected);
        // A file that is only `{}` or `[]` has no keys.
        expected.retain(|(path, _)| !path.is_empty());
        let got = parse(&text).unwrap();
        let index = LineIndex::new(&text);
        prop_assert_eq!(got.len(), expected.len());
        for (leaf, (path, value)) in got.iter().zip(&expected) {
            prop_assert_eq!(&leaf.path, path);
            prop_assert_eq!(&leaf.value.to_json(), value);
            if !matches!(leaf.value, Value::EmptyMap | Value::EmptyList) {
                prop_assert_eq!(leaf.position, index.position(leaf.span.0 as usize));
            }
        }
    }

    #[test]
    fn never_panics_on_mangled_text(value in json_value(), cut in any::<prop::sample::Index>(), byte in 0u8..128) {
        let mut text = serde_json::to_string_pretty(&value).unwrap().into_bytes();
        if !text.is_empty() {
            let at = cut.index(text.len());
            text[at] = byte;
        }
        if let Ok(text) = String::from_utf8(text) {
            let _ = parse(&text);
        }
    }
}
