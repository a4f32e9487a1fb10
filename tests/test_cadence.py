"""Which sources a nightly run lands: daily ones every day, weekly ones every seventh day."""

from __future__ import annotations

from civicpulse.landing import land_source, sources_due
from civicpulse.registry import get_source, sources_for
from civicpulse.settings import Settings

ARTICLE_SOURCES = ["partnersglobal", "ndi", "usip", "endvawnow"]
INDEX_SOURCES = [source.name for source in sources_for("indicator_values")]


def test_sources_never_landed_are_due(settings: Settings) -> None:
    assert sources_due("articles", "2026-11-20", settings) == ARTICLE_SOURCES
    assert sources_due("indicator_values", "2026-11-20", settings) == INDEX_SOURCES


def test_a_weekly_source_waits_seven_days_after_landing(settings: Settings) -> None:
    assert get_source("endvawnow").cadence == "weekly"
    land_source("endvawnow", "2026-11-20", settings)
    land_source("ndi", "2026-11-20", settings)

    assert "endvawnow" in sources_due("articles", "2026-11-20", settings)  # a re-run of the day
    assert sources_due("articles", "2026-11-21", settings) == ["partnersglobal", "ndi", "usip"]
    assert "endvawnow" not in sources_due("articles", "2026-11-26", settings)
    assert "endvawnow" in sources_due("articles", "2026-11-27", settings)
