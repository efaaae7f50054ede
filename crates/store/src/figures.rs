//! Counting for the network's figures: each reader groups one indicator's population by region
//! (or ministry) and category over a period `[from, to)`. The rows are counts and sums, never a
//! case, person or text; they go through disclosure control before anyone sees them. Every
//! reader takes a `FiguresGrant` that only policy mints.

use crate::db::{col, Conn, StoreError};
use crate::query::{q, time};
use knooppunt_policy::figures::FiguresGrant;

/// One group of an indicator: a region (or ministry) id, a category code, the count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Count {
    pub key: i64,
    pub category: String,
    pub n: i64,
}

fn counts(rows: &[crate::query::Row]) -> Result<Vec<Count>, StoreError> {
    rows.iter().map(|r| Ok(Count { key: col(r, "k")?, category: col(r, "category")?, n: col(r, "n")? })).collect()
}

/// Signals registered in the period (every case starts as a signal), by the partner type of
/// the organisation that brought it.
pub async fn signals_by_source(c: &mut Conn, _: &FiguresGrant, from: i64, to: i64) -> Result<Vec<Count>, StoreError> {
    let rows = q("SELECT k.region_id AS k, o.partner_type AS category, COUNT(*) AS n FROM cases k JOIN organisations o ON o.id = k.source_organisation_id \
         WHERE k.created_at >= $1 AND k.created_at < $2 GROUP BY k.region_id, o.partner_type")
    .bind_at(from)
    .bind_at(to)
    .fetch_all(&mut *c)
    .await?;
    counts(&rows)
}

/// Signals registered in the period by phenomenon (a signal with two phenomena counts under
/// both; one without under `''`).
pub async fn signals_by_phenomenon(c: &mut Conn, _: &FiguresGrant, from: i64, to: i64) -> Result<Vec<Count>, StoreError> {
    let rows = q("SELECT k.region_id AS k, COALESCE(p.code, '') AS category, COUNT(*) AS n FROM cases k \
         LEFT JOIN case_phenomena x ON x.case_id = k.id LEFT JOIN phenomena p ON p.id = x.phenomenon_id \
         WHERE k.created_at >= $1 AND k.created_at < $2 GROUP BY k.region_id, COALESCE(p.code, '')")
    .bind_at(from)
    .bind_at(to)
    .fetch_all(&mut *c)
    .await?;
    counts(&rows)
}

/// Signals registered in the period by setting (a signal with two settings counts under both;
/// one without under `''`).
pub async fn signals_by_setting(c: &mut Conn, _: &FiguresGrant, from: i64, to: i64) -> Result<Vec<Count>, StoreError> {
    let rows = q("SELECT k.region_id AS k, COALESCE(t.code, '') AS category, COUNT(*) AS n FROM cases k \
         LEFT JOIN case_settings x ON x.case_id = k.id LEFT JOIN taxonomy_terms t ON t.id = x.setting_id \
         WHERE k.created_at >= $1 AND k.created_at < $2 GROUP BY k.region_id, COALESCE(t.code, '')")
    .bind_at(from)
    .bind_at(to)
    .fetch_all(&mut *c)
    .await?;
    counts(&rows)
}

/// Weighing decisions taken in the period: a signal (weighed or not) rejected, or made a
/// pre-case or a case; the category is the phase it went to.
pub async fn weighing_outcomes(c: &mut Conn, _: &FiguresGrant, from: i64, to: i64) -> Result<Vec<Count>, StoreError> {
    let rows = q("SELECT k.region_id AS k, e.to_phase AS category, COUNT(*) AS n FROM case_events e JOIN cases k ON k.id = e.case_id \
         WHERE e.from_phase IN ('signaal', 'weging') AND e.to_phase IN ('afgewezen', 'pre-casus', 'casus') AND e.at >= $1 AND e.at < $2 \
         GROUP BY k.region_id, e.to_phase")
    .bind_at(from)
    .bind_at(to)
    .fetch_all(&mut *c)
    .await?;
    counts(&rows)
}

/// The flow of case files in the period: pre-cases opened (`pre-casus`), cases opened
/// (`casus`, also from a pre-case), closed (`afgesloten`); each case counted once per category
/// however often it moved.
pub async fn case_flow(c: &mut Conn, _: &FiguresGrant, from: i64, to: i64) -> Result<Vec<Count>, StoreError> {
    let rows = q("SELECT k.region_id AS k, e.to_phase AS category, COUNT(DISTINCT e.case_id) AS n FROM case_events e JOIN cases k ON k.id = e.case_id \
         WHERE e.to_phase IN ('pre-casus', 'casus', 'afgesloten') AND e.at >= $1 AND e.at < $2 GROUP BY k.region_id, e.to_phase")
    .bind_at(from)
    .bind_at(to)
    .fetch_all(&mut *c)
    .await?;
    counts(&rows)
}

/// Pre-cases and cases running at the moment `at`: opened before it and not closed before it.
pub async fn running_cases(c: &mut Conn, _: &FiguresGrant, at: i64) -> Result<Vec<Count>, StoreError> {
    let rows = q("SELECT k.region_id AS k, 'lopend' AS category, COUNT(*) AS n FROM cases k \
         WHERE EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = k.id AND e.to_phase IN ('pre-casus', 'casus') AND e.at < $1) \
         AND NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = k.id AND e.to_phase = 'afgesloten' AND e.at < $1) GROUP BY k.region_id")
    .bind_at(at)
    .fetch_all(&mut *c)
    .await?;
    counts(&rows)
}

/// An intervention finished (completed or stopped) in the period, grouped by what the figures
/// break it down by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FinishedInterventions {
    pub region_id: i64,
    pub category: String,
    /// The intervention type of the catalogue: its code and name.
    pub instrument: String,
    pub instrument_name: String,
    pub partner_type: String,
    pub status: String,
    pub n: i64,
    /// Per kind of amount: the sum in cents and how many interventions have one.
    pub collected_cents: i64,
    pub collected_n: i64,
    pub offset_cents: i64,
    pub offset_n: i64,
    pub seized_cents: i64,
    pub seized_n: i64,
}

pub async fn finished_interventions(c: &mut Conn, _: &FiguresGrant, from: i64, to: i64) -> Result<Vec<FinishedInterventions>, StoreError> {
    let rows = q("SELECT k.region_id, t.category, t.code AS instrument, t.name AS instrument_name, o.partner_type, v.status, COUNT(*) AS n, \
         CAST(COALESCE(SUM(v.collected_cents), 0) AS BIGINT) AS collected_cents, COUNT(v.collected_cents) AS collected_n, \
         CAST(COALESCE(SUM(v.offset_cents), 0) AS BIGINT) AS offset_cents, COUNT(v.offset_cents) AS offset_n, \
         CAST(COALESCE(SUM(v.seized_cents), 0) AS BIGINT) AS seized_cents, COUNT(v.seized_cents) AS seized_n \
         FROM interventions v JOIN cases k ON k.id = v.case_id JOIN intervention_types t ON t.id = v.type_id JOIN organisations o ON o.id = v.organisation_id \
         WHERE v.finished_at >= $1 AND v.finished_at < $2 AND v.status IN ('afgerond', 'gestopt') \
         GROUP BY k.region_id, t.category, t.code, t.name, o.partner_type, v.status")
    .bind_at(from)
    .bind_at(to)
    .fetch_all(&mut *c)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(FinishedInterventions {
                region_id: col(r, "region_id")?,
                category: col(r, "category")?,
                instrument: col(r, "instrument")?,
                instrument_name: col(r, "instrument_name")?,
                partner_type: col(r, "partner_type")?,
                status: col(r, "status")?,
                n: col(r, "n")?,
                collected_cents: col(r, "collected_cents")?,
                collected_n: col(r, "collected_n")?,
                offset_cents: col(r, "offset_cents")?,
                offset_n: col(r, "offset_n")?,
                seized_cents: col(r, "seized_cents")?,
                seized_n: col(r, "seized_n")?,
            })
        })
        .collect()
}

/// Administrative signals submitted to the desk in the period, by the state they are in now.
pub async fn desk_signals_by_state(c: &mut Conn, _: &FiguresGrant, from: i64, to: i64) -> Result<Vec<Count>, StoreError> {
    let rows = q("SELECT CAST(0 AS BIGINT) AS k, state AS category, COUNT(*) AS n FROM policy_signals WHERE submitted_at >= $1 AND submitted_at < $2 GROUP BY state")
        .bind_at(from)
        .bind_at(to)
        .fetch_all(&mut *c)
        .await?;
    counts(&rows)
}

/// A signal offered to a ministry: when, and when the ministry responded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    pub ministry_id: i64,
    pub offered_at: i64,
    pub response_at: Option<i64>,
}

/// Signals offered to ministries in the period or answered in it, one line per ministry.
pub async fn desk_offers(c: &mut Conn, _: &FiguresGrant, from: i64, to: i64) -> Result<Vec<Offer>, StoreError> {
    let rows = q("SELECT x.ministry_id, s.offered_at, s.response_at FROM policy_signals s JOIN policy_signal_ministries x ON x.signal_id = s.id AND x.kind = 'aangeboden' \
         WHERE s.offered_at IS NOT NULL AND ((s.offered_at >= $1 AND s.offered_at < $2) OR (s.response_at >= $1 AND s.response_at < $2))")
    .bind_at(from)
    .bind_at(to)
    .fetch_all(&mut *c)
    .await?;
    rows.iter()
        .map(|r| Ok(Offer { ministry_id: col(r, "ministry_id")?, offered_at: time::<Option<i64>>(r, "offered_at")?.unwrap_or_default(), response_at: time(r, "response_at")? }))
        .collect()
}

/// Cross-region detection in the period: hits found (`gevonden`), hits both sides confirmed
/// (`bevestigd`, by the moment of the last change), national approaches started (`aanpak`).
pub async fn national_work(c: &mut Conn, _: &FiguresGrant, from: i64, to: i64) -> Result<Vec<Count>, StoreError> {
    let rows = q("SELECT CAST(0 AS BIGINT) AS k, 'gevonden' AS category, COUNT(*) AS n FROM treffers WHERE created_at >= $1 AND created_at < $2 \
         UNION ALL SELECT CAST(0 AS BIGINT) AS k, 'bevestigd' AS category, COUNT(*) AS n FROM treffers WHERE status = 'bevestigd' AND updated_at >= $1 AND updated_at < $2 \
         UNION ALL SELECT CAST(0 AS BIGINT) AS k, 'aanpak' AS category, COUNT(*) AS n FROM national_approaches WHERE created_at >= $1 AND created_at < $2")
    .bind_at(from)
    .bind_at(to)
    .fetch_all(&mut *c)
    .await?;
    counts(&rows)
}

/// The national course of a period in up to four parts `[b0, b1)`, `[b1, b2)`, `[b2, b3)`,
/// `[b3, b4)` (quarters of a year; the months of a quarter with `b3 = b4`): per part (`key`
/// 1–4) the signals registered (`signalen`), the case files that became a case (`casussen`,
/// each once per part) and the interventions finished (`interventies`). Parts without any
/// are absent.
pub async fn trend(c: &mut Conn, _: &FiguresGrant, b: [i64; 5]) -> Result<Vec<Count>, StoreError> {
    let rows = q("SELECT CAST(CASE WHEN k.created_at < $2 THEN 1 WHEN k.created_at < $3 THEN 2 WHEN k.created_at < $4 THEN 3 ELSE 4 END AS BIGINT) AS k, \
         'signalen' AS category, COUNT(*) AS n FROM cases k WHERE k.created_at >= $1 AND k.created_at < $5 GROUP BY 1 \
         UNION ALL SELECT CAST(CASE WHEN e.at < $2 THEN 1 WHEN e.at < $3 THEN 2 WHEN e.at < $4 THEN 3 ELSE 4 END AS BIGINT) AS k, \
         'casussen' AS category, COUNT(DISTINCT e.case_id) AS n FROM case_events e WHERE e.to_phase = 'casus' AND e.at >= $1 AND e.at < $5 GROUP BY 1 \
         UNION ALL SELECT CAST(CASE WHEN v.finished_at < $2 THEN 1 WHEN v.finished_at < $3 THEN 2 WHEN v.finished_at < $4 THEN 3 ELSE 4 END AS BIGINT) AS k, \
         'interventies' AS category, COUNT(*) AS n FROM interventions v WHERE v.status IN ('afgerond', 'gestopt') AND v.finished_at >= $1 AND v.finished_at < $5 GROUP BY 1")
    .bind_at(b[0])
    .bind_at(b[1])
    .bind_at(b[2])
    .bind_at(b[3])
    .bind_at(b[4])
    .fetch_all(&mut *c)
    .await?;
    counts(&rows)
}
