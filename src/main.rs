//! Entry point: hands the arguments to the CLI and turns its outcome into
//! the process exit code.

fn main() -> std::process::ExitCode {
    envlens::cli::main()
}
