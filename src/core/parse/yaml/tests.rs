use std::fmt::Write as _;
use std::time::{Duration, Instant};

use crate::core::leaf::{Named, Origin, Position, Value};

/// The parser's leaves, each with its path.
fn parse(text: &str) -> Result<Vec<Named>, crate::core::leaf::ParseError> {
    super::parse(text).map(crate::core::leaf::Parsed::named)
}

/// One line per leaf: path, type, value, line:col, span text, origin, doc.
fn listing(text: &str) -> String {
    let leaves = parse(text).unwrap();
    let mut out = String::new();
    for leaf in &leaves {
        let (a, b) = leaf.span;
        let _ = write!(
            out,
            "{} {} {} @{}:{} span={:?}",
            leaf.path,
            leaf.value.value_type(),
            leaf.value.to_json(),
            leaf.position.line,
            leaf.position.column,
            &text[a as usize..b as usize],
        );
        if leaf.origin != Origin::Direct {
            let _ = write!(out, " {:?}", leaf.origin);
        }
        if let Some(doc) = &leaf.doc {
            let _ = write!(out, " doc={doc:?}");
        }
        out.push('\n');
    }
    out
}

fn one(text: &str) -> Named {
    let mut leaves = parse(text).unwrap();
    assert_eq!(leaves.len(), 1, "{text:?}");
    leaves.remove(0)
}

fn error(text: &str) -> (String, Position) {
    let err = parse(text).unwrap_err();
    (err.message, err.position.unwrap())
}

fn at(line: u32, column: u32) -> Position {
    Position { line, column }
}

#[test]
fn types_follow_the_core_schema() {
    let cases: &[(&str, Value)] = &[
        ("yes", Value::String("yes".into())),
        ("on", Value::String("on".into())),
        ("No", Value::String("No".into())),
        ("y", Value::String("y".into())),
        ("2024-01-01", Value::String("2024-01-01".into())),
        ("3e-4", Value::Float(3e-4)),
        ("1.", Value::Float(1.0)),
        (".5", Value::Float(0.5)),
        ("-1.5E+3", Value::Float(-1500.0)),
        (".inf", Value::Float(f64::INFINITY)),
        ("-.Inf", Value::Float(f64::NEG_INFINITY)),
        ("0x10", Value::Int(16)),
        ("0o17", Value::Int(15)),
        ("0123", Value::Int(123)),
        ("+12", Value::Int(12)),
        ("-0", Value::Int(0)),
        ("9223372036854775808", Value::Float(9_223_372_036_854_775_808.0)),
        ("1_000", Value::String("1_000".into())),
        ("0b101", Value::String("0b101".into())),
        ("0x", Value::String("0x".into())),
        ("1e", Value::String("1e".into())),
        ("~", Value::Null),
        ("null", Value::Null),
        ("NULL", Value::Null),
        ("nULL", Value::String("nULL".into())),
        ("", Value::Null),
        ("True", Value::Bool(true)),
        ("FALSE", Value::Bool(false)),
        ("tRUE", Value::String("tRUE".into())),
        ("\"\"", Value::String("".into())),
        ("''", Value::String("".into())),
        ("\"12\"", Value::String("12".into())),
        ("'true'", Value::String("true".into())),
        ("!!str 1", Value::String("1".into())),
        ("!!int \"3\"", Value::Int(3)),
        ("!!float 1", Value::Float(1.0)),
        ("!!bool 'true'", Value::Bool(true)),
        ("!!null ''", Value::Null),
        ("!!str", Value::String("".into())),
        ("! 12", Value::String("12".into())),
        ("!custom 12", Value::Int(12)),
        ("|\n  12\n", Value::String("12\n".into())),
    ];
    for (text, want) in cases {
        let leaf = one(&format!("k: {text}\n"));
        assert!(leaf.value.same_as(want), "{text:?} gave {:?}, want {want:?}", leaf.value);
    }
    assert!(matches!(one("k: .NaN").value, Value::Float(f) if f.is_nan()));
    assert!(error("k: !!int abc").0.contains("!!int"));
}

#[test]
fn nested_paths_positions_and_spans() {
    let text = "db:\n  host: 'a.b'\n  \"x.y\": \"q\"\n  ports: [1, {p: 2}, []]\n  e: {}\n  n:\nlist:\n- a\n- - b\n";
    insta::assert_snapshot!(listing(text), @r#"
    db.host string "a.b" @2:9 span="'a.b'"
    db."x.y" string "q" @3:10 span="\"q\""
    db.ports[0] int 1 @4:11 span="1"
    db.ports[1].p int 2 @4:18 span="2"
    db.ports[2] list [] @4:22 span="[]"
    db.e map {} @5:3 span="{}"
    db.n null null @6:3 span=""
    list[0] string "a" @8:3 span="a"
    list[1][0] string "b" @9:5 span="b"
    "#);
}

#[test]
fn anchors_aliases_and_merges() {
    let text = "\
base: &base
  host: h
  port: 1
  empty: {}
other: &other {port: 2, tls: true}
copy: *base
list:
  - *other
  - &s scalar
  - *s
merged:
  <<: *base
  port: 9
  extra: x
multi:
  name: m
  <<: [*other, *base]
inline:
  <<: {a: 1}
";
    insta::assert_snapshot!(listing(text), @r#"
    base.host string "h" @2:9 span="h"
    base.port int 1 @3:9 span="1"
    base.empty map {} @4:3 span="{}"
    other.port int 2 @5:22 span="2"
    other.tls bool true @5:30 span="true"
    copy.host string "h" @6:7 span="h" Alias
    copy.port int 1 @6:7 span="1" Alias
    copy.empty map {} @6:7 span="{}" Alias
    list[0].port int 2 @8:5 span="2" Alias
    list[0].tls bool true @8:5 span="true" Alias
    list[1] string "scalar" @9:8 span="scalar"
    list[2] string "scalar" @10:5 span="scalar" Alias
    merged.host string "h" @2:9 span="h" Merge
    merged.empty map {} @4:3 span="{}" Merge
    merged.port int 9 @13:9 span="9"
    merged.extra string "x" @14:10 span="x"
    multi.name string "m" @16:9 span="m"
    multi.port int 2 @5:22 span="2" Merge
    multi.tls bool true @5:30 span="true" Merge
    multi.host string "h" @2:9 span="h" Merge
    multi.empty map {} @4:3 span="{}" Merge
    inline.a int 1 @19:11 span="1" Merge
    "#);
}

#[test]
fn documents_crlf_and_block_scalars() {
    let text = "a: 1\r\nb: |\r\n  x\r\n  y\r\n\r\nc: 2\r\n---\r\n---\r\n- >-\r\n  folded\r\n  text\r\n- |+2 # keep\r\n    k\r\n\r\n";
    insta::assert_snapshot!(listing(text), @r#"
    [0].a int 1 @1:4 span="1"
    [0].b string "x\ny\n" @2:4 span="|\r\n  x\r\n  y"
    [0].c int 2 @6:4 span="2"
    [2][0] string "folded text" @9:3 span=">-\r\n  folded\r\n  text"
    [2][1] string "  k\n\n" @12:3 span="|+2 # keep\r\n    k" doc="keep"
    "#);
}

#[test]
fn doc_comments() {
    let text = "\
# first
# second
a: 1  # not used: above wins
b: 2  # inline b

# separated by a blank line
c: 3
# above d
d:
  # above e
  e: 5
  f: 6 # inline f
g:  # on g's line
  h: 7
# above list
items:
  # above item
  - name: x
    port: 1
  - y  # inline y
  -
    # above z
    z: 1
";
    insta::assert_snapshot!(listing(text), @r#"
    a int 1 @3:4 span="1" doc="first\nsecond"
    b int 2 @4:4 span="2" doc="inline b"
    c int 3 @7:4 span="3" doc="separated by a blank line"
    d.e int 5 @11:6 span="5" doc="above e"
    d.f int 6 @12:6 span="6" doc="inline f"
    g.h int 7 @14:6 span="7"
    items[0].name string "x" @18:11 span="x" doc="above item"
    items[0].port int 1 @19:11 span="1" doc="above item"
    items[1] string "y" @20:5 span="y" doc="inline y"
    items[2].z int 1 @23:8 span="1" doc="above z"
    "#);
}

#[test]
fn errors_have_positions() {
    let (msg, pos) = error("a: 1\nb:\n  c: 1\n  c: 2\n");
    assert_eq!(msg, "duplicate key `c` (first at line 3)");
    assert_eq!(pos, at(4, 3));
    let (msg, pos) = error("a: 1\n? [x, y]\n: 2\n");
    assert!(msg.contains("key must be a scalar"), "{msg}");
    assert_eq!(pos, at(2, 3));
    let (msg, pos) = error("a: 1\n{x: 1}: 2\n");
    assert!(msg.contains("key must be a scalar"), "{msg}");
    assert_eq!(pos.line, 2);
    let (msg, pos) = error("a: &m {x: 1}\n*m : 2\n");
    assert!(msg.contains("key must be a scalar"), "{msg}");
    assert_eq!(pos, at(2, 1));
    let (msg, pos) = error("a: *nope\n");
    assert!(msg.to_lowercase().contains("anchor"), "{msg}");
    assert_eq!(pos.line, 1);
    let (msg, pos) = error("a: [1, 2\nb: 3\n");
    assert!(!msg.is_empty());
    assert!(pos.line >= 1);
    let (msg, pos) = error("a:\n  b: 1\n c: 2\n");
    assert!(!msg.is_empty());
    assert_eq!(pos.line, 3);
    let (msg, pos) = error("just text\n");
    assert_eq!(msg, "a config document must be a mapping or a sequence");
    assert_eq!(pos, at(1, 1));
    let (msg, _) = error("a: 1\n---\n42\n");
    assert!(msg.contains("mapping or a sequence"));
    let (msg, pos) = error("a: &x 1\nb:\n  <<: *x\n");
    assert!(msg.contains("merge key"), "{msg}");
    assert_eq!(pos, at(3, 7));
    assert!(error("b:\n  <<: [1]\n").0.contains("merge key"));
    // Keys merged in are overridden, never duplicates.
    assert_eq!(parse("a: &a {x: 1}\nb: {x: 2, <<: *a}\n").unwrap().len(), 2);
}

#[test]
fn empty_and_null_documents() {
    assert!(parse("").unwrap().is_empty());
    assert!(parse("# only a comment\n").unwrap().is_empty());
    assert!(parse("~\n").unwrap().is_empty());
    assert!(parse("---\n...\n").unwrap().is_empty());
    // A document that is only `{}` or `[]` has no keys, as in JSON.
    assert!(parse("{}\n").unwrap().is_empty());
    insta::assert_snapshot!(listing("--- []\n--- null\n--- {a: 1}\n"), @r#"[2].a int 1 @3:9 span="1""#);
}

fn nested(open: &str, depth: usize) -> String {
    open.repeat(depth)
}

#[test]
fn depth_is_limited() {
    let ok = format!("{}1{}", nested("[", 256), nested("]", 256));
    assert_eq!(parse(&ok).unwrap()[0].path.matches('[').count(), 256);
    let deep = format!("{}1{}", nested("[", 257), nested("]", 257));
    assert!(error(&deep).0.contains("256"));
    let mut block = String::new();
    for i in 0..300 {
        let _ = writeln!(block, "{}k{i}:", " ".repeat(i));
    }
    assert!(error(&block).0.contains("256"));
}

#[test]
fn hostile_nesting_fails_fast() {
    for text in [nested("[", 100_000), nested("- ", 100_000), nested("{a: ", 100_000)] {
        let started = Instant::now();
        assert!(parse(&text).is_err());
        assert!(started.elapsed() < Duration::from_secs(20), "a hang guard, not a speed test");
    }
}

#[test]
fn alias_bomb_is_refused_quickly() {
    let mut text = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let prev = format!("*a{}", i - 1);
        let _ = writeln!(text, "a{i}: &a{i} [{}]", [prev.as_str(); 9].join(", "));
    }
    let started = Instant::now();
    let (msg, pos) = error(&text);
    assert_eq!(msg, "alias expansion exceeds 1,000,000 nodes");
    assert!(pos.line > 1);
    assert!(started.elapsed() < Duration::from_secs(20), "a hang guard, not a speed test");
    // Expansion through merge keys counts too.
    let mut merges = String::from("m0: &m0 {k: [x, x, x, x, x, x, x, x, x, x]}\n");
    for i in 1..5 {
        let keys: Vec<String> = (0..10).map(|j| format!("k{j}: *m{}", i - 1)).collect();
        let _ = writeln!(merges, "m{i}: &m{i} {{{}}}", keys.join(", "));
    }
    let below = merges.lines().count() as u32;
    for t in 0..9 {
        let _ = write!(merges, "t{t}:\n  <<: *m4\n");
    }
    let started = Instant::now();
    let (msg, pos) = error(&merges);
    assert_eq!(msg, "alias expansion exceeds 1,000,000 nodes");
    assert!(pos.line > below, "{pos:?}");
    assert!(started.elapsed() < Duration::from_secs(20), "a hang guard, not a speed test");
    // A self-referencing anchor is an error, not a loop.
    assert!(parse("a: &a [1, *a]\n").is_err());
}

#[test]
fn positions_count_characters_and_spans_splice() {
    let text = "é: \"ü\"\nk: 'it''s'   # c\nn:\nb: >\n  x\ne: []\n";
    let leaves = parse(text).unwrap();
    assert_eq!(leaves[0].position, at(1, 4));
    let spans: Vec<&str> =
        leaves.iter().map(|l| &text[l.span.0 as usize..l.span.1 as usize]).collect();
    assert_eq!(spans, ["\"ü\"", "'it''s'", "", ">\n  x", "[]"]);
    // An empty value's span sits right after its `:`.
    assert_eq!(leaves[2].span, (28, 28));
    let mut edited = text.to_owned();
    edited.replace_range(28..28, " 5");
    assert_eq!(parse(&edited).unwrap()[2].value, Value::Int(5));
}

#[test]
fn nesting_errors_say_so() {
    for text in [nested("[", 10_000), nested("- ", 10_000), nested("{a: ", 10_000)] {
        let (msg, _) = error(&text);
        assert!(msg.contains("256") || msg.contains("nest"), "{msg}");
    }
}
