//! A new file's text made from another file's text (for `envlens init`):
//! values replaced in place and keys added, one step at a time, each step
//! rendered, spliced and read back exactly as an edit is, so that comments,
//! order and quoting of everything else stay as they were. Nothing is
//! written here, and no error message holds a value.

use super::render::render;
use super::splice::Change;
use super::verify::{self, Expect};
use crate::core::key_path;
use crate::core::leaf::{Value, spell};
use crate::core::parse::{self, Format};

/// One change to make.
#[derive(Debug, Clone)]
pub enum Step {
    /// The value of `key` becomes `value` (with every key that shares its
    /// text, a YAML alias or merge).
    Replace { key: String, value: Value },
    /// `key`, which the text does not have, is added with `value`.
    Add { key: String, value: Value },
}

/// `text` with every step made, or why a step cannot be (naming its key).
pub fn derive(format: Format, text: &str, steps: &[Step]) -> Result<String, String> {
    let mut current = text.to_owned();
    for step in steps {
        current = apply(format, &current, step)?;
    }
    Ok(current)
}

fn apply(format: Format, text: &str, step: &Step) -> Result<String, String> {
    let (keys, leaves) = parse::parse(format, text)
        .map_err(|e| format!("the file does not parse ({})", e.message))?
        .into_table();
    let old = spell(&keys, &leaves);
    let (key, value) = match step {
        Step::Replace { key, value } | Step::Add { key, value } => (key.as_str(), value),
    };
    // A new value is written in the format's plain style: the old value's
    // quoting may not hold it (a single-quoted dotenv value is literal).
    let written = render(format, value, None).map_err(|why| format!("`{key}`: {why}"))?;
    let (change, changed, added) = match step {
        Step::Replace { .. } => {
            let leaf = old.iter().find(|l| l.path == key).ok_or_else(|| format!("no `{key}`"))?;
            let sharing: Vec<&str> =
                old.iter().filter(|l| l.span == leaf.span).map(|l| l.path).collect();
            let mut changed = vec![key];
            changed.extend(sharing.into_iter().filter(|&p| p != key));
            (Change::value(text, leaf.span, written), changed, false)
        }
        Step::Add { .. } => {
            let segments = key_path::parse(key).map_err(|e| format!("`{key}`: {e}"))?;
            let change = super::insert::insert(format, text, &old, &segments, &written)
                .map_err(|why| format!("`{key}` cannot be added: {why}"))?;
            (change, vec![key], true)
        }
    };
    let new_text = change.apply(text);
    let expect = Expect { changed, value, added, also_added: &[] };
    verify::verify(format, &new_text, &old, &expect).map_err(|why| format!("`{key}`: {why}"))?;
    Ok(new_text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn replace(key: &str, value: &str) -> Step {
        Step::Replace { key: key.into(), value: Value::String(value.into()) }
    }

    #[test]
    fn replaces_values_and_keeps_everything_else() {
        let text = "# the database\ndb:\n  host: db.dev  # where\n  password: 'hunter2'\nport: 1\n";
        let out = derive(Format::Yaml, text, &[replace("db.password", "${DB_PASSWORD}")]).unwrap();
        assert_eq!(
            out,
            "# the database\ndb:\n  host: db.dev  # where\n  password: \"${DB_PASSWORD}\"\nport: 1\n"
        );
    }

    #[test]
    fn a_dotenv_reference_is_never_single_quoted() {
        let out = derive(Format::Dotenv, "A=1\nTOKEN='s3cr$t'\n", &[replace("TOKEN", "${TOKEN}")]);
        let out = out.unwrap();
        assert!(!out.contains("'${TOKEN}'"), "{out}");
        assert!(out.contains("${TOKEN}") && !out.contains("s3cr"), "{out}");
    }

    #[test]
    fn an_anchor_is_replaced_for_every_key_that_shares_it() {
        let text = "a: &p hunter2\nb: *p\nc: 1\n";
        let out = derive(Format::Yaml, text, &[replace("a", "${A}")]).unwrap();
        assert!(!out.contains("hunter2"), "{out}");
    }

    #[test]
    fn adds_keys_and_changes_types() {
        let steps = [
            Step::Replace { key: "pin".into(), value: Value::String("${PIN}".into()) },
            Step::Add { key: "training.seed".into(), value: Value::Int(7) },
        ];
        let out = derive(Format::Toml, "pin = 1234\n\n[training]\nepochs = 3\n", &steps).unwrap();
        let (keys, leaves) = parse::parse(Format::Toml, &out).unwrap().into_table();
        let read: Vec<(String, Value)> =
            spell(&keys, &leaves).iter().map(|l| (l.path.to_owned(), l.value.clone())).collect();
        assert_eq!(
            read,
            [
                ("pin".to_owned(), Value::String("${PIN}".into())),
                ("training.epochs".to_owned(), Value::Int(3)),
                ("training.seed".to_owned(), Value::Int(7)),
            ]
        );
    }

    #[test]
    fn errors_name_the_key_never_the_value() {
        let err = derive(Format::Yaml, "a: hunter2\n", &[replace("b", "x")]).unwrap_err();
        assert!(err.contains("`b`") && !err.contains("hunter2"), "{err}");
    }
}
