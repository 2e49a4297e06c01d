//! Layouts (§10): which of a walk's files form a set, which file is its
//! base layer, how its envs are named, which files are local layers and
//! which merge rule the set uses. Presets claim files first, in the order
//! of §10, then the built-in `config_<env>` / `.env.<env>` rules and the
//! settings' patterns take what is left; a file that looks like config but
//! joins no set is kept with the reason (§2). One file per preset.

mod builtin;
mod compose;
pub mod declared;
mod dotenv;
mod dotnet;
mod dynaconf;
mod flags;
mod helm;
mod kustomize;
mod node_config;
mod rails;
mod spring;
mod terraform;
mod tree;
mod unmatched;

use super::config_set::{ConfigFile, ConfigSet, Layer, Mount, Role, SetProblem};
use super::env_name::env_rank;
use super::file_name::NamePattern;
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
    Kustomize,
    Rails,
    Dynaconf,
    Terraform,
}

impl Preset {
    /// Every preset, in claiming order (`presets = ["auto"]`).
    pub const ALL: &'static [Self] = &[
        Self::Dotenv,
        Self::Spring,
        Self::Dotnet,
        Self::NodeConfig,
        Self::Helm,
        Self::Compose,
        Self::Kustomize,
        Self::Rails,
        Self::Dynaconf,
        Self::Terraform,
    ];

    /// Presets of §10 that envlens does not detect yet; naming one in
    /// `presets` is an error that says so rather than a silent no-op.
    pub const NOT_YET: &'static [&'static str] = &[];

    pub fn name(self) -> &'static str {
        match self {
            Self::Dotenv => "dotenv",
            Self::Spring => "spring",
            Self::Dotnet => "dotnet",
            Self::NodeConfig => "node-config",
            Self::Helm => "helm",
            Self::Compose => "compose",
            Self::Kustomize => "kustomize",
            Self::Rails => "rails",
            Self::Dynaconf => "dynaconf",
            Self::Terraform => "terraform",
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
            Self::Kustomize => kustomize::detect(tree),
            Self::Rails => rails::detect(tree),
            Self::Dynaconf => dynaconf::detect(tree),
            Self::Terraform => terraform::detect(tree),
        }
    }
}

/// A file a layout placed: its index in the tree and its env (or base name).
#[derive(Debug, Clone)]
pub(crate) struct Placed {
    pub env: String,
    pub file: usize,
    pub format: Option<Format>,
    pub mount: Mount,
}

impl Placed {
    /// The whole file `file` as `env`, in the format its name says.
    pub fn whole(env: impl Into<String>, file: usize) -> Self {
        Self { env: env.into(), file, format: None, mount: Mount::Whole }
    }

    /// The section at `path` of file `file` as `env`.
    pub fn section(env: impl Into<String>, file: usize, path: impl Into<String>) -> Self {
        let mount = Mount::Section { path: path.into(), without: Vec::new() };
        Self { env: env.into(), file, format: None, mount }
    }
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
    /// Further layers (§10), applied by their role.
    pub layers: Vec<(Placed, Role)>,
    /// Local layers (§10), applied with `--local`; env "" is every env.
    pub locals: Vec<Placed>,
    /// Files the layout saw as its own but could not place, with why.
    pub unplaced: Vec<(usize, String)>,
    /// Problems of the set found while placing (two base files, …).
    pub problems: Vec<SetProblem>,
    /// The envs in this order when given (a `[[set]]`'s `envs`); else the
    /// settings' env order.
    pub order: Vec<String>,
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
            layers: Vec::new(),
            locals: Vec::new(),
            unplaced: Vec::new(),
            problems: Vec::new(),
            order: Vec::new(),
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
            .chain(self.layers.iter().map(|(p, _)| p))
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

/// What grouping reads of the discovery options.
#[derive(Debug, Clone, Copy)]
pub struct Grouping<'a> {
    /// The settings' file-name patterns.
    pub patterns: &'a [NamePattern],
    /// An explicit env order from the settings; unlisted envs follow.
    pub env_order: &'a [String],
    /// The presets that detect layouts, in claiming order.
    pub presets: &'a [Preset],
    /// The settings' `[[set]]` tables, which claim first.
    pub declared: &'a [declared::DeclaredSet],
}

/// What the layouts made of a walk.
#[derive(Debug, Clone, Default)]
pub struct Grouped {
    /// Sorted by name.
    pub sets: Vec<ConfigSet>,
    /// Sorted by path.
    pub unmatched: Vec<Unmatched>,
    /// A `[[set]]` that found no env, and why.
    pub warnings: Vec<String>,
}

/// Groups the walked files into sets: presets first, then the built-in rules.
pub fn group(mut tree: Tree, options: &Grouping<'_>) -> Grouped {
    let mut grouped = Grouped::default();
    let (drafts, warnings) = declared::detect(&tree, options.declared);
    grouped.warnings = warnings;
    for draft in drafts {
        if draft.files().any(|f| tree.is_claimed(f)) {
            let why = format!("{} claims files an earlier [[set]] took", draft.rule);
            grouped.warnings.push(why);
            continue;
        }
        take(&mut tree, draft, options, &mut grouped);
    }
    for draft in flags::detect(&tree) {
        if draft.files().any(|f| tree.is_claimed(f)) {
            continue;
        }
        take(&mut tree, draft, options, &mut grouped);
    }
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
fn take(tree: &mut Tree, draft: Draft, options: &Grouping<'_>, grouped: &mut Grouped) {
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
        mount: placed.mount.clone(),
    }
}

/// A set from a draft: envs in env order, one file per env (the rest are
/// problems of the set naming both files, and join no set).
fn build(tree: &Tree, draft: Draft, options: &Grouping<'_>) -> (ConfigSet, Vec<Unmatched>) {
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
    if draft.order.is_empty() {
        envs.sort_by_cached_key(|f| env_rank(&f.env, options.env_order));
    } else {
        envs.sort_by_cached_key(|f| draft.order.iter().position(|e| *e == f.env));
    }
    let set = ConfigSet {
        name: draft.name,
        layout: draft.layout,
        rule: draft.rule,
        merge: draft.merge,
        base: draft.base.as_ref().map(|p| config_file(tree, p)),
        layers: draft
            .layers
            .iter()
            .map(|(p, role)| Layer { file: config_file(tree, p), role: *role })
            .collect(),
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
    super::env_name::env_group(name).is_some()
}

/// `1 file looks like config but joins no set`, `2 files look …` (§2).
pub fn unmatched_phrase(count: usize) -> String {
    if count == 1 {
        "1 file looks like config but joins no set".to_owned()
    } else {
        format!("{count} files look like config but join no set")
    }
}
