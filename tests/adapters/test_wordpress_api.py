"""The WordPress REST API adapter: PartnersGlobal's registry entry over the recorded API, and
paging and error payloads against a real local HTTP server."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from civicpulse.adapters.wordpress_api import api_posts, records
from civicpulse.extract import ExtractionError
from civicpulse.fetch import Fetcher
from civicpulse.records import Failure
from civicpulse.registry import Source, get_source, parse_sources
from civicpulse.settings import Settings
from tests.http_server import Reply, serve

SOURCE = get_source("partnersglobal")
JSON = {"Content-Type": "application/json; charset=UTF-8"}


def test_every_post_of_every_category_is_found_with_its_api_fields(settings: Settings) -> None:
    with Fetcher(SOURCE.hosts, settings) as client:
        posts = {d.url: d for d in api_posts(SOURCE, client)}
        assert client.stats.requests == 2  # robots.txt and one page of 100
    assert len(posts) == 15  # seeds 000 and 001; the /newsroom/ listing shows only 9
    undated = [d for d in posts.values() if d.modified is None]
    assert len(undated) == 1 and "bahrain" in undated[0].url  # null dates, as the seed has none
    chile = next(d for url, d in posts.items() if "protests-in-chile" in url)
    assert chile.stated.title == "Protests in Chile: What They Mean for Democracy"
    assert str(chile.stated.published).startswith("2019-11-25T")  # the seed's date, in UTC


def test_records_carry_the_page_text_and_the_api_title(settings: Settings) -> None:
    with Fetcher(SOURCE.hosts, settings) as client:
        found = list(records(SOURCE, client, {}))
    assert not [r for r in found if isinstance(r, Failure)]
    assert {r["language"] for r in found if not isinstance(r, Failure)} == {"en", "fr"}


def post(number: int) -> dict[str, object]:
    return {
        "link": f"/p/{number}/",
        "title": {"rendered": f"Post &#8220;{number}&#8221; <em>now</em>"},
        "date_gmt": "2024-01-02T03:04:05",
        "modified_gmt": "2024-01-02T03:04:05",
    }


def local_source(base: str) -> Source:
    (source,) = parse_sources(
        [
            {
                "name": "example_wp",
                "adapter": "wordpress_api",
                "url": f"{base}/wp-json/wp/v2/posts",
                "entity": "articles",
                "owner": "@tests",
                "license": "test",
                "description": "A WordPress site with two pages of posts.",
            }
        ]
    )
    return source


def test_pages_until_the_total_the_api_announces(settings: Settings) -> None:
    pages = {
        f"/wp-json/wp/v2/posts?per_page=100&page={n}": [
            Reply(200, json.dumps([post(n)]).encode(), JSON | {"X-WP-TotalPages": "2"})
        ]
        for n in (1, 2, 3)
    }
    live = replace(settings, replay_dir=None)
    with serve(pages) as site:
        source = local_source(site.base)
        with Fetcher(source.hosts, live) as client:
            found = api_posts(source, client)
        requested = [path for path, _ in site.requests if path != "/robots.txt"]
    assert [d.url for d in found] == [f"{site.base}/p/1/", f"{site.base}/p/2/"]
    assert len(requested) == 2  # page 3 is never asked for
    assert found[0].stated.title == "Post “1” now"
    assert found[0].stated.updated is None  # modified == date: never edited


def test_an_error_object_instead_of_posts_names_the_url(settings: Settings) -> None:
    error = {"code": "rest_no_route", "message": "No route was found", "data": {"status": 404}}
    path = "/wp-json/wp/v2/posts?per_page=100&page=1"
    live = replace(settings, replay_dir=None)
    with serve({path: [Reply(200, json.dumps(error).encode(), JSON)]}) as site:
        source = local_source(site.base)
        with Fetcher(source.hosts, live) as client:
            with pytest.raises(ExtractionError, match=r"page=1: expected a list of posts"):
                api_posts(source, client)
