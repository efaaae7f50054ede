//! Account values: user names, display names, e-mail addresses and the password rules.

use serde::Serialize;

/// A login name: 3 to 64 characters of lowercase letters, digits, dot, dash or underscore.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Username(String);

impl Username {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let s = raw.trim().to_lowercase();
        if s.chars().count() < 3 || s.chars().count() > 64 {
            return Err("Een gebruikersnaam heeft 3 tot 64 tekens.".into());
        }
        if !s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c)) {
            return Err("Een gebruikersnaam bestaat uit kleine letters, cijfers, punt, streepje of liggend streepje.".into());
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The name shown for a person: 1 to 200 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let s = raw.trim();
        if s.is_empty() {
            return Err("Vul een naam in.".into());
        }
        if s.chars().count() > 200 {
            return Err("Een naam heeft hoogstens 200 tekens.".into());
        }
        if s.chars().any(char::is_control) {
            return Err("Een naam mag geen besturingstekens bevatten.".into());
        }
        Ok(Self(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An e-mail address in the plain `local@domain.tld` form; lowercased domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let s = raw.trim();
        let err = || "Vul een geldig e-mailadres in, bijvoorbeeld naam@organisatie.nl.".to_string();
        let (local, domain) = s.split_once('@').ok_or_else(err)?;
        let ok_local = !local.is_empty() && local.len() <= 64 && local.chars().all(|c| c.is_ascii_alphanumeric() || "._%+-'".contains(c));
        let labels: Vec<&str> = domain.split('.').collect();
        let ok_domain = labels.len() >= 2
            && labels.iter().all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-') && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
            && labels.last().is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
        if !ok_local || !ok_domain || s.len() > 254 {
            return Err(err());
        }
        Ok(Self(format!("{local}@{}", domain.to_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password that satisfies the rules. It is never stored or logged; only its hash is.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

/// Passwords so common that their length does not make them safe.
const COMMON: &[&str] =
    &["wachtwoord12", "wachtwoord123", "password1234", "welkom123456", "123456789012", "qwertyuiopas", "knooppunt123", "wachtwoord1234", "welkomwelkom", "passwordpassword"];

impl Password {
    pub const MIN_LEN: usize = 12;
    pub const MAX_LEN: usize = 128;

    /// Checks the rules: 12 to 128 characters, not mostly one character, not a known common
    /// password, and not containing the user name.
    pub fn parse(raw: &str, username: Option<&str>) -> Result<Self, String> {
        let n = raw.chars().count();
        if n < Self::MIN_LEN {
            return Err(format!("Een wachtwoord heeft minstens {} tekens.", Self::MIN_LEN));
        }
        if n > Self::MAX_LEN {
            return Err(format!("Een wachtwoord heeft hoogstens {} tekens.", Self::MAX_LEN));
        }
        let mut distinct: Vec<char> = raw.chars().collect();
        distinct.sort_unstable();
        distinct.dedup();
        if distinct.len() < 5 {
            return Err("Gebruik minstens vijf verschillende tekens in het wachtwoord.".into());
        }
        let lower = raw.to_lowercase();
        if COMMON.iter().any(|c| lower == *c) {
            return Err("Dit wachtwoord is te bekend; kies een ander.".into());
        }
        if let Some(u) = username {
            if u.len() >= 3 && lower.contains(&u.to_lowercase()) {
                return Err("Het wachtwoord mag de gebruikersnaam niet bevatten.".into());
            }
        }
        Ok(Self(raw.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check<T>(f: impl Fn(&str) -> Result<T, String>, cases: &[(&str, bool)]) {
        for (input, ok) in cases {
            assert_eq!(f(input).is_ok(), *ok, "input {input:?}");
        }
    }

    #[test]
    fn usernames() {
        check(Username::parse, &[("jan.devries", true), ("Jan", true), ("ab", false), ("jan de vries", false), ("jan@x", false)]);
    }

    #[test]
    fn emails() {
        check(EmailAddress::parse, &[("a.b@riec.nl", true), ("x@Politie.NL", true), ("geen-apenstaart.nl", false), ("a@b", false), ("a@-b.nl", false), ("@b.nl", false)]);
    }

    #[test]
    fn passwords() {
        let p = |s: &str| Password::parse(s, Some("jan.devries"));
        check(p, &[("kort", false), ("aaaaaaaaaaaaaaaa", false), ("wachtwoord123", false), ("jan.devries-2026!", false), ("Groen-Kanaal-Fiets-42", true)]);
    }
}
