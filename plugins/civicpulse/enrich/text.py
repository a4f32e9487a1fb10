"""An article's text as sections and word tokens, shared by every tagger: one tokenizer, so a
lookup term and the text it should match are split the same way."""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

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


class Token(NamedTuple):
    """One word: as written, folded, and where it is (a tuple: texts have many)."""

    text: str
    key: str
    start: int
    end: int
    sentence: int
    sentence_start: bool  # the first word of its sentence (its capital says nothing)


def tokens(text: str) -> list[Token]:
    """The words of `text`, each with its sentence number."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    ends.append(len(text) + 1)
    out: list[Token] = []
    sentence, boundary, first = 0, ends[0], True
    for match in _WORD.finditer(text):
        start, word = match.start(), match.group()
        if start >= boundary:
            while ends[sentence] <= start:
                sentence += 1
            boundary, first = ends[sentence], True
        if "'" in word or "’" in word:
            elided = _ELISION.match(word)
            if elided:
                start, word = start + elided.end(), word[elided.end() :]
            if len(word) > 3:
                word = _POSSESSIVE.sub("", word)
        if word[-1] == "." and word.count(".") == 1:  # "U.S." keeps its dot, "Mali." not
            word = word[:-1]
        if not word:
            continue
        out.append(Token(word, fold(word), start, start + len(word), sentence, first))
        first = False
    return out


def term_tokens(term: str) -> tuple[str, ...]:
    """A lookup term split as text is: the keys its words must have."""
    return tuple(t.key for t in tokens(term))


@dataclass(frozen=True)
class Section:
    """A part of the article, tokenized once for every tagger."""

    name: str  # title | lead | body | tags
    text: str
    tokens: list[Token] = field(default_factory=list, compare=False, repr=False)

    @classmethod
    def of(cls, name: str, text: str) -> Section:
        return cls(name, text, tokens(text))


def sections(title: str | None, body: str | None, tags: list[str] | None) -> list[Section]:
    """Title, lead (the body's first paragraph), the rest of the body, and the page's tags."""
    paragraphs = [p for p in (body or "").split("\n\n") if p.strip()]
    parts = [("title", title or "")]
    if paragraphs:
        parts += [("lead", paragraphs[0]), ("body", "\n\n".join(paragraphs[1:]))]
    parts.append(("tags", "\n".join(tags or [])))
    return [Section.of(name, text) for name, text in parts if text.strip()]
