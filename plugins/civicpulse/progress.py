"""`civicpulse nightly`: the nightly DAGs through `airflow dags test`, one line per DAG and task.

`airflow dags test` prints about a thousand lines a night (Airflow's bookkeeping, warnings,
every request), which hides what a newcomer wants: did each task pass? The whole output goes
to a log file; the terminal shows each task as Airflow's metadata DB records it. The states
come from the `task_instance` table, read-only, while the run goes on, not from the log text:
the table is what the UI reads, while the log's wording changes between Airflow versions.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Protocol, TypeVar

from rich.console import Console
from rich.text import Text

from civicpulse.settings import load_settings

AIRFLOW = Path(sys.executable).with_name("airflow")
POLL_S = 0.5
# States worth a line of their own; the others (scheduled, queued, running) are passing.
LINE_STATES = {"success", "failed", "skipped", "upstream_failed", "removed", "up_for_retry"}
STYLES = {"success": "green", "failed": "bold red", "upstream_failed": "red", "skipped": "dim"}
TAIL_LINES = 10
MAX_TAILS = 3  # a night offline fails every source: the first tails say why, the log the rest
T = TypeVar("T")
LOG_STAMP = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?)\s")


@dataclass(frozen=True)
class TaskState:
    """One task instance as the metadata DB has it (times are naive UTC)."""

    task_id: str
    map_index: int
    state: str | None
    label: str
    start: datetime | None = None
    end: datetime | None = None

    @property
    def seconds(self) -> float | None:
        return (self.end - self.start).total_seconds() if self.start and self.end else None


@dataclass
class DagResult:
    """How one `airflow dags test` ended, and where its output is in the log file."""

    dag_id: str
    returncode: int
    run_state: str | None
    tasks: list[TaskState]
    seconds: float
    log_span: tuple[int, int]
    db_error: str | None = None

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and self.run_state in ("success", None)

    @property
    def failed(self) -> list[TaskState]:
        return [task for task in self.tasks if task.state == "failed"]


def task_label(
    task_id: str, map_index: int, rendered_map_index: str | None, rendered_fields: str | None
) -> str:
    """`land[ndi]` for a mapped task rather than `land[1]`: the index tells a reader nothing.
    The name is the DAG's `map_index_template` when it has one, else the one argument the
    mapping gave a TaskFlow task (as the UI's "Rendered Template" shows it); else the index."""
    if map_index < 0:
        return task_id
    if rendered_map_index:
        return f"{task_id}[{rendered_map_index}]"
    try:
        fields = json.loads(rendered_fields or "{}")
    except ValueError:
        fields = {}
    arguments = [*(fields.get("op_args") or []), *(fields.get("op_kwargs") or {}).values()]
    if len(arguments) == 1 and isinstance(arguments[0], str | int) and len(str(arguments[0])) < 60:
        return f"{task_id}[{arguments[0]}]"
    return f"{task_id}[{map_index}]"


def utc(text: str | None) -> datetime | None:
    """A timestamp from the DB or a log line as naive UTC, so the two compare."""
    if not text:
        return None
    try:
        stamp = datetime.fromisoformat(text)
    except ValueError:
        return None
    return stamp.astimezone(UTC).replace(tzinfo=None) if stamp.tzinfo else stamp


def sqlite_path(url: str) -> Path | None:
    """The file of a `sqlite:///` SQLAlchemy URL; None for any other database."""
    url = url.strip()
    if not url.startswith("sqlite:///"):
        return None
    return Path(url.removeprefix("sqlite:///").split("?", 1)[0])


def metadata_db(airflow: Path, env: dict[str, str]) -> tuple[Path | None, str | None]:
    """The metadata DB file, asked of Airflow itself (it resolves `airflow.cfg`, environment
    overrides and `_CMD` variants); or None and why, when it is not SQLite."""
    done = subprocess.run(
        [str(airflow), "config", "get-value", "database", "sql_alchemy_conn"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0 or not done.stdout.strip():
        return None, "no task progress: Airflow's configuration could not be read"
    url = done.stdout.strip().splitlines()[-1]
    path = sqlite_path(url)
    if path is None:
        return None, f"no task progress: the metadata DB is not SQLite ({url.split(':')[0]})"
    return path, None


class MetadataDB:
    """Airflow's SQLite metadata DB, read-only. Airflow runs it in WAL mode, where a reader
    never blocks the writer; a failed read (busy, mid-migration) is retried at the next poll."""

    TASKS = """
        select ti.task_id, ti.map_index, ti.state, ti.rendered_map_index,
               ti.start_date, ti.end_date
        from task_instance ti where ti.dag_id = ? and ti.run_id = ?
    """
    RENDERED = """
        select task_id, map_index, rendered_fields from rendered_task_instance_fields
        where dag_id = ? and run_id = ? and map_index >= 0
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def _query(self, sql: str, *params: object) -> list[tuple[Any, ...]]:
        uri = f"{self.path.resolve().as_uri()}?mode=ro"
        with sqlite3.connect(uri, uri=True, timeout=2) as db:
            return db.execute(sql, params).fetchall()

    def run_ids(self, dag_id: str) -> set[str]:
        rows = self._query("select run_id from dag_run where dag_id = ?", dag_id)
        return {row[0] for row in rows}

    def new_run(self, dag_id: str, before: set[str]) -> tuple[str, str | None] | None:
        """The run `dags test` created: a manual one not there before it started. (It
        deletes an earlier run of the day and may reuse its id, but never its run_id; a
        scheduler on the same DB, `make up`, adds scheduled and asset-triggered runs.)"""
        rows = self._query(
            "select run_id, state from dag_run where dag_id = ? and run_type = 'manual'"
            " order by id desc",
            dag_id,
        )
        return next(((run_id, state) for run_id, state in rows if run_id not in before), None)

    def tasks(self, dag_id: str, run_id: str) -> list[TaskState]:
        try:  # only names mapped tasks: without the table, they keep their index
            rendered = {(t, i): f for t, i, f in self._query(self.RENDERED, dag_id, run_id)}
        except sqlite3.Error:
            rendered = {}
        tasks = [
            TaskState(
                task_id,
                index,
                state,
                task_label(task_id, index, map_name, rendered.get((task_id, index))),
                utc(start),
                utc(end),
            )
            for task_id, index, state, map_name, start, end in self._query(
                self.TASKS, dag_id, run_id
            )
        ]
        return sorted(tasks, key=lambda t: (t.start or datetime.max, t.task_id, t.map_index))


@dataclass
class Tracker:
    """Which task instances changed state since the last poll. A fast task can go from
    scheduled to success between two polls: only the states seen are reported."""

    seen: dict[tuple[str, int], str | None] = field(default_factory=dict)

    def changes(self, tasks: Iterable[TaskState]) -> list[TaskState]:
        changed = []
        for task in tasks:
            key = (task.task_id, task.map_index)
            if self.seen.get(key, "") != task.state:
                self.seen[key] = task.state
                changed.append(task)
        return changed


def task_log(text: str, task: TaskState) -> list[str]:
    """The lines of a DAG's log written while `task` ran, by their timestamps: `dags test`
    runs one task at a time, so its window holds that task's own lines (a traceback's lines
    carry no timestamp and go with the line before them). Empty if the times are unknown."""
    if task.start is None or task.end is None:
        return []
    lines, inside = [], False
    for line in text.splitlines():
        stamp = LOG_STAMP.match(line)
        if stamp:
            when = utc(stamp.group(1).replace("Z", "+00:00"))
            inside = when is not None and task.start <= when <= task.end
        if inside:
            lines.append(line)
    return lines


def describe(task: TaskState) -> Text:
    """The terminal line of one task; a `Text`, so `land[ndi]` is not read as markup."""
    seconds = "" if task.seconds is None else f"{task.seconds:6.1f} s"
    state = task.state or "none"
    return Text.assemble(
        "  ", (f"{state:<16}", STYLES.get(state, "yellow")), f"{task.label:<28} ", seconds
    )


class View(Protocol):
    def line(self, text: Text) -> None: ...
    def running(self, text: str) -> None: ...
    def close(self) -> None: ...


class PlainView:
    """Without a terminal (CI, a pipe): finished tasks only, no spinner, no escape codes."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out

    def line(self, text: Text) -> None:
        print(text.plain.rstrip(), file=self.out, flush=True)

    def running(self, text: str) -> None:
        pass

    def close(self) -> None:
        pass


class LiveView:
    """On a terminal: a spinner names what runs now; finished tasks stay as lines above it."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.status = console.status("")
        self.status.start()

    def line(self, text: Text) -> None:
        self.console.print(text, no_wrap=True, overflow="ellipsis")

    def running(self, text: str) -> None:
        self.status.update(Text(text))

    def close(self) -> None:
        self.status.stop()


def log_path(day: str, now: datetime | None = None) -> Path:
    """`<data folder>/logs/nightly-<day>-<UTC time>.log`: beside the run's other output."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    return load_settings().data_root / "logs" / f"nightly-{day}-{stamp}.log"


class RunWatch:
    """The task instances of the run one `dags test` creates, polled from the metadata DB
    (without one, none: the DAG's line and exit status still say how it went)."""

    def __init__(self, db: MetadataDB | None, dag_id: str) -> None:
        self.db, self.dag_id = db, dag_id
        self.run: tuple[str, str | None] | None = None
        self.tasks: list[TaskState] = []
        self.error: str | None = None
        self.tracker = Tracker()
        before = self._read(lambda db: db.run_ids(dag_id))
        self.before = before or set()
        if before is None:  # without it, an earlier run could pass for this one
            self.db = None

    def _read(self, query: Callable[[MetadataDB], T]) -> T | None:
        if self.db is None:
            return None
        try:
            value, self.error = query(self.db), None
            return value
        except sqlite3.Error as error:
            self.error = f"no task progress: {error}"
            return None

    def poll(self) -> list[TaskState]:
        """The task instances whose state changed since the last poll."""
        self.run = self._read(lambda db: db.new_run(self.dag_id, self.before)) or self.run
        if self.run is not None:
            run_id = self.run[0]
            self.tasks = self._read(lambda db: db.tasks(self.dag_id, run_id)) or self.tasks
        return self.tracker.changes(self.tasks)

    def running(self, seconds: float) -> str:
        """What the spinner says: the tasks running now, else what Airflow is doing."""
        busy = [t.label for t in self.tasks if t.state in ("running", "up_for_retry", "deferred")]
        if busy:
            doing = ", ".join(busy)
        elif self.run is None:
            doing = "starting"
        else:
            doing = "scheduling" if self.run[1] in ("queued", "running") else "finishing"
        return f"{self.dag_id} {seconds:.0f} s: {doing}"


def run_dag(
    dag_id: str, day: str, log: Path, view: View, airflow: Path, db: MetadataDB | None
) -> DagResult:
    """`airflow dags test dag_id day`, its output appended to `log`, its tasks polled."""
    watch = RunWatch(db, dag_id)
    began = time.monotonic()
    with log.open("ab") as out:
        out.write(f"\n===== airflow dags test {dag_id} {day} =====\n".encode())
        out.flush()
        start = out.tell()
        process = subprocess.Popen(
            [str(airflow), "dags", "test", dag_id, day],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},  # the log stays current for `tail -f`
        )
    try:
        while True:
            exited = process.poll() is not None  # then one more poll: the final states
            for task in watch.poll():
                if task.state in LINE_STATES:
                    view.line(describe(task))
            view.running(watch.running(time.monotonic() - began))
            if exited:
                break
            time.sleep(POLL_S)
    finally:
        stop(process)
    with log.open("ab") as out:
        end = out.tell()
        out.write(f"===== {dag_id}: exit {process.returncode} =====\n".encode())
    state = watch.run[1] if watch.run else None
    seconds = time.monotonic() - began
    return DagResult(
        dag_id, process.returncode, state, watch.tasks, seconds, (start, end), watch.error
    )


def stop(process: subprocess.Popen[bytes]) -> None:
    """Interrupted (Ctrl-C): never leave a DAG run going on behind the prompt."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def summary(result: DagResult, log: Path) -> list[Text]:
    """The DAG's closing line; when it failed, which tasks did and the tail of their logs
    (or of the whole output, when it failed before any task ran, e.g. an import error)."""
    counts = Counter(t.state or "none" for t in result.tasks)
    took = f"in {result.seconds:.0f} s" + "".join(
        f", {n} {state}" for state, n in sorted(counts.items(), key=lambda c: -c[1])
    )
    if result.ok:
        return [Text.assemble((result.dag_id, "bold"), f" succeeded {took}")]
    failed = result.failed
    why = ", ".join(t.label for t in failed) or f"airflow exited with {result.returncode}"
    lines = [Text.assemble((result.dag_id, "bold"), (f" FAILED {took}: ", "bold red"), why)]
    with log.open("rb") as file:
        file.seek(result.log_span[0])
        text = file.read(result.log_span[1] - result.log_span[0]).decode("utf-8", "replace")
    tails = [(t.label, task_log(text, t)) for t in failed[:MAX_TAILS]]
    if not any(tail for _, tail in tails):
        tails = [("the output", text.splitlines())]
    for name, tail in tails:
        lines.append(Text(f"  last lines of {name}:", style="dim"))
        lines += [Text(f"  | {line[:200]}", style="dim") for line in tail[-TAIL_LINES:]]
    if len(failed) > MAX_TAILS:
        lines.append(Text(f"  ... and {len(failed) - MAX_TAILS} more failed: see the log"))
    return lines


def run_nightly(
    dags: Sequence[str],
    day: str,
    *,
    airflow: Path = AIRFLOW,
    console: Console | None = None,
) -> int:
    """Every DAG in order, even after one failed (as the scheduler would: a failed source
    costs only itself, and the build publishes what did land); 1 if any failed, else 0."""
    console = console or Console()
    live = console.is_terminal and not console.is_dumb_terminal
    view: View = LiveView(console) if live else PlainView(console.file)
    log = log_path(day)
    log.parent.mkdir(parents=True, exist_ok=True)
    log.touch()
    failed = []
    terminated = signal.signal(signal.SIGTERM, interrupt)
    try:
        view.line(Text(f"Full Airflow log: {log}"))
        view.running("reading Airflow's configuration")
        path, why = metadata_db(airflow, dict(os.environ))
        if why:
            view.line(Text(why, style="yellow"))
        db = MetadataDB(path) if path else None
        for dag_id in dags:
            view.line(Text.assemble((dag_id, "bold"), f" {day}"))
            result = run_dag(dag_id, day, log, view, airflow, db)
            if result.db_error and db is not None:
                view.line(Text(f"  ({result.db_error})", style="yellow"))
            for text in summary(result, log):
                view.line(text)
            if not result.ok:
                failed.append(dag_id)
        if failed:
            view.line(Text(f"Failed: {', '.join(failed)}; the full log: {log}", style="bold red"))
    except KeyboardInterrupt:
        view.line(Text(f"Interrupted; the log so far: {log}", style="bold red"))
        return 130
    finally:
        signal.signal(signal.SIGTERM, terminated)
        view.close()
    return 1 if failed else 0


def interrupt(signum: int, frame: object) -> None:
    """SIGTERM (a CI timeout, a closed session) cleans up as Ctrl-C does: it stops the DAG
    that runs, which would otherwise go on alone, writing to the DB and the data folder."""
    raise KeyboardInterrupt
