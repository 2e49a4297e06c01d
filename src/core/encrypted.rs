//! Encrypted values (§5), recognised once a file is parsed: sops values
//! (`ENC[AES256_GCM,data:…,type:…]` in a file with a `sops` block),
//! dotenvx `encrypted:…`, Spring `{cipher}…`, a `SealedSecret`'s
//! `spec.encryptedData`. They become `Value::Encrypted` (never decrypted);
//! the sops block is not config and its leaves are left out; a plain value
//! that sops would have encrypted is recorded for `check`.

use regex::Regex;

use super::key_path::{self, Segment};
use super::leaf::{Leaf, Parsed, Value, ValueType};

pub use super::leaf::Encryption;

/// Turns the encrypted values of a parsed file into `Value::Encrypted` and
/// leaves out a sops block. None when nothing in the file is encrypted,
/// which a first look at the values tells without spelling any path.
pub fn recognise(parsed: &mut Parsed) -> Option<Encryption> {
    let hints = parsed.leaves.iter().any(|leaf| match &leaf.value {
        Value::String(s) => {
            s.starts_with("ENC[")
                || s.starts_with("encrypted:")
                || s.starts_with("{cipher}")
                || s == "SealedSecret"
        }
        _ => false,
    });
    if !hints {
        return None;
    }
    let paths: Vec<String> = parsed.leaves.iter().map(|leaf| parsed.path(leaf)).collect();
    let sops = SopsRules::of(&parsed.leaves, &paths);
    let sealed = sealed_prefixes(&parsed.leaves, &paths);
    let mut kept = Vec::with_capacity(parsed.leaves.len());
    let mut plain = Vec::new();
    for (leaf, path) in std::mem::take(&mut parsed.leaves).into_iter().zip(&paths) {
        let mut leaf = leaf;
        if let Some(rules) = &sops {
            if is_sops_metadata(path) {
                continue;
            }
            if let Value::String(s) = &leaf.value
                && let Some(ty) = sops_type(s)
            {
                leaf.value = Value::Encrypted(ty);
            } else if rules.would_encrypt(path, &leaf) {
                plain.push(kept.len());
            }
        }
        if let Value::String(s) = &leaf.value
            && (is_dotenvx(s)
                || is_spring_cipher(s)
                || sealed.iter().any(|prefix| path.starts_with(prefix.as_str())))
        {
            leaf.value = Value::Encrypted(ValueType::String);
        }
        kept.push(leaf);
    }
    parsed.leaves = kept;
    let found = parsed.leaves.iter().any(|l| l.value.is_encrypted());
    (sops.is_some() || found).then_some(Encryption { sops: sops.is_some(), plain })
}

/// A leaf of the sops block: `sops.…` in YAML, JSON, TOML and INI,
/// `sops_…` in dotenv.
fn is_sops_metadata(path: &str) -> bool {
    path == "sops" || path.starts_with("sops.") || path.starts_with("sops_")
}

/// `ENC[AES256_GCM,data:…,iv:…,tag:…,type:str]` and its type.
fn sops_type(text: &str) -> Option<ValueType> {
    let inner = text.strip_prefix("ENC[")?.strip_suffix(']')?;
    if !inner.starts_with("AES256_GCM,") || !inner.contains("data:") {
        return None;
    }
    let ty = inner.split(',').find_map(|part| part.strip_prefix("type:")).unwrap_or("str");
    Some(match ty {
        "int" => ValueType::Int,
        "float" => ValueType::Float,
        "bool" => ValueType::Bool,
        _ => ValueType::String,
    })
}

/// dotenvx: `encrypted:` and the base64 of the ciphertext.
fn is_dotenvx(text: &str) -> bool {
    text.strip_prefix("encrypted:").is_some_and(|rest| {
        rest.len() >= 16
            && rest.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
    })
}

/// Spring Cloud Config: `{cipher}` and the hex or base64 ciphertext.
pub fn is_spring_cipher(text: &str) -> bool {
    text.strip_prefix("{cipher}")
        .is_some_and(|rest| !rest.is_empty() && !rest.contains(char::is_whitespace))
}

/// The path prefixes (`spec.encryptedData.`, `[2].spec.encryptedData.`) of
/// the documents that are `SealedSecret`s.
fn sealed_prefixes(leaves: &[Leaf], paths: &[String]) -> Vec<String> {
    leaves
        .iter()
        .zip(paths)
        .filter(|(leaf, path)| {
            matches!(&leaf.value, Value::String(s) if s == "SealedSecret")
                && (path.as_str() == "kind" || path.ends_with("].kind") && path.starts_with('['))
        })
        .map(|(_, path)| format!("{}spec.encryptedData.", path.trim_end_matches("kind")))
        .collect()
}

/// The rules a sops file was encrypted with, read from its metadata.
struct SopsRules {
    rule: Rule,
}

enum Rule {
    UnencryptedSuffix(String),
    EncryptedSuffix(String),
    UnencryptedRegex(Regex),
    EncryptedRegex(Regex),
    /// A rule this reader does not know (or a regex it cannot compile):
    /// nothing is reported rather than a guess.
    Unknown,
}

impl SopsRules {
    fn of(leaves: &[Leaf], paths: &[String]) -> Option<Self> {
        let meta = |name: &str| {
            leaves.iter().zip(paths).find_map(|(leaf, path)| {
                let field = path.strip_prefix("sops.").or_else(|| path.strip_prefix("sops_"))?;
                match &leaf.value {
                    Value::String(s) if field == name => Some(s.to_string()),
                    _ => None,
                }
            })
        };
        meta("mac").or_else(|| meta("version"))?;
        let regex = |text: String| Regex::new(&text).ok();
        let rule = if let Some(suffix) = meta("unencrypted_suffix") {
            Rule::UnencryptedSuffix(suffix)
        } else if let Some(suffix) = meta("encrypted_suffix") {
            Rule::EncryptedSuffix(suffix)
        } else if let Some(pattern) = meta("unencrypted_regex") {
            regex(pattern).map_or(Rule::Unknown, Rule::UnencryptedRegex)
        } else if let Some(pattern) = meta("encrypted_regex") {
            regex(pattern).map_or(Rule::Unknown, Rule::EncryptedRegex)
        } else if meta("unencrypted_comment_regex").is_some()
            || meta("encrypted_comment_regex").is_some()
        {
            Rule::Unknown
        } else {
            Rule::UnencryptedSuffix("_unencrypted".to_owned())
        };
        Some(Self { rule })
    }

    /// Would sops have encrypted this plain leaf? A mapping key that the
    /// rule names decides for everything below it, as in sops.
    fn would_encrypt(&self, path: &str, leaf: &Leaf) -> bool {
        if matches!(leaf.value, Value::Null | Value::EmptyMap | Value::EmptyList) {
            return false;
        }
        let segments = key_path::parse(path).unwrap_or_default();
        let mut names = segments.iter().filter_map(|s| match s {
            Segment::Key(k) => Some(k.as_str()),
            Segment::Index(_) | Segment::Identity(_) => None,
        });
        match &self.rule {
            Rule::UnencryptedSuffix(suffix) => !names.any(|n| n.ends_with(suffix.as_str())),
            Rule::EncryptedSuffix(suffix) => names.any(|n| n.ends_with(suffix.as_str())),
            Rule::UnencryptedRegex(re) => !names.any(|n| re.is_match(n)),
            Rule::EncryptedRegex(re) => names.any(|n| re.is_match(n)),
            Rule::Unknown => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::parse::{self, Format};

    fn values(parsed: &Parsed) -> Vec<(String, Value)> {
        parsed.leaves.iter().map(|l| (parsed.path(l), l.value.clone())).collect()
    }

    #[test]
    fn a_sops_file_loses_its_block_and_types_its_values() {
        let text = "db:\n  password: ENC[AES256_GCM,data:abc=,iv:x=,tag:y=,type:str]\n  port: ENC[AES256_GCM,data:MTI=,iv:x=,tag:y=,type:int]\n  host_unencrypted: db.internal\n  user: app\nsops:\n  mac: ENC[AES256_GCM,data:m=,iv:i=,tag:t=,type:str]\n  version: 3.11.0\n";
        let mut parsed = parse::yaml::parse(text).unwrap();
        let found = recognise(&mut parsed).unwrap();
        assert!(found.sops);
        let shown = values(&parsed);
        assert_eq!(
            shown,
            [
                ("db.password".to_owned(), Value::Encrypted(ValueType::String)),
                ("db.port".to_owned(), Value::Encrypted(ValueType::Int)),
                ("db.host_unencrypted".to_owned(), Value::String("db.internal".into())),
                ("db.user".to_owned(), Value::String("app".into())),
            ]
        );
        // `db.user` is plain where sops would have encrypted it.
        assert_eq!(found.plain, [3]);
    }

    #[test]
    fn sops_regex_rules_decide_for_the_subtree() {
        let text = "a:\n  secret_x: ENC[AES256_GCM,data:abc=,iv:x=,tag:y=,type:str]\n  name: plain\nb_secret:\n  inner: oops\nsops:\n  mac: ENC[AES256_GCM,data:m=,iv:i=,tag:t=,type:str]\n  encrypted_regex: ^.*secret.*$\n";
        let mut parsed = parse::yaml::parse(text).unwrap();
        let found = recognise(&mut parsed).unwrap();
        let flagged: Vec<String> =
            found.plain.iter().map(|&i| parsed.path(&parsed.leaves[i])).collect();
        assert_eq!(flagged, ["b_secret.inner"]);
    }

    #[test]
    fn enc_values_without_a_sops_block_are_plain_text() {
        let mut parsed =
            parse::yaml::parse("k: ENC[AES256_GCM,data:abc=,iv:x=,tag:y=,type:str]\n").unwrap();
        assert_eq!(recognise(&mut parsed), None);
        assert!(matches!(parsed.leaves[0].value, Value::String(_)));
    }

    #[test]
    fn dotenvx_spring_and_sealed_secrets() {
        let dotenv = "DOTENV_PUBLIC_KEY_PRODUCTION=\"02b1c3\"\nDB_PASSWORD=\"encrypted:BDqDBibm4wsYqMpCjTQ6BsDHmMadg9K3dAt+Z9HPMfLEIRVz\"\nLOG=info\n";
        let mut parsed = parse::parse(Format::Dotenv, dotenv).unwrap();
        assert!(parsed.leaves[1].value.is_encrypted());
        assert!(!parsed.leaves[0].value.is_encrypted());
        assert_eq!(recognise(&mut parsed), None, "already recognised by parse");
        let spring = "spring:\n  datasource:\n    password: '{cipher}9c2f1f0e4a1b'\n";
        let parsed = parse::parse(Format::Yaml, spring).unwrap();
        assert!(parsed.leaves[0].value.is_encrypted());
        let sealed = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {x: SealedSecret}\n---\napiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: db\nspec:\n  encryptedData:\n    password: AgBy3i4OJSWK+PiTySYZZA==\n  template:\n    metadata:\n      name: db\n";
        let parsed = parse::parse(Format::Yaml, sealed).unwrap();
        let encrypted: Vec<String> = parsed
            .leaves
            .iter()
            .filter(|l| l.value.is_encrypted())
            .map(|l| parsed.path(l))
            .collect();
        assert_eq!(encrypted, ["[1].spec.encryptedData.password"]);
    }
}
