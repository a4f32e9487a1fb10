"""Indicator observations as landed records: the country mapped to ISO3 in one place, the
value tagged with the release (vintage) it came from and the response it was read from."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from civicpulse.countries import crosswalk
from civicpulse.fetch import Page
from civicpulse.indices.observations import Observation
from civicpulse.records import Record


def indicator_record(source_id: str, observation: Observation, page: Page, vintage: str) -> Record:
    """One landed row; `country_iso3` is None when the crosswalk knows no match."""
    return {
        "source_id": source_id,
        "indicator_id": observation.indicator_id,
        "country": observation.country,
        "country_scheme": observation.scheme,
        "country_name": observation.country_name,
        "country_iso3": crosswalk().iso3(observation.country, observation.scheme),
        "year": observation.year,
        "value": observation.value,
        "vintage": vintage,
        "url": page.url,
        "fetched_at": page.fetched_at,
        "warc_record_id": page.warc_record_id,
    }


def summed(pages: Iterable[Iterable[Observation]]) -> list[Observation]:
    """Per-page country-year sums (API pages of events) added up into one per country-year."""
    totals: dict[tuple[str, str, str, int], Observation] = {}
    for observations in pages:
        for o in observations:
            key = (o.indicator_id, o.scheme, o.country, o.year)
            before = totals.get(key)
            value = (before.value or 0) + (o.value or 0) if before else o.value
            totals[key] = replace(o, value=value)
    return list(totals.values())


def unmapped(rows: list[Record]) -> list[dict[str, str]]:
    """The distinct countries of `rows` the crosswalk could not map, for the run summary."""
    seen = {
        (str(r["country_scheme"]), str(r["country"]), str(r.get("country_name") or ""))
        for r in rows
        if r.get("country_iso3") is None
    }
    return [{"scheme": s, "country": c, "name": n} for s, c, n in sorted(seen)]
