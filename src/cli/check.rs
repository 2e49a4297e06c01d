//! `envlens check`: loads the project and its settings, runs the rules of
//! `core::check`, prints the findings in the chosen format and decides the
//! exit code (§7): 1 for a finding of severity `error` (any finding with
//! `--strict`), 2 when the check could not run. A file that does not parse
//! is a `parse-error` finding, so it gives 1, not 2: §7's table makes it a
//! finding, and CI should see every other finding beside it.

use std::io::Write;
use std::path::Path;

use super::error::CliError;
use super::output::{self, style::Painter};
use super::repo_path::RepoPaths;
use super::{Outcome, load_project};
use crate::args::{CheckArgs, CheckFormat, CommonArgs};
use crate::core::check::{self, Finding};
use crate::core::settings;

/// A finding with its file as reached from the current folder, and from
/// the top of the git repository (for the reports CI uploads).
#[derive(Debug, Clone)]
pub struct FindingAt<'f> {
    pub finding: &'f Finding,
    pub path: String,
    pub repo_path: String,
    /// The finding's identity (`Finding::fingerprint`), with `:2`, `:3`, …
    /// after it for a second and third finding that share one, since CI
    /// tools keep one alert per fingerprint.
    pub fingerprint: String,
}

pub fn run(
    args: &CheckArgs,
    common: &CommonArgs,
    out: &mut dyn Write,
) -> Result<Outcome, CliError> {
    let root = args.path.clone().unwrap_or_else(|| ".".into());
    let project = load_project(&root, common)?;
    let settings = settings::load_from(&project.files, &root).map_err(|err| CliError {
        message: err.to_string(),
        hint: err.hint,
        broken_pipe: false,
    })?;
    // Without --no-ignore, every file loaded is one git could track.
    let trackable =
        common.no_ignore.then(|| check::trackable_files_in(&project.files, &root, &settings));
    let is_trackable = |rel: &str| trackable.as_ref().is_none_or(|t| t.contains(rel));
    let mut findings = check::run(&project, &settings, &is_trackable);
    if let Some(rev) = &args.since {
        findings = check::new_since(findings, &findings_at(&root, common, rev)?);
    }
    let located = locate(&root, &findings);
    let sets: Vec<&str> = project.sets.iter().map(|s| s.name.as_str()).collect();
    let text = match args.format {
        CheckFormat::Text => {
            output::check_text::render(&located, Painter::for_stdout(common.color))
        }
        CheckFormat::Github => output::github::render(&located),
        CheckFormat::Json => json_text(&output::check_json::render(&findings))?,
        CheckFormat::Sarif => json_text(&output::sarif::render(&located))?,
        CheckFormat::Gitlab => json_text(&output::gitlab::render(&located))?,
        CheckFormat::Junit => output::junit::render(&located, &sets)
            .map_err(|e| CliError::new(format!("cannot write JUnit XML: {e}")))?,
    };
    out.write_all(text.as_bytes()).map_err(|e| CliError::output(&e))?;
    Ok(Outcome { code: u8::from(check::fails(&findings, args.strict)), messages: Vec::new() })
}

/// Every finding of the project as it was at `rev`, under its own settings.
fn findings_at(root: &Path, common: &CommonArgs, rev: &str) -> Result<Vec<Finding>, CliError> {
    let past = super::diff::open_revision(root, common, rev)?;
    let settings = settings::load_from(&past.files, root).map_err(|err| CliError {
        message: format!("--since {rev}: {err}"),
        hint: err.hint,
        broken_pipe: false,
    })?;
    let trackable =
        common.no_ignore.then(|| check::trackable_files_in(&past.files, root, &settings));
    let is_trackable = |rel: &str| trackable.as_ref().is_none_or(|t| t.contains(rel));
    Ok(check::run(&past, &settings, &is_trackable))
}

fn locate<'f>(root: &Path, findings: &'f [Finding]) -> Vec<FindingAt<'f>> {
    let repo = RepoPaths::new(root);
    let mut seen = std::collections::HashMap::<String, usize>::new();
    findings
        .iter()
        .map(|f| {
            let mut fingerprint = f.fingerprint();
            let n = seen.entry(fingerprint.clone()).or_default();
            *n += 1;
            if *n > 1 {
                fingerprint = format!("{fingerprint}:{n}");
            }
            FindingAt {
                finding: f,
                path: from_here(root, &f.file),
                repo_path: repo.of(&f.file),
                fingerprint,
            }
        })
        .collect()
}

fn json_text(value: &impl serde::Serialize) -> Result<String, CliError> {
    let mut text = serde_json::to_string_pretty(value)
        .map_err(|e| CliError::new(format!("cannot write JSON: {e}")))?;
    text.push('\n');
    Ok(text)
}

/// `rel` (relative to the root, with `/`) as reached from the current
/// folder: `sample-project/config_prod.yaml`, or `config_prod.yaml` for `.`.
pub fn from_here(root: &Path, rel: &str) -> String {
    let root = root.to_string_lossy().replace('\\', "/");
    let root = root.trim_end_matches('/');
    match root {
        "" | "." => rel.to_owned(),
        _ if rel.is_empty() => root.to_owned(),
        _ => format!("{}/{rel}", root.strip_prefix("./").unwrap_or(root)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_from_here() {
        assert_eq!(from_here(Path::new("."), "a/config_dev.yaml"), "a/config_dev.yaml");
        assert_eq!(from_here(Path::new("proj/"), "config_dev.yaml"), "proj/config_dev.yaml");
        assert_eq!(from_here(Path::new("./proj"), "x.yaml"), "proj/x.yaml");
        assert_eq!(from_here(Path::new("/abs/proj"), "x.yaml"), "/abs/proj/x.yaml");
    }
}
