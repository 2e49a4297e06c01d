//! INI conformance: each file of `tests/fixtures/ini-cases/` read by
//! Python's `configparser` (default options, `items()` per section, which
//! includes `[DEFAULT]`'s options) and by envlens must give the same
//! sections, options and values. Skipped, saying why, without `python3`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

mod support;

use std::collections::BTreeMap;

use envlens::core::key_path::{self, Segment};
use envlens::core::leaf::{Parsed, Value};
use envlens::core::parse::ini;

const DUMP: &str = r#"
import configparser, json, sys
p = configparser.ConfigParser(interpolation=None)
with open(sys.argv[1], encoding="utf-8") as f:
    p.read_file(f)
out = {s: dict(p.items(s)) for s in p.sections()}
out["DEFAULT"] = dict(p.defaults())
print(json.dumps(out))
"#;

#[test]
fn configparser_reads_the_same() {
    if !support::have("python3", "--version", "apt-get install python3") {
        return;
    }
    let dir = support::repo("tests/fixtures/ini-cases");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let output =
            std::process::Command::new("python3").args(["-c", DUMP]).arg(&path).output().unwrap();
        assert!(output.status.success(), "{path:?}: {}", String::from_utf8_lossy(&output.stderr));
        let theirs: BTreeMap<String, BTreeMap<String, String>> =
            serde_json::from_slice(&output.stdout).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let mut ours: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        ours.insert("DEFAULT".to_owned(), BTreeMap::new());
        for leaf in ini::parse(&text).map(Parsed::named).unwrap() {
            let segments = key_path::parse(&leaf.path).unwrap();
            let section = match &segments[0] {
                Segment::Key(name) => name.clone(),
                Segment::Index(_) | Segment::Identity(_) => panic!("{}", leaf.path),
            };
            let options = ours.entry(section).or_default();
            match (&segments[1..], &leaf.value) {
                ([Segment::Key(option)], Value::String(value)) => {
                    options.insert(option.clone(), value.to_string());
                }
                ([], Value::EmptyMap) => {}
                _ => panic!("{path:?}: {} = {:?}", leaf.path, leaf.value),
            }
        }
        assert_eq!(ours, theirs, "{path:?}");
        checked += 1;
    }
    assert!(checked >= 4, "only {checked} cases");
}
