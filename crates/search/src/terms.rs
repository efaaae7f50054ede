//! The terms a knowledge search indexes and asks for (#15 point 3, groundwork): the analysis of
//! [`crate::analyse`] plus exact tokens for ECLI numbers and article references (`13b`,
//! `174a`, `2:20`), and compound splitting against a lexicon (`hennepkwekerij` also gives
//! `hennep` and `kwekerij`), so that a query for a part finds the whole and the reverse.

use rust_stemmers::{Algorithm, Stemmer};
use std::collections::BTreeSet;

/// Words that only announce an article reference.
const ARTICLE_WORDS: &[&str] = &["art", "artikel", "artikelen", "lid"];

/// Linking sounds between the parts of a Dutch compound (tussenklanken).
const LINKS: &[&str] = &["s", "en", "e"];

/// The shortest part a compound is split into.
const MIN_PART: usize = 3;

/// Known words (folded, unstemmed) that compounds are split into: the taxonomy's names and
/// synonyms and the editors' words.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    words: BTreeSet<String>,
    /// The stems of `words`: a compound's tail may be inflected (`hennepkwekerijen`).
    stems: BTreeSet<String>,
}

/// The words of the field that compounds are split into: the phenomena, settings and
/// instruments the network's texts are about. Changing the list changes the index: its
/// fingerprint is part of [`crate::index::ANALYSER`]'s version, and the index is rebuilt.
pub const DOMAIN_WORDS: &[&str] = &[
    "aanpak",
    "adres",
    "advies",
    "afpakken",
    "arbeid",
    "auto",
    "bedrijf",
    "beleid",
    "bende",
    "beslag",
    "bestuur",
    "bewoning",
    "bordeel",
    "bouw",
    "cannabis",
    "club",
    "cocaine",
    "controle",
    "criminaliteit",
    "damocles",
    "drugs",
    "dwang",
    "fraude",
    "geld",
    "gebied",
    "gemeente",
    "handel",
    "haven",
    "hennep",
    "horeca",
    "huis",
    "huisvesting",
    "huur",
    "inspectie",
    "integriteit",
    "kamer",
    "kapper",
    "kwekerij",
    "lab",
    "laboratorium",
    "loket",
    "makelaar",
    "mensen",
    "migrant",
    "model",
    "motor",
    "nagel",
    "notaris",
    "ondermijning",
    "onderzoek",
    "ontneming",
    "opium",
    "pand",
    "park",
    "prostitutie",
    "recht",
    "smokkel",
    "salon",
    "signaal",
    "sluiting",
    "stroman",
    "subsidie",
    "teelt",
    "toezicht",
    "uitbuiting",
    "uitkering",
    "vakantie",
    "vastgoed",
    "verblijf",
    "vergunning",
    "verhuur",
    "vermogen",
    "wapen",
    "was",
    "wet",
    "winkel",
    "witwassen",
    "woning",
    "zorg",
    "zorgfraude",
    "barriere",
    "dumping",
    "afval",
    "container",
    "logistiek",
    "transport",
    "geldezel",
    "ezel",
    "belasting",
    "toeslag",
    "werk",
    "woon",
    "werving",
];

impl Lexicon {
    pub fn new<I: IntoIterator<Item = S>, S: AsRef<str>>(words: I) -> Self {
        let words: BTreeSet<String> = words
            .into_iter()
            .flat_map(|w| crate::fold(w.as_ref()).split(|c: char| !c.is_alphanumeric()).map(str::to_string).collect::<Vec<_>>())
            .filter(|w| w.chars().count() >= MIN_PART)
            .collect();
        let stemmer = Stemmer::create(Algorithm::Dutch);
        let stems = words.iter().map(|w| stemmer.stem(w).into_owned()).collect();
        Self { words, stems }
    }

    /// The lexicon of [`DOMAIN_WORDS`], built once.
    pub fn domain() -> &'static Self {
        static DOMAIN: std::sync::OnceLock<Lexicon> = std::sync::OnceLock::new();
        DOMAIN.get_or_init(|| Self::new(DOMAIN_WORDS))
    }

    fn knows(&self, w: &str) -> bool {
        self.words.contains(w)
    }

    fn knows_tail(&self, w: &str) -> bool {
        self.words.contains(w) || self.stems.contains(Stemmer::create(Algorithm::Dutch).stem(w).as_ref())
    }

    /// The two known parts of `word`, if it is a compound of them (the longest known head
    /// first), the tail with or without a linking sound.
    pub fn split(&self, word: &str) -> Option<(String, String)> {
        // Byte offsets of the characters: the cuts are tried without building strings.
        let bounds: Vec<usize> = word.char_indices().map(|(i, _)| i).collect();
        if bounds.len() <= 2 * MIN_PART {
            return None;
        }
        for cut in (MIN_PART..=bounds.len() - MIN_PART).rev() {
            let Some((head, tail)) = bounds.get(cut).map(|at| word.split_at(*at)) else { continue };
            if !self.knows(head) {
                continue;
            }
            if self.knows_tail(tail) || self.split(tail).is_some() {
                return Some((head.to_string(), tail.to_string()));
            }
            for link in LINKS {
                if let Some(rest) = tail.strip_prefix(link) {
                    if rest.chars().count() >= MIN_PART && self.knows_tail(rest) {
                        return Some((head.to_string(), rest.to_string()));
                    }
                }
            }
        }
        None
    }
}

/// Whether a folded token is an article or case number kept as it is: digits with at most a
/// few letters (`13b`, `174a`, `273f`) or digits around a colon (`2:20`).
fn is_reference(t: &str) -> bool {
    let digits = t.chars().filter(char::is_ascii_digit).count();
    digits > 0 && t.chars().all(|c| c.is_ascii_alphanumeric() || c == ':') && t.chars().filter(|c| c.is_ascii_alphabetic()).count() <= 2
}

/// The search terms of `text`: ECLI numbers whole (`ecli:nl:rvs:2022:1389`), article and
/// other references as written (`13b`), other words stemmed without stop words, and for a
/// compound the stems of its parts too. In order of appearance, repeats kept (they are the
/// term frequencies).
pub fn search_terms(text: &str, lexicon: &Lexicon) -> Vec<String> {
    let stemmer = Stemmer::create(Algorithm::Dutch);
    let folded = crate::fold(text);
    let mut out = Vec::new();
    for raw in folded.split_whitespace() {
        let trimmed = raw.trim_matches(|c: char| !c.is_alphanumeric());
        if trimmed.starts_with("ecli:") && trimmed.matches(':').count() == 4 {
            out.push(trimmed.to_string());
            continue;
        }
        for t in trimmed.split(|c: char| !(c.is_alphanumeric() || c == ':')).filter(|t| !t.is_empty()) {
            let t = t.trim_matches(':');
            if t.is_empty() || ARTICLE_WORDS.contains(&t) {
                continue;
            }
            if is_reference(t) {
                out.push(t.to_string());
                continue;
            }
            for w in t.split(':').filter(|w| w.chars().count() > 1 && !crate::is_stop_word(w)) {
                out.push(stemmer.stem(w).into_owned());
                if let Some((head, tail)) = lexicon.split(w) {
                    out.push(stemmer.stem(&head).into_owned());
                    out.push(stemmer.stem(&tail).into_owned());
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon() -> Lexicon {
        Lexicon::new(["hennep", "kwekerij", "drugs", "lab", "vastgoed", "fraude", "zorg", "arbeid", "uitbuiting", "vakantie", "park", "hennepteelt"])
    }

    #[test]
    fn compounds_give_their_parts() {
        let l = lexicon();
        assert_eq!(l.split("hennepkwekerij"), Some(("hennep".into(), "kwekerij".into())));
        assert_eq!(l.split("arbeidsuitbuiting"), Some(("arbeid".into(), "uitbuiting".into())));
        assert_eq!(l.split("zorgfraude"), Some(("zorg".into(), "fraude".into())));
        assert_eq!(l.split("hennep"), None);
        assert_eq!(l.split("kwekerijen"), None, "an inflected word is not a compound");
        let terms = search_terms("Sluiting van een hennepkwekerij", &l);
        let stem = |w: &str| Stemmer::create(Algorithm::Dutch).stem(w).into_owned();
        assert!(terms.contains(&stem("hennep")) && terms.contains(&stem("kwekerij")), "{terms:?}");
        // A query for the part meets the document's compound, and the reverse.
        assert!(search_terms("hennep", &l).iter().all(|t| terms.contains(t)));
    }

    #[test]
    fn ecli_numbers_and_articles_stay_whole() {
        let l = lexicon();
        let terms = search_terms("Zie ECLI:NL:RVS:2022:1389 over art. 13b Opiumwet en artikel 2:20 BW.", &l);
        assert!(terms.contains(&"ecli:nl:rvs:2022:1389".to_string()), "{terms:?}");
        assert!(terms.contains(&"13b".to_string()) && terms.contains(&"2:20".to_string()), "{terms:?}");
        assert!(!terms.iter().any(|t| t == "art" || t == "artikel" || t == "over" || t == "en"), "{terms:?}");
        assert_eq!(search_terms("13B", &l), vec!["13b".to_string()]);
        assert_eq!(search_terms("ecli:nl:rvs:2022:1389", &l), vec!["ecli:nl:rvs:2022:1389".to_string()]);
    }

    #[test]
    fn plain_words_are_stemmed_as_before() {
        let l = Lexicon::default();
        assert_eq!(search_terms("vakantieparken", &l), crate::analyse("vakantieparken"));
        assert!(search_terms("", &l).is_empty());
        assert!(search_terms("de het een", &l).is_empty());
    }
}
