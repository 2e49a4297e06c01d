//! Differential tests of `build`: whenever it takes a file, its leaves
//! must equal those of the key checks and the Flattener (`checked`)
//! exactly: paths, values, positions, spans, docs, order. Inputs: the
//! repository's `.properties` files, the benchmark's rewrite of a
//! generated project, and random files full of duplicates, parents of
//! other keys, indices and documents.

use std::fmt::Write as _;
use std::path::Path;

use super::{build, checked, read, value_of};
use crate::core::leaf::{ParseError, Parsed};
use crate::core::parse::fast_check;

fn fast(text: &str) -> Option<Parsed> {
    let (entries, documents) = read(text).ok()?;
    build::build(&entries, documents, |v| value_of(v, false))
}

fn full(text: &str) -> Result<Parsed, ParseError> {
    let (entries, documents) = read(text)?;
    checked(text.len(), entries, documents, false)
}

fn agrees(text: &str) -> bool {
    fast_check::agrees(text, fast, full)
}

fn properties_files(dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            properties_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "properties")
            && let Ok(text) = std::fs::read_to_string(&path)
        {
            out.push(text);
        }
    }
}

#[test]
fn repository_files_agree() {
    let mut texts = Vec::new();
    properties_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests"), &mut texts);
    assert!(texts.len() > 10, "only {} .properties files", texts.len());
    let taken = texts.iter().filter(|t| agrees(t)).count();
    assert!(taken > texts.len() / 2, "build takes {taken} of {} files", texts.len());
}

#[test]
fn generated_project_agrees() {
    let dir = std::env::temp_dir().join(format!("envlens-build-props-{}", std::process::id()));
    let json = dir.join("json");
    if !fast_check::generate(&json, &["--single", "--keys", "3000", "--formats", "json"]) {
        return;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/to_format.py");
    let out = dir.join("properties");
    let status = std::process::Command::new("python3")
        .arg(script)
        .arg(&json)
        .arg(&out)
        .arg("properties")
        .status()
        .expect("python3 ran the generator");
    assert!(status.success());
    let mut texts = Vec::new();
    properties_files(&out, &mut texts);
    assert!(!texts.is_empty());
    for text in &texts {
        assert!(agrees(text), "build refuses a generated file");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Random files over a few keys that share prefixes, so that duplicates,
/// keys above others and indices (canonical or not) come up often.
#[test]
fn random_files_agree() {
    const KEYS: [&str; 14] = [
        "a", "a.b", "a.b.c", "a[0]", "a[1].x", "a[01]", "b", "b.a", "[0]", "a..b", "a.", "x y",
        "é.ü", "b[0][1]",
    ];
    const LINES: [&str; 6] = ["", "# doc", "! other doc", "#---", "  ", "\\\n"];
    let mut seed: u32 = 11;
    let mut next = |n: usize| {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        (seed >> 16) as usize % n
    };
    let (mut taken, mut refused) = (0, 0);
    for _ in 0..3000 {
        let mut text = String::new();
        for _ in 0..next(8) {
            if next(3) == 0 {
                text.push_str(LINES[next(LINES.len())]);
                text.push('\n');
            }
            let key = KEYS[next(KEYS.len())].replace(' ', "\\ ");
            let sep = ["=", " = ", ":", " "][next(4)];
            let _ = writeln!(text, "{key}{sep}v{}", next(3));
        }
        if agrees(&text) { taken += 1 } else { refused += 1 }
    }
    assert!(taken > 500 && refused > 500, "taken {taken}, refused {refused}");
}

/// Parents with more children than the tree lists, whose children move
/// to its map: a duplicate or a conflict among them is still found.
#[test]
fn many_children_agree() {
    let mut text = String::new();
    for i in 0..40 {
        let _ = writeln!(text, "a.k{i}=v\nlist[{i}]=x\nb.c{i}.d=1");
    }
    assert!(agrees(&text), "build refuses distinct keys");
    for extra in ["a.k3=again\n", "list[30]=again\n", "b.c20=conflict\n", "b.c39.d.e=deeper\n"] {
        assert!(!agrees(&format!("{text}{extra}")), "build takes {extra:?}");
        assert!(full(&format!("{text}{extra}")).is_err(), "{extra:?} is an error");
    }
}
