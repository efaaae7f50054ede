//! Company names: legal forms and punctuation removed, the trade name separated from the
//! statutory name.

use crate::fold;

/// Dutch (and common foreign) legal forms, as folded word sequences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegalForm {
    Bv,
    Nv,
    Vof,
    Cv,
    Stichting,
    Vereniging,
    Cooperatie,
    Eenmanszaak,
    Maatschap,
    Gmbh,
    Ltd,
}

const FORMS: &[(&[&str], LegalForm)] = &[
    (&["besloten", "vennootschap"], LegalForm::Bv),
    (&["naamloze", "vennootschap"], LegalForm::Nv),
    (&["vennootschap", "onder", "firma"], LegalForm::Vof),
    (&["commanditaire", "vennootschap"], LegalForm::Cv),
    (&["b", "v"], LegalForm::Bv),
    (&["bv"], LegalForm::Bv),
    (&["n", "v"], LegalForm::Nv),
    (&["nv"], LegalForm::Nv),
    (&["v", "o", "f"], LegalForm::Vof),
    (&["vof"], LegalForm::Vof),
    (&["c", "v"], LegalForm::Cv),
    (&["cv"], LegalForm::Cv),
    (&["stichting"], LegalForm::Stichting),
    (&["stg"], LegalForm::Stichting),
    (&["vereniging"], LegalForm::Vereniging),
    (&["cooperatie"], LegalForm::Cooperatie),
    (&["cooperatieve"], LegalForm::Cooperatie),
    (&["u", "a"], LegalForm::Cooperatie),
    (&["ua"], LegalForm::Cooperatie),
    (&["eenmanszaak"], LegalForm::Eenmanszaak),
    (&["maatschap"], LegalForm::Maatschap),
    (&["gmbh"], LegalForm::Gmbh),
    (&["ltd"], LegalForm::Ltd),
    (&["limited"], LegalForm::Ltd),
];

/// Words that describe the kind of company rather than name it.
const NOISE: &[&str] = &["holding", "beheer", "groep", "group", "de", "het", "en", "the"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompanyKey {
    /// The distinguishing words, without legal form and descriptive words.
    pub core: String,
    pub legal_form: Option<LegalForm>,
    /// `holding` or `beheer` occurred: often the parent of an operating company of the same name.
    pub holding: bool,
    /// The trade name when the input said `h.o.d.n.` (handelend onder de naam).
    pub trade_name: Option<String>,
}

/// Normalises a company name: `Bakkerij Jansen B.V.`, `BAKKERIJ JANSEN BV` and
/// `Besloten Vennootschap Bakkerij Jansen` get the same core.
pub fn parse_company(raw: &str) -> CompanyKey {
    // Voorvoegsels in a company name (`Van der Berg`, `V.d. Berg`) collapse into one class.
    let folded = format!(" {} ", fold(raw)).replace(" van der ", " vd ").replace(" van den ", " vd ").replace(" van de ", " vd ").replace(" v d ", " vd ");
    let folded = folded.trim().to_string();
    // `X h.o.d.n. Y`: X is the statutory name, Y the trade name.
    let (statutory, trade) = match folded.split_once(" h o d n ").or_else(|| folded.split_once(" hodn ")) {
        Some((a, b)) => (a.to_string(), Some(b.to_string())),
        None => (folded, None),
    };
    let words: Vec<&str> = statutory.split(' ').filter(|w| !w.is_empty()).collect();
    let mut legal_form = None;
    let mut kept = Vec::new();
    let mut holding = false;
    let mut i = 0;
    'outer: while i < words.len() {
        for (form, kind) in FORMS {
            if words.len() >= i + form.len() && words[i..i + form.len()] == **form {
                legal_form = legal_form.or(Some(*kind));
                i += form.len();
                continue 'outer;
            }
        }
        if words[i] == "holding" || words[i] == "beheer" {
            holding = true;
        }
        if !NOISE.contains(&words[i]) {
            kept.push(words[i]);
        }
        i += 1;
    }
    CompanyKey { core: kept.join(" "), legal_form, holding, trade_name: trade.map(|t| parse_company(&t).core) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legal_forms_and_punctuation_do_not_matter() {
        let same = ["Bakkerij Jansen B.V.", "BAKKERIJ JANSEN BV", "Besloten Vennootschap Bakkerij Jansen", "Bakkerij Jansen b.v", "bakkerij  jansen, B. V."];
        for s in same {
            let k = parse_company(s);
            assert_eq!(k.core, "bakkery jansen", "{s}"); // ij and y are one letter here
            assert_eq!(k.legal_form, Some(LegalForm::Bv), "{s}");
        }
        assert_eq!(parse_company("Stichting Vrienden van het Park").legal_form, Some(LegalForm::Stichting));
        assert_eq!(parse_company("Jansen Holding B.V.").core, "jansen");
        assert!(parse_company("Jansen Beheer BV").holding);
        assert_eq!(parse_company("V.O.F. De Gouden Leeuw").core, "gouden leeuw");
        let k = parse_company("Jansen Vastgoed B.V. h.o.d.n. Stadswonen");
        assert_eq!((k.core.as_str(), k.trade_name.as_deref()), ("jansen vastgoed", Some("stadswonen")));
        assert_eq!(parse_company("Van der Berg Vastgoed Holding B.V.").core, parse_company("V.d. Berg Vastgoed Holding BV").core);
        assert_eq!(parse_company("Coöperatie Boerenbelang U.A.").legal_form, Some(LegalForm::Cooperatie));
    }
}
