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

/// Municipalities the demo places its cases and addresses in, with postcode areas (the four
/// digits) that lie inside each: a demo address has a postcode of its own municipality. The
/// ranges are the core of each municipality, kept narrow on purpose.
pub const POSTCODE_AREAS: &[(&str, u16, u16)] = &[
    ("Eindhoven", 5611, 5658),
    ("'s-Hertogenbosch", 5211, 5237),
    ("Helmond", 5701, 5709),
    ("Oss", 5341, 5349),
    ("Veldhoven", 5501, 5509),
    ("Valkenswaard", 5551, 5556),
    ("Breda", 4811, 4839),
    ("Tilburg", 5011, 5049),
    ("Bergen op Zoom", 4611, 4625),
    ("Roosendaal", 4701, 4709),
    ("Middelburg (Z.)", 4331, 4338),
    ("Vlissingen", 4381, 4389),
    ("Maastricht", 6211, 6229),
    ("Venlo", 5911, 5928),
    ("Heerlen", 6411, 6419),
    ("Roermond", 6041, 6045),
    ("Weert", 6001, 6006),
    ("Amsterdam", 1011, 1109),
    ("Amstelveen", 1181, 1189),
    ("Diemen", 1111, 1113),
    ("Haarlem", 2011, 2037),
    ("Alkmaar", 1811, 1827),
    ("Zaanstad", 1501, 1509),
    ("Hoorn", 1621, 1628),
    ("Den Helder", 1781, 1789),
    ("Purmerend", 1441, 1448),
    ("Hilversum", 1211, 1223),
    ("Utrecht", 3511, 3585),
    ("Amersfoort", 3811, 3829),
    ("Almere", 1311, 1364),
    ("Lelystad", 8211, 8245),
    ("Nieuwegein", 3431, 3439),
    ("Zeist", 3701, 3709),
    ("'s-Gravenhage", 2491, 2599),
    ("Leiden", 2311, 2334),
    ("Delft", 2611, 2629),
    ("Zoetermeer", 2711, 2729),
    ("Rotterdam", 3011, 3089),
    ("Dordrecht", 3311, 3319),
    ("Schiedam", 3111, 3125),
    ("Vlaardingen", 3131, 3138),
    ("Gouda", 2801, 2809),
    ("Capelle aan den IJssel", 2901, 2909),
    ("Arnhem", 6811, 6846),
    ("Nijmegen", 6511, 6546),
    ("Zwolle", 8011, 8048),
    ("Enschede", 7511, 7548),
    ("Apeldoorn", 7311, 7339),
    ("Deventer", 7411, 7429),
    ("Ede", 6711, 6718),
    ("Groningen", 9711, 9747),
    ("Leeuwarden", 8911, 8941),
    ("Assen", 9401, 9411),
    ("Emmen", 7811, 7833),
    ("Smallingerland", 9200, 9207),
    ("Heerenveen", 8441, 8448),
];

/// A postcode of municipality `city` when its area is known, otherwise any valid one.
pub fn postcode_in(rng: &mut impl Rng, city: &str) -> String {
    let Some(&(_, from, to)) = POSTCODE_AREAS.iter().find(|(name, _, _)| *name == city) else {
        return postcode(rng);
    };
    loop {
        let letters: String = (0..2).map(|_| rng.gen_range(b'A'..=b'Z') as char).collect();
        if !["SA", "SD", "SS"].contains(&letters.as_str()) {
            return format!("{} {letters}", rng.gen_range(from..=to));
        }
    }
}

/// A random address in `city` (municipality `cbs`), with a postcode of that municipality.
pub fn address(rng: &mut impl Rng, city: &str, cbs: &str) -> SubjectInput {
    let number = rng.gen_range(1..250).to_string() + if rng.gen_bool(0.15) { "A" } else { "" };
    SubjectInput {
        kind: "adres".into(),
        street: STREETS.choose(rng).copied().unwrap_or("Markt").into(),
        postcode: postcode_in(rng, city),
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

    #[test]
    fn every_postcode_area_names_a_municipality_and_addresses_stay_inside_it() -> Result<(), String> {
        let known = knooppunt_app::reference::municipalities().map_err(|e| e.to_string())?;
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for (name, from, to) in POSTCODE_AREAS {
            assert!(known.iter().any(|m| m.naam == *name), "{name} is not a municipality");
            assert!(from <= to && *from >= 1000, "{name}");
            for _ in 0..50 {
                let a = address(&mut rng, name, "GM0000");
                let digits: u16 = a.postcode[..4].parse().map_err(|_| a.postcode.clone())?;
                assert!((*from..=*to).contains(&digits), "{name}: {}", a.postcode);
            }
        }
        Ok(())
    }
}
