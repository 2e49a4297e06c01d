//! TOML conformance: runs the toml-test suite (TOML 1.1.0 case list) from
//! `tests/conformance/toml` through `source::decode` and `parse::toml::parse`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

mod support;

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use envlens::core::key_path::{push_index, push_key};
use envlens::core::leaf::{Named, ParseError, Parsed, Value};
use envlens::core::parse::toml::parse;
use envlens::core::source::decode;
use serde_json::Value as J;
use toml_edit::{Datetime, Offset};

/// `toml_edit` 0.25 is built as `+spec-1.1.0`, so the 1.1.0 case list applies.
const CASE_LIST: &str = "files-toml-1.1.0";

/// Cases where the contract rules otherwise than the suite, with the reason.
/// None are needed today; keep the reason next to any case added here.
const EXCEPTIONS: &[(&str, &str)] = &[];

/// One expected leaf from a tagged JSON twin.
#[derive(Debug, Clone)]
enum Expected {
    Scalar { kind: String, value: String },
    EmptyMap,
    EmptyList,
}

/// An empty document has no leaves: the root is not a key, so its empty
/// table (`{}` in the twin) is not reported as one.
fn expected_leaves(json: &J) -> BTreeMap<String, Expected> {
    let mut out = BTreeMap::new();
    if json.as_object().is_some_and(serde_json::Map::is_empty) {
        return out;
    }
    walk(json, &mut String::new(), &mut out);
    out
}

/// toml-test's tagged form: an object of exactly `type` and `value`, both
/// strings (a table with those keys would hold tagged objects instead).
fn tagged(map: &serde_json::Map<String, J>) -> Option<(&str, &str)> {
    if map.len() != 2 {
        return None;
    }
    Some((map.get("type")?.as_str()?, map.get("value")?.as_str()?))
}

fn walk(json: &J, path: &mut String, out: &mut BTreeMap<String, Expected>) {
    let mark = path.len();
    match json {
        J::Object(map) => {
            if let Some((kind, value)) = tagged(map) {
                let scalar = Expected::Scalar { kind: kind.to_owned(), value: value.to_owned() };
                out.insert(path.clone(), scalar);
            } else if map.is_empty() {
                out.insert(path.clone(), Expected::EmptyMap);
            } else {
                for (key, child) in map {
                    push_key(path, key);
                    walk(child, path, out);
                    path.truncate(mark);
                }
            }
        }
        J::Array(items) if items.is_empty() => {
            out.insert(path.clone(), Expected::EmptyList);
        }
        J::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                push_index(path, i);
                walk(child, path, out);
                path.truncate(mark);
            }
        }
        other => panic!("untagged scalar {other} at {path}"),
    }
}

/// A date/time as comparable parts: `T` vs space, `z` vs `Z`, missing
/// seconds and trailing fraction zeros all compare equal.
type Moment = (Option<(u16, u8, u8)>, Option<(u8, u8, u8, u32)>, Option<i16>);

fn moment(text: &str) -> Option<Moment> {
    let parsed: Datetime = text.parse().ok()?;
    let date = parsed.date.map(|d| (d.year, d.month, d.day));
    let time =
        parsed.time.map(|t| (t.hour, t.minute, t.second.unwrap_or(0), t.nanosecond.unwrap_or(0)));
    let offset = parsed.offset.map(|o| match o {
        Offset::Custom { minutes } => minutes,
        Offset::Z => 0,
    });
    Some((date, time, offset))
}

fn datetime_kind(m: &Moment) -> &'static str {
    match m {
        (Some(_), Some(_), Some(_)) => "datetime",
        (Some(_), Some(_), None) => "datetime-local",
        (Some(_), None, None) => "date-local",
        (None, Some(_), None) => "time-local",
        _ => "?",
    }
}

fn floats_match(got: f64, want: &str) -> bool {
    let Ok(want) = want.parse::<f64>() else {
        return false;
    };
    if want.is_nan() || got.is_nan() {
        return want.is_nan() && got.is_nan();
    }
    got.to_bits() == want.to_bits()
        || (got - want).abs() <= f64::EPSILON * got.abs().max(want.abs())
}

fn matches(got: &Value, want: &Expected) -> bool {
    match (got, want) {
        (Value::EmptyMap, Expected::EmptyMap) | (Value::EmptyList, Expected::EmptyList) => true,
        (got, Expected::Scalar { kind, value }) => match (got, kind.as_str()) {
            (Value::String(s), "string") => s == value,
            (Value::Int(i), "integer") => value.parse::<i64>() == Ok(*i),
            (Value::Float(f), "float") => floats_match(*f, value),
            (Value::Bool(b), "bool") => value == if *b { "true" } else { "false" },
            (Value::Datetime(text), kind) => match (moment(text), moment(value)) {
                (Some(a), Some(b)) => a == b && datetime_kind(&a) == kind,
                _ => false,
            },
            _ => false,
        },
        _ => false,
    }
}

fn load(bytes: &[u8]) -> Result<Vec<Named>, ParseError> {
    let (text, _bom) = decode(bytes)?;
    parse(text).map(Parsed::named)
}

/// Why a valid case failed, or None when its leaves are the twin's.
fn check_valid(dir: &Path, case: &str) -> Option<String> {
    let bytes = match std::fs::read(dir.join(case)) {
        Ok(bytes) => bytes,
        Err(err) => return Some(format!("unreadable: {err}")),
    };
    let twin = dir.join(case).with_extension("json");
    let json: J = match std::fs::read_to_string(&twin).map(|t| serde_json::from_str(&t)) {
        Ok(Ok(json)) => json,
        other => return Some(format!("twin unreadable: {other:?}")),
    };
    let want = expected_leaves(&json);
    let leaves = match catch_unwind(AssertUnwindSafe(|| load(&bytes))) {
        Err(_) => return Some("panicked".to_owned()),
        Ok(Err(err)) => return Some(format!("refused: {} at {:?}", err.message, err.position)),
        Ok(Ok(leaves)) => leaves,
    };
    if leaves.len() != want.len() {
        let got: Vec<&str> = leaves.iter().map(|l| l.path.as_str()).collect();
        return Some(format!(
            "{} leaves, expected {}: {got:?} vs {:?}",
            leaves.len(),
            want.len(),
            want.keys().collect::<Vec<_>>()
        ));
    }
    for leaf in &leaves {
        match want.get(&leaf.path) {
            None => return Some(format!("unexpected leaf {}", leaf.path)),
            Some(expected) if !matches(&leaf.value, expected) => {
                return Some(format!(
                    "{}: got {} {}, expected {expected:?}",
                    leaf.path,
                    leaf.value.value_type(),
                    leaf.value.to_json()
                ));
            }
            Some(_) => {}
        }
    }
    // The sorted order the parser promises: leaves never go backwards.
    if leaves.windows(2).any(|w| {
        (w[0].position.line, w[0].position.column) > (w[1].position.line, w[1].position.column)
    }) {
        return Some("leaves out of file order".to_owned());
    }
    None
}

/// Why an invalid case failed, or None when it was refused.
fn check_invalid(dir: &Path, case: &str) -> Option<String> {
    let bytes = match std::fs::read(dir.join(case)) {
        Ok(bytes) => bytes,
        Err(err) => return Some(format!("unreadable: {err}")),
    };
    match catch_unwind(AssertUnwindSafe(|| load(&bytes))) {
        Err(_) => Some("panicked".to_owned()),
        Ok(Ok(leaves)) => Some(format!("accepted with {} leaves", leaves.len())),
        Ok(Err(_)) => None,
    }
}

#[test]
fn toml_test_suite() {
    let dir = support::conformance_dir("toml");
    let list = std::fs::read_to_string(dir.join(CASE_LIST))
        .unwrap_or_else(|err| panic!("cannot read {CASE_LIST}: {err}"));
    let (mut valid, mut invalid, mut excepted) = (0, 0, 0);
    let mut failures = Vec::new();
    for case in list
        .lines()
        .map(str::trim)
        .filter(|l| Path::new(l).extension().is_some_and(|e| e == "toml"))
    {
        let failure = if case.starts_with("valid/") {
            valid += 1;
            check_valid(&dir, case)
        } else if case.starts_with("invalid/") {
            invalid += 1;
            check_invalid(&dir, case)
        } else {
            continue;
        };
        let Some(why) = failure else { continue };
        if EXCEPTIONS.iter().any(|(name, _)| *name == case) {
            excepted += 1;
        } else {
            failures.push(format!("{case}: {why}"));
        }
    }
    let failed_valid = failures.iter().filter(|f| f.starts_with("valid/")).count();
    let failed_invalid = failures.len() - failed_valid;
    eprintln!(
        "toml conformance ({CASE_LIST}): valid {}/{valid} passed, invalid {}/{invalid} refused, \
         {excepted} exceptions, {} unexpected failures",
        valid - failed_valid,
        invalid - failed_invalid,
        failures.len()
    );
    assert!(valid > 100 && invalid > 100, "case list looks truncated");
    assert!(
        failures.is_empty(),
        "{} unexpected failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
