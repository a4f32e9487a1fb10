"""Fetch the articles a discovery channel found, incrementally: only what is new, changed, or
due for a re-check is requested, conditionally; everything else is carried forward as landed."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from civicpulse.extract import NOTHING_STATED, Stated, extract_article
from civicpulse.fetch import (
    DisallowedByRobots,
    Fetcher,
    FetchError,
    NotAccepted,
    Page,
    Validators,
)
from civicpulse.records import FETCHED_URL, Failure, Record
from civicpulse.registry import Source

log = logging.getLogger(__name__)

DEFAULT_REFRESH_DAYS = 7
HTML = frozenset({"text/html", "application/xhtml+xml"})


@dataclass(frozen=True)
class Discovered:
    """An article URL found by a channel, with its modification time if the channel gives one
    and whatever else the channel states about the article (evidence for extraction)."""

    url: str
    modified: datetime | None = None
    stated: Stated = NOTHING_STATED


def collect(
    source: Source,
    found: Iterable[Discovered],
    known: Mapping[str, Record],
    client: Fetcher,
    *,
    refresh_days: float | None = None,
) -> Iterator[Record | Failure]:
    """One record (or failure) per discovered article of `source`; `known` maps URL to its
    latest landing. Every article adapter ends here, whatever channel found the URLs.

    An article that fails to refetch is reported and also carried forward as landed, so a bad
    night never drops what an earlier one collected."""
    if refresh_days is None:
        refresh_days = source.options.get("refresh_days", DEFAULT_REFRESH_DAYS)
    refresh = timedelta(days=refresh_days)
    for item in found:
        before = known.get(item.url)
        if before is not None and not _due(item, before, refresh, client.started_at):
            yield before
            continue
        try:
            page = client.get(item.url, _validators(before), accept=HTML)
            if page.status == 304 and before is not None:
                yield before
                continue
            record = extract_page(source, page, item.stated)
            record.update(
                etag=page.headers.get("ETag"), last_modified=page.headers.get("Last-Modified")
            )
            record[FETCHED_URL] = source.canonical(page.url)
            yield record
        except (DisallowedByRobots, NotAccepted) as skipped:
            log.warning("%s: skipped %s", source.name, skipped)
            yield Failure(item.url, skipped.reason, skipped=True)
        except (FetchError, ValueError) as error:
            log.error("%s: %s", source.name, error)
            yield Failure(item.url, str(error))
            if before is not None:
                yield before


def extract_page(source: Source, page: Page, stated: Stated = NOTHING_STATED) -> Record:
    """One article record from one page of `source` (also used to re-extract the archive)."""
    record = extract_article(page, source.options.get("article", {}), source.name, stated)
    record["url"] = source.canonical(record["url"])
    return record


def _due(item: Discovered, before: Record, refresh: timedelta, now: datetime) -> bool:
    fetched_at: datetime = before["fetched_at"]
    changed = item.modified is not None and item.modified > fetched_at
    return changed or now - fetched_at >= refresh


def _validators(before: Record | None) -> Validators | None:
    if before is None:
        return None
    fields: dict[str, Any] = {k: before.get(k) for k in ("etag", "last_modified")}
    return Validators(**fields)
