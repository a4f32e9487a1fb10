"""The content guard: a soft 404 (an error page served with 200) or a known article that lost
most of its text is refused, the article keeps its previous version, and the run summary
names the page and the reason."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from civicpulse.guard import refusal
from civicpulse.landing import land_source, published_records
from civicpulse.settings import Settings
from tests.snapshots import REST_POSTS, edited_snapshot, mark_modified
from tests.test_incremental import IRAQ, POSTS, SOURCE, TASHKENT, both


def soft_404_page() -> bytes:
    """What WordPress serves, with HTTP 200, for a page it lost."""
    return (
        b"<!doctype html><html><head><title>Page not found \xe2\x80\x93 PartnersGlobal"
        b"</title></head><body><header><nav><a href='/'>Home</a></nav></header><main>"
        b"<h1 class='page-title'>Oops! That page can\xe2\x80\x99t be found.</h1>"
        b"<p>It looks like nothing was found at this location.</p></main></body></html>"
    )


BODY = "A programme paragraph about community policing in Guinea. " * 20


@pytest.mark.parametrize(
    "title",
    [
        "Page not found",
        "404 Not Found",
        "Error 404",
        "Oops! That page can't be found. 404 error",
        "Page introuvable",
        "Página no encontrada",
        "Not Found",
    ],
)
def test_error_page_titles_are_soft_404s(title: str) -> None:
    reason = refusal({"title": title, "body": BODY}, None)
    assert reason and reason.startswith("soft 404")


@pytest.mark.parametrize(
    "title", ["404 police officers trained in Conakry", "Finding what was not found in Iraq"]
)
def test_articles_that_only_mention_404_or_not_found_pass(title: str) -> None:
    assert refusal({"title": title, "body": BODY}, None) is None


def test_a_known_article_that_lost_most_of_its_text_is_refused() -> None:
    before = {"title": "Guinea", "body": BODY}
    assert refusal({"title": "Guinea", "body": BODY[:300]}, before) == (
        f"lost {1 - 300 / len(BODY):.0%} of its text ({len(BODY):,} to 300 characters): "
        "a broken or changed page, not an edit"
    )
    assert refusal({"title": "Guinea", "body": BODY[: len(BODY) * 3 // 4]}, before) is None
    assert refusal({"title": "Guinea", "body": "x"}, {"body": "short"}) is None


def test_a_night_of_soft_404s_and_gutted_pages_keeps_the_previous_versions(
    settings: Settings, tmp_path: Path
) -> None:
    land_source(SOURCE.name, "2026-11-20", settings)
    folder = settings.raw_root / SOURCE.name / SOURCE.entity
    before = published_records(folder, SOURCE.entity)

    def gutted(page: bytes) -> bytes:  # the theme changed: the body lost its paragraphs
        return re.sub(rb"<p>.*?</p>", b"", page, flags=re.DOTALL)

    api = both(mark_modified(TASHKENT), mark_modified(IRAQ))
    snapshot = edited_snapshot(
        tmp_path / "site", {TASHKENT: lambda page: soft_404_page(), IRAQ: gutted, REST_POSTS: api}
    )
    second = land_source(SOURCE.name, "2026-11-21", replace(settings, replay_dir=snapshot))

    assert second.status == "published" and second.refused == 2 and second.records == POSTS
    reasons = {f["item"]: f["reason"] for f in second.failures if f["kind"] == "refused"}
    assert set(reasons) == {TASHKENT, IRAQ}, second.failures
    assert reasons[TASHKENT].startswith("soft 404"), reasons[TASHKENT]
    assert reasons[IRAQ].startswith("lost")
    after = published_records(folder, SOURCE.entity)
    for url in (TASHKENT, IRAQ):
        assert after[(url,)]["body"] == before[(url,)]["body"]  # the previous version stays
        assert after[(url,)]["content_hash"] == before[(url,)]["content_hash"]


def test_pages_declaring_one_canonical_url_are_one_article_the_one_at_that_url() -> None:
    from civicpulse.guard import unique_by_url
    from civicpulse.records import FETCHED_URL

    a, b = "https://www.example.org/a", "https://www.example.org/b"
    mirror = {"url": a, "body": BODY + " (mirrored)", FETCHED_URL: f"{a}-mirror"}
    own = {"url": a, "body": BODY, FETCHED_URL: a}
    tracked = {"url": a, "body": BODY, FETCHED_URL: f"{a}?ref=feed"}
    other = {"url": b, "body": BODY}  # carried forward: no fetched URL, its own page
    kept, duplicates = unique_by_url([mirror, other, own, tracked])
    assert kept == [{"url": a, "body": BODY}, other]  # in the first one's place, key popped
    assert kept[0] is own
    reason = f"declares the canonical URL {a}, already collected"
    assert duplicates == [(f"{a}-mirror", reason), (f"{a}?ref=feed", reason)]
