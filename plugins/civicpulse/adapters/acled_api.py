"""ACLED's API: an OAuth token from the credentials in an Airflow connection, then event pages
summed to fatalities per country and year. Without credentials the source is skipped."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from urllib.parse import urlencode

from civicpulse.credentials import credentials
from civicpulse.fetch import Fetcher, FetchError, Page
from civicpulse.indicators import indicator_record, summed
from civicpulse.indices import acled
from civicpulse.indices.observations import Observation, ParseError
from civicpulse.records import Failure, Record
from civicpulse.registry import Source

log = logging.getLogger(__name__)

LIMIT = 5000  # rows per page; a shorter page is the last


def records(
    source: Source, client: Fetcher, known: Mapping[str, Record]
) -> Iterator[Record | Failure]:
    """Fatalities per country and year for the configured countries and dates."""
    options = source.options
    login = credentials(options.get("connection", "acled_default"), source.name)
    token = client.post_form(
        f"{source.url}oauth/token",
        {
            "username": login.login,
            "password": login.password,
            "grant_type": "password",
            "client_id": "acled",
        },
    )
    if not isinstance(token, dict) or "access_token" not in token:
        raise FetchError(f"{source.url}oauth/token", "the answer holds no access_token")
    bearer = {"Authorization": f"Bearer {token['access_token']}"}
    for country in options["countries"]:
        query = {
            "_format": "json",
            "country": country,
            "event_date": options["event_date"],  # "2024-01-01|2024-12-31"
            "event_date_where": "BETWEEN",
            "limit": LIMIT,
        }
        first = f"{source.url}api/acled/read?{urlencode(query, safe='|')}"
        try:
            pages = list(_pages(client, first, bearer))
        except ParseError as error:
            yield Failure(first, str(error))
            continue
        vintage = pages[0][0].fetched_at.date().isoformat()  # ACLED revises continuously
        for observation in summed(observations for _, observations in pages):
            yield indicator_record(source.name, observation, pages[0][0], vintage)


def _pages(
    client: Fetcher, first: str, headers: dict[str, str]
) -> Iterator[tuple[Page, list[Observation]]]:
    number = 1
    while True:
        page = client.get(f"{first}&page={number}", headers=headers)
        yield page, acled.parse_api_page(page.body, page.url)
        if len(page.json().get("data", [])) < LIMIT:
            return
        number += 1
