"""The Spark job, run with local[2], codes exactly what `dyade extract` codes, and merges the mentions."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import os
import re
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from dyade.cli import main

pytestmark = pytest.mark.slow

if importlib.util.find_spec("pyspark") is None:
    pytest.skip("pyspark is not installed: run tools/install_spark.sh (pip install 'dyade[spark]')",
                allow_module_level=True)
if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
    pytest.skip("Spark needs Java 17+ and none was found (tools/install_spark.sh installs it)", allow_module_level=True)

TEXTS = {
    "turquie-russie.txt": " date 2019-04\nLe président turc Recep Tayyip Erdogan s'est entretenu mardi par téléphone "
                          "avec son homologue russe Vladimir Poutine.\n"
                          "Les deux dirigeants ont évoqué la situation à Idleb.\n",
    "russie-turquie.txt": " date 2019-04\nLe président russe Vladimir Poutine s'est entretenu mercredi avec son "
                          "homologue turc Recep Tayyip Erdogan, a annoncé le Kremlin.\n",
    "alger.txt": " date 2019-05\nDes milliers de manifestants ont défilé dimanche à Alger contre le pouvoir.\n"
                 "La police algérienne a arrêté jeudi plusieurs opposants.\n",
}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    folder = tmp_path_factory.mktemp("texts")
    for name, text in TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    bad = tmp_path_factory.mktemp("bad")
    (bad / "vide.txt").write_text("   \n", encoding="utf-8")
    (bad / "lignes.jsonl").write_text('{"id": "mali", "text": "Le Mali a expulsé lundi l\'ambassadeur de France."}\n'
                                      "{pas du json\n", encoding="utf-8")
    demo = resources.files("dyade").joinpath("data", "demo", "articles.jsonl")
    return [str(demo), str(folder), str(bad)]


@pytest.fixture(scope="module")
def job(inputs: list[str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Run `dyade spark` once, in its own process as a user would, with local[2]."""
    out = tmp_path_factory.mktemp("spark") / "out"
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable, "SPARK_LOCAL_IP": "127.0.0.1"}
    command = [sys.executable, "-m", "dyade", "spark", *inputs, str(out), "--master", "local[2]", "--partitions", "6"]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=1200, check=False)
    assert done.returncode == 1, done.stderr[-4000:]  # 1: some input was skipped, as `dyade extract` says
    (out / "stderr.txt").write_text(done.stderr, encoding="utf-8")
    return out


def _extract(inputs: list[str]) -> dict[str, dict[str, Any]]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["extract", *inputs, "--format", "jsonl"]) == 1  # the two bad inputs are skipped
    return {r["event_id"]: r for r in map(json.loads, out.getvalue().splitlines())}


def _table(path: Path) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    return pq.read_table(path, partitioning="hive").to_pylist()


@pytest.mark.issue(8)
def test_spark_events_equal_extract(job: Path, inputs: list[str]) -> None:
    expected = _extract(inputs)
    rows = _table(job / "events")
    records = {row["event_id"]: json.loads(row["record"]) for row in rows}
    assert len(rows) == len(records)  # no event coded twice
    assert set(records) == set(expected)
    assert records == expected
    assert {r["article_id"] for r in records.values()} >= {"turquie-russie", "russie-turquie", "alger", "mali"}


@pytest.mark.issue(8)
def test_spark_builds_one_pipeline_per_python_worker_not_per_task(job: Path) -> None:
    built = re.search(r"(\d+) pipeline\(s\) built", (job / "stderr.txt").read_text(encoding="utf-8"))
    assert built, "the job did not report its pipelines"
    assert 1 <= int(built.group(1)) <= 2  # 6 coding tasks on local[2]: at most one pipeline per worker


@pytest.mark.issue(8)
def test_spark_events_partitioned_by_month(job: Path) -> None:
    rows = _table(job / "events")
    months = {row["month"] for row in rows}
    assert "2019-04" in months and "2019-05" in months
    assert (job / "events" / "month=2019-04").is_dir()
    for row in rows:
        date = row["event_date"]
        assert row["month"] == (date[:7] if date and len(date) >= 7 else None)
        assert row["plover_type"] == json.loads(row["record"])["plover"]["type"]


@pytest.mark.issue(8)
def test_spark_merge_joins_a_symmetric_dyad_across_articles(job: Path) -> None:
    merged = _table(job / "merged")
    mentions = {row["event_id"]: row for row in _table(job / "events")}
    assert sorted(e for row in merged for e in row["event_ids"]) == sorted(mentions)  # each mention once
    consult = [row for row in merged if row["plover_type"] == "CONSULT" and row["month"] == "2019-04"]
    assert len(consult) == 1
    assert consult[0]["article_ids"] == ["russie-turquie", "turquie-russie"]
    assert (consult[0]["actor_1"], consult[0]["actor_2"]) == ("RUS", "TUR")
    assert consult[0]["n_mentions"] == len(consult[0]["event_ids"]) == 2
    for row in merged:
        group = [mentions[e] for e in row["event_ids"]]
        kinds = {(m["plover_type"], m["negated"], m["modality"]) for m in group}
        assert kinds == {(row["plover_type"], row["negated"], row["modality"])}
        assert len({(m["event_date"] or "")[:7] for m in group}) == 1
        if any(m["event_date"] is None for m in group):
            assert len(group) == 1  # undated mentions stay events of their own


@pytest.mark.issue(8)
def test_spark_reports_unreadable_inputs(job: Path) -> None:
    skipped = [json.loads(line) for part in (job / "skipped").glob("*.json") for line in part.read_text().splitlines()]
    origins = sorted(s["origin"].rsplit("/", 1)[-1] for s in skipped)
    assert origins == ["lignes.jsonl:2", "vide.txt"]
    assert all(s["error"] for s in skipped)
