"""Which countries an article is about: every mention of a name, alias, demonym or capital in
en/fr/es, where it is (title, lead, body, the page's tags), a relevance score, and one
primary country. The traps are handled by rules, not by lists of articles: the longest term
wins (Guinea-Bissau, Papua New Guinea), phrases that name no country swallow their words
(Gulf of Guinea, Atlanta, Georgia), a country term next to a personal name is a person
(Michael Jordan), a term naming two countries (Congo) is settled by the rest of the text, and
a country named only in a list of many is a mention, not the subject."""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field

from civicpulse.enrich.gazetteer import Gazetteer, Place, gazetteer
from civicpulse.enrich.matcher import Match
from civicpulse.enrich.text import Section, Words, starts_sentence

log = logging.getLogger(__name__)

SECTION_WEIGHTS = {"title": 3.0, "lead": 2.0, "body": 1.0, "tags": 2.0}
LIST_WEIGHT = 0.25  # a mention inside an enumeration of many countries
LIST_MIN_COUNTRIES = 4  # "Mali, Niger, Chad and Sudan"; three is still a subject group
ABOUT_SHARE = 0.3  # of the leading country's score
ABOUT_MIN_SCORE = 2.0  # one passing body mention is never enough
# Between two items of an enumeration.
_LIST_GAP = re.compile(
    r"^\s*(?:[,;/]|,?\s*(?:and|or|as well as|et|ou|ainsi que|y|e|o|&))"
    r"\s*(?:the|la|le|les|l'|el)?\s*$",
    re.IGNORECASE,
)
# Capitalised words that say nothing about a neighbour being a person's name.
_NOT_NAMES = {
    *"the a an in of to for from with by on at as and or but into across between".split(),
    *"including during after before under over than like both all this that".split(),
    *"these those its their our".split(),
    *"le la les un une des du de en au aux et ou pour par sur dans avec entre".split(),
    *"el los las uno una del con por para sobre entre y o".split(),
    *"mr mrs ms dr prof president king queen minister ambassador general".split(),
}
# Words that, following a country term, name part of it, not its surname.
_PLACE_WORDS = {
    *"river valley basin lake delta sea gulf republic kingdom state government ministry".split(),
    *"army police forces armed defense defence national people times post parliament".split(),
    *"university embassy office mission program programme project region province city".split(),
}
# Before a place, never before a person's name.
_PLACE_PREPOSITIONS = set("in of from to across into within throughout en au aux a de du".split())
_PERSON_TITLES = {"mr", "mrs", "ms", "dr", "prof", "sir", "mme", "m", "sr", "sra"}


@dataclass
class Mention:
    iso3: str | None  # None until an ambiguous term is settled
    candidates: frozenset[str]
    section: str
    term: str
    sentence: int
    word: int  # index of its first word in its section
    position: tuple[int, int]  # (section, word): reading order across the article
    in_list: bool = False


@dataclass
class CountryTag:
    """One country the article names, with its evidence."""

    iso3: str
    mentions: int
    sections: list[str]
    terms: list[str]
    score: float
    relevance: float  # share of the leading country's score, 0-1
    is_about: bool
    is_primary: bool = False
    in_list_only: bool = False
    first_position: tuple[int, int] = field(default=(0, 0), repr=False)


def tag_countries(parts: list[Section], gaz: Gazetteer | None = None) -> list[CountryTag]:
    """Every country the sections name, most relevant first."""
    gaz = gaz or gazetteer()
    mentions: list[Mention] = []
    for number, part in enumerate(parts):
        toks = part.tokens
        title_case = part.name == "title" and _title_cased(toks)
        found = [
            m
            for m in gaz.matcher.find(toks)
            if not (_is_given_name(m, toks, gaz) and _person(part.text, toks, m, title_case))
            and not part.text.startswith("$", toks[m.end - 1].end)  # "US$ 5 million" is money
        ]
        section_mentions = [
            m for m in (_mention(f, part.name, number, toks) for f in found) if m is not None
        ]
        _mark_lists(section_mentions, part.text, toks)
        mentions.extend(section_mentions)
    _settle_ambiguous(mentions)
    return _score([m for m in mentions if m.iso3 is not None])


def _mention(match: Match[Place], section: str, number: int, toks: Words) -> Mention | None:
    isos = frozenset(e.payload.iso3 for e in match.entries if e.payload.iso3)
    if not isos:
        return None  # a phrase that names no country
    return Mention(
        iso3=next(iter(isos)) if len(isos) == 1 else None,
        candidates=isos,
        section=section,
        term=match.text,
        sentence=toks.sentence(match.start),
        word=match.start,
        position=(number, match.start),
    )


def _is_given_name(match: Match[Place], toks: Words, gaz: Gazetteer) -> bool:
    return match.end - match.start == 1 and (toks[match.start].key,) in gaz.given_names


def _person(text: str, toks: Words, match: Match[Place], title_case: bool) -> bool:
    """Whether a one-word country term that is also a given name is used as a person's name:
    right next to a capitalised word that is neither a function word nor part of a place's
    name ("Michael Jordan", "Chad Smith"; not "in Jordan", "Chad, Sudan", "Jordan Valley")."""
    if title_case:
        return False
    i, j = match.start, match.end
    this = toks[i]
    before = toks[i - 1] if i > 0 and toks[i - 1].sentence == this.sentence else None
    after = toks[j] if j < len(toks) and toks[j].sentence == this.sentence else None
    if before is not None and before.key in _PLACE_PREPOSITIONS:
        return False
    if before is not None and before.key.rstrip(".") in _PERSON_TITLES:
        return True
    if (
        before is not None
        and text[before.end : this.start] == " "
        and before.text[:1].isupper()
        and before.key not in _NOT_NAMES
        # a sentence's first word is capitalised anyway: a name only if it looks like one
        and not (starts_sentence(toks, i - 1) and before.key.endswith(("ing", "ed", "ly", "s")))
    ):
        return True
    return (
        after is not None
        and text[this.end : after.start] == " "
        and after.text[:1].isupper()
        and after.key not in _PLACE_WORDS
        and after.key not in _NOT_NAMES
    )


def _title_cased(toks: Words) -> bool:
    words = [t for t in toks if len(t.text) > 3]
    return bool(words) and sum(t.text[:1].isupper() for t in words) / len(words) > 0.6


def _mark_lists(mentions: list[Mention], text: str, toks: Words) -> None:
    """Flag mentions inside an enumeration of `LIST_MIN_COUNTRIES` or more countries."""
    run: list[Mention] = []

    def close() -> None:
        if len({m.iso3 or min(m.candidates) for m in run}) >= LIST_MIN_COUNTRIES:
            for m in run:
                m.in_list = True

    for mention in mentions:
        if run and _enumerated(run[-1], mention, text, toks):
            run.append(mention)
        else:
            close()
            run = [mention]
    close()


def _enumerated(a: Mention, b: Mention, text: str, toks: Words) -> bool:
    if a.sentence != b.sentence:
        return False
    end = toks.starts[a.word] + len(a.term)  # `a` may span several words
    return bool(_LIST_GAP.match(text[end : toks.starts[b.word]]))


def _settle_ambiguous(mentions: list[Mention]) -> None:
    """An ambiguous term ("Congo") names the candidate the text names unambiguously; with
    none or several, it names nothing."""
    named = {m.iso3 for m in mentions if m.iso3}
    for mention in mentions:
        if mention.iso3 is None:
            settled = mention.candidates & named
            if len(settled) == 1:
                mention.iso3 = next(iter(settled))


def _score(mentions: list[Mention]) -> list[CountryTag]:
    by_country: dict[str, list[Mention]] = defaultdict(list)
    for mention in mentions:
        assert mention.iso3 is not None
        by_country[mention.iso3].append(mention)
    scores = {
        iso3: sum(SECTION_WEIGHTS[m.section] * (LIST_WEIGHT if m.in_list else 1.0) for m in ms)
        for iso3, ms in by_country.items()
    }
    top = max(scores.values(), default=0.0)
    tags = []
    for iso3, ms in by_country.items():
        score = scores[iso3]
        relevance = score / top if top else 0.0
        in_list_only = all(m.in_list for m in ms)
        tags.append(
            CountryTag(
                iso3=iso3,
                mentions=len(ms),
                sections=sorted({m.section for m in ms}, key=list(SECTION_WEIGHTS).index),
                terms=sorted({m.term for m in ms}),
                score=round(score, 3),
                relevance=round(relevance, 3),
                is_about=(
                    relevance >= ABOUT_SHARE and score >= ABOUT_MIN_SCORE and not in_list_only
                ),
                in_list_only=in_list_only,
                first_position=min(m.position for m in ms),
            )
        )
    if not any(t.is_about for t in tags):
        # Nothing stands out from an enumeration: the enumeration is the subject (a call
        # open to six countries is about those six).
        for tag in tags:
            tag.is_about = tag.relevance >= ABOUT_SHARE and top >= 1.0
    tags.sort(key=lambda t: (-t.score, t.first_position))
    about = [t for t in tags if t.is_about]
    if about:
        about[0].is_primary = True
    return tags
