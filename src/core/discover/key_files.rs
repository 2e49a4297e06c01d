//! Key files (§5): dotenvx's `.env.keys` and `.env.vault`, and age or sops
//! key files (a `.txt` or `.agekey` file holding `AGE-SECRET-KEY-`). They
//! are never config: they join no set and their text is never read beyond
//! the first few KiB that tell an age key file.

use std::io::Read as _;
use std::path::Path;

/// How much of a candidate age key file is read to find the key's header.
const PEEK_BYTES: u64 = 16 * 1024;

/// True when a file named `name` at `path` is a key file. Only regular
/// files are opened, and only a `.txt` or `.agekey` one, for a peek.
pub fn is_key_file(name: &str, path: &Path, file_type: Option<std::fs::FileType>) -> bool {
    is_key_file_with(name, file_type.is_some_and(|t| t.is_file()), || {
        let mut head = Vec::new();
        let read =
            std::fs::File::open(path).and_then(|f| f.take(PEEK_BYTES).read_to_end(&mut head));
        read.ok().map(|_| head)
    })
}

/// `is_key_file` for a file whose first bytes `peek` gives (a revision's
/// blob); `peek` is called only for a regular file that may hold an age key.
pub fn is_key_file_with(
    name: &str,
    is_regular: bool,
    peek: impl FnOnce() -> Option<Vec<u8>>,
) -> bool {
    if matches!(name, ".env.keys" | ".env.vault") {
        return true;
    }
    let may_hold_age_key = name.ends_with(".agekey") || name == "keys.txt" || name == "key.txt";
    if !may_hold_age_key || !is_regular {
        return false;
    }
    peek().is_some_and(|head| {
        let head = &head[..head.len().min(PEEK_BYTES as usize)];
        head.windows(15).any(|w| w == b"AGE-SECRET-KEY-")
    })
}
