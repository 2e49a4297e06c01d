//! Spring Cloud Config Server: `GET <uri>/<application>/<profile>[/<label>]`
//! answers the environment's `propertySources`, highest precedence first;
//! the first source that has a property gives its value. Property names
//! are keys (`server.port`, `hosts[0]`), values keep their JSON types, a
//! `{cipher}` value is encrypted (§5). Basic auth from
//! `SPRING_CLOUD_CONFIG_USERNAME` and `SPRING_CLOUD_CONFIG_PASSWORD`.

use std::collections::HashSet;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;

use super::http::{self, Client, encode_path};
use super::{Entry, FetchOptions, SourceError, json_entries, path_of_dotted};

pub(super) fn fetch(
    address: &str,
    path: &str,
    options: &FetchOptions<'_>,
) -> Result<Vec<Entry>, SourceError> {
    let client = Client::new(address);
    let app_profile = path.trim_matches('/');
    if !app_profile.contains('/') {
        return Err(SourceError::new(format!(
            "spring source {path:?}: the path is \"application/profile\", e.g. \"api/prod\""
        )));
    }
    let auth = match (
        (options.env)("SPRING_CLOUD_CONFIG_USERNAME"),
        (options.env)("SPRING_CLOUD_CONFIG_PASSWORD"),
    ) {
        (Some(user), Some(password)) => {
            Some(format!("Basic {}", B64.encode(format!("{user}:{password}"))))
        }
        _ => None,
    };
    let mut headers = vec![("Accept", "application/json")];
    if let Some(auth) = &auth {
        headers.push(("Authorization", auth.as_str()));
    }
    let reply = client.get(&format!("{address}/{}", encode_path(app_profile)), &headers)?;
    if reply.status != 200 {
        return Err(client.status_error(&reply, "SPRING_CLOUD_CONFIG_USERNAME/PASSWORD"));
    }
    let answer = http::json(&client, &reply)?;
    let sources = answer["propertySources"]
        .as_array()
        .ok_or_else(|| client.bad_answer("no `propertySources`"))?;
    let mut seen = HashSet::new();
    let mut entries = Vec::new();
    for source in sources {
        let Some(properties) = source["source"].as_object() else { continue };
        for (name, value) in properties {
            if seen.insert(name.clone()) {
                json_entries(&path_of_dotted(name), value, false, &mut entries);
            }
        }
    }
    Ok(entries)
}
