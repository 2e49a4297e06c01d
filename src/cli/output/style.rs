//! Colour for terminal output: on as `args::color` decides (a terminal
//! without `NO_COLOR` or `CLICOLOR=0`, `CLICOLOR_FORCE=1`, `--color`), so
//! piped output stays plain.

use std::io::IsTerminal;

use crate::args::ColorChoice;
use crate::core::diff::Status;

/// Wraps text in ANSI styles, or leaves it alone when colour is off.
#[derive(Debug, Clone, Copy)]
pub struct Painter {
    enabled: bool,
}

impl Painter {
    pub fn for_stdout(choice: ColorChoice) -> Self {
        Self { enabled: crate::args::color::enabled(choice, std::io::stdout().is_terminal()) }
    }

    pub fn plain() -> Self {
        Self { enabled: false }
    }

    fn wrap(self, code: &str, text: &str) -> String {
        if self.enabled && !text.is_empty() {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    pub fn bold(self, text: &str) -> String {
        self.wrap("1", text)
    }

    pub fn dim(self, text: &str) -> String {
        self.wrap("2", text)
    }

    pub fn error(self, text: &str) -> String {
        self.wrap("1;31", text)
    }

    /// The status colour; `strong` adds bold for cells that differ from
    /// the reference env.
    pub fn status(self, status: Status, text: &str, strong: bool) -> String {
        let code = match (status, strong) {
            (Status::Same, _) => "2",
            (Status::Differs, false) => "33",
            (Status::Differs, true) => "1;33",
            (Status::TypeChanged, false) => "35",
            (Status::TypeChanged, true) => "1;35",
            (Status::Missing, false) => "31",
            (Status::Missing, true) => "1;31",
        };
        self.wrap(code, text)
    }
}
