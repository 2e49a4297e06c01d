//! Flag files (§14) read as flag sets: each format's document, parsed by
//! its JSON or YAML parser, becomes per flag the keys `<flag>.enabled`,
//! `<flag>.default` (the default variant's value), `<flag>.variants.<name>`,
//! `<flag>.rules` (targeting rules) and `<flag>.rollout` (a percentage,
//! where the format has one); Unleash also gives `<flag>.stale`. Each key
//! points at the place in the file it was read from (a count or a
//! percentage at its flag). One module per format.
//!
//! A default that names no variant is kept as that name (a string), so
//! that `check` can report it (`flag-unknown-variant`).

mod flagd;
mod flipt;
mod goff;
mod tree;
mod unleash;

use super::super::key_path;
use super::super::keys::PathList;
use super::super::leaf::{Leaf, ParseError, Parsed, Value, Written};
pub use tree::Node;

/// The flag formats of §14.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FlagFormat {
    /// `OpenFeature` flagd JSON.
    Flagd,
    /// GO Feature Flag YAML.
    Goff,
    /// Flipt `features.yml`.
    Flipt,
    /// An Unleash export of one env.
    Unleash,
}

impl FlagFormat {
    pub fn name(self) -> &'static str {
        match self {
            Self::Flagd => "flagd",
            Self::Goff => "GO Feature Flag",
            Self::Flipt => "Flipt",
            Self::Unleash => "Unleash",
        }
    }

    /// Its field for `enabled`, as an edit would have to write it.
    pub fn enabled_field(self) -> &'static str {
        match self {
            Self::Flagd => "state: ENABLED/DISABLED",
            Self::Goff => "disable: true/false",
            Self::Flipt => "enabled: true/false",
            Self::Unleash => "featureEnvironments[].enabled",
        }
    }
}

/// Parses a flag file of `format`.
pub fn parse(format: FlagFormat, text: &str) -> Result<Parsed, ParseError> {
    let underlying = match format {
        FlagFormat::Flagd | FlagFormat::Unleash => super::json::parse(text)?,
        FlagFormat::Goff | FlagFormat::Flipt => super::yaml::parse(text)?,
    };
    let doc = tree::Doc::new(&underlying);
    let flags = match format {
        FlagFormat::Flagd => flagd::read(&doc)?,
        FlagFormat::Goff => goff::read(&doc),
        FlagFormat::Flipt => flipt::read(&doc)?,
        FlagFormat::Unleash => unleash::read(&doc)?,
    };
    Ok(write(&doc, &flags))
}

/// One flag as a format gives it; leaf indices point into the document.
#[derive(Debug, Default)]
struct Flag {
    name: String,
    /// The leaf the flag starts at (where counts and percentages point).
    anchor: usize,
    /// On or off, and where the field is written (None: the format's
    /// default for a flag that does not write it).
    enabled: Option<(bool, Option<usize>)>,
    /// The default variant's name and where it is written.
    default: Option<(String, usize)>,
    /// Variants in file order: name, and the value's node.
    variants: Vec<(String, Variant)>,
    rules: Option<usize>,
    /// Percentage, where it is written, and whether an edit may write it
    /// as a number there (Unleash keeps it as a string: not here).
    rollout: Option<(f64, usize, Written)>,
    stale: Option<(bool, usize)>,
}

/// A variant's value: a node of the document, or a text of its own (a
/// Flipt variant without attachment is its key).
#[derive(Debug)]
enum Variant {
    Node(usize),
    Text(String, usize),
}

/// The leaves of every flag, in file order.
fn write(doc: &tree::Doc, flags: &[Flag]) -> Parsed {
    let mut out = Out { leaves: Vec::new(), paths: PathList::new(), doc };
    for flag in flags {
        let mut base = String::new();
        key_path::push_key(&mut base, &flag.name);
        if let Some((on, leaf)) = flag.enabled {
            let (at, written) = match leaf {
                Some(leaf) => (leaf, Written::Literal),
                None => (flag.anchor, Written::Expression),
            };
            out.push(&base, &["enabled"], Value::Bool(on), at, written);
        }
        // The default is the variant's value, written where the file names
        // the default variant: an edit of it rewrites that name.
        if let Some((name, leaf)) = &flag.default {
            if let Some((_, variant)) = flag.variants.iter().find(|(n, _)| n == name) {
                out.variant(&base, "default", variant, Some(*leaf));
            } else {
                let text = Value::String(name.as_str().into());
                out.push(&base, &["default"], text, *leaf, Written::Literal);
            }
        }
        for (name, variant) in &flag.variants {
            let mut path = base.clone();
            key_path::push_key(&mut path, "variants");
            out.variant(&path, name, variant, None);
        }
        if let Some(rules) = flag.rules {
            let count = Value::Int(i64::try_from(rules).unwrap_or(i64::MAX));
            out.push(&base, &["rules"], count, flag.anchor, Written::Expression);
        }
        if let Some((percent, leaf, written)) = flag.rollout {
            out.push(&base, &["rollout"], number(percent), leaf, written);
        }
        if let Some((stale, leaf)) = flag.stale {
            out.push(&base, &["stale"], Value::Bool(stale), leaf, Written::Literal);
        }
    }
    Parsed { leaves: out.leaves, paths: out.paths, encryption: None }
}

/// A whole percentage as an int (`50`), else a float (`12.5`).
fn number(percent: f64) -> Value {
    #[allow(clippy::cast_possible_truncation, reason = "checked to be whole and in range")]
    if percent.fract() == 0.0 && percent.abs() < 1e15 {
        Value::Int(percent as i64)
    } else {
        Value::Float(percent)
    }
}

struct Out<'d> {
    leaves: Vec<Leaf>,
    paths: PathList,
    doc: &'d tree::Doc,
}

impl Out<'_> {
    /// A leaf at `base.<segments>` with `value`, placed where leaf `at` is;
    /// `Expression` marks a value the file does not hold as such (a count).
    fn push(&mut self, base: &str, segments: &[&str], value: Value, at: usize, written: Written) {
        let mut path = base.to_owned();
        for segment in segments {
            key_path::push_key(&mut path, segment);
        }
        let Some(source) = self.doc.leaf(at) else { return };
        self.leaves.push(Leaf {
            key: self.paths.push(&path),
            value,
            position: source.position,
            span: source.span,
            doc: source.doc.clone(),
            origin: source.origin,
            written,
        });
    }

    /// A variant's value at `base.<name>`: its leaves, under their own
    /// paths below it when the value is a map or a list. `at` places
    /// them elsewhere (the default, where the default variant is named).
    fn variant(&mut self, base: &str, name: &str, variant: &Variant, at: Option<usize>) {
        let mut path = base.to_owned();
        key_path::push_key(&mut path, name);
        let place = at.and_then(|i| self.doc.leaf(i)).map(|l| (l.position, l.span));
        match variant {
            Variant::Text(text, own) => {
                let value = Value::String(text.as_str().into());
                self.push(base, &[name], value, at.unwrap_or(*own), Written::Literal);
            }
            Variant::Node(node) => {
                let below = self.doc.leaves_below(*node);
                let whole = below.len() == 1 && below.first().is_some_and(|(r, _)| r.is_empty());
                for (rest, leaf) in below {
                    let Some(source) = self.doc.leaf(leaf) else { continue };
                    let mut full = path.clone();
                    full.push_str(&rest);
                    let mut leaf = Leaf {
                        key: self.paths.push(&full),
                        written: Written::Literal,
                        ..source.clone()
                    };
                    if let Some((position, span)) = place {
                        leaf.position = position;
                        leaf.span = span;
                        // Part of a map or list default: no one place to edit.
                        if !whole {
                            leaf.written = Written::Expression;
                        }
                    }
                    self.leaves.push(leaf);
                }
            }
        }
    }
}

/// An error of a flag file that has the wrong shape, at `leaf` when known.
fn shape_error(doc: &tree::Doc, at: Option<usize>, message: impl Into<String>) -> ParseError {
    match at.and_then(|i| doc.leaf(i)) {
        Some(leaf) => ParseError::at(leaf.position, message),
        None => ParseError::nowhere(message),
    }
}
