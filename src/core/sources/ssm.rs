//! AWS Systems Manager Parameter Store: `GetParametersByPath` (recursive,
//! `PAGE` parameters a page, `NextToken` to the next), signed with `SigV4`.
//! A `SecureString` is a secret; it is decrypted only with `--reveal`
//! (`WithDecryption`), else it stays encrypted: shown `[encrypted]` and
//! compared by presence (§4), since its text is ciphertext.

use std::time::SystemTime;

use serde_json::json;

use super::http::{self, Client};
use super::sigv4::Signer;
use super::{Entry, FetchOptions, SourceError, path_of};
use crate::core::leaf::{Value, ValueType};

/// The most `GetParametersByPath` gives per page.
pub(super) const PAGE: u32 = 10;

const CREDENTIAL: &str = "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY";

pub(super) fn fetch(
    address: &str,
    path: &str,
    options: &FetchOptions<'_>,
) -> Result<Vec<Entry>, SourceError> {
    let signer = Signer::from_env(options.env, "ssm")?;
    let address = if address.is_empty() {
        format!("https://ssm.{}.amazonaws.com", signer.region)
    } else {
        address.to_owned()
    };
    let client = Client::new(&address);
    let host = host_of(&address);
    let url = format!("{address}/");
    let prefix = match path.trim_end_matches('/') {
        "" => "/".to_owned(),
        trimmed => trimmed.to_owned(),
    };
    let mut token: Option<String> = None;
    let mut entries = Vec::new();
    loop {
        let mut body = json!({
            "Path": prefix,
            "Recursive": true,
            "WithDecryption": options.reveal,
            "MaxResults": PAGE,
        });
        if let Some(token) = &token {
            body["NextToken"] = json!(token);
        }
        let body = body.to_string();
        let base = [
            ("host", host.as_str()),
            ("content-type", "application/x-amz-json-1.1"),
            ("x-amz-target", "AmazonSSM.GetParametersByPath"),
        ];
        let auth = signer.headers("POST", &url, &base, body.as_bytes(), SystemTime::now())?;
        let mut headers: Vec<(&str, &str)> = base[1..].to_vec();
        headers.extend(auth.iter().map(|(n, v)| (n.as_str(), v.as_str())));
        let reply = client.post(&url, &headers, body.as_bytes())?;
        if reply.status != 200 {
            return Err(refused(&client, &reply));
        }
        let page = http::json(&client, &reply)?;
        for parameter in page["Parameters"].as_array().map(Vec::as_slice).unwrap_or_default() {
            entries.extend(entry(&prefix, parameter, options.reveal));
        }
        match page["NextToken"].as_str() {
            Some(next) if !next.is_empty() => token = Some(next.to_owned()),
            _ => break,
        }
    }
    Ok(entries)
}

fn entry(prefix: &str, parameter: &serde_json::Value, revealed: bool) -> Option<Entry> {
    let name = parameter["Name"].as_str()?;
    let relative = name.strip_prefix(prefix).unwrap_or(name);
    let path = path_of(relative);
    if path.is_empty() {
        return None;
    }
    let secure = parameter["Type"].as_str() == Some("SecureString");
    let text = parameter["Value"].as_str().unwrap_or_default();
    let value = if secure && !revealed {
        Value::Encrypted(ValueType::String)
    } else {
        Value::String(text.into())
    };
    Some(Entry { path, value, secret: secure })
}

/// An AWS error answer: its `__type` only (the message may quote a key id).
fn refused(client: &Client, reply: &http::Reply) -> SourceError {
    let kind = serde_json::from_str::<serde_json::Value>(&reply.body)
        .ok()
        .and_then(|v| v["__type"].as_str().map(|t| t.rsplit('#').next().unwrap_or(t).to_owned()));
    match kind {
        Some(kind)
            if kind.contains("AccessDenied")
                || kind.contains("UnrecognizedClient")
                || kind.contains("InvalidSignature")
                || kind.contains("ExpiredToken") =>
        {
            SourceError::new(format!(
                "{}: access denied ({kind}); check {CREDENTIAL}",
                client.shown()
            ))
        }
        Some(kind) => SourceError::new(format!(
            "{}: the store refused the request ({kind}, HTTP {})",
            client.shown(),
            reply.status
        )),
        None => client.status_error(reply, CREDENTIAL),
    }
}

/// `https://host:4566/x` → `host:4566`.
fn host_of(address: &str) -> String {
    let rest = address.split_once("://").map_or(address, |(_, r)| r);
    let authority = rest.split('/').next().unwrap_or(rest);
    authority.rsplit_once('@').map_or(authority, |(_, h)| h).to_owned()
}
