"""XML sitemaps (sitemaps.org, as WordPress and Drupal publish them): every listed page whose
URL matches the source's pattern is an article; `<lastmod>` tells which ones changed."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping
from datetime import datetime

from lxml import etree

from civicpulse.articles import Discovered, collect
from civicpulse.extract import ExtractionError
from civicpulse.fetch import Fetcher
from civicpulse.records import Failure, Record
from civicpulse.registry import Source

log = logging.getLogger(__name__)

_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
# No DTDs, entities or network: a sitemap is data from the web, not trusted markup.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def records(
    source: Source, client: Fetcher, known: Mapping[str, Record]
) -> Iterator[Record | Failure]:
    """Fetch and extract the sitemap's article pages that are new, changed or due."""
    yield from collect(source, sitemap_links(source, client), known, client)


def sitemap_links(source: Source, client: Fetcher) -> list[Discovered]:
    """Article URLs from the sitemap (index) at the source's URL, in sitemap order."""
    include = re.compile(source.options.get("include", ".*"))
    queue, seen = [source.url], set[str]()
    found: dict[str, Discovered] = {}
    while queue and len(seen) < source.options.get("max_sitemaps", 50):
        url = queue.pop(0)
        seen.add(url)
        try:
            body = client.get(url).body
            root = etree.fromstring(body, _PARSER)
        except etree.XMLSyntaxError as error:
            raise ExtractionError(
                f"{url}: not a readable sitemap ({len(body)} bytes): {error}"
            ) from None
        queue += [loc for loc in root.xpath("sm:sitemap/sm:loc/text()", namespaces=_NS)]
        for entry in root.xpath("sm:url", namespaces=_NS):
            loc = entry.findtext("sm:loc", namespaces=_NS)
            if loc and include.search(loc):
                article = source.canonical(loc.strip())
                found.setdefault(article, Discovered(article, _lastmod(entry)))
    log.info("%s: %d article links in %d sitemaps", source.name, len(found), len(seen))
    if not found:  # the sitemap moved or broke: never a quiet night
        raise ExtractionError(
            f"{source.url}: no entries: the sitemap lists no URL matching {include.pattern!r}"
        )
    return list(found.values())


def _lastmod(entry: etree._Element) -> datetime | None:
    text = entry.findtext("sm:lastmod", namespaces=_NS)
    try:
        stamp = datetime.fromisoformat(text.strip()) if text else None
    except ValueError:
        return None
    return stamp if stamp is not None and stamp.tzinfo is not None else None
