"""Reading helpers the tabular and JSON parsers share: CSV rows numbered as a spreadsheet
numbers them (the header is row 1), every sheet of an xlsx workbook, JSON, and whole numbers,
each failing as a `ParseError` that names the file and row."""

from __future__ import annotations

import csv
import io
import json
import warnings
from collections.abc import Iterator, Sequence
from typing import Any

from civicpulse.indices.observations import ParseError


def whole_number(value: Any, name: str, row: int | str, column: str) -> int:
    """A count, year or code: a non-negative whole number, as int or as digits in a string."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.strip().removeprefix("-").isdecimal():
        number = int(value)
    else:
        raise ParseError(name, row, f"{column} is not a whole number: {value!r}")
    if number < 0:
        raise ParseError(name, row, f"{column} is negative: {value!r}")
    return number


def load_json(body: bytes, name: str) -> Any:
    """The JSON in `body`, or a ParseError naming the file."""
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ParseError(name, None, f"not readable as JSON: {error}") from error


def csv_rows(
    body: bytes, name: str, required: Sequence[str]
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (row number, row) with the header as row 1. Missing columns and ragged rows raise."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ParseError(name, None, f"not UTF-8: {error}") from error
    reader = csv.reader(io.StringIO(text, newline=""))
    row_number = 0  # the last row read whole; a CSV error is in the next one
    try:
        header = next(reader, None)
        if header is None:
            raise ParseError(name, 1, "empty file: no header row")
        row_number = 1
        header = [column.strip() for column in header]
        missing = [column for column in required if column not in header]
        if missing:
            raise ParseError(
                name, 1, f"missing column(s) {', '.join(missing)} (header starts {header[:5]})"
            )
        for row_number, cells in enumerate(reader, start=2):
            if not cells:
                continue
            if len(cells) != len(header):
                raise ParseError(
                    name, row_number, f"{len(cells)} fields where the header has {len(header)}"
                )
            yield row_number, dict(zip(header, cells, strict=True))
    except csv.Error as error:
        raise ParseError(name, row_number + 1, f"not readable as CSV: {error}") from error


def xlsx_sheets(body: bytes) -> dict[str, list[Sequence[object]]]:
    """Every sheet's cell values (cached formula results), by title, in workbook order.
    Raises whatever openpyxl raises: callers name the file in their `ParseError`."""
    import openpyxl

    with warnings.catch_warnings():
        # conditional formatting and data validation are styling, not data
        warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
        workbook = openpyxl.load_workbook(io.BytesIO(body), read_only=True, data_only=True)
        try:
            sheets = {}
            for worksheet in workbook.worksheets:
                worksheet.reset_dimensions()  # a stale stored size would cut rows short
                sheets[worksheet.title] = list(worksheet.iter_rows(values_only=True))
            return sheets
        finally:
            workbook.close()
