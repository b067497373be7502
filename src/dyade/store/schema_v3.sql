-- dyade store, schema version 3: integer actor keys on mentions.
-- Applied by dyade.store.duckdb.Store.migrate() after version 2, inside one transaction; the
-- migration step then keys every stored mention (dyade.store.actors.fill_actor_keys).

-- One row per distinct (actor code, actor country) pair seen on either side of a mention.
-- An actor filter (`TUR`: the country, or a code starting with it) becomes a short list of keys,
-- which DuckDB tests inside its scan of one integer column instead of comparing two text columns.
CREATE TABLE actor_keys (
    id      INTEGER PRIMARY KEY,
    code    VARCHAR,
    country VARCHAR
);

ALTER TABLE mentions ADD COLUMN source_actor INTEGER;  -- actor_keys.id of (source_code, source_country)
ALTER TABLE mentions ADD COLUMN target_actor INTEGER;  -- actor_keys.id of (target_code, target_country)
