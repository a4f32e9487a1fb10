"""Adapters: code per *kind* of source. Each takes a `Source`, a `Fetcher` and the source's
latest landed records by URL (for incremental crawls), and yields `Record`s (plain dicts) or
`Failure`s; none writes files or reads the clock."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from civicpulse.adapters import (
    acled_api,
    download,
    feed,
    html_listing,
    sitemap,
    ucdp_api,
    wordpress_api,
    worldbank_api,
)
from civicpulse.fetch import Fetcher
from civicpulse.records import Failure, Record
from civicpulse.registry import Source

Adapter = Callable[[Source, Fetcher, Mapping[str, Record]], Iterator[Record | Failure]]

ADAPTERS: dict[str, Adapter] = {
    "acled_api": acled_api.records,
    "download": download.records,
    "feed": feed.records,
    "html_listing": html_listing.records,
    "sitemap": sitemap.records,
    "ucdp_api": ucdp_api.records,
    "wordpress_api": wordpress_api.records,
    "worldbank_api": worldbank_api.records,
}
