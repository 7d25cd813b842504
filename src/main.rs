//! The `newsflow` command.

fn main() -> std::process::ExitCode {
    newsflow::cli::main()
}
