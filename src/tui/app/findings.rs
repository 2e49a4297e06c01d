//! What `envlens check` finds, in the view: worked out in the background
//! after each load, the rows it concerns marked `!` in the gutter, `!`
//! shows only them, and the detail pane names each rule and its message (a
//! shared secret, a cross-env reference, unexpected drift stand out rather
//! than reading as one more `≠` or a dim `same` row).

use rustc_hash::FxHashMap;

use super::App;
use crate::core::check::{Finding, Severity};
use crate::tui::effect::Effect;

/// One finding about a key, as the detail pane shows it. Messages of
/// `check` never hold a secret's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    /// The envs concerned, joined (`dev, prod`).
    pub envs: String,
}

/// The findings of one load, by set name and key path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Findings {
    /// The load they were worked out for.
    pub generation: u64,
    pub by_set: FxHashMap<String, FxHashMap<String, Vec<Note>>>,
}

impl Findings {
    /// Groups `findings` of the load `generation`; findings about a whole
    /// file or set (no key) have no row to mark and are left to `check`.
    pub fn group(findings: &[Finding], generation: u64) -> Self {
        let mut by_set: FxHashMap<String, FxHashMap<String, Vec<Note>>> = FxHashMap::default();
        for finding in findings {
            let Some(key) = &finding.key else { continue };
            let note = Note {
                rule: finding.rule.as_str(),
                severity: finding.severity,
                message: finding.message.clone(),
                envs: finding.envs.join(", "),
            };
            by_set
                .entry(finding.set.clone())
                .or_default()
                .entry(key.clone())
                .or_default()
                .push(note);
        }
        Self { generation, by_set }
    }
}

impl App {
    /// The findings about `key` of the shown set.
    pub fn notes_of(&self, key: &str) -> &[Note] {
        let set = self.current_set().map(|s| s.name.as_str());
        self.findings.as_ref().and_then(|f| f.by_set.get(set?)?.get(key)).map_or(&[], Vec::as_slice)
    }

    pub(super) fn toggle_only_findings(&mut self) {
        self.only_findings = !self.only_findings;
        self.message = Some(match (&self.findings, self.only_findings) {
            (None, true) => "only keys with a check finding (checking…)".into(),
            (Some(_), true) => {
                let count = self.findings_mask().map_or(0, |m| m.iter().filter(|&&b| b).count());
                format!("only keys with a check finding: {count} in this set")
            }
            (_, false) => "all keys".into(),
        });
        self.relayout_rows();
        self.cursor_to_leaf();
    }

    /// Per key of the shown set: whether a finding is about it (None before
    /// the checks have run).
    pub(super) fn findings_mask(&self) -> Option<Vec<bool>> {
        let set = self.current_set()?;
        let found = self.findings.as_ref()?.by_set.get(&set.name);
        Some(set.keys.paths().map(|path| found.is_some_and(|f| f.contains_key(path))).collect())
    }

    /// The checks to run after the load `generation` is shown.
    pub(super) fn check_after_load(&self) -> Effect {
        Effect::Check { generation: self.generation }
    }

    pub(super) fn checked(&mut self, findings: Findings) {
        if findings.generation != self.generation {
            return;
        }
        self.findings = Some(findings);
        if self.only_findings {
            self.relayout_rows();
            self.cursor_to_leaf();
        }
    }
}
