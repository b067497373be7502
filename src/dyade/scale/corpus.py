"""A synthetic French news corpus for benchmarks: sentences written for the project, recombined by seed."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import DyadeError

SENTENCES_NAME = "sentences.fr.tsv"
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")
FIRST_DAY = dt.date(2015, 1, 1)
N_DAYS = 3650  # publication dates spread over ten years
MIN_WORDS, MAX_WORDS = 500, 800
# How an article draws its sentences: its main theme, a second theme, context, then anything left.
SHARES = (0.55, 0.2, 0.15, 0.1)
PER_FILE = 1000


def default_sentences_path() -> Path:
    """`bench/sentences.fr.tsv` of the source checkout (or of the current directory)."""
    here = Path(__file__).resolve().parents[3] / "bench" / SENTENCES_NAME
    for candidate in (here, Path.cwd() / "bench" / SENTENCES_NAME):
        if candidate.exists():
            return candidate
    raise DyadeError(f"bench/{SENTENCES_NAME} not found: run the benchmark from a dyade source checkout")


@dataclass(frozen=True)
class Phrasebook:
    """The sentences by theme, the headlines by theme and the dateline cities."""

    themes: dict[str, tuple[str, ...]]
    titles: dict[str, tuple[str, ...]]
    cities: tuple[str, ...]

    @classmethod
    def load(cls, path: Path | None = None) -> Phrasebook:
        """Read the `kind<TAB>text` file; `#` lines are comments."""
        path = path or default_sentences_path()
        groups: dict[str, list[str]] = {}
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            if not line.strip() or line.startswith("#"):
                continue
            kind, sep, text = line.partition("\t")
            if not sep or not text.strip():
                raise DyadeError(f"{path}:{number}: expected kind<TAB>text")
            groups.setdefault(kind, []).append(text.strip())
        cities = tuple(groups.pop("ville", ()))
        titles = {k.split(".", 1)[1]: tuple(v) for k, v in groups.items() if k.startswith("titre.")}
        themes = {k: tuple(v) for k, v in groups.items() if not k.startswith("titre.")}
        if "contexte" not in themes or not cities or set(themes) - {"contexte"} - set(titles):
            raise DyadeError(f"{path}: needs `ville`, `contexte`, and a `titre.<theme>` for every theme")
        return cls(themes, titles, cities)

    @property
    def news_themes(self) -> list[str]:
        """The themes an article can be about (all but `contexte`)."""
        return sorted(t for t in self.themes if t != "contexte")


def make_article(index: int, seed: int, book: Phrasebook) -> dict[str, Any]:
    """Article number `index` of the corpus `seed`: the same whatever the corpus size."""
    rng = random.Random(f"{seed}:{index}")
    main, second = rng.sample(book.news_themes, 2)
    published = FIRST_DAY + dt.timedelta(days=rng.randrange(N_DAYS))
    sentences = _draw_sentences(rng, book, main, second, rng.randint(MIN_WORDS, MAX_WORDS - 10))
    city = rng.choice(book.cities)
    dateline = f"{city}, {published.day} {MONTHS[published.month - 1]} {published.year} - "
    paragraphs: list[str] = []
    while sentences:
        take = rng.randint(1, 3)
        paragraphs.append(" ".join(sentences[:take]))
        sentences = sentences[take:]
    return {
        "id": f"bench-{seed}-{index:07d}",
        "title": rng.choice(book.titles[main]),
        "published": published.isoformat(),
        "source": "dyade-bench",
        "text": dateline + "\n\n".join(paragraphs) + "\n",
    }


def _draw_sentences(rng: random.Random, book: Phrasebook, main: str, second: str, target: int) -> list[str]:
    """Sentences drawn without repetition until the article reaches `target` words."""
    rest = [s for t in book.news_themes if t not in (main, second) for s in book.themes[t]]
    pools = [list(book.themes[main]), list(book.themes[second]), list(book.themes["contexte"]), rest]
    for pool in pools:
        rng.shuffle(pool)
    chosen = [pools[0].pop()]  # the lead sentence is always about the main theme
    words = len(chosen[0].split())
    while words < target and any(pools):
        pool = rng.choices(pools, weights=[w if p else 0 for w, p in zip(SHARES, pools, strict=True)])[0]
        sentence = pool.pop().replace("{jour}", rng.choice(WEEKDAYS))
        if words + len(sentence.split()) > MAX_WORDS - 10:  # room for the dateline
            break
        chosen.append(sentence)
        words += len(sentence.split())
    chosen[0] = chosen[0].replace("{jour}", rng.choice(WEEKDAYS))
    return chosen


def generate(n: int, seed: int = 0, book: Phrasebook | None = None) -> Iterator[dict[str, Any]]:
    """Stream `n` articles of the corpus `seed`, one dict (a JSONL input line) at a time."""
    book = book or Phrasebook.load()
    for index in range(n):
        yield make_article(index, seed, book)


def write_corpus(folder: Path, n: int, seed: int = 0, per_file: int = PER_FILE) -> list[Path]:
    """Write `n` articles as JSONL files of `per_file` lines under `folder`; returns the files in order."""
    folder.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    out = None
    try:
        for index, article in enumerate(generate(n, seed)):
            if index % per_file == 0:
                if out:
                    out.close()
                files.append(folder / f"part-{index // per_file:05d}.jsonl")
                out = files[-1].open("w", encoding="utf-8")
            assert out is not None
            out.write(json.dumps(article, ensure_ascii=False) + "\n")
    finally:
        if out:
            out.close()
    return files
