//! `knooppunt link` and `knooppunt encode`: two CSV files linked, or one encoded for
//! privacy-preserving linkage, without a database (the pure matching crate does the work).

use crate::config::{EncodeArgs, LinkArgs};
use crate::progress::{Counting, Progress};
use anyhow::{anyhow, bail, Context, Result};
use knooppunt_app::linkage::{Mapping, ReadRecords, RecordReader};
use std::sync::atomic::AtomicU64;

/// Opens `path` for reading with a bar following the bytes read; `read` counts them.
fn open_side<'a>(path: &std::path::Path, progress: &Progress, read: &'a AtomicU64) -> Result<Counting<'a, std::fs::File>> {
    let file = std::fs::File::open(path).with_context(|| format!("{} niet te openen", path.display()))?;
    progress.phase(&format!("{} lezen", path.file_name().unwrap_or_default().to_string_lossy()), file.metadata().map(|m| m.len()).unwrap_or(0));
    Ok(Counting { inner: file, counter: read })
}

/// Reads the right file and prepares it for linking a chunk at a time (its records are never
/// all held).
fn read_prepared(path: &std::path::Path, mapping: &Mapping, progress: &Progress) -> Result<(ReadRecords, knooppunt_matching::Prepared)> {
    let read = AtomicU64::new(0);
    let input = open_side(path, progress, &read)?;
    let (r, prepared) = progress.follow(&read, || knooppunt_app::linkage::read_prepared(input, mapping)).map_err(|p| anyhow!("{}: {}", path.display(), p.join("; ")))?;
    progress.suspend(|| report_side(path, &r));
    Ok((r, prepared))
}

/// Reads a file: its records are kept while the process stays within `budget` (`None`:
/// always), with room to pack them; past it they are let go, the reading goes on for the keys
/// and what to report, and a link reads the left file again for each pass.
fn read_side(path: &std::path::Path, mapping: &Mapping, progress: &Progress, budget: Option<u64>) -> Result<ReadRecords> {
    let read = AtomicU64::new(0);
    let input = open_side(path, progress, &read)?;
    let start = resident_bytes().unwrap_or(0);
    let r = progress.follow(&read, || -> Result<ReadRecords, Vec<String>> {
        let mut reader = RecordReader::new(input, mapping)?;
        let mut records = Vec::new();
        let (mut keep, mut last) = (true, start);
        while let Some(chunk) = reader.next_chunk().map_err(|e| vec![e])? {
            if !keep {
                continue;
            }
            let n = chunk.len();
            records.extend(chunk);
            let Some(budget) = budget else { continue };
            crate::allocator::give_freed_memory_back();
            let now = resident_bytes().unwrap_or(0);
            // Packed, the records take about a quarter of their size again; the next chunk takes
            // what this one took, and a copy of the array when it must grow for it; and the
            // threads that normalise hold what they freed a while.
            let growing = if records.capacity() - records.len() < n { std::mem::size_of_val(records.as_slice()) as u64 } else { 0 };
            if now + now.saturating_sub(start) / 4 + now.saturating_sub(last) + growing + 2 * RESERVE > budget {
                keep = false;
                records = Vec::new();
            }
            last = now;
        }
        Ok(ReadRecords { records, ..reader.read })
    });
    let r = r.map_err(|p| anyhow!("{}: {}", path.display(), p.join("; ")))?;
    progress.suspend(|| report_side(path, &r));
    Ok(r)
}

/// What was read from one file, and what was skipped, on standard error.
fn report_side(path: &std::path::Path, r: &knooppunt_app::linkage::ReadRecords) {
    eprintln!("{}: {} records gelezen", path.display(), r.ids.len());
    for (line, reason) in r.skipped_rows.iter().take(20) {
        eprintln!("  regel {line} overgeslagen: {reason}");
    }
    if r.skipped_rows.len() > 20 {
        eprintln!("  … en nog {} regels overgeslagen", r.skipped_rows.len() - 20);
    }
    for (what, n) in &r.unusable {
        eprintln!("  {n}× onbruikbaar gegeven genegeerd — {what}");
    }
    if r.unmatchable > 0 {
        eprintln!("  {} records zonder bruikbare naam, adres of identificatie: niet vergeleken", r.unmatchable);
    }
}

/// The match probability from which pairs are written: --threshold, or --threshold-bits
/// converted (w bits of match weight are odds of 2^w to 1).
fn probability_threshold(args: &LinkArgs) -> Result<f64> {
    match args.threshold_bits {
        Some(w) if !w.is_finite() || w.abs() > 60.0 => bail!("--threshold-bits moet tussen -60 en 60 liggen"),
        Some(w) => Ok(1.0 / (1.0 + (-w).exp2())),
        None if !(0.0..=1.0).contains(&args.threshold) => bail!("--threshold moet tussen 0 en 1 liggen"),
        None => Ok(args.threshold),
    }
}

/// A probability threshold as the user reads it: the probability and its weight in bits.
fn threshold_text(p: f64) -> String {
    if p <= 0.0 || p >= 1.0 {
        return format!("{p}");
    }
    format!("{p:.6} ({:+.2} bits)", (p / (1.0 - p)).log2())
}

pub(crate) fn link_files(args: &LinkArgs) -> Result<()> {
    use knooppunt_app::linkage;
    let threshold = probability_threshold(args)?;
    let parse = |spec: &str| Mapping::parse(spec).and_then(|m| m.with_marks(&args.shared_id, &args.ruling_id)).map_err(|p| anyhow!("ongeldige mapping: {}", p.join("; ")));
    let left_map = parse(args.map.as_deref().unwrap_or_default())?;
    let right_map = match &args.map_right {
        Some(m) => parse(m)?,
        None => left_map.clone(),
    };
    // The output is opened before any work: an unwritable path fails at once, not after the run.
    let out = create_out(&args.out)?;
    let started = std::time::Instant::now();
    let progress = Progress::new();
    // The right file is read, indexed and packed a chunk at a time before the left one is
    // read: its records are never all held, nor the records of both sides at once.
    let (right, prepared) = read_prepared(&args.right, &right_map, &progress)?;
    crate::allocator::give_freed_memory_back();
    if let (Some(budget), Some(peak)) = (args.memory, status_bytes("VmHWM:")) {
        if peak + RESERVE > budget {
            eprintln!(
                "Let op: het rechterbestand voorbereiden vroeg al {} MB, meer dan --memory {} MB toestaat. Minder kan niet: kies het kleinste bestand als rechterbestand.",
                peak >> 20,
                budget >> 20
            );
        }
    }
    let left = read_side(&args.left, &left_map, &progress, args.memory)?;
    let streamed = left.records.is_empty() && !left.ids.is_empty();
    if streamed {
        eprintln!("Het linkerbestand past niet in --memory: het wordt in delen gelezen, twee keer opnieuw (de uitkomst is dezelfde).");
    }
    let hold_bytes = args.memory.map(|budget| hold_budget(budget, resident_bytes()));
    let opts = knooppunt_matching::LinkOptions { threshold, estimate: !args.no_em, hold_bytes, ..Default::default() };
    // The bar follows the comparing (a second time when the pairs did not fit); estimating the
    // model comes after the first, and each pair is written as it is scored.
    progress.phase("vergelijken, schatten, scoren en schrijven", left.ids.len() as u64);
    let compared = AtomicU64::new(0);
    let mut writer = linkage::PairWriter::new(out, args.explain)?;
    let mut open = || -> std::io::Result<Box<dyn std::io::Read>> { Ok(Box::new(std::fs::File::open(&args.left)?)) };
    let name = args.left.display().to_string();
    let source = streamed.then(|| linkage::StreamedLeft::new(&name, &mut open, &left_map, &left));
    let linked = progress.follow(&compared, || linkage::link_files(&mut writer, &left, source, (&right.ids, &prepared), &opts, &compared))?;
    let written = writer.finish()?;
    progress.finish();
    eprintln!(
        "{} kandidaatparen vergeleken; {written} paren met kans ≥ {} geschreven ({:.1} s).",
        linked.blocking.candidate_pairs,
        threshold_text(threshold),
        started.elapsed().as_secs_f64()
    );
    if linked.compared_twice && !streamed {
        eprintln!("De kandidaatparen pasten niet in --memory: voor het scoren zijn ze opnieuw vergeleken.");
    }
    if args.show_model {
        show_model(&linked.model);
    }
    if linked.blocking.split > 0 {
        eprintln!(
            "{} blokkeersleutels gesplitst naar geboortejaar, initiaal, postcodegebied of plaats (meer dan {} records, of meer dan {} bij de tikfoutvarianten van een identificatie).",
            linked.blocking.split,
            knooppunt_matching::blocking::SPLIT_AT,
            knooppunt_matching::blocking::DENSE_SPLIT_AT
        );
    }
    capped(&linked.blocking);
    if !linked.blocking.oversized.is_empty() {
        let n = linked.blocking.oversized.len();
        let n = if n >= knooppunt_matching::blocking::REPORTED { format!("Ten minste {n}") } else { n.to_string() };
        eprintln!("{n} blokkeersleutels overgeslagen (ook na splitsen meer dan {} records per sleutel), bijvoorbeeld:", knooppunt_matching::MAX_BLOCK);
        for (k, n) in linked.blocking.oversized.iter().take(5) {
            eprintln!("  {k} ({n} records)");
        }
    }
    Ok(())
}

/// Memory kept free within `--memory` for the tallies, the `u` sample and the output buffer.
const RESERVE: u64 = 32 << 20;

/// Bytes the candidate pairs may take within `budget` for the whole process, of which
/// `resident` is in use (the records of both sides), less [`RESERVE`].
fn hold_budget(budget: u64, resident: Option<u64>) -> u64 {
    budget.saturating_sub(resident.unwrap_or(0) + RESERVE)
}

/// The process's resident memory (Linux; `None` elsewhere).
fn resident_bytes() -> Option<u64> {
    status_bytes("VmRSS:")
}

/// A size in `/proc/self/status` (`VmRSS:` now, `VmHWM:` at its peak), Linux only.
fn status_bytes(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: u64 = status.lines().find_map(|l| l.strip_prefix(field))?.trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kb * 1024)
}

fn show_model(m: &knooppunt_matching::Model) {
    eprintln!("model: kans vooraf personen {:.3e}, bedrijven {:.3e}, overig {:.3e}", m.prior[0], m.prior[1], m.prior[2]);
    for (i, f) in knooppunt_matching::model::FIELDS.iter().enumerate() {
        eprintln!("  {:<14} m {:.4} {:.4} {:.4}   u {:.6} {:.6} {:.6}", f.code(), m.m[i][0], m.m[i][1], m.m[i][2], m.u[i][0], m.u[i][1], m.u[i][2]);
    }
    let h = &m.household;
    eprintln!(
        "  huisgenoten: kans vooraf één persoon {:.3}; onder familieleden u voornaam {:.4} {:.4} {:.4}, geboortedatum {:.4} {:.4} {:.4}",
        h.prior, h.given[0], h.given[1], h.given[2], h.birth[0], h.birth[1], h.birth[2]
    );
}

/// Reads the encoding secret from a file; the error never contains the secret.
pub fn read_secret(path: &std::path::Path) -> Result<knooppunt_matching::clk::Secret> {
    let bytes = std::fs::read(path).with_context(|| format!("sleutelbestand {} niet te lezen", path.display()))?;
    knooppunt_matching::clk::Secret::new(&bytes).map_err(|e| anyhow!("sleutelbestand {}: {e}", path.display()))
}

fn create_out(out: &str) -> Result<Box<dyn std::io::Write>> {
    Ok(if out == "-" {
        Box::new(std::io::stdout().lock())
    } else {
        Box::new(std::io::BufWriter::new(std::fs::File::create(out).with_context(|| format!("{out} niet te schrijven"))?))
    })
}

pub(crate) fn encode_file(args: &EncodeArgs) -> Result<()> {
    use knooppunt_app::linkage::{self, Mapping};
    let mapping = Mapping::parse(&args.map).and_then(|m| m.with_marks(&args.shared_id, &args.ruling_id)).map_err(|p| anyhow!("ongeldige mapping: {}", p.join("; ")))?;
    let secret = read_secret(&args.secret_file)?;
    let out = create_out(&args.out)?;
    let started = std::time::Instant::now();
    let progress = Progress::new();
    let records = read_side(&args.input, &mapping, &progress, None)?;
    progress.phase("coderen", 0);
    let written = linkage::write_encoded(out, &records, &secret)?;
    progress.finish();
    let secs = started.elapsed().as_secs_f64();
    eprintln!("{written} records gecodeerd in {secs:.1} s ({:.0} per seconde); sleutelcontrole {}.", written as f64 / secs.max(1e-9), secret.check());
    Ok(())
}

fn read_encoded_side(path: &std::path::Path) -> Result<knooppunt_app::linkage::ReadEncoded> {
    let file = std::fs::File::open(path).with_context(|| format!("{} niet te openen", path.display()))?;
    let r = knooppunt_app::linkage::read_encoded(std::io::BufReader::new(file)).map_err(|p| anyhow!("{}: {}", path.display(), p.join("; ")))?;
    eprintln!("{}: {} gecodeerde records gelezen", path.display(), r.encoded.len());
    for (line, reason) in r.skipped_rows.iter().take(20) {
        eprintln!("  regel {line} overgeslagen: {reason}");
    }
    if r.skipped_rows.len() > 20 {
        eprintln!("  … en nog {} regels overgeslagen", r.skipped_rows.len() - 20);
    }
    Ok(r)
}

pub(crate) fn link_encoded_files(args: &LinkArgs) -> Result<()> {
    let threshold = probability_threshold(args)?;
    let out = create_out(&args.out)?;
    let started = std::time::Instant::now();
    let left = read_encoded_side(&args.left)?;
    let right = read_encoded_side(&args.right)?;
    if !args.all_pairs {
        let opts = knooppunt_matching::LinkOptions { threshold, estimate: !args.no_em, ..Default::default() };
        let (pairs, model, blocking) = knooppunt_app::linkage::link_encoded_model_files(&left, &right, &opts).map_err(|e| anyhow!(e))?;
        let written = knooppunt_app::linkage::write_scored_pairs(out, &left, &right, &pairs)?;
        eprintln!(
            "{} kandidaatparen vergeleken (gecodeerd); {written} paren met kans ≥ {} geschreven ({:.1} s).",
            blocking.candidate_pairs,
            threshold_text(threshold),
            started.elapsed().as_secs_f64()
        );
        if args.show_model {
            show_model(&model);
        }
        if !blocking.oversized.is_empty() {
            eprintln!("{} blokkeersleutels overgeslagen (meer dan {} records per sleutel).", blocking.oversized.len(), knooppunt_matching::MAX_BLOCK);
        }
        return Ok(());
    }
    let compare_started = std::time::Instant::now();
    let (pairs, report) = knooppunt_app::linkage::link_encoded_files(&left, &right, args.threshold, true).map_err(|e| anyhow!(e))?;
    let compare_secs = compare_started.elapsed().as_secs_f64();
    let written = knooppunt_app::linkage::write_encoded_pairs(out, &left, &right, &pairs)?;
    eprintln!(
        "{} Dice-vergelijkingen in {compare_secs:.2} s ({:.0} miljoen per seconde, {}); {written} paren met Dice ≥ {} geschreven ({:.1} s in totaal).",
        report.comparisons,
        report.comparisons as f64 / compare_secs.max(1e-9) / 1e6,
        report.kernel.map(|k| k.name()).unwrap_or("?"),
        args.threshold,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Says how many candidates records left out because they had their budget of better ones.
fn capped(report: &knooppunt_matching::BlockingReport) {
    if report.capped > 0 {
        eprintln!(
            "{} kandidaatparen niet vergeleken: een record neemt er ten hoogste {}, eerst wie de meeste en kleinste blokken met hem deelt (zijn kleinste blok neemt het altijd helemaal).",
            report.capped,
            knooppunt_matching::blocking::BUDGET
        );
    }
}
