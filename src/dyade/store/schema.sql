-- dyade store, schema version 1.
-- Applied by dyade.store.duckdb.Store.migrate() inside one transaction, together with the
-- `schema_version` row. Later versions add their own migration step; never edit this file
-- in a way that changes what version 1 means for stores that already exist.

-- One row per input article, coded or skipped.
CREATE TABLE articles (
    id            VARCHAR PRIMARY KEY,
    url           VARCHAR,
    source        VARCHAR,
    title         VARCHAR,
    published     VARCHAR,            -- as given by the input (`2020-02-28`, ISO timestamp, ...)
    text_hash     VARCHAR NOT NULL,   -- sha256 of the whitespace-normalised text
    n_chars       INTEGER NOT NULL,   -- length of the original text
    language      VARCHAR,
    status        VARCHAR NOT NULL CHECK (status IN ('coded', 'skipped')),
    skip_reason   VARCHAR,
    coder_version VARCHAR NOT NULL,
    origin        VARCHAR,            -- file path, with `:line` for JSONL
    ingested_at   TIMESTAMP NOT NULL  -- UTC
);
CREATE INDEX articles_text_hash ON articles (text_hash);

-- One row per event record written by `extract`: one mention of a real-world event.
CREATE TABLE mentions (
    event_id         VARCHAR PRIMARY KEY,
    article_id       VARCHAR NOT NULL,
    event_date       VARCHAR,          -- YYYY, YYYY-MM or YYYY-MM-DD
    date_precision   VARCHAR,          -- day, month, year
    date_start       DATE,             -- first day the event_date covers
    date_end         DATE,             -- last day the event_date covers
    plover_type      VARCHAR,
    plover_mode      VARCHAR,
    cameo_code       VARCHAR,
    cameo_root       VARCHAR,
    quad_class       TINYINT,
    goldstein        DOUBLE,
    source_code      VARCHAR,
    source_country   VARCHAR,
    source_sector    VARCHAR,
    source_name      VARCHAR,
    target_code      VARCHAR,
    target_country   VARCHAR,
    target_sector    VARCHAR,
    target_name      VARCHAR,
    "symmetric"      BOOLEAN NOT NULL, -- quoted: a reserved word in DuckDB
    negated          BOOLEAN NOT NULL,
    modality         VARCHAR,
    background       BOOLEAN NOT NULL,
    fatalities       INTEGER,
    location_name    VARCHAR,
    location_country VARCHAR,
    lat              DOUBLE,
    lon              DOUBLE,
    reported_by_code VARCHAR,
    evidence_text    VARCHAR,
    evidence_start   INTEGER,
    evidence_end     INTEGER,
    rule             VARCHAR,
    confidence       DOUBLE,
    record           JSON NOT NULL     -- the full record exactly as `extract` wrote it
);
CREATE INDEX mentions_article ON mentions (article_id);
CREATE INDEX mentions_dyad ON mentions (source_country, target_country);
CREATE INDEX mentions_event_date ON mentions (event_date);
CREATE INDEX mentions_plover_type ON mentions (plover_type);

-- Real-world events. Version 1: one event per mention. A later version merges the mentions
-- of one event and replaces this view; it must keep these columns (every mentions column
-- plus n_mentions) so that queries written against `events` keep working.
CREATE VIEW events AS
SELECT m.*, 1 AS n_mentions
FROM mentions AS m;
