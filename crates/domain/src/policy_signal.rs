//! The *bestuurlijk signaal* (administrative signal) and the workflow of the national desk:
//! draft → submitted → in assessment (→ returned for completion → submitted again, or merged
//! with a duplicate) → accepted / not accepted → offered to the minister(s) → response received
//! → follow-up → closed. Also the scan that warns when a signal contains personal data: a
//! signal is about a process, never about a person.

use crate::identifiers::{Bsn, Iban, LicencePlate, Postcode};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum SignalState {
    Draft,
    Submitted,
    InAssessment,
    Returned,
    Merged,
    Accepted,
    NotAccepted,
    Offered,
    ResponseReceived,
    FollowUp,
    Closed,
}

impl SignalState {
    pub const ALL: [SignalState; 11] = [
        Self::Draft,
        Self::Submitted,
        Self::InAssessment,
        Self::Returned,
        Self::Merged,
        Self::Accepted,
        Self::NotAccepted,
        Self::Offered,
        Self::ResponseReceived,
        Self::FollowUp,
        Self::Closed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "concept",
            Self::Submitted => "ingediend",
            Self::InAssessment => "in-beoordeling",
            Self::Returned => "teruggestuurd",
            Self::Merged => "samengevoegd",
            Self::Accepted => "aanvaard",
            Self::NotAccepted => "niet-aanvaard",
            Self::Offered => "aangeboden",
            Self::ResponseReceived => "reactie-ontvangen",
            Self::FollowUp => "opvolging",
            Self::Closed => "gesloten",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "Concept",
            Self::Submitted => "Ingediend",
            Self::InAssessment => "In beoordeling",
            Self::Returned => "Teruggestuurd voor aanvulling",
            Self::Merged => "Samengevoegd",
            Self::Accepted => "Aanvaard",
            Self::NotAccepted => "Niet aanvaard",
            Self::Offered => "Aangeboden aan bewindspersoon",
            Self::ResponseReceived => "Reactie ontvangen",
            Self::FollowUp => "Opvolging",
            Self::Closed => "Gesloten",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, String> {
        Self::ALL.into_iter().find(|s| s.code() == raw.trim()).ok_or_else(|| format!("Onbekende status '{}'.", raw.trim()))
    }

    /// Accepted by the desk: from here on the network may see the signal (without source and
    /// contact).
    pub fn is_accepted(self) -> bool {
        matches!(self, Self::Accepted | Self::Offered | Self::ResponseReceived | Self::FollowUp | Self::Closed)
    }

    /// The submitter may still edit the content.
    pub fn is_editable(self) -> bool {
        matches!(self, Self::Draft | Self::Returned)
    }

    /// Messages can be exchanged (not in draft, and not once the signal is finished).
    pub fn allows_messages(self) -> bool {
        !matches!(self, Self::Draft | Self::Merged | Self::NotAccepted | Self::Closed)
    }
}

/// The steps of the workflow. Who may take a step is the policy's business; whether the current
/// state allows it is decided here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum SignalStep {
    Submit,
    StartAssessment,
    Return,
    Merge,
    Accept,
    Reject,
    Offer,
    RecordResponse,
    FollowUp,
    Close,
}

impl SignalStep {
    pub const ALL: [SignalStep; 10] =
        [Self::Submit, Self::StartAssessment, Self::Return, Self::Merge, Self::Accept, Self::Reject, Self::Offer, Self::RecordResponse, Self::FollowUp, Self::Close];

    pub fn code(self) -> &'static str {
        match self {
            Self::Submit => "indienen",
            Self::StartAssessment => "beoordelen",
            Self::Return => "terugsturen",
            Self::Merge => "samenvoegen",
            Self::Accept => "aanvaarden",
            Self::Reject => "niet-aanvaarden",
            Self::Offer => "aanbieden",
            Self::RecordResponse => "reactie-vastleggen",
            Self::FollowUp => "opvolgen",
            Self::Close => "sluiten",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Submit => "Indienen",
            Self::StartAssessment => "In beoordeling nemen",
            Self::Return => "Terugsturen voor aanvulling",
            Self::Merge => "Samenvoegen met ander signaal",
            Self::Accept => "Aanvaarden",
            Self::Reject => "Niet aanvaarden",
            Self::Offer => "Aanbieden aan bewindspersoon",
            Self::RecordResponse => "Reactie vastleggen",
            Self::FollowUp => "Opvolging vastleggen",
            Self::Close => "Sluiten",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, String> {
        Self::ALL.into_iter().find(|s| s.code() == raw.trim()).ok_or_else(|| format!("Onbekende stap '{}'.", raw.trim()))
    }

    /// The state after this step, or why the current state does not allow it.
    pub fn apply(self, from: SignalState) -> Result<SignalState, String> {
        use SignalState as S;
        let to = match (self, from) {
            (Self::Submit, S::Draft | S::Returned) => S::Submitted,
            (Self::StartAssessment, S::Submitted) => S::InAssessment,
            (Self::Return, S::InAssessment) => S::Returned,
            (Self::Merge, S::Submitted | S::InAssessment) => S::Merged,
            (Self::Accept, S::InAssessment) => S::Accepted,
            (Self::Reject, S::InAssessment) => S::NotAccepted,
            (Self::Offer, S::Accepted) => S::Offered,
            (Self::RecordResponse, S::Offered) => S::ResponseReceived,
            (Self::FollowUp, S::ResponseReceived | S::FollowUp) => S::FollowUp,
            (Self::Close, S::ResponseReceived | S::FollowUp | S::Accepted) => S::Closed,
            _ => return Err(format!("'{}' kan niet bij een signaal met status '{}'.", self.label(), from.label().to_lowercase())),
        };
        Ok(to)
    }

    /// The steps the current state allows, for showing the right buttons.
    pub fn available(from: SignalState) -> Vec<SignalStep> {
        Self::ALL.into_iter().filter(|s| s.apply(from).is_ok()).collect()
    }
}

/// A piece of personal data found in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonalDataFinding {
    /// `BSN`, `IBAN`, `postcode met huisnummer`, `kenteken`, `e-mailadres`, `telefoonnummer`.
    pub kind: &'static str,
    /// The finding with most characters masked, so the warning does not repeat it.
    pub masked: String,
}

fn mask(s: &str) -> String {
    let n = s.chars().count();
    s.chars().enumerate().map(|(i, c)| if i < 2 || i + 2 >= n || !c.is_alphanumeric() { c } else { '•' }).collect()
}

/// Finds personal data in free text: valid BSNs, valid IBANs, a postcode followed by a house
/// number, licence plates written with dashes, e-mail addresses and Dutch phone numbers.
pub fn scan_personal_data(text: &str) -> Vec<PersonalDataFinding> {
    let mut found = Vec::new();
    let mut push = |kind: &'static str, s: &str| {
        let f = PersonalDataFinding { kind, masked: mask(s) };
        if !found.contains(&f) {
            found.push(f);
        }
    };
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '"' | '\'' | ':' | '!' | '?' | '<' | '>' | '[' | ']'))
        .map(|w| w.trim_end_matches('.'))
        .filter(|w| !w.is_empty())
        .collect();
    for (i, w) in words.iter().enumerate() {
        // E-mail address.
        if let Some((local, domain)) = w.split_once('@') {
            if !local.is_empty() && domain.contains('.') && !domain.ends_with('.') {
                push("e-mailadres", w);
                continue;
            }
        }
        let digits: String = w.chars().filter(char::is_ascii_digit).collect();
        let only_digits_and_seps = w.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+'));
        // BSN: nine digits (possibly with dots) that pass the elfproef.
        if only_digits_and_seps && digits.len() == 9 && Bsn::parse(w).is_ok() {
            push("BSN", w);
            continue;
        }
        // Phone: 10 digits starting with 0, or +31 followed by 9 digits.
        if only_digits_and_seps && ((digits.len() == 10 && digits.starts_with('0')) || (w.starts_with("+31") && digits.len() == 11)) {
            push("telefoonnummer", w);
            continue;
        }
        // Licence plate: only the dashed form, to avoid mistaking words for plates.
        if w.matches('-').count() == 2 && w.len() <= 10 && LicencePlate::parse(w).is_ok() && w.chars().any(|c| c.is_ascii_alphabetic()) {
            push("kenteken", w);
            continue;
        }
        // Postcode (one or two words) followed by a house number.
        let (postcode, next) = if w.len() == 6 && Postcode::parse(w).is_ok() {
            (Some(w.to_string()), words.get(i + 1))
        } else if w.len() == 4 && words.get(i + 1).is_some_and(|n| Postcode::parse(&format!("{w}{n}")).is_ok() && n.len() == 2) {
            (words.get(i + 1).map(|n| format!("{w} {n}")), words.get(i + 2))
        } else {
            (None, None)
        };
        if let (Some(pc), Some(n)) = (postcode, next) {
            if n.chars().next().is_some_and(|c| c.is_ascii_digit()) && n.chars().take_while(char::is_ascii_digit).count() <= 5 {
                push("postcode met huisnummer", &format!("{pc} {n}"));
                continue;
            }
        }
    }
    // IBANs are often written in groups of four: join up to nine words and test.
    for start in 0..words.len() {
        let first = words[start];
        if !first.is_ascii() || first.len() < 4 || !first[..2].chars().all(|c| c.is_ascii_alphabetic()) || !first[2..4].chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let mut joined = String::new();
        for w in words.iter().skip(start).take(9) {
            joined.push_str(w);
            if joined.len() >= 15 && Iban::parse(&joined).is_ok() {
                push("IBAN", &joined);
                break;
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_allows_only_the_right_steps() {
        use SignalState as S;
        use SignalStep as T;
        let path = [
            (T::Submit, S::Draft, S::Submitted),
            (T::StartAssessment, S::Submitted, S::InAssessment),
            (T::Return, S::InAssessment, S::Returned),
            (T::Submit, S::Returned, S::Submitted),
            (T::Accept, S::InAssessment, S::Accepted),
            (T::Offer, S::Accepted, S::Offered),
            (T::RecordResponse, S::Offered, S::ResponseReceived),
            (T::FollowUp, S::ResponseReceived, S::FollowUp),
            (T::Close, S::FollowUp, S::Closed),
        ];
        for (step, from, to) in path {
            assert_eq!(step.apply(from), Ok(to), "{step:?} from {from:?}");
        }
        for (step, from) in [(T::Accept, S::Draft), (T::Offer, S::InAssessment), (T::Submit, S::Closed), (T::Close, S::Offered), (T::Merge, S::Accepted)] {
            assert!(step.apply(from).is_err(), "{step:?} from {from:?}");
        }
        assert!(T::Accept.apply(S::Draft).is_err_and(|e| e.contains("concept")));
        assert_eq!(SignalStep::available(S::InAssessment), vec![T::Return, T::Merge, T::Accept, T::Reject]);
        for s in SignalState::ALL {
            assert_eq!(SignalState::parse(s.code()), Ok(s));
        }
    }

    fn kinds(text: &str) -> Vec<&'static str> {
        scan_personal_data(text).into_iter().map(|f| f.kind).collect()
    }

    #[test]
    fn personal_data_is_found_and_masked() {
        let cases: &[(&str, &[&str])] = &[
            ("De vergunninghouder met BSN 111222333 huurde drie panden.", &["BSN"]),
            ("Betaald via NL91 ABNA 0417 1643 00 aan de stroman.", &["IBAN"]),
            ("Het pand aan 5611 EZ 12a werd gesloten.", &["postcode met huisnummer"]),
            ("Adres: 5611EZ 7.", &["postcode met huisnummer"]),
            ("Auto met kenteken 12-ABC-3 gezien.", &["kenteken"]),
            ("Mail j.jansen@example.nl of bel 06-12345678.", &["e-mailadres", "telefoonnummer"]),
            ("Bel +31612345678 voor info", &["telefoonnummer"]),
            // Not personal data: a year, an invalid BSN, a postcode without number, a regulation.
            ("In 2025 werden 123456789 euro en 3 panden in 5611 EZ genoemd; art. 13b Opiumwet.", &[]),
            ("Short-stay verhuur via platforms wordt misbruikt om geld wit te wassen.", &[]),
        ];
        for (text, expected) in cases {
            assert_eq!(kinds(text), *expected, "{text}");
        }
        // Any text, also with multi-byte characters in every position, is scanned without panic.
        for text in ["vóór", "ó", "NLó1", "Ölçer 5611 ÉZ 12", "ĳĳĳĳĳĳĳĳĳ", "1234 ÀB 5", "a@ó.nl", "12-ÀBC-3", "€€€€ 111222333"] {
            let _ = scan_personal_data(text);
        }
        let f = scan_personal_data("BSN 111222333");
        assert_eq!(f[0].masked, "11•••••33");
    }
}
