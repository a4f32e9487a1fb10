"""Fragile States Index workbooks: each published year in, total and component scores out.

Expected values were read from the raw sheets with openpyxl, not from the parser."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from typing import Any

import openpyxl
import pytest

from civicpulse.indices.fsi import parse
from civicpulse.indices.observations import Observation, ParseError
from tests.conftest import FIXTURES

FOLDER = FIXTURES / "indices" / "fsi"
COMPONENTS = {"C1", "C2", "C3", "E1", "E2", "E3", "P1", "P2", "P3", "S1", "S2", "X1"}
INDICATORS = {"fsi_total"} | {f"fsi_{code.lower()}" for code in COMPONENTS}


@dataclass(frozen=True)
class Year:
    file: str
    year: int
    countries: int
    names: set[str]  # as this year spells them
    not_names: set[str]  # spellings of other years
    norway: tuple[float, float, float]  # Total, C1, X1


YEARS = [
    Year(
        "fsi-2006.xlsx",
        2006,
        146,
        {"Israel and West Bank", "Serbia", "Macedonia", "Cote d'Ivoire", "Norway"},
        {"Swaziland", "Eswatini", "Israel", "Palestine"},
        (16.8, 1.0, 1.0),
    ),
    Year(
        "fsi-2018.xlsx",
        2018,
        178,
        {"Israel and West Bank", "Swaziland", "Macedonia", "Cote d'Ivoire"},
        {"Eswatini", "Israel", "Palestine", "North Macedonia"},
        (18.25872156828166, 1.8, 1.1),
    ),
    Year(
        "fsi-2021.xlsx",
        2021,
        179,
        {"Israel", "Palestine", "Eswatini", "North Macedonia", "Cote d'Ivoire"},
        {"Israel and West Bank", "Swaziland", "Macedonia"},
        (16.6, 1.8, 0.5),
    ),
    Year(
        "fsi-2022-download.xlsx",
        2022,
        179,
        {"Israel", "Palestine", "Swaziland", "North Macedonia", "Côte d'Ivoire"},
        {"Israel and West Bank", "Eswatini", "Cote d'Ivoire"},
        (15.6, 1.5, 0.3),
    ),
    Year(
        "FSI-2023-DOWNLOAD.xlsx",
        2023,
        179,
        {"Israel", "Palestine", "Swaziland", "Macedonia", "Cote d'Ivoire"},
        {"Israel and West Bank", "Eswatini", "North Macedonia"},
        (14.5, 1.4, 0.5),
    ),
]


def read(file: str) -> list[Observation]:
    return list(parse((FOLDER / file).read_bytes(), file))


def scores(observations: list[Observation], country: str) -> dict[str, float | None]:
    return {o.indicator_id: o.value for o in observations if o.country == country}


def edited(file: str, edit: Callable[[Any], None]) -> bytes:
    """A published workbook with one edit, saved again."""
    workbook = openpyxl.load_workbook(FOLDER / file)
    edit(workbook)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("expected", YEARS, ids=[year.file for year in YEARS])
def test_published_year(expected: Year) -> None:
    observations = read(expected.file)
    countries = {o.country for o in observations}
    assert len(countries) == expected.countries
    assert {o.year for o in observations} == {expected.year}  # Excel dates and ints alike
    assert {o.scheme for o in observations} == {"name"}
    assert {o.indicator_id for o in observations} == INDICATORS
    assert len(observations) == expected.countries * len(INDICATORS)
    assert expected.names <= countries
    assert not expected.not_names & countries
    assert all(o.country == o.country.strip() == o.country_name for o in observations)
    norway = scores(observations, "Norway")
    assert (norway["fsi_total"], norway["fsi_c1"], norway["fsi_x1"]) == pytest.approx(
        expected.norway, abs=1e-6
    )


@pytest.mark.parametrize("expected", YEARS, ids=[year.file for year in YEARS])
def test_scores_are_on_their_scales(expected: Year) -> None:
    for o in read(expected.file):
        assert o.value is not None
        assert 0 <= o.value <= (120 if o.indicator_id == "fsi_total" else 10)


def test_2023_components_are_mapped_by_code_not_position() -> None:
    # 2023 puts S1 where C1 used to be: Somalia's row reads S1 10, …, C1 9.5, C2 10, X1 9.1
    somalia = scores(read("FSI-2023-DOWNLOAD.xlsx"), "Somalia")
    assert (somalia["fsi_s1"], somalia["fsi_c1"], somalia["fsi_x1"]) == (10, 9.5, 9.1)
    assert (somalia["fsi_e3"], somalia["fsi_e1"], somalia["fsi_c3"]) == (8.6, 9.5, 8.7)


def test_float_noise_is_rounded_away() -> None:
    assert scores(read("FSI-2023-DOWNLOAD.xlsx"), "Somalia")["fsi_total"] == 111.9  # 111.8999…
    assert scores(read("fsi-2022-download.xlsx"), "Norway")["fsi_total"] == 15.6  # 15.6000…01


def test_2018_keeps_its_unrounded_scores() -> None:
    somalia = scores(read("fsi-2018.xlsx"), "Somalia")
    assert somalia["fsi_total"] == pytest.approx(113.20079608219345, abs=1e-6)
    assert somalia["fsi_x1"] == pytest.approx(9.08175150962284, abs=1e-6)


def test_padded_names_are_stripped() -> None:
    countries = {o.country for o in read("fsi-2006.xlsx")}
    assert {"Serbia", "Norway", "Sri Lanka"} <= countries  # "Serbia  ", "Norway ", "Sri Lanka "


def test_the_data_sheet_is_found_behind_another() -> None:
    def add_cover(workbook: Any) -> None:
        cover = workbook.create_sheet("About", 0)
        cover.append(["Fragile States Index 2021"])
        cover.append(["Country", "Notes"])

    body = edited("fsi-2021.xlsx", add_cover)
    assert list(parse(body, "fsi-2021.xlsx")) == read("fsi-2021.xlsx")


def test_a_score_off_the_scale_names_its_row() -> None:
    def break_norway(workbook: Any) -> None:
        sheet = workbook.worksheets[0]
        [row] = [row for row in sheet.iter_rows(min_row=2) if row[0].value == "Norway"]
        row[15].value = 10.5  # X1
        assert row[0].row == 179

    with pytest.raises(ParseError, match=r"fsi-2021.xlsx, row 179: score 10.5 is outside 0-10"):
        list(parse(edited("fsi-2021.xlsx", break_norway), "fsi-2021.xlsx"))


def test_a_sheet_without_total_is_an_error() -> None:
    def rename_total(workbook: Any) -> None:
        workbook.worksheets[0]["D1"] = "Score"

    with pytest.raises(ParseError, match="fsi-2021.xlsx: no sheet has Country, Year and Total"):
        list(parse(edited("fsi-2021.xlsx", rename_total), "fsi-2021.xlsx"))


def test_garbage_names_the_file() -> None:
    with pytest.raises(ParseError, match="^garbage.xlsx: not an xlsx workbook"):
        list(parse(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "garbage.xlsx"))
