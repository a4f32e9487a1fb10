"""UNDP Human Development Report composite indices: a wide CSV with one row per country and one
column per indicator and year (`hdi_2022`), read into one Observation per published value."""

from __future__ import annotations

import csv
import io
import logging
import math
import re
from collections.abc import Collection, Iterator, Sequence
from typing import NamedTuple

from civicpulse.indices.observations import Observation, ParseError

log = logging.getLogger(__name__)

# Only these indicators have a known scale; others pass through unchecked.
BOUNDS = {"hdi": (0.0, 1.0), "gii": (0.0, 1.0)}
# The file ends with UNDP's regional and development-group aggregates, coded ZZA.VHHD … ZZK.WORLD.
AGGREGATE_PREFIX = "ZZ"
KEY_COLUMNS = ("iso3", "country")


class _Layout(NamedTuple):
    """Where the header puts the keys and the requested `<indicator>_<YYYY>` columns."""

    header: list[str]
    iso3_at: int
    country_at: int
    columns: list[tuple[str, int, int]]  # (indicator, year, position)


def parse(
    body: bytes, name: str, indicators: Collection[str] = ("hdi", "gii")
) -> Iterator[Observation]:
    """Each non-empty `<indicator>_<YYYY>` cell of each country row, aggregates left out.

    Empty cells are skipped, not yielded as None: the wide layout gives every country a column for
    every year whether or not UNDP ever computed the value (GII for 1990, Monaco's HDI), so a blank
    records the shape of the table, not a published gap; a long table leaves such years out."""
    records = _records(_decode(body, name), name)
    _, header = next(records, (1, []))
    layout = _layout(header, indicators, name)
    for row_number, row in records:
        if any(cell.strip() for cell in row):
            yield from _row_observations(row, row_number, layout, name)


def _row_observations(
    row: list[str], row_number: int, layout: _Layout, name: str
) -> Iterator[Observation]:
    if len(row) != len(layout.header):
        raise ParseError(name, row_number, f"{len(row)} cells, header has {len(layout.header)}")
    iso3 = row[layout.iso3_at].strip()
    if not iso3:
        raise ParseError(name, row_number, "no iso3 code")
    if iso3.startswith(AGGREGATE_PREFIX):
        return
    country_name = row[layout.country_at].strip() or None
    for indicator, year, position in layout.columns:
        value = _value(row[position], indicator, layout.header[position], row_number, name)
        if value is not None:
            yield Observation(indicator, iso3, "iso3", year, value, country_name)


def _decode(body: bytes, name: str) -> str:
    """UNDP publishes cp1252 ("C\\xf4te d'Ivoire"). UTF-8 is tried first because cp1252 text
    with accents is never valid UTF-8, while a UTF-8 release read as cp1252 would be mojibake."""
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return body.decode("cp1252")
    except UnicodeDecodeError as error:
        raise ParseError(name, None, f"neither UTF-8 nor cp1252 text: {error}") from error


def _records(text: str, name: str) -> Iterator[tuple[int, list[str]]]:
    """CSV records numbered from 1 (the header), with csv's own errors turned into ParseErrors."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as error:
        raise ParseError(name, reader.line_num, f"not CSV: {error}") from error


def _layout(header: list[str], indicators: Collection[str], name: str) -> _Layout:
    names = [column.strip() for column in header]
    missing = [column for column in KEY_COLUMNS if column not in names]
    if missing:
        raise ParseError(name, 1, f"no {', '.join(missing)} column in the header")
    columns = _year_columns(names, indicators, name)
    return _Layout(header, names.index("iso3"), names.index("country"), columns)


def _year_columns(
    header: Sequence[str], indicators: Collection[str], name: str
) -> list[tuple[str, int, int]]:
    """(indicator, year, position) of each requested `<indicator>_<YYYY>` column, matched exactly:
    some prefixes begin others (`hdi_` also starts `hdi_f_2022` and `hdi_rank_2022`)."""
    found: list[tuple[str, int, int]] = []
    for indicator in indicators:
        pattern = re.compile(rf"{re.escape(indicator)}_(\d{{4}})")
        matches = [
            (indicator, int(match.group(1)), position)
            for position, column in enumerate(header)
            if (match := pattern.fullmatch(column))
        ]
        if not matches:
            raise ParseError(name, 1, f"no {indicator}_<year> columns in the header")
        found.extend(matches)
    return found


def _value(cell: str, indicator: str, column: str, row_number: int, name: str) -> float | None:
    if not cell.strip():
        return None
    try:
        value = float(cell)
    except ValueError:
        raise ParseError(name, row_number, f"{column} is {cell!r}, not a number") from None
    low, high = BOUNDS.get(indicator, (-math.inf, math.inf))
    if not (math.isfinite(value) and low <= value <= high):
        raise ParseError(name, row_number, f"{column} is {value}, outside {low}–{high}")
    return value
