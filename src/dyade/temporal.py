"""French dates for articles and events: the header line, datelines, the publication year, and the
calendar value of time expressions relative to an anchor date and a tense.

Pure functions over strings; the patterns live in `temporal_rules`. dateparser is imported only
for the unusual date shapes the regular expressions do not cover.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .model import DateValue
from .temporal_rules import (
    DATELINE_FILLER,
    DATELINE_LABEL,
    FUTURE_CUE,
    LINE_DATES,
    PART_NAMES,
    PLAN_CUE,
    PUBLISHED_LABEL,
    SEASON_NAMES,
    SENTENCE_SPLIT,
    WEEKDAY_NAMES,
    TimeExpr,
    add_months,
    dateparser_parts,
    expr_period,
    find_expressions,
    full_year,
    month_number,
    number,
    season_year,
    stripped_lines,
    valid_day,
)

__all__ = [
    "PartialDate", "TimeExpr", "current_month", "find_expressions", "find_publication_date", "infer_year",
    "parse_header", "parse_published", "resolve",
]  # fmt: skip

logger = logging.getLogger(__name__)

TENSES = ("past", "present", "future")
HEADER = re.compile(r"\A\s*date[ \t]+(\d{4})-(\d{2})(?:-(\d{2}))?(?![\w-])[ \t]*")
DATELINE_WINDOW = 2000  # labelled datelines are looked for in this many first characters
BARE_DATELINE_LINES = 10  # unlabelled date lines only among the first lines
NEAR_TERM_DAYS = 365  # a plan with a month or part of a year is reported at most this long before it


@dataclass(frozen=True)
class PartialDate:
    """A date read from a dateline: the year is None when the line leaves it out; start/end span the line."""

    year: int | None
    month: int | None
    day: int | None
    start: int
    end: int
    how: str


@dataclass(frozen=True)
class _Bound:
    """An interval the publication date must lie in; `weak` bounds are dropped first on a conflict."""

    lo: dt.date | None
    hi: dt.date | None
    why: str
    weak: bool = False


def parse_header(text: str) -> tuple[DateValue, int] | None:
    """Read the optional first line ` date YYYY-MM[-DD]` of a plain-text article.

    Returns:
        The date (month or day precision) and the offset where the header ends (the article text
        may go on on the same line), or None when the text has no valid header.
    """
    m = HEADER.match(text)
    if not m:
        return None
    year, month = int(m[1]), int(m[2])
    day = int(m[3]) if m[3] else None
    if not 1 <= month <= 12 or (day is not None and not valid_day(year, month, day)):
        return None
    how = f"header line '{m.group(0).strip()}'"
    return DateValue.of(year, month, day, how=how), m.end()


def find_publication_date(text: str) -> PartialDate | None:
    """Find the dateline near the top: `Publié le 12 mars 2019`, `Dernière mise à jour à 10h10 le 28/02`.

    A publication line wins over an update line; a line holding only a date with a year
    (`12 mars 2019 à 14h30`) counts when no labelled line is found.

    Returns:
        The date read, with the year None when the line does not give it, or None.
    """
    labelled: list[PartialDate] = []
    bare: PartialDate | None = None
    for index, (start, end) in enumerate(stripped_lines(text, DATELINE_WINDOW)):
        line = text[start:end]
        if DATELINE_LABEL.match(line):
            found = _line_date(line, start, "dateline")
            parts = None if found else dateparser_parts(DATELINE_LABEL.sub("", line, count=1))
            if parts:  # an unusual shape (`12-mars-2019`); relative dates (`il y a 2 h`) give None
                found = PartialDate(*parts, start, end, f"dateline '{line}' (dateparser)")
            if found:
                labelled.append(found)
        elif bare is None and index < BARE_DATELINE_LINES:
            bare = _line_date(line, start, "date line", alone=True)
    if labelled:
        published = [p for p in labelled if PUBLISHED_LABEL.match(text[p.start : p.end])]
        return (published or labelled)[0]
    return bare


def _line_date(line: str, offset: int, label: str, *, alone: bool = False) -> PartialDate | None:
    """The first valid date on a line, as a PartialDate spanning the line; with `alone`, only when the
    line holds nothing else but a weekday, `le`, `à` and a time."""
    hits = [m for pattern in LINE_DATES for m in pattern.finditer(line)]
    for m in sorted(hits, key=lambda m: m.start()):
        sep = m.groupdict().get("sep")
        if sep and sep != "/" and not m["year"]:
            continue
        month = int(m["month"]) if m["month"].isdigit() else month_number(m["month"])
        day, year = number(m["day"]), full_year(m["year"]) if m["year"] else None
        if not valid_day(year, month, day):
            continue
        if alone and (year is None or DATELINE_FILLER.sub("", line[: m.start()] + " " + line[m.end() :]).strip()):
            return None
        how = f"{label} '{line}'" + ("" if year else " (no year)")
        return PartialDate(year, month, day, offset, offset + len(line), how)
    return None


def parse_published(value: str) -> DateValue | None:
    """Read a metadata publication date: ISO (`2018-11-02T10:00Z`, `2018-11`), French or RSS-style."""
    value = value.strip()
    iso = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:$|[T\s])", value)
    if iso:
        year, month, day = (int(g) if g else None for g in iso.groups())
        if month is None or (1 <= month <= 12 and (day is None or valid_day(year, month, day))):
            return DateValue.of(year, month, day, how="metadata")  # type: ignore[arg-type]
    found = _line_date(value, 0, "metadata")
    if found and found.year is not None:
        return DateValue.of(found.year, found.month, found.day, how="metadata")
    parts = dateparser_parts(value)
    if parts and parts[0] is not None:
        return DateValue.of(parts[0], parts[1], parts[2], how="metadata (dateparser)")
    return None


def current_month(text: str) -> int | None:
    """The month a text calls current (`le 19 décembre courant`, `en ce mois de mai`), or None."""
    found = _current(text)
    return found[0] if found else None


def _current(text: str) -> tuple[int, int | None, str] | None:
    """(month, day or None, text) of the first expression that names the current month."""
    for sentence in SENTENCE_SPLIT.split(text):
        for expr in find_expressions(sentence):
            if expr.fields.get("courant"):
                return expr.fields["month"], expr.fields.get("day"), expr.text
    return None


def infer_year(
    partial: PartialDate | None, text: str, office_years: Sequence[tuple[dt.date, dt.date]] = ()
) -> tuple[int | None, str]:
    """Infer the publication year when the dateline leaves it out (or there is no dateline).

    Every clue is an interval the publication date must lie in:
      - the offices the people named hold in the text (`office_years`, from the caller): the
        intersection of their periods;
      - a plan with an explicit year (`prévu pour début 2019`, `prévu le 3 mars 2019`): the article
        is not after the planned period, and at most a year (NEAR_TERM_DAYS) before its start when
        the plan names a month or part of the year; a bare year or `d'ici 2025`/`à l'horizon
        2030` gives only the upper bound;
      - an explicit year outside any future-looking sentence (`en novembre 2015`): the article is
        in that year or later (a weak clue, dropped when it contradicts the others).
    The month and day come from the dateline, else from `le 19 décembre courant` (the current
    month, and the article is on or after that day). A year is returned only when exactly one
    year puts the known part of the date inside every interval.

    Returns:
        (year, how), or (None, why not) when no clue, unbounded or several years remain.
    """
    if partial is not None and partial.year is not None:
        return partial.year, partial.how
    month, day, day_min, facts = _known_parts(partial, text)
    bounds = _office_bounds(office_years) + _text_bounds(text)
    if not bounds:
        return None, "no clue to the year in the text"
    candidates = _candidates(bounds, month, day, day_min)
    if candidates == [] and any(b.weak for b in bounds):
        bounds = [b for b in bounds if not b.weak]
        candidates = _candidates(bounds, month, day, day_min)
    reasons = "; ".join(facts + [b.why for b in bounds])
    if candidates is None:
        return None, f"the clues bound the year on one side only: {reasons}"
    if len(candidates) != 1:
        listed = ", ".join(map(str, candidates)) or "none"
        return None, f"the clues leave {listed}: {reasons}"
    return candidates[0], f"year {candidates[0]} inferred: {reasons}"


def _known_parts(partial: PartialDate | None, text: str) -> tuple[int | None, int | None, int | None, list[str]]:
    """(month, day, earliest day, facts): what is known of the publication date besides its year."""
    if partial is not None and partial.month is not None:
        return partial.month, partial.day, None, [partial.how]
    found = _current(text)
    if found is None:
        return None, None, None, []
    month, day, said = found
    return month, None, day, [f"'{said}' gives the current month {month:02d}"]


def _office_bounds(office_years: Sequence[tuple[dt.date, dt.date]]) -> list[_Bound]:
    """The intersection of the periods of office, as one bound (none when they do not overlap)."""
    if not office_years:
        return []
    lo, hi = max(s for s, _ in office_years), min(e for _, e in office_years)
    periods = ", ".join(f"{s}..{e}" for s, e in office_years)
    if lo > hi:
        logger.debug("periods of office do not overlap: %s", periods)
        return []
    detail = f" ({periods})" if len(office_years) > 1 else ""
    return [_Bound(lo, hi, f"the offices of the people named put it in {lo}..{hi}{detail}")]


def _text_bounds(text: str) -> list[_Bound]:
    """The bounds the text's own explicit years give (plans from above, past mentions from below)."""
    bounds: list[_Bound] = []
    for sentence in SENTENCE_SPLIT.split(text):
        future = FUTURE_CUE.search(sentence) is not None
        for expr in find_expressions(sentence):
            period = expr_period(expr)
            if period is None:
                continue
            first, last = period
            qualifier = expr.fields.get("qualifier")
            planned = PLAN_CUE.search(sentence[: expr.start])
            if qualifier in ("by", "horizon"):
                bounds.append(_Bound(None, last, f"'{expr.text}' looks ahead: not after {last}"))
            elif planned and (expr.fields.get("month") or expr.fields.get("part")):
                lo = first - dt.timedelta(days=NEAR_TERM_DAYS)
                said = planned.group(0).strip() + " " + expr.text
                bounds.append(_Bound(lo, last, f"'{said}' is planned: between {lo} and {last}"))
            elif planned:
                said = planned.group(0).strip() + " " + expr.text
                bounds.append(_Bound(None, last, f"'{said}' is planned: not after {last}"))
            elif not future and qualifier is None and expr.fields.get("year") is not None:
                why = f"'{expr.text}' is in the past: not before {first.year}"
                bounds.append(_Bound(dt.date(first.year, 1, 1), None, why, weak=True))
    return bounds


def _candidates(bounds: list[_Bound], month: int | None, day: int | None, day_min: int | None) -> list[int] | None:
    """The years that fit every bound (None when the bounds leave the years open on one side)."""
    los = [b.lo for b in bounds if b.lo is not None]
    his = [b.hi for b in bounds if b.hi is not None]
    if not los or not his:
        return None
    lo, hi = max(los), min(his)
    return [y for y in range(lo.year, hi.year + 1) if _fits(y, (month, day, day_min), lo, hi)]


def _fits(year: int, known: tuple[int | None, int | None, int | None], lo: dt.date, hi: dt.date) -> bool:
    """Whether the publication date, with (month, day, earliest day) known, can lie in [lo, hi] in that year."""
    month, day, day_min = known
    if month is None:
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    elif day is not None:
        if not valid_day(year, month, day):
            return False
        first = last = dt.date(year, month, day)
    else:
        end = DateValue.of(year, month).last_day()
        first, last = dt.date(year, month, min(day_min or 1, end.day)), end
    return first <= hi and last >= lo


def resolve(expr: TimeExpr, anchor: DateValue, tense: str) -> DateValue | None:
    """The calendar value of a time expression, relative to an anchor date and the clause's tense.

    A weekday is the nearest one on or before the anchor in a past or present clause (`a annoncé
    mercredi` on a Wednesday is that day), on or after it in a future one; `jeudi dernier` and
    `lundi prochain` name the week before or after the anchor's. A month or day without a year
    is in the anchor's year, moved a year back when it would follow the anchor in a past clause
    and a year on when it would precede it in a future one (the nearest in the present). A
    coarser anchor gives the expression the anchor's own value rather than a guessed day. Parts
    and seasons (`début 2019`, `l'été dernier`) give year precision, weeks the month of their
    Thursday, `depuis X` the value of X.

    Args:
        expr: an expression from `find_expressions`.
        anchor: the article's publication date, or another event's date for `la veille`/`le lendemain`.
        tense: `past`, `present` or `future` (the tense of the clause the expression belongs to).

    Returns:
        The value at the precision the text supports, never finer than the anchor allows, with
        `how` explaining it (values with a written year say `explicit`); None when undecidable.
    """
    if tense not in TENSES:
        raise ValueError(f"tense must be one of {TENSES}, not {tense!r}")
    resolver = RESOLVERS.get(expr.kind)
    return resolver(expr.fields, expr.text, anchor, tense) if resolver else None


def _coarse(anchor: DateValue, what: str) -> DateValue:
    """The anchor itself, when it is too coarse to place the expression more finely."""
    how = f"{what} within {anchor.value} (anchor known to the {anchor.precision})"
    return DateValue(anchor.value, anchor.precision, how)


def _weekday(fields: dict[str, Any], text: str, anchor: DateValue, tense: str) -> DateValue | None:
    """Dernier/prochain: that day of the week before/after the anchor's; otherwise the nearest one
    on or before the anchor (past, present) or on or after it (future); `ce jeudi`: this week's."""
    wd, qual = fields["weekday"], fields.get("qualifier")
    name = WEEKDAY_NAMES[wd]
    if anchor.precision != "day":
        return _coarse(anchor, f"weekday '{name}'")
    a = anchor.first_day()
    monday = a - dt.timedelta(days=a.weekday())
    if qual in ("dernier", "passé"):
        d, how = monday + dt.timedelta(days=wd - 7), f"'{name} dernier': the {name} of the week before that of {a}"
    elif qual == "prochain":
        d, how = monday + dt.timedelta(days=wd + 7), f"'{name} prochain': the {name} of the week after that of {a}"
    elif qual == "ce":
        d, how = monday + dt.timedelta(days=wd), f"'ce {name}': the {name} of the week of {a}"
    elif qual == "précédent":
        d, how = a - dt.timedelta(days=(a.weekday() - wd - 1) % 7 + 1), f"weekday '{name}' before {a}"
    elif qual == "suivant":
        d, how = a + dt.timedelta(days=(wd - a.weekday() - 1) % 7 + 1), f"weekday '{name}' after {a}"
    elif tense == "future":
        d, how = a + dt.timedelta(days=(wd - a.weekday()) % 7), f"weekday '{name}' on or after {a} (future tense)"
    else:
        d, how = a - dt.timedelta(days=(a.weekday() - wd) % 7), f"weekday '{name}' on or before {a} ({tense} tense)"
    return DateValue.of(d.year, d.month, d.day, how=how)


def _relative_day(fields: dict[str, Any], text: str, anchor: DateValue, tense: str) -> DateValue | None:
    """A whole number of days from the anchor (`hier`, `la veille`, `il y a trois jours`)."""
    offset = fields["offset"]
    if anchor.precision != "day":
        return _coarse(anchor, f"'{text}'")
    d = anchor.first_day() + dt.timedelta(days=offset)
    return DateValue.of(d.year, d.month, d.day, how=f"'{text}': {offset:+d} day(s) from {anchor.value}")


def _year_for(month: int, day: int | None, anchor: DateValue, tense: str, qual: str | None) -> tuple[int, str]:
    """The year of a month (or day of a month) given without one, and why."""
    y = anchor.year
    if anchor.precision == "year" or anchor.month is None or qual in ("courant", "current"):
        return y, f"in the anchor's year {y}"
    # Compare at the finest level both know; a day in the anchor's month is undecided for a month anchor.
    comparable = day is None or anchor.day is not None
    key, akey = ((month, day), (anchor.month, anchor.day)) if day and anchor.day else ((month, 0), (anchor.month, 0))
    cmp = (key > akey) - (key < akey)
    if qual in ("dernier", "passé"):
        before = cmp < 0 or (cmp == 0 and not comparable)
        return (y if before else y - 1), f"the last one before {anchor.value}"
    if qual == "prochain":
        after = cmp > 0 or (cmp == 0 and not comparable)
        return (y if after else y + 1), f"the next one after {anchor.value}"
    if tense == "future":
        return (y + 1 if cmp < 0 else y), f"on or after {anchor.value} (future tense)"
    if tense == "past":
        return (y - 1 if cmp > 0 else y), f"on or before {anchor.value} (past tense)"
    shift = month - (anchor.month or month)
    return y - (shift > 6) + (shift < -6), f"nearest to {anchor.value} (present tense)"


def _month(fields: dict[str, Any], text: str, anchor: DateValue, tense: str) -> DateValue | None:
    """A month, in its written year or placed around the anchor by the tense."""
    month, part = fields["month"], fields.get("part")
    prefix = f"{PART_NAMES[part]} " if part else ""
    if fields.get("year") is not None:
        return DateValue.of(fields["year"], month, how=f"'{text}': {prefix}{fields['year']}-{month:02d}, explicit")
    qual = "courant" if fields.get("courant") else fields.get("qualifier")
    year, why = _year_for(month, None, anchor, tense, qual)
    return DateValue.of(year, month, how=f"'{text}': {prefix}month {month:02d} {why}")


def _day_month(fields: dict[str, Any], text: str, anchor: DateValue, tense: str) -> DateValue | None:
    """A day of a month, in its written year or placed around the anchor by the tense."""
    day, month = fields["day"], fields["month"]
    if fields.get("year") is not None:
        return DateValue.of(fields["year"], month, day, how=f"'{text}': explicit date")
    qual = "courant" if fields.get("courant") else fields.get("qualifier")
    year, why = _year_for(month, day, anchor, tense, qual)
    if not valid_day(year, month, day):
        return DateValue.of(year, month, how=f"'{text}': no such day in {year}")
    return DateValue.of(year, month, day, how=f"'{text}': {day:02d}/{month:02d} {why}")


def _year(fields: dict[str, Any], text: str, anchor: DateValue, tense: str) -> DateValue | None:
    """A written year (`en 2011`, `début 2019`, `l'été 2016`), at year precision."""
    year, part, season = fields["year"], fields.get("part"), fields.get("season")
    said = f"{SEASON_NAMES[season]} {year}" if season else f"{PART_NAMES[part]} {year}" if part else str(year)
    return DateValue.of(year, how=f"'{text}': {said}, explicit")


def _night(fields: dict[str, Any], text: str, anchor: DateValue, tense: str) -> DateValue | None:
    """A night is dated by its second day."""
    if "weekday" in fields:
        return _weekday({"weekday": fields["weekday"]}, text, anchor, tense)
    return _day_month(fields, text, anchor, tense)


def _since(fields: dict[str, Any], text: str, anchor: DateValue, tense: str) -> DateValue | None:
    """The start of an ongoing period; `depuis des jours/semaines` gives the anchor, longer ones None."""
    inner = fields.get("of")
    if inner == "vague":
        if fields.get("span") not in ("days", "weeks") or anchor.month is None:
            return None
        return DateValue.of(anchor.year, anchor.month, how=f"'{text}': ongoing, the month of {anchor.value}")
    resolver = RESOLVERS.get(str(inner))
    value = resolver(fields, text, anchor, "past") if resolver and inner != "since" else None
    return DateValue(value.value, value.precision, f"since: {value.how}") if value else None


def _relative_period(fields: dict[str, Any], text: str, anchor: DateValue, tense: str) -> DateValue | None:
    """Weeks, months, years and seasons counted from the anchor; `récemment` and the like."""
    unit = fields["unit"]
    if unit == "year":
        y = anchor.year + fields["offset"]
        return DateValue.of(y, how=f"'{text}': year {y} from {anchor.value}")
    if unit == "season":
        return _season(fields, text, anchor)
    if unit == "ago" and fields["span"] == "years":
        y = anchor.year - fields["count"]
        return DateValue.of(y, how=f"'{text}': {fields['count']} year(s) before {anchor.value}")
    if anchor.month is None:  # within the anchor's year only when the period is short and not shifted
        within = unit == "week" or (unit == "month" and fields["offset"] == 0)
        within = within or (unit == "recent" and fields.get("span") in (None, "days", "weeks"))
        return _coarse(anchor, f"'{text}'") if within else None
    if unit == "month":
        y, m = add_months(anchor.year, anchor.month, fields["offset"])
        return DateValue.of(y, m, how=f"'{text}': month {fields['offset']:+d} from {anchor.value}")
    if unit == "week":
        return _week(fields["offset"], text, anchor)
    if unit == "ago":
        return _ago(fields, text, anchor)
    if fields.get("span") in ("months", "years"):
        return None
    return DateValue.of(anchor.year, anchor.month, how=f"'{text}': recently, the month of {anchor.value}")


def _week(offset: int, text: str, anchor: DateValue) -> DateValue:
    """A week from the anchor's, given as the month of its Thursday."""
    if anchor.precision != "day":
        return _coarse(anchor, f"'{text}'")
    a = anchor.first_day()
    monday = a - dt.timedelta(days=a.weekday()) + dt.timedelta(weeks=offset)
    thursday = monday + dt.timedelta(days=3)
    return DateValue.of(thursday.year, thursday.month, how=f"'{text}': the week of {monday} ({offset:+d} from {a})")


def _ago(fields: dict[str, Any], text: str, anchor: DateValue) -> DateValue | None:
    """`il y a N semaines/mois` (month precision) from an anchor known at least to the month."""
    count, span = fields["count"], fields["span"]
    assert anchor.month is not None
    if span == "weeks":
        d = dt.date(anchor.year, anchor.month, anchor.day or 15) - dt.timedelta(weeks=count)
        return DateValue.of(d.year, d.month, how=f"'{text}': about {d} ({count} week(s) before {anchor.value})")
    y, m = add_months(anchor.year, anchor.month, -count)
    return DateValue.of(y, m, how=f"'{text}': {count} month(s) before {anchor.value}")


def _season(fields: dict[str, Any], text: str, anchor: DateValue) -> DateValue | None:
    """A season at year precision; None when the anchor does not give the month."""
    if anchor.month is None:
        return None
    y = season_year(fields["season"], fields.get("qualifier"), anchor.year, anchor.month)
    return DateValue.of(y, how=f"'{text}': {SEASON_NAMES[fields['season']]} {y} (from {anchor.value})")


Resolver = Callable[[dict[str, Any], str, DateValue, str], DateValue | None]
RESOLVERS: dict[str, Resolver] = {
    "weekday": _weekday, "relative_day": _relative_day, "relative_period": _relative_period, "month": _month,
    "day_month": _day_month, "year": _year, "since": _since, "night": _night,
}  # fmt: skip
