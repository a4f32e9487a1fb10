"""What every index parser yields: one value of one indicator for one country and year, with
the country exactly as the file names it (mapping to ISO3 happens later, in one place)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

CountryScheme = Literal["iso3", "iso2", "iso_numeric", "gw", "name"]


@dataclass(frozen=True)
class Observation:
    indicator_id: str  # our id, e.g. "cpi_score", "hdi", "fsi_total": see dim_indicators
    country: str  # as published: a code of `scheme`, or a name
    scheme: CountryScheme
    year: int
    value: float | None  # None: the file has the cell, empty
    country_name: str | None = None  # the file's name for the country, when it gives one


class ParseError(ValueError):
    """A file cannot be read as its format; the message names the file, the row and why."""

    def __init__(self, file: str, row: int | str | None, reason: str) -> None:
        where = f"{file}, row {row}" if row is not None else file
        super().__init__(f"{where}: {reason}")
        self.file, self.row, self.reason = file, row, reason
