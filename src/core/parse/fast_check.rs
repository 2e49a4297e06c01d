//! The check both fast paths (YAML, TOML) are held to in tests: a text the
//! fast path takes must read exactly as the full parser reads it.

use std::fmt::Write as _;

use crate::core::leaf::{Named, ParseError, Parsed, Value};

/// Panics if `fast` accepts `text` and reads it otherwise than `full`;
/// returns whether it accepted.
pub(super) fn agrees(
    text: &str,
    fast: fn(&str) -> Option<Parsed>,
    full: fn(&str) -> Result<Parsed, ParseError>,
) -> bool {
    let Some(fast) = fast(text).map(Parsed::named) else {
        return false;
    };
    match full(text).map(Parsed::named) {
        Ok(full) => assert!(
            same(&fast, &full),
            "fast path differs on:\n{text}\n--- fast:\n{}--- full:\n{}",
            show(&fast),
            show(&full)
        ),
        Err(err) => panic!("fast path accepted what the full parser refuses ({err:?}):\n{text}"),
    }
    true
}

/// Leaves equal field by field; floats by their bits, so NaN, its sign
/// and -0.0 count too.
fn same(a: &[Named], b: &[Named]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            let value = match (&x.value, &y.value) {
                (Value::Float(p), Value::Float(q)) => p.to_bits() == q.to_bits(),
                (p, q) => p == q,
            };
            value
                && x.path == y.path
                && x.position == y.position
                && x.span == y.span
                && x.doc == y.doc
                && x.origin == y.origin
        })
}

/// Full text of leaves for a failure message (test data holds no secret).
fn show(leaves: &[Named]) -> String {
    let mut out = String::new();
    for l in leaves {
        let _ = writeln!(
            out,
            "{} {:?} {} @{}:{} {:?} {:?} {:?}",
            l.path,
            l.value.value_type(),
            l.value.to_json(),
            l.position.line,
            l.position.column,
            l.span,
            l.doc,
            l.origin
        );
    }
    out
}

/// Runs the repository's workload generator (`bench/gen_configs.py`) into
/// `out`; false, with the reason on the terminal, when python3 is missing
/// (`ENVLENS_NO_SKIP`, set by `.ci/run`, makes that a failure).
pub(super) fn generate(out: &std::path::Path, args: &[&str]) -> bool {
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/gen_configs.py");
    let run = std::process::Command::new("python3")
        .arg(script)
        .arg("--out")
        .arg(out)
        .args(args)
        .stdout(std::process::Stdio::null())
        .status();
    match run {
        Ok(status) => {
            assert!(status.success(), "the generator failed: {status}");
            true
        }
        Err(err) => {
            let why =
                format!("python3 does not run ({err}); apt-get install python3 (.ci/run does)");
            assert!(std::env::var_os("ENVLENS_NO_SKIP").is_none(), "{why}");
            let test = std::thread::current().name().unwrap_or("a test").to_owned();
            let _ = std::io::Write::write_all(
                &mut std::io::stderr(),
                format!("skipped {test}: {why}\n").as_bytes(),
            );
            false
        }
    }
}
