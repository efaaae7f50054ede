-- A steering group's bottlenecks (knelpunten): what stands in the way of the approach in law
-- and regulation, information sharing, capacity or cooperation, with its owner and state. A
-- region's stuurgroep may pass one on to the Stuurgroep LIEC (forwarded_at), which then sees
-- it in its own list with the region. No case, no person: a bottleneck is general.
CREATE TABLE steering_bottlenecks (
    id INTEGER PRIMARY KEY,
    region_id BIGINT REFERENCES regions(id),
    kind TEXT NOT NULL,
    description TEXT NOT NULL,
    owner TEXT NOT NULL DEFAULT '',
    raised_on TEXT NOT NULL,
    -- open | opgelost
    status TEXT NOT NULL DEFAULT 'open',
    forwarded_at BIGINT,
    resolution TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX steering_bottlenecks_board ON steering_bottlenecks(region_id, status);
CREATE INDEX steering_bottlenecks_forwarded ON steering_bottlenecks(forwarded_at);
