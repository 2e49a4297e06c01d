//! `envlens check --format json`, field for field as §7 specifies.

use serde_json::{Value, json};

use crate::core::check::Finding;

pub fn render(findings: &[Finding]) -> Value {
    let findings: Vec<Value> = findings
        .iter()
        .map(|f| {
            json!({
                "rule": f.rule.as_str(),
                "severity": f.severity.as_str(),
                "set": f.set,
                "env": f.env,
                "envs": f.envs,
                "key": f.key,
                "file": f.file,
                "line": f.line,
                "message": f.message,
            })
        })
        .collect();
    json!({ "findings": findings })
}
