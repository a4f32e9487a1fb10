"""Every fault a crawl meets, injected by a real HTTP server on 127.0.0.1 and run through
`land_source`: each is handled as the politeness rules say and counted in the run summary, and
nothing a first night landed is lost on a bad second night."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from civicpulse.landing import land_source, published_records
from civicpulse.registry import Source, parse_sources
from civicpulse.runs import RunSummary
from civicpulse.settings import Settings
from tests.http_server import Reply, serve

HTML = {"Content-Type": "text/html; charset=utf-8"}
ROBOTS = Reply(200, b"User-agent: *\nDisallow: /private/\n", {"Content-Type": "text/plain"})
# Article pages healthy on the first night, then faulty (or unchanged) on the second.
SECOND_NIGHT = {
    "ok": [Reply(304)],  # asked "changed?" with the stored ETag: no
    "flaky": [Reply(503), "page"],  # a retry heals it
    "throttled": [Reply(429, headers={"Retry-After": "1"}), "page"],
    "slow": [Reply(delay=2.0)],  # longer than the 0.5 s timeout, on every try
    "reset": [Reply(reset=True)],  # connection reset by peer, on every try
    "huge": [Reply(200, b"<p>" + b"x" * 30_000 + b"</p>", HTML)],  # over the 20 kB cap
}
# Links that are never articles: skipped with a reason, or refused.
NEVER = {
    "/a/report.pdf": [Reply(200, b"%PDF-1.7 ...", {"Content-Type": "application/pdf"})],
    "/a/away": [Reply(302, headers={"Location": "https://elsewhere.example/post"})],
}
LINKS = [*(f"/a/{name}" for name in SECOND_NIGHT), *NEVER, "/private/memo"]


def page(name: str) -> Reply:
    body = "".join(
        f"<p>Paragraph {n} of the {name} story, long enough to be the article's text.</p>"
        for n in range(4)
    )
    document = (
        f'<html lang="en"><head><title>The {name} story</title>'
        '<meta property="article:published_time" content="2026-11-01T09:00:00+00:00">'
        f"</head><body><article><h1>The {name} story</h1>{body}</article></body></html>"
    )
    return Reply(200, document.encode(), HTML | {"ETag": f'"{name}-v1"'})


def site_script() -> dict[str, list[Reply]]:
    listing = "".join(f'<li><a href="{link}">{link}</a></li>' for link in LINKS)
    script: dict[str, list[Reply]] = {
        "/robots.txt": [ROBOTS],
        "/news/": [Reply(200, f"<ul class='news'>{listing}</ul>".encode(), HTML)],
        **NEVER,
    }
    for name, second in SECOND_NIGHT.items():
        script[f"/a/{name}"] = [page(name), *(page(name) if r == "page" else r for r in second)]
    return script


def fault_source(base: str) -> Source:
    (source,) = parse_sources(
        [
            {
                "name": "faulty_site",
                "adapter": "html_listing",
                "url": f"{base}/news/",
                "entity": "articles",
                "owner": "@tests",
                "license": "test",
                "description": "A site that fails in every way a site can.",
                # refresh_days 0: every known article is re-checked on the second night
                "options": {
                    "max_pages": 1,
                    "refresh_days": 0,
                    "listing": {"item": "ul.news li", "link": "a[href]", "next_page": "a.next"},
                },
            }
        ]
    )
    return source


@pytest.fixture
def live(settings: Settings) -> Settings:
    return replace(
        settings,
        replay_dir=None,
        crawl_delay_s=0.0,
        timeout_s=0.5,
        max_retries=1,
        max_response_bytes=20_000,
    )


def reasons(summary: RunSummary) -> dict[str, tuple[str, str]]:
    return {f["item"].rsplit("/", 1)[1]: (f["kind"], f["reason"]) for f in summary.failures}


def test_each_fault_is_handled_counted_and_loses_nothing(live: Settings) -> None:
    with serve(site_script()) as site:
        source = fault_source(site.base)
        first = land_source(source, "2026-11-20", live)
        first_rows = pq.read_table(str(first.partition)).to_pylist()
        second = land_source(source, "2026-11-21", live)
        conditional = [h for path, h in site.requests if path == "/a/ok"][-1]

    # Night one: six articles; the PDF and the robots-disallowed memo skipped; the redirect
    # off the registry's hosts refused.
    assert (first.records, first.new, first.failed, first.skipped) == (6, 6, 1, 2)
    first_reasons = reasons(first)
    assert first_reasons["report.pdf"] == (
        "skipped",
        "application/pdf is not one of application/xhtml+xml, text/html",
    )
    assert first_reasons["memo"] == ("skipped", "disallowed by robots.txt")
    assert first_reasons["away"][0] == "failed"
    assert "'elsewhere.example' is not in the source registry" in first_reasons["away"][1]

    # Night two: every fault counted; every article still there, unchanged.
    assert conditional["If-None-Match"] == '"ok-v1"' and second.not_modified == 1
    assert second.retries == 4  # flaky (503), throttled (429), slow and reset once each
    assert (second.records, second.new, second.updated) == (6, 0, 0)
    assert (second.failed, second.skipped) == (4, 2)
    second_reasons = reasons(second)
    assert "Timeout after 2 tries" in second_reasons["slow"][1]
    assert "ConnectionError after 2 tries" in second_reasons["reset"][1]
    assert "exceeds cap of 20000 bytes" in second_reasons["huge"][1]
    assert "failed 4, skipped 2" in second.line()

    second_rows = pq.read_table(str(second.partition)).to_pylist()
    key = "url", "content_hash"
    carried = {tuple(r[k] for k in key) for r in second_rows}
    assert {tuple(r[k] for k in key) for r in first_rows} == carried  # the same content
    latest = published_records(Path(str(first.partition)).parent, "articles")
    assert len(latest) == 6
