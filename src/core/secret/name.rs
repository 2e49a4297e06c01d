//! The name rules of §5: a key whose last words are a secret word
//! (`db_password`, `STRIPE_SECRET_KEY`, `authToken`, `SECRET_KEY_BASE`),
//! and names whose last word is `key`, which are secrets when the value
//! looks generated.

/// Secret words of §5, lower case; two-word entries are joined by a space.
pub(super) const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "passphrase",
    "secret",
    "token",
    "apikey",
    "api key",
    "private key",
    "access key",
    "secret key",
    "signing key",
    "encryption key",
    "master key",
    "secret key base",
    "credential",
    "credentials",
    "auth",
    "pass",
    "salt",
    "dsn",
    "connection string",
];

/// True when the name's last word, or its last two or three words, are a
/// secret word (§5). Three: `secret key base` (Rails) is one entry.
#[must_use]
pub fn is_secret_name(name: &str) -> bool {
    name_rules(name).0
}

/// True when the name's last word is `key` (`ENCRYPTION_PRIMARY_KEY`,
/// `sort_key`): such a key is a secret only when its value looks generated.
#[must_use]
pub fn ends_in_key(name: &str) -> bool {
    name_rules(name).1
}

/// Both name rules from one split of the name: (a secret name, ends in `key`).
pub(super) fn name_rules(name: &str) -> (bool, bool) {
    let words = split_words(name);
    let secret = (1..=3.min(words.len())).any(|n| {
        let tail = words.get(words.len() - n..).unwrap_or_default();
        SECRET_WORDS.contains(&tail.join(" ").as_str())
    });
    (secret, words.last().is_some_and(|w| w == "key"))
}

/// Splits a name into lower-case words: at `_`, `-`, `.` and white space,
/// and where the case changes from lower to upper (`authToken`). A digit
/// before an upper-case letter is a boundary too (`oauth2Token`), and an
/// upper-case run ends before its last letter when a lower-case one follows,
/// so acronyms stay whole (`DBPassword` → `db`, `password`).
pub(super) fn split_words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words = Vec::new();
    let mut word = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if matches!(c, '_' | '-' | '.') || c.is_whitespace() {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            continue;
        }
        if c.is_uppercase() && !word.is_empty() {
            let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
            let next = chars.get(i + 1).copied();
            let after_lower = prev.is_some_and(|p| p.is_lowercase() || p.is_ascii_digit());
            let acronym_end =
                prev.is_some_and(char::is_uppercase) && next.is_some_and(char::is_lowercase);
            if after_lower || acronym_end {
                words.push(std::mem::take(&mut word));
            }
        }
        word.extend(c.to_lowercase());
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}
