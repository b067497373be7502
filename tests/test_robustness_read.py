"""Bad input never costs the batch: every unreadable article is named with its reason, the rest is read."""

from __future__ import annotations

import builtins
import io
import json
import logging
import os
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from dyade.errors import InputError
from dyade.model import Article
from dyade.read import read_paths

pytestmark = pytest.mark.issue(9)

FRENCH = "Le ministre turc des Affaires étrangères a reçu mardi à Ankara son homologue iranien."
PAGE = """<!DOCTYPE html><html lang="fr"><head><title>Visite à Ankara</title>
<meta property="article:published_time" content="2019-05-14T10:00:00+02:00"></head>
<body><nav><a href="/">Accueil</a> | <a href="/monde">Monde</a> | <a href="/sport">Sport</a></nav>
<article><h1>Visite à Ankara</h1><p>{text}</p>
<p>Les deux ministres ont évoqué la situation en Syrie et les sanctions américaines contre l'Iran, a indiqué
le ministère turc dans un communiqué publié après la rencontre.</p></article>
<footer>© 2019 Journal. Tous droits réservés. Abonnez-vous à notre newsletter.</footer></body></html>"""


def split(results: list[Article | InputError]) -> tuple[list[Article], list[InputError]]:
    return [r for r in results if isinstance(r, Article)], [r for r in results if isinstance(r, InputError)]


def reasons(errors: list[InputError]) -> dict[str, str]:
    return {Path(e.origin).name: e.reason for e in errors}


@pytest.fixture()
def bad_folder(tmp_path: Path) -> Path:
    """A folder with one good article and one of every kind of bad file."""
    (tmp_path / "good.txt").write_text(FRENCH, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text(" \n\t\n  \u00a0\n", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "controls.txt").write_bytes(bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16]) * 50)
    (tmp_path / "broken.txt").write_bytes(b"Le Mali \x81\x8d\x8f\x90\x9d a protest\xc3")
    (tmp_path / "latin1.txt").write_bytes("L'armée malienne a tiré à l'aube près de Gao.".encode("latin-1"))
    (tmp_path / "cp1252.txt").write_bytes("L’armée a dit « non » – c’est tout…".encode("cp1252"))
    (tmp_path / "utf16.txt").write_bytes(FRENCH.encode("utf-16"))
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")  # not an input suffix: ignored
    (tmp_path / "loop.txt").symlink_to("loop.txt")
    (tmp_path / "dangling.txt").symlink_to("nowhere.txt")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "up").symlink_to("..")  # a folder that contains itself
    (tmp_path / "sub" / "again.txt").symlink_to(tmp_path / "good.txt")  # read once only
    os.mkfifo(tmp_path / "pipe.txt")  # opening it would block until a writer comes
    return tmp_path


def test_robustness_folder_of_bad_files_reports_each_and_reads_the_rest(bad_folder: Path, caplog: Any) -> None:
    with caplog.at_level(logging.WARNING, logger="dyade.read"):
        articles, errors = split(list(read_paths([str(bad_folder)])))
    assert sorted(a.id for a in articles) == ["cp1252", "good", "latin1", "utf16"]
    found = reasons(errors)
    assert set(found) == {"empty.txt", "blank.txt", "binary.txt", "controls.txt", "broken.txt", "loop.txt",
                          "dangling.txt", "up", "pipe.txt"}
    assert "empty" in found["empty.txt"] and "empty" in found["blank.txt"]
    assert "binary" in found["binary.txt"] and "binary" in found["controls.txt"]
    assert "not text" in found["broken.txt"]
    assert "symlink loop" in found["loop.txt"] and "symlink loop" in found["up"]
    assert found["dangling.txt"] == "broken symlink"
    assert "not a regular file" in found["pipe.txt"]
    assert all(str(bad_folder) in e.origin for e in errors)
    warned = [r.getMessage() for r in caplog.records]
    assert any("latin1.txt" in m and "cp1252/Latin-1" in m for m in warned)


def test_robustness_latin1_and_cp1252_are_decoded_not_rejected(bad_folder: Path) -> None:
    articles, _ = split(list(read_paths([str(bad_folder / "latin1.txt"), str(bad_folder / "cp1252.txt")])))
    assert articles[0].text == "L'armée malienne a tiré à l'aube près de Gao."
    assert articles[1].text == "L’armée a dit « non » – c’est tout…"


def test_robustness_unreadable_file_is_reported_and_the_folder_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.txt").write_text(FRENCH, encoding="utf-8")
    locked = tmp_path / "b.txt"
    locked.write_text(FRENCH + " Deuxième.", encoding="utf-8")
    (tmp_path / "c.txt").write_text(FRENCH + " Troisième.", encoding="utf-8")
    real_open = builtins.open

    def deny(file: Any, *args: Any, **kwargs: Any) -> Any:  # root reads through chmod 000: simulate EACCES
        if str(file) == str(locked):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", deny)
    articles, errors = split(list(read_paths([str(tmp_path)])))
    assert [a.id for a in articles] == ["a", "c"]
    assert [(Path(e.origin).name, e.reason) for e in errors] == [("b.txt", "permission denied")]


def test_robustness_chmod_000_file_when_not_root(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("running as root: chmod 000 does not stop root from reading (simulated in the test above)")
    locked = tmp_path / "b.txt"
    locked.write_text(FRENCH, encoding="utf-8")
    locked.chmod(0)
    try:
        _, errors = split(list(read_paths([str(tmp_path)])))
    finally:
        locked.chmod(0o644)
    assert [e.reason for e in errors] == ["permission denied"]


def test_robustness_jsonl_reports_every_bad_line_with_its_number(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"id": "ok1", "text": FRENCH}).encode(),
        b"{not json",
        b"[1, 2, 3]",
        json.dumps({"id": "empty", "text": "   "}).encode(),
        json.dumps({"id": "latin", "text": "Le Niger a expulsé l'ambassadeur."}, ensure_ascii=False).encode("latin-1"),
        b"[" * 100_000 + b"]" * 100_000,
        b'{"id": "big", "n": ' + b"9" * 10_000 + b"}",
        json.dumps({"id": "lone", "text": "Le Tchad \ud800 a protesté."}).encode(),
        json.dumps({"id": "ok2", "text": FRENCH}).encode(),
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")
    articles, errors = split(list(read_paths([str(path)])))
    assert [a.id for a in articles] == ["ok1", "latin", "lone", "ok2"]
    assert articles[1].text == "Le Niger a expulsé l'ambassadeur."
    assert articles[2].text == "Le Tchad \ufffd a protesté."  # lone surrogates cannot be written out
    assert [e.origin for e in errors] == [f"{path}:{n}" for n in (2, 3, 4, 6, 7)]
    assert all(e.reason for e in errors)


def test_robustness_binary_jsonl_is_one_error_not_thousands(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"
    path.write_bytes(os.urandom(4096) + b"\x00" + b"\n" * 1000)
    _, errors = split(list(read_paths([str(path)])))
    assert len(errors) == 1 and "binary" in errors[0].reason


def test_robustness_huge_jsonl_line_is_skipped_without_loading_it(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    with path.open("wb") as out:
        out.write(json.dumps({"id": "before", "text": FRENCH}).encode() + b"\n")
        out.write(b'{"id": "huge", "text": "')
        chunk = b"mot " * 262_144  # 1 MiB
        for _ in range(50):
            out.write(chunk)
        out.write(b'"}\n')
        out.write(json.dumps({"id": "after", "text": FRENCH}).encode() + b"\n")
    tracemalloc.start()
    try:
        articles, errors = split(list(read_paths([str(path)], max_chars=1_000_000)))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [a.id for a in articles] == ["before", "after"]
    assert errors[0].origin == f"{path}:2" and "too long" in errors[0].reason
    assert peak < 16 * 2**20, f"peak {peak / 2**20:.1f} MiB while skipping a 50 MiB line"


def test_robustness_long_article_within_the_line_limit_is_still_refused_by_chars(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    path.write_text(json.dumps({"id": "long", "text": "é" * 5000}) + "\n", encoding="utf-8")
    _, errors = split(list(read_paths([str(path)], max_chars=1000)))
    assert "too long" in errors[0].reason


def test_robustness_huge_text_file_is_not_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as out:
        for _ in range(30):
            out.write(b"Le Mali a protest\xc3\xa9. " * 40_000)
    tracemalloc.start()
    try:
        _, errors = split(list(read_paths([str(path)], max_chars=100_000)))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "too long" in errors[0].reason
    assert peak < 4 * 2**20


def test_robustness_html_file_text_and_publication_date(tmp_path: Path) -> None:
    (tmp_path / "visite.html").write_text(PAGE.format(text=FRENCH), encoding="utf-8")
    (tmp_path / "vide.htm").write_text("<html><head><script>var x = 1;</script></head><body></body></html>", encoding="utf-8")
    articles, errors = split(list(read_paths([str(tmp_path)])))
    [article] = articles
    assert article.id == "visite" and article.published == "2019-05-14" and article.title == "Visite à Ankara"
    assert FRENCH in article.text and "Accueil" not in article.text and "newsletter" not in article.text
    assert reasons(errors) == {"vide.htm": "HTML page with no article text"}


def test_robustness_html_in_jsonl_text_and_on_stdin(tmp_path: Path) -> None:
    path = tmp_path / "pages.jsonl"
    rows = [
        {"id": "p1", "text": PAGE.format(text=FRENCH), "url": "https://exemple.invalid/p1"},
        {"id": "p2", "text": PAGE.format(text=FRENCH), "published": "2019-05-15"},
        {"id": "p3", "text": f"<p>{FRENCH}</p>"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    articles, _ = split(list(read_paths([str(path)])))
    assert [a.published for a in articles] == ["2019-05-14", "2019-05-15", None]  # metadata wins over the page
    assert all(FRENCH in a.text and "<" not in a.text for a in articles)
    [stdin_article] = list(read_paths(["-"], stdin=io.StringIO(PAGE.format(text=FRENCH))))
    assert isinstance(stdin_article, Article) and stdin_article.published == "2019-05-14"
    assert FRENCH in stdin_article.text


def test_robustness_stdin_bytes_jsonl_and_latin1() -> None:
    class Stdin(io.TextIOWrapper):
        pass

    raw = io.BytesIO(json.dumps({"id": "s1", "text": FRENCH}).encode() + b"\n{oops\n")
    results = list(read_paths(["-"], stdin=Stdin(raw, encoding="utf-8")))  # type: ignore[arg-type]
    articles, errors = split(results)
    assert [a.id for a in articles] == ["s1"] and errors[0].origin == "<stdin>:2"
    latin = Stdin(io.BytesIO("Le Bénin a fermé sa frontière.".encode("latin-1")), encoding="utf-8")
    [article] = list(read_paths(["-"], stdin=latin))  # type: ignore[arg-type]
    assert isinstance(article, Article) and article.text == "Le Bénin a fermé sa frontière."


def test_robustness_missing_path_and_loop_given_on_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "loop").symlink_to("loop")
    _, errors = split(list(read_paths([str(tmp_path / "nope.txt"), str(tmp_path / "loop")])))
    assert [e.reason for e in errors] == ["no such file or directory", "symlink loop (too many levels of symbolic links)"]
