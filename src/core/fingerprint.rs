//! A file's bytes as loaded, told apart from other bytes without keeping
//! them: what an edit checks before it writes, and what `--since` compares
//! to skip a set that did not change. A leaf module: it names no other.

/// Length, hash and modification time of a file's bytes as loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint {
    pub len: u64,
    pub hash: u64,
    pub modified: Option<std::time::SystemTime>,
}

impl Fingerprint {
    pub fn of(bytes: &[u8], modified: Option<std::time::SystemTime>) -> Self {
        use std::hash::Hasher as _;
        let mut hasher = rustc_hash::FxHasher::default();
        hasher.write(bytes);
        Self { len: bytes.len() as u64, hash: hasher.finish(), modified }
    }

    /// Whether `bytes` are the bytes this fingerprint was taken of. The
    /// time is left out: a file touched but not changed is still the same.
    pub fn matches(&self, bytes: &[u8]) -> bool {
        let now = Self::of(bytes, None);
        now.len == self.len && now.hash == self.hash
    }
}
