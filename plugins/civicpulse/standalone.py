"""`make up` and `make down`: Airflow on a laptop, the way the nightly runs it in production
but in one command. `airflow standalone` starts the scheduler, DAG processor, triggerer and
api-server on the SQLite metadata DB with the LocalExecutor; this starts it in a process
group of its own (stopping the standalone process alone leaves its children running), waits
until the UI answers and lists these DAGs, prints the login, and stops every process later.

    python -m civicpulse.standalone up|down
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

BIN = Path(sys.executable).parent
# SQLite lets one process write at a time. The scheduler, the api-server and a command run
# beside them (`airflow backfill create`) wait up to a minute for their turn instead of
# sqlite3's default 5 s, so a busy laptop does not fail them with "database is locked".
# Airflow reads it through AIRFLOW__DATABASE__SQL_ALCHEMY_CONNECT_ARGS (see `sqlite_env`).
SQLITE_CONNECT_ARGS = {"timeout": 60}
START_TIMEOUT_S = 300  # the first start compiles bytecode and migrates the metadata DB
STOP_GRACE_S = 30  # the scheduler and the api-server shut down warm within a few seconds


def home() -> Path:
    return Path(os.environ.get("AIRFLOW_HOME", Path.home() / "airflow")).resolve()


def api_url() -> str:
    host = os.environ.setdefault("AIRFLOW__API__HOST", "127.0.0.1")  # never all interfaces
    port = os.environ.setdefault("AIRFLOW__API__PORT", "8080")
    return f"http://{host}:{port}"


def sqlite_env() -> dict[str, str]:
    """The setting that gives SQLite connections a patient lock wait, unless the metadata
    DB is another database (whose driver would refuse the argument)."""
    conn = os.environ.get("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", "sqlite")
    if not conn.startswith("sqlite"):
        return {}
    return {
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONNECT_ARGS": "civicpulse.standalone.SQLITE_CONNECT_ARGS"
    }


def up() -> int:
    """Start Airflow standalone unless it already runs; return once the DAGs are listed."""
    pid_file, log_file = home() / "standalone.pid", home() / "standalone.log"
    url = api_url()
    if running(pid_file):
        print(f"Airflow is already up (pid {pid_file.read_text().strip()}): {url}")
        return 0
    home().mkdir(parents=True, exist_ok=True)
    environment = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",  # it starts `airflow ...`
        # Standalone's default parallelism starts 32 task processes on a laptop.
        "AIRFLOW__CORE__PARALLELISM": os.environ.get("AIRFLOW__CORE__PARALLELISM", "4"),
        **sqlite_env(),
        # Tasks report to the api-server where it listens, not to Airflow's default port.
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": os.environ.get(
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL", f"{url}/execution/"
        ),
    }
    with log_file.open("ab") as log:
        process = subprocess.Popen(
            [str(BIN / "airflow"), "standalone"],
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # one process group: `down` stops all of it
        )
    pid_file.write_text(f"{process.pid}\n")
    print(f"Starting Airflow (scheduler, DAG processor, triggerer, UI); log: {log_file}")
    dags_folder = Path(os.environ.get("AIRFLOW__CORE__DAGS_FOLDER", home() / "dags"))
    expected = len(list(dags_folder.glob("*.py")))
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            print(
                f"Airflow exited with status {process.returncode}; the log ends:\n{tail(log_file)}"
            )
            pid_file.unlink(missing_ok=True)
            return 1
        login = credentials()
        listed = dags(url, login) if login else None
        if login and listed is not None and len(listed) >= expected:
            print_ready(url, login, listed)
            return 0
        time.sleep(1)  # polling interval while the components start and parse the DAGs
    print(f"Airflow did not list the DAGs within {START_TIMEOUT_S} s:\n{tail(log_file)}")
    down()
    return 1


def down() -> int:
    """Stop the process group `up` started (SIGTERM, then SIGKILL after a grace period)."""
    import psutil

    pid_file = home() / "standalone.pid"
    if not running(pid_file):
        pid_file.unlink(missing_ok=True)
        print("Airflow is not running")
        return 0
    pid = int(pid_file.read_text())
    try:  # the group, and any descendant that left it
        members = [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        members = []
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            pass
        for member in members:
            try:
                member.send_signal(sig)
            except psutil.NoSuchProcess:
                pass
        _, members = psutil.wait_procs(members, timeout=STOP_GRACE_S)
        if not members and not group_alive(pid):
            break
    pid_file.unlink(missing_ok=True)
    print("Airflow stopped")
    return 0


def running(pid_file: Path) -> bool:
    if not pid_file.exists():
        return False
    return group_alive(int(pid_file.read_text()))


def group_alive(pid: int) -> bool:
    try:
        os.killpg(pid, 0)
    except ProcessLookupError:
        return False
    return True


def credentials() -> tuple[str, str] | None:
    """The admin login that standalone generated (SimpleAuthManager), once it exists."""
    generated = home() / "simple_auth_manager_passwords.json.generated"
    try:
        passwords: dict[str, str] = json.loads(generated.read_text())
    except (FileNotFoundError, json.JSONDecodeError):  # not written yet, or half written
        return None
    return next(iter(passwords.items()), None)


def token(url: str, login: tuple[str, str]) -> str:
    username, password = login
    request = urllib.request.Request(
        f"{url}/auth/token",
        data=json.dumps({"username": username, "password": password}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return str(json.load(response)["access_token"])


def dags(url: str, login: tuple[str, str]) -> dict[str, bool] | None:
    """Whether each DAG the API lists is paused, or None while the api-server is not up."""
    try:
        request = urllib.request.Request(
            f"{url}/api/v2/dags", headers={"Authorization": f"Bearer {token(url, login)}"}
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            return {dag["dag_id"]: dag["is_paused"] for dag in json.load(response)["dags"]}
    except (OSError, urllib.error.HTTPError, KeyError, json.JSONDecodeError):
        return None


def print_ready(url: str, login: tuple[str, str], listed: dict[str, bool]) -> None:
    username, password = login
    print(f"Airflow is up: {url}")
    print(f"  log in as {username} / {password}")
    for dag_id, paused in sorted(listed.items()):
        print(f"  {dag_id}: {'paused (switch it on in the UI)' if paused else 'scheduled'}")
    print("  `make down` stops every process it started")


def tail(path: Path, lines: int = 30) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


if __name__ == "__main__":
    commands = {"up": up, "down": down}
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        sys.exit(f"usage: python -m civicpulse.standalone {'|'.join(commands)}")
    sys.exit(commands[sys.argv[1]]())
