//! The CI set-ups the README shows, tried for real: the composite GitHub
//! Action's shell steps run as the runner runs them (`tests/ci/run_action.py`
//! reads `action.yml`, evaluates its inputs and `if:`s, and prints the
//! upload step it does not run), and the pre-commit hook through
//! `pre-commit try-repo` (which builds envlens with cargo, as a user's
//! first commit does). Each test says why it skips when python3, PyYAML or
//! pre-commit is missing (`.ci/run` installs them).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// The folder of the envlens binary under test, first on PATH.
fn path_with_envlens() -> String {
    let bin = Path::new(support::run::BIN).parent().unwrap().to_owned();
    format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default())
}

fn have_pyyaml() -> bool {
    if !support::have("python3", "--version", "apt-get install python3") {
        return false;
    }
    let ok =
        Command::new("python3").args(["-c", "import yaml"]).status().is_ok_and(|s| s.success());
    if !ok {
        support::skip("PyYAML is missing (pip install pyyaml; pre-commit brings it)");
    }
    ok
}

fn run_action(workdir: &Path, path: &str, inputs: &[&str]) -> Run {
    let out = Command::new("python3")
        .arg(support::repo("tests/ci/run_action.py"))
        .arg(support::repo("action.yml"))
        .arg(workdir)
        .args(inputs)
        .env("PATH", path)
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// Two envs that agree: nothing to report.
fn clean_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for env in ["dev", "prod"] {
        std::fs::write(dir.path().join(format!("config_{env}.yaml")), "port: 8080\n").unwrap();
    }
    dir
}

#[test]
fn the_action_checks_uploads_sarif_and_fails_on_findings() {
    if !have_pyyaml() {
        return;
    }
    let dir = support::sample_copy();
    let run = run_action(dir.path(), &path_with_envlens(), &[]);
    assert_eq!(run.code, 1, "findings fail the job:\n{}\n{}", run.stdout, run.stderr);
    let out = &run.stdout;
    assert!(out.contains("is installed\nstep Install envlens: ran, exit 0"), "{out}");
    assert!(out.contains("envlens check exited 1"), "{out}");
    assert!(
        out.contains(r#"uses github/codeql-action/upload-sarif@v3 with {"sarif_file": "envlens.sarif", "category": "envlens"}"#),
        "{out}"
    );
    assert!(
        out.contains("::error title=envlens::")
            && out.contains("step Fail on findings: ran, exit 1"),
        "{out}"
    );
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("envlens.sarif")).unwrap())
            .unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert!(!sarif["runs"][0]["results"].as_array().unwrap().is_empty());
}

#[test]
fn the_actions_inputs() {
    if !have_pyyaml() {
        return;
    }
    let path = path_with_envlens();
    let clean = clean_project();
    let run = run_action(clean.path(), &path, &[]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("step Fail on findings: skipped"), "{}", run.stdout);
    let sample = support::sample_copy();
    let run = run_action(
        sample.path(),
        &path,
        &["upload=false", "fail-on-error=false", "sarif-file=out.sarif"],
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("step Upload to code scanning: skipped"), "{}", run.stdout);
    assert!(sample.path().join("out.sarif").is_file());
    // A check that cannot run fails the job at once, before any upload.
    let run = run_action(clean.path(), &path, &["path=no-such-folder"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(!run.stdout.contains("Upload to code scanning"), "{}", run.stdout);
    // `args` reach envlens: with --strict a warning counts.
    let warn = tempfile::tempdir().unwrap();
    std::fs::write(warn.path().join("config_dev.yaml"), "port: 1\n").unwrap();
    std::fs::write(warn.path().join("config_prod.yaml"), "port: 2\n").unwrap();
    assert_eq!(run_action(warn.path(), &path, &["upload=false"]).code, 0, "drift is a warning");
    assert_eq!(run_action(warn.path(), &path, &["upload=false", "args=--strict"]).code, 1);
}

/// Without envlens on PATH the action installs the action's own version
/// with `cargo install --locked --path` (a stand-in cargo records it).
#[cfg(unix)]
#[test]
fn the_action_installs_its_own_version_with_cargo() {
    use std::os::unix::fs::PermissionsExt;
    if !have_pyyaml() {
        return;
    }
    let bin = tempfile::tempdir().unwrap();
    let log = bin.path().join("cargo.log");
    let cargo = bin.path().join("cargo");
    std::fs::write(&cargo, format!("#!/bin/sh\necho \"$@\" > {}\n", log.display())).unwrap();
    std::fs::set_permissions(&cargo, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!("{}:/usr/bin:/bin", bin.path().display());
    let clean = clean_project();
    let run = run_action(clean.path(), &path, &["upload=false"]);
    let called = std::fs::read_to_string(&log).unwrap_or_default();
    assert_eq!(
        called.trim(),
        format!(
            "install --locked --path {}",
            support::repo("").display().to_string().trim_end_matches('/')
        )
    );
    // The stand-in installed nothing, so the check step cannot find envlens.
    assert_eq!(run.code, 127, "{}\n{}", run.stdout, run.stderr);
}

/// Where pre-commit's cargo builds envlens: kept under the test's target
/// folder, so that only the first run builds from cold.
fn pre_commit_target() -> PathBuf {
    let exe = PathBuf::from(support::run::BIN);
    exe.parent().unwrap().parent().unwrap().join("pre-commit")
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(["-c", "user.name=envlens test", "-c", "user.email=test@example.com"])
        .args(args)
        .current_dir(dir)
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

fn try_repo(project: &Path) -> Run {
    let target = pre_commit_target();
    let out = Command::new("pre-commit")
        .arg("try-repo")
        .arg(support::repo(""))
        .args(["envlens-check", "--all-files", "--color", "never"])
        .current_dir(project)
        .env("PRE_COMMIT_HOME", target.join("home"))
        .env("CARGO_TARGET_DIR", target.join("cargo"))
        // The hook's wiring is under test, not the optimiser: `cargo
        // install` builds in release, which took 13 min cold on 2 shared
        // cores (6 min of CPU); unoptimised it takes a debug build's time.
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "256")
        .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
        .env("CARGO_PROFILE_RELEASE_STRIP", "false")
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn the_pre_commit_hook_runs_envlens_check() {
    if !support::have("pre-commit", "--version", "pip install pre-commit")
        || !support::have("git", "--version", "apt-get install git")
    {
        return;
    }
    let sample = support::sample_copy();
    git(sample.path(), &["init", "-q"]);
    git(sample.path(), &["add", "-A"]);
    let run = try_repo(sample.path());
    assert_eq!(run.code, 1, "the sample's findings fail the hook:\n{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("envlens check") && run.stdout.contains("Failed"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("cross-env-reference"),
        "envlens's findings are shown:\n{}",
        run.stdout
    );
    let clean = clean_project();
    git(clean.path(), &["init", "-q"]);
    git(clean.path(), &["add", "-A"]);
    let run = try_repo(clean.path());
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("Passed"), "{}", run.stdout);
    // A commit without config files does not run the hook.
    let other = tempfile::tempdir().unwrap();
    std::fs::write(other.path().join("README.md"), "hello\n").unwrap();
    git(other.path(), &["init", "-q"]);
    git(other.path(), &["add", "-A"]);
    let run = try_repo(other.path());
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("(no files to check)Skipped"), "{}", run.stdout);
}
