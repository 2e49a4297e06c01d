//! The detail pane of the focused key: the full key, its documentation
//! (schema facts or comment), every env's value with type and `file:line`,
//! and the schema violations that concern it. Narrow: the documentation
//! and the focused cell only.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget};

use super::text::{clean, fit};
use crate::core::docs::KeyDoc;
use crate::core::leaf::Origin;
use crate::tui::app::App;
use crate::tui::app::model::{KeyRow, SetModel, Was};
use crate::tui::theme::Slot;

pub struct Detail<'a> {
    pub app: &'a App,
    pub set: &'a SetModel,
}

impl Widget for Detail<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let theme = &app.theme;
        let focused = app.focused_key();
        let title = match (&focused, app.focused_node()) {
            (Some((_, row)), _) => row.key.clone(),
            (None, Some((_, node))) => format!("{} ({} keys)", self.set.label(node), node.leaves),
            _ => String::new(),
        };
        let block = Block::bordered()
            .border_style(theme.border(false))
            .title(Line::styled(format!(" {} ", clean(&title)), theme.title()));
        let inner = block.inner(area);
        block.render(area, buf);
        let mut lines = Vec::new();
        if let (None, Some((at, node))) = (&focused, app.focused_node()) {
            let fold = if app.view().and_then(|v| v.folded.get(at)).copied().unwrap_or(false) {
                "folded"
            } else {
                "open"
            };
            lines.push(Line::styled(
                format!(
                    "{} keys below, {} not the same everywhere ({fold}; Space folds and unfolds)",
                    node.leaves, node.drift
                ),
                theme.hint(),
            ));
        }
        let inner = Rect { x: inner.x + 1, width: inner.width.saturating_sub(2), ..inner };
        if let Some((_, row)) = &focused {
            let doc = self.doc(row);
            lines.push(self.doc_line(&doc, usize::from(inner.width)));
            lines.extend(self.notes(row));
            lines.extend(self.order_note(row));
            if app.areas().narrow {
                lines.extend(app.view().and_then(|v| self.cell_line(row, v.env)));
            } else {
                let room = usize::from(inner.height).saturating_sub(lines.len());
                let envs = self.set.envs.len();
                // Every env is listed: in two columns when one is too short.
                let columns = if envs > room && room > 0 { 2 } else { 1 };
                let width = usize::from(inner.width) / columns;
                let widths = self.widths(row, width);
                let env_lines: Vec<Line<'static>> =
                    (0..envs).filter_map(|e| self.env_line(row, e, widths)).collect();
                lines.extend(in_columns(env_lines, columns, width));
                lines.extend(self.violations(row));
            }
        }
        let shown = lines.len();
        if shown < usize::from(inner.height) {
            for error in self.set.errors.iter().take(usize::from(inner.height) - shown) {
                lines.push(Line::styled(format!("⚠ {}", clean(error)), theme.fg(Slot::Error)));
            }
        }
        Paragraph::new(lines).render(inner, buf);
    }
}

/// Env lines side by side, `columns` of them `width` wide.
fn in_columns(lines: Vec<Line<'static>>, columns: usize, width: usize) -> Vec<Line<'static>> {
    if columns < 2 {
        return lines;
    }
    let per_column = lines.len().div_ceil(columns);
    let mut rows: Vec<Line<'static>> = Vec::with_capacity(per_column);
    for (i, line) in lines.into_iter().enumerate() {
        let row = i % per_column;
        if row == rows.len() {
            rows.push(Line::default());
        }
        let target = &mut rows[row];
        let used: usize = target.spans.iter().map(Span::width).sum();
        if used > 0 {
            target
                .spans
                .push(Span::raw(" ".repeat((width * (i / per_column)).saturating_sub(used))));
        }
        let mut room = width.saturating_sub(1);
        for span in line.spans {
            let text = fit(&span.content, room);
            room = room.saturating_sub(unicode_width::UnicodeWidthStr::width(text.as_str()));
            target.spans.push(Span::styled(text, span.style));
        }
    }
    rows
}

impl Detail<'_> {
    /// Widths of the env name and value columns in a line `width` wide:
    /// the value gets what the name, type, place and a note leave.
    fn widths(&self, row: &KeyRow, width: usize) -> (usize, usize) {
        let name_w = self.set.envs.iter().map(|e| e.name.len()).max().unwrap_or(0);
        let place_w = self
            .set
            .envs
            .iter()
            .map(|e| e.rel_path.len())
            .chain(self.set.layer_files.iter().map(String::len))
            .max()
            .unwrap_or(0)
            + 6;
        let longest = (0..self.set.envs.len())
            .map(|e| unicode_width::UnicodeWidthStr::width(self.value_text(row, e).as_str()))
            .max()
            .unwrap_or(0);
        let room = width.saturating_sub(name_w + 2 + 9 + place_w + 2 + 18).max(20);
        (name_w, longest.min(room))
    }

    /// What `check` found about the key, rule first.
    fn notes(&self, row: &KeyRow) -> Vec<Line<'static>> {
        use crate::core::check::Severity;
        self.app
            .notes_of(&row.key)
            .iter()
            .map(|note| {
                let (mark, slot) = match note.severity {
                    Severity::Error => ("✗", Slot::Error),
                    Severity::Warning => ("!", Slot::Differs),
                };
                Line::from(vec![
                    Span::styled(
                        format!("{mark} {} ({}) ", note.rule, note.envs),
                        self.app.theme.fg(slot).add_modifier(Modifier::BOLD),
                    ),
                    Span::raw(clean(&note.message).into_owned()),
                ])
            })
            .collect()
    }

    /// Lists by identity (§12): their order is no difference, but that
    /// the envs list the items in another order is worth knowing.
    fn order_note(&self, row: &KeyRow) -> Option<Line<'static>> {
        let project = self.app.model.project.as_ref()?;
        let set = project.sets.get(self.app.set).filter(|s| s.name == self.set.name)?;
        let list = set.lists.reordered_above(&row.key)?;
        Some(Line::styled(
            format!(
                "the items of {} are in another order in some env (order is not a difference)",
                clean(list)
            ),
            self.app.theme.hint(),
        ))
    }

    fn doc(&self, row: &KeyRow) -> KeyDoc {
        self.app.key_doc(self.focused_index(), row)
    }

    /// The row index of the focused key.
    fn focused_index(&self) -> u32 {
        self.app.focused_node().and_then(|(_, node)| node.key).unwrap_or(0)
    }

    /// The description, then the schema facts in the hint colour.
    fn doc_line(&self, doc: &KeyDoc, width: usize) -> Line<'static> {
        let theme = &self.app.theme;
        let text = match (&doc.title, &doc.description) {
            (Some(t), Some(d)) => format!("{t} — {d}"),
            (Some(t), None) => t.clone(),
            (None, Some(d)) => d.clone(),
            (None, None) => String::new(),
        };
        let facts = facts(doc);
        let mut spans = Vec::new();
        if text.is_empty() && facts.is_empty() {
            spans.push(Span::styled(
                "no documentation: no schema entry or comment above the key",
                theme.hint(),
            ));
        } else {
            let room = width.saturating_sub(facts.chars().count() + 3).max(width / 2);
            spans.push(Span::raw(fit(&text, room)));
            if !facts.is_empty() {
                spans.push(Span::styled(format!("   {facts}"), theme.hint()));
            }
        }
        Line::from(spans)
    }

    /// `dev      0.001   float   config_dev.yaml:27   ↑ inherited`
    /// The value of `env` as the pane shows it: revealed only if the cell is.
    fn value_text(&self, row: &KeyRow, env: usize) -> String {
        let Some(Some(cell)) = row.cells.get(env) else { return String::new() };
        let index = self.focused_index();
        let text = match &cell.secret {
            Some(secret) if self.app.is_revealed(index, env) => clean(secret.expose()).into_owned(),
            _ => clean(&cell.text).into_owned(),
        };
        // §14: a reference is shown with what it resolves to, masked as a
        // secret when the key or the variable is one (under `--resolve`
        // the cell's text says it already).
        if self.app.options.resolve {
            return text;
        }
        match self.app.resolved_at(self.focused_index(), env) {
            Some(resolved) => match resolved.value {
                Some(value) => format!("{text} → {}", clean(&value)),
                None => format!("{text} → (unresolved)"),
            },
            None => text,
        }
    }

    /// Where the env's reference resolved from, or what nothing sets.
    fn resolved_note(&self, env: usize) -> Option<String> {
        let resolved = self.app.resolved_at(self.focused_index(), env)?;
        Some(match (&resolved.value, &resolved.from) {
            (Some(_), Some(from)) => format!("resolved from {from}"),
            (Some(_), None) => "resolved".to_owned(),
            (None, _) => format!("nothing sets {}", resolved.missing.join(", ")),
        })
    }

    fn env_line(
        &self,
        row: &KeyRow,
        env: usize,
        (name_w, value_w): (usize, usize),
    ) -> Option<Line<'static>> {
        let theme = &self.app.theme;
        let column = self.set.envs.get(env)?;
        let name = format!("{:<name_w$}  ", column.name);
        let since = self.since_note(env);
        let Some(cell) = row.cells.get(env)?.as_ref() else {
            let why = if column.broken { "— (the file did not load)" } else { "— missing" };
            let mut spans = vec![
                Span::styled(name, Modifier::BOLD),
                Span::styled(why, theme.fg(Slot::Missing)),
            ];
            spans.extend(since.map(|note| Span::styled(format!("  {note}"), theme.hint())));
            return Some(Line::from(spans));
        };
        let revealed = self.app.is_revealed(self.focused_index(), env);
        let value = fit(&self.value_text(row, env), value_w);
        let layer = self.set.layer_file(cell);
        let file = layer.unwrap_or(column.rel_path.as_str());
        let resolved = self.resolved_note(env);
        let mut notes: Vec<&str> = resolved.iter().map(String::as_str).collect();
        if cell.inherited {
            notes.push(if self.set.base_file.as_deref() == layer {
                "↑ inherited from the base file"
            } else {
                "↑ from this layer"
            });
        }
        match cell.origin {
            Origin::Alias => notes.push("through a YAML alias"),
            Origin::Merge => notes.push("through a YAML merge (<<)"),
            Origin::Store => notes.push("from a store (read-only)"),
            Origin::StoreSecret => notes.push("from a store that keeps it secret (read-only)"),
            Origin::ListItem => notes.push("a NAME=value list item"),
            Origin::Base64 => notes.push("base64 in the file (written back encoded)"),
            Origin::Embedded => notes.push("inside a file-like value (edit that value by hand)"),
            Origin::Direct => {}
        }
        if cell.secret.is_some() {
            notes.push(if revealed { "secret, revealed" } else { "secret (v reveals)" });
        }
        if let Some(note) = &since {
            notes.push(note);
        }
        let marks = &self.app.live.marks;
        if column.stale.is_some() {
            notes.push("stale: the file no longer parses");
        } else if marks.changed_since_open(&self.set.name, &row.key, &column.name) {
            notes.push("changed on disk since you opened");
        }
        let value_style = if cell.secret.is_some() { theme.fg(Slot::Secret) } else { Style::new() };
        Some(Line::from(vec![
            Span::styled(name, Modifier::BOLD),
            Span::styled(format!("{value:<value_w$}  "), value_style),
            Span::styled(format!("{:<8} ", cell.value_type.as_str()), theme.hint()),
            Span::raw(place(file, cell.line, cell.origin)),
            Span::styled(notes.join(" · "), theme.hint()),
        ]))
    }

    /// `--since REV`: what the focused key's cell in `env` was at REV, when
    /// it changed since (`Δ was 8 at HEAD~1`); masked as today's cell is,
    /// shown in clear only while that cell is revealed.
    fn since_note(&self, env: usize) -> Option<String> {
        let marks = self.set.since.as_ref()?;
        let was = marks.was(self.focused_index(), env)?;
        let rev = &marks.rev;
        Some(match was {
            Was::Absent => format!("Δ new since {rev}"),
            Was::Value(old) => {
                let text = match &old.secret {
                    Some(secret) if self.app.is_revealed(self.focused_index(), env) => {
                        clean(secret.expose()).into_owned()
                    }
                    _ => clean(&old.text).into_owned(),
                };
                format!("Δ was {} at {rev}", fit(&text, 40))
            }
        })
    }

    /// The narrow pane's one line: `prod · config_prod.yaml:29 · float · 3e-4`.
    fn cell_line(&self, row: &KeyRow, env: usize) -> Option<Line<'static>> {
        let theme = &self.app.theme;
        let column = self.set.envs.get(env)?;
        let mut spans = vec![Span::styled(format!("{}  ", column.name), Modifier::BOLD)];
        match row.cells.get(env)?.as_ref() {
            None => spans.push(Span::styled("— missing", theme.fg(Slot::Missing))),
            Some(cell) => {
                let file = match self.set.layer_file(cell) {
                    Some(layer) => format!("↑ {layer}"),
                    None if cell.inherited => "↑ base".to_owned(),
                    None => column.rel_path.clone(),
                };
                spans.push(Span::raw(place(&file, cell.line, cell.origin)));
                spans.push(Span::styled(format!("{}  ", cell.value_type.as_str()), theme.hint()));
                spans.push(Span::raw(self.value_text(row, env)));
            }
        }
        spans.extend(
            self.since_note(env).map(|note| Span::styled(format!("  {note}"), theme.hint())),
        );
        Some(Line::from(spans))
    }

    /// Schema violations at this key or at one of its parents.
    fn violations(&self, row: &KeyRow) -> Vec<Line<'static>> {
        let concerns = |key: &str| {
            key == row.key
                || key.is_empty()
                || row.key.strip_prefix(key).is_some_and(|rest| rest.starts_with(['.', '[']))
        };
        self.set
            .violations
            .iter()
            .filter(|(_, key, _)| concerns(key))
            .map(|(env, key, message)| {
                let env = self.set.envs.get(*env).map_or("", |e| e.name.as_str());
                let at = if key == &row.key {
                    String::new()
                } else {
                    format!(" at {}", if key.is_empty() { "the document" } else { key })
                };
                Line::styled(
                    format!("✗ {env}{at}: {}", clean(message)),
                    self.app.theme.fg(Slot::Error),
                )
            })
            .collect()
    }
}

/// `type integer · minimum 1 · maximum 64 · default 4`.
fn facts(doc: &KeyDoc) -> String {
    let mut facts = Vec::new();
    let json = |v: &serde_json::Value| v.to_string();
    if let Some(t) = &doc.schema_type {
        facts.push(format!("type {t}"));
    }
    if !doc.allowed.is_empty() {
        facts.push(format!(
            "one of {}",
            doc.allowed.iter().map(json).collect::<Vec<_>>().join(", ")
        ));
    }
    if let Some(v) = &doc.minimum {
        facts.push(format!("minimum {}", json(v)));
    }
    if let Some(v) = &doc.maximum {
        facts.push(format!("maximum {}", json(v)));
    }
    if let Some(v) = &doc.default {
        facts.push(format!("default {}", json(v)));
    }
    if let Some(p) = &doc.pattern {
        facts.push(format!("pattern {p}"));
    }
    if let Some(f) = &doc.format {
        facts.push(format!("format {f}"));
    }
    if !doc.examples.is_empty() {
        facts
            .push(format!("e.g. {}", doc.examples.iter().map(json).collect::<Vec<_>>().join(", ")));
    }
    if doc.deprecated {
        facts.push("deprecated".into());
    }
    facts.join(" · ")
}

/// `file:line` of a value, or what a store column reads (no line).
fn place(file: &str, line: u32, origin: Origin) -> String {
    if origin.is_store() { format!("{file}  ") } else { format!("{file}:{line}  ") }
}
