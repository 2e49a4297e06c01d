//! Finds a project's config files and groups them into config sets (§2):
//! an ignore-aware walk that also sees hidden files, the built-in file
//! names, env names and their order. Which files form a set is the
//! layouts' work (`core::layout`).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use ignore::gitignore::Gitignore;

use super::glob::KeyGlob;
use super::layout::{self, Candidate, Grouping, Preset, Tree, Unmatched};

mod ignore_files;
mod key_files;
mod scopes;
mod tree_walk;

pub use scopes::Scope;

// The set model, file names and env names live below discovery so that the
// layouts can use them without naming discovery; re-exported because every
// caller reaches them through here.
pub use super::config_set::{ConfigFile, ConfigSet, Layer, Mount, Role, SetProblem};
pub use super::env_name::{env_group, is_stage_or_prod, is_template, valid_env};
pub use super::file_name::{
    NameMatch, NamePattern, SKIPPED_DIRS, match_file_name, match_with_patterns,
};

/// `[schema] "services/api/config" = "schemas/api.json"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaOverride {
    pub set: String,
    /// Relative to the project root, with `/`.
    pub rel_path: String,
    pub line: u32,
}

/// How discovery walks.
#[derive(Debug, Clone)]
pub struct DiscoverOptions {
    /// Also take files that ignore rules skip (`--no-ignore`).
    pub no_ignore: bool,
    /// An explicit env order from the project settings; unlisted envs follow.
    pub env_order: Vec<String>,
    /// Extra file-name patterns from the project settings.
    pub patterns: Vec<NamePattern>,
    /// Paths the project settings ignore (always, even with `no_ignore`:
    /// they are the project's own choice, like ripgrep's `--glob`).
    pub ignore: Option<Gitignore>,
    /// Keys the project settings mark secret (applied when loading).
    pub secret_keys: Vec<KeyGlob>,
    /// Schema files the project settings name per set (applied when loading).
    pub schemas: Vec<SchemaOverride>,
    /// The presets that detect layouts (§10), in claiming order.
    pub presets: Vec<Preset>,
    /// `[lists]` of the project settings (§12, applied when loading).
    pub lists: Vec<super::identity::ListRule>,
    /// Read and apply local layers (`--local`, §10); without it they are
    /// listed only.
    pub local: bool,
    /// Where the files are read from: the working tree or a revision.
    pub files: super::files::Files,
    /// `[[set]]` tables of the project settings (§10), which claim first.
    pub declared: Vec<layout::declared::DeclaredSet>,
}

impl DiscoverOptions {
    /// Whether a walked file is worth keeping: a config name, or one a
    /// `[[set]]` names.
    pub(crate) fn keeps(&self, name: &str, rel_path: &str) -> bool {
        layout::is_candidate_name(name, &self.patterns)
            || self.declared.iter().any(|set| set.names(rel_path))
    }
}

impl Default for DiscoverOptions {
    fn default() -> Self {
        Self {
            no_ignore: false,
            env_order: Vec::new(),
            patterns: Vec::new(),
            ignore: None,
            secret_keys: Vec::new(),
            schemas: Vec::new(),
            presets: Preset::ALL.to_vec(),
            lists: Vec::new(),
            local: false,
            files: super::files::Files::WorkTree,
            declared: Vec::new(),
        }
    }
}

/// What a walk found: sets sorted by name, and walk errors (unreadable
/// folders, broken links) that do not stop the walk.
#[derive(Debug, Clone, Default)]
pub struct Discovery {
    pub sets: Vec<ConfigSet>,
    pub warnings: Vec<String>,
    /// Key files (§5: `.env.keys`, age keys), relative paths, sorted: never
    /// config, reported by `check` when git tracks or could track them.
    pub key_files: Vec<String>,
    /// Files that look like config but join no set, with why (§2).
    pub unmatched: Vec<Unmatched>,
    /// `.envlens.toml` files below the root (§8), relative paths, sorted:
    /// each applies to the sets at and below its folder.
    pub nested_settings: Vec<String>,
}

/// Walks `root` (its folder on disk, or a revision's tree) and groups the
/// config files found into sets.
pub fn discover(root: &Path, options: &DiscoverOptions) -> Discovery {
    discover_scoped(root, options, &mut |_| Vec::new())
}

/// `discover`, where `scopes_of` turns the nested `.envlens.toml` files
/// found (relative paths) into the discovery settings of their folders
/// (§8): the files below each are grouped by its scope's options.
pub fn discover_scoped(
    root: &Path,
    options: &DiscoverOptions,
    scopes_of: &mut dyn FnMut(&[String]) -> Vec<Scope>,
) -> Discovery {
    let mut walked = walk(root, options);
    let nested_settings: Vec<String> = walked
        .candidates
        .iter()
        // The settings' file name; `settings` builds on discovery, not back.
        .filter(|c| c.name == ".envlens.toml" && !c.dir.is_empty())
        .map(|c| c.rel_path.clone())
        .collect();
    let scopes = scopes_of(&nested_settings);
    let wider = scopes::wider_walk(options, &scopes);
    if let Some(wider) = &wider {
        // A nested `[[set]]` may name files the root's settings would not
        // keep: walk once more keeping those too.
        walked = walk(root, wider);
    }
    let Walked { candidates, mut key_files, mut warnings } = walked;
    let mut grouped = layout::Grouped::default();
    let parts = scopes::partition(root, options, &scopes, candidates, wider.is_some());
    for (part, part_options) in parts {
        let mut found = layout::group(
            Tree::new(part).at(root, &options.files),
            &Grouping {
                patterns: &part_options.patterns,
                env_order: &part_options.env_order,
                presets: &part_options.presets,
                declared: &part_options.declared,
            },
        );
        grouped.sets.append(&mut found.sets);
        grouped.unmatched.append(&mut found.unmatched);
        grouped.warnings.append(&mut found.warnings);
    }
    grouped.sets.sort_by(|a, b| a.name.cmp(&b.name));
    grouped.unmatched.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
    warnings.extend(grouped.warnings);
    if !grouped.unmatched.is_empty() {
        let count = layout::unmatched_phrase(grouped.unmatched.len());
        warnings.push(format!("{count}; see envlens sets"));
    }
    key_files.sort();
    Discovery {
        sets: grouped.sets,
        warnings,
        key_files,
        unmatched: grouped.unmatched,
        nested_settings,
    }
}

/// The walk of the working tree or of a revision's tree.
fn walk(root: &Path, options: &DiscoverOptions) -> Walked {
    match options.files.snapshot() {
        Some(snapshot) => tree_walk::walk(root, snapshot, options),
        None => walk_work_tree(root, options),
    }
}

/// The ignore-aware walk of the folder on disk.
fn walk_work_tree(root: &Path, options: &DiscoverOptions) -> Walked {
    let mut warnings = Vec::new();
    let read_ignore_files = !options.no_ignore && {
        let blocked = ignore_files::unreadable_above(root);
        warnings.extend(blocked.iter().map(|path| {
            format!("{} is not a regular file; no ignore file was read", path.display())
        }));
        blocked.is_none()
    };
    let blocked_folders = Arc::new(Mutex::new(Vec::new()));
    let walk = walker(root, options, read_ignore_files, Arc::clone(&blocked_folders));
    let mut found = Walked { warnings, ..Walked::default() };
    for entry in walk {
        match entry {
            Ok(entry) => found.entry(&entry, root, options),
            Err(err) => found.warnings.push(err.to_string()),
        }
    }
    let blocked =
        std::mem::take(&mut *blocked_folders.lock().unwrap_or_else(PoisonError::into_inner));
    found.warnings.extend(blocked.iter().map(|path| {
        format!("{} is not a regular file; its folder was not scanned", relative(root, path))
    }));
    found
}

/// The ignore-aware walk of `root` (hidden files seen, links not followed).
/// A folder whose ignore file is a FIFO, socket or device is not entered
/// (the `ignore` crate would block opening it) and lands in `blocked`.
fn walker(
    root: &Path,
    options: &DiscoverOptions,
    read_ignore_files: bool,
    blocked: Arc<Mutex<Vec<PathBuf>>>,
) -> ignore::Walk {
    let ignore_rules = options.ignore.clone();
    let mut walker = ignore::WalkBuilder::new(root);
    walker
        .hidden(false)
        .require_git(false)
        .follow_links(false)
        .standard_filters(read_ignore_files)
        .git_global(read_ignore_files && ignore_files::global_gitignore_possible())
        .hidden(false)
        .filter_entry(move |entry| {
            if entry.depth() == 0 {
                return true;
            }
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            let skipped =
                is_dir && entry.file_name().to_str().is_some_and(|n| SKIPPED_DIRS.contains(&n));
            let ignored =
                ignore_rules.as_ref().is_some_and(|g| g.matched(entry.path(), is_dir).is_ignore());
            let unreadable = read_ignore_files
                && is_dir
                && ignore_files::unreadable_in(entry.path())
                    .inspect(|path| {
                        let mut list = blocked.lock().unwrap_or_else(PoisonError::into_inner);
                        list.push(path.clone());
                    })
                    .is_some();
            !(skipped || ignored || unreadable)
        });
    walker.build()
}

/// What a walk found before grouping: candidate files (relative paths),
/// key files, and problems that did not stop it.
#[derive(Debug, Default)]
struct Walked {
    candidates: Vec<Candidate>,
    key_files: Vec<String>,
    warnings: Vec<String>,
}

impl Walked {
    fn entry(&mut self, entry: &ignore::DirEntry, root: &Path, options: &DiscoverOptions) {
        let Some(name) = entry.file_name().to_str() else {
            return;
        };
        if key_files::is_key_file(name, entry.path(), entry.file_type()) {
            self.key_files.push(relative(root, entry.path()));
            return;
        }
        if !options.keeps(name, &relative(root, entry.path())) {
            return;
        }
        match taken(entry.path(), entry.file_type(), root) {
            Taken::Yes => self.candidates.push(Candidate::new(relative(root, entry.path()))),
            Taken::Folder if match_with_patterns(name, &options.patterns).is_some() => {
                self.warnings.push(format!(
                    "{} is a folder, not a config file; skipped",
                    relative(root, entry.path())
                ));
            }
            Taken::No | Taken::Folder => {}
        }
    }
}

/// Whether an entry named like a config file is one.
enum Taken {
    Yes,
    No,
    /// A folder: not a file at all, so not a member of its set, but a name
    /// a user should hear about.
    Folder,
}

/// A regular file is taken. So are a FIFO, a socket or a device and a link
/// that does not resolve (broken, or a loop): each stays in its set and
/// gets its error when loaded (which never opens a FIFO, so the scan does
/// not block), rather than an env silently missing. A link that resolves
/// outside the project is not followed (§2).
fn taken(path: &Path, file_type: Option<std::fs::FileType>, root: &Path) -> Taken {
    let Some(file_type) = file_type else {
        return Taken::No;
    };
    if file_type.is_dir() {
        return Taken::Folder;
    }
    if !file_type.is_symlink() {
        return Taken::Yes;
    }
    let Ok(root) = std::fs::canonicalize(root) else {
        return Taken::No;
    };
    match std::fs::canonicalize(path) {
        Ok(target) if !target.starts_with(root) => Taken::No,
        Ok(target) if target.is_dir() => Taken::Folder,
        Ok(_) | Err(_) => Taken::Yes,
    }
}

fn relative(root: &Path, path: &Path) -> String {
    let rel: PathBuf = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}
