//! Linking two CSV files with a declared column mapping (`knooppunt link`), and the same
//! reading for screening a list. Bad rows are skipped and reported with their line and reason;
//! a mapping that names an unknown field or a missing column is refused with every problem.

use knooppunt_matching::clk::{self, link_encoded, Clk, Encoded, EncodedPair, EncodedReport, Kernel, ScoredPair, Secret};
use knooppunt_matching::BlockingReport;
use knooppunt_matching::{Kind, LinkOptions, Model, Pair, Prepared, Preparing, Summary};
use std::collections::BTreeMap;
use std::io::{Read, Write};

mod read;

use read::Seen;
pub use read::{read_records, ReadRecords, RecordReader, StreamedLeft, MAX_FIELD};

/// The fields a column can be mapped to (`veld=kolom`); `id:<soort>` maps an identifier.
pub const FIELDS: &[&str] = &["id", "kind", "full_name", "given_names", "prefix", "surname", "birth_date", "company_name", "street", "house_number", "postcode", "city"];

/// The Dutch names of the fields, as the screening page offers them; each is accepted wherever
/// the field's own name is (`achternaam=naam` is `surname=naam`).
pub const DUTCH_FIELDS: &[(&str, &str)] = &[
    ("id", "id"),
    ("soort", "kind"),
    ("naam", "full_name"),
    ("voornamen", "given_names"),
    ("voorvoegsel", "prefix"),
    ("achternaam", "surname"),
    ("geboortedatum", "birth_date"),
    ("bedrijfsnaam", "company_name"),
    ("straat", "street"),
    ("huisnummer", "house_number"),
    ("postcode", "postcode"),
    ("plaats", "city"),
];

/// A column mapping: logical field → column name; identifiers as `(kind, column)`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mapping {
    pub fields: BTreeMap<String, String>,
    pub identifiers: Vec<(String, String)>,
}

impl Mapping {
    /// Parses `id=rec_id,surname=achternaam,id:bsn=bsn`; lists every problem.
    pub fn parse(spec: &str) -> Result<Mapping, Vec<String>> {
        let mut m = Mapping::default();
        let mut problems = Vec::new();
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((field, column)) = part.split_once('=') else {
                problems.push(format!("'{part}' is geen veld=kolom"));
                continue;
            };
            let (field, column) = (field.trim(), column.trim());
            let field = DUTCH_FIELDS.iter().find(|(dutch, _)| *dutch == field).map(|(_, own)| *own).unwrap_or(field);
            if column.is_empty() {
                problems.push(format!("veld '{field}' heeft geen kolom"));
            } else if let Some(kind) = field.strip_prefix("id:") {
                if kind.is_empty() {
                    problems.push("'id:' mist de soort identificatie (bijvoorbeeld id:bsn)".into());
                } else {
                    m.identifiers.push((kind.to_string(), column.to_string()));
                }
            } else if FIELDS.contains(&field) {
                if m.fields.insert(field.to_string(), column.to_string()).is_some() {
                    problems.push(format!("veld '{field}' staat er twee keer in"));
                }
            } else {
                let known: Vec<&str> = DUTCH_FIELDS.iter().map(|(dutch, _)| *dutch).collect();
                problems.push(format!("onbekend veld '{field}' (bekend: {}, id:<soort>)", known.join(", ")));
            }
        }
        if !m.fields.contains_key("id") {
            problems.push("de mapping mist 'id=<kolom>' (de sleutel van elke rij)".into());
        }
        if problems.is_empty() {
            Ok(m)
        } else {
            Err(problems)
        }
    }

    /// Declares identifier kinds `shared` (several entities may hold one value: evidence, never
    /// a match or a conflict on its own) or `ruling` (a different value rules a pair out, as a
    /// BSN does). A kind the mapping does not declare, or one declared both, is a problem.
    pub fn with_marks(mut self, shared: &[String], ruling: &[String]) -> Result<Mapping, Vec<String>> {
        use knooppunt_matching::model::{RULING_MARK, SHARED_MARK};
        let mut problems = Vec::new();
        let marked = shared.iter().map(|k| (k, SHARED_MARK, "--shared-id")).chain(ruling.iter().map(|k| (k, RULING_MARK, "--ruling-id")));
        for (kind, mark, flag) in marked {
            let kind = kind.trim();
            if kind.is_empty() {
                continue;
            }
            if shared.iter().any(|k| k.trim() == kind) && ruling.iter().any(|k| k.trim() == kind) {
                if mark == SHARED_MARK {
                    problems.push(format!("{kind}: kan niet tegelijk gedeeld (--shared-id) en beslissend (--ruling-id) zijn"));
                }
                continue;
            }
            let mut found = false;
            for (k, _) in self.identifiers.iter_mut().filter(|(k, _)| k == kind) {
                *k = format!("{mark}{kind}");
                found = true;
            }
            if !found {
                problems.push(format!("{flag} {kind}: de mapping heeft geen id:{kind}"));
            }
        }
        if problems.is_empty() {
            Ok(self)
        } else {
            Err(problems)
        }
    }

    fn columns(&self) -> impl Iterator<Item = &String> {
        self.fields.values().chain(self.identifiers.iter().map(|(_, c)| c))
    }
}

/// Writes the pairs of a link as `id_l,id_r,score` (and the explanation on request), one row
/// as each pair is found.
pub struct PairWriter<W: Write> {
    w: csv::Writer<W>,
    explain: bool,
    written: u64,
}

impl<W: Write> PairWriter<W> {
    pub fn new(out: W, explain: bool) -> std::io::Result<PairWriter<W>> {
        let mut w = csv::Writer::from_writer(out);
        if explain {
            w.write_record(["id_l", "id_r", "score", "explanation"])?;
        } else {
            w.write_record(["id_l", "id_r", "score"])?;
        }
        Ok(PairWriter { w, explain, written: 0 })
    }

    pub fn write(&mut self, left_id: &str, right_id: &str, e: &knooppunt_matching::Explanation) -> std::io::Result<()> {
        let score = score_text(e);
        if self.explain {
            let mut parts: Vec<String> = e.fields.iter().map(|f| format!("{}:{:?}:{:+.2}", f.field.code(), f.level, f.weight)).collect();
            // The total in bits (the prior included) first: the sum of the parts that follow
            // and the prior, the quantity --threshold-bits compares.
            parts.insert(0, format!("gewicht:{:+.2}", e.weight));
            if let Some(k) = &e.deterministic {
                parts.insert(0, format!("deterministisch:{k}"));
            }
            if e.look_alike {
                parts.insert(0, "huisgenoot-of-naamgenoot".to_string());
            }
            self.w.write_record([left_id, right_id, score.as_str(), parts.join(";").as_str()])?;
        } else {
            self.w.write_record([left_id, right_id, score.as_str()])?;
        }
        self.written += 1;
        Ok(())
    }

    /// Flushes; the number of pairs written.
    pub fn finish(mut self) -> std::io::Result<u64> {
        self.w.flush()?;
        Ok(self.written)
    }
}

/// A pair's probability with six decimals. Only an equal unique identifier makes a pair
/// certain: any other pair prints at most 0.999999, however strong its evidence.
pub fn score_text(e: &knooppunt_matching::Explanation) -> String {
    if e.deterministic.is_some() {
        format!("{:.6}", e.probability)
    } else {
        format!("{:.6}", e.probability.min(0.999_999))
    }
}

/// Reads the right-hand file for [`link_files`] and prepares it a chunk at a time, so its
/// records are never all held: only the keys, what was skipped, and the blocking index and
/// packed records. Read and prepare the right file before the left one.
pub fn read_prepared(input: impl Read, mapping: &Mapping) -> Result<(ReadRecords, Prepared), Vec<String>> {
    let mut reader = RecordReader::new(input, mapping)?;
    let mut preparing = Preparing::default();
    while let Some(chunk) = reader.next_chunk().map_err(|e| vec![e])? {
        preparing.add(&chunk);
    }
    Ok((reader.read, preparing.finish()))
}

/// Links the left file against the prepared right one with the default model as the EM start,
/// writing each pair to `out` as it is found (the pairs are never held); returns what the link
/// did. The left side is held in `left.records`, or, when those are empty and `streamed` is
/// given, read again from its file for each pass.
pub fn link_files<W: Write>(
    out: &mut PairWriter<W>,
    left: &ReadRecords,
    streamed: Option<StreamedLeft<'_>>,
    right: (&[String], &Prepared),
    opts: &LinkOptions,
    compared: &std::sync::atomic::AtomicU64,
) -> std::io::Result<Summary> {
    let (right_ids, right) = right;
    let mut emit = |p: Pair| out.write(&left.ids[p.left], &right_ids[p.right], &p.explanation);
    match streamed {
        Some(mut source) => knooppunt_matching::link_streamed(&mut source, right, &Model::default(), opts, compared, &mut emit),
        None => knooppunt_matching::link_prepared(&left.records, right, &Model::default(), opts, compared, &mut emit),
    }
}

/// Encoded records read from one file (`knooppunt encode` output), with what was skipped.
#[derive(Debug, Default)]
pub struct ReadEncoded {
    pub ids: Vec<String>,
    pub encoded: Vec<Encoded>,
    /// The secret's check value the file was made with.
    pub check: Option<String>,
    pub skipped_rows: Vec<(u64, String)>,
}

/// The header of an encoded file.
pub const ENCODED_HEADER: [&str; 7] = ["id", "soort", "clk", "velden", "sleutels", "identificaties", "sleutelcontrole"];

pub(crate) fn kind_code(kind: Kind) -> &'static str {
    match kind {
        Kind::Person => "persoon",
        Kind::Company => "rechtspersoon",
        Kind::Other => "overig",
    }
}

fn kind_of(code: &str) -> Option<Kind> {
    match code {
        "persoon" => Some(Kind::Person),
        "rechtspersoon" => Some(Kind::Company),
        "overig" => Some(Kind::Other),
        _ => None,
    }
}

/// Encodes every matchable record of `records` with `secret` and writes
/// [`ENCODED_HEADER`]. Returns the number written.
pub fn write_encoded(out: impl Write, records: &ReadRecords, secret: &Secret) -> std::io::Result<u64> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(ENCODED_HEADER)?;
    let check = secret.check();
    let mut n = 0;
    for (id, r) in records.ids.iter().zip(&records.records) {
        if !r.is_matchable() {
            continue;
        }
        let e = clk::encode(secret, r);
        w.write_record([
            id.as_str(),
            kind_code(e.kind),
            e.clk.to_base64().as_str(),
            e.fields_to_base64().as_str(),
            e.keys_to_text().as_str(),
            e.identifiers.join(";").as_str(),
            check.as_str(),
        ])?;
        n += 1;
    }
    w.flush()?;
    Ok(n)
}

/// One encoded row as it arrives (from a file or the API); `None` with the reason when it
/// cannot be used.
pub fn parse_encoded(kind: &str, clk_text: &str, fields: &str, keys: &str, identifiers: &str) -> Result<Encoded, String> {
    let kind = kind_of(kind.trim()).ok_or_else(|| format!("onbekende soort '{}' (persoon, rechtspersoon of overig)", kind.trim()))?;
    let clk = Clk::from_base64(clk_text).ok_or_else(|| format!("clk is geen base64 van {} bytes", clk::CLK_BITS / 8))?;
    let (fields, surname_as_given) = Encoded::fields_from_base64(fields).ok_or("velden zijn geen geldige veldfilters (base64)")?;
    let keys = Encoded::keys_from_text(keys).ok_or("sleutels zijn geen hexadecimale hashes gescheiden door ;")?;
    let mut ids = Vec::new();
    for id in identifiers.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        match id.split_once(':') {
            Some((k, h)) if !k.is_empty() && h.len() == 32 && h.chars().all(|c| c.is_ascii_hexdigit()) => ids.push(id.to_ascii_lowercase()),
            _ => return Err("identificatie is geen soort:hash (32 hexadecimale tekens)".into()),
        }
    }
    Ok(Encoded { kind, clk, fields, surname_as_given, keys, identifiers: ids })
}

/// Reads an encoded file. Rows made with another secret than the first row's are refused.
pub fn read_encoded(input: impl Read) -> Result<ReadEncoded, Vec<String>> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let header: Vec<String> = reader.headers().map_err(|e| vec![format!("kopregel onleesbaar: {e}")])?.iter().map(|h| h.trim().to_string()).collect();
    if header != ENCODED_HEADER {
        return Err(vec![format!("geen gecodeerd bestand: de kopregel moet {} zijn (gemaakt met knooppunt encode)", ENCODED_HEADER.join(","))]);
    }
    let mut out = ReadEncoded::default();
    let mut record = csv::StringRecord::new();
    let mut seen = Seen::default();
    loop {
        let line = reader.position().line();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                out.skipped_rows.push((line, format!("onleesbare rij: {e}")));
                if out.skipped_rows.len() > 10_000 {
                    break;
                }
                continue;
            }
        }
        let f = |i: usize| record.get(i).unwrap_or_default();
        if record.len() != ENCODED_HEADER.len() || f(0).trim().is_empty() {
            out.skipped_rows.push((line, "onvolledige rij".into()));
            continue;
        }
        match (&out.check, f(6).trim()) {
            (Some(c), now) if c != now => {
                out.skipped_rows.push((line, "gecodeerd met een andere sleutel dan de eerste rij".into()));
                continue;
            }
            (None, now) => out.check = Some(now.to_string()),
            _ => {}
        }
        match parse_encoded(f(1), f(2), f(3), f(4), f(5)) {
            Ok(e) => match seen.first(&out.ids, f(0).trim(), line) {
                Ok(()) => {
                    out.ids.push(f(0).trim().to_string());
                    out.encoded.push(e);
                }
                Err(reason) => out.skipped_rows.push((line, reason)),
            },
            Err(reason) => out.skipped_rows.push((line, reason)),
        }
    }
    Ok(out)
}

/// Writes the pairs of [`link_encoded`] as `id_l,id_r,score`.
pub fn write_encoded_pairs(out: impl Write, left: &ReadEncoded, right: &ReadEncoded, pairs: &[EncodedPair]) -> std::io::Result<u64> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["id_l", "id_r", "score"])?;
    for p in pairs {
        w.write_record([left.ids[p.left].as_str(), right.ids[p.right].as_str(), format!("{:.4}", p.score).as_str()])?;
    }
    w.flush()?;
    Ok(pairs.len() as u64)
}

fn same_secret(left: &ReadEncoded, right: &ReadEncoded) -> Result<(), String> {
    if left.check != right.check && left.check.is_some() && right.check.is_some() {
        return Err("de bestanden zijn met verschillende sleutels gecodeerd (sleutelcontrole verschilt); vergelijken heeft geen zin".into());
    }
    Ok(())
}

/// Links two encoded files as clear ones are linked (hashed blocking keys, field filters,
/// Fellegi-Sunter model); refuses files made with different secrets.
pub fn link_encoded_model_files(left: &ReadEncoded, right: &ReadEncoded, opts: &LinkOptions) -> Result<(Vec<ScoredPair>, Model, BlockingReport), String> {
    same_secret(left, right)?;
    Ok(clk::link_encoded_model(&left.encoded, &right.encoded, &Model::default(), opts))
}

/// Writes the pairs of [`link_encoded_model_files`] as `id_l,id_r,score`.
pub fn write_scored_pairs(out: impl Write, left: &ReadEncoded, right: &ReadEncoded, pairs: &[ScoredPair]) -> std::io::Result<u64> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["id_l", "id_r", "score"])?;
    for p in pairs {
        w.write_record([left.ids[p.left].as_str(), right.ids[p.right].as_str(), score_text(&p.explanation).as_str()])?;
    }
    w.flush()?;
    Ok(pairs.len() as u64)
}

/// Links two encoded files by record-level Dice on all pairs, on all available cores;
/// refuses files made with different secrets.
pub fn link_encoded_files(left: &ReadEncoded, right: &ReadEncoded, threshold: f64, one_to_one: bool) -> Result<(Vec<EncodedPair>, EncodedReport), String> {
    same_secret(left, right)?;
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    Ok(link_encoded(&left.encoded, &right.encoded, threshold, threads, one_to_one, Kernel::detect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_equal_identifier_prints_as_certain() {
        let strong = knooppunt_matching::Explanation { probability: 1.0, weight: 40.0, fields: Vec::new(), deterministic: None, conflict: None, look_alike: false };
        assert_eq!(score_text(&strong), "0.999999");
        let certain = knooppunt_matching::Explanation { deterministic: Some("bsn".into()), ..strong.clone() };
        assert_eq!(score_text(&certain), "1.000000");
        assert_eq!(score_text(&knooppunt_matching::Explanation { probability: 0.25, ..strong }), "0.250000");
    }

    #[test]
    fn mapping_errors_are_all_listed() {
        let e = Mapping::parse("surname=achternaam,shoe_size=maat,geboorte,id:=x").err().unwrap_or_default();
        assert_eq!(e.len(), 4, "{e:?}");
        assert!(e.iter().any(|p| p.contains("shoe_size")));
        assert!(e.iter().any(|p| p.contains("'id=<kolom>'")));
        let m = Mapping::parse("id=nr, surname=achternaam, id:bsn=bsn").unwrap_or_default();
        assert_eq!(m.identifiers, vec![("bsn".to_string(), "bsn".to_string())]);
    }

    #[test]
    fn identifier_kinds_are_declared_shared_or_ruling() {
        let m = Mapping::parse("id=nr,id:ssn=sofi,id:telefoon=tel,id:klant=klantnr").unwrap_or_default();
        let marked = m.clone().with_marks(&["klant".into()], &["ssn".into()]).unwrap_or_default();
        let kinds: Vec<&str> = marked.identifiers.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(kinds, ["!ssn", "telefoon", "~klant"]);
        let e = m.with_marks(&["ssn".into(), "paspoort".into()], &["ssn".into()]).err().unwrap_or_default();
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(e.iter().any(|p| p.contains("paspoort")) && e.iter().any(|p| p.contains("tegelijk")), "{e:?}");
    }

    #[test]
    fn missing_columns_broken_rows_and_bad_values_are_reported() {
        let m = Mapping::parse("id=nr,surname=naam,birth_date=geboren").unwrap_or_default();
        let e = read_records("nr,achternaam\n1,Jansen\n".as_bytes(), &m).err().unwrap_or_default();
        assert_eq!(e.len(), 2, "{e:?}");
        let csv = "nr,naam,geboren\n1,Jansen,1980-02-03\n2,\"Bakker,1970-01-01\n3,de Vries,31-31-1999\n";
        let r = read_records(csv.as_bytes(), &m).unwrap_or_default();
        assert_eq!((r.ids.as_slice(), r.skipped_rows.len()), (["1".to_string()].as_slice(), 1), "{r:?}");
        let ok = read_records("nr;naam;geboren\n1;Jansen;1980-02-03\n2;X;31-31-1999\n;Leeg;\n4;a;b;c\n".as_bytes(), &m).unwrap_or_default();
        assert_eq!(ok.ids, ["1", "2"]);
        assert_eq!(ok.skipped_rows.len(), 2);
        assert_eq!(ok.unmatchable, 1);
        assert_eq!(ok.unusable.get("geboortedatum: onleesbaar, onmogelijk of een plaatshouder"), Some(&1));
    }

    #[test]
    fn an_open_quote_names_the_lines_it_swallowed_and_a_key_counts_once() {
        let m = Mapping::parse("id=nr,surname=naam,birth_date=geboren").unwrap_or_default();
        // Row 2 opens a quote that row 4 closes: rows 3 and 4 are lost with it, and the report says so.
        let csv = "nr,naam,geboren\n1,Jansen,1980-02-03\n2,\"Bakker,1970-01-01\n3,de Vries,1999-01-01\n4,\"Smit\",1960-05-05\n5,Visser,1975-07-07\n";
        let r = read_records(csv.as_bytes(), &m).unwrap_or_default();
        assert_eq!(r.ids, ["1", "5"], "{r:?}");
        assert_eq!(r.skipped_rows.len(), 1, "{r:?}");
        let (line, reason) = &r.skipped_rows[0];
        assert_eq!(*line, 3, "{r:?}");
        assert!(reason.contains("aanhalingsteken niet gesloten") && reason.contains("regels 3 tot en met 5"), "{reason}");
        // A key twice: the second row is refused and named; a giant field is ignored, not compared.
        let long = "x".repeat(MAX_FIELD + 1);
        let csv = format!("nr,naam,geboren\n1,Jansen,1980-02-03\n1,Jansen,1980-02-03\n2,{long},1970-01-01\n");
        let r = read_records(csv.as_bytes(), &m).unwrap_or_default();
        assert_eq!(r.ids, ["1", "2"], "{r:?}");
        assert!(r.skipped_rows.iter().any(|(l, why)| *l == 3 && why.contains("staat al op regel 2")), "{r:?}");
        assert_eq!(r.unusable.get(&format!("surname: langer dan {MAX_FIELD} tekens")), Some(&1), "{r:?}");
        assert!(r.records.get(1).is_some_and(|x| !x.is_matchable()), "the long name is not used");
    }

    #[test]
    fn encoded_files_hold_no_clear_values_and_refuse_other_secrets() {
        let m = Mapping::parse("id=nr,surname=naam,birth_date=geboren,postcode=pc,house_number=hn,id:bsn=bsn").unwrap_or_default();
        let r = read_records("nr,naam,geboren,pc,hn,bsn\nA1,Özdemir,1979-04-12,3011 AB,12,123456782\n".as_bytes(), &m).unwrap_or_default();
        let secret = Secret::new(b"een geheim van minstens zestien tekens").unwrap_or_else(|_| unreachable!());
        let mut out = Vec::new();
        assert_eq!(write_encoded(&mut out, &r, &secret).ok(), Some(1));
        let text = String::from_utf8(out.clone()).unwrap_or_default();
        for clear in ["zdemir", "ozdemir", "1979", "3011", "123456782", "een geheim"] {
            assert!(!text.to_lowercase().contains(clear), "{clear} in {text}");
        }
        let other = Secret::new(b"een ander geheim van zestien tekens").unwrap_or_else(|_| unreachable!());
        let mut second = Vec::new();
        assert!(write_encoded(&mut second, &r, &other).is_ok());
        let second = String::from_utf8(second).unwrap_or_default();
        let mixed = format!("{text}{}\nB2,persoon,bm9n,AA==,,,{}\n", second.lines().nth(1).unwrap_or_default(), secret.check());
        let read = read_encoded(mixed.as_bytes()).unwrap_or_default();
        assert_eq!(read.ids, ["A1"]);
        assert_eq!(read.skipped_rows.len(), 2, "{:?}", read.skipped_rows);
        assert!(read.skipped_rows[0].1.contains("andere sleutel"));
        let left = read_encoded(text.as_bytes()).unwrap_or_default();
        let right = read_encoded(second.as_bytes()).unwrap_or_default();
        assert!(link_encoded_model_files(&left, &right, &LinkOptions::default()).is_err());
        assert!(read_encoded("id,naam\n1,x\n".as_bytes()).is_err());
    }
}
