//! Tests of the `.properties` reader against values worked out by hand
//! from the `java.util.Properties.load` rules (no JDK is installed here):
//! separators, continuations, escapes, comments as documentation, Spring
//! documents and typing, key paths, positions, spans and errors.

use proptest::prelude::*;

use super::{parse, parse_spring, value_run};
use crate::core::leaf::{Named, ParseError, Parsed, Position, Value};
use crate::core::source::LineIndex;

fn read(text: &str) -> Result<Vec<Named>, ParseError> {
    parse(text).map(Parsed::named)
}

fn leaves(text: &str) -> Vec<Named> {
    read(text).unwrap_or_else(|e| panic!("{e} at {:?} in\n{text}", e.position))
}

/// (path, value) of every leaf.
fn pairs(text: &str) -> Vec<(String, String)> {
    leaves(text)
        .into_iter()
        .map(|l| match &l.value {
            Value::String(s) => (l.path.clone(), s.to_string()),
            other => panic!("{} is {other:?}", l.path),
        })
        .collect()
}

fn pair(path: &str, value: &str) -> (String, String) {
    (path.to_owned(), value.to_owned())
}

#[test]
fn separators_as_java_reads_them() {
    let text = "a=1\nb = 2\nc:3\nd 4\ne\t=\t5\nf  :  6 \ng\nh=\ni = = 7\nj  8 9\n:k\n";
    assert_eq!(
        pairs(text),
        [
            pair("a", "1"),
            pair("b", "2"),
            pair("c", "3"),
            pair("d", "4"),
            pair("e", "5"),
            // Trailing blanks belong to the value.
            pair("f", "6 "),
            pair("g", ""),
            pair("h", ""),
            pair("i", "= 7"),
            pair("j", "8 9"),
            pair("\"\"", "k"),
        ]
    );
}

#[test]
fn escapes_and_continuations() {
    let text = concat!(
        "tab=a\\tb\\nc\\rd\\fe\n",
        "uni=caf\\u00e9 \\uD83D\\uDE00\n",
        "key\\ with\\:odd\\=chars=x\n",
        "other=\\q\\#\\!\\\\\n",
        "multi=one, \\\n",
        "      two, \\\n",
        "\t three\n",
        "even=ends with a backslash\\\\\n",
        "after=1\n",
        "crlf=a\\\r\n   b\r\n",
        "\\ lead=\\ x\n",
    );
    assert_eq!(
        pairs(text),
        [
            pair("tab", "a\tb\nc\rd\u{c}e"),
            pair("uni", "café 😀"),
            pair("\"key with:odd=chars\"", "x"),
            pair("other", "q#!\\"),
            pair("multi", "one, two, three"),
            pair("even", "ends with a backslash\\"),
            pair("after", "1"),
            pair("crlf", "ab"),
            pair("\" lead\"", " x"),
        ]
    );
}

#[test]
fn keys_split_into_segments_and_indices() {
    let text = "server.port=8080\nmy.list[0]=a\nmy.list[1].name=b\nm[0][1]=c\nodd[x]=d\nz[01]=e\n.lead=f\n";
    let paths: Vec<String> = leaves(text).into_iter().map(|l| l.path).collect();
    assert_eq!(
        paths,
        [
            "server.port",
            "my.list[0]",
            "my.list[1].name",
            "m[0][1]",
            "\"odd[x]\"",
            "\"z[01]\"",
            "\"\".lead"
        ]
    );
}

#[test]
fn comments_document_the_next_key() {
    let text = "# The port.\n! Also this.\nport=1\n\n# Lost to the blank.\n\nhost=h\n#no space\nx=# not a comment\n";
    let got = leaves(text);
    assert_eq!(got[0].doc.as_deref(), Some("The port.\nAlso this."));
    assert_eq!(got[1].doc, None);
    assert_eq!(got[2].doc.as_deref(), Some("no space"));
    assert_eq!(got[2].value, Value::String("# not a comment".into()));
}

#[test]
fn positions_and_spans_point_at_the_value() {
    let text = "a = héllo wörld\n  b:x\\\n   y\nempty=\nc\n";
    let got = leaves(text);
    let span = |l: &Named| &text[l.span.0 as usize..l.span.1 as usize];
    assert_eq!(got[0].position, Position { line: 1, column: 5 });
    assert_eq!(span(&got[0]), "héllo wörld");
    assert_eq!(got[1].position, Position { line: 2, column: 5 });
    assert_eq!(span(&got[1]), "x\\\n   y");
    // An empty value points at its key, its span is where a value goes.
    assert_eq!(got[2].position, Position { line: 4, column: 1 });
    assert_eq!(got[2].span.0, got[2].span.1);
    assert_eq!(&text[got[2].span.0 as usize - 1..got[2].span.0 as usize], "=");
    assert_eq!(got[3].position, Position { line: 5, column: 1 });
}

#[test]
fn spring_documents_get_an_index_each() {
    let text = "a=1\n#---\nspring.config.activate.on-profile=prod\na=2\n!---\na=3\n";
    let paths: Vec<String> = leaves(text).into_iter().map(|l| l.path).collect();
    assert_eq!(paths, ["[0].a", "[1].spring.config.activate.on-profile", "[1].a", "[2].a"]);
    // Not a separator: indented, or more dashes.
    let paths: Vec<String> =
        leaves(" #---\na=1\n#----\nb=2\n").into_iter().map(|l| l.path).collect();
    assert_eq!(paths, ["a", "b"]);
}

#[test]
fn spring_types_values_as_yaml_does() {
    let text =
        "server.port=8080\nratio=0.5\non=true\nyes=yes\nname=api\nempty=\nnull=~\npadded=1 \n";
    let values: Vec<Value> =
        parse_spring(text).map(Parsed::named).unwrap().into_iter().map(|l| l.leaf.value).collect();
    assert_eq!(
        values,
        [
            Value::Int(8080),
            Value::Float(0.5),
            Value::Bool(true),
            Value::String("yes".into()),
            Value::String("api".into()),
            Value::String("".into()),
            Value::Null,
            Value::String("1 ".into()),
        ]
    );
    assert!(leaves("port=8080\n").iter().all(|l| matches!(l.value, Value::String(_))));
}

#[test]
fn duplicates_and_parent_conflicts_are_errors() {
    let err = read("a=1\nb=2\na=3\n").unwrap_err();
    assert_eq!(err.message, "duplicate key `a` (first at line 1)");
    assert_eq!(err.position, Some(Position { line: 3, column: 1 }));
    let err = read("x.y=1\nx=2\n").unwrap_err();
    assert!(err.message.contains("`x` holds a value and `x.y` is below it"), "{}", err.message);
    assert_eq!(err.position.map(|p| p.line), Some(2));
    assert!(read("l=1\nl[0]=2\n").is_err());
    // The same key in two documents is two keys.
    assert!(read("a=1\n#---\na=2\n").is_ok());
    assert!(read("ab=1\na.b=2\na-b=3\n").is_ok());
}

#[test]
fn malformed_unicode_escapes_are_errors() {
    for (text, line) in [("a=\\u12\n", 1), ("a=1\nb=\\uD800x\n", 2), ("\\uZZZZ=1", 1)] {
        let err = read(text).unwrap_err();
        assert_eq!(err.position.map(|p| p.line), Some(line), "{text}: {}", err.message);
    }
}

#[test]
fn deep_keys_hit_the_depth_limit() {
    let key = "a.".repeat(10_000);
    let err = read(&format!("{key}b=1\n")).unwrap_err();
    assert!(err.message.contains("256"), "{}", err.message);
}

proptest! {
    #[test]
    fn never_panics_and_spans_stay_inside(text in "[a-z=:\\\\ \t\n\r#!.\\[\\]0-9ué]{0,80}") {
        if let Ok(parsed) = parse(&text) {
            for leaf in &parsed.leaves {
                let (start, end) = (leaf.span.0 as usize, leaf.span.1 as usize);
                prop_assert!(start <= end && end <= text.len());
                prop_assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
            }
        }
    }

    /// A value's position is where its text starts, however the reader
    /// worked it out (on the key's line, or across a continuation).
    #[test]
    fn positions_are_where_values_start(text in "[a-zé=: \t\n\r\\#]{0,80}") {
        if let Ok(parsed) = parse(&text) {
            let index = LineIndex::new(&text);
            for leaf in parsed.leaves.iter().filter(|l| l.span.0 < l.span.1) {
                prop_assert_eq!(leaf.position, index.position(leaf.span.0 as usize));
            }
        }
    }

    #[test]
    fn value_runs_stop_at_the_first_break_or_backslash(text in "[a\\\n\ré]{0,40}", from in 0..40usize) {
        let bytes = text.as_bytes();
        let from = from.min(bytes.len());
        let expected = bytes[from..]
            .iter()
            .position(|&b| matches!(b, b'\n' | b'\r' | b'\\'))
            .map_or(bytes.len(), |i| from + i);
        prop_assert_eq!(value_run(bytes, from), expected);
    }
}
