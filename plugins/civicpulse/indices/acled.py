"""ACLED parsers: export-tool CSV and API JSON pages, summed to country-year ``fatalities``.

The country is ACLED's ``iso`` column, the ISO 3166-1 *numeric* code ("804" is Ukraine). It is kept
exactly as published (``scheme="iso_numeric"``), and ACLED's ``country`` name goes in
``country_name``. The year comes from the ``year`` column, not from ``event_date``, because the two
formats write dates differently ("16 February 2024" in the export CSV, "2024-01-01" in the API).
Each event is in one country, so there is nothing to apportion.

The API sends every value as a string ("fatalities": "2"). The parser also accepts numbers. Each API
page is summed on its own: the caller adds the page sums per (country, year) across pages. The
caller keeps asking for pages until one comes back with fewer rows than ``limit``, which it can
tell from the envelope's ``count``.

Rows are counted the way a spreadsheet counts them: the CSV header is row 1. An API event is named
``data[i]`` (0-based).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from civicpulse.indices.observations import Observation, ParseError
from civicpulse.indices.reading import csv_rows, load_json, whole_number

log = logging.getLogger(__name__)

INDICATOR = "acled_fatalities"
COLUMNS = ("year", "iso", "country", "fatalities")

CountryYear = tuple[str, int]


def parse_export_csv(body: bytes, name: str) -> Iterator[Observation]:
    """Yield country-year sums of ``fatalities`` from an ACLED export-tool CSV."""
    yield from _country_years(csv_rows(body, name, COLUMNS), name)


def parse_api_page(body: bytes, name: str) -> list[Observation]:
    """Sum one ACLED API page (``{"status", "success", …, "data": [...]}``) by country-year."""
    payload = load_json(body, name)
    if not isinstance(payload, dict):
        raise ParseError(name, None, f"not an ACLED API envelope but a {type(payload).__name__}")
    if payload.get("success") is False or str(payload.get("status", 200)) != "200":
        detail = payload.get("error") or payload.get("messages") or "no message"
        raise ParseError(name, None, f"API error, status {payload.get('status')}: {detail}")
    if "data" not in payload:
        raise ParseError(name, None, "not an ACLED API envelope: no data")
    rows = payload["data"]
    if not isinstance(rows, list):
        raise ParseError(name, None, f"data is not a list but {type(rows).__name__}")
    return list(_country_years(_api_rows(rows, name), name))


def _api_rows(rows: list[Any], name: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    for index, event in enumerate(rows):
        where = f"data[{index}]"
        if not isinstance(event, dict):
            raise ParseError(name, where, f"not an object but {type(event).__name__}")
        missing = [field for field in COLUMNS if field not in event]
        if missing:
            raise ParseError(name, where, f"missing field(s) {', '.join(missing)}")
        yield where, event


def _country_years(
    rows: Iterable[tuple[int | str, Mapping[str, Any]]], name: str
) -> Iterator[Observation]:
    totals: dict[CountryYear, int] = {}
    names: dict[CountryYear, str | None] = {}
    for where, row in rows:
        iso = str(row["iso"]).strip()
        if not iso.isdecimal():
            raise ParseError(name, where, f"iso is not an ISO numeric code: {row['iso']!r}")
        key = (iso, whole_number(row["year"], name, where, "year"))
        totals[key] = totals.get(key, 0) + whole_number(
            row["fatalities"], name, where, "fatalities"
        )
        country = row["country"]
        if names.get(key) is None:
            names[key] = (country.strip() or None) if isinstance(country, str) else None
    log.debug("%s: %d country-years", name, len(totals))
    for iso, year in sorted(totals, key=lambda key: (key[1], int(key[0]))):
        yield Observation(
            indicator_id=INDICATOR,
            country=iso,
            scheme="iso_numeric",
            year=year,
            value=float(totals[iso, year]),
            country_name=names[iso, year],
        )
