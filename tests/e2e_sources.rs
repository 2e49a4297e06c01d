//! A store in the TUI (§13), through the real binary in tmux: the view
//! opens on the files with the store's column `prod@consul loading…`,
//! answers keys while the store has not answered, then shows its key
//! count and values; `r` reads the store again. The store is a fake
//! Consul (no Consul server can be installed here) serving Consul's
//! documented KV JSON, held back until the test lets it answer.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a broken fixture"
)]

mod support;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use support::tmux::Session;

/// A Consul KV that answers only once `open` is set; the n-th answer has
/// n + 1 keys below `api/prod/`.
fn gated_consul(open: Arc<AtomicBool>, served: Arc<AtomicUsize>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut buf = vec![0u8; 8192];
            let _ = stream.read(&mut buf);
            while !open.load(Ordering::SeqCst) {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            let n = served.fetch_add(1, Ordering::SeqCst) + 1;
            let mut items = vec![format!(
                r#"{{"Key":"api/prod/db/host","Value":"{}"}}"#,
                B64.encode("db.prod.internal")
            )];
            for i in 0..n {
                items.push(format!(
                    r#"{{"Key":"api/prod/extra/k{i}","Value":"{}"}}"#,
                    B64.encode("x")
                ));
            }
            let body = format!("[{}]", items.join(","));
            let reply = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(reply.as_bytes());
        }
    });
    format!("http://127.0.0.1:{port}")
}

#[test]
fn a_store_loads_in_the_background_and_r_reads_it_again() {
    let open = Arc::new(AtomicBool::new(false));
    let served = Arc::new(AtomicUsize::new(0));
    let address = gated_consul(open.clone(), served.clone());
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config_dev.yaml"), "db:\n  host: db.dev.internal\n").unwrap();
    std::fs::write(dir.path().join("config_prod.yaml"), "db:\n  host: db.prod.internal\n").unwrap();
    std::fs::write(
        dir.path().join(".envlens.toml"),
        "[[source]]\nset = \"config\"\nkind = \"consul\"\nenv = \"prod\"\npath = \"api/prod/\"\n",
    )
    .unwrap();
    let config = dir.path().join("user.toml");
    std::fs::write(&config, "").unwrap();
    let config = config.display().to_string();
    let env = [("ENVLENS_CONFIG", config.as_str()), ("CONSUL_HTTP_ADDR", address.as_str())];
    let Some(s) = Session::start_in("sources", dir.path(), &env, ".", (150, 30)) else { return };
    let pane = s.wait_for("the files, and the store loading", |p| {
        p.contains("prod@consul loading…") && p.contains("db.dev.internal")
    });
    assert_eq!(served.load(Ordering::SeqCst), 0, "{pane}");

    // Keys are answered while the store has not answered.
    s.keys(&["/", "h", "o", "s", "t", "Enter"]);
    let pane = s.wait_text("filter: host");
    assert!(pane.contains("loading…"), "{pane}");
    s.keys(&["Escape"]);

    open.store(true, Ordering::SeqCst);
    let pane =
        s.wait_for("the store's keys", |p| p.contains("prod@consul 2 keys") && p.contains("extra"));
    assert!(!pane.contains("loading…"), "{pane}");

    s.keys(&["r"]);
    s.wait_text("3 keys");
    assert_eq!(served.load(Ordering::SeqCst), 2, "`r` read the store once more");
    s.keys(&["q"]);
    s.wait_text("envlens exited 0");
}
