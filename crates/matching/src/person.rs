//! Dutch person names, normalised for comparison.

use crate::fold;

/// Voorvoegsels, longest first, folded; `v d`, `vd` and `v/d` stand for van de(r/n).
const PREFIXES: &[&str] = &[
    "van der", "van den", "van de", "van het", "van t", "in het", "in t", "op de", "op den", "op het", "op t", "uit de", "uit den", "uit het", "aan de", "aan den", "aan het",
    "bij de", "onder de", "over de", "voor de", "voor den", "von der", "v d", "v d", "van", "de", "der", "den", "het", "t", "te", "ter", "ten", "vd", "von", "zu", "du", "des",
    "la", "le", "d", "l", "el", "al", "ben", "bin", "da", "di", "dos", "del", "della", "vom", "am",
];

/// Common Dutch roepnamen and the official given name they stand for.
const ROEPNAMEN: &[(&str, &str)] = &[
    ("hans", "johannes"),
    ("jan", "johannes"),
    ("johan", "johannes"),
    ("joop", "johannes"),
    ("kees", "cornelis"),
    ("piet", "petrus"),
    ("pieter", "petrus"),
    ("klaas", "nicolaas"),
    ("henk", "hendrik"),
    ("rik", "hendrik"),
    ("wim", "willem"),
    ("bert", "albert"),
    ("gert", "gerrit"),
    ("harry", "hendrik"),
    ("jos", "josephus"),
    ("sjaak", "jacobus"),
    ("koos", "jacobus"),
    ("co", "jacobus"),
    ("ria", "maria"),
    ("marie", "maria"),
    ("mies", "maria"),
    ("annie", "anna"),
    ("to", "antonia"),
    ("toos", "catharina"),
    ("tiny", "catharina"),
    ("nel", "petronella"),
    ("lies", "elisabeth"),
    ("bep", "elisabeth"),
];

/// Transliteration variants that mean the same name (Mohammed/Mohamed/Muhammad).
const TRANSLITERATIONS: &[(&str, &str)] = &[
    ("muhammad", "mohamed"),
    ("mohammed", "mohamed"),
    ("mohammad", "mohamed"),
    ("muhammed", "mohamed"),
    ("mohamad", "mohamed"),
    ("ahmad", "ahmed"),
    ("achmed", "ahmed"),
    ("youssef", "yusuf"),
    ("yousef", "yusuf"),
    ("youssouf", "yusuf"),
    ("yussuf", "yusuf"),
    ("mustafa", "mustafa"),
    ("moustafa", "mustafa"),
    ("mostafa", "mustafa"),
];

/// A person's name in the form comparisons need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameKey {
    /// Given names, folded, in order.
    pub given: Vec<String>,
    /// The first letters of the given names (from initials when only those are known).
    pub initials: String,
    /// The voorvoegsel class: `vd` for every van de/der/den spelling, otherwise the folded prefix.
    pub prefix: String,
    /// The surname without voorvoegsel; double surnames keep both parts, space-separated.
    pub surname: String,
    /// Precomputed for comparisons: [`surname_key`] of the surname, and the surname read as a
    /// given name ([`canonical_given`], for swapped name fields).
    pub surname_key: String,
    pub surname_as_given: String,
}

fn prefix_class(p: &str) -> String {
    match p {
        "van der" | "van den" | "van de" | "v d" | "vd" => "vd".to_string(),
        other => other.to_string(),
    }
}

/// Splits the leading voorvoegsel off `words` (longest match).
fn take_prefix(words: &[&str]) -> (String, usize) {
    for p in PREFIXES {
        let n = p.split(' ').count();
        if words.len() > n && words[..n].join(" ") == *p {
            return (prefix_class(p), n);
        }
    }
    (String::new(), 0)
}

/// Canonical form of a given name for comparison: roepnaam → official name, transliteration →
/// one spelling.
pub fn canonical_given(name: &str) -> String {
    let n = fold(name);
    if let Some((_, c)) = TRANSLITERATIONS.iter().find(|(v, _)| *v == n) {
        return c.to_string();
    }
    if let Some((_, c)) = ROEPNAMEN.iter().find(|(v, _)| *v == n) {
        return c.to_string();
    }
    n
}

/// Phonetic-ish key of a surname: German/Turkish transliterations and doubled letters folded
/// (Özdemir, Ozdemir, Oezdemir → ozdemir).
pub fn surname_key(surname: &str) -> String {
    let mut s = fold(surname);
    for (from, to) in [("oe", "o"), ("ue", "u"), ("ae", "a"), ("ph", "f"), ("ck", "k"), ("dt", "t")] {
        if s.contains(from) {
            s = s.replace(from, to);
        }
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

fn split_given(text: &str) -> (Vec<String>, String) {
    // "J.W." or "J W" are initials; "Jan Willem" are names.
    let raw = text.replace('.', ". ");
    let words: Vec<&str> = raw.split_whitespace().collect();
    let mut given = Vec::new();
    let mut initials = String::new();
    for w in words {
        let f = fold(w.trim_end_matches('.'));
        if f.is_empty() {
            continue;
        }
        if f.chars().count() == 1 {
            initials.push_str(&f);
        } else {
            initials.push(f.chars().next().unwrap_or(' '));
            given.push(f);
        }
    }
    (given, initials)
}

/// Parses a full name as people write it: `Jan van der Berg`, `Berg, van der, Jan`,
/// `Berg, Jan van der`, `J.W. v.d. Berg`, `Jansen-de Vries, Anna`.
pub fn parse_name(raw: &str) -> NameKey {
    // A nickname in brackets: `Johannes (Hans) de Vries` keeps the official name.
    let without_brackets: String = {
        let mut depth = 0;
        raw.chars()
            .filter(|c| {
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                depth == 0 && *c != ')'
            })
            .collect()
    };
    // `v/d`, `v.d.` and `vd` are one prefix; keep hyphens of double surnames as a space.
    let abbreviated = ["/d", "/D", ".d.", ".D."].iter().any(|a| without_brackets.contains(a));
    let cleaned = if abbreviated {
        without_brackets.replace("v/d", "vd ").replace("V/D", "vd ").replace("v.d.", "vd ").replace("V.d.", "vd ").replace("V.D.", "vd ")
    } else {
        without_brackets
    };
    let parts: Vec<&str> = cleaned.split(',').collect();
    let (surname_part, given_part) = match parts.as_slice() {
        // `Berg, van der, Jan`: surname, voorvoegsel, given names.
        [s, p, g, ..] => (format!("{p} {s}"), g.to_string()),
        [s, g] => (s.to_string(), g.to_string()),
        _ => {
            // Without a comma: given names come first, up to the voorvoegsel or the last word.
            let folded_words: Vec<String> = cleaned.split_whitespace().map(fold).collect();
            let words: Vec<&str> = folded_words.iter().map(String::as_str).collect();
            let mut split = words.len().saturating_sub(1);
            // A double surname (`Jansen-de Vries`) starts at the first hyphenated word.
            let original_words: Vec<&str> = cleaned.split_whitespace().collect();
            if let Some(h) = original_words.iter().position(|w| w.contains('-')) {
                split = split.min(h.max(1));
            }
            for i in 0..split.max(1).min(words.len()) {
                let (p, n) = take_prefix(&words[i..]);
                if n > 0 && !p.is_empty() && i > 0 {
                    split = i;
                    break;
                }
            }
            let original: Vec<&str> = cleaned.split_whitespace().collect();
            (original[split.min(original.len())..].join(" "), original[..split.min(original.len())].join(" "))
        }
    };
    // The given part may end in the voorvoegsel: `Berg, Jan van der`.
    let given_words: Vec<String> = given_part.split_whitespace().map(String::from).collect();
    let mut trailing_prefix = String::new();
    // One letter with a full stop (`T.`) is an initial, never the voorvoegsel `'t`.
    let initial = |w: &String| w.len() == 2 && w.ends_with('.');
    for k in (1..=given_words.len().min(3)).rev() {
        if given_words[given_words.len() - k..].iter().any(initial) {
            continue;
        }
        let tail = given_words[given_words.len() - k..].iter().map(|w| fold(w)).collect::<Vec<_>>().join(" ");
        if PREFIXES.contains(&tail.as_str()) && given_words.len() > k || (PREFIXES.contains(&tail.as_str()) && k == given_words.len() && !tail.is_empty()) {
            trailing_prefix = prefix_class(&tail);
            break;
        }
    }
    let given_text = if trailing_prefix.is_empty() {
        given_words.join(" ")
    } else {
        let k = given_words.len() - given_words.iter().rev().take_while(|w| !initial(w) && PREFIXES.contains(&fold(w).as_str())).count();
        given_words[..k].join(" ")
    };
    let surname_words: Vec<String> = surname_part.replace('-', " ").split_whitespace().map(fold).filter(|w| !w.is_empty()).collect();
    let refs: Vec<&str> = surname_words.iter().map(String::as_str).collect();
    let (lead_prefix, n) = take_prefix(&refs);
    // Inner prefixes of double surnames (`Jansen-de Vries`) are dropped from the key.
    let core: Vec<&str> = refs[n..].iter().copied().filter(|w| !PREFIXES.contains(w) || refs.len() - n == 1).collect();
    let (given, initials) = split_given(&given_text);
    let surname = core.join(" ");
    NameKey {
        given: given.iter().map(|g| canonical_given(g)).collect(),
        initials,
        prefix: if lead_prefix.is_empty() { trailing_prefix } else { lead_prefix },
        surname_key: surname_key(&surname),
        surname_as_given: canonical_given(&surname),
        surname,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(cases: &[(&str, &[&str], &str, &str, &str)]) {
        for (input, given, initials, prefix, surname) in cases {
            let k = parse_name(input);
            assert_eq!(k.given, given.iter().map(|s| s.to_string()).collect::<Vec<_>>(), "given of {input:?}");
            assert_eq!(k.initials, *initials, "initials of {input:?}");
            assert_eq!(k.prefix, *prefix, "prefix of {input:?}");
            assert_eq!(k.surname, *surname, "surname of {input:?}");
        }
    }

    #[test]
    fn every_order_and_spelling_of_a_dutch_name() {
        check(&[
            ("Jan van der Berg", &["johannes"], "j", "vd", "berg"),
            ("Berg, van der, Jan", &["johannes"], "j", "vd", "berg"),
            ("Berg, Jan van der", &["johannes"], "j", "vd", "berg"),
            ("J. v.d. Berg", &[], "j", "vd", "berg"),
            ("J.W. v/d Berg", &[], "jw", "vd", "berg"),
            ("van den Berg, J.W.", &[], "jw", "vd", "berg"),
            ("Pieter de Vries", &["petrus"], "p", "de", "vries"),
            ("Anna Jansen-de Vries", &["anna"], "a", "", "jansen vries"),
            ("Johannes (Hans) van Dijk", &["johannes"], "j", "van", "dyk"),
            ("Hans van Dyk", &["johannes"], "h", "van", "dyk"),
            ("Mohammed el Amrani", &["mohamed"], "m", "el", "amrani"),
            ("Muhammad El Amrani", &["mohamed"], "m", "el", "amrani"),
            ("Ayşe Özdemir", &["ayse"], "a", "", "ozdemir"),
            ("Kees 't Hart", &["cornelis"], "k", "t", "hart"),
            ("Hart, Kees 't", &["cornelis"], "k", "t", "hart"),
            ("Claassen, T.", &[], "t", "", "claassen"),
            ("Claassen, T. ", &[], "t", "", "claassen"),
            ("Berg, D. van den", &[], "d", "vd", "berg"),
            ("Jansen", &[], "", "", "jansen"),
        ]);
    }

    #[test]
    fn surname_keys_meet_across_transliterations() {
        for (a, b) in [("Özdemir", "Oezdemir"), ("Ozdemir", "Oezdemir"), ("Dijk", "Dyk"), ("Dĳk", "Dijk"), ("Smidt", "Smit"), ("Philips", "Filips")] {
            assert_eq!(surname_key(a), surname_key(b), "{a} ~ {b}");
        }
        assert_ne!(surname_key("Berg"), surname_key("Bergh"));
    }
}
