//! Finds a project's config files and groups them into config sets (§2):
//! an ignore-aware walk that also sees hidden files, the built-in file
//! names, env names and their order. Which files form a set is the
//! layouts' work (`core::layout`).

use std::path::{Path, PathBuf};
use std::sync::PoisonError;

use ignore::gitignore::Gitignore;

use super::glob::KeyGlob;
use super::inherit::Merge;
use super::layout::{self, Candidate, Preset, Tree, Unmatched};
use super::parse::Format;

mod ignore_files;
mod key_files;
mod pattern;
mod tree_walk;

pub use pattern::NamePattern;

/// `[schema] "services/api/config" = "schemas/api.json"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaOverride {
    pub set: String,
    /// Relative to the project root, with `/`.
    pub rel_path: String,
    pub line: u32,
}

/// Folders never walked, whatever the ignore files say.
pub const SKIPPED_DIRS: &[&str] =
    &[".git", "target", "node_modules", ".venv", "venv", "__pycache__"];

/// Env groups in display order; unknown envs follow them, then `LAST_GROUP`.
const ENV_GROUPS: &[&[&str]] = &[
    &["local"],
    &["dev", "development"],
    &["test", "qa", "ci"],
    &["stage", "staging", "uat", "preprod"],
    &["prod", "production", "live"],
];
const LAST_GROUP: &[&str] = &["example", "sample", "template"];

/// Env name endings that make a template env (§2).
const TEMPLATE_SUFFIXES: &[&str] = &[".example", ".sample", ".template", ".dist"];

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
    /// Read and apply local layers (`--local`, §10); without it they are
    /// listed only.
    pub local: bool,
    /// Where the files are read from: the working tree or a revision.
    pub files: super::files::Files,
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
            local: false,
            files: super::files::Files::WorkTree,
        }
    }
}

/// One config file of a set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigFile {
    /// The env name, or the base name for a base file.
    pub env: String,
    /// Path relative to the project root, with `/`.
    pub rel_path: String,
    pub format: Format,
}

/// A problem of a set that is not one file's parse error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetProblem {
    pub env: Option<String>,
    pub rel_path: String,
    pub message: String,
}

/// The files of one set and how they merge (§10).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigSet {
    /// `services/api/config`, `.env`, `chart/values`, …
    pub name: String,
    /// The layout that made the set: `builtin`, a preset's name.
    pub layout: &'static str,
    /// The rule that made it, for `envlens sets` (`helm: Chart.yaml beside values.yaml`).
    pub rule: String,
    pub merge: Merge,
    /// Env files in env order.
    pub envs: Vec<ConfigFile>,
    pub base: Option<ConfigFile>,
    /// Further base layers after `base`, in merge order (`[[set]]`'s
    /// `base = [...]`).
    pub more_base: Vec<ConfigFile>,
    /// Local layers (applied with `--local`), their env as `env` ("" for every env).
    pub locals: Vec<ConfigFile>,
    pub problems: Vec<SetProblem>,
}

impl ConfigSet {
    pub fn env_names(&self) -> impl Iterator<Item = &str> {
        self.envs.iter().map(|f| f.env.as_str())
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
}

/// A file name recognised as a config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameMatch {
    /// The set's prefix within its folder (`config`, `.env`).
    pub prefix: String,
    pub env: String,
    pub format: Format,
}

/// Recognises `config_<env>.<ext>` and `.env.<env>`.
pub fn match_file_name(name: &str) -> Option<NameMatch> {
    if let Some(env) = name.strip_prefix(".env.") {
        return valid_env(env).then(|| NameMatch {
            prefix: ".env".to_owned(),
            env: env.to_owned(),
            format: Format::Dotenv,
        });
    }
    let rest = name.strip_prefix("config_")?;
    let (env, ext) = rest.rsplit_once('.')?;
    let format = Format::from_extension(ext)?;
    valid_env(env).then(|| NameMatch { prefix: "config".to_owned(), env: env.to_owned(), format })
}

/// Recognises a file name by the built-in names, then the settings' patterns.
pub fn match_with_patterns(name: &str, patterns: &[NamePattern]) -> Option<NameMatch> {
    match_file_name(name).or_else(|| {
        patterns.iter().find_map(|pattern| {
            let env = pattern.env_of(name).filter(|env| valid_env(env))?;
            Some(NameMatch {
                prefix: pattern.set_prefix.clone(),
                env: env.to_owned(),
                format: pattern.format,
            })
        })
    })
}

/// Env names are `[A-Za-z0-9][A-Za-z0-9_.-]*` (§2).
pub fn valid_env(env: &str) -> bool {
    let mut chars = env.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// A template env (§2): `example`, `sample`, `template`, or a name ending
/// in `.example`, `.sample`, `.template` or `.dist`; compared for keys only.
pub fn is_template(env: &str) -> bool {
    let lower = env.to_ascii_lowercase();
    LAST_GROUP.contains(&lower.as_str()) || TEMPLATE_SUFFIXES.iter().any(|s| lower.ends_with(s))
}

/// What a walk found before grouping: candidate files (relative paths),
/// key files, and problems that did not stop it.
#[derive(Debug, Default)]
struct Walked {
    candidates: Vec<Candidate>,
    key_files: Vec<String>,
    warnings: Vec<String>,
}

/// Walks `root` (its folder on disk, or a revision's tree) and groups the
/// config files found into sets.
pub fn discover(root: &Path, options: &DiscoverOptions) -> Discovery {
    let Walked { candidates, mut key_files, mut warnings } = match options.files.snapshot() {
        Some(snapshot) => tree_walk::walk(root, snapshot, options),
        None => walk_work_tree(root, options),
    };
    let grouped = layout::group(Tree::new(candidates), options);
    if !grouped.unmatched.is_empty() {
        let count = layout::unmatched_phrase(grouped.unmatched.len());
        warnings.push(format!("{count}; see envlens sets"));
    }
    key_files.sort();
    Discovery { sets: grouped.sets, warnings, key_files, unmatched: grouped.unmatched }
}

/// The ignore-aware walk of the folder on disk.
fn walk_work_tree(root: &Path, options: &DiscoverOptions) -> Walked {
    let ignore_rules = options.ignore.clone();
    let mut warnings = Vec::new();
    let read_ignore_files = !options.no_ignore && {
        let blocked = ignore_files::unreadable_above(root);
        warnings.extend(blocked.iter().map(|path| {
            format!("{} is not a regular file; no ignore file was read", path.display())
        }));
        blocked.is_none()
    };
    let skipped_folders = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let skipped_by_filter = std::sync::Arc::clone(&skipped_folders);
    let mut walker = ignore::WalkBuilder::new(root);
    walker
        .hidden(false)
        .require_git(false)
        .follow_links(false)
        .standard_filters(read_ignore_files)
        .git_global(read_ignore_files && ignore_files::global_gitignore_possible())
        .hidden(false)
        .filter_entry(move |entry| {
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            let skipped = entry.depth() > 0
                && is_dir
                && entry.file_name().to_str().is_some_and(|n| SKIPPED_DIRS.contains(&n));
            let ignored = entry.depth() > 0
                && ignore_rules
                    .as_ref()
                    .is_some_and(|g| g.matched(entry.path(), is_dir).is_ignore());
            let blocked = read_ignore_files
                && is_dir
                && entry.depth() > 0
                && ignore_files::unreadable_in(entry.path())
                    .inspect(|path| {
                        let mut list =
                            skipped_by_filter.lock().unwrap_or_else(PoisonError::into_inner);
                        list.push(path.clone());
                    })
                    .is_some();
            !(skipped || ignored || blocked)
        });
    let mut candidates = Vec::new();
    let mut key_files = Vec::new();
    for entry in walker.build() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                warnings.push(err.to_string());
                continue;
            }
        };
        let Some(name) = entry.file_name().to_str() else {
            continue;
        };
        if key_files::is_key_file(name, entry.path(), entry.file_type()) {
            key_files.push(relative(root, entry.path()));
            continue;
        }
        if !layout::is_candidate_name(name, &options.patterns) {
            continue;
        }
        match taken(entry.path(), entry.file_type(), root) {
            Taken::Yes => candidates.push(Candidate::new(relative(root, entry.path()))),
            Taken::Folder if match_with_patterns(name, &options.patterns).is_some() => {
                warnings.push(format!(
                    "{} is a folder, not a config file; skipped",
                    relative(root, entry.path())
                ));
            }
            Taken::No | Taken::Folder => {}
        }
    }
    let blocked =
        std::mem::take(&mut *skipped_folders.lock().unwrap_or_else(PoisonError::into_inner));
    warnings.extend(blocked.iter().map(|path| {
        format!("{} is not a regular file; its folder was not scanned", relative(root, path))
    }));
    Walked { candidates, key_files, warnings }
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

/// True for an env of the stage or prod groups (§2), where a loopback host
/// cannot be what was meant.
pub fn is_stage_or_prod(env: &str) -> bool {
    let lower = env.to_ascii_lowercase();
    ENV_GROUPS[3..].iter().any(|group| group.contains(&lower.as_str()))
}

/// The §2 env group of a name (0 = local … 4 = prod), case-insensitive.
pub fn env_group(env: &str) -> Option<usize> {
    let lower = env.to_ascii_lowercase();
    ENV_GROUPS.iter().position(|g| g.contains(&lower.as_str()))
}

/// Sort key of an env: its group (§2: local, dev, test, stage, prod, the
/// rest, example and the template envs), then its name.
pub(crate) fn env_rank(env: &str, explicit: &[String]) -> (usize, String) {
    let lower = env.to_ascii_lowercase();
    if !explicit.is_empty() {
        let at = explicit.iter().position(|e| e.eq_ignore_ascii_case(env));
        return (at.unwrap_or(explicit.len()), lower);
    }
    let group = env_group(env)
        .unwrap_or_else(|| if is_template(env) { ENV_GROUPS.len() + 1 } else { ENV_GROUPS.len() });
    (group, lower)
}
