"""What a night changed, and whether the warehouse must be rebuilt for it.

Each landing DAG announces its raw asset once, when all of its sources are done, with what
they changed; the warehouse DAG waits for both announcements (one build per night, not one
per mapped source) and skips the build when nothing changed since the warehouse was built.
A night whose only news is a failure still builds: the health marts must show it."""

from __future__ import annotations

import logging
from datetime import datetime

from civicpulse.registry import sources_for
from civicpulse.runs import RunSummary, all_summaries
from civicpulse.settings import Settings, load_settings

log = logging.getLogger(__name__)

STEADY = {"published", "skipped"}  # skipped: no credentials, the same every night


def changed(summary: RunSummary) -> bool:
    """Whether a landing run changed what the warehouse shows: records new or changed, or
    anything the health marts report (a failure, a quarantine, a refused page)."""
    if summary.status not in STEADY:
        return True
    counts = (summary.new, summary.updated, summary.failed, summary.refused, summary.quarantined)
    return any(counts)


def announcement(entity: str, ds: str, settings: Settings | None = None) -> dict[str, object]:
    """The asset event's extra for one landing DAG run: its day, how many of the entity's
    sources ran that day, which of them changed something, and the records new or changed."""
    settings = settings or load_settings()
    names = {source.name for source in sources_for(entity)}
    ran = [s for s in all_summaries(settings.runs_root) if s.ds == ds and s.source in names]
    return {
        "day": ds,
        "ran": len(ran),
        "changed": sorted(s.source for s in ran if changed(s)),
        "new": sum(s.new for s in ran),
        "updated": sum(s.updated for s in ran),
    }


def why_build(triggered: bool, settings: Settings | None = None) -> str | None:
    """Why the warehouse must be built now, or None when nothing changed since it was built.
    A run started by hand always builds; a scheduled one builds when a landing run changed
    something after the last build (a failed build is retried by the next night), when
    the dbt project changed, or when there is no warehouse yet."""
    from civicpulse.transform import build_record, project_fingerprint

    settings = settings or load_settings()
    if not triggered:
        return "started by hand"
    record = build_record(settings.warehouse_path)
    if record is None:
        return "there is no warehouse yet"
    project, last_build = record
    if project != project_fingerprint():
        return "the dbt project changed since the last build"
    since = [s for s in all_summaries(settings.runs_root) if _finished(s) > last_build]
    news = sorted({s.source for s in since if changed(s)})
    if news:
        return f"changed since the last build: {', '.join(news)}"
    log.info("%d landing runs since the build of %s changed nothing", len(since), last_build)
    return None


def _finished(summary: RunSummary) -> datetime:
    assert summary.finished_at is not None  # all_summaries fills it in
    return datetime.fromisoformat(summary.finished_at)
