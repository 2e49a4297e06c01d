//! The table model the view draws from, built once per load on the
//! worker thread: per set its env columns, its rows (`KeyRows`: a few
//! bytes a key, cells built when a row is drawn or read), the tree of
//! parent keys in pre-order with the worst status of each subtree, and the
//! schema violations of every env. Nothing here borrows the `Project`; a
//! row's cells are read from the loaded set it was built from.

mod comments;
mod key_rows;
mod since;
mod tree;
mod widths;

use std::sync::Arc;

pub use self::comments::Comments;
pub use self::key_rows::KeyRows;
pub use self::since::{Past, SinceMarks, Was};
pub use self::tree::TreeNode;
use crate::core::diff::{Cell, Status};
use crate::core::docs;
use crate::core::flatten;
use crate::core::leaf::{Origin, ValueType};
use crate::core::project::{LoadedSet, Project};
use crate::core::references::Resolver;
use crate::core::report;
use crate::core::secret::SecretText;

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
    /// `--since REV`: the project at REV, which the sets' marks compare
    /// with (kept for the sets a reload builds again).
    pub past: Option<Arc<Past>>,
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
    /// Shared with a filter search on a worker (`Effect::Filter`).
    pub keys: Arc<KeyRows>,
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
    /// `--since REV`: the cells changed since REV.
    pub since: Option<SinceMarks>,
    /// Where each key's comment is, for its documentation.
    pub comments: Comments,
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

    /// A tree node's label (`port`, `[0]`, `"app.name"`).
    pub fn label(&self, node: &TreeNode) -> &str {
        let (row, start, end) = node.label;
        self.keys.key(row as usize).and_then(|p| p.get(start as usize..end as usize)).unwrap_or("")
    }

    /// Row `row` with its cells, read from `loaded` (the set it was built
    /// from).
    pub fn row(&self, row: usize, loaded: &LoadedSet) -> Option<KeyRow> {
        let cells = self.keys.cells(row, loaded)?;
        let key = self.keys.key(row)?;
        Some(key_row(loaded, key, self.keys.status(row)?, &cells))
    }
}

/// One key across the envs shown, built when it is drawn or read.
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

/// Builds the model of every set, keeping only the envs named in `envs`
/// (all when empty).
/// A source column's state as its header says it.
fn source_note(state: &crate::core::project::SourceState) -> String {
    use crate::core::project::SourceState;
    match state {
        SourceState::Loading => "loading…".to_owned(),
        SourceState::Loaded(1) => "1 key".to_owned(),
        SourceState::Loaded(n) => format!("{n} keys"),
        SourceState::Failed => "error".to_owned(),
    }
}

/// Builds the model of every set over `envs` (all when empty), marked
/// against `past` (`--since`), with statuses following resolved
/// references when `resolve` (`--resolve`).
pub fn build(
    project: Arc<Project>,
    envs: &[String],
    past: Option<Arc<Past>>,
    resolve: bool,
) -> ProjectModel {
    let resolver = resolve.then(|| Resolver::new(&project));
    let sets: Vec<SetModel> = project
        .sets
        .iter()
        .map(|set| build_set(set, envs, past.as_deref(), resolver.as_ref()))
        .collect();
    let files = project.sets.iter().map(|s| s.envs.len() + usize::from(s.base.is_some())).sum();
    let warnings = project.warnings.clone();
    ProjectModel { project: Some(project), sets, files, warnings, past }
}

/// Sets from this many keys on build their tree on a thread of its own.
const TREE_BESIDE_KEYS: usize = 50_000;

/// The model of one set (a live reload rebuilds only the sets it changed),
/// its statuses following resolved references when a `resolver` is given.
pub(crate) fn build_set(
    set: &LoadedSet,
    wanted: &[String],
    past: Option<&Past>,
    resolver: Option<&Resolver<'_>>,
) -> SetModel {
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
    // The tree needs the rows' paths and statuses only: on a large set it
    // is built beside the rows' index (unless resolved statuses replace
    // the diff's, which the tree counts).
    let (mut keys, tree) = if resolver.is_none() && rows.len() >= TREE_BESIDE_KEYS {
        std::thread::scope(|scope| {
            let tree = scope.spawn(|| tree::in_order(rows.keys(), rows.len()));
            let keys = KeyRows::new(set, &indices, &rows);
            let tree = tree.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (keys, Some(tree))
        })
    } else {
        (KeyRows::new(set, &indices, &rows), None)
    };
    let since = past.map(|past| since::marks(set, &indices, &rows, past));
    drop(rows);
    if let Some(resolver) = resolver {
        keys.follow(&report::resolved_statuses(resolver, set, &indices));
        widen_for_references(&mut keys, set, resolver);
    }
    let mut counts = [0; 4];
    for &status in keys.statuses() {
        counts[status as usize] += 1;
    }
    let mut errors: Vec<String> = set.file_errors().map(|(_, e)| e.to_string()).collect();
    errors.extend(set.stale_files().map(|(_, e)| format!("{e} (last good values shown, stale)")));
    errors.extend(set.key_errors().map(|(_, e)| e.to_string()));
    errors.extend(set.problems.iter().map(|p| format!("{}: {}", p.rel_path, p.message)));
    let tree = tree.unwrap_or_else(|| tree::build(&keys));
    let mut set_model = SetModel {
        name: set.name.clone(),
        envs,
        base_file: set.base.as_ref().map(|b| b.file.rel_path.clone()),
        layer_files: layer_files(set).map(|f| f.file.rel_path.clone()).collect(),
        layout: set.layout,
        tree,
        key_width: 0,
        keys: Arc::new(keys),
        counts,
        errors,
        violations: violations(set, &indices),
        since,
        comments: Comments::of(set),
    };
    set_model.key_width = key_width(&set_model);
    set_model
}

/// `--resolve`: a cell that holds a reference shows what it resolves to
/// after its value (`resolved::cell_text`), and its column is sized by
/// that text, as by every other cell's.
fn widen_for_references(keys: &mut KeyRows, set: &LoadedSet, resolver: &Resolver<'_>) {
    let mut wider: Vec<(usize, usize)> = Vec::new();
    for row in 0..keys.len() {
        let (Some(cells), Some(path)) = (keys.cells(row, set), keys.key(row)) else { continue };
        let mut rules = None;
        for (column, cell) in cells.iter().enumerate() {
            let Some(cell) = cell else { continue };
            let Some(file) = keys.env_of(column).and_then(|e| set.envs.get(e)) else { continue };
            if file.is_source() || file.error.is_some() {
                continue;
            }
            let resolution = resolver.resolve(set, &file.file.env, &file.file.rel_path, cell.leaf);
            let Some(resolution) = resolution else { continue };
            let rules = *rules.get_or_insert_with(|| set.key_rules(path));
            let shown = report::shown(rules, cell.leaf, false).text;
            let text =
                super::resolved::cell_text(&shown, resolution.shown(rules, false).as_deref());
            let width = crate::tui::view::text::width(&text) + usize::from(cell.inherited);
            wider.push((column, width));
        }
    }
    for (column, width) in wider {
        keys.widen(column, width);
    }
}

/// The widest key cell: indentation, fold marker and label.
fn key_width(set: &SetModel) -> usize {
    set.tree
        .iter()
        .map(|n| {
            let label = set.label(n);
            let width = if label.is_ascii() {
                label.len()
            } else {
                unicode_width::UnicodeWidthStr::width(label)
            };
            usize::from(n.depth) * 2 + 2 + width
        })
        .max()
        .unwrap_or(0)
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

/// The row of `key` with `cells` (one per column shown) as the view shows
/// it: display text masked, equal values in one class.
pub(crate) fn key_row(
    set: &LoadedSet,
    key: &str,
    status: Status,
    cells: &[Option<Cell<'_>>],
) -> KeyRow {
    let mut seen: Vec<&crate::core::leaf::Value> = Vec::new();
    let rules = set.key_rules(key);
    let models = cells
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
    KeyRow { key: key.to_owned(), status, cells: models, doc: doc_text(set, key, cells) }
}

/// The schema's title and description, else the first comment of the key.
pub(crate) fn doc_text(set: &LoadedSet, key: &str, cells: &[Option<Cell<'_>>]) -> Option<String> {
    let from_schema = set.schema.as_ref().and_then(|schema| {
        let node = docs::schema_node(&schema.document, key)?;
        let text: Vec<&str> = ["title", "description"]
            .iter()
            .filter_map(|f| node.get(f).and_then(serde_json::Value::as_str))
            .collect();
        (!text.is_empty()).then(|| text.join(" "))
    });
    from_schema
        .or_else(|| cells.iter().flatten().find_map(|c| c.leaf.doc.as_deref().map(str::to_owned)))
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
        let secret_at = |key: &str| set.secret_at(effective, key);
        let found = schema.violations(&document, &secret_at);
        out.extend(found.into_iter().map(|v| (column, v.key, v.message)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A large two-env project: `keys` keys, every seventh one differing,
    /// some missing in prod, a secret and a base file under every key.
    fn large_project(keys: usize) -> (tempfile::TempDir, Project) {
        use std::fmt::Write as _;
        let dir = tempfile::tempdir().unwrap();
        for (env, shift) in [("dev", 0), ("prod", 7)] {
            let mut text = String::new();
            for i in 0..keys {
                if env == "prod" && i % 101 == 5 && i % 50 != 0 {
                    continue;
                }
                if i % 50 == 0 {
                    let _ = writeln!(text, "g{}:", i / 50);
                }
                let _ = writeln!(text, "  k{i}: {}", (i + shift) % 10);
                if i % 997 == 0 {
                    let _ = writeln!(text, "  password_{i}: hunter{}", i % 3);
                }
            }
            std::fs::write(dir.path().join(format!("config_{env}.yaml")), text).unwrap();
        }
        let options = crate::core::discover::DiscoverOptions::default();
        let project = Project::load(dir.path(), &options);
        (dir, project)
    }

    /// What a row shows: key, status, and per cell its text, secret,
    /// class, line and whether it is inherited.
    type Shape = (String, Status, Vec<Option<(String, Option<String>, u16, u32, bool)>>);

    fn shape(row: &KeyRow) -> Shape {
        let cells = row
            .cells
            .iter()
            .map(|c| {
                c.as_ref().map(|c| {
                    let secret = c.secret.as_ref().map(|s| s.expose().to_owned());
                    (c.text.clone(), secret, c.class, c.line, c.inherited)
                })
            })
            .collect();
        (row.key.clone(), row.status, cells)
    }

    #[test]
    fn rows_read_on_demand_equal_rows_built_from_the_diff() {
        let (_dir, project) = large_project(key_rows::PARALLEL_KEYS + 1234);
        let loaded = &project.sets[0];
        let model = build_set(loaded, &[], None, None);
        let rows = loaded.rows(&[0, 1]);
        assert!(model.keys.len() > key_rows::PARALLEL_KEYS, "indexed in chunks");
        assert_eq!(model.keys.len(), rows.len());
        for (i, row) in rows.iter().enumerate() {
            let eager = key_row(loaded, row.key, row.status, &row.cells);
            let lazy = model.row(i, loaded).unwrap();
            assert_eq!(shape(&lazy), shape(&eager), "row {i}");
            assert_eq!(lazy.doc, eager.doc);
        }
        assert!(model.row(rows.len(), loaded).is_none());
        // The tree built beside the index, in the rows' order, is the tree
        // of parents looked up one by one.
        assert!(rows.len() >= TREE_BESIDE_KEYS);
        let paths: Vec<(&str, Status)> = rows.keys().collect();
        assert_eq!(model.tree, tree::build(&KeyRows::of_paths(&paths)));
        for column in 0..2 {
            let widest = (0..rows.len())
                .filter_map(|i| model.row(i, loaded).unwrap().cells[column].clone())
                .map(|c| crate::tui::view::text::width(&c.text) + usize::from(c.inherited))
                .max()
                .unwrap_or(0)
                .max(1);
            assert_eq!(usize::from(model.keys.widest(column)), widest, "column {column}");
        }
        let missing = rows.iter().filter(|r| r.status == Status::Missing).count();
        assert_eq!(model.counts[Status::Missing as usize], missing);
        assert!(missing > 0 && model.counts[Status::Differs as usize] > 0);
    }

    #[test]
    fn under_resolve_a_column_is_as_wide_as_its_resolved_cells() {
        let dir = tempfile::tempdir().unwrap();
        let dev = "url: \"${HOST:-a-long-default-host.example.com}/api\"\nport: 1\n";
        std::fs::write(dir.path().join("config_dev.yaml"), dev).unwrap();
        std::fs::write(dir.path().join("config_prod.yaml"), "url: \"${HOST:-x}/api\"\n").unwrap();
        let options = crate::core::discover::DiscoverOptions::default();
        let project = Project::load(dir.path(), &options);
        let loaded = &project.sets[0];
        let written = "${HOST:-a-long-default-host.example.com}/api";
        let plain = build_set(loaded, &[], None, None);
        assert_eq!(usize::from(plain.keys.widest(0)), written.len());
        let resolver = Resolver::new(&project);
        let following = build_set(loaded, &[], None, Some(&resolver));
        let shown = format!("{written} → a-long-default-host.example.com/api");
        let width = |text: &str| u16::try_from(crate::tui::view::text::width(text)).unwrap();
        assert_eq!(following.keys.widest(0), width(&shown), "sized by the resolved text");
        assert_eq!(following.keys.widest(1), width("${HOST:-x}/api → x/api"));
    }

    #[test]
    fn cells_from_a_base_file_are_read_from_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("config_base.yaml"), "a: 1\nb: base\n").unwrap();
        std::fs::write(dir.path().join("config_dev.yaml"), "a: 2\n").unwrap();
        std::fs::write(dir.path().join("config_prod.yaml"), "c: 3\n").unwrap();
        let options = crate::core::discover::DiscoverOptions::default();
        let project = Project::load(dir.path(), &options);
        let loaded = &project.sets[0];
        assert!(loaded.base.is_some(), "config_base.yaml is the base");
        let model = build_set(loaded, &[], None, None);
        let rows = loaded.rows(&(0..loaded.envs.len()).collect::<Vec<_>>());
        for (i, row) in rows.iter().enumerate() {
            let eager = key_row(loaded, row.key, row.status, &row.cells);
            assert_eq!(shape(&model.row(i, loaded).unwrap()), shape(&eager));
        }
        let b = model.keys.position("b").unwrap();
        let row = model.row(b, loaded).unwrap();
        assert!(row.cells.iter().flatten().all(|c| c.inherited && c.text == "base"));
    }

    #[test]
    fn fingerprints_tell_changed_values() {
        let (_dir, project) = large_project(300);
        let loaded = &project.sets[0];
        let model = build_set(loaded, &[], None, None);
        for i in 0..model.keys.len() {
            let row = model.row(i, loaded).unwrap();
            let prints: Vec<Option<u32>> = (0..2).map(|c| model.keys.print(i, c)).collect();
            for (c, cell) in row.cells.iter().enumerate() {
                assert_eq!(prints[c].is_some(), cell.is_some(), "a print where a value is");
            }
            if let [Some(a), Some(b)] = &row.cells[..] {
                assert_eq!(prints[0] == prints[1], a.text == b.text, "{}", row.key);
            }
        }
    }

    fn keys(paths: &[(&str, Status)]) -> KeyRows {
        KeyRows::of_paths(paths)
    }

    /// (depth, label, key index, end) per node, in drawing order.
    fn tree_shape(paths: &[(&str, Status)]) -> Vec<(u16, String, Option<u32>, u32)> {
        let set = SetModel {
            name: String::new(),
            envs: Vec::new(),
            base_file: None,
            layer_files: Vec::new(),
            layout: "builtin",
            keys: Arc::new(keys(paths)),
            tree: Vec::new(),
            counts: [0; 4],
            errors: Vec::new(),
            violations: Vec::new(),
            key_width: 0,
            since: None,
            comments: Comments::default(),
        };
        let tree = tree::build(&set.keys);
        tree.iter().map(|n| (n.depth, set.label(n).to_owned(), n.key, n.end)).collect()
    }

    #[test]
    fn parents_gather_children_listed_apart() {
        use Status::{Differs, Same};
        let paths = [
            ("a.x", Same),
            ("b.y", Same),
            ("a.z[0]", Differs),
            ("a.z[1]", Same),
            ("\"a.b\".c", Same),
            ("a", Differs),
        ];
        let labels = |d: u16, l: &str, k: Option<u32>, e: u32| (d, l.to_owned(), k, e);
        assert_eq!(
            tree_shape(&paths),
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
        let aggregate = tree::build(&keys(&paths));
        assert_eq!((aggregate[0].worst, aggregate[0].leaves, aggregate[0].drift), (Differs, 4, 2));
    }
}
