//! etcd v3 through its JSON gateway: `POST /v3/kv/range` over the prefix
//! (keys and values base64, int64 as strings), a page of `PAGE` keys at a
//! time, every page at the revision of the first (`more` says there is
//! another). With `ETCDCTL_USER` (`name:password`) or `ETCD_USERNAME` and
//! `ETCD_PASSWORD`, a token from `/v3/auth/authenticate` is sent.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::json;

use super::http::{self, Client};
use super::{Entry, FetchOptions, SourceError, path_of};
use crate::core::leaf::Value;

/// Keys asked for per request.
pub(super) const PAGE: u64 = 1000;

const CREDENTIAL: &str = "ETCDCTL_USER or ETCD_USERNAME/ETCD_PASSWORD";

pub(super) fn fetch(
    address: &str,
    prefix: &str,
    options: &FetchOptions<'_>,
) -> Result<Vec<Entry>, SourceError> {
    let client = Client::new(address);
    let token = authenticate(&client, address, options)?;
    let mut headers: Vec<(&str, &str)> = vec![("Content-Type", "application/json")];
    if let Some(token) = &token {
        headers.push(("Authorization", token.as_str()));
    }
    let range_end = prefix_end(prefix.as_bytes());
    let mut start = prefix.as_bytes().to_vec();
    let mut revision: Option<String> = None;
    let mut entries = Vec::new();
    loop {
        let mut body = json!({
            "key": B64.encode(&start),
            "range_end": B64.encode(&range_end),
            "limit": PAGE,
        });
        if let Some(rev) = &revision {
            body["revision"] = json!(rev);
        }
        let reply = client.post(
            &format!("{address}/v3/kv/range"),
            &headers,
            body.to_string().as_bytes(),
        )?;
        if reply.status != 200 {
            return Err(client.status_error(&reply, CREDENTIAL));
        }
        let page = http::json(&client, &reply)?;
        if revision.is_none() {
            revision = page["header"]["revision"].as_str().map(str::to_owned);
        }
        let kvs = page["kvs"].as_array().map(Vec::as_slice).unwrap_or_default();
        let mut last = None;
        for kv in kvs {
            let key = decode(&client, &kv["key"])?;
            let value = decode(&client, &kv["value"])?;
            let relative = key.get(prefix.len()..).unwrap_or_default();
            let text = String::from_utf8_lossy(&value).into_owned();
            entries.push(Entry {
                path: path_of(&String::from_utf8_lossy(relative)),
                value: Value::String(text.into()),
                secret: false,
            });
            last = Some(key);
        }
        let more = page["more"].as_bool().unwrap_or(false);
        match last {
            Some(mut key) if more => {
                key.push(0);
                start = key;
            }
            _ => break,
        }
    }
    entries.retain(|e| !e.path.is_empty());
    Ok(entries)
}

fn decode(client: &Client, value: &serde_json::Value) -> Result<Vec<u8>, SourceError> {
    match value.as_str() {
        None => Ok(Vec::new()),
        Some(text) => {
            B64.decode(text).map_err(|_| client.bad_answer("a key or value is not base64"))
        }
    }
}

/// The end of the range of keys that start with `prefix`: the prefix with
/// its last byte below 0xff incremented (all keys when there is none).
fn prefix_end(prefix: &[u8]) -> Vec<u8> {
    let mut end = prefix.to_vec();
    while let Some(&last) = end.last() {
        if last < 0xff {
            if let Some(b) = end.last_mut() {
                *b += 1;
            }
            return end;
        }
        end.pop();
    }
    vec![0]
}

/// A token for the user of `ETCDCTL_USER`/`ETCD_USERNAME`, when one is set.
fn authenticate(
    client: &Client,
    address: &str,
    options: &FetchOptions<'_>,
) -> Result<Option<String>, SourceError> {
    let env = options.env;
    let user = env("ETCDCTL_USER")
        .and_then(|u| u.split_once(':').map(|(n, p)| (n.to_owned(), p.to_owned())))
        .or_else(|| Some((env("ETCD_USERNAME")?, env("ETCD_PASSWORD").unwrap_or_default())));
    let Some((name, password)) = user else { return Ok(None) };
    let body = json!({"name": name, "password": password}).to_string();
    let reply = client.post(
        &format!("{address}/v3/auth/authenticate"),
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    )?;
    if reply.status != 200 {
        return Err(client.status_error(&reply, CREDENTIAL));
    }
    let answer = http::json(client, &reply)?;
    Ok(answer["token"].as_str().map(str::to_owned))
}

#[cfg(test)]
mod tests {
    use super::prefix_end;

    #[test]
    fn range_end_is_the_prefix_plus_one() {
        assert_eq!(prefix_end(b"/api/"), b"/api0");
        assert_eq!(prefix_end(b"a\xff"), b"b");
        assert_eq!(prefix_end(b""), b"\0");
    }
}
