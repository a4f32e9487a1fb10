"""What adapters yield: landed records as plain dicts, and failures that name the item."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import ftfy
from ftfy.badness import is_bad
from ftfy.chardata import CONTROL_CHARS, LIGATURES, WIDTH_MAP

Record = dict[str, Any]
# Where a fresh article record was fetched from, when its `url` is the page's canonical URL:
# kept only until the batch is made one record per URL (`guard.unique_by_url`).
FETCHED_URL = "_fetched_url"

# Keep typographic quotes as published; repair only real damage such as mojibake.
_FIX = ftfy.TextFixerConfig(uncurl_quotes=False)
# ftfy will not re-decode a span that also holds a curly quote (it cannot be re-encoded in
# the mojibake's code page), so "Pi√±era’s" is repaired piece by piece around the quotes.
_QUOTES = re.compile("([\u2018\u2019\u201c\u201d])")
# Characters some fixer of ftfy's (other than the mojibake repair, which `is_bad` gates)
# would change: HTML entities, controls and terminal escapes, C1 controls, ligatures,
# full-width forms, line separators and lone surrogates.
_FIXABLE = re.compile(
    "[&\x1b\r\x80-\x9f\u2028\u2029\ud800-\udfff"
    + "".join(re.escape(chr(c)) for c in sorted({*CONTROL_CHARS, *LIGATURES, *WIDTH_MAP}))
    + "]"
)


@dataclass(frozen=True)
class Failure:
    """One item of a source that could not be collected, and why. A skipped item was left
    out on purpose (robots.txt forbids it, it is not an article page), not by a fault."""

    item: str
    reason: str
    skipped: bool = False


def clean_text(text: str) -> str:
    """Repair encoding damage and collapse whitespace runs to single spaces."""
    pieces = _QUOTES.split(text)
    return " ".join("".join(map(_fixed, pieces)).split())


def _fixed(piece: str) -> str:
    """ftfy's repair of `piece`, skipped (it is costly) where it could change nothing."""
    if _FIXABLE.search(piece) or (
        not piece.isascii() and (is_bad(piece) or not unicodedata.is_normalized("NFC", piece))
    ):
        return ftfy.fix_text(piece, _FIX)
    return piece
