"""UNDP HDR composite indices: the published cp1252 CSV in, HDI and GII observations out.

Expected values were read from the raw file with the csv module, not from the parser."""

from __future__ import annotations

import csv
import io

import pytest

from civicpulse.indices.observations import Observation, ParseError
from civicpulse.indices.undp_hdr import parse
from tests.conftest import FIXTURES

NAME = "HDR23-24_Composite_indices_complete_time_series.csv"
BODY = (FIXTURES / "indices" / "undp_hdr" / NAME).read_bytes()


@pytest.fixture(scope="module")
def observations() -> list[Observation]:
    return list(parse(BODY, NAME))


def value_of(observations: list[Observation], indicator: str, iso3: str, year: int) -> float:
    [value] = [
        o.value
        for o in observations
        if (o.indicator_id, o.country, o.year) == (indicator, iso3, year)
    ]
    assert value is not None
    return value


def with_cell(iso3: str, column: str, value: str) -> bytes:
    """The published file with one cell changed, re-encoded as published."""
    rows = list(csv.reader(io.StringIO(BODY.decode("cp1252"), newline="")))
    position = rows[0].index(column)
    next(row for row in rows if row[0] == iso3)[position] = value
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    return text.getvalue().encode("cp1252")


def test_countries_are_the_195_rows_before_the_aggregates(observations: list[Observation]) -> None:
    population = list(parse(BODY, NAME, indicators=("pop_total",)))
    assert len({o.country for o in population}) == 195
    assert not [o for o in population if o.country.startswith("ZZ")]
    # North Korea and Monaco have neither an HDI nor a GII in any year
    assert len({o.country for o in observations}) == 193
    assert {o.scheme for o in observations} == {"iso3"}
    assert {len(o.country) for o in observations} == {3}


def test_hdi_and_gii_per_year(observations: list[Observation]) -> None:
    hdi = [o for o in observations if o.indicator_id == "hdi"]
    gii = [o for o in observations if o.indicator_id == "gii"]
    assert {o.indicator_id for o in observations} == {"hdi", "gii"}
    assert {o.year for o in hdi} == set(range(1990, 2023))
    assert (len(hdi), len({o.country for o in hdi})) == (5808, 193)
    assert (len(gii), len({o.country for o in gii})) == (4405, 166)


def test_empty_cells_are_left_out(observations: list[Observation]) -> None:
    assert not [o for o in observations if o.value is None]
    assert {"PRK", "MCO"}.isdisjoint(o.country for o in observations if o.indicator_id == "hdi")


def test_norway(observations: list[Observation]) -> None:
    assert value_of(observations, "hdi", "NOR", 2022) == 0.966
    assert value_of(observations, "hdi", "NOR", 1990) == 0.845
    assert value_of(observations, "gii", "NOR", 2022) == 0.012
    assert value_of(observations, "gii", "NOR", 1990) == 0.129


def test_names_are_decoded_from_cp1252(observations: list[Observation]) -> None:
    names = {o.country: o.country_name for o in observations}
    assert names["CIV"] == "Côte d'Ivoire"
    assert names["TUR"] == "Türkiye"
    assert names["NOR"] == "Norway"


def test_a_utf8_copy_reads_the_same(observations: list[Observation]) -> None:
    utf8 = BODY.decode("cp1252").encode("utf-8")
    assert list(parse(utf8, NAME)) == observations


def test_an_indicator_takes_only_its_own_columns() -> None:
    hdi = list(parse(BODY, NAME, indicators=("hdi",)))
    assert {o.indicator_id for o in hdi} == {"hdi"}
    assert len(hdi) == 5808  # not hdi_f_*, hdi_m_* or hdi_rank_2022
    female = list(parse(BODY, NAME, indicators=("hdi_f",)))
    assert value_of(female, "hdi_f", "NOR", 2022) == 0.957147512


def test_a_value_off_the_scale_names_its_row() -> None:
    norway_line = 1 + BODY.split(b"\r\n").index(
        next(line for line in BODY.split(b"\r\n") if line.startswith(b"NOR,"))
    )
    with pytest.raises(ParseError, match=rf"{NAME}, row {norway_line}: hdi_2022 is 1.966"):
        list(parse(with_cell("NOR", "hdi_2022", "1.966"), NAME))


def test_a_missing_iso3_column_is_an_error() -> None:
    with pytest.raises(ParseError, match=f"{NAME}, row 1: no iso3 column"):
        list(parse(BODY.replace(b"iso3,", b"code,", 1), NAME))


def test_a_missing_indicator_is_an_error() -> None:
    with pytest.raises(ParseError, match="no gini_<year> columns"):
        list(parse(BODY, NAME, indicators=("hdi", "gini")))


@pytest.mark.parametrize(
    "garbage",
    [b"\x89PNG\r\n\x1a\n\x00\x81\x8d\x8f\x90\x9d", b"<!DOCTYPE html><html><body>Not found</body>"],
    ids=["binary", "html"],
)
def test_garbage_names_the_file(garbage: bytes) -> None:
    with pytest.raises(ParseError, match="^garbage.csv"):
        list(parse(garbage, "garbage.csv"))
