//! The `spring` preset (§10): `application.{yml,yaml,properties}` is the
//! base layer of each `application-<profile>.…` beside it, in a folder
//! named `src/main/resources` or under one holding `pom.xml` or
//! `build.gradle[.kts]`. A multi-document `application.yml` adds its
//! documents: those without `spring.config.activate.on-profile` (or the
//! older `spring.profiles`) are base layers, the others layers of their
//! profile. As Spring loads them, `.properties` sits over YAML in one
//! folder, and a profile's own file over its document in `application.yml`.

use super::tree::parent;
use super::{Draft, Placed, Tree, join};
use crate::core::config_set::{Mount, Role, SetProblem};
use crate::core::env_name::valid_env;
use crate::core::inherit::Merge;
use crate::core::parse::Format;

const EXTENSIONS: &[&str] = &["yml", "yaml", "properties"];
const BUILD_FILES: &[&str] = &["pom.xml", "build.gradle", "build.gradle.kts"];
/// The keys that say which profile a document is for; not config of it.
const PROFILE_KEYS: &[&str] = &["spring.config.activate.on-profile", "spring.profiles"];

pub(super) fn detect(tree: &Tree) -> Vec<Draft> {
    tree.dirs().filter_map(|(dir, _)| in_dir(tree, dir)).collect()
}

/// The folder is a Spring project's resources folder.
fn guarded(tree: &Tree, dir: &str) -> bool {
    if dir == "src/main/resources" || dir.ends_with("/src/main/resources") {
        return true;
    }
    let mut at = Some(dir);
    while let Some(folder) = at {
        if BUILD_FILES.iter().any(|name| tree.has(folder, name)) {
            return true;
        }
        at = parent(folder);
    }
    false
}

/// `application-prod.yml` → (`prod`, rank of its extension).
fn profile_of(name: &str) -> Option<(&str, usize)> {
    let rest = name.strip_prefix("application-")?;
    let (profile, ext) = rest.rsplit_once('.')?;
    let rank = EXTENSIONS.iter().position(|e| *e == ext)?;
    valid_env(profile).then_some((profile, rank))
}

/// The format Spring reads a file in: `.properties` values typed as YAML
/// plain scalars, so that they compare with YAML's (§11).
fn format_of(name: &str) -> Option<Format> {
    name.ends_with(".properties").then_some(Format::SpringProperties)
}

/// The documents of a multi-document YAML file: (section, profile), the
/// profile None for an unconditioned document.
struct Documents {
    list: Vec<(String, Option<String>)>,
}

fn documents(tree: &Tree, file: usize) -> Option<Documents> {
    let keys = tree.read(file, Format::Yaml)?;
    let top = keys.top_level();
    if top.is_empty() || top.iter().any(|k| k.name.is_some()) {
        return None;
    }
    let list = top
        .into_iter()
        .map(|doc| {
            let profile = PROFILE_KEYS
                .iter()
                .find_map(|key| keys.string(&format!("{}.{key}", doc.path)))
                .map(str::to_owned);
            (doc.path, profile)
        })
        .collect();
    Some(Documents { list })
}

fn section(env: &str, file: usize, path: &str) -> Placed {
    let without = PROFILE_KEYS.iter().map(|k| (*k).to_owned()).collect();
    Placed {
        env: env.to_owned(),
        file,
        format: None,
        mount: Mount::Section { path: path.to_owned(), without },
    }
}

/// The files of a Spring resources folder.
struct Folder {
    /// `application.yml` / `application.yaml`, in that order.
    yaml: Vec<usize>,
    properties: Option<usize>,
    /// The documents of the first YAML base, when it has several.
    docs: Option<(usize, Documents)>,
    /// (profile, extension rank, file) of each `application-<profile>.…`.
    profiles: Vec<(String, usize, usize)>,
}

impl Folder {
    fn read(tree: &Tree, dir: &str) -> Option<Self> {
        let yaml: Vec<usize> = ["yml", "yaml"]
            .iter()
            .filter_map(|ext| tree.find(dir, &format!("application.{ext}")))
            .collect();
        let properties = tree.find(dir, "application.properties");
        if yaml.is_empty() && properties.is_none() {
            return None;
        }
        let docs = yaml.first().and_then(|&file| Some((file, documents(tree, file)?)));
        let profiles = tree
            .in_dir(dir)
            .filter_map(|(i, f)| profile_of(&f.name).map(|(p, rank)| (p.to_owned(), rank, i)))
            .collect();
        Some(Self { yaml, properties, docs, profiles })
    }

    fn has_profile_docs(&self) -> bool {
        self.docs.as_ref().is_some_and(|(_, d)| d.list.iter().any(|(_, p)| p.is_some()))
    }
}

fn in_dir(tree: &Tree, dir: &str) -> Option<Draft> {
    let mut folder = Folder::read(tree, dir)?;
    let has_profile_docs = folder.has_profile_docs();
    if (folder.profiles.is_empty() && !has_profile_docs) || !guarded(tree, dir) {
        return None;
    }
    let base_names: Vec<String> =
        folder.yaml.iter().chain(&folder.properties).map(|&f| tree.file(f).name.clone()).collect();
    let mut draft = Draft::new(
        join(dir, "application"),
        "spring",
        format!("spring: {} beside application-<profile> files", base_names.join(" and ")),
        Merge::Deep,
    );
    if has_profile_docs && folder.profiles.is_empty() {
        draft.rule =
            format!("spring: {} documents with spring.config.activate.on-profile", base_names[0]);
    }
    let profile_docs = base_stack(tree, &folder, &base_names[0], &mut draft);
    profile_stacks(tree, &mut folder.profiles, &profile_docs, &mut draft);
    Some(draft)
}

/// The stack below every profile, bottom first: the YAML base's documents
/// without a profile (or the whole file), then `application.properties`.
/// Returns the documents that are for a profile.
fn base_stack(
    tree: &Tree,
    folder: &Folder,
    first_name: &str,
    draft: &mut Draft,
) -> Vec<(String, Placed)> {
    let mut below: Vec<Placed> = Vec::new();
    let mut profile_docs: Vec<(String, Placed)> = Vec::new();
    if let Some(&first) = folder.yaml.first() {
        match &folder.docs {
            Some((file, list)) => {
                for (path, profile) in &list.list {
                    match profile {
                        None => below.push(section("base", *file, path)),
                        Some(p) if valid_env(p) => {
                            profile_docs.push((p.clone(), section(p, *file, path)));
                        }
                        Some(p) => draft.problems.push(SetProblem {
                            env: None,
                            rel_path: tree.file(*file).rel_path.clone(),
                            message: format!(
                                "document {path} is for the profiles `{p}`, an expression envlens \
                                 does not split; it is left out"
                            ),
                        }),
                    }
                }
            }
            None => below.push(Placed::whole("base", first)),
        }
    }
    for &extra in folder.yaml.iter().skip(1) {
        let why = format!("a second YAML base beside {first_name}; envlens reads one per set");
        draft.unplaced.push((extra, why));
    }
    if let Some(file) = folder.properties {
        below.push(Placed { format: format_of("a.properties"), ..Placed::whole("base", file) });
    }
    let mut below = below.into_iter();
    draft.base = below.next();
    draft.layers.extend(below.map(|p| (p, Role::Base)));
    profile_docs
}

/// Each profile: its document, then its files, YAML before `.properties`.
fn profile_stacks(
    tree: &Tree,
    profiles: &mut [(String, usize, usize)],
    profile_docs: &[(String, Placed)],
    draft: &mut Draft,
) {
    profiles.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    let mut names: Vec<String> = profile_docs.iter().map(|(p, _)| p.clone()).collect();
    names.extend(profiles.iter().map(|(p, _, _)| p.clone()));
    names.sort();
    names.dedup();
    for name in names {
        let mut parts: Vec<Placed> = profile_docs
            .iter()
            .filter(|(p, _)| *p == name)
            .map(|(_, placed)| placed.clone())
            .collect();
        for (_, _, file) in profiles.iter().filter(|(p, _, _)| *p == name) {
            let format = format_of(&tree.file(*file).name);
            parts.push(Placed { format, ..Placed::whole(name.as_str(), *file) });
        }
        let mut parts = parts.into_iter();
        if let Some(first) = parts.next() {
            draft.envs.push(first);
        }
        draft.layers.extend(parts.map(|p| (p, Role::Env)));
    }
}
