//! The checks behind the fuzz targets, kept apart from libFuzzer so that
//! `tests/fuzz_regressions.rs` replays a crashing input through exactly
//! the code the fuzzer ran (it includes this file with `#[path]`).

use std::collections::HashMap;

use envlens::core::discover::DiscoverOptions;
use envlens::core::edit::{self, EditRequest, Target};
use envlens::core::key_path::{self, Segment};
use envlens::core::leaf::{Named, Origin, Parsed, Value, ValueType};
use envlens::core::parse::{self, Format};
use envlens::core::project::Project;
use envlens::core::{source, validate};

/// Bytes → `source::decode` → `parse`, then the invariants every parser
/// promises its callers: spans inside the text on character boundaries
/// (the editor slices with them), positions 1-based, and key paths that
/// read back as printed (the CLI and the editor parse them again).
pub fn parse_bytes(format: Format, data: &[u8]) {
    let Ok((text, _bom)) = source::decode(data) else { return };
    let Ok(leaves) = parse::parse(format, text).map(Parsed::named) else { return };
    for leaf in &leaves {
        check_leaf(text, leaf);
    }
    same_as_full_parser(format, text, &leaves);
    if format == Format::Hcl {
        same_as_hcl_edit(text);
    }
}

/// A flag file (§14): the first byte picks the format, the rest is the
/// file; every leaf read points into the text and has a printable path.
pub fn parse_flags(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else { return };
    let format =
        [Format::Flagd, Format::Goff, Format::Flipt, Format::Unleash][usize::from(pick % 4)];
    let Ok((text, _bom)) = source::decode(rest) else { return };
    let Ok(leaves) = parse::parse(format, text).map(Parsed::named) else { return };
    for leaf in &leaves {
        check_leaf(text, leaf);
    }
}

/// Key appended to force the full parser (see `same_as_full_parser`).
const MARKER: &str = "zzzz_fuzz_marker";

/// The YAML and TOML parsers take a fast path for the common subset and
/// hand anything else to the full parser; both must read a file the same.
/// The fast path is private, so the full parser is reached by appending a
/// key whose multi-line value the fast path never takes: the leaves before
/// it must be exactly the leaves `text` gave (values, types, positions,
/// spans, docs).
fn same_as_full_parser(format: Format, text: &str, leaves: &[Named]) {
    let tail = match format {
        Format::Yaml => format!("{MARKER}: |\n  x\n"),
        Format::Toml => format!("{MARKER} = \"\"\"\nx\"\"\"\n"),
        _ => return,
    };
    // Another document, or a key that does not land where the text ends,
    // changes more than the marker: those inputs are not comparable.
    let multi_doc = text.lines().any(|l| l.starts_with("---") || l.starts_with("..."));
    // A last line without its line break would get one, which a block
    // scalar that keeps its trailing breaks (`|+`) takes in.
    let open_end = !text.is_empty() && !text.ends_with('\n');
    if text.contains(MARKER) || multi_doc || open_end || text.contains('\r') {
        return;
    }
    let Ok(full) = parse::parse(format, &format!("{text}{tail}")).map(Parsed::named) else {
        return;
    };
    // The marker lands in the table the text ends in; when that table was
    // empty, its `{}` leaf gives way to the marker.
    let parent = full
        .iter()
        .find_map(|l| l.path.strip_suffix(MARKER))
        .map(|p| p.trim_end_matches('.').to_owned());
    let full: Vec<&Named> = full.iter().filter(|l| !l.path.ends_with(MARKER)).collect();
    let fast: Vec<&Named> = leaves
        .iter()
        .filter(|l| Some(&l.path) != parent.as_ref() || l.value != Value::EmptyMap)
        .collect();
    let same = fast.len() == full.len() && fast.iter().zip(&full).all(|(a, b)| same_leaf(a, b));
    assert!(same, "the fast path and the full parser differ:\n{fast:?}\n{full:?}");
}

/// HCL's `parse` takes a fast path for files of literals and hands the
/// rest to `hcl-edit`; `parse_full` always reads through `hcl-edit`. Both
/// run on every input, and must read it the same, field by field.
fn same_as_hcl_edit(text: &str) {
    let Ok(read) = parse::hcl::parse(text).map(Parsed::named) else { return };
    let full = parse::hcl::parse_full(text).map(Parsed::named);
    let Ok(full) = full else { panic!("hcl-edit refuses what `parse` read: {full:?}") };
    let same = read.len() == full.len()
        && read.iter().zip(&full).all(|(a, b)| {
            (&a.path, a.position, a.span, &a.doc, a.origin, a.written)
                == (&b.path, b.position, b.span, &b.doc, b.origin, b.written)
                && a.value.value_type() == b.value.value_type()
                && a.value.same_as(&b.value)
        });
    assert!(same, "the HCL fast path and hcl-edit differ:\n{read:?}\n{full:?}");
}

/// Leaf equality where NaN equals NaN (`Value::same_as`). An empty value
/// (YAML `a:`, a mapping left empty by a merge) ends where the next token
/// starts, which the appended key moves: its position, span and the
/// comment found above it are left out.
fn same_leaf(a: &Named, b: &Named) -> bool {
    let empty = matches!(a.value, Value::Null | Value::EmptyMap | Value::EmptyList);
    let placed = empty || (a.position == b.position && a.span == b.span && a.doc == b.doc);
    placed
        && (&a.path, a.origin) == (&b.path, b.origin)
        && a.value.value_type() == b.value.value_type()
        && a.value.same_as(&b.value)
}

fn check_leaf(text: &str, leaf: &Named) {
    let (start, end) = (leaf.span.0 as usize, leaf.span.1 as usize);
    assert!(start <= end && end <= text.len(), "span {start}..{end} of {}", text.len());
    assert!(text.is_char_boundary(start) && text.is_char_boundary(end), "span off a boundary");
    assert!(leaf.position.line >= 1 && leaf.position.column >= 1, "{:?}", leaf.position);
    let Ok(segments) = key_path::parse(&leaf.path) else {
        panic!("the printed key path {:?} does not read back", leaf.path)
    };
    assert_eq!(key_path::format(&segments), leaf.path, "a printed key path prints the same");
}

/// Key paths both ways. Any text: `parse` never panics, and what it reads
/// prints to a path that reads back the same. Any segments (decoded from
/// the same bytes): `parse(format(s)) == s`, so `format(parse(p)) == p`
/// for every printed path `p`, and each prefix `prefix_ends` gives reads
/// as the leading segments.
pub fn key_path_round_trip(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(segments) = key_path::parse(text) {
        let printed = key_path::format(&segments);
        assert_eq!(key_path::parse(&printed).as_ref(), Ok(&segments), "{printed:?}");
        let _ = key_path::leaf_name(text);
        let _ = key_path::prefix_ends(text);
    }
    let segments = segments_of(text);
    if segments.is_empty() {
        return;
    }
    let printed = key_path::format(&segments);
    assert_eq!(key_path::parse(&printed).as_ref(), Ok(&segments), "{printed:?}");
    let ends = key_path::prefix_ends(&printed);
    assert_eq!(ends.len(), segments.len() - 1, "{printed:?}");
    for (n, end) in ends.into_iter().enumerate() {
        let Some(prefix) = printed.get(..end) else { panic!("prefix end {end} off {printed:?}") };
        assert_eq!(key_path::parse(prefix).as_ref(), Ok(&segments[..=n].to_vec()), "{prefix:?}");
    }
}

/// Segments from text split at U+0001: `#12` is an index, anything else a
/// key (empty keys, quotes, dots and spaces included).
fn segments_of(text: &str) -> Vec<Segment> {
    text.split('\u{1}')
        .map(|piece| match piece.strip_prefix('#').and_then(|n| n.parse().ok()) {
            Some(index) => Segment::Index(index),
            None => Segment::Key(piece.to_owned()),
        })
        .collect()
}

/// One edit of a generated file, as the TUI or `envlens set` makes it.
///
/// Input layout: byte 0 picks the format (bits 0–1), a forced type (bits
/// 2–4) and the target (bits 5–6); bytes 1–2 pick the leaf (modulo the
/// count); the rest is the file, then `0xFF` (never in UTF-8), then the new
/// value. The file goes into a temporary project as env `dev`; the plan is
/// either a clean refusal or new bytes that read back with the edited keys
/// holding the value and every other key unchanged.
pub fn edit_one(data: &[u8]) {
    let Some(selector) = data.first() else { return };
    let file = match selector & 3 {
        0 => (Format::Yaml, "config_dev.yaml"),
        1 => (Format::Json, "config_dev.json"),
        2 => (Format::Toml, "config_dev.toml"),
        _ => (Format::Dotenv, ".env.dev"),
    };
    edit_in(file, data);
}

/// `edit_one` for the formats of §11; bits 0–1 and 7 of byte 0 pick the
/// format.
pub fn edit_one_of_more(data: &[u8]) {
    let Some(selector) = data.first() else { return };
    let file = match (selector & 3) | ((selector >> 5) & 4) {
        0 => (Format::Jsonc, "config_dev.jsonc"),
        1 => (Format::Json5, "config_dev.json5"),
        2 => (Format::Properties, "config_dev.properties"),
        3 => (Format::Ini, "config_dev.ini"),
        _ => (Format::Hcl, "config_dev.tfvars"),
    };
    edit_in(file, data);
}

/// One edit of the file `name` in `format`, laid out as `edit_one` says.
fn edit_in((format, name): (Format, &str), data: &[u8]) {
    let [selector, high, low, rest @ ..] = data else { return };
    let Some(split) = rest.iter().position(|&b| b == 0xFF) else { return };
    let Ok(input) = std::str::from_utf8(&rest[split + 1..]) else { return };
    let (forced, target) = request_bits(*selector);
    let Ok(dir) = tempfile::tempdir() else { return };
    if std::fs::write(dir.path().join(name), &rest[..split]).is_err() {
        return;
    }
    let project = Project::load(dir.path(), &DiscoverOptions::default());
    let Some(set) = project.sets.first() else { return };
    let Some(env) = set.envs.first() else { return };
    if env.error.is_some() || env.leaves.is_empty() {
        return;
    }
    let named: Vec<Named> = env
        .leaves
        .iter()
        .map(|l| Named { path: set.path(l).to_owned(), leaf: l.clone() })
        .collect();
    let leaf = &named[usize::from(u16::from_be_bytes([*high, *low])) % named.len()];
    let request = EditRequest {
        env: "dev",
        key: &leaf.path,
        input,
        forced_type: forced,
        target,
        ..EditRequest::default()
    };
    // Long enough, and absent from the file, to tell a leak of the typed
    // text from a coincidence.
    let file_text = String::from_utf8_lossy(&rest[..split]);
    let telling = input.chars().count() >= 8 && !file_text.contains(input);
    let plan = match edit::plan(&project, &request) {
        Ok(plan) => plan,
        Err(refusal) => {
            let secret = set.secret(&leaf.leaf).is_some();
            let said = format!("{} {}", refusal.reason, refusal.hint.unwrap_or_default());
            assert!(
                !(secret && telling && said.contains(input)),
                "a refusal shows a secret: {said}"
            );
            return;
        }
    };
    check_by_position((format, &rest[..split]), &named, leaf, &plan.after, (forced, target, input));
    // A secret's new text never shows in what the caller prints (§5).
    if plan.secret && telling {
        secret_not_shown(&plan, input);
    }
}

/// Checks the edited bytes `after` of the file `original` in `format`
/// against the leaves before (`named`, the set's names) with `leaf`
/// edited to `input` (forced to a type, into a target layer).
fn check_by_position(
    (format, original): (Format, &[u8]),
    named: &[Named],
    leaf: &Named,
    after: &[u8],
    (forced, target, input): (Option<ValueType>, Target, &str),
) {
    // The file is checked as its parser reads it, by position: the set's
    // names key lists by identity (§12), and editing an item's identity
    // field renames the item there. Identity keying renames leaves but
    // keeps them, in order.
    let Ok((original, _bom)) = source::decode(original) else { return };
    let Ok(raw) = parse::parse(format, original).map(Parsed::named) else { return };
    if raw.len() != named.len() {
        return;
    }
    let at = named.iter().position(|l| std::ptr::eq(l, leaf)).unwrap_or_default();
    // A compose `NAME=value` item or a Secret's base64 value is written in
    // the file's own form: its text there is not the value typed.
    let transformed = matches!(leaf.origin, Origin::ListItem | Origin::Base64);
    let expected = expected_value(format, forced, &leaf.value, input);
    // An INI [DEFAULT] option is written for every section inheriting it.
    let ini_default = format == Format::Ini && leaf.origin == Origin::Direct;
    let shared = target == Target::Shared || ini_default;
    let changed: Vec<&str> = raw
        .iter()
        .enumerate()
        .filter(|(i, l)| *i == at || (shared && l.span == leaf.span))
        .map(|(_, l)| l.path.as_str())
        .collect();
    check_edit(format, after, &raw, &changed, (!transformed).then_some(&expected));
}

/// Bits 2–4 of the selector force a type, bits 5–6 pick the target layer.
fn request_bits(selector: u8) -> (Option<ValueType>, Target) {
    let forced = match (selector >> 2) & 7 {
        3 => Some(ValueType::String),
        4 => Some(ValueType::Int),
        5 => Some(ValueType::Float),
        6 => Some(ValueType::Bool),
        7 => Some(ValueType::Null),
        _ => None,
    };
    let target = match (selector >> 5) & 3 {
        1 => Target::Override,
        2 => Target::Shared,
        _ => Target::Auto,
    };
    (forced, target)
}

/// The value a planned edit must leave at its key.
fn expected_value(format: Format, forced: Option<ValueType>, old: &Value, input: &str) -> Value {
    let wanted = match (format, forced, old) {
        (format, _, _) if format.strings_only() => ValueType::String,
        (_, Some(forced), _) => forced,
        (_, None, Value::Null) if input.trim() == "null" => ValueType::Null,
        (_, None, Value::Null) => validate::infer_type(input),
        (_, None, value) => value.value_type(),
    };
    let Ok(expected) = validate::read_as(input, wanted, input) else {
        panic!("a {wanted} edit was planned from text that does not read as one")
    };
    expected
}

fn secret_not_shown(plan: &edit::Plan, input: &str) {
    let shown = [plan.summary.as_str(), plan.preview.after.as_str()];
    let before = plan.preview.before.as_deref().unwrap_or_default();
    assert!(
        shown.iter().chain([&before]).all(|t| !t.contains(input)),
        "a secret's new text is shown: {shown:?}"
    );
}

/// `expected`: the value the changed keys hold now (None: not checked, as
/// for a value the file holds in another form).
fn check_edit(
    format: Format,
    after: &[u8],
    before: &[Named],
    changed: &[&str],
    expected: Option<&Value>,
) {
    let Ok((text, _bom)) = source::decode(after) else { panic!("the edited file does not decode") };
    let leaves = match parse::parse(format, text).map(Parsed::named) {
        Ok(leaves) => leaves,
        Err(err) => panic!("the edited file does not parse: {err:?}"),
    };
    let now: HashMap<&str, &Value> = leaves.iter().map(|l| (l.path.as_str(), &l.value)).collect();
    assert_eq!(now.len(), before.len(), "keys were added or lost");
    for old in before {
        let Some(value) = now.get(old.path.as_str()) else { panic!("`{}` was lost", old.path) };
        let wanted = if changed.contains(&old.path.as_str()) {
            let Some(expected) = expected else { continue };
            expected
        } else {
            &old.value
        };
        let same = match (value, wanted) {
            // TOML may normalise a date's text; the type is what must hold.
            (Value::Datetime(_), Value::Datetime(_)) => true,
            _ => value.value_type() == wanted.value_type() && value.same_as(wanted),
        };
        assert!(same, "`{}` is {value:?}, expected {wanted:?}", old.path);
    }
}
