//! Storage for several nodes: migrations that run once when nodes start together, and the key
//! check values every node must match.

use anyhow::Result;
use knooppunt_store::keys::{check, KeyCheck};
use knooppunt_store::Db;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nodes_starting_together_migrate_once() -> Result<()> {
    // PostgreSQL: three nodes migrate an empty database at the same moment. Without the
    // advisory lock they race on CREATE TABLE and the migration rows; with it each step runs
    // once and every node ends on the same version.
    let Some(url) = knooppunt_testkit::empty_postgres_database().await? else {
        eprintln!("KNOOPPUNT_TEST_POSTGRES_URL is not set: not run");
        return Ok(());
    };
    let nodes = [Db::connect(&url).await?, Db::connect(&url).await?, Db::connect(&url).await?];
    let (a, b, c) = tokio::join!(nodes[0].migrate(), nodes[1].migrate(), nodes[2].migrate());
    let applied: usize = [a?, b?, c?].iter().map(Vec::len).sum();
    assert_eq!(applied, knooppunt_store::migrations::migrations().len(), "each migration applied exactly once");
    for db in &nodes {
        assert!(knooppunt_store::migrations::is_current(db).await?);
        db.close().await;
    }
    Ok(())
}

async fn a_node_with_another_key_is_told_so(t: knooppunt_testkit::TestApp) -> Result<()> {
    let db = t.app.db();
    assert_eq!(check(db, "pseudonimisering", b"de-sleutel-van-node-een-0123456789", 1).await?, KeyCheck::Recorded);
    assert_eq!(check(db, "pseudonimisering", b"de-sleutel-van-node-een-0123456789", 2).await?, KeyCheck::Same);
    let other = check(db, "pseudonimisering", b"een-andere-sleutel-0123456789abcdef", 3).await?;
    assert_eq!(other, KeyCheck::Different(knooppunt_store::keys::fingerprint(b"de-sleutel-van-node-een-0123456789")));
    // Each purpose has its own check value; the value does not reveal the key.
    assert_eq!(check(db, "auditzegel", b"een-andere-sleutel-0123456789abcdef", 4).await?, KeyCheck::Recorded);
    assert!(!knooppunt_store::keys::fingerprint(b"de-sleutel-van-node-een-0123456789").contains("sleutel"));
    Ok(())
}
knooppunt_testkit::db_test!(a_node_with_another_key_is_told_so);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_is_reached_over_verified_tls() -> Result<()> {
    // scripts/test starts its PostgreSQL with a certificate of its own throwaway CA and names
    // that CA (and another one) here. With the right CA the connection is encrypted and the
    // server verified; with another CA it is refused, not silently made in the clear.
    let (Ok(url), Ok(ca), Ok(wrong)) =
        (std::env::var("KNOOPPUNT_TEST_POSTGRES_URL"), std::env::var("KNOOPPUNT_TEST_POSTGRES_CA"), std::env::var("KNOOPPUNT_TEST_POSTGRES_WRONG_CA"))
    else {
        if std::env::var("KNOOPPUNT_TEST_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
            anyhow::bail!("KNOOPPUNT_TEST_REQUIRE_POSTGRES=1 but KNOOPPUNT_TEST_POSTGRES_CA or _WRONG_CA is not set");
        }
        eprintln!("KNOOPPUNT_TEST_POSTGRES_CA is not set: not run");
        return Ok(());
    };
    // The certificate names localhost, so verify-full needs that host name.
    let base = url.replace("@127.0.0.1:", "@localhost:");
    let sep = if base.contains('?') { '&' } else { '?' };
    let db = Db::connect(&format!("{base}{sep}sslmode=verify-full&sslrootcert={ca}")).await?;
    assert!(db.is_encrypted().await?, "the connection is not encrypted");
    let plain = Db::connect(&url).await?;
    let default_mode = plain.is_encrypted().await?;
    plain.close().await;
    eprintln!("without sslmode the connection is encrypted: {default_mode}");
    db.close().await;
    let refused = Db::connect(&format!("{base}{sep}sslmode=verify-full&sslrootcert={wrong}")).await;
    assert!(refused.is_err(), "a server whose certificate another CA signed was accepted");
    Ok(())
}

/// One backend's schema, normalised so that both can be compared: per table its columns (name,
/// type family, nullable), indexes (columns, unique) and foreign keys.
#[derive(Debug, Default, PartialEq, Eq)]
struct Schema {
    columns: std::collections::BTreeSet<String>,
    indexes: std::collections::BTreeSet<String>,
    foreign_keys: std::collections::BTreeSet<String>,
}

fn family(declared: &str) -> &'static str {
    let t = declared.to_ascii_lowercase();
    if t.contains("int") || t == "bigserial" || t == "serial" {
        "integer"
    } else if t.contains("bool") {
        "boolean"
    } else if t.starts_with("timestamp") {
        "timestamp"
    } else if t.contains("char") || t.contains("text") || t.contains("clob") {
        "text"
    } else if t.contains("real") || t.contains("double") || t.contains("float") || t.contains("numeric") {
        "real"
    } else if t.contains("blob") || t.contains("bytea") {
        "bytes"
    } else {
        "other"
    }
}

async fn rows(db: &Db, sql: &str) -> Result<Vec<Vec<String>>> {
    Ok(knooppunt_store::audit::text_rows_raw(db, sql).await?)
}

async fn sqlite_schema(db: &Db) -> Result<Schema> {
    let mut s = Schema::default();
    let tables = rows(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").await?;
    for t in tables.iter().map(|r| r[0].clone()) {
        for c in rows(db, &format!("SELECT name, type, \"notnull\", pk FROM pragma_table_info('{t}')")).await? {
            let nullable = c[2] == "0" && c[3] == "0";
            s.columns.insert(format!("{t}.{} {} {}", c[0], family(&c[1]), if nullable { "null" } else { "not null" }));
        }
        for i in rows(db, &format!("SELECT name, \"unique\", origin FROM pragma_index_list('{t}')")).await? {
            if i[2] == "pk" {
                continue;
            }
            let cols = rows(db, &format!("SELECT COALESCE(name, '<expr>') FROM pragma_index_info('{}') ORDER BY seqno", i[0])).await?;
            let cols: Vec<String> = cols.into_iter().map(|r| r[0].clone()).collect();
            s.indexes.insert(format!("{t}({}){}", cols.join(","), if i[1] == "1" { " unique" } else { "" }));
        }
        // One line per key, composite keys with their columns in order, and what an update of
        // the referenced row does.
        let keys =
            rows(db, &format!("SELECT CAST(id AS TEXT), \"from\", \"table\", COALESCE(\"to\", 'id'), on_update FROM pragma_foreign_key_list('{t}') ORDER BY id, seq")).await?;
        let mut grouped: std::collections::BTreeMap<String, (Vec<String>, String, Vec<String>, String)> = Default::default();
        for f in keys {
            let e = grouped.entry(f[0].clone()).or_insert_with(|| (Vec::new(), f[2].clone(), Vec::new(), f[4].to_ascii_lowercase()));
            e.0.push(f[1].clone());
            e.2.push(f[3].clone());
        }
        for (from, table, to, on_update) in grouped.into_values() {
            s.foreign_keys.insert(format!("{t}({}) -> {table}({}) on update {on_update}", from.join(","), to.join(",")));
        }
    }
    Ok(s)
}

async fn postgres_schema(db: &Db) -> Result<Schema> {
    let mut s = Schema::default();
    for c in rows(db, "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text FROM information_schema.columns WHERE table_schema = 'public'").await? {
        s.columns.insert(format!("{}.{} {} {}", c[0], c[1], family(&c[2]), if c[3] == "YES" { "null" } else { "not null" }));
    }
    let indexes = rows(
        db,
        "SELECT t.relname::text, CASE WHEN ix.indisunique THEN '1' ELSE '0' END, \
         COALESCE((SELECT string_agg(COALESCE(a.attname::text, '<expr>'), ',' ORDER BY k.ord) FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) \
                   LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum AND k.attnum > 0), '') \
         FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE n.nspname = 'public' AND NOT ix.indisprimary",
    )
    .await?;
    for i in indexes {
        s.indexes.insert(format!("{}({}){}", i[0], i[2], if i[1] == "1" { " unique" } else { "" }));
    }
    let fks = rows(
        db,
        "SELECT cl.relname::text, fcl.relname::text, \
                (SELECT string_agg(a.attname::text, ',' ORDER BY k.ord) FROM unnest(co.conkey) WITH ORDINALITY AS k(attnum, ord) \
                 JOIN pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.attnum), \
                (SELECT string_agg(a.attname::text, ',' ORDER BY k.ord) FROM unnest(co.confkey) WITH ORDINALITY AS k(attnum, ord) \
                 JOIN pg_attribute a ON a.attrelid = co.confrelid AND a.attnum = k.attnum), \
                CASE co.confupdtype WHEN 'c' THEN 'cascade' WHEN 'n' THEN 'set null' WHEN 'd' THEN 'set default' WHEN 'r' THEN 'restrict' ELSE 'no action' END \
         FROM pg_constraint co JOIN pg_class cl ON cl.oid = co.conrelid JOIN pg_class fcl ON fcl.oid = co.confrelid \
         JOIN pg_namespace n ON n.oid = cl.relnamespace WHERE co.contype = 'f' AND n.nspname = 'public'",
    )
    .await?;
    for f in fks {
        s.foreign_keys.insert(format!("{}({}) -> {}({}) on update {}", f[0], f[2], f[1], f[3], f[4]));
    }
    Ok(s)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_backends_have_the_same_schema() -> Result<()> {
    let Some(url) = knooppunt_testkit::empty_postgres_database().await? else {
        eprintln!("KNOOPPUNT_TEST_POSTGRES_URL is not set: not run");
        return Ok(());
    };
    let pg = Db::connect(&url).await?;
    pg.migrate().await?;
    let file = std::env::temp_dir().join(format!("knooppunt-schema-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&file);
    let lite = Db::connect(&format!("sqlite://{}?mode=rwc", file.display())).await?;
    lite.migrate().await?;
    let (a, b) = (sqlite_schema(&lite).await?, postgres_schema(&pg).await?);
    // sqlx's own bookkeeping table is sqlx's per backend, not ours to compare; the processing
    // log's month partitions (`processing_log_default`, `processing_log_JJJJ_MM`, PostgreSQL
    // only) are that table's storage, compared through the parent.
    let ours = |set: std::collections::BTreeSet<String>| -> std::collections::BTreeSet<String> {
        set.into_iter().filter(|c| !c.starts_with("_sqlx_migrations") && !c.starts_with("processing_log_")).collect()
    };
    let a = Schema { columns: ours(a.columns), indexes: ours(a.indexes), foreign_keys: ours(a.foreign_keys) };
    let b = Schema { columns: ours(b.columns), indexes: ours(b.indexes), foreign_keys: ours(b.foreign_keys) };
    lite.close().await;
    pg.close().await;
    let _ = std::fs::remove_file(&file);
    let diff = |what: &str, x: &std::collections::BTreeSet<String>, y: &std::collections::BTreeSet<String>| -> Vec<String> {
        x.difference(y).map(|d| format!("{what} only on SQLite: {d}")).chain(y.difference(x).map(|d| format!("{what} only on PostgreSQL: {d}"))).collect()
    };
    // Points in time are TIMESTAMPTZ on PostgreSQL; SQLite has no time type and holds them as
    // INTEGER milliseconds. Every time column (`at`, `..._at`) and only those must be a
    // timestamp there; then they compare as integers.
    let timestamps: std::collections::BTreeSet<&str> = b.columns.iter().filter(|c| c.contains(" timestamp ")).filter_map(|c| c.split(' ').next()).collect();
    let named: std::collections::BTreeSet<&str> =
        b.columns.iter().filter_map(|c| c.split(' ').next()).filter(|c| (c.ends_with(".at") || c.ends_with("_at")) && !c.starts_with("schema_migrations.")).collect();
    assert_eq!(timestamps, named, "the time columns of PostgreSQL");
    assert!(timestamps.len() >= 60, "only {} time columns", timestamps.len());
    let b = Schema { columns: b.columns.iter().map(|c| c.replacen(" timestamp ", " integer ", 1)).collect(), ..b };
    let mut problems = diff("column", &a.columns, &b.columns);
    problems.extend(diff("index", &a.indexes, &b.indexes));
    problems.extend(diff("foreign key", &a.foreign_keys, &b.foreign_keys));
    assert!(a.columns.len() > 100, "only {} columns found on SQLite", a.columns.len());
    assert!(problems.is_empty(), "{} differences:\n{}", problems.len(), problems.join("\n"));
    Ok(())
}

async fn a_scheduled_job_runs_once_per_interval_across_nodes(t: knooppunt_testkit::TestApp) -> Result<()> {
    // Four nodes ask at the same moment: one runs the purge, the others learn it is not due.
    let nodes = [t.app.clone(), t.app.clone(), t.app.clone(), t.app.clone()];
    let ten_minutes = 10 * 60_000;
    let (a, b, c, d) = tokio::join!(nodes[0].purge_if_due(ten_minutes), nodes[1].purge_if_due(ten_minutes), nodes[2].purge_if_due(ten_minutes), nodes[3].purge_if_due(ten_minutes));
    let ran = [a?, b?, c?, d?].iter().filter(|r| r.is_some()).count();
    assert_eq!(ran, 1);
    t.clock.advance_ms(9 * 60_000);
    assert!(t.app.purge_if_due(ten_minutes).await?.is_none(), "not due after nine minutes");
    t.clock.advance_ms(60_000);
    assert!(t.app.purge_if_due(ten_minutes).await?.is_some(), "due after ten");
    Ok(())
}
knooppunt_testkit::db_test!(a_scheduled_job_runs_once_per_interval_across_nodes);

async fn denormalised_regions_keep_to_their_source(mut t: knooppunt_testkit::TestApp) -> Result<()> {
    use crate::treffers::{case_in, company};
    use knooppunt_domain::Role;
    let analyst = t.actor_in_region("analist.rotterdam", "RIEC-bureau Rotterdam", Role::RiecAnalyst, "rotterdam").await?;
    let (case, _) = case_in(&t, &analyst, "GM0599", "Vastgoed via een holding").await?;
    company(&t, &analyst, case, "Autohandel de Kempen", "bv", "3011 AB", "1").await?;
    let other = t.count("SELECT id FROM regions WHERE code = 'limburg'").await?;
    // The database itself refuses a subject or a participant in another region than its case.
    let moved = t.sql(&format!("UPDATE subjects SET region_id = {other} WHERE case_id = {case}")).await;
    assert!(moved.is_err(), "a subject was moved out of its case's region");
    let org = t.count("SELECT id FROM organisations WHERE name = 'Nationale Politie'").await?;
    let admitted =
        t.sql(&format!("INSERT INTO case_participants (case_id, organisation_id, region_id, case_updated_at, admitted_at, admitted_by, reason) SELECT {case}, {org}, {other}, updated_at, created_at, 'x', 'x' FROM cases WHERE id = {case}")).await;
    assert!(admitted.is_err(), "a participant was admitted under another region than the case's");
    // The same for a subject's blocking keys and encoding, and a case in a national approach.
    let subject = t.count(&format!("SELECT id FROM subjects WHERE case_id = {case}")).await?;
    let keyed = t.sql(&format!("INSERT INTO subject_match_keys (subject_id, region_id, match_key) VALUES ({subject}, {other}, 'x')")).await;
    assert!(keyed.is_err(), "a blocking key was stored under another region than its subject's");
    t.sql(&format!("INSERT INTO subject_match_keys (subject_id, region_id, match_key) SELECT id, region_id, 'x' FROM subjects WHERE id = {subject}")).await?;
    let encoded = t.sql(&format!("INSERT INTO subject_encodings (subject_id, region_id, case_id, kind, clk, fields, identifiers, secret_check) VALUES ({subject}, {other}, {case}, 'rechtspersoon', '', '', '', '')")).await;
    assert!(encoded.is_err(), "an encoding was stored under another region than its subject's");
    t.sql(&format!("INSERT INTO subject_encodings (subject_id, region_id, case_id, kind, clk, fields, identifiers, secret_check) SELECT id, region_id, case_id, 'rechtspersoon', '', '', '', '' FROM subjects WHERE id = {subject}")).await?;
    t.sql("INSERT INTO national_approaches (title, description, created_by, created_at, updated_at) SELECT 'Aanpak', 'x', 'x', created_at, created_at FROM cases LIMIT 1").await?;
    let approach = t.count("SELECT MAX(id) FROM national_approaches").await?;
    let asked = t.sql(&format!("INSERT INTO national_approach_cases (approach_id, case_id, region_id, requested_by, requested_at) SELECT {approach}, id, {other}, 'x', created_at FROM cases WHERE id = {case}")).await;
    assert!(asked.is_err(), "a case joined a national approach under another region than its own");
    t.sql(&format!("INSERT INTO national_approach_cases (approach_id, case_id, region_id, requested_by, requested_at) SELECT {approach}, id, region_id, 'x', created_at FROM cases WHERE id = {case}")).await?;
    t.sql(&format!("INSERT INTO case_participants (case_id, organisation_id, region_id, case_updated_at, admitted_at, admitted_by, reason) SELECT id, {org}, region_id, updated_at, created_at, 'x', 'x' FROM cases WHERE id = {case}")).await?;
    // An admission carries its case's last change (the order of a partner's case list): a case
    // that changes takes it along, and a different value is refused.
    let followed = format!("SELECT COUNT(*) FROM case_participants p JOIN cases c ON c.id = p.case_id AND c.updated_at = p.case_updated_at WHERE p.case_id = {case}");
    let before = t.count(&format!("SELECT COUNT(*) FROM case_participants WHERE case_id = {case}")).await?;
    assert!(before >= 1);
    t.clock.advance_minutes(5);
    let touched = t.strings(&format!("SELECT CAST(updated_at AS TEXT) FROM cases WHERE id = {case}")).await?;
    company(&t, &analyst, case, "Bouwbedrijf Rijnmond", "bv", "3012 CD", "2").await?;
    assert_ne!(t.strings(&format!("SELECT CAST(updated_at AS TEXT) FROM cases WHERE id = {case}")).await?, touched, "adding a subject did not change the case");
    assert_eq!(t.count(&followed).await?, before, "an admission kept an old change time of its case");
    let stale = t.sql(&format!("UPDATE case_participants SET case_updated_at = admitted_at WHERE case_id = {case}")).await;
    assert!(stale.is_err(), "an admission took another change time than its case's");
    // A case that moves region takes its subjects, participants, keys, encodings and approach
    // places along.
    t.sql(&format!("UPDATE cases SET region_id = {other} WHERE id = {case}")).await?;
    assert_eq!(t.count(&format!("SELECT COUNT(*) FROM subjects WHERE case_id = {case} AND region_id = {other}")).await?, 2);
    assert_eq!(t.count(&format!("SELECT COUNT(*) FROM case_participants WHERE case_id = {case} AND organisation_id = {org} AND region_id = {other}")).await?, 1);
    assert_eq!(t.count(&format!("SELECT COUNT(*) FROM case_participants WHERE case_id = {case} AND region_id <> {other}")).await?, 0);
    assert_eq!(t.count(&format!("SELECT COUNT(*) FROM subject_match_keys WHERE subject_id = {subject} AND region_id = {other}")).await?, 1);
    assert_eq!(t.count(&format!("SELECT COUNT(*) FROM subject_encodings WHERE subject_id = {subject} AND region_id = {other}")).await?, 1);
    assert_eq!(t.count(&format!("SELECT COUNT(*) FROM national_approach_cases WHERE case_id = {case} AND region_id = {other}")).await?, 1);
    Ok(())
}
knooppunt_testkit::db_test!(denormalised_regions_keep_to_their_source);

/// What the runner before sqlx's left behind: migrations 1–11 applied, each with a row in
/// `schema_migrations` holding the SHA-256 of its file (`tamper` changes one checksum).
macro_rules! earlier_runner {
    ($conn:ty, $url:expr, $backend:ident, $tamper:expr) => {{
        use sha2::{Digest, Sha256};
        use sqlx::Connection;
        let mut conn = <$conn>::connect($url).await?;
        sqlx::query("CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at BIGINT NOT NULL)")
            .execute(&mut conn)
            .await?;
        for m in knooppunt_store::migrations::migrations().iter().take(11) {
            sqlx::raw_sql(m.$backend).execute(&mut conn).await?;
            let sum = if $tamper && m.version == 7 { "0".repeat(64) } else { hex::encode(Sha256::digest(m.$backend.as_bytes())) };
            sqlx::query("INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, 0)")
                .bind(m.version)
                .bind(&m.name)
                .bind(sum)
                .execute(&mut conn)
                .await?;
        }
        conn.close().await?;
    }};
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_of_the_earlier_migration_runner_is_taken_over() -> Result<()> {
    let later: Vec<String> = knooppunt_store::migrations::migrations().iter().skip(11).map(|m| m.name.clone()).collect();
    assert!(!later.is_empty());
    for tamper in [false, true] {
        let file = std::env::temp_dir().join(format!("knooppunt-takeover-{}-{tamper}.db", std::process::id()));
        let _ = std::fs::remove_file(&file);
        let mut urls = vec![format!("sqlite://{}?mode=rwc", file.display())];
        earlier_runner!(sqlx::SqliteConnection, &urls[0], sqlite, tamper);
        if let Some(url) = knooppunt_testkit::empty_postgres_database().await? {
            earlier_runner!(sqlx::PgConnection, &url, postgres, tamper);
            urls.push(url);
        }
        for url in &urls {
            let db = Db::connect(url).await?;
            let result = db.migrate().await;
            if tamper {
                // A file changed after it was applied is named, and nothing is applied.
                assert!(matches!(result, Err(knooppunt_store::StoreError::MigrationChanged { version: 7, .. })), "{url}: {result:?}");
                assert!(!knooppunt_store::migrations::is_current(&db).await?);
            } else {
                assert_eq!(result?, later, "{url}: only the later migrations are applied");
                assert!(knooppunt_store::migrations::is_current(&db).await?);
                assert_eq!(db.migrate().await?, Vec::<String>::new(), "a second run applies nothing");
                let old = knooppunt_store::audit::text_rows_raw(&db, "SELECT CAST(COUNT(*) AS TEXT) FROM _sqlx_migrations").await?;
                assert_eq!(old, vec![vec![knooppunt_store::migrations::migrations().len().to_string()]]);
            }
            db.close().await;
        }
        let _ = std::fs::remove_file(&file);
    }
    Ok(())
}
