//! The keys of one open mapping, for duplicate detection and for merge keys
//! being overridden by explicit ones. Plain keys borrow the input, so most
//! mappings cost no allocation beyond a reused vector.

use std::borrow::Cow;

use rustc_hash::FxHashMap;

/// Above this many keys a linear scan loses to hashing.
const SMALL: usize = 16;

#[derive(Debug, Default)]
pub(super) struct KeySet<'a> {
    small: Vec<(Cow<'a, str>, u32)>,
    big: FxHashMap<Cow<'a, str>, u32>,
}

impl<'a> KeySet<'a> {
    pub fn clear(&mut self) {
        self.small.clear();
        if !self.big.is_empty() {
            self.big = FxHashMap::default();
        }
    }

    /// Adds a key written on `line`; returns the line of an earlier one.
    #[allow(clippy::ptr_arg, reason = "a borrowed Cow keeps keys borrowed from the input")]
    pub fn insert(&mut self, key: &Cow<'a, str>, line: u32) -> Option<u32> {
        if self.big.is_empty() {
            if let Some((_, first)) = self.small.iter().find(|(k, _)| k == key) {
                return Some(*first);
            }
            if self.small.len() < SMALL {
                self.small.push((key.clone(), line));
                return None;
            }
            self.big.extend(self.small.drain(..));
        }
        if let Some(first) = self.big.get(key.as_ref()) {
            return Some(*first);
        }
        self.big.insert(key.clone(), line);
        None
    }

    pub fn contains(&self, key: &str) -> bool {
        if self.big.is_empty() {
            self.small.iter().any(|(k, _)| k == key)
        } else {
            self.big.contains_key(key)
        }
    }
}
