//! Dutch synthetic record-linkage data, seeded: one population of persons and companies spread
//! over the ten RIEC regions; a share of it appears in both files with the spelling variation
//! of real case files (voorvoegsels in every position and spelling, roepnamen, initials,
//! transliterations, diacritics, legal forms, typos, day/month swaps, missing and placeholder
//! values, moved addresses), plus hard negatives (twins at one address with one birth date,
//! namesakes, many companies at one address). The truth is written to its own file.
//!
//! `knooppunt-linkgen --size 100000 --seed 1 --out DIR` writes `DIR/left.csv`, `DIR/right.csv`
//! and `DIR/truth.csv` (`id_l,id_r`).

use anyhow::{Context, Result};
use clap::Parser;
use knooppunt_demo::synthetic::{self, FIRST_NAMES};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::io::Write;
use std::path::PathBuf;

#[derive(Parser)]
#[command(about = "Dutch synthetic record-linkage benchmark data (seeded, truth kept apart)")]
struct Args {
    /// Records per file.
    #[arg(long, default_value_t = 10_000)]
    size: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Share of the left file's entities that also appear (varied) in the right file.
    #[arg(long, default_value_t = 0.1)]
    overlap: f64,
    #[arg(long)]
    out: PathBuf,
}

const REGIONS: &[&str] =
    &["noord-nederland", "oost-nederland", "midden-nederland", "noord-holland", "amsterdam-amstelland", "den-haag", "rotterdam", "zeeland-west-brabant", "oost-brabant", "limburg"];
const CITIES: &[&str] = &["Groningen", "Enschede", "Utrecht", "Haarlem", "Amsterdam", "'s-Gravenhage", "Rotterdam", "Breda", "Eindhoven", "Maastricht"];
const MORE_SURNAMES: &[&str] = &[
    "Bakker",
    "Vos",
    "Postma",
    "Kuipers",
    "Boer",
    "Veenstra",
    "Hoekstra",
    "Kramer",
    "Dijkstra",
    "Smits",
    "Wouters",
    "Timmermans",
    "Claassen",
    "Groot",
    "Schouten",
    "Kuijpers",
    "Jacobs",
    "Lammers",
    "Evers",
    "Verbeek",
    "Gerritsen",
    "Scholten",
    "Bosman",
    "Wijnands",
    "Aydın",
    "Çelik",
    "Arslan",
    "Doğan",
    "Boukhari",
    "Haddou",
    "Ouali",
    "Achahbar",
    "Zwart",
    "Wit",
    "Roos",
    "Brouwer",
    "Koning",
    "Hermans",
    "Peeters",
    "Sanders",
    "Rutten",
];
const PREFIXES: &[&str] = &["", "", "", "", "", "", "van", "de", "van der", "van den", "van de", "ter", "in 't", "den", "te"];
const COMPANY_WORDS: &[&str] = &[
    "Glans",
    "Noorderlicht",
    "Zuiderhaven",
    "Vastgoed",
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
    "Dakwerken",
    "Installatietechniek",
    "Horeca",
    "Reclame",
    "Bloemen",
    "Kapsalon",
    "Fietsen",
    "Koeriers",
    "Sloopwerken",
    "Zonwering",
    "Tegelwerken",
];
const ROEPNAMEN: &[(&str, &str)] =
    &[("Johannes", "Jan"), ("Johannes", "Hans"), ("Cornelis", "Kees"), ("Hendrik", "Henk"), ("Willem", "Wim"), ("Petrus", "Piet"), ("Jacobus", "Koos"), ("Maria", "Ria")];
const TRANSLIT: &[(&str, &[&str])] = &[("Mohammed", &["Mohamed", "Muhammad", "Mohammad"]), ("Ahmed", &["Ahmad", "Achmed"]), ("Youssef", &["Yusuf", "Yousef"])];

#[derive(Clone)]
struct Entity {
    kind: &'static str,
    given: String,
    prefix: String,
    surname: String,
    birth: (i32, u32, u32),
    company: String,
    form: String,
    postcode: String,
    number: String,
    city: String,
    bsn: String,
    kvk: String,
}

#[derive(Clone, Default)]
struct Row {
    id: String,
    region: String,
    kind: String,
    given: String,
    prefix: String,
    surname: String,
    birth: String,
    company: String,
    postcode: String,
    number: String,
    city: String,
    bsn: String,
    kvk: String,
}

fn surname(rng: &mut ChaCha8Rng) -> String {
    let all: Vec<&str> = synthetic::SURNAMES.iter().chain(MORE_SURNAMES.iter()).copied().collect();
    // A few surnames are very common (Jansen, de Vries): a Zipf-like pick.
    let i = ((rng.gen::<f64>().powf(2.5)) * all.len() as f64) as usize;
    all[i.min(all.len() - 1)].to_string()
}

fn given(rng: &mut ChaCha8Rng) -> String {
    let mut g = FIRST_NAMES.choose(rng).copied().unwrap_or("Jan").to_string();
    if rng.gen_bool(0.15) {
        g = ["Johannes", "Cornelis", "Hendrik", "Willem", "Petrus", "Jacobus", "Maria"].choose(rng).copied().unwrap_or("Johannes").to_string();
    }
    if rng.gen_bool(0.2) {
        g = format!("{g} {}", FIRST_NAMES.choose(rng).copied().unwrap_or("Maria"));
    }
    g
}

fn address(rng: &mut ChaCha8Rng, region: usize) -> (String, String, String) {
    let pc = synthetic::postcode(rng);
    let number = if rng.gen_bool(0.15) {
        format!("{}{}", rng.gen_range(1..300), ["a", "b", "-1", "-2", " A"].choose(rng).copied().unwrap_or("a"))
    } else {
        rng.gen_range(1..300).to_string()
    };
    (pc, number, CITIES[region].to_string())
}

fn person(rng: &mut ChaCha8Rng, region: usize) -> Entity {
    let (postcode, number, city) = address(rng, region);
    Entity {
        kind: "persoon",
        given: given(rng),
        prefix: PREFIXES.choose(rng).copied().unwrap_or("").to_string(),
        surname: surname(rng),
        birth: (rng.gen_range(1940..2005), rng.gen_range(1..=12), rng.gen_range(1..=28)),
        company: String::new(),
        form: String::new(),
        postcode,
        number,
        city,
        bsn: synthetic::bsn(rng),
        kvk: String::new(),
    }
}

fn company(rng: &mut ChaCha8Rng, region: usize) -> Entity {
    let (postcode, number, city) = address(rng, region);
    let mut name = format!("{} {}", COMPANY_WORDS.choose(rng).copied().unwrap_or("Glans"), COMPANY_WORDS.choose(rng).copied().unwrap_or("Trading"));
    if rng.gen_bool(0.4) {
        let p = PREFIXES.choose(rng).copied().unwrap_or("");
        let s = surname(rng);
        name = if p.is_empty() { format!("{s} {name}") } else { format!("{} {s} {name}", capitalise(p)) };
    }
    Entity {
        kind: "rechtspersoon",
        given: String::new(),
        prefix: String::new(),
        surname: String::new(),
        birth: (0, 0, 0),
        company: name,
        form: ["B.V.", "B.V.", "Holding B.V.", "V.O.F.", "Stichting", "N.V."].choose(rng).copied().unwrap_or("B.V.").to_string(),
        postcode,
        number,
        city,
        bsn: String::new(),
        kvk: synthetic::kvk(rng),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

/// One character inserted, deleted, replaced or two neighbours swapped.
fn typo(rng: &mut ChaCha8Rng, s: &str) -> String {
    let mut c: Vec<char> = s.chars().collect();
    if c.len() < 3 {
        return s.to_string();
    }
    let i = rng.gen_range(1..c.len() - 1);
    match rng.gen_range(0..4) {
        0 => c.swap(i, i + 1),
        1 => {
            c.remove(i);
        }
        2 => c.insert(i, *['e', 'a', 'n', 'r', 's'].choose(rng).unwrap_or(&'e')),
        _ => c[i] = *['e', 'a', 'n', 'r', 'i', 'o'].choose(rng).unwrap_or(&'e'),
    }
    c.into_iter().collect()
}

fn ascii(s: &str) -> String {
    s.replace('ö', "o")
        .replace('Ö', "O")
        .replace('ı', "i")
        .replace('ş', "s")
        .replace('Ş', "S")
        .replace('ç', "c")
        .replace('Ç', "C")
        .replace('ğ', "g")
        .replace('ü', "u")
        .replace('ć', "c")
        .replace('ä', "a")
}

fn date(b: (i32, u32, u32)) -> String {
    format!("{:04}-{:02}-{:02}", b.0, b.1, b.2)
}

fn row(e: &Entity, id: String, region: usize) -> Row {
    Row {
        id,
        region: REGIONS[region].to_string(),
        kind: e.kind.to_string(),
        given: e.given.clone(),
        prefix: e.prefix.clone(),
        surname: e.surname.clone(),
        birth: if e.kind == "persoon" { date(e.birth) } else { String::new() },
        company: if e.company.is_empty() { String::new() } else { format!("{} {}", e.company, e.form) },
        postcode: e.postcode.clone(),
        number: e.number.clone(),
        city: e.city.clone(),
        bsn: e.bsn.clone(),
        kvk: e.kvk.clone(),
    }
}

/// The same entity as another case file records it.
fn vary(rng: &mut ChaCha8Rng, e: &Entity, mut r: Row) -> Row {
    if e.kind == "persoon" {
        // Given names: roepnaam, initials, transliteration, typo.
        let first = e.given.split(' ').next().unwrap_or("").to_string();
        match rng.gen_range(0..10) {
            0 => r.given = first.chars().next().map(|c| format!("{c}.")).unwrap_or_default(),
            1 => {
                if let Some((_, roep)) = ROEPNAMEN.iter().find(|(o, _)| *o == first) {
                    r.given = roep.to_string();
                }
            }
            2 => {
                if let Some((_, alts)) = TRANSLIT.iter().find(|(o, _)| *o == first) {
                    r.given = alts.choose(rng).copied().unwrap_or(&first).to_string();
                }
            }
            3 => r.given = typo(rng, &e.given),
            4 => r.given = e.given.to_uppercase(),
            _ => {}
        }
        // Surname: voorvoegsel in the surname field or abbreviated, diacritics, typos.
        match rng.gen_range(0..10) {
            0 if !e.prefix.is_empty() => {
                r.surname = format!("{} {}", e.prefix, e.surname);
                r.prefix.clear();
            }
            1 if e.prefix.starts_with("van d") => r.prefix = "v.d.".into(),
            2 => r.surname = ascii(&e.surname).replace("Oz", "Oez"),
            3 => r.surname = typo(rng, &e.surname),
            4 => r.surname = ascii(&e.surname),
            _ => {}
        }
        // Birth date: day/month swap, a digit off, missing, placeholder.
        let (y, m, d) = e.birth;
        match rng.gen_range(0..20) {
            0 if d <= 12 => r.birth = date((y, d, m)),
            1 => r.birth = date((y + 1, m, d)),
            2 => r.birth = String::new(),
            3 => r.birth = "1900-01-01".into(),
            4 => r.birth = format!("{d:02}-{m:02}-{y}"),
            _ => {}
        }
        // BSN: often only one side knows it.
        if rng.gen_bool(0.6) {
            r.bsn.clear();
        }
    } else {
        let form = match rng.gen_range(0..6) {
            0 => "BV",
            1 => "Besloten Vennootschap",
            2 => "",
            _ => e.form.as_str(),
        };
        let mut name = e.company.clone();
        match rng.gen_range(0..8) {
            0 => name = name.replace("Van der", "V.d.").replace("Van den", "V.d."),
            1 => name = typo(rng, &name),
            2 => name = name.to_uppercase(),
            3 => name = format!("{name} Holding"),
            _ => {}
        }
        r.company = if form.is_empty() { name } else { format!("{name} {form}") };
        if rng.gen_bool(0.5) {
            r.kvk.clear();
        }
    }
    // Address: moved, spelled differently, or missing.
    match rng.gen_range(0..10) {
        0 => {
            let (pc, nr, _) = address(rng, 0);
            r.postcode = pc;
            r.number = nr;
        }
        1 => r.postcode = r.postcode.replace(' ', "").to_lowercase(),
        2 => {
            r.postcode.clear();
            r.number.clear();
        }
        _ => {}
    }
    if rng.gen_bool(0.1) {
        r.city = if r.city == "'s-Gravenhage" { "Den Haag".into() } else { r.city.to_uppercase() };
    }
    r
}

fn write(path: &std::path::Path, rows: &[Row]) -> Result<()> {
    let f = std::fs::File::create(path).with_context(|| format!("{} niet te schrijven", path.display()))?;
    let mut w = csv::Writer::from_writer(std::io::BufWriter::new(f));
    w.write_record(["id", "regio", "soort", "voornamen", "voorvoegsel", "achternaam", "geboortedatum", "bedrijfsnaam", "postcode", "huisnummer", "plaats", "bsn", "kvk"])?;
    for r in rows {
        w.write_record([&r.id, &r.region, &r.kind, &r.given, &r.prefix, &r.surname, &r.birth, &r.company, &r.postcode, &r.number, &r.city, &r.bsn, &r.kvk])?;
    }
    w.flush()?;
    Ok(())
}

fn main() -> Result<()> {
    let args = Args::parse();
    std::fs::create_dir_all(&args.out)?;
    let mut rng = ChaCha8Rng::seed_from_u64(args.seed);
    let mut left = Vec::with_capacity(args.size);
    let mut right = Vec::with_capacity(args.size);
    let mut truth = Vec::new();
    let shared = (args.size as f64 * args.overlap) as usize;
    let entity = |rng: &mut ChaCha8Rng, region: usize| if rng.gen_bool(0.7) { person(rng, region) } else { company(rng, region) };
    // Entities in both files (each file is a set of regions' case files).
    for i in 0..shared {
        let region = rng.gen_range(0..REGIONS.len());
        let e = entity(&mut rng, region);
        let other = (region + rng.gen_range(1..REGIONS.len())) % REGIONS.len();
        let l = row(&e, format!("L{i}"), region);
        let r = vary(&mut rng, &e, row(&e, format!("R{i}"), other));
        truth.push((l.id.clone(), r.id.clone()));
        left.push(l);
        right.push(r);
    }
    // Hard negatives: twins at one address with one birth date; many companies at one address;
    // namesakes (same name, other birth date and address).
    let hard = args.size / 20;
    for i in 0..hard {
        let region = rng.gen_range(0..REGIONS.len());
        let a = person(&mut rng, region);
        let mut twin = a.clone();
        while twin.given == a.given {
            twin.given = given(&mut rng);
        }
        twin.bsn = synthetic::bsn(&mut rng);
        left.push(row(&a, format!("LT{i}"), region));
        right.push(row(&twin, format!("RT{i}"), region));
        let mut namesake = person(&mut rng, (region + 1) % REGIONS.len());
        namesake.given = a.given.clone();
        namesake.surname = a.surname.clone();
        namesake.prefix = a.prefix.clone();
        right.push(row(&namesake, format!("RN{i}"), (region + 1) % REGIONS.len()));
    }
    let mut i = 0;
    while left.len() < args.size {
        let region = rng.gen_range(0..REGIONS.len());
        let e = entity(&mut rng, region);
        left.push(row(&e, format!("LX{i}"), region));
        // Every 50th: a block of companies at one address on both sides.
        if i % 50 == 0 && right.len() + 10 < args.size {
            let (pc, nr, city) = address(&mut rng, region);
            for k in 0..10 {
                let mut c = company(&mut rng, region);
                c.postcode = pc.clone();
                c.number = nr.clone();
                c.city = city.clone();
                right.push(row(&c, format!("RC{i}-{k}"), region));
            }
        }
        i += 1;
    }
    let mut j = 0;
    while right.len() < args.size {
        let region = rng.gen_range(0..REGIONS.len());
        let e = entity(&mut rng, region);
        right.push(row(&e, format!("RX{j}"), region));
        j += 1;
    }
    left.truncate(args.size);
    right.truncate(args.size);
    left.shuffle(&mut rng);
    right.shuffle(&mut rng);
    write(&args.out.join("left.csv"), &left)?;
    write(&args.out.join("right.csv"), &right)?;
    let mut t = std::io::BufWriter::new(std::fs::File::create(args.out.join("truth.csv"))?);
    writeln!(t, "id_l,id_r")?;
    for (l, r) in &truth {
        writeln!(t, "{l},{r}")?;
    }
    eprintln!("{} links, {} + {} records in {}", truth.len(), left.len(), right.len(), args.out.display());
    Ok(())
}
