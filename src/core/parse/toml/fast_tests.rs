//! Differential tests of the TOML fast path: whenever `fast::try_parse`
//! accepts a text, its leaves must equal the full parser's exactly (paths,
//! values and types, positions, spans, docs, origins, order). Inputs: the
//! toml-test suite (valid and invalid) and every line prefix of each case,
//! the repository's TOML files, the benchmark generator's files, and random
//! documents (`fast_gen.rs`).

use std::path::{Path, PathBuf};

use super::fast::try_parse;
use super::fast_gen;
use super::parse_full;

use crate::core::source::decode;

/// Panics if the fast path accepts `text` and reads it otherwise than the
/// full parser; returns whether it accepted.
pub(super) fn agrees(text: &str) -> bool {
    crate::core::parse::fast_check::agrees(text, try_parse, parse_full)
}

/// The first line the fast path refuses in a text it gives up on, for
/// failure messages (quadratic, so only called on failure).
fn refused_line(text: &str) -> String {
    let mut end = 0;
    for line in text.split_inclusive('\n') {
        end += line.len();
        if try_parse(&text[..end]).is_none() {
            return line.to_owned();
        }
    }
    "(the whole text)".to_owned()
}

fn toml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            toml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
}

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Decoded text of a file, as envlens loads it; `None` if refused.
fn load(path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    decode(&bytes).ok().map(|(text, _)| text.to_owned())
}

#[test]
fn conformance_suite_and_prefixes() {
    let mut files = Vec::new();
    toml_files(&repo("tests/conformance/toml"), &mut files);
    assert!(files.len() > 700, "only {} suite cases", files.len());
    let (mut inputs, mut accepted, mut whole) = (0, 0, 0);
    for path in &files {
        let Some(text) = load(path) else { continue };
        whole += usize::from(agrees(&text));
        // Every prefix ending at a line break, with and without it.
        for (cut, _) in text.match_indices('\n') {
            inputs += 2;
            accepted += usize::from(agrees(&text[..cut]));
            accepted += usize::from(agrees(&text[..=cut]));
        }
        inputs += 1;
    }
    eprintln!(
        "suite: {whole} of {} cases, {accepted} of {inputs} prefixes taken by the fast path",
        files.len()
    );
    assert!(whole > 100, "the fast path takes almost nothing: {whole}");
}

#[test]
fn repository_toml_files() {
    let mut files = Vec::new();
    toml_files(&repo("tests/fixtures"), &mut files);
    toml_files(&repo("sample-project"), &mut files);
    assert!(files.len() > 10);
    let mut accepted = 0;
    for path in &files {
        let Some(text) = load(path) else { continue };
        let taken = agrees(&text);
        accepted += usize::from(taken);
        let config = path.file_name().is_some_and(|n| n.to_string_lossy().starts_with("config_"));
        if config && path.starts_with(repo("sample-project")) {
            assert!(taken, "gives up on {}: {:?}", path.display(), refused_line(&text));
        }
    }
    eprintln!("repository: {accepted} of {} TOML files taken by the fast path", files.len());
}

#[test]
fn generated_workloads_are_taken() {
    let dir = tempfile::tempdir().unwrap();
    for (seed, keys, flags) in
        [("1", "300", "--single"), ("7", "2000", "--single"), ("3", "60", "")]
    {
        let out = dir.path().join(seed);
        let mut args = vec!["--seed", seed, "--keys", keys, "--formats", "toml"];
        args.extend(flags.split_whitespace());
        if flags.is_empty() {
            args.extend(["--sets", "6"]);
        }
        if !crate::core::parse::fast_check::generate(&out, &args) {
            return;
        }
        let mut files = Vec::new();
        toml_files(&out, &mut files);
        assert!(files.len() >= 3);
        for path in &files {
            let text = std::fs::read_to_string(path).unwrap();
            let taken = agrees(&text);
            assert!(taken, "gives up on {}: {:?}", path.display(), refused_line(&text));
        }
    }
}

#[test]
fn takes_the_common_subset() {
    let cases = [
        "a = 1\n",
        "# top\na = 1  # right\n\n# above\n[t]\n  # k\n  k = \"x\"\n[t.u]\n[v]\nw = 'lit'\n",
        "[a.b]\nx = 1\n[a]\ny = 2\n",
        "[empty]\n[other]\nk = true\n",
        "[a]\n[a.b]\n",
        "p = [1, \"two\", 3.5, [4, []], []] # c\nq = [ ]\nr = [1,]\n",
        "d1 = 1979-05-27\nd2 = 1979-05-27T07:32:00Z\nd3 = 1979-05-27 07:32:00.5-07:00\nt = 07:32:00\n",
        "i = [0x1F, 0o17, 0b101, -0, +1_000, 9223372036854775807]\n",
        "f = [1.5, -0.0, 1e10, 6.02E+23, 1_0.2_5, inf, -inf, nan, -nan, +nan]\n",
        "s = \"é \\\" \\\\ \\n \\t \\u00e9 \\U0001F600\"\nl = 'a\\b # c'\n",
        "a.b.c = 1\na.b.d = 2\na.e = 3\n",
        "a = 1\r\n[b]\r\nc = 2 # r\r\n",
        "e = [{ n = \"x\", w = 1 }, {}]\nt = { a.b = 1, a.c = [], d = {} } # c\n",
        "# doc\n[e] # r\n[f] # only r\n\n# d\n\n[g]\n[g.h]\n[i]\n",
        "a = ['é', \"ü\", 1, { k = 'ß', l = [] }, 2] # é\nb.c = 0E5\n",
        "[a]\n[b]\n[a.c]\nx = 1\n",
        "key-with_dash = 1\n3.14 = 2\ntrue = 3\n",
        "",
        "# only a comment\n\n",
        "a = 1",
        "\t[t]\t# r\n\tk\t=\t1\t\n",
    ];
    for text in cases {
        assert!(agrees(text), "the fast path gives up on:\n{text}");
    }
}

#[test]
fn gives_up_outside_the_subset() {
    let cases = [
        ("array of tables", "[[a]]\nb = 1\n"),
        ("inline trailing comma", "a = { b = 1, }\n"),
        ("multi-line inline table", "a = { b = 1,\n c = 2 }\n"),
        ("inline duplicate", "a = { b.c = 1, b = 2 }\n"),
        ("extending inline", "a = { b = 1 }\na.c = 2\n"),
        ("table over inline", "a = { b = 1 }\n[a]\n"),
        ("multi-line basic", "a = \"\"\"x\"\"\"\n"),
        ("multi-line literal", "a = '''x'''\n"),
        ("multi-line array", "a = [\n  1,\n]\n"),
        ("quoted key", "\"a\" = 1\n"),
        ("literal key", "'a' = 1\n"),
        ("quoted header", "[\"a\"]\n"),
        ("spaced dot", "a . b = 1\n"),
        ("spaced header", "[ a ]\n"),
        ("duplicate key", "a = 1\na = 2\n"),
        ("duplicate table", "[a]\n[a]\n"),
        ("table over value", "a = 1\n[a]\n"),
        ("table over dotted", "a.b = 1\n[a]\n"),
        ("dotted over table", "[a.b]\n[a]\nb.c = 1\n"),
        ("key through value", "a = 1\na.b = 2\n"),
        ("escape e", "a = \"\\e\"\n"),
        ("escape x", "a = \"\\x41\"\n"),
        ("unknown escape", "a = \"\\q\"\n"),
        ("surrogate", "a = \"\\ud800\"\n"),
        ("control char", "a = \"\u{1}\"\n"),
        ("control in comment", "a = 1 # \u{7f}\n"),
        ("lone cr", "a = 1\rb = 2\n"),
        ("leading zero", "a = 01\n"),
        ("signed hex", "a = +0x1\n"),
        ("upper prefix", "a = 0X1\n"),
        ("double underscore", "a = 1__0\n"),
        ("int overflow", "a = 9223372036854775808\n"),
        ("hex overflow", "a = 0xffffffffffffffff\n"),
        ("float overflow", "a = 1e400\n"),
        ("bare dot float", "a = .5\n"),
        ("trailing dot", "a = 1.\n"),
        ("bad date", "a = 1979-02-29\n"),
        ("leap second", "a = 1979-05-27T23:59:60Z\n"),
        ("no seconds", "a = 07:32\n"),
        ("lower t", "a = 1979-05-27t07:32:00\n"),
        ("comment glued", "a = 1#c\n"),
        ("text after value", "a = \"x\" y\n"),
        ("no value", "a =\n"),
        ("no equals", "a\n"),
        ("empty array entry", "a = [1,,2]\n"),
        ("bom", "\u{feff}a = 1\n"),
        ("unicode key", "é = 1\n"),
        ("too many segments", &format!("{} = 1\n", vec!["k"; 70].join("."))),
        ("too deep array", &format!("a = {}1{}\n", "[".repeat(70), "]".repeat(70))),
    ];
    for (what, text) in cases {
        assert!(try_parse(text).is_none(), "{what}: the fast path took {text:?}");
        assert!(!agrees(text));
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]

    #[test]
    fn random_documents_agree(doc in fast_gen::document(false)) {
        agrees(&doc);
    }

    #[test]
    fn random_subset_documents_are_taken(doc in fast_gen::document(true)) {
        proptest::prop_assert!(agrees(&doc), "the fast path gives up on:\n{}", doc);
    }
}

#[test]
fn random_documents_are_often_taken() {
    use proptest::strategy::{Strategy, ValueTree};
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = fast_gen::document(false);
    let (mut taken, total) = (0, 300);
    for _ in 0..total {
        let doc = strategy.new_tree(&mut runner).unwrap().current();
        taken += usize::from(agrees(&doc));
    }
    eprintln!("random documents: {taken} of {total} taken by the fast path");
    assert!(taken * 10 > total, "only {taken} of {total}");
}
