//! `envlens check --format sarif`: SARIF 2.1.0 as GitHub code scanning reads
//! it (§15). One run; the driver lists every rule; each result has its rule,
//! level, message, one physical location (the file from the top of the
//! repository, the line where there is one) and partial fingerprints from
//! the finding's identity, never from a line or a value.

use std::fmt::Write as _;

use serde::Serialize;

use crate::cli::check::FindingAt;
use crate::core::check::{Rule, Severity};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

#[derive(Debug, Serialize)]
pub struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run; 1],
}

#[derive(Debug, Serialize)]
struct Run {
    tool: Tool,
    results: Vec<Result>,
    #[serde(rename = "columnKind")]
    column_kind: &'static str,
}

#[derive(Debug, Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    semantic_version: &'static str,
    rules: Vec<Descriptor>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    help: Text,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Debug, Serialize)]
struct Text {
    text: String,
}

#[derive(Debug, Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Debug, Serialize)]
struct RuleProperties {
    tags: Vec<&'static str>,
    precision: &'static str,
    #[serde(rename = "problem.severity")]
    problem_severity: &'static str,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Result {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: [Location; 1],
    partial_fingerprints: Fingerprints,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
}

/// GitHub reads only `primaryLocationLineHash`; left out, its upload action
/// would fill it from the text of the finding's line, which moves with the
/// line and, for a plaintext secret, is derived from the secret.
#[derive(Debug, Serialize)]
struct Fingerprints {
    #[serde(rename = "primaryLocationLineHash")]
    primary: String,
    #[serde(rename = "envlens/v1")]
    envlens: String,
}

pub fn render(findings: &[FindingAt<'_>]) -> Log {
    let results = findings.iter().map(result).collect();
    let driver = Driver {
        name: "envlens",
        semantic_version: env!("CARGO_PKG_VERSION"),
        rules: Rule::ALL.iter().map(|&rule| descriptor(rule)).collect(),
    };
    Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run { tool: Tool { driver }, results, column_kind: "unicodeCodePoints" }],
    }
}

fn descriptor(rule: Rule) -> Descriptor {
    let security = rule.is_security();
    Descriptor {
        id: rule.as_str(),
        name: rule.as_str(),
        short_description: Text { text: rule.title().to_owned() },
        full_description: Text { text: rule.help().to_owned() },
        help: Text { text: rule.help().to_owned() },
        default_configuration: Configuration { level: level(rule.default_severity()) },
        properties: RuleProperties {
            tags: if security { vec!["config", "security"] } else { vec!["config"] },
            precision: "high",
            problem_severity: level(rule.default_severity()),
        },
    }
}

fn result(located: &FindingAt<'_>) -> Result {
    let f = located.finding;
    let text = match &f.key {
        Some(key) => format!("{key}: {}", f.message),
        None => f.message.clone(),
    };
    let (uri, uri_base_id) = uri(&located.repo_path);
    Result {
        rule_id: f.rule.as_str(),
        rule_index: Rule::ALL.iter().position(|&r| r == f.rule).unwrap_or_default(),
        level: level(f.severity),
        message: Text { text },
        locations: [Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation { uri, uri_base_id },
                region: f.line.filter(|&l| l >= 1).map(|start_line| Region { start_line }),
            },
        }],
        partial_fingerprints: Fingerprints {
            primary: located.fingerprint.clone(),
            envlens: located.fingerprint.clone(),
        },
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// A relative path as a relative URI against the checkout (`%SRCROOT%`);
/// an absolute one (no repository, a project outside the current folder)
/// as a `file://` URI.
fn uri(path: &str) -> (String, Option<&'static str>) {
    if path.starts_with('/') {
        (format!("file://{}", encode(path)), None)
    } else {
        (encode(path), Some("%SRCROOT%"))
    }
}

/// Percent-encodes every byte that may not stand in a URI path as it is.
fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_encoded_and_relative_to_the_checkout() {
        assert_eq!(uri("a b/config_dev.yaml"), ("a%20b/config_dev.yaml".into(), Some("%SRCROOT%")));
        assert_eq!(uri("/tmp/x%/é.yaml").0, "file:///tmp/x%25/%C3%A9.yaml");
        assert_eq!(uri(".env.prod").0, ".env.prod");
    }
}
