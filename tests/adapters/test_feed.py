"""Feeds: a WordPress site ingested from its RSS feed and a registry entry with no selectors
at all; an Atom feed paged with RFC 5005 `next` links, over a real local HTTP server."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from civicpulse.adapters.feed import feed_entries, records
from civicpulse.fetch import Fetcher
from civicpulse.records import Failure, Record
from civicpulse.registry import parse_sources
from civicpulse.settings import Settings, load_settings
from tests.conftest import FIXTURES
from tests.http_server import Reply, serve
from tests.seeds import seed_posts
from tests.sources import SITE, partnersglobal_via

# The whole "adapter" for this site: the feed's URL. No selectors: the page's structured data,
# the feed's fields and generic extraction do the rest.
SOURCE = partnersglobal_via("feed", f"{SITE}/feed/")
GUINEA = (
    f"{SITE}/newsroom/"
    "journees-dechanges-et-de-partage-dexperiences-2019-partenaires-pour-la-securite-en-guinee/"
)


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Record]:
    data = tmp_path_factory.mktemp("data")
    settings = load_settings({"CIVICPULSE_DATA": str(data), "CIVICPULSE_REPLAY": str(FIXTURES)})
    with Fetcher(SOURCE.hosts, settings) as client:
        results = list(records(SOURCE, client, {}))
    assert not [r for r in results if isinstance(r, Failure)]
    return {r["url"]: r for r in results if not isinstance(r, Failure)}


def test_every_feed_entry_becomes_an_article_with_its_seed_text(
    articles: dict[str, Record],
) -> None:
    assert len(articles) == 15  # seeds 000 and 001
    bodies = [a["body"] for a in articles.values()]
    for post in seed_posts():
        assert sum("\n\n".join(post.paragraphs) in body for body in bodies) == 1


def test_bylines_come_from_the_feed_when_the_page_declares_none(
    articles: dict[str, Record],
) -> None:
    bylined = {a["authors"][0]: a["published_date"] for a in articles.values() if a["authors"]}
    assert bylined == {
        post.author: post.published for post in seed_posts() if post.author is not None
    }


def test_the_bilingual_guinea_page_is_french_first(articles: dict[str, Record]) -> None:
    assert (articles[GUINEA]["language"], articles[GUINEA]["languages"]) == ("fr", ["fr", "en"])


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Example</title><id>urn:example</id><updated>2024-05-02T10:00:00Z</updated>
  {next}
  <entry>
    <title>{title}</title><id>urn:{slug}</id>
    <link rel="alternate" href="/posts/{slug}"/>
    <published>2024-05-01T09:00:00Z</published><updated>{updated}</updated>
    <author><name>Ana Pérez</name></author>
  </entry>
</feed>"""
PAGE = "<html><body><article><h1>{title}</h1><p>{text}</p></article></body></html>"


def atom_site() -> dict[str, list[Reply]]:
    xml, html = {"Content-Type": "application/atom+xml"}, {"Content-Type": "text/html"}
    return {
        "/feed.atom": [
            Reply(
                200,
                ATOM.format(
                    next='<link rel="next" href="/feed.atom?page=2"/>',
                    title="Edited post",
                    slug="one",
                    updated="2024-05-02T10:00:00Z",
                ).encode(),
                xml,
            )
        ],
        "/feed.atom?page=2": [
            Reply(
                200,
                ATOM.format(
                    next="", title="Older post", slug="two", updated="2024-05-01T09:00:00Z"
                ).encode(),
                xml,
            )
        ],
        "/posts/one": [Reply(200, PAGE.format(title="Edited", text="First. " * 30).encode(), html)],
        "/posts/two": [Reply(200, PAGE.format(title="Older", text="Second. " * 30).encode(), html)],
    }


def test_an_atom_feed_is_followed_to_its_next_page(settings: Settings) -> None:
    live = replace(settings, replay_dir=None, crawl_delay_s=0.0)
    with serve(atom_site()) as site:
        (source,) = parse_sources(
            [
                {
                    "name": "example_atom",
                    "adapter": "feed",
                    "url": f"{site.base}/feed.atom",
                    "entity": "articles",
                    "owner": "@tests",
                    "license": "test",
                    "description": "An Atom feed in two pages.",
                }
            ]
        )
        with Fetcher(source.hosts, live) as client:
            entries = {d.url: d for d in feed_entries(source, client)}
            found = [r for r in records(source, client, {}) if not isinstance(r, Failure)]
    one, two = entries[f"{site.base}/posts/one"], entries[f"{site.base}/posts/two"]
    assert (one.stated.title, one.stated.authors) == ("Edited post", ("Ana Pérez",))
    assert one.modified is not None and one.modified.isoformat() == "2024-05-02T10:00:00+00:00"
    assert two.stated.updated is None  # updated == published: no edit
    by_url = {r["url"]: r for r in found}
    article = by_url[f"{site.base}/posts/one"]
    assert article["authors"] == ["Ana Pérez"] and article["date_source"] == "feed"
    assert article["published_date"] == date(2024, 5, 1)
    assert article["updated_date"] == date(2024, 5, 2)
