"""The CPI parser on every published layout we hold, 2010–2024.

The expected numbers were read from the raw files with pandas, with each file's sheet and header
row written out by hand (not with the parser): scores per year, Denmark, Somalia and Kosovo.
"""

from __future__ import annotations

import io
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import msoffcrypto
import openpyxl
import pytest
import xlrd
from msoffcrypto.format.ooxml import OOXMLFile

from civicpulse.indices.cpi import parse
from civicpulse.indices.observations import Observation, ParseError

FIXTURES = Path(__file__).parents[1] / "fixtures" / "indices" / "cpi"

# Countries scored per year in a timeseries from the 2018 release on (2017's sheet still has
# Puerto Rico for 2012–2014, which later releases dropped).
TIMESERIES_COUNTS = {2012: 175, 2013: 176, 2014: 174, 2015: 168, 2016: 176} | {
    year: 180 for year in range(2017, 2025)
}
DENMARK = {2010: 9.3, 2011: 9.39208, 2012: 90, 2013: 91, 2014: 92, 2015: 91, 2016: 90}
DENMARK |= {2017: 88, 2018: 88, 2019: 87, 2020: 88, 2021: 88, 2022: 90, 2023: 90, 2024: 90}
SOMALIA = {2010: 1.1, 2011: 0.9834057, 2012: 8, 2013: 8, 2014: 8, 2015: 8, 2016: 10}
SOMALIA |= {2017: 9, 2018: 10, 2019: 9, 2020: 12, 2021: 13, 2022: 12, 2023: 11, 2024: 9}
KOSOVO = {2010: 2.8, 2011: 2.851413, 2012: 34, 2013: 33, 2014: 33, 2015: 33, 2016: 36}
KOSOVO |= {2017: 39, 2018: 37, 2019: 36, 2020: 36, 2021: 39, 2022: 41, 2023: 41, 2024: 44}


@dataclass(frozen=True)
class Sample:
    file: str
    counts: dict[int, int]  # scores per year
    codes: bool  # the file has an ISO3-like column
    kosovo: str  # Kosovo's code as published, or its name
    names_without_code: set[str] = field(default_factory=set)
    denmark: str = "DNK"
    somalia: str = "SOM"


def _timeseries(first: int, last: int) -> dict[int, int]:
    return {year: TIMESERIES_COUNTS[year] for year in range(first, last + 1)}


def _names_only(file: str, year: int, count: int) -> Sample:
    return Sample(file, {year: count}, False, "Kosovo", set(), "Denmark", "Somalia")


SAMPLES = [
    _names_only("CPI2010_results_pls_standardized_data.xls", 2010, 178),
    _names_only("CPI2011_Results.xls", 2011, 183),
    _names_only("CPI2012_Results.xls", 2012, 176),
    Sample("CPI2013_GLOBAL_WithDataSourceScores.xls", {2013: 177}, True, "LWI", {"South Sudan"}),
    Sample("CPI 2014_FullDataSet.xlsx", {2014: 175}, True, "LWI"),
    Sample("CPI_2015_FullDataSet.xlsx", {2015: 168}, True, "LWI"),
    Sample("CPI2016_FullDataSetWithRegionalTables.xlsx", {2016: 176}, True, "LWI"),
    Sample(
        "CPI2017_Full_DataSet_.xlsx",
        _timeseries(2012, 2017) | {2012: 176, 2013: 177, 2014: 175},
        True,
        "KSV",
    ),
    Sample("2018_CPI_FullDataSet.xlsx", _timeseries(2012, 2018), True, "KSV"),
    Sample("2019_CPI_RESULTS (2).xlsx", _timeseries(2012, 2019), True, "KSV"),
    Sample("CPI2022_GlobalResultsTrends.xlsx", _timeseries(2012, 2022), True, "KSV"),
    Sample("CPI2022_GlobalResultsTrends.csv", _timeseries(2012, 2022), True, "KSV"),
    Sample("CPI2023_GlobalResultsTrends.csv", _timeseries(2012, 2023), True, "KSV"),
    Sample("CPI2024_GlobalResultsTrends.csv", _timeseries(2012, 2024), True, "KSV"),
]


def _parsed(file: str) -> list[Observation]:
    return list(parse((FIXTURES / file).read_bytes(), file))


def _by_country(observations: list[Observation], country: str) -> dict[int, float | None]:
    return {o.year: o.value for o in observations if o.country == country}


@pytest.fixture(scope="module", params=SAMPLES, ids=lambda sample: sample.file)
def sample(request: pytest.FixtureRequest) -> tuple[Sample, list[Observation]]:
    return request.param, _parsed(request.param.file)


def test_scores_per_year(sample: tuple[Sample, list[Observation]]) -> None:
    expected, observations = sample
    assert Counter(o.year for o in observations) == expected.counts


def test_denmark_and_somalia(sample: tuple[Sample, list[Observation]]) -> None:
    expected, observations = sample
    years = expected.counts.keys()
    assert _by_country(observations, expected.denmark) == {y: DENMARK[y] for y in years}
    assert _by_country(observations, expected.somalia) == {y: SOMALIA[y] for y in years}


def test_kosovo_as_published(sample: tuple[Sample, list[Observation]]) -> None:
    expected, observations = sample
    kosovo = [o for o in observations if o.country_name == "Kosovo"]
    assert {o.country for o in kosovo} == {expected.kosovo}
    assert {o.year: o.value for o in kosovo} == {y: KOSOVO[y] for y in expected.counts}


def test_scheme_follows_the_code_column(sample: tuple[Sample, list[Observation]]) -> None:
    expected, observations = sample
    by_name = {o.country for o in observations if o.scheme == "name"}
    if expected.codes:
        assert by_name == expected.names_without_code
        assert all(len(o.country) == 3 for o in observations if o.scheme == "iso3")
    else:
        assert {o.scheme for o in observations} == {"name"}
        assert all(o.country == o.country_name for o in observations)


def test_indicator_and_scale_follow_the_year(sample: tuple[Sample, list[Observation]]) -> None:
    _, observations = sample
    for o in observations:
        indicator, top = ("cpi_score_0_10", 10) if o.year <= 2011 else ("cpi_score", 100)
        assert o.indicator_id == indicator
        assert o.value is not None and 0 <= o.value <= top


def test_one_stripped_name_per_country_and_year(sample: tuple[Sample, list[Observation]]) -> None:
    _, observations = sample
    keys = Counter((o.country, o.year) for o in observations)
    assert max(keys.values()) == 1
    assert all(o.country_name and o.country_name == o.country_name.strip() for o in observations)


# --- particular files ----------------------------------------------------------------------


def test_2011_keeps_unrounded_scores() -> None:
    assert _by_country(_parsed("CPI2011_Results.xls"), "New Zealand") == {2011: 9.462681}


def test_2012_file_is_encrypted_and_opens() -> None:
    body = (FIXTURES / "CPI2012_Results.xls").read_bytes()
    assert msoffcrypto.OfficeFile(io.BytesIO(body)).is_encrypted()
    with pytest.raises(xlrd.XLRDError, match="encrypted"):
        xlrd.open_workbook(file_contents=body)
    assert len(list(parse(body, "CPI2012_Results.xls"))) == 176


def test_encryption_and_format_are_sniffed_when_the_name_says_nothing() -> None:
    body = (FIXTURES / "CPI2012_Results.xls").read_bytes()
    assert list(parse(body, "download")) == _parsed("CPI2012_Results.xls")
    xlsx = (FIXTURES / "2019_CPI_RESULTS (2).xlsx").read_bytes()
    assert list(parse(xlsx, "download")) == _parsed("2019_CPI_RESULTS (2).xlsx")


def test_encrypted_xlsx_with_excels_default_password_opens() -> None:
    plain = (FIXTURES / "CPI_2015_FullDataSet.xlsx").read_bytes()
    encrypted = io.BytesIO()
    OOXMLFile(io.BytesIO(plain)).encrypt("VelvetSweatshop", encrypted)
    observations = list(parse(encrypted.getvalue(), "CPI_2015_FullDataSet.xlsx"))
    assert observations == _parsed("CPI_2015_FullDataSet.xlsx")


def test_other_password_is_a_parse_error() -> None:
    plain = (FIXTURES / "CPI_2015_FullDataSet.xlsx").read_bytes()
    encrypted = io.BytesIO()
    OOXMLFile(io.BytesIO(plain)).encrypt("secret", encrypted)
    with pytest.raises(ParseError, match=r"^locked\.xlsx: encrypted"):
        list(parse(encrypted.getvalue(), "locked.xlsx"))


def test_2013_country_without_code_falls_back_to_its_name() -> None:
    observations = _parsed("CPI2013_GLOBAL_WithDataSourceScores.xls")
    south_sudan = [o for o in observations if o.country_name == "South Sudan"]
    assert south_sudan == [Observation("cpi_score", "South Sudan", "name", 2013, 14, "South Sudan")]


def test_2017_main_sheet_skips_the_global_average() -> None:
    """Without its timeseries sheet, 2017 is read from 'CPI 2017', whose last row is
    'GLOBAL AVARAGE' (sic) with a score and no ISO3."""
    with warnings.catch_warnings():  # the workbook's conditional formatting: not data
        warnings.simplefilter("ignore", UserWarning)
        # data_only: the average is a formula; saving keeps its cached value only this way.
        workbook = openpyxl.load_workbook(FIXTURES / "CPI2017_Full_DataSet_.xlsx", data_only=True)
    del workbook["CPI historical data 2012-2017"]
    body = io.BytesIO()
    workbook.save(body)
    observations = list(parse(body.getvalue(), "CPI2017_Full_DataSet_.xlsx"))
    assert Counter(o.year for o in observations) == {2017: 180}
    assert {o.scheme for o in observations} == {"iso3"}
    assert _by_country(observations, "DNK") == {2017: 88}


def test_2022_workbook_and_csv_export_agree() -> None:
    def values(file: str) -> set[tuple[str, int, float | None]]:
        return {(o.country, o.year, o.value) for o in _parsed(file)}

    assert values("CPI2022_GlobalResultsTrends.xlsx") == values("CPI2022_GlobalResultsTrends.csv")


def test_2024_csv_keeps_the_exporters_name() -> None:
    # The exporter replaced every ',' with ';', names too: "Korea, North" became "Korea; North".
    observations = _parsed("CPI2024_GlobalResultsTrends.csv")
    assert {o.country_name for o in observations if o.country == "PRK"} == {"Korea; North"}


# --- small CSVs: decimal commas, skipped rows, errors ----------------------------------------

HEADER = "Country / Territory;ISO3;Region;CPI score 2011;CPI Score 2012\n"


def _csv(*lines: str) -> bytes:
    return ("\ufeffCorruption Perceptions Index\n\n" + HEADER + "".join(lines)).encode()


def test_decimal_commas() -> None:
    observations = list(parse(_csv("Chile;CHL;AME;7,21;72\n"), "x.csv"))
    assert observations == [
        Observation("cpi_score_0_10", "CHL", "iso3", 2011, 7.21, "Chile"),
        Observation("cpi_score", "CHL", "iso3", 2012, 72.0, "Chile"),
    ]


def test_comma_separated_with_quoted_decimal_comma() -> None:
    body = b'Country,ISO3,CPI score 2011\n"Korea, North",PRK,"1,0"\n'
    assert list(parse(body, "x.csv")) == [
        Observation("cpi_score_0_10", "PRK", "iso3", 2011, 1.0, "Korea, North")
    ]


def test_bom_right_before_the_header() -> None:
    body = "\ufeffCountry;ISO3;CPI score 2024\nChile;CHL;63\n".encode()
    assert list(parse(body, "x.csv")) == [
        Observation("cpi_score", "CHL", "iso3", 2024, 63, "Chile")
    ]


def test_rows_without_scores_are_skipped() -> None:
    body = _csv(";;;;\n", "Americas;;;;\n", "Chile; CHL ;AME;;72\n", "Source: TI 2012;;;;\n")
    assert list(parse(body, "x.csv")) == [
        Observation("cpi_score", "CHL", "iso3", 2012, 72.0, "Chile")
    ]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Chile;CHL;AME;72;\n", "CPI score 2011 '72' is outside the 0–10 scale"),
        ("Chile;CHL;AME;;101\n", "CPI score 2012 '101' is outside the 0–100 scale"),
        ("Chile;CHL;AME;;n/a\n", "CPI score 2012 'n/a' is not a number"),
        ("Chile;CL;AME;;72\n", "country code 'CL' is not three letters"),
        (";;AME;;72\n", "a score with neither a country name nor a code"),
        ("Chile;CHL;AME;;72\nChile;CHL;AME;;73\n", "CHL has a second score for 2012"),
    ],
)
def test_unreadable_rows_name_file_and_row(line: str, reason: str) -> None:
    with pytest.raises(ParseError) as error:
        list(parse(_csv("Peru;PER;AME;;36\n", line), "cpi.csv"))
    assert error.value.file == "cpi.csv"
    assert error.value.row == 4 + line.count("\n")  # title, blank, header, Peru, then ours
    assert str(error.value).endswith(reason)


def _truncated_xlsx() -> bytes:
    return (FIXTURES / "2018_CPI_FullDataSet.xlsx").read_bytes()[:5000]


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("CPI2019.xlsx", b"this is not a workbook"),
        ("CPI2019.xlsx", _truncated_xlsx()),
        ("CPI2012.xls", (FIXTURES / "CPI2012_Results.xls").read_bytes()[:4096]),
        ("CPI2019.xls", b"<html><body>404 Not Found</body></html>"),
        ("CPI2019.csv", b"\x00\xff\xfe garbage \x81\x8d\r\n\x00"),
        ("CPI2019.csv", b""),
        ("download", b"Country;Score\nChile;72\n"),
    ],
)
def test_garbage_is_a_parse_error_naming_the_file(name: str, body: bytes) -> None:
    with pytest.raises(ParseError, match=f"^{name}: "):
        list(parse(body, name))


def test_a_year_on_the_wrong_scale_is_refused() -> None:
    """Each score of 2015 given on the 0–10 scale is valid alone; together they cannot be."""
    lines = [
        f"Country {n};C{chr(65 + n // 26)}{chr(65 + n % 26)};AME;;{1 + n * 0.3:.1f}\n"
        for n in range(25)
    ]
    with pytest.raises(ParseError, match=r"CPI score 2012: all 25 scores are 10 or less"):
        list(parse(_csv(*lines), "x.csv"))
    lines[0] = "Denmark;DNK;WE/EU;;90\n"  # one real 0–100 score: the year reads as it should
    assert len(list(parse(_csv(*lines), "x.csv"))) == 25
