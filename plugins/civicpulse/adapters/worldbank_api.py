"""World Bank Indicators API v2: paged JSON, with errors that arrive as HTTP 200 payloads."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlencode

from civicpulse.fetch import Fetcher, Page
from civicpulse.indicators import indicator_record
from civicpulse.indices.observations import Observation
from civicpulse.records import Failure, Record
from civicpulse.registry import Source

log = logging.getLogger(__name__)


class WorldBankApiError(RuntimeError):
    """The API answered with an error payload instead of data."""


def records(
    source: Source, client: Fetcher, known: Mapping[str, Record]
) -> Iterator[Record | Failure]:
    """Every observation of every configured indicator, page by page (the API has no cheap
    change signal per observation, so every run reads it whole; `known` is unused)."""
    options = source.options
    countries = ";".join(options.get("countries", ["all"]))
    for indicator in options["indicators"]:
        page_number, pages = 1, 1
        while page_number <= pages:
            url = indicator_url(source.url, countries, indicator, options, page_number)
            page = client.get(url)
            header, rows = parse_page(page)
            pages = int(header["pages"])
            for row in rows:
                yield _observation(row, header, page, source.name)
            page_number += 1


def indicator_url(
    base: str, countries: str, indicator: str, options: dict[str, Any], page: int
) -> str:
    query = {"format": "json", "date": options.get("date"), "per_page": options.get("per_page")}
    query_string = urlencode({k: v for k, v in query.items() if v}, safe=":;")
    return f"{base}country/{countries}/indicator/{indicator}?{query_string}&page={page}"


def parse_page(page: Page) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Split a response into its header and rows, raising on the API's error payloads."""
    payload = page.json()
    if isinstance(payload, list) and len(payload) == 1 and "message" in payload[0]:
        messages = "; ".join(
            f"{m.get('id')} {m.get('key')}: {m.get('value')}" for m in payload[0]["message"]
        )
        raise WorldBankApiError(f"{page.url}: API error: {messages}")
    if not (isinstance(payload, list) and len(payload) == 2 and isinstance(payload[0], dict)):
        raise WorldBankApiError(f"{page.url}: unexpected payload shape")
    return payload[0], payload[1] or []


def _observation(
    row: dict[str, Any], header: dict[str, Any], page: Page, source_id: str
) -> Record | Failure:
    iso3 = row.get("countryiso3code") or ""
    year = str(row.get("date", ""))
    if len(iso3) != 3 or not year.isdigit():
        item = f"{page.url} {row.get('country', {}).get('value')} {year}"
        return Failure(item, f"row without ISO3 code or year: {iso3!r} {year!r}")
    observation = Observation(
        indicator_id=row["indicator"]["id"],
        country=iso3,
        scheme="iso3",
        year=int(year),
        value=None if row.get("value") is None else float(row["value"]),
        country_name=row["country"]["value"],
    )
    # The API's release of the indicator is the day it was last updated.
    vintage = str(header.get("lastupdated") or page.fetched_at.date().isoformat())
    return indicator_record(source_id, observation, page, vintage)
