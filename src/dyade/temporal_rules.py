"""French time expressions in a sentence: the lexicon, the patterns and `find_expressions`."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

logger = logging.getLogger(__name__)


def compile_fr(pattern: str) -> re.Pattern[str]:
    """Compile case-insensitively, letting every `'` also match a curly apostrophe."""
    return re.compile(pattern.replace("'", "['’]"), re.IGNORECASE)


MONTHS: dict[str, int] = {
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "decembre": 12,
    "janv": 1, "févr": 2, "fevr": 2, "fév": 2, "fev": 2, "avr": 4, "juil": 7, "sept": 9,
    "oct": 10, "nov": 11, "déc": 12, "dec": 12,
}  # fmt: skip
WEEKDAYS: dict[str, int] = {
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6,
}  # fmt: skip
WEEKDAY_NAMES = tuple(WEEKDAYS)
NUMBERS: dict[str, int] = {
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "quinze": 15, "vingt": 20, "trente": 30,
}  # fmt: skip
# Season -> its months; winter is counted in the year of its January.
SEASONS: dict[str, tuple[int, int, int]] = {
    "printemps": (3, 4, 5), "été": (6, 7, 8), "ete": (6, 7, 8), "automne": (9, 10, 11), "hiver": (12, 1, 2),
}  # fmt: skip
SEASON_NAMES = {"printemps": "spring", "été": "summer", "ete": "summer", "automne": "autumn", "hiver": "winter"}
# Parts of a year (months) and of a month (days) named by `début`, `mi-`, `fin`.
YEAR_PARTS = {"début": (1, 4), "mi": (5, 8), "fin": (9, 12)}
MONTH_PARTS = {"début": (1, 10), "mi": (11, 20), "fin": (21, 31)}
PART_NAMES = {"début": "early", "mi": "mid", "fin": "late"}

MONTH_RE = r"janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[ûu]t|septembre|octobre|novembre|d[ée]cembre"
ABBR_RE = r"janv\.|f[ée]vr?\.|avr\.|juil\.|sept\.|oct\.|nov\.|d[ée]c\."
WEEKDAY_RE = "|".join(WEEKDAYS)
YEAR_RE = r"(?:1[89]|20)\d{2}"
NUM_RE = "|".join(NUMBERS) + r"|\d{1,3}"
DAY_RE = r"(?P<day>1er|[12]\d|3[01]|0?[1-9])"
B = r"(?<![\w-])"  # a word starts here
E = r"(?![\w-])"  # a word ends here
# `début`, `fin`, `mi-` before a month or a year, with their usual wordings.
PART_PRE = (
    r"(?:d'ici\s+(?:à\s+)?)?(?:au\s+|en\s+|à\s+la\s+|la\s+)?(?:début|fin|mi-)"
    r"(?:\s+(?:du\s+mois\s+de|de\s+l'année|de))?"
)
MONTH_PRE = (
    r"en\s+ce\s+mois\s+de|ce\s+mois\s+de|au\s+mois\s+de|le\s+mois\s+de|" + PART_PRE + r"|courant|depuis|"
    r"dès|jusqu'en|d'ici(?:\s+à)?|avant|après|à\s+partir\s+de|en"
)
YEAR_PRE = (
    PART_PRE + r"|courant|depuis|dès|jusqu'en|d'ici(?:\s+à)?|avant|après|à\s+partir\s+de|à\s+l'horizon|"
    r"au\s+cours\s+de\s+l'année|l'année|l'an|pour|en"
)
# Words after `en 2011` that show the number is a quantity, not a year, are lowercase words
# other than these.
AFTER_YEAR_OK = frozenset((
    "à", "a", "au", "aux", "avec", "dans", "de", "des", "du", "en", "et", "la", "le", "les", "lors", "lorsque",
    "mais", "ou", "où", "par", "pour", "puis", "quand", "que", "qui", "selon", "sur", "contre", "alors", "après",
    "avant", "déjà", "encore", "notamment", "puisque", "si", "l", "d", "qu", "s", "n", "c", "j", "m", "t",
    "un", "une", "ce", "cet", "cette", "ces", "son", "sa", "ses", "leur", "leurs", "plusieurs", "il", "elle",
    "ils", "elles", "on", "ont", "a", "est", "sont", "était", "avait", "avaient", "ne", "n", "y", "ainsi",
))  # fmt: skip
NAMED_PLACES = re.compile(
    r"(?:rue|avenue|boulevard|place|quai|pont|square|stade|mouvement|lycée|collège|école|hôpital|"
    r"université|brigade|bataillon)\s+(?:du\s+|des\s+)?$",
    re.IGNORECASE,
)
WEEKDAY_NOT_DATE = re.compile(r"\s+(?:gras|saint|sainte|de\s+pâques|de\s+pentecôte|des\s+rameaux)\b", re.I)
HABITUAL = re.compile(r"(?:chaque|tous\s+les|toutes\s+les)\s+$", re.IGNORECASE)
DEPUIS_BEFORE = re.compile(r"(?<![\w-])depuis\s+$", re.IGNORECASE)

# Datelines (`Publié le 12 mars 2019`, `Dernière mise à jour à 10h10 le 28/02`) and the dates on them.
DATELINE_LABEL = compile_fr(
    r"^\W*(?:dernière\s+mise\s+à\s+jour|mise?\s+à\s+jour|publié|modifié|mis\s+en\s+ligne|créé|actualisé|posté)e?"
    r"(?![\w-])"
)
PUBLISHED_LABEL = compile_fr(r"^\W*(?:publié|mis\s+en\s+ligne|créé|posté)")
LINE_DATES = (
    compile_fr(rf"(?<![\w-])(?P<year>{YEAR_RE})-(?P<month>\d{{2}})-(?P<day>\d{{2}})(?!\d)"),
    compile_fr(rf"(?<![\w-])(?P<day>1er|\d{{1,2}})\s+(?P<month>{MONTH_RE}|{ABBR_RE})(?:\s+(?P<year>{YEAR_RE}))?(?![\w-])"),
    compile_fr(r"(?<![\w/.:-])(?P<day>\d{1,2})(?P<sep>[/.-])(?P<month>\d{1,2})(?:(?P=sep)(?P<year>\d{4}|\d{2}))?(?![\w/:]|[.-]\d)"),
)
# What may stand around a date on a line that carries nothing else (`mardi 12 mars 2019 à 14h30`).
DATELINE_FILLER = compile_fr(rf"\b(?:le|à|a|et|{WEEKDAY_RE})\b|\d{{1,2}}\s*(?:h|:)\s*(?:\d{{2}})?|[\W_]")
# Cues for year inference: a plan right before a date, a future-looking sentence.
PLAN_CUE = compile_fr(
    r"(?:prévu|programmé|planifié|attendu|fixé|reporté|repoussé|envisagé)e?s?\s+(?:pour|en|à|au|d'ici|vers)?\s*$"
)
FUTURE_CUE = compile_fr(
    r"(?<![\w-])(?:prévu\w*|prévoi\w*|doi(?:t|vent)|devr\w+|ser(?:a|ont)|aur(?:a|ont)|ir(?:a|ont)|prochain\w*|"
    r"d'ici|horizon|programm\w*|envisag\w*|[a-zàâçéèêëîïôûù]{3,}(?:era|eront|ira|iront))(?![\w-])"
)
SENTENCE_SPLIT = re.compile(r"(?<=[.!?»])\s+|\n+")

Fields = dict[str, Any]
Built = tuple[str, Fields] | None


@dataclass(frozen=True)
class TimeExpr:
    """A time expression in a sentence: offsets, text, kind and the parsed fields (see `find_expressions`)."""

    start: int
    end: int
    text: str
    kind: str
    fields: Fields = field(default_factory=dict, hash=False)


def month_number(word: str) -> int:
    """The month number of a French month name or abbreviation (`févr.` -> 2)."""
    return MONTHS[word.lower().rstrip(".")]


def number(word: str) -> int:
    """An integer written in digits, as `1er`, or as a small French number word."""
    w = word.lower()
    if w == "1er":
        return 1
    return int(w) if w.isdigit() else NUMBERS[w]


def full_year(text: str) -> int:
    """A four-digit year, or a two-digit one read as 20YY."""
    return int(text) if len(text) == 4 else 2000 + int(text)


def last_day(year: int, month: int) -> int:
    """The number of days in the month."""
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return (nxt - dt.timedelta(days=1)).day


def valid_day(year: int | None, month: int, day: int) -> bool:
    """Whether the day exists in the month (29 February counts when the year is unknown)."""
    if not 1 <= month <= 12:
        return False
    return 1 <= day <= last_day(year if year is not None else 2000, month)


def add_months(year: int, month: int, n: int) -> tuple[int, int]:
    """The (year, month) n months after (or before, n < 0) the given one."""
    index = year * 12 + month - 1 + n
    return index // 12, index % 12 + 1


def season_year(season: str, qualifier: str | None, year: int, month: int) -> int:
    """The year of a season seen from (year, month), winter counting in the year of its January:
    `dernier` the last one ended before that month, `prochain` the first one started after it,
    otherwise the one nearest to it."""
    months = SEASONS[season]
    here = year * 12 + month - 1

    def span(y: int) -> tuple[int, int]:
        """First and last month index of the season of year y."""
        start = (y - (months[0] == 12)) * 12 + months[0] - 1
        return start, start + 2

    years = range(year - 2, year + 3)
    if qualifier == "dernier":
        return max(y for y in years if span(y)[1] < here)
    if qualifier == "prochain":
        return min(y for y in years if span(y)[0] > here)
    return min(years, key=lambda y: abs(sum(span(y)) / 2 - here))


def stripped_lines(text: str, window: int) -> list[tuple[int, int]]:
    """The (start, end) spans of the non-blank lines starting in the first `window` characters, stripped."""
    spans = []
    for m in re.finditer(r"[^\n]+", text[:window] + text[window:].split("\n", 1)[0]):
        stripped = m.group(0).strip()
        if stripped:
            start = m.start() + m.group(0).index(stripped)
            spans.append((start, start + len(stripped)))
    return spans


def dateparser_parts(value: str) -> tuple[int | None, int, int] | None:
    """(year or None, month, day) from dateparser, parsing twice from two bases to tell what was written."""
    if not re.search(r"\d", value):
        return None
    import dateparser  # slow to import: only for the shapes the patterns miss

    results = []
    for base in (dt.datetime(2001, 3, 10), dt.datetime(2011, 9, 20)):
        settings: Any = {"RELATIVE_BASE": base, "DATE_ORDER": "DMY", "REQUIRE_PARTS": ["day", "month"]}
        results.append(dateparser.parse(value, languages=["fr", "en"], settings=settings))
    first, second = results
    if first is None or second is None or (first.month, first.day) != (second.month, second.day):
        return None
    logger.debug("dateparser read %r as %s", value, first.date())
    return (first.year if first.year == second.year else None), first.month, first.day


def part_of(pre: str | None) -> str | None:
    """`début`, `mi` or `fin` when the prefix names a part of the period."""
    if not pre:
        return None
    low = pre.lower()
    for part in ("début", "mi", "fin"):
        if re.search(rf"(?<!\w){part}(?!\w)", low):
            return part
    return None


def qualifier_of(pre: str | None) -> str | None:
    """What a prefix says about the period: `by`, `until`, `from`, `before`, `after`, `horizon`, `current`."""
    if not pre:
        return None
    low = pre.lower().replace("’", "'")
    for word, qualifier in (("d'ici", "by"), ("horizon", "horizon"), ("jusqu", "until"), ("dès", "from"),
                            ("partir", "from"), ("avant", "before"), ("après", "after"), ("ce mois", "current"),
                            ("courant", "current")):  # fmt: skip
        if word in low:
            return qualifier
    return None


def expr_period(expr: TimeExpr) -> tuple[dt.date, dt.date] | None:
    """The first and last day an expression with an explicit year covers, or None without a year."""
    f = expr.fields
    year = f.get("year")
    if year is None:
        return None
    month, day, part = f.get("month"), f.get("day"), f.get("part")
    if month is not None and day is not None:
        d = dt.date(year, month, day)
        return d, d
    if month is not None:
        lo, hi = MONTH_PARTS.get(part or "", (1, 31))
        return dt.date(year, month, lo), dt.date(year, month, min(hi, last_day(year, month)))
    if f.get("season"):
        months = SEASONS[f["season"]]
        first = dt.date(year - (months[0] == 12), months[0], 1)
        return first, dt.date(year, months[-1], last_day(year, months[-1]))
    lo, hi = YEAR_PARTS.get(part or "", (1, 12))
    return dt.date(year, lo, 1), dt.date(year, hi, last_day(year, hi))


def _after_year_ok(sentence: str, end: int) -> bool:
    """False when the word after a year-like number shows it is a quantity (`en 2000 exemplaires`)."""
    nxt = re.match(r"[ \t\u00a0]+([^\W\d_]+)", sentence[end:])
    if not nxt:
        return True
    word = nxt.group(1)
    return not word.islower() or word in AFTER_YEAR_OK


def _since_or(kind: str, pre: str | None, fields: Fields) -> Built:
    """The kind `since` when the prefix is `depuis`, the given kind otherwise."""
    if pre and pre.lower().startswith("depuis"):
        return "since", {"of": kind, **fields}
    return kind, fields


def _build_night(m: re.Match[str], sentence: str) -> Built:
    """`dans la nuit de mardi à mercredi`, `la nuit du 3 au 4 mars`: dated by the second day."""
    g = m.groupdict()
    if g.get("wd"):
        return "night", {"weekday": WEEKDAYS[g["wd"].lower()], "first": WEEKDAYS[g["wd1"].lower()]}
    year = int(g["year"]) if g["year"] else None
    month, day = month_number(g["month"]), number(g["day"])
    return ("night", {"day": day, "month": month, "year": year}) if valid_day(year, month, day) else None


def _build_day_month(m: re.Match[str], sentence: str) -> Built:
    """`le 24 février`, `jeudi 28 février 2019`, `le 19 décembre courant`, not `rue du 4 Septembre`."""
    if NAMED_PLACES.search(sentence[: m.start()] + (m["art"] or "") + " "):
        return None
    year = int(m["year"]) if m["year"] else None
    month, day = month_number(m["month"]), number(m["day"])
    if not valid_day(year, month, day) or (year and not _after_year_ok(sentence, m.end("year"))):
        return None
    qual = (m["qual"] or "").lower() or None
    fields = {"day": day, "month": month, "year": year, "qualifier": qual, "courant": qual == "courant"}
    return "day_month", fields


def _build_numeric(m: re.Match[str], sentence: str) -> Built:
    """`le 28/02`, `12/03/2019`, `12.03.2019` (after `le`, a weekday, or with a year) and `2019-03-12`."""
    g = m.groupdict()
    if "sep" in g and (not (g["art"] or g["wd"] or g["year"]) or (g["sep"] != "/" and not g["year"])):
        return None
    year = full_year(g["year"]) if g["year"] else None
    month, day = int(g["month"]), int(g["day"])
    if not valid_day(year, month, day):
        return None
    return "day_month", {"day": day, "month": month, "year": year, "qualifier": None, "courant": False}


def _build_month(m: re.Match[str], sentence: str) -> Built:
    """`en juin`, `fin juin`, `mi-mars`, `novembre 2015`, `mars dernier`, `depuis juin`; not `sur Mars`."""
    pre, word, qual = m["pre"], m["month"], (m["qual"] or "").lower() or None
    if not (pre or m["year"] or qual):
        return None
    if word[0].isupper() and not m["year"]:  # `Mars` the planet, `Juin` the general
        return None
    year = int(m["year"]) if m["year"] else None
    if year and not _after_year_ok(sentence, m.end("year")):
        return None
    qualifier = qual if qual in ("dernier", "prochain", "passé") else qualifier_of(pre)
    courant = qual == "courant" or qualifier == "current"
    fields = {"month": month_number(word), "year": year, "part": part_of(pre),
              "qualifier": None if courant else qualifier, "courant": courant}  # fmt: skip
    return _since_or("month", pre, fields)


def _build_year(m: re.Match[str], sentence: str) -> Built:
    """`en 2011`, `début 2019`, `d'ici 2025`, `depuis 2011`; not `en 2000 exemplaires`."""
    if not _after_year_ok(sentence, m.end("year")):
        return None
    pre = m["pre"]
    qualifier = qualifier_of(pre)
    fields = {"year": int(m["year"]), "part": part_of(pre), "qualifier": None if qualifier == "current" else qualifier}
    return _since_or("year", pre, fields)


def _build_season_year(m: re.Match[str], sentence: str) -> Built:
    """`l'été 2016`, `au printemps 2011`."""
    return "year", {"year": int(m["year"]), "season": m["season"].lower(), "part": None, "qualifier": None}


def _build_weekday(m: re.Match[str], sentence: str) -> Built:
    """`jeudi`, `jeudi dernier`, `ce lundi`, `mardi soir`; not `mardi gras` nor `chaque jeudi`."""
    wd = m["wd"]
    if WEEKDAY_NOT_DATE.match(sentence, m.end("wd")) or HABITUAL.search(sentence[: m.start()]):
        return None
    before = sentence[: m.start()].rstrip()
    if wd[0].isupper() and before and not m["pre"] and re.search(r"[A-ZÀ-Ý][\w-]*$", before):
        return None  # inside a proper name (`Radio Lundi`)
    pre = (m["pre"] or "").lower()
    qual = (m["qual"] or m["qual2"] or "").lower() or ("ce" if pre == "ce" else None)
    return "weekday", {"weekday": WEEKDAYS[wd.lower()], "qualifier": qual, "part": (m["part"] or "").lower() or None}


RELATIVE_DAYS: dict[str, int] = {
    "avant-hier": -2, "hier": -1, "aujourd'hui": 0, "après-demain": 2, "demain": 1, "l'avant-veille": -2,
    "la veille": -1, "le lendemain": 1, "le surlendemain": 2, "ce matin": 0, "ce soir": 0,
    "cet après-midi": 0, "cette nuit": 0, "la nuit dernière": 0,
}  # fmt: skip


def _build_relative_day(m: re.Match[str], sentence: str) -> Built:
    """`hier`, `la veille`, `le lendemain`, `il y a trois jours`, `deux jours plus tard`."""
    n = m["n"] or m["n2"]
    if n:
        sign = 1 if (m["dir"] or "").lower().endswith("tard") else -1
        return "relative_day", {"offset": sign * number(n), "word": m.group(0).lower()}
    word = re.sub(r"\s+", " ", m.group(0).lower().replace("’", "'"))
    return "relative_day", {"offset": RELATIVE_DAYS[word], "word": word}


OFFSETS = {"dernier": -1, "dernière": -1, "passé": -1, "passée": -1, "précédent": -1, "précédente": -1,
           "prochain": 1, "prochaine": 1, "suivant": 1, "suivante": 1}  # fmt: skip
SPANS = {"jour": "days", "semaine": "weeks", "mois": "months", "an": "years", "année": "years",
         "temps": "weeks", "décennie": "years", "heure": "days"}  # fmt: skip


def _span(word: str | None) -> str | None:
    """`jours` -> `days`, `années` -> `years`..."""
    return SPANS.get(word.lower().rstrip("s"), SPANS.get(word.lower())) if word else None


def _build_week_month_year(m: re.Match[str], sentence: str) -> Built:
    """`la semaine dernière`, `le mois prochain`, `l'an dernier`, `cette année`."""
    unit = {"semaine": "week", "mois": "month", "an": "year", "année": "year"}[m["unit"].lower()]
    det, q = (m["det"] or "").lower(), (m["q"] or "").lower()
    if not q and det not in ("cette", "ce"):
        return None
    return "relative_period", {"unit": unit, "offset": OFFSETS.get(q, 0), "part": part_of(m["when"])}


def _build_this_year(m: re.Match[str], sentence: str) -> Built:
    """`en début d'année`, `plus tôt dans l'année`, `le début de l'année`."""
    return "relative_period", {"unit": "year", "offset": 0, "part": part_of(m.group(0))}


def _build_season(m: re.Match[str], sentence: str) -> Built:
    """`l'été dernier`, `cet hiver`, `le printemps prochain`."""
    det, q = m["det"].lower().strip(), (m["q"] or "").lower()
    if not q and det not in ("cet", "ce"):
        return None
    qualifier = "ce" if not q else ("prochain" if OFFSETS[q] > 0 else "dernier")
    return "relative_period", {"unit": "season", "season": m["season"].lower(), "qualifier": qualifier}


def _build_recent(m: re.Match[str], sentence: str) -> Built:
    """`récemment`, `ces derniers jours`, `au cours des dernières années`."""
    return "relative_period", {"unit": "recent", "span": _span(m["unit"] or m["unit2"])}


def _build_ago(m: re.Match[str], sentence: str) -> Built:
    """`il y a deux ans`, `trois mois plus tôt`."""
    span, count = _span(m["unit"] or m["unit3"]), number(m["n"] or m["n3"])
    return "relative_period", {"unit": "ago", "span": span, "count": count}


def _build_since_vague(m: re.Match[str], sentence: str) -> Built:
    """`depuis plusieurs jours`, `depuis des années`."""
    return "since", {"of": "vague", "span": _span(m["unit"]) or "years"}


WD = rf"(?:{WEEKDAY_RE})"
RULES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str], str], Built]], ...] = (
    (compile_fr(rf"{B}(?:dans\s+)?la\s+nuit\s+(?:de|du)\s+(?P<wd1>{WD})\s+(?:à|au)\s+(?P<wd>{WD}){E}"),
     _build_night),
    (compile_fr(rf"{B}(?:dans\s+)?la\s+nuit\s+du\s+(?:1er|\d{{1,2}})(?:\s+(?:{MONTH_RE}))?\s+au\s+{DAY_RE}\s+"
                rf"(?P<month>{MONTH_RE})(?:\s+(?P<year>{YEAR_RE}))?{E}"), _build_night),
    (compile_fr(rf"{B}(?:(?P<art>le|du|au|dès\s+le|jusqu'au|avant\s+le|après\s+le)\s+)?(?:(?P<wd>{WD})\s+)?"
                rf"{DAY_RE}\s+(?P<month>{MONTH_RE}|{ABBR_RE})(?:\s+(?P<year>{YEAR_RE}))?"
                rf"(?:\s+(?P<qual>courant|dernier|prochain))?(?![\w-]|\d)"), _build_day_month),
    (compile_fr(rf"(?<![\w/.,-])(?:(?P<art>le|du|au|dès\s+le|jusqu'au)\s+)?(?:(?P<wd>{WD})\s+)?(?P<day>\d{{1,2}})"
                r"(?P<sep>[/.])(?P<month>\d{1,2})(?:(?P=sep)(?P<year>\d{4}|\d{2}))?(?![\w/]|[.,]\d)"), _build_numeric),
    (compile_fr(rf"(?<![\w/-])(?P<year>{YEAR_RE})-(?P<month>\d{{2}})-(?P<day>\d{{2}})(?![\w/-])"), _build_numeric),
    (compile_fr(rf"{B}(?:(?P<pre>{MONTH_PRE})\s*)?(?P<month>{MONTH_RE})(?:\s+(?P<year>{YEAR_RE}))?"
                rf"(?:\s+(?P<qual>dernier|prochain|passé|courant))?(?![\w-]|\s*\d)"), _build_month),
    (compile_fr(rf"{B}(?P<pre>{YEAR_PRE})\s*(?P<year>{YEAR_RE})(?![\w%]|[.,]\d)"), _build_year),
    (compile_fr(rf"{B}(?:l'|à\s+l'|au\s+|en\s+|le\s+)(?P<season>été|hiver|automne|printemps)\s+(?P<year>{YEAR_RE}){E}"),
     _build_season_year),
    (compile_fr(rf"{B}(?:(?P<pre>ce|dès|jusqu'à|avant|après|le)\s+)?(?P<wd>{WD})"
                r"(?:\s+(?P<qual>dernier|prochain|passé|précédent|suivant))?"
                r"(?:\s+(?P<part>matin|soir|après-midi|midi))?(?:\s+(?P<qual2>dernier|prochain))?(?![\w-])"),
     _build_weekday),
    (compile_fr(rf"{B}(?:avant-hier|hier|aujourd'hui|après-demain|demain|l'avant-veille|la\s+veille|"
                r"le\s+lendemain|le\s+surlendemain|ce\s+matin|ce\s+soir|cet\s+après-midi|cette\s+nuit|"
                rf"la\s+nuit\s+dernière|il\s+y\s+a\s+(?P<n>{NUM_RE})\s+jours?|"
                rf"(?P<n2>{NUM_RE})\s+jours\s+(?P<dir>plus\s+tôt|plus\s+tard|auparavant)){E}"), _build_relative_day),
    (compile_fr(rf"{B}(?:(?P<when>en\s+début\s+de|en\s+fin\s+de|plus\s+tôt|plus\s+tard|au\s+début\s+de|"
                r"à\s+la\s+fin\s+de)\s+)?(?P<det>la|le|l'|cette|ce)\s*(?P<unit>semaine|mois|année|an)(?:-ci)?"
                r"(?:\s+(?P<q>dernière|dernier|passée|passé|prochaine|prochain|précédente|précédent|"
                rf"suivante|suivant))?{E}"), _build_week_month_year),
    (compile_fr(rf"{B}(?:(?:en|au)\s+(?:début|cours|fin)\s+d'année|plus\s+(?:tôt|tard)\s+dans\s+l'année|"
                rf"le\s+début\s+de\s+l'année|la\s+fin\s+de\s+l'année){E}"), _build_this_year),
    (compile_fr(rf"{B}(?P<det>l'|le\s+|cet\s+|ce\s+)(?P<season>été|hiver|automne|printemps)"
                rf"(?:\s+(?P<q>dernier|passé|prochain))?{E}"), _build_season),
    (compile_fr(rf"{B}(?:récemment|dernièrement|ces\s+derni(?:er|ère)s\s+(?P<unit>jours|semaines|mois|années|temps)|"
                rf"au\s+cours\s+des\s+derni(?:er|ère)s\s+(?P<unit2>jours|semaines|mois|années)){E}"), _build_recent),
    (compile_fr(rf"{B}(?:il\s+y\s+a\s+(?P<n>{NUM_RE})\s+(?P<unit>semaines?|mois|ans|années?)|"
                rf"(?P<n3>{NUM_RE})\s+(?P<unit3>semaines|mois|ans|années)\s+(?:plus\s+tôt|auparavant)){E}"),
     _build_ago),
    (compile_fr(rf"{B}depuis\s+(?:plusieurs|quelques|des|de\s+longs?|de\s+nombreu(?:x|ses)|{NUM_RE})\s+"
                rf"(?P<unit>heures|jours|semaines|mois|ans|années|décennies){E}"), _build_since_vague),
)
# For each rule, words its matches cannot do without (lowercase substrings, or a pattern where words
# will not do): looking for these is much cheaper than the rule's own scan, which tries its optional
# prefixes at every position, so a rule runs only where its gate is found. A gate may let through more
# than its rule matches, never less (tests/test_temporal.py checks it).
_MONTHS = ("janv", "fév", "fev", "mars", "avr", "mai", "juin", "juil", "août", "aout", "sept", "oct", "nov", "déc",
           "dec")
_SEASONS = ("été", "hiver", "automne", "printemps")
GATES: tuple[tuple[str, ...] | re.Pattern[str], ...] = (
    ("nuit",), ("nuit",), _MONTHS, re.compile(r"\d[/.]\d"), re.compile(r"\d-\d"), _MONTHS, re.compile(YEAR_RE),
    _SEASONS, tuple(WEEKDAYS),
    ("hier", "aujourd", "demain", "veille", "lendemain", "matin", "soir", "midi", "nuit", "jour"),
    re.compile(r"semaine|mois|année|an(?!\w)", re.IGNORECASE), ("année",), _SEASONS,
    ("récemment", "dernièrement", "derni"), ("il", "auparavant", "tôt"), ("depuis",),
)
assert len(GATES) == len(RULES)
# Each gate as one regex: a word gate is searched in the lowered sentence, a pattern in the sentence itself.
_GATE_SEARCH: tuple[tuple[re.Pattern[str], bool], ...] = tuple(
    (gate, False) if isinstance(gate, re.Pattern) else (re.compile("|".join(map(re.escape, gate))), True)
    for gate in GATES)


def find_expressions(sentence: str) -> list[TimeExpr]:
    """Find the time expressions of a sentence, longest first where they overlap, in text order.

    Kinds and their fields:
        weekday: weekday (0 = lundi), qualifier (`dernier`, `prochain`, `ce`, `précédent`, `suivant`), part.
        relative_day: offset in days (`hier` -1, `le lendemain` +1, `il y a trois jours` -3), word.
        relative_period: unit `week`/`month`/`year` with offset; `season` with season and qualifier;
            `recent` with span; `ago` with span and count.
        month: month, year or None, part (`début`, `mi`, `fin`), qualifier, courant.
        day_month: day, month, year or None, qualifier, courant.
        year: year, part, qualifier (`by` for `d'ici`, `horizon`, `until`, `from`...), season for `l'été 2016`.
        since: `of` (the kind of what follows `depuis`) and its fields; `of` is `vague` for `depuis des mois`.
        night: weekday (the second day), or day, month, year.
    """
    found: list[TimeExpr] = []
    low = sentence.lower()
    for (pattern, build), (gate, lowered) in zip(RULES, _GATE_SEARCH):
        if gate.search(low if lowered else sentence) is None:
            continue
        for m in pattern.finditer(sentence):
            built = build(m, sentence)
            if built is not None:
                found.append(TimeExpr(m.start(), m.end(), m.group(0), built[0], built[1]))
    kept: list[TimeExpr] = []
    for expr in sorted(found, key=lambda e: (e.start - e.end, e.start)):
        if all(expr.end <= k.start or expr.start >= k.end for k in kept):
            kept.append(expr)
    return [_mark_since(e, sentence) for e in sorted(kept, key=lambda e: e.start)]


def _mark_since(expr: TimeExpr, sentence: str) -> TimeExpr:
    """Turn an expression right after `depuis` into a `since` expression that covers the word."""
    if expr.kind == "since":
        return expr
    before = DEPUIS_BEFORE.search(sentence[: expr.start])
    if not before:
        return expr
    start = before.start()
    return TimeExpr(start, expr.end, sentence[start : expr.end], "since", {"of": expr.kind, **expr.fields})
