//! YAML conformance: runs every case of the YAML test suite (`tests/conformance/yaml`)
//! through `source::decode` and `parse::yaml::parse`, the way envlens loads
//! a file, and compares with the suite's JSON reading of it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

mod support;

use std::collections::BTreeMap;
use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use envlens::core::leaf::{Named, ParseError, Parsed};
use envlens::core::parse::yaml::parse;
use envlens::core::source::decode;
use serde_json::Value as J;

/// Why the contract decides a case otherwise than the suite.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Exception {
    /// §3: a config document is a mapping or a sequence; a document whose
    /// root is a non-null scalar is refused. Found from `in.json`.
    BareScalar,
    /// The suite has no `in.json` because JSON cannot hold the data
    /// (mapping or sequence keys, null keys...): nothing to compare with,
    /// the case only has to finish without a panic, either way.
    NoJsonForm,
    /// Hand-listed below, each with its reason.
    Listed(&'static str),
}

impl fmt::Display for Exception {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BareScalar => f.write_str("bare scalar document refused (contract §3)"),
            Self::NoJsonForm => f.write_str("no JSON form in the suite (finishes, not compared)"),
            Self::Listed(why) => f.write_str(why),
        }
    }
}

/// Cases the contract rules on where the suite's data cannot tell. Keep it
/// short: each entry says why.
const LISTED: &[(&str, &str)] = &[];

/// One case folder (a suite id, or an id with a numbered subfolder).
struct Case {
    name: String,
    dir: PathBuf,
}

fn cases(root: &Path) -> Vec<Case> {
    let mut out = Vec::new();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        if dir.join("in.yaml").is_file() {
            out.push(Case { name, dir });
            continue;
        }
        let mut subs: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.join("in.yaml").is_file())
            .collect();
        subs.sort();
        for sub in subs {
            let sub_name = sub.file_name().unwrap().to_string_lossy().into_owned();
            out.push(Case { name: format!("{name}/{sub_name}"), dir: sub });
        }
    }
    out
}

/// The real pipeline: byte checks, then the parser. `Err(())` is a panic.
fn load(bytes: &[u8]) -> Result<Result<Vec<Named>, ParseError>, ()> {
    catch_unwind(AssertUnwindSafe(|| {
        decode(bytes).and_then(|(text, _)| parse(text).map(Parsed::named))
    }))
    .map_err(|_| ())
}

/// The expected documents of `in.json` (several concatenated for a
/// multi-document case).
fn expected_docs(text: &str) -> Vec<J> {
    serde_json::Deserializer::from_str(text).into_iter::<J>().collect::<Result<_, _>>().unwrap()
}

/// The leaves §3 gives for those documents: null documents have none, and a
/// leading `[i]` per document when there is more than one.
fn expected_leaves(docs: &[J]) -> Vec<(String, J)> {
    let mut out = Vec::new();
    for (i, doc) in docs.iter().enumerate() {
        if doc.is_null() {
            continue;
        }
        let doc = if docs.len() > 1 {
            J::Array((0..=i).map(|j| if j == i { doc.clone() } else { J::Null }).collect())
        } else {
            doc.clone()
        };
        let flat = support::flatten_json(&doc);
        // Only the wrapped document's own leaves, not the null placeholders.
        let prefix = format!("[{i}]");
        out.extend(
            flat.into_iter().filter(|(path, _)| docs.len() == 1 || path.starts_with(&prefix)),
        );
    }
    out
}

/// Compares by path: the suite's JSON does not always keep the YAML's key
/// order (RR7F), and sequence order is part of the paths.
fn compare(leaves: &[Named], want: &[(String, J)]) -> Result<(), String> {
    let mut ours = support::leaves_as_json(leaves);
    ours.sort_by(|a, b| a.0.cmp(&b.0));
    let mut want = want.to_vec();
    want.sort_by(|a, b| a.0.cmp(&b.0));
    if ours.len() != want.len() {
        return Err(format!(
            "{} leaves, suite has {}: {ours:?} vs {want:?}",
            ours.len(),
            want.len()
        ));
    }
    for ((path, value), (want_path, want_value)) in ours.iter().zip(&want) {
        if path != want_path || !support::same_json(value, want_value) {
            return Err(format!("{path} = {value}, suite: {want_path} = {want_value}"));
        }
    }
    Ok(())
}

#[derive(Default)]
struct Tally {
    valid: usize,
    refused: usize,
    exceptions: BTreeMap<String, usize>,
    failures: Vec<String>,
}

impl Tally {
    fn except(&mut self, why: Exception) {
        *self.exceptions.entry(why.to_string()).or_default() += 1;
    }
}

fn run(case: &Case, tally: &mut Tally) {
    let bytes = std::fs::read(case.dir.join("in.yaml")).unwrap();
    let started = Instant::now();
    let Ok(result) = load(&bytes) else {
        tally.failures.push(format!("{}: panicked", case.name));
        return;
    };
    // A hang guard, not a speed test: the machine may be busy.
    if started.elapsed() > Duration::from_secs(20) {
        tally.failures.push(format!("{}: took {:?}", case.name, started.elapsed()));
    }
    // Every line-prefix of the case must finish too (half-written files).
    for (cut, _) in bytes.iter().enumerate().filter(|(_, b)| **b == b'\n') {
        if load(&bytes[..cut]).is_err() {
            tally.failures.push(format!("{}: panicked on its first {cut} bytes", case.name));
        }
    }
    if let Some((_, why)) = LISTED.iter().find(|(name, _)| *name == case.name) {
        tally.except(Exception::Listed(why));
        return;
    }
    if case.dir.join("error").is_file() {
        match result {
            Err(_) => tally.refused += 1,
            Ok(leaves) => tally.failures.push(format!(
                "{}: suite says error, loaded {} leaves",
                case.name,
                leaves.len()
            )),
        }
        return;
    }
    let Ok(json) = std::fs::read_to_string(case.dir.join("in.json")) else {
        tally.except(Exception::NoJsonForm);
        return;
    };
    let docs = expected_docs(&json);
    let bare = docs.iter().any(|d| !(d.is_null() || d.is_object() || d.is_array()));
    match (result, bare) {
        (Err(err), true) if err.message.contains("must be a mapping or a sequence") => {
            tally.except(Exception::BareScalar);
        }
        (Ok(leaves), false) => match compare(&leaves, &expected_leaves(&docs)) {
            Ok(()) => tally.valid += 1,
            Err(why) => tally.failures.push(format!("{}: {why}", case.name)),
        },
        (Err(err), _) => tally
            .failures
            .push(format!("{}: refused: {} at {:?}", case.name, err.message, err.position)),
        (Ok(_), true) => {
            tally.failures.push(format!("{}: bare scalar document accepted", case.name));
        }
    }
}

#[test]
fn yaml_test_suite() {
    let root = support::conformance_dir("yaml");
    let all = cases(&root);
    assert!(all.len() > 300, "only {} cases found", all.len());
    let mut tally = Tally::default();
    for case in &all {
        run(case, &mut tally);
    }
    let exceptions: usize = tally.exceptions.values().sum();
    eprintln!(
        "yaml conformance: {} valid passed, {} error cases refused, {} exceptions, {} failures",
        tally.valid,
        tally.refused,
        exceptions,
        tally.failures.len()
    );
    for (why, count) in &tally.exceptions {
        eprintln!("  exception: {count} × {why}");
    }
    for failure in &tally.failures {
        eprintln!("  FAIL {failure}");
    }
    assert!(tally.failures.is_empty(), "{} unexpected failures", tally.failures.len());
}
