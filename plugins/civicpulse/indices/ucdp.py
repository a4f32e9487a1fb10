"""UCDP parsers: Battle-Related Deaths CSV and GED API pages, summed to country-years by GW number.

Countries are Gleditsch–Ward numbers (``scheme="gw"``), not ISO codes. The names have history in
them ("Russia (Soviet Union)", "DR Congo (Zaire)"), so they are passed on as published.

**Battle-Related Deaths (dyadic CSV): which country a dyad-year's deaths belong to.**
UCDP's BRD codebook gives each dyad-year two places:

* ``location_inc`` / ``gwno_loc``: the country or countries whose government has a primary claim to
  the issue in dispute. This is the *incompatibility's* location, not the place of the fighting.
  In v24.1 the row for the United States against al-Qaida in 2019 has ``gwno_loc`` "2" (USA) and
  ``gwno_battle`` "700" (Afghanistan).
* ``battle_location`` / ``gwno_battle``: the country or countries where the battle-related deaths
  occurred.

Rule 1: deaths go to ``gwno_battle``. ``gwno_loc`` is used only when ``gwno_battle`` is empty. In
v24.1, 60 of 1,920 rows have no country in common between the two columns.

Rule 2: when several countries are listed, ``bd_best`` is split evenly among them. UCDP does not
break BRD down by country, so any rule here is an approximation. An even split keeps the global
total (the sum over countries equals the sum of ``bd_best``) and does not depend on list order.
"First listed" would be arbitrary: ``battle_location`` is sorted alphabetically by name, and
``gwno_battle`` follows that order. ``gwno_loc`` is sorted by number, so it does *not* line up with
``location_inc``. Multi-country rows are 330 of 1,920 and carry 51% of all deaths, so the rule
matters. Its known distortion: Russia–Ukraine 2022 (91,723 deaths, fought in "Poland, Russia,
Ukraine") gives Poland 30,574.3. Where geography matters, use the GED
(``ucdp_ged_deaths``), which places each event in one country.

``country_name`` is the matching name from ``battle_location``, which lines up with
``gwno_battle``. In the ``gwno_loc`` fallback, a name is given only for a single country, because
that pair of columns does not line up.

BRD counts only state-based conflict. GED sums cover all three types of violence (state-based,
non-state, one-sided), so the two indicators differ by design.

**GED API pages.** Each page is summed on its own. A country-year can span pages, so the caller must
*add up* the page sums per (country, year) and must not overwrite earlier sums with later ones.

Rows are counted the way a spreadsheet counts them: the CSV header is row 1. A JSON event is named
``Result[i]`` (0-based).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from fractions import Fraction

from civicpulse.indices.observations import Observation, ParseError
from civicpulse.indices.reading import csv_rows, load_json, whole_number

log = logging.getLogger(__name__)

BATTLE_DEATHS_INDICATOR = "ucdp_battle_deaths"
GED_INDICATOR = "ucdp_ged_deaths"
BATTLE_DEATHS_COLUMNS = (
    "year",
    "bd_best",
    "gwno_loc",
    "gwno_battle",
    "location_inc",
    "battle_location",
)
GED_FIELDS = ("country_id", "year", "best")

CountryYear = tuple[str, int]


def parse_battle_deaths_csv(body: bytes, name: str) -> Iterator[Observation]:
    """Yield country-year sums of ``bd_best``, placed by the rules in the module docstring."""
    totals: dict[CountryYear, Fraction] = {}
    names: dict[CountryYear, str | None] = {}
    for row_number, row in csv_rows(body, name, BATTLE_DEATHS_COLUMNS):
        year = whole_number(row["year"], name, row_number, "year")
        deaths = whole_number(row["bd_best"], name, row_number, "bd_best")
        places = _battle_places(row, name, row_number)
        share = Fraction(deaths, len(places))
        for code, country_name in places:
            key = (code, year)
            totals[key] = totals.get(key, Fraction(0)) + share
            if names.get(key) is None:
                names[key] = country_name
    log.debug("%s: %d country-years", name, len(totals))
    for code, year in sorted(totals, key=_country_year_order):
        yield Observation(
            indicator_id=BATTLE_DEATHS_INDICATOR,
            country=code,
            scheme="gw",
            year=year,
            value=float(totals[code, year]),
            country_name=names[code, year],
        )


def parse_ged_api_page(body: bytes, name: str) -> tuple[list[Observation], str | None]:
    """Sum one GED API page's ``best`` by country and year, and return the page's ``NextPageUrl``.

    Also accepts a bare list of ``Result`` rows (no envelope), which has no next page. The sums
    cover this page only. The caller adds them up per (country, year) across pages.
    """
    payload = load_json(body, name)
    next_url: str | None = None
    if isinstance(payload, dict):
        missing = [key for key in ("Result", "NextPageUrl") if key not in payload]
        if missing:
            raise ParseError(name, None, f"not a GED API page: no {', '.join(missing)}")
        rows, next_value = payload["Result"], payload["NextPageUrl"]
        if next_value is not None and not isinstance(next_value, str):
            raise ParseError(name, None, f"NextPageUrl is not a string: {next_value!r}")
        next_url = next_value or None
    else:
        rows = payload
    if not isinstance(rows, list):
        raise ParseError(name, None, f"Result is not a list but {type(rows).__name__}")

    totals: dict[CountryYear, int] = {}
    names: dict[CountryYear, str | None] = {}
    for index, event in enumerate(rows):
        where = f"Result[{index}]"
        if not isinstance(event, dict):
            raise ParseError(name, where, f"not an object but {type(event).__name__}")
        missing = [field for field in GED_FIELDS if field not in event]
        if missing:
            raise ParseError(name, where, f"missing field(s) {', '.join(missing)}")
        key = (
            str(whole_number(event["country_id"], name, where, "country_id")),
            whole_number(event["year"], name, where, "year"),
        )
        totals[key] = totals.get(key, 0) + whole_number(event["best"], name, where, "best")
        country = event.get("country")
        if names.get(key) is None:
            names[key] = country if isinstance(country, str) and country else None
    observations = [
        Observation(
            indicator_id=GED_INDICATOR,
            country=code,
            scheme="gw",
            year=year,
            value=float(totals[code, year]),
            country_name=names[code, year],
        )
        for code, year in sorted(totals, key=_country_year_order)
    ]
    return observations, next_url


def _battle_places(row: dict[str, str], name: str, row_number: int) -> list[tuple[str, str | None]]:
    """Where a dyad-year's deaths happened, as (GW code, name) pairs (module docstring)."""
    codes = _gw_codes(row["gwno_battle"], name, row_number, "gwno_battle")
    if codes:
        labels: Sequence[str | None] = _names(row["battle_location"], len(codes))
    else:
        codes = _gw_codes(row["gwno_loc"], name, row_number, "gwno_loc")
        if not codes:
            raise ParseError(name, row_number, "no country in gwno_battle or gwno_loc")
        # gwno_loc is in numeric order, location_inc in alphabetical: only a single one pairs.
        labels = _names(row["location_inc"], 1) if len(codes) == 1 else [None] * len(codes)
    places: dict[str, str | None] = {}
    for code, label in zip(codes, labels, strict=True):
        places.setdefault(code, label)  # a repeated code must not get two shares
    return list(places.items())


def _names(cell: str, count: int) -> Sequence[str | None]:
    parts: list[str | None] = [part.strip() or None for part in cell.split(",")]
    # A name with a comma in it would shift the pairing, so a count mismatch gives no names.
    return parts if len(parts) == count else [None] * count


def _gw_codes(cell: str, name: str, row_number: int, column: str) -> list[str]:
    codes = [part.strip() for part in cell.split(",") if part.strip()]
    for code in codes:
        if not code.isdecimal():
            raise ParseError(name, row_number, f"{column} is not a list of GW numbers: {cell!r}")
    return [str(int(code)) for code in codes]


def _country_year_order(key: CountryYear) -> tuple[int, int]:
    code, year = key
    return year, int(code)
