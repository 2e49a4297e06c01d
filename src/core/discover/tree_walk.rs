//! Discovery's walk over a revision's tree (`--rev`, §13), with the rules a
//! walk of a checkout of that revision meets: each folder's `.gitignore`
//! and `.ignore` as the revision has them (and those of the folders above
//! the project inside the repository), the repository's
//! `.git/info/exclude`, the settings' `ignore`, the always-skipped folders,
//! and links not followed out of the project.

use std::path::Path;

use ignore::Match;
use ignore::gitignore::{Gitignore, GitignoreBuilder};

use super::{Candidate, DiscoverOptions, Walked, key_files, match_with_patterns};
use crate::core::revision::{EntryType, Folder, LinkTarget, Snapshot};

/// The ignore files of one folder, `.ignore` first: it wins over
/// `.gitignore` in the same folder, as in ripgrep.
struct Level {
    matchers: Vec<Gitignore>,
}

pub(super) fn walk(root: &Path, snapshot: &Snapshot, options: &DiscoverOptions) -> Walked {
    let mut walk = TreeWalk {
        root,
        snapshot,
        options,
        read_ignore_files: !options.no_ignore,
        levels: Vec::new(),
        exclude: None,
        out: Walked::default(),
    };
    if walk.read_ignore_files {
        walk.exclude = std::fs::read(&snapshot.exclude_file).ok().map(|text| {
            let mut builder = GitignoreBuilder::new("");
            add_lines(&mut builder, &text);
            builder.build().unwrap_or_else(|_| Gitignore::empty())
        });
        for (folder, texts) in &snapshot.outer_ignores {
            let matchers = texts
                .iter()
                .filter_map(|text| {
                    let mut builder = GitignoreBuilder::new(folder);
                    add_lines(&mut builder, text);
                    builder.build().ok()
                })
                .collect();
            walk.levels.push(Level { matchers });
        }
    }
    walk.folder(&snapshot.root, "");
    walk.out
}

struct TreeWalk<'a> {
    root: &'a Path,
    snapshot: &'a Snapshot,
    options: &'a DiscoverOptions,
    read_ignore_files: bool,
    /// Outermost first; the deepest folder's rules are looked at first.
    levels: Vec<Level>,
    exclude: Option<Gitignore>,
    out: Walked,
}

impl TreeWalk<'_> {
    fn folder(&mut self, folder: &Folder, at: &str) {
        let pushed = self.read_ignore_files && self.push_level(folder, at);
        for (name, kind) in &folder.files {
            let rel = join(at, name);
            if self.ignored(&rel, false) {
                continue;
            }
            self.file(name, &rel, kind);
        }
        for (name, inner) in &folder.folders {
            let rel = join(at, name);
            if self.ignored(&rel, true) {
                continue;
            }
            self.folder(inner, &rel);
        }
        if pushed {
            self.levels.pop();
        }
    }

    /// Reads a folder's ignore files from the tree; true when it had any.
    fn push_level(&mut self, folder: &Folder, at: &str) -> bool {
        let repo_path = self.repo_path(at);
        let mut matchers = Vec::new();
        for name in [".ignore", ".gitignore"] {
            let present =
                folder.files.iter().any(|(n, kind)| n == name && *kind == EntryType::File);
            let Some(text) = present.then(|| self.snapshot.read(&join(at, name)).ok()).flatten()
            else {
                continue;
            };
            let mut builder = GitignoreBuilder::new(&repo_path);
            add_lines(&mut builder, &text);
            match builder.build() {
                Ok(matcher) => matchers.push(matcher),
                Err(err) => self.out.warnings.push(format!("{}: {err}", join(at, name))),
            }
        }
        if matchers.is_empty() {
            return false;
        }
        self.levels.push(Level { matchers });
        true
    }

    fn repo_path(&self, rel: &str) -> String {
        match (self.snapshot.prefix.as_str(), rel) {
            ("", rel) => rel.to_owned(),
            (prefix, "") => prefix.to_owned(),
            (prefix, rel) => format!("{prefix}/{rel}"),
        }
    }

    fn ignored(&self, rel: &str, is_dir: bool) -> bool {
        if self
            .options
            .ignore
            .as_ref()
            .is_some_and(|g| g.matched(self.root.join(rel), is_dir).is_ignore())
        {
            return true;
        }
        if !self.read_ignore_files {
            return false;
        }
        let in_repo = self.repo_path(rel);
        let path = Path::new(&in_repo);
        for level in self.levels.iter().rev() {
            for matcher in &level.matchers {
                match matcher.matched(path, is_dir) {
                    Match::Ignore(_) => return true,
                    Match::Whitelist(_) => return false,
                    Match::None => {}
                }
            }
        }
        self.exclude.as_ref().is_some_and(|g| g.matched(path, is_dir).is_ignore())
    }

    fn file(&mut self, name: &str, rel: &str, kind: &EntryType) {
        let is_regular = *kind == EntryType::File;
        let snapshot = self.snapshot;
        if key_files::is_key_file_with(name, is_regular, || snapshot.read(rel).ok()) {
            self.out.key_files.push(rel.to_owned());
            return;
        }
        if !self.options.keeps(name, rel) {
            return;
        }
        let target = match kind {
            EntryType::File => LinkTarget::File,
            EntryType::Link(_) => snapshot.link_leads_to(rel),
            EntryType::Submodule => LinkTarget::Folder,
        };
        match target {
            // A broken link stays in its set and gets its error when read,
            // as on disk.
            LinkTarget::File | LinkTarget::Broken => {
                self.out.candidates.push(Candidate::new(rel.to_owned()));
            }
            LinkTarget::Folder if match_with_patterns(name, &self.options.patterns).is_some() => {
                self.out.warnings.push(format!("{rel} is a folder, not a config file; skipped"));
            }
            LinkTarget::Folder | LinkTarget::Outside => {}
        }
    }
}

fn add_lines(builder: &mut GitignoreBuilder, text: &[u8]) {
    for line in String::from_utf8_lossy(text).lines() {
        // A bad line is skipped, as git skips it.
        let _ = builder.add_line(None, line);
    }
}

fn join(at: &str, name: &str) -> String {
    if at.is_empty() { name.to_owned() } else { format!("{at}/{name}") }
}
