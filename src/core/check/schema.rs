//! `schema` (§7): each env's effective document (base applied) against the
//! set's JSON Schema, every error placed at its key and line by walking the
//! error's instance path back to a key path.
//!
//! Readings: a missing required property is reported at the missing key
//! (`line` null); an error about a whole mapping points at its first leaf.
//! jsonschema quotes the value in its messages, so the message is masked
//! whenever a secret sits at or under the error's place (the one validator
//! of `validate`, shared with `set` and the TUI). A schema that jsonschema cannot compile is one
//! `schema` finding at the schema file.

use super::{Finding, Rule, SetView, Severity};
use crate::core::inherit::Effective;
use crate::core::keys::KeyTable;
use crate::core::{flatten, key_path};

pub(super) fn check(view: &SetView<'_>) -> Vec<Finding> {
    let Some(schema) = &view.set.schema else { return Vec::new() };
    let validator = match &schema.compiled {
        Ok(validator) => validator,
        Err(err) => {
            return vec![
                Finding::new(Rule::Schema, Severity::Error, &view.set.name, view.envs.clone())
                    .at(&schema.rel_path, None)
                    .message(format!("the schema itself is not valid: {err}")),
            ];
        }
    };
    let mut out = Vec::new();
    for (env_at, env) in view.envs.iter().enumerate() {
        let Some(leaves) = view.effective(env_at) else { continue };
        let document = flatten::to_json(&view.set.keys, leaves.iter().map(|e| e.leaf));
        let secret_at = |key: &str| view.set.secret_at(leaves, key);
        for violation in validator.violations(&document, &secret_at) {
            let (key, place) = if let Some(property) = &violation.missing {
                let mut missing = violation.key.clone();
                key_path::push_key(&mut missing, property);
                (missing, None)
            } else {
                let place = under(&view.set.keys, leaves, &violation.key).next().copied();
                (violation.key, place)
            };
            let (file, line) = match place {
                Some(e) => {
                    (view.file_holding(env_at, e.leaf, e.inherited), Some(e.leaf.position.line))
                }
                None => (view.file_of(env_at, false), None),
            };
            let finding =
                Finding::new(Rule::Schema, Severity::Error, &view.set.name, vec![env.clone()])
                    .at(file, line)
                    .message(violation.message);
            out.push(if key.is_empty() { finding } else { finding.key(&key) });
        }
    }
    out
}

/// The leaves at `key` or under it, in document order.
fn under<'e, 'a>(
    keys: &'e KeyTable,
    leaves: &'e [Effective<'a>],
    key: &'e str,
) -> impl Iterator<Item = &'e Effective<'a>> + 'e {
    leaves.iter().filter(move |e| {
        let path = keys.path(e.leaf.key);
        key.is_empty()
            || path == key
            || path.strip_prefix(key).is_some_and(|rest| rest.starts_with(['.', '[']))
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn masked_messages_hold_no_value() {
        let schema = serde_json::json!({"properties": {"pin": {"type": "integer"}}});
        let document = serde_json::json!({"pin": "s3cr3t-value"});
        let validator = jsonschema::validator_for(&schema).unwrap();
        let error = validator.iter_errors(&document).next().unwrap();
        assert!(!error.masked_with("the value").to_string().contains("s3cr3t"));
    }

    /// `check` validates with the one validator `set` and the view use:
    /// formats are checked, so `nope` is not an email here either.
    #[test]
    fn formats_are_checked_as_set_checks_them() {
        let dir = tempfile::tempdir().unwrap();
        let schema = r#"{"properties": {"contact": {"type": "string", "format": "email"}}}"#;
        std::fs::write(dir.path().join("config.schema.json"), schema).unwrap();
        std::fs::write(dir.path().join("config_dev.yaml"), "contact: ops@example.com\n").unwrap();
        std::fs::write(dir.path().join("config_prod.yaml"), "contact: nope\n").unwrap();
        let options = crate::core::discover::DiscoverOptions::default();
        let project = crate::core::project::Project::load(dir.path(), &options);
        let settings = crate::core::settings::Settings::default();
        let found = crate::core::check::run(&project, &settings, &|_| true);
        let schema: Vec<_> =
            found.iter().filter(|f| f.rule == crate::core::check::Rule::Schema).collect();
        assert_eq!(schema.len(), 1, "{found:?}");
        assert_eq!(schema[0].env.as_deref(), Some("prod"));
        assert_eq!(schema[0].key.as_deref(), Some("contact"));
        assert!(
            schema[0].message.contains("\"nope\""),
            "not a secret: quoted {:?}",
            schema[0].message
        );
    }
}
