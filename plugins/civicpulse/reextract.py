"""Rebuild landed articles from the WARC archive with the current extractor, with no network,
so an extractor fix reaches every article ever fetched."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq
from requests.structures import CaseInsensitiveDict

from civicpulse.archive import ArchivedResponse, read_responses, warc_files
from civicpulse.articles import extract_page
from civicpulse.fetch import Page
from civicpulse.landing import partitions, publish, to_table
from civicpulse.records import Record
from civicpulse.registry import Source, get_source, load_sources
from civicpulse.runs import RunSummary
from civicpulse.settings import Settings, load_settings

log = logging.getLogger(__name__)

# Provenance that stays with a record: re-extraction changes what was read, not when or where.
_KEPT = ("fetched_at", "warc_record_id", "etag", "last_modified")


def reextract_all(settings: Settings | None = None) -> list[RunSummary]:
    """Re-extract every published partition of every article source in the registry."""
    settings = settings or load_settings()
    sources = [s for s in load_sources() if s.entity == "articles"]
    return [summary for s in sources for summary in reextract_source(s.name, settings)]


def reextract_source(name: str, settings: Settings) -> list[RunSummary]:
    """Re-extract one source's partitions from its archive; each is re-validated and
    republished atomically (or quarantined, leaving the published one in place)."""
    source = get_source(name)
    archived = archive_index(settings.archive_root / source.name)
    summaries = []
    for partition in partitions(settings.raw_root / source.name / source.entity):
        ds = partition.stem
        summary = RunSummary(source=source.name, entity=source.entity, ds=ds)
        rows = [
            _reextract(row, source, archived, summary)
            for row in pq.read_table(partition).to_pylist()
        ]
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        publish(to_table(rows, source.entity, ds), source, ds, settings, summary, stamp)
        log.info("re-extracted %s", summary.line())
        summaries.append(summary)
    return summaries


def archive_index(folder: Path) -> dict[str, ArchivedResponse]:
    """Every archived response of a source, by WARC-Record-ID."""
    return {r.record_id: r for path in warc_files(folder) for r in read_responses(path)}


def _reextract(
    row: Record, source: Source, archived: dict[str, ArchivedResponse], summary: RunSummary
) -> Record:
    response = archived.get(row["warc_record_id"])
    if response is None:
        summary.failed += 1
        summary.failures.append({"item": row["url"], "reason": "archived response not found"})
        return row  # keep what was landed rather than lose the article
    headers = CaseInsensitiveDict(dict(response.headers))
    page = Page(
        response.url, response.status, headers, response.body, row["fetched_at"], response.record_id
    )
    record = extract_page(source, page)
    record.update({k: row.get(k) for k in _KEPT})
    return record
