"""`make up` and the real scheduler: the UI lists the DAGs behind a login, the scheduler runs
the nightly DAGs on their own schedule, builds the warehouse once after both landing DAGs
(not once per source), skips the build on a quiet night, and the warehouse it builds is
the one `make demo` (`airflow dags test`) builds. `make down` leaves no process behind."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from civicpulse.settings import REPO_ROOT, load_settings
from tests.conftest import FIXTURES
from tests.marts import RUN_LOGS, marts
from tests.nightly import airflow, airflow_env
from tests.processes import processes_of

pytestmark = [pytest.mark.e2e, pytest.mark.deployment]
RUN_TIMEOUT_S = 600  # a nightly run on 2 cores takes 2-3 minutes
LANDING_DAGS = ("scrape_news", "scrape_indices")
WARC_ID = "<urn:uuid:"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Api:
    """Airflow's REST API as the UI's user: a token from the login `make up` printed."""

    def __init__(self, url: str, username: str, password: str) -> None:
        self.url = url
        answer = self.call("POST", "/auth/token", {"username": username, "password": password})
        self.token = answer["access_token"]

    def call(self, method: str, path: str, body: object = None) -> Any:
        headers = {"Content-Type": "application/json"}
        if getattr(self, "token", None):
            headers["Authorization"] = f"Bearer {self.token}"
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data, headers, method=method)
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)

    def runs(self, dag_id: str) -> list[dict[str, Any]]:
        path = f"/api/v2/dags/{dag_id}/dagRuns?order_by=run_after"
        return list(self.call("GET", path)["dag_runs"])

    def states(self, dag_id: str, run_id: str) -> dict[str, str | None]:
        path = f"/api/v2/dags/{dag_id}/dagRuns/{run_id}/taskInstances"
        return {ti["task_id"]: ti["state"] for ti in self.call("GET", path)["task_instances"]}

    def wait_for_runs(self, dag_id: str, count: int) -> list[dict[str, Any]]:
        """The DAG's runs, once `count` of them have finished; fails on a failed run."""
        deadline = time.monotonic() + RUN_TIMEOUT_S
        while time.monotonic() < deadline:
            runs = self.runs(dag_id)
            failed = [run for run in runs if run["state"] == "failed"]
            assert not failed, f"{dag_id} failed: {self.states(dag_id, failed[0]['dag_run_id'])}"
            if len([run for run in runs if run["state"] == "success"]) >= count:
                return runs
            time.sleep(2)  # polling interval; a run takes minutes
        pytest.fail(f"{dag_id}: {count} finished run(s) not seen in {RUN_TIMEOUT_S} s")


@pytest.fixture
def standalone(tmp_path: Path) -> Iterator[tuple[dict[str, str], str]]:
    """`make up` on a fresh Airflow home and data folder (replaying the snapshot); yields the
    environment and what it printed; `make down` at the end, checked to leave nothing."""
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "CIVICPULSE_"))},
        "AIRFLOW_HOME": str(tmp_path / "airflow"),
        "CIVICPULSE_DATA": str(tmp_path / "data"),
        "CIVICPULSE_REPLAY": str(FIXTURES),
        "AIRFLOW__API__PORT": str(free_port()),
    }
    make = ["make", "--no-print-directory", "-C", str(REPO_ROOT)]
    started = subprocess.run([*make, "up"], env=environment, capture_output=True, text=True)
    try:
        assert started.returncode == 0, started.stdout[-3000:] + started.stderr[-3000:]
        yield environment, started.stdout
    finally:
        stopped = subprocess.run([*make, "down"], env=environment, capture_output=True, text=True)
        assert stopped.returncode == 0, stopped.stdout + stopped.stderr
        assert not processes_of(environment["AIRFLOW_HOME"]), "make down left processes running"


def test_the_scheduler_builds_what_make_demo_builds_once_a_night(
    standalone: tuple[dict[str, str], str], tmp_path: Path
) -> None:
    environment, printed = standalone
    login = re.search(r"log in as (\S+) / (\S+)", printed)
    url = re.search(r"Airflow is up: (http://127\.0\.0\.1:\d+)", printed)
    assert login and url, printed
    api = Api(url[1], login[1], login[2])
    listed = api.call("GET", "/api/v2/dags")["dags"]
    assert {d["dag_id"] for d in listed} == {*LANDING_DAGS, "build_warehouse"}
    assert all(d["is_paused"] for d in listed)  # nothing runs before someone switches it on

    # Switched on, the landing DAGs run their latest scheduled night at once (no catch-up);
    # the warehouse is built once, after both.
    for dag_id in ("build_warehouse", *LANDING_DAGS):
        api.call("PATCH", f"/api/v2/dags/{dag_id}", {"is_paused": False})
    scheduled = {dag: api.wait_for_runs(dag, 1)[0]["logical_date"] for dag in LANDING_DAGS}
    days = {dag: logical_date[:10] for dag, logical_date in scheduled.items()}
    [build] = api.wait_for_runs("build_warehouse", 1)
    assert build["run_type"] == "asset_triggered"
    assert api.states("build_warehouse", build["dag_run_id"])["dbt_build"] == "success"
    settings = load_settings(environment)
    warehouse = settings.warehouse_path.stat()

    # A quiet night: both landing DAGs run again on the same snapshot; nothing changed.
    for dag_id, logical_date in scheduled.items():
        again = datetime.fromisoformat(logical_date) + timedelta(seconds=1)  # the same day
        api.call("POST", f"/api/v2/dags/{dag_id}/dagRuns", {"logical_date": again.isoformat()})
    for dag_id in LANDING_DAGS:
        api.wait_for_runs(dag_id, 2)
    quiet = api.wait_for_runs("build_warehouse", 2)[-1]
    states = api.states("build_warehouse", quiet["dag_run_id"])
    assert states["check_for_changes"] == "skipped", states
    assert states["dbt_build"] == "skipped" and states["report"] == "success", states
    assert settings.warehouse_path.stat().st_ino == warehouse.st_ino  # not rebuilt

    # `make demo`'s way, `airflow dags test`, on the same days, in a data folder of its own.
    demo = airflow_env(tmp_path / "demo")
    for dag_id, day in days.items():
        airflow(demo, "dags", "test", dag_id, day)
    airflow(demo, "dags", "test", "build_warehouse", max(days.values()))
    scheduled, tested = marts(settings), marts(load_settings(demo))
    assert set(scheduled) == set(tested)
    for name in scheduled:
        if name in RUN_LOGS:  # as of each run: the same sources and checks, not the same times
            assert len(scheduled[name]) == len(tested[name]), name
        else:  # compared by hand: pytest's diff of 70,000 rows would take hours
            mine, theirs = without_provenance(scheduled[name]), without_provenance(tested[name])
            differing = [pair for pair in zip(mine, theirs, strict=True) if pair[0] != pair[1]]
            assert len(mine) == len(theirs) and not differing, f"{name}: {differing[:2]}"


def without_provenance(rows: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    """Rows without when each record was fetched and its WARC record id: the same data
    fetched by another run differs only in those."""
    return sorted(
        (
            tuple(
                None if isinstance(value, datetime) or str(value).startswith(WARC_ID) else value
                for value in row
            )
            for row in rows
        ),
        key=repr,
    )
