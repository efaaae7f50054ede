//! Replays the committed fuzz corpora (`fuzz/corpus/<target>/`) through the same checks the
//! fuzz targets run, so every test run keeps what the fuzzer once found fixed.

use std::path::PathBuf;

fn corpus_dir(target: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus").join(target)
}

#[test]
fn every_fuzz_corpus_replays_without_a_broken_property() -> Result<(), Box<dyn std::error::Error>> {
    for (target, check) in knooppunt_fuzz_checks::TARGETS {
        let dir = corpus_dir(target);
        let mut replayed = 0;
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            let data = std::fs::read(&path)?;
            let outcome = std::panic::catch_unwind(|| check(&data));
            assert!(outcome.is_ok(), "{target}: {} breaks a property", path.display());
            replayed += 1;
        }
        assert!(replayed >= 10, "{target}: only {replayed} corpus inputs in {}", dir.display());
    }
    Ok(())
}
