"""The warehouse build: a source that landed rows but is missing from the marts fails it."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from civicpulse.landing import land_source
from civicpulse.schemas import SCHEMAS
from civicpulse.settings import Settings
from civicpulse.transform import WarehouseIncomplete, build_warehouse


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
