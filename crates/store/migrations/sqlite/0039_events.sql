-- Events of the LIEC: theme events, masterclasses, the kick-off of a phenomenon table. An event
-- has a day with start and end times (local time, hh:mm), a place or an online meeting, a
-- capacity, an audience (openbaar | netwerk), a registration window, and the number of weeks
-- after the event at which the registrants' personal data are erased (erase_on = held_on +
-- weeks; erased_at once done). Registrations: bevestigd | wachtlijst | geannuleerd; the
-- oldest waiting registration moves up when a place comes free. A user holds at most one
-- registration per event that is not cancelled. After erasure a registration keeps only its
-- status, organisation and times. Kept in lockstep with postgres/.
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    theme TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    -- jjjj-mm-dd, and hh:mm (local time)
    held_on TEXT NOT NULL,
    start_time TEXT NOT NULL,
    end_time TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    online BOOLEAN NOT NULL DEFAULT FALSE,
    capacity BIGINT NOT NULL,
    audience TEXT NOT NULL,
    opens_on TEXT NOT NULL,
    closes_on TEXT NOT NULL,
    erase_after_weeks BIGINT NOT NULL,
    erase_on TEXT NOT NULL,
    erased_at BIGINT,
    organiser TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX events_held_on ON events(held_on);
CREATE INDEX events_erase ON events(erase_on) WHERE erased_at IS NULL;

CREATE TABLE event_registrations (
    id INTEGER PRIMARY KEY,
    event_id BIGINT NOT NULL REFERENCES events(id),
    user_id BIGINT REFERENCES users(id),
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    organisation TEXT NOT NULL DEFAULT '',
    remark TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    registered_at BIGINT NOT NULL,
    moved_up_at BIGINT,
    cancelled_at BIGINT
);
CREATE INDEX event_registrations_event ON event_registrations(event_id, status, id);
CREATE UNIQUE INDEX event_registrations_one_per_user ON event_registrations(event_id, user_id) WHERE status <> 'geannuleerd' AND user_id IS NOT NULL;
