"""The landed tables' Arrow schemas and keys: the raw contract dbt and the suites rely on."""

from __future__ import annotations

import pyarrow as pa

_TIMESTAMP = pa.timestamp("us", tz="UTC")

PROVENANCE = [
    pa.field("content_hash", pa.string(), nullable=False),
    pa.field("fetched_at", _TIMESTAMP, nullable=False),
    pa.field("warc_record_id", pa.string(), nullable=False),
    pa.field("ds", pa.string(), nullable=False),
]

SCHEMAS: dict[str, pa.Schema] = {
    "articles": pa.schema(
        [
            pa.field("source_id", pa.string()),
            pa.field("url", pa.string()),
            pa.field("title", pa.string()),
            pa.field("published_date", pa.date32()),
            pa.field("updated_date", pa.date32()),
            pa.field("authors", pa.list_(pa.string())),
            pa.field("language", pa.string()),
            pa.field("languages", pa.list_(pa.string())),
            pa.field("content_type", pa.string()),
            pa.field("tags", pa.list_(pa.string())),
            pa.field("body", pa.string()),
            pa.field("summary", pa.string()),
            pa.field("extractor", pa.string()),
            pa.field("title_source", pa.string()),
            pa.field("date_source", pa.string()),
            pa.field("body_source", pa.string()),
            pa.field("etag", pa.string()),
            pa.field("last_modified", pa.string()),
            *PROVENANCE,
        ]
    ),
    "indicator_values": pa.schema(
        [
            pa.field("source_id", pa.string()),
            pa.field("indicator_id", pa.string()),
            pa.field("country", pa.string()),  # as published: a code of country_scheme, or a name
            pa.field("country_scheme", pa.string()),  # iso3 | iso2 | iso_numeric | gw | name
            pa.field("country_name", pa.string()),  # the source's name for it, if any
            pa.field("country_iso3", pa.string()),  # mapped; null when nothing matched
            pa.field("year", pa.int32()),
            pa.field("value", pa.float64()),
            pa.field("vintage", pa.string()),  # the release the value belongs to
            pa.field("url", pa.string()),
            *PROVENANCE,
        ]
    ),
}

KEYS: dict[str, list[str]] = {
    "articles": ["url"],
    "indicator_values": ["indicator_id", "country_scheme", "country", "year", "vintage"],
}

# Fields that record how and when we saw a record, not what it says: excluded from its hash,
# so a re-fetch of unchanged content counts as unchanged.
NOT_CONTENT = {
    "fetched_at",
    "warc_record_id",
    "ds",
    "content_hash",
    "url",
    "extractor",
    "title_source",
    "date_source",
    "body_source",
    "etag",
    "last_modified",
}
