//! Text that people enter: which characters never belong in it, and the key under which names
//! must be unique.
//!
//! Control characters (NUL, ESC, DEL, the C1 range) break storage and terminals; bidirectional
//! overrides and invisible characters (zero-width space and joiners, word joiner, BOM) make a
//! text look like another one — an attachment `factuur<U+202E>fdp.exe` shows as `factuurexe.pdf`, and
//! "Nationale Politie" with a zero-width space looks like the real organisation. They are refused
//! everywhere; tab and newline stay allowed. Names are unique by their [`name_key`]: the shown
//! name keeps its form, but look-alikes (case, width, spacing, invisible characters, Greek or
//! Cyrillic letters that look Latin) collide.

use unicode_normalization::UnicodeNormalization;

/// Is `c` never acceptable in entered text?
pub fn is_unsafe(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
}

/// The first unsafe character of `value`, as a Dutch explanation for the field error.
pub fn unsafe_char_message(value: &str) -> Option<String> {
    value.chars().find(|c| is_unsafe(*c)).map(|c| format!("Dit veld bevat een besturingsteken of onzichtbaar teken (U+{:04X}); haal het weg.", c as u32))
}

/// The key under which names are unique: NFKC (full-width and compatibility forms folded),
/// lower case, invisible characters removed, white space collapsed, and the confusable skeleton
/// of UTS #39 (so a Greek `Ρ` equals a Latin `P`).
pub fn name_key(name: &str) -> String {
    let folded: String = name.nfkc().filter(|c| !is_unsafe(*c)).flat_map(char::to_lowercase).collect();
    let collapsed = folded.split_whitespace().collect::<Vec<_>>().join(" ");
    let skeleton: String = unicode_security::confusable_detection::skeleton(&collapsed).collect();
    skeleton.chars().flat_map(char::to_lowercase).collect()
}

/// A stable key made of a name for use in addresses: lower-case ASCII letters and digits joined
/// by single hyphens, accents dropped (`Drugshandel en -smokkel` → `drugshandel-en-smokkel`), at
/// most 50 characters; empty when the name has no letter or digit.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.nfd() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if (c.is_whitespace() || c.is_ascii_punctuation()) && !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut s: String = out.chars().take(50).collect();
    while s.ends_with('-') {
        s.pop();
    }
    s
}

/// Neutralises a CSV cell for spreadsheet programs: a cell that would start a formula (`=`, `+`,
/// `-`, `@`, also in their full-width forms, or a tab or carriage return) gets a leading `'`.
pub fn csv_safe(value: &str) -> String {
    let first = value.chars().next().map(|c| c.to_string().nfkc().next().unwrap_or(c));
    if matches!(first, Some('=' | '+' | '-' | '@' | '\t' | '\r')) {
        format!("'{value}")
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_characters_are_found() {
        for bad in ["a\u{0}b", "titel\u{1b}[31m", "x\u{7f}", "x\u{85}", "factuur\u{202e}fdp.exe", "Nationale\u{200b} Politie", "\u{feff}Politie", "a\u{2066}b"] {
            assert!(unsafe_char_message(bad).is_some(), "{bad:?}");
        }
        for ok in ["Gewoon tekst", "regel één\nregel twee\tmet tab", "Café ’t Hoekje", "ĳsbaan"] {
            assert!(unsafe_char_message(ok).is_none(), "{ok:?}");
        }
    }

    #[test]
    fn look_alike_names_share_a_key() {
        let real = name_key("Nationale Politie");
        for alike in [
            "nationale politie",
            "Nationale  Politie",
            " Nationale Politie ",
            "Nationale \u{200b}Politie",
            "\u{feff}Nationale Politie",
            "Nationale \u{03a1}olitie",
            "Ｎａｔｉｏｎａｌｅ Ｐｏｌｉｔｉｅ",
            "NATIONALE POLITIE",
        ] {
            assert_eq!(name_key(alike), real, "{alike:?}");
        }
        assert_ne!(name_key("Nationale Politie Oost"), real);
        assert_ne!(name_key("Belastingdienst"), real);
    }

    #[test]
    fn csv_cells_never_start_a_formula() {
        assert_eq!(csv_safe("=1+1"), "'=1+1");
        assert_eq!(csv_safe("\u{ff1d}HYPERLINK(\"x\")"), "'\u{ff1d}HYPERLINK(\"x\")");
        assert_eq!(csv_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_safe("\tcmd"), "'\tcmd");
        assert_eq!(csv_safe("Jansen"), "Jansen");
    }

    #[test]
    fn a_slug_keeps_letters_and_digits_and_drops_accents() {
        assert_eq!(slug("Drugshandel en -smokkel"), "drugshandel-en-smokkel");
        assert_eq!(slug("Outlaw motorcycle gangs (OMG's)"), "outlaw-motorcycle-gangs-omg-s");
        assert_eq!(slug("Cocaïne via havens"), "cocaine-via-havens");
        assert_eq!(slug("  ---  "), "");
        assert!(slug(&"a b ".repeat(40)).len() <= 50);
    }
}
