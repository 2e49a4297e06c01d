//! `[[set]]` tables of `.envlens.toml` (§10): the sets a project declares
//! because no preset finds them. They claim their files before any preset,
//! in four shapes: a file per env (`files = "deploy/{env}/values.yaml"`
//! with `base` layers), a folder per env (`dirs` + `base_dir`, files
//! matched by their path inside the folder), env sections inside one file
//! (`file` + `sections`, with `base`, `after` and `skip`), and documents
//! that name their env (`file` + `env_key`).

mod template;

pub use template::Template;

use super::{Draft, Placed, Tree};
use crate::core::config_set::{Mount, Role, SetProblem};
use crate::core::env_name::valid_env;
use crate::core::inherit::Merge;
use crate::core::key_path::{self, Segment};
use crate::core::parse::Format;

/// One `[[set]]` table, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclaredSet {
    /// The set's name; by default the template's text without `{env}`
    /// and the extension.
    pub name: Option<String>,
    pub shape: Shape,
    pub merge: Merge,
    /// The format of every file, when their extension does not say.
    pub format: Option<Format>,
    /// Only these envs, in this order (empty: every env found).
    pub envs: Vec<String>,
    /// The line of the table in `.envlens.toml`, for `sets`.
    pub line: u32,
    /// The folder of that `.envlens.toml`, relative to the root ("" at
    /// the root); the paths above are relative to the root already.
    pub dir: String,
}

/// Where a declared set's envs are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    /// A file per env; `base` files are layers below every env.
    Files { files: Template, base: Vec<String> },
    /// A folder per env; `base_dir`'s files are below the env folders'.
    Dirs { dirs: Template, base_dir: Option<String> },
    /// Env sections inside one file, found where `sections`' `*` is.
    Sections {
        file: String,
        sections: String,
        base: Option<String>,
        after: Vec<String>,
        skip: Vec<String>,
    },
    /// Documents of one file that name their env at `env_key`.
    Documents { file: String, env_key: String },
}

impl DeclaredSet {
    /// The table as a nested `.envlens.toml` in `dir` means it: its paths
    /// and its name are relative to that folder (§8).
    #[must_use]
    pub fn under(mut self, dir: &str) -> Self {
        if dir.is_empty() {
            return self;
        }
        let rebase = |path: &str| format!("{dir}/{path}");
        self.shape = match self.shape {
            Shape::Files { files, base } => Shape::Files {
                files: Template::new(&rebase(files.text())),
                base: base.iter().map(|b| rebase(b)).collect(),
            },
            Shape::Dirs { dirs, base_dir } => Shape::Dirs {
                dirs: Template::new(&rebase(dirs.text())),
                base_dir: base_dir.as_deref().map(rebase),
            },
            Shape::Sections { file, sections, base, after, skip } => {
                Shape::Sections { file: rebase(&file), sections, base, after, skip }
            }
            Shape::Documents { file, env_key } => Shape::Documents { file: rebase(&file), env_key },
        };
        self.name = self.name.as_deref().map(rebase);
        dir.clone_into(&mut self.dir);
        self
    }

    /// Whether the walk should keep a file it would not otherwise look at
    /// (a name without a config extension that the table names).
    pub fn names(&self, rel_path: &str) -> bool {
        match &self.shape {
            Shape::Files { files, base } => {
                files.env_of(rel_path).is_some() || base.iter().any(|b| b == rel_path)
            }
            Shape::Dirs { .. } => false,
            Shape::Sections { file, .. } | Shape::Documents { file, .. } => file == rel_path,
        }
    }

    fn default_name(&self) -> String {
        let (text, names_files) = match &self.shape {
            Shape::Files { files, .. } => (files.text(), true),
            Shape::Dirs { dirs, .. } => (dirs.text(), false),
            Shape::Sections { file, .. } | Shape::Documents { file, .. } => (file.as_str(), true),
        };
        let mut segments: Vec<&str> = text.split('/').collect();
        // A file's extension is not part of the name; a folder has none.
        if names_files
            && let Some(last) = segments.last_mut()
            && let Some((stem, _)) = last.rsplit_once('.')
            && !stem.is_empty()
        {
            *last = stem;
        }
        let parts: Vec<String> = segments
            .iter()
            .map(|s| s.replace("{env}", "").trim_matches(['-', '_', '.']).to_owned())
            .filter(|s| !s.is_empty() && !s.contains('*'))
            .collect();
        if parts.is_empty() { "set".to_owned() } else { parts.join("/") }
    }

    fn rule(&self) -> String {
        let what = match &self.shape {
            Shape::Files { files, .. } => format!("files = {:?}", files.text()),
            Shape::Dirs { dirs, .. } => format!("dirs = {:?}", dirs.text()),
            Shape::Sections { file, sections, .. } => {
                format!("file = {file:?}, sections = {sections:?}")
            }
            Shape::Documents { file, env_key } => format!("file = {file:?}, env_key = {env_key:?}"),
        };
        if self.dir.is_empty() {
            format!("[[set]] at .envlens.toml:{}: {what}", self.line)
        } else {
            // The paths as that file writes them.
            let what = what.replace(&format!("\"{}/", self.dir), "\"");
            format!("[[set]] at {}/.envlens.toml:{}: {what}", self.dir, self.line)
        }
    }
}

/// The drafts of the declared sets, in table order, and a warning for a
/// table that found no env.
pub(super) fn detect(tree: &Tree, declared: &[DeclaredSet]) -> (Vec<Draft>, Vec<String>) {
    let mut drafts = Vec::new();
    let mut warnings = Vec::new();
    for set in declared {
        let mut draft = Draft::new(
            set.name.clone().unwrap_or_else(|| set.default_name()),
            "settings",
            set.rule(),
            set.merge,
        );
        draft.order.clone_from(&set.envs);
        match &set.shape {
            Shape::Files { files, base } => by_files(tree, set, files, base, &mut draft),
            Shape::Dirs { dirs, base_dir } => {
                by_dirs(tree, set, dirs, base_dir.as_deref(), &mut draft);
            }
            Shape::Sections { file, sections, base, after, skip } => {
                let spec = SectionSpec { sections, base: base.as_deref(), after, skip };
                by_sections(tree, set, file, &spec, &mut draft);
            }
            Shape::Documents { file, env_key } => {
                by_documents(tree, set, file, env_key, &mut draft);
            }
        }
        if draft.envs.is_empty() {
            warnings.push(format!("{} finds no env; no set made of it", set.rule()));
            continue;
        }
        drafts.push(draft);
    }
    (drafts, warnings)
}

fn wanted(set: &DeclaredSet, env: &str) -> bool {
    valid_env(env) && (set.envs.is_empty() || set.envs.iter().any(|e| e == env))
}

fn placed(set: &DeclaredSet, env: &str, file: usize, mount: Mount) -> Placed {
    Placed { env: env.to_owned(), file, format: set.format, mount }
}

/// The unclaimed file at `rel_path`.
fn find(tree: &Tree, rel_path: &str) -> Option<usize> {
    let (dir, name) = rel_path.rsplit_once('/').unwrap_or(("", rel_path));
    tree.find(dir, name)
}

fn missing(draft: &mut Draft, rel_path: &str, what: &str) {
    draft.problems.push(SetProblem {
        env: None,
        rel_path: rel_path.to_owned(),
        message: format!("{what} {rel_path} is not in the tree (or is another set's)"),
    });
}

fn by_files(tree: &Tree, set: &DeclaredSet, files: &Template, base: &[String], draft: &mut Draft) {
    let mut base_files = Vec::new();
    for rel in base {
        match find(tree, rel) {
            Some(file) => base_files.push(file),
            None => missing(draft, rel, "base file"),
        }
    }
    let mut layers = base_files.iter().map(|&f| placed(set, "base", f, Mount::Whole));
    draft.base = layers.next();
    draft.layers.extend(layers.map(|p| (p, Role::Base)));
    for (file, candidate) in tree.unclaimed() {
        if base_files.contains(&file) {
            continue;
        }
        let Some(env) = files.env_of(&candidate.rel_path) else { continue };
        if !wanted(set, &env) {
            continue;
        }
        // A second file of an env (`envs/dev/*.tfvars`) is a layer over it.
        let placed = placed(set, &env, file, Mount::Whole);
        if draft.envs.iter().any(|p| p.env == env) {
            draft.layers.push((placed, Role::Env));
        } else {
            draft.envs.push(placed);
        }
    }
}

fn by_dirs(
    tree: &Tree,
    set: &DeclaredSet,
    dirs: &Template,
    base_dir: Option<&str>,
    draft: &mut Draft,
) {
    if let Some(base_dir) = base_dir {
        let files = super::kustomize::files_of(tree, base_dir.trim_matches('/'), &[]);
        if files.is_empty() {
            missing(draft, base_dir, "base folder");
        }
        let mut layers =
            files.into_iter().map(|(f, rel)| placed(set, "base", f, Mount::Under(rel)));
        draft.base = layers.next();
        draft.layers.extend(layers.map(|p| (p, Role::Base)));
    }
    let mut folders: Vec<(String, String)> = Vec::new();
    for (dir, _) in tree.dirs() {
        if let Some((env, folder)) = dirs.env_folder(dir)
            && wanted(set, &env)
            && !folders.iter().any(|(e, _)| *e == env)
        {
            folders.push((env, folder));
        }
    }
    for (env, folder) in folders {
        let mut files = super::kustomize::files_of(tree, &folder, &[]).into_iter();
        if let Some((first, rel)) = files.next() {
            draft.envs.push(placed(set, &env, first, Mount::Under(rel)));
        }
        draft
            .layers
            .extend(files.map(|(f, rel)| (placed(set, &env, f, Mount::Under(rel)), Role::Env)));
    }
}

struct SectionSpec<'a> {
    sections: &'a str,
    base: Option<&'a str>,
    after: &'a [String],
    skip: &'a [String],
}

fn by_sections(
    tree: &Tree,
    set: &DeclaredSet,
    rel: &str,
    spec: &SectionSpec<'_>,
    draft: &mut Draft,
) {
    let Some(file) = find(tree, rel) else { return missing(draft, rel, "file") };
    let format = set.format.or_else(|| tree.file(file).format()).unwrap_or(Format::Yaml);
    let Some(keys) = tree.read(file, format) else {
        draft.unplaced.push((file, "its sections cannot be read (it does not parse)".to_owned()));
        return;
    };
    let pattern: Vec<&str> = spec.sections.split('.').collect();
    let mut found: Vec<(String, String)> = Vec::new();
    for (path, _) in &keys.values {
        let Ok(segments) = key_path::parse(path) else { continue };
        if segments.len() <= pattern.len() {
            continue;
        }
        let mut name = None;
        let matches = pattern.iter().zip(&segments).all(|(want, segment)| match segment {
            Segment::Key(key) if *want == "*" => {
                name = Some(key.clone());
                true
            }
            Segment::Key(key) => key == want,
            _ => false,
        });
        let Some(name) = name.filter(|_| matches) else { continue };
        if !found.iter().any(|(n, _)| *n == name) {
            found.push((name, key_path::format(&segments[..pattern.len()])));
        }
    }
    let section = |name: &str| found.iter().find(|(n, _)| n == name).map(|(_, p)| p.clone());
    if let Some(base) = spec.base {
        match section(base) {
            Some(path) => draft.base = Some(placed(set, base, file, section_mount(path))),
            None => missing(draft, &format!("{rel} section {base}"), "base"),
        }
    }
    for after in spec.after {
        if let Some(path) = section(after) {
            draft.layers.push((placed(set, after, file, section_mount(path)), Role::After));
        }
    }
    let not_env = |name: &str| {
        spec.base == Some(name) || spec.after.iter().chain(spec.skip).any(|s| s == name)
    };
    for (name, path) in &found {
        if !not_env(name) && wanted(set, name) {
            draft.envs.push(placed(set, name, file, section_mount(path.clone())));
        }
    }
}

fn section_mount(path: String) -> Mount {
    Mount::Section { path, without: Vec::new() }
}

fn by_documents(tree: &Tree, set: &DeclaredSet, rel: &str, env_key: &str, draft: &mut Draft) {
    let Some(file) = find(tree, rel) else { return missing(draft, rel, "file") };
    let format = set.format.or_else(|| tree.file(file).format()).unwrap_or(Format::Yaml);
    let Some(keys) = tree.read(file, format) else {
        draft.unplaced.push((file, "its documents cannot be read (it does not parse)".to_owned()));
        return;
    };
    let documents = keys.top_level();
    if documents.iter().any(|d| d.name.is_some()) {
        draft.unplaced.push((file, "it has one document; env_key needs several (---)".to_owned()));
        return;
    }
    let mount =
        |path: &str| Mount::Section { path: path.to_owned(), without: vec![env_key.to_owned()] };
    for document in documents {
        let env = keys.string(&format!("{}.{env_key}", document.path));
        match env {
            Some(env) if wanted(set, env) => {
                draft.envs.push(placed(set, env, file, mount(&document.path)));
            }
            Some(_) => {}
            None if draft.base.is_none() => {
                draft.base = Some(placed(set, "base", file, mount(&document.path)));
            }
            None => {
                draft.layers.push((placed(set, "base", file, mount(&document.path)), Role::Base));
            }
        }
    }
}
