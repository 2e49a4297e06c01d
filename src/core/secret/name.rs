//! The name rules of §5: a key whose last words are a secret word
//! (`db_password`, `STRIPE_SECRET_KEY`, `authToken`, `SECRET_KEY_BASE`),
//! and names whose last word is `key`, which are secrets when the value
//! looks generated.

use smallvec::SmallVec;

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
    if name.is_ascii() {
        return ascii_name_rules(name);
    }
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

/// `name_rules` of an ASCII name, on the name's own text split into word
/// ranges as `split_words` splits it, with nothing allocated: the rules
/// are asked of every leaf a report shows.
pub(super) fn ascii_name_rules(name: &str) -> (bool, bool) {
    let words = ascii_word_ranges(name);
    let text = |&(start, end): &(usize, usize)| &name[start..end];
    let ends_with = |phrase: &str| {
        let n = phrase.split(' ').count();
        n <= words.len()
            && phrase
                .split(' ')
                .zip(&words[words.len() - n..])
                .all(|(w, r)| text(r).eq_ignore_ascii_case(w))
    };
    let secret = SECRET_WORDS.iter().any(|phrase| ends_with(phrase));
    (secret, words.last().is_some_and(|r| text(r).eq_ignore_ascii_case("key")))
}

/// Where the words of an ASCII name start and end, by `split_words`'s rules.
fn ascii_word_ranges(name: &str) -> SmallVec<[(usize, usize); 8]> {
    let bytes = name.as_bytes();
    let mut words = SmallVec::new();
    let mut start: Option<usize> = None;
    for (i, &c) in bytes.iter().enumerate() {
        if matches!(c, b'_' | b'-' | b'.') || char::from(c).is_whitespace() {
            if let Some(from) = start.take() {
                words.push((from, i));
            }
            continue;
        }
        if let Some(from) = start
            && c.is_ascii_uppercase()
        {
            let prev = bytes[i - 1];
            let next_lower = bytes.get(i + 1).is_some_and(u8::is_ascii_lowercase);
            let after_lower = prev.is_ascii_lowercase() || prev.is_ascii_digit();
            if after_lower || (prev.is_ascii_uppercase() && next_lower) {
                words.push((from, i));
                start = Some(i);
            }
        }
        start.get_or_insert(i);
    }
    if let Some(from) = start {
        words.push((from, bytes.len()));
    }
    words
}
