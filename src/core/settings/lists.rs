//! `[lists]` of `.envlens.toml` (§12): which fields name the items of the
//! lists a key glob matches — `"spec.template.spec.containers" = "name"`,
//! `"**.routes" = ["host", "path"]`, `"plugins" = "index"` (positions).

use toml::Spanned;
use toml::de::DeValue;

use super::SettingsError;
use super::read::{Ctx, sorted};
use crate::core::glob::KeyGlob;
use crate::core::identity::{Choice, ListRule};

const EXAMPLE: &str = "[lists]\n\"**.routes\" = [\"host\", \"path\"]";

impl Ctx<'_> {
    pub(super) fn lists(
        &self,
        value: &Spanned<DeValue<'_>>,
    ) -> Result<Vec<ListRule>, SettingsError> {
        let DeValue::Table(table) = value.get_ref() else {
            return Err(self.error(
                value.span(),
                "lists",
                "`lists` must be a table of key globs".to_owned(),
                Some(format!("for example:\n{EXAMPLE}")),
            ));
        };
        let mut rules = Vec::new();
        for (key, value) in sorted(table) {
            let text = key.get_ref().as_ref();
            let name = format!("lists.\"{text}\"");
            let glob = KeyGlob::new(text).map_err(|err| {
                self.error(
                    key.span(),
                    &name,
                    format!("`{name}`: {err}"),
                    Some(super::GLOB_HINT.to_owned()),
                )
            })?;
            let choice = self.list_choice(value, &name)?;
            rules.push(ListRule { glob, choice });
        }
        Ok(rules)
    }

    fn list_choice(
        &self,
        value: &Spanned<DeValue<'_>>,
        name: &str,
    ) -> Result<Choice, SettingsError> {
        let bad = |ctx: &Self, span| {
            ctx.error(
                span,
                name,
                format!("`{name}` must be a field name, a list of field names, or \"index\""),
                Some(format!("for example:\n{EXAMPLE}")),
            )
        };
        match value.get_ref() {
            DeValue::String(s) if s.as_ref() == "index" => Ok(Choice::Positions),
            DeValue::String(s) if !s.is_empty() => Ok(Choice::Fields(vec![s.to_string()])),
            DeValue::Array(items) if !items.is_empty() => {
                let mut fields = Vec::new();
                for item in items {
                    match item.get_ref() {
                        DeValue::String(s) if !s.is_empty() => fields.push(s.to_string()),
                        _ => return Err(bad(self, item.span())),
                    }
                }
                Ok(Choice::Fields(fields))
            }
            _ => Err(bad(self, value.span())),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn reads_fields_lists_and_positions() {
        let text = "[lists]\n\"spec.template.spec.containers\" = \"name\"\n\"**.routes\" = [\"host\", \"path\"]\nplugins = \"index\"\n";
        let s = super::super::parse(text, ".envlens.toml", Path::new(".")).unwrap();
        let choices: Vec<&Choice> = s.lists.iter().map(|r| &r.choice).collect();
        assert_eq!(
            choices,
            [
                &Choice::Fields(vec!["name".into()]),
                &Choice::Fields(vec!["host".into(), "path".into()]),
                &Choice::Positions
            ]
        );
        assert!(s.lists[1].glob.matches("a.routes"));
    }

    #[test]
    fn a_wrong_entry_is_located() {
        let text = "[lists]\nok = \"name\"\nbad = 3\n";
        let err = super::super::parse(text, ".envlens.toml", Path::new(".")).unwrap_err();
        assert_eq!((err.line, err.key.as_str()), (3, "lists.\"bad\""));
        assert!(err.message.contains("field name"), "{}", err.message);
        let err = super::super::parse("lists = 1\n", ".envlens.toml", Path::new(".")).unwrap_err();
        assert_eq!(err.key, "lists");
    }
}
