//! The flattened form every parser produces: one `Leaf` per scalar or empty
//! container, with its key path, typed value and where it was written.

use std::fmt;

use compact_str::CompactString;

use super::keys::KeyId;
#[cfg(test)]
use super::keys::{KeyTable, PathList};

mod keyed;

pub use keyed::{Named, Parsed, Spelled, rekey, spell};

/// What an encrypted value shows (§5): never its ciphertext.
pub const ENCRYPTED: &str = "[encrypted]";

/// What the encryption of a file says beyond its values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Encryption {
    /// The file carries a sops metadata block: it is written by `sops`.
    pub sops: bool,
    /// Indices (into the file's leaves) of plain values that the file's
    /// sops rules would have encrypted.
    pub plain: Vec<usize>,
}

/// The type of a leaf, as the contract (§3) names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueType {
    String,
    Int,
    Float,
    Bool,
    Null,
    Datetime,
    Map,
    List,
}

impl ValueType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::String => "string",
            Self::Int => "int",
            Self::Float => "float",
            Self::Bool => "bool",
            Self::Null => "null",
            Self::Datetime => "datetime",
            Self::Map => "map",
            Self::List => "list",
        }
    }

    /// The family used by `type_changed`: `int` and `float` are one `number`.
    #[must_use]
    pub fn family(self) -> Self {
        match self {
            Self::Float => Self::Int,
            other => other,
        }
    }
}

impl fmt::Display for ValueType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A typed scalar or empty container. Most config strings are short: they
/// are kept inline, without an allocation each.
#[derive(Clone, PartialEq)]
pub enum Value {
    String(CompactString),
    Int(i64),
    Float(f64),
    Bool(bool),
    Null,
    /// TOML dates and times, kept as their TOML text.
    Datetime(String),
    EmptyMap,
    EmptyList,
    /// Encrypted in the file (sops, dotenvx, Spring `{cipher}`, a
    /// SealedSecret): never decrypted, typed as the format says, and equal
    /// to any other encrypted value (§4 compares them by presence).
    Encrypted(ValueType),
    /// Bytes that are not UTF-8 text (a Kubernetes Secret's decoded
    /// `data`): typed `string`, shown as `<N bytes>`, compared by bytes.
    Bytes(Box<[u8]>),
}

impl Value {
    pub fn value_type(&self) -> ValueType {
        match self {
            Self::String(_) | Self::Bytes(_) => ValueType::String,
            Self::Int(_) => ValueType::Int,
            Self::Float(_) => ValueType::Float,
            Self::Bool(_) => ValueType::Bool,
            Self::Null => ValueType::Null,
            Self::Datetime(_) => ValueType::Datetime,
            Self::EmptyMap => ValueType::Map,
            Self::EmptyList => ValueType::List,
            Self::Encrypted(ty) => *ty,
        }
    }

    /// Equality as §3 defines it: same type and same value; floats compare
    /// as numbers, so `1.50 == 1.5` but `1 != 1.0`. NaN equals NaN, since
    /// two files that both say `.nan` do not differ.
    #[allow(clippy::float_cmp, reason = "§3: floats compare as numbers, exactly")]
    pub fn same_as(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Float(a), Self::Float(b)) => a == b || (a.is_nan() && b.is_nan()),
            (Self::Encrypted(_), Self::Encrypted(_)) => true,
            _ => self == other,
        }
    }

    /// The JSON form of the contract's `value` field.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Self::String(s) => J::String(s.to_string()),
            Self::Datetime(s) => J::String(s.clone()),
            Self::Int(i) => J::from(*i),
            Self::Float(f) => serde_json::Number::from_f64(*f)
                .map_or_else(|| J::String(float_text(*f)), J::Number),
            Self::Bool(b) => J::Bool(*b),
            Self::Null => J::Null,
            Self::EmptyMap => J::Object(serde_json::Map::new()),
            Self::EmptyList => J::Array(Vec::new()),
            Self::Encrypted(_) => J::String(ENCRYPTED.to_owned()),
            Self::Bytes(bytes) => J::String(bytes_text(bytes)),
        }
    }

    /// How a value reads in a table cell. A string that would read as
    /// another type is quoted so a type change is visible.
    pub fn display_text(&self) -> String {
        match self {
            Self::String(s) if looks_like_other_type(s) => {
                serde_json::to_string(s.as_str()).unwrap_or_else(|_| s.to_string())
            }
            Self::String(s) => s.to_string(),
            Self::Datetime(s) => s.clone(),
            Self::Int(i) => i.to_string(),
            Self::Float(f) => float_text(*f),
            Self::Bool(b) => b.to_string(),
            Self::Null => "null".to_owned(),
            Self::EmptyMap => "{}".to_owned(),
            Self::EmptyList => "[]".to_owned(),
            Self::Encrypted(_) => ENCRYPTED.to_owned(),
            Self::Bytes(bytes) => bytes_text(bytes),
        }
    }

    pub fn is_encrypted(&self) -> bool {
        matches!(self, Self::Encrypted(_))
    }
}

/// Debug never prints string contents: a leaf's value may be a secret that
/// has not been classified yet, and Debug output ends up in logs and panics.
impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::String(s) => write!(f, "String(<{} bytes>)", s.len()),
            Self::Datetime(s) => write!(f, "Datetime({s})"),
            Self::Int(i) => write!(f, "Int({i})"),
            Self::Float(x) => write!(f, "Float({x})"),
            Self::Bool(b) => write!(f, "Bool({b})"),
            Self::Null => f.write_str("Null"),
            Self::EmptyMap => f.write_str("{}"),
            Self::EmptyList => f.write_str("[]"),
            Self::Encrypted(ty) => write!(f, "Encrypted({ty})"),
            Self::Bytes(bytes) => write!(f, "Bytes(<{} bytes>)", bytes.len()),
        }
    }
}

/// How bytes that are not text read: `<N bytes>`.
pub fn bytes_text(bytes: &[u8]) -> String {
    format!("<{} bytes>", bytes.len())
}

/// Text of a float the way YAML writes the special values.
pub fn float_text(f: f64) -> String {
    if f.is_nan() {
        ".nan".to_owned()
    } else if f.is_infinite() {
        if f > 0.0 { ".inf" } else { "-.inf" }.to_owned()
    } else if f != 0.0 && (f.abs() < 1e-3 || f.abs() >= 1e16) {
        // As people write them: `3e-4`, not `0.0003`.
        format!("{f:e}")
    } else if f.fract() == 0.0 {
        format!("{f:.1}")
    } else {
        format!("{f}")
    }
}

/// True when a plain string would be read as a number, bool or null by a
/// reader of YAML 1.1 or 1.2, or is empty/space-padded: such strings are
/// displayed quoted.
pub fn looks_like_other_type(s: &str) -> bool {
    if s.is_empty() || s.trim() != s {
        return true;
    }
    let lower = s.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "true"
            | "false"
            | "yes"
            | "no"
            | "on"
            | "off"
            | "y"
            | "n"
            | "null"
            | "~"
            | ".inf"
            | "-.inf"
            | "+.inf"
            | ".nan"
    ) {
        return true;
    }
    let digits = s.trim_start_matches(['+', '-']).replace('_', "");
    !digits.is_empty()
        && digits.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && (digits.parse::<f64>().is_ok()
            || digits.starts_with("0x")
            || digits.starts_with("0o")
            || digits.starts_with("0b"))
}

/// Where a leaf's value was reached, which matters to an editor: an alias or
/// a merge points into text shared with other keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    #[default]
    Direct,
    /// Reached through a YAML alias (`*name`).
    Alias,
    /// Brought in by a YAML merge key (`<<`).
    Merge,
    /// A value a store gave (§13): it has no line.
    Store,
    /// A value a store marks secret (an SSM SecureString, every Vault
    /// value): a secret whatever its name.
    StoreSecret,
    /// A Kubernetes Secret's `data` value, base64-decoded: an edit writes
    /// the new value encoded (§12).
    Base64,
    /// A compose `NAME=value` list item read as a map entry: the item's
    /// whole text is its span; an edit writes `NAME=` and the value.
    ListItem,
    /// A key read from inside a string value (a `ConfigMap`'s `app.yaml`):
    /// its line is the string's, and it is edited in the string, by hand.
    Embedded,
}

impl Origin {
    /// From a source, not a file: no line, never written.
    pub fn is_store(self) -> bool {
        matches!(self, Self::Store | Self::StoreSecret)
    }
}

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

/// One flattened value of one file.
#[derive(Debug, Clone, PartialEq)]
pub struct Leaf {
    /// The key path (§3), stored once in the set's `KeyTable` (or, fresh
    /// from a parser, in its `PathList`).
    pub key: KeyId,
    pub value: Value,
    /// Where the value is written (for an empty value: its key).
    pub position: Position,
    /// Byte range of the value's text in the source, for editing.
    pub span: (u32, u32),
    /// Documentation comment: the comment lines right above the key, or the
    /// comment at the end of its line.
    pub doc: Option<Doc>,
    pub origin: Origin,
    /// Whether the value is a reference (§5): judged by its text, or
    /// decided by how the format wrote it.
    pub written: Written,
}

/// How a value was written, as far as references (§5) go. One byte in
/// every leaf: the format says what its text cannot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Written {
    /// A value whose text says whether it is a reference (`${VAR}`,
    /// `vault:…`).
    #[default]
    Text,
    /// A literal the format never expands (a single-quoted dotenv value):
    /// never a reference, whatever it looks like.
    Literal,
    /// An expression the format evaluates (an HCL `var.db_password`, a
    /// function call, a `"${…}"` template): its text is its source, and it
    /// counts as a reference whatever it looks like.
    Expression,
}

/// A doc comment's text behind one thin pointer: most leaves have none,
/// and a `Box<str>` would cost every one of them 16 bytes instead of 8.
#[derive(Clone, PartialEq, Eq)]
#[allow(clippy::box_collection, reason = "the thin pointer is the point: 8 bytes in every leaf")]
pub struct Doc(Box<String>);

impl std::ops::Deref for Doc {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl From<String> for Doc {
    fn from(text: String) -> Self {
        Self(Box::new(text))
    }
}

impl From<&str> for Doc {
    fn from(text: &str) -> Self {
        Self(Box::new(text.to_owned()))
    }
}

impl fmt::Debug for Doc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.0.as_str(), f)
    }
}

/// A file that did not load: message and position where there is one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ParseError {
    pub message: String,
    pub position: Option<Position>,
}

impl ParseError {
    pub fn at(position: Position, message: impl Into<String>) -> Self {
        Self { message: message.into(), position: Some(position) }
    }

    pub fn nowhere(message: impl Into<String>) -> Self {
        Self { message: message.into(), position: None }
    }
}

/// Leaves with a path and value and nothing else, for tests of the stages
/// after parsing: the table holds every path given, in order.
#[cfg(test)]
pub(crate) fn bare_all(table: &mut KeyTable, leaves: &[(&str, Value)]) -> Vec<Leaf> {
    let mut list = PathList::new();
    for (path, _) in leaves {
        list.push(path);
    }
    let ids = table.absorb(&list);
    leaves.iter().zip(ids).map(|((_, value), key)| bare(key, value.clone())).collect()
}

/// A leaf with a key and value and nothing else.
#[cfg(test)]
pub(crate) fn bare(key: KeyId, value: Value) -> Leaf {
    Leaf {
        key,
        value,
        position: Position::default(),
        span: (0, 0),
        doc: None,
        origin: Origin::Direct,
        written: Written::Text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_read_as_written() {
        let shown = [3e-4, 0.001, 1.5, 2.0, 1e20, -2.5e-7, 0.0].map(float_text);
        assert_eq!(shown, ["3e-4", "0.001", "1.5", "2.0", "1e20", "-2.5e-7", "0.0"]);
        assert_eq!(
            [f64::NAN, f64::INFINITY, f64::NEG_INFINITY].map(float_text),
            [".nan", ".inf", "-.inf"]
        );
    }
}
