//! Whether output is coloured (§7): `--color always|never` decides; `auto`
//! follows the colour variables terminal programs share (no-color.org and
//! bixense.com/clicolors), then whether the output is a terminal.

use std::ffi::OsString;

use super::ColorChoice;

/// The choice for output that goes to a terminal when `is_terminal`, read
/// against the process's environment.
pub fn enabled(choice: ColorChoice, is_terminal: bool) -> bool {
    decide(choice, is_terminal, |name| std::env::var_os(name))
}

/// In this order: `NO_COLOR` (set and not empty) turns colour off, whatever
/// else is set; `CLICOLOR_FORCE` (set, not empty, not `0`) turns it on even
/// into a pipe; then only a terminal gets colour, unless `CLICOLOR=0` or
/// `TERM=dumb`.
fn decide(choice: ColorChoice, is_terminal: bool, var: impl Fn(&str) -> Option<OsString>) -> bool {
    let set = |name: &str| var(name).is_some_and(|v| !v.is_empty());
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if set("NO_COLOR") => false,
        ColorChoice::Auto if set("CLICOLOR_FORCE") && var("CLICOLOR_FORCE") != Some("0".into()) => {
            true
        }
        ColorChoice::Auto => {
            is_terminal && var("CLICOLOR") != Some("0".into()) && var("TERM") != Some("dumb".into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auto(is_terminal: bool, vars: &[(&str, &str)]) -> bool {
        decide(ColorChoice::Auto, is_terminal, |name| {
            vars.iter().find(|(n, _)| *n == name).map(|(_, v)| OsString::from(v))
        })
    }

    #[test]
    fn a_terminal_gets_colour_a_pipe_does_not() {
        assert!(auto(true, &[]));
        assert!(!auto(false, &[]));
        assert!(!auto(true, &[("TERM", "dumb")]));
    }

    #[test]
    fn clicolor_zero_turns_it_off_on_a_terminal() {
        assert!(!auto(true, &[("CLICOLOR", "0")]));
        assert!(auto(true, &[("CLICOLOR", "1")]));
        assert!(!auto(false, &[("CLICOLOR", "1")]), "CLICOLOR=1 does not force a pipe");
    }

    #[test]
    fn clicolor_force_colours_a_pipe() {
        assert!(auto(false, &[("CLICOLOR_FORCE", "1")]));
        assert!(auto(true, &[("CLICOLOR_FORCE", "1"), ("CLICOLOR", "0")]));
        assert!(!auto(false, &[("CLICOLOR_FORCE", "0")]));
        assert!(!auto(false, &[("CLICOLOR_FORCE", "")]));
    }

    #[test]
    fn no_color_wins() {
        assert!(!auto(true, &[("NO_COLOR", "1")]));
        assert!(!auto(false, &[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")]));
        assert!(auto(true, &[("NO_COLOR", "")]), "an empty NO_COLOR is not set");
    }

    #[test]
    fn the_flag_decides_over_the_variables() {
        let vars = |name: &str| (name == "NO_COLOR").then(|| OsString::from("1"));
        assert!(decide(ColorChoice::Always, false, vars));
        assert!(!decide(ColorChoice::Never, true, |_| Some(OsString::from("1"))));
    }
}
