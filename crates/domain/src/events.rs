//! Events of the LIEC — theme events, masterclasses, the kick-off of a phenomenon table —
//! and the rules of their registrations: who gets a place, who waits and moves up, and when the
//! registrants' personal data go.

use chrono::{Duration, NaiveDate};

coded! {
    /// What kind of event.
    EventKind {
        ThemeEvent = "themabijeenkomst" / "Themabijeenkomst",
        Masterclass = "masterclass" / "Masterclass",
        TableKickOff = "aftrap-fenomeentafel" / "Aftrap van een fenomeentafel",
    }
}

coded! {
    /// Who sees an event and may register: everyone (registering needs an account), or the
    /// network (signed-in principals with a role).
    EventAudience {
        Public = "openbaar" / "Openbaar",
        Network = "netwerk" / "Netwerk",
    }
}

coded! {
    /// Where a registration stands.
    RegistrationStatus {
        Confirmed = "bevestigd" / "Aangemeld",
        Waiting = "wachtlijst" / "Op de wachtlijst",
        Cancelled = "geannuleerd" / "Afgemeld",
    }
}

/// The registration window on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    NotYet,
    Open,
    Closed,
}

/// Whether registration is open on `today`: from `opens_on` up to and including `closes_on`,
/// and never after the day of the event.
pub fn window(opens_on: NaiveDate, closes_on: NaiveDate, held_on: NaiveDate, today: NaiveDate) -> Window {
    if today < opens_on {
        Window::NotYet
    } else if today > closes_on || today > held_on {
        Window::Closed
    } else {
        Window::Open
    }
}

/// A new registration gets a place while fewer than `capacity` are confirmed; otherwise it
/// waits.
pub fn new_registration(confirmed: i64, capacity: i64) -> RegistrationStatus {
    if confirmed < capacity {
        RegistrationStatus::Confirmed
    } else {
        RegistrationStatus::Waiting
    }
}

/// How many of the `waiting` move up when `confirmed` of `capacity` places are taken: the free
/// places, at most everyone waiting.
pub fn moving_up(confirmed: i64, capacity: i64, waiting: i64) -> i64 {
    (capacity - confirmed).max(0).min(waiting.max(0))
}

/// The day the registrants' personal data are erased: `weeks` after the event.
pub fn erase_on(held_on: NaiveDate, weeks: i64) -> NaiveDate {
    held_on + Duration::weeks(weeks.max(0))
}

/// The bounds of the erasure period an organiser may set, in weeks.
pub const ERASE_WEEKS: std::ops::RangeInclusive<i64> = 1..=52;

/// The default erasure period: four weeks after the event (time for the attendance list and the
/// evaluation, no more).
pub const DEFAULT_ERASE_WEEKS: i64 = 4;

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn a_full_event_puts_the_next_on_the_waiting_list() {
        assert_eq!(new_registration(0, 3), RegistrationStatus::Confirmed);
        assert_eq!(new_registration(2, 3), RegistrationStatus::Confirmed);
        assert_eq!(new_registration(3, 3), RegistrationStatus::Waiting);
        assert_eq!(new_registration(4, 3), RegistrationStatus::Waiting);
    }

    #[test]
    fn the_free_places_move_the_waiting_up() {
        assert_eq!(moving_up(2, 3, 5), 1);
        assert_eq!(moving_up(3, 3, 5), 0);
        assert_eq!(moving_up(0, 10, 4), 4);
        assert_eq!(moving_up(5, 3, 2), 0, "less capacity than confirmed moves nobody");
        assert_eq!(moving_up(1, 3, 0), 0);
    }

    #[test]
    fn the_window_opens_closes_and_ends_with_the_event() {
        let (o, c, h) = (d("2026-12-01"), d("2026-12-10"), d("2026-12-08"));
        assert_eq!(window(o, c, h, d("2026-11-30")), Window::NotYet);
        assert_eq!(window(o, c, h, d("2026-12-01")), Window::Open);
        assert_eq!(window(o, c, h, d("2026-12-08")), Window::Open);
        assert_eq!(window(o, c, h, d("2026-12-09")), Window::Closed, "not after the event, whatever the window says");
        assert_eq!(window(o, d("2026-12-05"), h, d("2026-12-06")), Window::Closed);
    }

    #[test]
    fn personal_data_go_weeks_after_the_event() {
        assert_eq!(erase_on(d("2026-12-08"), 4), d("2027-01-05"));
        assert_eq!(erase_on(d("2026-12-08"), 0), d("2026-12-08"));
    }
}
