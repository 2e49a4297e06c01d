//! How wide a cell is drawn, measured once per load over every row of a
//! set (beside the rows' index, on the same cores) so the key table sizes
//! its columns by their content and not by the rows on screen: the widths
//! stay put while the cursor moves, and no frame reads a cell to size it.
//! A masked secret counts as its mask, never as its text (its length is
//! not told by a column's width).

use crate::core::leaf::{Leaf, Value, looks_like_other_type};
use crate::core::project::LoadedSet;
use crate::core::secret::{self, KeyRules};
use crate::tui::view::text;

/// Widths are counted up to this; no column is drawn wider.
pub const WIDEST: u16 = 1024;

/// The rules of one row's key, worked out for the first cell that needs
/// them (a row of booleans and nulls never does).
pub(super) struct RowRules<'a> {
    set: &'a LoadedSet,
    path: &'a str,
    rules: Option<KeyRules>,
}

impl<'a> RowRules<'a> {
    pub(super) fn new(set: &'a LoadedSet, path: &'a str) -> Self {
        Self { set, path, rules: None }
    }

    fn get(&mut self) -> KeyRules {
        *self.rules.get_or_insert_with(|| self.set.key_rules(self.path))
    }
}

/// The columns `leaf`'s cell takes: its text as the table shows it
/// unrevealed, plus the `↑` of an inherited value.
pub(super) fn cell_width(leaf: &Leaf, inherited: bool, rules: &mut RowRules<'_>) -> u16 {
    let never_masked = matches!(
        leaf.value,
        Value::Null | Value::Bool(_) | Value::EmptyMap | Value::EmptyList | Value::Encrypted(_)
    );
    let shown = match &leaf.value {
        _ if never_masked => text::width(&leaf.value.display_text()),
        value => match rules.get().classify_leaf(leaf) {
            Some(found) if secret::is_masked(value, Some(found)) => {
                text::width(&secret::display(value, Some(found), false))
            }
            _ => plain_width(value),
        },
    };
    u16::try_from(shown + usize::from(inherited)).unwrap_or(WIDEST).min(WIDEST)
}

/// At least `cell_width` of a cell, found without the key's secret rules
/// (working them out is most of measuring a cell): a cell no wider than
/// the widest of its column so far cannot widen it and is not measured. A
/// mask replaces each hidden part of a text (one, or one per `name=value`
/// pair of a connection string), of at least one byte, by `MASK`, or the
/// whole value. None where no bound is worth finding: the value needs no
/// rules to measure, or its text shows quoted.
pub(super) fn width_at_most(leaf: &Leaf, inherited: bool) -> Option<u16> {
    let mask = mask_width();
    let most = match &leaf.value {
        Value::Null | Value::Bool(_) | Value::EmptyMap | Value::EmptyList | Value::Encrypted(_) => {
            return None;
        }
        Value::String(s) if looks_like_other_type(s) => return None,
        Value::String(s) => {
            let parts = s.bytes().filter(|&b| b == b'=').count().max(1);
            // An ASCII byte is one column; any other character is drawn in
            // at most two (`text::clean` writes a character for each it
            // keeps, a control as a space).
            let most = if s.is_ascii() { s.len() } else { 2 * s.chars().count() };
            most + parts * mask.saturating_sub(1)
        }
        other => text::width(&other.display_text()).max(mask),
    };
    Some(u16::try_from(most + usize::from(inherited)).unwrap_or(WIDEST).min(WIDEST))
}

/// The columns of `MASK`, measured once: it is not ASCII, and measuring it
/// grapheme by grapheme for every cell of a huge set took a sixth of its
/// load.
fn mask_width() -> usize {
    static WIDTH: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *WIDTH.get_or_init(|| text::width(secret::MASK))
}

/// A value's display text width, without building the text of a plain
/// string (most cells).
fn plain_width(value: &Value) -> usize {
    match value {
        Value::String(s) if !looks_like_other_type(s) => text::width(s),
        other => text::width(&other.display_text()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::project::Project;

    fn widths_of(files: &[(&str, &str)]) -> Vec<(String, Vec<Option<u16>>)> {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let options = crate::core::discover::DiscoverOptions::default();
        let project = Project::load(dir.path(), &options);
        let set = &project.sets[0];
        let rows = set.rows(&(0..set.envs.len()).collect::<Vec<_>>());
        rows.iter()
            .map(|row| {
                let mut rules = RowRules::new(set, row.key);
                let widths = row
                    .cells
                    .iter()
                    .map(|c| c.as_ref().map(|c| cell_width(c.leaf, c.inherited, &mut rules)))
                    .collect();
                (row.key.to_owned(), widths)
            })
            .collect()
    }

    #[test]
    fn a_cell_measures_what_the_table_shows() {
        let dev = "host: db.example.com\nport: 5432\nname: \"8080\"\ncity: 東京\n\
                   password: correct-horse-battery-staple-and-more\n\
                   url: postgres://app:a-very-long-password-here@db:5432/app\n";
        let prod = "host: x\nport: 1\nname: y\ncity: z\npassword: pw\nurl: u\n";
        let rows = widths_of(&[("config_dev.yaml", dev), ("config_prod.yaml", prod)]);
        let width = |key: &str| rows.iter().find(|(k, _)| k == key).unwrap().1[0].unwrap();
        assert_eq!(width("host"), 14);
        assert_eq!(width("port"), 4);
        assert_eq!(width("name"), 6, "a string that reads as a number is shown quoted");
        assert_eq!(width("city"), 4, "wide characters count two columns");
        let mask = u16::try_from(text::width(secret::MASK)).unwrap();
        assert_eq!(width("password"), mask, "a secret counts as its mask, not its text");
        let url = "postgres://app:••••••••@db:5432/app";
        assert_eq!(width("url"), u16::try_from(text::width(url)).unwrap(), "masked in place");
    }

    #[test]
    fn the_bound_is_never_below_the_width() {
        let dev = "host: db.example.com\nport: 5432\nname: \"8080\"\ncity: 東京\n\
                   password: correct-horse\napi_key: x\ntoken: 12\n\
                   url: postgres://app:p@db:5432/app\n\
                   dsn: \"Server=db;User Id=sa;Password=a;Pwd=b\"\n\
                   secret: \"${X:-d}\"\nratio: 0.000001\nwhen: 2024-01-01T00:00:00Z\n\
                   flag: \"🇫🇷 and 👨‍👩‍👧 and 1️⃣\"\naccent: \"e\u{301}t\u{e9}\"\n\
                   auth_token: \"s\u{e9}cr\u{e8}t-v\u{e4}lue\"\n\
                   db_url: \"postgres://\u{e9}:p\u{e4}ss@h\u{f4}st/db\"\ntab: \"a\\tb\u{e9}\"\n";
        let prod = "host: x\nport: 1\nname: y\ncity: z\npassword: p\napi_key: y\n\
                    token: 7\nurl: u\ndsn: d\nsecret: s\nratio: 1\nwhen: w\nflag: f\n\
                    accent: a\nauth_token: t\ndb_url: d\ntab: t\n";
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("config_dev.yaml"), dev).unwrap();
        std::fs::write(dir.path().join("config_prod.yaml"), prod).unwrap();
        let project = Project::load(dir.path(), &crate::core::discover::DiscoverOptions::default());
        let set = &project.sets[0];
        let rows = set.rows(&[0, 1]);
        let mut bounded = 0;
        for row in rows.iter() {
            let mut rules = RowRules::new(set, row.key);
            for cell in row.cells.iter().flatten() {
                let width = cell_width(cell.leaf, cell.inherited, &mut rules);
                if let Some(most) = width_at_most(cell.leaf, cell.inherited) {
                    assert!(most >= width, "{}: {most} < {width}", row.key);
                    bounded += 1;
                }
            }
        }
        assert!(bounded > 24, "most cells have a bound, wide text too");
    }

    #[test]
    fn an_inherited_value_counts_its_arrow() {
        let rows = widths_of(&[
            ("config_base.yaml", "region: eu-west-1\n"),
            ("config_dev.yaml", "other: 1\n"),
            ("config_prod.yaml", "region: us-east-2a\n"),
        ]);
        let (_, region) = rows.iter().find(|(k, _)| k == "region").unwrap();
        assert_eq!(region, &vec![Some(10), Some(10)], "dev: ↑ and 9 letters; prod: 10 letters");
    }
}
