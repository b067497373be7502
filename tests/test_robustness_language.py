"""language.v1: articles not in French are skipped with the reason `language`; French full of names is kept."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from dyade.build import build_pipeline
from dyade.config import DEFAULT_STAGES, Settings, load_settings
from dyade.errors import SkipArticle
from dyade.model import Article, Document
from dyade.pipeline import Failure, Pipeline
from dyade.registry import stage
from dyade.stages.language import DetectLanguage, LanguageSettings, identify

pytestmark = pytest.mark.issue(9)

FRENCH_WITH_NAMES = [
    ("Recep Tayyip Erdogan, Vladimir Poutine et Hassan Rohani se sont retrouvés à Ankara avec Mevlüt Çavusoglu, "
     "Sergueï Lavrov et Mohammad Javad Zarif."),
    "Donald Trump, Mike Pompeo, John Bolton et Jim Mattis ont reçu Benjamin Netanyahu à Washington.",
    "Kim Jong-un et Moon Jae-in ont rencontré Xi Jinping à Pékin, selon l'agence Xinhua.",
    "Mohammed ben Salmane, Abdel Fattah al-Sissi et Bachar al-Assad : Sheikh Tamim ben Hamad Al-Thani a répondu.",
    "La chancelière Angela Merkel et Olaf Scholz ont reçu Jens Stoltenberg et Ursula von der Leyen.",
    "Le Kenya a envoyé des policiers en Haïti.",
]
OTHER_LANGUAGES = {
    "en": "The Turkish president met his Russian counterpart on Monday in Sochi to discuss the situation in Idlib.",
    "es": "El presidente turco se reunió el lunes en Sochi con su homólogo ruso para hablar de la situación en Idlib.",
    "de": "Der türkische Präsident traf am Montag in Sotschi seinen russischen Amtskollegen, um über Idlib zu sprechen.",
    "it": "Il presidente turco ha incontrato lunedì a Sochi il suo omologo russo per discutere della situazione a Idlib.",
    "pt": "O presidente turco encontrou-se na segunda-feira em Sochi com o seu homólogo russo para discutir Idlib.",
    "ar": "التقى الرئيس التركي نظيره الروسي يوم الاثنين في سوتشي لبحث الوضع في إدلب وفي شمال سوريا.",
    "ru": "Президент Турции встретился в понедельник в Сочи со своим российским коллегой, чтобы обсудить Идлиб.",
    "zh": "土耳其总统星期一在索契会见了俄罗斯总统，双方讨论了叙利亚伊德利卜省的局势以及两国之间的合作问题。",
    "tr": "Türkiye Cumhurbaşkanı pazartesi günü Soçi'de Rus mevkidaşı ile bir araya gelerek İdlib'i görüştü.",
}


def language_pipeline() -> Pipeline:
    return build_pipeline(Settings(stages=("clean.v1", "language.v1")))


def test_robustness_language_stage_follows_clean_in_the_defaults() -> None:
    assert DEFAULT_STAGES[:2] == ("clean.v1", "language.v1")
    assert load_settings().stages[:2] == ("clean.v1", "language.v1")


@pytest.mark.parametrize("text", FRENCH_WITH_NAMES)
def test_robustness_french_full_of_foreign_names_is_kept(text: str) -> None:
    [doc] = list(language_pipeline().pipe([Article(id="fr", text=text)]))
    assert isinstance(doc, Document)
    assert doc.language in ("fr", None)


@pytest.mark.parametrize(("code", "text"), sorted(OTHER_LANGUAGES.items()))
def test_robustness_other_languages_are_skipped_with_reason_language(code: str, text: str) -> None:
    [out] = list(language_pipeline().pipe([Article(id=code, text=text, origin=f"feed.jsonl:{code}")]))
    assert isinstance(out, Failure) and out.kind == "language" and out.skipped
    assert out.reason.startswith("language: ") and repr(code) in out.reason


@pytest.mark.parametrize("text", ["12 345 678 | 9,5 % | 2019", "Idleb ?", "🙂🙂🙂 !!!", ""])
def test_robustness_text_too_short_to_judge_is_coded(text: str) -> None:
    doc = DetectLanguage()(Document(Article(id="t", text=text), text=text))
    assert doc.language is None


def test_robustness_golden_and_demo_articles_are_all_french() -> None:
    demo = resources.files("dyade").joinpath("data", "demo", "articles.jsonl").read_text("utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in demo if line.strip()]
    found = [identify(t) for t in texts]
    assert {lang for lang, _ in found} == {"fr"}
    golden = (Path(__file__).parent / "golden" / "sentences.jsonl").read_text("utf-8").splitlines()
    sentences = [json.loads(line)["text"] for line in golden if line.strip()]
    assert {identify(t)[0] for t in sentences} <= {"fr", None}  # None: too short to judge, coded anyway


def test_robustness_quick_look_decides_as_the_full_sample() -> None:
    """The short first look stands only when it is sure: on French, foreign and mixed texts (a French
    lead over an English or Spanish body) it gives the language the full sample gives."""
    full = LanguageSettings(quick_chars=LanguageSettings.sample_chars)  # no first look
    demo = resources.files("dyade").joinpath("data", "demo", "articles.jsonl").read_text("utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in demo if line.strip()][:20] + list(OTHER_LANGUAGES.values())
    french = texts[0]
    texts += [french[:400] + "\n" + other * 4 for other in OTHER_LANGUAGES.values()]
    for text in texts:
        quick, slow = identify(text), identify(text, full)
        assert quick[0] == slow[0], text[:80]
        assert (quick[1] >= 0.9) == (slow[1] >= 0.9), text[:80]


def test_robustness_pipeline_failure_kinds() -> None:
    @stage("test_explode.v1", requires=["doc.text"], assigns=[])
    class Explode:
        def __call__(self, doc: Document) -> Document:
            if "boom" in doc.text:
                raise ValueError("boom")
            if "skip" in doc.text:
                raise SkipArticle("language", "test")
            return doc

    pipe = Pipeline([*language_pipeline().stages[:1], Explode()])
    articles = [Article(id=str(i), text=t) for i, t in enumerate(["ok", "boom", "skip", "x" * 50, "ok"])]
    out = list(pipe.pipe(articles, batch_size=2, max_chars=20))
    assert [o.kind if isinstance(o, Failure) else "doc" for o in out] == ["doc", "error", "language", "size", "doc"]
    assert [o.article.id if isinstance(o, Failure) else o.id for o in out] == ["0", "1", "2", "3", "4"]
    assert not out[1].skipped and out[3].skipped  # type: ignore[union-attr]


def test_robustness_language_settings_come_from_the_settings_file(tmp_path: Path) -> None:
    """`[language] expected = "en"` makes an English feed the one coded and French the one skipped."""
    config = tmp_path / "en.toml"
    config.write_text('[language]\nexpected = "en"\n', encoding="utf-8")
    pipeline = build_pipeline(load_settings(config, ["pipeline.stages=['clean.v1', 'language.v1']"]))
    english = "The government announced on Tuesday that the talks with its neighbours would resume next month in Geneva."
    assert not isinstance(next(iter(pipeline.pipe([Article(id="en", text=english)]))), Failure)
    french = "Le gouvernement a annoncé mardi que les pourparlers avec ses voisins reprendraient le mois prochain à Genève."
    skipped = next(iter(pipeline.pipe([Article(id="fr", text=french)])))
    assert isinstance(skipped, Failure) and skipped.kind == "language"


def test_robustness_unknown_language_setting_is_a_clear_error() -> None:
    from dyade.errors import DyadeError

    with pytest.raises(DyadeError, match="min_confidance"):
        build_pipeline(load_settings(None, ["language.min_confidance=0.5", "pipeline.stages=['clean.v1', 'language.v1']"]))
