"""The snapshot's article pages as the crawl meets them, and the same pages at the size real
sites serve them: for the extraction benchmark and the extraction reference test."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from requests.structures import CaseInsensitiveDict

from civicpulse.adapters.feed import feed_entries
from civicpulse.adapters.html_listing import article_links
from civicpulse.adapters.sitemap import sitemap_links
from civicpulse.adapters.wordpress_api import api_posts
from civicpulse.archive import read_responses, warc_files
from civicpulse.articles import Discovered
from civicpulse.extract import Stated
from civicpulse.fetch import Fetcher, Page
from civicpulse.registry import Source, sources_for
from civicpulse.settings import load_settings

SNAPSHOT = Path(__file__).parent / "fixtures"
# Pages are extracted as fetched on this day, so date checks against the fetch are stable.
FETCHED_AT = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)

ArticlePage = tuple[Source, Page, Stated]

# How each kind of source finds its article URLs (listing pages are not articles).
DISCOVER: dict[str, Callable[[Source, Fetcher], list[Discovered]]] = {
    "feed": feed_entries,
    "html_listing": article_links,
    "sitemap": sitemap_links,
    "wordpress_api": api_posts,
}


def article_pages() -> list[ArticlePage]:
    """Every article page the snapshot holds, found as the adapters find them, with its
    source and what the channel that found it states about it."""
    recorded = {r.url: r for path in warc_files(SNAPSHOT) for r in read_responses(path)}
    settings = load_settings(
        {"CIVICPULSE_REPLAY": str(SNAPSHOT), "CIVICPULSE_DATA": "/nonexistent"}
    )
    pages = []
    for source in sources_for("articles"):
        with Fetcher(source.hosts, settings) as client:
            found = DISCOVER[source.adapter](source, client)
        for item in found:
            response = recorded[item.url]
            headers = CaseInsensitiveDict(dict(response.headers))
            page = Page(item.url, 200, headers, response.body, FETCHED_AT, response.record_id)
            pages.append((source, page, item.stated))
    return pages


# --- the same pages at the size real sites serve them --------------------------------------

_WORDS = (
    "programs governance peace security women justice elections democracy youth dialogue "
    "climate resilience research publications events careers donate about team partners "
    "africa asia europe americas middle-east news stories insights reports podcasts media"
).split()


def bloated(page: Page, target_bytes: int = 170_000) -> Page:
    """`page` with the boilerplate a real site wraps around an article, to about
    `target_bytes`: a mega menu, inline analytics and framework scripts, an inline JSON
    state blob, a cookie banner, related-story teasers and a link-heavy footer. The same
    page always grows the same way (seeded by its URL)."""
    html = page.body.decode("utf-8")
    rng = random.Random(page.url)
    head = _scripts(rng, 6, 4_000) + _state_blob(rng, 45_000)
    nav = _mega_menu(rng, sections=12, links=24)
    tail = _teasers(rng, 12) + _footer(rng, columns=6, links=30) + _cookie_banner()
    tail += _scripts(rng, 8, 3_000)
    grown = _insert(html, "</head>", head)
    grown = _insert(grown, "<body", nav, after_tag=True)
    grown = _insert(grown, "</body>", tail)
    while len(grown.encode()) < target_bytes:  # pad with more menu: what the biggest sites do
        grown = _insert(grown, "</body>", _footer(rng, columns=6, links=30))
    body = grown.encode("utf-8")
    return Page(page.url, page.status, page.headers, body, page.fetched_at, page.warc_record_id)


def _insert(html: str, marker: str, extra: str, after_tag: bool = False) -> str:
    at = html.lower().find(marker)
    if at < 0:
        return html + extra
    if after_tag:
        at = html.index(">", at) + 1
    return html[:at] + extra + html[at:]


def _phrase(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(words)).capitalize()


def _links(rng: random.Random, count: int, item_attributes: str = "") -> str:
    return "".join(
        f'<li{item_attributes}><a href="/{rng.choice(_WORDS)}/{n}/">{_phrase(rng, 3)}</a></li>'
        for n in range(count)
    )


def _mega_menu(rng: random.Random, sections: int, links: int) -> str:
    items = "".join(
        f'<li class="menu-item menu-item-has-children"><a href="/{rng.choice(_WORDS)}/">'
        f'{_phrase(rng, 2)}</a><ul class="sub-menu">'
        + _links(rng, links, ' class="menu-item"')
        + "</ul></li>"
        for _ in range(sections)
    )
    return (
        '<header class="site-header"><div class="top-bar"><a class="skip-link" href="#main">'
        'Skip to content</a></div><nav class="main-navigation" aria-label="Main">'
        f'<ul id="primary-menu" class="menu">{items}</ul></nav>'
        '<form role="search" class="search-form"><input type="search" name="s"></form></header>'
    )


def _scripts(rng: random.Random, count: int, size: int) -> str:
    scripts = []
    for n in range(count):
        calls = ""
        while len(calls) < size:
            key, value = rng.choice(_WORDS), rng.randrange(10**6)
            calls += f'window.dataLayer.push({{"event":"{key}","value":{value}}});'
        scripts.append(f'<script id="tracker-{n}">(function(){{{calls}}})();</script>')
    return "".join(scripts)


def _state_blob(rng: random.Random, size: int) -> str:
    """An inline framework state (Next.js, Nuxt, WordPress block data): JSON, not JSON-LD."""
    entries: list[dict[str, object]] = []
    while len(json.dumps(entries)) < size:
        entries.append(
            {"id": rng.randrange(10**5), "slug": rng.choice(_WORDS), "title": _phrase(rng, 6)}
        )
    return f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(entries)}</script>'


def _teasers(rng: random.Random, count: int) -> str:
    cards = "".join(
        f'<article class="teaser"><h3><a href="/news/{rng.choice(_WORDS)}-{n}/">'
        f"{_phrase(rng, 7)}</a></h3><p>{_phrase(rng, 22)}.</p></article>"
        for n in range(count)
    )
    return f'<aside class="related-stories"><h2>Related stories</h2>{cards}</aside>'


def _footer(rng: random.Random, columns: int, links: int) -> str:
    cols = "".join(
        f'<div class="footer-column"><h4>{_phrase(rng, 2)}</h4><ul>'
        + _links(rng, links)
        + "</ul></div>"
        for _ in range(columns)
    )
    return f'<footer class="site-footer"><div class="footer-widgets">{cols}</div></footer>'


def _cookie_banner() -> str:
    return (
        '<div id="cookie-notice" role="dialog"><span>We use cookies to understand how the site '
        "is used.</span><button>Accept</button><button>Settings</button></div>"
    )
