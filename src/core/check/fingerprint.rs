//! A finding's identity across runs (§15): a hash of its rule, set, key and
//! envs, never of its line, file, message or any value, so that a report
//! for CI tracks one problem while lines move and never carries a secret.

use super::Finding;

/// FNV-1a over 128 bits: stable across Rust releases and platforms (the
/// standard library's hasher promises neither), and wide enough that two
/// findings of one project never meet by chance.
struct Fnv128(u128);

impl Fnv128 {
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;

    fn new() -> Self {
        Self(Self::OFFSET)
    }

    fn bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u128::from(b);
            self.0 = self.0.wrapping_mul(Self::PRIME);
        }
    }

    /// A field with its length first, so `("ab", "c")` and `("a", "bc")`
    /// hash apart.
    fn field(&mut self, text: &str) {
        self.bytes(&(text.len() as u64).to_le_bytes());
        self.bytes(text.as_bytes());
    }
}

impl Finding {
    /// 32 hex digits naming the problem this finding is about: the same in
    /// every run while its rule, set, key and envs stay the same.
    pub fn fingerprint(&self) -> String {
        let mut hash = Fnv128::new();
        hash.field("envlens/v1");
        hash.field(self.rule.as_str());
        hash.field(&self.set);
        match &self.key {
            Some(key) => {
                hash.bytes(&[1]);
                hash.field(key);
            }
            None => hash.bytes(&[0]),
        }
        hash.bytes(&(self.envs.len() as u64).to_le_bytes());
        for env in &self.envs {
            hash.field(env);
        }
        format!("{:032x}", hash.0)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Rule, Severity};
    use super::*;

    fn finding() -> Finding {
        Finding::new(
            Rule::Drift,
            Severity::Warning,
            "services/api/config",
            vec!["dev".into(), "prod".into()],
        )
        .key("database.port")
        .at("services/api/config_dev.yaml", Some(7))
        .message("differs: 5432 in dev, 5433 in prod".into())
    }

    #[test]
    fn line_file_message_and_severity_do_not_count() {
        let a = finding();
        let mut b = finding().at("services/api/config_prod.yaml", Some(70));
        b.message = "another message".into();
        b.severity = Severity::Error;
        assert_eq!(a.fingerprint(), b.fingerprint());
        assert_eq!(a.fingerprint().len(), 32);
        assert!(a.fingerprint().bytes().all(|c| c.is_ascii_hexdigit()));
    }

    #[test]
    fn rule_set_key_and_envs_each_count() {
        let base = finding().fingerprint();
        let mut other = finding();
        other.rule = Rule::SharedSecret;
        assert_ne!(other.fingerprint(), base, "rule");
        let mut other = finding();
        other.set = "services/web/config".into();
        assert_ne!(other.fingerprint(), base, "set");
        assert_ne!(finding().key("database.host").fingerprint(), base, "key");
        let mut other = finding();
        other.key = None;
        assert_ne!(other.fingerprint(), base, "no key");
        let mut other = finding();
        other.envs.pop();
        assert_ne!(other.fingerprint(), base, "envs");
    }

    /// The published FNV-1a 128 vector for "a", so the constants are right.
    #[test]
    fn the_hash_is_fnv_1a() {
        let mut hash = Fnv128::new();
        hash.bytes(b"a");
        assert_eq!(hash.0, 0xd228_cb69_6f1a_8caf_7891_2b70_4e4a_8964);
    }

    #[test]
    fn fields_do_not_run_into_each_other() {
        let mut a = finding();
        a.envs = vec!["ab".into(), "c".into()];
        let mut b = finding();
        b.envs = vec!["a".into(), "bc".into()];
        assert_ne!(a.fingerprint(), b.fingerprint());
    }

    /// A pinned value: CI systems keep fingerprints between runs, so a
    /// change here reopens every alert and must be deliberate.
    #[test]
    fn stable_across_releases() {
        assert_eq!(finding().fingerprint(), PINNED);
    }

    const PINNED: &str = "eb5e8c62122d55dd410f1f9d6ce8c33e";
}
