//! The one HTTP client of the stores: `ureq`, synchronous, rustls. Every
//! request of one source shares a deadline (30 s in all, 5 s to connect),
//! redirects are not followed (a token must not travel to another host),
//! nothing is retried (a 4xx is the answer), and no message names a
//! header's value: credentials travel in headers only.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use super::SourceError;

/// Time to open a connection to a store.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Time for everything one source asks (every page).
pub const TOTAL_TIMEOUT: Duration = Duration::from_secs(30);
/// Largest answer read (a page of a store).
const MAX_BODY: u64 = 256 * 1024 * 1024;

/// A client for one source: its agent and its deadline.
pub(super) struct Client {
    agent: ureq::Agent,
    deadline: Instant,
    /// The address as shown in messages (no user-info).
    shown: String,
    /// The address is `https://`.
    tls: bool,
}

/// An answer: its status and body text.
#[derive(Debug)]
pub(super) struct Reply {
    pub status: u16,
    pub body: String,
}

impl Client {
    pub(super) fn new(address: &str) -> Self {
        let agent = ureq::Agent::config_builder()
            .timeout_connect(Some(CONNECT_TIMEOUT))
            .timeout_global(Some(TOTAL_TIMEOUT))
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent(concat!("envlens/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Self {
            agent,
            deadline: Instant::now() + TOTAL_TIMEOUT,
            shown: shown_address(address),
            tls: address.get(..8).is_some_and(|s| s.eq_ignore_ascii_case("https://")),
        }
    }

    /// The address for messages.
    pub(super) fn shown(&self) -> &str {
        &self.shown
    }

    /// A GET with these headers.
    pub(super) fn get(&self, url: &str, headers: &[(&str, &str)]) -> Result<Reply, SourceError> {
        self.send(url, headers, None)
    }

    /// A POST of `body` with these headers.
    pub(super) fn post(
        &self,
        url: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Result<Reply, SourceError> {
        self.send(url, headers, Some(body))
    }

    fn send(
        &self,
        url: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> Result<Reply, SourceError> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(self.timed_out());
        }
        let result = match body {
            None => {
                let mut request = self.agent.get(url);
                for (name, value) in headers {
                    request = request.header(*name, *value);
                }
                request.config().timeout_global(Some(left)).build().call()
            }
            Some(bytes) => {
                let mut request = self.agent.post(url);
                for (name, value) in headers {
                    request = request.header(*name, *value);
                }
                request.config().timeout_global(Some(left)).build().send(bytes)
            }
        };
        let mut response = result.map_err(|err| self.error(&err))?;
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_BODY)
            .read_to_string()
            .map_err(|err| self.error(&err))?;
        Ok(Reply { status, body })
    }

    fn timed_out(&self) -> SourceError {
        SourceError::new(format!(
            "{}: no complete answer within {} s",
            self.shown,
            TOTAL_TIMEOUT.as_secs()
        ))
    }

    /// A transport error in words, without the URL's query or any header.
    fn error(&self, err: &ureq::Error) -> SourceError {
        use ureq::Error as E;
        let what = match err {
            E::Timeout(ureq::Timeout::Connect | ureq::Timeout::Resolve) => {
                format!("cannot connect within {} s", CONNECT_TIMEOUT.as_secs())
            }
            E::Timeout(_) => return self.timed_out(),
            E::HostNotFound => "host not found".to_owned(),
            E::ConnectionFailed => "connection refused".to_owned(),
            E::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
                "connection refused".to_owned()
            }
            // rustls reports a refused handshake (a self-signed or expired
            // certificate, a wrong name) as invalid data wrapping its own
            // error, whose text names the reason and nothing of the request.
            E::Io(io) if io.kind() == std::io::ErrorKind::InvalidData && self.tls => {
                match io.get_ref() {
                    Some(inner) => format!("TLS failed: {inner}"),
                    None => "TLS failed".to_owned(),
                }
            }
            E::Io(io) => format!("connection failed ({})", io.kind()),
            E::Tls(why) => format!("TLS failed: {why}"),
            E::Rustls(why) => format!("TLS failed: {why}"),
            E::BadUri(_) => "not a valid address".to_owned(),
            E::BodyExceedsLimit(limit) => format!("an answer is over {limit} bytes"),
            other => format!("request failed: {}", other_kind(other)),
        };
        SourceError::new(format!("{}: {what}", self.shown))
    }

    /// An answer that is not a success, in words. 401/403 name the variable
    /// that holds the credential (never its value).
    pub(super) fn status_error(&self, reply: &Reply, credential: &str) -> SourceError {
        let what = match reply.status {
            401 | 403 => format!("access denied (HTTP {}); check {credential}", reply.status),
            404 => "not found (HTTP 404)".to_owned(),
            status => format!("the store answered HTTP {status}"),
        };
        SourceError::new(format!("{}: {what}", self.shown))
    }

    /// An answer that is not the JSON expected.
    pub(super) fn bad_answer(&self, what: &str) -> SourceError {
        SourceError::new(format!("{}: unexpected answer ({what})", self.shown))
    }
}

/// A short kind for an error ureq's Display might spell with the URL.
fn other_kind(err: &ureq::Error) -> &'static str {
    match err {
        ureq::Error::Protocol(_) => "not an HTTP answer",
        ureq::Error::TooManyRedirects | ureq::Error::RedirectFailed => "redirected",
        _ => "transport error",
    }
}

/// `https://user:pw@host:8200/x` → `https://host:8200/x`: an address may
/// carry credentials, which no message shows.
pub(super) fn shown_address(address: &str) -> String {
    let (scheme, rest) = address.split_once("://").unwrap_or(("", address));
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    if scheme.is_empty() { format!("{host}{path}") } else { format!("{scheme}://{host}{path}") }
}

/// Percent-encodes a path segment or query value (RFC 3986 unreserved kept).
pub(super) fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// `encode`, keeping `/` (a store key's path).
pub(super) fn encode_path(text: &str) -> String {
    text.split('/').map(encode).collect::<Vec<_>>().join("/")
}

/// Parses an answer's body as JSON.
pub(super) fn json(client: &Client, reply: &Reply) -> Result<serde_json::Value, SourceError> {
    serde_json::from_str(&reply.body).map_err(|_| client.bad_answer("not JSON"))
}
