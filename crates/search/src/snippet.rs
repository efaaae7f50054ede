//! Snippets: the stretch of a text where the query's terms are densest, with the words that
//! matched marked. The caller escapes the text; a snippet is only made of text its reader may
//! read.

use crate::terms::{search_terms, Lexicon};
use std::collections::{BTreeSet, HashMap};
use std::sync::RwLock;

/// Words in a snippet.
pub const WORDS: usize = 30;

/// A piece of a snippet: text, and whether it matched the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub marked: bool,
}

/// Words a node has analysed for snippets and their search terms, for one lexicon: the same
/// words come back in snippet after snippet, and analysing them (folding, compound splitting,
/// stemming) is most of a snippet's cost. At most [`REMEMBERED`] words of at most
/// [`REMEMBERED_LENGTH`] bytes; when full it starts over.
#[derive(Debug, Default)]
pub struct Words {
    terms: RwLock<HashMap<String, Box<[String]>>>,
}

/// Words a [`Words`] holds at most.
pub const REMEMBERED: usize = 100_000;

/// The longest word a [`Words`] keeps (longer ones are analysed each time).
pub const REMEMBERED_LENGTH: usize = 48;

impl Words {
    /// Whether `word` has one of `terms` among its search terms.
    pub fn hits(&self, word: &str, lexicon: &Lexicon, terms: &BTreeSet<String>) -> bool {
        if let Some(found) = self.terms.read().ok().and_then(|held| held.get(word).map(|t| t.iter().any(|t| terms.contains(t)))) {
            return found;
        }
        let analysed = search_terms(word, lexicon);
        let hit = analysed.iter().any(|t| terms.contains(t));
        if word.len() <= REMEMBERED_LENGTH {
            if let Ok(mut held) = self.terms.write() {
                if held.len() >= REMEMBERED {
                    held.clear();
                }
                held.insert(word.to_string(), analysed.into_boxed_slice());
            }
        }
        hit
    }
}

/// The snippet of `text` for `terms`: [`WORDS`] words around the most matches (the start of the
/// text when nothing matches), with "…" where text was left out. Empty for an empty text.
pub fn snippet(text: &str, terms: &BTreeSet<String>, lexicon: &Lexicon) -> Vec<Piece> {
    snippet_with(text, terms, lexicon, &Words::default())
}

/// [`snippet`], with the words `words` has analysed before (and those it analyses now kept
/// there).
pub fn snippet_with(text: &str, terms: &BTreeSet<String>, lexicon: &Lexicon, words_seen: &Words) -> Vec<Piece> {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty() {
        return Vec::new();
    }
    // Each distinct word looked up once (a text repeats many of its words).
    let mut analysed: HashMap<&str, bool> = HashMap::new();
    let hit: Vec<bool> = words.iter().map(|w| *analysed.entry(w).or_insert_with(|| words_seen.hits(w, lexicon, terms))).collect();
    let span = WORDS.min(words.len());
    let mut best = (0usize, 0usize);
    let mut count = hit[..span].iter().filter(|h| **h).count();
    best.1 = count;
    for start in 1..=words.len() - span {
        count = count + usize::from(hit[start + span - 1]) - usize::from(hit[start - 1]);
        if count > best.1 {
            best = (start, count);
        }
    }
    // Start a little before the first match of the window, for context.
    let first = (best.0..best.0 + span).find(|i| hit[*i]).unwrap_or(best.0);
    let start = first.saturating_sub(4).min(words.len() - span);
    let end = start + span;
    let mut out: Vec<Piece> = Vec::new();
    let mut words_shown: Vec<(&str, bool)> = Vec::with_capacity(span + 2);
    if start > 0 {
        words_shown.push(("…", false));
    }
    words_shown.extend((start..end).map(|i| (words[i], hit[i])));
    if end < words.len() {
        words_shown.push(("…", false));
    }
    for (i, (word, marked)) in words_shown.into_iter().enumerate() {
        let space = if i == 0 { "" } else { " " };
        match out.last_mut() {
            Some(p) if !p.marked => p.text.push_str(space),
            _ if !space.is_empty() => out.push(Piece { text: space.to_string(), marked: false }),
            _ => {}
        }
        match out.last_mut() {
            Some(p) if !p.marked && !marked => p.text.push_str(word),
            _ => out.push(Piece { text: word.to_string(), marked }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_densest_stretch_is_shown_with_its_matches_marked() {
        let filler = "woord ".repeat(60);
        let text = format!("{filler} De burgemeester sloot de hennepkwekerij op grond van art. 13b Opiumwet. {filler}");
        let terms: BTreeSet<String> = ["hennep".to_string(), "13b".to_string()].into();
        let s = snippet(&text, &terms, Lexicon::domain());
        let marked: Vec<&str> = s.iter().filter(|p| p.marked).map(|p| p.text.as_str()).collect();
        assert_eq!(marked, vec!["hennepkwekerij", "13b"], "{s:?}");
        assert!(s.first().is_some_and(|p| p.text.starts_with("… ")), "{s:?}");
        assert!(s.last().is_some_and(|p| p.text.ends_with('…')));
        let joined: String = s.iter().map(|p| p.text.as_str()).collect();
        assert!(joined.contains("de hennepkwekerij op grond"), "{joined}");
        assert!(joined.split_whitespace().count() <= WORDS + 2, "{joined}");
        assert!(snippet("", &terms, Lexicon::domain()).is_empty());
        let plain = snippet("Niets te vinden hier.", &terms, Lexicon::domain());
        assert_eq!(plain, vec![Piece { text: "Niets te vinden hier.".into(), marked: false }]);
    }

    #[test]
    fn remembered_words_answer_as_analysing_them_again_for_any_terms() {
        let words = Words::default();
        let text = "De burgemeester sloot de hennepkwekerij op grond van art. 13b Opiumwet; de hennepkwekerij bleef dicht.";
        let hennep: BTreeSet<String> = ["hennep".to_string()].into();
        let article: BTreeSet<String> = ["13b".to_string(), "burgemeester".to_string()].into();
        for terms in [&hennep, &article, &hennep] {
            assert_eq!(snippet_with(text, terms, Lexicon::domain(), &words), snippet(text, terms, Lexicon::domain()), "{terms:?}");
        }
        assert!(words.hits("hennepkwekerij", Lexicon::domain(), &hennep));
        assert!(!words.hits("hennepkwekerij", Lexicon::domain(), &article), "the terms are kept, not the answer");
        let long = "a".repeat(REMEMBERED_LENGTH + 1);
        assert!(!words.hits(&long, Lexicon::domain(), &hennep));
        assert!(words.terms.read().map(|t| !t.contains_key(&long) && t.contains_key("hennepkwekerij")).unwrap_or(false));
    }
}
