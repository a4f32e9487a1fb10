"""Fragile States Index yearly workbooks (Fund for Peace): one row per country with its Total and
twelve component scores, read into `fsi_total` and `fsi_c1` … `fsi_x1` Observations by name."""

from __future__ import annotations

import logging
import re
import zipfile
from collections.abc import Iterator, Sequence
from datetime import date
from io import BytesIO
from typing import Any, NamedTuple

import openpyxl

from civicpulse.indices.observations import Observation, ParseError

log = logging.getLogger(__name__)

COMPONENTS = ("C1", "C2", "C3", "E1", "E2", "E3", "P1", "P2", "P3", "S1", "S2", "X1")
TOTAL_MAX = 120.0  # twelve components of 0-10
COMPONENT_MAX = 10.0
# Most years hold one decimal plus binary noise (111.89999999999999); 2018 holds unrounded scores
# (8.890018228805495) whose order its ranks follow: rounding to one decimal would tie 15 totals.
# Six decimals removes the noise and keeps every digit that means something.
DECIMALS = 6
HEADER_SEARCH_ROWS = 10  # the header is on row 1 in every year seen; allow for a title above it
COMPONENT_HEADER = re.compile(r"([A-Z]\d)\s*:")  # "C1: Security Apparatus"


class _Layout(NamedTuple):
    """Column positions of one sheet's table, and the row its data starts on."""

    first_row: int
    country_at: int
    year_at: int
    scores: dict[str, tuple[int, float]]  # indicator id -> (position, maximum)


def parse(body: bytes, name: str) -> Iterator[Observation]:
    """Each country's Total and component scores, one Observation per score. Names are kept as
    published, stripped of the padding some years carry ("Serbia  " in 2006)."""
    workbook = _open_workbook(body, name)
    try:
        sheet, layout = _data_sheet(workbook, name)
        rows = sheet.iter_rows(min_row=layout.first_row, values_only=True)
        for row_number, row in enumerate(rows, start=layout.first_row):
            if any(cell is not None for cell in row):  # 2018 pads its sheet with ~1,900 empty rows
                yield from _row_observations(row, row_number, layout, name)
    finally:
        workbook.close()


def _open_workbook(body: bytes, name: str) -> Any:
    try:
        return openpyxl.load_workbook(BytesIO(body), data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ParseError(name, None, f"not an xlsx workbook: {error!r}") from error


def _data_sheet(workbook: Any, name: str) -> tuple[Any, _Layout]:
    """The first sheet with a Country, Year and Total header: sheet names differ every year
    ('2021', 'Sheet1', 'FSI 2006-2022' holding only 2022)."""
    for sheet in workbook.worksheets:
        header_rows = sheet.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True)
        for row_number, header in enumerate(header_rows, start=1):
            layout = _layout(header, row_number, name)
            if layout is not None:
                return sheet, layout
    sheets = ", ".join(repr(sheet.title) for sheet in workbook.worksheets)
    raise ParseError(name, None, f"no sheet has Country, Year and Total columns ({sheets})")


def _layout(header: Sequence[Any], row_number: int, name: str) -> _Layout | None:
    """The table's columns if this row is its header. Components are found by code alone
    because 2023 reordered them (S1, S2, C3, …, X1)."""
    labels = [cell.strip() if isinstance(cell, str) else "" for cell in header]
    lowered = [label.lower() for label in labels]
    if not {"country", "year", "total"} <= set(lowered):
        return None
    scores = {"fsi_total": (lowered.index("total"), TOTAL_MAX)}
    for position, label in enumerate(labels):
        match = COMPONENT_HEADER.match(label)
        if match and match.group(1) in COMPONENTS:
            indicator = f"fsi_{match.group(1).lower()}"
            if indicator in scores:
                raise ParseError(name, row_number, f"two columns for {match.group(1)}")
            scores[indicator] = (position, COMPONENT_MAX)
    missing = [code for code in COMPONENTS if f"fsi_{code.lower()}" not in scores]
    if missing:
        raise ParseError(name, row_number, f"no column for component {', '.join(missing)}")
    return _Layout(row_number + 1, lowered.index("country"), lowered.index("year"), scores)


def _row_observations(
    row: Sequence[Any], row_number: int, layout: _Layout, name: str
) -> Iterator[Observation]:
    country = row[layout.country_at]
    if not isinstance(country, str) or not country.strip():
        raise ParseError(name, row_number, f"Country is {country!r}, not a name")
    country = country.strip()
    year = _year(row[layout.year_at], row_number, name)
    for indicator, (position, maximum) in layout.scores.items():
        value = _score(row[position], maximum, row_number, name)
        yield Observation(indicator, country, "name", year, value, country)


def _year(cell: Any, row_number: int, name: str) -> int:
    """Year is an Excel date in most files (2006-2019, 2022) and a plain number in others."""
    if isinstance(cell, date):  # a datetime too
        year = cell.year
    elif isinstance(cell, int | float) and not isinstance(cell, bool) and float(cell).is_integer():
        year = int(cell)
    else:
        raise ParseError(name, row_number, f"Year is {cell!r}, not a year")
    if not 1900 <= year <= 2100:  # e.g. an Excel date serial (38718) that lost its date format
        raise ParseError(name, row_number, f"Year is {cell!r}, not a year")
    return year


def _score(cell: Any, maximum: float, row_number: int, name: str) -> float | None:
    if cell is None:
        return None
    if isinstance(cell, bool) or not isinstance(cell, int | float):
        raise ParseError(name, row_number, f"score {cell!r} is not a number")
    value = round(float(cell), DECIMALS)
    if not 0 <= value <= maximum:
        raise ParseError(name, row_number, f"score {value} is outside 0-{maximum:g}")
    return value
