//! The owned table model the view draws from, built once per load on the
//! worker thread: rows with display text already masked, the tree of parent
//! keys in pre-order with the worst status of each subtree, and the schema
//! violations of every env. Nothing here borrows the `Project`.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::core::diff::{Row, Rows, Status};
use crate::core::docs;
use crate::core::flatten;
use crate::core::key_path::prefix_ends;
use crate::core::leaf::{Origin, ValueType};
use crate::core::project::{LoadedSet, Project};
use crate::core::report;
use crate::core::secret::SecretText;
use crate::core::validate;

/// A whole project, ready to draw.
#[derive(Debug, Clone, Default)]
pub struct ProjectModel {
    /// The loaded project, for the detail pane's documentation; its sets
    /// line up with `sets`.
    pub project: Option<Arc<Project>>,
    pub sets: Vec<SetModel>,
    /// Config files read (env and base files).
    pub files: usize,
    /// Walk problems that did not stop the walk.
    pub warnings: Vec<String>,
}

/// One env column of a set.
#[derive(Debug, Clone)]
pub struct EnvColumn {
    pub name: String,
    pub rel_path: String,
    /// The file did not load: its keys read as missing.
    pub broken: bool,
    /// The file stopped parsing after it was loaded (live reload): its
    /// last good values are shown, and this is why they are stale.
    pub stale: Option<String>,
    /// For a source's column (§13), its state for the header:
    /// `loading…`, `12 keys` or `error`.
    pub source: Option<String>,
}

/// One config set over the envs shown.
#[derive(Debug, Clone)]
pub struct SetModel {
    pub name: String,
    pub envs: Vec<EnvColumn>,
    pub base_file: Option<String>,
    /// The layers other than env files (base layers, then local layers),
    /// that `CellModel::layer` points into.
    pub layer_files: Vec<String>,
    /// The layout that made the set (§10: `helm`, `dotenv`, `builtin`, …).
    pub layout: &'static str,
    pub keys: Vec<KeyRow>,
    /// Parent and key rows in display (pre-)order.
    pub tree: Vec<TreeNode>,
    /// Keys by status: same, differs, type changed, missing.
    pub counts: [usize; 4],
    /// File errors and set problems, located, for the detail pane.
    pub errors: Vec<String>,
    /// Schema violations: env column, key (`""` for the document), message.
    pub violations: Vec<(usize, String, String)>,
    /// The widest key cell: indentation, fold marker and label.
    pub key_width: usize,
}

impl SetModel {
    /// The file an inherited cell's value comes from (its layer), else
    /// None.
    pub fn layer_file(&self, cell: &CellModel) -> Option<&str> {
        if !cell.inherited {
            return None;
        }
        match cell.layer {
            Some(at) => self.layer_files.get(usize::from(at)).map(String::as_str),
            None => self.base_file.as_deref(),
        }
    }

    /// Keys that are not `same`.
    pub fn drift(&self) -> usize {
        self.counts[1] + self.counts[2] + self.counts[3]
    }
}

/// One key across the envs shown.
#[derive(Debug, Clone)]
pub struct KeyRow {
    pub key: String,
    pub status: Status,
    pub cells: Vec<Option<CellModel>>,
    /// Documentation text the filter searches.
    pub doc: Option<String>,
}

/// A key's value in one env.
#[derive(Debug, Clone)]
pub struct CellModel {
    /// The text shown, secrets masked.
    pub text: String,
    /// The unmasked text of a masked cell, shown only once revealed.
    pub secret: Option<SecretText>,
    pub value_type: ValueType,
    /// Cells of a row with one class hold equal values.
    pub class: u16,
    /// The value comes from another layer than the env's own file.
    pub inherited: bool,
    /// Which layer an inherited value comes from (index into the set's
    /// `layer_files`).
    pub layer: Option<u16>,
    pub line: u32,
    pub origin: Origin,
}

/// A row of the tree: a parent key (`database`) or a key, or both.
#[derive(Debug, Clone)]
pub struct TreeNode {
    /// The last segment of the path (`port`, `[0]`, `"app.name"`).
    pub label: String,
    pub depth: u16,
    /// Index just past this node's subtree.
    pub end: u32,
    /// The key this node shows, if it holds a value.
    pub key: Option<u32>,
    /// The worst status in the subtree (for a folded parent).
    pub worst: Status,
    /// Keys in the subtree, and how many of them are not `same`.
    pub leaves: u32,
    pub drift: u32,
}

impl TreeNode {
    pub fn is_parent(&self, at: usize) -> bool {
        self.end as usize > at + 1
    }
}

/// Builds the model of every set, keeping only the envs named in `envs`
/// (all when empty).
/// A source column's state as its header says it.
fn source_note(state: &crate::core::sources::SourceState) -> String {
    use crate::core::sources::SourceState;
    match state {
        SourceState::Loading => "loading…".to_owned(),
        SourceState::Loaded(1) => "1 key".to_owned(),
        SourceState::Loaded(n) => format!("{n} keys"),
        SourceState::Failed => "error".to_owned(),
    }
}

pub fn build(project: Arc<Project>, envs: &[String]) -> ProjectModel {
    let sets: Vec<SetModel> = project.sets.iter().map(|set| build_set(set, envs)).collect();
    let files = project.sets.iter().map(|s| s.envs.len() + usize::from(s.base.is_some())).sum();
    let warnings = project.warnings.clone();
    ProjectModel { project: Some(project), sets, files, warnings }
}

/// The model of one set (a live reload rebuilds only the sets it changed).
pub(crate) fn build_set(set: &LoadedSet, wanted: &[String]) -> SetModel {
    let indices: Vec<usize> = (0..set.envs.len())
        .filter(|&i| wanted.is_empty() || wanted.contains(&set.envs[i].file.env))
        .collect();
    let envs = indices
        .iter()
        .map(|&i| EnvColumn {
            name: set.envs[i].file.env.clone(),
            rel_path: set.envs[i].file.rel_path.clone(),
            broken: set.envs[i].error.is_some(),
            stale: set.envs[i].stale.as_ref().map(ToString::to_string),
            source: set.envs[i].source.as_ref().map(|s| source_note(&s.state)),
        })
        .collect();
    let rows = set.rows(&indices);
    let keys = key_rows(set, &rows);
    let mut counts = [0; 4];
    for key in &keys {
        counts[key.status as usize] += 1;
    }
    let mut errors: Vec<String> = set.file_errors().map(|(_, e)| e.to_string()).collect();
    errors.extend(set.stale_files().map(|(_, e)| format!("{e} (last good values shown, stale)")));
    errors.extend(set.problems.iter().map(|p| format!("{}: {}", p.rel_path, p.message)));
    let tree = tree(&keys);
    let key_width = tree
        .iter()
        .map(|n| {
            usize::from(n.depth) * 2 + 2 + unicode_width::UnicodeWidthStr::width(n.label.as_str())
        })
        .max()
        .unwrap_or(0);
    SetModel {
        name: set.name.clone(),
        envs,
        base_file: set.base.as_ref().map(|b| b.file.rel_path.clone()),
        layer_files: layer_files(set).map(|f| f.file.rel_path.clone()).collect(),
        layout: set.layout,
        tree,
        key_width,
        keys,
        counts,
        errors,
        violations: violations(set, &indices),
    }
}

/// Rows from this many keys on are modelled on every core, in chunks.
const PARALLEL_KEYS: usize = 50_000;

/// The model of every row, in order.
fn key_rows(set: &LoadedSet, rows: &Rows<'_>) -> Vec<KeyRow> {
    if rows.len() < PARALLEL_KEYS {
        return rows.iter().map(|row| key_row(set, &row)).collect();
    }
    let chunks: Vec<std::ops::Range<usize>> = (0..rows.len())
        .step_by(PARALLEL_KEYS)
        .map(|start| start..(start + PARALLEL_KEYS).min(rows.len()))
        .collect();
    let done = crate::core::parallel::map(&chunks, true, |range| {
        range.clone().filter_map(|i| rows.get(i)).map(|row| key_row(set, &row)).collect::<Vec<_>>()
    });
    done.into_iter().flatten().collect()
}

/// The files a value can be inherited from, in `layer_files` order.
fn layer_files(set: &LoadedSet) -> impl Iterator<Item = &crate::core::project::LoadedFile> {
    set.base_layers().chain(&set.locals)
}

/// Which of the set's layers holds an inherited value.
fn layer_of(set: &LoadedSet, leaf: &crate::core::leaf::Leaf) -> Option<u16> {
    let at = layer_files(set).position(|f| crate::core::layers::holds(&f.leaves, leaf))?;
    u16::try_from(at).ok()
}

fn key_row(set: &LoadedSet, row: &Row<'_>) -> KeyRow {
    let mut seen: Vec<&crate::core::leaf::Value> = Vec::new();
    let rules = set.key_rules(row.key);
    let cells = row
        .cells
        .iter()
        .map(|cell| {
            let cell = cell.as_ref()?;
            let leaf = cell.leaf;
            let class = seen.iter().position(|v| v.same_as(&leaf.value)).unwrap_or_else(|| {
                seen.push(&leaf.value);
                seen.len() - 1
            });
            let shown = report::shown(rules, leaf, false);
            Some(CellModel {
                text: shown.text,
                secret: shown.hidden,
                value_type: leaf.value.value_type(),
                class: u16::try_from(class).unwrap_or(u16::MAX),
                inherited: cell.inherited,
                layer: if cell.inherited { layer_of(set, leaf) } else { None },
                line: leaf.position.line,
                origin: leaf.origin,
            })
        })
        .collect();
    KeyRow { key: row.key.to_owned(), status: row.status, cells, doc: doc_text(set, row) }
}

/// The schema's title and description, else the first comment of the key.
fn doc_text(set: &LoadedSet, row: &Row<'_>) -> Option<String> {
    let from_schema = set.schema.as_ref().and_then(|schema| {
        let node = docs::schema_node(&schema.document, row.key)?;
        let text: Vec<&str> = ["title", "description"]
            .iter()
            .filter_map(|f| node.get(f).and_then(serde_json::Value::as_str))
            .collect();
        (!text.is_empty()).then(|| text.join(" "))
    });
    from_schema.or_else(|| {
        row.cells.iter().flatten().find_map(|c| c.leaf.doc.as_deref().map(str::to_owned))
    })
}

/// Every shown env's effective document against the set's schema. A value
/// is masked in a message when it is a secret (§5).
fn violations(set: &LoadedSet, indices: &[usize]) -> Vec<(usize, String, String)> {
    let Some(Ok(schema)) = set.schema.as_ref().map(|s| &s.compiled) else { return Vec::new() };
    let mut out = Vec::new();
    for (column, effective) in set.effective(indices).iter().enumerate() {
        if set.envs.get(indices[column]).is_some_and(|f| f.error.is_some()) {
            continue;
        }
        let document = flatten::to_json(&set.keys, effective.iter().map(|e| e.leaf));
        let secret_at = |key: &str| validate::secret_at(set, effective, key);
        let found = schema.violations(&document, &secret_at);
        out.extend(found.into_iter().map(|v| (column, v.key, v.message)));
    }
    out
}

/// Scratch node while the tree is assembled.
struct Tmp {
    label: String,
    key: Option<u32>,
    children: Vec<usize>,
}

/// The tree of key paths: parents gather their children even when the
/// files list them apart, in the order each path first appears.
fn tree(keys: &[KeyRow]) -> Vec<TreeNode> {
    let mut nodes: Vec<Tmp> = Vec::new();
    let mut roots = Vec::new();
    let mut by_path: FxHashMap<&str, usize> =
        FxHashMap::with_capacity_and_hasher(keys.len(), rustc_hash::FxBuildHasher);
    // The previous key's nodes by level (where its prefix ends, the node):
    // a key under the same parents as the one before finds them without
    // hashing a prefix, which on a large file is most of them.
    let mut chain: Vec<(usize, usize)> = Vec::new();
    let mut previous = "";
    for (index, row) in keys.iter().enumerate() {
        let path = row.key.as_str();
        let mut parent: Option<usize> = None;
        let mut start = 0;
        let mut level = 0;
        let mut same = true;
        for end in prefix_ends(path).into_iter().chain([path.len()]) {
            same = same
                && chain.get(level).is_some_and(|&(e, _)| e == end)
                && previous.get(start..end) == path.get(start..end);
            let node = if same {
                chain[level].1
            } else {
                *by_path.entry(&path[..end]).or_insert_with(|| {
                    let label = path[start..end].trim_start_matches('.').to_owned();
                    nodes.push(Tmp { label, key: None, children: Vec::new() });
                    let id = nodes.len() - 1;
                    match parent {
                        Some(p) => nodes[p].children.push(id),
                        None => roots.push(id),
                    }
                    id
                })
            };
            chain.truncate(level);
            chain.push((end, node));
            parent = Some(node);
            start = end;
            level += 1;
        }
        chain.truncate(level);
        previous = path;
        if let Some(node) = parent {
            nodes[node].key = u32::try_from(index).ok();
        }
    }
    let mut out = Vec::with_capacity(nodes.len());
    for root in roots {
        emit(&nodes, root, 0, keys, &mut out);
    }
    out
}

/// Writes `id` and its subtree in pre-order, filling in the aggregates.
fn emit(nodes: &[Tmp], id: usize, depth: u16, keys: &[KeyRow], out: &mut Vec<TreeNode>) {
    let at = out.len();
    let own = nodes[id].key.and_then(|k| keys.get(k as usize)).map(|k| k.status);
    out.push(TreeNode {
        label: nodes[id].label.clone(),
        depth,
        end: 0,
        key: nodes[id].key,
        worst: own.unwrap_or(Status::Same),
        leaves: u32::from(own.is_some()),
        drift: u32::from(own.is_some_and(|s| s != Status::Same)),
    });
    for &child in &nodes[id].children {
        let child_at = out.len();
        emit(nodes, child, depth.saturating_add(1), keys, out);
        let (worst, leaves, drift) =
            (out[child_at].worst, out[child_at].leaves, out[child_at].drift);
        let node = &mut out[at];
        node.worst = node.worst.max(worst);
        node.leaves += leaves;
        node.drift += drift;
    }
    out[at].end = u32::try_from(out.len()).unwrap_or(u32::MAX);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(keys: &[(&str, Status)]) -> Vec<KeyRow> {
        keys.iter()
            .map(|&(key, status)| KeyRow {
                key: key.to_owned(),
                status,
                cells: Vec::new(),
                doc: None,
            })
            .collect()
    }

    /// (depth, label, key index, end) per node, in drawing order.
    fn shape(keys: &[KeyRow]) -> Vec<(u16, String, Option<u32>, u32)> {
        tree(keys).into_iter().map(|n| (n.depth, n.label, n.key, n.end)).collect()
    }

    #[test]
    fn rows_modelled_in_chunks_come_in_order() {
        use std::fmt::Write as _;
        let dir = tempfile::tempdir().unwrap();
        for (env, shift) in [("dev", 0), ("prod", 7)] {
            let mut text = String::new();
            for i in 0..(PARALLEL_KEYS + 1234) {
                let _ = writeln!(text, "k{i}: {}", (i + shift) % 10);
            }
            std::fs::write(dir.path().join(format!("config_{env}.yaml")), text).unwrap();
        }
        let options = crate::core::discover::DiscoverOptions::default();
        let project = crate::core::project::Project::load(dir.path(), &options);
        let set = &project.sets[0];
        let rows = set.rows(&[0, 1]);
        let chunked = key_rows(set, &rows);
        let serial: Vec<KeyRow> = rows.iter().map(|row| key_row(set, &row)).collect();
        assert!(chunked.len() > PARALLEL_KEYS);
        let shape = |rows: &[KeyRow]| -> Vec<(String, Status, Vec<Option<String>>)> {
            rows.iter()
                .map(|r| {
                    let cells =
                        r.cells.iter().map(|c| c.as_ref().map(|c| c.text.clone())).collect();
                    (r.key.clone(), r.status, cells)
                })
                .collect()
        };
        assert_eq!(shape(&chunked), shape(&serial));
    }

    #[test]
    fn parents_gather_children_listed_apart() {
        use Status::{Differs, Same};
        let keys = rows(&[
            ("a.x", Same),
            ("b.y", Same),
            ("a.z[0]", Differs),
            ("a.z[1]", Same),
            ("\"a.b\".c", Same),
            ("a", Differs),
        ]);
        let labels = |d: u16, l: &str, k: Option<u32>, e: u32| (d, l.to_owned(), k, e);
        assert_eq!(
            shape(&keys),
            vec![
                labels(0, "a", Some(5), 5),
                labels(1, "x", Some(0), 2),
                labels(1, "z", None, 5),
                labels(2, "[0]", Some(2), 4),
                labels(2, "[1]", Some(3), 5),
                labels(0, "b", None, 7),
                labels(1, "y", Some(1), 7),
                labels(0, "\"a.b\"", None, 9),
                labels(1, "c", Some(4), 9),
            ]
        );
        let aggregate = tree(&keys);
        assert_eq!((aggregate[0].worst, aggregate[0].leaves, aggregate[0].drift), (Differs, 4, 2));
    }
}
