//! HashiCorp Vault and OpenBao KV secrets engines, v2 and v1. The mount
//! and its version come from `GET /v1/sys/internal/ui/mounts/<path>`;
//! secrets below a path ending in `/` are listed (`?list=true`, a page of
//! `PAGE` names at a time with OpenBao's `after`/`limit`, which Vault
//! ignores) and read one by one; a path without the `/` is one secret.
//! Keys are the secret's path below the prefix, then its field; every
//! value is a secret. The token is `VAULT_TOKEN` or `BAO_TOKEN`, else the
//! `~/.vault-token` file the CLIs write.

use std::fmt::Write as _;

use super::http::{self, Client, encode, encode_path};
use super::{Entry, FetchOptions, SourceError, json_entries, path_of};

/// Names asked for per list request.
pub(super) const PAGE: usize = 500;

const CREDENTIAL: &str = "VAULT_TOKEN or BAO_TOKEN";

struct Kv<'a> {
    client: Client,
    address: &'a str,
    token: String,
    mount: String,
    v2: bool,
}

pub(super) fn fetch(
    address: &str,
    path: &str,
    options: &FetchOptions<'_>,
) -> Result<Vec<Entry>, SourceError> {
    let client = Client::new(address);
    let token = token(options).ok_or_else(|| {
        SourceError::new(format!(
            "{}: no token: set VAULT_TOKEN or BAO_TOKEN (or log in so ~/.vault-token exists)",
            client.shown()
        ))
    })?;
    let path = path.trim_start_matches('/');
    let mut kv = Kv { client, address, token, mount: String::new(), v2: true };
    kv.find_mount(path)?;
    let below = path.get(kv.mount.len()..).unwrap_or_default().to_owned();
    let mut entries = Vec::new();
    if below.is_empty() || below.ends_with('/') {
        let mut secrets = Vec::new();
        kv.walk(&below, &mut secrets)?;
        for name in secrets {
            let relative = name.get(below.len()..).unwrap_or_default();
            kv.read(&name, &path_of(relative), &mut entries)?;
        }
    } else {
        kv.read(&below, "", &mut entries)?;
    }
    Ok(entries)
}

fn token(options: &FetchOptions<'_>) -> Option<String> {
    let env = options.env;
    env("VAULT_TOKEN").or_else(|| env("BAO_TOKEN")).filter(|t| !t.trim().is_empty()).or_else(|| {
        let home = env("HOME")?;
        let text =
            std::fs::read_to_string(std::path::Path::new(&home).join(".vault-token")).ok()?;
        Some(text.trim().to_owned()).filter(|t| !t.is_empty())
    })
}

impl Kv<'_> {
    fn get(&self, api_path: &str) -> Result<Option<serde_json::Value>, SourceError> {
        let url = format!("{}/v1/{api_path}", self.address);
        let reply = self.client.get(&url, &[("X-Vault-Token", self.token.as_str())])?;
        match reply.status {
            200 => http::json(&self.client, &reply).map(Some),
            404 => Ok(None),
            _ => Err(self.client.status_error(&reply, CREDENTIAL)),
        }
    }

    /// The mount that holds `path`, and whether it is KV v2.
    fn find_mount(&mut self, path: &str) -> Result<(), SourceError> {
        let answer = self.get(&format!("sys/internal/ui/mounts/{}", encode_path(path)))?;
        let data = answer.as_ref().map(|a| &a["data"]);
        match data.and_then(|d| d["path"].as_str()) {
            Some(mount) => {
                mount.clone_into(&mut self.mount);
                let version = data.and_then(|d| d["options"]["version"].as_str());
                self.v2 = version == Some("2");
                Ok(())
            }
            None => Err(SourceError::new(format!(
                "{}: no secrets engine is mounted at {path}",
                self.client.shown()
            ))),
        }
    }

    /// Every secret's path (below the mount) under the folder `folder`.
    fn walk(&self, folder: &str, out: &mut Vec<String>) -> Result<(), SourceError> {
        let base = if self.v2 {
            format!("{}metadata/{}", self.mount, encode_path(folder))
        } else {
            format!("{}{}", self.mount, encode_path(folder))
        };
        let mut after: Option<String> = None;
        loop {
            let mut query = format!("{base}?list=true&limit={PAGE}");
            if let Some(after) = &after {
                let _ = write!(query, "&after={}", encode(after));
            }
            let Some(answer) = self.get(&query)? else { return Ok(()) };
            let keys: Vec<&str> = answer["data"]["keys"]
                .as_array()
                .map(|k| k.iter().filter_map(|v| v.as_str()).collect())
                .unwrap_or_default();
            // A server that ignores `after` (Vault) gives the first page
            // again: nothing new means the list is complete.
            let fresh: Vec<&str> =
                keys.iter().copied().filter(|k| after.as_deref().is_none_or(|a| *k > a)).collect();
            for name in &fresh {
                let full = format!("{folder}{name}");
                if name.ends_with('/') {
                    self.walk(&full, out)?;
                } else {
                    out.push(full);
                }
            }
            if keys.len() < PAGE || fresh.is_empty() {
                return Ok(());
            }
            after = fresh.last().map(|s| (*s).to_owned());
        }
    }

    /// The fields of the secret at `name` (below the mount), under `key`.
    fn read(&self, name: &str, key: &str, out: &mut Vec<Entry>) -> Result<(), SourceError> {
        let api = if self.v2 {
            format!("{}data/{}", self.mount, encode_path(name))
        } else {
            format!("{}{}", self.mount, encode_path(name))
        };
        let Some(answer) = self.get(&api)? else { return Ok(()) };
        let fields = if self.v2 { &answer["data"]["data"] } else { &answer["data"] };
        if fields.is_object() {
            json_entries(key, fields, true, out);
        }
        Ok(())
    }
}
