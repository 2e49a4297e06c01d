//! Variable interpolation in one value: which `${VAR}` forms a text holds
//! and what it reads as once each variable is looked up. Two dialects:
//! the plain one of §5 (`${VAR}`, `${VAR:-default}`, `${VAR-default}`,
//! Spring's `${VAR:default}`, and a whole value `$VAR`), and the compose
//! specification's (`$VAR` and `${VAR}` anywhere, `:-`/`-` defaults,
//! `:?`/`?` required with a message, `:+`/`+` alternatives, `$$` for a
//! literal `$`). Defaults may hold references themselves.

/// How a set's values are interpolated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Plain,
    Compose,
}

/// What a lookup found for a variable: its text (None: not set).
pub type Found = Option<String>;

/// How one variable of a text was settled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settled {
    /// The lookup found it.
    Variable,
    /// Not set (or empty, for `:-`): the inline default was used.
    Default,
    /// Not set and no default: the text does not resolve.
    Missing {
        /// The `${VAR?message}` text, when written.
        message: Option<String>,
    },
}

/// One variable a text names, in text order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub name: String,
    pub settled: Settled,
}

/// The text with every variable replaced, and how each one was settled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interpolated {
    /// None when a variable without a default is missing.
    pub text: Option<String>,
    pub names: Vec<Named>,
}

/// Nesting of defaults deeper than this is left as written.
const MAX_DEPTH: usize = 8;

/// Whether `text` names a variable at all in `dialect` (a fast test before
/// any lookup).
pub fn has_variables(text: &str, dialect: Dialect) -> bool {
    if !text.contains('$') {
        return false;
    }
    let mut names = Vec::new();
    scan(text, dialect, 0, &mut |name| {
        names.push(name.to_owned());
        None
    });
    !names.is_empty()
}

/// Interpolates `text`; `lookup` gives a variable's value, or None when it
/// is not set.
pub fn interpolate(
    text: &str,
    dialect: Dialect,
    lookup: &mut dyn FnMut(&str) -> Found,
) -> Interpolated {
    let mut names = Vec::new();
    let mut record = |name: &str| {
        let found = lookup(name);
        names.push((name.to_owned(), found.is_some()));
        found
    };
    let (out, missing) = scan(text, dialect, 0, &mut record);
    let mut settled: Vec<Named> = names
        .into_iter()
        .map(|(name, found)| Named {
            name,
            settled: if found { Settled::Variable } else { Settled::Default },
        })
        .collect();
    for (name, message) in &missing {
        if let Some(named) =
            settled.iter_mut().find(|n| &n.name == name && n.settled == Settled::Default)
        {
            named.settled = Settled::Missing { message: message.clone() };
        }
    }
    Interpolated { text: missing.is_empty().then_some(out), names: settled }
}

type Missing = Vec<(String, Option<String>)>;

/// Walks `text`, replacing each variable; returns the text and the
/// variables that are missing with no default.
fn scan(
    text: &str,
    dialect: Dialect,
    depth: usize,
    lookup: &mut dyn FnMut(&str) -> Found,
) -> (String, Missing) {
    let mut out = String::with_capacity(text.len());
    let mut missing = Vec::new();
    if dialect == Dialect::Plain
        && let Some(name) = text.strip_prefix('$').filter(|n| is_upper_name(n))
    {
        if let Some(value) = lookup(name) {
            return (value, missing);
        }
        missing.push((name.to_owned(), None));
        return (text.to_owned(), missing);
    }
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        if dialect == Dialect::Compose && after.starts_with('$') {
            out.push('$');
            rest = &after[1..];
            continue;
        }
        if let Some(inner_start) = after.strip_prefix('{')
            && let Some(close) = closing_brace(inner_start)
            && let Some(var) = Braced::parse(&inner_start[..close], dialect)
        {
            out.push_str(&var.expand(dialect, depth, lookup, &mut missing));
            rest = &inner_start[close + 1..];
            continue;
        }
        if dialect == Dialect::Compose {
            let len = after
                .char_indices()
                .find(|&(i, c)| {
                    !(c.is_ascii_alphanumeric() || c == '_') || (i == 0 && c.is_ascii_digit())
                })
                .map_or(after.len(), |(i, _)| i);
            if len > 0 {
                let name = &after[..len];
                match lookup(name) {
                    Some(value) => out.push_str(&value),
                    // Compose reads it as blank with a warning: it is
                    // still a variable nothing sets.
                    None => missing.push((name.to_owned(), None)),
                }
                rest = &after[len..];
                continue;
            }
        }
        out.push('$');
        rest = after;
    }
    out.push_str(rest);
    (out, missing)
}

/// The index of the `}` that closes a `${`, counting nested `${…}`.
fn closing_brace(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 1;
            }
            b'}' if depth == 0 => return Some(i),
            b'}' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    None
}

/// The inside of one `${…}`.
struct Braced<'t> {
    name: &'t str,
    operator: &'static str,
    argument: &'t str,
}

impl<'t> Braced<'t> {
    fn parse(inner: &'t str, dialect: Dialect) -> Option<Self> {
        let name_len = inner
            .char_indices()
            .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '_'))
            .map_or(inner.len(), |(i, _)| i);
        let name = &inner[..name_len];
        if !name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
            return None;
        }
        let rest = &inner[name_len..];
        if rest.is_empty() {
            return Some(Self { name, operator: "", argument: "" });
        }
        let operators: &[&'static str] = match dialect {
            Dialect::Plain => &[":-", "-", ":"],
            Dialect::Compose => &[":-", "-", ":?", "?", ":+", "+"],
        };
        // A Spring placeholder names a property (`${spring.datasource.url}`),
        // which no environment variable is: such text is left alone.
        let operator = operators.iter().copied().find(|op| rest.starts_with(op))?;
        Some(Self { name, operator, argument: &rest[operator.len()..] })
    }

    fn expand(
        &self,
        dialect: Dialect,
        depth: usize,
        lookup: &mut dyn FnMut(&str) -> Found,
        missing: &mut Missing,
    ) -> String {
        let found = lookup(self.name);
        let mut argument = |missing: &mut Missing| {
            if depth >= MAX_DEPTH {
                return self.argument.to_owned();
            }
            let (text, inner) = scan(self.argument, dialect, depth + 1, lookup);
            missing.extend(inner);
            text
        };
        let empty_counts = self.operator.starts_with(':');
        let unset = found.as_deref().is_none_or(|v| empty_counts && v.is_empty());
        match self.operator {
            "" => found.unwrap_or_else(|| {
                missing.push((self.name.to_owned(), None));
                String::new()
            }),
            ":-" | "-" | ":" => {
                if unset {
                    argument(missing)
                } else {
                    found.unwrap_or_default()
                }
            }
            ":?" | "?" => {
                if unset {
                    missing.push((self.name.to_owned(), Some(self.argument.to_owned())));
                    String::new()
                } else {
                    found.unwrap_or_default()
                }
            }
            // `:+`/`+`: the alternative when set, else nothing.
            _ => {
                if unset {
                    String::new()
                } else {
                    argument(missing)
                }
            }
        }
    }
}

/// `[A-Z_][A-Z0-9_]*`, as §5 allows a bare `$VAR`.
fn is_upper_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase() || c == '_')
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(vars: &[(&str, &str)], text: &str, dialect: Dialect) -> Interpolated {
        let mut lookup =
            |name: &str| vars.iter().find(|(n, _)| *n == name).map(|(_, v)| (*v).to_owned());
        interpolate(text, dialect, &mut lookup)
    }

    #[test]
    fn plain_forms() {
        let vars = [("HOST", "db"), ("EMPTY", "")];
        assert_eq!(with(&vars, "${HOST}", Dialect::Plain).text.as_deref(), Some("db"));
        assert_eq!(with(&vars, "$HOST", Dialect::Plain).text.as_deref(), Some("db"));
        assert_eq!(
            with(&vars, "pg://${HOST}:5432/${NAME:-app}", Dialect::Plain).text.as_deref(),
            Some("pg://db:5432/app")
        );
        assert_eq!(with(&vars, "${EMPTY:-x}", Dialect::Plain).text.as_deref(), Some("x"));
        assert_eq!(with(&vars, "${EMPTY-x}", Dialect::Plain).text.as_deref(), Some(""));
        assert_eq!(with(&vars, "${PORT:8080}", Dialect::Plain).text.as_deref(), Some("8080"));
        // `$$` is no escape outside compose, and `$lower` is text.
        assert_eq!(with(&vars, "a$$b $host", Dialect::Plain).text.as_deref(), Some("a$$b $host"));
        let missing = with(&vars, "${NOPE}", Dialect::Plain);
        assert_eq!(missing.text, None);
        assert_eq!(missing.names[0].settled, Settled::Missing { message: None });
    }

    #[test]
    fn compose_forms() {
        let vars = [("TAG", "1.2"), ("EMPTY", "")];
        let c = |t: &str| with(&vars, t, Dialect::Compose);
        assert_eq!(c("app:$TAG").text.as_deref(), Some("app:1.2"));
        assert_eq!(c("cost $$5").text.as_deref(), Some("cost $5"));
        assert_eq!(c("${EMPTY:-d}").text.as_deref(), Some("d"));
        assert_eq!(c("${EMPTY-d}").text.as_deref(), Some(""));
        assert_eq!(c("${TAG:+set}").text.as_deref(), Some("set"));
        assert_eq!(c("${NOPE:+set}").text.as_deref(), Some(""));
        assert_eq!(c("${NOPE:-${TAG}}").text.as_deref(), Some("1.2"));
        assert_eq!(c("$TAG-x").text.as_deref(), Some("1.2-x"));
        assert_eq!(c("$NOPE-x").text, None);
        let required = c("${DB?the database is needed}");
        assert_eq!(required.text, None);
        assert_eq!(
            required.names[0].settled,
            Settled::Missing { message: Some("the database is needed".to_owned()) }
        );
        assert_eq!(c("${EMPTY:?no}").text, None);
        assert_eq!(c("${EMPTY?no}").text.as_deref(), Some(""));
    }

    #[test]
    fn what_counts_as_a_variable() {
        assert!(has_variables("${A}", Dialect::Plain));
        assert!(has_variables("x${A:-1}y", Dialect::Plain));
        assert!(!has_variables("${spring.datasource.url}", Dialect::Plain));
        assert!(!has_variables("$lower and $$", Dialect::Plain));
        assert!(!has_variables("price: 5$", Dialect::Compose));
        assert!(!has_variables("$$HOME", Dialect::Compose));
        assert!(has_variables("$home", Dialect::Compose));
    }
}
