//! `encoding` (§11, warning): a `.properties` file with non-ASCII text
//! outside its comments. Java's `Properties.load(InputStream)` and Spring
//! Boot read these files as ISO-8859-1, so `é` written as UTF-8 arrives as
//! `Ã©`; the fix is a `\uXXXX` escape (what `envlens set` writes). The
//! message names the line, never the text (it may be a secret's).

use std::path::Path;

use super::{Finding, Rule, Severity};
use crate::core::files::Files;
use crate::core::parse::Format;
use crate::core::project::{LoadedFile, LoadedSet};

pub(super) fn check(files: &Files, root: &Path, set: &LoadedSet) -> Vec<Finding> {
    let base_env = set.base.as_ref().map(|b| b.file.env.as_str());
    let all: Vec<String> = set.env_names().into_iter().map(str::to_owned).collect();
    set.base
        .iter()
        .chain(&set.envs)
        .filter(|f| f.file.format == Format::Properties && f.error.is_none())
        .filter_map(|file| {
            let line = first_non_ascii_line(files, root, file)?;
            let envs = if Some(file.file.env.as_str()) == base_env {
                all.clone()
            } else {
                vec![file.file.env.clone()]
            };
            Some(
                Finding::new(Rule::Encoding, Severity::Warning, &set.name, envs)
                    .at(&file.file.rel_path, Some(line))
                    .message(
                        "non-ASCII text in a .properties file, which Java reads as ISO-8859-1; \
                         write those characters as \\uXXXX escapes"
                            .to_owned(),
                    ),
            )
        })
        .collect()
}

/// The first line (1-based) holding a byte above 0x7F that is not a
/// comment line.
fn first_non_ascii_line(files: &Files, root: &Path, file: &LoadedFile) -> Option<u32> {
    let bytes = files.read(root, &file.file.rel_path).ok()?;
    if bytes.is_ascii() {
        return None;
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    bytes.split(|&b| b == b'\n').enumerate().find_map(|(n, line)| {
        let start = line.iter().position(|b| !matches!(b, b' ' | b'\t' | b'\x0c'));
        let comment = start.is_some_and(|i| matches!(line[i], b'#' | b'!'));
        (!comment && !line.is_ascii()).then(|| n as u32 + 1)
    })
}
