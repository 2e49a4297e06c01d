//! References (§5): values that only point at a secret kept elsewhere, and
//! so are not secrets themselves, unless their inline default is.

use std::ops::Range;

use crate::core::leaf::{Leaf, Value, Written};

/// A whole value that is only a reference, and where its inline default is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// Byte range of the inline default (`${VAR:-default}`), when written.
    pub default: Option<Range<usize>>,
}

/// The reference the whole string is, if it is one: `${VAR}`,
/// `${VAR:-default}`, `${VAR-default}`, `${VAR:default}` (Spring, viper,
/// Quarkus), `$VAR` for an upper-case name only, `vault:…`, `ssm:…`,
/// `secretsmanager:…`, `op://…`.
///
/// Inside braces a name may hold dots (`${spring.datasource.password}`:
/// Spring placeholders name properties). Outside braces only an upper-case
/// name counts, so `$uperSecret1` is text, not a variable.
#[must_use]
pub fn reference(text: &str) -> Option<Reference> {
    if let Some(inner) = text.strip_prefix("${").and_then(|t| t.strip_suffix('}')) {
        return braced(inner);
    }
    if let Some(var) = text.strip_prefix('$') {
        return is_upper_name(var).then_some(Reference { default: None });
    }
    let prefixed = ["vault:", "ssm:", "secretsmanager:", "op://"].iter().any(|prefix| {
        text.strip_prefix(prefix)
            .is_some_and(|rest| !rest.is_empty() && !rest.contains(char::is_whitespace))
    });
    prefixed.then_some(Reference { default: None })
}

/// True when the whole string is only a reference.
#[must_use]
pub fn is_reference(text: &str) -> bool {
    reference(text).is_some()
}

/// The inside of `${…}`: a name, then nothing or an operator and a default.
fn braced(inner: &str) -> Option<Reference> {
    let name_len = inner
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_alphanumeric() || c == '_' || (c == '.' && i > 0)))
        .map_or(inner.len(), |(i, _)| i);
    let name = inner.get(..name_len)?;
    if !name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') || name.ends_with('.') {
        return None;
    }
    let rest = inner.get(name_len..)?;
    if rest.is_empty() {
        return Some(Reference { default: None });
    }
    let operator = [":-", "-", ":"].into_iter().find(|op| rest.starts_with(op))?;
    let default = rest.get(operator.len()..)?;
    // The default runs to the closing brace: it may not hold another one,
    // or `${A}x${B}` would read as a single reference.
    if default.contains(['{', '}']) {
        return None;
    }
    // Offsets within the whole text: `${` then the name and the operator.
    let start = 2 + name_len + operator.len();
    Some(Reference { default: Some(start..start + default.len()) })
}

/// An environment variable name as shells write them upper-case:
/// `[A-Z_][A-Z0-9_]*`.
pub(super) fn is_upper_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase() || c == '_')
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

// Here rather than beside `Leaf`: what a reference looks like is the
// secret rules' to say, and the leaf model stays below them.
impl Leaf {
    /// True when the value only points at one kept elsewhere (§5): a
    /// reference by its text, or an expression of its format.
    #[must_use]
    pub fn is_reference(&self) -> bool {
        match self.written {
            Written::Text => {
                matches!(&self.value, Value::String(s) if is_reference(s))
            }
            Written::Literal => false,
            Written::Expression => true,
        }
    }
}
