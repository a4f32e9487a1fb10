"""Worldwide Governance Indicators 2020 release workbook: six dimension sheets in, each
economy's Estimate and percentile Rank per year out, and the source landed end to end.

Expected counts and values were read from the raw sheets with openpyxl (numeric cells of each
sheet's Estimate and Rank columns), not from the parser."""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from civicpulse.countries import crosswalk
from civicpulse.indices.observations import Observation, ParseError
from civicpulse.indices.wgi import parse
from civicpulse.landing import land_source
from civicpulse.quality import suite_for
from civicpulse.registry import get_source
from civicpulse.settings import Settings
from tests.conftest import FIXTURES

FILE = "wgidataset_2020.xlsx"
BODY = (FIXTURES / "indices" / "wgi" / FILE).read_bytes()
DAY = "2026-11-20"
# Numeric Estimate cells per sheet; each has a Rank beside it, and every other cell is "#N/A".
ESTIMATES = {"VA": 4344, "PV": 4323, "GE": 4307, "RQ": 4307, "RL": 4379, "CC": 4321}
YEARS = {1996, 1998, 2000, *range(2002, 2020)}
ECONOMIES = 214  # rows 16-229 of every sheet, the same economies in the same order
# The World Bank's codes that are not ISO 3166-1 alpha-3, and what they stand for.
LEGACY = {
    "ADO": "AND",  # Andorra
    "ROM": "ROU",  # Romania
    "ZAR": "COD",  # Congo, Dem. Rep.
    "TMP": "TLS",  # Timor-Leste
    "WBG": "PSE",  # West Bank and Gaza
    "KSV": "XKX",  # Kosovo
    "JEY": "JEY",  # Jersey, Channel Islands: ISO's own code
}
HISTORIC = "ANT"  # "Netherlands Antilles (former)": a reviewed exception maps it to nothing
# The workbook's parts: sheet6.xml is 'RuleofLaw', sheet7.xml 'ControlofCorruption'
# (xl/_rels/workbook.xml.rels).
RULE_OF_LAW, CONTROL_OF_CORRUPTION = "xl/worksheets/sheet6.xml", "xl/worksheets/sheet7.xml"


@pytest.fixture(scope="module")
def observations() -> list[Observation]:
    return list(parse(BODY, FILE))


def value(observations: list[Observation], indicator: str, code: str, year: int) -> float | None:
    [found] = [
        o.value
        for o in observations
        if (o.indicator_id, o.country, o.year) == (indicator, code, year)
    ]
    return found


def edited(edits: dict[str, Callable[[str], str]]) -> bytes:
    """The published workbook with some of its XML parts edited, zipped again: cheaper than an
    openpyxl round trip of 1.8 MB, and the rest of the file stays as published."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(BODY)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename in edits:
                data = edits.pop(info.filename)(data.decode("utf-8")).encode("utf-8")
            target.writestr(info, data)
    assert not edits, f"no such part: {edits}"
    return buffer.getvalue()


def cell_text(reference: str, text: str) -> Callable[[str], str]:
    """An edit writing `text` into one cell of a sheet's XML, as an inline string."""

    def edit(xml: str) -> str:
        cell = rf'<c r="{reference}"(?:[^>]*/>|[^>]*[^/]>.*?</c>)'
        replacement = f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'
        xml, count = re.subn(cell, replacement, xml, count=1)
        assert count == 1, f"no cell {reference}"
        return xml

    return edit


def test_every_dimension_and_both_measures(observations: list[Observation]) -> None:
    counts = Counter(o.indicator_id for o in observations)
    expected = {f"GOV_WGI_{code}.EST": n for code, n in ESTIMATES.items()}
    expected |= {f"GOV_WGI_{code}.PER.RNK": n for code, n in ESTIMATES.items()}
    assert counts == expected
    assert len(observations) == 51_962
    assert {o.year for o in observations} == YEARS
    assert len({o.country for o in observations}) == ECONOMIES
    assert {o.scheme for o in observations} == {"iso3"}
    assert all(o.value is not None for o in observations)


def test_published_values(observations: list[Observation]) -> None:
    # VoiceandAccountability C17 and F17: Andorra (ADO), 1996 Estimate and Rank
    assert value(observations, "GOV_WGI_VA.EST", "ADO", 1996) == 1.5632166862487793
    assert value(observations, "GOV_WGI_VA.PER.RNK", "ADO", 1996) == 98.5
    # Political StabilityNoViolence BK190 and BN190: Somalia 2009, the release's lowest estimate
    assert value(observations, "GOV_WGI_PV.EST", "SOM", 2009) == -3.314936637878418
    assert value(observations, "GOV_WGI_PV.PER.RNK", "SOM", 2009) == 0
    # ControlofCorruption DS87 and DV87: Guinea 2019
    assert value(observations, "GOV_WGI_CC.EST", "GIN", 2019) == -0.9049651026725769
    assert value(observations, "GOV_WGI_CC.PER.RNK", "GIN", 2019) == 18.269229888916016
    # RuleofLaw DS227 and DV227: Congo, Dem. Rep. (ZAR) 2019
    assert value(observations, "GOV_WGI_RL.EST", "ZAR", 2019) == -1.7860875129699707
    assert value(observations, "GOV_WGI_RL.PER.RNK", "ZAR", 2019) == 2.403846263885498


def test_names_are_kept(observations: list[Observation]) -> None:
    names = {o.country: o.country_name for o in observations}
    assert names["ZAR"] == "Congo, Dem. Rep."
    assert names["JEY"] == "Jersey, Channel Islands"
    assert names[HISTORIC] == "Netherlands Antilles (former)"


def test_missing_values_are_no_observation(observations: list[Observation]) -> None:
    # VoiceandAccountability row 16, Aruba: C16 and F16 (1996) read "#N/A"; 2019 is published
    aruba = {(o.indicator_id, o.year) for o in observations if o.country == "ABW"}
    assert ("GOV_WGI_VA.EST", 1996) not in aruba and ("GOV_WGI_VA.PER.RNK", 1996) not in aruba
    assert ("GOV_WGI_VA.EST", 2019) in aruba
    # ControlofCorruption DS22: the Netherlands Antilles' last estimate is for 2013
    antilles = {o.year for o in observations if o.country == HISTORIC}
    assert min(antilles) == 2004 and max(antilles) == 2013


def test_legacy_codes_map_through_the_crosswalk(observations: list[Observation]) -> None:
    codes = {o.country for o in observations}
    assert set(LEGACY) | {HISTORIC} <= codes
    mapped = {code: crosswalk().iso3(code, "iso3") for code in codes}
    assert {code: mapped[code] for code in LEGACY} == LEGACY
    assert [code for code, iso3 in mapped.items() if iso3 is None] == [HISTORIC]
    known = [iso3 for iso3 in mapped.values() if iso3 is not None]
    assert len(known) == len(set(known)) == ECONOMIES - 1  # no two codes meet in one country


def test_a_missing_column_names_the_sheet() -> None:
    body = edited({RULE_OF_LAW: cell_text("DV15", "Percentile")})  # 2019's "Rank" header
    message = rf"^{FILE}, row 15: sheet 'RuleofLaw': no 'rank' column for 2019$"
    with pytest.raises(ParseError, match=message):
        list(parse(body, FILE))


def test_text_in_a_value_cell_names_the_sheet_and_row() -> None:
    body = edited({CONTROL_OF_CORRUPTION: cell_text("DS87", "n/a")})  # Guinea's 2019 Estimate
    message = rf"^{FILE}, row 87: sheet 'ControlofCorruption': Estimate 2019 is 'n/a'"
    with pytest.raises(ParseError, match=message):
        list(parse(body, FILE))


def test_a_renamed_sheet_is_known_by_its_heading(observations: list[Observation]) -> None:
    renamed = edited({"xl/workbook.xml": lambda xml: xml.replace('"RuleofLaw"', '"Sheet6"')})
    assert list(parse(renamed, FILE)) == observations  # A1 still reads "Rule of Law"

    unnamed = edited(
        {
            "xl/workbook.xml": lambda xml: xml.replace('"RuleofLaw"', '"Sheet6"'),
            RULE_OF_LAW: cell_text("A1", "Table 5"),
        }
    )
    with pytest.raises(ParseError, match=rf"^{FILE}: sheet 'Sheet6': a WGI table, but which"):
        list(parse(unnamed, FILE))


def test_garbage_names_the_file() -> None:
    with pytest.raises(ParseError, match=f"^{FILE}: not a readable xlsx workbook"):
        list(parse(b"<html><body>Service Unavailable</body></html>", FILE))


def test_the_source_lands_through_the_default_suite(settings: Settings) -> None:
    assert suite_for("wgi", "indicator_values") == "default__indicator_values"
    summary = land_source("wgi", DAY, settings)

    assert (summary.status, summary.failed, summary.quarantined) == ("published", 0, 0)
    assert summary.records == summary.new == 51_962
    assert summary.unmapped_countries == [
        {"scheme": "iso3", "country": HISTORIC, "name": "Netherlands Antilles (former)"}
    ]
    assert not settings.quarantine_root.exists() or not any(settings.quarantine_root.iterdir())
    rows = pq.read_table(Path(str(summary.partition))).to_pylist()
    [file] = get_source("wgi").options["files"]
    assert {(r["source_id"], r["vintage"], r["url"]) for r in rows} == {
        ("wgi", file["vintage"], file["url"])
    }
    iso3 = {r["country"]: r["country_iso3"] for r in rows}
    assert {code: iso3[code] for code in LEGACY} == LEGACY
    assert all(r["warc_record_id"] for r in rows)
