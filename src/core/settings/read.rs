//! Reads the spanned TOML tree of `.envlens.toml` key by key, so that
//! every mistake is located (file, line, key) and comes with a hint.

use std::ops::Range;
use std::path::Path;

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::{
    DRIFT_KEYS, DriftPolicy, GLOB_HINT, NamePattern, SchemaOverride, SettingsError, edit_distance,
};
use crate::core::glob::KeyGlob;

/// A format as the settings name it: by its extension (`yaml`, `tfvars`),
/// or `dotenv`/`env` and `hcl`.
pub(super) fn format_named(name: &str) -> Option<crate::core::parse::Format> {
    use crate::core::parse::Format;
    match name {
        "dotenv" | "env" => Some(Format::Dotenv),
        "hcl" => Some(Format::Hcl),
        other => Format::from_extension(other),
    }
}

/// Entries in file order, so the first mistake in the file is the one told.
pub(super) fn sorted<'t, 'i>(
    table: &'t DeTable<'i>,
) -> Vec<(&'t Spanned<std::borrow::Cow<'i, str>>, &'t Spanned<DeValue<'i>>)> {
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(key, _)| key.span().start);
    entries
}

/// The text being read, for turning spans into lines.
pub(super) struct Ctx<'a> {
    pub(super) text: &'a str,
    pub(super) file: &'a str,
}

impl Ctx<'_> {
    pub(super) fn line_of(&self, offset: usize) -> u32 {
        self.line(offset)
    }

    fn line(&self, offset: usize) -> u32 {
        let end = offset.min(self.text.len());
        let before = self.text.get(..end).unwrap_or(self.text);
        (before.bytes().filter(|&b| b == b'\n').count() + 1) as u32
    }

    pub(super) fn error(
        &self,
        span: Range<usize>,
        key: &str,
        message: String,
        hint: Option<String>,
    ) -> SettingsError {
        SettingsError {
            file: self.file.to_owned(),
            line: self.line(span.start),
            key: key.to_owned(),
            message,
            hint,
        }
    }

    pub(super) fn unknown(
        &self,
        span: Range<usize>,
        name: &str,
        table: &str,
        known: &[&str],
    ) -> SettingsError {
        let full = if table.is_empty() { name.to_owned() } else { format!("{table}.{name}") };
        let place = if table.is_empty() { String::new() } else { format!(" in [{table}]") };
        let list = known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
        let hint = match closest(name, known) {
            Some(close) => format!("did you mean `{close}`? The keys here are {list}"),
            None => format!("the keys here are {list}"),
        };
        self.error(span, &full, format!("unknown key `{name}`{place}"), Some(hint))
    }

    pub(super) fn wrong_type(
        &self,
        value: &Spanned<DeValue<'_>>,
        key: &str,
        want: &str,
        example: &str,
    ) -> SettingsError {
        let found = value.get_ref().type_str();
        self.error(
            value.span(),
            key,
            format!("`{key}` must be {want}, not {} {found}", article(found)),
            Some(format!("for example: {example}")),
        )
    }

    /// An array of strings, each with its span.
    pub(super) fn spanned_strings<'v>(
        &self,
        value: &'v Spanned<DeValue<'_>>,
        key: &str,
        example: &str,
    ) -> Result<Vec<(&'v str, Range<usize>)>, SettingsError> {
        let DeValue::Array(items) = value.get_ref() else {
            return Err(self.wrong_type(value, key, "an array of strings", example));
        };
        items
            .iter()
            .enumerate()
            .map(|(i, item)| match item.get_ref() {
                DeValue::String(s) => Ok((s.as_ref(), item.span())),
                other => {
                    let found = other.type_str();
                    Err(self.error(
                        item.span(),
                        key,
                        format!(
                            "`{key}` must hold strings, but item {} is {} {found}",
                            i + 1,
                            article(found)
                        ),
                        Some(format!("for example: {example}")),
                    ))
                }
            })
            .collect()
    }

    pub(super) fn strings(
        &self,
        value: &Spanned<DeValue<'_>>,
        key: &str,
        example: &str,
    ) -> Result<Vec<String>, SettingsError> {
        Ok(self
            .spanned_strings(value, key, example)?
            .into_iter()
            .map(|(s, _)| s.to_owned())
            .collect())
    }

    /// `presets = ["auto"]`, `[]` or a list of preset names (§10).
    pub(super) fn presets(
        &self,
        value: &Spanned<DeValue<'_>>,
    ) -> Result<Vec<crate::core::layout::Preset>, SettingsError> {
        use crate::core::layout::Preset;
        let example = "presets = [\"auto\"] (or [] or [\"dotenv\", \"helm\"])";
        let mut presets = Vec::new();
        for (name, span) in self.spanned_strings(value, "presets", example)? {
            if name == "auto" {
                presets.extend(Preset::ALL.iter().copied());
                continue;
            }
            let Some(preset) = Preset::from_name(name) else {
                let known: Vec<&str> = Preset::ALL.iter().map(|p| p.name()).collect();
                let message = if Preset::NOT_YET.contains(&name) {
                    format!("`presets`: the {name} preset is not detected yet")
                } else {
                    format!("`presets`: no preset named {name:?}")
                };
                let hint = format!("presets are auto, {}", known.join(", "));
                return Err(self.error(span, "presets", message, Some(hint)));
            };
            presets.push(preset);
        }
        // Presets claim files in the order of §10, whatever the list's order.
        presets.sort();
        presets.dedup();
        Ok(presets)
    }

    pub(super) fn env_order(
        &self,
        value: &Spanned<DeValue<'_>>,
    ) -> Result<Vec<String>, SettingsError> {
        let example = "env_order = [\"dev\", \"staging\", \"prod\"]";
        let mut envs: Vec<String> = Vec::new();
        for (env, span) in self.spanned_strings(value, "env_order", example)? {
            if !crate::core::discover::valid_env(env) {
                return Err(self.error(
                    span,
                    "env_order",
                    format!("`env_order`: {env:?} is not an env name"),
                    Some("env names are letters, digits, `_` and `-`, starting with a letter or digit".to_owned()),
                ));
            }
            if envs.iter().any(|e| e.eq_ignore_ascii_case(env)) {
                return Err(self.error(
                    span,
                    "env_order",
                    format!("`env_order` names {env:?} twice"),
                    Some("list each env once".to_owned()),
                ));
            }
            envs.push(env.to_owned());
        }
        Ok(envs)
    }

    pub(super) fn patterns(
        &self,
        value: &Spanned<DeValue<'_>>,
    ) -> Result<Vec<NamePattern>, SettingsError> {
        let example = "patterns = [\"settings_{env}.yaml\", \"{env}.env\"]";
        self.spanned_strings(value, "patterns", example)?
            .into_iter()
            .map(|(text, span)| {
                NamePattern::new(text).map_err(|reason| {
                    self.error(
                        span,
                        "patterns",
                        format!("`patterns`: {text:?}: {reason}"),
                        Some(format!("for example: {example}")),
                    )
                })
            })
            .collect()
    }

    pub(super) fn globs(
        &self,
        value: &Spanned<DeValue<'_>>,
        key: &str,
    ) -> Result<Vec<KeyGlob>, SettingsError> {
        let example = format!(
            "{} = [\"database.*\", \"**.password\"]",
            key.rsplit('.').next().unwrap_or(key)
        );
        self.spanned_strings(value, key, &example)?
            .into_iter()
            .map(|(text, span)| {
                KeyGlob::new(text).map_err(|err| {
                    self.error(span, key, format!("`{key}`: {err}"), Some(GLOB_HINT.to_owned()))
                })
            })
            .collect()
    }

    pub(super) fn schemas(
        &self,
        value: &Spanned<DeValue<'_>>,
    ) -> Result<Vec<SchemaOverride>, SettingsError> {
        let example = "a `[schema]` line, then `\"services/api/config\" = \"schemas/api.json\"`";
        let DeValue::Table(table) = value.get_ref() else {
            return Err(self.wrong_type(
                value,
                "schema",
                "a table of set name = schema file",
                example,
            ));
        };
        let mut out = Vec::new();
        for (set, path) in sorted(table) {
            let key = format!("schema.\"{}\"", set.get_ref());
            let DeValue::String(rel_path) = path.get_ref() else {
                return Err(self.wrong_type(
                    path,
                    &key,
                    "a string (the schema file's path)",
                    example,
                ));
            };
            let rel_path = rel_path.trim_start_matches("./").replace('\\', "/");
            out.push(SchemaOverride {
                set: set.get_ref().trim_end_matches('/').to_owned(),
                rel_path,
                line: self.line(set.span().start),
            });
        }
        Ok(out)
    }

    pub(super) fn drift(&self, value: &Spanned<DeValue<'_>>) -> Result<DriftPolicy, SettingsError> {
        let DeValue::Table(table) = value.get_ref() else {
            return Err(self.wrong_type(
                value,
                "drift",
                "a table",
                "a `[drift]` line, then `expected = [\"data.*_path\"]`",
            ));
        };
        let mut policy = DriftPolicy::default();
        for (key, value) in sorted(table) {
            let name = key.get_ref().as_ref();
            let full = format!("drift.{name}");
            let list = match name {
                "expected" => &mut policy.expected,
                "required" => &mut policy.required,
                "must_differ" => &mut policy.must_differ,
                "must_match" => &mut policy.must_match,
                other => return Err(self.unknown(key.span(), other, "drift", DRIFT_KEYS)),
            };
            *list = self.globs(value, &full)?;
        }
        Ok(policy)
    }

    pub(super) fn ignore(&self, root: &Path, lines: &[String]) -> Result<Gitignore, SettingsError> {
        let mut builder = GitignoreBuilder::new(root);
        for line in lines {
            if let Err(err) = builder.add_line(None, line) {
                let at = self.text.find(line.as_str()).unwrap_or(0);
                return Err(self.error(
                    at..at,
                    "ignore",
                    format!("`ignore`: {line:?} is not a valid path glob: {err}"),
                    Some("`ignore` lines use .gitignore syntax, e.g. \"legacy/\" or \"**/*.example.yaml\"".to_owned()),
                ));
            }
        }
        builder.build().map_err(|err| {
            self.error(
                0..0,
                "ignore",
                format!("`ignore`: {err}"),
                Some("check the globs".to_owned()),
            )
        })
    }
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" }
}

/// The known name closest to a misspelt one, when it is close enough.
pub(super) fn closest<'k>(name: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| (edit_distance(name, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}
