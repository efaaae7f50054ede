//! What a search asks for: the words of a query, each a *concept* with the terms that satisfy
//! it — the word's own term, the parts of a compound, the editors' synonyms — and how much each
//! counts. Misspellings are corrected against the index by the caller (it alone knows which
//! terms the reader's documents hold).

use crate::terms::{search_terms, Lexicon};

/// At most this many words of a query count (a pasted paragraph is not a search).
pub const MAX_CONCEPTS: usize = 8;

/// How much a term counts, per mille of the word typed.
pub const SHARE_WORD: u32 = 1000;
pub const SHARE_SYNONYM: u32 = 800;
pub const SHARE_CORRECTION: u32 = 700;
pub const SHARE_PART: u32 = 500;

/// One word (or reference) of a query with the terms that satisfy it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Concept {
    /// The word as typed (folded).
    pub word: String,
    /// The word's own term: looked up as it is, or corrected when the index lacks it.
    pub term: String,
    /// (term, share per mille), the word's own term first.
    pub terms: Vec<(String, u32)>,
}

impl Concept {
    fn add(&mut self, term: String, share: u32) {
        match self.terms.iter_mut().find(|(t, _)| *t == term) {
            Some(x) => x.1 = x.1.max(share),
            None => self.terms.push((term, share)),
        }
    }

    /// Adds a correction of the word's own term (and the parts of a corrected compound).
    pub fn add_correction(&mut self, term: &str, lexicon: &Lexicon) {
        for (i, t) in search_terms(term, lexicon).into_iter().enumerate() {
            self.add(t, if i == 0 { SHARE_CORRECTION } else { SHARE_PART });
        }
    }
}

/// The editors' synonym groups: each a list of words or short phrases that mean the same.
#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    /// Per group, the terms of each member.
    groups: Vec<Vec<Vec<String>>>,
}

impl Synonyms {
    pub fn new<G: AsRef<[S]>, S: AsRef<str>>(groups: &[G]) -> Self {
        let none = Lexicon::default();
        let groups = groups
            .iter()
            .map(|g| g.as_ref().iter().map(|m| search_terms(m.as_ref(), &none)).filter(|t| !t.is_empty()).collect::<Vec<_>>())
            .filter(|g: &Vec<Vec<String>>| g.len() > 1)
            .collect();
        Self { groups }
    }

    /// The terms of the other members of every group that has `term` as a one-word member.
    fn of(&self, term: &str) -> Vec<String> {
        let mut out = Vec::new();
        for g in &self.groups {
            if g.iter().any(|m| m.len() == 1 && m[0] == term) {
                for m in g.iter().filter(|m| !(m.len() == 1 && m[0] == term)) {
                    out.extend(m.iter().cloned());
                }
            }
        }
        out
    }
}

/// The concepts of `query`: per word its term, its compound parts and its synonyms (and the
/// synonyms' parts). Words without a term (stop words) drop out; at most [`MAX_CONCEPTS`].
pub fn concepts(query: &str, lexicon: &Lexicon, synonyms: &Synonyms) -> Vec<Concept> {
    let mut out: Vec<Concept> = Vec::new();
    for word in crate::fold(query).split_whitespace() {
        let terms = search_terms(word, lexicon);
        let Some(own) = terms.first().cloned() else { continue };
        if out.iter().any(|c| c.term == own) {
            continue;
        }
        let mut c = Concept { word: word.trim_matches(|ch: char| !ch.is_alphanumeric()).to_string(), term: own.clone(), terms: Vec::new() };
        c.add(own.clone(), SHARE_WORD);
        // A word the analysis splits into more terms (a compound, "ecli:…" with a word) keeps
        // them as parts.
        for t in terms.iter().skip(1) {
            c.add(t.clone(), SHARE_PART);
        }
        for s in synonyms.of(&own) {
            c.add(s.clone(), SHARE_SYNONYM);
            for part in search_terms(&s, lexicon).into_iter().skip(1) {
                c.add(part, SHARE_PART);
            }
        }
        out.push(c);
        if out.len() == MAX_CONCEPTS {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_become_concepts_with_parts_and_synonyms() {
        let l = Lexicon::domain().clone();
        let s = Synonyms::new(&[vec!["hennep", "cannabis", "wiet"], vec!["13b", "Damocles"], vec!["alleen"]]);
        let c = concepts("Hennepkwekerij en art. 13b", &l, &s);
        assert_eq!(c.len(), 2, "{c:?}");
        assert_eq!(c[0].term, "hennepkwekerij");
        assert!(c[0].terms.contains(&("hennep".into(), SHARE_PART)), "{c:?}");
        assert_eq!(c[1].terms[0], ("13b".into(), SHARE_WORD));
        assert!(c[1].terms.contains(&("damocles".into(), SHARE_SYNONYM)), "{c:?}");
        let w = concepts("wiet", &l, &s);
        assert!(w[0].terms.contains(&("hennep".into(), SHARE_SYNONYM)) && w[0].terms.contains(&("cannabis".into(), SHARE_SYNONYM)), "{w:?}");
        assert!(concepts("de het", &l, &s).is_empty());
        assert_eq!(concepts("a b c d e f g h i j k l", &l, &s).len(), 0, "one-letter words are no terms");
        assert_eq!(concepts("aa bb cc dd ee ff gg hh ii jj", &l, &s).len(), MAX_CONCEPTS);
        let mut x = concepts("henepkwekerij", &l, &s).remove(0);
        x.add_correction("hennepkwekerij", &l);
        assert!(x.terms.contains(&("hennepkwekerij".into(), SHARE_CORRECTION)) && x.terms.contains(&("hennep".into(), SHARE_PART)), "{x:?}");
    }
}
