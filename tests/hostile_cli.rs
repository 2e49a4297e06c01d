//! The hostile corpus (`tests/fixtures/hostile/`, and the big files made
//! here at run time) through the real binary: for each file, `envlens diff`
//! (table and JSON) and `envlens check` finish, name that file with a clear
//! error, and still show the healthy file beside it. The TUI gets one
//! project holding every kind at once (in tmux, at the end).
//!
//! Every run has a hang guard: a command that does not finish within its
//! deadline is killed and fails the test, so a blocking FIFO or a runaway
//! parser shows as a failure, not as a stuck CI job.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

mod support;

use envlens::core::discover::DiscoverOptions;
use envlens::core::project::Project;
use support::run::Ran;
#[cfg(unix)]
use support::tmux::Session;

fn hostile(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile").join(name)
}

/// Runs envlens in `dir`, killing it (and failing) after `deadline`.
fn envlens_in(dir: &Path, args: &[&str], deadline: Duration) -> Ran {
    let mut command = support::run::command(dir, args);
    command.env("NO_COLOR", "1").env("ENVLENS_CONFIG", "/dev/null");
    support::run::run_within(&mut command, deadline)
}

fn envlens(dir: &Path, args: &[&str]) -> Ran {
    envlens_in(dir, args, Duration::from_secs(120))
}

/// No Rust panic or backtrace text may reach the user (§7).
fn assert_no_panic(run: &Ran, what: &str) {
    for bad in ["panicked", "RUST_BACKTRACE", "stack backtrace"] {
        assert!(!run.stderr.contains(bad), "{what}: panic text on stderr:\n{}", run.stderr);
    }
    assert!(run.code != -1, "{what}: killed by a signal\n{}", run.stderr);
}

/// The healthy file's name and text for a format (by extension).
fn healthy(ext: &str) -> (String, &'static str) {
    match ext {
        "yaml" => ("config_dev.yaml".into(), "healthy_key: 1\n"),
        "json" | "jsonc" | "json5" => (format!("config_dev.{ext}"), "{\"healthy_key\": 1}\n"),
        "toml" => ("config_dev.toml".into(), "healthy_key = 1\n"),
        "properties" => ("config_dev.properties".into(), "healthy_key=1\n"),
        "ini" => ("config_dev.ini".into(), "[s]\nhealthy_key = 1\n"),
        "tfvars" => ("config_dev.tfvars".into(), "healthy_key = 1\n"),
        _ => (".env.dev".into(), "healthy_key=1\n"),
    }
}

/// The prod file's name for a format.
fn prod_name(ext: &str) -> String {
    if ext == "env" { ".env.prod".into() } else { format!("config_prod.{ext}") }
}

/// A project with the healthy dev file and `bytes` as prod; returns the
/// folder and prod's name.
fn project_with(ext: &str, bytes: &[u8]) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let (dev, text) = healthy(ext);
    std::fs::write(dir.path().join(dev), text).unwrap();
    let prod = prod_name(ext);
    std::fs::write(dir.path().join(&prod), bytes).unwrap();
    (dir, prod)
}

/// `diff` (table and JSON) and `check` on a project whose file `bad` is
/// broken: each names `bad` with a message holding `expect`, and the
/// healthy key is still shown with its value.
fn assert_isolated(dir: &Path, bad: &str, expect: &str) {
    let what = format!("{bad} ({expect})");
    let json = envlens(dir, &["diff", "--format", "json"]);
    assert_no_panic(&json, &what);
    assert_eq!(json.code, 2, "{what}: diff exits 2 on a file error\n{}", json.stderr);
    assert!(
        json.stderr
            .lines()
            .any(|l| l.starts_with(&format!("envlens: {bad}")) && l.contains(expect)),
        "{what}: stderr names the file and why:\n{}",
        json.stderr
    );
    let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let set = &report["sets"][0];
    let errors = set["errors"].as_array().unwrap();
    assert!(
        errors.iter().any(|e| e["file"] == bad && e["message"].as_str().unwrap().contains(expect)),
        "{what}: {errors:?}"
    );
    // An INI file's keys are below its section.
    let key = set["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["key"] == "healthy_key" || k["key"] == "s.healthy_key");
    let key = key.unwrap_or_else(|| panic!("{what}: the healthy key is shown: {set}"));
    let dev = &key["values"]["dev"]["value"];
    assert!(dev == 1 || dev == "1", "{what}: {key}");

    let table = envlens(dir, &["diff"]);
    assert_no_panic(&table, &what);
    assert_eq!(table.code, 2, "{what}");
    assert!(table.stdout.contains("healthy_key"), "{what}: {}", table.stdout);
    assert!(table.stdout.contains("(error)"), "{what}: the env is marked: {}", table.stdout);

    let check = envlens(dir, &["check", "--format", "json"]);
    assert_no_panic(&check, &what);
    assert_eq!(check.code, 1, "{what}: a parse error is a finding\n{}", check.stderr);
    let findings: serde_json::Value = serde_json::from_str(&check.stdout).unwrap();
    assert!(
        findings["findings"].as_array().unwrap().iter().any(|f| f["rule"] == "parse-error"
            && f["file"] == bad
            && f["message"].as_str().unwrap().contains(expect)),
        "{what}: {findings}"
    );
}

/// The committed corpus: each file as prod beside a healthy dev file.
#[test]
fn committed_hostile_files() {
    let cases = [
        ("invalid_utf8_key.yaml", "invalid UTF-8"),
        ("invalid_utf8_value.yaml", "invalid UTF-8"),
        ("invalid_utf8_key.json", "invalid UTF-8"),
        ("invalid_utf8_value.json", "invalid UTF-8"),
        ("invalid_utf8_key.toml", "invalid UTF-8"),
        ("invalid_utf8_value.toml", "invalid UTF-8"),
        ("invalid_utf8_key.env", "invalid UTF-8"),
        ("invalid_utf8_value.env", "invalid UTF-8"),
        ("nul.yaml", "NUL byte"),
        ("nul.json", "NUL byte"),
        ("nul.toml", "NUL byte"),
        ("nul.env", "NUL byte"),
        ("utf16le.yaml", "UTF-16"),
        ("utf16be.json", "UTF-16"),
        ("utf16le_nobom.toml", "UTF-16"),
        ("utf32le.env", "UTF-32"),
        ("alias_bomb.yaml", "alias expansion exceeds 1,000,000 nodes"),
        ("merge_bomb.yaml", "alias expansion exceeds 1,000,000 nodes"),
        ("table_redefined.toml", "duplicate key `a`"),
        ("table_redefined_dotted.toml", "duplicate key `a`"),
        ("number_10000_digits.json", "out of range"),
        ("number_10000_digits.toml", "overflow"),
        ("nul.jsonc", "NUL byte"),
        ("invalid_utf8_value.json5", "invalid UTF-8"),
        ("unterminated_comment.jsonc", "unterminated `/*` comment"),
        ("nul.properties", "NUL byte"),
        ("invalid_utf8_key.properties", "invalid UTF-8"),
        ("deep_key.properties", "nesting deeper than 256 levels"),
        ("bad_unicode_escape.properties", "malformed `\\uXXXX` escape"),
        ("nul.ini", "NUL byte"),
        ("invalid_utf8_value.ini", "invalid UTF-8"),
        ("missing_header.ini", "expected a `[section]` header"),
        ("nul.tfvars", "NUL byte"),
        ("invalid_utf8_value.tfvars", "invalid UTF-8"),
        ("deep_object.tfvars", "nesting too deep for the HCL parser"),
    ];
    for (name, expect) in cases {
        let ext = name.rsplit('.').next().unwrap();
        let (dir, prod) = project_with(ext, &std::fs::read(hostile(name)).unwrap());
        assert_isolated(dir.path(), &prod, expect);
    }
}

/// YAML reads an integer too big for i64 as a float (the YAML parser's
/// documented choice): the file loads, the healthy one too.
#[test]
fn a_yaml_number_of_10000_digits_loads() {
    let (dir, _) =
        project_with("yaml", &std::fs::read(hostile("number_10000_digits.yaml")).unwrap());
    let run = envlens(dir.path(), &["diff", "--format", "json"]);
    assert_no_panic(&run, "number_10000_digits.yaml");
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.contains("healthy_key"));
}

#[test]
fn a_file_over_64_mib() {
    for ext in ["yaml", "json", "toml", "env"] {
        let (dir, prod) = project_with(ext, b"");
        // Sparse: the size check must come before any read.
        std::fs::File::options()
            .write(true)
            .open(dir.path().join(&prod))
            .unwrap()
            .set_len(64 * 1024 * 1024 + 1)
            .unwrap();
        assert_isolated(dir.path(), &prod, "over the 64 MiB limit");
    }
}

#[test]
fn nesting_10000_deep_in_each_format() {
    let depth = 10_000;
    let cases = [
        ("yaml", format!("{}x\n", "- ".repeat(depth))),
        ("yaml", format!("{}1{}", "{a: ".repeat(depth), "}".repeat(depth))),
        ("yaml", {
            let mut s = String::new();
            for i in 0..depth {
                writeln!(s, "{}k:", " ".repeat(i)).unwrap();
            }
            s
        }),
        ("json", format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth))),
        ("json", format!("{}{}", "[".repeat(depth), "]".repeat(depth))),
        ("toml", format!("a = {}{}\n", "[".repeat(depth), "]".repeat(depth))),
        ("toml", format!("a = {}1{}\n", "{b = ".repeat(depth), "}".repeat(depth))),
        ("toml", format!("{} = 1\n", vec!["k"; depth].join("."))),
        ("toml", format!("[{}]\nx = 1\n", vec!["k"; depth].join("."))),
    ];
    for (ext, text) in cases {
        let (dir, prod) = project_with(ext, text.as_bytes());
        // Every parser refuses with "nesting": envlens's own limit is 256,
        // toml_edit's is lower.
        assert_isolated(dir.path(), &prod, "nesting");
    }
}

/// A healthy config cut at every few bytes: each cut either loads or is an
/// error of that file, the healthy file beside it always loads. The
/// library sees every cut; the binary every 16th.
#[test]
fn truncated_at_every_few_bytes() {
    for (real, ext) in [
        ("config.yaml", "yaml"),
        ("config.json", "json"),
        ("config.toml", "toml"),
        ("config.env", "env"),
    ] {
        let full = std::fs::read(hostile("real").join(real)).unwrap();
        let (dir, prod) = project_with(ext, b"");
        for (n, cut) in (0..full.len()).step_by(3).enumerate() {
            std::fs::write(dir.path().join(&prod), &full[..cut]).unwrap();
            let project = Project::load(dir.path(), &DiscoverOptions::default());
            let envs = &project.sets[0].envs;
            assert!(envs[0].error.is_none(), "{real} cut at {cut}: the healthy file loads");
            if n % 16 == 0 {
                let what = format!("{real} cut at {cut}");
                let diff = envlens(dir.path(), &["diff", "--format", "json"]);
                assert_no_panic(&diff, &what);
                assert!(diff.stdout.contains("healthy_key"), "{what}");
                let check = envlens(dir.path(), &["check"]);
                assert_no_panic(&check, &what);
                assert!(matches!(check.code, 0 | 1), "{what}: {}", check.stderr);
            }
        }
    }
}

/// One file of 1,000,000 keys (dev in YAML, prod the same keys in JSON):
/// both load and compare, nothing differs.
#[test]
fn a_million_keys_in_one_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut yaml = String::with_capacity(16 << 20);
    let mut json = String::with_capacity(18 << 20);
    json.push('{');
    for i in 0..1_000_000 {
        writeln!(yaml, "k{i}: {i}").unwrap();
        write!(json, "{}\"k{i}\": {i}", if i == 0 { "" } else { "," }).unwrap();
    }
    json.push('}');
    std::fs::write(dir.path().join("config_dev.yaml"), yaml).unwrap();
    std::fs::write(dir.path().join("config_prod.json"), json).unwrap();
    let deadline = Duration::from_secs(600);
    let run = envlens_in(dir.path(), &["diff", "--format", "json"], deadline);
    assert_no_panic(&run, "a million keys");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let get = envlens_in(dir.path(), &["get", "k999999", "--env", "prod"], deadline);
    assert_eq!((get.code, get.stdout.as_str()), (0, "999999\n"), "{}", get.stderr);
}

/// A 16 MiB single-line value and a 1 MiB key: they load, and the table
/// stays one row per key.
#[test]
fn very_long_lines() {
    let long = "x".repeat(16 << 20);
    let key = "k".repeat(1 << 20);
    for (ext, text) in [
        ("yaml", format!("v: {long}\n{key}: 1\n")),
        ("json", format!("{{\"v\": \"{long}\", \"{key}\": 1}}")),
        ("toml", format!("v = \"{long}\"\n{key} = 1\n")),
        ("env", format!("V={long}\n{key}=1\n")),
    ] {
        let (dir, _) = project_with(ext, text.as_bytes());
        let run = envlens(dir.path(), &["diff"]);
        assert_no_panic(&run, ext);
        assert_eq!(run.code, 1, "{ext}: {}", run.stderr);
        assert!(run.stdout.contains("healthy_key"), "{ext}");
        assert!(run.stdout.lines().count() < 10, "{ext}: {} lines", run.stdout.lines().count());
    }
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_dangling_links() {
    use std::os::unix::fs::symlink;
    let (dir, _) = project_with("yaml", b"healthy_key: 2\n");
    let root = dir.path();
    symlink("config_qa.yaml", root.join("config_qa.yaml")).unwrap();
    symlink("loop_b", root.join("config_test.yaml")).unwrap();
    symlink("config_test.yaml", root.join("loop_b")).unwrap();
    symlink("nowhere.yaml", root.join("config_stage.yaml")).unwrap();
    // A folder loop: the walk must not go round it.
    symlink(".", root.join("again")).unwrap();
    assert_isolated(root, "config_qa.yaml", "symbolic link");
    assert_isolated(root, "config_test.yaml", "symbolic link");
    assert_isolated(root, "config_stage.yaml", "does not exist");
}

#[cfg(unix)]
#[test]
fn unreadable_file() {
    use std::os::unix::fs::PermissionsExt as _;
    let (dir, prod) = project_with("yaml", b"healthy_key: 2\n");
    let path = dir.path().join(&prod);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if is_root() {
        // Root reads a mode-000 file, so there is no error to see here;
        // `symlink_loops_and_dangling_links` covers a file that fails to
        // open for another reason. The run must still be sound.
        let run = envlens(dir.path(), &["diff"]);
        assert_no_panic(&run, "mode 000 as root");
        return;
    }
    assert_isolated(dir.path(), &prod, "permission denied");
}

#[cfg(unix)]
fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

/// A FIFO named like a config file never blocks the scan (nobody writes
/// to it): it is an error of its env. A folder named like one is no file:
/// a warning says it was skipped.
#[cfg(unix)]
#[test]
fn fifo_and_folder_named_like_config_files() {
    let (dir, _) = project_with("yaml", b"healthy_key: 2\n");
    let root = dir.path();
    let made = Command::new("mkfifo").arg(root.join("config_staging.yaml")).status().unwrap();
    assert!(made.success());
    std::fs::create_dir(root.join("config_qa.yaml")).unwrap();
    std::fs::write(root.join("config_qa.yaml/config_x.yaml"), "healthy_key: 3\n").unwrap();
    assert_isolated(root, "config_staging.yaml", "not a regular file");
    let run = envlens(root, &["diff"]);
    assert!(
        run.stderr.contains("envlens: warning: config_qa.yaml is a folder, not a config file"),
        "{}",
        run.stderr
    );
    // Files inside that folder are still found.
    assert!(run.stdout.contains("config_qa.yaml/config"), "{}", run.stdout);
}

/// An ignore file that is a FIFO would block the walk reading it (nobody
/// writes to it). In a subfolder, that folder is left out with a warning;
/// at the root, no ignore file is read, with a warning.
#[cfg(unix)]
#[test]
fn ignore_files_that_are_fifos() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let write = |rel: &str, text: &str| {
        std::fs::create_dir_all(root.join(rel).parent().unwrap()).unwrap();
        std::fs::write(root.join(rel), text).unwrap();
    };
    write("config_dev.yaml", "a: 1\n");
    write("config_prod.yaml", "a: 2\n");
    write("svc/config_dev.yaml", "b: 1\n");
    write("other/config_dev.yaml", "c: 1\n");
    let mkfifo = |rel: &str| {
        assert!(Command::new("mkfifo").arg(root.join(rel)).status().unwrap().success());
    };
    mkfifo("svc/.gitignore");
    let run = envlens_in(root, &["diff", "--all"], Duration::from_secs(30));
    assert_no_panic(&run, "a FIFO .gitignore in a subfolder");
    assert!(
        run.stderr.contains("svc/.gitignore is not a regular file; its folder was not scanned"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("other/config") && !run.stdout.contains("svc/config"));
    assert!(run.stdout.contains("≠ a"), "{}", run.stdout);

    write("config_local.yaml", "a: 3\n");
    mkfifo(".ignore");
    let run = envlens_in(root, &["diff", "--all"], Duration::from_secs(30));
    assert_no_panic(&run, "a FIFO .ignore at the root");
    assert!(run.stderr.contains(".ignore is not a regular file; no ignore file was read"));
    // With no ignore file read, the subfolder is scanned (its FIFO is
    // never opened) and every env of the root set is there.
    assert!(run.stdout.contains("svc/config") && run.stdout.contains("local"), "{}", run.stdout);
}

/// `.envlens.toml` as a FIFO would block reading the settings: it is an
/// error naming the file instead.
#[cfg(unix)]
#[test]
fn settings_file_that_is_a_fifo() {
    let (dir, _) = project_with("yaml", b"healthy_key: 2\n");
    let made = Command::new("mkfifo").arg(dir.path().join(".envlens.toml")).status().unwrap();
    assert!(made.success());
    for args in [&["diff"][..], &["check"][..]] {
        let run = envlens_in(dir.path(), args, Duration::from_secs(30));
        assert_eq!(run.code, 2);
        assert!(run.stderr.contains(".envlens.toml:1: the settings file is not a regular file"));
    }
}

/// Every kind of hostile file in one project, in the real TUI (tmux): the
/// view opens, shows the healthy values, marks the broken envs, and quits.
#[cfg(unix)]
#[test]
fn tui_opens_on_a_hostile_project() {
    use std::os::unix::fs::symlink;
    if !support::have("tmux", "-V", "apt-get install tmux") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("config_dev.yaml"), "healthy_key: 4242\n").unwrap();
    let copies = [
        ("alias_bomb.yaml", "config_a1.yaml"),
        ("invalid_utf8_value.yaml", "config_a2.yaml"),
        ("nul.json", "config_a3.json"),
        ("utf16le.yaml", "config_a4.yaml"),
        ("table_redefined.toml", "config_a5.toml"),
        ("number_10000_digits.json", "config_a6.json"),
    ];
    for (from, to) in copies {
        std::fs::copy(hostile(from), root.join(to)).unwrap();
    }
    std::fs::write(
        root.join("config_a7.json"),
        format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)),
    )
    .unwrap();
    let big = std::fs::File::create(root.join("config_a8.yaml")).unwrap();
    big.set_len(64 * 1024 * 1024 + 1).unwrap();
    symlink("config_a9.yaml", root.join("config_a9.yaml")).unwrap();
    assert!(Command::new("mkfifo").arg(root.join("config_b1.yaml")).status().unwrap().success());
    std::fs::create_dir(root.join("config_b2.yaml")).unwrap();

    let env = [("ENVLENS_CONFIG", "/dev/null")];
    let Some(s) = Session::start_in("hostile", root, &env, ".", (160, 40)) else { return };
    s.wait_text("4242");
    // The detail pane follows the first frame on a loaded machine.
    let screen = s.wait_text("did not load");
    assert!(screen.contains("4242"), "the healthy env shows:\n{screen}");
    assert!(screen.contains("⚠"), "broken envs are marked:\n{screen}");
    s.keys(&["q"]);
    let end = s.wait_text("envlens exited");
    assert!(end.contains("envlens exited 0"), "{end}");
    assert!(!end.contains("panicked"), "{end}");
}

/// Key globs of the project settings against hostile keys: many `*` on a
/// long segment and many `**` on a deep key matched in exponential time
/// (the run hung); they now finish at once.
#[test]
fn settings_globs_on_long_and_deep_keys() {
    let dir = tempfile::tempdir().unwrap();
    let mut deep = String::new();
    for i in 0..250 {
        writeln!(deep, "{}k:", "  ".repeat(i)).unwrap();
    }
    writeln!(deep, "{}x: 1", "  ".repeat(250)).unwrap();
    std::fs::write(dir.path().join("config_dev.yaml"), deep).unwrap();
    // YAML caps a plain key at 1024 characters; JSON has no cap.
    let long = format!("{{\"{}\": 1, \"healthy_key\": 1}}", "a".repeat(5_000));
    std::fs::write(dir.path().join("config_prod.json"), long).unwrap();
    std::fs::write(
        dir.path().join(".envlens.toml"),
        "secret_keys = [\"*a*a*a*a*a*a*a*a*a*b\", \"**.**.**.**.**.**.**.y\"]\n\
         [drift]\nexpected = [\"**.**.**.**.**.**.**.**.z\", \"*a*a*a*a*a*a*a*a*a*a*c\"]\n",
    )
    .unwrap();
    for args in [&["diff", "--format", "json"][..], &["check", "--format", "json"]] {
        let run = envlens_in(dir.path(), args, Duration::from_secs(60));
        assert_no_panic(&run, "globs");
        assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
    }
}

/// A settings file or a schema over 64 MiB is refused before it is read
/// (sparse files: reading them whole would take the memory).
#[test]
fn huge_settings_and_schema_files() {
    let (dir, _) = project_with("yaml", b"healthy_key: 2\n");
    let sparse = |name: &str| {
        let file = std::fs::File::create(dir.path().join(name)).unwrap();
        file.set_len(64 * 1024 * 1024 + 1).unwrap();
    };
    sparse("config.schema.json");
    let run = envlens(dir.path(), &["diff", "--format", "json"]);
    assert_no_panic(&run, "huge schema");
    assert!(run.stderr.contains("config.schema.json: schema: file is"), "{}", run.stderr);
    assert!(run.stdout.contains("healthy_key"));
    sparse(".envlens.toml");
    let run = envlens(dir.path(), &["check"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains(".envlens.toml:1: the settings file is"), "{}", run.stderr);
    assert!(run.stderr.contains("over the 64 MiB limit"), "{}", run.stderr);
}
