//! Path templates of `[[set]]` tables (§10): segments separated by `/`,
//! each literal text with `{env}` (the env's name, the same wherever it
//! appears) and `*` (any text within the segment), or a whole `**` (any
//! number of segments). Matching returns the env the path names.

/// One piece of a segment.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Star,
    Env,
}

/// A compiled template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    text: String,
    segments: Vec<Option<Vec<Piece>>>,
}

impl Template {
    /// `None` in a segment stands for `**`.
    pub fn new(text: &str) -> Self {
        let segments = text
            .trim_matches('/')
            .split('/')
            .filter(|s| !s.is_empty() && *s != ".")
            .map(|segment| (segment != "**").then(|| pieces(segment)))
            .collect();
        Self { text: text.to_owned(), segments }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether `{env}` appears in it.
    pub fn has_env(&self) -> bool {
        self.segments.iter().flatten().flatten().any(|p| *p == Piece::Env)
    }

    /// The env `path` names when it matches; `Some("")` when it matches a
    /// template without `{env}`.
    pub fn env_of(&self, path: &str) -> Option<String> {
        let parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let mut env = None;
        segments_match(&self.segments, &parts, &mut env).then(|| env.unwrap_or_default())
    }

    /// The env of the folder `dir` or of the folder above it that the
    /// template names, with that folder's path.
    pub fn env_folder(&self, dir: &str) -> Option<(String, String)> {
        let parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
        (1..=parts.len()).find_map(|n| {
            let folder = parts[..n].join("/");
            self.env_of(&folder).map(|env| (env, folder))
        })
    }
}

fn pieces(segment: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut rest = segment;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("{env}") {
            flush(&mut text, &mut out);
            out.push(Piece::Env);
            rest = after;
        } else if c == '*' {
            flush(&mut text, &mut out);
            out.push(Piece::Star);
            rest = &rest[1..];
        } else {
            text.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    flush(&mut text, &mut out);
    out
}

fn flush(text: &mut String, out: &mut Vec<Piece>) {
    if !text.is_empty() {
        out.push(Piece::Text(std::mem::take(text)));
    }
}

fn segments_match(
    template: &[Option<Vec<Piece>>],
    path: &[&str],
    env: &mut Option<String>,
) -> bool {
    match template.split_first() {
        None => path.is_empty(),
        Some((None, rest)) => (0..=path.len()).any(|skip| {
            let mut tried = env.clone();
            let found = segments_match(rest, &path[skip..], &mut tried);
            if found {
                *env = tried;
            }
            found
        }),
        Some((Some(pieces), rest)) => {
            let Some((first, others)) = path.split_first() else { return false };
            let mut tried = env.clone();
            let found =
                pieces_match(pieces, first, &mut tried) && segments_match(rest, others, &mut tried);
            if found {
                *env = tried;
            }
            found
        }
    }
}

fn pieces_match(pieces: &[Piece], text: &str, env: &mut Option<String>) -> bool {
    let Some((first, rest)) = pieces.split_first() else { return text.is_empty() };
    let ends = || (0..=text.len()).filter(|&i| text.is_char_boundary(i));
    match first {
        Piece::Text(literal) => {
            text.strip_prefix(literal.as_str()).is_some_and(|after| pieces_match(rest, after, env))
        }
        Piece::Star => ends().any(|i| pieces_match(rest, &text[i..], env)),
        Piece::Env => ends().skip(1).any(|i| {
            let name = &text[..i];
            if env.as_deref().is_some_and(|known| known != name) {
                return false;
            }
            let mut tried = Some(name.to_owned());
            let found = pieces_match(rest, &text[i..], &mut tried);
            if found {
                *env = tried;
            }
            found
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_in_a_name_or_a_whole_folder_and_wildcards_elsewhere() {
        let t = Template::new("charts/api/values-{env}.yaml");
        assert_eq!(t.env_of("charts/api/values-prod.yaml").as_deref(), Some("prod"));
        assert_eq!(t.env_of("charts/api/values-prod.eu.yaml").as_deref(), Some("prod.eu"));
        assert_eq!(t.env_of("charts/api/values.yaml"), None);
        assert_eq!(t.env_of("charts/api/values-.yaml"), None);
        let t = Template::new("envs/{env}/terraform.tfvars");
        assert_eq!(t.env_of("envs/dev/terraform.tfvars").as_deref(), Some("dev"));
        assert_eq!(t.env_of("envs/dev/x/terraform.tfvars"), None);
        let t = Template::new("services/*/config/{env}.json");
        assert_eq!(t.env_of("services/api/config/qa.json").as_deref(), Some("qa"));
        let t = Template::new("**/{env}/app.yaml");
        assert_eq!(t.env_of("a/b/prod/app.yaml").as_deref(), Some("prod"));
        assert_eq!(t.env_of("prod/app.yaml").as_deref(), Some("prod"));
        // The same env wherever `{env}` appears.
        let t = Template::new("{env}/config-{env}.yaml");
        assert_eq!(t.env_of("dev/config-dev.yaml").as_deref(), Some("dev"));
        assert_eq!(t.env_of("dev/config-prod.yaml"), None);
        assert!(t.has_env() && !Template::new("a/*.yaml").has_env());
    }

    #[test]
    fn env_folders_are_found_from_the_folders_below_them() {
        let t = Template::new("k8s/overlays/{env}");
        assert_eq!(
            t.env_folder("k8s/overlays/prod/patches"),
            Some(("prod".to_owned(), "k8s/overlays/prod".to_owned()))
        );
        assert_eq!(t.env_folder("k8s/base"), None);
    }
}
