"""The polite client against a real HTTP server on 127.0.0.1: every politeness rule and fault."""

from __future__ import annotations

import email.utils
import io
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from civicpulse.archive import WarcArchive, read_responses
from civicpulse.fetch import (
    DisallowedByRobots,
    Fetcher,
    FetchError,
    HostNotAllowed,
    NotAccepted,
    ResponseTooLarge,
)
from civicpulse.replay import ReplayAdapter
from civicpulse.settings import Settings, load_settings
from tests.http_server import Reply, Site, serve

ROBOTS = Reply(200, b"User-agent: *\nDisallow: /private/\n", {"Content-Type": "text/plain"})
HTML = {"Content-Type": "text/html; charset=utf-8"}
SECRET = "s3cret"
# What adapters pass as `headers`: an OAuth bearer (acled), an API key (ucdp), and a cookie.
CREDENTIALS = {"Authorization": f"Bearer {SECRET}", "x-ucdp-access-token": SECRET, "Cookie": SECRET}


@pytest.fixture
def live(tmp_path: Path) -> Settings:
    """Settings for live fetching (no replay), with one retry and no crawl delay."""
    env = {"CIVICPULSE_DATA": str(tmp_path), "CIVICPULSE_MAX_RETRIES": "2"}
    return replace(load_settings(env), crawl_delay_s=0.0, timeout_s=5.0)


def fetcher(settings: Settings, archive: WarcArchive | None = None) -> tuple[Fetcher, list[float]]:
    sleeps: list[float] = []
    return Fetcher(frozenset({"127.0.0.1"}), settings, archive, sleep=sleeps.append), sleeps


def test_sends_identifying_user_agent_and_reads_robots_first(live: Settings) -> None:
    with serve({"/robots.txt": [ROBOTS], "/a": [Reply(200, b"<p>hi</p>", HTML)]}) as site:
        client, _ = fetcher(live)
        page = client.get(f"{site.base}/a")
    assert page.text == "<p>hi</p>"
    assert [path for path, _ in site.requests] == ["/robots.txt", "/a"]
    agent = site.requests[1][1]["User-Agent"]
    assert agent.startswith("civicpulse/") and live.contact_url in agent


def test_refuses_hosts_outside_the_registry(live: Settings) -> None:
    client, _ = fetcher(live)
    with pytest.raises(HostNotAllowed, match="'example.com' is not in the source registry"):
        client.get("https://example.com/")


def test_obeys_robots_txt(live: Settings) -> None:
    with serve({"/robots.txt": [ROBOTS]}) as site:
        client, _ = fetcher(live)
        with pytest.raises(DisallowedByRobots):
            client.get(f"{site.base}/private/page")
    assert [path for path, _ in site.requests] == ["/robots.txt"]


def test_retries_5xx_with_capped_exponential_backoff(live: Settings) -> None:
    script = [Reply(500), Reply(502), Reply(200, b"ok")]
    with serve({"/a": script}) as site:
        client, sleeps = fetcher(live)
        assert client.get(f"{site.base}/a").body == b"ok"
    assert sleeps == [1.0, 2.0]
    assert client.stats.retries == 2


def test_honours_retry_after_on_429(live: Settings) -> None:
    with serve({"/a": [Reply(429, headers={"Retry-After": "7"}), Reply(200, b"ok")]}) as site:
        client, sleeps = fetcher(live)
        client.get(f"{site.base}/a")
    assert sleeps == [7.0]


def http_date(seconds_from_now: float, zone: str) -> str:
    when = datetime.now(UTC) + timedelta(seconds=seconds_from_now)
    return email.utils.format_datetime(when, usegmt=True).replace("GMT", zone)


@pytest.mark.parametrize("zone", ["GMT", "+0000", "-0000"])  # -0000: "zone unknown", naive
def test_honours_retry_after_dates_in_any_zone_notation_capped(live: Settings, zone: str) -> None:
    busy = [Reply(503, headers={"Retry-After": http_date(s, zone)}) for s in (120, 86_400, -60)]
    with serve({"/a": [*busy, Reply(200, b"ok")]}) as site:
        client, sleeps = fetcher(replace(live, max_retries=3))
        assert client.get(f"{site.base}/a").body == b"ok"
    assert 115.0 < sleeps[0] <= 120.0 and sleeps[1:] == [300.0, 0.0]  # in 2 min, a day (cap), past


@pytest.mark.parametrize(
    "retry_after",
    [
        "soon",
        "²",  # a digit float() refuses
        "Wed, 21 Oct 99999 07:28:00 GMT",  # a year datetime refuses
        "Wed, 21 Oct 9999999999999999999999 07:28:00 GMT",  # a year past a C long
    ],
    ids=["words", "superscript", "year-99999", "year-overflow"],
)
def test_an_unreadable_retry_after_means_normal_backoff(live: Settings, retry_after: str) -> None:
    busy = Reply(503, headers={"Retry-After": retry_after})
    with serve({"/a": [busy, Reply(200, b"ok")]}) as site:
        client, sleeps = fetcher(live)
        assert client.get(f"{site.base}/a").body == b"ok"
    assert sleeps == [1.0]


def test_gives_up_after_max_retries_naming_the_url(live: Settings) -> None:
    with serve({"/a": [Reply(503)]}) as site:
        client, sleeps = fetcher(live)
        with pytest.raises(FetchError, match=r"/a: HTTP 503"):
            client.get(f"{site.base}/a")
    assert len(sleeps) == live.max_retries


def test_connection_errors_are_retried_then_reported(live: Settings) -> None:
    with serve({}) as site:
        dead = site.base  # the server is gone once the block ends
    client, sleeps = fetcher(live)
    with pytest.raises(FetchError, match="ConnectionError after 3 tries"):
        client.get(f"{dead}/a")
    assert sleeps == [1.0, 2.0]


def test_a_truncated_body_is_retried_then_reported_and_never_archived(
    live: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "run.warc.gz"
    cut = Reply(200, b"x" * 500, {"Content-Length": "1000"})  # then the connection closes
    whole = Reply(200, b"x" * 1000)
    with serve({"/cut": [cut], "/healed": [cut, whole]}) as site:
        client, sleeps = fetcher(live, WarcArchive(path))
        with client:
            with pytest.raises(FetchError, match=r"/cut: truncated: got 500 of 1000 bytes after 3"):
                client.get(f"{site.base}/cut")
            assert client.get(f"{site.base}/healed").body == whole.body
    assert sleeps == [1.0, 2.0, 1.0]
    archived = [(r.url, len(r.body)) for r in read_responses(path) if r.status == 200]
    assert archived == [(f"{site.base}/healed", 1000)]


def test_caps_response_size(live: Settings) -> None:
    small = replace(live, max_response_bytes=1000)
    streamed = Reply(200, b"x" * 5000, {"Connection": "close"})
    with serve({"/big": [Reply(200, b"x" * 5000)], "/streamed": [streamed]}) as site:
        client, _ = fetcher(small)
        with pytest.raises(ResponseTooLarge, match="Content-Length 5000 exceeds cap"):
            client.get(f"{site.base}/big")
        with pytest.raises(ResponseTooLarge, match="body exceeds cap of 1000 bytes"):
            client.get(f"{site.base}/streamed")


def test_refuses_redirects_to_hosts_outside_the_registry(live: Settings) -> None:
    moved = Reply(301, headers={"Location": "https://evil.example/x"})
    with serve(
        {
            "/a": [moved],
            "/b": [Reply(302, headers={"Location": "/a2"})],
            "/a2": [Reply(200, b"here")],
        }
    ) as site:
        client, _ = fetcher(live)
        with pytest.raises(HostNotAllowed, match="evil.example"):
            client.get(f"{site.base}/a")
        assert client.get(f"{site.base}/b").url == f"{site.base}/a2"


def carrying_credentials(site: Site) -> list[str]:
    return [path for path, headers in site.requests if SECRET in str(headers.values())]


def test_redirects_carry_credentials_within_the_origin_only(live: Settings) -> None:
    # Another port is another origin, as requests' should_strip_auth has it.
    with (
        serve({}) as other,
        serve(
            {
                "/start": [Reply(302, headers={"Location": "/same"})],
                "/same": [Reply(302, headers={"Location": f"{other.base}/elsewhere"})],
                "/back": [Reply(200, b"ok")],
            }
        ) as origin,
    ):
        other.replies["/elsewhere"] = [Reply(302, headers={"Location": f"{origin.base}/back"})]
        client, _ = fetcher(live)
        page = client.get(f"{origin.base}/start", headers=CREDENTIALS)
    assert page.url == f"{origin.base}/back"
    assert carrying_credentials(origin) == ["/start", "/same"]  # not /back: stripped stays stripped
    assert [path for path, _ in other.requests] == ["/robots.txt", "/elsewhere"]
    assert carrying_credentials(other) == []


class Edge(requests.adapters.BaseAdapter):
    """The network edge for origins 127.0.0.1 cannot serve in a test (https, port 80): answers
    each URL with its (status, Location), 404 otherwise, and records the headers it was sent."""

    def __init__(self, routes: dict[str, tuple[int, str]]) -> None:
        super().__init__()
        self.routes = routes
        self.sent: dict[str, dict[str, str]] = {}

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        self.sent[str(request.url)] = dict(request.headers)
        response = requests.Response()
        response.status_code, location = self.routes.get(str(request.url), (404, ""))
        if location:
            response.headers["Location"] = location
        response.raw, response.url, response.request = io.BytesIO(), str(request.url), request
        return response

    def close(self) -> None:
        pass


def test_a_redirect_from_https_to_http_drops_credentials(live: Settings) -> None:
    with serve({"/landing": [Reply(200, b"ok")]}) as site:
        secure = site.base.replace("http://", "https://")  # same host and port: only the scheme
        edge = Edge({f"{secure}/start": (302, f"{site.base}/landing")})
        client, _ = fetcher(live)
        client._session.mount("https://", edge)
        client.get(f"{secure}/start", headers=CREDENTIALS)
    assert SECRET in str(edge.sent[f"{secure}/start"].values())
    assert [path for path, _ in site.requests] == ["/robots.txt", "/landing"]
    assert carrying_credentials(site) == []


def test_a_redirect_from_http_to_https_keeps_credentials(live: Settings) -> None:
    edge = Edge(
        {
            "http://127.0.0.1/start": (302, "https://127.0.0.1/landing"),
            "https://127.0.0.1/landing": (200, ""),
        }
    )
    client, _ = fetcher(live)
    client._session.mount("http://127.0.0.1/", edge)  # port 80 only: not the test servers
    client._session.mount("https://", edge)
    client.get("http://127.0.0.1/start", headers=CREDENTIALS)
    assert edge.sent["https://127.0.0.1/landing"].items() >= CREDENTIALS.items()


def test_waits_between_requests_to_the_same_host(live: Settings) -> None:
    polite = replace(live, crawl_delay_s=5.0)
    with serve({"/a": [Reply(200, b"a")]}) as site:
        client, sleeps = fetcher(polite)
        client.get(f"{site.base}/a")
        client.get(f"{site.base}/a")
    assert len(sleeps) == 2 and all(4.0 < s <= 5.0 for s in sleeps)  # after robots, after /a


def test_every_response_is_archived_and_replays_identically(live: Settings, tmp_path: Path) -> None:
    path = tmp_path / "run.warc.gz"
    body = "Sebastián — “quoted”".encode()
    with serve({"/a": [Reply(200, body, HTML)], "/gone": [Reply(404, b"no")]}) as site:
        client, _ = fetcher(live, WarcArchive(path))
        with client:
            page = client.get(f"{site.base}/a")
            with pytest.raises(FetchError, match="HTTP 404"):
                client.get(f"{site.base}/gone")
    records = {r.url: r for r in read_responses(path)}
    assert set(records) == {f"{site.base}/robots.txt", f"{site.base}/a", f"{site.base}/gone"}
    assert records[f"{site.base}/a"].record_id == page.warc_record_id
    assert not path.with_name(path.name + ".part").exists()

    replaying = replace(live, replay_dir=tmp_path)
    replayed, _ = fetcher(replaying)
    again = replayed.get(f"{site.base}/a")  # the server is down: this can only be the archive
    assert (again.body, again.text) == (body, page.text)
    assert isinstance(replayed._session.get_adapter(site.base), ReplayAdapter)


def test_honours_a_longer_crawl_delay_from_robots_txt(live: Settings) -> None:
    robots = Reply(200, b"User-agent: *\nCrawl-delay: 5\n", {"Content-Type": "text/plain"})
    polite = replace(live, crawl_delay_s=1.0)
    with serve({"/robots.txt": [robots], "/a": [Reply(200, b"a")]}) as site:
        client, sleeps = fetcher(polite)
        client.get(f"{site.base}/a")
        client.get(f"{site.base}/a")
    # robots.txt, then /a (after robots.txt: 5 s), then /a again (5 s): the site's 5 s, not our 1 s
    assert len(sleeps) == 2 and all(4.5 < s <= 5.0 for s in sleeps)


def test_does_not_read_a_body_of_a_type_it_does_not_accept(live: Settings) -> None:
    pdf = Reply(200, b"%PDF" + b"x" * 10_000, {"Content-Type": "application/pdf"})
    with serve({"/report.pdf": [pdf]}) as site:
        client, _ = fetcher(live)
        with pytest.raises(NotAccepted, match="application/pdf is not one of text/html"):
            client.get(f"{site.base}/report.pdf", accept=frozenset({"text/html"}))
    assert client.stats.requests == 2  # robots.txt (404), then the PDF, whose body is unread
    assert client.stats.bytes == len(b"not found")  # the 404 page's body only
