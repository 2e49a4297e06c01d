//! Where a project file sits in its git repository, for the reports CI
//! uploads (§15): GitHub and GitLab match a finding to a file by its path
//! from the top of the repository, whatever folder envlens was run in.

use std::path::{Path, PathBuf};

use super::check::from_here;

/// Turns project-relative paths into repository-relative ones.
#[derive(Debug, Clone)]
pub struct RepoPaths {
    /// The project root's path inside the repository (`""` at the top,
    /// else ending in `/`); None outside a repository.
    prefix: Option<String>,
    root: PathBuf,
}

impl RepoPaths {
    /// Looks for the repository that holds `root` (a folder or file named
    /// `.git` in it or above it), following symbolic links first so that the
    /// path is the one git knows.
    pub fn new(root: &Path) -> Self {
        let prefix = std::fs::canonicalize(root).ok().and_then(|real| {
            let top = real.ancestors().find(|dir| dir.join(".git").exists())?;
            let inside = real.strip_prefix(top).ok()?;
            let mut prefix = inside.to_string_lossy().replace('\\', "/");
            if !prefix.is_empty() {
                prefix.push('/');
            }
            Some(prefix)
        });
        Self { prefix, root: root.to_path_buf() }
    }

    /// `rel` (relative to the project root, with `/`) from the top of the
    /// repository; outside one, as reached from the current folder.
    pub fn of(&self, rel: &str) -> String {
        match &self.prefix {
            Some(prefix) => format!("{prefix}{rel}"),
            None => from_here(&self.root, rel),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_the_top_of_the_repository() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("deploy/api");
        std::fs::create_dir_all(&project).unwrap();
        let outside = RepoPaths::new(&project);
        assert_eq!(outside.of("config_dev.yaml"), from_here(&project, "config_dev.yaml"));
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        let inside = RepoPaths::new(&project);
        assert_eq!(inside.of("config_dev.yaml"), "deploy/api/config_dev.yaml");
        assert_eq!(RepoPaths::new(dir.path()).of("a/b.yaml"), "a/b.yaml");
    }
}
