"""Longest-match lookup of multi-word terms in a token stream: "Guinea-Bissau" is one match,
never "Guinea" plus "Bissau". One dictionary probe per candidate length, so a text costs
about as many probes as it has words that can start a term."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from civicpulse.enrich.text import Token, term_tokens

log = logging.getLogger(__name__)

T = TypeVar("T")
# Between two words of one term: spaces or a hyphen ("Guinea-Bissau", "Guinea Bissau"); a
# term written with other punctuation ("Atlanta, Georgia") requires that punctuation.
_JOIN = re.compile(r"^[\s\-‐–]*$")


@dataclass(frozen=True)
class Entry(Generic[T]):
    """A term and what it stands for."""

    term: str
    payload: T
    match_case: bool = False


@dataclass(frozen=True)
class Match(Generic[T]):
    start: int  # token index
    end: int  # one past the last token
    text: str  # as written in the text
    entries: tuple[Entry[T], ...]  # every entry spelled so (more than one: ambiguous)


class Matcher(Generic[T]):
    """Finds the entries' terms in token streams, longest first, without overlaps."""

    def __init__(self, entries: Iterable[Entry[T]]) -> None:
        self._by_key: dict[tuple[str, ...], list[tuple[Entry[T], tuple[str, ...], list[str]]]] = {}
        self._longest: dict[str, int] = {}
        for entry in entries:
            key = term_tokens(entry.term)
            if not key:
                continue
            words = [t.text for t in _tokens_of(entry.term)]
            gaps = _gaps(entry.term)
            self._by_key.setdefault(key, []).append((entry, tuple(words), gaps))
            self._longest[key[0]] = max(self._longest.get(key[0], 0), len(key))

    def find(self, text: str, toks: list[Token]) -> list[Match[T]]:
        keys = [t.key for t in toks]
        longest = self._longest
        found: list[Match[T]] = []
        free = 0  # the first token not inside an earlier match
        for i in [i for i, key in enumerate(keys) if key in longest]:
            if i < free:
                continue
            for n in range(min(longest[keys[i]], len(toks) - i), 0, -1):
                candidates = self._by_key.get(tuple(keys[i : i + n]))
                if not candidates:
                    continue
                hits = tuple(
                    entry
                    for entry, words, gaps in candidates
                    if _joined(text, toks, i, n, gaps)
                    and (not entry.match_case or _same_case(words, toks[i : i + n]))
                )
                if hits:
                    found.append(Match(i, i + n, text[toks[i].start : toks[i + n - 1].end], hits))
                    free = i + n
                    break
        return found


def _tokens_of(term: str) -> list[Token]:
    from civicpulse.enrich.text import tokens

    return tokens(term)


def _gaps(term: str) -> list[str]:
    """The punctuation between a term's words ("" for spaces or a hyphen)."""
    toks = _tokens_of(term)
    between = [term[a.end : b.start] for a, b in zip(toks, toks[1:], strict=False)]
    return ["" if _JOIN.match(gap) else _normal_gap(gap) for gap in between]


def _joined(text: str, toks: list[Token], i: int, n: int, gaps: list[str]) -> bool:
    for k in range(n - 1):
        gap = text[toks[i + k].end : toks[i + k + 1].start]
        if gaps[k]:
            if _normal_gap(gap) != gaps[k]:
                return False
        elif not _JOIN.match(gap):
            return False
    return True


def _same_case(words: tuple[str, ...], toks: list[Token]) -> bool:
    """Capitalised words must be capitalised in the text; an acronym must be written so."""
    for word, token in zip(words, toks, strict=True):
        if word.isupper() and len(word.replace(".", "")) > 1:
            if token.text.replace(".", "") != word.replace(".", ""):
                return False
        elif word[:1].isupper() and not token.text[:1].isupper():
            return False
    return True


def _normal_gap(gap: str) -> str:
    return " ".join(gap.replace("’", "'").split())
