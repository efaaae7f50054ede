//! Adopted annual reports: published documents (no personal data, public once adopted), each a
//! frozen snapshot of the protected figures of one year.

use crate::db::{col, Conn, StoreError};
use crate::query::{q, time};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRow {
    pub year: i64,
    pub foreword: String,
    /// The protected tables as JSON (empty in a list).
    pub snapshot: String,
    pub adopted_by: String,
    pub adopted_at: i64,
}

fn report(r: &crate::query::Row, with_snapshot: bool) -> Result<ReportRow, StoreError> {
    Ok(ReportRow {
        year: col(r, "year")?,
        foreword: col(r, "foreword")?,
        snapshot: if with_snapshot { col(r, "snapshot")? } else { String::new() },
        adopted_by: col(r, "adopted_by")?,
        adopted_at: time(r, "adopted_at")?,
    })
}

/// Stores an adopted report; false when the year was adopted already (nothing changes).
pub async fn insert_report(c: &mut Conn, r: &ReportRow) -> Result<bool, StoreError> {
    let done = q("INSERT INTO annual_reports (year, foreword, snapshot, adopted_by, adopted_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (year) DO NOTHING")
        .bind(r.year)
        .bind(&r.foreword)
        .bind(&r.snapshot)
        .bind(&r.adopted_by)
        .bind_at(r.adopted_at)
        .execute(&mut *c)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The adopted report of `year`.
pub async fn report_of(c: &mut Conn, year: i64) -> Result<Option<ReportRow>, StoreError> {
    let row = q("SELECT year, foreword, snapshot, adopted_by, adopted_at FROM annual_reports WHERE year = $1").bind(year).fetch_optional(&mut *c).await?;
    row.as_ref().map(|r| report(r, true)).transpose()
}

/// Every adopted report, newest year first, without snapshots.
pub async fn reports(c: &mut Conn) -> Result<Vec<ReportRow>, StoreError> {
    let rows = q("SELECT year, foreword, adopted_by, adopted_at FROM annual_reports ORDER BY year DESC").fetch_all(&mut *c).await?;
    rows.iter().map(|r| report(r, false)).collect()
}
