"""The nightly DAGs through real Airflow (SQLite metadata DB) on a temporary data folder,
replaying the bundled snapshot: what `make demo` runs, for tests to query afterwards."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import duckdb

from civicpulse.settings import REPO_ROOT
from tests.conftest import FIXTURES

AIRFLOW = str(Path(sys.executable).with_name("airflow"))
CIVICPULSE = str(Path(sys.executable).with_name("civicpulse"))
DAY = "2026-11-20"
DAGS = ("scrape_news", "scrape_indices", "build_warehouse")


def airflow_env(root: Path) -> dict[str, str]:
    """An environment for a fresh Airflow home and data folder under `root`, migrated."""
    environment = {
        **os.environ,
        "AIRFLOW_HOME": str(root / "airflow"),
        "AIRFLOW__CORE__DAGS_FOLDER": str(REPO_ROOT / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(REPO_ROOT / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "CIVICPULSE_DATA": str(root / "data"),
        "CIVICPULSE_REPLAY": str(FIXTURES),
    }
    subprocess.run([AIRFLOW, "db", "migrate"], env=environment, check=True, capture_output=True)
    return environment


def airflow(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([AIRFLOW, *args], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout + done.stderr


def nightly(env: dict[str, str], day: str = DAY, dags: tuple[str, ...] = DAGS) -> dict[str, str]:
    """Run the DAGs (all three by default) for `day`, in order; their logs by DAG id."""
    return {dag: airflow(env, "dags", "test", dag, day) for dag in dags}


class Demo(NamedTuple):
    """`make demo`'s nightly run: its environment, what it printed and its full Airflow log.
    Shared by many tests, so read-only: a test that runs another night runs it on `own_copy`."""

    env: dict[str, str]
    printed: str
    log: str


def demo_run(root: Path, day: str = DAY) -> Demo:
    """`civicpulse nightly` (what `make demo` runs: the three DAGs through `airflow dags test`,
    one line per task, then the report) on a fresh Airflow home and data folder under `root`."""
    env = airflow_env(root)
    done = subprocess.run(
        [CIVICPULSE, "nightly", "--day", day], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-3000:]
    (log,) = re.findall(r"^Full Airflow log: (.+)$", done.stdout, re.MULTILINE)
    return Demo(env, done.stdout, Path(log).read_text(encoding="utf-8"))


def own_copy(demo: Demo, root: Path) -> dict[str, str]:
    """An environment on a copy of the demo's data folder under `root` (and an Airflow home
    of its own), to run more nights on without changing what other tests read."""
    env = airflow_env(root)
    shutil.copytree(demo.env["CIVICPULSE_DATA"], env["CIVICPULSE_DATA"])
    return env


def query(env: dict[str, str], sql: str) -> list[tuple[object, ...]]:
    warehouse = Path(env["CIVICPULSE_DATA"]) / "warehouse.duckdb"
    with duckdb.connect(str(warehouse), read_only=True) as db:
        return db.execute(sql).fetchall()
