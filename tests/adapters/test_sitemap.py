"""A WordPress site ingested from nothing but a registry entry: its sitemap, then its pages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from civicpulse.adapters.sitemap import records, sitemap_links
from civicpulse.fetch import Fetcher
from civicpulse.records import Failure, Record
from civicpulse.registry import get_source, parse_sources
from civicpulse.settings import Settings
from tests.seeds import seed_posts

GUINEA = (
    "https://www.partnersglobal.org/newsroom/"
    "journees-dechanges-et-de-partage-dexperiences-2019-partenaires-pour-la-securite-en-guinee/"
)
# The whole "adapter" for this site: an entry. Article selectors are PartnersGlobal's theme's.
(SOURCE,) = parse_sources(
    [
        {
            "name": "partnersglobal_sitemap",
            "adapter": "sitemap",
            "url": "https://www.partnersglobal.org/wp-sitemap.xml",
            "entity": "articles",
            "owner": "@civicpulse/news",
            "license": "© PartnersGlobal",
            "description": "PartnersGlobal posts found through the WordPress sitemap.",
            "options": {
                "include": "/newsroom/",
                "trailing_slash": True,
                "article": get_source("partnersglobal").options["article"],
            },
        }
    ]
)


@pytest.fixture
def client(settings: Settings) -> Iterator[Fetcher]:
    with Fetcher(SOURCE.hosts, settings) as fetcher:
        yield fetcher


@pytest.fixture
def articles(client: Fetcher) -> dict[str, Record]:
    results = list(records(SOURCE, client, {}))
    assert not [r for r in results if isinstance(r, Failure)]
    return {r["url"]: r for r in results if not isinstance(r, Failure)}


def test_every_post_in_the_sitemap_becomes_an_article(articles: dict[str, Record]) -> None:
    assert len(articles) == 15  # the 9 newsroom posts of seed 000 and the 6 of seed 001
    bodies = {a["body"] for a in articles.values()}
    assert all("\n\n".join(post.paragraphs) in bodies for post in seed_posts())


def test_the_bilingual_guinea_page_is_french_first_and_says_so(articles: dict[str, Record]) -> None:
    guinea = articles[GUINEA]
    assert guinea["language"] == "fr"
    assert guinea["languages"] == ["fr", "en"]
    assert "Partners for Security in Guinea Share Fair" in guinea["body"]


def test_lastmod_decides_which_known_posts_are_fetched(
    client: Fetcher, articles: dict[str, Record]
) -> None:
    links = {d.url: d.modified for d in sitemap_links(SOURCE, client)}
    dated = {url: modified for url, modified in links.items() if modified is not None}
    assert len(dated) == 14  # the undated Bahrain post has no <lastmod>
    known = {url: dict(a) for url, a in articles.items()}
    stale = next(iter(dated))  # landed before its <lastmod>: edited since
    known[stale]["fetched_at"] = dated[stale].replace(year=dated[stale].year - 1)
    before = client.stats.requests
    list(records(SOURCE, client, known))
    assert client.stats.requests - before == 2 + 1  # the two sitemaps, then only the stale post
