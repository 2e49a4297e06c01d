//! Secrets never leak (§5): with `tests/fixtures/leaks/`, whose every
//! secret is listed in `SECRETS`, every command in every format (the CI
//! reports SARIF, GitLab Code Quality and JUnit too) runs
//! without `--reveal` and no secret's text reaches standard output or
//! standard error; `set` on secret keys (written and refused) prints none;
//! `init` writes new env files without any; a forced panic prints one
//! line without any; the TUI's pane (tmux) shows
//! none, also while a secret is typed; the snapshots hold none; the only
//! files envlens writes are the edited config and `init`'s new env files. The mask never tells a
//! secret's length.
//!
//! envlens has no logging (no `log` or `tracing` crate, no log file), so
//! "the most verbose log level" is checked as: with `RUST_LOG=trace` and
//! `RUST_BACKTRACE=full` set, nothing more is printed and no file appears.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

use std::path::{Path, PathBuf};

mod support;

use support::run::Ran;
use support::tmux::Session;

/// Every secret of the fixture. All but the three pins hold `LEAK`, which
/// no key name or comment of the fixture does, so the scan also looks for
/// `LEAK` to catch a secret this list forgot.
const SECRETS: &[&str] = &[
    "LEAK",
    "LEAKyamlSchemaMarked01",
    "LEAKyamlUrlPass02",
    "LEAKyamlDbPassword03",
    "LEAKsharedApiKey04",
    "LEAKyamlToken05",
    "LEAKyamlSigning06",
    "918273645",
    "LEAKyamlFormatPassword07",
    "AKIALEAKYAMLFAKE0008",
    "ghp_LEAKyamlGithub09abcdefghijklmnopqrst",
    "sk_live_LEAKyamlStripe10",
    "LEAKyamlJwtSig11",
    "AIzaLEAKyamlGoogle12abcdefghijklmnopqrs",
    "LEAKyamlPemBody13",
    "LEAKyamlAnchored14",
    "LEAKjsonSchemaMarked21",
    "LEAKjsonUrlPass22",
    "LEAKjsonDbPassword23",
    "LEAKjsonToken25",
    "LEAKjsonSigning26",
    "564738291",
    "LEAKjsonFormatPassword27",
    "AKIALEAKJSONFAKE0028",
    "sk_live_LEAKjsonStripe29",
    "LEAKjsonShared30",
    "LEAKtomlSchemaMarked41",
    "LEAKtomlUrlPass42",
    "LEAKtomlDbPassword43",
    "LEAKtomlApiKey44",
    "LEAKtomlToken45",
    "LEAKtomlSigning46",
    "192837465",
    "LEAKtomlFormatPassword47",
    "AKIALEAKTOMLFAKE0048",
    "LEAKenvDevPassword61",
    "sk_live_LEAKenvDevStripe62",
    "LEAKenvDevUrl63",
    "LEAKenvDevToken64",
    "LEAKenvProdPassword71",
    "sk_live_LEAKenvProdStripe72",
    "LEAKenvProdUrl73",
    "LEAKenvProdToken74",
];

/// New secret values the `set` runs write; they must not be printed either.
const NEW_SECRETS: &[&str] = &[
    "LEAKnewValue91",
    "LEAKnotAnInt92",
    "LEAKalias93",
    "778899001",
    "AKIALEAKNEWFAKE00095",
    "LEAKenvNew96",
    "LEAKnewUrl97",
    "LEAKdash98",
    "LEAKadded99",
];

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/leaks")
}

/// A copy of the fixture (for writes) beside an empty home folder, so that
/// any file envlens creates anywhere it may write is found.
struct Sandbox {
    _dir: tempfile::TempDir,
    root: PathBuf,
    home: PathBuf,
}

fn sandbox() -> Sandbox {
    sandbox_of(&fixture())
}

/// A sandbox holding a copy of the files of `fixture`.
fn sandbox_of(fixture: &Path) -> Sandbox {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("project");
    let home = dir.path().join("home");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::create_dir_all(&home).unwrap();
    for entry in std::fs::read_dir(fixture).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), root.join(entry.file_name())).unwrap();
    }
    Sandbox { _dir: dir, root, home }
}

impl Sandbox {
    fn run(&self, args: &[&str]) -> Ran {
        self.run_with(args, &[])
    }

    fn run_with(&self, args: &[&str], env: &[(&str, &str)]) -> Ran {
        support::run::run(
            support::run::command(&self.root, args)
                .env("HOME", &self.home)
                .env("XDG_CONFIG_HOME", self.home.join(".config"))
                .env("XDG_DATA_HOME", self.home.join(".local/share"))
                .env("XDG_STATE_HOME", self.home.join(".local/state"))
                .env("XDG_CACHE_HOME", self.home.join(".cache"))
                .env("RUST_LOG", "trace")
                .env("RUST_BACKTRACE", "full")
                .envs(env.iter().copied()),
        )
    }
}

fn assert_clean(what: &str, text: &str) {
    assert_no_secret(what, text);
    assert_mask_length(what, text, true);
}

/// For screens, where a cell or a popup may clip a mask: no secret, and
/// no run of bullets longer than the mask.
fn assert_clean_screen(what: &str, text: &str) {
    assert_no_secret(what, text);
    assert_mask_length(what, text, false);
}

fn assert_no_secret(what: &str, text: &str) {
    for secret in SECRETS.iter().chain(NEW_SECRETS) {
        assert!(!text.contains(secret), "{what}: secret {secret:?} leaked:\n{text}");
    }
}

/// Every run of bullets is the eight of the mask (at most eight where the
/// text may be clipped): a secret's length never shows.
fn assert_mask_length(what: &str, text: &str, exact: bool) {
    for run in text.split(|c| c != '•').filter(|r| !r.is_empty()) {
        let n = run.chars().count();
        assert!(n == 8 || (!exact && n < 8), "{what}: a mask of {n} bullets:\n{text}");
    }
}

fn assert_run_clean(what: &str, run: &Ran) {
    assert!(run.code != -1, "{what}: killed by a signal");
    assert_clean(&format!("{what} (stdout)"), &run.stdout);
    assert_clean(&format!("{what} (stderr)"), &run.stderr);
}

/// A Kubernetes Secret's values (§12), decoded from base64 or written in
/// `stringData`, are secrets in every output, whatever their names.
#[test]
fn kubernetes_secret_values_never_leak() {
    let s = sandbox_of(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/identity/k8s"));
    let mut runs: Vec<Vec<&str>> = Vec::new();
    for format in ["table", "json", "markdown"] {
        runs.push(vec!["diff", "--format", format, "--all"]);
    }
    for format in ["text", "json", "github", "sarif", "gitlab", "junit"] {
        runs.push(vec!["check", "--format", format, "--strict"]);
    }
    runs.push(vec!["docs", "--format", "json"]);
    for key in ["DB_PASSWORD", "DB_USER", "BLOB", "BROKEN"] {
        let key = format!("Secret/db-creds.data.{key}");
        let run = s.run(&["get", &key, "--env", "staging"]);
        assert_run_clean(&key, &run);
        assert_eq!(run.code, 0, "{key}: {}", run.stderr);
        assert!(run.stdout.contains("••••••••"), "{key}: {}", run.stdout);
    }
    for args in &runs {
        let run = s.run(args);
        assert_run_clean(&args.join(" "), &run);
    }
}

#[test]
fn every_read_command_in_every_format() {
    read_commands_are_clean(&sandbox(), "");
}

/// The fixture one folder down, envlens pointed at the parent: the
/// subproject's own `.envlens.toml` still marks its pins secret (§8).
#[test]
fn a_subprojects_settings_still_mark_its_secrets_from_a_parent_folder() {
    let s = sandbox();
    let sub = s.root.join("sub");
    std::fs::create_dir_all(&sub).unwrap();
    for entry in std::fs::read_dir(&s.root).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::rename(entry.path(), sub.join(entry.file_name())).unwrap();
        }
    }
    read_commands_are_clean(&s, "sub/");
}

/// Every read command in every format, then `get` of every value; the
/// fixture's sets are named with `prefix`.
fn read_commands_are_clean(s: &Sandbox, prefix: &str) {
    let env_set = format!("{prefix}.env");
    let config_set = format!("{prefix}config");
    let mut runs: Vec<Vec<&str>> = Vec::new();
    for format in ["table", "json", "markdown"] {
        runs.push(vec!["diff", "--format", format]);
        runs.push(vec!["diff", "--format", format, "--all"]);
        runs.push(vec!["diff", "--format", format, "--all", "--color", "always"]);
        runs.push(vec!["diff", "--format", format, "--all", "--set", &env_set, "--envs", "prod"]);
    }
    for format in ["text", "json", "github", "sarif", "gitlab", "junit"] {
        runs.push(vec!["check", "--format", format]);
        runs.push(vec!["check", "--format", format, "--strict", "--color", "always"]);
    }
    for format in ["markdown", "json"] {
        runs.push(vec!["docs", "--format", format]);
    }
    for args in &runs {
        let run = s.run(args);
        assert_run_clean(&args.join(" "), &run);
        assert!(matches!(run.code, 0 | 1), "{args:?}: {}", run.stderr);
    }
    // `get` for every key of every env, and a key that is not there.
    let all = s.run(&["diff", "--format", "json", "--all"]);
    let report: serde_json::Value = serde_json::from_str(&all.stdout).unwrap();
    let mut gets = 0;
    for set in report["sets"].as_array().unwrap() {
        let name = set["name"].as_str().unwrap();
        for key in set["keys"].as_array().unwrap() {
            let key_name = key["key"].as_str().unwrap();
            for (env, cell) in key["values"].as_object().unwrap() {
                if cell.is_null() {
                    continue;
                }
                let args = ["get", key_name, "--env", env, "--set", name];
                let run = s.run(&args);
                assert_run_clean(&args.join(" "), &run);
                assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
                gets += 1;
            }
        }
    }
    assert!(gets > 60, "only {gets} values read");
    let run = s.run(&["get", "database.pasword", "--env", "dev", "--set", &config_set]);
    assert_run_clean("get with a typo", &run);
    assert_eq!(run.code, 1);
}

/// The JSON `value` of every secret is the mask itself (or a URL holding
/// it once), or a value §5 shows as it is (null, "", a bool).
#[test]
fn masked_values_do_not_tell_their_length() {
    let s = sandbox();
    let run = s.run(&["diff", "--format", "json", "--all"]);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let mut masked = 0;
    for set in report["sets"].as_array().unwrap() {
        for key in set["keys"].as_array().unwrap() {
            for cell in key["values"].as_object().unwrap().values() {
                if cell.is_null() || cell["secret"] != true {
                    continue;
                }
                match &cell["value"] {
                    serde_json::Value::String(v) if v == "••••••••" => masked += 1,
                    serde_json::Value::String(v) if v.contains("://") => {
                        assert_eq!(v.matches("••••••••").count(), 1, "{key}");
                        masked += 1;
                    }
                    serde_json::Value::String(v) => assert_eq!(v, "", "{key}"),
                    serde_json::Value::Null | serde_json::Value::Bool(_) => {}
                    other => panic!("a secret shown as {other}: {key}"),
                }
            }
        }
    }
    assert!(masked >= 45, "only {masked} masked values");
}

#[test]
fn set_on_secret_keys_written_and_refused() {
    let s = sandbox();
    let cases: &[(&[&str], i32)] = &[
        (&["set", "database.password", "LEAKnewValue91", "--env", "dev", "--set", "config"], 0),
        (&["set", "auth.pin", "LEAKnotAnInt92", "--env", "dev", "--set", "config"], 1),
        (&["set", "copy.password", "LEAKalias93", "--env", "dev", "--set", "config"], 1),
        (&["set", "auth.pin", "778899001", "--env", "staging", "--set", "config"], 0),
        (&["set", "service.name", "AKIALEAKNEWFAKE00095", "--env", "prod", "--set", "config"], 0),
        (&["set", "DB_PASSWORD", "LEAKenvNew96", "--env", "prod", "--set", ".env"], 0),
        (
            &[
                "set",
                "database.url",
                "postgres://app:LEAKnewUrl97@db.staging.internal:5432/app",
                "--env",
                "staging",
                "--set",
                "config",
            ],
            0,
        ),
        (&["set", "--env", "dev", "--set", "config", "auth.session_token", "--", "-LEAKdash98"], 0),
        (
            &[
                "set",
                "auth.new_password",
                "LEAKadded99",
                "--env",
                "dev",
                "--set",
                "config",
                "--new",
            ],
            0,
        ),
        (&["set", "auth.pin", "x", "--env", "dev", "--set", "config", "--type", "bool"], 1),
        (&["set", "auth.api_key", "LEAKnewValue91", "--env", "nope", "--set", "config"], 2),
        (&["set", "auth.api_key", "LEAKnewValue91", "--env", "dev", "--set", "nope"], 2),
    ];
    for (args, code) in cases {
        let run = s.run(args);
        assert_run_clean(&args.join(" "), &run);
        assert_eq!(run.code, *code, "{args:?}: {}", run.stderr);
    }
    // A refusal by the file's permissions names no value either.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let path = s.root.join(".env.dev");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o400)).unwrap();
        let run = s.run(&["set", "DB_PASSWORD", "LEAKnewValue91", "--env", "dev", "--set", ".env"]);
        assert_run_clean("set on a read-only file", &run);
        assert_eq!(run.code, 1, "{}", run.stderr);
    }
    assert_no_other_file_holds_a_secret(&s);
}

/// `init` copies an env's values into a new file: every secret becomes a
/// reference, in each format (YAML, TOML and JSON reference files), and
/// nothing it prints or writes holds one.
#[test]
fn init_writes_new_env_files_without_secrets() {
    let s = sandbox();
    for from in ["dev", "staging", "prod"] {
        let env = format!("from-{from}");
        let run = s.run(&["init", &env, "--from", from]);
        assert_run_clean(&format!("init {env}"), &run);
        assert_eq!(run.code, 0, "init {env}: {}", run.stderr);
        assert!(run.stdout.contains("secret →"), "{}", run.stdout);
    }
    assert!(files_under(&s.root).len() >= fixture_file_count() + 3);
    assert_no_other_file_holds_a_secret(&s);
}

fn fixture_file_count() -> usize {
    std::fs::read_dir(fixture()).unwrap().count()
}

/// Files under the project and the home folder: the fixture's own, and
/// nothing else that holds a secret (no backup, temporary file, log or
/// history).
fn assert_no_other_file_holds_a_secret(s: &Sandbox) {
    let fixture_names: Vec<_> = std::fs::read_dir(fixture())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for top in [&s.root, &s.home] {
        for path in files_under(top) {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if top == &s.root && fixture_names.contains(&name) {
                continue;
            }
            let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
            assert_clean(&path.display().to_string(), &text);
        }
    }
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(dir) = todo.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap();
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                todo.push(entry.path());
            } else if kind.is_file() {
                files.push(entry.path());
            }
        }
    }
    files
}

/// A panic while secrets are in memory prints one line, naming where, and
/// none of the panic's message (which, in this forced panic, holds every
/// value of the project: the worst a bug could do).
#[test]
fn a_panic_prints_one_line_without_secrets() {
    let s = sandbox();
    for args in
        [&["diff"][..], &["check", "--format", "json"], &["get", "auth.pin", "--env", "dev"]]
    {
        let run = s.run_with(args, &[("ENVLENS_TEST_PANIC", "1")]);
        assert_eq!(run.code, 101, "{args:?} panics in a test build: {}", run.stderr);
        assert_run_clean(&format!("panic in {args:?}"), &run);
        let lines: Vec<&str> = run.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{}", run.stderr);
        assert!(lines[0].starts_with("envlens: internal error at src/"), "{}", lines[0]);
    }
}

/// No process-wide log: verbose settings add nothing and write nothing.
#[test]
fn verbose_settings_print_and_write_nothing_more() {
    let s = sandbox();
    let quiet = support::run::run(
        support::run::command(&s.root, &["diff", "--all"])
            .env("HOME", &s.home)
            .env_remove("RUST_LOG")
            .env_remove("RUST_BACKTRACE"),
    );
    let loud = s.run_with(&["diff", "--all"], &[("ENVLENS_LOG", "trace"), ("RUST_LOG", "trace")]);
    assert_eq!(loud.stdout, quiet.stdout);
    assert_eq!(loud.stderr, quiet.stderr);
    assert!(files_under(&s.home).is_empty(), "{:?}", files_under(&s.home));
}

/// The committed snapshots of the CLI, the TUI and the parsers hold no
/// secret of this fixture, nor the secrets of the fixtures they are made
/// from (read from those projects, masked values only).
#[test]
fn snapshots_hold_no_secret() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut snapshots = files_under(&root.join("tests/snapshots"));
    let mut todo = vec![root.join("src")];
    while let Some(dir) = todo.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n == "snapshots") {
                    snapshots.extend(files_under(&path));
                } else {
                    todo.push(path);
                }
            }
        }
    }
    assert!(snapshots.len() > 10, "{snapshots:?}");
    let mut secrets: Vec<String> = SECRETS.iter().map(|s| (*s).to_owned()).collect();
    // The CLI and TUI snapshots are made from these projects: their secrets
    // must show masked only.
    for project in ["sample-project", "tests/fixtures/formats/yaml", "tests/fixtures/formats/json"]
        .iter()
        .map(|p| root.join(p))
        .chain(
            ["toml", "dotenv", "jsonc", "json5", "properties", "ini", "tfvars"]
                .iter()
                .map(|f| root.join("tests/fixtures/formats").join(f)),
        )
    {
        secrets.extend(project_secrets(&project));
    }
    assert!(secrets.len() > SECRETS.len() + 5, "the fixtures hold secrets to look for");
    for path in snapshots.iter().filter(|p| p.starts_with(root.join("tests/snapshots"))) {
        let text = std::fs::read_to_string(path).unwrap();
        for secret in &secrets {
            assert!(!text.contains(secret.as_str()), "{} holds {secret:?}", path.display());
        }
    }
    for path in &snapshots {
        let text = std::fs::read_to_string(path).unwrap();
        assert_clean_screen(&path.display().to_string(), &text);
    }
}

/// The real text hidden by each masked value of a project: the whole
/// value, or for a URL the part the mask replaces.
fn project_secrets(root: &Path) -> Vec<String> {
    use envlens::core::discover::DiscoverOptions;
    use envlens::core::project::Project;
    use envlens::core::secret;
    let project = Project::load(root, &DiscoverOptions::default());
    let mut found = Vec::new();
    for set in &project.sets {
        for file in set.base.iter().chain(&set.envs) {
            for leaf in &file.leaves {
                let reason = set.secret(leaf);
                if !secret::is_masked(&leaf.value, reason) {
                    continue;
                }
                let shown = secret::display(&leaf.value, reason, false);
                let real = secret::display(&leaf.value, reason, true);
                found.push(hidden_part(&shown, &real));
            }
        }
    }
    found
}

fn hidden_part(shown: &str, real: &str) -> String {
    let prefix = shown.chars().zip(real.chars()).take_while(|(a, b)| a == b).count();
    let suffix = shown
        .chars()
        .rev()
        .zip(real.chars().rev())
        .take_while(|(a, b)| a == b)
        .count()
        .min(real.chars().count() - prefix);
    real.chars().skip(prefix).take(real.chars().count() - prefix - suffix).collect()
}

/// The real TUI in tmux: every set's table and the detail pane of every
/// key show masks only, and the editor masks a secret while it is typed.
#[test]
fn tui_pane_holds_no_secret() {
    let s = sandbox();
    let home = s.home.display().to_string();
    let env = [("HOME", home.as_str()), ("ENVLENS_CONFIG", "/dev/null")];
    let Some(tui) = Session::start_in("leaks", &s.root, &env, ".", (160, 48)) else { return };
    let pane = || tui.pane();
    let keys = |k: &[&str]| tui.keys(k);
    let wait = |what: &str, check: &dyn Fn(&str) -> bool| {
        tui.wait_for(what, |now| {
            assert_clean_screen(what, now);
            check(now)
        })
    };
    wait("the .env set", &|p| p.contains("DB_PASSWORD") && p.contains("••••••••"));
    // The editor on a secret: the old text and the typed text stay masked.
    keys(&["g", "j", "e"]);
    wait("the editor", &|p| p.contains("DB_PASSWORD (string, secret)"));
    keys(&["-l", "LEAKtypedSecret"]);
    // The editor shows one bullet per typed character, as password fields
    // do (the typist needs to see each key land), so only the text is
    // checked here, not the mask's length.
    for _ in 0..20 {
        assert_no_secret("typing a secret", &pane());
    }
    keys(&["Escape"]);
    // Until the box closes it may still show a bullet per typed character.
    tui.wait_for("the editor to close", |now| {
        assert_no_secret("closing the editor", now);
        !now.contains("(string, secret)")
    });
    // Down every key of both sets; the detail pane shows each key's value
    // in every env.
    for next in ["motd", "DB_PASSWORD"] {
        for _ in 0..30 {
            keys(&["j"]);
            assert_clean_screen("moving down", &pane());
        }
        keys(&["Tab"]);
        wait(next, &|p| p.contains(next));
    }
    keys(&["q"]);
    let end = wait("envlens to exit", &|p| p.contains("envlens exited"));
    assert!(end.contains("envlens exited 0"), "{end}");
    assert_no_other_file_holds_a_secret(&s);
}

/// Secrets reached through a reference (§14): `${PAYMENT_KEY}` under a
/// name that is no secret, `${UPSTREAM_PASSWORD}` under one, a secret the
/// process environment holds: `diff --resolve` in every format, `check` in
/// every format (with `--env-from-process` too) print none of them.
#[test]
fn secrets_reached_through_references() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/references");
    let secrets = [
        "LEAKref",
        "sk_live_LEAKrefDevStripe81",
        "LEAKrefDevUpstream82",
        "sk_live_LEAKrefProdStripe83",
        "LEAKrefProdUpstream84",
        "LEAKrefProcess85",
    ];
    let mut runs: Vec<Vec<&str>> = Vec::new();
    for format in ["table", "json", "markdown"] {
        runs.push(vec!["diff", "--resolve", "--all", "--format", format]);
    }
    for format in ["text", "json", "github", "sarif", "gitlab", "junit"] {
        runs.push(vec!["check", "--format", format]);
        runs.push(vec!["check", "--env-from-process", "--format", format]);
    }
    runs.push(vec!["docs"]);
    for args in &runs {
        let mut with_root = args.clone();
        let root_text = root.to_string_lossy();
        with_root.push(&root_text);
        let out = support::run::run(
            support::run::command(&root, &with_root)
                .env("OTEL_ENDPOINT", "https://user:LEAKrefProcess85@otel.internal")
                .env("RUST_BACKTRACE", "full"),
        );
        let text = out.both();
        for secret in secrets {
            assert!(!text.contains(secret), "{args:?}: {secret} leaked:\n{text}");
        }
        assert_mask_length(&args.join(" "), &text, true);
        assert!(matches!(out.code, 0 | 1), "{args:?}: {text}");
    }
}
