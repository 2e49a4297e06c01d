//! Differential tests of the HCL fast path: whenever `fast::try_parse`
//! takes a text, its leaves must equal the `hcl-edit` walker's exactly
//! (paths, values and types, positions, spans, docs, how each was
//! written, order). Inputs: the repository's `.tfvars` and `.tf` files and
//! every line prefix of each, the reader's own test texts, the benchmark's
//! rewrite of a generated project, and random literal files, which the
//! fast path must take (so that a fast path that always gives up fails).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use proptest::prelude::*;

use super::fast::try_parse;
use super::parse_full;
use crate::core::leaf::{Parsed, Written};
use crate::core::parse::fast_check;

/// Panics if the fast path takes `text` and reads it otherwise than
/// `hcl-edit`; returns whether it took it.
fn agrees(text: &str) -> bool {
    if !fast_check::agrees(text, try_parse, parse_full) {
        return false;
    }
    // `fast_check` leaves out how a value was written; a literal is never
    // an expression here.
    let written = |p: Parsed| p.named().into_iter().map(|l| l.written).collect::<Vec<_>>();
    let full = parse_full(text).map(written).unwrap_or_default();
    assert!(full.iter().all(|&w| w == Written::Text), "an expression taken:\n{text}");
    true
}

fn hcl_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            hcl_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "tfvars" || e == "tf") {
            out.push(path);
        }
    }
}

/// Every text ending at a line break of `text`, and `text` itself.
fn prefixes(text: &str) -> impl Iterator<Item = &str> {
    text.match_indices('\n').map(|(i, _)| &text[..=i]).chain([text])
}

#[test]
fn repository_files_and_their_prefixes_agree() {
    let mut files = Vec::new();
    hcl_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests"), &mut files);
    assert!(files.len() > 10, "only {} HCL files", files.len());
    let mut taken = 0;
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else { continue };
        for prefix in prefixes(&text) {
            agrees(prefix);
        }
        taken += usize::from(agrees(&text));
    }
    assert!(taken >= 8, "the fast path takes {taken} of {} files", files.len());
}

#[test]
fn literal_files_are_taken() {
    let texts = [
        "# Where it runs.\nregion = \"eu-west-1\"\ncount = 3 # three\n",
        "a = [1, \"b\", [true, null], {}] // all\n",
        "tags = {\n  Team = \"platform\" # the owner\n  \"cost-center\" = 42,\n  x = -1.5e3\n}\n",
        "/* block\n comment */ a = 1\r\nb = \"tab\\tquote\\\" \\u00e9 \\U0001F600\"\r\n",
        "e = \"$${not.interpolated} %%{nor.this}\"\nx = [\n  # above the first\n  1,\n  2, # after the second\n]\n",
        "big = 18446744073709551616\nneg = -9223372036854775808\nf = 1.0\nz = -0.0\n",
        "/*\n# inside */\na = 1\n/* one */ // two\nb = [\n  1 /*\n  # x */, 2\n]\n",
        "é = 1\n",
    ];
    for text in &texts[..texts.len() - 1] {
        assert!(agrees(text), "the fast path gives up on:\n{text}");
    }
    assert!(!agrees(texts[texts.len() - 1]), "a name beyond ASCII goes to hcl-edit");
}

#[test]
fn everything_else_goes_to_hcl_edit() {
    for text in [
        "a = var.x\n",
        "a = \"${local.env}-db\"\n",
        "a = \"%{if x}y%{endif}\"\n",
        "a = <<EOT\ntext\nEOT\n",
        "a = 1 + 2\n",
        "a = [for x in y: x]\n",
        "a = { for = 1 }\n",
        "a = f(1)\n",
        "a = x ? 1 : 2\n",
        "a = - 1\n",
        "a = 1 /* c */\n",
        "variable \"x\" {\n  default = 1\n}\n",
        "a = 1\na = 2\n",
        "a = { x = 1, x = 2 }\n",
        "a = \"bad \\q escape\"\n",
        "a = \"raw\ttab\"\n",
        "a = 1\rb = 2\n",
        "a = 1e\n",
        "a = [1 2]\n",
        "a = { x = 1 y = 2 }\n",
        "a = 1 b = 2\n",
        "a = { x = 1 # c }\n",
        "a = {x: 1}\n",
    ] {
        assert!(try_parse(text).is_none(), "the fast path takes:\n{text}");
        agrees(text);
    }
}

#[test]
fn reader_tests_agree() {
    let written = "a = [var.x, \"y\"]\nb = -var.n\nc = <<EOT\ntext only\nEOT\ne = \"$${x}\"\n";
    for text in [super::tests::TFVARS, written] {
        for prefix in prefixes(text) {
            agrees(prefix);
        }
    }
}

#[path = "../../../../benches/support/formats.rs"]
#[allow(dead_code, reason = "the benchmark's other formats are not read here")]
mod formats;

/// The benchmark's 2 MB file is this rewrite of a generated project: the
/// fast path must take all of it.
#[test]
fn benchmark_rewrite_is_taken_whole() {
    let dir = std::env::temp_dir().join(format!("envlens-fast-hcl-{}", std::process::id()));
    if !fast_check::generate(
        &dir,
        &["--single", "--keys", "4000", "--envs", "dev,prod", "--formats", "json"],
    ) {
        return;
    }
    let mut taken = 0;
    for env in ["dev", "prod"] {
        let json = std::fs::read_to_string(dir.join(format!("config_{env}.json")))
            .unwrap_or_else(|e| panic!("the generator wrote no JSON for {env}: {e}"));
        let value: serde_json::Value = serde_json::from_str(&json).expect("generated JSON");
        let text = formats::hcl(&value);
        assert!(agrees(&text), "the fast path gives up on the benchmark file");
        taken += 1;
    }
    assert_eq!(taken, 2);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A string, number, bool or null as HCL writes it.
fn scalar() -> BoxedStrategy<String> {
    let string = proptest::collection::vec(
        prop_oneof![
            "[a-zA-Z0-9 ._:/-]{1,6}",
            Just("\\n".to_owned()),
            Just("\\\"".to_owned()),
            Just("\\\\".to_owned()),
            Just("\\u00e9".to_owned()),
            Just("$${x}".to_owned()),
            Just("%%{y}".to_owned()),
            Just("$ % { }".to_owned()),
            Just("é€😀".to_owned()),
            Just("# not // a comment".to_owned()),
        ],
        0..4,
    )
    .prop_map(|parts| format!("\"{}\"", parts.concat()));
    let number = prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| n.to_string()),
        (any::<i32>(), 0..1000u32).prop_map(|(i, f)| format!("{i}.{f}")),
        (any::<i16>(), -30..30i32).prop_map(|(i, e)| format!("{i}e{e}")),
        Just("1.0E+2".to_owned()),
        Just("18446744073709551616".to_owned()),
    ];
    prop_oneof![
        3 => string,
        2 => number,
        1 => prop_oneof![Just("true"), Just("false"), Just("null")].prop_map(str::to_owned),
    ]
    .boxed()
}

/// A literal value of depth at most `depth`, written with the spacing,
/// comments and commas HCL allows around it.
fn literal(depth: u32) -> BoxedStrategy<String> {
    if depth == 0 {
        return scalar();
    }
    let inner = literal(depth - 1);
    prop_oneof![3 => scalar(), 1 => tuple(inner.clone()), 1 => object(inner)].boxed()
}

fn tuple(item: BoxedStrategy<String>) -> impl Strategy<Value = String> {
    let gap = prop_oneof![
        Just(" "),
        Just(""),
        Just("\n  "),
        Just(" # c\n  "),
        Just(" // c\n"),
        Just(" /* c */ "),
        Just("\r\n")
    ];
    (proptest::collection::vec((item, gap), 0..4), any::<bool>()).prop_map(|(items, trailing)| {
        let mut out = "[".to_owned();
        for (n, (item, gap)) in items.iter().enumerate() {
            if n > 0 {
                out.push(',');
            }
            let _ = write!(out, "{gap}{item}");
        }
        if trailing && !items.is_empty() {
            out.push(',');
        }
        out.push(']');
        out
    })
}

fn object(value: BoxedStrategy<String>) -> impl Strategy<Value = String> {
    let key = prop_oneof!["[a-z_][a-z0-9_-]{0,5}", "\"[a-z .é-]{0,5}\"", Just("true".to_owned())];
    let end = prop_oneof![Just(",\n"), Just("\n"), Just(", "), Just(" # doc\n"), Just(" // doc\n")];
    proptest::collection::vec((key, value, end), 0..4).prop_map(|items| {
        let mut out = "{\n".to_owned();
        for (key, value, end) in items {
            let _ = write!(out, "  {key} = {value}{end}");
        }
        out.push('}');
        out
    })
}

/// A file of distinct attributes with comments above and after some.
fn literal_file() -> impl Strategy<Value = String> {
    let above = prop_oneof![
        Just(""),
        Just("# doc above\n"),
        Just("// two\n// lines\n"),
        Just("\n"),
        Just("/* block */\n")
    ];
    let after = prop_oneof![Just(""), Just(" # after"), Just(" // after"), Just("  ")];
    let line_break = prop_oneof![Just("\n"), Just("\r\n")];
    proptest::collection::vec((above, literal(3), after, line_break), 0..6).prop_map(|attrs| {
        let mut out = String::new();
        for (n, (above, value, after, line_break)) in attrs.into_iter().enumerate() {
            let _ = write!(out, "{above}key_{n} = {value}{after}{line_break}");
        }
        out
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn random_literal_files_are_taken_and_agree(text in literal_file()) {
        // A duplicate object key sends a file to hcl-edit, rightly.
        let duplicate = parse_full(&text).is_err();
        prop_assert!(agrees(&text) || duplicate, "the fast path gives up on:\n{}", text);
    }
}
