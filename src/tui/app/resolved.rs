//! What the focused key's references resolve to (§14: the detail pane
//! always resolves): per env, the resolved value masked as a secret when
//! the key or a variable it reached is one (revealed with the cell), and
//! where it came from.

use super::App;
use crate::core::references::Resolver;

/// One env's resolved reference, ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedLine {
    /// Masked unless the cell is revealed; None when it does not resolve.
    pub value: Option<String>,
    /// `file:line`, `default` or `environment`.
    pub from: Option<String>,
    /// The variables nothing sets, for an unresolved one.
    pub missing: Vec<String>,
}

impl App {
    /// The resolution of `key` in the shown env column `env`, when its
    /// value there holds a reference.
    pub fn resolved(&self, key: &str, env: usize) -> Option<ResolvedLine> {
        let project = self.model.project.as_ref()?;
        let set = project.sets.get(self.set)?;
        let shown = self.current_set()?;
        if set.name != shown.name {
            return None;
        }
        let column = shown.envs.get(env)?;
        let at = set.envs.iter().position(|f| f.file.env == column.name)?;
        let file = set.envs.get(at).filter(|f| !f.is_source() && f.error.is_none())?;
        let id = set.key(key)?;
        let effective = set.effective(&[at]);
        let leaf = effective.first()?.iter().find(|e| e.leaf.key == id)?.leaf;
        let resolution =
            Resolver::new(project).resolve(set, &file.file.env, &file.file.rel_path, leaf)?;
        let index = self.focused_key().map_or(0, |(i, _)| i);
        let revealed = self.is_revealed(index, env);
        Some(ResolvedLine {
            value: resolution.shown(set.key_rules(key), revealed),
            from: resolution.from.as_ref().map(crate::core::references::From::label),
            missing: resolution
                .missing()
                .flat_map(crate::core::references::Variable::root_names)
                .collect(),
        })
    }
}
