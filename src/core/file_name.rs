//! Config file names (§2, §8): the built-in `config_<env>.<ext>` and
//! `.env.<env>` names and the settings' `patterns` templates.

use super::env_name::valid_env;
use super::parse::Format;

/// Folders never walked, whatever the ignore files say.
pub const SKIPPED_DIRS: &[&str] =
    &[".git", "target", "node_modules", ".venv", "venv", "__pycache__"];

/// A file name recognised as a config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameMatch {
    /// The set's prefix within its folder (`config`, `.env`).
    pub prefix: String,
    pub env: String,
    pub format: Format,
}

/// Recognises `config_<env>.<ext>` and `.env.<env>`.
pub fn match_file_name(name: &str) -> Option<NameMatch> {
    if let Some(env) = name.strip_prefix(".env.") {
        return valid_env(env).then(|| NameMatch {
            prefix: ".env".to_owned(),
            env: env.to_owned(),
            format: Format::Dotenv,
        });
    }
    let rest = name.strip_prefix("config_")?;
    let (env, ext) = rest.rsplit_once('.')?;
    let format = Format::from_extension(ext)?;
    valid_env(env).then(|| NameMatch { prefix: "config".to_owned(), env: env.to_owned(), format })
}

/// Recognises a file name by the built-in names, then the settings' patterns.
pub fn match_with_patterns(name: &str, patterns: &[NamePattern]) -> Option<NameMatch> {
    match_file_name(name).or_else(|| {
        patterns.iter().find_map(|pattern| {
            let env = pattern.env_of(name).filter(|env| valid_env(env))?;
            Some(NameMatch {
                prefix: pattern.set_prefix.clone(),
                env: env.to_owned(),
                format: pattern.format,
            })
        })
    })
}

/// A file-name template with one `{env}`: `settings_{env}.yaml`, `{env}.env`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamePattern {
    pub template: String,
    before: String,
    after: String,
    /// The set's prefix within its folder.
    pub set_prefix: String,
    pub format: Format,
}

impl NamePattern {
    /// Reads a template; the format comes from its extension (`.env` is dotenv).
    pub fn new(template: &str) -> Result<Self, String> {
        if template.contains(['/', '\\']) {
            return Err("a pattern is a file name, without folders".to_owned());
        }
        let Some((before, after)) = template.split_once("{env}") else {
            return Err("a pattern needs `{env}` where the env name goes".to_owned());
        };
        if after.contains("{env}") {
            return Err("a pattern has one `{env}`".to_owned());
        }
        let extension = template.rsplit_once('.').map_or("", |(_, ext)| ext);
        let format = match Format::from_extension(extension) {
            Some(format) => format,
            None if extension == "env" || before.starts_with(".env") => Format::Dotenv,
            None => {
                return Err(format!(
                    "cannot tell the format from `.{extension}`; end it in .yaml, .yml, .json, \
                     .jsonc, .json5, .toml, .properties, .ini, .cfg or .env"
                ));
            }
        };
        let set_prefix = match before.strip_suffix(['_', '-', '.']).unwrap_or(before) {
            "" => after.strip_prefix(['_', '-', '.']).unwrap_or(after).to_owned(),
            prefix => prefix.to_owned(),
        };
        Ok(Self {
            template: template.to_owned(),
            before: before.to_owned(),
            after: after.to_owned(),
            set_prefix,
            format,
        })
    }

    /// The env name when `file_name` fits the template.
    pub fn env_of<'n>(&self, file_name: &'n str) -> Option<&'n str> {
        file_name.strip_prefix(&self.before)?.strip_suffix(&self.after)
    }
}
