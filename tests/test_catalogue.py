"""The bad-input catalogue (issue 10): one test per bad input that no other test already takes
end to end. Each goes through the real code path, `land_source` (or the task around it), with
the bad input served at the network edge (a scripted server on 127.0.0.1, or an edited copy of
the recorded snapshot), and shows a clear error naming the source, the record and the reason,
with nothing already published lost.

The entries other tests cover are listed in the README's catalogue table."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from civicpulse.adapters.worldbank_api import WorldBankApiError, indicator_url
from civicpulse.extract import ExtractionError
from civicpulse.fetch import Fetcher, FetchError
from civicpulse.landing import BatchQuarantined, land_source
from civicpulse.registry import Source, get_source, parse_sources
from civicpulse.runs import RunSummary
from civicpulse.settings import REPO_ROOT, Settings
from civicpulse.transform import build_warehouse
from tests.conftest import FIXTURES
from tests.http_server import Reply, Site, serve
from tests.marts import marts
from tests.snapshots import REST_POSTS, add_post, edited_snapshot, recorded

DAY, NEXT = "2026-11-20", "2026-11-21"
HTML = {"Content-Type": "text/html; charset=utf-8"}
XML = {"Content-Type": "application/xml"}
JSON = {"Content-Type": "application/json; charset=UTF-8"}
LISTING = {"item": "ul.news li", "link": "a[href]", "next_page": "a.next"}
ENGLISH = (
    "Community police officers in Conakry met residents of three districts to agree on "
    "how patrols and neighbourhood committees will share information about security."
)
# Latin-1 has every letter of it (no typographic apostrophes), so it can be served that way.
FRENCH = (
    "Les habitants de Conakry, en Guinée, ont rencontré la police de leur quartier. "
    "Ça a été une journée réussie pour la sécurité et la confiance entre voisins."
)
FRENCH_TITLE = "Sécurité à Conakry : la police et les habitants"
CPI = FIXTURES / "indices" / "cpi"
WB = FIXTURES / "worldbank_wdi"


# --- sites on 127.0.0.1 ----------------------------------------------------------------------


@pytest.fixture
def live(settings: Settings) -> Settings:
    """The test's data folder, fetching live from the local server: no delay, one retry."""
    return replace(settings, replay_dir=None, crawl_delay_s=0.0, timeout_s=2.0, max_retries=1)


def entry(name: str, adapter: str, url: str, entity: str = "articles", **options: Any) -> Source:
    (source,) = parse_sources(
        [
            {
                "name": name,
                "adapter": adapter,
                "url": url,
                "entity": entity,
                "owner": "@tests",
                "license": "test",
                "description": f"A {adapter} site serving bad input.",
                "options": options,
            }
        ],
        origin="tests/test_catalogue.py",
    )
    return source


def listing_source(base: str) -> Source:
    """A listing of article links at /news/; every known article re-checked every night."""
    return entry(
        "catalogue_site", "html_listing", f"{base}/news/", max_pages=1, refresh_days=0,
        listing=LISTING,
    )  # fmt: skip


def listing(*paths: str) -> Reply:
    items = "".join(f'<li><a href="{path}">{path}</a></li>' for path in paths)
    return Reply(200, f"<html><body><ul class='news'>{items}</ul></body></html>".encode(), HTML)


def article(
    title: str,
    text: str = ENGLISH,
    *,
    published: str | None = "2026-11-01T09:00:00+00:00",
    head: str = "",
    lang: str = "en",
) -> str:
    """An article page: a title, three paragraphs, and its date as `article:published_time`."""
    meta = f'<meta property="article:published_time" content="{published}">' if published else ""
    paragraphs = "".join(f"<p>{text} ({n})</p>" for n in range(1, 4))
    return (
        f'<html lang="{lang}"><head>{head}<title>{title}</title>{meta}</head>'
        f"<body><article><h1>{title}</h1>{paragraphs}</article></body></html>"
    )


def page(title: str, **kwargs: Any) -> Reply:
    return Reply(200, article(title, **kwargs).encode(), HTML)


def landed(summary: RunSummary) -> dict[str, dict[str, Any]]:
    """The published partition of a run, by URL."""
    return {row["url"]: row for row in pq.read_table(str(summary.partition)).to_pylist()}


def landed_rows(summary: RunSummary) -> list[dict[str, Any]]:
    return pq.read_table(str(summary.partition)).to_pylist()


def saved(settings: Settings, source: str, ds: str) -> RunSummary:
    """The run summary of `source` on `ds`, as saved on disk."""
    path = settings.runs_root / source / f"{ds}.json"
    return RunSummary(**json.loads(path.read_text(encoding="utf-8")))


def failures(summary: RunSummary) -> dict[str, tuple[str, str]]:
    return {f["item"]: (f["kind"], f["reason"]) for f in summary.failures}


def snapshot_of(folder: Path) -> dict[str, bytes]:
    """Every file under a source's raw folder, by name: what a bad night must leave as it was."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# --- 2. charsets -----------------------------------------------------------------------------


def test_a_charset_declared_only_in_meta_keeps_accented_letters(live: Settings) -> None:
    """The server's Content-Type names no charset, the page says
    `<meta charset="iso-8859-1">`, and its bytes are Latin-1."""
    body = article(FRENCH_TITLE, FRENCH, head='<meta charset="iso-8859-1">', lang="fr")
    script = {
        "/news/": [listing("/a/meta")],
        "/a/meta": [Reply(200, body.encode("latin-1"), {"Content-Type": "text/html"})],
    }
    with serve(script) as site:
        summary = land_source(listing_source(site.base), DAY, live)

    assert (summary.status, summary.failed) == ("published", 0), summary.failures
    [record] = landed(summary).values()
    assert record["title"] == FRENCH_TITLE
    assert "en Guinée, ont rencontré" in record["body"]
    assert "\ufffd" not in record["title"] + record["body"]


def test_an_unknown_charset_fails_that_page_alone_and_keeps_its_last_version(
    live: Settings,
) -> None:
    """A charset no codec knows, on bytes that
    are not UTF-8, is a failure of that page (named, with the label), not of the source."""
    good = article(FRENCH_TITLE, FRENCH, lang="fr").encode()
    unknown = {"Content-Type": "text/html; charset=x-no-such-charset"}
    script = {
        "/news/": [listing("/a/french", "/a/english")],
        "/a/french": [Reply(200, good, HTML), Reply(200, good.decode().encode("latin-1"), unknown)],
        "/a/english": [page("Patrols in Conakry")],
    }
    with serve(script) as site:
        source = listing_source(site.base)
        first = land_source(source, DAY, live)
        second = land_source(source, NEXT, live)
        french = f"{site.base}/a/french"

    assert (second.status, second.records, second.failed) == ("published", 2, 1)
    kind, reason = failures(second)[french]
    assert kind == "failed" and french in reason and "x-no-such-charset" in reason
    before, after = landed(first), landed(second)
    assert after[french]["content_hash"] == before[french]["content_hash"]  # carried forward
    assert after[french]["title"] == FRENCH_TITLE


# --- 5. a CPI year on the 0-10 scale, and a CPI header row out of place ------------------------

RELEASE_2023 = (CPI / "CPI2023_GlobalResultsTrends.csv").read_bytes()
LINES_2023 = RELEASE_2023.decode("utf-8-sig").split("\n")
HEADER_2023 = next(n for n, line in enumerate(LINES_2023) if line.startswith("Country"))


def tenth_of(year: int, body: bytes) -> bytes:
    """A TI CSV export with the scores of `year` divided by ten, decimal commas as TI writes
    them: a 0-100 year published on the old 0-10 scale."""
    lines = body.decode("utf-8-sig").split("\n")
    header = next(n for n, line in enumerate(lines) if line.startswith("Country"))
    column = lines[header].split(";").index(f"CPI score {year}")
    for n in range(header + 1, len(lines)):
        cells = lines[n].split(";")
        if len(cells) > column and cells[column].strip():
            score = float(cells[column].replace(",", ".")) / 10
            cells[column] = f"{score:g}".replace(".", ",")
            lines[n] = ";".join(cells)
    return ("\ufeff" + "\n".join(lines)).encode()


def header_below_first_row(body: bytes) -> bytes:
    """The export with its header row swapped with the first country's row, as a hand edit
    in a spreadsheet leaves it: read naively, Afghanistan is a title row and is lost."""
    lines = body.decode("utf-8-sig").split("\n")
    header = next(n for n, line in enumerate(lines) if line.startswith("Country"))
    lines[header], lines[header + 1] = lines[header + 1], lines[header]
    return ("\ufeff" + "\n".join(lines)).encode()


# how the 2023 release is damaged -> (where the error points, the reason it gives)
DAMAGED_CPI: dict[str, tuple[Callable[[bytes], bytes], str, str]] = {
    "on the 0-10 scale": (
        lambda body: tenth_of(2023, body),
        f"row {HEADER_2023 + 1}: CPI score 2023: all 180 scores",
        "the column is on the 0–10 scale, not 2023's 0–100",
    ),
    "header row out of place": (
        header_below_first_row,
        f"row {HEADER_2023 + 1}: Afghanistan has scores above the header row",
        f"(row {HEADER_2023 + 2}): the header row is out of place",
    ),
}


@pytest.mark.parametrize("damage", DAMAGED_CPI)
def test_a_damaged_cpi_release_fails_its_task_naming_file_row_and_reason(
    live: Settings, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    from airflow.sdk.exceptions import AirflowFailException

    from civicpulse.tasks import land_or_fail

    damaged, where, reason = DAMAGED_CPI[damage]
    monkeypatch.delenv("CIVICPULSE_REPLAY")  # the task reads its settings from the env
    monkeypatch.setenv("CIVICPULSE_CRAWL_DELAY", "0")
    release_2024 = (CPI / "CPI2024_GlobalResultsTrends.csv").read_bytes()
    script = {
        "/cpi/CPI2024_GlobalResultsTrends.csv": [Reply(200, release_2024)],
        "/cpi/CPI2023_GlobalResultsTrends.csv": [
            Reply(200, RELEASE_2023),
            Reply(200, damaged(RELEASE_2023)),  # re-published damaged
        ],
    }
    with serve(script) as site:
        files = [
            {"url": f"{site.base}/cpi/CPI2024_GlobalResultsTrends.csv", "vintage": "2025-02-11"},
            {"url": f"{site.base}/cpi/CPI2023_GlobalResultsTrends.csv", "vintage": "2024-01-30"},
        ]
        source = entry(
            "catalogue_cpi", "download", f"{site.base}/cpi/", "indicator_values",
            parser="cpi", files=files,
        )  # fmt: skip
        first = land_or_fail(source, DAY)
        folder = Path(str(first.partition)).parent
        night_one = (folder / f"{DAY}.parquet").read_bytes()
        with pytest.raises(AirflowFailException) as raised:
            land_or_fail(source, NEXT)

    message = str(raised.value)
    assert message.startswith("catalogue_cpi: 1 release file(s) failed, the rest is published")
    assert files[1]["url"] in message  # the record: the release file
    assert f"CPI2023_GlobalResultsTrends.csv, {where}" in message  # and its row
    assert reason in message
    rows = pq.read_table(folder / f"{NEXT}.parquet").to_pylist()
    assert {r["url"] for r in rows} == {files[0]["url"]}  # the other release still landed
    assert (folder / f"{DAY}.parquet").read_bytes() == night_one  # and nothing was lost


# --- 8. a canonical-link duplicate -------------------------------------------------------------

CHILE = "https://www.partnersglobal.org/newsroom/protests-in-chile-what-they-mean-for-democracy/"
SHARED = "https://www.partnersglobal.org/newsroom/chile-protests-explained/"


def test_a_canonical_duplicate_keeps_the_article_and_quarantines_nothing(
    settings: Settings, tmp_path: Path
) -> None:
    """A second URL serves the Chile
    post itself, whose `<link rel="canonical">` names the post's own URL: two fetched URLs,
    one article. Neither the batch nor the article may be lost over it."""
    first = land_source("partnersglobal", DAY, settings)
    chile = recorded(CHILE)
    assert f'rel="canonical" href="{CHILE}"'.encode() in chile.body  # the premise
    edits = {REST_POSTS: add_post(SHARED, "Chile's protests, explained")}
    snapshot = edited_snapshot(tmp_path / "site", edits, {SHARED: replace(chile, url=SHARED)})

    second = land_source("partnersglobal", NEXT, replace(settings, replay_dir=snapshot))

    assert second.status == "published"
    urls = pq.read_table(str(second.partition), columns=["url"])["url"].to_pylist()
    assert sorted(urls) == sorted(landed(first))  # every article, the Chile post once
    assert landed(second)[CHILE]["content_hash"] == landed(first)[CHILE]["content_hash"]
    assert second.quarantined == 0, second.failures
    # The summary says which fetched URL was dropped as a duplicate, and why.
    said = [f"{f['item']} {f['reason']}" for f in second.failures]
    assert any(SHARED in s and "canonical" in s for s in said), second.failures


def test_a_canonical_duplicate_never_replaces_the_page_at_its_own_url(
    settings: Settings, tmp_path: Path
) -> None:
    """The second URL serves a copy
    of the Chile post with a mirror's note in its text, and lists first: the article is still
    what its own URL says, not what a page that merely points at it says."""
    first = land_source("partnersglobal", DAY, settings)
    chile = recorded(CHILE)
    note = b"<p>Republished with permission; the original appeared on PartnersGlobal's site.</p>"
    mirror = chile.body.replace(
        b'<div class="entry-content">', b'<div class="entry-content">' + note
    )
    assert mirror != chile.body  # the premise: the copy says more than the original
    edits = {REST_POSTS: add_post(SHARED, "Chile's protests, explained")}  # listed first
    snapshot = edited_snapshot(
        tmp_path / "site", edits, {SHARED: replace(chile, url=SHARED, body=mirror)}
    )

    second = land_source("partnersglobal", NEXT, replace(settings, replay_dir=snapshot))

    assert (second.status, second.new, second.updated) == ("published", 0, 0), second.failures
    assert landed(second)[CHILE]["content_hash"] == landed(first)[CHILE]["content_hash"]
    assert "Republished with permission" not in landed(second)[CHILE]["body"]


# --- 9. a body selector that matches nothing --------------------------------------------------


def test_a_body_selector_that_stops_matching_raises_an_alarm(
    settings: Settings, tmp_path: Path
) -> None:
    """USIP restyles its pages overnight: the registry's body selector matches nothing on any
    of them, and generic extraction would quietly take over. The batch is quarantined with
    the reason, the published day stays, and marts.source_health raises USIP's alarm."""
    import duckdb

    usip = get_source("usip")
    first = land_source(usip, DAY, settings)
    folder = Path(str(first.partition)).parent
    before = snapshot_of(folder)

    def restyled(body: bytes) -> bytes:
        return body.replace(b"publication__body", b"publication__text").replace(
            b"program__body", b"program__text"
        )

    snapshot = edited_snapshot(tmp_path / "site", dict.fromkeys(landed(first), restyled))
    recheck = usip.model_copy(update={"options": {**usip.options, "refresh_days": 0}})
    with pytest.raises(BatchQuarantined) as raised:
        land_source(recheck, NEXT, replace(settings, replay_dir=snapshot))

    assert str(raised.value).startswith(f"usip articles {NEXT}: batch of {first.records}")
    assert '{"column": "body_source"' in str(raised.value)  # the reason
    assert snapshot_of(folder) == before  # nothing published was touched
    build_warehouse(settings)
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as db:
        ((alarms,),) = db.execute(
            "select alarms from marts.source_health where source_id = 'usip'"
        ).fetchall()
    report = saved(settings, "usip", NEXT).report
    assert alarms == [
        f"layout change? its selectors matched none of the {first.records} pages extracted",
        f"latest run quarantined: {report}",
    ]


def test_a_new_page_the_body_selector_misses_publishes_and_raises_an_alarm(
    settings: Settings, tmp_path: Path
) -> None:
    """On an ordinary night (every known post carried forward, one new post fetched) the new
    post is restyled: the generic extractor takes its body, the batch publishes, and
    marts.source_health says the selectors matched none of the pages the run extracted."""
    import duckdb

    first = land_source("partnersglobal", DAY, settings)
    chile = recorded(CHILE)
    restyled = chile.body.replace(CHILE.encode(), SHARED.encode()).replace(
        b'class="entry-content"', b'class="post-text"'
    )
    edits = {REST_POSTS: add_post(SHARED, "Chile's protests, explained")}
    new = {SHARED: replace(chile, url=SHARED, body=restyled)}
    snapshot = edited_snapshot(tmp_path / "site", edits, new)

    second = land_source("partnersglobal", NEXT, replace(settings, replay_dir=snapshot))

    assert (second.status, second.new, second.quarantined) == ("published", 1, 0)
    assert (second.extracted, second.by_selectors) == (1, 0)
    assert landed(second)[SHARED]["body_source"] != "selectors"
    assert set(landed(second)) == set(landed(first)) | {SHARED}
    build_warehouse(settings)
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as db:
        ((alarms,),) = db.execute(
            "select alarms from marts.source_health where source_id = 'partnersglobal'"
        ).fetchall()
    assert alarms == ["layout change? its selectors matched none of the 1 pages extracted"]


# --- 10. a redirect loop carrying credentials -------------------------------------------------

SECRET = "s3cret"


def carrying_secret(site: Site) -> list[str]:
    return [path for path, headers in site.requests if SECRET in str(headers.values())]


def test_a_redirect_loop_ends_naming_the_url_and_never_resends_credentials(
    live: Settings,
) -> None:
    """/loop on one origin sends to /back on another, which sends back to /loop, forever:
    the fetch gives up after MAX_REDIRECTS naming the URL, and once the credentials were
    dropped on leaving the origin, no later hop back to it carries them again."""
    with serve({}) as other, serve({}) as origin:
        origin.replies["/loop"] = [Reply(302, headers={"Location": f"{other.base}/back"})]
        other.replies["/back"] = [Reply(302, headers={"Location": f"{origin.base}/loop"})]
        client = Fetcher(frozenset({"127.0.0.1"}), live)
        with pytest.raises(FetchError, match=r"more than 5 redirects") as raised:
            client.get(f"{origin.base}/loop", headers={"Authorization": f"Bearer {SECRET}"})

    assert raised.value.url.startswith("http://127.0.0.1:")
    hops = [path for path, _ in origin.requests + other.requests if path != "/robots.txt"]
    assert len(hops) == 6  # the first request and five redirects
    assert carrying_secret(origin) == ["/loop"]  # the first request only
    assert carrying_secret(other) == []


# --- 12. empty channels ------------------------------------------------------------------------


def rss(base: str, *paths: str) -> Reply:
    items = "".join(
        f"<item><title>Post {p}</title><link>{base}{p}</link>"
        "<pubDate>Sun, 01 Nov 2026 09:00:00 +0000</pubDate></item>"
        for p in paths
    )
    body = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>News</title>'
        f"<link>{base}/</link><description>News</description>{items}</channel></rss>"
    )
    return Reply(200, body.encode(), {"Content-Type": "application/rss+xml"})


def urlset(base: str, *paths: str) -> Reply:
    urls = "".join(f"<url><loc>{base}{p}</loc></url>" for p in paths)
    body = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    return Reply(200, body.encode(), XML)


def wp_posts(base: str, *paths: str) -> Reply:
    posts = [
        {
            "link": f"{base}{p}",
            "title": {"rendered": f"Post {p}"},
            "date_gmt": "2026-11-01T09:00:00",
        }
        for p in paths
    ]
    return Reply(200, json.dumps(posts).encode(), JSON | {"X-WP-TotalPages": "1" if posts else "0"})


def wb_page(rows: bool) -> Reply:
    """A recorded World Bank page (as its only page), or the API's answer when it has no rows."""
    header, data = json.loads(
        (WB / "indicator_JPN_USA_NY.GDP.MKTP.CD_footnote_page1_null2020.json").read_bytes()
    )
    if rows:
        return Reply(200, json.dumps([{**header, "pages": 1}, data]).encode(), JSON)
    empty = {**header, "page": 1, "pages": 0, "total": 0, "lastupdated": None}
    return Reply(200, json.dumps([empty, None]).encode(), JSON)


WB_PATH = "/v2/country/JPN/indicator/NY.GDP.MKTP.CD?format=json&page=1"
WP_PATH = "/wp-json/wp/v2/posts?per_page=100&page=1"
# adapter -> (channel path, its source entry, its replies: night one's, then an empty one's)
Channel = tuple[str, Callable[[str], Source], Callable[[str], list[Reply]]]
CHANNELS: dict[str, Channel] = {
    "html_listing": (
        "/news/",
        listing_source,
        lambda base: [listing("/a/one", "/a/two"), listing()],
    ),
    "feed": (
        "/feed/",
        lambda base: entry("catalogue_feed", "feed", f"{base}/feed/"),
        lambda base: [rss(base, "/a/one", "/a/two"), rss(base)],
    ),
    "sitemap": (
        "/sitemap.xml",
        lambda base: entry("catalogue_sitemap", "sitemap", f"{base}/sitemap.xml"),
        lambda base: [urlset(base, "/a/one", "/a/two"), urlset(base)],
    ),
    "wordpress_api": (
        WP_PATH,
        lambda base: entry("catalogue_wp", "wordpress_api", f"{base}/wp-json/wp/v2/posts"),
        lambda base: [wp_posts(base, "/a/one", "/a/two"), wp_posts(base)],
    ),
    "worldbank_api": (
        WB_PATH,
        lambda base: entry(
            "catalogue_wb",
            "worldbank_api",
            f"{base}/v2/",
            "indicator_values",
            indicators=["NY.GDP.MKTP.CD"],
            countries=["JPN"],
        ),
        lambda base: [wb_page(rows=True), wb_page(rows=False)],
    ),
}


EMPTY = ("0 records", "empty", "no entries", "no items", "no posts", "no rows", "nothing")


@pytest.mark.parametrize("adapter", CHANNELS)
def test_an_empty_channel_fails_saying_so_and_loses_nothing(live: Settings, adapter: str) -> None:
    """A feed without items, a sitemap without URLs, an API page without posts or rows:
    zero records is no news (the site changed), so the night fails (the suites refuse an
    empty batch), the published day stays as it was, and the error says which URL came
    back empty."""
    path, make_source, replies = CHANNELS[adapter]
    with serve({}) as site:
        site.replies.update(
            {
                path: replies(site.base),
                "/a/one": [page("Patrols in Conakry")],
                "/a/two": [page("Committees in Kindia")],
            }
        )
        source = make_source(site.base)
        first = land_source(source, DAY, live)
        assert first.records > 0  # the premise: night one landed
        folder = Path(str(first.partition)).parent
        before = snapshot_of(folder)
        with pytest.raises((BatchQuarantined, ExtractionError, WorldBankApiError)) as raised:
            land_source(source, NEXT, live)
        channel = f"{site.base}{path}"

    assert snapshot_of(folder) == before  # nothing published lost
    summary = saved(live, source.name, NEXT)
    assert summary.status in ("quarantined", "failed")
    report = Path(summary.report).read_text(encoding="utf-8") if summary.report else ""
    said = f"{raised.value}\n{report}"
    assert any(word in said for word in EMPTY), f"the reason is not that it is empty: {said}"
    assert channel in said, f"the error names no URL that came back empty: {said}"


@pytest.mark.parametrize("adapter", CHANNELS)
def test_an_empty_response_body_fails_the_source_naming_the_url(
    live: Settings, adapter: str
) -> None:
    """The channel answers 200 with no bytes at all (a crashed backend, a cut proxy)."""
    path, make_source, replies = CHANNELS[adapter]
    with serve({}) as site:
        night_one = replies(site.base)[0]
        site.replies.update(
            {
                path: [night_one, Reply(200, b"", night_one.headers)],
                "/a/one": [page("Patrols in Conakry")],
                "/a/two": [page("Committees in Kindia")],
            }
        )
        source = make_source(site.base)
        first = land_source(source, DAY, live)
        folder = Path(str(first.partition)).parent
        before = snapshot_of(folder)
        with pytest.raises(Exception) as raised:
            land_source(source, NEXT, live)
        channel = f"{site.base}{path}"

    assert snapshot_of(folder) == before  # nothing published lost
    summary = saved(live, source.name, NEXT)
    assert summary.status in ("failed", "quarantined")
    where = f"{raised.value} {summary.error} {summary.report}"
    assert channel in where, f"{type(raised.value).__name__} names no URL: {raised.value}"
    assert "(0 bytes)" in where, f"the reason is not that it is empty: {raised.value}"


# --- 13. undated and future-dated articles ----------------------------------------------------


def test_an_undated_and_a_future_dated_article_publish_without_a_date(
    live: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    """A page that gives no date anywhere, and one whose only date is after the fetch: both
    publish with no publication date (and say so), the future date is refused in the log
    naming the page; ten dated pages keep the batch above the suite's 80 % of dates."""
    future = "2099-01-01T09:00:00+00:00"
    dated = [f"/a/dated-{n}" for n in range(10)]
    script: dict[str, list[Reply]] = {
        "/news/": [listing(*dated, "/a/undated", "/a/future")],
        "/a/undated": [page("An undated note", published=None)],
        "/a/future": [page("A note from the future", published=future)],
    }
    script |= {path: [page(f"Dated report {path[-1]}")] for path in dated}
    with serve(script) as site, caplog.at_level(logging.WARNING, logger="civicpulse.extract"):
        summary = land_source(listing_source(site.base), DAY, live)
        undated, ahead = f"{site.base}/a/undated", f"{site.base}/a/future"

    assert (summary.status, summary.records, summary.quarantined) == ("published", 12, 0)
    records = landed(summary)
    for url in (undated, ahead):
        assert (records[url]["published_date"], records[url]["date_source"]) == (None, None)
    assert {str(records[f"{site.base}{p}"]["published_date"]) for p in dated} == {"2026-11-01"}
    refused = [r.getMessage() for r in caplog.records if future in r.getMessage()]
    assert refused and all(r.startswith(f"{ahead}: rejecting date") for r in refused)


# --- 14. the same URL twice in one batch ------------------------------------------------------


def test_the_same_url_twice_in_one_listing_is_fetched_and_landed_once(live: Settings) -> None:
    script = {
        "/news/": [listing("/a/one", "/a/two", "/a/one", "/a/one?utm_source=newsletter")],
        "/a/one": [page("Patrols in Conakry")],
        "/a/two": [page("Committees in Kindia")],
    }
    with serve(script) as site:
        summary = land_source(listing_source(site.base), DAY, live)
        requested = [path for path, _ in site.requests]

    assert (summary.status, summary.records, summary.quarantined) == ("published", 2, 0)
    assert sorted(landed(summary)) == [f"{site.base}/a/one", f"{site.base}/a/two"]
    assert requested.count("/a/one") == 1 and not [p for p in requested if "utm_" in p]


# --- 15. bytes that are not UTF-8, and mojibake -----------------------------------------------

LATIN_1 = article(FRENCH_TITLE, FRENCH, lang="fr").encode("latin-1")
# UTF-8 read as windows-1252 ("Ã©" for "é"), and as Latin-1 (whose "Ç" is "Ã" and a C1 control)
MOJIBAKE = article(FRENCH_TITLE, FRENCH, lang="fr").encode().decode("cp1252").encode()
C1_MOJIBAKE = article(FRENCH_TITLE, FRENCH, lang="fr").encode().decode("latin-1").encode()
ENCODINGS = {
    "latin-1, declared in the header": (LATIN_1, "text/html; charset=iso-8859-1"),
    "latin-1, declared nowhere": (LATIN_1, "text/html"),
    "latin-1, declared as utf-8": (LATIN_1, "text/html; charset=utf-8"),
    "utf-8 holding windows-1252 mojibake": (MOJIBAKE, "text/html; charset=utf-8"),
    "utf-8 holding latin-1 mojibake": (C1_MOJIBAKE, "text/html; charset=utf-8"),
}


@pytest.mark.parametrize("case", ENCODINGS)
def test_text_lands_as_the_letters_meant(live: Settings, case: str) -> None:
    """Whatever the bytes, the published record holds the letters the author wrote: no
    U+FFFD, no mojibake."""
    body, content_type = ENCODINGS[case]
    script = {
        "/news/": [listing("/a/french", "/a/english")],
        "/a/french": [Reply(200, body, {"Content-Type": content_type})],
        "/a/english": [page("Patrols in Conakry")],
    }
    with serve(script) as site:
        summary = land_source(listing_source(site.base), DAY, live)
        french = f"{site.base}/a/french"

    assert (summary.status, summary.failures) == ("published", [])
    records = landed(summary)
    text = records[french]["title"] + "\n" + records[french]["body"]
    assert "\ufffd" not in text and "Ã" not in text, text[:200]
    assert records[french]["title"] == FRENCH_TITLE
    assert "en Guinée, ont rencontré" in records[french]["body"]


# --- 17. a World Bank error payload served with HTTP 200 ---------------------------------------


def test_a_worldbank_error_payload_fails_the_source_and_keeps_the_published_day(
    settings: Settings, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    source = get_source("worldbank_wdi")
    first = land_source(source, DAY, settings)
    folder = Path(str(first.partition)).parent
    before = snapshot_of(folder)
    error = (WB / "error_120_invalid_indicator_http200.json").read_bytes()  # recorded, HTTP 200
    url = indicator_url(
        source.url, source.options["countries"], "NY.GDP.MKTP.CD", None, source.options
    )
    url += "&page=1"
    snapshot = edited_snapshot(tmp_path / "site", {url: lambda _: error})

    with caplog.at_level(logging.INFO, logger="civicpulse.landing"):
        with pytest.raises(WorldBankApiError) as raised:
            land_source(source, NEXT, replace(settings, replay_dir=snapshot))

    reason = "API error: 120 Invalid value: The provided parameter value is not valid"
    assert str(raised.value) == f"{url}: {reason}"  # the record and the reason
    summary = saved(settings, source.name, NEXT)
    assert summary.status == "failed" and summary.error == f"WorldBankApiError: {url}: {reason}"
    assert any(r.getMessage().startswith("summary worldbank_wdi: failed: ") for r in caplog.records)
    assert snapshot_of(folder) == before  # no partition for the day, the last one untouched


# --- 18. an unknown country name -------------------------------------------------------------


def test_an_unknown_country_name_lands_unmapped_and_is_listed(
    live: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    """TI's 2024 export with one more row that gives a name and no code (as 2013's file does
    for South Sudan): the name is the country, and nothing maps it."""
    release = (CPI / "CPI2024_GlobalResultsTrends.csv").read_bytes()
    header = next(
        line for line in release.decode("utf-8-sig").split("\n") if line.startswith("Country")
    )
    columns = header.split(";")
    cells = [""] * len(columns)
    cells[0], cells[columns.index("Region")] = "Atlantis", "WE/EU"
    cells[columns.index("CPI score 2024")] = "50"
    body = release.rstrip(b"\r\n") + b"\n" + ";".join(cells).encode() + b"\n"
    with serve({"/cpi/CPI2024_GlobalResultsTrends.csv": [Reply(200, body)]}) as site:
        url = f"{site.base}/cpi/CPI2024_GlobalResultsTrends.csv"
        source = entry(
            "catalogue_index", "download", f"{site.base}/cpi/", "indicator_values",
            parser="cpi", files=[{"url": url, "vintage": "2025-02-11"}],
        )  # fmt: skip
        with caplog.at_level(logging.WARNING, logger="civicpulse.landing"):
            summary = land_source(source, DAY, live)

    assert (summary.status, summary.quarantined) == ("published", 0)
    assert summary.unmapped_countries == [
        {"scheme": "name", "country": "Atlantis", "name": "Atlantis"}
    ]
    assert "unmapped 1" in summary.line()
    warned = [r.getMessage() for r in caplog.records if "Atlantis" in r.getMessage()]
    assert warned and warned[0].startswith("catalogue_index: no ISO3 code for")
    atlantis = [r for r in landed_rows(summary) if r["country"] == "Atlantis"]  # kept
    assert [(r["year"], r["value"], r["country_iso3"]) for r in atlantis] == [(2024, 50.0, None)]


# --- 19. a truncated response body --------------------------------------------------------------


def test_a_truncated_article_is_a_failure_and_keeps_its_last_version(live: Settings) -> None:
    whole = article("Patrols in Conakry").encode()
    cut = Reply(200, whole[: len(whole) // 2], HTML | {"Content-Length": str(len(whole))})
    script = {
        "/news/": [listing("/a/one", "/a/two")],
        "/a/one": [Reply(200, whole, HTML), cut],
        "/a/two": [page("Committees in Kindia")],
    }
    with serve(script) as site:
        source = listing_source(site.base)
        first = land_source(source, DAY, live)
        second = land_source(source, NEXT, live)
        one = f"{site.base}/a/one"

    assert (second.status, second.records, second.failed) == ("published", 2, 1)
    kind, reason = failures(second)[one]
    assert kind == "failed" and reason == (
        f"{one}: truncated: got {len(whole) // 2} of {len(whole)} bytes after 2 tries"
    )
    assert landed(second)[one]["content_hash"] == landed(first)[one]["content_hash"]
    assert landed(second)[one]["fetched_at"] == landed(first)[one]["fetched_at"]  # carried


# --- 21. the same day, three times -----------------------------------------------------------


def test_the_same_day_run_three_times_leaves_identical_marts(settings: Settings) -> None:
    runs = []
    for _ in range(3):
        for source in ("partnersglobal", "worldbank_wdi"):
            land_source(source, DAY, settings)
        build_warehouse(settings)
        runs.append(marts(settings, data_only=True))

    assert runs[0]["fct_articles"] and runs[0]["fct_indicator_values"]  # the premise
    for later in runs[1:]:
        changed = [name for name in runs[0] if later.get(name) != runs[0][name]]
        assert not changed, f"marts changed on a re-run of the same day: {changed}"
        assert set(later) == set(runs[0])


# --- the README's catalogue -------------------------------------------------------------------


def test_every_test_the_readme_catalogue_names_exists() -> None:
    """The table in the README says where each case is tested; a renamed or deleted test
    must not leave it pointing at nothing."""
    import ast
    import re

    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("### The bad-input catalogue") :]
    rows = [line for line in table[: table.index("\n## ")].splitlines() if line.startswith("| ")]
    named: list[tuple[str, str | None]] = []
    for row in rows[2:]:  # below the header and its rule
        file = ""
        for token in re.findall(r"`([^`]+)`", row.rstrip(" |").rsplit("|", 1)[-1]):
            file, _, test = token.rpartition("::") if "::" in token else (token, "", "")
            file = file or named[-1][0]
            named.append((file, test or None))
    assert len(rows) - 2 >= 25 and len(named) >= len(rows) - 2, named
    missing = []
    for file, test in named:
        path = REPO_ROOT / "tests" / file
        if not path.is_file():
            missing.append(file)
        elif test and test not in {
            node.name
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.FunctionDef)
        }:
            missing.append(f"{file}::{test}")
    assert not missing, missing
