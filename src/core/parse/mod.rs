//! Text → ordered leaves with positions, one module per format. Every
//! parser receives UTF-8 text already checked by `source::decode` (no BOM,
//! no NUL) and reports spans as byte offsets into that text.

pub mod dotenv;
#[cfg(test)]
mod fast_check;
pub mod json;
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
}

impl Format {
    /// The format of a config file extension (`yaml`, `yml`, `json`, `toml`).
    pub fn from_extension(ext: &str) -> Option<Self> {
        match ext {
            "yaml" | "yml" => Some(Self::Yaml),
            "json" => Some(Self::Json),
            "toml" => Some(Self::Toml),
            _ => None,
        }
    }
}

/// Parses one file's text into leaves in document order.
/// Encrypted values (§5) are recognised here, for every format alike.
pub fn parse(format: Format, text: &str) -> Result<Parsed, ParseError> {
    let mut parsed = match format {
        Format::Yaml => yaml::parse(text),
        Format::Json => json::parse(text),
        Format::Toml => toml::parse(text),
        Format::Dotenv => dotenv::parse(text),
    }?;
    parsed.encryption = super::encrypted::recognise(&mut parsed);
    Ok(parsed)
}
