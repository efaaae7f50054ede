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
