//! Specialist support of the LIEC to the RIECs: the domains a RIEC asks about, the workflow of
//! a request, the Bibob advice period calculator and the anonymisation of an answer before it
//! becomes a public question-and-answer item.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

coded! {
    /// What a support request is about.
    SupportDomain {
        Bibob = "bibob" / "Bibob",
        Opium13b = "13b-opiumwet" / "Artikel 13b Opiumwet",
        Municipal174a = "174a-gemeentewet" / "Artikel 174a Gemeentewet",
        Awb = "awb" / "Awb-procedure",
        Privacy = "avg-wgs" / "AVG en Wgs",
        Communication = "communicatie" / "Communicatie",
        Ict = "ict" / "ICT",
    }
}

impl SupportDomain {
    /// The LIEC's default turnaround in calendar days (the LIEC may change it per domain).
    pub fn default_target_days(self) -> i64 {
        match self {
            Self::Communication | Self::Ict => 5,
            Self::Privacy => 15,
            _ => 10,
        }
    }
}

coded! {
    /// Where a support request is.
    SupportStatus {
        Submitted = "ingediend" / "Ingediend",
        InProgress = "in-behandeling" / "In behandeling",
        InfoAsked = "informatie-gevraagd" / "Meer informatie gevraagd",
        Answered = "beantwoord" / "Beantwoord",
        Closed = "gesloten" / "Gesloten",
    }
}

coded! {
    /// A step in the workflow of a support request.
    SupportStep {
        Take = "oppakken" / "In behandeling nemen",
        AskInfo = "informatie-vragen" / "Meer informatie vragen",
        GiveInfo = "informatie-geven" / "Informatie aanvullen",
        Answer = "beantwoorden" / "Beantwoorden",
        FollowUp = "vervolgvraag" / "Vervolgvraag stellen",
        Close = "sluiten" / "Sluiten",
        Withdraw = "intrekken" / "Intrekken",
    }
}

/// Who takes a step: the asking RIEC or the LIEC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Riec,
    Liec,
}

impl SupportStep {
    /// Who takes the step.
    pub fn side(self) -> Side {
        match self {
            Self::Take | Self::AskInfo | Self::Answer => Side::Liec,
            Self::GiveInfo | Self::FollowUp | Self::Withdraw => Side::Riec,
            // Both: the asker closes what was answered, the LIEC closes what the asker left.
            Self::Close => Side::Liec,
        }
    }

    /// Whether the step needs a text (the question, the information, the answer).
    pub fn needs_text(self) -> bool {
        matches!(self, Self::AskInfo | Self::GiveInfo | Self::Answer | Self::FollowUp)
    }

    /// The state a step leads to from `from`, if it can be taken there.
    pub fn next(self, from: SupportStatus) -> Option<SupportStatus> {
        use SupportStatus::*;
        match (self, from) {
            (Self::Take, Submitted) => Some(InProgress),
            (Self::AskInfo, InProgress) => Some(InfoAsked),
            (Self::GiveInfo, InfoAsked) => Some(InProgress),
            (Self::Answer, InProgress) => Some(Answered),
            (Self::FollowUp, Answered) => Some(InProgress),
            (Self::Close, Answered) => Some(Closed),
            (Self::Withdraw, Submitted | InProgress | InfoAsked) => Some(Closed),
            _ => None,
        }
    }

    /// The steps that can be taken from `state`.
    pub fn from(state: SupportStatus) -> Vec<SupportStep> {
        Self::ALL.iter().copied().filter(|s| s.next(state).is_some()).collect()
    }
}

/// A period in which the Bibob advice period stands still: from the day the person concerned
/// is asked, up to the day the answer comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Suspension {
    pub from: NaiveDate,
    pub until: NaiveDate,
}

/// The Bibob advice period as calculated, with each step of the calculation in Dutch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BibobPeriod {
    pub deadline: NaiveDate,
    /// Days the period stood still.
    pub suspended_days: i64,
    pub steps: Vec<String>,
}

/// Weeks of the Bibob advice period, and the most it may be extended by (art. 15 Wet Bibob).
pub const BIBOB_WEEKS: i64 = 8;
pub const BIBOB_MAX_EXTENSION_WEEKS: i64 = 4;

fn day(d: NaiveDate) -> String {
    d.format("%d-%m-%Y").to_string()
}

/// Easter Sunday of `year` (Gregorian; the anonymous algorithm of Meeus).
fn easter(year: i32) -> Option<NaiveDate> {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let dom = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(dom).ok()?)
}

/// The name of the generally recognised holiday `d` is (Algemene termijnenwet, art. 3), if any.
pub fn holiday(d: NaiveDate) -> Option<&'static str> {
    let (m, dd) = (d.month(), d.day());
    match (m, dd) {
        (1, 1) => return Some("Nieuwjaarsdag"),
        (5, 5) => return Some("Bevrijdingsdag"),
        (12, 25) => return Some("eerste Kerstdag"),
        (12, 26) => return Some("tweede Kerstdag"),
        _ => {}
    }
    // King's Day: 27 April, or the 26th when the 27th is a Sunday.
    let kings = match NaiveDate::from_ymd_opt(d.year(), 4, 27) {
        Some(k) if k.weekday() == Weekday::Sun => k - Duration::days(1),
        Some(k) => k,
        None => return None,
    };
    if d == kings {
        return Some("Koningsdag");
    }
    let e = easter(d.year())?;
    if d == e + Duration::days(1) {
        Some("tweede Paasdag")
    } else if d == e + Duration::days(39) {
        Some("Hemelvaartsdag")
    } else if d == e + Duration::days(50) {
        Some("tweede Pinksterdag")
    } else {
        None
    }
}

/// The Bibob advice period: `received` (the day the request for advice came in) plus eight
/// weeks, plus `extension_weeks` (at most four), plus the days the period stood still while the
/// person concerned answered (overlapping suspensions count once; a suspension that starts after
/// the period ended is an error). A last day on a Saturday, Sunday or recognised holiday moves to
/// the next working day (Algemene termijnenwet). Errors are Dutch, per field.
pub fn bibob_period(received: NaiveDate, extension_weeks: i64, suspensions: &[Suspension]) -> Result<BibobPeriod, Vec<(&'static str, String)>> {
    let mut errors = Vec::new();
    if !(0..=BIBOB_MAX_EXTENSION_WEEKS).contains(&extension_weeks) {
        errors.push(("verlengingWeken", format!("De termijn wordt met 0 tot en met {BIBOB_MAX_EXTENSION_WEEKS} weken verlengd.")));
    }
    for s in suspensions {
        if s.until < s.from {
            errors.push(("opschortingen", format!("De opschorting van {} eindigt voordat ze begint.", day(s.from))));
        } else if s.from < received {
            errors.push(("opschortingen", format!("De opschorting van {} begint voor de ontvangst van de adviesaanvraag.", day(s.from))));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut steps = vec![format!("Adviesaanvraag ontvangen op {}.", day(received))];
    let mut end = received + Duration::weeks(BIBOB_WEEKS);
    steps.push(format!("Acht weken later: {}.", day(end)));
    if extension_weeks > 0 {
        end += Duration::weeks(extension_weeks);
        steps.push(format!("Verlengd met {extension_weeks} {}: {}.", if extension_weeks == 1 { "week" } else { "weken" }, day(end)));
    }
    let mut sorted = suspensions.to_vec();
    sorted.sort_by_key(|s| (s.from, s.until));
    let mut suspended = 0;
    let mut covered_until = received;
    for s in sorted {
        let from = s.from.max(covered_until);
        if s.until <= from {
            continue;
        }
        if from > end {
            return Err(vec![("opschortingen", format!("De opschorting van {} begint na het einde van de termijn ({}).", day(s.from), day(end)))]);
        }
        let days = (s.until - from).num_days();
        suspended += days;
        end += Duration::days(days);
        covered_until = s.until;
        steps.push(format!("Opgeschort van {} tot {} ({days} {}): {}.", day(from), day(s.until), if days == 1 { "dag" } else { "dagen" }, day(end)));
    }
    loop {
        let why = match end.weekday() {
            Weekday::Sat => Some("een zaterdag"),
            Weekday::Sun => Some("een zondag"),
            _ => holiday(end),
        };
        let Some(why) = why else { break };
        let next = end + Duration::days(1);
        steps.push(format!("{} is {why}; de termijn loopt door tot de volgende dag (Algemene termijnenwet): {}.", day(end), day(next)));
        end = next;
    }
    Ok(BibobPeriod { deadline: end, suspended_days: suspended, steps })
}

/// What [`anonymise`] replaced, per kind, for the editor to check.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Redactions {
    pub names: usize,
    pub references: usize,
    pub emails: usize,
    pub phones: usize,
    pub postcodes: usize,
    pub numbers: usize,
    pub dates: usize,
    pub addresses: usize,
}

impl std::ops::AddAssign for Redactions {
    fn add_assign(&mut self, o: Self) {
        self.names += o.names;
        self.references += o.references;
        self.emails += o.emails;
        self.phones += o.phones;
        self.postcodes += o.postcodes;
        self.numbers += o.numbers;
        self.dates += o.dates;
        self.addresses += o.addresses;
    }
}

impl Redactions {
    pub fn total(&self) -> usize {
        self.names + self.references + self.emails + self.phones + self.postcodes + self.numbers + self.dates + self.addresses
    }
}

const TITLES: [&str; 8] = ["heer", "mevrouw", "dhr", "mw", "mevr", "meneer", "dhr.", "mw."];
const STREETS: [&str; 14] = ["straat", "weg", "laan", "plein", "dijk", "kade", "singel", "gracht", "steeg", "hof", "pad", "dreef", "markt", "wal"];
const INFIXES: [&str; 9] = ["van", "de", "der", "den", "ter", "ten", "het", "te", "in"];

fn is_reference(w: &str) -> bool {
    let parts: Vec<&str> = w.split('-').collect();
    parts.len() == 3
        && (2..=5).contains(&parts[0].len())
        && parts[0].chars().all(|c| c.is_ascii_uppercase())
        && parts[1].len() == 4
        && parts[1].chars().all(|c| c.is_ascii_digit())
        && (1..=8).contains(&parts[2].len())
        && parts[2].chars().all(|c| c.is_ascii_digit())
}

fn is_email(w: &str) -> bool {
    match w.split_once('@') {
        Some((local, host)) => !local.is_empty() && host.contains('.') && !host.starts_with('.') && !host.ends_with('.'),
        None => false,
    }
}

fn digits(w: &str) -> String {
    w.chars().filter(|c| c.is_ascii_digit()).collect()
}

fn is_phone(w: &str) -> bool {
    if !w.chars().all(|c| c.is_ascii_digit() || "+-()".contains(c)) {
        return false;
    }
    let d = digits(w);
    (w.starts_with('0') && d.len() == 10) || ((w.starts_with("+31") || w.starts_with("0031")) && (11..=13).contains(&d.len()))
}

fn is_date(w: &str) -> bool {
    let parts: Vec<&str> = w.split(['-', '/']).collect();
    parts.len() == 3
        && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        && ((parts[0].len() <= 2 && parts[1].len() <= 2 && parts[2].len() == 4) || (parts[0].len() == 4 && parts[1].len() == 2 && parts[2].len() == 2))
}

fn is_postcode_digits(w: &str) -> bool {
    w.len() == 4 && w.chars().all(|c| c.is_ascii_digit()) && !w.starts_with('0')
}

fn is_postcode_letters(w: &str) -> bool {
    w.len() == 2 && w.chars().all(|c| c.is_ascii_uppercase())
}

fn capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// Replaces what identifies a person or a case in a question or answer before it is published
/// as a knowledge item: names after a form of address ("de heer Jansen", "mw. Van der Berg"),
/// street and house number ("Dorpsstraat 4"), case and signal references (CAS-2026-00012), e-mail addresses, telephone numbers, postcodes,
/// numbers of eight or more digits (BSN, KvK, IBAN, account numbers) and full dates. What it
/// cannot recognise (a name without a form of address, a company name) the editor removes; the
/// counts tell what was replaced.
pub fn anonymise(text: &str) -> (String, Redactions) {
    let mut out = String::with_capacity(text.len());
    let mut r = Redactions::default();
    // Split into words and the whitespace between them, keeping both.
    let mut pieces: Vec<(bool, &str)> = Vec::new();
    let mut start = 0;
    let mut in_space = None;
    for (i, c) in text.char_indices() {
        let space = c.is_whitespace();
        if in_space != Some(space) {
            if i > start {
                pieces.push((in_space.unwrap_or(false), &text[start..i]));
            }
            start = i;
            in_space = Some(space);
        }
    }
    if start < text.len() {
        pieces.push((in_space.unwrap_or(false), &text[start..]));
    }
    let words: Vec<usize> = pieces.iter().enumerate().filter(|(_, p)| !p.0).map(|(i, _)| i).collect();
    let core = |w: &str| -> (usize, usize) {
        let lead = w.len() - w.trim_start_matches(|c: char| "(\"'[«".contains(c)).len();
        let trimmed = w.trim_end_matches(|c: char| ".,;:!?)\"']»".contains(c));
        (lead, trimmed.len().max(lead))
    };
    let mut replaced: Vec<Option<&'static str>> = vec![None; pieces.len()];
    let mut k = 0;
    while k < words.len() {
        let i = words[k];
        let w = pieces[i].1;
        let (a, b) = core(w);
        let c = &w[a..b];
        let lower = c.to_lowercase();
        let mark = if is_reference(c) {
            r.references += 1;
            Some("[kenmerk]")
        } else if is_email(c) {
            r.emails += 1;
            Some("[e-mailadres]")
        } else if is_date(c) {
            r.dates += 1;
            Some("[datum]")
        } else if is_phone(c) {
            r.phones += 1;
            Some("[telefoonnummer]")
        } else if c.len() == 6 && c.get(..4).is_some_and(is_postcode_digits) && c.get(4..).is_some_and(is_postcode_letters) {
            r.postcodes += 1;
            Some("[postcode]")
        } else if is_postcode_digits(c) && words.get(k + 1).is_some_and(|&j| is_postcode_letters(&pieces[j].1[core(pieces[j].1).0..core(pieces[j].1).1])) {
            r.postcodes += 1;
            if let Some(&j) = words.get(k + 1) {
                replaced[j] = Some("");
            }
            k += 1;
            Some("[postcode]")
        } else if digits(c).len() >= 8 && c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '.' || ch == '-') && c.chars().any(|ch| ch.is_ascii_digit()) {
            r.numbers += 1;
            Some("[nummer]")
        } else {
            None
        };
        if mark.is_some() {
            replaced[i] = mark;
            k += 1;
            continue;
        }
        if capitalised(c) && STREETS.iter().any(|s| lower.len() > s.len() && lower.ends_with(s)) && b == w.len() {
            if let Some(&j) = words.get(k + 1) {
                if pieces[j].1.starts_with(|ch: char| ch.is_ascii_digit()) {
                    r.addresses += 1;
                    replaced[i] = Some("[adres]");
                    replaced[j] = Some("");
                    k += 2;
                    continue;
                }
            }
        }
        if TITLES.contains(&lower.as_str()) || TITLES.contains(&lower.trim_end_matches('.')) {
            // The name follows: infixes and capitalised words, up to the first other word.
            let mut j = k + 1;
            let mut any = false;
            while let Some(&n) = words.get(j) {
                let wn = pieces[n].1;
                let (na, nb) = core(wn);
                let cn = &wn[na..nb];
                if na > 0 {
                    break; // an opening bracket or quote starts something else
                }
                let is_infix = INFIXES.contains(&cn.to_lowercase().as_str());
                if !(capitalised(cn) || (is_infix && any) || (is_infix && words.get(j + 1).is_some_and(|&m| capitalised(&pieces[m].1[core(pieces[m].1).0..])))) {
                    break;
                }
                replaced[n] = Some(if any { "" } else { "[naam]" });
                any = true;
                j += 1;
                if nb < wn.len() {
                    break; // punctuation ends the name
                }
            }
            if any {
                r.names += 1;
            }
            k = j;
            continue;
        }
        k += 1;
    }
    for (i, (space, p)) in pieces.iter().enumerate() {
        match replaced[i] {
            Some("") => {
                // A word merged into the replacement before it: drop it and the space before it,
                // keeping its punctuation.
                let (_, b) = core(p);
                out.push_str(&p[b..]);
            }
            Some(m) => {
                let (a, b) = core(p);
                out.push_str(&p[..a]);
                out.push_str(m);
                out.push_str(&p[b..]);
            }
            None if *space => {
                if replaced.get(i + 1).copied().flatten() != Some("") {
                    out.push_str(p);
                }
            }
            None => out.push_str(p),
        }
    }
    (out, r)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn the_workflow_moves_only_along_its_steps() {
        use SupportStatus::*;
        assert_eq!(SupportStep::from(Submitted), vec![SupportStep::Take, SupportStep::Withdraw]);
        assert_eq!(SupportStep::from(InProgress), vec![SupportStep::AskInfo, SupportStep::Answer, SupportStep::Withdraw]);
        assert_eq!(SupportStep::from(InfoAsked), vec![SupportStep::GiveInfo, SupportStep::Withdraw]);
        assert_eq!(SupportStep::from(Answered), vec![SupportStep::FollowUp, SupportStep::Close]);
        assert!(SupportStep::from(Closed).is_empty());
        for s in SupportStep::ALL {
            assert_eq!(s.needs_text(), matches!(s, SupportStep::AskInfo | SupportStep::GiveInfo | SupportStep::Answer | SupportStep::FollowUp));
        }
    }

    #[test]
    fn eight_weeks_on_a_working_day() {
        // Received Monday 2 March 2026; eight weeks later is Monday 27 April 2026 (King's Day):
        // the next working day.
        let p = bibob_period(d("2026-03-02"), 0, &[]);
        assert_eq!(p.as_ref().map(|p| p.deadline), Ok(d("2026-04-28")));
        assert!(p.is_ok_and(|p| p.steps.iter().any(|s| s.contains("Koningsdag"))));
        // Received Wednesday 7 January 2026: Wednesday 4 March.
        assert_eq!(bibob_period(d("2026-01-07"), 0, &[]).map(|p| p.deadline), Ok(d("2026-03-04")));
    }

    #[test]
    fn extension_and_suspension_add_up_and_overlaps_count_once() {
        let s = |a: &str, b: &str| Suspension { from: d(a), until: d(b) };
        // 7 Jan + 8 weeks = 4 Mar; + 4 weeks = 1 Apr; suspended 10-20 Jan and 15-25 Jan: 15 days
        // -> 16 Apr 2026 (Thursday).
        let p = bibob_period(d("2026-01-07"), 4, &[s("2026-01-15", "2026-01-25"), s("2026-01-10", "2026-01-20")]);
        assert_eq!(p.as_ref().map(|p| (p.deadline, p.suspended_days)), Ok((d("2026-04-16"), 15)));
        // A weekend end moves to Monday.
        assert_eq!(bibob_period(d("2026-01-10"), 0, &[]).map(|p| p.deadline), Ok(d("2026-03-09")));
    }

    #[test]
    fn bad_periods_are_refused_per_field() {
        let s = |a: &str, b: &str| Suspension { from: d(a), until: d(b) };
        assert!(bibob_period(d("2026-01-07"), 5, &[]).is_err_and(|e| e[0].0 == "verlengingWeken"));
        assert!(bibob_period(d("2026-01-07"), 0, &[s("2026-02-01", "2026-01-20")]).is_err_and(|e| e[0].0 == "opschortingen"));
        assert!(bibob_period(d("2026-01-07"), 0, &[s("2026-01-01", "2026-01-20")]).is_err_and(|e| e[0].0 == "opschortingen"));
        assert!(bibob_period(d("2026-01-07"), 0, &[s("2026-06-01", "2026-06-20")]).is_err_and(|e| e[0].1.contains("na het einde")));
    }

    #[test]
    fn holidays_follow_easter() {
        // Easter 2025: 20 April; 2027: 28 March.
        assert_eq!(easter(2025), Some(d("2025-04-20")));
        assert_eq!(easter(2027), Some(d("2027-03-28")));
        assert_eq!(holiday(d("2025-05-29")), Some("Hemelvaartsdag"));
        assert_eq!(holiday(d("2025-06-09")), Some("tweede Pinksterdag"));
        // King's Day 2025 was on Saturday 26 April (27 April was a Sunday).
        assert_eq!(holiday(d("2025-04-26")), Some("Koningsdag"));
        assert_eq!(holiday(d("2025-04-27")), None);
    }

    #[test]
    fn anonymise_replaces_what_identifies() {
        let (t, r) = anonymise(
            "Vraag over CAS-2026-00012: de heer Van der Berg (Dorpsstraat 4, 5611 AB Eindhoven, j.berg@example.nl, 06-12345678) \
             en mw. Jansen, geboren 07-03-1984, BSN 123456782, IBAN NL91ABNA0417164300. Art. 13b Opiumwet sinds 2019.",
        );
        assert_eq!(
            t,
            "Vraag over [kenmerk]: de heer [naam] ([adres], [postcode] Eindhoven, [e-mailadres], [telefoonnummer]) \
             en mw. [naam], geboren [datum], BSN [nummer], IBAN [nummer]. Art. 13b Opiumwet sinds 2019."
        );
        assert_eq!(r, Redactions { names: 2, references: 1, emails: 1, phones: 1, postcodes: 1, numbers: 2, dates: 1, addresses: 1 });
        // Text without anything to replace stays as it was, whitespace and all.
        let plain = "Mag de burgemeester een woning sluiten\nna een vondst van 3 kilo hennep?";
        assert_eq!(anonymise(plain), (plain.to_string(), Redactions::default()));
    }
}
