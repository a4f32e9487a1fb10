"""World Bank API v2 adapter: recorded pages in, observations out; error payloads raise."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests

from civicpulse.adapters.worldbank_api import WorldBankApiError, indicators, parse_page, records
from civicpulse.fetch import Fetcher, FetchError, Page
from civicpulse.records import Failure
from civicpulse.registry import get_source, parse_sources
from civicpulse.settings import Settings
from tests.http_server import Reply, serve

SOURCE = get_source("worldbank_wdi")
FIXTURES = Path(__file__).parents[1] / "fixtures" / "worldbank_wdi"
JSON = {"Content-Type": "application/json;charset=utf-8"}
COUNTRY_LIST = "/v2/country?format=json&per_page=400&page=1"
# An aggregate as /v2/country lists it (documented shape; the recorded page holds countries only).
ARAB_WORLD = {
    "id": "ARB",
    "iso2Code": "1A",
    "name": "Arab World",
    "region": {"id": "NA", "iso2code": "NA", "value": "Aggregates"},
    "adminregion": {"id": "", "iso2code": "", "value": ""},
    "incomeLevel": {"id": "NA", "iso2code": "NA", "value": "Aggregates"},
    "lendingType": {"id": "", "iso2code": "", "value": "Aggregates"},
    "capitalCity": "",
    "longitude": "",
    "latitude": "",
}


def country_list() -> Reply:
    """The recorded /v2/country page (Aruba, Afghanistan) plus Arab World, as one page."""
    header, rows = json.loads((FIXTURES / "countries_per_page2.json").read_bytes())
    body = [{**header, "pages": 1}, [*rows, ARAB_WORLD]]
    return Reply(200, json.dumps(body).encode(), JSON)


def one_page(fixture: str) -> bytes:
    """A recorded indicator page, announced as the only page."""
    header, rows = json.loads((FIXTURES / fixture).read_bytes())
    return json.dumps([{**header, "pages": 1}, rows]).encode()


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
    site_script = {query: [Reply(200, body, JSON)], COUNTRY_LIST: [country_list()]}
    with serve(site_script) as site:
        (source,) = parse_sources(
            [{**SOURCE.model_dump(), "url": f"{site.base}/v2/", "options": {"indicators": ["X"]}}]
        )
        results = list(records(source, Fetcher(source.hosts, live), {}))
    failure, observation = results
    assert isinstance(failure, Failure) and "Nowhere 2019" in failure.item
    assert "without ISO3 code" in failure.reason
    assert not isinstance(observation, Failure) and observation["value"] == 2.0


def test_aggregates_are_dropped_using_the_country_list(settings: Settings) -> None:
    # The recorded first page of GDP for country/all: fifty rows of Arab World (ARB).
    page = one_page("indicator_all_NY.GDP.MKTP.CD_page1_aggregates_first.json")
    query = "/v2/country/all/indicator/NY.GDP.MKTP.CD?format=json&page=1"
    live = replace(settings, replay_dir=None, crawl_delay_s=0.0)
    with serve({query: [Reply(200, page, JSON)], COUNTRY_LIST: [country_list()]}) as site:
        (source,) = parse_sources(
            [
                {
                    **SOURCE.model_dump(),
                    "url": f"{site.base}/v2/",
                    "options": {"indicators": ["NY.GDP.MKTP.CD"], "countries": ["all"]},
                }
            ]
        )
        results = list(records(source, Fetcher(source.hosts, live), {}))
    assert {row["countryiso3code"] for row in json.loads(page)[1]} == {"ARB"}
    assert results == []  # every row was an aggregate


def wgi_listing(codes: list[str]) -> Reply:
    """A /v2/sources/3/indicators page: every header field a string, as the API sends them."""
    header = {"page": "1", "pages": "1", "per_page": "1000", "total": str(len(codes))}
    rows = [{"id": code, "name": code, "source": {"id": "3", "value": "WGI"}} for code in codes]
    return Reply(200, json.dumps([header, rows]).encode(), JSON)


def test_indicator_codes_are_read_from_the_source_list(settings: Settings) -> None:
    codes = ["GOV_WGI_CC.EST", "GOV_WGI_CC.SC", "GOV_WGI_CC.STD.ERR", "GOV_WGI_RL.EST"]
    listing = "/v2/sources/3/indicators?format=json&per_page=1000&page=1"
    data = one_page("indicator_JPN_USA_NY.GDP.MKTP.CD_footnote_page1_null2020.json")
    script = {listing: [wgi_listing(codes)]}
    for code in ("GOV_WGI_CC.EST", "GOV_WGI_RL.EST"):
        script[f"/v2/country/JPN/indicator/{code}?format=json&source=3&page=1"] = [
            Reply(200, data, JSON)
        ]
    live = replace(settings, replay_dir=None, crawl_delay_s=0.0)
    options = {"indicator_sources": [{"source": 3, "match": r"\.EST$"}], "countries": ["JPN"]}
    with serve(script) as site:
        (source,) = parse_sources(
            [{**SOURCE.model_dump(), "url": f"{site.base}/v2/", "options": options}]
        )
        client = Fetcher(source.hosts, live)
        assert indicators(source, client) == [("GOV_WGI_CC.EST", "3"), ("GOV_WGI_RL.EST", "3")]
        results = list(records(source, client, {}))
        asked = [path for path, _ in site.requests]
    assert all("source=3" in path for path in asked if "/indicator/" in path)
    assert len([r for r in results if not isinstance(r, Failure)]) == 2 * len(json.loads(data)[1])


def test_a_source_list_without_a_matching_code_is_an_error(settings: Settings) -> None:
    listing = "/v2/sources/3/indicators?format=json&per_page=1000&page=1"
    live = replace(settings, replay_dir=None, crawl_delay_s=0.0)
    options = {"indicator_sources": [{"source": 3, "match": "^CC\\.EST$"}]}
    with serve({listing: [wgi_listing(["GOV_WGI_CC.EST"])]}) as site:
        (source,) = parse_sources(
            [{**SOURCE.model_dump(), "url": f"{site.base}/v2/", "options": options}]
        )
        with pytest.raises(WorldBankApiError, match="no indicator id matches"):
            indicators(source, Fetcher(source.hosts, live))


def test_the_recorded_source_catalogue_parses_with_string_headers() -> None:
    body = (FIXTURES / "sources_page1_of_2.json").read_bytes()
    header, rows = parse_page(page_of(body))
    assert (header["pages"], len(rows)) == ("2", 50)  # strings, as the README warns
    assert (rows[0]["id"], rows[0]["name"], rows[0]["lastupdated"]) == (
        "1",
        "Doing Business",
        "2019-10-23",
    )


@pytest.mark.parametrize(
    ("fixture", "count", "first_id"),
    [("regions_all.json", 42, "AFR"), ("country_JPN.json", 1, "JPN")],
)
def test_the_recorded_metadata_pages_parse(fixture: str, count: int, first_id: str) -> None:
    body = (FIXTURES / fixture).read_bytes()
    _, rows = parse_page(page_of(body))
    ids = [row.get("id") or row.get("code") for row in rows]
    assert len(rows) == count and first_id in ids
