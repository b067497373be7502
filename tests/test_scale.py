"""The benchmark corpus, the benchmark's figures and report, and the Spark job's pure-Python parts."""

from __future__ import annotations

import itertools
import json
import time
from pathlib import Path
from typing import Any

import pytest

from dyade.cli import main
from dyade.errors import DyadeError, InputError
from dyade.model import Article
from dyade.read import read_paths
from dyade.scale import measure
from dyade.scale.bench import run_benchmark, summarise
from dyade.scale.corpus import MAX_WORDS, MIN_WORDS, WEEKDAYS, Phrasebook, generate, make_article, write_corpus
from dyade.scale.report import markdown, write_results

pytestmark = pytest.mark.issue(8)


@pytest.fixture(scope="module")
def book() -> Phrasebook:
    return Phrasebook.load()


def test_scale_phrasebook_has_150_sentences_of_our_own(book: Phrasebook) -> None:
    sentences = [s for theme in book.themes.values() for s in theme]
    assert len(sentences) >= 150 and len(set(sentences)) == len(sentences)
    assert {"diplomatie", "greve", "sanctions", "manifestation", "aide", "conflit"} <= set(book.themes)
    assert all(book.titles[theme] for theme in book.news_themes)


def test_scale_corpus_is_deterministic_by_seed_whatever_the_size(book: Phrasebook) -> None:
    small = list(generate(5, seed=7, book=book))
    assert small == list(generate(5, seed=7, book=book))
    assert small[3] == list(generate(50, seed=7, book=book))[3] == make_article(3, 7, book)
    assert small[0]["text"] != list(generate(1, seed=8, book=book))[0]["text"]
    assert len({a["id"] for a in generate(200, seed=7, book=book)}) == 200


def test_scale_corpus_articles_are_news_length_french(book: Phrasebook) -> None:
    articles = list(generate(300, seed=1, book=book))
    words = [len(a["text"].split()) for a in articles]
    assert min(words) >= MIN_WORDS and max(words) <= MAX_WORDS
    assert all("{jour}" not in a["text"] for a in articles)
    assert sum(any(day in a["text"] for day in WEEKDAYS) for a in articles) > 250
    assert all(a["published"][:2] == "20" and a["title"] and "\n\n" in a["text"] for a in articles)


def test_scale_corpus_is_streamed_even_for_a_million(book: Phrasebook) -> None:
    started = time.perf_counter()
    first = list(itertools.islice(generate(1_000_000, seed=0, book=book), 3))
    assert len(first) == 3 and time.perf_counter() - started < 5  # nothing is built ahead of what is read


def test_scale_write_corpus_reads_back_through_dyade_read(tmp_path: Path) -> None:
    files = write_corpus(tmp_path, 25, seed=2, per_file=10)
    assert [f.name for f in files] == ["part-00000.jsonl", "part-00001.jsonl", "part-00002.jsonl"]
    read = [a for a in read_paths([str(tmp_path)]) if isinstance(a, Article)]
    assert [a.id for a in read] == [f"bench-2-{i:07d}" for i in range(25)]
    odd = [a.id for a in measure.read_articles(files, worker=1, workers=2)]
    assert odd == [f"bench-2-{i:07d}" for i in range(1, 25, 2)]


@pytest.mark.parametrize("content", ["ville\tPARIS\nsans tabulation\n", "contexte\tUne phrase.\n"])
def test_scale_phrasebook_refuses_a_malformed_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "s.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DyadeError):
        Phrasebook.load(path)


def _run(mode: str, workers: int, rate: float, n_process: int = 1, rss: float = 700.0) -> dict[str, Any]:
    return {"mode": mode, "workers": workers, "n_process": n_process, "batch_size": 16, "articles": 100,
            "tokens": 80_000, "events": 10, "failures": 0, "wall_s": 100 / rate, "articles_per_s": rate,
            "tokens_per_s": rate * 800, "load_s": 5.0, "peak_rss_mb": [rss] * workers,
            "stage_shares": {"nlp.v1": 0.8, "events.v1": 0.08, "actors.v1": 0.02, "write": 0.04, "other": 0.06}
            if mode == "dyade" else {}}


def test_scale_summary_ratios_scaling_and_report(tmp_path: Path) -> None:
    runs = [_run("spacy", 1, 20.0), _run("dyade", 1, 17.0, rss=850.0), _run("spacy", 2, 36.0),
            _run("dyade", 2, 30.0), _run("spacy", 1, 25.0, n_process=2, rss=1500.0)]
    result = summarise(runs, None, articles=100, seed=0, corpus_s=0.1, batch_size=16)
    assert result["ratio_vs_spacy"] == {"1": 0.85, "2": pytest.approx(0.833, abs=1e-3)}
    assert result["articles_per_s"] == {"1": 17.0, "2": 30.0}
    assert result["peak_rss_mb"] == 1500.0
    assert result["scaling"]["dyade_workers"] == {"workers": 2, "speedup": pytest.approx(1.765, abs=1e-3),
                                                  "efficiency": pytest.approx(0.882, abs=1e-3)}
    assert result["scaling"]["spacy_n_process"]["speedup"] == 1.25
    json_path, md_path = write_results(result, tmp_path, stem="x")
    assert json.loads(json_path.read_text())["ratio_vs_spacy"]["1"] == 0.85
    text = md_path.read_text()
    assert "| dyade end to end | 1 | 1 | 17.0 | 13600 | 0.85 | 850 |" in text
    assert "| nlp.v1 | 80.0% |" in text
    assert result["coder_share_of_parse"] == 0.25  # (10% coder stages + 10% writing and other) / 80% parse
    assert result["event_coder_share_of_parse"] == 0.125  # (8% events + 2% actors) / 80% parse
    assert result["parse_ms_per_article"] == {"spacy": 50.0, "dyade": pytest.approx(47.1, abs=0.05)}
    assert "takes 12.5% of the time of dyade's parse (goal: at most 15%)" in text
    assert "Everything but the parse and the reading (cleaning, language and writing too) takes 25.0%" in text


def test_scale_rounds_keep_each_configurations_fastest(tmp_path: Path) -> None:
    """With several rounds the ratio compares the fastest spaCy and the fastest dyade round, and only
    the kept dyade row shows it."""
    runs = [{**_run("spacy", 1, 20.0), "round": 1}, {**_run("dyade", 1, 15.0), "round": 1},
            {**_run("spacy", 1, 18.0), "round": 2}, {**_run("dyade", 1, 17.0), "round": 2},
            _run("spacy", 1, 25.0, n_process=2)]  # spaCy's own n_process runs once, in no round
    result = summarise(runs, None, articles=100, seed=0, corpus_s=0.1, batch_size=16, rounds=2)
    assert result["ratio_vs_spacy"] == {"1": 0.85}
    assert [r["kept"] for r in result["runs"]] == [True, False, False, True, True]
    text = write_results(result, tmp_path, stem="r")[1].read_text()
    assert "| dyade end to end (round 2) | 1 | 1 | 17.0 | 13600 | 0.85 |" in text
    assert "| dyade end to end (round 1) | 1 | 1 | 15.0 | 12000 |  |" in text


def test_scale_stage_shares_add_up_to_one() -> None:
    results = [measure.WorkerResult(0, start=0.0, end=10.0, timings={"nlp.v1": 6.0, "read": 0.5}),
               measure.WorkerResult(1, start=0.0, end=10.0, timings={"nlp.v1": 7.0, "events.v1": 2.0})]
    shares = measure.stage_shares(results)
    assert shares == {"nlp.v1": 0.65, "read": 0.025, "events.v1": 0.1, "other": 0.225}


def test_scale_cli_refuses_bad_sizes_and_writes_a_corpus(tmp_path: Path) -> None:
    assert main(["bench", "--articles", "0"]) == 2
    assert main(["corpus", str(tmp_path), "--articles", "5", "--per-file", "2"]) == 0
    assert len(list(tmp_path.glob("part-*.jsonl"))) == 3


def test_scale_spark_inputs_parse_like_dyade_read(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    import re

    from dyade.spark.inputs import articles_from_file, suffix_pattern

    text = " date 2019-05\nLe Mali a expulsé lundi l'ambassadeur de France.\n"
    (tmp_path / "mali-1.txt").write_text(text, encoding="utf-8")
    jsonl = '{"id": "a", "text": "Un texte."}\n\n{"text": "Sans id."}\n{oops\n'
    (tmp_path / "f.jsonl").write_text(jsonl, encoding="utf-8")
    local = [(a.id, a.text) if isinstance(a, Article) else a.reason for a in read_paths([str(tmp_path)])]
    spark = [(a.id, a.text) if isinstance(a, Article) else a.reason
             for name, data in (("f.jsonl", jsonl), ("mali-1.txt", text))
             for a in articles_from_file(f"file:{tmp_path}/{name}", data.encode())]
    assert spark == local
    assert ("line-3", "Sans id.") in spark and any(isinstance(x, str) and "JSON" in x for x in spark)
    pattern = re.compile(suffix_pattern())
    assert [bool(pattern.search(p)) for p in ("s3a://b/x.txt", "s3a://b/x.JSONL", "s3a://b/README", "s3a://b/x.pdf")] \
        == [True, True, True, False]
    assert isinstance(next(articles_from_file("file:/x/vide.txt", b"  \n")), InputError)


def test_scale_spark_event_rows_carry_their_month() -> None:
    pytest.importorskip("pyarrow")
    from dyade.spark.job import EVENT_ARROW, event_row, month_of

    assert [month_of(d) for d in ("2019-05-02", "2019-05", "2019", None)] == ["2019-05", "2019-05", None, None]
    record = {"event_id": "e1", "article_id": "a1", "event_date": "2020-02-27", "date_precision": "day",
              "plover": {"type": "CONSULT", "mode": "phone"}, "symmetric": True, "negated": False,
              "background": False, "confidence": 0.85}
    row = event_row(record)
    assert row["month"] == "2020-02" and row["plover_type"] == "CONSULT" and json.loads(row["record"]) == record
    assert set(row) == set(EVENT_ARROW.names)


@pytest.mark.slow
def test_scale_benchmark_runs_end_to_end_on_a_tiny_corpus() -> None:
    result = run_benchmark(6, [1], batch_size=4, spacy_n_process=False)
    runs = {r["mode"]: r for r in result["runs"]}
    assert runs["spacy"]["articles"] == runs["dyade"]["articles"] == 6
    assert runs["dyade"]["events"] > 0 and runs["spacy"]["tokens"] > 6 * MIN_WORDS
    assert 0 < result["ratio_vs_spacy"]["1"] < 2
    assert 300 < result["peak_rss_mb"] < 4000
    assert result["ingest"]["stored_mentions"] == runs["dyade"]["events"]
    assert "nlp.v1" in result["stage_shares"] and abs(sum(result["stage_shares"].values()) - 1) < 0.01
    turns = result["interleaved"]  # both in one process, taking turns: every article through each
    assert turns["articles"] == 6 and turns["spacy_s"] > 0 and turns["dyade_s"] > 0
    assert turns["ratio"] == pytest.approx(turns["spacy_s"] / turns["dyade_s"], abs=0.01)
    assert f"dyade/spaCy **{turns['ratio']:.2f}**" in markdown(result)
    assert 0 < turns["coder_s"] < turns["dyade_s"] and 0 < turns["parse_s"] < turns["dyade_s"]
    assert turns["coder_vs_spacy"] == pytest.approx(turns["coder_s"] / turns["spacy_s"], abs=0.01)
    assert f"**{turns['coder_vs_spacy']:.1%}** of bare spaCy's parse" in markdown(result)
