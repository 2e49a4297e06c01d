//! What the focused key's references resolve to (§14: the detail pane
//! always resolves): per env, the resolved value masked as a secret when
//! the key or a variable it reached is one (revealed with the cell), and
//! where it came from.

use super::App;
use super::model::KeyRow;
use crate::core::leaf::Value;
use crate::core::references::Resolver;
use crate::core::secret::SecretText;

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
        let row = self.current_set()?.keys.position(key)?;
        self.resolved_at(u32::try_from(row).ok()?, env)
    }

    /// `resolved` for row `row` of the shown set: its leaf is read through
    /// the row's cells, so no env's keys are gone through to find it (the
    /// detail pane asks on every frame).
    pub fn resolved_at(&self, row: u32, env: usize) -> Option<ResolvedLine> {
        let project = self.model.project.as_ref()?;
        let set = self.loaded_set()?;
        let shown = self.current_set()?;
        let column = shown.envs.get(env)?;
        let file = set.envs.iter().find(|f| f.file.env == column.name)?;
        if file.is_source() || file.error.is_some() {
            return None;
        }
        let cells = shown.keys.cells(row as usize, set)?;
        let leaf = cells.get(env)?.as_ref()?.leaf;
        let resolution =
            Resolver::new(project).resolve(set, &file.file.env, &file.file.rel_path, leaf)?;
        let key = shown.keys.key(row as usize)?;
        let revealed = self.is_revealed(row, env);
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

/// A cell's text under `--resolve` (§14): its value as the table shows it
/// (`shown`), then what it resolves to, masked as a secret (`masked`), or
/// that it does not resolve.
pub(crate) fn cell_text(shown: &str, masked: Option<&str>) -> String {
    format!("{shown} → {}", masked.unwrap_or("(unresolved)"))
}

impl App {
    /// With `--resolve` (§14): each cell of row `key` that holds a
    /// reference shows what it resolves to (`${X} → value`, masked as a
    /// secret when the key or a variable it reached is one, revealed with
    /// the cell), and the cells' classes follow the resolved values, as
    /// the row's status does.
    pub(super) fn resolve_cells(&self, key: u32, row: &mut KeyRow) {
        let (Some(project), Some(loaded), Some(shown)) =
            (self.model.project.as_ref(), self.loaded_set(), self.current_set())
        else {
            return;
        };
        let Some(cells) = shown.keys.cells(key as usize, loaded) else { return };
        let resolver = Resolver::new(project);
        let rules = loaded.key_rules(&row.key);
        let mut compared: Vec<Option<Value>> = Vec::with_capacity(cells.len());
        for ((cell, model), column) in cells.iter().zip(&mut row.cells).zip(&shown.envs) {
            let (Some(cell), Some(model)) = (cell, model.as_mut()) else {
                compared.push(None);
                continue;
            };
            let file = loaded
                .envs
                .iter()
                .find(|f| f.file.env == column.name && !f.is_source() && f.error.is_none());
            let resolution = file
                .and_then(|f| resolver.resolve(loaded, &f.file.env, &f.file.rel_path, cell.leaf));
            let Some(resolution) = resolution else {
                compared.push(Some(cell.leaf.value.clone()));
                continue;
            };
            let masked = resolution.shown(rules, false);
            let plain = resolution.shown(rules, true);
            let written = model.secret.as_ref().map_or(model.text.as_str(), |s| s.expose());
            let unresolved = "(unresolved)";
            if model.secret.is_some() || masked != plain {
                let text = format!("{written} → {}", plain.as_deref().unwrap_or(unresolved));
                model.secret = Some(SecretText::new(text));
            }
            model.text = cell_text(&model.text, masked.as_deref());
            compared.push(Some(match resolution.value {
                Some(text) => Value::String(text.as_str().into()),
                None => cell.leaf.value.clone(),
            }));
        }
        let mut seen: Vec<&Value> = Vec::new();
        for (model, value) in row.cells.iter_mut().zip(&compared) {
            let (Some(model), Some(value)) = (model.as_mut(), value.as_ref()) else { continue };
            let class = seen.iter().position(|v| v.same_as(value)).unwrap_or_else(|| {
                seen.push(value);
                seen.len() - 1
            });
            model.class = u16::try_from(class).unwrap_or(u16::MAX);
        }
    }
}
