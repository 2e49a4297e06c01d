//! Layouts (§10): which of a walk's files form a set, which file is its
//! base layer, how its envs are named, which files are local layers and
//! which merge rule the set uses. Presets claim files first, in the order
//! of §10, then the built-in `config_<env>` / `.env.<env>` rules and the
//! settings' patterns take what is left; a file that looks like config but
//! joins no set is kept with the reason (§2). One file per preset.

mod builtin;
mod compose;
mod dotenv;
mod dotnet;
mod helm;
mod node_config;
mod spring;
mod tree;
mod unmatched;

use super::discover::{ConfigFile, ConfigSet, DiscoverOptions, SetProblem, env_rank};
use super::inherit::Merge;
use super::parse::Format;

pub use self::tree::{Candidate, Tree, is_candidate_name};

/// A preset of §10, in the order presets claim files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Preset {
    Dotenv,
    Spring,
    Dotnet,
    NodeConfig,
    Helm,
    Compose,
}

impl Preset {
    /// Every preset, in claiming order (`presets = ["auto"]`).
    pub const ALL: &'static [Self] =
        &[Self::Dotenv, Self::Spring, Self::Dotnet, Self::NodeConfig, Self::Helm, Self::Compose];

    /// Presets of §10 that envlens does not detect yet; naming one in
    /// `presets` is an error that says so rather than a silent no-op.
    pub const NOT_YET: &'static [&'static str] = &["kustomize", "rails", "dynaconf", "terraform"];

    pub fn name(self) -> &'static str {
        match self {
            Self::Dotenv => "dotenv",
            Self::Spring => "spring",
            Self::Dotnet => "dotnet",
            Self::NodeConfig => "node-config",
            Self::Helm => "helm",
            Self::Compose => "compose",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|p| p.name() == name)
    }

    fn detect(self, tree: &Tree) -> Vec<Draft> {
        match self {
            Self::Dotenv => dotenv::detect(tree),
            Self::Spring => spring::detect(tree),
            Self::Dotnet => dotnet::detect(tree),
            Self::NodeConfig => node_config::detect(tree),
            Self::Helm => helm::detect(tree),
            Self::Compose => compose::detect(tree),
        }
    }
}

/// A file a layout placed: its index in the tree and its env (or base name).
#[derive(Debug, Clone)]
pub(crate) struct Placed {
    pub env: String,
    pub file: usize,
    pub format: Option<Format>,
}

/// A set a layout proposes, before its files are claimed.
#[derive(Debug, Clone)]
pub(crate) struct Draft {
    pub name: String,
    pub layout: &'static str,
    pub rule: String,
    pub merge: Merge,
    pub base: Option<Placed>,
    pub envs: Vec<Placed>,
    /// Local layers (§10), applied with `--local`; env "" is every env.
    pub locals: Vec<Placed>,
    /// Files the layout saw as its own but could not place, with why.
    pub unplaced: Vec<(usize, String)>,
    /// Problems of the set found while placing (two base files, …).
    pub problems: Vec<SetProblem>,
}

impl Draft {
    pub fn new(name: String, layout: &'static str, rule: String, merge: Merge) -> Self {
        Self {
            name,
            layout,
            rule,
            merge,
            base: None,
            envs: Vec::new(),
            locals: Vec::new(),
            unplaced: Vec::new(),
            problems: Vec::new(),
        }
    }

    /// A preset set needs two envs, or a base and one env (§10).
    pub fn enough(&self) -> bool {
        self.envs.len() >= 2 || (self.base.is_some() && !self.envs.is_empty())
    }

    fn files(&self) -> impl Iterator<Item = usize> + '_ {
        self.base
            .iter()
            .chain(&self.envs)
            .chain(&self.locals)
            .map(|p| p.file)
            .chain(self.unplaced.iter().map(|(f, _)| *f))
    }
}

/// A file that looks like config but joins no set, and why (§2).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Unmatched {
    pub rel_path: String,
    pub reason: String,
}

/// What the layouts made of a walk.
#[derive(Debug, Clone, Default)]
pub struct Grouped {
    /// Sorted by name.
    pub sets: Vec<ConfigSet>,
    /// Sorted by path.
    pub unmatched: Vec<Unmatched>,
}

/// Groups the walked files into sets: presets first, then the built-in rules.
pub fn group(mut tree: Tree, options: &DiscoverOptions) -> Grouped {
    let mut grouped = Grouped::default();
    for preset in options.presets.iter().copied() {
        for draft in preset.detect(&tree) {
            if !draft.enough() || draft.files().any(|f| tree.is_claimed(f)) {
                continue;
            }
            take(&mut tree, draft, options, &mut grouped);
        }
    }
    for draft in builtin::detect(&tree, options) {
        take(&mut tree, draft, options, &mut grouped);
    }
    grouped.unmatched.extend(unmatched::explain(&tree));
    grouped.sets.sort_by(|a, b| a.name.cmp(&b.name));
    grouped.unmatched.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
    grouped
}

/// Claims a draft's files and adds its set and its unplaced files.
fn take(tree: &mut Tree, draft: Draft, options: &DiscoverOptions, grouped: &mut Grouped) {
    draft.files().collect::<Vec<_>>().into_iter().for_each(|f| tree.claim(f));
    grouped.unmatched.extend(draft.unplaced.iter().map(|(f, why)| Unmatched {
        rel_path: tree.file(*f).rel_path.clone(),
        reason: why.clone(),
    }));
    let (set, seconds) = build(tree, draft, options);
    grouped.unmatched.extend(seconds);
    grouped.sets.push(set);
}

fn config_file(tree: &Tree, placed: &Placed) -> ConfigFile {
    let candidate = tree.file(placed.file);
    let format = placed.format.or_else(|| candidate.format()).unwrap_or(Format::Yaml);
    ConfigFile {
        env: placed.env.clone(),
        rel_path: candidate.rel_path.clone(),
        format: format.for_path(&candidate.rel_path),
    }
}

/// A set from a draft: envs in env order, one file per env (the rest are
/// problems of the set naming both files, and join no set).
fn build(tree: &Tree, draft: Draft, options: &DiscoverOptions) -> (ConfigSet, Vec<Unmatched>) {
    let mut envs: Vec<ConfigFile> = Vec::new();
    let mut problems = draft.problems;
    let mut seconds = Vec::new();
    for file in draft.envs.iter().map(|p| config_file(tree, p)) {
        match envs.iter().find(|kept| kept.env == file.env) {
            Some(kept) => {
                let message = format!(
                    "two files for env `{}`: {} and {}; using {}",
                    file.env, kept.rel_path, file.rel_path, kept.rel_path
                );
                seconds
                    .push(Unmatched { rel_path: file.rel_path.clone(), reason: message.clone() });
                problems.push(SetProblem {
                    env: Some(file.env.clone()),
                    rel_path: file.rel_path,
                    message,
                });
            }
            None => envs.push(file),
        }
    }
    envs.sort_by_cached_key(|f| env_rank(&f.env, &options.env_order));
    let set = ConfigSet {
        name: draft.name,
        layout: draft.layout,
        rule: draft.rule,
        merge: draft.merge,
        base: draft.base.as_ref().map(|p| config_file(tree, p)),
        more_base: Vec::new(),
        locals: draft.locals.iter().map(|p| config_file(tree, p)).collect(),
        envs,
        problems,
    };
    (set, seconds)
}

/// `dir/name`, or `name` at the root.
pub(crate) fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() { name.to_owned() } else { format!("{dir}/{name}") }
}

/// An env word (§10): a name of the §2 env groups, case-insensitive.
pub fn is_env_word(name: &str) -> bool {
    super::discover::env_group(name).is_some()
}

/// `1 file looks like config but joins no set`, `2 files look …` (§2).
pub fn unmatched_phrase(count: usize) -> String {
    if count == 1 {
        "1 file looks like config but joins no set".to_owned()
    } else {
        format!("{count} files look like config but join no set")
    }
}
