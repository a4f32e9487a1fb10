"""UCDP's API (`gedevents`): georeferenced events summed to deaths per country (Gleditsch–Ward)
and year, following `NextPageUrl`. The access token comes from an Airflow connection's
password; without it the source is skipped."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from urllib.parse import urlencode

from civicpulse.credentials import credentials
from civicpulse.fetch import Fetcher
from civicpulse.indicators import indicator_record, summed
from civicpulse.indices import ucdp
from civicpulse.indices.observations import Observation, ParseError
from civicpulse.records import Failure, Record
from civicpulse.registry import Source

log = logging.getLogger(__name__)

PAGE_SIZE = 1000  # the API's maximum


def records(
    source: Source, client: Fetcher, known: Mapping[str, Record]
) -> Iterator[Record | Failure]:
    """Deaths per country and year of the configured GED version, countries and dates."""
    options = source.options
    token = credentials(options.get("connection", "ucdp_default"), source.name).password
    query = {"pagesize": PAGE_SIZE, "page": 0, "Country": ",".join(map(str, options["countries"]))}
    query |= {k: options[k] for k in ("StartDate", "EndDate") if k in options}
    url: str | None = f"{source.url}api/gedevents/{options['version']}?{urlencode(query, safe=',')}"
    first, pages, seen = None, list[list[Observation]](), set[str]()
    try:
        while url and url not in seen:
            seen.add(url)
            page = client.get(url, headers={"x-ucdp-access-token": token})
            first = first or page
            observations, url = ucdp.parse_ged_api_page(page.body, page.url)
            pages.append(observations)
    except ParseError as error:
        yield Failure(str(url), str(error))
        return
    if first is None:
        return
    vintage = str(options.get("vintage") or first.fetched_at.date().isoformat())
    for observation in summed(pages):
        yield indicator_record(source.name, observation, first, vintage)
