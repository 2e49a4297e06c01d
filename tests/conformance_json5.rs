//! JSON5 and JSON with comments conformance: the official `json5-tests`
//! cases (vendored in `tests/conformance/json5/`, MIT) through the
//! JSON5 dialect, and every JSON case strict JSON accepts read the same by
//! both lenient dialects (they are supersets of JSON).
//!
//! The suite's case kinds by extension: `.json` and `.json5` must parse,
//! `.js` (ES5 that JSON5 forbids) and `.txt` must not. Most cases are a
//! lone scalar, which §2 refuses as a config file; those are read wrapped
//! in `[` … `]`, so the value syntax is what is tested.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

mod support;

use std::path::{Path, PathBuf};

use envlens::core::leaf::{Named, ParseError, Parsed, Value};
use envlens::core::parse::json::{Dialect, parse, parse_with};
use envlens::core::source::decode;

fn cases(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            cases(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| ["json", "json5", "js", "txt"].contains(&e.to_str().unwrap()))
        {
            out.push(path);
        }
    }
}

fn read(text: &str, dialect: Dialect) -> Result<Vec<Named>, ParseError> {
    parse_with(text, dialect).map(Parsed::named)
}

/// The case's reading: as written when it is an object or array, else
/// wrapped in an array.
fn read_case(text: &str) -> (bool, Result<Vec<Named>, ParseError>) {
    match read(text, Dialect::Json5) {
        Err(err)
            if err.message.contains("object or an array")
                || err.message.contains("expected `{` or `[`") =>
        {
            (true, read(&format!("[\n{text}\n]"), Dialect::Json5))
        }
        other => (false, other),
    }
}

/// Cases the contract decides otherwise: a document with no value at all
/// is invalid JSON5 but an empty array once wrapped, and a duplicate key is
/// an error by §3.
const EXCEPTIONS: &[&str] = &[
    "misc/empty.txt",
    "comments/top-level-block-comment.txt",
    "comments/top-level-inline-comment.txt",
    "objects/duplicate-keys.json",
];

#[test]
fn json5_test_suite() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/json5");
    let mut files = Vec::new();
    cases(&root, &mut files);
    files.sort();
    assert!(files.len() > 100, "only {} cases", files.len());
    let (mut passed, mut wrapped, mut failures) = (0, 0, Vec::new());
    for path in &files {
        let name = path.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        let bytes = std::fs::read(path).unwrap();
        let valid = matches!(path.extension().unwrap().to_str(), Some("json" | "json5"));
        let outcome = std::panic::catch_unwind(|| {
            decode(&bytes).map(|(text, _)| read_case(text)).map_err(|e| e.message)
        });
        let Ok(decoded) = outcome else {
            failures.push(format!("{name}: panicked"));
            continue;
        };
        let accepted = match decoded {
            Ok((was_wrapped, result)) => {
                wrapped += usize::from(was_wrapped);
                result.is_ok()
            }
            Err(_) => false,
        };
        let expected = valid != EXCEPTIONS.contains(&name.as_str());
        if accepted == expected {
            passed += 1;
        } else {
            failures.push(format!("{name}: {accepted} but expected {expected}"));
        }
    }
    eprintln!("json5-tests: {passed}/{} as expected ({wrapped} read wrapped)", files.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn json5_cases_read_the_values_the_spec_gives() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/json5");
    let value = |case: &str| {
        let text = std::fs::read_to_string(root.join(case)).unwrap();
        let (_, leaves) = read_case(&text);
        let leaves = leaves.unwrap();
        leaves.into_iter().map(|l| (l.path, l.leaf.value)).collect::<Vec<_>>()
    };
    let one = |case: &str| value(case).remove(0).1;
    assert_eq!(one("numbers/hexadecimal.json5"), Value::Int(0xC8));
    assert_eq!(one("numbers/negative-hexadecimal.json5"), Value::Int(-0xC8));
    assert_eq!(one("numbers/float-leading-decimal-point.json5"), Value::Float(0.5));
    assert_eq!(one("numbers/float-trailing-decimal-point.json5"), Value::Float(5.0));
    assert_eq!(one("numbers/positive-infinity.json5"), Value::Float(f64::INFINITY));
    assert!(matches!(one("numbers/nan.json5"), Value::Float(f) if f.is_nan()));
    assert_eq!(one("strings/single-quoted-string.json5"), Value::String("hello world".into()));
    assert_eq!(one("strings/multi-line-string.json5"), Value::String("hello world".into()));
    assert_eq!(one("new-lines/escaped-cr.json5"), Value::String("line 1 line 2".into()));
    assert_eq!(value("todo/unicode-escaped-unquoted-key.json5")[0].0, "sigΣma");
    assert_eq!(value("objects/unquoted-keys.json5").len(), 6);
}

/// Strict JSON is a subset of both dialects: every case of `JSONTestSuite`
/// that strict JSON accepts reads the same in them.
#[test]
fn lenient_dialects_read_strict_json_the_same() {
    let dir = support::conformance_dir("json/test_parsing");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let Ok((text, _)) = decode(&bytes) else { continue };
        let Ok(strict) = parse(text).map(Parsed::named) else { continue };
        for dialect in [Dialect::Comments, Dialect::Json5] {
            let lenient =
                read(text, dialect).unwrap_or_else(|e| panic!("{path:?} {dialect:?}: {e}"));
            let same = strict.len() == lenient.len()
                && strict.iter().zip(&lenient).all(|(a, b)| {
                    a.path == b.path
                        && a.value.same_as(&b.value)
                        && a.position == b.position
                        && a.span == b.span
                });
            assert!(same, "{path:?} reads otherwise in {dialect:?}");
        }
        checked += 1;
    }
    assert!(checked > 80, "only {checked} strict cases");
}
