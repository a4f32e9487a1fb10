"""One crosswalk from whatever a source calls a country (ISO codes, Gleditsch–Ward numbers,
names in drifting spellings) to ISO 3166-1 alpha-3: the committed dbt seeds, so the warehouse's
`dim_countries` and landing agree. Exceptions are reviewed and win over everything."""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from civicpulse.settings import REPO_ROOT

SEEDS = REPO_ROOT / "dbt_project" / "seeds"


@dataclass
class Crosswalk:
    """Lookups by scheme; `iso3()` answers None for what maps to nothing (never a guess)."""

    codes: dict[str, dict[str, str]]  # scheme -> code -> iso3
    names: dict[str, str]  # normalised name -> iso3
    patterns: list[tuple[re.Pattern[str], str]]
    exceptions: dict[tuple[str, str], str | None]
    _memo: dict[tuple[str, str], str | None] = field(default_factory=dict)

    def iso3(self, value: str, scheme: str) -> str | None:
        key = (scheme, value.strip())
        if key not in self._memo:
            self._memo[key] = self._lookup(*key)
        return self._memo[key]

    def _lookup(self, scheme: str, value: str) -> str | None:
        if (scheme, _key(scheme, value)) in self.exceptions:
            return self.exceptions[(scheme, _key(scheme, value))]  # None: known, no ISO3
        if scheme != "name":
            return self.codes[scheme].get(_code(scheme, value))
        name = normalise(value)
        if name in self.names:
            return self.names[name]
        matches = {iso3 for pattern, iso3 in self.patterns if pattern.search(name)}
        return matches.pop() if len(matches) == 1 else None  # ambiguous is unmapped


def normalise(name: str) -> str:
    """Lower case, no accents, single spaces: "Côte  d'Ivoire " -> "cote d'ivoire"."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(plain.lower().replace("’", "'").split())


def _code(scheme: str, value: str) -> str:
    if scheme == "iso_numeric":
        return value.zfill(3)
    return value.upper() if scheme in ("iso3", "iso2") else value


def _key(scheme: str, value: str) -> str:
    return normalise(value) if scheme == "name" else _code(scheme, value)


@cache
def crosswalk(seeds: Path = SEEDS) -> Crosswalk:
    """The crosswalk from `seeds/countries.csv` and `seeds/country_exceptions.csv`."""
    with (seeds / "countries.csv").open(encoding="utf-8") as handle:
        countries = list(csv.DictReader(handle))
    with (seeds / "country_exceptions.csv").open(encoding="utf-8") as handle:
        exceptions = {
            (row["scheme"], _key(row["scheme"], row["value"])): row["iso3"] or None
            for row in csv.DictReader(handle)
        }
    columns = {"iso3": "iso3", "iso2": "iso2", "iso_numeric": "iso_numeric", "gw": "gw_code"}
    codes: dict[str, dict[str, str]] = {scheme: {} for scheme in columns}
    names: dict[str, str] = {}
    patterns = []
    for row in countries:
        iso3 = row["iso3"]
        for scheme, column in columns.items():
            if row[column]:
                codes[scheme][_code(scheme, row[column])] = iso3
        for column in ("name_en", "name_fr", "name_es"):
            if row[column]:
                names.setdefault(normalise(row[column]), iso3)
        if row["name_regex"]:
            patterns.append((re.compile(row["name_regex"], re.IGNORECASE), iso3))
    return Crosswalk(codes, names, patterns, exceptions)
