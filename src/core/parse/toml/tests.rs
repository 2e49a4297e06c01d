//! Tests of the TOML parser: paths, values, positions, spans, docs, order,
//! errors and hostile input.

use std::fmt::Write as _;

use crate::core::leaf::{Named, Position, Value, ValueType};

/// The parser's leaves, each with its path.
fn parse(text: &str) -> Result<Vec<Named>, crate::core::leaf::ParseError> {
    super::parse(text).map(crate::core::leaf::Parsed::named)
}

fn leaves(text: &str) -> Vec<Named> {
    match parse(text) {
        Ok(leaves) => leaves,
        Err(err) => panic!("{text:?} should parse: {err:?}"),
    }
}

fn paths(text: &str) -> Vec<String> {
    leaves(text).into_iter().map(|l| l.path).collect()
}

fn leaf<'a>(all: &'a [Named], path: &str) -> &'a Named {
    all.iter().find(|l| l.path == path).unwrap_or_else(|| panic!("no leaf {path}"))
}

fn at(line: u32, column: u32) -> Position {
    Position { line, column }
}

fn spanned<'a>(text: &'a str, leaf: &Named) -> &'a str {
    &text[leaf.span.0 as usize..leaf.span.1 as usize]
}

/// One line per leaf: path, type, JSON value, position, written text, doc.
fn listing(text: &str) -> String {
    let mut out = String::new();
    for l in leaves(text) {
        let _ = write!(
            out,
            "{} = {} {} @{}:{} {:?}",
            l.path,
            l.value.value_type(),
            l.value.to_json(),
            l.position.line,
            l.position.column,
            spanned(text, &l),
        );
        if let Some(doc) = &l.doc {
            let _ = write!(out, " doc={doc:?}");
        }
        out.push('\n');
    }
    out
}

#[test]
fn dotted_and_quoted_keys_become_segments() {
    let text = r#"
a.b.c = 1
"a.b" = 2
site."google.com" = true
'lit key' = 3
"" = 4
x . y = 5
"#;
    assert_eq!(
        paths(text),
        vec!["a.b.c", r#""a.b""#, r#"site."google.com""#, r#""lit key""#, r#""""#, "x.y"]
    );
}

#[test]
fn inline_tables_and_dotted_keys_flatten_like_tables() {
    let expanded = "[db]\nhost = \"h\"\n[db.pool]\nmax = 5\n";
    let inline = "db = { host = \"h\", pool = { max = 5 } }\n";
    let dotted = "db.host = \"h\"\ndb.pool.max = 5\n";
    for text in [expanded, inline, dotted] {
        assert_eq!(paths(text), vec!["db.host", "db.pool.max"], "{text}");
    }
}

#[test]
fn arrays_and_arrays_of_tables_are_indexed() {
    let text = r#"
ports = [80, 443]
matrix = [[1, 2], [3]]
objs = [{ n = 1 }, { n = 2 }]

[[servers]]
name = "a"
[servers.tls]
on = true

[[servers]]
name = "b"
"#;
    assert_eq!(
        paths(text),
        vec![
            "ports[0]",
            "ports[1]",
            "matrix[0][0]",
            "matrix[0][1]",
            "matrix[1][0]",
            "objs[0].n",
            "objs[1].n",
            "servers[0].name",
            "servers[0].tls.on",
            "servers[1].name",
        ]
    );
}

#[test]
fn scalar_types_and_values() {
    let text = r#"
s = "a\tb"
lit = 'C:\path'
ml = """
two
lines"""
i = -42
hex = 0xff
oct = 0o17
bin = 0b101
big = 9_223_372_036_854_775_807
f = 3.5e2
pinf = +inf
ninf = -inf
nan = nan
t = true
no = false
"#;
    let all = leaves(text);
    let get = |p: &str| leaf(&all, p).value.clone();
    assert_eq!(get("s"), Value::String("a\tb".into()));
    assert_eq!(get("lit"), Value::String("C:\\path".into()));
    assert_eq!(get("ml"), Value::String("two\nlines".into()));
    assert_eq!(get("i"), Value::Int(-42));
    assert_eq!(get("hex"), Value::Int(255));
    assert_eq!(get("oct"), Value::Int(15));
    assert_eq!(get("bin"), Value::Int(5));
    assert_eq!(get("big"), Value::Int(i64::MAX));
    assert_eq!(get("f"), Value::Float(350.0));
    assert_eq!(get("pinf"), Value::Float(f64::INFINITY));
    assert_eq!(get("ninf"), Value::Float(f64::NEG_INFINITY));
    assert!(matches!(get("nan"), Value::Float(x) if x.is_nan()));
    assert_eq!(get("t"), Value::Bool(true));
    assert_eq!(get("no"), Value::Bool(false));
}

#[test]
fn every_datetime_kind_keeps_its_text() {
    let text = "\
odt = 1979-05-27T07:32:00Z
odt_space = 1979-05-27 07:32:00.999-07:00
odt_lower = 1979-05-27t07:32:00z
ldt = 1979-05-27T07:32:00
ld = 1979-05-27
lt = 07:32:00.5
arr = [1979-05-27, 07:32:00]
";
    let all = leaves(text);
    let expected = [
        ("odt", "1979-05-27T07:32:00Z"),
        ("odt_space", "1979-05-27 07:32:00.999-07:00"),
        ("odt_lower", "1979-05-27t07:32:00z"),
        ("ldt", "1979-05-27T07:32:00"),
        ("ld", "1979-05-27"),
        ("lt", "07:32:00.5"),
        ("arr[0]", "1979-05-27"),
        ("arr[1]", "07:32:00"),
    ];
    for (path, written) in expected {
        let l = leaf(&all, path);
        assert_eq!(l.value, Value::Datetime(written.into()), "{path}");
        assert_eq!(l.value.value_type(), ValueType::Datetime);
        assert_eq!(spanned(text, l), written, "{path}");
    }
}

#[test]
fn positions_and_spans_point_at_the_value_text() {
    let text = "title = \"Ünï\" # c\n[owner]\n  name = 'Tom'\n  dob = 1979-05-27\nml = \"\"\"\nx\n\"\"\"\nn = { a = -1.5 }\nlist = [\n  \"x\",\n  true,\n]\n";
    let all = leaves(text);
    let check = |path: &str, position: Position, written: &str| {
        let l = leaf(&all, path);
        assert_eq!(l.position, position, "{path}");
        assert_eq!(spanned(text, l), written, "{path}");
    };
    check("title", at(1, 9), "\"Ünï\"");
    check("owner.name", at(3, 10), "'Tom'");
    check("owner.dob", at(4, 9), "1979-05-27");
    check("owner.ml", at(5, 6), "\"\"\"\nx\n\"\"\"");
    check("owner.n.a", at(8, 11), "-1.5");
    check("owner.list[0]", at(10, 3), "\"x\"");
    check("owner.list[1]", at(11, 3), "true");
}

#[test]
fn splicing_into_a_span_edits_only_that_value() {
    let text = "[a]\nport = 5432 # db port\nname = \"x\"\n";
    let all = leaves(text);
    let l = leaf(&all, "a.port");
    let (start, end) = (l.span.0 as usize, l.span.1 as usize);
    let edited = format!("{}6543{}", &text[..start], &text[end..]);
    assert_eq!(edited, "[a]\nport = 6543 # db port\nname = \"x\"\n");
    assert_eq!(leaf(&leaves(&edited), "a.port").value, Value::Int(6543));
}

#[test]
fn empty_containers_are_leaves_at_their_key() {
    let text = "e_arr = []\ne_tab = {}\nnested = [[], {}]\n[empty]\n[[aot]]\n[[aot]]\nx = 1\n[parent.child]\n";
    insta::assert_snapshot!(listing(text), @r#"
    e_arr = list [] @1:1 "[]"
    e_tab = map {} @2:1 "{}"
    nested[0] = list [] @3:11 "[]"
    nested[1] = map {} @3:15 "{}"
    empty = map {} @4:2 "[empty]"
    aot[0] = map {} @5:3 "[[aot]]"
    aot[1].x = int 1 @7:5 "1"
    parent.child = map {} @8:9 "[parent.child]"
    "#);
}

#[test]
fn leaves_follow_file_order_for_out_of_order_tables() {
    let text = "\
[a]
x = 1
[b]
y = 2
[a.c]
z = 3
[d.e]
w = 4
[d]
v = 5
[[t]]
n = 1
[other]
o = 1
[[t]]
n = 2
";
    assert_eq!(
        paths(text),
        vec!["a.x", "b.y", "a.c.z", "d.e.w", "d.v", "t[0].n", "other.o", "t[1].n"]
    );
}

#[test]
fn doc_comments_above_or_at_line_end() {
    let text = "\
# Service name.
# Shown in dashboards.
name = \"api\"

# detached by a blank line

port = 8080 # listen port
  # indented doc
  #no space
db.host = \"h\"
# doc for a table header
[server]
# timeout doc
timeout = 30
tags = [\"a\", \"b\"] # every tag
hosts = [
  # first host
  \"x\",
  \"y\", # second host
  \"z\",
]
# quoted
\"a.b\".c = 1
inline = { k = 1 } # inline doc
# empty table doc
[empty]
";
    insta::assert_snapshot!(listing(text), @r#"
    name = string "api" @3:8 "\"api\"" doc="Service name.\nShown in dashboards."
    port = int 8080 @7:8 "8080" doc="listen port"
    db.host = string "h" @10:11 "\"h\"" doc="indented doc\nno space"
    server.timeout = int 30 @14:11 "30" doc="timeout doc"
    server.tags[0] = string "a" @15:9 "\"a\"" doc="every tag"
    server.tags[1] = string "b" @15:14 "\"b\"" doc="every tag"
    server.hosts[0] = string "x" @18:3 "\"x\"" doc="first host"
    server.hosts[1] = string "y" @19:3 "\"y\"" doc="second host"
    server.hosts[2] = string "z" @20:3 "\"z\""
    server."a.b".c = int 1 @23:11 "1" doc="quoted"
    server.inline.k = int 1 @24:16 "1" doc="inline doc"
    empty = map {} @26:2 "[empty]" doc="empty table doc"
    "#);
}

#[test]
fn errors_carry_positions_and_one_line_messages() {
    let cases = [
        ("a = 1\nb = 2\na = 3\n", at(3, 1)),
        ("[t]\nx = 1\n[t]\ny = 2\n", at(3, 2)),
        ("a = 1\nb = \n", at(2, 5)),
        ("a = \"unterminated\n", at(1, 18)),
        ("x = 1\ny = [1,,2]\n", at(2, 8)),
        ("a.b = 1\na.b.c = 2\n", at(2, 3)),
    ];
    for (text, position) in cases {
        let err = parse(text).expect_err(text);
        assert_eq!(err.position, Some(position), "{text:?}: {}", err.message);
        assert!(!err.message.is_empty());
        assert!(!err.message.contains('\n'), "{:?}", err.message);
    }
    let err = parse("a = 1\na = 2\n").expect_err("duplicate");
    assert_eq!(err.message, "duplicate key `a`");
    let err = parse("[t]\nx = 1\n[t]\n").expect_err("redefined");
    assert_eq!(err.message, "duplicate key `t`");
}

#[test]
fn deep_inline_nesting_is_refused_quickly() {
    let started = std::time::Instant::now();
    for open in ["[", "{x="] {
        let text = format!("a = {}", open.repeat(10_000));
        let err = parse(&text).expect_err("too deep");
        assert!(err.message.contains("nesting"), "{}", err.message);
        assert_eq!(err.position.map(|p| p.line), Some(1));
    }
    assert!(
        started.elapsed().as_secs() < 20,
        "a hang guard, not a speed test: {:?}",
        started.elapsed()
    );
}

#[test]
fn nesting_past_256_levels_is_the_flattener_error() {
    // Each `[[…]]` level adds a key and an index; a dotted key and inline
    // arrays add more, each within `toml_edit`'s own per-construct limits.
    let mut text = String::new();
    let mut header = String::new();
    for i in 0..70 {
        if i > 0 {
            header.push('.');
        }
        let _ = write!(header, "k{i}");
        let _ = writeln!(text, "[[{header}]]");
    }
    let dotted: Vec<String> = (0..70).map(|i| format!("d{i}")).collect();
    let _ = writeln!(text, "{} = {}1{}", dotted.join("."), "[".repeat(70), "]".repeat(70));
    let err = parse(&text).expect_err("too deep");
    assert!(err.message.contains("256"), "{}", err.message);
    // Reached inside the inline arrays of the last line (line 71).
    assert_eq!(err.position.map(|p| p.line), Some(71), "{err:?}");
    assert!(err.position.is_some_and(|p| p.column > 200), "{err:?}");
}

const REALISTIC: &str = r#"# Service configuration
title = "api"   # the name
version = 3

[database]
host = "db.internal"
ports = [ 5432, 5433 ]
pool = { min = 1, max = 10, "idle.timeout" = 30.5 }
created = 1979-05-27T07:32:00-08:00
password = """
s3cr3t"""

[[servers]]
name = 'alpha'
ip = "10.0.0.1"
labels.tier = "front"

[[servers]]
name = "beta"
enabled = false
window = 07:00:00
"#;

#[test]
fn realistic_file_listing() {
    insta::assert_snapshot!(listing(REALISTIC));
}

#[test]
fn truncations_never_panic() {
    for end in 0..=REALISTIC.len() {
        if let Some(prefix) = REALISTIC.get(..end) {
            let _ = parse(prefix);
        }
    }
}

#[test]
fn ordering_by_position_is_preserved_across_crlf() {
    let text = "a = 1\r\n# doc\r\nb = 'x' # tail\r\n";
    let all = leaves(text);
    assert_eq!(leaf(&all, "b").position, at(3, 5));
    assert_eq!(leaf(&all, "b").doc.as_deref(), Some("doc"));
    assert_eq!(leaf(&all, "a").doc, None);
}

mod fuzz {
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn never_panics_on_toml_like_text(text in r#"([a-z"'\[\]{}=.,# \n\t0-9:+\-_TZ\\]|true|inf|nan|"""|'''){0,80}"#) {
            let _ = super::parse(&text);
        }
    }
}

#[test]
fn empty_document_and_stray_bom() {
    assert!(leaves("").is_empty());
    assert!(leaves("# only a comment\n\n").is_empty());
    let err = parse("\u{feff}a = 1\n").expect_err("second BOM");
    assert_eq!(err.position, Some(at(1, 1)));
    assert!(err.message.contains("U+FEFF"));
}

#[test]
fn too_many_dotted_segments_is_refused() {
    let key: Vec<String> = (0..100).map(|i| format!("k{i}")).collect();
    let err = parse(&format!("{} = 1\n", key.join("."))).expect_err("too deep");
    assert!(err.message.contains("nesting"), "{}", err.message);
}
