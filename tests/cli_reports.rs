//! The reports CI reads (§15): `check --format sarif` is valid SARIF 2.1.0
//! (the OASIS schema, committed under tests/schemas/) and keeps GitHub code
//! scanning's upload rules; `--format gitlab` has Code Quality's fields;
//! `--format junit` has a test case per set and rule and a failure for every
//! finding. All three say what `--format json` says, point at files from
//! the top of the git repository, and identify a finding by its rule, set,
//! key and envs: moving its line keeps its fingerprint.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value as J;

const BIN: &str = env!("CARGO_BIN_EXE_envlens");

/// A git repository holding `sample-project/` at `deploy/app`, so paths
/// from the repository's top differ from paths from the project or from
/// the folder envlens runs in.
struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let git = Command::new("git").args(["init", "-q"]).current_dir(dir.path()).status();
        if !git.is_ok_and(|s| s.success()) {
            // Without git, a `.git` folder is what envlens looks for.
            std::fs::create_dir(dir.path().join(".git")).unwrap();
        }
        let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-project");
        support::copy_dir(&sample, &dir.path().join("deploy/app"));
        Self { dir }
    }

    fn top(&self) -> &Path {
        self.dir.path()
    }

    fn project(&self) -> PathBuf {
        self.top().join("deploy/app")
    }

    /// `envlens check app --format FORMAT`, run in `deploy/`.
    fn check(&self, format: &str) -> String {
        let out = Command::new(BIN)
            .args(["check", "app", "--format", format])
            .current_dir(self.top().join("deploy"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    fn findings(&self) -> Vec<J> {
        let json: J = serde_json::from_str(&self.check("json")).unwrap();
        json["findings"].as_array().unwrap().clone()
    }
}

fn sarif_schema() -> J {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/sarif-schema-2.1.0.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn assert_valid_sarif(log: &J) {
    let validator =
        jsonschema::options().should_validate_formats(true).build(&sarif_schema()).unwrap();
    let errors: Vec<String> =
        validator.iter_errors(log).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "not valid SARIF 2.1.0:\n{}", errors.join("\n"));
}

#[test]
fn sarif_is_valid_against_the_sarif_2_1_0_schema() {
    let repo = Repo::new();
    let log: J = serde_json::from_str(&repo.check("sarif")).unwrap();
    assert_valid_sarif(&log);
    // The schema is not a formality: a result without a message fails it.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0].as_object_mut().unwrap().remove("message");
    let validator = jsonschema::validator_for(&sarif_schema()).unwrap();
    assert!(!validator.is_valid(&broken));
    // A file that does not parse: a finding with a line, and one without.
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check/parse-error");
    let out = Command::new(BIN).arg("check").arg(&fixture).args(["--format", "sarif"]).output();
    let log: J = serde_json::from_slice(&out.unwrap().stdout).unwrap();
    assert!(!log["runs"][0]["results"].as_array().unwrap().is_empty());
    assert_valid_sarif(&log);
}

/// What GitHub code scanning requires of an upload, beyond the schema.
#[test]
fn sarif_keeps_githubs_upload_rules() {
    let repo = Repo::new();
    let log: J = serde_json::from_str(&repo.check("sarif")).unwrap();
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "envlens");
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    for rule in rules {
        for field in ["shortDescription", "fullDescription", "help"] {
            let text = rule[field]["text"].as_str().unwrap();
            assert!(!text.is_empty() && text.len() <= 1024, "{field} of {}", rule["id"]);
        }
        assert!(
            ["note", "warning", "error"]
                .contains(&rule["defaultConfiguration"]["level"].as_str().unwrap())
        );
    }
    let results = runs[0]["results"].as_array().unwrap();
    assert_eq!(results.len(), repo.findings().len());
    let mut fingerprints = BTreeSet::new();
    for result in results {
        let rule = result["ruleId"].as_str().unwrap();
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(ids.get(index), Some(&rule), "ruleIndex of {result}");
        assert!(["note", "warning", "error"].contains(&result["level"].as_str().unwrap()));
        assert!(!result["message"]["text"].as_str().unwrap().is_empty());
        let locations = result["locations"].as_array().unwrap();
        assert!((1..=10).contains(&locations.len()));
        let physical = &locations[0]["physicalLocation"];
        let uri = physical["artifactLocation"]["uri"].as_str().unwrap();
        assert!(uri.starts_with("deploy/app/"), "not from the repository's top: {uri}");
        assert!(repo.top().join(uri).is_file(), "{uri} names no file of the repository");
        if let Some(region) = physical.get("region") {
            assert!(region["startLine"].as_u64().unwrap() >= 1, "{result}");
        }
        let hash = result["partialFingerprints"]["primaryLocationLineHash"].as_str().unwrap();
        assert!(!hash.is_empty());
        assert!(fingerprints.insert(hash.to_owned()), "two results share {hash}");
    }
    // Some results have a line, some (a missing key) do not.
    assert!(results.iter().any(|r| r["locations"][0]["physicalLocation"].get("region").is_some()));
    assert!(results.iter().any(|r| r["locations"][0]["physicalLocation"].get("region").is_none()));
}

/// (fingerprint → rule, key, envs, line) of every SARIF result.
fn identities(sarif: &str) -> BTreeMap<String, (String, String, Option<u64>)> {
    let log: J = serde_json::from_str(sarif).unwrap();
    log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let region = &r["locations"][0]["physicalLocation"]["region"];
            (
                r["partialFingerprints"]["envlens/v1"].as_str().unwrap().to_owned(),
                (
                    r["ruleId"].as_str().unwrap().to_owned(),
                    r["message"]["text"].as_str().unwrap().split(':').next().unwrap().to_owned(),
                    region["startLine"].as_u64(),
                ),
            )
        })
        .collect()
}

#[test]
fn a_finding_keeps_its_fingerprint_when_its_line_moves() {
    let repo = Repo::new();
    let before = identities(&repo.check("sarif"));
    let gitlab_before: J = serde_json::from_str(&repo.check("gitlab")).unwrap();
    let prod = repo.project().join("config_prod.yaml");
    let text = std::fs::read_to_string(&prod).unwrap();
    std::fs::write(&prod, format!("# one\n# two\n# three\n{text}")).unwrap();
    let after = identities(&repo.check("sarif"));
    assert_eq!(before.keys().collect::<Vec<_>>(), after.keys().collect::<Vec<_>>());
    let mut moved = 0;
    for (fingerprint, (rule, key, line)) in &before {
        let (rule_after, key_after, line_after) = &after[fingerprint];
        assert_eq!((rule, key), (rule_after, key_after));
        if line.zip(*line_after).is_some_and(|(a, b)| b == a + 3) {
            moved += 1;
        }
    }
    assert!(moved >= 2, "the prod findings with a line moved by three lines");
    let gitlab_after: J = serde_json::from_str(&repo.check("gitlab")).unwrap();
    let prints = |j: &J| -> Vec<String> {
        j.as_array()
            .unwrap()
            .iter()
            .map(|i| i["fingerprint"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(prints(&gitlab_before), prints(&gitlab_after));
    // A different key is a different problem.
    std::fs::write(&prod, text.replace("validation_path", "holdout_path")).unwrap();
    let renamed = identities(&repo.check("sarif"));
    assert_ne!(before.keys().collect::<Vec<_>>(), renamed.keys().collect::<Vec<_>>());
}

#[test]
fn gitlab_code_quality_fields() {
    let repo = Repo::new();
    let issues: J = serde_json::from_str(&repo.check("gitlab")).unwrap();
    let issues = issues.as_array().unwrap();
    let findings = repo.findings();
    assert_eq!(issues.len(), findings.len());
    let mut fingerprints = BTreeSet::new();
    for (issue, finding) in issues.iter().zip(&findings) {
        assert_eq!(issue["check_name"], finding["rule"]);
        let want = if finding["severity"] == "error" { "major" } else { "minor" };
        assert_eq!(issue["severity"], want);
        let path = issue["location"]["path"].as_str().unwrap();
        assert_eq!(path, format!("deploy/app/{}", finding["file"].as_str().unwrap()));
        let begin = issue["location"]["lines"]["begin"].as_u64().unwrap();
        assert_eq!(begin, finding["line"].as_u64().unwrap_or(1));
        let description = issue["description"].as_str().unwrap();
        assert!(description.contains(finding["message"].as_str().unwrap()));
        assert!(fingerprints.insert(issue["fingerprint"].as_str().unwrap().to_owned()));
    }
}

#[test]
fn junit_has_a_case_per_set_and_rule_and_a_failure_per_finding() {
    let repo = Repo::new();
    let xml = repo.check("junit");
    let report = quick_junit::Report::deserialize_from_str(&xml).unwrap();
    let findings = repo.findings();
    let sets = [".env", "config", "services/serving/config"];
    let names: Vec<&str> = report.test_suites.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, sets);
    let mut failures = 0;
    for suite in &report.test_suites {
        let rules: Vec<&str> = suite.test_cases.iter().map(|c| c.name.as_str()).collect();
        assert!(rules.contains(&"drift") && rules.contains(&"plaintext-secret"), "{rules:?}");
        assert_eq!(rules.iter().collect::<BTreeSet<_>>().len(), rules.len());
        for case in &suite.test_cases {
            let ours: Vec<&J> = findings
                .iter()
                .filter(|f| f["set"] == suite.name.as_str() && f["rule"] == case.name.as_str())
                .collect();
            match &case.status {
                quick_junit::TestCaseStatus::Success { .. } => {
                    assert!(ours.is_empty(), "{:?}/{:?} passed", suite.name, case.name);
                }
                quick_junit::TestCaseStatus::NonSuccess { kind, description, .. } => {
                    assert_eq!(*kind, quick_junit::NonSuccessKind::Failure);
                    let text = description.as_ref().unwrap().as_str();
                    assert_eq!(text.lines().count(), ours.len(), "{text}");
                    for finding in &ours {
                        assert!(text.contains(finding["message"].as_str().unwrap()), "{text}");
                        failures += 1;
                    }
                }
                quick_junit::TestCaseStatus::Skipped { .. } => panic!("nothing is skipped"),
            }
        }
    }
    assert_eq!(failures, findings.len());
}

/// `template-drift` reaches every CI report like the other rules: a SARIF
/// result with its rule in the driver's list, a GitLab issue and a JUnit
/// failure, at the template's file.
#[test]
fn template_drift_is_in_every_report() {
    let repo = Repo::new();
    std::fs::write(repo.project().join(".env.example"), "ONLY_IN_TEMPLATE=1\n").unwrap();
    let drift: Vec<J> =
        repo.findings().into_iter().filter(|f| f["rule"] == "template-drift").collect();
    assert!(drift.iter().any(|f| f["key"] == "ONLY_IN_TEMPLATE"), "{drift:?}");
    let sarif: J = serde_json::from_str(&repo.check("sarif")).unwrap();
    assert_valid_sarif(&sarif);
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let ours: Vec<&J> = results.iter().filter(|r| r["ruleId"] == "template-drift").collect();
    assert_eq!(ours.len(), drift.len());
    assert!(ours.iter().all(|r| r["level"] == "warning"));
    let uri = ours[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str();
    assert_eq!(uri, Some("deploy/app/.env.example"));
    let gitlab: J = serde_json::from_str(&repo.check("gitlab")).unwrap();
    let issues: Vec<&J> =
        gitlab.as_array().unwrap().iter().filter(|i| i["check_name"] == "template-drift").collect();
    assert_eq!(issues.len(), drift.len());
    assert_eq!(issues[0]["location"]["path"], "deploy/app/.env.example");
    let report = quick_junit::Report::deserialize_from_str(&repo.check("junit")).unwrap();
    let suite = report.test_suites.iter().find(|s| s.name.as_str() == ".env").unwrap();
    let case = suite.test_cases.iter().find(|c| c.name.as_str() == "template-drift").unwrap();
    assert!(matches!(case.status, quick_junit::TestCaseStatus::NonSuccess { .. }));
}
