"""Numbers as articles write them, in en/fr/es: "1,600", "1 600", "1.600", "2.5 million",
"three hundred", "dozens", "trois cents", "mil": a value and whether it is vague."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from itertools import compress

from civicpulse.enrich.text import Words

log = logging.getLogger(__name__)

UNITS = {
    **dict.fromkeys(["one", "a", "an", "un", "une", "uno", "una", "un"], 1),
    **dict.fromkeys(["two", "deux", "dos"], 2),
    **dict.fromkeys(["three", "trois", "tres"], 3),
    **dict.fromkeys(["four", "quatre", "cuatro"], 4),
    **dict.fromkeys(["five", "cinq", "cinco"], 5),
    **dict.fromkeys(["six", "seis"], 6),
    **dict.fromkeys(["seven", "sept", "siete"], 7),
    **dict.fromkeys(["eight", "huit", "ocho"], 8),
    **dict.fromkeys(["nine", "neuf", "nueve"], 9),
    **dict.fromkeys(["ten", "dix", "diez"], 10),
    **dict.fromkeys(["eleven", "onze", "once"], 11),
    **dict.fromkeys(["twelve", "douze", "doce", "dozen"], 12),
    **dict.fromkeys(["thirteen", "treize", "trece"], 13),
    **dict.fromkeys(["fourteen", "quatorze", "catorce"], 14),
    **dict.fromkeys(["fifteen", "quinze", "quince"], 15),
    **dict.fromkeys(["sixteen", "seize", "dieciseis"], 16),
    **dict.fromkeys(["seventeen", "diecisiete"], 17),
    **dict.fromkeys(["eighteen", "dieciocho"], 18),
    **dict.fromkeys(["nineteen", "diecinueve"], 19),
    **dict.fromkeys(["twenty", "vingt", "veinte"], 20),
    **dict.fromkeys(["thirty", "trente", "treinta"], 30),
    **dict.fromkeys(["forty", "quarante", "cuarenta"], 40),
    **dict.fromkeys(["fifty", "cinquante", "cincuenta"], 50),
    **dict.fromkeys(["sixty", "soixante", "sesenta"], 60),
    **dict.fromkeys(["seventy", "setenta"], 70),
    **dict.fromkeys(["eighty", "ochenta"], 80),
    **dict.fromkeys(["ninety", "noventa"], 90),
}
MULTIPLIERS = {
    **dict.fromkeys(["hundred", "cent", "cents", "cien", "ciento", "cientos"], 100),
    **dict.fromkeys(["thousand", "mille", "mil"], 1_000),
    **dict.fromkeys(["million", "millions", "millones", "millon", "millón"], 1_000_000),
    **dict.fromkeys(["billion", "billions", "milliard", "milliards"], 1_000_000_000),
}
# Vague plurals: the smallest plural of their unit, always approximate.
VAGUE = {
    **dict.fromkeys(["dozens", "douzaines", "decenas", "dizaines"], 24),
    **dict.fromkeys(["hundreds", "centaines", "centenares", "cientos"], 200),
    **dict.fromkeys(["thousands", "milliers", "miles"], 2_000),
    **dict.fromkeys(["millions", "millones"], 2_000_000),
}
_DIGITS = r"\d{1,3}(?:(?:,|\u00a0|\u202f| |\.)\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_VAGUE_OF = (
    r"\b(?P<vague>dozens|hundreds|thousands|dizaines|centaines|milliers|decenas|cientos|miles)"
    r"\s+(?:of|de|d')\s*(?P<of>thousands|millions|milliers|miles|millones)\b"
)
_SCALE = r"(?:\s+(?P<scale>million|millions|billion|milliards?|millones|mil)\b)?"
VAGUE_OF = re.compile(_VAGUE_OF, re.IGNORECASE)
DIGITS = re.compile(rf"(?<![\w.,\-‐])(?P<digits>{_DIGITS}){_SCALE}", re.IGNORECASE)
# What may join two number words ("two hundred and fifty", "twenty-five").
_JOIN = re.compile(r"^(?:[\s-]+|\s+(?:and|et|y)\s+)$")
# "a", "un", "una": one only before a multiplier ("a hundred", "un millón")
ARTICLES = frozenset({"a", "an", "un", "une", "uno", "una"})
NUMBER_WORDS = frozenset({*UNITS, *MULTIPLIERS, *VAGUE} - ARTICLES)
# Number words that are other words in another language: English "once", "miles", "Sept",
# "cents"; counted only in their own language.
LANGUAGE_OF = {
    **dict.fromkeys(["once", "dos", "tres", "uno", "una", "mil", "miles", "cien", "ciento"], "es"),
    **dict.fromkeys(["cientos", "decenas", "seis", "siete", "ocho", "nueve", "diez"], "es"),
    **dict.fromkeys(["sept", "cent", "cents", "dix", "onze", "douze", "mille"], "fr"),
}


@dataclass(frozen=True)
class Number:
    value: float
    vague: bool  # "dozens", "hundreds": an approximate lower bound
    start: int
    end: int
    text: str
    word: int = 0  # index of its first word in the `Words` it was found in


def parse_digits(digits: str) -> float:
    """ "1,600" (en), "1 600" (fr), "1.600" (es) are 1600; "2.5" (en) and "2,5" (fr/es) 2.5."""
    compact = re.sub(r"[\u00a0\u202f ]", "", digits)
    groups = re.fullmatch(r"\d{1,3}([,.])\d{3}(?:\1\d{3})*", compact)
    if groups:  # one separator between groups of three: thousands, in any language
        return float(re.sub(r"[,.]", "", compact))
    if "," in compact and "." in compact:  # 1,600.5 or 1.600,5
        decimal = "." if compact.rfind(".") > compact.rfind(",") else ","
        thousands = "," if decimal == "." else "."
        return float(compact.replace(thousands, "").replace(decimal, "."))
    return float(compact.replace(",", "."))


def parse_words(words: str) -> tuple[float, bool] | None:
    """ "three hundred" -> 300; "two dozen" -> 24; "dozens" -> (24, vague)."""
    parts = [w for w in re.split(r"[\s-]+", words.lower()) if w not in ("and", "et", "y")]
    # "a"/"an" count only as "a hundred", "a dozen"; "a one-day event" is not two.
    parts = [
        p
        for i, p in enumerate(parts)
        if p not in ARTICLES or (i + 1 < len(parts) and parts[i + 1] in {*MULTIPLIERS, "dozen"})
    ]
    if len(parts) == 1 and parts[0] in VAGUE:
        return float(VAGUE[parts[0]]), True
    total, current = 0, 0
    for part in parts:
        if part in UNITS:
            current += UNITS[part] if part != "dozen" else 0
            if part == "dozen":
                current = (current or 1) * 12
        elif part in MULTIPLIERS:
            current = (current or 1) * MULTIPLIERS[part]
            if MULTIPLIERS[part] >= 1_000:
                total, current = total + current, 0
        elif part in VAGUE:
            current = (current or 1) * VAGUE[part]
        else:
            return None
    value = total + current
    return (float(value), False) if value > 1 else None


def numbers(words: Words, lang: str) -> list[Number]:
    """Every number the words write, left to right, each with the index of its first word.
    Found from the words already split (digits, number words), so a text with none costs
    two passes in C."""
    text, keys, starts = words.text, words.keys, words.starts
    out: list[Number] = []
    end = -1
    for i in compress(range(len(keys)), map(str.isdigit, keys)):
        match = DIGITS.match(text, starts[i]) if starts[i] >= end else None
        if match is not None:  # None: inside "1,600" or "4.9", or after a hyphen ("COVID-19")
            value = parse_digits(match["digits"])
            if match["scale"]:
                value *= MULTIPLIERS[match["scale"].lower()]
            out.append(Number(value, False, match.start(), match.end(), match.group(), i))
            end = match.end()
    taken = [(n.start, n.end) for n in out]
    for number in _word_numbers(words, lang):
        if not any(a <= number.start < b for a, b in taken):
            out.append(number)
    return sorted(out, key=lambda n: n.start)


def _word_numbers(words: Words, lang: str) -> list[Number]:
    """Runs of number words ("three hundred", "vingt-cinq", "dozens", "a hundred"), and a
    vague plural of a vague plural ("hundreds of thousands": 200 x 1,000)."""
    text, keys, starts = words.text, words.keys, words.starts
    out: list[Number] = []
    for first, last in _runs(words, lang):
        start, end = starts[first], starts[last] + len(words.words[last])
        if out and start < out[-1].end:
            continue  # the "thousands" of "hundreds of thousands"
        vague_of = VAGUE_OF.match(text, start) if keys[first] in VAGUE else None
        if vague_of is not None:
            value = VAGUE[vague_of["vague"].lower()] * VAGUE[vague_of["of"].lower()] / 2
            out.append(Number(float(value), True, start, vague_of.end(), vague_of.group(), first))
            continue
        parsed = parse_words(text[start:end])
        if parsed is not None:
            out.append(Number(parsed[0], parsed[1], start, end, text[start:end], first))
    return out


def _runs(words: Words, lang: str) -> list[tuple[int, int]]:
    """First and last word of each run of number words of `lang`, joined by spaces, hyphens
    or "and", with an "a"/"un" before it ("a hundred", "un millón")."""
    text, keys, starts = words.text, words.keys, words.starts
    runs: list[list[int]] = []
    for i in compress(range(len(keys)), map(NUMBER_WORDS.__contains__, keys)):
        if LANGUAGE_OF.get(keys[i], lang) != lang:
            continue
        if runs:
            last = runs[-1][1]
            gap = text[starts[last] + len(words.words[last]) : starts[i]]
            if (i == last + 1 or i == last + 2) and _JOIN.match(gap):
                runs[-1][1] = i
                continue
        runs.append([i - 1 if i and keys[i - 1] in ARTICLES else i, i])
    return [(first, last) for first, last in runs]
