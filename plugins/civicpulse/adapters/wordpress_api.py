"""The WordPress REST API (`/wp-json/wp/v2/posts`): every post, 100 per request, with its
title and GMT dates; `modified_gmt` is the change signal, so a quiet night costs one request
per hundred posts. The page itself is still fetched for the body, byline and tags."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

from bs4 import BeautifulSoup

from civicpulse.articles import Discovered, collect
from civicpulse.extract import ExtractionError, Stated
from civicpulse.fetch import Fetcher
from civicpulse.records import Failure, Record
from civicpulse.registry import Source

log = logging.getLogger(__name__)

PER_PAGE = 100  # the API's maximum


def records(
    source: Source, client: Fetcher, known: Mapping[str, Record]
) -> Iterator[Record | Failure]:
    """Page through the posts collection, then fetch the posts that are new, changed or due."""
    yield from collect(source, api_posts(source, client), known, client)


def api_posts(source: Source, client: Fetcher) -> list[Discovered]:
    """One `Discovered` per published post, in the API's order (newest first)."""
    found: dict[str, Discovered] = {}
    number, pages = 1, 1
    while number <= min(pages, source.options.get("max_pages", 50)):
        page = client.get(f"{source.url}?per_page={PER_PAGE}&page={number}")
        posts = page.json()
        if not isinstance(posts, list):
            raise ExtractionError(f"{page.url}: expected a list of posts, got {posts!r:.200}")
        pages = int(page.headers.get("X-WP-TotalPages", "1"))
        for post in posts:
            url = source.canonical(urljoin(page.url, post["link"]))
            found.setdefault(url, _discovered(url, post))
        number += 1
    log.info("%s: %d posts in %d API pages", source.name, len(found), number - 1)
    if not found:  # the API moved or is switched off: never a quiet night
        raise ExtractionError(f"{source.url}?per_page={PER_PAGE}&page=1: no posts")
    return list(found.values())


def _discovered(url: str, post: dict[str, Any]) -> Discovered:
    published, modified = _gmt(post.get("date_gmt")), _gmt(post.get("modified_gmt"))
    title = post.get("title", {}).get("rendered")
    stated = Stated(
        title=BeautifulSoup(title, "lxml").get_text() if title else None,  # rendered HTML
        published=published.isoformat() if published else None,
        updated=modified.isoformat() if modified and modified != published else None,
    )
    return Discovered(url, modified, stated)


def _gmt(value: str | None) -> datetime | None:
    """WordPress's `*_gmt` fields: ISO 8601 without a zone, in UTC."""
    return datetime.fromisoformat(value).replace(tzinfo=UTC) if value else None
