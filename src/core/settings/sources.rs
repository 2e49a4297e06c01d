//! `[[source]]` tables of `.envlens.toml` (§13): each checked key by key
//! (`set`, `kind`, `env`, `path`, `address`, `value_format`, `runs`), so a
//! mistake names the line and the key. Credentials have no key here: they
//! come from the tools' variables only.

use std::borrow::Cow;

use toml::Spanned;
use toml::de::DeValue;

use super::SettingsError;
use super::read::{Ctx, format_named, sorted};
use crate::core::parse::Format;
use crate::core::sources::{Kind, SourceDecl};

const SOURCE_KEYS: &[&str] = &["set", "kind", "env", "path", "address", "value_format", "runs"];

const EXAMPLE: &str = "[[source]] then set = \"services/api/config\", kind = \"ssm\", env = \"prod\", path = \"/api/prod/\"";

impl Ctx<'_> {
    pub(super) fn sources(
        &self,
        value: &Spanned<DeValue<'_>>,
    ) -> Result<Vec<SourceDecl>, SettingsError> {
        let DeValue::Array(items) = value.get_ref() else {
            return Err(self.located(
                value,
                "source",
                "`source` must be an array of tables ([[source]])",
            ));
        };
        items.iter().map(|item| self.source(item)).collect()
    }

    fn located(&self, value: &Spanned<DeValue<'_>>, key: &str, message: &str) -> SettingsError {
        self.error(value.span(), key, message.to_owned(), Some(format!("for example: {EXAMPLE}")))
    }

    fn source(&self, item: &Spanned<DeValue<'_>>) -> Result<SourceDecl, SettingsError> {
        let DeValue::Table(table) = item.get_ref() else {
            return Err(self.located(item, "source", "each `[[source]]` must be a table"));
        };
        let mut decl = SourceDecl {
            set: String::new(),
            kind: Kind::Etcd,
            env: None,
            path: String::new(),
            address: None,
            value_format: None,
            latest_runs: false,
            line: self.line_of(item.span().start),
        };
        let mut kind = None;
        for (key, value) in sorted(table) {
            self.field(&mut decl, &mut kind, key, value)?;
        }
        let Some(kind) = kind else {
            return Err(self.located(item, "source.kind", "a `[[source]]` needs a `kind`"));
        };
        decl.kind = kind;
        self.complete(item, &decl)?;
        Ok(decl)
    }

    /// One `key = "value"` of a `[[source]]` table into `decl` (`kind`
    /// apart: a table without one is an error of its own).
    fn field(
        &self,
        decl: &mut SourceDecl,
        kind: &mut Option<Kind>,
        key: &Spanned<Cow<'_, str>>,
        value: &Spanned<DeValue<'_>>,
    ) -> Result<(), SettingsError> {
        let name = key.get_ref().as_ref();
        let full = format!("source.{name}");
        let DeValue::String(text) = value.get_ref() else {
            return Err(self.located(value, &full, &format!("`{full}` must be a string")));
        };
        let text = text.as_ref().to_owned();
        let bad = |message: String, hint: &str| {
            self.error(value.span(), &full, message, Some(hint.to_owned()))
        };
        match name {
            "set" => text.trim_end_matches('/').clone_into(&mut decl.set),
            "kind" => {
                let kinds = format!("the kinds are {}", Kind::NAMES.join(", "));
                *kind =
                    Some(Kind::from_name(&text).ok_or_else(|| {
                        bad(format!("`source.kind`: unknown kind {text:?}"), &kinds)
                    })?);
            }
            "env" => decl.env = Some(text),
            "path" => decl.path = text,
            "address" => decl.address = Some(text),
            "value_format" => {
                decl.value_format = Some(value_format(&text).ok_or_else(|| {
                    bad(
                        format!("`source.value_format`: unknown format {text:?}"),
                        "one of yaml, json, toml, properties, dotenv",
                    )
                })?);
            }
            "runs" => match text.as_str() {
                "latest" => decl.latest_runs = true,
                "all" => decl.latest_runs = false,
                _ => {
                    return Err(bad(
                        format!("`source.runs`: {text:?} is not \"latest\" or \"all\""),
                        "runs = \"latest\" keeps the newest run per run name",
                    ));
                }
            },
            other => return Err(self.unknown(key.span(), other, "source", SOURCE_KEYS)),
        }
        Ok(())
    }

    /// The keys a kind needs.
    fn complete(
        &self,
        item: &Spanned<DeValue<'_>>,
        decl: &SourceDecl,
    ) -> Result<(), SettingsError> {
        if decl.kind.is_remote() {
            if decl.set.is_empty() {
                return Err(self.located(item, "source.set", "a store `[[source]]` needs a `set`"));
            }
            if decl.path.is_empty() && decl.kind != Kind::Etcd && decl.kind != Kind::Consul {
                return Err(self.located(item, "source.path", "this `[[source]]` needs a `path`"));
            }
            if decl.env.as_deref().is_none_or(str::is_empty) {
                return Err(self.located(
                    item,
                    "source.env",
                    "a store `[[source]]` needs an `env` (a name, or \"{env}\" for each env of the set)",
                ));
            }
        } else if decl.kind == Kind::Mlflow && (decl.path.is_empty() || decl.set.is_empty()) {
            return Err(self.located(
                item,
                "source.path",
                "an mlflow `[[source]]` needs a `set` and a `path` (the mlruns folder)",
            ));
        }
        Ok(())
    }
}

/// The formats a store's values may hold documents in.
fn value_format(name: &str) -> Option<Format> {
    format_named(name).filter(|f| {
        matches!(
            f,
            Format::Yaml | Format::Json | Format::Toml | Format::Properties | Format::Dotenv
        )
    })
}
