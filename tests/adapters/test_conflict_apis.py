"""The credentialed conflict APIs (UCDP GED, ACLED) against a real local server: skipped with a
clear message while no credentials are configured; with them, pages are followed and summed,
and the secrets never reach the archive, the logs or the run summary."""

from __future__ import annotations

import csv
import io
import json
import logging
from dataclasses import replace

import pyarrow.parquet as pq
import pytest

from civicpulse.archive import read_responses, warc_files
from civicpulse.landing import land_source
from civicpulse.registry import Source, get_source
from civicpulse.settings import Settings
from tests.conftest import FIXTURES
from tests.http_server import Reply, serve

JSON = {"Content-Type": "application/json; charset=utf-8"}
GED_ROWS = json.loads(
    (FIXTURES / "indices/ucdp/gedevents_api_Result_rows_Israel_2002.json").read_bytes()
)
ACLED_CSV = (FIXTURES / "indices/acled/ACLED_export_UKR_2024_head21.csv").read_text(
    encoding="utf-8"
)
TOKEN = "ucdp-token-do-not-leak"
PASSWORD = "acled-password-do-not-leak"


def pointing_at(name: str, base: str) -> Source:
    source = get_source(name)
    return source.model_copy(update={"url": f"{base}/", "options": {**source.options}})


def live(settings: Settings) -> Settings:
    return replace(settings, replay_dir=None, crawl_delay_s=0.0)


def everything_written(settings: Settings) -> str:
    """Every byte the runs left behind: archive, raw files, summaries."""
    archived = b"".join(
        r.body + repr(r.headers).encode()
        for p in warc_files(settings.data_root)
        for r in read_responses(p)
    )
    files = b"".join(
        p.read_bytes()
        for p in settings.data_root.rglob("*")
        if p.is_file() and ".warc" not in p.name
    )
    return (archived + files).decode("utf-8", errors="replace")


@pytest.mark.parametrize("name", ["ucdp_ged", "acled"])
def test_without_credentials_the_source_is_skipped_with_what_to_set_up(
    name: str, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    connection = get_source(name).options["connection"]
    monkeypatch.delenv(f"AIRFLOW_CONN_{connection.upper()}", raising=False)
    summary = land_source(name, "2026-11-20", live(settings))  # a skip, not a crash
    assert summary.status == "skipped" and summary.fetched == 0
    assert f"create the Airflow connection '{connection}'" in str(summary.error)
    assert not (settings.raw_root / name).exists()


def ged_pages(base: str) -> dict[str, list[Reply]]:
    """The recorded GED rows (Israel, 2002: envelope stripped by the uploader) in two pages."""
    first, second = GED_ROWS[:200], GED_ROWS[200:]
    query = "/api/gedevents/25.1?pagesize=1000&page={}&Country=439,645,438,704,155"
    envelope = {"TotalCount": len(GED_ROWS), "TotalPages": 2, "PreviousPageUrl": ""}
    return {
        query.format(0): [
            Reply(
                200,
                json.dumps(
                    {**envelope, "NextPageUrl": base + query.format(1), "Result": first}
                ).encode(),
                JSON,
            )
        ],
        query.format(1): [
            Reply(200, json.dumps({**envelope, "NextPageUrl": "", "Result": second}).encode(), JSON)
        ],
    }


def test_ucdp_pages_are_followed_and_summed_with_the_token_kept_secret(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv(
        "AIRFLOW_CONN_UCDP_DEFAULT", json.dumps({"conn_type": "http", "password": TOKEN})
    )
    caplog.set_level(logging.DEBUG)
    with serve({}) as site:
        site.replies.update(ged_pages(site.base))
        summary = land_source(pointing_at("ucdp_ged", site.base), "2026-11-20", live(settings))
        sent = [h.get("x-ucdp-access-token") for path, h in site.requests if "/api/" in path]
    assert sent == [TOKEN, TOKEN]
    expected = {}
    for row in GED_ROWS:  # summed by hand from the recorded rows
        key = (str(row["country_id"]), int(row["year"]))
        expected[key] = expected.get(key, 0) + int(row["best"])
    rows = pq.read_table(str(summary.partition)).to_pylist()
    assert {(r["country"], r["year"]): r["value"] for r in rows} == expected
    assert expected[("666", 2002)] == 880
    assert {r["country_iso3"] for r in rows if r["country"] == "666"} == {"ISR"}
    assert TOKEN not in everything_written(settings) and TOKEN not in caplog.text


def acled_page(rows: list[dict[str, str]]) -> bytes:
    return json.dumps(
        {"status": 200, "success": True, "count": len(rows), "messages": [], "data": rows}
    ).encode()


def test_acled_signs_in_then_sums_every_page(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv(
        "AIRFLOW_CONN_ACLED_DEFAULT",
        json.dumps({"conn_type": "http", "login": "analyst@example.org", "password": PASSWORD}),
    )
    monkeypatch.setattr(
        "civicpulse.adapters.acled_api.LIMIT", 5
    )  # pages of five: 20 rows, 4 full pages + 1 empty
    caplog.set_level(logging.DEBUG)
    events = list(csv.DictReader(io.StringIO(ACLED_CSV)))  # real events, as the API's strings
    source = get_source("acled")
    options = {**source.options, "countries": ["Ukraine"]}
    query = (
        "/api/acled/read?_format=json&country=Ukraine&event_date=2018-01-01%7C2025-12-31"
        "&event_date_where=BETWEEN&limit=5&page={}"
    )
    script = {
        "/oauth/token": [
            Reply(
                200, b'{"access_token": "at-123", "refresh_token": "rt", "expires_in": 86400}', JSON
            )
        ]
    }
    for number in range(1, 6):
        script[query.format(number)] = [
            Reply(200, acled_page(events[(number - 1) * 5 : number * 5]), JSON)
        ]
    with serve(script) as site:
        acled = source.model_copy(update={"url": f"{site.base}/", "options": options})
        summary = land_source(acled, "2026-11-20", live(settings))
        token_form = next(h["form"] for path, h in site.requests if path == "/oauth/token")
        bearer = {h.get("Authorization") for path, h in site.requests if path.startswith("/api/")}
    assert "grant_type=password" in token_form and "username=analyst%40example.org" in token_form
    assert bearer == {"Bearer at-123"}
    by_year: dict[int, int] = {}
    for event in events:
        by_year[int(event["year"])] = by_year.get(int(event["year"]), 0) + int(event["fatalities"])
    rows = pq.read_table(str(summary.partition)).to_pylist()
    assert {r["year"]: r["value"] for r in rows} == by_year
    assert {(r["country"], r["country_iso3"]) for r in rows} == {("804", "UKR")}
    assert PASSWORD not in everything_written(settings) and PASSWORD not in caplog.text
    assert "at-123" not in caplog.text
