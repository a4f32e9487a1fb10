"""Organisations, programmes and funders an article names: the reviewed list
(`seeds/organisations.csv`, names and aliases in en/fr/es, acronyms as written) plus the
patterns programme names follow ("the Roadmaps to Security project")."""

from __future__ import annotations

import csv
import logging
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from civicpulse.countries import SEEDS
from civicpulse.enrich.matcher import Entry, Matcher
from civicpulse.enrich.text import Section, tokens

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Organisation:
    organisation_id: str
    name: str
    kind: str


@dataclass
class OrganisationTag:
    organisation_id: str | None  # None: a programme found by pattern, not in the list
    name: str
    kind: str
    mentions: int
    terms: list[str]


# A capitalised name (joined by short function words) that a programme word follows or that
# follows one: "the Roadmaps to Security project", "le projet Partenaires pour la Sécurité".
_JOINERS = "for|to|of|in|and|the|on|pour|la|le|les|de|des|du|en|et|para|el|los|las|del|y"
_NAME = rf"[A-ZÀ-Ý][\w'’+-]*(?:\s+(?:(?:{_JOINERS})\s+)*[A-ZÀ-Ý][\w'’+-]*){{1,7}}"
_PROGRAMME_AFTER = re.compile(
    rf"\b(?:the|The)\s+(?P<name>{_NAME})\s+"
    r"(?:project|program|programme|initiative|partnership|activity)\b"
)
_PROGRAMME_BEFORE = re.compile(
    r"\b(?:projet|programme|programa|proyecto|project|program|initiative|iniciativa)\s+"
    rf"(?:«\s*|\"|“)?(?P<name>{_NAME})"
)


@cache
def organisation_list(seeds: Path = SEEDS) -> Matcher[Organisation]:
    """The matcher over every listed name and alias; matched with the case as written."""
    entries = []
    with (seeds / "organisations.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            organisation = Organisation(row["organisation_id"], row["name"], row["kind"])
            for term in [row["name"], *filter(None, row["aliases"].split("|"))]:
                entries.append(Entry(term.strip(), organisation, match_case=True))
    return Matcher(entries)


def tag_organisations(
    parts: list[Section], matcher: Matcher[Organisation] | None = None
) -> list[OrganisationTag]:
    """Listed organisations and pattern-found programmes, most mentioned first."""
    matcher = matcher or organisation_list()
    counts: Counter[str] = Counter()
    terms: dict[str, set[str]] = {}
    known: dict[str, Organisation] = {}
    listed_spans: list[str] = []
    for part in parts:
        if part.name == "tags":
            continue
        for match in matcher.find(part.text, tokens(part.text)):
            organisation = match.entries[0].payload
            known[organisation.organisation_id] = organisation
            counts[organisation.organisation_id] += 1
            terms.setdefault(organisation.organisation_id, set()).add(match.text)
            listed_spans.append(match.text)
    tags = [
        OrganisationTag(o.organisation_id, o.name, o.kind, counts[i], sorted(terms[i]))
        for i, o in known.items()
    ]
    tags.extend(_programmes(parts, listed_spans))
    return sorted(tags, key=lambda t: (-t.mentions, t.name))


def _programmes(parts: list[Section], listed: list[str]) -> list[OrganisationTag]:
    """Programme names the patterns find that the list does not already hold."""
    found: Counter[str] = Counter()
    for part in parts:
        if part.name == "tags":
            continue
        for pattern in (_PROGRAMME_AFTER, _PROGRAMME_BEFORE):
            for match in pattern.finditer(part.text):
                name = match["name"].strip()
                if not any(name in span or span in name for span in listed):
                    found[name] += 1
    return [
        OrganisationTag(None, name, "programme", count, [name]) for name, count in found.items()
    ]
