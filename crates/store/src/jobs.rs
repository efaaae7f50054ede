//! Scheduled jobs that run once per interval across all nodes.

use crate::db::{Conn, StoreError};
use crate::query::q;

/// Claims the run of job `name` at `now` if it last ran at least `interval_ms` ago (or never: a
/// job that never ran has the epoch as its last run):
/// true for exactly one of the nodes that ask at the same moment (one UPDATE moves the time
/// forward; the others' UPDATE then matches no row).
pub async fn claim(c: &mut Conn, name: &str, now: i64, interval_ms: i64) -> Result<bool, StoreError> {
    q("INSERT INTO scheduled_jobs (name, last_run_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING").bind(name).bind_at(0_i64).execute(&mut *c).await?;
    let claimed = q("UPDATE scheduled_jobs SET last_run_at = $1 WHERE name = $2 AND last_run_at <= $3")
        .bind_at(now)
        .bind(name)
        .bind_at(now.saturating_sub(interval_ms))
        .execute(&mut *c)
        .await?;
    Ok(claimed.rows_affected() == 1)
}
