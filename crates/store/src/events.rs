//! The LIEC's events and their registrations.
//!
//! Readers take what policy mints: an [`EventScope`] for lists and for opening one event, an
//! [`EventGrant`] for the reader's own registration, an [`AttendeeGrant`] for the attendee
//! list with names and e-mail addresses.

use crate::db::{col, Conn, StoreError};
use crate::query::{q, time, Row};
use knooppunt_policy::events::{AttendeeGrant, EventGrant, EventScope};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRow {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub theme: String,
    pub description: String,
    pub held_on: String,
    pub starts_at: String,
    pub ends_at: String,
    pub place: String,
    pub online: bool,
    pub capacity: i64,
    pub audience: String,
    pub opens_on: String,
    pub closes_on: String,
    pub erase_after_weeks: i64,
    pub erase_on: String,
    pub erased_at: Option<i64>,
    pub organiser: String,
    /// Registrations with a place, and on the waiting list.
    pub confirmed: i64,
    pub waiting: i64,
    pub updated_at: i64,
    pub version: i64,
}

const EVENT_COLS: &str = "e.id, e.kind, e.title, e.theme, e.description, e.held_on, e.start_time, e.end_time, e.place, e.online, e.capacity, e.audience, \
    e.opens_on, e.closes_on, e.erase_after_weeks, e.erase_on, e.erased_at, e.organiser, e.updated_at, e.version, \
    (SELECT COUNT(*) FROM event_registrations r WHERE r.event_id = e.id AND r.status = 'bevestigd') AS confirmed, \
    (SELECT COUNT(*) FROM event_registrations r WHERE r.event_id = e.id AND r.status = 'wachtlijst') AS waiting";

fn event_row(r: &Row) -> Result<EventRow, StoreError> {
    Ok(EventRow {
        id: col(r, "id")?,
        kind: col(r, "kind")?,
        title: col(r, "title")?,
        theme: col(r, "theme")?,
        description: col(r, "description")?,
        held_on: col(r, "held_on")?,
        starts_at: col(r, "start_time")?,
        ends_at: col(r, "end_time")?,
        place: col(r, "place")?,
        online: col(r, "online")?,
        capacity: col(r, "capacity")?,
        audience: col(r, "audience")?,
        opens_on: col(r, "opens_on")?,
        closes_on: col(r, "closes_on")?,
        erase_after_weeks: col(r, "erase_after_weeks")?,
        erase_on: col(r, "erase_on")?,
        erased_at: time(r, "erased_at")?,
        organiser: col(r, "organiser")?,
        confirmed: col(r, "confirmed")?,
        waiting: col(r, "waiting")?,
        updated_at: time(r, "updated_at")?,
        version: col(r, "version")?,
    })
}

/// The events `scope` sees: from `from_day` on (`jjjj-mm-dd`; empty: all), soonest first, or
/// with `past` the ones before it, latest first. `$1` all, `$2` network.
pub async fn list(c: &mut Conn, scope: &EventScope, from_day: &str, past: bool) -> Result<Vec<EventRow>, StoreError> {
    let rows = q(format!(
        "SELECT {EVENT_COLS} FROM events e WHERE ($1 OR e.audience = 'openbaar' OR ($2 AND e.audience = 'netwerk')) \
         AND ($3 = '' OR ($4 AND e.held_on < $3) OR (NOT $4 AND e.held_on >= $3)) \
         ORDER BY CASE WHEN $4 THEN '' ELSE e.held_on END, e.held_on DESC, e.start_time, e.id LIMIT 200"
    ))
    .bind(scope.all())
    .bind(scope.network())
    .bind(from_day)
    .bind(past)
    .fetch_all(&mut *c)
    .await?;
    rows.iter().map(event_row).collect()
}

/// How many coming events (from `today`) have people on their waiting list; only for a scope
/// that sees every event (the organisers), 0 otherwise.
pub async fn count_with_waiting_list(c: &mut Conn, scope: &EventScope, today: &str) -> Result<i64, StoreError> {
    let r = q("SELECT COUNT(*) AS n FROM events e WHERE $1 AND e.held_on >= $2 AND e.erased_at IS NULL \
         AND EXISTS (SELECT 1 FROM event_registrations r WHERE r.event_id = e.id AND r.status = 'wachtlijst')")
    .bind(scope.all())
    .bind(today)
    .fetch_one(&mut *c)
    .await?;
    col(&r, "n")
}

/// An event by id if `scope` sees it: the facts for `policy::events::grant`.
pub async fn find(c: &mut Conn, scope: &EventScope, id: i64) -> Result<Option<EventRow>, StoreError> {
    let r = q(format!("SELECT {EVENT_COLS} FROM events e WHERE e.id = $1 AND ($2 OR e.audience = 'openbaar' OR ($3 AND e.audience = 'netwerk'))"))
        .bind(id)
        .bind(scope.all())
        .bind(scope.network())
        .fetch_optional(&mut *c)
        .await?;
    r.as_ref().map(event_row).transpose()
}

/// What an organiser writes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventFields {
    pub kind: String,
    pub title: String,
    pub theme: String,
    pub description: String,
    pub held_on: String,
    pub starts_at: String,
    pub ends_at: String,
    pub place: String,
    pub online: bool,
    pub capacity: i64,
    pub audience: String,
    pub opens_on: String,
    pub closes_on: String,
    pub erase_after_weeks: i64,
    pub erase_on: String,
}

/// A new event; its id.
pub async fn insert(c: &mut Conn, f: &EventFields, organiser: &str, at: i64) -> Result<i64, StoreError> {
    let r = q("INSERT INTO events (kind, title, theme, description, held_on, start_time, end_time, place, online, capacity, audience, opens_on, closes_on, \
         erase_after_weeks, erase_on, organiser, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17) RETURNING id")
    .bind(&f.kind)
    .bind(&f.title)
    .bind(&f.theme)
    .bind(&f.description)
    .bind(&f.held_on)
    .bind(&f.starts_at)
    .bind(&f.ends_at)
    .bind(&f.place)
    .bind(f.online)
    .bind(f.capacity)
    .bind(&f.audience)
    .bind(&f.opens_on)
    .bind(&f.closes_on)
    .bind(f.erase_after_weeks)
    .bind(&f.erase_on)
    .bind(organiser)
    .bind_at(at)
    .fetch_one(&mut *c)
    .await?;
    col(&r, "id")
}

/// Changes event `id` at `version`; `false` when it changed since. Takes the event's row lock,
/// like [`lock`].
pub async fn update(c: &mut Conn, id: i64, version: i64, f: &EventFields, at: i64) -> Result<bool, StoreError> {
    let n = q("UPDATE events SET kind = $1, title = $2, theme = $3, description = $4, held_on = $5, start_time = $6, end_time = $7, place = $8, online = $9, \
         capacity = $10, audience = $11, opens_on = $12, closes_on = $13, erase_after_weeks = $14, erase_on = $15, updated_at = $16, version = version + 1 \
         WHERE id = $17 AND version = $18")
    .bind(&f.kind)
    .bind(&f.title)
    .bind(&f.theme)
    .bind(&f.description)
    .bind(&f.held_on)
    .bind(&f.starts_at)
    .bind(&f.ends_at)
    .bind(&f.place)
    .bind(f.online)
    .bind(f.capacity)
    .bind(&f.audience)
    .bind(&f.opens_on)
    .bind(&f.closes_on)
    .bind(f.erase_after_weeks)
    .bind(&f.erase_on)
    .bind_at(at)
    .bind(id)
    .bind(version)
    .execute(&mut *c)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Takes the row lock of event `id` for the rest of the transaction, so that two registrations
/// or cancellations for one event are counted one after the other (PostgreSQL; SQLite has one
/// writer anyway).
pub async fn lock(c: &mut Conn, id: i64) -> Result<(), StoreError> {
    q("UPDATE events SET version = version WHERE id = $1").bind(id).execute(&mut *c).await?;
    Ok(())
}

/// (confirmed, waiting) of event `id`, counted under its lock.
pub async fn places(c: &mut Conn, id: i64) -> Result<(i64, i64), StoreError> {
    let r = q("SELECT COALESCE(SUM(CASE WHEN status = 'bevestigd' THEN 1 ELSE 0 END), 0) AS confirmed, \
         COALESCE(SUM(CASE WHEN status = 'wachtlijst' THEN 1 ELSE 0 END), 0) AS waiting FROM event_registrations WHERE event_id = $1")
    .bind(id)
    .fetch_one(&mut *c)
    .await?;
    Ok((col(&r, "confirmed")?, col(&r, "waiting")?))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationRow {
    pub id: i64,
    pub event_id: i64,
    pub user_id: Option<i64>,
    pub name: String,
    pub email: String,
    pub organisation: String,
    pub remark: String,
    pub status: String,
    pub registered_at: i64,
    pub moved_up_at: Option<i64>,
    pub cancelled_at: Option<i64>,
    /// The place on the waiting list (1 is next), for a waiting registration.
    pub position: i64,
}

impl RegistrationRow {
    /// Whether the registration still holds personal data (not yet erased).
    pub fn holds_personal_data(&self) -> bool {
        !(self.name.is_empty() && self.email.is_empty())
    }
}

const REGISTRATION_COLS: &str = "r.id, r.event_id, r.user_id, r.name, r.email, r.organisation, r.remark, r.status, r.registered_at, r.moved_up_at, r.cancelled_at, \
    CASE WHEN r.status = 'wachtlijst' THEN (SELECT COUNT(*) FROM event_registrations w WHERE w.event_id = r.event_id AND w.status = 'wachtlijst' AND w.id <= r.id) ELSE 0 END AS position";

fn registration_row(r: &Row) -> Result<RegistrationRow, StoreError> {
    Ok(RegistrationRow {
        id: col(r, "id")?,
        event_id: col(r, "event_id")?,
        user_id: col(r, "user_id")?,
        name: col(r, "name")?,
        email: col(r, "email")?,
        organisation: col(r, "organisation")?,
        remark: col(r, "remark")?,
        status: col(r, "status")?,
        registered_at: time(r, "registered_at")?,
        moved_up_at: time(r, "moved_up_at")?,
        cancelled_at: time(r, "cancelled_at")?,
        position: col(r, "position")?,
    })
}

/// The registrant's own registration for the event of `g` that is not cancelled.
pub async fn own(c: &mut Conn, g: &EventGrant) -> Result<Option<RegistrationRow>, StoreError> {
    let Some(user) = g.registrant() else { return Ok(None) };
    let r = q(format!("SELECT {REGISTRATION_COLS} FROM event_registrations r WHERE r.event_id = $1 AND r.user_id = $2 AND r.status <> 'geannuleerd'"))
        .bind(g.id())
        .bind(user)
        .fetch_optional(&mut *c)
        .await?;
    r.as_ref().map(registration_row).transpose()
}

/// A new registration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewRegistration {
    pub name: String,
    pub email: String,
    pub organisation: String,
    pub remark: String,
}

/// Registers the registrant of `g` with `status`; its id, or `None` when the registrant holds
/// a registration already (the unique index decides, also under concurrency).
pub async fn register(c: &mut Conn, g: &EventGrant, n: &NewRegistration, status: &str, at: i64) -> Result<Option<i64>, StoreError> {
    let Some(user) = g.registrant() else { return Ok(None) };
    if own(c, g).await?.is_some() {
        return Ok(None);
    }
    let r = q("INSERT INTO event_registrations (event_id, user_id, name, email, organisation, remark, status, registered_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id")
        .bind(g.id())
        .bind(user)
        .bind(&n.name)
        .bind(&n.email)
        .bind(&n.organisation)
        .bind(&n.remark)
        .bind(status)
        .bind_at(at)
        .fetch_one(&mut *c)
        .await?;
    Ok(Some(col(&r, "id")?))
}

/// Cancels the registrant's own registration for the event of `g`: its former status, or
/// `None` when there was none.
pub async fn cancel_own(c: &mut Conn, g: &EventGrant, at: i64) -> Result<Option<String>, StoreError> {
    let Some(mine) = own(c, g).await? else { return Ok(None) };
    q("UPDATE event_registrations SET status = 'geannuleerd', cancelled_at = $1 WHERE id = $2").bind_at(at).bind(mine.id).execute(&mut *c).await?;
    Ok(Some(mine.status))
}

/// Moves the `n` longest waiting registrations of event `id` up to a place: their user ids
/// (`None` after erasure), to tell them.
pub async fn move_up(c: &mut Conn, id: i64, n: i64, at: i64) -> Result<Vec<Option<i64>>, StoreError> {
    if n <= 0 {
        return Ok(Vec::new());
    }
    let rows = q("SELECT id, user_id FROM event_registrations WHERE event_id = $1 AND status = 'wachtlijst' ORDER BY id LIMIT $2").bind(id).bind(n).fetch_all(&mut *c).await?;
    let mut users = Vec::new();
    for r in &rows {
        let rid: i64 = col(r, "id")?;
        q("UPDATE event_registrations SET status = 'bevestigd', moved_up_at = $1 WHERE id = $2 AND status = 'wachtlijst'").bind_at(at).bind(rid).execute(&mut *c).await?;
        users.push(col(r, "user_id")?);
    }
    Ok(users)
}

/// Every registration of the event of `g`, cancelled ones too: places first, then the waiting
/// list in order, then the cancellations.
pub async fn attendees(c: &mut Conn, g: &AttendeeGrant) -> Result<Vec<RegistrationRow>, StoreError> {
    let rows = q(format!(
        "SELECT {REGISTRATION_COLS} FROM event_registrations r WHERE r.event_id = $1 \
         ORDER BY CASE r.status WHEN 'bevestigd' THEN 0 WHEN 'wachtlijst' THEN 1 ELSE 2 END, r.id"
    ))
    .bind(g.event_id())
    .fetch_all(&mut *c)
    .await?;
    rows.iter().map(registration_row).collect()
}

/// Erases the personal data (name, e-mail address, remark, the link to the account) of the
/// registrations of every event whose erasure day is `today` or before: (events, registrations).
pub async fn erase_due(c: &mut Conn, today: &str, at: i64) -> Result<(u64, u64), StoreError> {
    let registrations = q("UPDATE event_registrations SET name = '', email = '', remark = '', user_id = NULL \
         WHERE event_id IN (SELECT id FROM events WHERE erased_at IS NULL AND erase_on <= $1)")
    .bind(today)
    .execute(&mut *c)
    .await?
    .rows_affected();
    let events = q("UPDATE events SET erased_at = $1 WHERE erased_at IS NULL AND erase_on <= $2").bind_at(at).bind(today).execute(&mut *c).await?.rows_affected();
    Ok((events, registrations))
}
