"""Provenance: every article and indicator row reaches the archived response it was read
from, and `civicpulse provenance` prints a chain whose WARC file, offset and sha256 are the
real ones (checked by reading the record back with warcio)."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from warcio.archiveiterator import ArchiveIterator

from civicpulse.landing import land_source
from civicpulse.provenance import index_archive
from civicpulse.settings import Settings
from tests.nightly import Demo, query

CLI = str(Path(sys.executable).with_name("civicpulse"))


def provenance(env: dict[str, str], table: str, key: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CLI, "provenance", table, key], env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.e2e
def test_every_article_and_value_reaches_an_archived_response(demo: Demo) -> None:
    env = demo.env
    for table in ("fct_articles", "fct_article_versions", "fct_indicator_value_history"):
        ((rows, orphans),) = query(
            env,
            f"select count(*), count(*) filter (where archive.warc_record_id is null) "
            f"from marts.{table} as t left join marts.dim_archive_records as archive "
            f"on t.warc_record_id = archive.warc_record_id",
        )
        assert rows and orphans == 0, table


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("table", "key_sql"),
    [
        ("fct_program_figures", "select figure_id from marts.fct_program_figures"),
        ("bridge_article_countries", "select article_country_id from marts.{t}"),
        ("bridge_article_topics", "select article_topic_id from marts.{t}"),
        ("fct_articles", "select article_id from marts.{t}"),
        ("fct_article_versions", "select article_version_id from marts.{t}"),
        (
            "fct_indicator_values",
            "select indicator_id || '/' || country_iso3 || '/' || year from marts.{t} "
            "where indicator_id = 'cpi_score' and country_iso3 = 'GIN'",
        ),
        ("fct_indicator_value_history", "select indicator_value_version_id from marts.{t}"),
    ],
)
def test_the_printed_chain_ends_at_the_real_record(demo: Demo, table: str, key_sql: str) -> None:
    env = demo.env
    ((key,),) = query(env, key_sql.format(t=table) + " order by 1 limit 1")
    done = provenance(env, table, str(key))
    assert done.returncode == 0, done.stderr
    text = done.stdout
    record_id = re.search(r"<- WARC record (\S+)", text)
    where = re.search(r"in (\S+) at byte (\d+)", text)
    sha256 = re.search(r"sha256 ([0-9a-f]{64})", text)
    assert record_id and where and sha256, text

    with Path(where.group(1)).open("rb") as handle:
        handle.seek(int(where.group(2)))
        record = next(iter(ArchiveIterator(handle)))
        assert record.rec_headers.get_header("WARC-Record-ID") == record_id.group(1)
        payload = record.content_stream().read()
    assert hashlib.sha256(payload).hexdigest() == sha256.group(1)
    landed = re.search(r"<- landed in (\S+)", text)
    assert landed and Path(landed.group(1)).exists(), text


@pytest.mark.e2e
def test_a_bad_table_or_key_is_a_clear_error(demo: Demo) -> None:
    env = demo.env
    unknown = provenance(env, "dim_countries", "GIN")
    assert unknown.returncode == 2 and "no provenance for this table" in unknown.stderr
    missing = provenance(env, "fct_articles", "no-such-article")
    assert missing.returncode == 2 and "no such row" in missing.stderr
    malformed = provenance(env, "fct_indicator_values", "cpi_score")
    assert malformed.returncode == 2 and "indicator_id/country_iso3/year" in malformed.stderr


def test_the_archive_index_reads_each_file_once_and_forgets_deleted_ones(
    settings: Settings,
) -> None:
    land_source("ti_cpi", "2026-11-20", settings)
    land_source("ti_cpi", "2026-11-21", settings)
    path = index_archive(settings)
    first = pq.read_table(path).to_pylist()
    files = sorted({r["warc_file"] for r in first})
    assert len(files) == 2 and all(r["payload_sha256"] for r in first)

    (settings.data_root / files[0]).write_bytes(b"")  # a closed file is never read again
    assert pq.read_table(index_archive(settings)).to_pylist() == first

    (settings.data_root / files[0]).unlink()
    kept = pq.read_table(index_archive(settings)).to_pylist()
    assert kept == [r for r in first if r["warc_file"] == files[1]]
