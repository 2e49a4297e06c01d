//! `template-drift` (§2, warning): a template env (`.env.example`,
//! `config_sample.yaml`, `.env.production.sample`, …) is compared with the
//! real envs of its set for keys only. It is reported when it lacks a key
//! that a real env has, so a newcomer copying it misses a setting; and
//! when it holds a key that no real env has, a leftover that misleads the
//! same way. A value that differs from the template's is never a finding.
//!
//! Readings: "a key that real envs have" is a key of at least one real env
//! (after base inheritance): the drift between real envs is `drift`'s
//! business. A template whose file does not load is `parse-error`'s.

use super::{Finding, Rule, Severity, and_list};
use crate::core::diff;
use crate::core::discover::is_template;
use crate::core::project::LoadedSet;

pub(super) fn check(set: &LoadedSet) -> Vec<Finding> {
    let base_broken = set.base_layers().any(|b| b.error.is_some());
    let loaded = |i: &usize| {
        let file = &set.envs[*i];
        !base_broken && file.error.is_none() && !file.is_source()
    };
    let (templates, reals): (Vec<usize>, Vec<usize>) =
        (0..set.envs.len()).filter(loaded).partition(|&i| is_template(&set.envs[i].file.env));
    if templates.is_empty() || reals.is_empty() {
        return Vec::new();
    }
    let columns: Vec<usize> = reals.iter().chain(&templates).copied().collect();
    let rows = diff::diff(&set.keys, set.effective(&columns));
    let real_names: Vec<String> = reals.iter().map(|&i| set.envs[i].file.env.clone()).collect();
    let mut out = Vec::new();
    for (t, &template_at) in templates.iter().enumerate() {
        let template = &set.envs[template_at];
        let name = &template.file.env;
        for row in &rows {
            let having: Vec<String> = (0..reals.len())
                .filter(|&r| row.cells[r].is_some())
                .map(|r| real_names[r].clone())
                .collect();
            let finding =
                Finding::new(Rule::TemplateDrift, Severity::Warning, &set.name, vec![name.clone()])
                    .key(row.key);
            match row.cells[reals.len() + t] {
                None if !having.is_empty() => {
                    out.push(finding.at(&template.file.rel_path, None).message(format!(
                        "template env {name} lacks this key, which {} {}; add it to {} so a \
                         copy of the template has every setting",
                        and_list(&having),
                        if having.len() == 1 { "has" } else { "have" },
                        template.file.rel_path
                    )));
                }
                Some(cell) if having.is_empty() => {
                    let file = if cell.inherited {
                        set.base.as_ref().map_or(&template.file.rel_path, |b| &b.file.rel_path)
                    } else {
                        &template.file.rel_path
                    };
                    out.push(finding.at(file, Some(cell.leaf.position.line)).message(format!(
                        "template env {name} has this key, which no env ({}) has; remove it \
                         from the template or add it to the envs",
                        and_list(&real_names)
                    )));
                }
                _ => {}
            }
        }
    }
    out
}
