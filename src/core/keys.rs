//! Key paths stored once. A parser appends each leaf's path to a
//! `PathList`, front-coded because neighbouring paths share most of their
//! text; a set's `KeyTable` then holds every distinct path of its files
//! once. A leaf carries a 4-byte `KeyId` instead of its own string, and the
//! leaves of two envs for one key carry the same id, so a diff matches keys
//! without hashing a single path.

use std::hash::BuildHasher as _;

use hashbrown::HashTable;

/// A key of a set's `KeyTable` (or, before a file joins its set, the index
/// of its path in the file's `PathList`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct KeyId(pub u32);

impl KeyId {
    pub fn index(self) -> usize {
        self.0 as usize
    }

    fn at(index: usize) -> Self {
        // A table never holds more keys than leaves fit in memory, and a
        // file is at most 64 MiB: far below 2^32 keys.
        Self(u32::try_from(index).unwrap_or(u32::MAX))
    }
}

fn hash(path: &str) -> u64 {
    rustc_hash::FxBuildHasher.hash_one(path)
}

/// Every so many entries a path is stored whole, so one path can be read
/// without decoding the list from its start.
const RESTART: usize = 32;

/// Paths in the order a parser produced them. Each is stored as the number
/// of bytes it shares with the path before it and the bytes that follow.
#[derive(Debug, Clone, Default)]
pub struct PathList {
    suffixes: String,
    /// (shared prefix length, end of the suffix in `suffixes`).
    entries: Vec<(u32, u32)>,
    /// The path pushed last, for `push` (`push_sharing` callers know
    /// what they share and keep it empty).
    last: String,
}

impl PathList {
    pub fn new() -> Self {
        Self::default()
    }

    /// Room for `paths` paths of about ten new bytes each.
    pub fn with_capacity(paths: usize) -> Self {
        Self {
            suffixes: String::with_capacity(paths * 10),
            entries: Vec::with_capacity(paths),
            last: String::new(),
        }
    }

    /// Appends a path and returns its id in this list.
    pub fn push(&mut self, path: &str) -> KeyId {
        let shared = self.last.bytes().zip(path.bytes()).take_while(|(a, b)| a == b).count();
        let (id, shared) = self.push_sharing(path, shared);
        self.last.truncate(shared);
        self.last.push_str(&path[shared..]);
        id
    }

    /// Appends a path of which the caller knows that its first `shared`
    /// bytes are the previous path's (a flattener knows how far up the
    /// tree it went since). Returns the id and the prefix actually shared.
    pub fn push_sharing(&mut self, path: &str, shared: usize) -> (KeyId, usize) {
        let id = KeyId::at(self.entries.len());
        let mut shared =
            if self.entries.len().is_multiple_of(RESTART) { 0 } else { shared.min(path.len()) };
        while !path.is_char_boundary(shared) {
            shared -= 1;
        }
        self.suffixes.push_str(&path[shared..]);
        let end = u32::try_from(self.suffixes.len()).unwrap_or(u32::MAX);
        self.entries.push((u32::try_from(shared).unwrap_or(0), end));
        (id, shared)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Reads the paths in order.
    pub fn cursor(&self) -> PathCursor<'_> {
        PathCursor { list: self, next: 0, path: String::new() }
    }

    /// One path, decoded from the nearest whole one before it.
    pub fn get(&self, id: KeyId) -> Option<String> {
        let index = id.index();
        if index >= self.entries.len() {
            return None;
        }
        let mut cursor = self.cursor();
        cursor.next = index - index % RESTART;
        while cursor.next < index {
            cursor.advance();
        }
        cursor.advance().map(str::to_owned)
    }

    /// Frees the room kept for growth once the parser is done.
    pub fn shrink_to_fit(&mut self) {
        self.suffixes.shrink_to_fit();
        self.entries.shrink_to_fit();
        self.last = String::new();
    }

    fn suffix(&self, index: usize) -> (usize, &str) {
        let (shared, end) = self.entries[index];
        let start = if index == 0 { 0 } else { self.entries[index - 1].1 as usize };
        (shared as usize, &self.suffixes[start..end as usize])
    }
}

/// Walks a `PathList` in order, one path at a time.
#[derive(Debug)]
pub struct PathCursor<'a> {
    list: &'a PathList,
    next: usize,
    path: String,
}

impl PathCursor<'_> {
    /// The next path, or None at the end.
    pub fn advance(&mut self) -> Option<&str> {
        if self.next >= self.list.len() {
            return None;
        }
        let (shared, suffix) = self.list.suffix(self.next);
        self.path.truncate(shared);
        self.path.push_str(suffix);
        self.next += 1;
        Some(&self.path)
    }
}

/// How many keys past the expected one a file's next path is looked for
/// before the table is searched: a key missing from one env shifts the rest.
const LOOKAHEAD: usize = 4;

/// Some of a table's keys by the hash of their path (`KeyTable::intern`).
#[derive(Debug, Default)]
pub struct PathIndex(HashTable<u32>);

/// The distinct key paths of a set, each stored once.
#[derive(Debug, Clone, Default)]
pub struct KeyTable {
    text: String,
    ends: Vec<usize>,
    /// Keys by the hash of their path, while files are being absorbed:
    /// built by the first one that needs it, kept for the next.
    index: Option<HashTable<u32>>,
}

impl KeyTable {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn path(&self, id: KeyId) -> &str {
        let index = id.index();
        let Some(&end) = self.ends.get(index) else { return "" };
        let start = if index == 0 { 0 } else { self.ends[index - 1] };
        &self.text[start..end]
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The id of a path, by a scan of the table (for one-off lookups).
    pub fn find(&self, path: &str) -> Option<KeyId> {
        (0..self.len()).map(KeyId::at).find(|&id| self.path(id) == path)
    }

    /// Adds the paths of one file and returns, for each of them in list
    /// order, its id here. Envs of a set mostly list their keys in the
    /// same order: each path is first looked for just after the key
    /// matched before it, and only a path not found there is looked up in
    /// an index of the table, built the first time one is needed.
    pub fn absorb(&mut self, list: &PathList) -> Vec<KeyId> {
        let mut ids = Vec::with_capacity(list.len());
        let mut cursor = list.cursor();
        if self.is_empty() {
            // A parser gives a path at most once per file: nothing to match.
            while let Some(path) = cursor.advance() {
                ids.push(self.push(path));
            }
            return ids;
        }
        let known = self.len();
        let mut met = vec![false; known];
        let mut expected = 0;
        let mut index = self.index.take();
        while let Some(path) = cursor.advance() {
            let window = expected..(expected + LOOKAHEAD).min(known);
            let in_order = window.into_iter().find(|&i| !met[i] && self.path(KeyId::at(i)) == path);
            let found = in_order.or_else(|| {
                let index = index.get_or_insert_with(|| self.index());
                index.find(hash(path), |&id| self.path(KeyId(id)) == path).map(|&id| id as usize)
            });
            let id = if let Some(i) = found {
                if i < known {
                    met[i] = true;
                    expected = i + 1;
                }
                KeyId::at(i)
            } else {
                let id = self.push(path);
                if let Some(index) = &mut index {
                    index.insert_unique(hash(path), id.0, |&k| hash(self.path(KeyId(k))));
                }
                id
            };
            ids.push(id);
        }
        self.index = index;
        ids
    }

    /// Frees the lookup index once a set's files are all in (a later
    /// absorb builds it again if it needs it).
    pub fn drop_index(&mut self) {
        self.index = None;
    }

    /// Every key by the hash of its path.
    fn index(&self) -> HashTable<u32> {
        let mut index = HashTable::with_capacity(self.len());
        for i in 0..self.len() {
            let id = KeyId::at(i);
            index.insert_unique(hash(self.path(id)), id.0, |&k| hash(self.path(KeyId(k))));
        }
        index
    }

    /// An index of the paths `keep` selects, for `intern`.
    pub fn index_where(&self, keep: impl Fn(&str) -> bool) -> PathIndex {
        let mut index = HashTable::new();
        for i in 0..self.len() {
            let id = KeyId::at(i);
            let path = self.path(id);
            if keep(path) {
                index.insert_unique(hash(path), id.0, |&k| hash(self.path(KeyId(k))));
            }
        }
        PathIndex(index)
    }

    /// The id of `path`, added when `index` does not hold it (`index`
    /// covers every path of the table that `path` could equal).
    pub fn intern(&mut self, index: &mut PathIndex, path: &str) -> KeyId {
        let hashed = hash(path);
        if let Some(&id) = index.0.find(hashed, |&id| self.path(KeyId(id)) == path) {
            return KeyId(id);
        }
        let id = self.push(path);
        index.0.insert_unique(hashed, id.0, |&k| hash(self.path(KeyId(k))));
        id
    }

    /// Adds a path the caller knows the table does not hold yet.
    pub fn append(&mut self, path: &str) -> KeyId {
        self.push(path)
    }

    fn push(&mut self, path: &str) -> KeyId {
        self.text.push_str(path);
        self.ends.push(self.text.len());
        KeyId::at(self.ends.len() - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(paths: &[&str]) -> PathList {
        let mut list = PathList::new();
        for path in paths {
            list.push(path);
        }
        list
    }

    fn all(list: &PathList) -> Vec<String> {
        let mut cursor = list.cursor();
        let mut out = Vec::new();
        while let Some(path) = cursor.advance() {
            out.push(path.to_owned());
        }
        out
    }

    #[test]
    fn a_path_list_reads_back_what_went_in() {
        let paths: Vec<String> = (0..100)
            .map(|i| format!("a.b{}.c[{i}]", i % 7))
            .chain(["é.x", "é.y", "ê", "", "\"a.b\".c"].map(str::to_owned))
            .collect();
        let refs: Vec<&str> = paths.iter().map(String::as_str).collect();
        let list = list(&refs);
        assert_eq!(all(&list), paths);
        for (i, path) in paths.iter().enumerate() {
            assert_eq!(list.get(KeyId::at(i)).as_deref(), Some(path.as_str()));
        }
        assert_eq!(list.get(KeyId::at(paths.len())), None);
    }

    #[test]
    fn shared_prefixes_are_stored_once() {
        let list = list(&["service.database.host", "service.database.port"]);
        assert_eq!(list.suffixes, "service.database.hostport");
    }

    #[test]
    fn absorbing_gives_one_id_per_distinct_path() {
        let mut table = KeyTable::new();
        let dev = table.absorb(&list(&["a", "b", "c", "d"]));
        assert_eq!(dev, [0, 1, 2, 3].map(KeyId));
        // `b` missing, `x` new, `d` and `c` swapped, `a` far from its place.
        let prod = table.absorb(&list(&["x", "d", "c", "a"]));
        assert_eq!(prod, [KeyId(4), KeyId(3), KeyId(2), KeyId(0)]);
        assert_eq!(table.path(KeyId(4)), "x");
        let again = table.absorb(&list(&["x", "y", "b"]));
        assert_eq!(again, [KeyId(4), KeyId(5), KeyId(1)]);
        assert_eq!(table.len(), 6);
        assert_eq!(table.find("y"), Some(KeyId(5)));
        assert_eq!(table.find("nope"), None);
    }

    #[test]
    fn a_reordered_file_still_meets_every_key() {
        let paths: Vec<String> = (0..500).map(|i| format!("k{i}")).collect();
        let forward: Vec<&str> = paths.iter().map(String::as_str).collect();
        let backward: Vec<&str> = forward.iter().rev().copied().collect();
        let mut table = KeyTable::new();
        table.absorb(&list(&forward));
        let ids = table.absorb(&list(&backward));
        assert_eq!(table.len(), 500);
        for (path, id) in backward.iter().zip(ids) {
            assert_eq!(table.path(id), *path);
        }
    }
}
