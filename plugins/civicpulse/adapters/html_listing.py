"""Paginated listing pages that link to article pages; selectors come from the registry."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

from civicpulse.articles import DEFAULT_REFRESH_DAYS, Discovered, collect
from civicpulse.fetch import Fetcher, Page
from civicpulse.records import Failure, Record, clean_text
from civicpulse.registry import Source

log = logging.getLogger(__name__)

EXTRACTOR = "html_listing/1"
_BLOCKS = ["p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "figcaption"]
_SUMMARY_CHARS = 300


class ExtractionError(ValueError):
    """An article page lacks something every article must have."""


def records(
    source: Source, client: Fetcher, known: Mapping[str, Record]
) -> Iterator[Record | Failure]:
    """Walk the listing pages, then fetch and extract the linked articles that are due."""
    yield from collect(
        article_links(source, client),
        known,
        client,
        lambda page: extract_page(source, page),
        source_name=source.name,
        refresh_days=source.options.get("refresh_days", DEFAULT_REFRESH_DAYS),
    )


def extract_page(source: Source, page: Page) -> Record:
    """One article record from one page of `source` (also used to re-extract the archive)."""
    record = extract_article(page, source.options["article"], source.name)
    record["url"] = source.canonical(record["url"])
    return record


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
        if not items:
            raise ExtractionError(
                f"{page.url}: listing selector {listing['item']!r} matched nothing"
            )
        for item in items:
            anchor = item.select_one(listing["link"])
            if anchor is not None:
                url = source.canonical(urljoin(page.url, str(anchor["href"])))
                modified = item.select_one(listing["modified"]) if "modified" in listing else None
                links.setdefault(url, Discovered(url, _timestamp(modified)))
        following = soup.select_one(listing["next_page"])
        next_url = urljoin(page.url, str(following["href"])) if following else None
    log.info("%s: %d article links on %d listing pages", source.name, len(links), len(visited))
    return list(links.values())


def extract_article(page: Page, selectors: dict[str, str], source_id: str) -> Record:
    """One article record from a page, using the source's CSS selectors."""
    soup = BeautifulSoup(page.text, "lxml")
    title = _text(soup.select_one(selectors["title"]))
    body_root = soup.select_one(selectors["body"])
    if not title or body_root is None:
        missing = "title" if not title else "body"
        raise ExtractionError(f"{page.url}: no {missing} (selector {selectors[missing]!r})")
    for boilerplate in body_root.select(selectors.get("boilerplate", "script, style")):
        boilerplate.decompose()
    blocks = body_text_blocks(body_root)
    return {
        "source_id": source_id,
        "url": canonical_url(soup, page.url),
        "title": title,
        "published_date": _published_date(soup, selectors["published"], page.fetched_at),
        "authors": _unique(_text(el) for el in soup.select(selectors["authors"])),
        "language": _language(soup),
        "content_type": _text(soup.select_one(selectors["content_type"]))
        if "content_type" in selectors
        else None,
        "tags": _unique(_text(el) for el in soup.select(selectors["tags"])),
        "body": "\n\n".join(blocks),
        "summary": _summary(soup, blocks),
        "extractor": EXTRACTOR,
        "fetched_at": page.fetched_at,
        "warc_record_id": page.warc_record_id,
    }


def body_text_blocks(root: Tag) -> list[str]:
    """Paragraph-level texts in document order; list items keep their bullet or number."""
    blocks = []
    for element in root.find_all(_BLOCKS):
        if element.find_parent(_BLOCKS) is not None:
            continue  # already part of an enclosing block's text
        text = clean_text(element.get_text(" "))
        if not text:
            continue
        if element.name == "li":
            text = f"{_list_marker(element)} {text}"
        blocks.append(text)
    return blocks


def canonical_url(soup: BeautifulSoup, fetched_url: str) -> str:
    """The page's declared canonical URL when it is on the fetched host, else the fetched URL."""
    link = soup.find("link", rel="canonical", href=True)
    if isinstance(link, Tag):
        candidate = urljoin(fetched_url, str(link["href"]))
        fetched = urlsplit(fetched_url)
        if fetched.scheme == "file" or urlsplit(candidate).hostname == fetched.hostname:
            return candidate  # a saved page (file) can only name its URL this way
    return fetched_url


def _list_marker(item: Tag) -> str:
    parent = item.parent
    if parent is not None and parent.name == "ol":
        return f"{parent.find_all('li', recursive=False).index(item) + 1}."
    return "•"


def _published_date(soup: BeautifulSoup, selector: str, fetched_at: datetime) -> date | None:
    element = soup.select_one(selector)
    if element is None:
        return None
    raw = str(element.get("datetime") or element.get("content") or element.get_text()).strip()
    try:
        published = datetime.fromisoformat(raw)
    except ValueError:
        log.warning("unparseable date %r", raw)
        return None
    if published.tzinfo is not None and published >= fetched_at:
        log.warning("rejecting date %s: not before the fetch time", raw)
        return None
    return published.date()


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


def _language(soup: BeautifulSoup) -> str | None:
    html = soup.find("html")
    lang = html.get("lang") if isinstance(html, Tag) else None
    return str(lang).split("-")[0].lower() if lang else None


def _summary(soup: BeautifulSoup, blocks: list[str]) -> str | None:
    meta = soup.find("meta", attrs={"name": "description"}) or soup.find(
        "meta", property="og:description"
    )
    if isinstance(meta, Tag) and meta.get("content"):
        return clean_text(str(meta["content"]))
    if not blocks:
        return None
    first = blocks[0]
    return first if len(first) <= _SUMMARY_CHARS else first[:_SUMMARY_CHARS].rsplit(" ", 1)[0] + "…"


def _text(element: Any) -> str:
    return clean_text(element.get_text(" ")) if element is not None else ""


def _unique(values: Any) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))
