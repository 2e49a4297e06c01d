//! Stores that fail as real networks fail (§13: "a store that cannot be
//! reached within 5 s to connect, 30 s in all, is an error of that column
//! (`source-error` in `check`), never a hang"), each on a real socket on
//! 127.0.0.1: a TLS server with a self-signed certificate (`openssl
//! s_server`), a server that accepts and never answers (over HTTP the 30 s
//! deadline: the contract fixes it and offers no setting, so that test
//! takes 30 s; over HTTPS the handshake never completes, the 5 s connect
//! timeout), and a listener whose accept queue is full, so the kernel
//! drops the SYN (the 5 s connect timeout). In each, `check` reports a `source-error`
//! naming the column and what it reads, the files' own findings still
//! come, and neither the token nor an address's user-info is printed.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

mod support;

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value as J;
use support::stores::{Run, envlens, json_of, never_leaks, project};

const TOKEN: &str = "fake-vault-token-tls-0451";
const USER_INFO_PASSWORD: &str = "fake-userinfo-pw-0452";

/// A prod@vault source at `address`, over files whose `a` drifts.
fn vault_project(address: &str) -> tempfile::TempDir {
    let settings = format!(
        "[[source]]\nset = \"config\"\nkind = \"vault\"\nenv = \"prod\"\npath = \"secret/api/prod/\"\naddress = \"{address}\"\n"
    );
    project("a: 1\nb: x\n", "a: 2\nb: x\n", &settings)
}

/// `check --format json` on the project: the one `source-error`, after
/// asserting the rest of the check ran and nothing secret was printed.
fn source_error(run: &Run, scheme: &str) -> J {
    never_leaks(run, &[TOKEN, USER_INFO_PASSWORD]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let findings = json_of(run)["findings"].as_array().unwrap().clone();
    assert!(
        findings.iter().any(|f| f["rule"] == "drift" && f["key"] == "a"),
        "the files' checks still run: {findings:#?}"
    );
    let errors: Vec<&J> = findings.iter().filter(|f| f["rule"] == "source-error").collect();
    assert_eq!(errors.len(), 1, "{findings:#?}");
    let error = errors[0].clone();
    assert_eq!(error["env"], "prod@vault");
    assert_eq!(error["severity"], "error");
    assert_eq!(error["file"], "vault:secret/api/prod/", "the finding names what the column reads");
    let message = error["message"].as_str().unwrap();
    let start = format!("prod@vault cannot be read: {scheme}://127.0.0.1:");
    assert!(message.starts_with(&start), "{message}");
    error
}

/// `openssl s_server` with a fresh self-signed certificate; killed on drop.
struct TlsServer {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn tls_server() -> Option<TlsServer> {
    if !support::have("openssl", "version", "apt-get install openssl") {
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let made = Command::new("openssl")
        .args(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"])
        .args(["-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "1"])
        .args(["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"])
        .args(["-addext", "basicConstraints=critical,CA:FALSE"])
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(made.success(), "openssl made no certificate");
    let port = support::stores::free_port();
    let child = Command::new("openssl")
        .args(["s_server", "-quiet", "-www", "-cert", "cert.pem", "-key", "key.pem"])
        .args(["-accept", &format!("127.0.0.1:{port}")])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let server = TlsServer { child, port, _dir: dir };
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if started.elapsed() > Duration::from_secs(10) {
            support::skip(&format!("openssl s_server did not listen on 127.0.0.1:{port}"));
            return None;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Some(server)
}

/// A certificate no root vouches for: the connection is refused by TLS,
/// not sent in clear, and the token never leaves the machine's memory for
/// a message.
#[test]
fn a_self_signed_certificate_is_a_source_error() {
    let Some(server) = tls_server() else { return };
    let address = format!("https://app:{USER_INFO_PASSWORD}@127.0.0.1:{}", server.port);
    let dir = vault_project(&address);
    let run = envlens(dir.path(), &["check", "--format", "json"], &[("VAULT_TOKEN", TOKEN)]);
    let error = source_error(&run, "https");
    let message = error["message"].as_str().unwrap();
    assert!(message.contains("TLS failed"), "{message}");
    assert!(message.contains("invalid peer certificate"), "says what TLS refused: {message}");
    // The text report and diff say the same, without the secrets.
    let text = envlens(dir.path(), &["check"], &[("VAULT_TOKEN", TOKEN)]);
    never_leaks(&text, &[TOKEN, USER_INFO_PASSWORD]);
    assert!(text.stdout.contains("source-error"), "{}", text.stdout);
    let diff = envlens(dir.path(), &["diff", "--format", "json"], &[("VAULT_TOKEN", TOKEN)]);
    never_leaks(&diff, &[TOKEN, USER_INFO_PASSWORD]);
    assert_eq!(diff.code, 2);
    assert_eq!(json_of(&diff)["sets"][0]["sources"][0]["status"], "error");
}

/// Accepts every connection and never sends a byte, on its own thread
/// until the test ends.
fn silent_server() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    port
}

/// Over plain HTTP the request is sent and no answer comes: the 30 s
/// deadline ends the read (a hang guard of 60 s, not a timing assertion).
#[test]
fn a_server_that_never_answers_is_a_source_error_after_30_s() {
    let port = silent_server();
    let dir = vault_project(&format!("http://127.0.0.1:{port}"));
    let started = Instant::now();
    let run = envlens(dir.path(), &["check", "--format", "json"], &[("VAULT_TOKEN", TOKEN)]);
    assert!(started.elapsed() < Duration::from_secs(60), "envlens hung");
    let error = source_error(&run, "http");
    let message = error["message"].as_str().unwrap();
    assert!(message.ends_with("no complete answer within 30 s"), "{message}");
}

/// Over HTTPS the TLS handshake is part of connecting: a server that
/// accepts and never says hello is not reached within the 5 s.
#[test]
fn a_tls_handshake_that_never_comes_is_a_source_error_after_5_s() {
    let port = silent_server();
    let dir = vault_project(&format!("https://127.0.0.1:{port}"));
    let started = Instant::now();
    let run = envlens(dir.path(), &["check", "--format", "json"], &[("VAULT_TOKEN", TOKEN)]);
    assert!(started.elapsed() < Duration::from_secs(30), "envlens waited past the connect timeout");
    let error = source_error(&run, "https");
    let message = error["message"].as_str().unwrap();
    assert!(message.ends_with("cannot connect within 5 s"), "{message}");
}

/// A listener with a backlog of 0 (python3's `listen(0)`: std's has none
/// to set) that never accepts: once its queue holds one connection, the
/// kernel drops every further SYN, so connecting hangs until the 5 s
/// connect timeout.
#[test]
fn a_connect_that_never_completes_is_a_source_error_after_5_s() {
    if !support::have("python3", "--version", "apt-get install python3") {
        return;
    }
    let mut child = Command::new("python3")
        .args([
            "-c",
            "import socket,sys,time\ns=socket.socket()\ns.bind(('127.0.0.1',0))\ns.listen(0)\n\
             print(s.getsockname()[1],flush=True)\nsys.stdin.read()\n",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.as_mut().unwrap()),
        &mut line,
    )
    .unwrap();
    let port: u16 = line.trim().parse().unwrap();
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    // Fill the accept queue until a connect no longer completes.
    let mut held = Vec::new();
    let full =
        (0..16).any(|_| match TcpStream::connect_timeout(&addr, Duration::from_millis(500)) {
            Ok(stream) => {
                held.push(stream);
                false
            }
            Err(_) => true,
        });
    if !full {
        let _ = child.kill();
        let _ = child.wait();
        support::skip("this kernel completes connections to a full accept queue");
        return;
    }
    let dir = vault_project(&format!("https://127.0.0.1:{port}"));
    let started = Instant::now();
    let run = envlens(dir.path(), &["check", "--format", "json"], &[("VAULT_TOKEN", TOKEN)]);
    assert!(started.elapsed() < Duration::from_secs(30), "envlens waited past the connect timeout");
    let _ = child.kill();
    let _ = child.wait();
    let error = source_error(&run, "https");
    let message = error["message"].as_str().unwrap();
    assert!(message.ends_with("cannot connect within 5 s"), "{message}");
}
