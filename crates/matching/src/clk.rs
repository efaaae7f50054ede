//! Privacy-preserving record linkage: keyed Bloom-filter encodings (CLK) compared by Dice
//! similarity, and keyed hashes of exact identifiers.
//!
//! A [`Secret`] keys every hash with HMAC-SHA256, so an encoding says nothing to whoever does
//! not hold the secret, and two encodings can only be compared when they were made with the
//! same one. The secret is a parameter: this module never reads, stores or prints it (its
//! `Debug` is redacted), and [`Secret::check`] gives a value that tells a wrong secret apart
//! without revealing it.
//!
//! Each record is normalised first ([`Record`]), so the Dutch spelling rules (voorvoegsels,
//! legal forms, postcodes, roepnamen, transliterations) apply before encoding. Each field adds
//! its tokens (character bigrams of names, whole tokens for dates and postcodes) to one
//! 1024-bit filter, with a number of bit positions per token that weighs the field.
//!
//! Dice similarity counts the bits two filters share ([`crate::dice`] counts them with the
//! fastest popcount the CPU has).

use crate::blocking::{BlockingReport, MAX_BLOCK};
use crate::compare::Agreement;
pub use crate::dice::{dice, Kernel};
use crate::link::{estimate, random_pairs, LinkOptions};
use crate::model::{decide, is_unique, Explanation, Field, Model, Pattern, FIELDS, N};
use crate::person::canonical_given;
use crate::record::{Kind, Record};
use crate::tally::Tally;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::collections::HashMap;

/// Right encodings compared per block (128 KiB): a block stays in a core's L2 cache while
/// every left encoding passes over it.
pub const BLOCK: usize = 1024;

/// Bits in one encoding.
pub const CLK_BITS: usize = 1024;
const WORDS: usize = CLK_BITS / 64;

/// One Bloom-filter encoding of a record.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(C, align(64))]
pub struct Clk(pub [u64; WORDS]);

impl Default for Clk {
    fn default() -> Self {
        Clk([0; WORDS])
    }
}

impl Clk {
    fn set(&mut self, bit: usize) {
        self.0[bit / 64] |= 1 << (bit % 64);
    }

    /// The number of bits set.
    pub fn count(&self) -> u32 {
        self.0.iter().map(|w| w.count_ones()).sum()
    }

    pub fn to_base64(&self) -> String {
        let mut bytes = Vec::with_capacity(CLK_BITS / 8);
        for w in self.0 {
            bytes.extend_from_slice(&w.to_le_bytes());
        }
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }

    /// `None` when `text` is not the base64 of exactly 128 bytes.
    pub fn from_base64(text: &str) -> Option<Clk> {
        let bytes = base64::engine::general_purpose::STANDARD.decode(text.trim()).ok()?;
        if bytes.len() != CLK_BITS / 8 {
            return None;
        }
        let mut clk = Clk::default();
        for (w, chunk) in clk.0.iter_mut().zip(bytes.chunks_exact(8)) {
            let mut b = [0u8; 8];
            b.copy_from_slice(chunk);
            *w = u64::from_le_bytes(b);
        }
        Some(clk)
    }
}

/// Why a secret cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretError {
    /// Fewer than [`Secret::MIN_LEN`] bytes after trimming.
    TooShort(usize),
}

impl std::fmt::Display for SecretError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SecretError::TooShort(n) => write!(f, "de sleutel is {n} tekens lang; er zijn er minstens {} nodig", Secret::MIN_LEN),
        }
    }
}

/// The key of every hash. Cloning copies the keyed state, not the text.
#[derive(Clone)]
pub struct Secret {
    mac: Hmac<Sha256>,
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<verborgen>)")
    }
}

impl Secret {
    pub const MIN_LEN: usize = 16;

    /// A secret from its bytes (surrounding whitespace, such as a file's final newline, is
    /// ignored).
    pub fn new(bytes: &[u8]) -> Result<Secret, SecretError> {
        let trimmed = bytes.trim_ascii();
        if trimmed.len() < Self::MIN_LEN {
            return Err(SecretError::TooShort(trimmed.len()));
        }
        Hmac::<Sha256>::new_from_slice(trimmed).map(|mac| Secret { mac }).map_err(|_| SecretError::TooShort(trimmed.len()))
    }

    fn digest(&self, label: &str, counter: u8, token: &str) -> [u8; 32] {
        let mut mac = self.mac.clone();
        mac.update(label.as_bytes());
        mac.update(&[0x1f, counter]);
        mac.update(token.as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// A check value of the secret (16 hex digits): equal for equal secrets, and useless for
    /// finding the secret. Encoded lists carry it so that a list made with another secret is
    /// refused instead of silently finding nothing.
    pub fn check(&self) -> String {
        hex8(&self.digest("sleutelcontrole", 0, "knooppunt"))
    }

    /// The keyed hash of an exact value such as an identifier or a blocking key (32 hex digits).
    pub fn hash(&self, label: &str, value: &str) -> String {
        let d = self.digest(label, 0, value);
        let mut out = String::with_capacity(32);
        for b in &d[..16] {
            out.push_str(&format!("{b:02x}"));
        }
        out
    }

    /// `k` keyed 16-bit positions for `token` of field `label`.
    fn positions(&self, label: &str, token: &str, k: usize, out: &mut Vec<usize>) {
        let mut counter = 0u8;
        while out.len() < k {
            let d = self.digest(label, counter, token);
            for pair in d.chunks_exact(2) {
                if out.len() == k {
                    break;
                }
                out.push(usize::from(pair[0]) << 8 | usize::from(pair[1]));
            }
            counter = counter.wrapping_add(1);
        }
    }

    /// The 64-bit keyed hash of a blocking key.
    pub fn key_hash(&self, key: &str) -> u64 {
        let d = self.digest("blokkeersleutel", 0, key);
        let mut b = [0u8; 8];
        b.copy_from_slice(&d[..8]);
        u64::from_le_bytes(b)
    }
}

fn hex8(d: &[u8; 32]) -> String {
    d[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// An encoded record: what leaves the partner, and all the platform holds in encoded mode.
#[derive(Clone, Debug, PartialEq)]
pub struct Encoded {
    pub kind: Kind,
    /// The record-level filter (all fields in one), for all-pairs Dice screening.
    pub clk: Clk,
    /// One small filter per compared field ([`crate::model::FIELDS`]); `None` when missing.
    pub fields: [Option<FieldFilter>; N],
    /// The surname's bigrams as a given name's (same key, same positions), in a filter of its
    /// own and not in [`Encoded::clk`]: given name and surname swapped between two sources meet
    /// in it ([`swapped`]). `None` without a surname, and in encodings made before it.
    pub surname_as_given: Option<FieldFilter>,
    /// Keyed hashes of the blocking keys: equal keys meet, and nothing else is learnt.
    pub keys: Vec<u64>,
    /// Keyed hashes of the exact identifiers, as `kind:hash` (the kind, e.g. `bsn`, is not
    /// secret; the value is).
    pub identifiers: Vec<String>,
}

impl Encoded {
    /// Does the encoding carry anything to compare?
    pub fn is_empty(&self) -> bool {
        self.clk.count() == 0 && self.identifiers.is_empty()
    }

    /// The field filters as base64: a presence mask byte, then 32 bytes per present field, then
    /// 32 bytes of [`Encoded::surname_as_given`] when there is one.
    pub fn fields_to_base64(&self) -> String {
        let mut bytes = vec![0u8];
        for (i, f) in self.fields.iter().enumerate() {
            if let Some(f) = f {
                bytes[0] |= 1 << i;
                for w in f.0 {
                    bytes.extend_from_slice(&w.to_le_bytes());
                }
            }
        }
        for w in self.surname_as_given.iter().flat_map(|f| f.0) {
            bytes.extend_from_slice(&w.to_le_bytes());
        }
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }

    /// The inverse of [`Encoded::fields_to_base64`]: the field filters and
    /// [`Encoded::surname_as_given`] (absent in encodings made before it); `None` when
    /// malformed.
    pub fn fields_from_base64(text: &str) -> Option<([Option<FieldFilter>; N], Option<FieldFilter>)> {
        let bytes = base64::engine::general_purpose::STANDARD.decode(text.trim()).ok()?;
        let (mask, mut rest) = bytes.split_first()?;
        let mut out = [None; N];
        for (i, slot) in out.iter_mut().enumerate() {
            if mask & (1 << i) != 0 {
                if rest.len() < 32 {
                    return None;
                }
                *slot = Some(FieldFilter::from_bytes(&rest[..32]));
                rest = &rest[32..];
            }
        }
        match rest.len() {
            0 => Some((out, None)),
            32 => Some((out, Some(FieldFilter::from_bytes(rest)))),
            _ => None,
        }
    }

    /// The blocking-key hashes as `;`-separated hex.
    pub fn keys_to_text(&self) -> String {
        self.keys.iter().map(|k| format!("{k:016x}")).collect::<Vec<_>>().join(";")
    }

    pub fn keys_from_text(text: &str) -> Option<Vec<u64>> {
        text.split(';').map(str::trim).filter(|k| !k.is_empty()).map(|k| u64::from_str_radix(k, 16).ok()).collect()
    }
}

/// A 256-bit Bloom filter of one field.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct FieldFilter(pub [u64; 4]);

impl FieldFilter {
    /// From 32 little-endian bytes (as [`Encoded::fields_to_base64`] writes them).
    fn from_bytes(bytes: &[u8]) -> FieldFilter {
        let mut f = FieldFilter::default();
        for (w, chunk) in f.0.iter_mut().zip(bytes.chunks_exact(8)) {
            let mut b = [0u8; 8];
            b.copy_from_slice(chunk);
            *w = u64::from_le_bytes(b);
        }
        f
    }

    /// Sets the bit of hash position `p`.
    fn set(&mut self, p: usize) {
        self.0[(p % 256) / 64] |= 1 << (p % 64);
    }

    fn count(&self) -> u32 {
        self.0.iter().map(|w| w.count_ones()).sum()
    }

    /// Is one of the two filters an initial alone (at most the 8 bits of one bigram) whose bits
    /// are all in the other, a written-out name? Then the initial agrees with the name.
    pub fn initial_of(&self, other: &FieldFilter) -> bool {
        let (small, large) = if self.count() <= other.count() { (self, other) } else { (other, self) };
        let shared: u32 = small.0.iter().zip(large.0.iter()).map(|(a, b)| (a & b).count_ones()).sum();
        small.count() <= 8 && large.count() > 8 && shared == small.count()
    }

    /// Dice similarity of two field filters.
    pub fn dice(&self, other: &FieldFilter) -> f64 {
        let total = self.count() + other.count();
        if total == 0 {
            return 0.0;
        }
        let shared: u32 = self.0.iter().zip(other.0.iter()).map(|(a, b)| (a & b).count_ones()).sum();
        2.0 * f64::from(shared) / f64::from(total)
    }
}

/// Collects a field's tokens into both the record filter and the field's own filter.
struct Builder<'a> {
    secret: &'a Secret,
    clk: Clk,
    fields: [Option<FieldFilter>; N],
}

impl Builder<'_> {
    fn token(&mut self, field: Field, label: &str, token: &str, k: usize) {
        self.token_apart(field, label, token, k, k);
    }

    /// A token with `k` positions in the record filter and the first `in_field` of them in the
    /// field's own filter (256 bits, which long names would otherwise fill).
    fn token_apart(&mut self, field: Field, label: &str, token: &str, k: usize, in_field: usize) {
        let mut positions = Vec::with_capacity(k);
        self.secret.positions(label, token, k, &mut positions);
        let f = self.fields[field as usize].get_or_insert_with(FieldFilter::default);
        for (n, p) in positions.into_iter().enumerate() {
            self.clk.set(p % CLK_BITS);
            if n < in_field {
                f.set(p);
            }
        }
    }

    fn bigrams(&mut self, field: Field, label: &str, text: &str, k: usize) {
        self.bigrams_apart(field, label, text, k, k);
    }

    fn bigrams_apart(&mut self, field: Field, label: &str, text: &str, k: usize, in_field: usize) {
        for g in bigrams(text) {
            self.token_apart(field, label, &g, k, in_field);
        }
    }
}

/// Character bigrams of ` word ` (padded, so first and last letters count).
fn bigrams(word: &str) -> impl Iterator<Item = String> + '_ {
    let chars: Vec<char> = std::iter::once(' ').chain(word.chars()).chain(std::iter::once(' ')).collect();
    (0..chars.len().saturating_sub(1)).map(move |i| chars[i..i + 2].iter().collect())
}

/// The key label and the bit positions per bigram of the given name, which the surname read as
/// a given name ([`Encoded::surname_as_given`]) shares.
const GIVEN_LABEL: &str = "voornaam";
const GIVEN_POSITIONS: usize = 8;

/// Encodes a normalised record with `secret`.
pub fn encode(secret: &Secret, r: &Record) -> Encoded {
    let mut b = Builder { secret, clk: Clk::default(), fields: [None; N] };
    let mut surname_as_given = None;
    if let Some(name) = &r.name {
        if !name.surname.is_empty() {
            b.bigrams(Field::Surname, "achternaam", &name.surname_key, 12);
            // As the given name's bigrams below (label, positions), in no other filter.
            let mut f = FieldFilter::default();
            let mut positions = Vec::with_capacity(GIVEN_POSITIONS);
            for g in bigrams(&name.surname_as_given) {
                positions.clear();
                secret.positions(GIVEN_LABEL, &g, GIVEN_POSITIONS, &mut positions);
                positions.iter().for_each(|p| f.set(*p));
            }
            surname_as_given = Some(f);
        }
        if let Some(first) = name.given.first() {
            b.bigrams(Field::GivenName, GIVEN_LABEL, &canonical_given(first), GIVEN_POSITIONS);
        } else if let Some(initial) = name.initials.chars().next() {
            // The first bigram a written-out name starting with it has: its bits are in that
            // name's filter too, so `pattern` can tell "J." and "Jan" agree (see
            // `FieldFilter::initial_of`).
            b.token(Field::GivenName, GIVEN_LABEL, &format!(" {initial}"), GIVEN_POSITIONS);
        }
    }
    if let Some(company) = &r.company {
        // Company names are long: at 14 positions a bigram their field filters were mostly
        // ones, and random names looked similar (u of "similar" 0.46); 4 keep them apart.
        b.bigrams_apart(Field::CompanyName, "bedrijfsnaam", &company.core, 14, 4);
        if let Some(trade) = &company.trade_name {
            b.bigrams_apart(Field::CompanyName, "handelsnaam", trade, 6, 2);
        }
    }
    if let Some((y, m, d)) = r.birth {
        // Day and month as an unordered pair: a swapped date still shares them.
        b.token(Field::BirthDate, "geboortejaar", &y.to_string(), 24);
        b.token(Field::BirthDate, "geboortedag", &m.min(d).to_string(), 16);
        b.token(Field::BirthDate, "geboortedag", &m.max(d).to_string(), 16);
        b.token(Field::BirthDate, "geboortedatum", &format!("{y:04}{m:02}{d:02}"), 8);
    }
    if let Some(address) = &r.address {
        let (postcode, number) = address.split_once(' ').unwrap_or((address.as_str(), ""));
        b.token(Field::Address, "postcode", postcode, 16);
        b.token(Field::Address, "postcode4", postcode.get(..4).unwrap_or(postcode), 8);
        b.token(Field::Address, "adres", address, 16);
        b.token(Field::Address, "huisnummer", number, 4);
    } else if !r.street.is_empty() {
        b.bigrams(Field::Address, "straat", &r.street, 3);
    }
    if !r.postcode.is_empty() {
        b.bigrams(Field::Postcode, "buitenlandse postcode", &r.postcode, 6);
    }
    if !r.place.is_empty() {
        b.bigrams(Field::Place, "plaats", &r.place, 2);
    }
    for (k, v) in &r.identifiers {
        // Also in a filter, so that a typo in a number still counts as similar.
        b.bigrams(Field::Identifier, k, v, 6);
    }
    let mut identifiers: Vec<String> = r.identifiers.iter().map(|(k, v)| format!("{k}:{}", secret.hash(&format!("id:{k}"), v))).collect();
    identifiers.sort();
    identifiers.dedup();
    let mut keys: Vec<u64> = crate::blocking::keys(r).iter().map(|k| secret.key_hash(k)).collect();
    keys.sort_unstable();
    keys.dedup();
    Encoded { kind: r.kind, clk: b.clk, fields: b.fields, surname_as_given, identifiers, keys }
}

/// Dice of two given-name filters from which they are similar. Lower than for other names:
/// a short name has few bigrams, so one typo ("harold" / "haroqd", "megan" / "megna") leaves
/// a Dice of 0.6–0.7 where Jaro-Winkler, which clear text uses, still says similar (≥ 0.88).
/// At 0.75 the encoded comparison lost a third of those and, through the look-alike rule, the
/// pairs (F1 −0.048 against clear text on the households set without identifiers). Chosen on
/// the development sets (seed 2) of `bench/linkage`; see docs/benchmarks.md.
const GIVEN_SIMILAR: f64 = 0.55;

/// The agreement pattern of two encoded records, as [`crate::model::compare`] gives for clear
/// ones: field filters compared by Dice (identical → exact, close → similar), identifiers by
/// their hashes.
pub fn pattern(a: &Encoded, b: &Encoded) -> Pattern {
    if a.kind != b.kind {
        return [Agreement::Disagree; N];
    }
    let mut p = [Agreement::Missing; N];
    for (i, level) in p.iter_mut().enumerate() {
        if let (Some(x), Some(y)) = (&a.fields[i], &b.fields[i]) {
            let d = x.dice(y);
            let similar = match FIELDS[i] {
                Field::BirthDate | Field::Address => 0.6,
                Field::GivenName => GIVEN_SIMILAR,
                _ => 0.75,
            };
            // Two equal initials are only similar, as in clear text.
            let initials = FIELDS[i] == Field::GivenName && x.count().max(y.count()) <= 8;
            *level = if d >= 0.999 && !initials {
                Agreement::Exact
            } else if d >= similar || (FIELDS[i] == Field::GivenName && x.initial_of(y)) {
                Agreement::Similar
            } else {
                Agreement::Disagree
            };
        }
    }
    // Given name and surname swapped between the two sources, as in clear text.
    if p[1] == Agreement::Disagree && p[2] == Agreement::Disagree && swapped(a, b) {
        p[1] = Agreement::Similar;
        p[2] = Agreement::Similar;
    }
    let kinds = |e: &Encoded| e.identifiers.iter().filter_map(|i| i.split_once(':').map(|(k, _)| k.to_string())).collect::<Vec<_>>();
    let (ka, kb) = (kinds(a), kinds(b));
    p[0] = if shared_identifier(a, b).is_some() {
        Agreement::Exact
    } else if !ka.iter().any(|k| kb.contains(k)) {
        Agreement::Missing
    } else if p[0] == Agreement::Exact {
        // Equal filters but different hashes: another kind's value; a typo at best.
        Agreement::Similar
    } else {
        p[0]
    };
    p
}

/// Is each record's surname, read as a given name, close to the other's given name (Dice from
/// [`GIVEN_SIMILAR`])? The encoded form of [`crate::compare::swapped`].
fn swapped(a: &Encoded, b: &Encoded) -> bool {
    let given = Field::GivenName as usize;
    let close = |x: &Option<FieldFilter>, y: &Option<FieldFilter>| matches!((x, y), (Some(x), Some(y)) if x.dice(y) >= GIVEN_SIMILAR);
    close(&a.surname_as_given, &b.fields[given]) && close(&b.surname_as_given, &a.fields[given])
}

/// A pair that shares the hash of a unique identifier: a match, usable as an anchor.
pub fn is_anchor(a: &Encoded, b: &Encoded) -> bool {
    shared_identifier(a, b).is_some_and(is_unique)
}

fn shared_identifier<'a>(a: &'a Encoded, b: &Encoded) -> Option<&'a str> {
    a.identifiers.iter().find(|i| b.identifiers.contains(i)).map(|i| i.split_once(':').map(|(k, _)| k).unwrap_or(""))
}

/// Scores two encoded records with `model`, with the same rules for identifiers as
/// [`Model::score`]: a shared unique identifier is a match, a conflicting one rules it out.
pub fn score(model: &Model, a: &Encoded, b: &Encoded) -> Explanation {
    let p = pattern(a, b);
    let mut e = model.explain(&p);
    decide(&mut e, &p, model, shared_identifier(a, b), a.kind == b.kind, || {
        // Hashes cannot be compared for a typo: the identifier field's filters decided that.
        let theirs: Vec<&str> = if p[0] == Agreement::Disagree { unique_kinds(b).collect() } else { Vec::new() };
        unique_kinds(a).filter(move |k| theirs.contains(k))
    });
    e
}

/// The kinds of a record's unique identifiers.
fn unique_kinds(e: &Encoded) -> impl Iterator<Item = &str> {
    e.identifiers.iter().filter_map(|i| i.split_once(':').map(|(k, _)| k)).filter(|k| is_unique(k))
}

/// One scored pair of [`link_encoded_model`].
#[derive(Clone, Debug, PartialEq)]
pub struct ScoredPair {
    pub left: usize,
    pub right: usize,
    pub explanation: Explanation,
}

/// Links two encoded lists the way [`crate::link`] links clear ones: candidates from equal
/// blocking-key hashes (oversized blocks skipped), `u` from random pairs, `m` from anchors or
/// EM, and the pairs at or above `opts.threshold`. Nothing but the encodings is used.
pub fn link_encoded_model(left: &[Encoded], right: &[Encoded], start: &Model, opts: &LinkOptions) -> (Vec<ScoredPair>, Model, BlockingReport) {
    let mut blocks: HashMap<u64, Vec<u32>> = HashMap::new();
    for (j, r) in right.iter().enumerate() {
        for k in &r.keys {
            blocks.entry(*k).or_default().push(j as u32);
        }
    }
    let mut report = BlockingReport::default();
    let mut candidates: Vec<(u32, u32, Pattern)> = Vec::new();
    let mut found = Vec::new();
    for (i, l) in left.iter().enumerate() {
        found.clear();
        for k in &l.keys {
            if let Some(b) = blocks.get(k) {
                if b.len() > MAX_BLOCK {
                    if !report.oversized.iter().any(|(x, _)| x == &format!("{k:016x}")) {
                        report.oversized.push((format!("{k:016x}"), b.len()));
                    }
                    continue;
                }
                // No candidate budget here (see `blocking::BUDGET`): the encoding carries no
                // second keys, so an identifier's typo-variant blocks are not split, and the
                // budget as first built (whole blocks, smallest first) then left out the one
                // holding the match (1M × 1M households: F1 0.9676 with it, 0.9807 without);
                // the ranked budget of clear text too (16: 0.9740, 32: 0.9781, 64: as none) —
                // relatives share more keys than a match whose only key is an identifier's.
                found.extend_from_slice(b);
            }
        }
        found.sort_unstable();
        found.dedup();
        report.candidate_pairs += found.len() as u64;
        for &j in &found {
            if right[j as usize].kind == l.kind {
                candidates.push((i as u32, j, pattern(l, &right[j as usize])));
            }
        }
    }
    let model = if opts.estimate && !candidates.is_empty() {
        let random = random_pairs(left.len(), right.len(), opts.u_samples, opts.seed).map(|(i, j)| (left[i].kind == right[j].kind).then(|| pattern(&left[i], &right[j])));
        let tally: Tally = candidates.iter().map(|c| &c.2).collect();
        let anchors: Tally = candidates.iter().filter(|c| shared_identifier(&left[c.0 as usize], &right[c.1 as usize]).is_some_and(is_unique)).map(|c| &c.2).collect();
        estimate(start, left.len() as f64 * right.len() as f64, random, &tally, &anchors, opts.em_iterations)
    } else {
        start.clone()
    };
    let mut pairs = Vec::new();
    for (i, j, p) in &candidates {
        if model.probability(p) >= opts.threshold || p[0] == Agreement::Exact {
            let explanation = score(&model, &left[*i as usize], &right[*j as usize]);
            if explanation.probability >= opts.threshold {
                pairs.push(ScoredPair { left: *i as usize, right: *j as usize, explanation });
            }
        }
    }
    (pairs, model, report)
}

/// One pair found by [`link_encoded`]: indices into the two lists and the score (Dice, or 1
/// for a shared identifier hash).
#[derive(Clone, Debug, PartialEq)]
pub struct EncodedPair {
    pub left: usize,
    pub right: usize,
    pub score: f64,
    /// The pair shares the keyed hash of a unique identifier (BSN, KvK, …).
    pub identifier: bool,
}

/// What [`link_encoded`] did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EncodedReport {
    /// Dice comparisons computed (pairs outside the popcount bounds are never compared).
    pub comparisons: u64,
    pub kernel: Option<Kernel>,
}

/// Links two encoded lists: every pair of the same kind with Dice ≥ `threshold` (compared on
/// `threads` threads, with pairs that cannot reach the threshold by their bit counts
/// skipped), plus every pair sharing a unique identifier hash; then, with `one_to_one`, a
/// greedy assignment (best score first, each record used once).
pub fn link_encoded(left: &[Encoded], right: &[Encoded], threshold: f64, threads: usize, one_to_one: bool, kernel: Kernel) -> (Vec<EncodedPair>, EncodedReport) {
    // Right records sorted by bit count, so a left record compares only the band it can match.
    let mut order: Vec<usize> = (0..right.len()).collect();
    order.sort_by_key(|&j| right[j].clk.count());
    let rights: Vec<Clk> = order.iter().map(|&j| right[j].clk).collect();
    let counts: Vec<u32> = rights.iter().map(Clk::count).collect();
    let kinds: Vec<Kind> = order.iter().map(|&j| right[j].kind).collect();
    let threads = threads.max(1);
    let chunk = left.len().div_ceil(threads).max(1);
    let t = threshold.clamp(0.01, 1.0);
    let results: Vec<(Vec<EncodedPair>, u64)> = std::thread::scope(|s| {
        let handles: Vec<_> = left
            .chunks(chunk)
            .enumerate()
            .map(|(c, part)| {
                let (rights, counts, kinds, order) = (&rights, &counts, &kinds, &order);
                s.spawn(move || {
                    let mut pairs = Vec::new();
                    let mut comparisons = 0u64;
                    // The band of right encodings each left one can match: Dice ≤ 2·min(a,b)/(a+b),
                    // so b must lie in [a·t/(2−t), a·(2−t)/t].
                    let bands: Vec<(usize, usize)> = part
                        .iter()
                        .map(|l| {
                            let a = f64::from(l.clk.count());
                            if a == 0.0 {
                                return (0, 0);
                            }
                            let lo = (a * t / (2.0 - t)).ceil() as u32;
                            let hi = (a * (2.0 - t) / t).floor() as u32;
                            (counts.partition_point(|&b| b < lo), counts.partition_point(|&b| b <= hi))
                        })
                        .collect();
                    // Right encodings in blocks that stay in cache while every left one passes.
                    for start in (0..rights.len()).step_by(BLOCK) {
                        let end = (start + BLOCK).min(rights.len());
                        for (i, (l, &(from, to))) in part.iter().zip(&bands).enumerate() {
                            let (from, to) = (from.max(start), to.min(end));
                            if from >= to {
                                continue;
                            }
                            comparisons += (to - from) as u64;
                            kernel.scan(&l.clk, &rights[from..to], &counts[from..to], t, &mut |j, score| {
                                if kinds[from + j] == l.kind {
                                    pairs.push(EncodedPair { left: c * chunk + i, right: order[from + j], score, identifier: false });
                                }
                            });
                        }
                    }
                    (pairs, comparisons)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or_default()).collect()
    });
    let mut report = EncodedReport { comparisons: 0, kernel: Some(kernel) };
    let mut pairs = Vec::new();
    for (p, c) in results {
        pairs.extend(p);
        report.comparisons += c;
    }
    // Shared unique identifiers decide, whatever the filters say.
    let mut by_id: std::collections::HashMap<&str, Vec<usize>> = std::collections::HashMap::new();
    for (j, r) in right.iter().enumerate() {
        for id in &r.identifiers {
            if unique_encoded(id) {
                by_id.entry(id.as_str()).or_default().push(j);
            }
        }
    }
    for (i, l) in left.iter().enumerate() {
        for id in l.identifiers.iter().filter(|id| unique_encoded(id)) {
            for &j in by_id.get(id.as_str()).map(Vec::as_slice).unwrap_or(&[]) {
                pairs.push(EncodedPair { left: i, right: j, score: 1.0, identifier: true });
            }
        }
    }
    pairs.sort_by(|a, b| b.score.total_cmp(&a.score).then(b.identifier.cmp(&a.identifier)).then(a.left.cmp(&b.left)).then(a.right.cmp(&b.right)));
    pairs.dedup_by(|a, b| a.left == b.left && a.right == b.right);
    if one_to_one {
        let mut used_l = vec![false; left.len()];
        let mut used_r = vec![false; right.len()];
        pairs.retain(|p| {
            let free = !used_l[p.left] && !used_r[p.right];
            if free {
                used_l[p.left] = true;
                used_r[p.right] = true;
            }
            free
        });
    }
    (pairs, report)
}

/// Is the encoded identifier `kind:hash` of a unique kind?
fn unique_encoded(id: &str) -> bool {
    id.split_once(':').is_some_and(|(k, _)| is_unique(k))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::RecordInput;

    fn secret() -> Secret {
        Secret::new(b"een geheim van minstens zestien tekens").unwrap_or_else(|_| unreachable!())
    }

    fn person(given: &str, surname: &str, born: &str, postcode: &str) -> Record {
        Record::from_input(&RecordInput {
            given_names: given.into(),
            surname: surname.into(),
            birth_date: born.into(),
            postcode: postcode.into(),
            house_number: "12".into(),
            ..RecordInput::default()
        })
        .0
    }

    #[test]
    fn short_secrets_are_refused_and_never_printed() {
        assert_eq!(Secret::new(b" kort \n").err(), Some(SecretError::TooShort(4)));
        let s = secret();
        assert_eq!(format!("{s:?}"), "Secret(<verborgen>)");
        assert_eq!(s.check(), Secret::new(b"een geheim van minstens zestien tekens\n").map(|s| s.check()).unwrap_or_default());
        assert_ne!(s.check(), Secret::new(b"een ander geheim van zestien tekens").map(|s| s.check()).unwrap_or_default());
    }

    #[test]
    fn variants_are_similar_and_others_are_not() {
        let s = secret();
        let a = encode(&s, &person("Mohammed", "Özdemir", "1979-04-12", "3011 AB"));
        let b = encode(&s, &person("Mohamed", "Oezdemir", "12-04-1979", "3011ab"));
        let c = encode(&s, &person("Anna", "Bakker", "1985-05-06", "9711 AA"));
        assert!(dice(&a.clk, &b.clk) > 0.95, "{}", dice(&a.clk, &b.clk));
        assert!(dice(&a.clk, &c.clk) < 0.5, "{}", dice(&a.clk, &c.clk));
        // Another secret gives unrelated filters.
        let other = encode(&Secret::new(b"een ander geheim van zestien tekens").unwrap_or_else(|_| unreachable!()), &person("Mohammed", "Özdemir", "1979-04-12", "3011 AB"));
        assert!(dice(&a.clk, &other.clk) < 0.6);
        assert_eq!(Clk::from_base64(&a.clk.to_base64()), Some(a.clk));
        assert_eq!(Clk::from_base64("bm9n"), None);
    }

    #[test]
    fn encoded_lists_link_one_to_one_and_on_identifier_hashes() {
        let s = secret();
        let mut with_bsn = person("Kees", "Smit", "", "");
        with_bsn.identifiers = vec![("bsn".into(), "123456782".into())];
        let mut other_name = person("Cornelis", "Smid-de Vries", "", "");
        other_name.identifiers = vec![("bsn".into(), "123456782".into())];
        let left: Vec<Encoded> =
            [person("Jan", "Jansen", "1950-01-02", "1011AB"), person("Anna", "Bakker", "1985-05-06", "9711AA"), with_bsn].iter().map(|p| encode(&s, p)).collect();
        let right: Vec<Encoded> = [
            person("Anna", "Bakker", "1985-06-05", "9711 AA"),
            person("Piet", "Jansen", "1950-01-02", "1011 AB"),
            person("Johannes", "Jansen", "1950-01-02", "1011 AB"),
            other_name,
        ]
        .iter()
        .map(|p| encode(&s, p))
        .collect();
        for kernel in [Kernel::detect(), Kernel::Portable] {
            let (pairs, report) = link_encoded(&left, &right, 0.8, 2, true, kernel);
            let found: Vec<(usize, usize)> = pairs.iter().map(|p| (p.left, p.right)).collect();
            assert!(found.contains(&(0, 2)) && found.contains(&(1, 0)) && found.contains(&(2, 3)), "{found:?}");
            assert!(!found.contains(&(0, 1)), "one to one");
            assert!(report.comparisons > 0);
        }
    }

    #[test]
    fn encoded_records_link_like_clear_ones() {
        let s = secret();
        let left = [person("Mohammed", "Özdemir", "1979-04-12", "1011AB"), person("Jan", "Jansen", "1950-01-02", "9711AA"), person("Anna", "Bakker", "1985-05-06", "")];
        let right = [
            person("Mohamed", "Ozdemir", "1979-12-04", "1011AB"),
            person("Jan", "Jansen", "1972-08-09", "5611EZ"),
            person("Anna", "Bakker", "1985-05-06", "3011AA"),
            person("Piet", "de Boer", "1960-01-01", ""),
        ];
        let enc = |list: &[Record]| list.iter().map(|r| encode(&s, r)).collect::<Vec<_>>();
        let (pairs, _, report) = link_encoded_model(&enc(&left), &enc(&right), &Model::default(), &LinkOptions { estimate: false, ..LinkOptions::default() });
        let found: Vec<(usize, usize)> = pairs.iter().map(|p| (p.left, p.right)).collect();
        // The same pairs as the clear-text test in `link`: variants, not the namesake.
        assert_eq!(found, [(0, 0), (2, 2)]);
        assert!(report.candidate_pairs >= 2);
        // Agreement levels come from the field filters.
        let p = pattern(&encode(&s, &left[0]), &encode(&s, &right[0]));
        assert_eq!((p[1], p[2], p[3]), (Agreement::Exact, Agreement::Exact, Agreement::Similar));
        // An initial agrees with a written-out name that starts with it, as in clear text.
        let given = |a: &str, b: &str| pattern(&encode(&s, &person(a, "Jansen", "", "")), &encode(&s, &person(b, "Jansen", "", "")))[Field::GivenName as usize];
        let clear = |a: &str, b: &str| crate::model::compare(&person(a, "Jansen", "", ""), &person(b, "Jansen", "", ""))[Field::GivenName as usize];
        for (a, b, level) in [("J.", "Jan", Agreement::Similar), ("Jan", "J", Agreement::Similar), ("P.", "Jan", Agreement::Disagree), ("J.", "J.", Agreement::Similar)] {
            assert_eq!(given(a, b), level, "{a} / {b}");
            assert_eq!(clear(a, b), level, "clear {a} / {b}");
        }
        // One typo in a short name is similar in both (at a Dice threshold of 0.75 these were
        // not, and the look-alike rule then lost the pair); other names are not.
        for (a, b, level) in [
            ("Harold", "Haroqd", Agreement::Similar),
            ("Megan", "Megna", Agreement::Similar),
            ("Arthur", "Arhtur", Agreement::Similar),
            ("Austin", "Austii", Agreement::Similar),
            ("Jan", "Piet", Agreement::Disagree),
            ("Harold", "Edward", Agreement::Disagree),
        ] {
            assert_eq!(given(a, b), level, "{a} / {b}");
            assert_eq!(clear(a, b), level, "clear {a} / {b}");
        }
        // The known difference: bigrams do not weigh the first letter as Jaro-Winkler does, so
        // two short names that differ only there are similar when encoded (twins named so are
        // the look-alike false positives docs/benchmarks.md counts).
        assert_eq!((given("Gary", "Mary"), clear("Gary", "Mary")), (Agreement::Similar, Agreement::Disagree));
        // Given name and surname swapped, one of them with a typo: similar in both.
        let names = |a: &Record, b: &Record| (a.name.is_some(), b.name.is_some());
        for (a, b) in [(person("Harriet", "White", "", ""), person("Whiite", "Harriet", "", "")), (person("Thomas", "Morcom", "", ""), person("Morclm", "Thomas", "", ""))] {
            assert_eq!(names(&a, &b), (true, true));
            let (e, c) = (pattern(&encode(&s, &a), &encode(&s, &b)), crate::model::compare(&a, &b));
            assert_eq!((e[1], e[2]), (Agreement::Similar, Agreement::Similar), "encoded {a:?} / {b:?}");
            assert_eq!((c[1], c[2]), (Agreement::Similar, Agreement::Similar), "clear {a:?} / {b:?}");
        }
        // Two other people stay apart.
        let (a, b) = (person("Harriet", "White", "", ""), person("Thomas", "Harriet", "", ""));
        assert_eq!(pattern(&encode(&s, &a), &encode(&s, &b))[2], Agreement::Disagree);
        assert_eq!(crate::model::compare(&a, &b)[2], Agreement::Disagree);
        let e = encode(&s, &left[0]);
        assert!(e.surname_as_given.is_some());
        assert_eq!(Encoded::fields_from_base64(&e.fields_to_base64()), Some((e.fields, e.surname_as_given)));
        // An encoding made before the surname-as-given-name filter still reads, without it.
        let before = Encoded { surname_as_given: None, ..e.clone() };
        assert_eq!(Encoded::fields_from_base64(&before.fields_to_base64()), Some((e.fields, None)));
        assert_eq!(Encoded::keys_from_text(&e.keys_to_text()), Some(e.keys.clone()));
        assert_eq!(Encoded::fields_from_base64("AQ=="), None);
    }
}
