//! Agreement with a real Unleash (§14): Unleash 7.4 from the npm registry
//! (`npm install -g unleash-server@7.4.1`) on Debian's PostgreSQL, both
//! started by the test on 127.0.0.1 in a temporary folder. Through the
//! admin API it creates flags whose states differ per env (one on in
//! production while off in development, one on in development only with
//! strategy variants and marked stale, one on in both with two
//! strategies), exports each env (`features-batch/export`), and checks
//! that envlens reads the exports as the API reports each flag: `enabled`,
//! the number of strategies as `rules`, the first strategy's rollout, the
//! variants by name, and `check`'s `flag-order` and `flag-stale`. Skips
//! with a printed reason when PostgreSQL or Unleash cannot start (`.ci/run`
//! installs both and forbids skips).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

mod support;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value as J, json};
use support::stores::{free_port, request};

/// The admin token Unleash is started with (fake, for tests only).
const TOKEN: &str = "*:*.fake-unleash-admin-token-0001";

/// The envs of Unleash's open-source edition, in promotion order.
const ENVS: [&str; 2] = ["development", "production"];

/// A process stopped on drop: `signal` first (PostgreSQL shuts down on
/// SIGINT), then killed if it is still there.
struct Guard {
    child: Child,
    signal: &'static str,
}

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args([self.signal, &self.child.id().to_string()])
            .stderr(Stdio::null())
            .status();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(10) {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The newest PostgreSQL's programs (`PG_BIN`, else Debian's
/// `/usr/lib/postgresql/<version>/bin`).
fn postgres_bin() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("PG_BIN") {
        return Some(PathBuf::from(dir));
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, bin)| bin)
}

/// Unleash's entry point (`UNLEASH_SERVER_JS`, else the global npm
/// install's `unleash-server/dist/server.js`).
fn unleash_server_js() -> Option<PathBuf> {
    if let Some(js) = std::env::var_os("UNLEASH_SERVER_JS") {
        return Some(PathBuf::from(js));
    }
    let out = Command::new("npm").args(["root", "-g"]).stderr(Stdio::null()).output().ok()?;
    let root = String::from_utf8(out.stdout).ok()?;
    let js = Path::new(root.trim()).join("unleash-server/dist/server.js");
    js.is_file().then_some(js)
}

/// A PostgreSQL program as a user it accepts: PostgreSQL refuses root, so
/// as root (CI) it runs as Debian's `postgres` user through `setpriv`,
/// which execs it (the guard's signal reaches PostgreSQL itself).
fn pg_command(bin: &Path, program: &str) -> Command {
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let path = bin.join(program);
    if is_root {
        let mut command = Command::new("setpriv");
        command.args(["--reuid=postgres", "--regid=postgres", "--init-groups", "--"]).arg(path);
        command
    } else {
        Command::new(path)
    }
}

/// PostgreSQL on 127.0.0.1:`port` with a database `unleash` (user
/// `unleash`, trusted), its data in `dir`.
fn postgres(dir: &Path, port: u16) -> Result<Guard, String> {
    let bin = postgres_bin()
        .ok_or("no PostgreSQL under /usr/lib/postgresql (apt-get install postgresql)")?;
    // The `postgres` user writes the data folder and its socket here.
    std::fs::set_permissions(dir, std::os::unix::fs::PermissionsExt::from_mode(0o777)).unwrap();
    let data = dir.join("data");
    let init = pg_command(&bin, "initdb")
        .args(["-U", "unleash", "-A", "trust", "-E", "UTF8", "-D"])
        .arg(&data)
        .current_dir(dir)
        .output()
        .map_err(|e| format!("cannot run initdb: {e}"))?;
    if !init.status.success() {
        return Err(format!("initdb failed: {}", String::from_utf8_lossy(&init.stderr)));
    }
    let child = pg_command(&bin, "postgres")
        .arg("-D")
        .arg(&data)
        .args(["-h", "127.0.0.1", "-p", &port.to_string(), "-k"])
        .arg(dir)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start postgres: {e}"))?;
    let guard = Guard { child, signal: "-INT" };
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(30) {
        let made = pg_command(&bin, "createdb")
            .args(["-h", "127.0.0.1", "-p", &port.to_string(), "-U", "unleash", "unleash"])
            .current_dir(dir)
            .stderr(Stdio::null())
            .status();
        if made.is_ok_and(|s| s.success()) {
            return Ok(guard);
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    Err(format!("PostgreSQL did not take a database on 127.0.0.1:{port} within 30 s"))
}

/// Unleash on 127.0.0.1:`port` over the database on `db_port`, ready
/// (its migrations run) when `/health` answers.
fn unleash(dir: &Path, port: u16, db_port: u16) -> Result<Guard, String> {
    let js = unleash_server_js()
        .ok_or("unleash-server is not installed (npm install -g unleash-server@7.4.1)")?;
    let child = Command::new("node")
        .arg(js)
        .current_dir(dir)
        .env("DATABASE_URL", format!("postgres://unleash@127.0.0.1:{db_port}/unleash"))
        .env("DATABASE_SSL", "false")
        .env("HTTP_HOST", "127.0.0.1")
        .env("HTTP_PORT", port.to_string())
        .env("INIT_ADMIN_API_TOKENS", TOKEN)
        .env("LOG_LEVEL", "error")
        .env("TZ", "UTC")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run node (apt-get install nodejs): {e}"))?;
    let mut guard = Guard { child, signal: "-TERM" };
    let started = Instant::now();
    // Its first start runs every migration: a minute on two busy cores.
    while started.elapsed() < Duration::from_secs(240) {
        if request(port, "GET", "/health", &[], b"").is_some_and(|(s, _)| s == 200) {
            return Ok(guard);
        }
        if let Ok(Some(status)) = guard.child.try_wait() {
            return Err(format!("Unleash stopped at its start ({status})"));
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    Err(format!("Unleash did not answer on 127.0.0.1:{port} within 240 s"))
}

/// One admin API call; panics unless it answers 2xx.
fn api(port: u16, method: &str, path: &str, body: &J) -> J {
    let body = if body.is_null() { Vec::new() } else { body.to_string().into_bytes() };
    let headers = [("Authorization", TOKEN), ("Content-Type", "application/json")];
    let (status, text) = request(port, method, path, &headers, &body)
        .unwrap_or_else(|| panic!("{method} {path}: no answer"));
    assert!((200..300).contains(&status), "{method} {path}: {status} {text}");
    if text.trim().is_empty() { J::Null } else { serde_json::from_str(&text).unwrap() }
}

fn rollout(percent: &str, flag: &str) -> J {
    json!({"name": "flexibleRollout", "parameters":
        {"rollout": percent, "stickiness": "default", "groupId": flag}})
}

/// The flags, their strategies and states per env, as a team would set
/// them up: `new-checkout` on in production only (out of order),
/// `dark-mode` on in development only with two variants and stale,
/// `search-v2` on in both, with two strategies in production.
fn seed(port: u16) {
    let features = "/api/admin/projects/default/features";
    for name in ["new-checkout", "dark-mode", "search-v2"] {
        api(port, "POST", features, &json!({"name": name}));
    }
    let strategy = |flag: &str, env: &str, body: &J| {
        api(port, "POST", &format!("{features}/{flag}/environments/{env}/strategies"), body);
    };
    let on = |flag: &str, env: &str| {
        api(port, "POST", &format!("{features}/{flag}/environments/{env}/on"), &J::Null);
    };
    strategy("new-checkout", "production", &rollout("25", "new-checkout"));
    on("new-checkout", "production");
    let mut variants = rollout("40", "dark-mode");
    variants["variants"] = json!([
        {"name": "blue", "weight": 500, "weightType": "variable", "stickiness": "default",
         "payload": {"type": "string", "value": "#0000ff"}},
        {"name": "plain", "weight": 500, "weightType": "variable", "stickiness": "default"}
    ]);
    strategy("dark-mode", "development", &variants);
    on("dark-mode", "development");
    api(
        port,
        "POST",
        "/api/admin/projects/default/stale",
        &json!({"features": ["dark-mode"], "stale": true}),
    );
    strategy("search-v2", "development", &rollout("100", "search-v2"));
    strategy("search-v2", "production", &rollout("10", "search-v2"));
    strategy("search-v2", "production", &json!({"name": "default"}));
    for env in ENVS {
        on("search-v2", env);
    }
}

/// What the API says of one flag in one env.
#[derive(Debug, PartialEq)]
struct State {
    enabled: bool,
    rules: usize,
    rollout: Option<f64>,
    variants: Vec<String>,
}

fn api_state(port: u16, flag: &str) -> (bool, Vec<(String, State)>) {
    let feature =
        api(port, "GET", &format!("/api/admin/projects/default/features/{flag}"), &J::Null);
    let envs = feature["environments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|env| {
            let strategies = env["strategies"].as_array().cloned().unwrap_or_default();
            let rollout = strategies.iter().find_map(|s| {
                s["parameters"]["rollout"].as_str().and_then(|r| r.parse::<f64>().ok())
            });
            let mut variants: Vec<String> = strategies
                .iter()
                .flat_map(|s| s["variants"].as_array().cloned().unwrap_or_default())
                .filter_map(|v| v["name"].as_str().map(str::to_owned))
                .collect();
            variants.sort();
            variants.dedup();
            let state = State {
                enabled: env["enabled"].as_bool().unwrap(),
                rules: strategies.len(),
                rollout,
                variants,
            };
            (env["name"].as_str().unwrap().to_owned(), state)
        })
        .collect();
    (feature["stale"].as_bool().unwrap(), envs)
}

/// What envlens read of one flag in one env from the `diff` JSON.
fn envlens_state(report: &J, flag: &str, env: &str) -> State {
    let keys = report["sets"][0]["keys"].as_array().unwrap();
    let value = |key: &str| {
        keys.iter().find(|k| k["key"] == key).map(|k| k["values"][env]["value"].clone())
    };
    let prefix = format!("{flag}.variants.");
    let mut variants: Vec<String> = keys
        .iter()
        .filter_map(|k| k["key"].as_str()?.strip_prefix(&prefix))
        .filter(|rest| {
            let name = rest.split('.').next().unwrap_or(rest);
            keys.iter().any(|k| {
                k["key"].as_str().is_some_and(|p| p.starts_with(&format!("{prefix}{name}")))
                    && !k["values"][env].is_null()
            })
        })
        .map(|rest| rest.split('.').next().unwrap_or(rest).to_owned())
        .collect();
    variants.sort();
    variants.dedup();
    State {
        enabled: value(&format!("{flag}.enabled")).and_then(|v| v.as_bool()).unwrap_or(false),
        rules: value(&format!("{flag}.rules"))
            .and_then(|v| v.as_u64())
            .map_or(0, |n| usize::try_from(n).unwrap()),
        rollout: value(&format!("{flag}.rollout")).and_then(|v| v.as_f64()),
        variants,
    }
}

#[test]
fn envlens_reads_unleash_exports_as_the_api_reports_them() {
    let dir = tempfile::tempdir().unwrap();
    let (db_port, port) = (free_port(), free_port());
    let _db = match postgres(dir.path(), db_port) {
        Ok(guard) => guard,
        Err(why) => return support::skip(&why),
    };
    let _unleash = match unleash(dir.path(), port, db_port) {
        Ok(guard) => guard,
        Err(why) => return support::skip(&why),
    };
    seed(port);
    let flags = ["new-checkout", "dark-mode", "search-v2"];
    let project = tempfile::tempdir().unwrap();
    for env in ENVS {
        let export = api(
            port,
            "POST",
            "/api/admin/features-batch/export",
            &json!({"features": flags, "environment": env}),
        );
        let text = serde_json::to_string_pretty(&export).unwrap();
        std::fs::write(project.path().join(format!("unleash-{env}.json")), text).unwrap();
    }
    let ran = support::run::envlens_in(project.path(), &["diff", "--all", "--format", "json"]);
    assert_eq!(ran.code, 1, "{}", ran.stderr);
    let report: J = serde_json::from_str(&ran.stdout).unwrap();
    assert_eq!(report["sets"][0]["name"], "unleash");
    assert_eq!(report["sets"][0]["envs"], json!(ENVS));
    let mut stale_flags = Vec::new();
    for flag in flags {
        let (stale, envs) = api_state(port, flag);
        if stale {
            stale_flags.push(flag);
        }
        assert_eq!(envs.len(), ENVS.len(), "{flag}: {envs:?}");
        for (env, state) in envs {
            assert_eq!(envlens_state(&report, flag, &env), state, "{flag} in {env}");
        }
    }
    // The seed is what the comparison is about: states that differ.
    assert_eq!(stale_flags, ["dark-mode"]);
    let (_, checkout) = api_state(port, "new-checkout");
    assert!(!checkout[0].1.enabled && checkout[1].1.enabled, "{checkout:?}");

    assert_eq!(
        flag_findings(project.path()),
        [
            ("flag-order".into(), "production".into(), "new-checkout.enabled".into()),
            ("flag-stale".into(), String::new(), "dark-mode.stale".into()),
        ]
    );
}

/// `check`'s flag findings on `root`: (rule, env, key), sorted.
fn flag_findings(root: &Path) -> Vec<(String, String, String)> {
    let ran = support::run::envlens_in(root, &["check", "--format", "json"]);
    let found: J = serde_json::from_str(&ran.stdout).unwrap();
    let mut rules: Vec<(String, String, String)> = found["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"].as_str().unwrap().starts_with("flag-"))
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_owned();
            (s("rule"), s("env"), s("key"))
        })
        .collect();
    rules.sort();
    rules
}
