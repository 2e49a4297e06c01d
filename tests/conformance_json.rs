//! JSON conformance: runs `JSONTestSuite`'s `test_parsing/` cases (vendored
//! in `tests/conformance/json`) through `source::decode` and
//! `parse::json::parse`, the way envlens loads a file.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

mod support;

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};

use envlens::core::leaf::{Named, ParseError, Parsed};
use envlens::core::parse::json::parse;
use envlens::core::source::decode;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value as J;

/// Why the contract decides a case otherwise than the suite.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Exception {
    /// §3/§2: a config file holds an object or an array; a lone scalar is
    /// not a config, so a `y_` bare scalar is refused.
    BareScalar,
    /// §3: a key that appears twice in one mapping is an error.
    DuplicateKey,
}

impl fmt::Display for Exception {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::BareScalar => "bare top-level scalar refused (contract: not a config)",
            Self::DuplicateKey => "duplicate key refused (contract §3)",
        })
    }
}

/// Whether a JSON document has a duplicate key in some object, read by
/// `serde_json` independently of the parser under test.
struct HasDuplicate(bool);

impl<'de> Deserialize<'de> for HasDuplicate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DuplicateVisitor)
    }
}

struct DuplicateVisitor;

impl<'de> Visitor<'de> for DuplicateVisitor {
    type Value = HasDuplicate;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<HasDuplicate, A::Error> {
        let mut seen = HashSet::new();
        let mut found = false;
        while let Some(key) = map.next_key::<String>()? {
            found |= !seen.insert(key);
            found |= map.next_value::<HasDuplicate>()?.0;
        }
        Ok(HasDuplicate(found))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<HasDuplicate, A::Error> {
        let mut found = false;
        while let Some(item) = seq.next_element::<HasDuplicate>()? {
            found |= item.0;
        }
        Ok(HasDuplicate(found))
    }

    fn visit_bool<E>(self, _: bool) -> Result<HasDuplicate, E> {
        Ok(HasDuplicate(false))
    }
    fn visit_i64<E>(self, _: i64) -> Result<HasDuplicate, E> {
        Ok(HasDuplicate(false))
    }
    fn visit_u64<E>(self, _: u64) -> Result<HasDuplicate, E> {
        Ok(HasDuplicate(false))
    }
    fn visit_f64<E>(self, _: f64) -> Result<HasDuplicate, E> {
        Ok(HasDuplicate(false))
    }
    fn visit_str<E>(self, _: &str) -> Result<HasDuplicate, E> {
        Ok(HasDuplicate(false))
    }
    fn visit_unit<E>(self) -> Result<HasDuplicate, E> {
        Ok(HasDuplicate(false))
    }
}

/// The real pipeline: byte checks, then the parser. `Err(())` is a panic.
fn load(bytes: &[u8]) -> Result<Result<Vec<Named>, ParseError>, ()> {
    catch_unwind(AssertUnwindSafe(|| {
        decode(bytes).and_then(|(text, _)| parse(text).map(Parsed::named))
    }))
    .map_err(|_| ())
}

/// Compares accepted leaves with `serde_json`'s reading of the same bytes.
fn check_values(leaves: &[Named], expected: &J) -> Result<(), String> {
    let ours = support::leaves_as_json(leaves);
    let theirs = support::flatten_json(expected);
    if ours.len() != theirs.len() {
        return Err(format!("{} leaves, serde_json has {}", ours.len(), theirs.len()));
    }
    for ((path, value), (want_path, want)) in ours.iter().zip(&theirs) {
        if path != want_path || !support::same_json(value, want) {
            return Err(format!("{path} = {value}, serde_json: {want_path} = {want}"));
        }
    }
    Ok(())
}

/// What the suite's cases gave.
#[derive(Default)]
struct Tally {
    y_ok: usize,
    y_total: usize,
    n_ok: usize,
    n_total: usize,
    i_accepted: usize,
    i_refused: usize,
    exceptions: BTreeMap<Exception, Vec<String>>,
    failures: Vec<String>,
}

impl Tally {
    /// One case: `y_` must be read as `serde_json` reads it (or be one of the
    /// contract's exceptions), `n_` refused, `i_` either.
    fn case(&mut self, name: String, bytes: &[u8]) {
        let Ok(result) = load(bytes) else {
            self.failures.push(format!("{name}: panicked"));
            return;
        };
        match name.as_bytes()[0] {
            b'y' => self.accepted_case(name, bytes, result),
            b'n' => {
                self.n_total += 1;
                match result {
                    Err(_) => self.n_ok += 1,
                    Ok(_) => self.failures.push(format!("{name}: accepted")),
                }
            }
            b'i' => match result {
                Ok(_) => self.i_accepted += 1,
                Err(_) => self.i_refused += 1,
            },
            _ => self.failures.push(format!("{name}: unknown case kind")),
        }
    }

    fn accepted_case(
        &mut self,
        name: String,
        bytes: &[u8],
        result: Result<Vec<Named>, ParseError>,
    ) {
        self.y_total += 1;
        let expected: J = serde_json::from_slice(bytes).unwrap();
        let duplicate = serde_json::from_slice::<HasDuplicate>(bytes).unwrap().0;
        let exception = if !expected.is_object() && !expected.is_array() {
            Some(Exception::BareScalar)
        } else if duplicate {
            Some(Exception::DuplicateKey)
        } else {
            None
        };
        match (exception, result) {
            (None, Ok(leaves)) => match check_values(&leaves, &expected) {
                Ok(()) => self.y_ok += 1,
                Err(why) => self.failures.push(format!("{name}: {why}")),
            },
            (None, Err(err)) => self.failures.push(format!("{name}: refused: {err}")),
            (Some(exception), Err(_)) => {
                self.exceptions.entry(exception).or_default().push(name);
            }
            (Some(exception), Ok(_)) => {
                self.failures.push(format!("{name}: accepted, but {exception}"));
            }
        }
    }
}

#[test]
fn json_test_suite() {
    let dir = support::conformance_dir("json/test_parsing");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    assert!(files.len() > 300, "only {} cases in {}", files.len(), dir.display());

    let mut tally = Tally::default();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        tally.case(name, &std::fs::read(path).unwrap());
    }
    let Tally { y_ok, y_total, n_ok, n_total, i_accepted, i_refused, exceptions, failures } = tally;
    let exception_count: usize = exceptions.values().map(Vec::len).sum();
    eprintln!(
        "json conformance: y accepted {y_ok}/{y_total}, n refused {n_ok}/{n_total}, \
         i accepted {i_accepted} / refused {i_refused}, exceptions {exception_count}, \
         failures {}",
        failures.len()
    );
    for (exception, names) in &exceptions {
        eprintln!("json conformance: exception ({exception}): {}", names.join(", "));
    }
    assert!(failures.is_empty(), "unexpected results:\n{}", failures.join("\n"));
    // The exceptions are the contract's, and only those: a new one would be
    // a parser change that needs a decision.
    let count = |e| exceptions.get(&e).map_or(0, Vec::len);
    assert_eq!(count(Exception::BareScalar), 8, "{exceptions:?}");
    assert_eq!(count(Exception::DuplicateKey), 2, "{exceptions:?}");
}
