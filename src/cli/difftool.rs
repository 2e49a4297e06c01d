//! `envlens difftool LEFT RIGHT` (§7, §13): two files, or two folders file
//! by file, shown as `diff --since` shows a change (only keys that differ,
//! `old → new`), for `git difftool` (one file, or `-d` folders whose right
//! side links to the work tree), `GIT_EXTERNAL_DIFF` (seven arguments) and
//! `KUBECTL_EXTERNAL_DIFF` (two folders of `group.version.kind.ns.name`
//! files, matched by file name).

use std::io::Write;
use std::path::{Path, PathBuf};

use super::error::CliError;
use super::output::{self, style::Painter};
use super::{Outcome, table_width};
use crate::args::{CommonArgs, DifftoolArgs, Format};
use crate::core::pair::{self, NULL_SIDE, Pair};
use crate::core::report::{self, Selection};

pub fn run(
    args: &DifftoolArgs,
    common: &CommonArgs,
    out: &mut dyn Write,
) -> Result<Outcome, CliError> {
    let (left, right, name, external) = match args.paths.as_slice() {
        [left, right] => (left, right, None, false),
        [path, old, _, _, new, _, _] => (old, new, Some(path.display().to_string()), true),
        _ => {
            return Err(CliError::new(format!(
                "difftool takes LEFT RIGHT, or the seven arguments of GIT_EXTERNAL_DIFF; got {}",
                args.paths.len()
            ))
            .hint("e.g. `envlens difftool config_prod.yaml other/config_prod.yaml`"));
        }
    };
    for side in [left, right] {
        if side != Path::new(NULL_SIDE) && !side.exists() {
            return Err(CliError::new(format!("no such file or folder: {}", side.display())).hint(
                "give two files or two folders; /dev/null stands for a side that is not there",
            ));
        }
    }
    let pairs = if left.is_dir() || right.is_dir() {
        if !(left.is_dir() || is_null(left)) || !(right.is_dir() || is_null(right)) {
            return Err(CliError::new(
                "difftool compares two files or two folders, not one of each",
            )
            .hint("give the file's folder, or the folder's file"));
        }
        pair::folders(&dir_or_empty(left), &dir_or_empty(right))
    } else {
        let name = name.unwrap_or_else(|| shown_name(left, right));
        vec![pair::files(left, right, &name)]
    };
    let rights: Vec<_> = pairs.iter().map(|p: &Pair| &p.right).collect();
    let lefts = pairs.iter().map(|p| Some(&p.left)).collect();
    let selection = Selection {
        envs: rights.iter().map(|_| vec![0]).collect(),
        sets: rights,
        all: false,
        reveal: args.reveal,
        since: Some(lefts),
    };
    let mut report = report::build(format!("{} {}", left.display(), right.display()), &selection);
    report.sets.retain(|s| !s.rows.is_empty() || !s.errors.is_empty());
    let written = match args.format {
        Format::Json => output::json::write_diff(&report, out),
        Format::Markdown => out.write_all(output::markdown::diff(&report).as_bytes()),
        Format::Table => {
            let paint = Painter::for_stdout(common.color);
            out.write_all(output::table::diff(&report, table_width(args.width), paint).as_bytes())
        }
    };
    written.map_err(|e| CliError::output(&e))?;
    let mut outcome = super::diff::outcome(&report);
    // git stops a whole `git diff` when its external diff exits non-zero:
    // a difference is the normal answer there.
    if external && outcome.code == 1 {
        outcome.code = 0;
    }
    Ok(outcome)
}

fn is_null(path: &Path) -> bool {
    path == Path::new(NULL_SIDE)
}

/// A folder side; `/dev/null` reads as an empty one.
fn dir_or_empty(path: &Path) -> PathBuf {
    if is_null(path) {
        PathBuf::from("/nonexistent-envlens-empty-side")
    } else {
        path.to_path_buf()
    }
}

/// The name a pair of files is shown under: the right file's name (the
/// left one is a temporary copy under `git difftool`), else the left's.
fn shown_name(left: &Path, right: &Path) -> String {
    let side = if is_null(right) { left } else { right };
    side.file_name()
        .map_or_else(|| side.display().to_string(), |n| n.to_string_lossy().into_owned())
}
