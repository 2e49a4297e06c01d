//! What each rule is about, in words for the reports CI reads (§15): the
//! SARIF rule list and the JUnit test cases name every rule, found or not.

use super::{Rule, Severity};

impl Rule {
    /// Every rule, in the order of §7's table.
    pub const ALL: [Self; 14] = [
        Self::ParseError,
        Self::Schema,
        Self::Required,
        Self::Drift,
        Self::SharedSecret,
        Self::CrossEnvReference,
        Self::PlaintextSecret,
        Self::PrivateKeyFile,
        Self::UnencryptedValue,
        Self::Encoding,
        Self::StoreDrift,
        Self::SourceError,
        Self::UnresolvedReference,
        Self::TemplateDrift,
    ];

    /// One line: what a finding of this rule means.
    pub fn title(self) -> &'static str {
        match self {
            Self::ParseError => "A config file does not load",
            Self::Schema => "An env breaks the set's JSON Schema",
            Self::Required => "A required key is missing in an env",
            Self::Drift => "A key differs or is missing between envs",
            Self::SharedSecret => "One secret value is used by several envs",
            Self::CrossEnvReference => "A value names another env or a loopback host",
            Self::PlaintextSecret => "A secret is written in a file git can track",
            Self::PrivateKeyFile => "A private key file is in a place git can track",
            Self::UnencryptedValue => "A value of a sops file is not encrypted",
            Self::Encoding => "A .properties file holds text Java reads as ISO-8859-1",
            Self::StoreDrift => "A store's value differs from the files' env",
            Self::SourceError => "A declared source could not be read",
            Self::UnresolvedReference => "A reference names nothing that exists",
            Self::TemplateDrift => "A template env lacks a key the envs have, or has one none has",
        }
    }

    /// A few sentences: when the rule fires and what to do about it.
    pub fn help(self) -> &'static str {
        match self {
            Self::ParseError => {
                "The file cannot be read or parsed, so its env has no values and every \
                 other check skips it. Fix the syntax at the line given."
            }
            Self::Schema => {
                "An env's effective document (base file merged in) breaks the set's \
                 config.schema.json or config.schema.yaml. Change the value or the schema."
            }
            Self::Required => {
                "A key that `[drift] required` in .envlens.toml names is missing in an env. \
                 Add it to that env's file."
            }
            Self::Drift => {
                "A key differs or is missing between envs and `[drift] expected` does not \
                 cover it, a `must_match` key differs, or a `must_differ` key is equal in \
                 two envs. Align the envs, or say in .envlens.toml that the difference is meant."
            }
            Self::SharedSecret => {
                "The same secret value is set in two or more envs, so one leak opens them \
                 all. Give each env its own secret."
            }
            Self::CrossEnvReference => {
                "A value of one env names another env of the set as a word in a host, \
                 bucket or path, or a loopback host in a stage or prod env: usually a value \
                 copied from another env."
            }
            Self::PlaintextSecret => {
                "A secret is written literally in a file that git tracks or could track. \
                 Replace it by a reference such as ${NAME} and keep the value out of git."
            }
            Self::PrivateKeyFile => {
                "A dotenvx .env.keys or .env.vault, or an age key file, sits where git                  tracks or could track it: whoever reads the repository can decrypt the                  secrets. Add it to .gitignore and keep the key in a secret store."
            }
            Self::UnencryptedValue => {
                "A plain value in a file encrypted with sops, where the file's sops rules                  would have encrypted it (a value added after encryption). Run sops on the                  file, or name the key in its unencrypted rules."
            }
            Self::Encoding => {
                "A .properties file holds non-ASCII text outside its comments. Java's \
                 Properties.load and Spring Boot read these files as ISO-8859-1, so the \
                 text arrives garbled. Write those characters as \\uXXXX escapes."
            }
            Self::StoreDrift => {
                "A key whose value in a store column (`prod@ssm`) differs from the files' \
                 env of the same name, or that one of the two lacks: the store and the files \
                 that are meant to match it have drifted. Update one of them."
            }
            Self::SourceError => {
                "A `[[source]]` of .envlens.toml could not be read (unreachable, refused, \
                 bad TLS, timed out): its column has no values. The other checks still ran."
            }
            Self::UnresolvedReference => {
                "An `ssm:` or `vault:` reference names a parameter or secret that the \
                 declared source of that store does not have (only its existence is checked)."
            }
            Self::TemplateDrift => {
                "A template env (`.env.example`, `config_sample.yaml`, `.env.production.sample`) \
                 lacks a key that a real env of its set has, so a copy of it misses a setting, \
                 or holds a key that no real env has. Templates are compared for keys only: \
                 their values never make a finding."
            }
        }
    }

    /// The severity the rule has without a policy (§7's table).
    pub fn default_severity(self) -> Severity {
        match self {
            Self::Drift
            | Self::PlaintextSecret
            | Self::Encoding
            | Self::UnresolvedReference
            | Self::TemplateDrift => Severity::Warning,
            _ => Severity::Error,
        }
    }

    /// Whether the rule is about keeping secrets (CI tools file such
    /// findings under security).
    pub fn is_security(self) -> bool {
        matches!(
            self,
            Self::SharedSecret
                | Self::PlaintextSecret
                | Self::PrivateKeyFile
                | Self::UnencryptedValue
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_once_with_words() {
        for (i, rule) in Rule::ALL.iter().enumerate() {
            assert!(!Rule::ALL[..i].contains(rule), "{rule:?} twice");
            assert!(!rule.title().is_empty() && !rule.help().is_empty());
            assert!(rule.title().len() <= 255, "SARIF rule names are at most 255 characters");
        }
    }
}
