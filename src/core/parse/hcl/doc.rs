//! Documentation of an HCL key, read from the text around it: the `#` or
//! `//` comment lines right above the line where the key starts, else the
//! comment that ends its value's line.

/// The comment block above `key_start`'s line (when the key is the first
/// thing on it), else the comment after `value_end` on its line.
pub(super) fn of(text: &str, key_start: usize, value_end: usize) -> Option<String> {
    above(text, key_start).or_else(|| trailing(text, value_end))
}

fn line_start(text: &str, offset: usize) -> usize {
    text.get(..offset).and_then(|before| before.rfind('\n')).map_or(0, |nl| nl + 1)
}

/// A comment line's text without its marker and one space.
fn comment(line: &str) -> Option<&str> {
    let body = line.strip_prefix('#').or_else(|| line.strip_prefix("//"))?;
    Some(body.strip_prefix(' ').unwrap_or(body).trim_end())
}

pub(super) fn above(text: &str, start: usize) -> Option<String> {
    let first = line_start(text, start);
    if !text.get(first..start)?.trim().is_empty() {
        return None;
    }
    let mut lines = Vec::new();
    let mut end = first;
    while end > 0 {
        let begin = line_start(text, end - 1);
        let Some(line) = comment(text.get(begin..end - 1)?.trim()) else { break };
        lines.push(line);
        end = begin;
    }
    lines.reverse();
    let doc = lines.join("\n");
    let doc = doc.trim_matches('\n');
    (!doc.is_empty()).then(|| doc.to_owned())
}

pub(super) fn trailing(text: &str, end: usize) -> Option<String> {
    let line = text.get(end..)?.split('\n').next().unwrap_or_default();
    let line = line.trim_start_matches([' ', '\t']);
    let line = line.strip_prefix(',').unwrap_or(line).trim_start_matches([' ', '\t']);
    let doc = comment(line.trim_end())?;
    (!doc.is_empty()).then(|| doc.to_owned())
}
