//! Errors of the use cases: the caller's fault (with a Dutch message) or unexpected.

use knooppunt_domain::Invalid;
use knooppunt_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The input is wrong; every problem is listed.
    #[error("ongeldige invoer")]
    Invalid(#[from] Invalid),
    /// Nobody is signed in, or the session has ended.
    #[error("niet aangemeld")]
    Unauthenticated,
    /// Sign-in failed; deliberately says nothing about which part was wrong.
    #[error("Gebruikersnaam of wachtwoord is onjuist.")]
    LoginFailed,
    /// The second-factor code is wrong, expired or already used.
    #[error("De code is onjuist of al gebruikt. Wacht op de volgende code en probeer het opnieuw.")]
    SecondFactorFailed,
    /// Too many failed attempts.
    #[error("Te veel mislukte pogingen. Wacht even en probeer het dan opnieuw.")]
    Throttled,
    /// Policy refused; the reason is Dutch.
    #[error("geen toegang: {0}")]
    Forbidden(&'static str),
    /// The thing does not exist, or the caller may not know it exists.
    #[error("{0} niet gevonden")]
    NotFound(&'static str),
    /// The request conflicts with the current state; the message is Dutch.
    #[error("{0}")]
    Conflict(String),
    /// The database cannot be reached just now; the request changed nothing.
    #[error("De database is even niet bereikbaar. Er is niets gewijzigd; probeer het over een minuut opnieuw.")]
    Unavailable,
    /// Not the caller's fault; the details go to the log, not to the caller.
    #[error("interne fout: {0}")]
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        if e.is_unique_violation() {
            // Two requests raced to record the same thing; the other one won.
            return AppError::Conflict(match e.duplicate_field() {
                Some(field) => format!("Er bestaat al iets met deze {field}; het is zojuist vastgelegd. Ververs de pagina en kies een andere {field}."),
                None => "Dit is zojuist al vastgelegd, waarschijnlijk door een ander verzoek. Ververs de pagina.".into(),
            });
        }
        if e.is_unavailable() {
            tracing::warn!(error = %e, "database unavailable");
            return AppError::Unavailable;
        }
        AppError::Internal(e.to_string())
    }
}
