"""Read Transparency International's Corruption Perceptions Index files, whatever the year's layout.

TI changes the workbook every year: sheet names, header rows, column names and codes drift, the
2012 file is encrypted with Excel's default password, 2010–2012 give names only, and the 2022–2024
copies we have are CSV exports with a BOM, ';' separators and decimal commas. So nothing here
knows a year's layout: the header row is found by its country column, columns are matched by
name, and the years come from the `CPI score YYYY` headers.

Workbooks with a timeseries sheet ('CPI Timeseries 2012 - 2022', 'CPI historical data
2012-2017') are read from that sheet only: it carries every year of the release, and its latest
year equals the main sheet's scores (checked for 2017, 2018, 2019 and 2022). Other workbooks
are read from their first sheet that has a country column and a score column.
"""

from __future__ import annotations

import csv
import io
import logging
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import zip_longest
from pathlib import PurePath
from typing import Any

from civicpulse.indices.observations import CountryScheme, Observation, ParseError
from civicpulse.indices.reading import xlsx_sheets

log = logging.getLogger(__name__)

Row = Sequence[object]

LAST_TEN_POINT_YEAR = 2011  # TI moved from a 0–10 to a 0–100 scale with the 2012 edition
MIN_SCORES_FOR_SCALE = 20  # a year needs this many scores before its range says its scale
EXCEL_DEFAULT_PASSWORD = "VelvetSweatshop"  # what Excel uses for "encrypted" files with no password
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and any encrypted workbook
ZIP_MAGIC = b"PK\x03\x04"  # .xlsx
HEADER_SEARCH_ROWS = 25  # headers sit under at most a few title rows; deeper matches are data
CSV_DELIMITERS = (";", ",", "\t")

COUNTRY_HEADERS = {"country", "country/territory"}
CODE_HEADERS = {"iso3", "wbcode", "countrycode"}
SCORE_HEADER = re.compile(r"cpi(?:score)?(\d{4})(?:score)?")  # on _label(): 'CPI Score 2013'…
TIMESERIES_SHEET = re.compile(r"time\s*series|historical", re.IGNORECASE)
CODE = re.compile(r"[A-Za-z]{3}")
# Rows such as 2017's 'GLOBAL AVARAGE' (sic) carry a score but no code: averages, not countries.
AGGREGATE_NAME = re.compile(r"\b(average|avarage|mean|median|global|world|total)\b", re.I)


@dataclass(frozen=True)
class Columns:
    """Where a table keeps the country's name, its code (if any) and each year's score."""

    country: int
    code: int | None
    scores: dict[int, int]  # year -> column index


@dataclass(frozen=True)
class Table:
    """The rows of the one sheet (or CSV) we read, and where its header is."""

    file: str
    sheet: str | None
    rows: Sequence[Row]
    header_index: int
    columns: Columns

    def error(self, row_index: int, reason: str) -> ParseError:
        """A ParseError naming the file, the sheet and the row as a spreadsheet numbers it."""
        where = f"sheet {self.sheet!r}: " if self.sheet else ""
        return ParseError(self.file, row_index + 1, where + reason)


def parse(body: bytes, name: str) -> Iterator[Observation]:
    """Yield one Observation per country and year with a score in a downloaded CPI file."""
    table = _read_table(body, name)
    log.debug("%s: header on row %d of %s", name, table.header_index + 1, table.sheet or "CSV")
    _check_nothing_above_the_header(table)
    seen: set[tuple[str, str, int]] = set()
    observations = []
    for index in range(table.header_index + 1, len(table.rows)):
        for observation in _row_observations(table, index):
            key = (observation.scheme, observation.country, observation.year)
            if key in seen:
                raise table.error(index, f"{observation.country} has a second score for {key[2]}")
            seen.add(key)
            observations.append(observation)
    _check_scales(table, observations)
    yield from observations


def _check_nothing_above_the_header(table: Table) -> None:
    """Refuse a header row with data above it (a row moved, a header pasted low): those
    rows would be read as titles and their countries silently lost."""
    for index in range(table.header_index):
        try:
            observations = _row_observations(table, index)
        except ParseError:
            continue  # a title row whose text falls in a score column: not data
        if observations:
            raise table.error(
                index,
                f"{observations[0].country_name or observations[0].country} has scores above "
                f"the header row (row {table.header_index + 1}): the header row is out of place",
            )


def _check_scales(table: Table, observations: list[Observation]) -> None:
    """Refuse a 0–100 year whose scores all fit the old 0–10 scale: each score passes on
    its own, but no real edition has its best country at 10 or less."""
    by_year: dict[int, list[float]] = {}
    for observation in observations:
        if observation.value is not None:
            by_year.setdefault(observation.year, []).append(observation.value)
    for year, scores in sorted(by_year.items()):
        if _scale_top(year) == 100 and len(scores) >= MIN_SCORES_FOR_SCALE and max(scores) <= 10:
            raise table.error(
                table.header_index,
                f"CPI score {year}: all {len(scores)} scores are 10 or less (highest "
                f"{max(scores):g}): the column is on the 0–10 scale, not {year}'s 0–100",
            )


# --- finding the table ---------------------------------------------------------------------


def _read_table(body: bytes, name: str) -> Table:
    if _is_workbook(body, name):
        return _workbook_table(_decrypted(body, name), name)
    return _csv_table(body, name)


def _is_workbook(body: bytes, name: str) -> bool:
    """Trust the file name's extension; sniff the magic bytes when it has none we know."""
    suffix = PurePath(name).suffix.lower()
    if suffix in {".xls", ".xlsx", ".xlsm"}:
        return True
    if suffix in {".csv", ".txt"}:
        return False
    return body.startswith((OLE_MAGIC, ZIP_MAGIC))


def _decrypted(body: bytes, name: str) -> bytes:
    """The workbook's plain bytes: TI's 2012 file is encrypted with Excel's default password."""
    if not body.startswith(OLE_MAGIC):
        return body
    import msoffcrypto

    try:
        office_file = msoffcrypto.OfficeFile(io.BytesIO(body))
        encrypted = office_file.is_encrypted()
    except Exception as exc:  # msoffcrypto raises many types on damaged or foreign OLE files
        raise ParseError(name, None, f"not a readable Excel workbook: {exc}") from exc
    if not encrypted:
        return body
    try:
        office_file.load_key(password=EXCEL_DEFAULT_PASSWORD)
        plain = io.BytesIO()
        office_file.decrypt(plain)
    except Exception as exc:
        reason = f"encrypted, and not with Excel's default password: {exc}"
        raise ParseError(name, None, reason) from exc
    log.info("%s: decrypted with Excel's default password", name)
    return plain.getvalue()


def _workbook_table(body: bytes, name: str) -> Table:
    sheets = _workbook_sheets(body, name)
    timeseries_first = sorted(sheets, key=lambda title: not TIMESERIES_SHEET.search(title))
    for title in timeseries_first:
        table = _table(name, title, sheets[title])
        if table is not None:
            return table
    raise ParseError(name, None, "no sheet has a country column and a 'CPI score YYYY' column")


def _workbook_sheets(body: bytes, name: str) -> dict[str, list[Row]]:
    """Every sheet's cell values, by title, in workbook order."""
    try:
        if body.startswith(ZIP_MAGIC):
            return xlsx_sheets(body)
        if body.startswith(OLE_MAGIC):
            return _xls_sheets(body)
    except Exception as exc:  # the readers raise many types (zip, XML, BIFF) on corrupt files
        raise ParseError(name, None, f"not a readable Excel workbook: {exc}") from exc
    raise ParseError(name, None, "not an Excel workbook (neither .xlsx nor .xls bytes)")


def _xls_sheets(body: bytes) -> dict[str, list[Row]]:
    import xlrd

    book = xlrd.open_workbook(file_contents=body, on_demand=True)
    try:
        return {
            sheet.name: [[_xls_value(cell) for cell in sheet.row(r)] for r in range(sheet.nrows)]
            for sheet in book.sheets()
        }
    finally:
        book.release_resources()


def _xls_value(cell: Any) -> object:
    """xlrd's value, except that empty cells become None and error cells their '#N/A' text
    (xlrd gives an error's internal code, which would pass for a number)."""
    import xlrd

    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#ERROR")
    return cell.value


def _csv_table(body: bytes, name: str) -> Table:
    """The CSV's table: its delimiter is the one under which a header row appears."""
    text = _decoded(body)
    for delimiter in CSV_DELIMITERS:
        try:
            rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        except csv.Error as exc:
            raise ParseError(name, None, f"not a readable CSV file: {exc}") from exc
        table = _table(name, None, rows)
        if table is not None:
            return table
    raise ParseError(name, None, "no header row with a country and a 'CPI score YYYY' column")


def _decoded(body: bytes) -> str:
    """UTF-8 (with or without BOM), as the exports are; cp1252 is what Excel on Windows writes."""
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        return body.decode("cp1252", errors="replace")


def _table(file: str, sheet: str | None, rows: Sequence[Row]) -> Table | None:
    """The table in these rows if one of the first rows is a CPI header, else None."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        labels = [_label(cell) for cell in row]
        if COUNTRY_HEADERS.isdisjoint(labels) and CODE_HEADERS.isdisjoint(labels):
            continue
        # 2013 puts 'WB Code' on a second header row, under a blank cell of the first.
        below = rows[index + 1] if index + 1 < len(rows) else []
        if _is_subheader(below, labels):
            labels = [label or _label(cell) for label, cell in zip_longest(labels, below)]
        columns = _columns(labels)
        if columns is not None:  # else a look-alike, e.g. 2011's raw 'take1' sheet: keep looking
            return Table(file, sheet, rows, index, columns)
    return None


def _is_subheader(row: Row, labels: list[str]) -> bool:
    """A second header row leaves the country cell blank (a data row names a country)."""
    country = next((i for i, label in enumerate(labels) if label in COUNTRY_HEADERS), None)
    return country is not None and not _text(_cell(row, country))


def _columns(labels: list[str]) -> Columns | None:
    country = next((i for i, label in enumerate(labels) if label in COUNTRY_HEADERS), None)
    code = next((i for i, label in enumerate(labels) if label in CODE_HEADERS), None)
    scores: dict[int, int] = {}
    for i, label in enumerate(labels):
        match = SCORE_HEADER.fullmatch(label)
        if match and int(match.group(1)) not in scores:  # a repeat is a side table
            scores[int(match.group(1))] = i
    if country is None or not scores:
        return None
    return Columns(country, code, scores)


# --- reading rows --------------------------------------------------------------------------


def _row_observations(table: Table, index: int) -> list[Observation]:
    """The row's observations; none for blank, notes, aggregate and repeated-header rows."""
    row, columns = table.rows[index], table.columns
    name = _text(_cell(row, columns.country))
    if _label(name) in COUNTRY_HEADERS:  # 2010 repeats its header as Stata names under it
        return []
    scores = {year: _score(table, index, year) for year in columns.scores}
    present = {year: value for year, value in scores.items() if value is not None}
    if not present:  # blank lines, region titles, footnotes
        return []
    code = _text(_cell(row, columns.code)) if columns.code is not None else ""
    if not code and AGGREGATE_NAME.search(name):
        return []
    scheme, country = _country(table, index, name, code)
    return [
        Observation(
            indicator_id=_indicator(year),
            country=country,
            scheme=scheme,
            year=year,
            value=value,
            country_name=name or None,
        )
        for year, value in present.items()
    ]


def _country(table: Table, index: int, name: str, code: str) -> tuple[CountryScheme, str]:
    """The code as published when there is one; the name when the file (or row) has none,
    as 2013 does for South Sudan."""
    if code:
        if not CODE.fullmatch(code):
            raise table.error(index, f"country code {code!r} is not three letters")
        return "iso3", code
    if name:
        return "name", name
    raise table.error(index, "a score with neither a country name nor a code")


def _score(table: Table, index: int, year: int) -> float | None:
    cell = _cell(table.rows[index], table.columns.scores[year])
    try:
        value = _number(cell)
    except ValueError:
        raise table.error(index, f"CPI score {year} {cell!r} is not a number") from None
    top = _scale_top(year)
    if value is not None and not 0 <= value <= top:
        raise table.error(index, f"CPI score {year} {cell!r} is outside the 0–{top:g} scale")
    return value


def _number(cell: object) -> float | None:
    """The cell as a float, reading decimal commas ('6,30'); None when blank."""
    if isinstance(cell, bool):  # an int to Python, never a score
        raise ValueError(cell)
    if isinstance(cell, int | float):
        value = float(cell)
    elif not _text(cell):
        return None
    else:
        value = float(_text(cell).replace(",", "."))
    if not math.isfinite(value):  # float() reads 'nan' and 'inf'
        raise ValueError(cell)
    return value


def _indicator(year: int) -> str:
    return "cpi_score_0_10" if year <= LAST_TEN_POINT_YEAR else "cpi_score"


def _scale_top(year: int) -> float:
    return 10.0 if year <= LAST_TEN_POINT_YEAR else 100.0


# --- cells ---------------------------------------------------------------------------------


def _cell(row: Row, column: int) -> object:
    return row[column] if column < len(row) else None


def _text(cell: object) -> str:
    return "" if cell is None else str(cell).strip()


def _label(cell: object) -> str:
    """A header cell, case- and whitespace-blind: 'CPI Score 2013 ' -> 'cpiscore2013'."""
    return re.sub(r"\s+", "", _text(cell)).lower()
