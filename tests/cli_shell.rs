//! `envlens completions SHELL` and `envlens man`, tried as a user would:
//! bash sources the completion script and completes subcommands, flags and
//! their values; `man -l` renders the page without a warning. Each test
//! says why it skips when the tool it needs is missing (`.ci/run` installs
//! bash-completion and man-db).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

mod support;

use std::path::Path;
use std::process::Command;

const BASH_COMPLETION: &str = "/usr/share/bash-completion/bash_completion";
const SUBCOMMANDS: &[&str] = &["diff", "check", "docs", "get", "set", "completions", "man"];

fn envlens(args: &[&str]) -> (i32, String, String) {
    let run = support::run::envlens(args);
    (run.code, run.stdout, run.stderr)
}

fn have(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn a_script_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let (code, script, stderr) = envlens(&["completions", shell]);
        assert_eq!(code, 0, "{shell}: {stderr}");
        assert!(stderr.is_empty(), "{shell}: {stderr}");
        for sub in SUBCOMMANDS {
            assert!(script.contains(sub), "{shell} does not complete {sub}");
        }
    }
    let (code, _, stderr) = envlens(&["completions", "tcsh"]);
    assert_eq!(code, 2);
    assert!(stderr.starts_with("envlens: ") && stderr.contains("  hint: "), "{stderr}");
}

/// What bash offers after `words` (the last one being completed), with the
/// script sourced the way a user's `.bashrc` would.
fn bash_complete(script: &Path, words: &[&str]) -> Vec<String> {
    let words_quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let program = format!(
        "source {BASH_COMPLETION}\nsource {script}\n\
         COMP_WORDS=({words})\nCOMP_CWORD={cword}\nCOMP_LINE='{line}'\nCOMP_POINT=${{#COMP_LINE}}\n\
         _envlens envlens '{cur}' '{prev}'\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        script = script.display(),
        words = words_quoted.join(" "),
        cword = words.len() - 1,
        line = words.join(" "),
        cur = words.last().unwrap(),
        prev = words.get(words.len().wrapping_sub(2)).unwrap_or(&""),
    );
    let out =
        Command::new("bash").args(["--norc", "--noprofile", "-c", &program]).output().unwrap();
    assert!(out.status.success(), "bash: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().lines().map(str::to_owned).collect()
}

#[test]
fn bash_completes_subcommands_flags_and_values() {
    if !have("bash") {
        eprintln!("skipped: bash is not installed");
        return;
    }
    if !Path::new(BASH_COMPLETION).is_file() {
        eprintln!(
            "skipped: bash-completion is not installed ({BASH_COMPLETION}; apt-get install bash-completion)"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("envlens.bash");
    let (code, text, _) = envlens(&["completions", "bash"]);
    assert_eq!(code, 0);
    std::fs::write(&script, text).unwrap();
    let offered = bash_complete(&script, &["envlens", ""]);
    for sub in SUBCOMMANDS {
        assert!(offered.iter().any(|o| o == sub), "`envlens <TAB>` lacks {sub}: {offered:?}");
    }
    assert_eq!(bash_complete(&script, &["envlens", "ch"]), ["check"]);
    assert_eq!(bash_complete(&script, &["envlens", "comp"]), ["completions"]);
    let flags = bash_complete(&script, &["envlens", "check", "--"]);
    assert!(
        flags.iter().any(|f| f == "--format") && flags.iter().any(|f| f == "--strict"),
        "{flags:?}"
    );
    let mut formats = bash_complete(&script, &["envlens", "check", "--format", ""]);
    formats.sort();
    assert_eq!(formats, ["github", "gitlab", "json", "junit", "sarif", "text"]);
    let shells = bash_complete(&script, &["envlens", "completions", "z"]);
    assert_eq!(shells, ["zsh"]);
}

#[test]
fn the_man_page_renders_with_man() {
    let (code, page, stderr) = envlens(&["man"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(page.starts_with(".ie") || page.starts_with(".TH"), "roff: {}", &page[..80]);
    if !support::have("man", "--version", "apt-get install man-db") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("envlens.1");
    std::fs::write(&file, &page).unwrap();
    let out = Command::new("man")
        .args(["--warnings", "-l"])
        .arg(&file)
        .env("MANWIDTH", "80")
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let warnings = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "man -l failed: {warnings}");
    assert!(warnings.trim().is_empty(), "groff warns:\n{warnings}");
    for want in ["NAME", "SYNOPSIS", "COMMANDS", "EXIT STATUS", "ENVIRONMENT", "CLICOLOR_FORCE"] {
        assert!(text.contains(want), "the page lacks {want}:\n{text}");
    }
    for sub in SUBCOMMANDS {
        assert!(text.contains(&format!("envlens {sub}")), "no section for {sub}");
    }
    // Every flag of `check`, its formats too.
    assert!(text.contains("--strict") && text.contains("sarif, gitlab, junit"), "{text}");
    // Rendered text, not roff requests.
    assert!(!text.lines().any(|l| l.starts_with('.')), "{text}");
}
