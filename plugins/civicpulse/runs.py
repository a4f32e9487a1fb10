"""Run summaries: one JSON file per source and day, and the table users read at the end."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from civicpulse.files import replaced_atomically

log = logging.getLogger(__name__)

COLUMNS = (
    "fetched",
    "new",
    "updated",
    "failed",
    "skipped",
    "refused",
    "quarantined",
    "unmapped",
)


@dataclass
class RunSummary:
    """What one landing run of one source did."""

    source: str
    entity: str
    ds: str
    status: str = "running"  # published | quarantined | failed | skipped
    fetched: int = 0  # HTTP requests made
    not_modified: int = 0  # of those, conditional requests answered 304
    retries: int = 0  # retried requests (5xx, 429, timeouts, connection errors)
    records: int = 0
    extracted: int = 0  # article pages extracted this run (not carried forward)
    by_selectors: int = 0  # of those, bodies the source's own selectors found
    new: int = 0
    updated: int = 0
    failed: int = 0  # items that could not be collected (kept as landed, if they were)
    skipped: int = 0  # items left out on purpose: robots.txt, not an article page
    refused: int = 0  # pages the content guard refused: soft 404s, most of the text gone
    quarantined: int = 0
    unmapped: int = 0  # distinct countries no crosswalk entry matched (indicator sources)
    partition: str | None = None
    report: str | None = None
    error: str | None = None
    finished_at: str | None = None  # when the summary was last saved (UTC, ISO 8601)
    failures: list[dict[str, str]] = field(default_factory=list)
    unmapped_countries: list[dict[str, str]] = field(default_factory=list)

    def line(self) -> str:
        counts = ", ".join(f"{name} {getattr(self, name)}" for name in COLUMNS)
        counts += f" (304: {self.not_modified}, retries: {self.retries})"
        where = self.report or self.partition or self.error or ""
        return f"{self.source}: {self.status}: {counts} -> {where}"

    def save(self, runs_root: Path) -> Path:
        self.finished_at = datetime.now(UTC).isoformat()
        path = runs_root / self.source / f"{self.ds}.json"
        with replaced_atomically(path) as staged:
            staged.write_text(json.dumps(asdict(self), indent=2, default=str), encoding="utf-8")
        return path


def all_summaries(runs_root: Path) -> list[RunSummary]:
    """Every run summary, of every source and day (a re-run of a day replaced its own)."""
    summaries = []
    for path in sorted(runs_root.glob("*/*.json")):
        summary = RunSummary(**json.loads(path.read_text(encoding="utf-8")))
        if summary.finished_at is None:  # saved before summaries carried the time
            summary.finished_at = datetime.fromtimestamp(path.stat().st_mtime, UTC).isoformat()
        summaries.append(summary)
    return summaries


def latest_summaries(runs_root: Path) -> list[RunSummary]:
    """The most recent run summary of every source, by source name."""
    summaries = []
    for folder in sorted(p for p in runs_root.glob("*") if p.is_dir()):
        files = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime)
        if files:
            summaries.append(RunSummary(**json.loads(files[-1].read_text(encoding="utf-8"))))
    return summaries


def format_table(summaries: list[RunSummary]) -> str:
    """A fixed-width table: one row per source."""
    header = ("source", "day", "status", *COLUMNS, "detail")
    rows = [
        (
            s.source,
            s.ds,
            s.status,
            *(str(getattr(s, c)) for c in COLUMNS),
            s.error or s.report or "",
        )
        for s in summaries
    ]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    return "\n".join(
        "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    )
