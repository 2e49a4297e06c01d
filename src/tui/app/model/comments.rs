//! Where each key of a set has its comment: the first leaf of the key
//! with one, env files in order, then the base file (the comment the
//! documentation shows, §6). Found in one pass per load, so the detail
//! pane reads a key's comment without going through a file's keys on
//! every frame; a few bytes per commented key.

use rustc_hash::FxHashMap;

use crate::core::keys::KeyId;
use crate::core::leaf::Leaf;
use crate::core::project::{LoadedFile, LoadedSet};

/// In `Comments`: the leaf is in the base file, not in an env's.
const BASE: u16 = u16::MAX;

/// The commented leaf of each key of a set, by file and index.
#[derive(Debug, Clone, Default)]
pub struct Comments {
    /// Key → (env index in the loaded set, or `BASE`; leaf index).
    first: FxHashMap<KeyId, (u16, u32)>,
}

impl Comments {
    pub fn of(set: &LoadedSet) -> Self {
        let mut first = FxHashMap::default();
        let envs = set.envs.iter().enumerate().map(|(i, f)| (u16::try_from(i).ok(), f));
        for (file_at, file) in envs.chain(set.base.iter().map(|b| (Some(BASE), b))) {
            let Some(file_at) = file_at else { break };
            for (at, leaf) in file.leaves.iter().enumerate().filter(|(_, l)| l.doc.is_some()) {
                let Ok(at) = u32::try_from(at) else { break };
                first.entry(leaf.key).or_insert((file_at, at));
            }
        }
        Self { first }
    }

    /// The commented leaf of key `id` and its file, read from `set` (the
    /// loaded set these were found in).
    pub fn get<'s>(&self, set: &'s LoadedSet, id: KeyId) -> Option<(&'s LoadedFile, &'s Leaf)> {
        let &(file_at, at) = self.first.get(&id)?;
        let file = match file_at {
            BASE => set.base.as_ref()?,
            i => set.envs.get(usize::from(i))?,
        };
        Some((file, file.leaves.get(at as usize)?))
    }
}
