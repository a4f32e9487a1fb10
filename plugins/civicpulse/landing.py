"""Write-audit-publish for one source and day: fetch, stage, validate, then publish or
quarantine. Published partitions are replaced atomically and never touched by a bad batch."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from civicpulse.adapters import ADAPTERS
from civicpulse.archive import WarcArchive, warc_files
from civicpulse.credentials import SourceNotConfigured
from civicpulse.dq import save_validation
from civicpulse.fetch import Fetcher
from civicpulse.files import durable_replace, replaced_atomically
from civicpulse.guard import guarded, unique_by_url
from civicpulse.indicators import unmapped
from civicpulse.integrity import quarantine_unreadable, remove_leftovers
from civicpulse.quality import TRAILING_PARTITIONS, suite_for, validate
from civicpulse.records import FETCHED_URL, Failure, Record
from civicpulse.registry import Source, get_source, load_sources, sources_for
from civicpulse.runs import RunSummary
from civicpulse.schemas import KEYS, NOT_CONTENT, SCHEMAS
from civicpulse.settings import Settings, load_settings

log = logging.getLogger(__name__)


class BatchQuarantined(RuntimeError):
    """A batch failed validation; it was moved to quarantine with a report."""


def land_source(source: Source | str, ds: str, settings: Settings | None = None) -> RunSummary:
    """Collect one source (an entry, or its name) for day `ds` and publish it, or quarantine
    it and raise. A source whose credentials are not configured is skipped, with a summary
    saying what to set up."""
    settings = settings or load_settings()
    source = get_source(source) if isinstance(source, str) else source
    summary = RunSummary(source=source.name, entity=source.entity, ds=ds)
    if settings.replay_dir is not None and not warc_files(settings.replay_dir / source.name):
        summary.status = "skipped"
        summary.error = f"{source.name}: skipped: {settings.replay_dir} holds no recording of it"
        log.warning("%s", summary.error)
        summary.save(settings.runs_root)
        return summary
    remove_leftovers(settings, source.name)
    quarantine_unreadable(settings, source.name)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    archive = WarcArchive(settings.archive_root / source.name / f"{ds}_{stamp}.warc.gz")
    folder = settings.raw_root / source.name / source.entity
    # Only article adapters fetch incrementally; indicator files are read whole.
    known = published_records(folder, source.entity) if source.entity == "articles" else {}
    try:
        with Fetcher(source.hosts, settings, archive) as client:
            try:
                by_url = {str(r["url"]): r for r in known.values()}
                results = list(ADAPTERS[source.adapter](source, client, by_url))
            finally:
                stats = client.stats
                summary.fetched, summary.not_modified = stats.requests, stats.not_modified
                summary.retries = stats.retries
        rows = [r for r in results if not isinstance(r, Failure)]
        failures = [r for r in results if isinstance(r, Failure)]
        refused: list[tuple[str, str]] = []
        if source.entity == "articles":  # a known article keeps its version if refused
            fresh = [r for r in rows if FETCHED_URL in r]  # not carried forward
            summary.extracted = len(fresh)
            summary.by_selectors = sum(r.get("body_source") == "selectors" for r in fresh)
            rows, duplicates = unique_by_url(rows)
            failures += [Failure(url, reason, skipped=True) for url, reason in duplicates]
            rows, refused = guarded(rows, by_url)
        summary.failed = sum(not f.skipped for f in failures)
        summary.skipped = sum(f.skipped for f in failures)
        summary.failures = [
            {"item": f.item, "reason": f.reason, "kind": "skipped" if f.skipped else "failed"}
            for f in failures
        ] + [{"item": url, "reason": reason, "kind": "refused"} for url, reason in refused]
        summary.refused = len(refused)
        for url, reason in refused:
            log.warning("%s: refused %s: %s", source.name, url, reason)
        if source.entity == "indicator_values":
            summary.unmapped_countries = unmapped(rows)
            summary.unmapped = len(summary.unmapped_countries)
            for country in summary.unmapped_countries:
                log.warning("%s: no ISO3 code for %s", source.name, country)
        publish(to_table(rows, source.entity, ds), source, ds, settings, summary, stamp)
    except SourceNotConfigured as missing:
        summary.status, summary.error = "skipped", str(missing)
        log.warning("%s", missing)
    except Exception as error:
        if summary.status == "running":
            summary.status, summary.error = "failed", f"{type(error).__name__}: {error}"
        raise
    finally:
        summary.save(settings.runs_root)
        log.info("summary %s", summary.line())
    return summary


def to_table(rows: list[Record], entity: str, ds: str) -> pa.Table:
    """Records as an Arrow table of the entity's schema, with content hash and run day."""
    schema = SCHEMAS[entity]
    for row in rows:
        row["content_hash"] = content_hash(row)
        row["ds"] = ds
    return pa.Table.from_pylist(rows, schema=schema)


def content_hash(row: Record) -> str:
    """A stable hash of what a record says (not of when or how we fetched it)."""
    content = {k: v for k, v in sorted(row.items()) if k not in NOT_CONTENT}
    return hashlib.sha256(json.dumps(content, default=str).encode()).hexdigest()[:16]


def publish(
    table: pa.Table,
    source: Source,
    ds: str,
    settings: Settings,
    summary: RunSummary,
    stamp: str,
) -> None:
    """Validate `table`, then atomically publish it as the day's partition less the records
    a row-policy expectation sets aside (kept in quarantine with their reasons); quarantine
    the whole batch instead when the suite's batch rules say the batch itself is wrong."""
    folder = settings.raw_root / source.name / source.entity
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / f"{ds}.parquet"
    staged = folder / f".{ds}.{uuid.uuid4().hex}.parquet.tmp"
    batch = f"{source.name} {source.entity} {ds}"
    target = settings.quarantine_root / source.name / source.entity / f"{ds}_{stamp}"
    try:
        summary.records = table.num_rows
        suite = suite_for(source.name, source.entity)
        if suite.startswith("default__"):
            log.info(
                "%s: validated with the default suite %s (no suite of its own)", source.name, suite
            )
        report = validate(table.to_pandas(), suite, KEYS[source.entity])
        earlier = [p for p in partitions(folder) if p.stem < ds][-TRAILING_PARTITIONS:]
        rules = report.batch_rules([pq.read_metadata(p).num_rows for p in earlier])
        outcome = "quarantined" if rules else "published"
        save_validation(settings, source.name, source.entity, ds, report, outcome)
        if rules:
            path = _quarantine(table, report.to_markdown(batch, rules), target / "batch.parquet")
            summary.status, summary.report = "quarantined", str(path)
            summary.quarantined, summary.new, summary.updated = summary.records, 0, 0
            raise BatchQuarantined(
                f"{batch}: batch of {summary.records} records: {'; '.join(rules)}; "
                f"quarantined, report: {path}"
            )
        before = published_records(folder, source.entity)
        rejected = report.rejected()
        if rejected:
            aside = {r.row for r in rejected}
            records = table.take(sorted(aside))
            table = table.take([n for n in range(table.num_rows) if n not in aside])
            aside_file = target.with_name(f"{target.name}_rows") / "records.parquet"
            path = _quarantine(records, report.rows_markdown(batch), aside_file)
            summary.quarantined, summary.report = len(rejected), str(path)
            summary.failures += [
                {"item": r.name, "reason": r.reason, "kind": "quarantined"} for r in rejected
            ]
            log.warning("%s: set aside %d records, report: %s", batch, len(rejected), path)
            kept = _previous_versions(records, table, before, source.entity, ds)
            if kept.num_rows:
                log.warning("%s: %d of them keep their published version", batch, kept.num_rows)
                table = pa.concat_tables([table, kept])
        pq.write_table(table, staged)
        summary.new, summary.updated = _changes(table, before, source.entity)
        durable_replace(staged, final)
    finally:
        staged.unlink(missing_ok=True)  # whatever failed, no staged file stays behind
    summary.status, summary.partition = "published", str(final)


def _previous_versions(
    aside: pa.Table,
    published: pa.Table,
    before: dict[tuple[Any, ...], Record],
    entity: str,
    ds: str,
) -> pa.Table:
    """The published version of each record set aside whose key was published before (and is
    not published again today): a bad new version of a known article costs the night's
    update, never the article."""
    keys = KEYS[entity]
    today = set(zip(*(published.column(k).to_pylist() for k in keys), strict=True))
    wanted = {tuple(row[k] for k in keys) for row in aside.to_pylist()} - today
    return to_table(
        [dict(before[key]) for key in sorted(wanted & before.keys(), key=repr)], entity, ds
    )


def _quarantine(records: pa.Table, report: str, path: Path) -> Path:
    """Write `records` to `path` (on disk before the day's partition can drop them) and the
    readable report beside it; return the report's path."""
    with replaced_atomically(path) as staged:
        pq.write_table(records, staged)
    report_path = path.with_name("report.md")
    report_path.write_text(report, encoding="utf-8")
    return report_path


CADENCE_DAYS = {"daily": 1, "weekly": 7, "monthly": 30, "yearly": 365}


def sources_due(entity: str, ds: str, settings: Settings | None = None) -> list[str]:
    """Names of the registry's `entity` sources due on day `ds`: those whose cadence has
    passed since their latest published day (a source never landed is always due)."""
    settings = settings or load_settings()
    day = date.fromisoformat(ds)
    due = []
    for source in sources_for(entity):
        landed = partitions(settings.raw_root / source.name / source.entity)
        latest = date.fromisoformat(landed[-1].stem) if landed else None
        if latest is None or latest >= day or (day - latest).days >= CADENCE_DAYS[source.cadence]:
            due.append(source.name)  # latest >= day: a re-run of a day already landed
    return due


def partitions(folder: Path) -> list[Path]:
    """A source's published day partitions, oldest first."""
    return sorted(folder.glob("[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9].parquet"))


def ensure_schema_files(settings: Settings) -> None:
    """Give every registry source that has never landed an empty file of its schema, so the
    warehouse builds (its staging reads `*.parquet`) before every source has published."""
    for source in load_sources():
        folder = settings.raw_root / source.name / source.entity
        empty = folder / "_schema.parquet"
        if not partitions(folder) and not empty.exists():
            folder.mkdir(parents=True, exist_ok=True)
            staged = folder / f".{uuid.uuid4().hex}.tmp"
            pq.write_table(SCHEMAS[source.entity].empty_table(), staged)
            os.replace(staged, empty)
            log.info("%s has not landed yet: wrote %s", source.name, empty)


def landed_sources(settings: Settings) -> dict[str, list[str]]:
    """By entity, every source whose latest published partition holds rows (registered or
    not: the warehouse reads whatever landed)."""
    landed: dict[str, list[str]] = {}
    for entity in SCHEMAS:
        for folder in sorted(settings.raw_root.glob(f"*/{entity}")):
            latest = partitions(folder)[-1:]
            if latest and pq.read_metadata(latest[0]).num_rows > 0:
                landed.setdefault(entity, []).append(folder.parent.name)
    return landed


def published_records(folder: Path, entity: str) -> dict[tuple[Any, ...], Record]:
    """The latest published row of every key: the latest partition's, as every run lands a
    full snapshot (articles not refetched are carried forward; release files are read
    whole). One partition, not the whole history, so a run costs the same in its fifth year."""
    keys = KEYS[entity]
    landed = partitions(folder)
    rows = pq.read_table(landed[-1]).to_pylist() if landed else []
    return {tuple(row[k] for k in keys): row for row in rows}


def _changes(
    table: pa.Table, published: dict[tuple[Any, ...], Record], entity: str
) -> tuple[int, int]:
    """How many records are new, and how many changed, relative to what is published."""
    keys = KEYS[entity]
    new = updated = 0
    for row in table.select([*keys, "content_hash"]).to_pylist():
        before = published.get(tuple(row[k] for k in keys))
        if before is None:
            new += 1
        elif before["content_hash"] != row["content_hash"]:
            updated += 1
    return new, updated
