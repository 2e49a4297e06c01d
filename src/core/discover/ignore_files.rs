//! The ignore files a walk reads, made safe to read. The `ignore` crate
//! opens each folder's `.gitignore` and `.ignore` (and a repository's
//! `.git/info/exclude`) as it descends, and opening a FIFO waits for a
//! writer: a scan that never ends. Such a file is found first, with a stat.

use std::path::{Path, PathBuf};

/// The ignore files the walk reads in every folder.
const NAMES: &[&str] = &[".gitignore", ".ignore"];

/// An ignore file of `dir` that is there but is no regular file: a FIFO,
/// a socket or a device (links are followed, as opening does). Two stats
/// per folder: a repository's `.git/info/exclude` is looked at only in the
/// folders a project sits in (`unreadable_above`), where repositories are.
pub(super) fn unreadable_in(dir: &Path) -> Option<PathBuf> {
    NAMES.iter().map(|name| dir.join(name)).find(|path| is_special(path))
}

/// `unreadable_in` for the root and every folder above it: the walk reads
/// the ignore files of the folders a project sits in too.
pub(super) fn unreadable_above(root: &Path) -> Option<PathBuf> {
    let root = std::path::absolute(root).ok()?;
    root.ancestors().find_map(|dir| {
        unreadable_in(dir).or_else(|| Some(dir.join(".git/info/exclude")).filter(|p| is_special(p)))
    })
}

fn is_special(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        std::fs::metadata(path).is_ok_and(|m| {
            let kind = m.file_type();
            kind.is_fifo() || kind.is_socket() || kind.is_char_device() || kind.is_block_device()
        })
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

/// Whether a global gitignore may apply. The `ignore` crate looks for it by
/// reading git's config files with a regex it compiles on every run, a
/// tenth of the time a small project takes; when no config file mentions
/// `excludesFile` and git's default global ignore file is absent, there is
/// none to find. A config file that is no regular file turns it off too:
/// the crate would block opening it.
pub(super) fn global_gitignore_possible() -> bool {
    let var = |name| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    let home = var("HOME");
    let xdg = var("XDG_CONFIG_HOME").or_else(|| home.as_ref().map(|h| h.join(".config")));
    let configs = [
        var("GIT_CONFIG_GLOBAL"),
        home.map(|h| h.join(".gitconfig")),
        xdg.as_ref().map(|x| x.join("git/config")),
        var("GIT_CONFIG_SYSTEM").or_else(|| Some(PathBuf::from("/etc/gitconfig"))),
    ];
    let configs: Vec<PathBuf> = configs.into_iter().flatten().collect();
    let default_file = xdg.map(|x| x.join("git/ignore"));
    if configs.iter().chain(&default_file).any(|path| is_special(path)) {
        return false;
    }
    let names_excludes = |path: &PathBuf| {
        std::fs::read(path)
            .is_ok_and(|text| text.windows(12).any(|w| w.eq_ignore_ascii_case(b"excludesfile")))
    };
    configs.iter().any(names_excludes) || default_file.is_some_and(|path| path.exists())
}
