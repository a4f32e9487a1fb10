"""The production Airflow configuration of docker-compose.yaml, proven natively, on two workers.

test_e2e.py runs the DAGs on SQLite with tasks executed in-process; production runs them with
the CeleryExecutor: PostgreSQL metadata DB, Redis broker, PostgreSQL result backend, tasks on
`airflow celery worker`s reporting to the api-server's Execution API. No Docker engine exists
here, so this test runs that stack as native processes against the PostgreSQL and Redis of the
machine, with the environment keys of the compose file's `x-airflow-common` (its literal values
verbatim; hosts, paths and secrets replaced by local ones; the secrets, as in compose, read by
`_CMD` settings from files).

Two workers stand for two hosts (each names its host through `[core] hostname_callable`).
`airflow dags test --use-executor` plays the scheduler: it queues each task instance of the
three nightly DAGs through the CeleryExecutor (Redis) and reads the results back. Both
workers' hosts appear on the task instances, each worker's log ties its task instances to
Celery tasks, the result backend holds their SUCCESS, and the warehouse is built.

A second test adds the scheduler and the dag-processor of compose and backfills past nights of
the index DAG with `airflow backfill create`, twice: the second pass, reprocessing the same
nights, lands the same records and counts nothing new. (On `make up`'s SQLite the backfill CLI
meets "database is locked" beside the scheduler; backfills belong on this deployment.)

Without PostgreSQL or Redis on 127.0.0.1 the test skips, except under CI (env `CI` set), where
it fails: CI has both services, and a skip there would hide a broken build.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg2
import pyarrow.parquet as pq
import pytest
import redis
import yaml
from celery import Celery
from cryptography.fernet import Fernet
from psycopg2 import sql

from civicpulse.landing import partitions
from civicpulse.runs import all_summaries
from civicpulse.schemas import KEYS
from civicpulse.settings import REPO_ROOT, load_settings
from civicpulse.warehouse import sources_in_marts
from tests.conftest import FIXTURES
from tests.processes import processes_of
from tests.sources import recorded

pytestmark = [pytest.mark.e2e, pytest.mark.deployment]
AIRFLOW = str(Path(sys.executable).with_name("airflow"))
DAY = "2026-11-20"
HOST = "127.0.0.1"
POSTGRES = f"postgres@{HOST}:5432"  # trust auth, as on the development and CI machines
REDIS_PORT = 6379
TIMEOUT_S = 300  # any Airflow command or start-up; a hang fails the test instead of blocking CI
CLAIM_KEY = "civicpulse:test_production_stack:claim"


def require(service: str, check: Callable[[], object]) -> None:
    """Skip when `service` is unreachable, but fail under CI, which must have it."""
    try:
        check()
    except Exception as error:
        reason = f"{service} is not reachable on {HOST}: {error}"
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (CI is set: the service must be there)")
        pytest.skip(reason)


def as_postgres_admin(statement: str | sql.Composable, *params: object) -> None:
    with closing(psycopg2.connect(f"postgresql://{POSTGRES}/postgres", connect_timeout=5)) as db:
        db.autocommit = True  # CREATE/DROP DATABASE cannot run inside a transaction
        with db.cursor() as cursor:
            cursor.execute(statement, params)


@pytest.fixture
def metadata_db() -> Iterator[str]:
    """A fresh, uniquely named PostgreSQL database, dropped at the end."""
    require("PostgreSQL", lambda: as_postgres_admin("SELECT 1"))
    name = f"civicpulse_prodstack_{uuid.uuid4().hex[:12]}"
    as_postgres_admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield name
    finally:
        as_postgres_admin(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            name,
        )
        as_postgres_admin(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def claim_empty_redis_db() -> tuple[int, redis.Redis]:
    """Claim a Redis database with SET NX and keep it only if it holds nothing else, so neither
    a concurrent run nor someone else's data is ever flushed."""
    for number in range(15, 0, -1):  # Redis has 16 databases by default; 0 is left to others
        client = redis.Redis(HOST, REDIS_PORT, db=number, socket_timeout=5)
        if client.set(CLAIM_KEY, "1", nx=True):
            if client.dbsize() == 1:
                return number, client
            client.delete(CLAIM_KEY)
        client.close()
    pytest.fail("no empty Redis database (1-15) to use as the broker")


@pytest.fixture
def redis_db() -> Iterator[int]:
    """A Redis database number of our own for the broker, flushed at the end."""
    require("Redis", lambda: redis.Redis(HOST, REDIS_PORT, socket_timeout=5).ping())
    number, client = claim_empty_redis_db()
    try:
        yield number
    finally:
        client.flushdb()
        client.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def compose_airflow_env() -> dict[str, str | None]:
    compose = yaml.safe_load((REPO_ROOT / "docker-compose.yaml").read_text())
    environment: dict[str, str | None] = compose["x-airflow-common"]["environment"]
    return environment


def secret_file(folder: Path, name: str, value: str) -> str:
    """A native stand-in for a Docker secret: the value in a file, and the `_CMD` reading it."""
    folder.mkdir(mode=0o700, exist_ok=True)
    (folder / name).write_text(value)
    return f"cat {folder / name}"


def from_cmd(env: dict[str, str], key: str) -> str:
    """What Airflow reads for `key` through its `<key>_CMD` (a `cat` of a file here)."""
    return Path(env[f"{key}_CMD"].removeprefix("cat ")).read_text()


@pytest.fixture
def env(tmp_path: Path, metadata_db: str, redis_db: int) -> dict[str, str]:
    """The compose environment made native, on a freshly migrated metadata DB."""
    compose = compose_airflow_env()
    assert compose["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    database = f"{POSTGRES}/{metadata_db}"
    api_port = free_port()
    secret = tmp_path / "secrets"
    native = {
        "AIRFLOW__CORE__DAGS_FOLDER": str(REPO_ROOT / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(REPO_ROOT / "plugins"),
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://{HOST}:{api_port}/execution/",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_CMD": secret_file(
            secret, "sql_alchemy_conn", f"postgresql+psycopg2://{database}"
        ),
        "AIRFLOW__CELERY__RESULT_BACKEND_CMD": secret_file(
            secret, "result_backend", f"db+postgresql://{database}"
        ),
        # The local Redis has no password (compose: redis_password in the URL).
        "AIRFLOW__CELERY__BROKER_URL_CMD": secret_file(
            secret, "broker_url", f"redis://{HOST}:{REDIS_PORT}/{redis_db}"
        ),
        "AIRFLOW__CORE__FERNET_KEY_CMD": secret_file(
            secret, "fernet_key", Fernet.generate_key().decode()
        ),
        "AIRFLOW__API_AUTH__JWT_SECRET_CMD": secret_file(
            secret, "jwt_secret", secrets.token_urlsafe(64)
        ),
        "AIRFLOW__API__SECRET_KEY_CMD": secret_file(
            secret, "api_secret_key", secrets.token_urlsafe(32)
        ),
        "AIRFLOW__CELERY__WORKER_CONCURRENCY": "2",
        "CIVICPULSE_DATA": str(tmp_path / "data"),
    }
    assert not set(native) - set(compose), "every replaced key must be a compose key"
    assert {k for k in compose if k.endswith("_CMD")} <= set(native), "compose reads /run/secrets"
    # Values with an interpolation, a container path or no value at all are not literal.
    literal = {
        key: str(value)
        for key, value in compose.items()
        if value is not None and "${" not in str(value) and not str(value).startswith("/opt/")
    }
    inherited = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AIRFLOW", "CIVICPULSE_"))  # no developer setting leaks in
    }
    environment = {
        **inherited,
        **literal,
        **native,
        "AIRFLOW_HOME": str(tmp_path / "airflow"),
        "CIVICPULSE_REPLAY": str(FIXTURES),
        # Not in compose, where each worker is a host of its own: see tests/worker_host.py.
        "AIRFLOW__CORE__HOSTNAME_CALLABLE": "tests.worker_host.hostname",
        "PYTHONPATH": str(REPO_ROOT),
    }
    airflow(environment, "db", "migrate")
    return environment


def airflow(env: dict[str, str], *args: str) -> str:
    """Run an Airflow command in its own process group; the whole group dies on a timeout."""
    process = subprocess.Popen(
        [AIRFLOW, *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        out, _ = process.communicate(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        stop_group(process)
        out, _ = process.communicate()
        pytest.fail(f"`airflow {' '.join(args)}` did not finish in {TIMEOUT_S} s:\n{out[-5000:]}")
    assert process.returncode == 0, f"`airflow {' '.join(args)}` failed:\n{out[-5000:]}"
    return out


def stop_group(process: subprocess.Popen[Any]) -> None:
    """SIGTERM the process group (Celery shuts down warm), then SIGKILL whatever is left."""
    for sig, grace in ((signal.SIGTERM, 30.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass


@contextmanager
def serve(env: dict[str, str], log: Path, *args: str) -> Iterator[subprocess.Popen[bytes]]:
    """A long-running Airflow component, logging to `log`, stopped with its group at the end."""
    with log.open("w") as out:
        process = subprocess.Popen(
            [AIRFLOW, *args], env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        yield process
    finally:
        stop_group(process)


def wait_for(
    what: str, process: subprocess.Popen[Any], log: Path, ready: Callable[[], bool]
) -> None:
    deadline = time.monotonic() + TIMEOUT_S
    while not ready():
        tail = log.read_text()[-3000:]
        assert process.poll() is None, f"{what} exited with {process.returncode}:\n{tail}"
        assert time.monotonic() < deadline, f"{what} not ready in {TIMEOUT_S} s:\n{tail}"
        time.sleep(0.5)  # polling interval while it imports Airflow and connects


def answers(url: str) -> bool:
    """Whether a health endpoint answers 200 (a component still starting refuses)."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


WORKERS = ("worker-a", "worker-b")


@pytest.fixture
def worker_logs(env: dict[str, str], tmp_path: Path) -> Iterator[dict[str, Path]]:
    """Two real `airflow celery worker`s, each on a host of its own, and the api-server whose
    Execution API their task processes report to; started together (each takes 10-20 s to
    import and connect), all ready. Yields each worker's log by host; at the end, every
    process started is stopped and none is left."""
    api_url = env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"]
    api_log = tmp_path / "api-server.log"
    logs = {host: tmp_path / f"{host}.log" for host in WORKERS}
    broker = Celery(broker=from_cmd(env, "AIRFLOW__CELERY__BROKER_URL"))
    stats: dict[str, dict[str, Any]] = {}

    def workers_answer() -> bool:  # a broadcast like compose's healthcheck (`inspect ping`)
        stats.update(broker.control.inspect(timeout=1.0).stats() or {})
        return len(stats) == len(WORKERS)

    def worker(host: str) -> dict[str, str]:  # a host of its own, with its own log server
        port = str(free_port())
        return {
            **env,
            "CIVICPULSE_WORKER_HOST": host,
            "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": port,
        }

    # One uvicorn worker: enough for one run, and light on a 2-core machine.
    api_args = ["--host", HOST, "--port", str(urlsplit(api_url).port), "--workers", "1"]
    try:
        with (
            closing(broker),
            serve(env, api_log, "api-server", *api_args) as api_server,
            serve(worker("worker-a"), logs["worker-a"], *celery_worker("worker-a")) as first,
            serve(worker("worker-b"), logs["worker-b"], *celery_worker("worker-b")) as second,
        ):
            wait_for("api-server", api_server, api_log, lambda: answers(f"{api_url}health"))
            wait_for("celery workers", first, logs["worker-a"], workers_answer)
            assert second.poll() is None, logs["worker-b"].read_text()[-3000:]
            assert {s["pool"]["max-concurrency"] for s in stats.values()} == {2}  # compose's
            yield logs
    finally:
        assert not processes_of(env["AIRFLOW_HOME"]), "processes left running"


def celery_worker(host: str) -> tuple[str, ...]:
    return ("celery", "worker", "--celery-hostname", f"{host}@%h")


def metadata(env: dict[str, str], query: str, *params: object) -> list[tuple[object, ...]]:
    dsn = from_cmd(env, "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN").replace("+psycopg2", "")
    with closing(psycopg2.connect(dsn)) as db, db.cursor() as cursor:
        cursor.execute(query, params)
        rows: list[tuple[object, ...]] = cursor.fetchall()
        return rows


def final_celery_states(env: dict[str, str], celery_ids: Iterable[str]) -> set[object]:
    """The states of `celery_ids` in the result backend, once none is pending or started: the run
    is over when the last task reports success to the Execution API, which can be a moment before
    its Celery task stores its own result."""
    wanted, deadline = set(celery_ids), time.monotonic() + 30
    while True:
        stored = metadata(env, "SELECT task_id, status FROM celery_taskmeta")
        status = {celery_id: state for celery_id, state in stored}
        states = {status.get(celery_id) for celery_id in wanted}
        if not states & {None, "PENDING", "STARTED"} or time.monotonic() > deadline:
            return states
        time.sleep(0.2)  # polling interval; the result is normally stored within milliseconds


WORKLOAD = re.compile(
    r"\[(?P<celery_id>[0-9a-f-]{36})\] Executing workload in Celery: "
    r".*?ti=TaskInstanceDTO\(id=UUID\('(?P<ti_id>[0-9a-f-]{36})'\)"
)


def test_the_nightly_dags_run_on_two_celery_workers_with_postgres_and_redis(
    env: dict[str, str], worker_logs: dict[str, Path]
) -> None:
    seconds = {}
    for dag_id in ("scrape_news", "scrape_indices", "build_warehouse"):
        started = time.perf_counter()
        airflow(env, "dags", "test", dag_id, DAY, "--use-executor")
        seconds[dag_id] = round(time.perf_counter() - started, 1)
    if os.environ.get("CIVICPULSE_BENCH_OUT"):  # `make bench` (benchmarks/bench_celery.py)
        Path(os.environ["CIVICPULSE_BENCH_OUT"]).write_text(json.dumps(seconds))

    runs = metadata(env, "SELECT dag_id, run_id, state FROM dag_run")
    assert {(dag_id, state) for dag_id, _, state in runs} == {
        ("scrape_news", "success"),
        ("scrape_indices", "success"),
        ("build_warehouse", "success"),
    }
    instances = metadata(env, "SELECT id, task_id, state, hostname FROM task_instance")
    assert {state for _, _, state, _ in instances} == {"success"}
    # Tasks ran on both hosts ...
    assert {hostname for *_, hostname in instances} == set(WORKERS)
    # ... each went through the broker to the worker of the host it names ...
    executed: dict[str, str] = {}
    for host, log in worker_logs.items():
        on_host = {m["ti_id"]: m["celery_id"] for m in WORKLOAD.finditer(log.read_text())}
        assert on_host, f"{host} executed nothing"
        assert {str(ti) for ti, *_, name in instances if name == host} == set(on_host), host
        executed |= on_host
    assert set(executed) == {str(ti_id) for ti_id, *_ in instances}
    # ... and the workers stored each Celery task's success in the PostgreSQL result backend.
    assert final_celery_states(env, executed.values()) == {"SUCCESS"}

    settings = load_settings(env)
    partition = settings.raw_root / "partnersglobal" / "articles" / f"{DAY}.parquet"
    assert pq.read_metadata(partition).num_rows == 15  # every post the REST API lists
    landed = {path.parts[-3] for path in settings.raw_root.glob(f"*/*/{DAY}.parquet")}
    in_marts = sources_in_marts(settings.warehouse_path)
    assert landed == in_marts["articles"] | in_marts["indicator_values"]


@pytest.fixture
def scheduler(env: dict[str, str], worker_logs: dict[str, Path], tmp_path: Path) -> Iterator[None]:
    """Compose's scheduler and dag-processor beside the api-server and the workers, until the
    scheduler's health server answers and the index DAG is parsed into the metadata DB."""
    health_port = free_port()  # compose's 8974, which another test on this machine may hold
    logs = {name: tmp_path / f"{name}.log" for name in ("scheduler", "dag-processor")}
    own_port = {**env, "AIRFLOW__SCHEDULER__SCHEDULER_HEALTH_CHECK_SERVER_PORT": str(health_port)}

    def parsed() -> bool:
        return bool(metadata(env, "SELECT 1 FROM serialized_dag WHERE dag_id = 'scrape_indices'"))

    with (
        serve(own_port, logs["scheduler"], "scheduler") as scheduler_process,
        serve(env, logs["dag-processor"], "dag-processor") as processor,
    ):
        # compose's healthcheck: curl --fail http://localhost:8974/health
        health = f"http://{HOST}:{health_port}/health"
        wait_for("scheduler", scheduler_process, logs["scheduler"], lambda: answers(health))
        wait_for("dag-processor", processor, logs["dag-processor"], parsed)
        yield


KEYED = [*KEYS["indicator_values"], "content_hash"]
Landed = dict[str, dict[str, list[tuple[object, ...]]]]
RUN_TIMEOUT_S = 900  # five index runs on 2 cores take 3-5 minutes


def test_a_backfill_of_the_index_dag_is_idempotent(env: dict[str, str], scheduler: None) -> None:
    # Backfill runs run only for an active DAG; switched on, it runs its latest night at once.
    airflow(env, "dags", "unpause", "scrape_indices")
    [night] = wait_for_index_runs(env, 1)
    window = [(night - timedelta(days=n)).isoformat() for n in (2, 1)]

    # The two nights before, then the same two again, reprocessing them: each source lands one
    # partition per night, the same records both times, and counts nothing new the second time.
    backfilled = backfill(env, *window)
    assert backfill(env, *window, "--reprocess-behavior", "completed") == backfilled
    tries = metadata(env, "SELECT DISTINCT ti.try_number FROM task_instance ti JOIN dag_run r "
                     "ON r.run_id = ti.run_id AND r.dag_id = ti.dag_id "
                     "WHERE r.run_type = 'backfill'")  # fmt: skip
    assert tries == [(2,)]  # every task of both nights ran again
    nights = {day[:10] for day in [*window, night.isoformat()]}
    assert backfilled and {source: set(days) for source, days in backfilled.items()} == {
        source: nights for source in backfilled
    }
    saved = {(s.source, s.ds): s for s in all_summaries(load_settings(env).runs_root)}
    reruns = [saved[source, day[:10]] for day in window for source in backfilled]
    assert {(run.status, run.new, run.updated) for run in reruns} == {("published", 0, 0)}


def wait_for_index_runs(env: dict[str, str], count: int) -> list[datetime]:
    """The logical dates of the index DAG's runs, once `count` have succeeded and none is left
    to run; fails on a failed run."""
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while time.monotonic() < deadline:
        runs = metadata(env, "SELECT logical_date, state FROM dag_run "
                        "WHERE dag_id = 'scrape_indices' ORDER BY logical_date")  # fmt: skip
        failed = [date for date, state in runs if state == "failed"]
        assert not failed, f"scrape_indices failed on {failed}"
        if len(runs) >= count and {state for _, state in runs} == {"success"}:
            return [date for date, _ in runs if isinstance(date, datetime)]
        time.sleep(2)  # polling interval; a run takes a minute
    pytest.fail(f"scrape_indices: {count} successful run(s) not seen in {RUN_TIMEOUT_S} s")


def backfill(env: dict[str, str], start: str, end: str, *options: str) -> Landed:
    """`airflow backfill create` of the index DAG from `start` to `end`; once the scheduler has
    completed it, what each index source has landed: its partitions' days, and their rows'
    keys and content hashes."""
    before = len(metadata(env, "SELECT id FROM backfill"))
    airflow(env, "backfill", "create", "--dag-id", "scrape_indices", "--from-date", start,
            "--to-date", end, "--max-active-runs", "2", *options)  # fmt: skip
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while time.monotonic() < deadline:
        completed = metadata(env, "SELECT completed_at FROM backfill ORDER BY id")
        if len(completed) > before and all(at for (at,) in completed):
            break
        time.sleep(2)  # polling interval; a backfill of two nights takes minutes
    else:
        pytest.fail(f"backfill {start}..{end} {options} not completed in {RUN_TIMEOUT_S} s")
    wait_for_index_runs(env, 1)  # every run, backfilled or scheduled, succeeded
    raw_root = load_settings(env).raw_root
    return {
        source: {
            path.stem: sorted(
                zip(*(pq.read_table(path).column(k).to_pylist() for k in KEYED), strict=True)
            )
            for path in partitions(raw_root / source / "indicator_values")
        }
        for source in recorded("indicator_values")
    }
