//! Text → ordered leaves with positions, one module per format. Every
//! parser receives UTF-8 text already checked by `source::decode` (no BOM,
//! no NUL) and reports spans as byte offsets into that text.

pub mod dotenv;

/// Whether the document's `"$schema"` (its first one, looked for in the
/// first 4 KiB, where a schema line is written) is a URL or path that
/// names flagd, as `https://flagd.dev/schema/v0/flags.json` does.
fn schema_names_flagd(text: &str) -> bool {
    let head = &text.as_bytes()[..text.len().min(4096)];
    let Some(at) = head.windows(9).position(|w| w == b"\"$schema\"") else { return false };
    let rest = &head[at + 9..];
    let rest = rest.trim_ascii_start();
    let Some(rest) = rest.strip_prefix(b":") else { return false };
    let Some(value) = rest.trim_ascii_start().strip_prefix(b"\"") else { return false };
    let end = value.iter().position(|&b| b == b'"').unwrap_or(value.len());
    value[..end].to_ascii_lowercase().windows(5).any(|w| w == b"flagd")
}
#[cfg(test)]
mod fast_check;
pub mod flags;
pub mod hcl;
pub mod ini;
pub mod json;
pub mod properties;
pub mod toml;
pub mod yaml;

use super::leaf::{ParseError, Parsed};

/// The formats envlens reads, recognised by file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Yaml,
    Json,
    Toml,
    Dotenv,
    /// JSON with comments and trailing commas (§11).
    Jsonc,
    Json5,
    /// Java `.properties` (§11).
    Properties,
    /// Java `.properties` of the `spring` layout: values typed as YAML
    /// 1.2 plain scalars, so that they compare with `application.yml`'s (§11).
    #[serde(rename = "properties")]
    SpringProperties,
    /// INI by Python's `configparser` rules (§11).
    Ini,
    /// HCL: `.tfvars`, and `variables.tf` defaults (§11).
    Hcl,
    /// A flag file (§14), read as flags over its JSON or YAML.
    Flagd,
    Goff,
    Flipt,
    Unleash,
}

impl Format {
    /// The format of a config file extension (`yaml`, `yml`, `json`,
    /// `jsonc`, `json5`, `toml`, `properties`, `ini`, `cfg`, `tfvars`, `tf`).
    pub fn from_extension(ext: &str) -> Option<Self> {
        match ext {
            "yaml" | "yml" => Some(Self::Yaml),
            "json" => Some(Self::Json),
            "jsonc" => Some(Self::Jsonc),
            "json5" => Some(Self::Json5),
            "toml" => Some(Self::Toml),
            "properties" => Some(Self::Properties),
            "ini" | "cfg" => Some(Self::Ini),
            "tfvars" | "tf" => Some(Self::Hcl),
            _ => None,
        }
    }

    /// The format a file at `rel_path` is read in, given the one its name
    /// matched: `.json` files that are written with comments by convention
    /// (§11: .NET's `appsettings*.json`, node-config's `config/*.json`)
    /// are read as JSON with comments; every other `.json` stays strict.
    #[must_use]
    pub fn for_path(self, rel_path: &str) -> Self {
        let (dir, name) = rel_path.rsplit_once('/').unwrap_or(("", rel_path));
        let in_config = dir == "config" || dir.ends_with("/config");
        let commented = name.starts_with("appsettings") || in_config;
        if self == Self::Json && commented { Self::Jsonc } else { self }
    }

    /// Formats whose values are all strings: an edit writes a string.
    pub fn strings_only(self) -> bool {
        matches!(self, Self::Dotenv | Self::Properties | Self::Ini)
    }

    /// Java `.properties`, typed or not: read, written and checked by the
    /// same line rules.
    pub fn is_properties(self) -> bool {
        matches!(self, Self::Properties | Self::SpringProperties)
    }

    /// The JSON family: edited and inserted into as JSON.
    pub fn is_json(self) -> bool {
        matches!(self, Self::Json | Self::Jsonc | Self::Json5)
    }

    /// The flag format of a flag file (§14).
    pub fn flag_format(self) -> Option<flags::FlagFormat> {
        match self {
            Self::Flagd => Some(flags::FlagFormat::Flagd),
            Self::Goff => Some(flags::FlagFormat::Goff),
            Self::Flipt => Some(flags::FlagFormat::Flipt),
            Self::Unleash => Some(flags::FlagFormat::Unleash),
            _ => None,
        }
    }

    /// The format a file named as `self` is read in, given its text (§14):
    /// a JSON file whose `$schema` names flagd is a flagd flag file,
    /// whatever its name says.
    #[must_use]
    pub fn sniffed(self, text: &str) -> Self {
        if matches!(self, Self::Json | Self::Jsonc) && schema_names_flagd(text) {
            Self::Flagd
        } else {
            self
        }
    }

    /// The format a file's text is written in: a flag file's JSON or YAML.
    #[must_use]
    pub fn text_format(self) -> Self {
        match self {
            Self::Flagd | Self::Unleash => Self::Json,
            Self::Goff | Self::Flipt => Self::Yaml,
            other => other,
        }
    }
}

/// Parses one file's text into leaves in document order.
/// Encrypted values (§5) are recognised here, for every format alike.
pub fn parse(format: Format, text: &str) -> Result<Parsed, ParseError> {
    let mut parsed = match format {
        Format::Yaml => yaml::parse(text),
        Format::Json => json::parse(text),
        Format::Jsonc => json::parse_with(text, json::Dialect::Comments),
        Format::Json5 => json::parse_with(text, json::Dialect::Json5),
        Format::Toml => toml::parse(text),
        Format::Dotenv => dotenv::parse(text),
        Format::Properties => properties::parse(text),
        Format::SpringProperties => properties::parse_spring(text),
        Format::Ini => ini::parse(text),
        Format::Hcl => hcl::parse(text),
        Format::Flagd | Format::Goff | Format::Flipt | Format::Unleash => {
            let flag_format = format.flag_format().unwrap_or(flags::FlagFormat::Flagd);
            flags::parse(flag_format, text)
        }
    }?;
    parsed.encryption = super::encrypted::recognise(&mut parsed);
    Ok(parsed)
}
