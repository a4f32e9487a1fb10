"""The data folder after a crash: staging leftovers are removed, and a published partition
that is no longer readable Parquet (a disk filled up, a copy cut short) is moved to
quarantine with a report, so it blocks neither the source's next run nor the build."""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime
from pathlib import Path

from civicpulse.settings import Settings

log = logging.getLogger(__name__)


def remove_leftovers(settings: Settings, source: str) -> list[Path]:
    """Delete what a crashed run of `source` left half-written: staged `.tmp` files in its
    raw, run-summary, validation and quarantine folders, and `.part` archives. Call it only
    where no other run of the source is going on (a run of one source is one task)."""
    from civicpulse.dq import quality_root

    roots = (settings.raw_root, settings.runs_root, quality_root(settings))
    staged = [
        path
        for root in (*roots, settings.quarantine_root)
        for path in (root / source).rglob(".*.tmp")
    ]
    leftovers = [*filter(Path.is_file, staged), *(settings.archive_root / source).glob("*.part")]
    for leftover in leftovers:
        leftover.unlink(missing_ok=True)
        log.warning("%s: removed %s, left by an interrupted run", source, leftover)
    return leftovers


def quarantine_unreadable(settings: Settings, source: str = "*") -> list[Path]:
    """Move every published partition of `source` (every source by default) whose Parquet
    footer cannot be read to quarantine, beside a report; return where each went."""
    import pyarrow.parquet as pq

    moved = []
    for partition in sorted(settings.raw_root.glob(f"{source}/*/[0-9]*.parquet")):
        try:
            pq.read_metadata(partition)
        except Exception as error:  # pyarrow raises ArrowInvalid, OSError and more
            moved.append(_quarantine(settings, partition, f"{type(error).__name__}: {error}"))
    return moved


def _quarantine(settings: Settings, partition: Path, reason: str) -> Path:
    entity, source = partition.parent.name, partition.parent.parent.name
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = settings.quarantine_root / source / entity / f"{partition.stem}_unreadable_{stamp}"
    target.mkdir(parents=True, exist_ok=True)
    (target / "report.md").write_text(
        f"# {source} {entity} {partition.stem}: unreadable partition\n\n"
        f"`{partition}` was published, then could not be read as Parquet:\n\n"
        f"    {reason}\n\n"
        "It was moved here so the source's next run and the warehouse build go on from the "
        "partitions before it. Land the day again to replace it.\n",
        encoding="utf-8",
    )
    os.replace(partition, target / "batch.parquet")
    log.error(
        "%s %s %s: published partition is unreadable (%s); moved to %s",
        source,
        entity,
        partition.stem,
        reason,
        target,
    )
    return target
