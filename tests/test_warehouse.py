"""The warehouse build: it is swapped in whole or not at all, readers never block it, and a
source that landed rows but is missing from the marts fails it."""

from __future__ import annotations

import logging
import subprocess
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from civicpulse.landing import land_source
from civicpulse.schemas import SCHEMAS
from civicpulse.settings import Settings
from civicpulse.transform import WarehouseIncomplete, build_warehouse
from tests.marts import marts


def test_a_landed_source_missing_from_the_marts_fails_the_build(settings: Settings) -> None:
    land_source("worldbank_wdi", "2026-11-20", settings)
    build_warehouse(settings)  # every landed source shows: no error

    # An index whose every country is one the crosswalk does not know: dbt passes (the
    # values are listed in marts.unmapped_countries), but none reaches the facts.
    folder = settings.raw_root / "atlantis_index" / "indicator_values"
    folder.mkdir(parents=True)
    row = {
        "source_id": "atlantis_index",
        "indicator_id": "NY.GDP.MKTP.CD",
        "country": "Atlantis",
        "country_scheme": "name",
        "country_name": "Atlantis",
        "country_iso3": None,
        "year": 2020,
        "value": 1.0,
        "vintage": "2026-01-01",
        "url": "https://example.org/atlantis.csv",
        "content_hash": "0",
        "fetched_at": pa.scalar(0, pa.timestamp("us", tz="UTC")).as_py(),
        "warc_record_id": "<urn:uuid:0>",
        "ds": "2026-11-20",
    }
    pq.write_table(
        pa.Table.from_pylist([row], schema=SCHEMAS["indicator_values"]),
        folder / "2026-11-20.parquet",
    )
    with pytest.raises(WarehouseIncomplete, match=r"atlantis_index \(indicator_values: landed"):
        build_warehouse(settings)


def mart_rows(settings: Settings) -> int:
    return int(served(settings)[0])


def served(settings: Settings) -> tuple[object, ...]:
    """Row count and smallest value of the served indicator values."""
    import duckdb

    with duckdb.connect(str(settings.warehouse_path), read_only=True) as db:
        sql = "select count(*), min(value) from marts.fct_indicator_values"
        ((rows, smallest),) = db.execute(sql).fetchall()
        return rows, smallest


def test_a_failed_build_leaves_the_previous_warehouse(settings: Settings) -> None:
    land_source("worldbank_wdi", "2026-11-20", settings)
    build_warehouse(settings)
    before = served(settings)

    # The next day's retrieval says every GDP is negative: dbt's scale test fails the build.
    (latest,) = sorted((settings.raw_root / "worldbank_wdi" / "indicator_values").glob("2*"))
    table = pq.read_table(latest)
    later = pc.add(table["fetched_at"], pa.scalar(86_400_000_000, pa.duration("us")))
    for column, values in {
        "value": pa.array([-1.0] * table.num_rows, pa.float64()),
        "fetched_at": later,
        "ds": pa.array(["2026-11-21"] * table.num_rows),
    }.items():
        table = table.set_column(table.schema.get_field_index(column), column, values)
    pq.write_table(table, latest.with_name("2026-11-21.parquet"))
    with pytest.raises(subprocess.CalledProcessError):
        build_warehouse(settings)

    assert served(settings) == before  # the previous warehouse, not the failed build's rows
    assert sorted(p.name for p in settings.data_root.glob("*.duckdb*")) == ["warehouse.duckdb"]


def test_readers_never_block_the_build(settings: Settings) -> None:
    import duckdb

    land_source("worldbank_wdi", "2026-11-20", settings)
    build_warehouse(settings)
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as reader:
        land_source("ti_cpi", "2026-11-20", settings)
        build_warehouse(settings)  # an analyst's open connection does not stop it
        (old,) = reader.execute("select count(*) from marts.fct_indicator_values").fetchall()
    assert mart_rows(settings) > old[0]  # the reader kept its snapshot; new readers see more


def test_every_mart_is_exported_with_a_manifest_and_documented(settings: Settings) -> None:
    import json
    import re

    import duckdb

    from civicpulse.exports import export_marts

    land_source("worldbank_wdi", "2026-11-20", settings)
    build_warehouse(settings, docs=True)
    manifest = json.loads(export_marts(settings).read_text(encoding="utf-8"))

    with duckdb.connect(str(settings.warehouse_path), read_only=True) as db:
        marts = [  # tables and views
            name
            for (name,) in db.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        ]
        for name in marts:
            ((rows,),) = db.execute(f"select count(*) from marts.{name}").fetchall()
            entry = manifest["tables"][name]
            exported = settings.exports_root / entry["file"]
            assert entry["rows"] == rows == pq.read_metadata(exported).num_rows, name
            assert [c["name"] for c in entry["columns"]] == pq.read_schema(exported).names
    assert set(manifest["tables"]) == set(marts) and "fct_indicator_values" in marts
    assert manifest["warehouse_version"] and manifest["built_at"]
    assert not list(settings.exports_root.glob(".*"))  # no staged leftovers

    docs = (settings.reports_root / "dbt_docs" / "index.html").read_text(encoding="utf-8")
    assert "country_year_panel" in docs  # the manifest and catalog are inside the page
    assert not re.search(r"<(?:script|link)[^>]+(?:src|href)=[\"']https?:", docs)  # offline


def next_night(
    settings: Settings, source: str, edit: Callable[[list[dict[str, Any]]], None]
) -> None:
    """Land `source`'s latest snapshot again a day later, changed by `edit` (rows in
    place), hashes recomputed as the landing computes them."""
    from civicpulse.landing import content_hash

    folder = settings.raw_root / source / SCHEMAS_OF[source]
    latest = sorted(folder.glob("2*.parquet"))[-1]
    rows = pq.read_table(latest).to_pylist()
    day = (date.fromisoformat(latest.stem) + timedelta(days=1)).isoformat()
    for row in rows:
        row["fetched_at"] += timedelta(days=1)
    edit(rows)
    for row in rows:
        row["ds"], row["content_hash"] = day, content_hash(row)
    pq.write_table(
        pa.Table.from_pylist(rows, schema=SCHEMAS[SCHEMAS_OF[source]]), folder / f"{day}.parquet"
    )


SCHEMAS_OF = {"usip": "articles", "ti_cpi": "indicator_values"}


def test_an_incremental_build_equals_a_full_rebuild(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    for source in SCHEMAS_OF:
        land_source(source, "2026-11-20", settings)
    build_warehouse(settings)

    def edit_article(rows: list[dict[str, Any]]) -> None:
        rows[0]["body"] += "\n\nUpdate: the programme now also works in Niger."
        rows.append({**rows[1], "url": rows[1]["url"] + "-2", "title": "A new post"})

    def revise_value(rows: list[dict[str, Any]]) -> None:
        rows[0]["value"] = rows[0]["value"] * 0.99 + 0.001  # revised within the release

    next_night(settings, "usip", edit_article)
    next_night(settings, "ti_cpi", revise_value)
    caplog.set_level(logging.INFO, logger="civicpulse.transform")
    build_warehouse(settings)
    assert "full refresh" not in caplog.text  # the incremental path ran
    incremental = marts(settings, data_only=True)
    versions = incremental["fct_article_versions"]
    assert len(versions) == len(incremental["fct_articles"]) + 1  # the edit: one more version

    next_night(settings, "usip", lambda rows: None)  # a quiet night
    build_warehouse(settings)
    assert marts(settings, data_only=True) == incremental

    build_warehouse(settings, full_refresh=True)
    assert marts(settings, data_only=True) == incremental


def test_a_model_failing_mid_build_leaves_the_previous_warehouse(settings: Settings) -> None:
    land_source("usip", "2026-11-20", settings)
    build_warehouse(settings)
    before = marts(settings)

    # The next night lands a new post, then the enrichment file turns out corrupt (its
    # country tags are plain strings): the article versions build, then
    # int_article_enrichments fails on it, mid-build.
    next_night(
        settings, "usip", lambda rows: rows.append({**rows[0], "url": rows[0]["url"] + "-2"})
    )
    enrichments = settings.derived_root / "article_enrichments.parquet"
    table = pq.read_table(enrichments)
    corrupt = table.set_column(
        table.schema.get_field_index("countries"),
        "countries",
        pa.array([["GIN"]] * table.num_rows, pa.list_(pa.string())),
    )
    pq.write_table(corrupt, enrichments)
    with pytest.raises(subprocess.CalledProcessError):
        build_warehouse(settings, enrich=False)

    assert marts(settings) == before  # served unchanged: no new post, no half-built mart
    assert sorted(p.name for p in settings.data_root.glob("*.duckdb*")) == ["warehouse.duckdb"]


def test_a_year_on_another_scale_fails_the_build(
    settings: Settings, capfd: pytest.CaptureFixture[str]
) -> None:
    """CPI scores of 0–100 years landed on the 0–10 scale: each value is in range, the year
    as a whole is not, and the build says so (the CPI parser refuses such files too)."""
    land_source("ti_cpi", "2026-11-20", settings)
    build_warehouse(settings)

    def tenth(rows: list[dict[str, Any]]) -> None:
        for row in rows:
            if row["indicator_id"] == "cpi_score":
                row["value"] /= 10

    next_night(settings, "ti_cpi", tenth)
    capfd.readouterr()
    with pytest.raises(subprocess.CalledProcessError):
        build_warehouse(settings)
    said = capfd.readouterr().out
    assert "FAIL" in said and "assert_indicator_years_fit_their_scale" in said, said[-3000:]
