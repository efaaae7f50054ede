//! Check values of the keys kept outside the database: a node started with another key than the
//! one the data was written with is refused, instead of writing pseudonyms nobody can search or
//! seals nobody can verify.

use crate::db::{col, Db, StoreError};
use crate::query::{q, time};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The check value of `key`: HMAC-SHA-256 of a fixed text under the key, first 16 bytes, hex.
/// It identifies the key without revealing it.
pub fn fingerprint(key: &[u8]) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else { return String::new() };
    mac.update(b"knooppunt: controlewaarde van de sleutel");
    hex::encode(&mac.finalize().into_bytes()[..16])
}

/// What the database said about a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyCheck {
    /// The database had no check value for this purpose; this key's is now recorded.
    Recorded,
    /// The key is the one the database was written with.
    Same,
    /// Another key wrote this database; its check value.
    Different(String),
}

/// Compares `key` with the check value recorded for `purpose`, recording it when there is none.
/// Two nodes starting at once record one value (the second finds it).
pub async fn check(db: &Db, purpose: &str, key: &[u8], at: i64) -> Result<KeyCheck, StoreError> {
    let mine = fingerprint(key);
    let mut tx = db.begin().await?;
    q("INSERT INTO key_fingerprints (purpose, fingerprint, recorded_at) VALUES ($1, $2, $3) ON CONFLICT (purpose) DO NOTHING")
        .bind(purpose)
        .bind(&mine)
        .bind_at(at)
        .execute(&mut tx)
        .await?;
    let row = q("SELECT fingerprint, recorded_at FROM key_fingerprints WHERE purpose = $1").bind(purpose).fetch_one(&mut tx).await?;
    tx.commit().await?;
    let stored: String = col(&row, "fingerprint")?;
    let recorded_at: i64 = time(&row, "recorded_at")?;
    Ok(if stored != mine {
        KeyCheck::Different(stored)
    } else if recorded_at == at {
        KeyCheck::Recorded
    } else {
        KeyCheck::Same
    })
}
