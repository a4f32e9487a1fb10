"""World Bank API v2 adapter: recorded pages in, observations out; error payloads raise."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests

from civicpulse.adapters.worldbank_api import WorldBankApiError, parse_page, records
from civicpulse.fetch import Fetcher, FetchError, Page
from civicpulse.records import Failure
from civicpulse.registry import get_source, parse_sources
from civicpulse.settings import Settings
from tests.http_server import Reply, serve

SOURCE = get_source("worldbank_wdi")
FIXTURES = Path(__file__).parents[1] / "fixtures" / "worldbank_wdi"


def page_of(body: bytes, url: str = "https://api.worldbank.org/v2/x") -> Page:
    headers = requests.structures.CaseInsensitiveDict({"Content-Type": "application/json"})
    return Page(url, 200, headers, body, datetime.now(UTC), "<urn:uuid:test>")


def test_reads_every_page_of_the_recorded_indicator(settings: Settings) -> None:
    with Fetcher(SOURCE.hosts, settings) as client:
        results = list(records(SOURCE, client, {}))
    assert not [r for r in results if isinstance(r, Failure)]
    observations = [r for r in results if not isinstance(r, Failure)]
    assert client.stats.requests == 3  # robots.txt (absent) and two pages of 25
    assert len(observations) == 50
    assert {o["country_iso3"] for o in observations} == {"JPN"}
    assert {o["indicator_id"] for o in observations} == {"NY.GDP.MKTP.CD"}
    assert sorted(o["year"] for o in observations) == list(range(1971, 2021))
    by_year = {o["year"]: o["value"] for o in observations}
    assert by_year[2020] is None  # the API returns null observations as rows
    assert by_year[2019] == pytest.approx(5.08e12, rel=0.01)
    assert {o["vintage"] for o in observations} == {"2021-05-25"}  # the API's lastupdated
    assert all(o["url"].endswith(("page=1", "page=2")) for o in observations)


@pytest.mark.parametrize(
    "fixture", ["error_120_invalid_indicator_http200.json", "error_120_two_messages_http200.json"]
)
def test_http_200_error_payloads_raise_with_every_api_message(fixture: str) -> None:
    body = (FIXTURES / fixture).read_bytes()
    with pytest.raises(WorldBankApiError, match="api.worldbank.org/v2/x: API error: 120") as err:
        parse_page(page_of(body))
    assert str(err.value).count("Invalid value") == len(json.loads(body)[0]["message"])


def test_http_400_error_page_fails_the_fetch(settings: Settings) -> None:
    html = (FIXTURES / "error_invalid_source_http400.html").read_bytes()
    live = replace(settings, replay_dir=None, crawl_delay_s=0.0)
    with serve({"/v2/bad": [Reply(400, html, {"Content-Type": "text/html"})]}) as site:
        client = Fetcher(frozenset({"127.0.0.1"}), live)
        with pytest.raises(FetchError, match="HTTP 400"):
            client.get(f"{site.base}/v2/bad")


def test_rows_without_an_iso3_code_become_failures_not_records(settings: Settings) -> None:
    body = (
        b'[{"page":1,"pages":1,"per_page":50,"total":2,"lastupdated":"2021-05-25"},['
        b'{"indicator":{"id":"X","value":"X"},"country":{"id":"XX","value":"Nowhere"},'
        b'"countryiso3code":"","date":"2019","value":1.0},'
        b'{"indicator":{"id":"X","value":"X"},"country":{"id":"JP","value":"Japan"},'
        b'"countryiso3code":"JPN","date":"2019","value":2.0}]]'
    )
    live = replace(settings, replay_dir=None, crawl_delay_s=0.0)
    query = "/v2/country/all/indicator/X?format=json&page=1"
    with serve({query: [Reply(200, body, {"Content-Type": "application/json"})]}) as site:
        (source,) = parse_sources(
            [{**SOURCE.model_dump(), "url": f"{site.base}/v2/", "options": {"indicators": ["X"]}}]
        )
        results = list(records(source, Fetcher(source.hosts, live), {}))
    failure, observation = results
    assert isinstance(failure, Failure) and "Nowhere 2019" in failure.item
    assert "without ISO3 code" in failure.reason
    assert not isinstance(observation, Failure) and observation["value"] == 2.0
