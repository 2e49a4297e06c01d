//! Colours of the view by role. The defaults live in `assets/theme.toml`;
//! user settings override single roles. Without colour (`NO_COLOR`, `--color
//! never`) every style keeps only its modifiers, so the marks, bold, dim and
//! reverse video carry the meaning.

use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};

use crate::core::diff::Status;

/// A role that has a colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Same,
    Differs,
    TypeChanged,
    Missing,
    Secret,
    Inherited,
    Reference,
    Border,
    FocusBorder,
    Title,
    CursorRow,
    Error,
    Hint,
}

impl Slot {
    pub const ALL: [Slot; 13] = [
        Self::Same,
        Self::Differs,
        Self::TypeChanged,
        Self::Missing,
        Self::Secret,
        Self::Inherited,
        Self::Reference,
        Self::Border,
        Self::FocusBorder,
        Self::Title,
        Self::CursorRow,
        Self::Error,
        Self::Hint,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Same => "same",
            Self::Differs => "differs",
            Self::TypeChanged => "type_changed",
            Self::Missing => "missing",
            Self::Secret => "secret",
            Self::Inherited => "inherited",
            Self::Reference => "reference",
            Self::Border => "border",
            Self::FocusBorder => "focus_border",
            Self::Title => "title",
            Self::CursorRow => "cursor_row",
            Self::Error => "error",
            Self::Hint => "hint",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// Reads a colour as the theme file writes it; `default` is the terminal's.
pub fn parse_color(text: &str) -> Option<Color> {
    if text.eq_ignore_ascii_case("default") {
        return Some(Color::Reset);
    }
    Color::from_str(text).ok()
}

/// The colours in use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    colors: [Color; Slot::ALL.len()],
    /// False on a monochrome terminal: colours are dropped.
    pub color: bool,
}

impl Default for Theme {
    fn default() -> Self {
        Self { colors: [Color::Reset; Slot::ALL.len()], color: true }
    }
}

impl Theme {
    pub fn set(&mut self, slot: Slot, color: Color) {
        self.colors[slot as usize] = color;
    }

    pub fn color(&self, slot: Slot) -> Color {
        if self.color { self.colors[slot as usize] } else { Color::Reset }
    }

    /// Foreground in the slot's colour.
    pub fn fg(&self, slot: Slot) -> Style {
        Style::new().fg(self.color(slot))
    }

    /// The style of a row of this status: `same` rows are dim so the eye
    /// lands on drift.
    pub fn status(&self, status: Status) -> Style {
        match status {
            Status::Same => self.fg(Slot::Same).add_modifier(Modifier::DIM),
            Status::Differs => self.fg(Slot::Differs),
            Status::TypeChanged => self.fg(Slot::TypeChanged),
            Status::Missing => self.fg(Slot::Missing),
        }
    }

    /// The row under the cursor.
    pub fn cursor_row(&self) -> Style {
        if self.color {
            Style::new().bg(self.color(Slot::CursorRow))
        } else {
            Style::new().add_modifier(Modifier::BOLD)
        }
    }

    /// The focused cell: reverse video reads on every terminal.
    pub fn cursor_cell(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    pub fn border(&self, focused: bool) -> Style {
        if focused { self.fg(Slot::FocusBorder) } else { self.fg(Slot::Border) }
    }

    pub fn title(&self) -> Style {
        self.fg(Slot::Title).add_modifier(Modifier::BOLD)
    }

    pub fn hint(&self) -> Style {
        if self.color { self.fg(Slot::Hint) } else { Style::new().add_modifier(Modifier::DIM) }
    }
}
