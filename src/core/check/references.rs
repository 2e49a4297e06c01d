//! `unresolved-reference` for variables (§14): a `${VAR}` without a
//! default that no dotenv layer of its env sets (nor, with
//! `--env-from-process`, the process environment), unless `[references]
//! external` says a pipeline injects it. Store references (`ssm:`,
//! `vault:`) are the same rule's other half, in `stores`.
//!
//! Messages name variables only, never a value: a deploy job prints them.

use super::{Finding, Rule, SetView, Severity};
use crate::core::references::{Resolver, Settled, Variable};
use crate::core::settings::ReferencePolicy;

pub(super) fn unresolved(
    view: &SetView<'_>,
    resolver: &Resolver<'_>,
    policy: &ReferencePolicy,
) -> Vec<Finding> {
    let severity = if resolver.uses_process() { Severity::Error } else { Severity::Warning };
    let mut out = Vec::new();
    for (at, leaves) in view.each_effective().enumerate() {
        let env = &view.envs[at];
        let env_file = view.files.get(at).copied().unwrap_or_default();
        for e in leaves {
            let Some(resolution) = resolver.resolve(view.set, env, env_file, e.leaf) else {
                continue;
            };
            // A variable a pipeline injects is fine, and so is one whose
            // layer sets it to such variables only.
            let missing: Vec<&Variable> = resolution
                .missing()
                .filter(|v| {
                    !policy.is_external(&v.name)
                        && !v.root_names().iter().all(|n| policy.is_external(n))
                })
                .collect();
            if missing.is_empty() {
                continue;
            }
            let names: Vec<String> = missing.iter().map(|v| describe(v)).collect();
            let places = if resolver.uses_process() {
                "its dotenv layers nor the process environment"
            } else {
                "its dotenv layers"
            };
            let mut message = format!(
                "{} {} set in {env}: neither {places} nor a default give {}",
                super::and_list(&names),
                if names.len() == 1 { "is not" } else { "are not" },
                if names.len() == 1 { "it" } else { "them" },
            );
            // Compose's `${VAR?message}` says why the variable is needed.
            let why = missing.iter().find_map(|v| match &v.settled {
                Settled::Missing { message: Some(m) } if !m.is_empty() => Some(m.as_str()),
                _ => None,
            });
            if let Some(why) = why {
                message = format!("{message} ({why})");
            }
            out.push(
                Finding::new(
                    Rule::UnresolvedReference,
                    severity,
                    &view.set.name,
                    vec![env.clone()],
                )
                .key(view.set.path(e.leaf))
                .at(view.file_of(at, e.inherited), Some(e.leaf.position.line))
                .message(message),
            );
        }
    }
    out
}

/// `` `DB_URL` ``, or `` `DB_URL` (through `DB_PASSWORD`) `` when a layer
/// sets it to a reference that does not resolve.
fn describe(variable: &Variable) -> String {
    if variable.through.is_empty() {
        format!("`{}`", variable.name)
    } else {
        let inner: Vec<String> = variable.through.iter().map(|n| format!("`{n}`")).collect();
        format!("`{}` (through {})", variable.name, inner.join(", "))
    }
}
