//! The binary itself: `knooppunt migrate`, `user`, `token` and `audit verify` on a SQLite file.

use anyhow::Result;
use std::process::Command;

fn knooppunt(dir: &std::path::Path, args: &[&str]) -> Result<std::process::Output> {
    Ok(Command::new(env!("CARGO_BIN_EXE_knooppunt")).arg("--data-dir").arg(dir).arg("--log-format").arg("text").args(args).env("KNOOPPUNT_LOG", "warn").output()?)
}

fn text(o: &std::process::Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

#[test]
fn audit_verify_names_the_tampered_row() -> Result<()> {
    let dir = std::env::temp_dir().join(format!("knooppunt-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let o = knooppunt(&dir, &["migrate"])?;
    assert!(o.status.success(), "{}", text(&o));
    let o = knooppunt(&dir, &["user", "add", "--username", "a.beheer", "--name", "A. Beheer", "--email", "a@liec.example", "--organisation", "LIEC", "--role", "beheerder"])?;
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("Eerste wachtwoord"));
    let o = knooppunt(&dir, &["user", "grant", "a.beheer", "riec-analist@limburg"])?;
    assert!(o.status.success(), "{}", text(&o));
    let o = knooppunt(&dir, &["token", "create", "--name", "koppeling", "--organisation", "Nationale Politie", "--role", "partner-medewerker@limburg"])?;
    assert!(o.status.success() && text(&o).contains("kp_"), "{}", text(&o));
    let o = knooppunt(&dir, &["user", "grant", "a.beheer", "koning"])?;
    assert!(!o.status.success() && text(&o).contains("Onbekende rol"), "{}", text(&o));
    let o = knooppunt(&dir, &["audit", "verify"])?;
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("Auditketen in orde"));

    // The log lifecycle from the command line: this month exported (nothing removed), nothing
    // old enough to archive yet, and the chain verified with the (empty) archive.
    let logs = dir.join("logarchief");
    let logs_arg = logs.display().to_string();
    // The binary runs on the real clock, so this month is the real one.
    #[allow(clippy::disallowed_methods)]
    let month = chrono::Utc::now().format("%Y-%m").to_string();
    let o = knooppunt(&dir, &["logs", "export", "--period", &month, "--dir", &logs_arg])?;
    assert!(o.status.success() && text(&o).contains("audit\t"), "{}", text(&o));
    assert!(std::fs::read_dir(&logs)?.filter_map(|e| e.ok()).any(|e| e.file_name().to_string_lossy().ends_with(".manifest.json")));
    let o = knooppunt(&dir, &["logs", "export", "--period", "2026-13", "--dir", &logs_arg])?;
    assert!(!o.status.success() && text(&o).contains("JJJJ-MM"), "{}", text(&o));
    let o = knooppunt(&dir, &["logs", "archive", "--dir", &logs_arg])?;
    assert!(o.status.success() && text(&o).contains("Niets te archiveren"), "{}", text(&o));
    let o = knooppunt(&dir, &["audit", "verify", "--archive", &logs_arg])?;
    assert!(o.status.success() && text(&o).contains("Logarchief in orde: 0 delen"), "{}", text(&o));

    // A signed checkpoint, kept outside the database, shows a chain cut back to an older head.
    let cp = dir.join("controlepunten.jsonl");
    let cp_arg = cp.display().to_string();
    let o = knooppunt(&dir, &["audit", "checkpoint", "--out", &cp_arg])?;
    assert!(o.status.success(), "{}", text(&o));
    let o = knooppunt(&dir, &["audit", "verify", "--checkpoints", &cp_arg])?;
    assert!(o.status.success() && text(&o).contains("1 controlepunten kloppen"), "{}", text(&o));
    let url = format!("sqlite://{}?mode=rw", dir.join("knooppunt.db").display());
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    rt.block_on(async {
        let db = knooppunt_store::Db::connect(&url).await?;
        let head: i64 = {
            let mut tx = db.begin().await?;
            let r = knooppunt_store::query::q("SELECT seq FROM audit_head").fetch_one(&mut tx).await?;
            knooppunt_store::query::col_at::<i64>(&r, 0)?
        };
        let keep = head - 3;
        knooppunt_store::audit::execute_raw(&db, &format!("DELETE FROM audit_log WHERE seq > {keep}")).await?;
        knooppunt_store::audit::execute_raw(&db, &format!("UPDATE audit_head SET seq = {keep}, hash = (SELECT hash FROM audit_log WHERE seq = {keep})")).await?;
        db.close().await;
        anyhow::Ok(())
    })?;
    let o = knooppunt(&dir, &["audit", "verify"])?;
    assert!(o.status.success(), "a cut chain is consistent by itself: {}", text(&o));
    // (The plain check above wrote its own line in the place of a cut one: then the row at the
    // checkpoint is there again, with another hash.)
    let o = knooppunt(&dir, &["audit", "verify", "--checkpoints", &cp_arg])?;
    assert!(!o.status.success() && (text(&o).contains("ingekort") || text(&o).contains("herschreven")) && text(&o).contains("controlepunt"), "{}", text(&o));

    // Edit a row by hand, as someone with file access would.
    rt.block_on(async {
        let db = knooppunt_store::Db::connect(&url).await?;
        knooppunt_store::audit::execute_raw(&db, "UPDATE audit_log SET actor = 'niemand' WHERE seq = 2").await?;
        db.close().await;
        anyhow::Ok(())
    })?;
    let o = knooppunt(&dir, &["audit", "verify"])?;
    assert!(!o.status.success());
    assert!(text(&o).contains("rij 2 is gewijzigd"), "{}", text(&o));
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

#[test]
fn help_is_there_for_every_subcommand() -> Result<()> {
    for args in [vec!["--help"], vec!["serve", "--help"], vec!["demo", "--help"], vec!["user", "add", "--help"], vec!["token", "--help"], vec!["audit", "verify", "--help"]] {
        let o = Command::new(env!("CARGO_BIN_EXE_knooppunt")).args(&args).output()?;
        assert!(o.status.success(), "{args:?}");
    }
    let o = Command::new(env!("CARGO_BIN_EXE_knooppunt")).args(["--log-format", "xml", "migrate"]).output()?;
    assert!(!o.status.success() && text(&o).contains("log-format"));
    Ok(())
}

/// `serve` refuses insecure set-ups instead of running them silently: plain HTTP on a
/// non-loopback address, a demo database, and a new pseudonymisation key over an existing
/// processing log.
#[test]
fn serve_refuses_insecure_set_ups() -> Result<()> {
    let dir = std::env::temp_dir().join(format!("knooppunt-cli-refuse-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let o = knooppunt(&dir, &["migrate"])?;
    assert!(o.status.success(), "{}", text(&o));

    // 0.0.0.0 without TLS: refused, with the way out in the message.
    let o = knooppunt(&dir, &["serve", "--listen", "0.0.0.0:0"])?;
    assert!(!o.status.success() && text(&o).contains("zonder TLS") && text(&o).contains("--behind-proxy"), "{}", text(&o));

    let url = format!("sqlite://{}?mode=rw", dir.join("knooppunt.db").display());
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    // A processing log without its key: refused, the key is not replaced.
    let original = std::fs::read_to_string(dir.join("pseudonym.key"))?;
    std::fs::remove_file(dir.join("pseudonym.key"))?;
    rt.block_on(async {
        let db = knooppunt_store::Db::connect(&url).await?;
        knooppunt_store::audit::execute_raw(
            &db,
            "INSERT INTO processing_log (trace_id, span_id, activity_code, subject_type, subject_pseudonym, status, actor, at) VALUES ('t', 's', 'casusdossier-inzien', 'betrokkene', 'p', 'ok', 'x', 1)",
        )
        .await?;
        db.close().await;
        anyhow::Ok(())
    })?;
    let o = knooppunt(&dir, &["serve", "--listen", "127.0.0.1:0"])?;
    assert!(!o.status.success() && text(&o).contains("pseudonimiseringssleutel"), "{}", text(&o));
    assert!(!dir.join("pseudonym.key").exists(), "a new key was written over an existing log");

    // Another key than the one the data was written with (a node configured differently):
    // refused for the pseudonyms and for the audit seal, naming both check values.
    std::fs::write(dir.join("pseudonym.key"), "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff")?;
    let o = knooppunt(&dir, &["serve", "--listen", "127.0.0.1:0"])?;
    assert!(!o.status.success() && text(&o).contains("niet die waarmee deze database is geschreven") && text(&o).contains("pseudonimisering"), "{}", text(&o));
    std::fs::write(dir.join("pseudonym.key"), &original)?;
    let seal = std::fs::read_to_string(dir.join("audit.key"))?;
    std::fs::write(dir.join("audit.key"), "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100")?;
    let o = knooppunt(&dir, &["serve", "--listen", "127.0.0.1:0"])?;
    assert!(!o.status.success() && text(&o).contains("auditzegel"), "{}", text(&o));
    std::fs::write(dir.join("audit.key"), &seal)?;

    // A demo database: refused by `serve`.
    let o = knooppunt(&dir, &["user", "add", "--username", "demo.iemand", "--name", "Demo", "--email", "d@demo.example", "--organisation", "LIEC", "--role", "auditor"])?;
    assert!(o.status.success(), "{}", text(&o));
    rt.block_on(async {
        let db = knooppunt_store::Db::connect(&url).await?;
        knooppunt_store::audit::execute_raw(&db, "UPDATE users SET demo = TRUE WHERE username = 'demo.iemand'").await?;
        db.close().await;
        anyhow::Ok(())
    })?;
    let o = knooppunt(&dir, &["serve", "--listen", "127.0.0.1:0"])?;
    assert!(!o.status.success() && text(&o).contains("demo-accounts"), "{}", text(&o));
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

#[test]
fn a_backup_made_while_serving_restores_with_every_row_and_a_verifying_chain() -> Result<()> {
    let base = std::env::temp_dir().join(format!("knooppunt-cli-backup-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let (live, restored, keyless) = (base.join("live"), base.join("terug"), base.join("zonder-sleutels"));
    let o = knooppunt(&live, &["migrate"])?;
    assert!(o.status.success(), "{}", text(&o));
    for n in 0..5 {
        let username = format!("gebruiker.{n}");
        let email = format!("g{n}@liec.example");
        let o = knooppunt(&live, &["user", "add", "--username", &username, "--name", "G", "--email", &email, "--organisation", "LIEC", "--role", "auditor"])?;
        assert!(o.status.success(), "{}", text(&o));
    }
    // The platform runs (and writes: its start, the matcher, the purge) while the backup is made.
    let mut server = Command::new(env!("CARGO_BIN_EXE_knooppunt"))
        .arg("--data-dir")
        .arg(&live)
        .args(["--log-format", "text", "serve", "--listen", "127.0.0.1:0"])
        .env("KNOOPPUNT_LOG", "warn")
        .spawn()?;
    std::thread::sleep(std::time::Duration::from_millis(500));
    let file = base.join("knooppunt-backup.db");
    let file_arg = file.display().to_string();
    let o = knooppunt(&live, &["backup", "--out", &file_arg])?;
    let _ = server.kill();
    let _ = server.wait();
    assert!(o.status.success() && text(&o).contains("Back-up geschreven"), "{}", text(&o));
    let o = knooppunt(&live, &["backup", "--out", &file_arg])?;
    assert!(!o.status.success() && text(&o).contains("bestaat al"), "an existing file is not overwritten: {}", text(&o));

    // Restored into an empty data folder with the keys put back beside it: every row, and the
    // audit chain verifies.
    std::fs::create_dir_all(&restored)?;
    for key in ["audit.key", "pseudonym.key"] {
        std::fs::copy(live.join(key), restored.join(key))?;
    }
    let o = knooppunt(&restored, &["restore", "--from", &file_arg])?;
    assert!(o.status.success() && text(&o).contains("Auditketen in orde"), "{}", text(&o));
    let count = |dir: &std::path::Path, sql: &str| -> Result<i64> {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        rt.block_on(async {
            let db = knooppunt_store::Db::connect(&format!("sqlite://{}?mode=ro", dir.join("knooppunt.db").display())).await?;
            let n = knooppunt_store::audit::count_raw(&db, sql).await?;
            db.close().await;
            anyhow::Ok(n)
        })
    };
    for sql in ["SELECT COUNT(*) AS n FROM users WHERE username LIKE 'gebruiker.%'", "SELECT COUNT(*) AS n FROM regions", "SELECT COUNT(*) AS n FROM municipalities"] {
        assert_eq!(count(&restored, sql)?, count(&live, sql)?, "{sql}");
    }
    assert_eq!(count(&restored, "SELECT COUNT(*) AS n FROM users WHERE username LIKE 'gebruiker.%'")?, 5);
    // Never over an existing database; and without its keys the chain is not "verified" with new ones.
    let o = knooppunt(&restored, &["restore", "--from", &file_arg])?;
    assert!(!o.status.success() && text(&o).contains("lege datamap"), "{}", text(&o));
    let o = knooppunt(&keyless, &["restore", "--from", &file_arg])?;
    assert!(!o.status.success() && text(&o).contains("sleutel"), "{}", text(&o));
    let _ = std::fs::remove_dir_all(&base);
    Ok(())
}

/// `knooppunt digest` sends what is due now; it says so when no SMTP server is set or the
/// address is not one, and with nothing due it sends nothing.
#[test]
fn digest_needs_a_usable_smtp_server() -> Result<()> {
    let dir = std::env::temp_dir().join(format!("knooppunt-digest-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let run = |url: Option<&str>| -> Result<std::process::Output> {
        let mut c = Command::new(env!("CARGO_BIN_EXE_knooppunt"));
        c.arg("--data-dir").arg(&dir).args(["--log-format", "text", "digest"]).env("KNOOPPUNT_LOG", "warn").env_remove("KNOOPPUNT_SMTP_URL");
        if let Some(u) = url {
            c.env("KNOOPPUNT_SMTP_URL", u);
        }
        Ok(c.output()?)
    };
    let o = run(None)?;
    assert!(!o.status.success() && text(&o).contains("geen SMTP-server ingesteld"), "{}", text(&o));
    let o = run(Some("ftp://mail.example.nl"))?;
    assert!(!o.status.success() && text(&o).contains("smtp_url is geen bruikbaar SMTP-adres"), "{}", text(&o));
    let o = run(Some("smtp://127.0.0.1:1"))?;
    assert!(o.status.success() && text(&o).contains("0 e-mails met meldingen verstuurd"), "{}", text(&o));
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// `knooppunt link` opens its output before any work: an unwritable `--out` is named at once,
/// before the inputs are even read (here the right file does not exist, and that is not what
/// the command complains about).
#[test]
fn link_checks_its_output_before_the_work() -> Result<()> {
    let dir = std::env::temp_dir().join(format!("knooppunt-link-out-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let left = dir.join("links.csv");
    std::fs::write(&left, "nr,naam\n1,Jansen\n")?;
    let out = dir.join("bestaat-niet").join("paren.csv");
    let o =
        Command::new(env!("CARGO_BIN_EXE_knooppunt")).arg("link").arg(&left).arg(dir.join("ontbreekt.csv")).args(["--map", "id=nr,surname=naam", "--out"]).arg(&out).output()?;
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "{err}");
    assert!(err.contains("niet te schrijven") && err.contains("paren.csv"), "{err}");
    assert!(!err.contains("ontbreekt.csv"), "the output is checked first: {err}");
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// Three people in two small files, each a little different on the right: the files, their
/// directory and the mapping.
fn three_people(name: &str) -> Result<(std::path::PathBuf, std::path::PathBuf, std::path::PathBuf, &'static str)> {
    let dir = std::env::temp_dir().join(format!("knooppunt-link-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let (left, right) = (dir.join("links.csv"), dir.join("rechts.csv"));
    std::fs::write(
        &left,
        "nr,voornaam,naam,geboren,postcode,huisnummer\n1,Jan,Jansen,1970-01-02,1011AB,1\n2,Piet,Bakker,1980-03-04,9711AA,2\n3,Anna,de Vries,1990-05-06,3011AA,3\n",
    )?;
    std::fs::write(
        &right,
        "nr,voornaam,naam,geboren,postcode,huisnummer\n1,Jan,Janssen,1970-01-02,1011AB,1\n2,Pieter,Bakker,1981-03-04,9711AA,2\n3,Anna,Vries,1990-05-06,3011AA,4\n",
    )?;
    Ok((dir, left, right, "id=nr,given_names=voornaam,surname=naam,birth_date=geboren,postcode=postcode,house_number=huisnummer"))
}

/// `--memory` smaller than the records: a warning about the right side's floor, the left file
/// read in chunks for each pass, and the same output as without a budget; a size nobody writes
/// is refused.
#[test]
fn a_memory_budget_changes_the_work_not_the_pairs() -> Result<()> {
    let (dir, left, right, map) = three_people("memory")?;
    let run = |extra: &[&str], out: &str| -> Result<(std::process::Output, String)> {
        let out = dir.join(out);
        let o = Command::new(env!("CARGO_BIN_EXE_knooppunt"))
            .arg("link")
            .arg(&left)
            .arg(&right)
            .args(["--map", map, "--threshold", "0.5", "--explain", "--out"])
            .arg(&out)
            .args(extra)
            .output()?;
        Ok((o, std::fs::read_to_string(&out).unwrap_or_default()))
    };
    let (free, free_pairs) = run(&[], "vrij.csv")?;
    let (tight, tight_pairs) = run(&["--memory", "1M"], "krap.csv")?;
    assert!(free.status.success() && tight.status.success(), "{}", text(&tight));
    assert!(free_pairs.lines().count() >= 3, "{free_pairs}");
    assert_eq!(free_pairs, tight_pairs);
    let said = String::from_utf8_lossy(&tight.stderr);
    assert!(said.contains("het rechterbestand voorbereiden vroeg al") && said.contains("Het linkerbestand past niet in --memory"), "{said}");
    assert!(!String::from_utf8_lossy(&free.stderr).contains("opnieuw"), "{}", text(&free));
    let (roomy, roomy_pairs) = run(&["--memory", "8G"], "ruim.csv")?;
    assert!(roomy.status.success() && !String::from_utf8_lossy(&roomy.stderr).contains("opnieuw"), "{}", text(&roomy));
    assert_eq!(roomy_pairs, free_pairs);
    let (wrong, _) = run(&["--memory", "veel"], "fout.csv")?;
    assert!(!wrong.status.success() && String::from_utf8_lossy(&wrong.stderr).contains("geen geheugengrootte"), "{}", text(&wrong));
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// `--threshold-bits w` writes the pairs `--threshold` 1/(1+2^-w) writes, says so in bits, and
/// refuses a weight out of range or given together with `--threshold`.
#[test]
fn a_threshold_in_bits_is_a_probability_threshold() -> Result<()> {
    let (dir, left, right, map) = three_people("bits")?;
    let run = |extra: &[&str], out: &str| -> Result<(std::process::Output, String)> {
        let out = dir.join(out);
        let o = Command::new(env!("CARGO_BIN_EXE_knooppunt")).arg("link").arg(&left).arg(&right).args(["--map", map, "--no-em", "--out"]).arg(&out).args(extra).output()?;
        Ok((o, std::fs::read_to_string(&out).unwrap_or_default()))
    };
    // With the default model the three pairs weigh about 11.4, 11.4 and 10.7 bits: 11 bits
    // (2048/2049) lets two through, 20 bits none.
    for (bits, probability, rows) in [("0", "0.5", 3), ("11", "0.999512", 2), ("20", "0.999999", 0)] {
        let (by_bits, pairs_bits) = run(&["--threshold-bits", bits], "bits.csv")?;
        let (by_p, pairs_p) = run(&["--threshold", probability], "kans.csv")?;
        assert!(by_bits.status.success() && by_p.status.success(), "{}", text(&by_bits));
        assert_eq!(pairs_bits, pairs_p, "{bits} bits against {probability}");
        assert_eq!(pairs_bits.lines().count(), 1 + rows, "{bits} bits: {pairs_bits}");
        assert!(String::from_utf8_lossy(&by_bits.stderr).contains("bits)"), "{}", text(&by_bits));
    }
    let (wrong, _) = run(&["--threshold-bits", "99"], "fout.csv")?;
    assert!(!wrong.status.success() && String::from_utf8_lossy(&wrong.stderr).contains("tussen -60 en 60"), "{}", text(&wrong));
    let (both, _) = run(&["--threshold-bits", "2", "--threshold", "0.8"], "fout.csv")?;
    assert!(!both.status.success(), "{}", text(&both));
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
