//! The RIEC case process (*integrale casusaanpak*): phases and steps of a case, the kinds of
//! subjects and relations, and the small state machines of requests, advice and interventions.
//! Codes are the Dutch words the API uses; labels are what the UI shows.

use crate::{Bsn, HouseNumber, Iban, Invalid, KvkNumber, LicencePlate, PersonName, Postcode, Rsin};

coded!(
    /// Where a case is in the process.
    CasePhase {
        Signal = "signaal" / "Signaal",
        Weighing = "weging" / "Weging",
        PreCase = "pre-casus" / "Pre-casus",
        Case = "casus" / "Casus",
        Closed = "afgesloten" / "Afgesloten",
        Rejected = "afgewezen" / "Afgewezen",
    }
);

coded!(
    /// A transition of the case process.
    CaseStep {
        StartWeighing = "wegen" / "Weging starten",
        Reject = "afwijzen" / "Afwijzen",
        OpenPreCase = "pre-casus-openen" / "Pre-casus openen",
        OpenCase = "casus-openen" / "Casus openen",
        Close = "afsluiten" / "Afsluiten met evaluatie",
    }
);

impl CaseStep {
    /// The phase this step leads to from `from`, or `None` when the step is not allowed there.
    pub fn target(self, from: CasePhase) -> Option<CasePhase> {
        use CasePhase as P;
        match (self, from) {
            (CaseStep::StartWeighing, P::Signal) => Some(P::Weighing),
            (CaseStep::Reject, P::Signal | P::Weighing) => Some(P::Rejected),
            (CaseStep::OpenPreCase, P::Signal | P::Weighing) => Some(P::PreCase),
            (CaseStep::OpenCase, P::Signal | P::Weighing | P::PreCase) => Some(P::Case),
            (CaseStep::Close, P::PreCase | P::Case) => Some(P::Closed),
            _ => None,
        }
    }

    /// Rejecting and closing need a reason or evaluation; weighing decisions need a reason.
    pub fn needs_note(self) -> bool {
        !matches!(self, CaseStep::StartWeighing)
    }

    /// The steps allowed from `phase`.
    pub fn from_phase(phase: CasePhase) -> Vec<CaseStep> {
        Self::ALL.iter().copied().filter(|s| s.target(phase).is_some()).collect()
    }
}

impl CasePhase {
    /// A pre-case or case: partners can be admitted and share information.
    pub fn is_open_for_work(self) -> bool {
        matches!(self, CasePhase::PreCase | CasePhase::Case)
    }

    pub fn is_finished(self) -> bool {
        matches!(self, CasePhase::Closed | CasePhase::Rejected)
    }
}

coded!(
    /// The role of a RIEC staff member in one case's team.
    TeamRole {
        CaseManager = "casusregisseur" / "Casusregisseur",
        Analyst = "analist" / "Analist",
        LegalAdviser = "jurist" / "Jurist",
    }
);

coded!(
    SubjectKind {
        Person = "persoon" / "Natuurlijk persoon",
        Company = "rechtspersoon" / "Rechtspersoon of onderneming",
        Address = "adres" / "Adres of pand",
        Vehicle = "voertuig" / "Voertuig",
        Account = "rekening" / "Bankrekening",
    }
);

coded!(
    RelationKind {
        DirectorOf = "bestuurder-van" / "is bestuurder van",
        OwnerOf = "eigenaar-van" / "is eigenaar van",
        RegisteredAt = "ingeschreven-op" / "is ingeschreven op",
        LivesAt = "woont-op" / "woont op",
        Uses = "gebruikt" / "gebruikt",
        PaysTo = "betaalt-aan" / "betaalt aan",
    }
);

coded!(
    /// Reliability of an information item (source and information, simplified 4x4 scale).
    Reliability {
        Confirmed = "bevestigd" / "Bevestigd uit meerdere bronnen",
        Reliable = "betrouwbaar" / "Betrouwbare bron",
        Unverified = "onbevestigd" / "Onbevestigd",
        Doubtful = "twijfelachtig" / "Twijfelachtig",
    }
);

coded!(
    Classification {
        Internal = "intern" / "Departementaal vertrouwelijk",
        Confidential = "vertrouwelijk" / "Vertrouwelijk",
        Secret = "geheim" / "Stg. geheim",
    }
);

coded!(
    RecipientStatus {
        Open = "open" / "Open",
        Answered = "beantwoord" / "Beantwoord",
        Declined = "geweigerd" / "Geweigerd met reden",
    }
);

coded!(
    AdviceStatus {
        Draft = "concept" / "Concept",
        Approved = "goedgekeurd" / "Goedgekeurd",
    }
);

coded!(
    InterventionStatus {
        Proposed = "voorgesteld" / "Voorgesteld",
        Committed = "toegezegd" / "Toegezegd",
        InProgress = "in-uitvoering" / "In uitvoering",
        Completed = "afgerond" / "Afgerond",
        Stopped = "gestopt" / "Gestopt",
    }
);

impl InterventionStatus {
    /// The allowed moves: forward through the lifecycle, or stopped from any unfinished state.
    pub fn can_move_to(self, to: InterventionStatus) -> bool {
        use InterventionStatus as S;
        matches!(
            (self, to),
            (S::Proposed, S::Committed) | (S::Committed, S::InProgress) | (S::Committed | S::InProgress, S::Completed) | (S::Proposed | S::Committed | S::InProgress, S::Stopped)
        )
    }

    pub fn is_finished(self) -> bool {
        matches!(self, InterventionStatus::Completed | InterventionStatus::Stopped)
    }
}

/// A subject as entered: one record per kind, with the fields of that kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubjectInput {
    pub kind: String,
    pub first_names: String,
    pub prefix: String,
    pub surname: String,
    pub birth_date: String,
    pub bsn: String,
    pub company_name: String,
    pub legal_form: String,
    pub kvk: String,
    pub rsin: String,
    pub street: String,
    pub postcode: String,
    pub house_number: String,
    pub city: String,
    pub bag_id: String,
    pub licence_plate: String,
    pub iban: String,
    pub note: String,
}

/// A validated subject: normalised identifiers and a display name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub kind: SubjectKind,
    pub display_name: String,
    /// Sort and search key (for persons without the voorvoegsel).
    pub sort_key: String,
    pub fields: SubjectInput,
}

fn opt<T>(errors: &mut Invalid, field: &str, raw: &str, parse: impl Fn(&str) -> Result<T, String>) -> Option<T> {
    if raw.trim().is_empty() {
        None
    } else {
        errors.check(field, parse(raw))
    }
}

/// A stored day (`YYYY-MM-DD`) as people write it, `dd-mm-jjjj`; anything else as it is.
pub fn dutch_day(iso: &str) -> String {
    let parts: Vec<&str> = iso.split('-').collect();
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 && iso.chars().all(|c| c.is_ascii_digit() || c == '-') => format!("{d}-{m}-{y}"),
        _ => iso.to_string(),
    }
}

/// A day between 1900 and 2100, as `YYYY-MM-DD` (what date inputs and the API send) or as
/// people write it, `dd-mm-jjjj` (also `d-m-jjjj`, with `/` or `.`); returns `YYYY-MM-DD`.
pub fn parse_date(raw: &str) -> Result<String, String> {
    let raw = raw.trim();
    let parts: Vec<&str> = raw.split(['-', '/', '.']).collect();
    let digits = |p: &&str| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit());
    let iso = parts.len() == 3 && parts[0].len() == 4 && parts[1].len() == 2 && parts[2].len() == 2 && raw.split('-').count() == 3;
    let dutch = parts.len() == 3 && parts[2].len() == 4 && (1..=2).contains(&parts[0].len()) && (1..=2).contains(&parts[1].len());
    if !(iso || dutch) || !parts.iter().all(digits) {
        return Err(format!("'{raw}' is geen datum; schrijf dd-mm-jjjj, bijvoorbeeld 07-03-1984."));
    }
    let n = |p: &str| p.parse::<u32>().unwrap_or(0);
    let (y, m, d) = if iso { (n(parts[0]), n(parts[1]), n(parts[2])) } else { (n(parts[2]), n(parts[1]), n(parts[0])) };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    };
    if !(1900..=2100).contains(&y) || d == 0 || d > days {
        return Err(format!("'{raw}' is geen bestaande datum tussen 1900 en 2100."));
    }
    Ok(format!("{y:04}-{m:02}-{d:02}"))
}

fn required(errors: &mut Invalid, field: &str, value: &str, label: &str) {
    if value.trim().is_empty() {
        errors.push(field, format!("Vul {label} in."));
    }
}

/// The optional (home or business) address of a person or company: postcode and house number
/// go together; street and place are free text.
fn optional_address(errors: &mut Invalid, input: &SubjectInput, f: &mut SubjectInput) {
    let (pc, hn) = (input.postcode.trim(), input.house_number.trim());
    if pc.is_empty() && hn.is_empty() {
        f.street = input.street.trim().to_string();
        f.city = input.city.trim().to_string();
        return;
    }
    if pc.is_empty() {
        errors.push("postcode", "Vul bij een huisnummer ook de postcode in.");
    }
    if hn.is_empty() {
        errors.push("huisnummer", "Vul bij een postcode ook het huisnummer in.");
    }
    if let Some(p) = opt(errors, "postcode", pc, Postcode::parse) {
        f.postcode = p.as_str().to_string();
    }
    if let Some(h) = opt(errors, "huisnummer", hn, HouseNumber::parse) {
        f.house_number = h.to_string();
    }
    f.street = input.street.trim().to_string();
    f.city = input.city.trim().to_string();
}

impl Subject {
    /// Validates `input` for its kind. Fields of other kinds are cleared; every problem is listed.
    pub fn parse(input: &SubjectInput) -> Result<Subject, Invalid> {
        let mut errors = Invalid::default();
        let Some(kind) = errors.check("soort", SubjectKind::parse(&input.kind)) else {
            return Err(errors);
        };
        let mut f = SubjectInput { kind: kind.code().to_string(), note: input.note.trim().to_string(), ..SubjectInput::default() };
        if f.note.chars().count() > 2000 {
            errors.push("toelichting", "De toelichting is langer dan 2000 tekens.");
        }
        let (display_name, sort_key) = match kind {
            SubjectKind::Person => {
                let name = match PersonName::parse(&input.first_names, &input.prefix, &input.surname) {
                    Ok(n) => Some(n),
                    Err(list) => {
                        for (field, message) in list {
                            errors.push(field, message);
                        }
                        None
                    }
                };
                if let Some(d) = opt(&mut errors, "geboortedatum", &input.birth_date, parse_date) {
                    f.birth_date = d;
                }
                if let Some(b) = opt(&mut errors, "bsn", &input.bsn, Bsn::parse) {
                    f.bsn = b.as_str().to_string();
                }
                optional_address(&mut errors, input, &mut f);
                match name {
                    Some(n) => {
                        f.first_names = n.voornamen.clone();
                        f.prefix = n.voorvoegsel.clone().unwrap_or_default();
                        f.surname = n.geslachtsnaam.clone();
                        (n.full(), n.sort_key())
                    }
                    None => (String::new(), String::new()),
                }
            }
            SubjectKind::Company => {
                required(&mut errors, "naam", &input.company_name, "de naam van de onderneming");
                f.company_name = input.company_name.split_whitespace().collect::<Vec<_>>().join(" ");
                f.legal_form = input.legal_form.trim().to_string();
                if let Some(k) = opt(&mut errors, "kvk", &input.kvk, KvkNumber::parse) {
                    f.kvk = k.as_str().to_string();
                }
                if let Some(r) = opt(&mut errors, "rsin", &input.rsin, Rsin::parse) {
                    f.rsin = r.as_str().to_string();
                }
                optional_address(&mut errors, input, &mut f);
                let name = if f.legal_form.is_empty() { f.company_name.clone() } else { format!("{} {}", f.company_name, f.legal_form) };
                (name, f.company_name.clone())
            }
            SubjectKind::Address => {
                required(&mut errors, "postcode", &input.postcode, "de postcode");
                required(&mut errors, "huisnummer", &input.house_number, "het huisnummer");
                let pc = opt(&mut errors, "postcode", &input.postcode, Postcode::parse);
                let hn = opt(&mut errors, "huisnummer", &input.house_number, HouseNumber::parse);
                if let Some(b) = opt(&mut errors, "bagId", &input.bag_id, crate::BagId::parse) {
                    f.bag_id = b.as_str().to_string();
                }
                f.street = input.street.trim().to_string();
                f.city = input.city.trim().to_string();
                match (pc, hn) {
                    (Some(pc), Some(hn)) => {
                        f.postcode = pc.as_str().to_string();
                        f.house_number = hn.to_string();
                        let line = [f.street.as_str(), &f.house_number].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(" ");
                        let name = format!("{line}, {} {}", f.postcode, f.city).trim().trim_end_matches(',').to_string();
                        (name, format!("{} {}", f.postcode, f.house_number))
                    }
                    _ => (String::new(), String::new()),
                }
            }
            SubjectKind::Vehicle => {
                required(&mut errors, "kenteken", &input.licence_plate, "het kenteken");
                match opt(&mut errors, "kenteken", &input.licence_plate, LicencePlate::parse) {
                    Some(k) => {
                        f.licence_plate = k.as_str().to_string();
                        (format!("Kenteken {}", k.as_str()), k.as_str().to_string())
                    }
                    None => (String::new(), String::new()),
                }
            }
            SubjectKind::Account => {
                required(&mut errors, "iban", &input.iban, "het IBAN");
                match opt(&mut errors, "iban", &input.iban, Iban::parse) {
                    Some(i) => {
                        f.iban = i.as_str().to_string();
                        (format!("IBAN {i}"), i.as_str().to_string())
                    }
                    None => (String::new(), String::new()),
                }
            }
        };
        errors.into_result()?;
        Ok(Subject { kind, display_name, sort_key, fields: f })
    }

    /// The exact identifier of this subject, when it has one, as `kind:value` (for duplicate
    /// detection within a case).
    pub fn identifier(&self) -> Option<String> {
        let f = &self.fields;
        let pick = [("bsn", &f.bsn), ("kvk", &f.kvk), ("rsin", &f.rsin), ("bag", &f.bag_id), ("kenteken", &f.licence_plate), ("iban", &f.iban)];
        pick.iter().find(|(_, v)| !v.is_empty()).map(|(k, v)| format!("{k}:{v}"))
    }

    /// The key an address search compares: street and house number folded like a name and
    /// without spaces, so "Sint-Jansstraat 12-A", "Sint Jansstraat 12a" and "sintjansstraat12a"
    /// are one key (see [`address_key`]); empty without a street.
    pub fn address_key(&self) -> String {
        let f = &self.fields;
        if f.street.trim().is_empty() {
            return String::new();
        }
        address_key(&format!("{} {}", f.street, f.house_number))
    }

    /// A normalised name key for duplicate warnings: lower case, letters and digits only.
    pub fn name_key(&self) -> String {
        fold_key(&self.sort_key)
    }
}

/// An address as the address search compares it: folded like a name, without spaces.
pub fn address_key(raw: &str) -> String {
    fold_key(raw).replace(' ', "")
}

/// Lower case, diacritics removed, only letters and digits: the key subject search compares.
pub fn fold_key(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        let c = match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'Á' | 'À' | 'Â' | 'Ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' | 'Í' | 'Ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'Ó' | 'Ö' => 'o',
            'ú' | 'ù' | 'û' | 'ü' | 'Ú' | 'Ü' => 'u',
            'ç' | 'Ç' => 'c',
            'ñ' | 'Ñ' => 'n',
            'ĳ' | 'Ĳ' => {
                out.push_str("ij");
                continue;
            }
            c => c,
        };
        for l in c.to_lowercase() {
            if l.is_alphanumeric() {
                out.push(l);
            } else if l.is_whitespace() && !out.ends_with(' ') && !out.is_empty() {
                out.push(' ');
            }
        }
    }
    out.trim_end().to_string()
}

/// Euro amounts as cents: `1250`, `1.250,50`, `1250.50`, `€ 1.250`.
pub fn parse_euro(raw: &str) -> Result<Option<i64>, String> {
    let s: String = raw.trim().trim_start_matches('€').chars().filter(|c| !c.is_whitespace()).collect();
    if s.is_empty() {
        return Ok(None);
    }
    let bad = || format!("'{}' is geen bedrag; schrijf bijvoorbeeld 12500 of 12.500,00.", raw.trim());
    // Dutch style: dots group thousands, a comma separates cents. Otherwise a dot separates cents.
    let (whole, cents) = if let Some((w, c)) = s.rsplit_once(',') {
        (w.replace('.', ""), c.to_string())
    } else if let Some((w, c)) = s.rsplit_once('.').filter(|(_, c)| c.len() <= 2) {
        (w.to_string(), c.to_string())
    } else {
        (s.replace('.', ""), String::new())
    };
    if whole.is_empty() || !whole.chars().all(|c| c.is_ascii_digit()) || cents.len() > 2 || !cents.chars().all(|c| c.is_ascii_digit()) || whole.len() > 13 {
        return Err(bad());
    }
    let w: i64 = whole.parse().map_err(|_| bad())?;
    let c: i64 = if cents.is_empty() { 0 } else { format!("{cents:0<2}").parse().map_err(|_| bad())? };
    Ok(Some(w * 100 + c))
}

/// `€ 12.500,00`.
pub fn format_euro(cents: i64) -> String {
    let whole = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(c);
    }
    format!("€ {grouped},{:02}", (cents % 100).abs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_follow_the_process() {
        assert_eq!(CaseStep::OpenCase.target(CasePhase::Weighing), Some(CasePhase::Case));
        assert_eq!(CaseStep::OpenCase.target(CasePhase::Closed), None);
        assert_eq!(CaseStep::Close.target(CasePhase::Signal), None);
        assert_eq!(CaseStep::from_phase(CasePhase::Closed), vec![]);
        assert_eq!(CaseStep::from_phase(CasePhase::PreCase), vec![CaseStep::OpenCase, CaseStep::Close]);
    }

    #[test]
    fn subjects_validate_their_identifiers() {
        let bad = SubjectInput { kind: "persoon".into(), surname: "Berg".into(), bsn: "123456789".into(), ..Default::default() };
        let e = Subject::parse(&bad).err().map(|e| e.0.into_iter().map(|f| f.field).collect::<Vec<_>>());
        assert_eq!(e, Some(vec!["bsn".to_string()]));
        let ok =
            SubjectInput { kind: "persoon".into(), first_names: "Jan".into(), prefix: "van der".into(), surname: "Berg".into(), bsn: "111222333".into(), ..Default::default() };
        let s = Subject::parse(&ok).ok();
        assert_eq!(s.as_ref().map(|s| s.display_name.as_str()), Some("Jan van der Berg"));
        assert_eq!(s.and_then(|s| s.identifier()), Some("bsn:111222333".into()));
        let addr = SubjectInput { kind: "adres".into(), postcode: "0123 AB".into(), house_number: "12".into(), ..Default::default() };
        assert!(Subject::parse(&addr).is_err());
        let iban = SubjectInput { kind: "rekening".into(), iban: "NL91ABNA0417164301".into(), ..Default::default() };
        assert!(Subject::parse(&iban).is_err());
        let iban = SubjectInput { kind: "rekening".into(), iban: "NL91ABNA0417164300".into(), ..Default::default() };
        assert!(Subject::parse(&iban).is_ok());
    }

    #[test]
    fn dates_and_amounts() {
        assert!(parse_date("1984-02-30").is_err());
        assert!(parse_date("2024-02-29").is_ok());
        // As people write it, with the ISO day back.
        assert_eq!(parse_date("7-3-1984"), Ok("1984-03-07".to_string()));
        assert_eq!(parse_date("07/03/1984"), Ok("1984-03-07".to_string()));
        assert_eq!(parse_date("29.02.2024"), Ok("2024-02-29".to_string()));
        assert!(parse_date("30-02-1984").is_err());
        assert!(parse_date("1984/03/07").is_err());
        assert!(parse_date("7-3-84").is_err());
        assert!(parse_date("3024-01-01").is_err());
        // And back as people read it.
        assert_eq!(dutch_day("1984-03-07"), "07-03-1984");
        assert_eq!(dutch_day(""), "");
        assert_eq!(dutch_day("CAS-2026-00357"), "CAS-2026-00357");
        assert_eq!(parse_euro("1.250,50"), Ok(Some(125_050)));
        assert_eq!(parse_euro("€ 12500"), Ok(Some(1_250_000)));
        assert_eq!(parse_euro("12500.5"), Ok(Some(1_250_050)));
        assert_eq!(parse_euro(""), Ok(None));
        assert!(parse_euro("twaalf").is_err());
        assert_eq!(format_euro(1_250_050), "€ 12.500,50");
        assert_eq!(fold_key("Özdemir, Ĳsbrand"), "ozdemir ijsbrand");
    }

    #[test]
    fn interventions_move_forward_or_stop() {
        use InterventionStatus as S;
        assert!(S::Proposed.can_move_to(S::Committed));
        assert!(!S::Completed.can_move_to(S::Stopped));
        assert!(!S::Proposed.can_move_to(S::Completed));
    }
}
