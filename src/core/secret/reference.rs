//! References (§5): values that only point at a secret kept elsewhere, and
//! so are never secrets themselves.

/// True when the whole string is only a reference: `${VAR}`,
/// `${VAR:-default}`, `$VAR`, `vault:…`, `ssm:…`, `secretsmanager:…`,
/// `op://…`.
#[must_use]
pub fn is_reference(text: &str) -> bool {
    if let Some(inner) = text.strip_prefix("${").and_then(|t| t.strip_suffix('}')) {
        let (var, default) = match inner.split_once(":-") {
            Some((var, default)) => (var, Some(default)),
            None => (inner, None),
        };
        // The default runs to the closing brace: it may not hold another
        // one, or `${A}x${B}` would read as a single reference.
        return is_var_name(var) && default.is_none_or(|d| !d.contains(['{', '}']));
    }
    if let Some(var) = text.strip_prefix('$') {
        return is_var_name(var);
    }
    ["vault:", "ssm:", "secretsmanager:", "op://"].iter().any(|prefix| {
        text.strip_prefix(prefix)
            .is_some_and(|rest| !rest.is_empty() && !rest.contains(char::is_whitespace))
    })
}

/// A shell-style variable name: `[A-Za-z_][A-Za-z0-9_]*`.
fn is_var_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
