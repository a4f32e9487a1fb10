"""World Bank Indicators API v2: paged JSON, with errors that arrive as HTTP 200 payloads."""

from __future__ import annotations

import logging
import re
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
    change signal per observation, so every run reads it whole; `known` is unused).

    `options.indicators` lists codes; `options.indicator_sources` reads codes from a source's
    indicator list at run time (`[{source: 3, match: <regex>}]`), as the World Bank renames
    codes (WGI, 2026). With `countries: [all]`, aggregates (region "NA" in `/v2/country`:
    income groups, regions, WLD) are dropped: they are not countries."""
    options = source.options
    countries = options.get("countries", ["all"])
    aggregates = aggregate_codes(source.url, client) if countries == ["all"] else frozenset()
    dropped, empty, answered = 0, [], 0
    for indicator, source_id in indicators(source, client):
        url = indicator_url(source.url, countries, indicator, source_id, options)
        rows_before = answered
        for page, header, rows in pages(client, url):
            answered += len(rows)
            for row in rows:
                if row.get("countryiso3code") in aggregates:
                    dropped += 1
                    continue
                yield _observation(row, header, page, source.name)
        if answered == rows_before:
            log.warning("%s: %s&page=1: no rows for %s", source.name, url, indicator)
            empty.append(f"{url}&page=1")
    if dropped:
        log.info("%s: dropped %d observations of aggregates", source.name, dropped)
    if not answered:  # an indicator may be empty; every one of them is an API that changed
        raise WorldBankApiError(f"no rows for any indicator: {', '.join(empty) or source.url}")


def indicators(source: Source, client: Fetcher) -> list[tuple[str, str | None]]:
    """(code, World Bank source id or None) of every indicator to read."""
    found: list[tuple[str, str | None]] = [
        (code, None) for code in source.options.get("indicators", [])
    ]
    for listing in source.options.get("indicator_sources", []):
        wb_source, match = str(listing["source"]), re.compile(listing["match"])
        url = f"{source.url}sources/{wb_source}/indicators?format=json&per_page=1000"
        codes = [row["id"] for _, _, rows in pages(client, url) for row in rows]
        chosen = [code for code in codes if match.search(code)]
        if not chosen:
            raise WorldBankApiError(
                f"{url}: no indicator id matches {listing['match']!r} among {len(codes)}"
            )
        log.info("%s: source %s lists %s", source.name, wb_source, ", ".join(chosen))
        found += [(code, wb_source) for code in chosen]
    return found


def aggregate_codes(base: str, client: Fetcher) -> frozenset[str]:
    """ISO3-like codes of the API's aggregates: `/v2/country` entries whose region is "NA"."""
    url = f"{base}country?format=json&per_page=400"
    return frozenset(
        row["id"]
        for _, _, rows in pages(client, url)
        for row in rows
        if row.get("region", {}).get("id") == "NA"
    )


def pages(client: Fetcher, url: str) -> Iterator[tuple[Page, dict[str, Any], list[dict[str, Any]]]]:
    """Every page of `url`, as the first page's header announces (`pages` may be a string),
    each with its header and rows."""
    number, total = 1, 1
    while number <= total:
        page = client.get(f"{url}&page={number}")
        header, rows = parse_page(page)
        total = int(header["pages"])
        yield page, header, rows
        number += 1


def indicator_url(
    base: str, countries: list[str], indicator: str, wb_source: str | None, options: dict[str, Any]
) -> str:
    query = {
        "format": "json",
        "date": options.get("date"),
        "per_page": options.get("per_page"),
        "source": wb_source,
    }
    query_string = urlencode({k: v for k, v in query.items() if v}, safe=":;")
    return f"{base}country/{';'.join(countries)}/indicator/{indicator}?{query_string}"


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
