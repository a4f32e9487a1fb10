"""Incremental crawls through PartnersGlobal's registry channel (the WordPress REST API): a
quiet night fetches no article page; an edited and a new post are exactly the two fetched, and
the edit becomes a new version beside the old one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from civicpulse.adapters.wordpress_api import api_posts
from civicpulse.archive import ArchivedResponse, read_responses
from civicpulse.articles import collect
from civicpulse.fetch import Fetcher
from civicpulse.landing import land_source, published_records
from civicpulse.registry import get_source
from civicpulse.settings import Settings
from civicpulse.transform import build_warehouse
from tests.snapshots import REST_POSTS, add_post, edited_snapshot, mark_modified, recorded

SOURCE = get_source("partnersglobal")
ROBOTS = "https://www.partnersglobal.org/robots.txt"
TASHKENT = (
    "https://www.partnersglobal.org/newsroom/"
    "tashkent-and-los-angeles-local-leaders-share-lessons-in-virtual-exchange/"
)
IRAQ = "https://www.partnersglobal.org/newsroom/corruption-in-iraq-and-its-consequences/"
NEW = "https://www.partnersglobal.org/newsroom/a-new-post-about-civic-space/"
NEW_TITLE = "A New Post About Civic Space"
ADDED_PARAGRAPH = b"<p>Update: the exchange continues online with a second cohort.</p>"
POSTS = 15  # seeds 000 and 001


def archived_urls(settings: Settings, ds: str) -> set[str]:
    """The URLs the run of day `ds` requested, read back from its WARC archive."""
    run_archives = sorted((settings.archive_root / SOURCE.name).glob(f"{ds}_*.warc.gz"))
    return {r.url for r in read_responses(run_archives[-1])}


def new_post() -> ArchivedResponse:
    """A post the site published after the first crawl (the Iraq page under a new URL)."""
    iraq = recorded(IRAQ)
    body = iraq.body.replace(IRAQ.encode(), NEW.encode()).replace(
        b"Corruption in Iraq and Its Consequences", NEW_TITLE.encode()
    )
    return replace(iraq, url=NEW, body=body)


def both(*edits: Callable[[bytes], bytes]) -> Callable[[bytes], bytes]:
    def edit(body: bytes) -> bytes:
        for one in edits:
            body = one(body)
        return body

    return edit


def test_a_quiet_night_fetches_no_article_page(settings: Settings) -> None:
    land_source(SOURCE.name, "2026-11-20", settings)
    second = land_source(SOURCE.name, "2026-11-21", settings)
    assert archived_urls(settings, "2026-11-21") == {ROBOTS, REST_POSTS}
    assert (second.fetched, second.new, second.updated, second.records) == (2, 0, 0, POSTS)


def test_an_edited_and_a_new_post_are_exactly_the_two_fetched(
    settings: Settings, tmp_path: Path
) -> None:
    first = land_source(SOURCE.name, "2026-11-20", settings)

    def edit_tashkent(page: bytes) -> bytes:
        end = page.index(b'<div class="sharedaddy')
        return page[:end] + ADDED_PARAGRAPH + page[end:]

    api = both(mark_modified(TASHKENT), add_post(NEW, NEW_TITLE))
    snapshot = edited_snapshot(
        tmp_path / "site", {TASHKENT: edit_tashkent, REST_POSTS: api}, {NEW: new_post()}
    )
    second = land_source(SOURCE.name, "2026-11-21", replace(settings, replay_dir=snapshot))

    assert archived_urls(settings, "2026-11-21") == {ROBOTS, REST_POSTS, TASHKENT, NEW}
    assert (second.new, second.updated, second.records) == (1, 1, POSTS + 1)

    old = {r["url"]: r for r in pq.read_table(str(first.partition)).to_pylist()}
    latest = published_records(Path(str(first.partition)).parent, SOURCE.entity)
    assert len(latest) == POSTS + 1  # the edited post is one article, not two
    assert "second cohort" in latest[(TASHKENT,)]["body"]
    assert "second cohort" not in old[TASHKENT]["body"]  # the earlier version is kept

    build_warehouse(settings)
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as db:
        versions = db.execute(
            "select version_number, is_current, body like '%second cohort%' "
            "from marts.fct_article_versions where url = ? order by version_number",
            [TASHKENT],
        ).fetchall()
        current = db.execute(
            "select count(*), max(version_number) from marts.fct_articles where source_id = ?",
            [SOURCE.name],
        ).fetchone()
    assert versions == [(1, False, False), (2, True, True)]
    assert current == (POSTS + 1, 2)  # one row per article, the edited one at version 2


def test_due_posts_are_revalidated_with_conditional_requests(settings: Settings) -> None:
    first = land_source(SOURCE.name, "2026-11-20", settings)
    known = {r["url"]: r for r in pq.read_table(str(first.partition)).to_pylist()}
    with Fetcher(SOURCE.hosts, settings) as client:
        results = list(collect(SOURCE, api_posts(SOURCE, client), known, client, refresh_days=0))
    assert client.stats.not_modified == POSTS  # every page asked "changed?" and heard "no"
    assert results == list(known.values())


def test_url_variants_in_the_api_are_the_same_known_post(
    settings: Settings, tmp_path: Path
) -> None:
    land_source(SOURCE.name, "2026-11-20", settings)
    sharer = TASHKENT.replace("https://", "http://").rstrip("/") + "?utm_source=newsletter"
    escaped = TASHKENT.replace("/", "\\/").encode()  # WordPress escapes slashes in JSON
    snapshot = edited_snapshot(
        tmp_path / "site",
        {REST_POSTS: lambda body: body.replace(escaped, sharer.replace("/", "\\/").encode())},
    )
    second = land_source(SOURCE.name, "2026-11-21", replace(settings, replay_dir=snapshot))
    assert (second.fetched, second.new, second.records) == (2, 0, POSTS)
