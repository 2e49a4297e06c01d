//! Members grouped by a segment for the identity walk: groups in the
//! order each first appears, members in the order they came, all in one
//! buffer. The walk groups at every node of every file's tree, and a
//! vector per group was most of its allocations.

use rustc_hash::FxHashMap;

use super::Member;

/// Up to this many groups are searched in place; more get a map.
const SEARCHED: usize = 8;

/// Members being grouped.
#[derive(Debug, Default)]
pub(super) struct Groups<'s> {
    names: Vec<&'s str>,
    /// Each member with its group's place in `names`, as they came.
    tagged: Vec<(u32, Member)>,
    /// `names` by name, once there are more than `SEARCHED`.
    index: FxHashMap<&'s str, u32>,
    /// The group the last member joined: the members of one group mostly
    /// come one after another.
    last: u32,
}

impl<'s> Groups<'s> {
    pub fn add(&mut self, name: &'s str, member: Member) {
        let group = self.group_of(name);
        self.tagged.push((group, member));
    }

    fn group_of(&mut self, name: &'s str) -> u32 {
        if self.names.get(self.last as usize) == Some(&name) {
            return self.last;
        }
        let found = if self.names.len() <= SEARCHED {
            self.names.iter().position(|n| *n == name).map(super::len32)
        } else {
            if self.index.is_empty() {
                self.index =
                    self.names.iter().enumerate().map(|(i, n)| (*n, super::len32(i))).collect();
            }
            self.index.get(name).copied()
        };
        let group = found.unwrap_or_else(|| {
            let group = super::len32(self.names.len());
            self.names.push(name);
            if !self.index.is_empty() {
                self.index.insert(name, group);
            }
            group
        });
        self.last = group;
        group
    }

    /// The groups, each one's members together.
    pub fn sorted(self) -> Sorted<'s> {
        let Groups { names, tagged, .. } = self;
        if names.len() <= 1 {
            let ends = vec![super::len32(tagged.len()); names.len()];
            return Sorted { names, members: tagged.into_iter().map(|(_, m)| m).collect(), ends };
        }
        // A counting sort: where each group starts, then each member put
        // at its group's next place (which leaves `ends` at the group ends).
        let mut ends = vec![0u32; names.len()];
        for &(group, _) in &tagged {
            ends[group as usize] += 1;
        }
        let mut start = 0;
        for slot in &mut ends {
            let count = *slot;
            *slot = start;
            start += count;
        }
        let mut members = vec![tagged[0].1; tagged.len()];
        for (group, member) in tagged {
            let at = &mut ends[group as usize];
            members[*at as usize] = member;
            *at += 1;
        }
        Sorted { names, members, ends }
    }
}

/// Grouped members: group `i` is named `names[i]` and holds
/// `members[ends[i - 1]..ends[i]]`.
#[derive(Debug)]
pub(super) struct Sorted<'s> {
    names: Vec<&'s str>,
    members: Vec<Member>,
    ends: Vec<u32>,
}

impl<'s> Sorted<'s> {
    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn get(&self, i: usize) -> (&'s str, &[Member]) {
        let start = i.checked_sub(1).map_or(0, |before| self.ends[before] as usize);
        (self.names[i], &self.members[start..self.ends[i] as usize])
    }

    pub fn iter(&self) -> impl Iterator<Item = (&'s str, &[Member])> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(leaf: usize) -> Member {
        Member::new(0, leaf, 0, leaf)
    }

    #[test]
    fn groups_keep_the_order_they_first_appear_in_and_their_members_order() {
        for count in [3, 20] {
            let mut groups = Groups::default();
            let names: Vec<String> = (0..count).map(|i| format!("g{i}")).collect();
            // Members of each group arrive interleaved with the others.
            for leaf in 0..count * 3 {
                groups.add(&names[(leaf * 7) % count], member(leaf));
            }
            let sorted = groups.sorted();
            let mut seen = Vec::new();
            let mut expected_names: Vec<&str> = Vec::new();
            for leaf in 0..count * 3 {
                let name = names[(leaf * 7) % count].as_str();
                if !expected_names.contains(&name) {
                    expected_names.push(name);
                }
            }
            for (i, (name, members)) in sorted.iter().enumerate() {
                assert_eq!(name, expected_names[i]);
                let leaves: Vec<u32> = members.iter().map(|m| m.leaf).collect();
                let want: Vec<u32> = (0..count * 3)
                    .filter(|leaf| names[(leaf * 7) % count] == name)
                    .map(super::super::len32)
                    .collect();
                assert_eq!(leaves, want, "{name}");
                seen.extend(leaves);
            }
            assert_eq!(seen.len(), count * 3);
        }
    }
}
