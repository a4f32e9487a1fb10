"""The nightly DAGs through real Airflow (SQLite metadata DB) on a temporary data folder,
replaying the bundled snapshot: what `make demo` runs, for tests to query afterwards."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

from civicpulse.settings import REPO_ROOT
from tests.conftest import FIXTURES

AIRFLOW = str(Path(sys.executable).with_name("airflow"))
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


def query(env: dict[str, str], sql: str) -> list[tuple[object, ...]]:
    warehouse = Path(env["CIVICPULSE_DATA"]) / "warehouse.duckdb"
    with duckdb.connect(str(warehouse), read_only=True) as db:
        return db.execute(sql).fetchall()
