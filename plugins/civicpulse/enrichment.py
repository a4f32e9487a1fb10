"""Enrich every landed article for the warehouse: `derived/article_enrichments.parquet`, one
row per article content, with the enricher's version. Incremental: content already enriched
by the same version is carried over, so a normal night enriches only what changed, and a
change of code or lookups re-enriches everything, without a re-crawl."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from civicpulse.enrich.article import enrich_article, enricher_version
from civicpulse.files import replaced_atomically
from civicpulse.landing import partitions
from civicpulse.settings import Settings, load_settings

log = logging.getLogger(__name__)

_STRINGS = pa.list_(pa.string())
SCHEMA = pa.schema(
    [
        pa.field("content_hash", pa.string(), nullable=False),
        pa.field("enricher_version", pa.string(), nullable=False),
        pa.field("enriched_at", pa.timestamp("us", tz="UTC"), nullable=False),
        pa.field(
            "countries",
            pa.list_(
                pa.struct(
                    [
                        ("iso3", pa.string()),
                        ("mentions", pa.int32()),
                        ("sections", _STRINGS),
                        ("terms", _STRINGS),
                        ("score", pa.float64()),
                        ("relevance", pa.float64()),
                        ("is_about", pa.bool_()),
                        ("is_primary", pa.bool_()),
                        ("in_list_only", pa.bool_()),
                    ]
                )
            ),
        ),
        pa.field(
            "topics",
            pa.list_(
                pa.struct([("topic_id", pa.string()), ("score", pa.float64()), ("terms", _STRINGS)])
            ),
        ),
        pa.field(
            "organisations",
            pa.list_(
                pa.struct(
                    [
                        ("organisation_id", pa.string()),
                        ("name", pa.string()),
                        ("kind", pa.string()),
                        ("mentions", pa.int32()),
                        ("terms", _STRINGS),
                    ]
                )
            ),
        ),
        pa.field(
            "figures",
            pa.list_(
                pa.struct(
                    [
                        ("value", pa.float64()),
                        ("qualifier", pa.string()),
                        ("noun", pa.string()),
                        ("verb", pa.string()),
                        ("kind", pa.string()),
                        ("text", pa.string()),
                        ("sentence", pa.string()),
                        ("section", pa.string()),
                    ]
                )
            ),
        ),
    ]
)
_INPUTS = ["source_id", "url", "content_hash", "title", "body", "tags", "language"]


def enrichment_path(settings: Settings) -> Path:
    return settings.derived_root / "article_enrichments.parquet"


def enrich_landed_articles(settings: Settings | None = None) -> dict[str, int]:
    """(Re)write the enrichment of every article in the sources' latest partitions; return
    how many were carried over, enriched and dropped."""
    settings = settings or load_settings()
    version = enricher_version()
    path = enrichment_path(settings)
    previous = _previous(path, version)
    started = time.perf_counter()
    rows: dict[str, dict[str, Any]] = {}
    enriched = carried = 0
    for article in _current_articles(settings):
        key = article["content_hash"]
        if key in rows:
            continue
        if key in previous:
            rows[key], carried = previous[key], carried + 1
            continue
        try:
            result = enrich_article(
                article["title"], article["body"], article["tags"], article["language"]
            )
        except Exception as error:  # one bad text never costs the night: say which
            log.error(
                "%s: %s: enrichment failed (content %s), left untagged: %s: %s",
                article["source_id"],
                article["url"],
                key,
                type(error).__name__,
                error,
            )
            continue
        rows[key] = {"content_hash": key, "enriched_at": datetime.now(UTC), **result}
        enriched += 1
    _write(path, list(rows.values()))
    counts = {
        "articles": len(rows),
        "carried_over": carried,
        "enriched": enriched,
        "dropped": len(set(previous) - set(rows)),
    }
    log.info(
        "enrichment %s: %d articles (%d carried over, %d enriched in %.1f s, %d dropped) -> %s",
        version,
        counts["articles"],
        carried,
        enriched,
        time.perf_counter() - started,
        counts["dropped"],
        path,
    )
    return counts


def _current_articles(settings: Settings) -> list[dict[str, Any]]:
    """Every article as its source last landed it (each partition is a full snapshot)."""
    articles: list[dict[str, Any]] = []
    for folder in sorted(settings.raw_root.glob("*/articles")):
        latest = partitions(folder)[-1:]
        if latest:
            articles.extend(pq.read_table(latest[0], columns=_INPUTS).to_pylist())
    return articles


def _previous(path: Path, version: str) -> dict[str, dict[str, Any]]:
    """Last build's rows made by this same version, by content hash."""
    if not path.exists():
        return {}
    try:
        table = pq.read_table(path)
    except (OSError, pa.ArrowInvalid) as error:
        log.warning("ignoring unreadable %s (%s): enriching everything again", path, error)
        return {}
    rows = table.to_pylist()
    return {r["content_hash"]: r for r in rows if r["enricher_version"] == version}


def _write(path: Path, rows: list[dict[str, Any]]) -> None:
    with replaced_atomically(path) as staged:
        pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMA), staged)
