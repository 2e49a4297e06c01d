//! The one kind of error the command line reports: a message and an
//! optional hint, printed as `envlens: …` and `  hint: …`, exit code 2.

use std::fmt::{self, Write as _};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError {
    pub message: String,
    pub hint: Option<String>,
    /// The reader of standard output went away (`| head`): not a failure.
    pub broken_pipe: bool,
}

impl CliError {
    pub fn new(message: impl Into<String>) -> Self {
        Self { message: message.into(), hint: None, broken_pipe: false }
    }

    /// A failed write to standard output.
    pub fn output(err: &std::io::Error) -> Self {
        Self {
            message: format!("cannot write the output: {err}"),
            hint: None,
            broken_pipe: err.kind() == std::io::ErrorKind::BrokenPipe,
        }
    }

    #[must_use]
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "envlens: {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for CliError {}

/// Lists names for a hint, at most `limit` of them.
pub fn name_list<'a>(names: impl IntoIterator<Item = &'a str>, limit: usize) -> String {
    let names: Vec<&str> = names.into_iter().collect();
    let mut text = names.iter().take(limit).copied().collect::<Vec<_>>().join(", ");
    if names.len() > limit {
        let _ = write!(text, ", … ({} in all)", names.len());
    }
    text
}
