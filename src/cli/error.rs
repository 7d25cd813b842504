//! What a command failed with. Inside the crate errors are typed; here, at the command
//! line, they get the context a user needs (which file, what was being done) and are
//! printed as one line.

/// Any error a command stops with.
pub type CliError = Box<dyn std::error::Error + Send + Sync>;

/// An error with what the command was doing when it came.
#[derive(Debug, thiserror::Error)]
#[error("{context}: {source}")]
pub struct WithContext {
    /// What was being done.
    pub context: String,
    /// What went wrong.
    pub source: CliError,
}

/// Adds context to an error on its way out of a command.
pub trait Context<T> {
    /// The error, as `CONTEXT: ERROR`.
    fn context(self, context: impl FnOnce() -> String) -> Result<T, CliError>;
}

impl<T, E: Into<CliError>> Context<T> for Result<T, E> {
    fn context(self, context: impl FnOnce() -> String) -> Result<T, CliError> {
        self.map_err(|e| {
            Box::new(WithContext {
                context: context(),
                source: e.into(),
            }) as CliError
        })
    }
}
