"""Organisations, programmes and funders an article names: the reviewed list
(`seeds/organisations.csv`, names and aliases in en/fr/es, acronyms as written) plus the
patterns programme names follow ("the Roadmaps to Security project") and names that hold a
word for a body ("Supreme Council for Women", "Ministère de la Sécurité")."""

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
from civicpulse.enrich.text import Section, words_pattern

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Organisation:
    organisation_id: str
    name: str
    kind: str


@dataclass
class OrganisationTag:
    organisation_id: str | None  # None: a name found by pattern, not in the list
    name: str
    kind: str
    mentions: int
    terms: list[str]


# A capitalised name (joined by short function words) that a programme word follows or that
# follows one: "the Roadmaps to Security project", "le projet Partenaires pour la Sécurité".
_JOINERS = "for|to|of|in|and|the|on|pour|la|le|les|de|des|du|en|et|para|el|los|las|del|y"
_NAME = rf"[A-ZÀ-Ý][\w'’+-]*(?:[ \u00a0]+(?:(?:{_JOINERS})[ \u00a0]+)*[A-ZÀ-Ý][\w'’+-]*){{1,7}}"
_PROGRAMME_AFTER = re.compile(
    rf"\b(?:the|The)\s+(?P<name>{_NAME})\s+"
    r"(?:project|program|programme|initiative|partnership|activity)\b"
)
_PROGRAMME_BEFORE = re.compile(
    r"\b(?:projet|programme|programa|proyecto|project|program|initiative|iniciativa)\s+"
    rf"(?:«\s*|\"|“)?(?P<name>{_NAME})"
)
# A capitalised name holding a word that names a body: "Supreme Council for Women",
# "Sierra Leone Police", "Ministère de la Sécurité", "Diego Portales University".
_BODY_WORDS = """Ministry Ministère Ministerio University Université Universidad Association
    Asociación Council Conseil Consejo Commission Comisión Committee Comité Fund Fonds Fondo
    Foundation Fondation Fundación Institute Institut Instituto Club Agency Agence Agencia
    Office Bureau Department Police Policía Network Réseau Red Coalition Alliance Centre Center
    Centro Authority Autorité Platform Plateforme Plataforma Forces Guard""".split()
_PROGRAMMES = (_PROGRAMME_AFTER, _PROGRAMME_BEFORE)
_BODY_WORD = re.compile(rf"\b{words_pattern(_BODY_WORDS)}\b")
_PROGRAMME_WORD = re.compile(
    r"\b(?:projet|programme|programa|proyecto|project|program|initiative|iniciativa)\b"
)
_NAMED = re.compile(_NAME)
_ARTICLES = re.compile(r"^(?:The|La|Le|Les|El|Los|Las|This|These|Our|Its|A|An)\s+")
_BOTH = re.compile(r" (?:and|et|y) (?:the |la |le |les |el |los |las )?")
_OF = re.compile(r" (?:of|de|du|del)(?: the| la| le| les| l'| el| los| las)? ")
_WHERE = re.compile(r" (?:in|en|à|at) ")


def _lines_with(word_pattern: re.Pattern[str], text: str) -> list[str]:
    """The lines and sentences of `text` holding a word of `word_pattern`: the name patterns
    are costly, and only these can hold a programme's or a body's name."""
    lines: dict[int, str] = {}
    for word in word_pattern.finditer(text):
        start = max(text.rfind(c, 0, word.start()) for c in "\n.;") + 1
        if start not in lines:
            ends = [e for e in (text.find(c, word.end()) for c in "\n.;") if e != -1]
            lines[start] = text[start : min(ends, default=len(text))]
    return list(lines.values())


def _trim(name: str) -> list[str]:
    """A body's own name out of the phrase around it: "Executive Director of the Melrose
    Human Rights Commission" -> "Melrose Human Rights Commission"; "Diego Portales
    University in Santiago" -> "Diego Portales University"; "X Police and the Ministry of Y"
    -> both."""
    parts = _BOTH.split(name)
    if len(parts) > 1 and all(_BODY_WORD.search(p) for p in parts):
        return [n for p in parts for n in _trim(p)]
    while (of := _OF.search(name)) and not _BODY_WORD.search(name[: of.start()]):
        name = name[of.end() :]
    where = _WHERE.search(name)
    if (
        where
        and _BODY_WORD.search(name[: where.start()])
        and not _BODY_WORD.search(name[where.end() :])
    ):
        name = name[: where.start()]
    return [name] if _BODY_WORD.search(name) else []


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
    """Listed organisations, and programmes and bodies found by pattern, most mentioned
    first."""
    matcher = matcher or organisation_list()
    counts: Counter[str] = Counter()
    terms: dict[str, set[str]] = {}
    known: dict[str, Organisation] = {}
    listed_spans: list[str] = []
    for part in parts:
        if part.name == "tags":
            continue
        for match in matcher.find(part.tokens):
            organisation = match.entries[0].payload
            known[organisation.organisation_id] = organisation
            counts[organisation.organisation_id] += 1
            terms.setdefault(organisation.organisation_id, set()).add(match.text)
            listed_spans.append(match.text)
    tags = [
        OrganisationTag(o.organisation_id, o.name, o.kind, counts[i], sorted(terms[i]))
        for i, o in known.items()
    ]
    tags.extend(_named_by_pattern(parts, listed_spans))
    return sorted(tags, key=lambda t: (-t.mentions, t.name))


def _named_by_pattern(parts: list[Section], listed: list[str]) -> list[OrganisationTag]:
    """Programme and body names the patterns find that the list does not already hold."""
    found: Counter[tuple[str, str]] = Counter()
    for part in parts:
        if part.name == "tags":
            continue
        names = [
            (m["name"], "programme")
            for line in _lines_with(_PROGRAMME_WORD, part.text)
            for p in _PROGRAMMES
            for m in p.finditer(line)
        ]
        if part.name != "title":  # a title-cased title is one long capitalised phrase
            names += [
                (name, "organisation")
                for line in _lines_with(_BODY_WORD, part.text)
                for m in _NAMED.finditer(line)
                if _BODY_WORD.search(m.group())
                for name in _trim(m.group())
            ]
        for name, kind in names:
            name = _ARTICLES.sub("", name.strip())
            if " " in name and not any(name in span or span in name for span in listed):
                found[(name, kind)] += 1
    unique: dict[str, tuple[str, int]] = {}
    for (name, kind), count in found.items():  # a name found as both: the programme wins
        if name not in unique or kind == "programme":
            unique[name] = (kind, count)
    return [
        OrganisationTag(None, name, kind, count, [name]) for name, (kind, count) in unique.items()
    ]
