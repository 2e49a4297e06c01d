//! Consul KV: `GET /v1/kv/<prefix>?recurse=true` gives every key below the
//! prefix in one answer (values base64, `null` for a folder); a prefix with
//! no key answers 404, which is an empty store, not an error. The token is
//! `CONSUL_HTTP_TOKEN`, sent as `X-Consul-Token`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;

use super::http::{self, Client, encode_path};
use super::{Entry, FetchOptions, SourceError, path_of};
use crate::core::leaf::Value;

pub(super) fn fetch(
    address: &str,
    prefix: &str,
    options: &FetchOptions<'_>,
) -> Result<Vec<Entry>, SourceError> {
    let client = Client::new(address);
    let token = (options.env)("CONSUL_HTTP_TOKEN").filter(|t| !t.is_empty());
    let mut headers = Vec::new();
    if let Some(token) = &token {
        headers.push(("X-Consul-Token", token.as_str()));
    }
    let path = prefix.trim_start_matches('/');
    let url = format!("{address}/v1/kv/{}?recurse=true", encode_path(path));
    let reply = client.get(&url, &headers)?;
    match reply.status {
        200 => {}
        404 => return Ok(Vec::new()),
        _ => return Err(client.status_error(&reply, "CONSUL_HTTP_TOKEN")),
    }
    let answer = http::json(&client, &reply)?;
    let items = answer.as_array().ok_or_else(|| client.bad_answer("not a list of keys"))?;
    let mut entries = Vec::with_capacity(items.len());
    for item in items {
        let key = item["Key"].as_str().ok_or_else(|| client.bad_answer("a key without `Key`"))?;
        let Some(encoded) = item["Value"].as_str() else { continue };
        let bytes = B64.decode(encoded).map_err(|_| client.bad_answer("a value is not base64"))?;
        let relative = key.get(path.len()..).unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let path = path_of(relative);
        if !path.is_empty() {
            entries.push(Entry { path, value: Value::String(text.into()), secret: false });
        }
    }
    Ok(entries)
}
