"""Source health (`marts.source_health`, `civicpulse sources`): HDX's freshness states by
cadence, and the alarms for a layout change (items collapsed, selectors matched nothing) and
for a failed latest run."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta

import pytest

from civicpulse.landing import land_source
from civicpulse.registry import load_sources
from civicpulse.runs import RunSummary
from civicpulse.settings import Settings
from civicpulse.sql import run_query
from civicpulse.transform import build_warehouse
from tests.nightly import Demo, query


def health(settings: Settings) -> dict[str, dict[str, object]]:
    out = io.StringIO()
    run_query("select * from marts.source_health", settings.warehouse_path, "json", out=out)
    return {row["source_id"]: row for row in json.loads(out.getvalue())}


def finished(settings: Settings, source: str, ds: str, days_ago: float) -> None:
    """Make the saved run of `source` on `ds` look `days_ago` old."""
    path = settings.runs_root / source / f"{ds}.json"
    summary = json.loads(path.read_text(encoding="utf-8"))
    summary["finished_at"] = (datetime.now(UTC) - timedelta(days=days_ago)).isoformat()
    path.write_text(json.dumps(summary), encoding="utf-8")


def test_freshness_follows_hdx_thresholds_by_cadence(settings: Settings) -> None:
    for source in ("worldbank_wdi", "ti_cpi", "ndi"):  # daily, weekly, daily
        land_source(source, "2026-11-20", settings)
    finished(settings, "worldbank_wdi", "2026-11-20", 2.5)  # daily: due 1, overdue 2
    finished(settings, "ti_cpi", "2026-11-20", 22)  # weekly: delinquent from 21
    build_warehouse(settings)

    states = {s: row["freshness"] for s, row in health(settings).items()}
    assert states["worldbank_wdi"] == "overdue"
    assert states["ti_cpi"] == "delinquent"
    assert states["ndi"] == "fresh"
    assert states["fsi"] == "never"  # registered, never landed


def test_a_layout_change_and_a_failed_run_raise_alarms(settings: Settings) -> None:
    for day in ("2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19"):
        land_source("usip", day, settings)
    # The next night the site's body selector matches nothing: the two pages it extracts
    # come out of the generic extractor, and the run finds far fewer items.
    RunSummary(
        source="usip",
        entity="articles",
        ds="2026-11-20",
        status="published",
        records=2,
        extracted=2,
        by_selectors=0,
    ).save(settings.runs_root)
    # ...and NDI's latest run was quarantined.
    RunSummary(
        source="ndi",
        entity="articles",
        ds="2026-11-20",
        status="quarantined",
        report="quarantine/ndi/articles/2026-11-20/report.md",
    ).save(settings.runs_root)
    # ...and PartnersGlobal's published, with one record set aside.
    aside = "quarantine/partnersglobal/articles/2026-11-20_x_rows/report.md"
    RunSummary(
        source="partnersglobal",
        entity="articles",
        ds="2026-11-20",
        status="published",
        records=15,
        quarantined=1,
        report=aside,
    ).save(settings.runs_root)
    # ...and the content guard refused two of endvawnow's pages (soft 404s).
    RunSummary(
        source="endvawnow", entity="articles", ds="2026-11-20", status="published", refused=2
    ).save(settings.runs_root)
    build_warehouse(settings)

    rows = health(settings)
    assert rows["usip"]["items_last_run"] == 2 and rows["usip"]["items_trailing_median"] == 9
    assert rows["usip"]["alarms"] == [
        "layout change? items fell under half the trailing median",
        "layout change? its selectors matched none of the 2 pages extracted",
    ]
    assert rows["ndi"]["alarms"] == [
        "latest run quarantined: quarantine/ndi/articles/2026-11-20/report.md"
    ]
    assert rows["partnersglobal"]["alarms"] == [f"latest run set 1 records aside: {aside}"]
    assert rows["endvawnow"]["alarms"] == [
        "latest run refused 2 pages (soft 404 or most text lost): see its run summary"
    ]
    assert rows["fsi"]["alarms"] == []


@pytest.mark.e2e
def test_the_nightly_run_checks_freshness_and_assesses_every_source(
    demo: Demo,
) -> None:
    env = demo.env
    assert "PASS freshness of raw.articles" in demo.log
    states = dict(query(env, "select source_id, freshness from marts.source_health"))
    assert set(states) == {s.name for s in load_sources()}
    landed = query(env, "select source_id from marts.source_health where successful_runs > 0")
    assert landed and all(states[s] == "fresh" for (s,) in landed)  # landed tonight: fresh
    assert states["ucdp_ged"] == "never"  # no recording in the snapshot: skipped, says so
