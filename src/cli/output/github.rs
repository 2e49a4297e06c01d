//! `envlens check --format github`: GitHub Actions workflow commands, one
//! per finding, so each shows as an annotation on the pull request.

use std::fmt::Write as _;

use crate::cli::check::FindingAt;
use crate::core::check::Severity;

pub fn render(findings: &[FindingAt<'_>]) -> String {
    let mut out = String::new();
    for FindingAt { finding: f, path, .. } in findings {
        let command = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut properties = format!("file={}", property(path));
        if let Some(line) = f.line {
            let _ = write!(properties, ",line={line}");
        }
        let _ = write!(properties, ",title={}", property(&format!("envlens {}", f.rule.as_str())));
        let text = match &f.key {
            Some(key) => format!("{key}: {}", f.message),
            None => f.message.clone(),
        };
        let _ = writeln!(out, "::{command} {properties}::{}", data(&text));
    }
    out
}

/// Escapes a command's message as the runner reads it.
fn data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value, where `:` and `,` also end it.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(data("50%\nnext"), "50%25%0Anext");
        assert_eq!(property("a:b,c"), "a%3Ab%2Cc");
    }
}
