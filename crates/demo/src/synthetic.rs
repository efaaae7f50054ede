//! Synthetic Dutch identities: names with voorvoegsels, companies with legal forms, addresses,
//! licence plates and bank accounts whose check digits are valid. Seeded, so the same seed
//! gives the same population. Used by the demo, the tests and the benchmarks.

use knooppunt_domain::case::SubjectInput;
use rand::seq::SliceRandom;
use rand::Rng;

pub const FIRST_NAMES: &[&str] = &[
    "Jan",
    "Johannes",
    "Pieter",
    "Willem",
    "Hendrik",
    "Cornelis",
    "Gerrit",
    "Dirk",
    "Sophie",
    "Emma",
    "Julia",
    "Anna",
    "Fleur",
    "Lieke",
    "Sanne",
    "Noor",
    "Mohamed",
    "Mohammed",
    "Youssef",
    "Ahmed",
    "Fatima",
    "Khadija",
    "Mehmet",
    "Ayşe",
    "Emre",
    "Elif",
    "Bram",
    "Thijs",
    "Sem",
    "Daan",
    "Lucas",
    "Iris",
    "Marieke",
    "Joost",
    "Ruud",
    "Kees",
    "Wim",
    "Ingrid",
    "Petra",
    "Dragan",
    "Ana",
    "Tomasz",
    "Agnieszka",
    "Ricardo",
    "Shanti",
    "Rohan",
];
pub const PREFIXES: &[&str] = &["", "", "", "", "", "van", "de", "van der", "van den", "van de", "ter", "in 't", "den", "el"];
pub const SURNAMES: &[&str] = &[
    "Jansen",
    "de Vries",
    "Visser",
    "Smit",
    "Meijer",
    "Mulder",
    "Bos",
    "Berg",
    "Dijk",
    "Vos",
    "Kok",
    "Peters",
    "Brink",
    "Bakker",
    "Hoek",
    "Wal",
    "Hendriks",
    "Dekker",
    "Janssen",
    "Verhoeven",
    "Vermeulen",
    "Willems",
    "Maas",
    "Linden",
    "Heuvel",
    "Graaf",
    "Bruin",
    "Koster",
    "Prins",
    "Huisman",
    "Yılmaz",
    "Özdemir",
    "Kaya",
    "Demir",
    "Şahin",
    "El Amrani",
    "Bouzid",
    "Benali",
    "Tahiri",
    "Kowalski",
    "Nowak",
    "Jovanović",
    "Pereira",
    "Ramdin",
];
pub const COMPANY_WORDS: &[&str] = &[
    "Glans",
    "Noorderlicht",
    "Zuiderhaven",
    "Vastgoed",
    "Beheer",
    "Trading",
    "Logistiek",
    "Autobedrijf",
    "Nagelstudio",
    "Barbershop",
    "Shisha Lounge",
    "Bouwbedrijf",
    "Uitzendbureau",
    "Belwinkel",
    "Cateringservice",
    "Transport",
    "Import-Export",
    "Schoonmaak",
    "Projectontwikkeling",
    "Autoverhuur",
];
pub const LEGAL_FORMS: &[&str] = &["B.V.", "B.V.", "B.V.", "V.O.F.", "Holding B.V.", "Stichting", "eenmanszaak", "N.V."];
pub const STREETS: &[&str] = &[
    "Markt",
    "Kerkstraat",
    "Dorpsstraat",
    "Stationsweg",
    "Industrieweg",
    "Havenstraat",
    "Molenweg",
    "Nieuwstraat",
    "Schoolstraat",
    "Julianalaan",
    "Beatrixstraat",
    "Wilhelminaplein",
    "Kanaaldijk",
    "Hoofdstraat",
    "Parallelweg",
    "Bedrijvenpark",
    "Eikenlaan",
    "Zuidwal",
];
const BANKS: &[&str] = &["ABNA", "INGB", "RABO", "SNSB", "TRIO", "BUNQ", "KNAB", "ASNB"];

/// A BSN (or RSIN) with a valid elfproef.
pub fn bsn(rng: &mut impl Rng) -> String {
    loop {
        let d: Vec<u32> = (0..8).map(|i| if i == 0 { rng.gen_range(1..10) } else { rng.gen_range(0..10) }).collect();
        let sum: u32 = d.iter().enumerate().map(|(i, x)| x * (9 - i as u32)).sum();
        // sum - last ≡ 0 (mod 11)  =>  last ≡ sum (mod 11)
        let last = sum % 11;
        if last < 10 {
            return d.iter().map(|x| x.to_string()).collect::<String>() + &last.to_string();
        }
    }
}

/// An 8-digit KvK number.
pub fn kvk(rng: &mut impl Rng) -> String {
    format!("{:08}", rng.gen_range(10_000_000..100_000_000))
}

/// A Dutch IBAN with valid mod-97 check digits.
pub fn iban(rng: &mut impl Rng) -> String {
    let bank = BANKS.choose(rng).copied().unwrap_or("ABNA");
    let account = format!("{:010}", rng.gen_range(0..10_000_000_000u64));
    let bban = format!("{bank}{account}");
    // Move country + "00" to the end, letters to numbers, check = 98 - (n mod 97).
    let digits: String = format!("{bban}NL00").chars().map(|c| if c.is_ascii_digit() { c.to_string() } else { (c as u32 - 'A' as u32 + 10).to_string() }).collect();
    let rem = digits.chars().fold(0u32, |acc, c| (acc * 10 + c.to_digit(10).unwrap_or(0)) % 97);
    format!("NL{:02}{bban}", 98 - rem)
}

/// A postcode `1234 AB` (no leading zero, not SA/SD/SS).
pub fn postcode(rng: &mut impl Rng) -> String {
    loop {
        let letters: String = (0..2).map(|_| rng.gen_range(b'A'..=b'Z') as char).collect();
        if !["SA", "SD", "SS"].contains(&letters.as_str()) {
            return format!("{} {letters}", rng.gen_range(1000..10000));
        }
    }
}

/// A licence plate in one of the common modern sidecodes.
pub fn licence_plate(rng: &mut impl Rng) -> String {
    const CONSONANTS: &[u8] = b"BDFGHJKLNPRSTVXZ";
    fn letters(rng: &mut impl Rng, n: usize) -> String {
        (0..n).map(|_| CONSONANTS[rng.gen_range(0..CONSONANTS.len())] as char).collect()
    }
    fn digits(rng: &mut impl Rng, n: usize) -> String {
        (0..n).map(|_| char::from(b'0' + rng.gen_range(0..10u8))).collect()
    }
    match rng.gen_range(0..3) {
        0 => format!("{}-{}-{}", digits(rng, 2), letters(rng, 3), digits(rng, 1)),
        1 => format!("{}-{}-{}", digits(rng, 1), letters(rng, 3), digits(rng, 2)),
        _ => format!("{}-{}-{}", letters(rng, 2), digits(rng, 3), letters(rng, 1)),
    }
}

/// A BAG id of a verblijfsobject in the municipality with CBS code `GM0599` (16 digits).
pub fn bag_id(rng: &mut impl Rng, cbs: &str) -> String {
    let gm: String = cbs.chars().filter(char::is_ascii_digit).collect();
    format!("{gm:0>4}01{:010}", rng.gen_range(0..10_000_000_000u64))
}

pub fn birth_date(rng: &mut impl Rng) -> String {
    format!("{}-{:02}-{:02}", rng.gen_range(1950..2004), rng.gen_range(1..13), rng.gen_range(1..29))
}

/// A random natural person with a BSN (most of the time).
pub fn person(rng: &mut impl Rng) -> SubjectInput {
    let surname = SURNAMES.choose(rng).copied().unwrap_or("Jansen");
    // Surnames like "de Vries" carry their own voorvoegsel.
    let (prefix, surname) = match surname.split_once(' ') {
        Some((p, s)) if p.chars().all(char::is_lowercase) => (p.to_string(), s.to_string()),
        _ => (PREFIXES.choose(rng).copied().unwrap_or("").to_string(), surname.to_string()),
    };
    SubjectInput {
        kind: "persoon".into(),
        first_names: FIRST_NAMES.choose(rng).copied().unwrap_or("Jan").into(),
        prefix,
        surname,
        birth_date: birth_date(rng),
        bsn: if rng.gen_bool(0.7) { bsn(rng) } else { String::new() },
        ..SubjectInput::default()
    }
}

/// A random company with a legal form and KvK number.
pub fn company(rng: &mut impl Rng, city: &str) -> SubjectInput {
    let w = COMPANY_WORDS.choose(rng).copied().unwrap_or("Trading");
    let name = match rng.gen_range(0..3) {
        0 => format!("{w} {city}"),
        1 => format!("{} {w}", SURNAMES.choose(rng).copied().unwrap_or("Jansen")),
        _ => format!("{w} {}", COMPANY_WORDS.choose(rng).copied().unwrap_or("Beheer")),
    };
    SubjectInput {
        kind: "rechtspersoon".into(),
        company_name: name,
        legal_form: LEGAL_FORMS.choose(rng).copied().unwrap_or("B.V.").into(),
        kvk: kvk(rng),
        ..SubjectInput::default()
    }
}

/// A random address in `city` (municipality `cbs`).
pub fn address(rng: &mut impl Rng, city: &str, cbs: &str) -> SubjectInput {
    let number = rng.gen_range(1..250).to_string() + if rng.gen_bool(0.15) { "A" } else { "" };
    SubjectInput {
        kind: "adres".into(),
        street: STREETS.choose(rng).copied().unwrap_or("Markt").into(),
        postcode: postcode(rng),
        house_number: number,
        city: city.into(),
        bag_id: if rng.gen_bool(0.6) { bag_id(rng, cbs) } else { String::new() },
        ..SubjectInput::default()
    }
}

pub fn vehicle(rng: &mut impl Rng) -> SubjectInput {
    SubjectInput { kind: "voertuig".into(), licence_plate: licence_plate(rng), ..SubjectInput::default() }
}

pub fn account(rng: &mut impl Rng) -> SubjectInput {
    SubjectInput { kind: "rekening".into(), iban: iban(rng), ..SubjectInput::default() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use knooppunt_domain::case::Subject;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn generated_identities_pass_the_domain_checks() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for _ in 0..500 {
            for s in [person(&mut rng), company(&mut rng, "Tilburg"), address(&mut rng, "Tilburg", "GM0855"), vehicle(&mut rng), account(&mut rng)] {
                assert!(Subject::parse(&s).is_ok(), "{s:?}: {:?}", Subject::parse(&s).err());
            }
        }
    }
}
