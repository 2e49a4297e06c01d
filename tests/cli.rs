//! The real `envlens` binary: output in each format, exit codes, errors
//! beside healthy files, colour, pipes and secret masking.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

mod support;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use support::run::{self as runner, Ran};

const SECRETS: &[&str] = &["fake-dev-password", "fake-prod-password"];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Runs envlens in the fixtures folder, so paths in the output are stable.
fn envlens(args: &[&str]) -> Ran {
    support::run::envlens_in(&fixtures(), args)
}

fn assert_no_secret(text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "secret {secret:?} leaked:\n{text}");
    }
}

#[test]
fn json_output_for_each_format() {
    for format in
        ["yaml", "json", "toml", "dotenv", "jsonc", "json5", "properties", "ini", "tfvars"]
    {
        let run = envlens(&["diff", &format!("formats/{format}"), "--format", "json"]);
        assert_eq!(run.code, 1, "{format}: drift exits 1; stderr: {}", run.stderr);
        assert_eq!(run.stderr, "");
        assert_no_secret(&run.stdout);
        let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        insta::assert_json_snapshot!(format!("diff_json_{format}"), json);
    }
}

#[test]
fn table_is_plain_when_piped_and_coloured_on_request() {
    let run = envlens(&["diff", "formats/yaml"]);
    assert_eq!(run.code, 1);
    assert!(!run.stdout.contains('\x1b'), "piped output has no colour codes");
    assert_no_secret(&run.stdout);
    insta::assert_snapshot!("diff_table_yaml", run.stdout);

    let coloured = envlens(&["diff", "formats/yaml", "--color", "always"]);
    assert!(coloured.stdout.contains("\x1b[1;33m"), "a differing cell is bold yellow");
    assert_eq!(strip_ansi(&coloured.stdout), run.stdout);
}

#[test]
fn table_fits_in_the_given_width() {
    let stdout = envlens(&["diff", "formats/yaml", "--all", "--width", "40"]).stdout;
    for line in stdout.lines().skip(1) {
        let width = unicode_width::UnicodeWidthStr::width(line);
        assert!(width <= 40, "line of {width} columns: {line:?}");
    }
    assert!(stdout.contains('…'), "long values are cut with …:\n{stdout}");
    // A width too small to lay out a table is a usage error.
    let small = envlens(&["diff", "formats/yaml", "--width", "5"]);
    assert_eq!(small.code, 2);
    assert!(
        small.stderr.starts_with("envlens: ") && small.stderr.contains("  hint: "),
        "{}",
        small.stderr
    );
}

#[test]
fn markdown_output() {
    let run = envlens(&["diff", "formats/toml", "--format", "markdown", "--all"]);
    assert_eq!(run.code, 1);
    assert_no_secret(&run.stdout);
    insta::assert_snapshot!("diff_markdown_toml", run.stdout);
}

#[test]
fn reveal_shows_secrets() {
    for format in ["table", "json", "markdown"] {
        let run = envlens(&["diff", "formats/yaml", "--format", format, "--reveal"]);
        for secret in SECRETS {
            assert!(run.stdout.contains(secret), "{format} --reveal shows {secret}");
        }
        let masked = envlens(&["diff", "formats/yaml", "--format", format, "--all"]);
        assert_no_secret(&masked.stdout);
        assert!(masked.stdout.contains("••••••••"), "{format} shows the mask");
    }
}

#[test]
fn identical_envs_exit_zero() {
    let run = envlens(&["diff", "identical"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("every key is the same"), "{}", run.stdout);
    let all = envlens(&["diff", "identical", "--all", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&all.stdout).unwrap();
    let statuses: Vec<&str> = json["sets"][0]["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["same", "same", "same"]);
}

#[test]
fn a_broken_file_does_not_hide_the_healthy_ones() {
    let run = envlens(&["diff", "broken", "--format", "json"]);
    assert_eq!(run.code, 2);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let sets = json["sets"].as_array().unwrap();
    assert_eq!(sets.len(), 2);
    assert_eq!(sets[0]["name"], "bad/config");
    let error = &sets[0]["errors"][0];
    assert_eq!(error["env"], "prod");
    assert_eq!(error["file"], "bad/config_prod.yaml");
    assert!(error["line"].as_u64().is_some(), "{error}");
    // The broken env has no values: its keys are missing there.
    assert_eq!(sets[0]["keys"][0]["key"], "port");
    assert_eq!(sets[0]["keys"][0]["status"], "missing");
    assert_eq!(sets[1]["keys"][0]["status"], "differs");
    let line = run.stderr.lines().next().unwrap();
    assert!(line.starts_with("envlens: bad/config_prod.yaml:"), "{}", run.stderr);

    let table = envlens(&["diff", "broken"]);
    assert_eq!(table.code, 2);
    assert!(table.stdout.contains("prod (error)"), "{}", table.stdout);
    assert!(table.stdout.contains("ok/config"), "{}", table.stdout);
}

#[test]
fn bad_input_gets_one_line_and_a_hint() {
    let cases: &[(&[&str], &str)] = &[
        (&["diff", "no/such/folder"], "envlens: no such folder: no/such/folder"),
        (&["diff", "formats/yaml/config_dev.yaml"], "is a file, not a project folder"),
        (&["diff", "formats", "--set", "nope"], "envlens: no config set named `nope`"),
        (&["diff", "formats/yaml", "--envs", "dev,prdo"], "envlens: no env named `prdo`"),
        (&["diff", "cli-empty-folder-that-has-no-configs"], "envlens: no such folder"),
        (&["diff", "--format", "yaml"], "envlens: invalid value 'yaml' for '--format <FORMAT>'"),
        (&["diff", "--bogus"], "envlens: unexpected argument '--bogus' found"),
    ];
    for (args, expected) in cases {
        let run = envlens(args);
        assert_eq!(run.code, 2, "{args:?}");
        assert_eq!(run.stdout, "", "{args:?}");
        let mut lines = run.stderr.lines();
        assert!(lines.next().unwrap().contains(expected), "{args:?}: {}", run.stderr);
        // One line that says what, at most one more that says how to fix it.
        assert!(lines.next().is_none_or(|l| l.starts_with("  hint: ")), "{}", run.stderr);
        assert!(lines.next().is_none(), "{args:?}: {}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    }
    let hint = envlens(&["diff", "formats", "--set", "nope"]).stderr;
    assert!(
        hint.contains(
            "  hint: sets here: dotenv/.env, ini/config, json/config, json5/config, jsonc/config"
        ),
        "{hint}"
    );
    let empty = tempfile::tempdir().unwrap();
    let run = envlens(&["diff", empty.path().to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("envlens: no config files found under"), "{}", run.stderr);
    assert!(run.stderr.contains("  hint: "), "{}", run.stderr);
}

#[test]
fn set_and_env_selection() {
    let run = envlens(&["diff", "formats", "--set", "json/config", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["sets"].as_array().unwrap().len(), 1);
    assert_eq!(json["sets"][0]["name"], "json/config");

    let run = envlens(&["diff", "formats/yaml", "--envs", "prod", "--format", "json"]);
    assert_eq!(run.code, 0, "one env alone has no drift");
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["sets"][0]["envs"], serde_json::json!(["prod"]));
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let mut child = runner::command(&fixtures(), &["diff", "formats", "--all", "--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    let status = child.wait().unwrap();
    assert!(status.code().is_some_and(|c| c <= 1), "{status:?}");
}

#[test]
fn bare_command_on_a_pipe_points_to_diff() {
    let run = envlens(&["formats/yaml"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "", "nothing garbles the pipe");
    assert!(run.stderr.starts_with("envlens: "), "{}", run.stderr);
    assert!(run.stderr.contains("envlens diff"), "{}", run.stderr);
}

fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Runs envlens on a pseudo-terminal (util-linux `script`), where colour is
/// on by default, and returns what the terminal received.
#[cfg(unix)]
fn on_a_terminal(vars: &[(&str, &str)]) -> String {
    let bin = runner::BIN;
    let mut command = Command::new("script");
    command
        .args(["-qec", &format!("{bin} diff formats/yaml"), "/dev/null"])
        .current_dir(fixtures())
        .env("TERM", "xterm-256color")
        .env_remove("COLUMNS")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE")
        .envs(vars.iter().copied());
    let output = command.output().unwrap();
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[cfg(unix)]
#[test]
fn colour_on_a_terminal_unless_no_color() {
    if !support::have("script", "-V", "apt-get install bsdutils") {
        return;
    }
    let coloured = on_a_terminal(&[]);
    assert!(coloured.contains("db.host"), "{coloured}");
    assert!(coloured.contains("\x1b["), "a terminal gets colour: {coloured:?}");
    let plain = on_a_terminal(&[("NO_COLOR", "1")]);
    assert!(plain.contains("db.host"), "{plain}");
    assert!(!plain.contains("\x1b["), "NO_COLOR=1 turns colour off: {plain:?}");
    // An empty NO_COLOR does not count (no-color.org).
    assert!(on_a_terminal(&[("NO_COLOR", "")]).contains("\x1b["));
}

/// `CLICOLOR=0` turns colour off on a terminal, `CLICOLOR_FORCE=1` turns it
/// on in a pipe, and `NO_COLOR` wins over both (§7).
#[cfg(unix)]
#[test]
fn clicolor_and_clicolor_force() {
    if !support::have("script", "-V", "apt-get install bsdutils") {
        return;
    }
    let plain = on_a_terminal(&[("CLICOLOR", "0")]);
    assert!(plain.contains("db.host") && !plain.contains("\x1b["), "{plain:?}");
    assert!(on_a_terminal(&[("CLICOLOR", "1")]).contains("\x1b["));
    let piped = |vars: &[(&str, &str)]| {
        runner::run(
            runner::command(&fixtures(), &["diff", "formats/yaml"]).envs(vars.iter().copied()),
        )
        .stdout
    };
    assert!(!piped(&[]).contains('\x1b'));
    let forced = piped(&[("CLICOLOR_FORCE", "1")]);
    assert!(forced.contains("\x1b[1;33m"), "CLICOLOR_FORCE=1 colours a pipe: {forced:?}");
    assert_eq!(strip_ansi(&forced), piped(&[]));
    assert!(!piped(&[("CLICOLOR_FORCE", "0")]).contains('\x1b'));
    assert!(!piped(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]).contains('\x1b'));
    // `--color never` is stronger than any variable.
    let never = runner::command(&fixtures(), &["diff", "formats/yaml", "--color", "never"])
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap();
    assert!(!String::from_utf8(never.stdout).unwrap().contains('\x1b'));
}

/// A global gitignore applies whether git's config names it
/// (`core.excludesFile`) or it sits at git's default place, and a machine
/// without one sees every file.
#[test]
fn a_global_gitignore_is_honoured() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    std::fs::create_dir(&project).unwrap();
    for env in ["dev", "prod", "local"] {
        std::fs::write(project.join(format!("config_{env}.yaml")), "a: 1\n").unwrap();
    }
    let home = dir.path().join("home");
    let xdg = dir.path().join("xdg");
    std::fs::create_dir_all(xdg.join("git")).unwrap();
    std::fs::create_dir_all(&home).unwrap();
    let system = dir.path().join("system-gitconfig");
    std::fs::write(&system, "").unwrap();
    let envs = || {
        let output = runner::command(&project, &["diff", "--all", "--format", "json", "."])
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", &xdg)
            .env("GIT_CONFIG_SYSTEM", &system)
            .env_remove("GIT_CONFIG_GLOBAL")
            .output()
            .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        json["sets"][0]["envs"].clone()
    };
    assert_eq!(envs(), serde_json::json!(["local", "dev", "prod"]));
    std::fs::write(xdg.join("git/ignore"), "config_local.yaml\n").unwrap();
    assert_eq!(envs(), serde_json::json!(["dev", "prod"]), "git's default place");
    std::fs::remove_file(xdg.join("git/ignore")).unwrap();
    let named = dir.path().join("my-global-ignore");
    std::fs::write(&named, "config_prod.yaml\n").unwrap();
    let config = format!("[core]\n\texcludesFile = {}\n", named.display());
    std::fs::write(home.join(".gitconfig"), config).unwrap();
    assert_eq!(envs(), serde_json::json!(["local", "dev"]), "core.excludesFile");
}

/// The start-up the build script buys (build.rs): on Linux with glibc the
/// executable is position-dependent, so the loader applies no relocations
/// to it. ELF `e_type` at byte 16: 2 is an executable, 3 a PIE.
#[test]
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn the_executable_starts_without_relocating_itself() {
    if std::env::var_os("ENVLENS_PIE").is_some_and(|v| !v.is_empty() && v != "0") {
        eprintln!("skipped: ENVLENS_PIE asks for a position-independent build");
        return;
    }
    let header = std::fs::read(env!("CARGO_BIN_EXE_envlens")).unwrap();
    assert_eq!(&header[..4], b"\x7fELF");
    assert_eq!(u16::from_le_bytes([header[16], header[17]]), 2, "e_type: not ET_EXEC");
}
