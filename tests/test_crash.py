"""A worker killed mid-task (SIGKILL: no `finally`, no cleanup) while a source is landing:
nothing half-written is visible, the next attempt removes what the dead one left, completes,
and publishes each record once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from warcio.archiveiterator import ArchiveIterator

from civicpulse.runs import RunSummary
from civicpulse.settings import load_settings
from tests.nightly import AIRFLOW, DAY, airflow, airflow_env

pytestmark = pytest.mark.e2e
SOURCE = "partnersglobal"  # the news DAG's first source: 15 posts, ~20 requests


def test_a_worker_killed_mid_landing_leaves_nothing_partial_and_the_retry_completes(
    tmp_path: Path,
) -> None:
    env = {**airflow_env(tmp_path), "CIVICPULSE_CRAWL_DELAY": "0.3"}  # a crawl to catch
    settings = load_settings(env)
    archive = settings.archive_root / SOURCE
    with (tmp_path / "killed.log").open("w") as log:
        worker = subprocess.Popen(
            [AIRFLOW, "dags", "test", "scrape_news", DAY],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 120
    while not list(archive.glob("*.part")):  # the source is fetching, its archive open
        assert worker.poll() is None, (tmp_path / "killed.log").read_text()[-3000:]
        assert time.monotonic() < deadline, "the landing never started"
        time.sleep(0.05)  # polling interval, well under the crawl delay
    time.sleep(1.5)  # a few responses into the crawl
    os.killpg(worker.pid, signal.SIGKILL)  # the worker and its task process, at once
    worker.wait()

    partition = settings.raw_root / SOURCE / "articles" / f"{DAY}.parquet"
    assert not partition.exists()  # the day was not published half-way
    assert_every_visible_file_is_whole(settings.data_root)

    airflow(env, "dags", "test", "scrape_news", DAY)  # the retry

    assert not list(settings.data_root.rglob("*.tmp")) + list(settings.data_root.rglob("*.part"))
    table = pq.read_table(partition, columns=["url"])
    urls = table.column("url").to_pylist()
    assert len(urls) == len(set(urls)) == 15  # every post, once
    summary = RunSummary(**json.loads((settings.runs_root / SOURCE / f"{DAY}.json").read_text()))
    assert summary.status == "published" and summary.new == 15
    assert_every_visible_file_is_whole(settings.data_root)


def assert_every_visible_file_is_whole(data: Path) -> None:
    """Readers never see a half-written file: every file not named as staging (a dot name or
    `.part`) reads whole, and no archived response appears twice."""
    record_ids: list[str] = []
    for path in data.rglob("*"):
        if not path.is_file() or path.name.startswith(".") or path.suffix == ".part":
            continue
        if path.suffix == ".parquet":
            pq.read_table(path)
        elif path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))
        elif path.name.endswith(".warc.gz"):
            with path.open("rb") as stream:
                record_ids += [
                    r.rec_headers.get_header("WARC-Record-ID") for r in ArchiveIterator(stream)
                ]
    assert len(record_ids) == len(set(record_ids))
