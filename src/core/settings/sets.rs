//! `[[set]]` tables of `.envlens.toml` (§10), each checked key by key: one
//! of `files`, `dirs` or `file` says the shape, and the keys of the other
//! shapes are errors in it, so a table never means something it does not
//! say.

use std::borrow::Cow;

use toml::Spanned;
use toml::de::DeValue;

use super::SettingsError;
use super::read::{Ctx, format_named, sorted};
use crate::core::inherit::Merge;
use crate::core::layout::declared::{DeclaredSet, Shape, Template};
use crate::core::parse::Format;

const SET_KEYS: &[&str] = &[
    "name", "files", "base", "merge", "format", "envs", "dirs", "base_dir", "file", "sections",
    "after", "skip", "env_key",
];

const EXAMPLE: &str =
    "[[set]] then files = \"deploy/{env}/values.yaml\", base = [\"deploy/values.yaml\"]";

/// What one table said, before its shape is decided.
#[derive(Default)]
struct Fields {
    name: Option<String>,
    files: Option<String>,
    dirs: Option<String>,
    file: Option<String>,
    base: Vec<String>,
    base_dir: Option<String>,
    sections: Option<String>,
    after: Vec<String>,
    skip: Vec<String>,
    env_key: Option<String>,
    merge: Option<Merge>,
    format: Option<Format>,
    envs: Vec<String>,
}

impl Ctx<'_> {
    pub(super) fn sets(
        &self,
        value: &Spanned<DeValue<'_>>,
    ) -> Result<Vec<DeclaredSet>, SettingsError> {
        let DeValue::Array(items) = value.get_ref() else {
            return Err(self.set_error(value, "set", "`set` must be an array of tables ([[set]])"));
        };
        items.iter().map(|item| self.set(item)).collect()
    }

    fn set_error(&self, value: &Spanned<DeValue<'_>>, key: &str, message: &str) -> SettingsError {
        self.error(value.span(), key, message.to_owned(), Some(format!("for example: {EXAMPLE}")))
    }

    fn set(&self, item: &Spanned<DeValue<'_>>) -> Result<DeclaredSet, SettingsError> {
        let DeValue::Table(table) = item.get_ref() else {
            return Err(self.set_error(item, "set", "each `[[set]]` must be a table"));
        };
        let mut fields = Fields::default();
        let mut seen: Vec<(&str, &Spanned<DeValue<'_>>)> = Vec::new();
        for (key, value) in sorted(table) {
            self.set_field(&mut fields, key, value)?;
            seen.push((key.get_ref().as_ref(), value));
        }
        let shape = self.shape(item, &fields, &seen)?;
        Ok(DeclaredSet {
            name: fields.name,
            shape,
            merge: fields.merge.unwrap_or(Merge::Deep),
            format: fields.format,
            envs: fields.envs,
            line: self.line_of(item.span().start),
            dir: String::new(),
        })
    }

    fn set_field(
        &self,
        fields: &mut Fields,
        key: &Spanned<Cow<'_, str>>,
        value: &Spanned<DeValue<'_>>,
    ) -> Result<(), SettingsError> {
        let name = key.get_ref().as_ref();
        let full = format!("set.{name}");
        let text = || match value.get_ref() {
            DeValue::String(text) => Ok(text.as_ref().to_owned()),
            _ => Err(self.wrong_type(value, &full, "a string", EXAMPLE)),
        };
        // A string or an array of strings (`base`, `after`, `skip`, `envs`).
        let list = || match value.get_ref() {
            DeValue::String(text) => Ok(vec![text.as_ref().to_owned()]),
            _ => self.strings(value, &full, EXAMPLE),
        };
        match name {
            "name" => fields.name = Some(text()?.trim_matches('/').to_owned()),
            "files" => fields.files = Some(text()?),
            "dirs" => fields.dirs = Some(text()?),
            "file" => fields.file = Some(text()?.trim_start_matches("./").to_owned()),
            "base" => fields.base = list()?,
            "base_dir" => fields.base_dir = Some(text()?),
            "sections" => fields.sections = Some(text()?),
            "after" => fields.after = list()?,
            "skip" => fields.skip = list()?,
            "env_key" => fields.env_key = Some(text()?),
            "envs" => fields.envs = list()?,
            "merge" => {
                let merge = text()?;
                fields.merge = Some(Merge::from_name(&merge).ok_or_else(|| {
                    self.error(
                        value.span(),
                        &full,
                        format!("`set.merge`: unknown merge rule {merge:?}"),
                        Some(
                            "one of deep, flat, helm, compose, dotnet, dynaconf, terraform"
                                .to_owned(),
                        ),
                    )
                })?);
            }
            "format" => {
                let format = text()?;
                fields.format = Some(format_named(&format).ok_or_else(|| {
                    self.error(
                        value.span(),
                        &full,
                        format!("`set.format`: unknown format {format:?}"),
                        Some(
                            "one of yaml, json, jsonc, json5, toml, dotenv, properties, ini, hcl"
                                .to_owned(),
                        ),
                    )
                })?);
            }
            other => return Err(self.unknown(key.span(), other, "set", SET_KEYS)),
        }
        Ok(())
    }

    /// The one shape the table's keys say, or the key that contradicts it.
    fn shape(
        &self,
        item: &Spanned<DeValue<'_>>,
        fields: &Fields,
        seen: &[(&str, &Spanned<DeValue<'_>>)],
    ) -> Result<Shape, SettingsError> {
        let given = [("files", &fields.files), ("dirs", &fields.dirs), ("file", &fields.file)];
        let named: Vec<&str> = given.iter().filter(|(_, v)| v.is_some()).map(|(k, _)| *k).collect();
        let only = |kind: &str, allowed: &[&str]| self.only_keys(seen, kind, allowed);
        match (&fields.files, &fields.dirs, &fields.file, named.len()) {
            (Some(files), None, None, 1) => {
                only("files", &["base"])?;
                let files = self.with_env(item, seen, files, "files")?;
                Ok(Shape::Files { files, base: fields.base.clone() })
            }
            (None, Some(dirs), None, 1) => {
                only("dirs", &["base_dir"])?;
                let dirs = self.with_env(item, seen, dirs, "dirs")?;
                let base_dir = fields.base_dir.as_ref().map(|d| d.trim_matches('/').to_owned());
                Ok(Shape::Dirs { dirs, base_dir })
            }
            (None, None, Some(file), 1) => match (&fields.sections, &fields.env_key) {
                (Some(sections), None) => {
                    only("sections", &["sections", "base", "after", "skip"])?;
                    self.sections(item, file, sections, fields)
                }
                (None, Some(env_key)) => {
                    only("env_key", &["env_key"])?;
                    Ok(Shape::Documents { file: file.clone(), env_key: env_key.clone() })
                }
                _ => Err(self.set_error(
                    item,
                    "set.file",
                    "a `[[set]]` with `file` needs one of `sections` (env sections) or \
                     `env_key` (documents naming their env)",
                )),
            },
            (.., 0) => Err(self.set_error(
                item,
                "set",
                "a `[[set]]` needs one of `files` (a file per env), `dirs` (a folder per env) \
                 or `file` (sections or documents of one file)",
            )),
            _ => Err(self.set_error(
                item,
                "set",
                &format!(
                    "a `[[set]]` takes one of `files`, `dirs` and `file`, not {}",
                    named.join(" and ")
                ),
            )),
        }
    }

    /// The first key of the table that its shape does not take.
    fn only_keys(
        &self,
        seen: &[(&str, &Spanned<DeValue<'_>>)],
        kind: &str,
        allowed: &[&str],
    ) -> Result<(), SettingsError> {
        const SHARED: &[&str] = &["name", "merge", "format", "envs", "files", "dirs", "file"];
        match seen.iter().find(|(key, _)| !SHARED.contains(key) && !allowed.contains(key)) {
            Some((key, value)) => Err(self.error(
                value.span(),
                &format!("set.{key}"),
                format!("`{key}` does not go with `{kind}` in a `[[set]]`"),
                Some(format!("with `{kind}` the keys are {}", allowed.join(", "))),
            )),
            None => Ok(()),
        }
    }

    /// The template, which must name where the env is.
    fn with_env(
        &self,
        item: &Spanned<DeValue<'_>>,
        seen: &[(&str, &Spanned<DeValue<'_>>)],
        template: &str,
        key: &str,
    ) -> Result<Template, SettingsError> {
        let compiled = Template::new(template);
        if compiled.has_env() {
            return Ok(compiled);
        }
        let value = seen.iter().find(|(k, _)| *k == key).map_or(item, |(_, v)| *v);
        Err(self.error(
            value.span(),
            &format!("set.{key}"),
            format!("`set.{key}` needs `{{env}}` where the env's name is"),
            Some(format!("for example: {key} = \"deploy/{{env}}/values.yaml\"")),
        ))
    }

    fn sections(
        &self,
        item: &Spanned<DeValue<'_>>,
        file: &str,
        sections: &str,
        fields: &Fields,
    ) -> Result<Shape, SettingsError> {
        let base = match fields.base.as_slice() {
            [] => None,
            [one] => Some(one.clone()),
            _ => {
                return Err(self.set_error(
                    item,
                    "set.base",
                    "with `sections`, `base` is one section name",
                ));
            }
        };
        if sections.split('.').filter(|s| *s == "*").count() != 1 {
            return Err(self.set_error(
                item,
                "set.sections",
                "`sections` is a key glob with one `*` where the env is (\"*\", \"stages.*.params\")",
            ));
        }
        Ok(Shape::Sections {
            file: file.to_owned(),
            sections: sections.to_owned(),
            base,
            after: fields.after.clone(),
            skip: fields.skip.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::parse;
    use super::*;

    fn error(text: &str) -> SettingsError {
        parse(text, ".envlens.toml", Path::new(".")).unwrap_err()
    }

    #[test]
    fn each_shape_reads_with_its_keys() {
        let text = "[[set]]\nfiles = \"d/{env}/v.yaml\"\nbase = \"b.yaml\"\nmerge = \"helm\"\n\
                    envs = [\"prod\", \"dev\"]\n[[set]]\ndirs = \"o/{env}\"\nbase_dir = \"base/\"\n\
                    [[set]]\nfile = \"db.yml\"\nsections = \"*\"\nbase = \"default\"\n\
                    [[set]]\nname = \"app\"\nfile = \"a.yml\"\nenv_key = \"profile\"\nformat = \"yaml\"\n";
        let sets = parse(text, ".envlens.toml", Path::new(".")).unwrap().sets;
        assert_eq!(sets.len(), 4);
        assert_eq!(
            sets[0].shape,
            Shape::Files {
                files: Template::new("d/{env}/v.yaml"),
                base: vec!["b.yaml".to_owned()]
            }
        );
        assert_eq!(
            (sets[0].merge, sets[0].envs.as_slice()),
            (Merge::Helm, &["prod".to_owned(), "dev".to_owned()][..])
        );
        assert_eq!(
            sets[1].shape,
            Shape::Dirs { dirs: Template::new("o/{env}"), base_dir: Some("base".to_owned()) }
        );
        assert!(matches!(&sets[2].shape, Shape::Sections { base: Some(b), .. } if b == "default"));
        assert_eq!(
            (sets[3].name.as_deref(), sets[3].format, sets[3].line),
            (Some("app"), Some(Format::Yaml), 13)
        );
    }

    #[test]
    fn a_mistake_names_its_line_and_key_with_a_hint() {
        let cases = [
            (
                "[[set]]\nfiles = \"d/{env}.yaml\"\nbase_dri = \"x\"\n",
                3,
                "set.base_dri",
                "unknown key",
            ),
            ("[[set]]\nfiles = \"d/values.yaml\"\n", 2, "set.files", "needs `{env}`"),
            (
                "[[set]]\nfiles = \"{env}.yaml\"\nsections = \"*\"\n",
                3,
                "set.sections",
                "does not go with",
            ),
            ("[[set]]\nfiles = \"{env}.yaml\"\ndirs = \"{env}\"\n", 1, "set", "not files and dirs"),
            ("[[set]]\nname = \"x\"\n", 1, "set", "needs one of"),
            ("[[set]]\nfile = \"a.yml\"\n", 1, "set.file", "`sections`"),
            ("[[set]]\nfile = \"a.yml\"\nsections = \"a.b\"\n", 1, "set.sections", "one `*`"),
            (
                "[[set]]\nfiles = \"{env}.yaml\"\nmerge = \"deepest\"\n",
                3,
                "set.merge",
                "unknown merge",
            ),
            ("[[set]]\nfiles = \"{env}.x\"\nformat = \"xml\"\n", 3, "set.format", "unknown format"),
            ("[[set]]\nfiles = 3\n", 2, "set.files", "must be a string"),
            ("set = 1\n", 1, "set", "array of tables"),
        ];
        for (text, line, key, message) in cases {
            let err = error(text);
            assert_eq!((err.line, err.key.as_str()), (line, key), "{text}: {err}");
            assert!(err.message.contains(message), "{text}: {err}");
            assert!(err.hint.is_some(), "{text}: {err}");
        }
    }
}
