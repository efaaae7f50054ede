//! The LIEC's events: theme events, masterclasses, the kick-off of a phenomenon table. The
//! LIEC's coordinators and knowledge editors organise them (kind, theme, day and times, a place
//! or online, capacity, audience, registration window, and after how many weeks the
//! registrants' personal data go). Whoever sees an event and signed in registers: a place while
//! there is one, otherwise the waiting list; a cancellation — or more capacity — moves the
//! longest waiting up at once, and they are told. The organiser reads the attendee list and
//! downloads it as CSV (audited: it holds names and e-mail addresses). The purge task erases the
//! registrants' personal data when the event's erasure day has come.

use crate::cases::{day_of, iso, optional_day, text, today};
use crate::notifications::NotificationKind;
use crate::{commit, App, AppError, Ctx, DataSubject, Object, Outcome, Tx};
use knooppunt_domain::events::{erase_on, moving_up, new_registration, window, EventAudience, EventKind, RegistrationStatus, Window, DEFAULT_ERASE_WEEKS, ERASE_WEEKS};
use knooppunt_domain::Invalid;
use knooppunt_policy::events::{grant, may_manage, scope, EventGrant};
use knooppunt_policy::Principal;
use knooppunt_store::accounts;
use knooppunt_store::events::{self as store, EventFields, NewRegistration};
pub use knooppunt_store::events::{EventRow, RegistrationRow};

const OBJECT: &str = "bijeenkomst";

/// The processing activity of the register (`reference::processing_activities`).
pub(crate) const ACTIVITY: &str = "bijeenkomsten";

/// An event as the organiser types it (dates `dd-mm-jjjj` or `jjjj-mm-dd`, times `uu:mm`).
#[derive(Debug, Clone, Default)]
pub struct EventInput {
    pub kind: String,
    pub title: String,
    pub theme: String,
    pub description: String,
    pub held_on: String,
    pub starts_at: String,
    pub ends_at: String,
    pub place: String,
    pub online: bool,
    pub capacity: String,
    pub audience: String,
    /// Empty: from today.
    pub opens_on: String,
    /// Empty: the day before the event.
    pub closes_on: String,
    /// Empty: four weeks.
    pub erase_after_weeks: String,
}

impl EventInput {
    /// The form of an existing event.
    pub fn of(e: &EventRow) -> Self {
        Self {
            kind: e.kind.clone(),
            title: e.title.clone(),
            theme: e.theme.clone(),
            description: e.description.clone(),
            held_on: e.held_on.clone(),
            starts_at: e.starts_at.clone(),
            ends_at: e.ends_at.clone(),
            place: e.place.clone(),
            online: e.online,
            capacity: e.capacity.to_string(),
            audience: e.audience.clone(),
            opens_on: e.opens_on.clone(),
            closes_on: e.closes_on.clone(),
            erase_after_weeks: e.erase_after_weeks.to_string(),
        }
    }
}

/// The events a reader sees, with what the reader may do.
#[derive(Debug, Clone)]
pub struct EventList {
    pub rows: Vec<EventRow>,
    pub may_manage: bool,
}

/// One event as its reader sees it.
#[derive(Debug, Clone)]
pub struct EventView {
    pub row: EventRow,
    pub window: Window,
    /// The reader's own registration that is not cancelled.
    pub mine: Option<RegistrationRow>,
    /// The reader signed in as a person and may register now.
    pub may_register: bool,
    /// Nobody signed in: registering starts with signing in.
    pub sign_in_to_register: bool,
    pub may_edit: bool,
}

/// The attendee list of one event, for its organiser.
#[derive(Debug, Clone)]
pub struct Attendees {
    pub event: EventRow,
    pub rows: Vec<RegistrationRow>,
}

/// A time of day `uu:mm`.
fn clock(invalid: &mut Invalid, field: &str, raw: &str, missing: &str) -> String {
    let raw = raw.trim();
    if raw.is_empty() {
        invalid.push(field, missing);
        return String::new();
    }
    match chrono::NaiveTime::parse_from_str(raw, "%H:%M") {
        Ok(t) => t.format("%H:%M").to_string(),
        Err(_) => {
            invalid.push(field, "Vul een tijd in als uu:mm, bijvoorbeeld 09:30.");
            String::new()
        }
    }
}

/// Checks an event as typed, every field at once.
fn fields(input: &EventInput, today_iso: &str, new: bool) -> Result<EventFields, Invalid> {
    let mut invalid = Invalid::default();
    let kind = match input.kind.trim() {
        "" => {
            invalid.push("soort", "Kies de soort bijeenkomst.");
            None
        }
        raw => invalid.check("soort", EventKind::parse(raw)),
    };
    let title = text(&mut invalid, "titel", &input.title, Some("Geef de bijeenkomst een titel."), 200);
    let theme = text(&mut invalid, "thema", &input.theme, None, 200);
    let description = text(&mut invalid, "beschrijving", &input.description, None, 10_000);
    let held = optional_day(&mut invalid, "datum", &input.held_on);
    if input.held_on.trim().is_empty() {
        invalid.push("datum", "Vul de datum van de bijeenkomst in.");
    }
    if new && held.is_some_and(|d| iso(d).as_str() < today_iso) {
        invalid.push("datum", "De datum ligt in het verleden.");
    }
    let starts_at = clock(&mut invalid, "begintijd", &input.starts_at, "Vul de begintijd in.");
    let ends_at = clock(&mut invalid, "eindtijd", &input.ends_at, "Vul de eindtijd in.");
    if !starts_at.is_empty() && !ends_at.is_empty() && ends_at <= starts_at {
        invalid.push("eindtijd", "De eindtijd ligt na de begintijd.");
    }
    let place = text(&mut invalid, "plaats", &input.place, None, 300);
    if place.is_empty() && !input.online {
        invalid.push("plaats", "Vul de plaats in, of kies voor online.");
    }
    let capacity = match input.capacity.trim().parse::<i64>() {
        Ok(n) if (1..=5000).contains(&n) => n,
        _ => {
            invalid.push("capaciteit", "Vul het aantal plaatsen in, een getal van 1 tot en met 5000.");
            0
        }
    };
    let audience = match input.audience.trim() {
        "" => Some(EventAudience::Network),
        raw => invalid.check("publiek", EventAudience::parse(raw)),
    };
    let today_day = day_of(today_iso);
    let opens = optional_day(&mut invalid, "aanmeldenVanaf", &input.opens_on).or(if new { today_day } else { None });
    let closes = optional_day(&mut invalid, "aanmeldenTot", &input.closes_on).or_else(|| held.map(|d| d - chrono::Duration::days(1)));
    if input.opens_on.trim().is_empty() && !new {
        invalid.push("aanmeldenVanaf", "Vul in vanaf wanneer aanmelden kan.");
    }
    if let (Some(o), Some(c)) = (opens, closes) {
        if c < o {
            invalid.push("aanmeldenTot", "Het aanmelden sluit na het openen.");
        }
    }
    if let (Some(c), Some(h)) = (closes, held) {
        if c > h {
            invalid.push("aanmeldenTot", "Het aanmelden sluit uiterlijk op de dag van de bijeenkomst.");
        }
    }
    let weeks = match input.erase_after_weeks.trim() {
        "" => DEFAULT_ERASE_WEEKS,
        raw => match raw.parse::<i64>() {
            Ok(w) if ERASE_WEEKS.contains(&w) => w,
            _ => {
                invalid.push("bewaartermijnWeken", format!("Vul een bewaartermijn in van {} tot en met {} weken.", ERASE_WEEKS.start(), ERASE_WEEKS.end()));
                DEFAULT_ERASE_WEEKS
            }
        },
    };
    invalid.clone().into_result()?;
    let (Some(kind), Some(audience), Some(held), Some(opens), Some(closes)) = (kind, audience, held, opens, closes) else { return Err(invalid) };
    Ok(EventFields {
        kind: kind.code().into(),
        title,
        theme,
        description,
        held_on: iso(held),
        starts_at,
        ends_at,
        place,
        online: input.online,
        capacity,
        audience: audience.code().into(),
        opens_on: iso(opens),
        closes_on: iso(closes),
        erase_after_weeks: weeks,
        erase_on: iso(erase_on(held, weeks)),
    })
}

/// The registration window of `e` on `today`.
pub fn window_of(e: &EventRow, today_iso: &str) -> Window {
    match (day_of(&e.opens_on), day_of(&e.closes_on), day_of(&e.held_on), day_of(today_iso)) {
        (Some(o), Some(c), Some(h), Some(t)) => window(o, c, h, t),
        _ => Window::Closed,
    }
}

fn audience_of(e: &EventRow) -> EventAudience {
    EventAudience::parse(&e.audience).unwrap_or(EventAudience::Network)
}

impl App {
    /// Opens event `id` for `p` in `tx`: `NotFound` when `p` does not see it.
    async fn open_event_in(&self, tx: &mut Tx, p: Option<&Principal>, id: i64) -> Result<(EventRow, EventGrant), AppError> {
        let row = store::find(tx, &scope(p), id).await?.ok_or(AppError::NotFound("bijeenkomst"))?;
        let g = grant(p, id, audience_of(&row)).ok_or(AppError::NotFound("bijeenkomst"))?;
        Ok((row, g))
    }

    /// The events the reader sees (also without signing in: the public ones): the coming ones,
    /// soonest first, or with `past` the earlier ones, latest first.
    pub async fn events(&self, ctx: &Ctx, past: bool) -> Result<EventList, AppError> {
        let p = ctx.principal.as_ref();
        let mut tx = self.begin_read().await?;
        let rows = store::list(&mut tx, &scope(p), &today(self.now()), past).await?;
        commit(tx).await?;
        Ok(EventList { rows, may_manage: p.is_some_and(|p| may_manage(p).allowed) })
    }

    /// One event with the reader's own registration; reading that registration is audited.
    pub async fn event(&self, ctx: &Ctx, id: i64) -> Result<EventView, AppError> {
        let p = ctx.principal.as_ref();
        let mut tx = self.begin_read().await?;
        let (row, g) = self.open_event_in(&mut tx, p, id).await?;
        let mine = store::own(&mut tx, &g).await?;
        commit(tx).await?;
        if let Some(m) = &mine {
            self.log_plain_read(ctx, "bijeenkomst-aanmelding-bekeken", &Object::new(OBJECT, id), &format!("aanmelding {}", m.id)).await?;
        }
        let w = window_of(&row, &today(self.now()));
        Ok(EventView {
            may_register: g.registrant().is_some() && mine.is_none() && w == Window::Open && row.erased_at.is_none(),
            sign_in_to_register: p.is_none() && w == Window::Open,
            may_edit: g.may_edit(),
            window: w,
            mine,
            row,
        })
    }

    /// An organiser creates an event; its id.
    pub async fn create_event(&self, ctx: &Ctx, input: &EventInput) -> Result<i64, AppError> {
        let p = ctx.principal()?.clone();
        let d = may_manage(&p);
        if !d.allowed {
            return Err(self.refuse(None, ctx, &Object::new(OBJECT, "nieuw"), d.reason, AppError::Forbidden(d.reason)).await);
        }
        let f = fields(input, &today(self.now()), true)?;
        let mut tx = self.begin().await?;
        let id = store::insert(&mut tx, &f, &p.label, self.now()).await?;
        self.audit(&mut tx, ctx, "bijeenkomst-aangemaakt", &Object::new(OBJECT, id), Outcome::Ok, &f.title).await?;
        commit(tx).await?;
        Ok(id)
    }

    /// An organiser changes event `id` at `version`. More places move the longest waiting up.
    pub async fn update_event(&self, ctx: &Ctx, id: i64, version: i64, input: &EventInput) -> Result<(), AppError> {
        let p = ctx.principal()?.clone();
        let mut tx = self.begin().await?;
        let (row, g) = match self.open_event_in(&mut tx, Some(&p), id).await {
            Ok(found) => found,
            Err(e) => return Err(self.refuse(Some(tx), ctx, &Object::new(OBJECT, id), "bijeenkomst niet zichtbaar", e).await),
        };
        if !g.may_edit() {
            let reason = may_manage(&p).reason;
            return Err(self.refuse(Some(tx), ctx, &Object::new(OBJECT, id), reason, AppError::Forbidden(reason)).await);
        }
        let f = fields(input, &today(self.now()), false)?;
        if f.capacity < row.confirmed {
            return Err(Invalid::one("capaciteit", format!("Er zijn al {} aanmeldingen met een plaats; minder plaatsen kan niet.", row.confirmed)).into());
        }
        if !store::update(&mut tx, id, version, &f, self.now()).await? {
            return Err(AppError::Conflict(crate::cases::STALE.into()));
        }
        let moved = self.fill_places(&mut tx, ctx, id, f.capacity).await?;
        self.audit(&mut tx, ctx, "bijeenkomst-gewijzigd", &Object::new(OBJECT, id), Outcome::Ok, &format!("{} van de wachtlijst geplaatst", moved)).await?;
        commit(tx).await
    }

    /// Gives the free places of event `id` (under its lock) to the longest waiting and tells
    /// them; how many moved up.
    async fn fill_places(&self, tx: &mut Tx, ctx: &Ctx, id: i64, capacity: i64) -> Result<usize, AppError> {
        let (confirmed, waiting) = store::places(tx, id).await?;
        let users = store::move_up(tx, id, moving_up(confirmed, capacity, waiting), self.now()).await?;
        for user in users.iter().flatten() {
            self.tell(tx, *user, NotificationKind::EventPlace).await?;
        }
        if !users.is_empty() {
            self.audit(tx, ctx, "bijeenkomst-wachtlijst-doorgeschoven", &Object::new(OBJECT, id), Outcome::Ok, &format!("{} geplaatst", users.len())).await?;
        }
        Ok(users.len())
    }

    /// The signed-in user registers for event `id` with a remark for the organiser: a place
    /// while there is one, otherwise the waiting list. The registration's status.
    pub async fn register_for_event(&self, ctx: &Ctx, id: i64, remark: &str) -> Result<RegistrationStatus, AppError> {
        let p = ctx.principal()?.clone();
        let mut invalid = Invalid::default();
        let remark = text(&mut invalid, "opmerking", remark, None, 500);
        invalid.into_result()?;
        let mut tx = self.begin().await?;
        store::lock(&mut tx, id).await?;
        let (row, g) = match self.open_event_in(&mut tx, Some(&p), id).await {
            Ok(found) => found,
            Err(e) => return Err(self.refuse(Some(tx), ctx, &Object::new(OBJECT, id), "bijeenkomst niet zichtbaar", e).await),
        };
        let Some(user_id) = g.registrant() else {
            return Err(AppError::Conflict("Alleen personen melden zich aan voor een bijeenkomst, geen systemen.".into()));
        };
        match window_of(&row, &today(self.now())) {
            Window::NotYet => return Err(AppError::Conflict(format!("Aanmelden kan vanaf {}.", knooppunt_domain::case::dutch_day(&row.opens_on)))),
            Window::Closed => return Err(AppError::Conflict("Aanmelden voor deze bijeenkomst is gesloten.".into())),
            Window::Open => {}
        }
        let Some(user) = accounts::find_user(&mut tx, user_id).await? else { return Err(AppError::Unauthenticated) };
        let (confirmed, _) = store::places(&mut tx, id).await?;
        let status = new_registration(confirmed, row.capacity);
        let n = NewRegistration { name: user.display_name.clone(), email: user.email.clone(), organisation: user.organisation_name.clone(), remark };
        let Some(rid) = store::register(&mut tx, &g, &n, status.code(), self.now()).await? else {
            return Err(AppError::Conflict("U bent al aangemeld voor deze bijeenkomst.".into()));
        };
        self.audit(&mut tx, ctx, "bijeenkomst-aangemeld", &Object::new(OBJECT, id), Outcome::Ok, &format!("aanmelding {rid}: {}", status.code())).await?;
        commit(tx).await?;
        Ok(status)
    }

    /// The signed-in user cancels their registration for event `id`; a freed place goes to the
    /// longest waiting at once.
    pub async fn cancel_event_registration(&self, ctx: &Ctx, id: i64) -> Result<(), AppError> {
        let p = ctx.principal()?.clone();
        let mut tx = self.begin().await?;
        store::lock(&mut tx, id).await?;
        let (row, g) = match self.open_event_in(&mut tx, Some(&p), id).await {
            Ok(found) => found,
            Err(e) => return Err(self.refuse(Some(tx), ctx, &Object::new(OBJECT, id), "bijeenkomst niet zichtbaar", e).await),
        };
        if row.held_on < today(self.now()) {
            return Err(AppError::Conflict("De bijeenkomst is voorbij; afmelden kan niet meer.".into()));
        }
        let Some(was) = store::cancel_own(&mut tx, &g, self.now()).await? else {
            return Err(AppError::Conflict("U bent niet aangemeld voor deze bijeenkomst.".into()));
        };
        self.audit(&mut tx, ctx, "bijeenkomst-afgemeld", &Object::new(OBJECT, id), Outcome::Ok, &format!("was {was}")).await?;
        if was == RegistrationStatus::Confirmed.code() {
            self.fill_places(&mut tx, ctx, id, row.capacity).await?;
        }
        commit(tx).await
    }

    /// The attendee list of event `id` for its organiser (names, organisations, e-mail
    /// addresses: audited); `csv` says how it is read.
    pub async fn event_attendees(&self, ctx: &Ctx, id: i64, csv: bool) -> Result<Attendees, AppError> {
        let p = ctx.principal()?.clone();
        let mut tx = self.begin().await?;
        let (event, g) = match self.open_event_in(&mut tx, Some(&p), id).await {
            Ok(found) => found,
            Err(e) => return Err(self.refuse(Some(tx), ctx, &Object::new(OBJECT, id), "bijeenkomst niet zichtbaar", e).await),
        };
        let Some(a) = g.attendees() else {
            let reason = may_manage(&p).reason;
            return Err(self.refuse(Some(tx), ctx, &Object::new(OBJECT, id), reason, AppError::Forbidden(reason)).await);
        };
        let rows = store::attendees(&mut tx, &a).await?;
        let action = if csv { "bijeenkomst-deelnemers-gedownload" } else { "bijeenkomst-deelnemers-bekeken" };
        let subjects: Vec<DataSubject> = rows.iter().filter(|r| r.holds_personal_data()).map(|r| DataSubject { kind: "aanmelding", id: r.id.to_string() }).collect();
        self.record_personal_read(&mut tx, ctx, ACTIVITY, action, &Object::new(OBJECT, id), &subjects).await?;
        commit(tx).await?;
        Ok(Attendees { event, rows })
    }

    /// Erases the registrants' personal data of every event whose erasure day has come:
    /// (events, registrations). Part of the purge task.
    pub(crate) async fn erase_event_registrations(&self, tx: &mut Tx) -> Result<(u64, u64), AppError> {
        Ok(store::erase_due(tx, &today(self.now()), self.now()).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_wrong_field_is_named_at_once() {
        let input = EventInput { capacity: "nul".into(), starts_at: "25:00".into(), ends_at: "10:00".into(), erase_after_weeks: "99".into(), ..EventInput::default() };
        let e = fields(&input, "2026-12-01", true).err().unwrap_or_default();
        let named: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        for f in ["soort", "titel", "datum", "begintijd", "plaats", "capaciteit", "bewaartermijnWeken"] {
            assert!(named.contains(&f), "{f} in {named:?}");
        }
    }

    #[test]
    fn a_new_event_opens_today_and_closes_the_day_before() {
        let input = EventInput {
            kind: "masterclass".into(),
            title: "Bibob".into(),
            held_on: "15-12-2026".into(),
            starts_at: "9:30".into(),
            ends_at: "12:00".into(),
            online: true,
            capacity: "20".into(),
            ..EventInput::default()
        };
        let f = fields(&input, "2026-12-01", true);
        assert!(
            f.as_ref().is_ok_and(|f| f.opens_on == "2026-12-01" && f.closes_on == "2026-12-14" && f.starts_at == "09:30" && f.erase_on == "2027-01-12" && f.audience == "netwerk"),
            "{f:?}"
        );
    }
}
