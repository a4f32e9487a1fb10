"""`clean_text` skips ftfy where ftfy could change nothing; it must never skip a repair."""

from __future__ import annotations

import random

import ftfy
import pytest

from civicpulse.records import _FIX, _QUOTES, clean_text

DAMAGED = [
    "Pi√±era’s",  # Mac Roman mojibake around a curly quote
    "sÃ³",
    "voilÃ le travail",
    "â€œhelloâ€\x9d",
    "Â£100",
    "caf\x82",  # a C1 control
    "ﬁnance ĳs",  # ligatures
    "ＦＵＬＬ　width",
    "a\x1b[31mred",  # a terminal escape
    "e\u0301cole",  # decomposed: NFC composes it
    "Tom &amp; Jerry",
    "A\u2028B\x85C",
    "\ufeffbom zero\u200bwidth",
    "naïve café – “quoted” ‘x’",
]


def always_ftfy(text: str) -> str:
    """What `clean_text` did before it learned to skip: ftfy on every piece."""
    return " ".join("".join(ftfy.fix_text(p, _FIX) for p in _QUOTES.split(text)).split())


def generated(count: int) -> list[str]:
    """Random short strings over the ranges ftfy acts on, and UTF-8 misread as cp1252 and
    Latin-1 (the mojibake the web serves most)."""
    rng = random.Random(20261202)
    ranges = [(0x20, 0x250), (0x2000, 0x2070), (0xFB00, 0xFB07), (0xFF00, 0xFF10)]
    alphabet = [chr(c) for low, high in ranges for c in range(low, high)]
    alphabet += ["\u3000", "\x85", "\xa0", "\u0301", "&", "\r"]
    texts = []
    for _ in range(count):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        texts += [text, text.encode().decode("latin-1")]
        texts.append(text.encode().decode("cp1252", errors="replace"))
    return texts


@pytest.mark.parametrize("text", DAMAGED)
def test_damage_is_still_repaired(text: str) -> None:
    assert clean_text(text) == always_ftfy(text)


def test_skipping_ftfy_changes_no_output() -> None:
    texts = generated(5000)
    assert [t for t in texts if clean_text(t) != always_ftfy(t)] == []
