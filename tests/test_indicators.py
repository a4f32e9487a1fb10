"""The indicator half end to end (landing through the warehouse, no Airflow): every index
source lands from its recorded download, values are served within their scales for countries
the crosswalk knows, releases are kept side by side, and unknown countries are listed."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from civicpulse.landing import land_source
from civicpulse.registry import Source, get_source
from civicpulse.settings import Settings, load_settings
from civicpulse.transform import build_warehouse
from tests.conftest import FIXTURES
from tests.snapshots import edited_snapshot, recorded

DAY = "2026-11-20"
INDEX_SOURCES = ("worldbank_wdi", "ti_cpi", "undp_hdr", "fsi", "ucdp_brd")
HDR = get_source("undp_hdr")
HDR_URL = HDR.options["files"][0]["url"]
REVISED_URL = HDR_URL.replace("HDR23-24", "HDR25")


def query(settings: Settings, sql: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as db:
        return db.execute(sql).fetchall()


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    data = tmp_path_factory.mktemp("indices")
    env = {"CIVICPULSE_DATA": str(data), "CIVICPULSE_REPLAY": str(FIXTURES)}
    settings = load_settings(env)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CIVICPULSE_DATA", str(data))
        for name in INDEX_SOURCES:
            land_source(name, DAY, settings)
        build_warehouse(settings)  # runs the dbt tests: scales, dim_countries relationships
        yield settings


def test_every_index_source_is_served(warehouse: Settings) -> None:
    served = query(warehouse, "select distinct source_id from marts.fct_indicator_values")
    assert {row[0] for row in served} == set(INDEX_SOURCES)


def test_values_lie_within_scale_for_known_countries_only(warehouse: Settings) -> None:
    outside = query(
        warehouse,
        "select count(*) from marts.fct_indicator_values f "
        "join marts.dim_indicators d using (indicator_id) "
        "where f.value < d.scale_min or f.value > d.scale_max",
    )
    unknown = query(
        warehouse,
        "select count(*) from marts.fct_indicator_values "
        "where country_iso3 not in (select country_iso3 from marts.dim_countries)",
    )
    aggregates = query(
        warehouse,
        "select count(*) from marts.fct_indicator_value_history "
        "where source_country like 'ZZ%' or country_iso3 in ('WLD', 'ARB', 'EUU')",
    )
    assert outside == unknown == aggregates == [(0,)]


def test_cpi_before_2012_is_flagged_not_comparable(warehouse: Settings) -> None:
    flags = query(
        warehouse,
        "select indicator_id, min(year), max(year), bool_or(is_comparable_with_current_method) "
        "from marts.fct_indicator_values where source_id = 'ti_cpi' group by 1 order by 1",
    )
    assert flags == [("cpi_score", 2012, 2022, True), ("cpi_score_0_10", 2011, 2011, False)]


def test_gii_and_fsi_are_lower_is_better(warehouse: Settings) -> None:
    direction = dict(
        query(warehouse, "select indicator_id, higher_is_better from marts.dim_indicators")
    )
    assert direction["gii"] is False and direction["fsi_total"] is False
    assert direction["hdi"] is True and direction["cpi_score"] is True


def test_names_and_codes_from_every_scheme_meet_in_one_country(warehouse: Settings) -> None:
    # Kosovo: TI's KSV (ISO3-like), the FSI's name; Sudan: UCDP's Gleditsch-Ward 625.
    kosovo = query(
        warehouse,
        "select distinct source_country_scheme, source_country from "
        "marts.fct_indicator_values where country_iso3 = 'XKX' order by 1, 2",
    )
    assert ("iso3", "KSV") in kosovo and ("name", "Kosovo") in kosovo
    sudan = query(
        warehouse,
        "select count(*) from marts.fct_indicator_values "
        "where country_iso3 = 'SDN' and source_country_scheme = 'gw' and source_country = '625'",
    )
    assert sudan[0][0] > 0  # type: ignore[operator]


def revised_release(body: bytes) -> bytes:
    """The next report: Norway's 2022 HDI revised, and a country nobody knows."""
    norway = body.index(b"\r\nNOR,Norway,") + 2
    end = body.index(b"\r\n", norway)
    cells = body[norway:end].split(b",")
    header = body[: body.index(b"\r\n")].split(b",")
    cells[header.index(b"hdi_2022")] = b"0.970"
    atlantis = [b"ATL", b"Atlantis", *cells[2:]]
    return body[:norway] + b",".join(cells) + b"\r\n" + b",".join(atlantis) + body[end:]


def test_a_revised_release_keeps_both_values_and_lists_the_unknown_country(
    settings: Settings, tmp_path: Path
) -> None:
    original = recorded(HDR_URL)
    revised = replace(original, url=REVISED_URL, body=revised_release(original.body))
    snapshot = edited_snapshot(tmp_path / "site", {}, {REVISED_URL: revised})
    two_releases: Source = HDR.model_copy(
        update={
            "options": {
                **HDR.options,
                "files": [
                    {"url": HDR_URL, "vintage": "2024-03-13"},
                    {"url": REVISED_URL, "vintage": "2025-05-06"},
                ],
            }
        }
    )
    summary = land_source(two_releases, DAY, replace(settings, replay_dir=snapshot))
    assert summary.unmapped_countries == [{"scheme": "iso3", "country": "ATL", "name": "Atlantis"}]
    assert "unmapped 1" in summary.line()

    build_warehouse(settings)
    history = query(
        settings,
        "select vintage, value, is_latest from marts.fct_indicator_value_history "
        "where indicator_id = 'hdi' and country_iso3 = 'NOR' and year = 2022 order by vintage",
    )
    assert history == [("2024-03-13", 0.966, False), ("2025-05-06", 0.970, True)]
    served = query(
        settings,
        "select value, vintage from marts.fct_indicator_values "
        "where indicator_id = 'hdi' and country_iso3 = 'NOR' and year = 2022",
    )
    assert served == [(0.970, "2025-05-06")]
    unmapped = query(
        settings, "select source_id, country, country_name from marts.unmapped_countries"
    )
    assert unmapped == [("undp_hdr", "ATL", "Atlantis")]
