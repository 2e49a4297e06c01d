//! `envlens check`'s text: findings grouped by file, each with its line,
//! severity, rule and key, the message on the next line, then a count.

use std::fmt::Write as _;

use super::style::Painter;
use crate::cli::check::FindingAt;
use crate::core::check::Severity;
use crate::core::diff::Status;

pub fn render(findings: &[FindingAt<'_>], paint: Painter) -> String {
    let mut out = String::new();
    let mut current: Option<&str> = None;
    for FindingAt { finding: f, path, .. } in findings {
        if current != Some(path.as_str()) {
            if current.is_some() {
                out.push('\n');
            }
            let _ =
                writeln!(out, "{}  {}", paint.bold(path), paint.dim(&format!("(set {})", f.set)));
            current = Some(path.as_str());
        }
        let line = f.line.map_or_else(|| "-".to_owned(), |l| l.to_string());
        let severity = match f.severity {
            Severity::Error => paint.error("error  "),
            Severity::Warning => paint.status(Status::Differs, "warning", false),
        };
        let key = f.key.as_deref().map(|k| format!("  {}", paint.bold(k))).unwrap_or_default();
        let _ = writeln!(out, "  {line:>4}  {severity}  {}{key}", paint.dim(f.rule.as_str()));
        let _ = writeln!(out, "        {}", f.message);
    }
    if !findings.is_empty() {
        out.push('\n');
    }
    let _ = writeln!(out, "{}", summary(findings));
    out
}

fn summary(findings: &[FindingAt<'_>]) -> String {
    if findings.is_empty() {
        return "no findings".to_owned();
    }
    let errors = findings.iter().filter(|f| f.finding.severity == Severity::Error).count();
    let warnings = findings.len() - errors;
    let mut files: Vec<&str> = findings.iter().map(|f| f.path.as_str()).collect();
    files.sort_unstable();
    files.dedup();
    format!(
        "{errors} error{}, {warnings} warning{} in {} file{}",
        plural(errors),
        plural(warnings),
        files.len(),
        plural(files.len())
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
