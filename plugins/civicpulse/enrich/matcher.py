"""Longest-match lookup of multi-word terms in a token stream: "Guinea-Bissau" is one match,
never "Guinea" plus "Bissau". One dictionary probe per candidate length, so a text costs
about as many probes as it has words that can start a term."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import compress
from typing import Generic, TypeVar

from civicpulse.enrich.text import Words

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
        lengths: dict[str, set[int]] = {}
        for entry in entries:
            words = Words(entry.term)
            key = tuple(words.keys)
            if not key:
                continue
            self._by_key.setdefault(key, []).append((entry, tuple(words.words), _gaps(words)))
            lengths.setdefault(key[0], set()).add(len(key))
        # by first word, the lengths its terms have, longest first: one probe per length
        self._lengths = {first: sorted(ns, reverse=True) for first, ns in lengths.items()}

    def find(self, words: Words) -> list[Match[T]]:
        """Every match in `words`, left to right."""
        keys, lengths = words.keys, self._lengths
        found: list[Match[T]] = []
        free = 0  # the first word not inside an earlier match
        # the words that can start a term, found in C (most words start none)
        for i in compress(range(len(keys)), map(lengths.__contains__, keys)):
            if i < free:
                continue
            for n in lengths[keys[i]]:
                if i + n > len(keys):
                    continue
                candidates = self._by_key.get(tuple(keys[i : i + n]))
                if not candidates:
                    continue
                hits = tuple(
                    entry
                    for entry, spelling, gaps in candidates
                    if _joined(words, i, n, gaps)
                    and (not entry.match_case or _same_case(spelling, words.words[i : i + n]))
                )
                if hits:
                    end = words.starts[i + n - 1] + len(words.words[i + n - 1])
                    found.append(Match(i, i + n, words.text[words.starts[i] : end], hits))
                    free = i + n
                    break
        return found


def _gaps(words: Words) -> list[str]:
    """The punctuation between a term's words ("" for spaces or a hyphen)."""
    between = [words.text[a.end : b.start] for a, b in zip(words, words[1:], strict=False)]
    return ["" if _JOIN.match(gap) else _normal_gap(gap) for gap in between]


def _joined(words: Words, i: int, n: int, gaps: list[str]) -> bool:
    for k in range(n - 1):
        end = words.starts[i + k] + len(words.words[i + k])
        gap = words.text[end : words.starts[i + k + 1]]
        if gaps[k]:
            if _normal_gap(gap) != gaps[k]:
                return False
        elif not _JOIN.match(gap):
            return False
    return True


def _same_case(spelling: tuple[str, ...], written: list[str]) -> bool:
    """Capitalised words must be capitalised in the text; an acronym must be written so."""
    for word, text in zip(spelling, written, strict=True):
        if word.isupper() and len(word.replace(".", "")) > 1:
            if text.replace(".", "") != word.replace(".", ""):
                return False
        elif word[:1].isupper() and not text[:1].isupper():
            return False
    return True


def _normal_gap(gap: str) -> str:
    return " ".join(gap.replace("’", "'").split())
