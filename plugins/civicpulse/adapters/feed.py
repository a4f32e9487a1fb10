"""RSS and Atom feeds (any dialect feedparser reads): each entry links to an article page,
states its title, dates and author, and its `updated` time is the change signal."""

from __future__ import annotations

import calendar
import logging
import time
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

import feedparser

from civicpulse.articles import Discovered, collect
from civicpulse.extract import ExtractionError, Stated
from civicpulse.fetch import Fetcher
from civicpulse.records import Failure, Record
from civicpulse.registry import Source

log = logging.getLogger(__name__)


def records(
    source: Source, client: Fetcher, known: Mapping[str, Record]
) -> Iterator[Record | Failure]:
    """Read the feed (and its RFC 5005 next pages), then fetch the entries that are due."""
    yield from collect(source, feed_entries(source, client), known, client)


def feed_entries(source: Source, client: Fetcher) -> list[Discovered]:
    """One `Discovered` per feed entry with a link, in feed order, without repeats."""
    found: dict[str, Discovered] = {}
    url: str | None = source.url
    seen: set[str] = set()
    while url and url not in seen and len(seen) < source.options.get("max_pages", 10):
        seen.add(url)
        page = client.get(url)
        # Bytes, never a URL: feedparser must not fetch anything itself.
        kind = page.headers.get("Content-Type") or "application/xml"  # else bozo on no items
        headers = {"content-location": page.url, "content-type": kind}
        feed = feedparser.parse(page.body, response_headers=headers)
        if not page.body.strip():
            raise ExtractionError(f"{page.url}: not a feed: an empty response (0 bytes)")
        if feed.bozo and not feed.entries:
            raise ExtractionError(
                f"{page.url}: not a readable feed ({len(page.body)} bytes): {feed.bozo_exception}"
            )
        for entry in feed.entries:
            if link := entry.get("link"):
                article = source.canonical(link)
                found.setdefault(article, _discovered(article, entry))
        url = next((li.href for li in feed.feed.get("links", []) if li.rel == "next"), None)
    log.info("%s: %d entries in %d feed pages", source.name, len(found), len(seen))
    if not found:  # the feed moved or broke: never a quiet night
        raise ExtractionError(f"{source.url}: the feed lists no entries with a link")
    return list(found.values())


def _discovered(url: str, entry: Any) -> Discovered:
    published = _utc(entry.get("published_parsed"))
    updated = _utc(entry.get("updated_parsed"))
    authors = tuple(a["name"] for a in entry.get("authors", []) if a.get("name"))
    stated = Stated(
        title=entry.get("title"),
        published=published.isoformat() if published else None,
        # RSS has one date; feedparser repeats pubDate as `updated`, which is no edit.
        updated=updated.isoformat() if updated and updated != published else None,
        authors=authors,
    )
    return Discovered(url, updated or published, stated)


def _utc(parsed: time.struct_time | None) -> datetime | None:
    """feedparser's normalised (UTC) struct_time as an aware datetime."""
    return datetime.fromtimestamp(calendar.timegm(parsed), UTC) if parsed else None
