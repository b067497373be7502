"""The clean stage: boilerplate out with a reason, quotes and spaces normalised, offsets kept."""

from __future__ import annotations

import pytest

from dyade.model import Article, Document
from dyade.stages.clean import Clean


def clean(text: str) -> Document:
    return Clean()(Document(Article(id="t", text=text)))


def assert_offsets_map_back(doc: Document) -> None:
    """Every cleaned character that is a letter stands at its offset in the original text."""
    original = doc.article.text
    for i, ch in enumerate(doc.text):
        if ch.isalnum():
            assert original[doc.offsets[i]] == ch, (i, ch)


def test_clean_header_line_dropped_with_reason() -> None:
    doc = clean(" date 2019-03 La Chine a protesté mardi.")
    assert doc.text == "La Chine a protesté mardi."
    assert doc.removals[0].reason == "header"
    assert_offsets_map_back(doc)


def test_clean_broken_guillemets_and_curly_apostrophes() -> None:
    doc = clean("Les deux pays ont convenu d’ »accélérer les efforts » pour la paix.")
    assert doc.text == "Les deux pays ont convenu d'accélérer les efforts pour la paix."
    assert_offsets_map_back(doc)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("© AFP", "copyright"),
        ("Contenu partenaire", "partner"),
        ("Dernière mise à jour à 08h15 le 03/04", "dateline"),
        ("Rejoignez-nous sur WeChat, scannez le code QR ci-contre.", "social"),
    ],
)
def test_clean_boilerplate_lines(line: str, reason: str) -> None:
    doc = clean(f"{line}\nLe Mali a rappelé son ambassadeur à Alger jeudi.\n")
    assert doc.text == "Le Mali a rappelé son ambassadeur à Alger jeudi."
    assert [r.reason for r in doc.removals] == [reason]


def test_clean_trailing_headline_block_removed_but_title_kept() -> None:
    text = (
        "Sommet à Bruxelles\n"
        "Les dirigeants européens se sont réunis jeudi à Bruxelles.\n"
        "Ils ont adopté un nouveau paquet de sanctions.\n"
        "Le port de Gdansk inaugure un terminal\n"
        "La bourse de Varsovie termine en hausse\n"
        "Quel avenir pour le charbon polonais ?\n"
        "Un festival de jazz attire les foules à Cracovie\n"
    )
    doc = clean(text)
    assert doc.text.startswith("Sommet à Bruxelles\n")
    assert "sanctions." in doc.text
    assert "Gdansk" not in doc.text and "Cracovie" not in doc.text
    assert sum(r.reason == "headline_block" for r in doc.removals) == 4
    assert_offsets_map_back(doc)


def test_clean_spaces_and_blank_lines_collapse() -> None:
    doc = clean("Le  président\u00a0a parlé.\n\n\n\nIl a  répondu.  ")
    assert doc.text == "Le président a parlé.\nIl a répondu."
    assert doc.to_original(0, 2) == (0, 2)
    assert_offsets_map_back(doc)


def test_quote_and_elision_edits_equal_their_regex_definition() -> None:
    """`_quotes` and `_elision` are fast forms of two regular expressions (quotes with the blanks
    around them; blanks after an elided word): on random strings they give the same text and offsets."""
    import random
    import re

    from dyade.stages import clean
    from dyade.textmap import MappedText

    quotes = re.compile(r"\s*[«»“”„]\s*|(?<=\w)\"(?=\w)|\"")
    gap = re.compile(r"(?<=\b[dDlLjJnNsScCmMtT]')\s+|(?<=\b[qQ]u')\s+|(?<=\b[lL]orsqu')\s+|(?<=\b[pP]uisqu')\s+")

    def blank(m: re.Match[str]) -> str:
        return " " if m.group(0)[:1].isspace() or m.group(0)[-1:].isspace() else ""

    rng = random.Random(7)
    pieces = [*"ab dlqu'\"«»“” \n\t\u00a0.xDL", "lorsqu'", "puisqu'", "jusqu'", "l' ", "qu'  ", " « ", " » "]
    changed = 0
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        slow, fast = MappedText(text), MappedText(text)
        slow.sub(quotes, blank)
        slow.sub(gap, "")
        fast.replace(clean._quotes(fast.text))
        fast.sub(clean.APOSTROPHE_GAP, clean._elision)
        assert (fast.text, fast.offsets) == (slow.text, slow.offsets), text
        changed += slow.text != text
    assert changed > 1000  # the strings did exercise the edits


def test_boilerplate_prescan_lets_every_pattern_through() -> None:
    from dyade.stages.clean import ANY_BOILERPLATE, BOILERPLATE, _line_reason

    lines = {"copyright": "© 2024 Agence, tous droits réservés", "partner": "Contenu partenaire",
             "dateline": "Mis à jour le 3 mars", "social": "Suivez-nous sur les réseaux", "related": "Lire aussi : la suite"}
    assert set(lines) == set(BOILERPLATE)
    for reason, line in lines.items():
        assert ANY_BOILERPLATE.search(line) and _line_reason(line) == reason
    assert _line_reason("La Turquie a bombardé des positions kurdes.") is None


def test_boilerplate_prescan_agrees_with_the_patterns() -> None:
    """The two cheap looks (patterns at a line's start, ANYWHERE words) pass every line a pattern finds,
    wherever in the line and in whatever case: on random lines made of the patterns' own words."""
    import random

    from dyade.stages.clean import BOILERPLATE, _line_reason

    pieces = ["©", "(c) ", "Copyright ", "TOUS DROITS RÉSERVÉS", "tous droits réservés.", "Contenu partenaire",
              "publicité", "Publi-reportage", "Mis à jour le ", "publié à ", "WeChat", "QR code", "code QR",
              "suivez-nous", "Newsletter", "partager sur", "Lire aussi", "à lire aussi", "Voir aussi ", "ab",
              " ", "  ", "La Turquie ", "a bombardé", "!", ".", ":", "\t", "réservés", "copyrighted"]
    rng = random.Random(7)
    found = 0
    for _ in range(20000):
        line = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 6)))
        slow = next((r for r, p in BOILERPLATE.items() if p.search(line.strip())), None)
        assert _line_reason(line) == slow, line
        found += slow is not None
    assert found > 5000  # the lines did exercise the patterns
