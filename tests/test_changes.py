"""One build per night, and none on a quiet night: what the landing DAGs announce and what the
warehouse DAG decides from it (the scheduler-driven run in test_scheduler.py shows the wiring)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from civicpulse.changes import announcement, why_build
from civicpulse.runs import RunSummary
from civicpulse.settings import Settings
from civicpulse.transform import _checkpoint, project_fingerprint

DAY, NEXT_DAY = "2026-11-20", "2026-11-21"


def land(settings: Settings, source: str, ds: str, **counts: object) -> RunSummary:
    """A landing run's summary, saved as land_source saves it."""
    summary = RunSummary(source=source, entity="articles", ds=ds, status="published")
    for name, value in counts.items():
        setattr(summary, name, value)
    summary.save(settings.runs_root)
    return summary


def build(settings: Settings, project: str | None = None) -> None:
    """Record a build that began to read its inputs now, as build_warehouse does."""
    settings.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    _checkpoint(settings.warehouse_path, project or project_fingerprint(), datetime.now(UTC))


def test_a_run_started_by_hand_always_builds(settings: Settings) -> None:
    land(settings, "partnersglobal", DAY)
    build(settings)
    assert why_build(triggered=False, settings=settings) == "started by hand"


def test_the_first_night_builds(settings: Settings) -> None:
    land(settings, "partnersglobal", DAY)
    assert why_build(triggered=True, settings=settings) == "there is no warehouse yet"


def test_a_quiet_night_does_not_rebuild(settings: Settings) -> None:
    land(settings, "partnersglobal", DAY, new=15)
    build(settings)
    land(settings, "partnersglobal", NEXT_DAY)  # the same 15 articles, none changed
    land(settings, "usip", NEXT_DAY, status="skipped")  # e.g. no credentials: every night
    assert why_build(triggered=True, settings=settings) is None


@pytest.mark.parametrize(
    "counts",
    [
        {"new": 1},
        {"updated": 2},
        {"status": "failed", "error": "ConnectionError: the site is down"},
        {"status": "quarantined", "quarantined": 15},
        {"refused": 1},  # a soft 404: the health marts must show its alarm
        {"failed": 1},
    ],
    ids=lambda counts: next(iter(counts)) if "status" not in counts else counts["status"],
)
def test_a_night_that_changed_something_rebuilds(
    settings: Settings, counts: dict[str, object]
) -> None:
    land(settings, "partnersglobal", DAY, new=15)
    build(settings)
    land(settings, "ndi", NEXT_DAY)
    land(settings, "partnersglobal", NEXT_DAY, **counts)
    assert why_build(triggered=True, settings=settings) == (
        "changed since the last build: partnersglobal"
    )


def test_changes_a_failed_build_left_out_are_built_the_next_night(settings: Settings) -> None:
    land(settings, "partnersglobal", DAY, new=15)
    build(settings)
    land(settings, "partnersglobal", NEXT_DAY, new=1)  # then that night's build failed
    land(settings, "partnersglobal", "2026-11-22")  # a quiet night
    assert why_build(triggered=True, settings=settings) == (
        "changed since the last build: partnersglobal"
    )


def test_a_changed_dbt_project_rebuilds(settings: Settings) -> None:
    land(settings, "partnersglobal", DAY, new=15)
    build(settings, project="dbt-000000000000")
    land(settings, "partnersglobal", NEXT_DAY)
    assert why_build(triggered=True, settings=settings) == (
        "the dbt project changed since the last build"
    )


def test_the_announcement_names_what_changed_that_day(settings: Settings) -> None:
    land(settings, "partnersglobal", DAY, new=15)
    land(settings, "partnersglobal", NEXT_DAY, updated=2)
    land(settings, "ndi", NEXT_DAY)
    land(settings, "worldbank_wdi", NEXT_DAY, new=40)  # an index: not the news DAG's
    assert announcement("articles", NEXT_DAY, settings) == {
        "day": NEXT_DAY,
        "ran": 2,
        "changed": ["partnersglobal"],
        "new": 0,
        "updated": 2,
    }


def test_an_old_warehouse_without_a_build_start_counts_as_unbuilt(settings: Settings) -> None:
    import duckdb

    Path(settings.warehouse_path).parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(settings.warehouse_path)) as db:  # as builds before this one wrote
        db.execute("create table civicpulse_build as select 'dbt-x' as project_fingerprint")
    land(settings, "partnersglobal", DAY)
    assert why_build(triggered=True, settings=settings) == "there is no warehouse yet"
