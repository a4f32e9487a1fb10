"""Which sources a nightly run lands: daily ones every day, weekly ones every seventh day."""

from __future__ import annotations

from civicpulse.landing import land_source, sources_due
from civicpulse.registry import sources_for
from civicpulse.settings import Settings

ARTICLE_SOURCES = [source.name for source in sources_for("articles")]
INDEX_SOURCES = [source.name for source in sources_for("indicator_values")]
WEEKLY = next(s.name for s in sources_for("articles") if s.cadence == "weekly")
DAILY = next(s.name for s in sources_for("articles") if s.cadence == "daily")


def test_sources_never_landed_are_due(settings: Settings) -> None:
    assert sources_due("articles", "2026-11-20", settings) == ARTICLE_SOURCES
    assert sources_due("indicator_values", "2026-11-20", settings) == INDEX_SOURCES


def test_a_weekly_source_waits_seven_days_after_landing(settings: Settings) -> None:
    land_source(WEEKLY, "2026-11-20", settings)
    land_source(DAILY, "2026-11-20", settings)

    assert WEEKLY in sources_due("articles", "2026-11-20", settings)  # a re-run of the day
    assert sources_due("articles", "2026-11-21", settings) == [
        name for name in ARTICLE_SOURCES if name != WEEKLY
    ]
    assert WEEKLY not in sources_due("articles", "2026-11-26", settings)
    assert WEEKLY in sources_due("articles", "2026-11-27", settings)
