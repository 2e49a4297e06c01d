//! A single-line text input with exactly the editor keys of §9: move by
//! character, to the start and end, delete either side, delete to the start
//! or end, delete the word before the cursor. Positions count characters,
//! so a multi-byte character moves and deletes as one.

/// The text being typed and where the cursor is.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct LineInput {
    text: String,
    /// In characters, `0..=len`.
    cursor: usize,
}

/// Never prints the text: it may be a secret being typed.
impl std::fmt::Debug for LineInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LineInput(<{} chars>, cursor {})", self.len(), self.cursor)
    }
}

impl LineInput {
    /// `text` with the cursor at its end, where a fix usually starts.
    pub fn new(text: impl Into<String>) -> Self {
        let text: String = text.into();
        let cursor = text.chars().count();
        Self { text, cursor }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn len(&self) -> usize {
        self.text.chars().count()
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    fn byte_at(&self, chars: usize) -> usize {
        self.text.char_indices().nth(chars).map_or(self.text.len(), |(i, _)| i)
    }

    pub fn insert(&mut self, c: char) {
        let at = self.byte_at(self.cursor);
        self.text.insert(at, c);
        self.cursor += 1;
    }

    pub fn left(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn right(&mut self) {
        self.cursor = (self.cursor + 1).min(self.len());
    }

    pub fn home(&mut self) {
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.cursor = self.len();
    }

    /// Removes characters `from..to` and leaves the cursor at `from`.
    fn remove(&mut self, from: usize, to: usize) {
        let (start, end) = (self.byte_at(from), self.byte_at(to));
        self.text.replace_range(start..end, "");
        self.cursor = from;
    }

    pub fn backspace(&mut self) {
        if self.cursor > 0 {
            self.remove(self.cursor - 1, self.cursor);
        }
    }

    pub fn delete(&mut self) {
        if self.cursor < self.len() {
            self.remove(self.cursor, self.cursor + 1);
        }
    }

    pub fn kill_start(&mut self) {
        self.remove(0, self.cursor);
    }

    pub fn kill_end(&mut self) {
        self.remove(self.cursor, self.len());
    }

    /// Deletes the word before the cursor and the spaces after it, as a
    /// shell's `Ctrl-w` does: words end at white space.
    pub fn kill_word(&mut self) {
        let chars: Vec<char> = self.text.chars().take(self.cursor).collect();
        let mut from = chars.len();
        while from > 0 && chars[from - 1].is_whitespace() {
            from -= 1;
        }
        while from > 0 && !chars[from - 1].is_whitespace() {
            from -= 1;
        }
        self.remove(from, self.cursor);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_edit_by_character() {
        let mut line = LineInput::new("héllo wörld");
        assert_eq!(line.cursor(), 11);
        line.kill_word();
        assert_eq!(line.text(), "héllo ");
        line.home();
        line.right();
        line.delete();
        assert_eq!(line.text(), "hllo ");
        line.insert('é');
        line.backspace();
        line.backspace();
        assert_eq!((line.text(), line.cursor()), ("llo ", 0));
        line.end();
        line.left();
        line.kill_end();
        assert_eq!(line.text(), "llo");
        line.left();
        line.kill_start();
        assert_eq!((line.text(), line.cursor()), ("o", 0));
        assert_eq!(format!("{line:?}"), "LineInput(<1 chars>, cursor 0)");
    }
}
