//! Tests of the dotenv parser: values, quoting, comments as documentation,
//! positions and spans, CRLF, and every error with its position.

use std::fmt::Write as _;

use crate::core::leaf::{Named, Position, Value};

/// The parser's leaves, each with its path.
fn parse(text: &str) -> Result<Vec<Named>, crate::core::leaf::ParseError> {
    super::parse(text).map(crate::core::leaf::Parsed::named)
}

const SAMPLE: &str = "# generated header\n\
\n\
# Primary database host.\n\
# Used by the api.\n\
DB_HOST=db.internal\n\
export DB_PORT = 5432\n\
DB_PASSWORD='p@ss # not a comment'   # rotated monthly\n\
GREETING=\"hello\\n\\\"world\\\" \\$HOME \\q\"\n\
URL=${BASE_URL}/v1 # a reference\n\
COLOR=#fff\n\
TAG=a#b\n\
EMPTY=\n\
\x20\x20INDENTED\t=  spaced value  \n\
#\n\
MULTI=\"line one\n\
line two\"\n\
SINGLE='a\n\
b\\n'\n\
app.name-x=dotted\n";

fn leaves(text: &str) -> Vec<Named> {
    match parse(text) {
        Ok(leaves) => leaves,
        Err(err) => panic!("parse failed: {err} at {:?}", err.position),
    }
}

/// One line per leaf: path, value, line:column, span text and doc.
fn listing(text: &str) -> String {
    let mut out = String::new();
    for leaf in leaves(text) {
        let Value::String(value) = &leaf.value else {
            panic!("{} is not a string", leaf.path);
        };
        let _ = writeln!(
            out,
            "{} = {:?} @{}:{} span {:?} doc {:?}",
            leaf.path,
            value,
            leaf.position.line,
            leaf.position.column,
            &text[leaf.span.0 as usize..leaf.span.1 as usize],
            leaf.doc,
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

fn value_of(text: &str) -> String {
    match &leaves(text)[0].value {
        Value::String(s) => s.to_string(),
        other => panic!("not a string: {other:?}"),
    }
}

#[test]
fn sample_listing() {
    insta::assert_snapshot!(listing(SAMPLE));
}

#[test]
fn values() {
    assert_eq!(value_of("A=b # note"), "b");
    assert_eq!(value_of("A=b#c"), "b#c");
    assert_eq!(value_of("A=#c # d"), "#c");
    assert_eq!(value_of("A= #c"), "");
    assert_eq!(value_of("A=  x y  "), "x y");
    assert_eq!(value_of("A='lit \\n $X'"), "lit \\n $X");
    assert_eq!(value_of("A=\"\\n\\t\\r\\\"\\\\\\$\""), "\n\t\r\"\\$");
    assert_eq!(value_of("A=\"\\a\\u0041\""), "\\a\\u0041");
    assert_eq!(value_of("A=\"it's\""), "it's");
    assert_eq!(value_of("A='say \"hi\"'"), "say \"hi\"");
    assert_eq!(value_of("A=${B}:$C"), "${B}:$C");
    assert_eq!(value_of("A=\"${B}\""), "${B}");
    assert_eq!(value_of("A=\"\""), "");
    assert_eq!(value_of("A=x=y"), "x=y");
    assert_eq!(value_of("export\tA=1"), "1");
    assert_eq!(leaves("export=1")[0].path, "export");
    assert_eq!(leaves("exportA=1")[0].path, "exportA");
    assert_eq!(leaves("a.b=1")[0].path, "\"a.b\"");
    assert!(leaves("").is_empty());
    assert!(leaves("\n# only a comment\n\n").is_empty());
}

#[test]
fn positions_and_spans() {
    let text = "A=1\n  B = \"two\"  # c\nC=\nD= \nE='é' \n";
    let all = leaves(text);
    let at = |i: usize| (all[i].position.line, all[i].position.column);
    let span = |i: usize| &text[all[i].span.0 as usize..all[i].span.1 as usize];
    assert_eq!((at(0), span(0)), ((1, 3), "1"));
    assert_eq!((at(1), span(1)), ((2, 7), "\"two\""));
    // An empty value points at its key; its span is empty where the value
    // would go, so an edit inserts there.
    assert_eq!((at(2), span(2), all[2].span), ((3, 1), "", (23, 23)));
    assert_eq!((at(3), span(3)), ((4, 1), ""));
    assert_eq!(all[3].span.0 as usize, text.find("D= ").unwrap() + 3);
    assert_eq!((at(4), span(4)), ((5, 3), "'é'"));
}

#[test]
fn multi_line_values_keep_line_numbers() {
    let text = "A=\"x\ny\"\nB='1\n2\n3'\nC=c\n";
    let all = leaves(text);
    assert_eq!(all[0].value, Value::String("x\ny".into()));
    assert_eq!(all[1].value, Value::String("1\n2\n3".into()));
    assert_eq!(all[1].position, Position { line: 3, column: 3 });
    assert_eq!(all[2].position, Position { line: 6, column: 3 });
    assert_eq!(&text[all[1].span.0 as usize..all[1].span.1 as usize], "'1\n2\n3'");
}

#[test]
fn crlf_line_endings() {
    let text = "# doc\r\nA=1\r\nB=\"x\r\ny\"\r\nC='p'\r\nD=v # c\r\nE=\r\n";
    let all = leaves(text);
    let values: Vec<_> = all.iter().map(|l| l.value.clone()).collect();
    assert_eq!(values, ["1", "x\ny", "p", "v", ""].map(|s| Value::String(s.into())));
    assert_eq!(all[0].doc.as_deref(), Some("doc"));
    assert_eq!(all[3].doc.as_deref(), Some("c"));
    assert_eq!(all[0].span, (9, 10));
}

#[test]
fn doc_comments() {
    let text = "# lost: a blank line follows\n\n# one\n#two\n#   three  \nA=1 # inline loses to above\nB=2 # inline\n#\nC=3\n# \n#\n\nD=4\nE='x'#tight\n";
    let docs: Vec<_> =
        leaves(text).into_iter().map(|l| l.leaf.doc.as_deref().map(str::to_owned)).collect();
    assert_eq!(
        docs,
        vec![
            Some("one\ntwo\n  three".to_owned()),
            Some("inline".to_owned()),
            None,
            None,
            Some("tight".to_owned()),
        ]
    );
}

#[test]
fn errors_with_positions() {
    let cases: &[(&str, u32, u32, &str)] = &[
        ("A=1\nnot an assignment\n", 2, 5, "expected `=` after the key `not`"),
        ("A=1\n  1A=2\n", 2, 3, "expected `KEY=value`"),
        ("A=1\n=2\n", 2, 1, "expected `KEY=value`"),
        ("ÉTÉ=1", 1, 1, "expected `KEY=value`"),
        ("A 1", 1, 3, "expected `=`"),
        ("export A\n", 1, 9, "expected `=` after the key `A`"),
        ("A=1\nB=\"open\nC=3\n", 2, 3, "unterminated `\"`"),
        ("B='open", 1, 3, "unterminated `'`"),
        ("B=\"ends with \\\"", 1, 3, "unterminated `\"`"),
        ("A=\"x\" y", 1, 7, "after the closing quote"),
        ("A='x'y # c", 1, 6, "after the closing quote"),
        ("A=1\r\nB=2\r\nA=3\r\n", 3, 1, "duplicate key `A` (first at line 1)"),
        ("export A=1\nexport A=2\n", 2, 8, "duplicate key `A`"),
    ];
    for &(text, line, column, fragment) in cases {
        let (l, c, message) = error_at(text);
        assert_eq!((l, c), (line, column), "{text:?}: {message}");
        assert!(message.contains(fragment), "{text:?}: {message:?} lacks {fragment:?}");
    }
}

#[test]
fn truncation_never_panics() {
    for end in 0..=SAMPLE.len() {
        let Some(prefix) = SAMPLE.get(..end) else {
            continue;
        };
        let result = std::panic::catch_unwind(|| parse(prefix));
        assert!(result.is_ok(), "panic on the first {end} bytes");
    }
}

#[test]
fn never_panics_on_arbitrary_lines() {
    let pieces = ["A", "=", "'", "\"", "\\", "#", " ", "\t", "\r", "\n", "export ", "é", "$", "x"];
    // Every sequence of three pieces, twice: small, but it reaches every
    // branch boundary (quote at the end, backslash before CR, …).
    for a in pieces {
        for b in pieces {
            for c in pieces {
                let text = format!("{a}{b}{c}{a}{b}{c}");
                let result = std::panic::catch_unwind(|| parse(&text));
                assert!(result.is_ok(), "panic on {text:?}");
            }
        }
    }
}
