//! `y` and `Y`: the focused cell's value or the focused key's path to the
//! clipboard (the edge writes OSC 52, which works over ssh and tmux). A
//! hidden secret is refused until `v` reveals it; the status line names what
//! was copied, never the text of a secret.

use super::App;
use crate::core::leaf::ValueType;
use crate::core::secret::SecretText;
use crate::tui::effect::Effect;

impl App {
    pub(super) fn copy_value(&mut self) -> Vec<Effect> {
        let Some((key, row)) = self.focused_key() else {
            self.message = Some("y copies a value: this row only holds other keys".into());
            return Vec::new();
        };
        let env = self.view().map_or(0, |v| v.env);
        let env_name = self.env_name(env);
        let Some(cell) = row.cells.get(env).and_then(Option::as_ref) else {
            self.message =
                Some(format!("`{}` has no value in {env_name}: nothing to copy", row.key));
            return Vec::new();
        };
        let text = match &cell.secret {
            Some(_) if !self.is_revealed(key, env) => {
                self.message = Some(format!(
                    "`{}` in {env_name} is a secret: reveal it with v to copy it",
                    row.key
                ));
                return Vec::new();
            }
            Some(secret) => secret.clone(),
            None => SecretText::new(raw_text(&cell.text, cell.value_type)),
        };
        let what = if cell.secret.is_some() { "the secret value" } else { "the value" };
        self.message = Some(format!("copied {what} of `{}` ({env_name})", row.key));
        vec![Effect::Copy(text)]
    }

    pub(super) fn copy_key(&mut self) -> Vec<Effect> {
        let Some(path) = self.focused_path() else { return Vec::new() };
        self.message = Some(format!("copied the key path `{path}`"));
        vec![Effect::Copy(SecretText::new(path))]
    }

    /// The key path of the focused row: its key, or for a parent row the
    /// path its labels spell.
    pub(super) fn focused_path(&self) -> Option<String> {
        if let Some((_, row)) = self.focused_key() {
            return Some(row.key.clone());
        }
        let (at, _) = self.focused_node()?;
        let set = self.current_set()?;
        let tree = &set.tree;
        let mut labels = Vec::new();
        let mut depth = tree.get(at)?.depth + 1;
        for node in tree.get(..=at)?.iter().rev() {
            if node.depth < depth {
                labels.push(set.label(node));
                depth = node.depth;
            }
        }
        let mut path = String::new();
        for label in labels.iter().rev() {
            if !path.is_empty() && !label.starts_with('[') {
                path.push('.');
            }
            path.push_str(label);
        }
        Some(path)
    }

    pub(super) fn env_name(&self, env: usize) -> String {
        self.current_set()
            .and_then(|s| s.envs.get(env))
            .map_or_else(String::new, |e| e.name.clone())
    }
}

/// A value's text as written, not as the table shows it: a string that
/// would read as another type is shown quoted (`"8080"`) but copied bare.
pub(super) fn raw_text(shown: &str, value_type: ValueType) -> String {
    if value_type == ValueType::String
        && shown.starts_with('"')
        && let Ok(bare) = serde_json::from_str::<String>(shown)
    {
        return bare;
    }
    shown.to_owned()
}
