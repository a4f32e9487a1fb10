"""Paginated listing pages that link to article pages; selectors come from the registry."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from datetime import datetime
from urllib.parse import urljoin

from bs4 import BeautifulSoup, Tag

from civicpulse.articles import Discovered, collect
from civicpulse.extract import ExtractionError
from civicpulse.fetch import Fetcher
from civicpulse.records import Failure, Record
from civicpulse.registry import Source

log = logging.getLogger(__name__)


def records(
    source: Source, client: Fetcher, known: Mapping[str, Record]
) -> Iterator[Record | Failure]:
    """Walk the listing pages, then fetch and extract the linked articles that are due."""
    yield from collect(source, article_links(source, client), known, client)


def article_links(source: Source, client: Fetcher) -> list[Discovered]:
    """Article URLs from every listing page, in listing order, without repeats."""
    listing = source.options["listing"]
    links: dict[str, Discovered] = {}
    next_url: str | None = source.url
    visited: set[str] = set()
    while next_url and next_url not in visited and len(visited) < source.options["max_pages"]:
        visited.add(next_url)
        page = client.get(next_url)
        soup = BeautifulSoup(page.text, "lxml")
        items = soup.select(listing["item"])
        if not items and len(visited) == 1:  # a later page may be empty; the first may not
            raise ExtractionError(
                f"{page.url}: listing selector {listing['item']!r} matched nothing "
                f"({len(page.body)} bytes): no items, the listing changed or is empty"
            )
        for item in items:
            anchor = item.select_one(listing["link"])
            if anchor is not None:
                url = source.canonical(urljoin(page.url, str(anchor["href"])))
                modified = item.select_one(listing["modified"]) if "modified" in listing else None
                links.setdefault(url, Discovered(url, _timestamp(modified)))
        following = soup.select_one(listing["next_page"])
        next_url = urljoin(page.url, str(following["href"])) if following else None
    for url in source.options.get("pages", []):  # pages no listing links to, e.g. a project
        links.setdefault(source.canonical(url), Discovered(source.canonical(url)))
    log.info("%s: %d article links on %d listing pages", source.name, len(links), len(visited))
    return list(links.values())


def _timestamp(element: Tag | None) -> datetime | None:
    """A timezone-aware timestamp from a `datetime`/`content` attribute, if there is one."""
    if element is None:
        return None
    raw = element.get("datetime") or element.get("content")
    try:
        stamp = datetime.fromisoformat(str(raw)) if raw else None
    except ValueError:
        return None
    return stamp if stamp is not None and stamp.tzinfo is not None else None
