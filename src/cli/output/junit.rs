//! `envlens check --format junit`: JUnit XML (§15) through `quick-junit`.
//! A test suite per set with a test case per rule, so a CI test report lists
//! every check that passed too. JUnit readers (GitLab, Jenkins) take one
//! `<failure>` per test case, so a case's findings go into its failure, one
//! line each: the first as its message, all of them in its text.

use quick_junit::{NonSuccessKind, Report, SerializeError, TestCase, TestCaseStatus, TestSuite};

use crate::cli::check::FindingAt;
use crate::core::check::{Rule, Severity};

pub fn render(findings: &[FindingAt<'_>], sets: &[&str]) -> Result<String, SerializeError> {
    let mut names: Vec<&str> = sets.to_vec();
    for located in findings {
        if !names.contains(&located.finding.set.as_str()) {
            names.push(&located.finding.set);
        }
    }
    let mut report = Report::new("envlens check");
    for set in names {
        let mut suite = TestSuite::new(set);
        for rule in Rule::ALL {
            let found: Vec<&FindingAt<'_>> = findings
                .iter()
                .filter(|l| l.finding.set == set && l.finding.rule == rule)
                .collect();
            let mut case = TestCase::new(rule.as_str(), status(&found));
            case.set_classname(set);
            suite.add_test_case(case);
        }
        report.add_test_suite(suite);
    }
    let mut xml = report.to_string()?;
    if !xml.ends_with('\n') {
        xml.push('\n');
    }
    Ok(xml)
}

fn status(found: &[&FindingAt<'_>]) -> TestCaseStatus {
    let Some(first) = found.first() else {
        return TestCaseStatus::success();
    };
    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
    let worst = if found.iter().any(|l| l.finding.severity == Severity::Error) {
        Severity::Error
    } else {
        Severity::Warning
    };
    let lines: Vec<String> = found.iter().map(|l| line(l)).collect();
    let message = match found.len() {
        1 => line(first),
        n => format!("{n} findings; the first: {}", line(first)),
    };
    status.set_type(worst.as_str()).set_message(message).set_description(lines.join("\n"));
    status
}

/// `file:line: severity: key: message`, as compilers write them.
fn line(located: &FindingAt<'_>) -> String {
    let f = located.finding;
    let at = match f.line {
        Some(line) => format!("{}:{line}", located.repo_path),
        None => located.repo_path.clone(),
    };
    let key = f.key.as_deref().map(|k| format!("{k}: ")).unwrap_or_default();
    format!("{at}: {}: {key}{}", f.severity.as_str(), f.message)
}
