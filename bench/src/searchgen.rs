//! A generator of knowledge items for the search benchmark, made apart from the demo's: ten
//! topics of the field, each written with several words for the same thing (some of them in the
//! editors' synonym list, some not), compounds, article references and, for case law, ECLI
//! numbers; six aspects (closing, permits, money, housing, signals, cooperation) cut across the
//! topics; a share of the sentences is filler every topic shares, and a fifth of the items
//! mention a second topic in passing. The judged queries ask for a topic and an aspect the way
//! professionals type them: a word, a synonym, a misspelling, a phrase, an ECLI number or an
//! article. Relevance comes from what the generator wrote: grade 2 for the topic *and* the
//! aspect (or the ECLI's item, or an item citing the article), grade 1 for the topic alone.

use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

pub struct Topic {
    pub phenomenon: &'static str,
    /// The word professionals use first, then other words for the same thing.
    pub words: &'static [&'static str],
    pub compounds: &'static [&'static str],
    pub articles: &'static [&'static str],
    /// Misspellings professionals make, of a word or compound of the topic.
    pub typos: &'static [&'static str],
}

pub const TOPICS: &[Topic] = &[
    Topic {
        phenomenon: "hennepteelt",
        words: &["hennep", "cannabis", "wiet", "nederwiet"],
        compounds: &["hennepkwekerij", "hennepteelt", "wietplantage", "cannabiskwekerij"],
        articles: &["art. 13b Opiumwet", "art. 11a Opiumwet"],
        typos: &["henepkwekerij", "hennepkweekerij", "cannabiss"],
    },
    Topic {
        phenomenon: "synthetische-drugs",
        words: &["drugslab", "xtc", "mdma", "amfetamine"],
        compounds: &["drugsafval", "drugsdumping", "productielocatie"],
        articles: &["art. 13b Opiumwet", "art. 10a Opiumwet"],
        typos: &["drugslabb", "amfetamien", "drugsdumpping"],
    },
    Topic {
        phenomenon: "witwassen",
        words: &["witwassen", "witwaspraktijken", "crimineel geld"],
        compounds: &["witwasconstructie", "geldezel", "contantgeld"],
        articles: &["art. 420bis Sr", "art. 36e Sr"],
        typos: &["witwasen", "witwasconstuctie", "gelddezel"],
    },
    Topic {
        phenomenon: "mensenhandel",
        words: &["mensenhandel", "uitbuiting", "arbeidsuitbuiting", "misstanden"],
        compounds: &["arbeidsmigranten", "uitzendbureau", "huisvestingsmisstanden"],
        articles: &["art. 273f Sr"],
        typos: &["mensehandel", "arbeidsuitbuitting", "uitbuitng"],
    },
    Topic {
        phenomenon: "omg",
        words: &["motorbende", "OMG", "motorclub", "outlaw bikers"],
        compounds: &["clubhuis", "motorclubverbod", "bendelidmaatschap"],
        articles: &["art. 2:20 BW", "art. 174a Gemeentewet"],
        typos: &["motorbènde", "motorclb", "clubhuiss"],
    },
    Topic {
        phenomenon: "vastgoedfraude",
        words: &["vastgoed", "vastgoedfraude", "panden", "stromannen"],
        compounds: &["vastgoedtransactie", "huurconstructie", "katvanger"],
        articles: &["art. 3 Wet Bibob"],
        typos: &["vastgoedfaude", "vasgoed", "huurconstructe"],
    },
    Topic {
        phenomenon: "zorgfraude",
        words: &["zorgfraude", "zorgcowboys", "pgb-fraude", "zorgaanbieders"],
        compounds: &["zorgbureau", "persoonsgebonden budget", "declaratiefraude"],
        articles: &["art. 8a Wmo"],
        typos: &["zorgfrade", "zorgcowbooys", "declaratiefaude"],
    },
    Topic {
        phenomenon: "ondermijning-vakantieparken",
        words: &["vakantiepark", "recreatiepark", "chalets", "bungalowpark"],
        compounds: &["vakantieparkaanpak", "permanente bewoning", "parkeigenaar"],
        articles: &["art. 125 Gemeentewet"],
        typos: &["vakantiepak", "recreatiepaark", "chalet's"],
    },
    Topic {
        phenomenon: "havens",
        words: &["cocaine", "cocaïne", "drugssmokkel", "haven"],
        compounds: &["havenpersoneel", "containeroverslag", "uithalers"],
        articles: &["art. 10 Opiumwet", "art. 138aa Sr"],
        typos: &["cocaiene", "drugsmokkel", "containeroverlsag"],
    },
    Topic {
        phenomenon: "prostitutie",
        words: &["prostitutie", "seksbranche", "seksbedrijf", "raamprostitutie"],
        compounds: &["vergunningstelsel", "escortbureau", "seksinrichting"],
        articles: &["art. 151a Gemeentewet"],
        typos: &["prostituie", "seksbranch", "escortburo"],
    },
];

pub struct Aspect {
    /// What the aspect is, for the reader of this file.
    #[allow(dead_code)]
    pub key: &'static str,
    pub words: &'static [&'static str],
}

pub const ASPECTS: &[Aspect] = &[
    Aspect { key: "sluiting", words: &["sluiting", "sluiten", "gesloten pand"] },
    Aspect { key: "vergunning", words: &["vergunning", "vergunningverlening", "Bibob-toets"] },
    Aspect { key: "geld", words: &["geldstromen", "financiering", "contante betalingen"] },
    Aspect { key: "huisvesting", words: &["huisvesting", "woning", "bewoning"] },
    Aspect { key: "signalen", words: &["signalen", "meldingen", "signaal"] },
    Aspect { key: "samenwerking", words: &["samenwerking", "convenant", "integrale aanpak"] },
];

const FILLER: &[&str] = &[
    "Het RIEC ondersteunt gemeenten en partners bij de aanpak.",
    "Informatie wordt gedeeld binnen de grenzen van het convenant.",
    "De gemeente legt haar besluit vast en hoort de betrokkene.",
    "Dit product is besproken in het regionaal overleg.",
    "Partners houden elkaar op de hoogte van de voortgang.",
    "De burgemeester weegt de belangen zorgvuldig af.",
    "Bij twijfel neemt u contact op met het RIEC.",
    "De ervaringen uit de regio zijn verwerkt in deze tekst.",
];

const KINDS: &[(&str, &str)] = &[
    ("handreiking", "Handreiking"),
    ("nieuws", "Nieuws:"),
    ("factsheet", "Factsheet"),
    ("goede-praktijk", "Goede praktijk:"),
    ("rapport", "Rapport"),
    ("faq", "Vraag en antwoord over"),
    ("jurisprudentie", "Uitspraak over"),
];

/// One generated item.
pub struct Item {
    pub key: usize,
    pub kind: &'static str,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub ecli: Option<String>,
    pub topic: usize,
    pub aspect: usize,
    pub articles: Vec<&'static str>,
}

fn pick<'a>(r: &mut ChaCha8Rng, v: &'a [&'a str]) -> &'a str {
    v.choose(r).copied().unwrap_or("")
}

/// How texts choose among a topic's words: `uniform` (every word as often) or `skewed` (the
/// first word in 60% of the sentences, the others sharing the rest — closer to real texts,
/// where one name dominates and the synonyms are rarer).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum WordChoice {
    Uniform,
    Skewed,
}

fn word<'a>(r: &mut ChaCha8Rng, v: &'a [&'a str], choice: WordChoice) -> &'a str {
    if choice == WordChoice::Skewed && v.len() > 1 && r.gen_bool(0.6) {
        return v[0];
    }
    if choice == WordChoice::Skewed && v.len() > 1 {
        return pick(r, &v[1..]);
    }
    pick(r, v)
}

fn topic_sentence(r: &mut ChaCha8Rng, t: &Topic, a: &Aspect, choice: WordChoice) -> String {
    let w = word(r, t.words, choice);
    let c = word(r, t.compounds, choice);
    let x = pick(r, a.words);
    match r.gen_range(0..6) {
        0 => format!("Bij {c} speelt {x} een grote rol."),
        1 => format!("Gemeenten zien dat {w} samengaat met {x}."),
        2 => format!("De aanpak van {w} begint bij {x}."),
        3 => format!("Een {c} vraagt om aandacht voor {x}."),
        4 => format!("Partners delen wat zij weten over {w} en {x}."),
        _ => format!("In de regio is {c} aangetroffen; {x} volgde."),
    }
}

/// `n` items drawn with `r`.
pub fn items(n: usize, r: &mut ChaCha8Rng, choice: WordChoice) -> Vec<Item> {
    let mut out = Vec::with_capacity(n);
    for key in 0..n {
        let topic = r.gen_range(0..TOPICS.len());
        let aspect = r.gen_range(0..ASPECTS.len());
        let (t, a) = (&TOPICS[topic], &ASPECTS[aspect]);
        let (kind, label) = *KINDS.choose(r).unwrap_or(&KINDS[0]);
        let title = match r.gen_range(0..3) {
            0 => format!("{label} {} en {}", word(r, t.compounds, choice), pick(r, a.words)),
            1 => format!("{label} {}: {}", word(r, t.words, choice), pick(r, a.words)),
            _ => format!("{label} {} in de regio", word(r, t.words, choice)),
        };
        let summary = topic_sentence(r, t, a, choice);
        let mut body: Vec<String> = Vec::new();
        for _ in 0..r.gen_range(3..7) {
            if r.gen_bool(0.6) {
                body.push(topic_sentence(r, t, a, choice));
            } else {
                body.push(pick(r, FILLER).to_string());
            }
        }
        if r.gen_bool(0.2) {
            let other = &TOPICS[(topic + r.gen_range(1..TOPICS.len())) % TOPICS.len()];
            body.push(format!("Ook {} kwam in beeld.", pick(r, other.words)));
        }
        let mut articles = Vec::new();
        if r.gen_bool(0.3) {
            let art = pick(r, t.articles);
            body.push(format!("De grondslag is {art}."));
            articles.push(art);
        }
        let ecli =
            (kind == "jurisprudentie").then(|| format!("ECLI:NL:{}:{}:{}", pick(r, &["RVS", "RBROT", "RBOBR", "HR", "GHSHE"]), r.gen_range(2015..2026), r.gen_range(100..9999)));
        if let Some(e) = &ecli {
            body.push(format!("Zie {e}."));
        }
        body.shuffle(r);
        out.push(Item { key, kind, title, summary, body: body.join(" "), ecli, topic, aspect, articles });
    }
    // ECLI numbers are unique: a repeat loses its number.
    let mut seen = std::collections::BTreeSet::new();
    for i in &mut out {
        if let Some(e) = &i.ecli {
            if !seen.insert(e.clone()) {
                i.ecli = None;
            }
        }
    }
    out
}

/// A judged query: its words, its kind, and (item key, grade) of every relevant item.
pub struct Judged {
    pub kind: &'static str,
    pub text: String,
    pub relevant: Vec<(usize, u32)>,
}

fn topical(items: &[Item], topic: usize, aspect: usize) -> Vec<(usize, u32)> {
    items.iter().filter(|i| i.topic == topic).map(|i| (i.key, if i.aspect == aspect { 2 } else { 1 })).collect()
}

/// The judged queries over `items`: per topic a word, a synonym, a misspelling and a phrase
/// (each with an aspect) and a compound alone, eight ECLI numbers and up to eight articles.
pub fn queries(items: &[Item], r: &mut ChaCha8Rng) -> Vec<Judged> {
    let mut out = Vec::new();
    for (ti, t) in TOPICS.iter().enumerate() {
        for (kind, word) in [("woord", t.words[0]), ("synoniem", t.words[1 + ti % (t.words.len() - 1)]), ("typfout", pick(r, t.typos))] {
            let ai = r.gen_range(0..ASPECTS.len());
            out.push(Judged { kind, text: format!("{word} {}", ASPECTS[ai].words[0]), relevant: topical(items, ti, ai) });
        }
        let ai = r.gen_range(0..ASPECTS.len());
        out.push(Judged { kind: "zin", text: format!("{} van een {}", ASPECTS[ai].words[0], pick(r, t.compounds)), relevant: topical(items, ti, ai) });
        let ai = r.gen_range(0..ASPECTS.len());
        out.push(Judged { kind: "woord", text: pick(r, t.compounds).to_string(), relevant: topical(items, ti, ai).into_iter().map(|(k, _)| (k, 1)).collect() });
    }
    let with_ecli: Vec<&Item> = items.iter().filter(|i| i.ecli.is_some()).collect();
    for i in with_ecli.choose_multiple(r, 8) {
        out.push(Judged { kind: "ecli", text: i.ecli.clone().unwrap_or_default(), relevant: vec![(i.key, 2)] });
    }
    let mut articles: Vec<&str> = TOPICS.iter().flat_map(|t| t.articles.iter().copied()).collect();
    articles.sort();
    articles.dedup();
    for a in articles.choose_multiple(r, 8) {
        let relevant: Vec<(usize, u32)> = items.iter().filter(|i| i.articles.contains(a)).map(|i| (i.key, 2)).collect();
        if !relevant.is_empty() {
            out.push(Judged { kind: "artikel", text: a.to_string(), relevant });
        }
    }
    out
}
