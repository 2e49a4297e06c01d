//! Which paths matter to a watched project: the same rules as discovery
//! (file-name patterns, ignore files, skipped folders, `--no-ignore`), plus
//! the files that change what discovery finds or how a set is read (the
//! settings file, ignore files, schema files).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::core::discover::DiscoverOptions;
use crate::core::settings;

/// Folders discovery never walks cost no inotify watch either.
pub(crate) use crate::core::discover::SKIPPED_DIRS;

/// Ignore files whose change can add or drop config files.
const IGNORE_FILES: &[&str] = &[".gitignore", ".ignore"];

const SCHEMA_SUFFIXES: &[&str] = &[".schema.json", ".schema.yaml", ".schema.yml"];

/// What a relevant file is to the project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Config,
    Schema,
    /// `.envlens.toml` at the root.
    Settings,
    /// `.gitignore` or `.ignore`.
    IgnoreRules,
}

/// Classifies a path relative to the root (with `/`) by its name alone.
pub(crate) fn kind_of(rel: &str, options: &DiscoverOptions) -> Option<Kind> {
    let name = rel.rsplit_once('/').map_or(rel, |(_, name)| name);
    if rel == settings::FILE_NAME {
        Some(Kind::Settings)
    } else if IGNORE_FILES.contains(&name) {
        Some(Kind::IgnoreRules)
    } else if SCHEMA_SUFFIXES.iter().any(|s| name.ends_with(s))
        || options.schemas.iter().any(|s| s.rel_path == rel)
    {
        Some(Kind::Schema)
    } else if options.keeps(name, rel) {
        // A config name, or a file a `[[set]]` names (§10).
        Some(Kind::Config)
    } else {
        None
    }
}

/// `path` relative to `root` with `/`, or None when it is outside. The
/// watcher's paths are absolute while a project's root is as typed
/// (`sample-project`, `.`): a relative root is made absolute first,
/// lexically, so a symlinked root keeps its name as the watcher's paths do.
pub(crate) fn relative(root: &Path, path: &Path) -> Option<String> {
    let absolute;
    let root = if path.is_absolute() && !root.is_absolute() {
        absolute = std::path::absolute(root).ok()?;
        &absolute
    } else {
        root
    };
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<_> = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect();
    Some(parts.join("/"))
}

/// The discovery rules of one project, re-read when its settings change.
#[derive(Debug, Clone)]
pub(crate) struct Filter {
    pub root: PathBuf,
    pub no_ignore: bool,
    pub options: DiscoverOptions,
}

/// What a walk found: folders to watch and relevant files.
#[derive(Debug, Default)]
pub(crate) struct Walked {
    pub folders: Vec<PathBuf>,
    pub files: Vec<PathBuf>,
}

impl Filter {
    /// Reads the settings; a broken settings file gives the defaults (the
    /// project itself then fails to open and says why).
    pub fn load(root: &Path, no_ignore: bool) -> Self {
        let options = settings::load(root).map_or_else(
            |_| DiscoverOptions { no_ignore, ..DiscoverOptions::default() },
            |s| s.discover_options(no_ignore),
        );
        // Absolute, as the events' paths are; lexically, not resolving a
        // symlinked root, whose watches report paths under its own name.
        let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        Self { root, no_ignore, options }
    }

    /// Re-reads the settings; a broken file keeps the rules in force, so a
    /// half-saved settings file does not drop every watch.
    pub fn reload(&mut self) {
        if let Ok(s) = settings::load(&self.root) {
            self.options = s.discover_options(self.no_ignore);
        }
    }

    pub fn kind(&self, path: &Path) -> Option<Kind> {
        kind_of(&relative(&self.root, path)?, &self.options)
    }

    /// Walks `from` (the root or a folder inside it) as discovery does.
    /// `depth` 1 lists one folder's entries, used to ask whether a path is
    /// ignored: the walker then reads the ignore files of every parent.
    pub fn walk(&self, from: &Path, depth: Option<usize>) -> Walked {
        let rules = self.options.ignore.clone();
        let mut walker = ignore::WalkBuilder::new(from);
        walker
            .hidden(false)
            .require_git(false)
            .follow_links(false)
            .standard_filters(!self.no_ignore)
            .hidden(false)
            .max_depth(depth)
            .filter_entry(move |entry| {
                let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
                let skipped =
                    is_dir && entry.file_name().to_str().is_some_and(|n| SKIPPED_DIRS.contains(&n));
                let ignored =
                    rules.as_ref().is_some_and(|g| g.matched(entry.path(), is_dir).is_ignore());
                entry.depth() == 0 || !(skipped || ignored)
            });
        let mut found = Walked::default();
        for entry in walker.build().flatten() {
            let Some(file_type) = entry.file_type() else { continue };
            // A root given as a symlink to a folder is walked through (as
            // discovery does) and must be watched too.
            let linked_root = entry.depth() == 0 && file_type.is_symlink() && from.is_dir();
            if file_type.is_dir() || linked_root {
                found.folders.push(entry.into_path());
            } else if self.kind(entry.path()).is_some()
                && is_taken_file(entry.path(), file_type, &self.root)
            {
                found.files.push(entry.into_path());
            }
        }
        found
    }

    /// The entries of `folder` that discovery would take (files and
    /// folders), for checking many paths of one folder with one walk.
    pub fn allowed_in(&self, folder: &Path) -> HashSet<PathBuf> {
        let walked = self.walk(folder, Some(1));
        walked.folders.into_iter().filter(|f| f != folder).chain(walked.files).collect()
    }
}

/// Whether a file-typed entry is taken, by the rule of discovery's
/// `taken`: anything but a folder, except a link that resolves outside the
/// project or to a folder (a broken link or a FIFO is taken and gets its
/// error when loaded).
fn is_taken_file(path: &Path, file_type: std::fs::FileType, root: &Path) -> bool {
    if !file_type.is_symlink() {
        return !file_type.is_dir();
    }
    let Ok(root) = std::fs::canonicalize(root) else { return false };
    match std::fs::canonicalize(path) {
        Ok(target) => target.starts_with(root) && !target.is_dir(),
        Err(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_a_declared_set_names_is_followed_whatever_its_name() {
        let text = "[[set]]\nfiles = \"deploy/{env}/app.conf\"\nformat = \"ini\"\n";
        let settings = settings::parse(text, ".envlens.toml", Path::new(".")).unwrap();
        let options = settings.discover_options(false);
        assert_eq!(kind_of("deploy/prod/app.conf", &options), Some(Kind::Config));
        assert_eq!(kind_of("deploy/prod/other.conf", &DiscoverOptions::default()), None);
        assert_eq!(kind_of("deploy/prod/other.conf", &options), None);
    }

    #[test]
    fn an_absolute_event_path_under_a_root_as_typed() {
        let cwd = std::env::current_dir().unwrap();
        let file = cwd.join("sample-project/config_dev.yaml");
        assert_eq!(
            relative(Path::new("sample-project"), &file).as_deref(),
            Some("config_dev.yaml")
        );
        assert_eq!(
            relative(Path::new("./sample-project/"), &file).as_deref(),
            Some("config_dev.yaml")
        );
        assert_eq!(
            relative(Path::new("."), &file).as_deref(),
            Some("sample-project/config_dev.yaml")
        );
        assert_eq!(relative(&cwd, &file).as_deref(), Some("sample-project/config_dev.yaml"));
        assert_eq!(relative(Path::new("sample-project"), Path::new("/elsewhere/x.yaml")), None);
    }

    #[test]
    fn a_relative_path_under_a_relative_root() {
        let file = Path::new("sample-project/services/config_dev.yaml");
        assert_eq!(
            relative(Path::new("sample-project"), file).as_deref(),
            Some("services/config_dev.yaml")
        );
    }

    #[cfg(unix)]
    #[test]
    fn the_filter_root_is_absolute_and_keeps_a_symlinks_name() {
        let filter = Filter::load(Path::new("."), false);
        assert_eq!(filter.root, std::env::current_dir().unwrap());
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(std::env::current_dir().unwrap(), &link).unwrap();
        assert_eq!(Filter::load(&link, false).root, link);
        let event = link.join("sample-project/config_dev.yaml");
        let kind = Filter::load(&link.join("sample-project"), false).kind(&event);
        assert_eq!(kind, Some(Kind::Config));
    }
}
