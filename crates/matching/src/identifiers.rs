//! Identifier rules shared by every scorer ([`crate::model::Model::score`],
//! [`crate::packed::Packed::score`], [`crate::clk::score`]): which kinds identify one entity,
//! which rule a pair out when they differ, when names and dates corroborate a wrong number, and
//! then hands look-alikes to [`crate::household`].

use crate::compare::Agreement;
use crate::household::hold_look_alike;
use crate::model::{compare_code, Explanation, Field, Model, Pattern};
use crate::record::Record;

/// The unique identifier kinds present on both sides whose values all differ beyond a typo.
pub fn conflicting_identifiers<'a>(a: &'a Record, b: &'a Record) -> impl Iterator<Item = &'a str> + 'a {
    a.identifiers.iter().filter(|(k, _)| is_unique(k)).filter_map(move |(k, v)| {
        let mut same_kind = b.identifiers.iter().filter(|(k2, _)| k2 == k).peekable();
        (same_kind.peek().is_some() && same_kind.all(|(_, v2)| compare_code(v, v2) == Agreement::Disagree)).then_some(k.as_str())
    })
}

/// Identifiers of the same kind on both sides: `Exact` when one pair is equal (with its kind),
/// `Similar` when one is a typo away, `Disagree` when all differ, `Missing` when no kind is
/// shared. Only `Exact` can make a deterministic match.
pub fn compare_identifiers(a: &Record, b: &Record) -> (Agreement, Option<String>) {
    let mut best = Agreement::Missing;
    for (k, v) in &a.identifiers {
        for (k2, v2) in &b.identifiers {
            if k == k2 {
                let level = compare_code(v, v2);
                if level == Agreement::Exact {
                    return (Agreement::Exact, Some(k.clone()));
                }
                best = best.max(level);
            }
        }
    }
    (best, None)
}

/// Identifier kinds that several entities may share by nature (a household's telephone number
/// or e-mail address, a company's website): an equal value is evidence, not proof, and
/// different values do not rule a pair out. Every other kind identifies one entity.
pub const SHARED: &[&str] = &["telefoon", "email", "website"];

/// The mark a mapping puts before a kind it declares shared (`--shared-id`), for kinds that
/// are not in [`SHARED`].
pub const SHARED_MARK: char = '~';

/// Registry numbers with a check digit or a register behind them: two values that differ
/// beyond a typo are two entities, whatever else agrees.
pub const RULING: &[&str] = &["bsn", "kvk", "rsin", "iban", "kenteken", "bag"];

/// The mark a mapping puts before a kind it declares ruling (`--ruling-id`).
pub const RULING_MARK: char = '!';

/// Does an identifier of this kind identify one entity? Then an equal value is a match by
/// itself, and a different value is strong evidence against (its weight estimated like any
/// field's). Every declared kind is, unless it is in [`SHARED`] or marked shared.
pub fn is_unique(kind: &str) -> bool {
    !kind.starts_with(SHARED_MARK) && !SHARED.contains(&kind)
}

/// Do the names and the birth date (a person), or the name and the address (a company), agree
/// at least closely — none of them different, at least two of them there? Then a different
/// value of a unique identifier that is not [`is_ruling`] is more likely a wrong number in one
/// source than a second entity.
pub fn corroborated(p: &Pattern) -> bool {
    let person = [Field::Surname, Field::GivenName, Field::BirthDate];
    let fields: &[Field] = if person.iter().any(|f| p[*f as usize] != Agreement::Missing) { &person } else { &[Field::CompanyName, Field::Address] };
    let levels = fields.iter().map(|f| p[*f as usize]);
    !levels.clone().any(|l| l == Agreement::Disagree) && levels.filter(|l| *l >= Agreement::Similar).count() >= 2
}

/// Does a conflicting identifier of `kind` rule out the pair compared as `p`? Always for a
/// ruling kind; for another unique kind unless names and date corroborate the match — so
/// relatives at one address, twins and a father and son of one name, each with a number of
/// their own, are kept apart.
pub fn rules_out(kind: &str, p: &Pattern) -> bool {
    is_ruling(kind) || !corroborated(p)
}

/// The kind as the mapping named it, without the mark of [`SHARED_MARK`] or [`RULING_MARK`].
pub fn plain_kind(kind: &str) -> &str {
    kind.trim_start_matches([SHARED_MARK, RULING_MARK])
}

/// Does a different value of this kind rule a pair out by itself? For [`RULING`] kinds and
/// kinds a mapping marks ruling; other unique kinds (a social security number copied from a
/// form) are evidence only, because sources do carry a wrong number for the right person.
pub fn is_ruling(kind: &str) -> bool {
    kind.starts_with(RULING_MARK) || RULING.contains(&kind)
}

/// What every scorer does after adding up the field weights of `p`: an identifier `equal` on
/// both sides (its kind) makes a certain match when the kind is unique and both records are of
/// one kind (`same_kind`); otherwise the first of `conflicts` (unique kinds that differ beyond a
/// typo) that [`rules_out`] the pair holds it at 0.01; then [`hold_look_alike`] with `model`.
pub fn decide<'k, I: IntoIterator<Item = &'k str>>(e: &mut Explanation, p: &Pattern, model: &Model, equal: Option<&str>, same_kind: bool, conflicts: impl FnOnce() -> I) {
    match equal {
        Some(kind) => {
            if is_unique(kind) && same_kind {
                e.probability = 1.0;
                e.deterministic = Some(plain_kind(kind).to_string());
            }
        }
        None => {
            if let Some(kind) = conflicts().into_iter().find(|k| rules_out(k, p)) {
                // A unique identifier on both sides that differs by more than a typo: two entities.
                e.probability = e.probability.min(0.01);
                e.conflict = Some(plain_kind(kind).to_string());
            }
        }
    }
    hold_look_alike(e, p, model);
}
