"""The country gazetteer: generated names, capitals and demonyms (`seeds/gazetteer.csv`, from
maintained data) plus the reviewed file (`seeds/gazetteer_reviewed.csv`: fr/es demonyms,
aliases, phrases that name no country, exclusions, terms that are also personal names)."""

from __future__ import annotations

import csv
import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from civicpulse.countries import SEEDS
from civicpulse.enrich.matcher import Entry, Matcher
from civicpulse.enrich.text import term_tokens

log = logging.getLogger(__name__)

FILES = ("gazetteer.csv", "gazetteer_reviewed.csv")
POSITIVE = {"name", "alias", "demonym", "capital", "city"}


@dataclass(frozen=True)
class Place:
    """What a gazetteer term names: a country (by one of its kinds of term), or nothing."""

    iso3: str | None  # None: a phrase that names no country ("Gulf of Guinea")
    kind: str


@dataclass(frozen=True)
class Gazetteer:
    matcher: Matcher[Place]
    given_names: frozenset[tuple[str, ...]]  # terms that are also personal names


def _rows(seeds: Path) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for name in FILES:
        path = seeds / name
        if path.exists():
            with path.open(encoding="utf-8", newline="") as handle:
                rows.extend(csv.DictReader(handle))
    return rows


@cache
def gazetteer(seeds: Path = SEEDS) -> Gazetteer:
    """The matcher over every positive and stop term, less the reviewed exclusions."""
    rows = _rows(seeds)
    excluded = {(r["iso3"], term_tokens(r["term"])) for r in rows if r["kind"] == "exclude"}
    given = frozenset(term_tokens(r["term"]) for r in rows if r["kind"] == "given_name")
    entries: dict[tuple[str, str, bool], Entry[Place]] = {}
    for row in rows:
        kind, iso3 = row["kind"], row["iso3"] or None
        if kind not in POSITIVE and kind != "stop":
            continue
        if (row["iso3"], term_tokens(row["term"])) in excluded:
            continue
        match_case = row["match_case"].strip().lower() == "true"
        key = (row["term"], iso3 or "", match_case)
        if key not in entries or kind == "name":  # one entry per spelling and country
            entries[key] = Entry(row["term"], Place(iso3, kind), match_case)
    return Gazetteer(Matcher(entries.values()), given)
