//! Differential tests of the YAML fast path: whenever `fast::try_parse`
//! accepts a text, its leaves must equal the full parser's exactly (paths,
//! values and types, positions, spans, docs, origins, order). Inputs: the
//! YAML test suite and its line prefixes, the repository's YAML files, the
//! benchmark generator's files, and random documents (`fast_gen.rs`).

use std::fmt::Write as _;
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

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
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
    yaml_files(&repo("tests/conformance/yaml"), &mut files);
    files.retain(|p| p.file_name().is_some_and(|n| n == "in.yaml"));
    assert!(files.len() > 300, "only {} suite cases", files.len());
    let (mut inputs, mut accepted) = (0, 0);
    for path in &files {
        let Some(text) = load(path) else { continue };
        let cuts = text.match_indices('\n').map(|(i, _)| i).chain([text.len()]);
        for cut in cuts {
            inputs += 1;
            accepted += usize::from(agrees(&text[..cut]));
        }
    }
    eprintln!("suite: {accepted} of {inputs} inputs (cases and prefixes) taken by the fast path");
    assert!(accepted > 100, "the fast path takes almost nothing: {accepted}");
}

#[test]
fn repository_yaml_files() {
    let mut files = Vec::new();
    yaml_files(&repo("tests/fixtures"), &mut files);
    yaml_files(&repo("sample-project"), &mut files);
    assert!(files.len() > 10);
    let mut accepted = 0;
    for path in &files {
        let Some(text) = load(path) else { continue };
        let taken = agrees(&text);
        accepted += usize::from(taken);
        let config = path.file_name().is_some_and(|n| n.to_string_lossy().starts_with("config_"));
        if config && path.starts_with(repo("sample-project")) {
            assert!(taken, "the fast path gives up on {}", path.display());
        }
    }
    eprintln!("repository: {accepted} of {} YAML files taken by the fast path", files.len());
}

#[test]
fn fuzz_seeds_and_prefixes() {
    let Ok(entries) = std::fs::read_dir(repo("fuzz/seeds/yaml")) else { return };
    let (mut inputs, mut accepted) = (0, 0);
    for entry in entries.flatten() {
        let Ok(text) = std::fs::read_to_string(entry.path()) else { continue };
        for cut in text.match_indices('\n').map(|(i, _)| i).chain([text.len()]) {
            inputs += 1;
            accepted += usize::from(agrees(&text[..cut]));
        }
    }
    eprintln!(
        "fuzz seeds: {accepted} of {inputs} inputs (seeds and prefixes) taken by the fast path"
    );
}

#[test]
fn generated_workloads_are_taken() {
    let dir = tempfile::tempdir().unwrap();
    for (seed, keys, flags) in
        [("1", "300", "--single"), ("7", "2000", "--single"), ("3", "60", "")]
    {
        let out = dir.path().join(seed);
        let mut args = vec!["--seed", seed, "--keys", keys, "--formats", "yaml"];
        args.extend(flags.split_whitespace());
        if flags.is_empty() {
            args.extend(["--sets", "6"]);
        }
        if !crate::core::parse::fast_check::generate(&out, &args) {
            return;
        }
        let mut files = Vec::new();
        yaml_files(&out, &mut files);
        assert!(files.len() >= 3);
        for path in &files {
            let text = std::fs::read_to_string(path).unwrap();
            assert!(agrees(&text), "the fast path gives up on {}", path.display());
        }
    }
}

#[test]
fn takes_the_common_subset() {
    let cases = [
        "a: 1\n",
        "# top\na: 1  # right\nb:\n  # above c\n  c: \"x\"\n  d:\n# after d\ne: [1, \"two\", x]\n",
        "f: {}\ng: []\nh:\n  - p\n  - q: 1\n    r: 2\n  # tail\ni: 'it''s'\n",
        "l:\n- a\n-   b: 1\n    c: [x, \"y\"] # r\nm: 1\n",
        "- a: 1\n  b:\n  - x\n- c\n",
        "\"é.x\": 'a''b'\n'k': \"\\u00e9\\\"\\n\\x41\"\nü: ✓\n",
        "a: [a:b, http://x, a b , 'c' ]\nb: -1\nc: b#c\nd: x:y\n",
        "  indented: root\n  next: 2\n",
        "d:  # r\ne: 1\ng:  # r\n  h: 7\n",
        "",
        "# only a comment\n\n",
        "a: 1",
        // Streams of documents, as Kubernetes manifests are written.
        "---\na: 1\n",
        "kind: A\nspec:\n  x: 1\n---\nkind: B\nlist:\n  - n: 1\n---\n# doc\nkind: C\n",
        "a:\n  b:\n---\n- x\n- y: 2\n",
        "# top\n---\na: 1\n---  \nb: [1, 2]\n",
        // Literal block scalars, as ConfigMaps hold files.
        "a: |\n  x\n   y\n\n  z # not a comment\n\nb: 1\n",
        "data:\n  app.yaml: |-\n    server:\n      port: 80\n  other: x\n",
        "- k: |\n    text\n  n: 2\n",
        "a: |\n  last line\n---\nb: |\n  x\n",
        "a: |\n  x\n  \n  y\n",
    ];
    for text in cases {
        assert!(agrees(text), "the fast path gives up on:\n{text}");
    }
}

#[test]
fn gives_up_outside_the_subset() {
    let cases = [
        ("tab", "a:\t1\n"),
        ("tab indent", "a:\n\tb: 1\n"),
        ("crlf", "a: 1\r\nb: 2\r\n"),
        ("anchor", "a: &x 1\nb: *x\n"),
        ("alias", "a: 1\nb: *x\n"),
        ("tag", "a: !!str 1\n"),
        ("literal keep", "a: |+\n  x\n\n"),
        ("literal indentation", "a: |2\n   x\n"),
        ("literal comment", "a: | # c\n  x\n"),
        ("literal leading blank", "a: |\n\n  x\n"),
        ("empty literal", "a: |\nb: 1\n"),
        ("item literal", "- |\n  x\n"),
        ("folded", "a: >\n  x\n"),
        ("complex key", "? a\n: 1\n"),
        ("flow mapping", "a: {b: 1}\n"),
        ("nested flow", "a: [[1]]\n"),
        ("flow comment", "a: [1, 2 # c\n  ]\n"),
        ("multi-line flow", "a: [1,\n  2]\n"),
        ("trailing comma", "a: [1, 2,]\n"),
        ("directive", "%YAML 1.2\n---\na: 1\n"),
        ("empty document", "a: 1\n---\n---\nb: 1\n"),
        ("empty last document", "a: 1\n---\n"),
        ("document start with content", "--- a: 1\n"),
        ("document end", "a: 1\n...\n"),
        ("merge key", "a:\n  <<: {b: 1}\n"),
        ("plain continuation", "a: one\n  two\n"),
        ("quoted continuation", "a: \"one\n  two\"\n"),
        ("line continuation escape", "a: \"one\\\n  two\"\n"),
        ("unknown escape", "a: \"\\q\"\n"),
        ("indicator start", "a: @x\n"),
        ("colon space in plain", "a: b: c\n"),
        ("trailing colon", "a: b:\n"),
        ("duplicate key", "a: 1\na: 2\n"),
        ("empty item", "-\n- a\n"),
        ("nested sequence", "- - a\n"),
        ("next-line scalar", "a:\n  text\n"),
        ("bare scalar", "just text\n"),
        ("bad indentation", "a:\n  b: 1\n c: 2\n"),
        ("second root", "  a: 1\nb: 2\n"),
        ("space before colon", "a : 1\n"),
        ("quote after text", "a: 'x'y\n"),
        ("nbsp", "a: b\u{a0}\n"),
        ("deep", &"- ".repeat(150)),
    ];
    for (what, text) in cases {
        assert!(try_parse(text).is_none(), "{what}: the fast path took {text:?}");
        assert!(!agrees(text));
    }
    let deep = (0..120).fold(String::new(), |mut s, i| {
        let _ = writeln!(s, "{}k:", " ".repeat(i));
        s
    });
    assert!(try_parse(&deep).is_none());
}

/// Cases per property: a few hundred by default, more with
/// `FAST_CASES=100000` for a long hunt.
fn cases() -> u32 {
    std::env::var("FAST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(600)
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(cases()))]

    #[test]
    fn random_documents_agree(doc in fast_gen::document(false)) {
        agrees(&doc);
    }

    #[test]
    fn random_subset_documents_agree(doc in fast_gen::document(true)) {
        proptest::prop_assert!(agrees(&doc), "the fast path gives up on:\n{}", doc);
    }

    #[test]
    fn random_edits_agree(doc in fast_gen::document(true), edits in fast_gen::edits()) {
        agrees(&fast_gen::apply(&doc, &edits));
    }
}

#[test]
fn random_documents_are_mostly_taken() {
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
    assert!(taken * 3 > total, "only {taken} of {total}");
}
