"""An article's text as sections and word tokens, shared by every tagger: one tokenizer, so a
lookup term and the text it should match are split the same way."""

from __future__ import annotations

import logging
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, compress
from operator import not_
from typing import NamedTuple, overload

log = logging.getLogger(__name__)

# A word (the middle group): letters with inner dots and apostrophes ("U.S", "O'Brien",
# "l'Irak", "Guinea's"), or digits. The empty groups keep `split`'s pieces four to a word, so
# the words' offsets are the running sum of the pieces' lengths: all in C, and a body has
# hundreds of words. Elisions and possessives are cut from the few words that have them.
_WORD = re.compile(r"()([^\W\d_]+(?:[.'’][^\W\d_]+)*|\d+)()")
_ELISION = re.compile(r"^(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu)['’](?=\w)", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s?$")
# A sentence ends at . ! ? before a capital (not after an initial: "U.S. Embassy"), or a line.
_SENTENCE_END = re.compile(r"(?<!\.[A-Z])(?<!\b[A-Z])[.!?]\s+(?=[\"“‘'(]?[A-ZÀ-Ý])|[.!?]$|\n")


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Lower case without accents: the form lookups compare ("Burkinabè" -> "burkinabe")."""
    if word.isascii():
        return word.lower()
    plain = unicodedata.normalize("NFKD", word)
    return "".join(c for c in plain if not unicodedata.combining(c)).lower()


class Token(NamedTuple):
    """One word: as written, folded, and where it is."""

    text: str
    key: str
    start: int
    end: int
    sentence: int


class Words(Sequence[Token]):
    """The words of a text. Every word's folded `key` is computed up front (lookups compare
    them all); a word's `Token`, with its position and sentence, only when asked for."""

    def __init__(self, text: str) -> None:
        pieces = _WORD.split(text)  # gap, "", word, "", gap, ...
        offsets = list(accumulate(map(len, pieces)))
        self.text = text
        self.words = pieces[2::4]
        self.starts = offsets[1::4]
        if "'" in text or "’" in text:
            self._cut_elisions_and_possessives()
        self.keys = (
            list(map(str.lower, self.words))
            if text.isascii()
            else [w.lower() if w.isascii() else fold(w) for w in self.words]
        )
        self._sentence_ends: list[int] | None = None

    def _cut_elisions_and_possessives(self) -> None:
        """ "l'Irak" is the word "Irak", "Guinea's" the word "Guinea"."""
        words = self.words
        for i in compress(range(len(words)), map(not_, map(str.isalnum, words))):
            word = words[i]
            if "'" not in word and "’" not in word:
                continue  # "U.S"
            elided = _ELISION.match(word)
            if elided:
                self.starts[i] += elided.end()
                word = word[elided.end() :]
            if len(word) > 3:
                word = _POSSESSIVE.sub("", word)
            words[i] = word

    def __len__(self) -> int:
        return len(self.words)

    @overload
    def __getitem__(self, i: int) -> Token: ...
    @overload
    def __getitem__(self, i: slice) -> list[Token]: ...
    def __getitem__(self, i: int | slice) -> Token | list[Token]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        start, word = self.starts[i], self.words[i]
        return Token(word, self.keys[i], start, start + len(word), self.sentence(i))

    def sentence(self, i: int) -> int:
        """The number of the sentence word `i` is in."""
        return bisect_right(self._ends(), self.starts[i])

    def sentence_text(self, i: int) -> tuple[int, str]:
        """Where the sentence word `i` is in starts, and its text."""
        ends, k = self._ends(), self.sentence(i)
        start = ends[k - 1] if k else 0
        return start, self.text[start : ends[k] if k < len(ends) else len(self.text)]

    def _ends(self) -> list[int]:
        if self._sentence_ends is None:
            self._sentence_ends = [m.end() for m in _SENTENCE_END.finditer(self.text)]
        return self._sentence_ends


def starts_sentence(toks: Sequence[Token], i: int) -> bool:
    """Whether token `i` is its sentence's first word (its capital says nothing)."""
    return i == 0 or toks[i - 1].sentence != toks[i].sentence


def term_tokens(term: str) -> tuple[str, ...]:
    """A lookup term split as text is: the keys its words must have."""
    return tuple(Words(term).keys)


@dataclass(frozen=True)
class Section:
    """A part of the article, tokenized once for every tagger."""

    name: str  # title | lead | body | tags
    text: str
    tokens: Words = field(default_factory=lambda: Words(""), compare=False, repr=False)

    @classmethod
    def of(cls, name: str, text: str) -> Section:
        return cls(name, text, Words(text))


def sections(title: str | None, body: str | None, tags: list[str] | None) -> list[Section]:
    """Title, lead (the body's first paragraph), the rest of the body, and the page's tags."""
    paragraphs = [p for p in (body or "").split("\n\n") if p.strip()]
    parts = [("title", title or "")]
    if paragraphs:
        parts += [("lead", paragraphs[0]), ("body", "\n\n".join(paragraphs[1:]))]
    parts.append(("tags", "\n".join(tags or [])))
    return [Section.of(name, text) for name, text in parts if text.strip()]


def words_pattern(words: Iterable[str]) -> str:
    """A regular expression matching any of `words`, written as a trie: Python's `re` tries
    an alternation's branches one by one at every position, a trie one character."""
    tree: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in sorted(words):
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict) -> str:  # type: ignore[type-arg]
        branches = [re.escape(c) + pattern(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return pattern(tree)
