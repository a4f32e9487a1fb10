"""The listing adapter over the recorded PartnersGlobal snapshot, checked against seed 000."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from civicpulse.adapters.html_listing import article_links, records
from civicpulse.articles import Discovered
from civicpulse.extract import EXTRACTOR
from civicpulse.fetch import Fetcher
from civicpulse.records import Failure, Record
from civicpulse.settings import Settings
from tests.seeds import seed_posts
from tests.snapshots import LISTING_1, edited_snapshot, mark_edited
from tests.sources import PARTNERSGLOBAL_LISTING

SOURCE = PARTNERSGLOBAL_LISTING
EDITED = datetime(2026, 11, 19, 15, 30, tzinfo=UTC)


@pytest.fixture
def client(settings: Settings) -> Iterator[Fetcher]:
    with Fetcher(SOURCE.hosts, settings) as fetcher:
        yield fetcher


@pytest.fixture
def articles(client: Fetcher) -> list[Record]:
    results = list(records(SOURCE, client, {}))
    assert not [r for r in results if isinstance(r, Failure)]
    return [r for r in results if not isinstance(r, Failure)]


def test_follows_pagination_to_every_post(client: Fetcher) -> None:
    links = article_links(SOURCE, client)
    assert len(links) == len(seed_posts()) == 9
    assert all(link.url.startswith("https://www.partnersglobal.org/newsroom/") for link in links)
    assert client.stats.requests == 3  # robots.txt and two listing pages


def test_every_seed_post_is_one_article_with_its_paragraphs_in_order(
    articles: list[Record],
) -> None:
    for post, article in zip(seed_posts(), articles, strict=True):
        assert article["body"].split("\n\n") == post.paragraphs, article["url"]


def test_bylines_and_dates_come_from_the_page(articles: list[Record]) -> None:
    for post, article in zip(seed_posts(), articles, strict=True):
        assert article["authors"] == ([post.author] if post.author else [])
        assert article["published_date"] == post.published
    by_author = {a["authors"][0]: a for a in articles if a["authors"]}
    assert str(by_author["Jillian Slutzker Rocker"]["published_date"]) == "2021-03-19"
    assert str(by_author["Mishellt Melgarejo"]["published_date"]) == "2019-11-25"
    assert str(by_author["Athir Hatem"]["published_date"]) == "2019-12-18"


def test_boilerplate_stays_out_and_mojibake_is_repaired(articles: list[Record]) -> None:
    bodies = "\n".join(a["body"] for a in articles)
    assert "Share this" not in bodies and "Related" not in bodies
    assert "Sebastián Piñera" in bodies and "√" not in bodies


def test_provenance_and_page_metadata(articles: list[Record]) -> None:
    for article in articles:
        assert article["source_id"] == SOURCE.name
        assert article["language"] == "en"
        assert article["content_type"] in {"News", "Blog", "Press Releases", "Opportunities"}
        assert article["tags"] == []
        assert article["extractor"] == EXTRACTOR
        assert article["summary"] and len(article["summary"]) <= 301


def test_a_listing_that_shows_an_edit_dates_the_link(settings: Settings, tmp_path: Path) -> None:
    tashkent = next(u for u in (d.url for d in links_of(settings)) if "tashkent-and" in u)
    edited = edited_snapshot(tmp_path / "site", {LISTING_1: mark_edited(tashkent, EDITED)})
    modified = {d.url: d.modified for d in links_of(replace(settings, replay_dir=edited))}
    assert modified.pop(tashkent) == EDITED
    assert set(modified.values()) == {None}  # the theme prints no time for unedited posts


def links_of(settings: Settings) -> list[Discovered]:
    with Fetcher(SOURCE.hosts, settings) as client:
        return article_links(SOURCE, client)
