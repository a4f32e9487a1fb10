"""An article's text as sections and word tokens, shared by every tagger: one tokenizer, so a
lookup term and the text it should match are split the same way."""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

log = logging.getLogger(__name__)

# Words, with inner apostrophes and dots ("d'Ivoire", "U.S"); digits apart.
_WORD = re.compile(r"[^\W\d_]+(?:[.'’][^\W\d_]+)*\.?|\d+", re.UNICODE)
# French and Italian elisions: "l'Irak" is the word "Irak".
_ELISION = re.compile(r"^(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu)['’](?=\w)", re.IGNORECASE)
# English possessive: "Guinea's" is "Guinea".
_POSSESSIVE = re.compile(r"['’]s?$")
_SENTENCE_END = re.compile(r"[.!?]\s+(?=[\"“‘'(]?[A-ZÀ-Ý])|[.!?]$|\n")
SECTIONS = ("title", "lead", "body", "tags")


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Lower case without accents: the form lookups compare ("Burkinabè" -> "burkinabe")."""
    if word.isascii():
        return word.lower()
    plain = unicodedata.normalize("NFKD", word)
    return "".join(c for c in plain if not unicodedata.combining(c)).lower()


@dataclass(frozen=True, slots=True)
class Token:
    """One word: as written, folded, and where it is."""

    text: str
    key: str
    start: int
    end: int
    sentence: int
    sentence_start: bool  # the first word of its sentence (its capital says nothing)


def tokens(text: str) -> list[Token]:
    """The words of `text`, each with its sentence number."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    out: list[Token] = []
    sentence, boundary = 0, 0
    for match in _WORD.finditer(text):
        start, word = match.start(), match.group()
        while boundary < len(ends) and ends[boundary] <= start:
            sentence, boundary = sentence + 1, boundary + 1
        elided = _ELISION.match(word)
        if elided:
            start, word = start + elided.end(), word[elided.end() :]
        word = _POSSESSIVE.sub("", word) if len(word) > 3 else word
        if word.endswith(".") and not _is_abbreviation(word):
            word = word[:-1]
        if not word:
            continue
        first = not out or out[-1].sentence != sentence
        out.append(Token(word, fold(word), start, start + len(word), sentence, first))
    return out


def _is_abbreviation(word: str) -> bool:
    """ "U.S." keeps its final dot; a sentence's last word does not."""
    return word.count(".") > 1


def term_tokens(term: str) -> tuple[str, ...]:
    """A lookup term split as text is: the keys its words must have."""
    return tuple(t.key for t in tokens(term))


@dataclass(frozen=True)
class Section:
    name: str  # title | lead | body | tags
    text: str


def sections(title: str | None, body: str | None, tags: list[str] | None) -> list[Section]:
    """Title, lead (the body's first paragraph), the rest of the body, and the page's tags."""
    paragraphs = [p for p in (body or "").split("\n\n") if p.strip()]
    out = [Section("title", title or "")]
    if paragraphs:
        out.append(Section("lead", paragraphs[0]))
        out.append(Section("body", "\n\n".join(paragraphs[1:])))
    out.append(Section("tags", "\n".join(tags or [])))
    return [s for s in out if s.text.strip()]
