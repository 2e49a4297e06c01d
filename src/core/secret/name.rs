//! The name rule of §5: a key whose last word or last two words are a
//! secret word (`db_password`, `STRIPE_SECRET_KEY`, `authToken`).

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
    "credential",
    "credentials",
    "auth",
    "dsn",
    "connection string",
];

/// True when the name's last word or last two words are a secret word (§5).
#[must_use]
pub fn is_secret_name(name: &str) -> bool {
    let words = split_words(name);
    let Some(last) = words.last() else {
        return false;
    };
    if SECRET_WORDS.contains(&last.as_str()) {
        return true;
    }
    match words.len().checked_sub(2).and_then(|i| words.get(i)) {
        Some(before) => {
            let pair = format!("{before} {last}");
            SECRET_WORDS.contains(&pair.as_str())
        }
        None => false,
    }
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
