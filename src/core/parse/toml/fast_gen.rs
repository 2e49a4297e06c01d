//! Random TOML documents for the fast path's differential tests: sections
//! of keys under random headers, with random comments, blank lines,
//! indentation, line endings, tricky strings, numbers, dates and arrays.
//! The subset flavour draws only from pools the fast path takes and keeps
//! keys and tables unique; the wild flavour mixes in constructs outside the
//! subset, invalid text and clashing names.

use proptest::prelude::*;

/// Values the fast path takes.
#[rustfmt::skip]
const VALUES_OK: &[&str] = &[
    "1", "-0", "+42", "1_000", "0x1F", "0xdead_BEEF", "0o17", "0b1_01", "0x0", "0o0", "0b0",
    "9223372036854775807", "-9223372036854775808", "1.5", "-0.0", "+0.0", "+1e10", "1E-5",
    "3.14_15", "0e0", "6.02e+23", "1e-400", "5e0_1", "0.1", "1.7976931348623157e308", "inf",
    "-inf", "+inf", "nan", "-nan", "+nan", "true", "false", "\"\"", "\"plain\"", "\"é ✓ 😀\"",
    "\"esc \\\" \\\\ \\n \\t \\b \\f \\r\"", "\"\\u00e9\\U0001F600\"", "\"a # b\"", "\"tab\there\"",
    "''", "'lit \\ eral'", "'a # b'", "\"'\"", "'\"'", "\"[1, 2]\"", "'='", "1979-05-27",
    "1979-05-27T07:32:00Z", "1979-05-27 07:32:00", "1979-05-27T00:32:00.999999-07:00",
    "07:32:00", "00:32:00.5", "2000-02-29", "1979-05-27T07:32:00+05:30", "0000-01-01",
    "1979-05-27T07:32:00.123456789Z", "[]", "[ ]", "[1, 2, 3]", "[\"a\", 'b', 1.5, true]",
    "[[1, 2], [], [\"x\"]]", "[1,]", "[ 1 , 2 ]", "[[[]]]", "[\t1\t,\t'é'\t]", "[\"]\", ',']",
    "[1979-05-27 07:32:00, 07:32:00]", "{}", "{ }", "{ a = 1 }", "{a=1,b.c='x',b.d=[1,{}]}",
    "[{ x = 1 }, {}, { y = { z = true } }]", "{ e = [], f = {} }", "[[{}], { a = [] }]", "0E5", "['é', 1, { k = 'ß', l = [] }]",
];

/// Values outside the subset or invalid.
#[rustfmt::skip]
const VALUES_WILD: &[&str] = &[
    "1__0", "01", "0X1F", "+0x1", "1.", ".5", "1e", "9223372036854775808", "0xffffffffffffffff",
    "1e400", "-1e400", "\"\\e\"", "\"\\x41\"", "\"\\q\"", "\"\\ud800\"", "\"open", "'open",
    "\"\"\"ml\"\"\"", "'''ml'''", "\"\"\"a\nb\"\"\"", "{}", "{ a = 1 }", "[1, [2, {b = 3}]]",
    "1979-02-29", "1979-13-01", "24:00:00", "07:32", "07:32:60", "1979-05-27t07:32:00z",
    "1979-05-27T07:32:00.1234567891Z", "1979-05-27 07:32", "1979-05-27T07:32:00+24:00",
    "true1", "TRUE", "Inf", "nan1", "1#c", "\"x\"y", "[1 2]", "[,]", "[1,,2]", "[\n1]",
    "[1, # c\n2]", "0_1", "1_", "_1", "0b2", "0o8", "0x", "1e+", "1.e5", "+-1", "--1",
    "1979-05-27 x", "\"\\u00\"", "'\u{1}'", "\"\u{7f}\"", "", "=", "1979-05-27T07:32:00.Z",
    "-0x1", "0.0_", "1e_1", "{ a = 1, }", "{ a = 1, a = 2 }", "{ a.b = 1, a = 2 }",
    "{ a = 1\n}", "{ 'q' = 1 }", "{ a = 1 b = 2 }", "{ a = { b = 1 }, a.c = 2 }", "{,}",
];

#[rustfmt::skip]
const KEYS_WILD: &[&str] = &[
    "a", "b", "a.b", "a.c", "b.a", "a . b", "\"q\"", "'q'", "1.2", "-", "_", "é", "a..b",
    "\"\"", "x", "a.b.c",
];

#[rustfmt::skip]
const HEADERS_WILD: &[&str] = &[
    "[a]", "[a.b]", "[b]", "[ a ]", "[[a]]", "[a.b.c]", "[\"a\"]", "[x]", "[a.x]", "[b.a]",
    "[[a.b]]", "[a]x", "[]", "[a.]",
];

#[rustfmt::skip]
const COMMENTS: &[&str] = &[
    "# c", "#", "#  two  ", "# é ✓", "#\ttab", "## x = 1", "# [t]", "#\u{1}", "# \r",
];

#[derive(Debug, Clone)]
enum Line {
    Blank(&'static str),
    Comment(&'static str),
    /// Key index, value, trailing comment.
    Key(usize, &'static str, Option<&'static str>),
}

#[derive(Debug, Clone)]
struct Section {
    /// Which earlier section's table to nest under, and a wild header.
    parent: Option<usize>,
    wild_header: &'static str,
    header_comment: Option<&'static str>,
    lines: Vec<Line>,
}

fn pick(pool: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
    proptest::sample::select(pool)
}

fn line(subset: bool) -> impl Strategy<Value = Line> {
    let wild = u32::from(!subset);
    let value = prop_oneof![6 => pick(VALUES_OK), wild => pick(VALUES_WILD)];
    let comment = prop_oneof![6 => pick(&COMMENTS[..7]), wild => pick(&COMMENTS[7..])];
    prop_oneof![
        1 => pick(&["", "  ", "\t "][..]).prop_map(Line::Blank),
        2 => comment.clone().prop_map(Line::Comment),
        6 => (0..40usize, value, proptest::option::of(comment))
            .prop_map(|(k, v, c)| Line::Key(k, v, c)),
    ]
}

fn section(subset: bool) -> impl Strategy<Value = Section> {
    (
        proptest::option::of(0..8usize),
        pick(HEADERS_WILD),
        proptest::option::of(pick(&COMMENTS[..7])),
        proptest::collection::vec(line(subset), 0..8),
    )
        .prop_map(|(parent, wild_header, header_comment, lines)| Section {
            parent,
            wild_header,
            header_comment,
            lines,
        })
}

/// A random document; `subset` keeps it inside what the fast path takes.
pub(super) fn document(subset: bool) -> impl Strategy<Value = String> {
    (
        proptest::collection::vec(line(subset), 0..6),
        proptest::collection::vec(section(subset), 0..6),
        pick(&["\n", "\r\n"][..]),
        pick(&["", "  ", "\t"][..]),
        any::<bool>(),
    )
        .prop_map(move |(root, sections, newline, indent, last_newline)| {
            let mut out = String::new();
            let mut paths: Vec<String> = Vec::new();
            render_lines(&mut out, &root, subset, newline, indent);
            for (i, s) in sections.iter().enumerate() {
                out.push_str(newline);
                let header = if subset || s.parent != Some(0) {
                    let path = match s.parent.and_then(|p| paths.get(p % (i + 1))) {
                        Some(parent) => format!("{parent}.t{i}"),
                        None => format!("t{i}"),
                    };
                    let header = format!("[{path}]");
                    paths.push(path);
                    header
                } else {
                    s.wild_header.to_owned()
                };
                out.push_str(indent);
                out.push_str(&header);
                if let Some(c) = s.header_comment {
                    out.push(' ');
                    out.push_str(c);
                }
                out.push_str(newline);
                render_lines(&mut out, &s.lines, subset, newline, indent);
            }
            if !last_newline && out.ends_with(newline) {
                out.truncate(out.len() - newline.len());
            }
            out
        })
}

/// Keys are unique in the subset (`k<i>` or dotted `g<i>.v<i>`); wild
/// ones come from a small pool that clashes often.
fn render_lines(out: &mut String, lines: &[Line], subset: bool, newline: &str, indent: &str) {
    for (i, line) in lines.iter().enumerate() {
        match line {
            Line::Blank(blank) => out.push_str(blank),
            Line::Comment(c) => {
                out.push_str(indent);
                out.push_str(c);
            }
            Line::Key(k, value, comment) => {
                out.push_str(indent);
                let key = match (subset, k % 4) {
                    (false, _) if *k >= 34 => KEYS_WILD[k % KEYS_WILD.len()].to_owned(),
                    (_, 0) => format!("g{i}.v{k}"),
                    (_, 1) => format!("g{}.w{i}", k % 3),
                    _ => format!("k{i}"),
                };
                out.push_str(&key);
                out.push_str(if k % 5 == 0 { "\t=  " } else { " = " });
                out.push_str(value);
                if let Some(c) = comment {
                    out.push_str(if k % 2 == 0 { " " } else { "\t  " });
                    out.push_str(c);
                }
            }
        }
        out.push_str(newline);
    }
}
