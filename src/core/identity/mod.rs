//! Lists by identity (§12): the key paths of a set's files written again so
//! that a list's items are named by their identity fields
//! (`containers[name=web].image`) instead of their positions, decided once
//! for each list over every file of the set. It works on flattened leaves,
//! so every format gets it, and on paths already keyed by identity as well
//! as on positions, so a reload can key a set again.

mod groups;
mod rule;

use rustc_hash::FxHashMap;

use groups::Groups;
pub use rule::{Choice, ListRule, scalar_text as identity_text};
use rule::{ItemFields, decide};

use super::key_path;
use super::keys::{KeyId, KeyTable, PathList};
use super::leaf::Leaf;

/// What keying a set decided: each list's choice by its path (as keyed),
/// for keying one of its files again (an edit read back), and the lists
/// whose items are in another order in some file.
#[derive(Debug, Clone, Default)]
pub struct Lists {
    pub choices: FxHashMap<String, Choice>,
    /// Lists by identity whose shared items are not in one order in every
    /// file (the detail pane says so; it is not a difference).
    pub reordered: Vec<String>,
}

impl Lists {
    /// Whether the items of the list holding `key` are in another order
    /// in some env: the nearest such list above the key.
    pub fn reordered_above(&self, key: &str) -> Option<&str> {
        self.reordered
            .iter()
            .filter(|list| key.starts_with(list.as_str()) && key[list.len()..].starts_with('['))
            .max_by_key(|list| list.len())
            .map(String::as_str)
    }
}

/// `segments` with each `[i]` of a list keyed by identity replaced by
/// the identity of the i-th item in `leaves` (one file, keyed in `keys`):
/// a key typed by position still names the item it means. None when no
/// segment changes or a position is past the list's end.
pub fn by_position(
    keys: &KeyTable,
    leaves: &[Leaf],
    lists: &Lists,
    segments: &[key_path::Segment],
) -> Option<Vec<key_path::Segment>> {
    use key_path::Segment;
    let mut out: Vec<Segment> = Vec::with_capacity(segments.len());
    let mut changed = false;
    for segment in segments {
        let prefix = key_path::format(&out);
        let keyed = matches!(lists.choices.get(&prefix), Some(Choice::Fields(_)));
        let (Segment::Index(i), true) = (segment, keyed) else {
            out.push(segment.clone());
            continue;
        };
        let mut items: Vec<&str> = Vec::new();
        for leaf in leaves {
            let path = keys.path(leaf.key);
            let Some(inner) = path.strip_prefix(prefix.as_str()).and_then(|r| r.strip_prefix('['))
            else {
                continue;
            };
            let Ok((_, after)) = key_path::bracket(inner) else { continue };
            let item = &inner[..inner.len() - after.len()];
            if !items.contains(&item) {
                items.push(item);
            }
        }
        let (item, _) = key_path::bracket(items.get(*i)?).ok()?;
        out.push(item);
        changed = true;
    }
    changed.then_some(out)
}

/// One file's new paths: the paths of its leaves under a list, and for
/// each leaf, its new path's place in them (None: a leaf under no list,
/// whose path stays as it is).
#[derive(Debug, Default)]
pub struct Rekeyed {
    pub paths: PathList,
    pub keys: Vec<Option<KeyId>>,
}

/// What keying a set's files gave: the choices, and the new paths when
/// some path changes.
#[derive(Debug)]
pub struct Keyed {
    /// Per file, in the order given. None: every path stays as it is
    /// (every list keeps its positions), so there is nothing to apply.
    pub rekeyed: Option<Vec<Rekeyed>>,
    pub lists: Lists,
}

/// Keys the leaves of `files` (all keyed in `keys`) by identity. `fixed`
/// choices are kept where they apply (a file read again after an edit);
/// other lists are decided over these files. None when no path holds a
/// list: nothing changes.
pub fn rekey(
    keys: &KeyTable,
    files: &[&[Leaf]],
    rules: &[ListRule],
    fixed: Option<&Lists>,
) -> Option<Keyed> {
    // Only leaves under a list can get a new path: the walk sees those
    // alone (in a large file, most leaves are under no list). Where a
    // path's last `[` is, is found once per key, not once per file.
    let last_open: Vec<u32> = (0..keys.len())
        .map(|i| keys.path(KeyId(len32(i))).rfind('[').map_or(NO_LIST, len32))
        .collect();
    let mut members: Vec<Member> = Vec::new();
    for (f, leaves) in files.iter().enumerate() {
        for (l, leaf) in leaves.iter().enumerate() {
            let open = last_open.get(leaf.key.index()).copied().unwrap_or(NO_LIST);
            if open != NO_LIST {
                members.push(Member::new(f, l, open, members.len()));
            }
        }
    }
    if members.is_empty() {
        return None;
    }
    // Only a list with a mapping item can be keyed by fields: with none,
    // every list keeps its positions, and the walk would only copy paths
    // (a large file's lists are mostly of scalars).
    if !members.iter().any(|m| has_map_item(keys.path(files[m.file as usize][m.leaf as usize].key)))
    {
        let lists = positions_only(keys, files, &members);
        return Some(Keyed { rekeyed: None, lists });
    }
    let mut walk = Walk {
        keys,
        files,
        rules,
        fixed,
        ends: Ends::of(
            members.iter().map(|m| keys.path(files[m.file as usize][m.leaf as usize].key)),
        ),
        out: files.iter().map(|leaves| vec![None; leaves.len()]).collect(),
        paths: files.iter().map(|_| PathList::new()).collect(),
        lists: Lists::default(),
        scratch: String::new(),
        changed: false,
    };
    let mut prefix = String::new();
    walk.node(&mut prefix, "", &members, 0);
    let Walk { out, paths, lists, changed, .. } = walk;
    let rekeyed = changed
        .then(|| paths.into_iter().zip(out).map(|(paths, keys)| Rekeyed { paths, keys }).collect());
    Some(Keyed { rekeyed, lists })
}

/// Whether some list on `path` has a mapping item (`[i].field`) below the
/// file's documents, which keep their positions whatever they hold. A
/// quoted key holding `].` only sends the path the long way.
fn has_map_item(path: &str) -> bool {
    let body = match path.strip_prefix('[') {
        Some(rest) => rest.find(']').map_or(rest, |end| &rest[end + 1..]),
        None => path,
    };
    body.contains("].")
}

/// The choices when no list has a mapping item: each list on the
/// members' paths (not the documents) by positions, as the walk records.
fn positions_only(keys: &KeyTable, files: &[&[Leaf]], members: &[Member]) -> Lists {
    let mut lists = Lists::default();
    for m in members {
        let path = keys.path(files[m.file as usize][m.leaf as usize].key);
        key_path::for_each_prefix_end(path, |end| {
            let list = &path[..end];
            if path[end..].starts_with('[') && !lists.choices.contains_key(list) {
                lists.choices.insert(list.to_owned(), Choice::Positions);
            }
        });
    }
    lists
}

/// Rekeys `files` into `into`: the leaves get the new ids. `from` is the
/// table the leaves are keyed in when it is not `into` itself (None: a
/// reload keys into the kept table, where a leaf under no list keeps its
/// id); the paths of leaves under no list are then copied over once each.
pub fn apply(
    rekeyed: Vec<Rekeyed>,
    files: &mut [&mut [Leaf]],
    from: Option<&KeyTable>,
    into: &mut KeyTable,
) {
    // A path under a list holds `[` and one under none does not, so the
    // two kinds never meet: only the first is looked up.
    let mut lists = into.index_where(|path| path.contains('['));
    let mut copied: Vec<Option<KeyId>> = from.map_or_else(Vec::new, |f| vec![None; f.len()]);
    for (file, Rekeyed { paths, keys }) in files.iter_mut().zip(rekeyed) {
        let mut ids = Vec::with_capacity(paths.len());
        let mut cursor = paths.cursor();
        while let Some(path) = cursor.advance() {
            ids.push(into.intern(&mut lists, path));
        }
        for (leaf, local) in file.iter_mut().zip(keys) {
            leaf.key = match (local, from) {
                (Some(local), _) => ids.get(local.index()).copied().unwrap_or_default(),
                (None, None) => leaf.key,
                (None, Some(from)) => {
                    if let Some(id) = copied.get(leaf.key.index()).copied().flatten() {
                        id
                    } else {
                        let id = into.append(from.path(leaf.key));
                        if let Some(slot) = copied.get_mut(leaf.key.index()) {
                            *slot = Some(id);
                        }
                        id
                    }
                }
            };
        }
    }
}

/// `last_open` of a path with no `[`.
const NO_LIST: u32 = u32::MAX;

/// A leaf of one file.
#[derive(Debug, Clone, Copy)]
struct Member {
    file: u32,
    leaf: u32,
    /// Where the last `[` of its path is: the walk asks at every depth
    /// whether a list is still below, and this answers without a scan.
    last_open: u32,
    /// Its place among the members: where its segment ends are.
    at: u32,
}

impl Member {
    fn new(file: usize, leaf: usize, last_open: u32, at: usize) -> Self {
        // A set never holds 2^32 files or leaves (files are capped in size).
        Self { file: len32(file), leaf: len32(leaf), last_open, at: len32(at) }
    }
}

/// Where each segment of each member's path ends.
#[derive(Debug)]
struct Ends {
    /// Every member's segment ends, one after the other.
    ends: Vec<u32>,
    /// Where each member's ends start in `ends` (one more entry at the end).
    starts: Vec<u32>,
}

impl Ends {
    /// The ends of the members' paths, in member order. Paths under no
    /// list are emitted whole at the top of the walk and never split.
    fn of<'p>(paths: impl ExactSizeIterator<Item = &'p str>) -> Self {
        let mut ends = Vec::with_capacity(paths.len() * 6);
        let mut starts = Vec::with_capacity(paths.len() + 1);
        for path in paths {
            starts.push(len32(ends.len()));
            key_path::for_each_prefix_end(path, |end| ends.push(len32(end)));
            ends.push(len32(path.len()));
        }
        starts.push(len32(ends.len()));
        Self { ends, starts }
    }

    fn of_member(&self, m: Member) -> &[u32] {
        let at = m.at as usize;
        &self.ends[self.starts[at] as usize..self.starts[at + 1] as usize]
    }
}

fn len32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

struct Walk<'a> {
    keys: &'a KeyTable,
    files: &'a [&'a [Leaf]],
    rules: &'a [ListRule],
    fixed: Option<&'a Lists>,
    ends: Ends,
    /// Per file and leaf: the new path's place in the file's `paths`.
    out: Vec<Vec<Option<KeyId>>>,
    paths: Vec<PathList>,
    lists: Lists,
    scratch: String,
    /// Whether some emitted path differs from the leaf's own.
    changed: bool,
}

/// The items of one list in one file, in order of appearance, each by its
/// segment as written.
type Items<'a> = groups::Sorted<'a>;

impl<'a> Walk<'a> {
    fn path(&self, m: Member) -> &'a str {
        self.keys.path(self.files[m.file as usize][m.leaf as usize].key)
    }

    fn leaf(&self, m: Member) -> &'a Leaf {
        &self.files[m.file as usize][m.leaf as usize]
    }

    /// The text of segment `depth` of a member's path (`.` left out), and
    /// whether there is one.
    fn segment(&self, m: Member, depth: usize) -> Option<&'a str> {
        let ends = self.ends.of_member(m);
        let end = *ends.get(depth)? as usize;
        let path = self.path(m);
        let start = if depth == 0 {
            0
        } else {
            let at = ends[depth - 1] as usize;
            at + usize::from(path.as_bytes()[at] == b'.')
        };
        Some(&path[start..end])
    }

    /// The rest of a member's path from segment `depth` on, with its `.`,
    /// and whether a list is below (a `[` in it).
    fn rest(&self, m: Member, depth: usize) -> (&'a str, bool) {
        let ends = self.ends.of_member(m);
        let path = self.path(m);
        let start = match depth {
            0 => 0,
            _ => ends.get(depth - 1).map_or(path.len(), |&at| at as usize),
        };
        (&path[start..], (m.last_open as usize) >= start)
    }

    fn emit(&mut self, m: Member, path: &str) {
        self.changed = self.changed || path != self.path(m);
        let id = self.paths[m.file as usize].push(path);
        self.out[m.file as usize][m.leaf as usize] = Some(id);
    }

    /// Emits `prefix` followed by `rest` (a path with no list below),
    /// built in a buffer kept for the walk.
    fn emit_joined(&mut self, m: Member, prefix: &str, rest: &str) {
        let mut path = std::mem::take(&mut self.scratch);
        path.clear();
        path.push_str(prefix);
        path.push_str(if prefix.is_empty() { rest.trim_start_matches('.') } else { rest });
        self.emit(m, &path);
        self.scratch = path;
    }

    /// The members below `prefix` (their first `depth` segments), keyed.
    /// `name` is the last key segment of `prefix`.
    fn node(&mut self, prefix: &mut String, name: &str, members: &[Member], depth: usize) {
        // A chain of keys (`spec.template.spec`) has every member under
        // one next key: go down without grouping.
        if let Some(segment) = self.one_key_below(members, depth) {
            self.descend(prefix, segment, members, depth);
            return;
        }
        let mut keyed = Groups::default();
        // Each file's items of the list at `prefix`, files as they come.
        let mut items: Vec<(u32, Groups<'a>)> = Vec::new();
        for &m in members {
            let (rest, list_below) = self.rest(m, depth);
            if !list_below {
                // Nothing below is a list: the path stays as it is.
                self.emit_joined(m, prefix, rest);
                continue;
            }
            let Some(segment) = self.segment(m, depth) else {
                let path = prefix.clone();
                self.emit(m, &path);
                continue;
            };
            if segment.starts_with('[') {
                let at = items.iter().rposition(|(file, _)| *file == m.file).unwrap_or_else(|| {
                    items.push((m.file, Groups::default()));
                    items.len() - 1
                });
                items[at].1.add(segment, m);
            } else {
                keyed.add(segment, m);
            }
        }
        let keyed = keyed.sorted();
        for (segment, group) in keyed.iter() {
            self.descend(prefix, segment, group, depth);
        }
        if !items.is_empty() {
            let lists: Vec<Items<'a>> =
                items.into_iter().map(|(_, items)| items.sorted()).collect();
            self.list(prefix, name, &lists, depth);
        }
    }

    /// The one key every member has next, when each has a list below it.
    fn one_key_below(&self, members: &[Member], depth: usize) -> Option<&'a str> {
        let segment = self.segment(*members.first()?, depth)?;
        let one = !segment.starts_with('[')
            && members
                .iter()
                .all(|&m| self.rest(m, depth).1 && self.segment(m, depth) == Some(segment));
        one.then_some(segment)
    }

    /// `node` for the members under key `segment` of `prefix`.
    fn descend(&mut self, prefix: &mut String, segment: &str, members: &[Member], depth: usize) {
        let mark = prefix.len();
        if !prefix.is_empty() {
            prefix.push('.');
        }
        prefix.push_str(segment);
        self.node(prefix, segment, members, depth + 1);
        prefix.truncate(mark);
    }

    /// A list's items across the files that have it: named, grouped by
    /// name across files, and each group keyed below.
    fn list(&mut self, prefix: &mut String, name: &str, lists: &[Items<'a>], depth: usize) {
        let labels = self.labels(prefix, name, lists, depth);
        let mut groups = Groups::default();
        for (items, labels) in lists.iter().zip(&labels) {
            for ((_, item), label) in items.iter().zip(labels) {
                for &m in item {
                    groups.add(label, m);
                }
            }
        }
        let groups = groups.sorted();
        for (label, group) in groups.iter() {
            let mark = prefix.len();
            prefix.push_str(label);
            self.node(prefix, name, group, depth + 1);
            prefix.truncate(mark);
        }
    }

    /// Each item's segment, per file: its identity, or its position.
    fn labels(
        &mut self,
        prefix: &str,
        name: &str,
        lists: &[Items<'a>],
        depth: usize,
    ) -> Vec<Vec<String>> {
        let positions = || -> Vec<Vec<String>> {
            lists.iter().map(|items| (0..items.len()).map(|i| format!("[{i}]")).collect()).collect()
        };
        // The documents of a file keep their positions (§3).
        if prefix.is_empty() {
            return positions();
        }
        let fields: Vec<Vec<ItemFields<'a>>> = lists
            .iter()
            .map(|items| items.iter().map(|(_, item)| self.fields(item, depth)).collect())
            .collect();
        let fixed = self.fixed.and_then(|lists| lists.choices.get(prefix)).cloned();
        let (choice, values) = match fixed {
            Some(Choice::Positions) => (Choice::Positions, None),
            Some(Choice::Fields(names)) => match rule::values_for(&fields, &names) {
                Some(values) => (Choice::Fields(names), Some(values)),
                None => decide(self.rules, prefix, name, &fields),
            },
            None => decide(self.rules, prefix, name, &fields),
        };
        let labels = match (&choice, values) {
            (Choice::Fields(names), Some(values)) => {
                let labels: Vec<Vec<String>> = values
                    .iter()
                    .map(|items| {
                        items
                            .iter()
                            .map(|vals| {
                                let mut label = String::new();
                                let pairs = names
                                    .iter()
                                    .map(String::as_str)
                                    .zip(vals.iter().map(String::as_str));
                                key_path::push_identity(&mut label, pairs);
                                label
                            })
                            .collect()
                    })
                    .collect();
                if order_differs(&labels) {
                    self.lists.reordered.push(prefix.to_owned());
                }
                labels
            }
            _ => positions(),
        };
        self.lists.choices.insert(prefix.to_owned(), choice);
        labels
    }

    /// Whether an item is a mapping, and its scalar fields.
    fn fields(&self, item: &[Member], depth: usize) -> ItemFields<'a> {
        let mut fields = ItemFields { is_map: true, scalars: Vec::new() };
        for &m in item {
            match self.segment(m, depth + 1) {
                None => fields.is_map = false,
                Some(field) if field.starts_with('[') => fields.is_map = false,
                Some(field) => {
                    if self.segment(m, depth + 2).is_none() {
                        fields.scalars.push((field, &self.leaf(m).value));
                    }
                }
            }
        }
        fields
    }
}

/// True when the items two files share are not in one order.
fn order_differs(labels: &[Vec<String>]) -> bool {
    use rustc_hash::FxHashSet;
    let Some((first, rest)) = labels.split_first() else { return false };
    let first_set: FxHashSet<&String> = first.iter().collect();
    rest.iter().any(|other| {
        let other_set: FxHashSet<&String> = other.iter().collect();
        let shared_a = first.iter().filter(|l| other_set.contains(l));
        let shared_b = other.iter().filter(|l| first_set.contains(l));
        !shared_a.eq(shared_b)
    })
}

#[cfg(test)]
mod tests;
