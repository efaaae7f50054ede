//! Dutch text analysis for knooppunt: case and diacritic folding, tokens, Dutch stop words and
//! the Snowball Dutch stemmer, and TF-IDF cosine similarity between documents. Pure: no IO,
//! no SQL; the store decides where analysed text lives.

use rust_stemmers::{Algorithm, Stemmer};
use std::collections::HashMap;

pub mod index;
pub mod query;
pub mod snippet;
pub mod terms;

/// Common Dutch function words that carry no meaning for similarity.
const STOP_WORDS: &[&str] = &[
    "aan", "al", "alle", "als", "altijd", "ander", "andere", "bij", "ben", "bent", "daar", "dan", "dat", "de", "der", "deze", "die", "dit", "doch", "doen", "door", "dus", "een",
    "eens", "en", "er", "ge", "geen", "geweest", "haar", "had", "heb", "hebben", "heeft", "hem", "het", "hier", "hij", "hoe", "hun", "iemand", "iets", "ik", "in", "is", "ja",
    "je", "kan", "kon", "kunnen", "maar", "me", "meer", "men", "met", "mij", "mijn", "moet", "na", "naar", "niet", "niets", "nog", "nu", "of", "om", "omdat", "onder", "ons",
    "ook", "op", "over", "reeds", "te", "tegen", "toch", "toen", "tot", "u", "uit", "uw", "van", "veel", "voor", "want", "waren", "was", "wat", "we", "wel", "werd", "wezen",
    "wie", "wij", "wil", "worden", "wordt", "zal", "ze", "zei", "zelf", "zich", "zij", "zijn", "zo", "zonder", "zou", "ten", "ter", "via", "waar", "wanneer", "welke", "worden",
    "werden",
];

/// Lowercases and removes diacritics (é → e, ë → e, ĳ → ij, ß → ss).
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => out.push('a'),
            'è' | 'é' | 'ê' | 'ë' => out.push('e'),
            'ì' | 'í' | 'î' | 'ï' | 'ı' => out.push('i'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => out.push('o'),
            'ù' | 'ú' | 'û' | 'ü' => out.push('u'),
            'ý' | 'ÿ' => out.push('y'),
            'ç' => out.push('c'),
            'ñ' => out.push('n'),
            'ş' | 'š' => out.push('s'),
            'ğ' => out.push('g'),
            'ĳ' => out.push_str("ij"),
            'ß' => out.push_str("ss"),
            other => out.push(other),
        }
    }
    out
}

/// Whether a folded word is a Dutch stop word.
pub fn is_stop_word(w: &str) -> bool {
    STOP_WORDS.contains(&w)
}

/// The analysed terms of a text: folded, split on anything not alphanumeric, stop words and
/// one-letter tokens dropped, stemmed.
pub fn analyse(text: &str) -> Vec<String> {
    let stemmer = Stemmer::create(Algorithm::Dutch);
    fold(text).split(|c: char| !c.is_alphanumeric()).filter(|t| t.chars().count() > 1 && !STOP_WORDS.contains(t)).map(|t| stemmer.stem(t).into_owned()).collect()
}

/// A small in-memory TF-IDF index over documents identified by `K`.
pub struct Similarity<K> {
    docs: Vec<(K, HashMap<String, f64>)>,
    df: HashMap<String, usize>,
}

impl<K: Clone + PartialEq> Similarity<K> {
    pub fn new(documents: impl IntoIterator<Item = (K, String)>) -> Self {
        let mut docs = Vec::new();
        let mut df: HashMap<String, usize> = HashMap::new();
        for (k, text) in documents {
            let mut tf: HashMap<String, f64> = HashMap::new();
            for term in analyse(&text) {
                *tf.entry(term).or_default() += 1.0;
            }
            for term in tf.keys() {
                *df.entry(term.clone()).or_default() += 1;
            }
            docs.push((k, tf));
        }
        Self { docs, df }
    }

    fn vector(&self, tf: &HashMap<String, f64>) -> HashMap<String, f64> {
        let n = self.docs.len().max(1) as f64;
        tf.iter()
            .map(|(t, f)| {
                let df = self.df.get(t).copied().unwrap_or(0) as f64;
                (t.clone(), (1.0 + f.ln()) * ((n + 1.0) / (df + 1.0)).ln().max(0.0))
            })
            .collect()
    }

    /// The documents most similar to `text` (cosine of TF-IDF vectors), best first, above
    /// `threshold`, leaving out `exclude`.
    pub fn most_similar(&self, text: &str, exclude: Option<&K>, limit: usize, threshold: f64) -> Vec<(K, f64)> {
        let mut tf: HashMap<String, f64> = HashMap::new();
        for term in analyse(text) {
            *tf.entry(term).or_default() += 1.0;
        }
        let q = self.vector(&tf);
        let qn = q.values().map(|v| v * v).sum::<f64>().sqrt();
        if qn == 0.0 {
            return Vec::new();
        }
        let mut scored: Vec<(K, f64)> = self
            .docs
            .iter()
            .filter(|(k, _)| exclude != Some(k))
            .filter_map(|(k, dtf)| {
                let d = self.vector(dtf);
                let dn = d.values().map(|v| v * v).sum::<f64>().sqrt();
                if dn == 0.0 {
                    return None;
                }
                let dot: f64 = q.iter().filter_map(|(t, w)| d.get(t).map(|v| v * w)).sum();
                Some((k.clone(), dot / (qn * dn)))
            })
            .filter(|(_, s)| *s >= threshold)
            .collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1));
        scored.truncate(limit);
        scored
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_and_stemming() {
        assert_eq!(fold("Café ĳs Ölçer"), "cafe ijs olcer");
        let terms = analyse("De vergunningen werden misbruikt voor hennepkwekerijen in vakantieparken.");
        assert!(terms.contains(&"vergunn".to_string()) || terms.contains(&"vergunning".to_string()), "{terms:?}");
        assert!(!terms.iter().any(|t| t == "de" || t == "in" || t == "voor"));
        // Singular and plural meet after stemming.
        assert_eq!(analyse("vakantiepark"), analyse("vakantieparken"));
    }

    #[test]
    fn similar_documents_rank_first() {
        let idx = Similarity::new(vec![
            (1, "Vakantieparken worden misbruikt voor hennepteelt en witwassen".to_string()),
            (2, "Stromannen als bestuurder ingeschreven bij de Kamer van Koophandel".to_string()),
            (3, "Subsidiefraude met energiesubsidies door malafide installateurs".to_string()),
            (4, "Misbruik van vakantiepark voor criminele bewoning en hennepkwekerij".to_string()),
        ]);
        let hits = idx.most_similar("Hennepteelt op een vakantiepark", None, 3, 0.1);
        let ids: Vec<i32> = hits.iter().map(|h| h.0).collect();
        assert!(matches!(ids.first(), Some(1) | Some(4)), "{hits:?}");
        assert!(ids.contains(&1) && ids.contains(&4), "{hits:?}");
        assert!(!ids.contains(&3));
        assert!(idx.most_similar("", None, 3, 0.0).is_empty());
        assert!(idx.most_similar("vakantiepark", Some(&1), 3, 0.1).iter().all(|h| h.0 != 1));
    }
}
