//! The one masked view of a project that every face shows (§5): a set's
//! rows and cells with their text already masked (revealed only where the
//! caller asks), status counts and located errors. `envlens diff` writes
//! it, `envlens docs` and the TUI build their cells with it, so no writer
//! or widget ever formats a value itself.

use crate::core::diff::{Cell, Row, Status};
use crate::core::leaf::{Leaf, Origin, ValueType};
use crate::core::parallel;
use crate::core::project::LoadedSet;
use crate::core::references::{Resolution, Resolver};
use crate::core::secret::{self, KeyRules, SecretText};
use crate::core::since::Before;

/// A value as a face may show it.
#[derive(Debug, Clone)]
pub struct Shown {
    /// The display text (§3), masked unless revealed; may span lines.
    pub text: String,
    /// The real text of a masked value, for a face to show only when the
    /// user reveals that one cell (`v`). None when nothing is masked.
    pub hidden: Option<SecretText>,
    /// §5 classifies the value as a secret (shown or not).
    pub secret: bool,
    pub encrypted: bool,
}

/// How `leaf` of a key with `rules` is shown; `reveal` shows secrets.
pub fn shown(rules: KeyRules, leaf: &Leaf, reveal: bool) -> Shown {
    let found = rules.classify_leaf(leaf);
    let masked = !reveal && secret::is_masked(&leaf.value, found);
    Shown {
        text: secret::display(&leaf.value, found, reveal),
        hidden: masked.then(|| SecretText::new(secret::display(&leaf.value, found, true))),
        secret: found.is_some(),
        encrypted: leaf.value.is_encrypted(),
    }
}

/// One env's value of a key, ready to print.
#[derive(Debug, Clone)]
#[allow(
    clippy::struct_excessive_bools,
    reason = "the contract's per-cell flags, each its own field"
)]
pub struct CellReport {
    /// Single-line text for tables (masked unless revealed).
    pub text: String,
    /// The contract's JSON `value` (masked unless revealed).
    pub json: serde_json::Value,
    pub value_type: ValueType,
    pub secret: bool,
    /// Encrypted in its file: shown as `[encrypted]` (§5).
    pub encrypted: bool,
    pub inherited: bool,
    /// The layer an inherited value comes from, when that is not the set's
    /// one base file (a further base layer, a local layer): JSON's
    /// `inherited` is then this file (§7).
    pub layer: Option<String>,
    pub line: u32,
    pub origin: Origin,
    /// What the source a store cell came from reads (`ssm:/api/prod/`).
    pub source: Option<String>,
    /// Differs from the reference env's value (the first env shown).
    pub differs_from_reference: bool,
    /// With `--resolve`, for a value that holds references (§14).
    pub resolved: Option<ResolvedReport>,
}

/// A reference's resolved value as a face may show it (§14).
#[derive(Debug, Clone)]
pub struct ResolvedReport {
    /// Masked when the referencing key or a variable it reached is a
    /// secret, unless revealed; None when it does not resolve.
    pub value: Option<String>,
    /// `file:line`, `default` or `environment`.
    pub from: Option<String>,
}

#[derive(Debug, Clone)]
pub struct RowReport {
    pub key: String,
    pub status: Status,
    pub cells: Vec<Option<CellReport>>,
    /// With `--since REV`: each env's cell at REV (None where the key was
    /// absent), in the order of `cells`.
    pub before: Option<Vec<Option<CellReport>>>,
    /// With `--since REV`: per env, whether its value changed since REV.
    pub changed: Vec<bool>,
}

impl RowReport {
    /// Whether the env at `i` holds another effective value than at REV
    /// (false without `--since`). Decided on the real values: two masked
    /// secrets print alike and may still differ.
    pub fn changed_at(&self, i: usize) -> bool {
        self.changed.get(i).copied().unwrap_or(false)
    }
}

/// A file error or set problem, located.
#[derive(Debug, Clone)]
pub struct ErrorReport {
    pub env: Option<String>,
    pub file: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub message: String,
}

impl ErrorReport {
    /// `file:line:column: message`, the way compilers point at a place.
    pub fn located(&self) -> String {
        match (self.line, self.column) {
            (Some(line), Some(column)) => {
                format!("{}:{line}:{column}: {}", self.file, self.message)
            }
            (Some(line), None) => format!("{}:{line}: {}", self.file, self.message),
            _ => format!("{}: {}", self.file, self.message),
        }
    }
}

#[derive(Debug, Clone)]
pub struct SetReport {
    pub name: String,
    pub envs: Vec<String>,
    /// (env, path) in env order.
    pub files: Vec<(String, String)>,
    /// The base file's path, when the set has one.
    pub base: Option<String>,
    pub errors: Vec<ErrorReport>,
    /// Rows to print (all of them with `--all`, else those not `same`).
    pub rows: Vec<RowReport>,
    /// Keys per status over every row of the set, printed or not.
    pub counts: StatusCounts,
    /// The env columns that sources give (§13), in env order.
    pub sources: Vec<SourceReport>,
    /// With `--since REV`: keys whose effective value changed since REV in
    /// an env shown (the rows printed then), and whether REV had the set.
    pub since: Option<SinceCounts>,
}

/// What `--since REV` found in one set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SinceCounts {
    pub changed: usize,
    /// The set did not exist at REV: every key is new.
    pub new_set: bool,
}

/// One env column a source gives, for the per-set `"sources"` of §7.
#[derive(Debug, Clone)]
pub struct SourceReport {
    pub env: String,
    pub kind: &'static str,
    /// What it reads (`ssm:/api/prod/`).
    pub path: String,
    /// `loading`, `loaded` or `error`.
    pub status: &'static str,
    pub keys: Option<usize>,
    pub error: Option<String>,
}

impl SourceReport {
    pub fn of(file: &crate::core::project::LoadedFile) -> Option<Self> {
        use crate::core::project::SourceState;
        let column = file.source.as_ref()?;
        let (status, keys) = match column.state {
            SourceState::Loading => ("loading", None),
            SourceState::Loaded(n) => ("loaded", Some(n)),
            SourceState::Failed => ("error", None),
        };
        Some(Self {
            env: file.file.env.clone(),
            kind: column.kind.as_str(),
            path: column.label.clone(),
            status,
            keys,
            error: file.error.as_ref().map(|e| e.message.clone()),
        })
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatusCounts {
    pub same: usize,
    pub differs: usize,
    pub type_changed: usize,
    pub missing: usize,
}

impl StatusCounts {
    fn add(&mut self, status: Status) {
        match status {
            Status::Same => self.same += 1,
            Status::Differs => self.differs += 1,
            Status::TypeChanged => self.type_changed += 1,
            Status::Missing => self.missing += 1,
        }
    }

    pub fn not_same(&self) -> usize {
        self.differs + self.type_changed + self.missing
    }
}

#[derive(Debug, Clone)]
pub struct DiffReport {
    /// The project path as the user gave it.
    pub root: String,
    pub sets: Vec<SetReport>,
}

impl DiffReport {
    pub fn has_errors(&self) -> bool {
        self.sets.iter().any(|s| !s.errors.is_empty())
    }

    pub fn has_drift(&self) -> bool {
        self.sets.iter().any(|s| s.counts.not_same() > 0)
    }

    /// With `--since`: whether any key changed since REV.
    pub fn has_changes(&self) -> bool {
        self.sets.iter().any(|s| s.since.is_some_and(|c| c.changed > 0))
    }
}

/// What to put in a report.
#[derive(Debug, Clone)]
pub struct Selection<'p> {
    pub sets: Vec<&'p LoadedSet>,
    /// Per selected set, the indices of the envs shown.
    pub envs: Vec<Vec<usize>>,
    pub all: bool,
    pub reveal: bool,
    /// `--resolve`: statuses follow resolved values (§14).
    pub resolver: Option<&'p Resolver<'p>>,
    /// With `--since REV`: per selected set, the set of that name at REV
    /// (None when REV had none). Only keys changed since then are printed.
    pub since: Option<Vec<Option<&'p LoadedSet>>>,
}

pub fn build(root: String, selection: &Selection<'_>) -> DiffReport {
    let jobs: Vec<(&LoadedSet, &Vec<usize>)> =
        selection.sets.iter().copied().zip(&selection.envs).collect();
    // A monorepo has hundreds of sets: their rows are worth a second core.
    let jobs: Vec<(usize, &LoadedSet, &Vec<usize>)> =
        jobs.into_iter().enumerate().map(|(i, (set, envs))| (i, set, envs)).collect();
    let sets = parallel::map(&jobs, jobs.len() >= 16, |&(i, set, envs)| {
        let old = selection.since.as_ref().and_then(|old| old.get(i).copied().flatten());
        set_report(set, envs, selection, old)
    });
    DiffReport { root, sets }
}

fn set_report(
    set: &LoadedSet,
    env_indices: &[usize],
    selection: &Selection<'_>,
    old: Option<&LoadedSet>,
) -> SetReport {
    let resolved = selection.resolver.map(|r| Resolved::new(r, set, env_indices));
    let rows = match &resolved {
        Some(resolved) => resolved.rows(set),
        None => set.rows(env_indices),
    };
    let mut counts = StatusCounts::default();
    let mut printed = Vec::new();
    let shown: Vec<_> = env_indices.iter().filter_map(|&i| set.envs.get(i)).collect();
    let labels: Vec<Option<&str>> =
        shown.iter().map(|f| f.source.as_ref().map(|s| s.label.as_str())).collect();
    let env_names: Vec<&str> = shown.iter().map(|f| f.file.env.as_str()).collect();
    let before = selection.since.is_some().then(|| Before::new(old, &env_names));
    for row in &rows {
        counts.add(row.status);
        match &before {
            Some(before) if before.changed(&row) => {
                let mut report =
                    row_report(set, &row, selection.reveal, &labels, resolved.as_ref());
                add_before(&mut report, &row.cells, before, selection.reveal);
                printed.push(report);
            }
            None if selection.all || row.status != Status::Same => {
                printed.push(row_report(set, &row, selection.reveal, &labels, resolved.as_ref()));
            }
            Some(_) | None => {}
        }
    }
    if let Some(before) = &before {
        // Keys that REV had and no env shown has now changed too.
        for key in before.removed(&rows) {
            let empty: Vec<Option<Cell<'_>>> = vec![None; env_names.len()];
            let mut report = RowReport {
                key: key.to_owned(),
                status: Status::Missing,
                cells: vec![None; env_names.len()],
                before: None,
                changed: Vec::new(),
            };
            add_before(&mut report, &empty, before, selection.reveal);
            printed.push(report);
        }
    }
    let since =
        before.as_ref().map(|b| SinceCounts { changed: printed.len(), new_set: b.set.is_none() });
    SetReport {
        name: set.name.clone(),
        envs: shown.iter().map(|f| f.file.env.clone()).collect(),
        files: shown.iter().map(|f| (f.file.env.clone(), f.file.rel_path.clone())).collect(),
        base: set.base.as_ref().map(|b| b.file.rel_path.clone()),
        errors: error_reports(set),
        rows: printed,
        counts,
        sources: shown.iter().filter_map(|f| SourceReport::of(f)).collect(),
        since,
    }
}

/// The set's file errors and problems, as the reports list them.
fn error_reports(set: &LoadedSet) -> Vec<ErrorReport> {
    let mut errors: Vec<ErrorReport> = set
        .file_errors()
        .map(|(env, err)| ErrorReport {
            env: env.map(str::to_owned),
            file: err.rel_path.clone(),
            line: err.position.map(|p| p.line),
            column: err.position.map(|p| p.column),
            message: err.message.clone(),
        })
        .collect();
    errors.extend(set.key_errors().map(|(env, err)| ErrorReport {
        env: Some(env.to_owned()),
        file: err.rel_path.clone(),
        line: err.position.map(|p| p.line),
        column: err.position.map(|p| p.column),
        message: err.message.clone(),
    }));
    errors.extend(set.problems.iter().map(|p| ErrorReport {
        env: p.env.clone(),
        file: p.rel_path.clone(),
        line: None,
        column: None,
        message: p.message.clone(),
    }));
    errors
}

/// The row's cells at REV, masked as today's are (by the key's rules, so a
/// secret then is masked however it reads now), and which envs changed.
fn add_before(report: &mut RowReport, now: &[Option<Cell<'_>>], before: &Before<'_>, reveal: bool) {
    let Some(old_set) = before.set else {
        report.before = Some(vec![None; now.len()]);
        report.changed = now.iter().map(Option::is_some).collect();
        return;
    };
    let rules = old_set.key_rules(&report.key);
    let cells: Vec<Option<Cell<'_>>> =
        (0..now.len()).map(|i| before.cell(&report.key, i)).collect();
    let reference = cells.first().copied().flatten();
    report.changed = now
        .iter()
        .zip(&cells)
        .map(|(a, b)| !crate::core::since::same(a.as_ref(), b.as_ref()))
        .collect();
    report.before = Some(
        cells
            .iter()
            .map(|cell| cell.map(|cell| cell_report(rules, cell, reference, reveal)))
            .collect(),
    );
}

fn row_report(
    set: &LoadedSet,
    row: &Row<'_>,
    reveal: bool,
    labels: &[Option<&str>],
    resolved: Option<&Resolved>,
) -> RowReport {
    let reference = row.cells.first().copied().flatten();
    let rules = set.key_rules(row.key);
    let cells = row.cells.iter().enumerate().map(|(i, cell)| {
        cell.map(|cell| {
            let raw = resolved.and_then(|r| r.raw.get(i)?.get(&row.id));
            let Some((raw_leaf, resolution)) = raw else {
                let mut report = cell_report(rules, cell, reference, reveal);
                report.layer = layer_of(set, cell);
                report.source = labels.get(i).copied().flatten().map(str::to_owned);
                return report;
            };
            let raw_cell = Cell { leaf: raw_leaf, inherited: cell.inherited };
            let mut report = cell_report(rules, raw_cell, None, reveal);
            report.layer = layer_of(set, cell);
            report.source = labels.get(i).copied().flatten().map(str::to_owned);
            // Statuses and highlights follow the resolved values (§14).
            report.differs_from_reference =
                reference.is_none_or(|r| !r.leaf.value.same_as(&cell.leaf.value));
            let shown = resolution.shown(rules, reveal);
            report.text = match &shown {
                Some(value) => format!("{} → {}", report.text, one_line(value)),
                None => format!("{} → (unresolved)", report.text),
            };
            report.resolved = Some(ResolvedReport {
                value: shown,
                from: resolution.from.as_ref().map(crate::core::references::From::label),
            });
            report
        })
    });
    RowReport {
        key: row.key.to_owned(),
        status: row.status,
        cells: cells.collect(),
        before: None,
        changed: Vec::new(),
    }
}

/// The layer file that `layer` of `CellReport` names for a cell.
pub fn layer_of(set: &LoadedSet, cell: Cell<'_>) -> Option<String> {
    cell.inherited.then(|| set.named_layer(cell.leaf)).flatten().map(str::to_owned)
}

/// One env's value of a key; `reference` is the reference env's cell.
pub fn cell_report(
    rules: KeyRules,
    cell: Cell<'_>,
    reference: Option<Cell<'_>>,
    reveal: bool,
) -> CellReport {
    let leaf = cell.leaf;
    let found = rules.classify_leaf(leaf);
    CellReport {
        text: one_line(&secret::display(&leaf.value, found, reveal)),
        json: secret::display_json(&leaf.value, found, reveal),
        value_type: leaf.value.value_type(),
        secret: found.is_some(),
        encrypted: leaf.value.is_encrypted(),
        inherited: cell.inherited,
        layer: None,
        line: leaf.position.line,
        origin: leaf.origin,
        source: None,
        differs_from_reference: reference.is_none_or(|r| !r.leaf.value.same_as(&leaf.value)),
        resolved: None,
    }
}

/// Each key's status over the envs at `env_indices` of `set` with every
/// reference resolved (`--resolve`, §14), by key id: what a face shows
/// when statuses follow resolved values.
pub fn resolved_statuses(
    resolver: &Resolver<'_>,
    set: &LoadedSet,
    env_indices: &[usize],
) -> rustc_hash::FxHashMap<crate::core::keys::KeyId, Status> {
    let all = Resolved::new(resolver, set, env_indices);
    let rows = all.rows(set);
    rows.iter().map(|row| (row.id, row.status)).collect()
}

/// The envs of a set with every reference resolved (`--resolve`): the
/// values the rows compare, and per env the values as written with what
/// they resolve to.
struct Resolved {
    /// Per env shown: effective leaves, references replaced by their
    /// resolved text, with `inherited` and the layer that holds it.
    leaves: Vec<Vec<(Leaf, bool, u16)>>,
    /// Per env shown: the leaf as written and its resolution, by key.
    raw: Vec<rustc_hash::FxHashMap<crate::core::keys::KeyId, (Leaf, Resolution)>>,
}

impl Resolved {
    fn new(resolver: &Resolver<'_>, set: &LoadedSet, env_indices: &[usize]) -> Self {
        let effective = set.effective(env_indices);
        let mut leaves = Vec::with_capacity(effective.len());
        let mut raw = Vec::with_capacity(effective.len());
        for (column, &i) in effective.iter().zip(env_indices) {
            let env = &set.envs[i];
            let mut own = Vec::with_capacity(column.len());
            let mut written = rustc_hash::FxHashMap::default();
            for e in column {
                let found = if env.is_source() {
                    None
                } else {
                    resolver.resolve(set, &env.file.env, &env.file.rel_path, e.leaf)
                };
                let mut leaf = e.leaf.clone();
                if let Some(resolution) = found {
                    if let Some(text) = &resolution.value {
                        leaf.value = crate::core::leaf::Value::String(text.as_str().into());
                        leaf.written = crate::core::leaf::Written::Literal;
                    }
                    written.insert(leaf.key, (e.leaf.clone(), resolution));
                }
                own.push((leaf, e.inherited, e.layer));
            }
            leaves.push(own);
            raw.push(written);
        }
        Self { leaves, raw }
    }

    fn rows<'s>(&'s self, set: &'s LoadedSet) -> crate::core::diff::Rows<'s> {
        let effective = self
            .leaves
            .iter()
            .map(|column| {
                column
                    .iter()
                    .map(|(leaf, inherited, layer)| crate::core::inherit::Effective {
                        leaf,
                        inherited: *inherited,
                        layer: *layer,
                    })
                    .collect()
            })
            .collect();
        crate::core::diff::diff(&set.keys, effective)
    }
}

/// Multi-line values (block scalars, PEM keys revealed) on one table line.
fn one_line(text: &str) -> String {
    if text.contains(['\n', '\r', '\t']) {
        text.replace("\r\n", "↵").replace(['\n', '\r'], "↵").replace('\t', " ")
    } else {
        text.to_owned()
    }
}
