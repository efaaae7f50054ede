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
    assert_eq!(applied, knooppunt_store::migrations::MIGRATIONS.len(), "each migration applied exactly once");
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
        for f in rows(db, &format!("SELECT \"from\", \"table\", COALESCE(\"to\", '') FROM pragma_foreign_key_list('{t}')")).await? {
            s.foreign_keys.insert(format!("{t}.{} -> {}.{}", f[0], f[1], if f[2].is_empty() { "id" } else { &f[2] }));
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
        "SELECT kcu.table_name::text, kcu.column_name::text, ccu.table_name::text, ccu.column_name::text \
         FROM information_schema.table_constraints tc \
         JOIN information_schema.key_column_usage kcu ON tc.constraint_name = kcu.constraint_name AND tc.table_schema = kcu.table_schema \
         JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema \
         WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = 'public'",
    )
    .await?;
    for f in fks {
        s.foreign_keys.insert(format!("{}.{} -> {}.{}", f[0], f[1], f[2], f[3]));
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
    lite.close().await;
    pg.close().await;
    let _ = std::fs::remove_file(&file);
    let diff = |what: &str, x: &std::collections::BTreeSet<String>, y: &std::collections::BTreeSet<String>| -> Vec<String> {
        x.difference(y).map(|d| format!("{what} only on SQLite: {d}")).chain(y.difference(x).map(|d| format!("{what} only on PostgreSQL: {d}"))).collect()
    };
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
