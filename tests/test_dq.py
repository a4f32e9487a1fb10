"""Every validation is kept and reaches `marts.dq_results`: each expectation of each batch,
with its policy, whether it passed, and what was observed."""

from __future__ import annotations

import io
import json

import pyarrow.parquet as pq

from civicpulse.landing import land_source, publish, to_table
from civicpulse.quality import load_suite_definition
from civicpulse.registry import get_source
from civicpulse.runs import RunSummary
from civicpulse.settings import Settings
from civicpulse.sql import run_query
from civicpulse.transform import build_warehouse


def dq_results(settings: Settings) -> list[dict[str, object]]:
    out = io.StringIO()
    sql = "select * from marts.dq_results order by run_ds, expectation, column_name"
    run_query(sql, settings.warehouse_path, "json", out=out)
    return list(json.loads(out.getvalue()))


DAY = "2026-11-20"


def test_every_expectation_of_every_batch_is_in_dq_results(settings: Settings) -> None:
    source = get_source("worldbank_wdi")
    landed = land_source(source.name, "2026-11-20", settings)
    rows = pq.read_table(str(landed.partition)).to_pylist()
    rows[0]["year"] = 1850  # one record out of range: set aside, the rest publishes
    summary = RunSummary(source.name, source.entity, "2026-11-21")
    publish(
        to_table(rows, source.entity, "2026-11-21"), source, "2026-11-21", settings, summary, "s"
    )
    build_warehouse(settings)

    results = dq_results(settings)
    expectations = load_suite_definition("worldbank_wdi__indicator_values")["expectations"]
    assert len(results) == 2 * len(expectations)  # both days, every expectation
    assert all(r["source_id"] == "worldbank_wdi" for r in results)
    assert all(r["success"] for r in results if r["run_ds"] == "2026-11-20")
    (failed,) = [r for r in results if not r["success"]]
    assert (failed["run_ds"], failed["expectation"], failed["column_name"]) == (
        "2026-11-21",
        "expect_column_values_to_be_between",
        "year",
    )
    assert (failed["policy"], failed["unexpected_count"]) == ("row", 1)
    assert json.loads(str(failed["observed_value"])) == [1850]  # the value it refused
    counted = {r["expectation"]: r["observed_value"] for r in results if r["run_ds"] == DAY}
    assert json.loads(str(counted["expect_table_row_count_to_be_between"])) == len(rows)
    assert failed["batch_outcome"] == "published"  # with the one record set aside
    kept = settings.data_root / "quality" / "worldbank_wdi" / "indicator_values"
    assert sorted(p.name for p in kept.iterdir()) == ["2026-11-20.json", "2026-11-21.json"]
