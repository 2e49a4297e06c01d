//! `envlens check --format gitlab`: GitLab's Code Quality report (§15), a
//! JSON array with one issue per finding, which the merge request widget
//! and the changes view show beside the lines.

use serde::Serialize;

use crate::cli::check::FindingAt;
use crate::core::check::Severity;

#[derive(Debug, Serialize)]
pub struct Issue {
    description: String,
    check_name: &'static str,
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

#[derive(Debug, Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Debug, Serialize)]
struct Lines {
    begin: u32,
}

pub fn render(findings: &[FindingAt<'_>]) -> Vec<Issue> {
    findings
        .iter()
        .map(|located| {
            let f = located.finding;
            Issue {
                description: match &f.key {
                    Some(key) => format!("{key}: {}", f.message),
                    None => f.message.clone(),
                },
                check_name: f.rule.as_str(),
                fingerprint: located.fingerprint.clone(),
                severity: match f.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                },
                // Code Quality needs a line: a finding without one (a key
                // an env lacks) points at the top of the file.
                location: Location {
                    path: located.repo_path.clone(),
                    lines: Lines { begin: f.line.unwrap_or(1).max(1) },
                },
            }
        })
        .collect()
}
