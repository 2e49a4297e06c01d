//! Finds a project's config files and groups them into config sets (§2):
//! an ignore-aware walk that also sees hidden files, file-name patterns,
//! env ordering, base files and the errors of a set.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::PoisonError;

use ignore::gitignore::Gitignore;

use super::glob::KeyGlob;
use super::parse::Format;

mod ignore_files;
mod key_files;
mod pattern;

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

/// Env names that mark a set's base layer instead of an environment.
const BASE_NAMES: &[&str] = &["base", "default", "common"];

/// Env groups in display order; unknown envs follow them, then `LAST_GROUP`.
const ENV_GROUPS: &[&[&str]] = &[
    &["local"],
    &["dev", "development"],
    &["test", "qa", "ci"],
    &["stage", "staging", "uat", "preprod"],
    &["prod", "production", "live"],
];
const LAST_GROUP: &[&str] = &["example", "sample", "template"];

/// How discovery walks.
#[derive(Debug, Clone, Default)]
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

/// The files of one directory that share a prefix and differ by env.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigSet {
    /// `services/api/config`, `.env`, …
    pub name: String,
    /// Env files in env order.
    pub envs: Vec<ConfigFile>,
    pub base: Option<ConfigFile>,
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

/// Env names are `[A-Za-z0-9][A-Za-z0-9_-]*` (§2).
pub fn valid_env(env: &str) -> bool {
    let mut chars = env.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Walks `root` and groups the config files found into sets.
pub fn discover(root: &Path, options: &DiscoverOptions) -> Discovery {
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
    let mut found: BTreeMap<String, Vec<(ConfigFile, u8)>> = BTreeMap::new();
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
        let Some(matched) = match_with_patterns(name, &options.patterns) else {
            continue;
        };
        match taken(entry.path(), entry.file_type(), root) {
            Taken::Yes => {}
            Taken::No => continue,
            Taken::Folder => {
                warnings.push(format!(
                    "{} is a folder, not a config file; skipped",
                    relative(root, entry.path())
                ));
                continue;
            }
        }
        let rel_path = relative(root, entry.path());
        let dir = rel_path.rsplit_once('/').map_or("", |(dir, _)| dir);
        let set_name = if dir.is_empty() {
            matched.prefix.clone()
        } else {
            format!("{dir}/{}", matched.prefix)
        };
        let rank = extension_rank(&rel_path);
        let format = matched.format.for_path(&rel_path);
        let file = ConfigFile { env: matched.env, rel_path, format };
        found.entry(set_name).or_default().push((file, rank));
    }
    let blocked =
        std::mem::take(&mut *skipped_folders.lock().unwrap_or_else(PoisonError::into_inner));
    warnings.extend(blocked.iter().map(|path| {
        format!("{} is not a regular file; its folder was not scanned", relative(root, path))
    }));
    let sets = found.into_iter().map(|(name, files)| build_set(name, files, options)).collect();
    key_files.sort();
    Discovery { sets, warnings, key_files }
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

/// Which file wins when one env has several: yaml, yml, json, toml.
fn extension_rank(rel_path: &str) -> u8 {
    match rel_path.rsplit_once('.').map(|(_, ext)| ext) {
        Some("yaml") => 0,
        Some("yml") => 1,
        Some("json") => 2,
        Some("toml") => 3,
        _ => 4,
    }
}

fn build_set(
    name: String,
    mut files: Vec<(ConfigFile, u8)>,
    options: &DiscoverOptions,
) -> ConfigSet {
    files.sort_by(|(a, ra), (b, rb)| a.env.cmp(&b.env).then(ra.cmp(rb)));
    let mut envs: Vec<ConfigFile> = Vec::new();
    let mut bases: Vec<ConfigFile> = Vec::new();
    let mut problems = Vec::new();
    for (file, _) in files {
        let is_base = BASE_NAMES.contains(&file.env.as_str());
        let taken = if is_base { &mut bases } else { &mut envs };
        match taken.iter().find(|kept| kept.env == file.env) {
            Some(kept) if !is_base => problems.push(SetProblem {
                env: Some(file.env.clone()),
                rel_path: file.rel_path.clone(),
                message: format!(
                    "two files for env `{}`: {} and {}; using {}",
                    file.env, kept.rel_path, file.rel_path, kept.rel_path
                ),
            }),
            _ => taken.push(file),
        }
    }
    bases.sort_by_key(|b| BASE_NAMES.iter().position(|n| *n == b.env));
    let mut base_files = bases.into_iter();
    let base = base_files.next();
    for extra in base_files {
        problems.push(SetProblem {
            env: None,
            rel_path: extra.rel_path.clone(),
            message: format!(
                "two base files: {} and {}; using {}",
                base.as_ref().map_or("", |b| b.rel_path.as_str()),
                extra.rel_path,
                base.as_ref().map_or("", |b| b.rel_path.as_str()),
            ),
        });
    }
    envs.sort_by(|a, b| {
        env_rank(&a.env, &options.env_order).cmp(&env_rank(&b.env, &options.env_order))
    });
    ConfigSet { name, envs, base, problems }
}

/// True for an env of the stage or prod groups (§2), where a loopback host
/// cannot be what was meant.
pub fn is_stage_or_prod(env: &str) -> bool {
    let lower = env.to_ascii_lowercase();
    ENV_GROUPS[3..].iter().any(|group| group.contains(&lower.as_str()))
}

/// Sort key of an env: its group (§2: local, dev, test, stage, prod, the
/// rest, example), then its name.
fn env_rank(env: &str, explicit: &[String]) -> (usize, String) {
    let lower = env.to_ascii_lowercase();
    if !explicit.is_empty() {
        let at = explicit.iter().position(|e| e.eq_ignore_ascii_case(env));
        return (at.unwrap_or(explicit.len()), lower);
    }
    let group = ENV_GROUPS.iter().position(|g| g.contains(&lower.as_str())).unwrap_or_else(|| {
        if LAST_GROUP.contains(&lower.as_str()) { ENV_GROUPS.len() + 1 } else { ENV_GROUPS.len() }
    });
    (group, lower)
}
