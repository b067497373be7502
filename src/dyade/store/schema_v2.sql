-- dyade store, schema version 2: merged real-world events.
-- Applied by dyade.store.duckdb.Store.migrate() after version 1, inside one transaction; the
-- migration step then fills the new mention columns from the stored records and merges.

-- Version 1's `events` view (one event per mention) gives way to a table of merged events.
DROP VIEW events;

ALTER TABLE mentions ADD COLUMN location_admin1 VARCHAR;     -- GeoNames admin1 code
ALTER TABLE mentions ADD COLUMN location_precision VARCHAR;  -- city, admin1, country, region
ALTER TABLE mentions ADD COLUMN geonames_id BIGINT;
ALTER TABLE mentions ADD COLUMN merge_block VARCHAR;         -- TYPE|COUNTRY|COUNTRY|YEAR: mentions merge only within one
ALTER TABLE mentions ADD COLUMN merged_event_id VARCHAR;     -- the event this mention reports (events.event_id)

-- One row per real-world event: the mentions that report it merged (dyade.store.merge).
CREATE TABLE events (
    event_id           VARCHAR PRIMARY KEY, -- `E` + 16 hex digits: a hash of the smallest mention event_id
    merge_block        VARCHAR NOT NULL,
    plover_type        VARCHAR,
    plover_mode        VARCHAR,
    cameo_code         VARCHAR,
    cameo_root         VARCHAR,
    quad_class         TINYINT,
    goldstein          DOUBLE,
    source_code        VARCHAR,
    source_country     VARCHAR,
    source_sector      VARCHAR,
    source_name        VARCHAR,
    target_code        VARCHAR,
    target_country     VARCHAR,
    target_sector      VARCHAR,
    target_name        VARCHAR,
    "symmetric"        BOOLEAN NOT NULL,    -- any mention says the event is reciprocal
    negated            BOOLEAN NOT NULL,
    modality           VARCHAR,
    event_date         VARCHAR,             -- the most precise date of the mentions
    date_precision     VARCHAR,
    date_start         DATE,
    date_end           DATE,
    location_name      VARCHAR,             -- the most precise place of the mentions
    location_country   VARCHAR,
    location_admin1    VARCHAR,
    location_precision VARCHAR,
    geonames_id        BIGINT,
    lat                DOUBLE,
    lon                DOUBLE,
    fatalities         INTEGER,             -- the highest count a mention gives
    confidence         DOUBLE,              -- the highest confidence of the mentions
    first_seen         DATE,                -- first publication date of an article reporting it
    last_seen          DATE,                -- last publication date
    n_mentions         INTEGER NOT NULL,
    n_articles         INTEGER NOT NULL,
    n_sources          INTEGER NOT NULL,    -- distinct article sources (source, else URL host)
    added_at           TIMESTAMP,           -- when the first of its articles was stored (UTC)
    source_url         VARCHAR              -- the URL of the first article reporting it
);

-- Blocks whose events are out of date (written with merge=False); Store.merge() empties it.
CREATE TABLE merge_queue (block VARCHAR PRIMARY KEY);
