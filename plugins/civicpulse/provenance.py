"""Where a warehouse row came from: an index of every record in the WARC archive (file,
offset, payload sha256), which the warehouse joins on `warc_record_id`, and the chain from
one row back to the response it was read from, for `civicpulse provenance`."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from civicpulse.archive import warc_files
from civicpulse.files import replaced_atomically
from civicpulse.settings import Settings, load_settings

log = logging.getLogger(__name__)


def archive_index_path(settings: Settings) -> Path:
    return settings.derived_root / "archive_records.parquet"


def index_archive(settings: Settings | None = None) -> Path:
    """Add the archive's new WARC files to `derived/archive_records.parquet` (a closed
    WARC file never changes, so each is read once); files since deleted drop out."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    settings = settings or load_settings()
    path = archive_index_path(settings)
    present = {_relative(f, settings) for f in warc_files(settings.archive_root)}
    known: list[dict[str, Any]] = []
    if path.exists():
        known = [r for r in pq.read_table(path).to_pylist() if r["warc_file"] in present]
    indexed = {r["warc_file"] for r in known}
    new = [
        record
        for file in sorted(present - indexed)
        for record in _records(settings.data_root / file, file)
    ]
    with replaced_atomically(path) as staged:
        pq.write_table(pa.Table.from_pylist(known + new, schema=_schema()), staged)
    log.info("archive index: %d records (%d new) in %s", len(known) + len(new), len(new), path)
    return path


def _relative(file: Path, settings: Settings) -> str:
    return file.relative_to(settings.data_root).as_posix()


def _records(path: Path, name: str) -> Iterator[dict[str, Any]]:
    """One row per response record of the WARC file `path`."""
    from warcio.archiveiterator import ArchiveIterator

    with path.open("rb") as handle:
        records = ArchiveIterator(handle)
        for record in records:
            if record.rec_type != "response":
                continue
            payload = record.content_stream().read()
            headers = record.http_headers
            yield {
                "warc_record_id": record.rec_headers.get_header("WARC-Record-ID"),
                "warc_file": name,
                "record_offset": records.get_record_offset(),
                "target_uri": record.rec_headers.get_header("WARC-Target-URI"),
                "warc_date": record.rec_headers.get_header("WARC-Date"),
                "http_status": int(headers.get_statuscode() or 0) if headers else None,
                "content_type": headers.get_header("Content-Type") if headers else None,
                "payload_bytes": len(payload),
                "payload_sha256": hashlib.sha256(payload).hexdigest(),
            }


def _schema() -> Any:
    import pyarrow as pa

    return pa.schema(
        [
            ("warc_record_id", pa.string()),
            ("warc_file", pa.string()),  # relative to the data folder
            ("record_offset", pa.int64()),  # of the (compressed) record in the file
            ("target_uri", pa.string()),
            ("warc_date", pa.string()),
            ("http_status", pa.int32()),
            ("content_type", pa.string()),
            ("payload_bytes", pa.int64()),
            ("payload_sha256", pa.string()),
        ]
    )


# The marts a chain starts from, by the column that names one row.
ARTICLE_ROWS = {
    "fct_articles": "article_id",
    "fct_article_versions": "article_version_id",
    "bridge_article_countries": "article_country_id",
    "bridge_article_topics": "article_topic_id",
    "bridge_article_organisations": "article_organisation_id",
    "fct_program_figures": "figure_id",
}
INDICATOR_ROWS = {
    "fct_indicator_values": "indicator_id/country_iso3/year",
    "fct_indicator_value_history": "indicator_value_version_id",
}


class ProvenanceError(LookupError):
    """The table is not one with provenance, or it holds no row with that key."""


def chain(table: str, key: str, settings: Settings | None = None) -> list[str]:
    """The lines from one row of `table` back to the archived response it came from."""
    import duckdb

    settings = settings or load_settings()
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as db:
        if table in ARTICLE_ROWS:
            return _article_chain(db, table, key, settings)
        if table in INDICATOR_ROWS:
            return _indicator_chain(db, table, key, settings)
    tables = ", ".join([*ARTICLE_ROWS, *INDICATOR_ROWS])
    raise ProvenanceError(f"{table}: no provenance for this table; one of: {tables}")


def _one(db: Any, sql: str, parameters: list[Any], what: str) -> dict[str, Any]:
    cursor = db.execute(sql, parameters)
    names = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    if not rows:
        raise ProvenanceError(f"{what}: no such row")
    return dict(zip(names, rows[0], strict=True))


def _article_chain(db: Any, table: str, key: str, settings: Settings) -> list[str]:
    column = ARTICLE_ROWS[table]
    row = _one(
        db,
        f"select * from marts.{table} where {column} = ? or article_id = ? limit 1",
        [key, key],
        f"{table} {column} {key}",
    )
    which = "article_version_id = ?" if table == "fct_article_versions" else "article_id = ? "
    version = _one(
        db,
        f"select * from marts.fct_article_versions where {which}"
        + ("" if table == "fct_article_versions" else "and is_current"),
        [row[column] if table == "fct_article_versions" else row["article_id"]],
        f"the version behind {table} {key}",
    )
    partition = settings.raw_root / version["source_id"] / "articles"
    lines = [
        f"{table} {column} = {row[column]}: {_summary(table, row)}",
        f"<- article {version['article_id']} version {version['version_number']}: "
        f"{version['title']!r} ({version['source_id']}, {version['url']})",
        f"   content {version['content_hash']}, first fetched {version['valid_from']}, "
        f"extractor {version['extractor']}",
        f"<- landed in {partition / (version['first_seen_ds'] + '.parquet')}",
    ]
    return lines + _record_lines(db, version["warc_record_id"], settings)


def _indicator_chain(db: Any, table: str, key: str, settings: Settings) -> list[str]:
    if table == "fct_indicator_values":
        try:
            indicator_id, iso3, year = key.rsplit("/", 2)
            where, parameters = (
                "indicator_id = ? and country_iso3 = ? and year = ?",
                [
                    indicator_id,
                    iso3,
                    int(year),
                ],
            )
        except ValueError:
            raise ProvenanceError(
                f"{table}: the key is indicator_id/country_iso3/year, e.g. cpi_score/GIN/2022; "
                f"got {key!r}"
            ) from None
    else:
        where, parameters = "indicator_value_version_id = ?", [key]
    row = _one(db, f"select * from marts.{table} where {where}", parameters, f"{table} {key}")
    lines = [
        f"{table} {row['indicator_id']} {row['country_iso3']} {row['year']}: {row['value']}",
        f"<- release {row['vintage']} of {row['source_id']}, published for "
        f"{row['source_country']!r} ({row['source_country_scheme']})",
        f"<- retrieved {row['retrieved_at']} from {row['url']}",
        f"<- landed in {settings.raw_root / row['source_id'] / 'indicator_values'}"
        f"/{row['landed_ds']}.parquet",
    ]
    return lines + _record_lines(db, row["warc_record_id"], settings)


def _record_lines(db: Any, record_id: str, settings: Settings) -> list[str]:
    record = _one(
        db,
        "select * from marts.dim_archive_records where warc_record_id = ?",
        [record_id],
        f"WARC record {record_id} (not in the archive index: was its file deleted?)",
    )
    return [
        f"<- WARC record {record_id}",
        f"   in {settings.data_root / record['warc_file']} at byte {record['record_offset']}",
        f"   {record['target_uri']}: HTTP {record['http_status']}, {record['archived_at']}, "
        f"{record['payload_bytes']} bytes, sha256 {record['payload_sha256']}",
    ]


def _summary(table: str, row: dict[str, Any]) -> str:
    if table == "fct_program_figures":
        return f"{row['figure_text']!r} ({row['kind']}) in {row['country_iso3']}, {row['year']}"
    named = [f"{k} {row[k]}" for k in ("country_iso3", "topic_id", "organisation_id") if k in row]
    return ", ".join(named) or str(row.get("title"))
