//! `envlens diff --format markdown`: one GitHub-flavoured table per set,
//! for pasting into a pull request or a wiki.

use std::fmt::Write as _;

use crate::core::report::{DiffReport, SetReport};

pub fn diff(report: &DiffReport) -> String {
    let mut out = String::new();
    for (i, set) in report.sets.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        write_set(&mut out, set);
    }
    out
}

fn write_set(out: &mut String, set: &SetReport) {
    let _ = writeln!(out, "## `{}`\n", set.name);
    let _ = writeln!(out, "{}\n", summary(set));
    for error in &set.errors {
        let _ = writeln!(out, "> **error** {}", cell_text(&error.located()));
    }
    if !set.errors.is_empty() {
        out.push('\n');
    }
    if set.rows.is_empty() {
        return;
    }
    let _ = writeln!(out, "| | key | {} |", set.envs.join(" | "));
    let _ = writeln!(out, "|---|---|{}", "---|".repeat(set.envs.len()));
    for row in &set.rows {
        let cells: Vec<String> = row
            .cells
            .iter()
            .map(|cell| match cell {
                None => "—".to_owned(),
                Some(c) => {
                    let code = code_span(&cell_text(&c.text));
                    if c.inherited { format!("{code} (base)") } else { code }
                }
            })
            .collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            row.status.mark(),
            code_span(&cell_text(&row.key)),
            cells.join(" | ")
        );
    }
}

fn summary(set: &SetReport) -> String {
    let c = set.counts;
    format!(
        "{} · {} differ · {} missing · {} type changed · {} same",
        set.envs.join(" · "),
        c.differs,
        c.missing,
        c.type_changed,
        c.same
    )
}

/// Pipes end a table cell even inside code, so they are escaped.
fn cell_text(text: &str) -> String {
    text.replace('|', "\\|")
}

/// Inline code with a fence longer than any backtick run inside.
fn code_span(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
    format!("{fence}{pad}{text}{pad}{fence}")
}
