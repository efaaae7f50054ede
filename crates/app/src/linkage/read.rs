//! Reading a CSV of records with a column mapping, a chunk at a time: whole into memory
//! ([`read_records`]), or again and again for a left side too large to hold ([`StreamedLeft`]).

use super::Mapping;
use knooppunt_matching::{Passes, Record, RecordInput};
use std::collections::{BTreeMap, HashSet};
use std::io::{BufRead, Read};

/// Records read from one file, with what was skipped.
#[derive(Debug, Default)]
pub struct ReadRecords {
    pub ids: Vec<String>,
    pub records: Vec<Record>,
    /// (line, reason) of rows that could not be read at all.
    pub skipped_rows: Vec<(u64, String)>,
    /// Rows read, but with unusable fields, per field and reason.
    pub unusable: BTreeMap<String, u64>,
    /// Rows without anything to match on.
    pub unmatchable: u64,
}

/// Reads a CSV (header row required, `,` or `;` separated, UTF-8) with `mapping`. A missing
/// column is an error listing every missing one; broken rows are skipped and reported.
pub fn read_records(input: impl Read, mapping: &Mapping) -> Result<ReadRecords, Vec<String>> {
    let mut reader = RecordReader::new(input, mapping)?;
    let mut records = Vec::new();
    while let Some(chunk) = reader.next_chunk().map_err(|e| vec![e])? {
        records.extend(chunk);
    }
    Ok(ReadRecords { records, ..reader.read })
}

/// The rows of a file read before, to be read again as they were (see [`RecordReader::again`]).
struct Expected<'a> {
    ids: &'a [String],
    skipped: &'a HashSet<u64>,
}

/// Reads records from a CSV a chunk at a time: the keys, skipped rows and unusable fields
/// gather in [`RecordReader::read`] (whose `records` stay empty), the records are handed out.
pub struct RecordReader<'a, R: Read> {
    reader: csv::Reader<std::io::BufReader<R>>,
    width: usize,
    fields: Vec<(String, usize)>,
    identifiers: Vec<(String, usize)>,
    row: csv::StringRecord,
    seen: Seen,
    expected: Option<Expected<'a>>,
    pub read: ReadRecords,
}

impl<'a, R: Read> RecordReader<'a, R> {
    /// Reads the header; a missing column is an error listing every missing one.
    pub fn new(input: R, mapping: &Mapping) -> Result<Self, Vec<String>> {
        // Streamed, not read whole: the delimiter is sniffed from the first buffered line.
        let mut input = std::io::BufReader::with_capacity(1 << 16, input);
        let head = input.fill_buf().map_err(|e| vec![format!("bestand niet te lezen: {e}")])?;
        let first_line = head.split(|b| *b == b'\n').next().unwrap_or_default();
        let delimiter = if first_line.iter().filter(|b| **b == b';').count() > first_line.iter().filter(|b| **b == b',').count() { b';' } else { b',' };
        let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).from_reader(input);
        let header: Vec<String> = reader.headers().map_err(|e| vec![format!("kopregel onleesbaar: {e}")])?.iter().map(|h| h.trim().to_string()).collect();
        let missing: Vec<String> = mapping.columns().filter(|c| !header.contains(c)).map(|c| format!("kolom '{c}' staat niet in de kopregel ({})", header.join(", "))).collect();
        if !missing.is_empty() {
            return Err(missing);
        }
        let idx = |c: &str| header.iter().position(|h| h == c);
        let fields = mapping.fields.iter().filter_map(|(f, c)| idx(c).map(|i| (f.clone(), i))).collect();
        let identifiers = mapping.identifiers.iter().filter_map(|(k, c)| idx(c).map(|i| (k.clone(), i))).collect();
        Ok(RecordReader { reader, width: header.len(), fields, identifiers, row: csv::StringRecord::new(), seen: Seen::default(), expected: None, read: ReadRecords::default() })
    }

    /// Reads a file read before by a reader that gave `ids` and skipped the rows on the lines
    /// in `skipped`: the same rows must come, or [`RecordReader::next_chunk`] says the file
    /// changed. Nothing is reported again, and the keys are not collected a second time.
    pub fn again(input: R, mapping: &Mapping, ids: &'a [String], skipped: &'a HashSet<u64>) -> Result<Self, Vec<String>> {
        let mut reader = Self::new(input, mapping)?;
        reader.expected = Some(Expected { ids, skipped });
        Ok(reader)
    }

    /// The next records (at most [`BATCH`]), normalised on every core; `None` at the end. An
    /// error only when reading [`RecordReader::again`] finds the file changed.
    pub fn next_chunk(&mut self) -> Result<Option<Vec<Record>>, String> {
        let mut batch: Vec<RecordInput> = Vec::with_capacity(BATCH);
        while batch.len() < BATCH {
            let Some(input) = self.next_row()? else { break };
            batch.push(input);
        }
        if let Some(e) = &self.expected {
            if batch.is_empty() && self.accepted() != e.ids.len() {
                return Err(changed());
            }
        }
        Ok((!batch.is_empty()).then(|| normalise(&mut self.read, &mut batch)))
    }

    /// Rows accepted so far.
    fn accepted(&self) -> usize {
        self.seen.accepted
    }

    /// The next row with a key, as input for a record; `None` at the end.
    fn next_row(&mut self) -> Result<Option<RecordInput>, String> {
        loop {
            if let Some(e) = &self.expected {
                // Past the last row read before: what follows was skipped then.
                if self.seen.accepted == e.ids.len() {
                    return Ok(None);
                }
            }
            let line = self.reader.position().line();
            match self.reader.read_record(&mut self.row) {
                Ok(false) => return Ok(None),
                Ok(true) => {}
                Err(e) => {
                    self.skip(line, format!("onleesbare rij: {e}"))?;
                    // A broken row with unbalanced quotes can swallow the rest; stop after many.
                    if self.read.skipped_rows.len() > 10_000 {
                        return Ok(None);
                    }
                    continue;
                }
            }
            let next = self.reader.position().line();
            if self.row.len() != self.width {
                self.skip(line, wrong_width(line, next, self.row.len(), self.width))?;
                continue;
            }
            // A row over several lines with a line break inside a field: an opening quote that
            // was closed only in a later row, which it swallowed. No name, address or key holds
            // a line break.
            if next > line + 1 && self.row.iter().any(|f| f.contains('\n')) {
                self.skip(line, swallowed(line, next))?;
                continue;
            }
            let mut input = RecordInput::default();
            let mut id = String::new();
            for (f, i) in &self.fields {
                let mut v = self.row.get(*i).unwrap_or_default().trim().to_string();
                if v.chars().count() > MAX_FIELD && f != "id" {
                    *self.read.unusable.entry(format!("{f}: langer dan {MAX_FIELD} tekens")).or_default() += 1;
                    v.clear();
                }
                match f.as_str() {
                    "id" => id = v,
                    "kind" => input.kind = v,
                    "full_name" => input.full_name = v,
                    "given_names" => input.given_names = v,
                    "prefix" => input.prefix = v,
                    "surname" => input.surname = v,
                    "birth_date" => input.birth_date = v,
                    "company_name" => input.company_name = v,
                    "street" => input.street = v,
                    "house_number" => input.house_number = v,
                    "postcode" => input.postcode = v,
                    "city" => input.city = v,
                    _ => {}
                }
            }
            if id.is_empty() {
                self.skip(line, "lege sleutel (id)".into())?;
                continue;
            }
            match &self.expected {
                Some(e) if e.skipped.contains(&line) => continue,
                Some(e) if e.ids.get(self.seen.accepted) != Some(&id) => return Err(changed()),
                Some(_) => self.seen.accepted += 1,
                None => {
                    if let Err(reason) = self.seen.first(&self.read.ids, &id, line) {
                        self.read.skipped_rows.push((line, reason));
                        continue;
                    }
                    self.read.ids.push(id);
                }
            }
            for (k, i) in &self.identifiers {
                let v = self.row.get(*i).unwrap_or_default().trim();
                if v.chars().count() > MAX_FIELD {
                    *self.read.unusable.entry(format!("id:{k}: langer dan {MAX_FIELD} tekens")).or_default() += 1;
                } else if !v.is_empty() {
                    input.identifiers.push((k.to_string(), v.to_string()));
                }
            }
            return Ok(Some(input));
        }
    }

    /// Skips the row on `line` for `reason`: reported on the first reading; on a later one the
    /// row must have been skipped then too.
    fn skip(&mut self, line: u64, reason: String) -> Result<(), String> {
        match &self.expected {
            None => {
                self.read.skipped_rows.push((line, reason));
                Ok(())
            }
            Some(e) if e.skipped.contains(&line) => Ok(()),
            Some(_) => Err(changed()),
        }
    }
}

fn changed() -> String {
    "het bestand is veranderd terwijl het werd gekoppeld; de uitvoer is onvolledig — koppel opnieuw".to_string()
}

/// Rows normalised together, and the records a chunk holds.
const BATCH: usize = 16_384;

/// The longest value a field may have (in characters); a longer one is ignored and reported
/// (no name, address or identifier is that long, and comparing it would cost the run dearly).
pub const MAX_FIELD: usize = 1_000;

/// The longest key (id) a row may have.
const MAX_ID: usize = 200;

/// The keys read so far: a key is one record, so a second row with it is refused and reported
/// (it would give every pair twice). Without a second copy of the keys: each entry is the key's
/// index in the `ids` the reader collects (found there by its hash) and the line it was on.
#[derive(Default)]
pub(super) struct Seen {
    table: hashbrown::HashTable<(usize, u64)>,
    state: std::hash::RandomState,
    /// Rows accepted (on a later reading, where the table stays empty).
    accepted: usize,
}

impl Seen {
    /// Accepts `id` on `line` when it is new; the caller then pushes it onto `ids`.
    pub(super) fn first(&mut self, ids: &[String], id: &str, line: u64) -> Result<(), String> {
        use std::hash::BuildHasher;
        if id.chars().count() > MAX_ID {
            return Err(format!("sleutel (id) langer dan {MAX_ID} tekens"));
        }
        let hash = self.state.hash_one(id);
        if let Some((_, first)) = self.table.find(hash, |(i, _)| ids.get(*i).is_some_and(|x| x == id)) {
            return Err(format!("sleutel '{id}' staat al op regel {first}; dubbele rij niet gebruikt"));
        }
        let state = &self.state;
        self.table.insert_unique(hash, (ids.len(), line), |(i, _)| ids.get(*i).map_or(0, |x| state.hash_one(x.as_str())));
        self.accepted += 1;
        Ok(())
    }
}

/// Why a row with the wrong number of fields was skipped; when it ran over several lines an
/// opening quote was not closed, and the lines it swallowed are named.
fn wrong_width(line: u64, next: u64, got: usize, want: usize) -> String {
    if next > line + 1 {
        format!("{} ({got} velden in plaats van {want})", swallowed(line, next))
    } else {
        format!("{got} velden in plaats van {want}")
    }
}

fn swallowed(line: u64, next: u64) -> String {
    format!("aanhalingsteken niet gesloten: regels {line} tot en met {} zijn als één rij gelezen en overgeslagen", next - 1)
}

/// Normalises `batch` (whose keys are already in `read`), counting what was unusable in
/// `read`, and empties it.
fn normalise(read: &mut ReadRecords, batch: &mut Vec<RecordInput>) -> Vec<Record> {
    let mut out = Vec::with_capacity(batch.len());
    for (r, skipped) in Record::from_inputs(batch) {
        for s in skipped {
            *read.unusable.entry(format!("{}: {}", s.field, s.reason)).or_default() += 1;
        }
        if !r.is_matchable() {
            read.unmatchable += 1;
        }
        out.push(r);
    }
    batch.clear();
    out
}

/// A left side read from its file once per pass of [`knooppunt_matching::link_streamed`],
/// after a first reading gave its keys and skipped rows (`first`, whose records may be empty).
pub struct StreamedLeft<'a> {
    /// The file's name, before each error.
    name: &'a str,
    open: &'a mut dyn FnMut() -> std::io::Result<Box<dyn Read>>,
    mapping: &'a Mapping,
    ids: &'a [String],
    skipped: HashSet<u64>,
}

impl<'a> StreamedLeft<'a> {
    /// `open` opens the file `name` from its start, as it was when `first` was read.
    pub fn new(name: &'a str, open: &'a mut dyn FnMut() -> std::io::Result<Box<dyn Read>>, mapping: &'a Mapping, first: &'a ReadRecords) -> StreamedLeft<'a> {
        StreamedLeft { name, open, mapping, ids: &first.ids, skipped: first.skipped_rows.iter().map(|(line, _)| *line).collect() }
    }
}

impl Passes<std::io::Error> for StreamedLeft<'_> {
    fn len(&self) -> usize {
        self.ids.len()
    }

    fn pass(&mut self, f: &mut dyn FnMut(&[Record]) -> std::io::Result<()>) -> std::io::Result<()> {
        let failed = |e: String| std::io::Error::other(format!("{}: {e}", self.name));
        let input = (self.open)().map_err(|e| failed(format!("opnieuw lezen mislukt: {e}")))?;
        let mut reader = RecordReader::again(input, self.mapping, self.ids, &self.skipped).map_err(|e| failed(e.join("; ")))?;
        while let Some(chunk) = reader.next_chunk().map_err(failed)? {
            f(&chunk)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &str = "nr,naam,geboren\n1,Jansen,1980-02-03\n2,\"Open,1981\n3,Bakker\",1982-01-01\n1,Dubbel,1983\n,Leeg,\n4,de Vries,1984-05-06\n";

    fn read_again(csv: &str, first: &ReadRecords, m: &Mapping) -> Result<Vec<Record>, String> {
        let skipped = first.skipped_rows.iter().map(|(l, _)| *l).collect();
        let mut reader = RecordReader::again(csv.as_bytes(), m, &first.ids, &skipped).map_err(|e| e.join("; "))?;
        let mut out = Vec::new();
        while let Some(c) = reader.next_chunk()? {
            out.extend(c);
        }
        Ok(out)
    }

    #[test]
    fn a_file_read_again_gives_the_same_records_or_says_it_changed() {
        let m = Mapping::parse("id=nr,surname=naam,birth_date=geboren").unwrap_or_default();
        let first = read_records(CSV.as_bytes(), &m).unwrap_or_default();
        assert_eq!(first.ids, ["1", "4"], "{:?}", first.skipped_rows);
        // The same file: the same records, the skipped rows skipped again without a word.
        assert_eq!(read_again(CSV, &first, &m), Ok(first.records.clone()));
        // A row changed, added before the end, or taken away: refused.
        for changed in [CSV.replace("de Vries", "Visser").replace("4,", "5,"), CSV.replace("1,Jansen", "0,Nieuw\n1,Jansen"), CSV.replace("4,de Vries,1984-05-06\n", "")] {
            assert!(read_again(&changed, &first, &m).is_err_and(|e| e.contains("veranderd")), "{changed}");
        }
    }
}
