//! Subject search over the cases a user may see: by name, company name, address or identifier.

use super::*;

impl App {
    /// Subjects in the cases the principal may see, by name (prefix, voorvoegsel ignored) or by
    /// exact identifier (BSN, KvK, RSIN, IBAN, kenteken, BAG id), at most [`SEARCH_LIMIT`]:
    /// data minimisation — a user who needs more refines the query. Every hit's read is logged.
    pub async fn search_subjects(&self, ctx: &Ctx, query: &str) -> Result<SubjectSearch, AppError> {
        let p = ctx.principal()?.clone();
        let q = query.trim();
        if q.chars().count() < 2 {
            return Err(Invalid::one("zoekterm", "Geef ten minste twee tekens.").into());
        }
        if q.chars().count() > 200 {
            return Err(Invalid::one("zoekterm", "Een zoekterm heeft hoogstens 200 tekens.").into());
        }
        // An identifier is never a name: search it exactly. Otherwise a name in natural order
        // ("Jan van der Berg") searches the surname, as the sort key starts with it.
        let identifier = identifier_key(q);
        // The whole name as typed (a company: "Autohandel de Kempen"), and for a person's name
        // in natural order the surname it starts the sort key with ("van der Berg" → "berg").
        // A postcode ("5611 AB") also reads as a licence plate (56-11-AB): search both.
        let spelled = postcode_first(&fold_key(q));
        let folded = if identifier.is_empty() || starts_with_postcode(&spelled) { spelled } else { String::new() };
        let name = strip_prefixes(&folded);
        if identifier.is_empty() && name.chars().count() < 2 {
            return Err(Invalid::one("zoekterm", "Geef ten minste twee letters of cijfers.").into());
        }
        let mut tx = self.begin_read().await?;
        // A street ("Dorpsstraat 12", "Hoofdstraat") is also looked up among addresses.
        let address = if identifier.is_empty() && reads_as_street(&folded) { knooppunt_domain::case::address_key(&folded) } else { String::new() };
        let terms = store::SearchTerms { name_prefixes: &[folded.as_str(), if name == folded { "" } else { name.as_str() }], identifier: &identifier, address_prefix: &address };
        let mut hits = store::search_subjects(&mut tx, &case_scope(&p), &terms, SEARCH_LIMIT + 1).await?;
        let more = hits.len() as i64 > SEARCH_LIMIT;
        hits.truncate(SEARCH_LIMIT as usize);
        let subjects: Vec<DataSubject> = hits.iter().map(|h| DataSubject { kind: "betrokkene", id: h.subject.id.to_string() }).collect();
        commit(tx).await?;
        self.log_personal_read(ctx, "casusdossier-zoeken", "betrokkenen-gezocht", &Object::new("betrokkene", "*"), &subjects).await?;
        Ok(SubjectSearch { hits, more })
    }
}

/// The identifier form a query may have: `bsn:…`, `kvk:…`, `iban:…`, `kenteken:…`, `bag:…`.
fn identifier_key(q: &str) -> String {
    use knooppunt_domain::{BagId, Bsn, Iban, KvkNumber, LicencePlate};
    if let Ok(b) = Bsn::parse(q) {
        return format!("bsn:{}", b.as_str());
    }
    if let Ok(k) = KvkNumber::parse(q) {
        return format!("kvk:{}", k.as_str());
    }
    if let Ok(i) = Iban::parse(q) {
        return format!("iban:{}", i.as_str());
    }
    if let Ok(b) = BagId::parse(q) {
        return format!("bag:{}", b.as_str());
    }
    if let Ok(k) = LicencePlate::parse(q) {
        return format!("kenteken:{}", k.as_str());
    }
    String::new()
}

/// An address is keyed by postcode and house number as `5611 ab 12`; a query that starts with a
/// postcode written without its space (`5611ab 12`) is written the same way.
fn postcode_first(folded: &str) -> String {
    let (first, rest) = folded.split_once(' ').unwrap_or((folded, ""));
    let b = first.as_bytes();
    if b.len() == 6 && b[..4].iter().all(u8::is_ascii_digit) && b[4..].iter().all(u8::is_ascii_lowercase) {
        let spaced = format!("{} {}", &first[..4], &first[4..]);
        return if rest.is_empty() { spaced } else { format!("{spaced} {rest}") };
    }
    folded.to_string()
}

/// Endings of Dutch street names ("Stationsweg", "Oude Gracht"): a query with a word that ends
/// so, or a word followed by a house number, may be an address.
const STREET_ENDINGS: [&str; 22] = [
    "straat",
    "weg",
    "laan",
    "plein",
    "kade",
    "dijk",
    "singel",
    "gracht",
    "dreef",
    "steeg",
    "pad",
    "hof",
    "markt",
    "wal",
    "baan",
    "park",
    "plantsoen",
    "boulevard",
    "erf",
    "haven",
    "veld",
    "ring",
];

/// Does a folded query read as an address: a street with a house number ("dorpsstraat 12",
/// "dorpsstraat 12a") or a word with a street name's ending?
fn reads_as_street(folded: &str) -> bool {
    let words: Vec<&str> = folded.split(' ').collect();
    let numbered = words.len() >= 2
        && words.last().is_some_and(|w| w.chars().next().is_some_and(|c| c.is_ascii_digit()) && w.chars().filter(|c| c.is_alphabetic()).count() <= 2)
        && words[..words.len() - 1].iter().any(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 3);
    numbered || words.iter().any(|w| STREET_ENDINGS.iter().any(|e| w.ends_with(e) && w.len() > e.len() + 1))
}

fn starts_with_postcode(spelled: &str) -> bool {
    let b = spelled.as_bytes();
    b.len() >= 7 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b' ' && b[5..7].iter().all(u8::is_ascii_lowercase) && (b.len() == 7 || b[7] == b' ')
}

/// Drops leading given names and voorvoegsels when the query looks like "Jan van der Berg":
/// subjects are keyed by surname first.
fn strip_prefixes(folded: &str) -> String {
    let words: Vec<&str> = folded.split(' ').collect();
    if words.len() < 2 {
        return folded.to_string();
    }
    // "berg jan" (surname first) stays; "jan van der berg" becomes "berg".
    let prefixes = knooppunt_domain::identifiers::VOORVOEGSELS;
    if let Some(pos) = words.iter().position(|w| prefixes.contains(w)) {
        let rest: Vec<&str> = words[pos..].iter().copied().skip_while(|w| prefixes.contains(w)).collect();
        if !rest.is_empty() {
            return rest.join(" ");
        }
    }
    folded.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postcodes_are_written_as_addresses_are_keyed() {
        assert_eq!(postcode_first("5611ab 12"), "5611 ab 12");
        assert_eq!(postcode_first("5611ab"), "5611 ab");
        assert_eq!(postcode_first("5611 ab 12"), "5611 ab 12");
        assert_eq!(postcode_first("jan van der berg"), "jan van der berg");
    }

    #[test]
    fn name_queries_find_the_surname() {
        assert_eq!(strip_prefixes("jan van der berg"), "berg");
        assert_eq!(strip_prefixes("berg"), "berg");
        assert_eq!(strip_prefixes("berg jan"), "berg jan");
        assert_eq!(identifier_key("111222333"), "bsn:111222333");
        assert_eq!(identifier_key("Berg"), "");
    }
}
