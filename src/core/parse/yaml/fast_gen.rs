//! Random YAML documents for the fast path's differential tests: nested
//! block mappings and sequences rendered with random indentation widths,
//! indentless sequences, comments, blank lines, quoting styles and tricky
//! scalars, plus random edits that push them out of the subset.

use std::fmt::Write as _;

use proptest::prelude::*;

/// Scalars as written: plain ones that type in every core-schema way,
/// quoted ones with escapes, and a few that are not valid where they stand.
#[rustfmt::skip]
const SCALARS: &[&str] = &[
    "yes", "no", "on", "0x1F", "0o17", "1e3", "3e-4", "1.", ".5", "~", "null", "NULL", "true",
    "False", "-1", "+12", "-0", "1_000", "0b101", ".inf", "-.Inf", ".nan", "2024-01-01",
    "9223372036854775808", "héllo wörld", "ü", "a b", "a#b", "a #b", "http://x:80/p?q=1",
    "a:b", "x:", "a: b", "-x", "--", "---", "...", "- x", "@at", "`t`", "%p", "a,b", "a[0]",
    "b}", "'quoted''s'", "'a: b'", "''", "'#'", "\"\"", "\"esc\\\"aped\"", "\"a #b\"",
    "\"\\u00e9\\t\\x41\\/\\\\\"", "\"\\U0001F600\\N\\_\\e\\ \"", "\"\\q\"", "\"\\ud800\"",
    "'it's'", "\"open", "'x'y", "&a x", "*a", "!!str 1", "! x", "|", ">-", "? x", "[]", "{}",
    "{a: 1}", "[a, [b]]", "x # c", "tab\there", "a\u{2028}b", "€ ✓ 😀", "'é''ü'", "\"é\"",
];

/// Flow sequence items: safe ones and a few that make granit read more.
#[rustfmt::skip]
const FLOW: &[&str] = &[
    "1", "x", "a b", "'q'", "\"d,\"", "a:b", "http://x", "-1", "~", "true", ".inf", "é", "a: b",
    "{a: 1}", "", "a#b", "[b]", "- x", "'it''s'", "\"\\u0041\"", "\"]\"", "x ", "a:", ":a",
];

#[rustfmt::skip]
const KEYS: &[&str] = &[
    "a", "b", "name", "host", "x.y", "é", "k-1", "0x10", "true", "null", "a/b", "_x", "A9",
    "\"quoted key\"", "'single'", "\"a.b\"", "'it''s'", "\"\\u00e9\"", "\"\"", "a b", "<<",
    "-k", "?k", ".k", "k:v", "ключ",
];

/// Pools of text the fast path takes, for documents that stay inside the
/// subset so that deep and long ones get compared too.
#[rustfmt::skip]
const SCALARS_OK: &[&str] = &[
    "yes", "0x1F", "0o17", "1e3", "3e-4", "1.", ".5", "~", "null", "true", "False", "-1", "+12",
    "1_000", ".inf", "-.Inf", ".nan", "2024-01-01", "9223372036854775808", "héllo wörld", "a b",
    "a#b", "a #b", "http://x:80/p?q=1", "a:b", "-x", "---", "a,b", "a[0]", "'quoted''s'",
    "'a: b'", "''", "\"\"", "\"esc\\\"aped\"", "\"a #b\"", "\"\\u00e9\\t\\x41\\/\\\\\"", "€ ✓ 😀",
    "\"\\U0001F600\\N\\_\\e\\ \"", "'é''ü'", "[]", "{}", "x # c",
];

#[rustfmt::skip]
const FLOW_OK: &[&str] = &[
    "1", "x", "a b", "'q'", "\"d,\"", "a:b", "http://x", "-1", "~", "true", ".inf", "é",
    "'it''s'", "\"\\u0041\"", "\"]\"", "x ",
];

#[rustfmt::skip]
const KEYS_OK: &[&str] = &[
    "a", "b", "name", "host", "x.y", "é", "k-1", "0x10", "true", "null", "a/b", "_x", "A9",
    "\"quoted key\"", "'single'", "\"a.b\"", "'it''s'", "\"\"", "ключ",
];

const COMMENTS: &[&str] = &["c", " spaced", "", "x: y", "#", "  two  ", " é"];

/// Lines of literal block scalars (`""` a blank line): text YAML would
/// read otherwise outside one, and deeper indentation.
#[rustfmt::skip]
const LITERAL_LINES: &[&str] = &[
    "x", "server:", "  port: 80", "", "# not a comment", "a: b", "- item", "é ü 😀", "tail  ",
    "---", "'q'", "\"d\"", "{a: 1}", "    deeper",
];

#[derive(Debug, Clone)]
pub(super) enum Node {
    Map(Vec<(Deco, &'static str, Node)>),
    Seq(Vec<(Deco, Node)>),
    Scalar(&'static str),
    Flow(Vec<&'static str>),
    /// Nothing after the key's colon.
    Empty,
    /// A literal block scalar: its lines, and whether it is `|-`.
    Literal(Vec<&'static str>, bool),
}

/// Comments and blank lines around an entry or item.
#[derive(Debug, Clone)]
pub(super) struct Deco {
    blank: bool,
    above: Option<(usize, &'static str)>,
    right: Option<&'static str>,
    /// Spaces before an inline value, after it, and before a `#`.
    gap: usize,
    pad: usize,
    hash_gap: usize,
}

/// How a document is laid out.
#[derive(Debug, Clone)]
struct Style {
    width: usize,
    indentless: bool,
    dash: usize,
}

fn deco() -> impl Strategy<Value = Deco> {
    let comment = proptest::sample::select(COMMENTS);
    (
        proptest::bool::weighted(0.15),
        proptest::option::weighted(0.25, (0..6usize, comment.clone())),
        proptest::option::weighted(0.2, comment),
        prop_oneof![4 => Just(1usize), 1 => 2..4usize],
        prop_oneof![4 => Just(0usize), 1 => 1..3usize],
        1..3usize,
    )
        .prop_map(|(blank, above, right, gap, pad, hash_gap)| Deco {
            blank,
            above,
            right,
            gap,
            pad,
            hash_gap,
        })
}

fn leaf(ok: bool) -> impl Strategy<Value = Node> {
    let (scalars, flow) = if ok { (SCALARS_OK, FLOW_OK) } else { (SCALARS, FLOW) };
    prop_oneof![
        6 => proptest::sample::select(scalars).prop_map(Node::Scalar),
        1 => proptest::collection::vec(proptest::sample::select(flow), 0..4).prop_map(Node::Flow),
        1 => Just(Node::Empty),
        1 => (proptest::collection::vec(proptest::sample::select(LITERAL_LINES), 1..5), any::<bool>())
            .prop_map(|(mut lines, strip)| {
                // Its first line sets its indentation: deeper or blank
                // first lines are other tests' cases.
                if lines[0].is_empty() || lines[0].starts_with(' ') {
                    lines[0] = "x";
                }
                Node::Literal(lines, strip)
            }),
    ]
}

/// A random node; with `ok`, one inside the subset (keys of one mapping
/// kept distinct, no item left empty or holding a sequence).
fn node(ok: bool) -> impl Strategy<Value = Node> {
    leaf(ok).prop_recursive(6, 64, 6, move |inner| {
        let key = proptest::sample::select(if ok { KEYS_OK } else { KEYS });
        prop_oneof![
            proptest::collection::vec((deco(), key, inner.clone()), 0..6).prop_map(move |mut m| {
                if ok {
                    let mut seen = Vec::new();
                    m.retain(|(_, k, _)| {
                        !seen.contains(k) && {
                            seen.push(*k);
                            true
                        }
                    });
                }
                Node::Map(m)
            }),
            proptest::collection::vec((deco(), inner), 0..5).prop_map(move |mut s| {
                if ok {
                    s.retain(|(_, n)| !matches!(n, Node::Empty | Node::Seq(_)));
                }
                Node::Seq(s)
            }),
        ]
    })
}

/// A whole document: a mapping or a sequence at the root.
pub(super) fn document(ok: bool) -> impl Strategy<Value = String> {
    let style = (prop_oneof![Just(2usize), Just(4)], any::<bool>(), 1..4usize)
        .prop_map(|(width, indentless, dash)| Style { width, indentless, dash });
    (node(ok), style, any::<bool>()).prop_map(|(node, style, final_newline)| {
        let mut out = String::new();
        match &node {
            Node::Map(entries) => map(&mut out, entries, 0, &style, false),
            Node::Seq(items) => seq(&mut out, items, 0, &style),
            _ => map(&mut out, &[(no_deco(), "k", node.clone())], 0, &style, false),
        }
        if !final_newline {
            out.pop();
        }
        out
    })
}

fn no_deco() -> Deco {
    Deco { blank: false, above: None, right: None, gap: 1, pad: 0, hash_gap: 2 }
}

fn above(out: &mut String, deco: &Deco, indent: usize) {
    if deco.blank {
        out.push('\n');
    }
    if let Some((shift, text)) = deco.above {
        let col = (indent + shift).saturating_sub(2);
        let _ = writeln!(out, "{}#{text}", " ".repeat(col));
    }
}

fn right(out: &mut String, deco: &Deco) {
    out.push_str(&" ".repeat(deco.pad));
    if let Some(text) = deco.right {
        let _ = write!(out, "{}#{text}", " ".repeat(deco.hash_gap));
    }
    out.push('\n');
}

/// A scalar, flow or empty value after `key:` or `- `; false for a
/// collection, which goes on the next lines.
fn inline(out: &mut String, node: &Node, deco: &Deco) -> bool {
    let gap = " ".repeat(deco.gap);
    match node {
        Node::Scalar(s) => {
            let _ = write!(out, "{gap}{s}");
        }
        Node::Flow(items) => {
            let _ = write!(out, "{gap}[{}]", items.join(", "));
        }
        Node::Map(m) if m.is_empty() => {
            let _ = write!(out, "{gap}{{}}");
        }
        Node::Seq(s) if s.is_empty() => {
            let _ = write!(out, "{gap}[]");
        }
        Node::Empty => {}
        Node::Map(_) | Node::Seq(_) | Node::Literal(..) => return false,
    }
    right(out, deco);
    true
}

/// Mapping entries at `indent`; with `first_inline` the first key goes on
/// the line already started (a sequence item's `- `).
fn map(
    out: &mut String,
    entries: &[(Deco, &str, Node)],
    indent: usize,
    style: &Style,
    first_inline: bool,
) {
    for (i, (deco, key, node)) in entries.iter().enumerate() {
        if !(first_inline && i == 0) {
            above(out, deco, indent);
            out.push_str(&" ".repeat(indent));
        }
        out.push_str(key);
        out.push(':');
        if inline(out, node, deco) {
            continue;
        }
        if let Node::Literal(lines, strip) = node {
            out.push_str(if *strip { " |-\n" } else { " |\n" });
            for line in lines {
                if !line.is_empty() {
                    out.push_str(&" ".repeat(indent + style.width));
                    out.push_str(line);
                }
                out.push('\n');
            }
            continue;
        }
        right(out, deco);
        match node {
            Node::Map(m) => map(out, m, indent + style.width, style, false),
            Node::Seq(s) => {
                let at = if style.indentless { indent } else { indent + style.width };
                seq(out, s, at, style);
            }
            _ => {}
        }
    }
}

fn seq(out: &mut String, items: &[(Deco, Node)], indent: usize, style: &Style) {
    for (deco, node) in items {
        above(out, deco, indent);
        out.push_str(&" ".repeat(indent));
        out.push('-');
        match node {
            Node::Map(m) if !m.is_empty() => {
                out.push_str(&" ".repeat(style.dash));
                map(out, m, indent + 1 + style.dash, style, true);
            }
            Node::Seq(s) if !s.is_empty() => {
                right(out, deco);
                seq(out, s, indent + style.width, style);
            }
            Node::Literal(..) => {
                out.push_str(" []");
                right(out, deco);
            }
            _ => {
                inline(out, node, deco);
            }
        }
    }
}

/// Random insertions (of YAML-significant snippets) and deletions.
pub(super) fn edits() -> impl Strategy<Value = Vec<(usize, Option<&'static str>)>> {
    #[rustfmt::skip]
    const SNIPPETS: &[&str] = &[
        "&a ", "*a", "!!str ", "|", ">", "? ", "\t", "---\n", "...\n", "%", "<<: ", "\n", " ",
        "  ", "#", "'", "\"", "\\", "- ", ": ", ",", "[", "]", "{", "}", "\r", "é", "x", "\n  ",
        "\u{feff}", "\u{85}",
    ];
    let edit =
        (any::<usize>(), proptest::option::weighted(0.7, proptest::sample::select(SNIPPETS)));
    proptest::collection::vec(edit, 1..4)
}

pub(super) fn apply(doc: &str, edits: &[(usize, Option<&str>)]) -> String {
    let mut out = doc.to_owned();
    for (at, snippet) in edits {
        let mut at = at % (out.len() + 1);
        while !out.is_char_boundary(at) {
            at -= 1;
        }
        match snippet {
            Some(s) => out.insert_str(at, s),
            None if at < out.len() => {
                out.remove(at);
            }
            None => {}
        }
    }
    out
}
