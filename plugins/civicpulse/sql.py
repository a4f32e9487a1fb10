"""Read-only SQL on the warehouse for analysts: a table on the terminal, or CSV, JSON or
Parquet. The connection is read-only, so a query never blocks the nightly build."""

from __future__ import annotations

import csv
import json
import logging
import sys
from decimal import Decimal
from pathlib import Path
from typing import TextIO

log = logging.getLogger(__name__)

FORMATS = ("table", "csv", "json", "parquet")


class QueryError(ValueError):
    """The warehouse is missing, or the SQL is not valid; the message says which."""


def run_query(
    sql: str,
    warehouse: Path,
    fmt: str = "table",
    output: Path | None = None,
    out: TextIO = sys.stdout,
    params: dict[str, object] | None = None,
) -> int:
    """Run `sql` (with named `params`, if any) read-only on `warehouse` and write the result
    in `fmt`; the row count."""
    import duckdb

    if not warehouse.exists():
        raise QueryError(
            f"no warehouse at {warehouse}: build it first (`make demo`, or the build_warehouse DAG)"
        )
    if fmt == "parquet" and output is None:
        raise QueryError("--format parquet writes a file: name it with --output")
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        try:
            relation = connection.sql(sql, params=params)
        except duckdb.Error as error:
            raise QueryError(f"SQL error: {error}") from None
        if relation is None:
            raise QueryError("the SQL returns no rows (only queries are allowed)")
        try:
            if fmt == "parquet":
                assert output is not None
                relation.write_parquet(str(output))
                (count,) = connection.sql(f"select count(*) from '{output}'").fetchall()[0]
                return int(count)
            columns, rows = relation.columns, relation.fetchall()
        except duckdb.Error as error:
            raise QueryError(f"SQL error: {error}") from None
    if fmt == "table":
        out.write(_table(columns, rows))
    elif fmt == "csv":
        writer = csv.writer(out)
        writer.writerow(columns)
        writer.writerows(rows)
    else:
        records = [dict(zip(columns, row, strict=True)) for row in rows]
        out.write(json.dumps(records, default=_json_value, ensure_ascii=False))
        out.write("\n")
    return len(rows)


def _table(columns: list[str], rows: list[tuple[object, ...]]) -> str:
    """A plain aligned table: readable in a terminal and in a README."""
    cells = [columns, *[[_cell(value) for value in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(columns))]
    lines = [
        "  ".join(value.ljust(width) for value, width in zip(row, widths, strict=True)).rstrip()
        for row in cells
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _json_value(value: object) -> object:
    """Decimals as numbers; dates, timestamps and the rest as text."""
    return float(value) if isinstance(value, Decimal) else str(value)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):  # whole numbers whole, scores to four significant digits
        if value.is_integer():
            return f"{value:,.0f}"
        return f"{value:.4g}" if abs(value) < 1000 else f"{value:,.1f}"
    return str(value)
