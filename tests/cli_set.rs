//! `envlens set` as a user runs it, on fixture copies: the one output
//! line, exit codes 0/1/2, `envlens: refused: …`, secrets masked, `--`
//! before a value starting with `-`, `--type`, and the crash test: a
//! `set` killed with SIGKILL at random moments never leaves a truncated or
//! mixed file.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_envlens");

fn fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/edit").join(name);
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    dir
}

fn set(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN).arg("set").args(args).current_dir(dir).env("NO_COLOR", "1").output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn writes_and_prints_the_changed_line() {
    let dir = fixture("yaml");
    let before = std::fs::read_to_string(dir.path().join("config_dev.yaml")).unwrap();
    let out = set(dir.path(), &["database.pool_size", "32", "--env", "dev"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "config_dev.yaml:12: database.pool_size = 32\n");
    assert!(out.stderr.is_empty());
    let after = std::fs::read_to_string(dir.path().join("config_dev.yaml")).unwrap();
    assert_eq!(after, before.replace("pool_size: 8\n", "pool_size: 32\n"));
}

#[test]
fn path_set_and_type_flags() {
    let dir = fixture("toml");
    let root = dir.path().to_str().unwrap();
    let out = Command::new(BIN)
        .args(["set", "database.port", "--env", "prod", "--set", "config", "--type", "string"])
        .args(["--", "-5", root])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "config_prod.toml:6: database.port = \"-5\"\n");
    let prod = std::fs::read(dir.path().join("config_prod.toml")).unwrap();
    assert!(prod.starts_with("\u{feff}".as_bytes()));
    assert!(text(&prod).contains("\r\nport = \"-5\"\r\n"));
}

#[test]
fn refusals_exit_1_and_write_nothing() {
    let dir = fixture("yaml");
    let path = dir.path().join("config_dev.yaml");
    let before = std::fs::read(&path).unwrap();
    let out = set(dir.path(), &["database.pool_size", "forty", "--env", "dev"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "envlens: refused: \"forty\" is not an int\n  hint: to change the type of \
         `database.pool_size` on purpose, add --type string\n"
    );
    let out = set(dir.path(), &["database.pool_size", "65", "--env", "dev"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).starts_with("envlens: refused: database.pool_size: 65 "));
    let out = set(dir.path(), &["database.host", "x", "--env", "dev"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("`<<` merge"), "{}", text(&out.stderr));
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert!(out.stdout.is_empty());
}

/// A typo names a key no env has: refused with the close key, nothing
/// written; `--new` adds it on purpose; a key missing in one env only is
/// still added without `--new`.
#[test]
fn a_key_no_env_has_needs_new() {
    let dir = fixture("yaml");
    let path = dir.path().join("config_dev.yaml");
    let before = std::fs::read_to_string(&path).unwrap();
    let out = set(dir.path(), &["databse.pool_size", "32", "--env", "dev"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stderr),
        "envlens: refused: no env of `config` has the key `databse.pool_size`; nothing was \
         written\n  hint: did you mean `database.pool_size`? (--new adds `databse.pool_size` as \
         a new key)\n"
    );
    assert!(out.stdout.is_empty());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), before);

    let out = set(dir.path(), &["databse.pool_size", "32", "--env", "dev", "--new"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(std::fs::read_to_string(&path).unwrap().contains("databse:"));

    // `greeting` is only prod's: dev gets it without --new.
    let out = set(dir.path(), &["greeting", "hi", "--env", "dev"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(std::fs::read_to_string(&path).unwrap().contains("greeting: hi"));
}

#[test]
fn errors_exit_2() {
    let dir = fixture("json");
    let out = set(dir.path(), &["service", "x", "--env", "qa"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).starts_with("envlens: no env named `qa`"), "{}", text(&out.stderr));
    let out = set(dir.path(), &["service", "x"]);
    assert_eq!(out.status.code(), Some(2), "--env is required");
}

#[test]
fn secrets_never_reach_the_terminal() {
    let dir = fixture("dotenv");
    let out = set(dir.path(), &["DB_PASSWORD", "hunter2", "--env", "prod"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), ".env.prod:3: DB_PASSWORD = ••••••••\n");
    let env = std::fs::read_to_string(dir.path().join(".env.prod")).unwrap();
    assert!(env.contains("\r\nDB_PASSWORD=hunter2\r\n"));
    let yaml = fixture("yaml");
    let out = set(yaml.path(), &["database.password", "hunter2", "--env", "dev", "--type", "int"]);
    assert_eq!(out.status.code(), Some(1));
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(!all.contains("hunter2") && !all.contains("s3cr3t"), "{all}");
}

#[cfg(unix)]
#[test]
fn read_only_file_is_refused() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = fixture("dotenv");
    let path = dir.path().join(".env.dev");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o400)).unwrap();
    let out = set(dir.path(), &["LOG_LEVEL", "info", "--env", "dev"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains(".env.dev is read-only"), "{}", text(&out.stderr));
}

/// SIGKILL at random moments of many `set` runs: after every kill the file
/// is one of the complete versions, never a truncated or mixed one.
#[cfg(unix)]
#[test]
fn killed_writes_never_leave_a_broken_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config_dev.yaml");
    let padding = "# padding line to make the write take a while\n".repeat(2000);
    let version = |n: u32| format!("{padding}app:\n  counter: {n}\n  tail: end\n");
    std::fs::write(&path, version(0)).unwrap();
    // A fixed xorshift sequence: random-looking kill moments, same every run.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next_delay = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % 25_000
    };
    let mut kills = 0;
    for n in 1..=60u32 {
        let mut child = Command::new(BIN)
            .args(["set", "app.counter", &n.to_string(), "--env", "dev"])
            .current_dir(dir.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_micros(next_delay()));
        if child.try_wait().unwrap().is_none() {
            kills += 1;
        }
        child.kill().ok();
        child.wait().unwrap();
        let now = std::fs::read_to_string(&path).unwrap();
        assert!(
            (0..=n).any(|k| now == version(k)),
            "broken file after run {n}:\n{}",
            &now[now.len() - 60..]
        );
    }
    assert!(kills > 0, "no run was killed before it ended");
    let strays: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name != "config_dev.yaml" && name.starts_with("config_"))
        .collect();
    assert!(strays.is_empty(), "{strays:?}");
}

/// Issue 20: a key goes into an empty `{}` (block style where the file
/// writes blocks) and into a TOML inline table, every other byte kept.
#[test]
fn new_keys_go_into_empty_maps_and_inline_tables() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = dir.path().join("yaml");
    std::fs::create_dir(&yaml).unwrap();
    std::fs::write(yaml.join("config_dev.yaml"), "app:\n  name: x\n  debug: {}\n").unwrap();
    std::fs::write(yaml.join("config_prod.yaml"), "app:\n  name: y\n  debug: {}\n").unwrap();
    let out = set(&yaml, &["app.debug.sql_echo", "true", "--env", "dev", "--new"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        std::fs::read_to_string(yaml.join("config_dev.yaml")).unwrap(),
        "app:\n  name: x\n  debug:\n    sql_echo: true\n"
    );
    let toml = dir.path().join("toml");
    std::fs::create_dir(&toml).unwrap();
    let before = "# db\ndb = { host = \"h\" } # inline\ndebug = {}\n";
    std::fs::write(toml.join("config_dev.toml"), before).unwrap();
    std::fs::write(toml.join("config_prod.toml"), before).unwrap();
    let out = set(&toml, &["db.port", "5432", "--env", "prod", "--new"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = set(&toml, &["debug.sql_echo", "true", "--env", "prod", "--new"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        std::fs::read_to_string(toml.join("config_prod.toml")).unwrap(),
        "# db\ndb = { host = \"h\", port = 5432 } # inline\ndebug = { sql_echo = true }\n"
    );
    assert_eq!(std::fs::read_to_string(toml.join("config_dev.toml")).unwrap(), before);
}
