"""Worldwide Governance Indicators release workbook (World Bank): one sheet per dimension, each
year a block of six columns, read into each economy's Estimate (`GOV_WGI_<XX>.EST`, the ids the
World Bank API uses) and percentile Rank (`GOV_WGI_<XX>.PER.RNK`) Observations."""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from civicpulse.indices.observations import Observation, ParseError
from civicpulse.indices.reading import xlsx_sheets

log = logging.getLogger(__name__)

Row = Sequence[object]

# Dimension code -> the words its sheet name or its heading cell holds, letters only
# ("Political StabilityNoViolence", "Political Stability and Absence of Violence/Terrorism").
DIMENSIONS = {
    "VA": "voiceandaccountability",
    "PV": "politicalstability",
    "GE": "governmenteffectiveness",
    "RQ": "regulatoryquality",
    "RL": "ruleoflaw",
    "CC": "controlofcorruption",
}
COUNTRY_HEADER, CODE_HEADER = "country/territory", "code"
# Header label -> indicator id suffix of the two measures read; StdErr, NumSrc and the
# confidence bounds Lower/Upper are left out.
MEASURES = {"estimate": "EST", "rank": "PER.RNK"}
HEADER_SEARCH_ROWS = 30  # the 2020 header is on row 15, under title, definition and legend
MISSING = {"", "#N/A"}  # the release writes "#N/A" (text) where a year has no estimate
# Estimates are in standard-normal units, "approximately -2.5 to 2.5" by the legend; the 2020
# update's extreme is Somalia's Political Stability, -3.31 in 2009. Beyond 5 a column was misread.
ESTIMATE_LIMIT = 5.0
RANK_MAX = 100.0
CODE = re.compile(r"[A-Za-z]{3}")


@dataclass(frozen=True)
class Table:
    """One dimension sheet's rows and where its header puts each column."""

    file: str
    sheet: str
    dimension: str
    rows: Sequence[Row]
    header_index: int  # 0-based; the years are on the row above
    country_at: int
    code_at: int
    measures: dict[tuple[int, str], int]  # (year, measure label) -> column position

    def error(self, row_index: int, reason: str) -> ParseError:
        """A ParseError naming the file, the sheet and the row as a spreadsheet numbers it."""
        return _error(self.file, self.sheet, row_index, reason)


def parse(body: bytes, name: str) -> Iterator[Observation]:
    """Every published Estimate and Rank of every economy, dimension and year; `#N/A` and
    empty cells are no observation. Codes are kept as published (ADO, ROM, ZAR, …): the
    crosswalk maps them."""
    for table in _tables(_sheets(body, name), name):
        rows_of: dict[str, int] = {}  # code -> the row index it was first read on
        for index in range(table.header_index + 1, len(table.rows)):
            observations = _row_observations(table, index)
            if not observations:
                continue
            code = observations[0].country.upper()
            if code in rows_of:
                raise table.error(index, f"{code} again (first on row {rows_of[code] + 1})")
            rows_of[code] = index
            yield from observations
        log.debug("%s: %d economies in sheet %r", name, len(rows_of), table.sheet)


# --- finding the tables --------------------------------------------------------------------


def _sheets(body: bytes, name: str) -> dict[str, list[Row]]:
    """Every sheet's cell values, by title, in workbook order."""
    try:
        return xlsx_sheets(body)
    except Exception as error:  # zip, XML and openpyxl's own errors on a file that is not xlsx
        raise ParseError(name, None, f"not a readable xlsx workbook: {error!r}") from error


def _tables(sheets: dict[str, list[Row]], name: str) -> list[Table]:
    """One table per dimension. A sheet with no WGI header that names no one dimension is
    text (the Introduction); a dimension's sheet without that header, or a header under no
    dimension we know, is a layout we do not know."""
    tables: dict[str, Table] = {}
    for title, rows in sheets.items():
        dimensions = _dimensions(title, rows)
        header_index = _header_index(rows)
        if header_index is None:
            if len(dimensions) == 1:
                reason = f"no '{COUNTRY_HEADER}' and '{CODE_HEADER}' header in its first rows"
                raise _error(name, title, None, reason)
            continue
        if len(dimensions) != 1:
            named = ", ".join(dimensions) or "none"
            raise _error(name, title, None, f"a WGI table, but which dimension? ({named})")
        (dimension,) = dimensions
        if dimension in tables:
            raise _error(name, title, None, f"a second sheet for {dimension}")
        tables[dimension] = _table(name, title, dimension, rows, header_index)
    missing = [code for code in DIMENSIONS if code not in tables]
    if missing:
        found = ", ".join(repr(title) for title in sheets)
        raise ParseError(name, None, f"no sheet for {', '.join(missing)} (sheets: {found})")
    return [tables[code] for code in DIMENSIONS]


def _dimensions(title: str, rows: Sequence[Row]) -> list[str]:
    """The dimensions the sheet's name spells or, failing one, its heading (first cell)."""
    heading = _text(_cell(rows[0], 0)) if rows else ""
    for text in (title, heading):
        found = [code for code, words in DIMENSIONS.items() if words in _letters(text)]
        if len(found) == 1:
            return found
    return [code for code, words in DIMENSIONS.items() if words in _letters(title + heading)]


def _header_index(rows: Sequence[Row]) -> int | None:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        labels = [_label(cell) for cell in row]
        if COUNTRY_HEADER in labels and CODE_HEADER in labels:
            return index
    return None


def _table(name: str, title: str, dimension: str, rows: Sequence[Row], header_index: int) -> Table:
    """The header's columns, and each measure column's year from the row above it."""

    def error(offset: int, reason: str) -> ParseError:  # offset 0: the header, -1: the years
        return _error(name, title, header_index + offset, reason)

    header = [_label(cell) for cell in rows[header_index]]
    years_row = rows[header_index - 1] if header_index else ()
    measures = _measure_columns(header, years_row, error)
    years = sorted({year for year, _ in measures})
    if not years:
        raise error(0, "no 'Estimate' or 'Rank' columns")
    for year in years:
        for label in MEASURES:
            if (year, label) not in measures:
                raise error(0, f"no {label!r} column for {year}")
    country_at, code_at = header.index(COUNTRY_HEADER), header.index(CODE_HEADER)
    return Table(name, title, dimension, rows, header_index, country_at, code_at, measures)


def _measure_columns(
    header: list[str], years_row: Row, error: Callable[[int, str], ParseError]
) -> dict[tuple[int, str], int]:
    """(year, measure) -> position. A year is carried to the right: the 2020 release repeats
    it over each of its six columns, and one written once over a merged block reads the same."""
    measures: dict[tuple[int, str], int] = {}
    year: int | None = None
    for position, label in enumerate(header):
        cell = _cell(years_row, position)
        if _text(cell):
            year = _year(cell)
            if year is None:
                raise error(-1, f"{cell!r} above column {position + 1} is not a year")
        if label not in MEASURES:
            continue
        if year is None:
            raise error(0, f"no year above column {position + 1} ({label!r})")
        if (year, label) in measures:
            raise error(0, f"two {label!r} columns for {year}")
        measures[(year, label)] = position
    return measures


# --- reading rows --------------------------------------------------------------------------


def _row_observations(table: Table, index: int) -> list[Observation]:
    row = table.rows[index]
    values = {
        key: _value(table, index, key, _cell(row, position))
        for key, position in table.measures.items()
    }
    code = _text(_cell(row, table.code_at))
    if not code:
        if any(value is not None for value in values.values()):
            raise table.error(index, "values but no country code")
        return []  # blank lines and notes
    if not CODE.fullmatch(code):
        raise table.error(index, f"country code {code!r} is not three letters")
    country_name = _text(_cell(row, table.country_at)) or None
    return [
        Observation(
            indicator_id=f"GOV_WGI_{table.dimension}.{MEASURES[label]}",
            country=code,
            scheme="iso3",
            year=year,
            value=value,
            country_name=country_name,
        )
        for (year, label), value in sorted(values.items())
        if value is not None
    ]


def _value(table: Table, index: int, key: tuple[int, str], cell: object) -> float | None:
    year, label = key
    if cell is None or (isinstance(cell, str) and cell.strip() in MISSING):
        return None
    if isinstance(cell, bool) or not isinstance(cell, int | float):
        raise table.error(index, f"{label.title()} {year} is {cell!r}, not a number")
    value = float(cell)
    low, high = (-ESTIMATE_LIMIT, ESTIMATE_LIMIT) if label == "estimate" else (0.0, RANK_MAX)
    if not (math.isfinite(value) and low <= value <= high):
        raise table.error(index, f"{label.title()} {year} is {value}, outside {low:g} to {high:g}")
    return value


# --- cells ---------------------------------------------------------------------------------


def _error(file: str, sheet: str, row_index: int | None, reason: str) -> ParseError:
    row = row_index + 1 if row_index is not None else None
    return ParseError(file, row, f"sheet {sheet!r}: {reason}")


def _cell(row: Row, column: int) -> object:
    return row[column] if column < len(row) else None


def _text(cell: object) -> str:
    return "" if cell is None else str(cell).strip()


def _label(cell: object) -> str:
    """A header cell, case- and spacing-blind: ' Country/Territory' -> 'country/territory'."""
    return " ".join(_text(cell).lower().split())


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def _year(cell: object) -> int | None:
    """A year as the release writes it: a number (1996), or its digits as text."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    if isinstance(cell, str) and cell.strip().isdecimal():
        cell = int(cell.strip())
    if isinstance(cell, int) and 1900 <= cell <= 2100:
        return cell
    return None
