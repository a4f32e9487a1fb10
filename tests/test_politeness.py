"""Two sources on one host landing in parallel (two Airflow tasks: two processes, on one
worker or two sharing the data folder) never hit it at once, and each request waits out the
host's delay after the previous one ended, whoever sent it."""

from __future__ import annotations

import multiprocessing
import os
from dataclasses import replace
from pathlib import Path

from civicpulse.fetch import Fetcher
from civicpulse.settings import Settings, load_settings
from tests.http_server import Reply, serve

DELAY = 0.3  # the host's delay between requests
SLOW = 0.15  # how long the host takes to answer each


def fetch_all(base: str, data_root: str, paths: list[str]) -> None:
    """One task's share: fetch `paths` from the host, as a source's landing would."""
    settings = replace(
        load_settings(), data_root=Path(data_root), replay_dir=None, crawl_delay_s=DELAY
    )
    with Fetcher(frozenset({"127.0.0.1"}), settings) as client:
        for path in paths:
            client.get(f"{base}{path}")


def test_parallel_tasks_take_turns_at_one_host(settings: Settings) -> None:
    pages = {f"/{source}/{n}": [Reply(200, b"ok", delay=SLOW)] for source in "ab" for n in "123"}
    with serve({**pages, "/robots.txt": [Reply(200, b"User-agent: *\nAllow: /\n")]}) as site:
        spawn = multiprocessing.get_context("spawn")  # fresh interpreters, as Airflow's tasks
        tasks = [
            spawn.Process(target=fetch_all, args=(site.base, str(settings.data_root), paths))
            for paths in ([p for p in pages if p.startswith(f"/{s}/")] for s in "ab")
        ]
        for task in tasks:
            task.start()
        for task in tasks:
            task.join(60)
        assert [task.exitcode for task in tasks] == [0, 0]

    served = sorted(site.served, key=lambda request: request[1])
    assert sorted(path for path, _, _ in served if path != "/robots.txt") == sorted(pages)
    gaps = [later[1] - earlier[2] for earlier, later in zip(served, served[1:], strict=False)]
    assert min(gaps) >= DELAY - 0.05, gaps  # never at once, and the delay after each
    assert os.listdir(settings.data_root / ".politeness") == ["127.0.0.1.turn"]
