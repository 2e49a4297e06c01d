//! `[flags]` and `[references]` of `.envlens.toml` (§14): the promotion
//! order flags must follow, extra keys that are flags, and the variables a
//! pipeline injects (never an `unresolved-reference`).

use toml::Spanned;
use toml::de::DeValue;

use super::SettingsError;
use super::read::{Ctx, sorted};
use crate::core::glob::KeyGlob;

pub(super) const FLAGS_KEYS: &[&str] = &["promotion", "keys"];
pub(super) const REFERENCES_KEYS: &[&str] = &["external"];

/// The `[flags]` table; its presence makes `flag-order` an error.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FlagPolicy {
    /// Envs in promotion order (`["dev", "staging", "prod"]`); empty: the
    /// §2 env order without `local`, test and template envs.
    pub promotion: Vec<String>,
    /// Key globs naming more leaves that are flags.
    pub keys: Vec<KeyGlob>,
}

/// The `[references]` table.
#[derive(Debug, Clone, Default)]
pub struct ReferencePolicy {
    /// Variable-name globs a pipeline injects (`MLFLOW_*`).
    pub external: Vec<KeyGlob>,
}

impl ReferencePolicy {
    /// Whether a pipeline is said to inject `name`.
    pub fn is_external(&self, name: &str) -> bool {
        self.external.iter().any(|glob| glob.matches(name))
    }
}

fn table<'v, 'i>(
    ctx: &Ctx<'_>,
    value: &'v Spanned<DeValue<'i>>,
    name: &str,
    example: &str,
) -> Result<&'v toml::de::DeTable<'i>, SettingsError> {
    match value.get_ref() {
        DeValue::Table(table) => Ok(table),
        _ => Err(ctx.error(
            value.span(),
            name,
            format!("`{name}` must be a table"),
            Some(format!("a `[{name}]` line, then {example}")),
        )),
    }
}

impl Ctx<'_> {
    pub(super) fn flags(&self, value: &Spanned<DeValue<'_>>) -> Result<FlagPolicy, SettingsError> {
        let table = table(self, value, "flags", "`promotion = [\"dev\", \"staging\", \"prod\"]`")?;
        let mut policy = FlagPolicy::default();
        for (key, value) in sorted(table) {
            match key.get_ref().as_ref() {
                "promotion" => {
                    let example = "promotion = [\"dev\", \"staging\", \"prod\"]";
                    for (env, span) in self.spanned_strings(value, "flags.promotion", example)? {
                        if !crate::core::discover::valid_env(env) {
                            return Err(self.error(
                                span,
                                "flags.promotion",
                                format!("`flags.promotion`: {env:?} is not an env name"),
                                Some(format!("for example: {example}")),
                            ));
                        }
                        policy.promotion.push(env.to_owned());
                    }
                }
                "keys" => policy.keys = self.globs(value, "flags.keys")?,
                other => return Err(self.unknown(key.span(), other, "flags", FLAGS_KEYS)),
            }
        }
        Ok(policy)
    }

    pub(super) fn references(
        &self,
        value: &Spanned<DeValue<'_>>,
    ) -> Result<ReferencePolicy, SettingsError> {
        let table = table(self, value, "references", "`external = [\"MLFLOW_*\"]`")?;
        let mut policy = ReferencePolicy::default();
        for (key, value) in sorted(table) {
            match key.get_ref().as_ref() {
                "external" => policy.external = self.globs(value, "references.external")?,
                other => {
                    return Err(self.unknown(key.span(), other, "references", REFERENCES_KEYS));
                }
            }
        }
        Ok(policy)
    }
}
