"""Orchestration overhead: the nightly demo through Airflow against the same work done by
calling the library directly, on one machine in one run; then the cost of one dbt
invocation per model (astronomer-cosmos' LOCAL execution mode) against the single
`dbt build` the warehouse DAG runs.

1. Airflow: a fresh AIRFLOW_HOME (SQLite) and data folder, `airflow db migrate` (timed,
   not part of the ratio), then `airflow dags test` of scrape_news, scrape_indices and
   build_warehouse for one day, replaying the recorded snapshot.
2. Direct: a fresh data folder; per DAG, one Python process calling what that DAG's tasks
   call, in the DAG's order. One process per DAG because `airflow dags test` is one
   process per DAG that runs every task inside itself (`run_task_in_process`: no
   task-runner subprocess per task), so both sides pay the interpreter's start-up and the
   library's imports once per DAG; the difference is Airflow's.
3. The two warehouses must hold the same row count in every mart (the only way to fail).
4. On the direct data folder, with a copy of its warehouse: `dbt build` once, then
   `dbt run --select <model>` for every model in dependency order, each followed by
   `dbt test --select <model>` if the model has tests: the tasks Cosmos renders (its
   default TestBehavior.AFTER_EACH), each invocation a process of its own, as each Airflow
   task is one. Cosmos's seed tasks are not timed (their estimate is printed).

    make bench            # or: .venv/bin/python benchmarks/bench_orchestration.py [--skip-dbt]
"""

from __future__ import annotations

import argparse
import graphlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SNAPSHOT = REPO / "tests" / "fixtures"
BIN = Path(sys.executable).parent
DAY = "2026-11-20"
DAGS = ("scrape_news", "scrape_indices", "build_warehouse")


# --- the direct side: what each DAG's tasks call (as read in dags/; keep in step with it) ---


def direct(dag: str, day: str) -> dict[str, Any]:
    """Run `dag`'s work by calling the library as its tasks do, in the DAG's order; seconds
    per task id (a list per mapped task), and the seconds spent importing Airflow up front."""
    step = Steps()
    if dag == "build_warehouse":
        if step("check_for_changes", check_for_changes) is not None:  # None: skip the build
            step("enrich_articles", enrich_articles)
            step("dbt_build", dbt_build)
            step("export_marts", export_marts)
            step("render_site", render_site)
        step("render_data_docs", render_data_docs)  # teardowns: run either way
        step("report", report)
    else:
        entity = "articles" if dag == "scrape_news" else "indicator_values"
        started = time.perf_counter()
        # land_or_fail imports Airflow (for AirflowFailException), which the `airflow`
        # process holds before its first task: imported here too, before the tasks
        import airflow.sdk.exceptions  # noqa: F401

        step.imports = time.perf_counter() - started
        for name in step("list_sources", list_sources, entity, day):
            step("land", land, name, day)
        step("announce", announce, entity, day)  # teardowns: run either way
        step("report", report)
    return {"imports": step.imports, "steps": step.seconds}


class Steps:
    """Calls timed by task id."""

    def __init__(self) -> None:
        self.seconds: dict[str, list[float]] = {}
        self.imports = 0.0

    def __call__(self, task_id: str, work: Callable[..., Any], *args: Any) -> Any:
        started = time.perf_counter()
        result = work(*args)
        self.seconds.setdefault(task_id, []).append(time.perf_counter() - started)
        return result


# The DAG files' task bodies, each with its imports inside as there.


def list_sources(entity: str, ds: str) -> list[str]:
    from civicpulse.landing import sources_due

    return sources_due(entity, ds)


def land(source_name: str, ds: str) -> None:
    from civicpulse.tasks import land_or_fail

    land_or_fail(source_name, ds)


def announce(entity: str, ds: str) -> None:
    from civicpulse.changes import announcement

    announcement(entity, ds)  # the DAG sets it as the asset event's extra


def report() -> None:
    from civicpulse.cli import report

    print(report())


def check_for_changes() -> str | None:
    from civicpulse.changes import why_build

    # `airflow dags test` has no triggering asset events: like a run started by hand
    return why_build(triggered=False)


def enrich_articles() -> None:
    from civicpulse.enrichment import enrich_landed_articles

    enrich_landed_articles()


def dbt_build() -> None:
    from civicpulse.transform import build_warehouse

    build_warehouse(enrich=False, docs=True, freshness=True)


def export_marts() -> None:
    from civicpulse.exports import export_marts

    export_marts()


def render_site() -> None:
    from civicpulse.site import render_site

    render_site()


def render_data_docs() -> None:
    from civicpulse.data_docs import build_data_docs

    build_data_docs()


# --- measuring ---


@dataclass
class DagRun:
    """One DAG's run on one side: wall seconds and seconds per task id (mapped summed)."""

    wall: float
    tasks: dict[str, list[float]] = field(default_factory=dict)
    before: float = 0.0  # Airflow: launch to the first task's start; direct: see direct()
    between: float = 0.0  # Airflow: first task's start to last task's end, less the tasks
    after: float = 0.0  # Airflow: last task's end to the process's exit
    states: dict[str, int] = field(default_factory=dict)

    @property
    def in_tasks(self) -> float:
        return sum(sum(times) for times in self.tasks.values())


def timed_run(command: list[str], env: dict[str, str], label: str) -> tuple[float, float, float]:
    """Run `command`; its wall seconds and its launch and exit as epoch seconds."""
    launched, started = time.time(), time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=REPO)
    wall, exited = time.perf_counter() - started, time.time()
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-3000:] + done.stderr[-5000:])
        raise SystemExit(f"{label} failed (exit {done.returncode})")
    return wall, launched, exited


def airflow_env(home: Path, data: Path) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("AIRFLOW") and key != "CIVICPULSE_WAREHOUSE"
    }
    return environment | {
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
        "AIRFLOW__CORE__DAGS_FOLDER": str(REPO / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(REPO / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "CIVICPULSE_DATA": str(data),
        "CIVICPULSE_REPLAY": str(SNAPSHOT),
        "DO_NOT_TRACK": "1",
    }


def through_airflow(dag: str, day: str, env: dict[str, str]) -> DagRun:
    """`airflow dags test dag day`, then its task instances from the metadata DB."""
    wall, launched, exited = timed_run(
        [str(BIN / "airflow"), "dags", "test", dag, day], env, f"airflow dags test {dag}"
    )
    run = DagRun(wall)
    database = Path(env["AIRFLOW_HOME"]) / "airflow.db"
    with sqlite3.connect(database) as db:
        rows = db.execute(
            "select task_id, state, start_date, end_date, duration from task_instance "
            "where dag_id = ?",
            (dag,),
        ).fetchall()
    starts, ends = [], []
    for task_id, state, start, end, duration in rows:
        run.states[state] = run.states.get(state, 0) + 1
        if start is not None and end is not None:
            run.tasks.setdefault(task_id, []).append(float(duration or 0.0))
            starts.append(_epoch(start))
            ends.append(_epoch(end))
    if starts:
        run.before = min(starts) - launched
        run.between = max(ends) - min(starts) - run.in_tasks
        run.after = exited - max(ends)
    return run


def _epoch(stamp: str) -> float:
    moment = datetime.fromisoformat(stamp)
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def directly(dag: str, day: str, env: dict[str, str], scratch: Path) -> DagRun:
    """`direct(dag)` in a Python process of its own (see the module's docstring)."""
    out = scratch / f"direct-{dag}.json"
    command = [sys.executable, __file__, "--direct", dag, "--day", day, "--out", str(out)]
    wall, _, _ = timed_run(command, env, f"direct {dag}")
    measured = json.loads(out.read_text())
    return DagRun(wall, measured["steps"], before=measured["imports"])


def probe(code: str, env: dict[str, str]) -> float:
    """Wall seconds of `python -c code` (best of two)."""
    best = float("inf")
    for _ in range(2):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True)
        best = min(best, time.perf_counter() - started)
    return best


def _row(label: str, values: tuple[float, ...] | list[float], widths: tuple[int, ...]) -> str:
    airflow, plain, *rest = values
    cells = [f"{airflow:>{widths[1]}.1f}", f"{plain:>{widths[2]}.1f}"]
    cells.append(f"{airflow / plain:>{widths[3] - 1}.2f}x")
    cells += [f"{value:>{width}.1f}" for value, width in zip(rest, widths[4:], strict=True)]
    return f"{label:<{widths[0]}}" + "".join(cells)


def dag_table(dag: str, airflow: DagRun, plain: DagRun) -> None:
    states = ", ".join(f"{count} {state}" for state, count in sorted(airflow.states.items()))
    print(f"  {dag}: Airflow task instances: {states}")
    print(f"    {'task':<20}{'airflow s':>11}{'direct s':>10}")
    for task_id in dict.fromkeys([*plain.tasks, *airflow.tasks]):
        counts = {len(side.tasks.get(task_id, [])) for side in (airflow, plain)}
        name = task_id if counts == {1} else f"{task_id} (x{max(counts)})"
        a, d = (sum(side.tasks.get(task_id, [])) for side in (airflow, plain))
        print(f"    {name:<20}{a:>11.2f}{d:>10.2f}")
    print(f"    {'in tasks, total':<20}{airflow.in_tasks:>11.2f}{plain.in_tasks:>10.2f}")
    if plain.before:
        print(f"    {'(direct: import airflow first)':<31}{plain.before:>10.2f}")


# --- dbt: one build against one invocation per node ---


@dataclass
class Dbt:
    env: dict[str, str]
    target: Path

    def __call__(self, *args: str) -> tuple[float, float, str]:
        """`dbt <args>` as `civicpulse.transform.dbt` runs it; wall seconds, dbt's own
        elapsed seconds (run_results.json; 0 when it writes none) and its stdout."""
        from civicpulse.transform import DBT_PROJECT

        results = self.target / "run_results.json"
        results.unlink(missing_ok=True)
        command = [str(BIN / "dbt"), *args, "--project-dir", str(DBT_PROJECT)]
        command += ["--profiles-dir", str(DBT_PROJECT)]
        started = time.perf_counter()
        done = subprocess.run(
            command, env=self.env, cwd=DBT_PROJECT, capture_output=True, text=True
        )
        wall = time.perf_counter() - started
        if done.returncode != 0:
            sys.stderr.write(done.stdout[-5000:])
            raise SystemExit(f"dbt {' '.join(args)} failed (exit {done.returncode})")
        elapsed = json.loads(results.read_text())["elapsed_time"] if results.exists() else 0.0
        return wall, float(elapsed), done.stdout


def per_model_cost(data: Path, folder: Path, per_task: float | None) -> None:
    """Time one `dbt build` against `dbt run` (+ `dbt test`, for a model with tests) per
    model, each on a fresh copy of the warehouse in `data` (the same built state)."""
    built = data / "warehouse.duckdb"
    copy = folder / "warehouse.duckdb"
    folder.mkdir(parents=True, exist_ok=True)
    env = {key: value for key, value in os.environ.items() if not key.startswith("AIRFLOW")}
    env |= {
        "CIVICPULSE_DATA": str(data),
        "CIVICPULSE_WAREHOUSE": str(copy),  # one path for every invocation: partial parsing
        "DO_NOT_TRACK": "1",
        "DBT_TARGET_PATH": str(folder / "target"),
        "DBT_LOG_PATH": str(folder / "logs"),
    }
    dbt = Dbt(env, folder / "target")

    print("listing the project (dbt ls; it also warms dbt's partial parse for the timed runs)")
    kinds = ("--resource-type", "model", "--resource-type", "test", "--resource-type", "seed")
    listed = dbt("--quiet", "ls", *kinds, "--output", "json")[2]
    nodes = [json.loads(line) for line in listed.splitlines() if line.startswith("{")]
    seeds = [n["name"] for n in nodes if n["resource_type"] == "seed"]
    ids = {n["unique_id"]: n["name"] for n in nodes if n["resource_type"] == "model"}
    graph = {
        unique_id: [n for n in node["depends_on"]["nodes"] if n in ids]
        for node in nodes
        if (unique_id := node["unique_id"]) in ids
    }
    tested = {
        n for node in nodes if node["resource_type"] == "test" for n in node["depends_on"]["nodes"]
    }
    order = list(graphlib.TopologicalSorter(graph).static_order())

    shutil.copyfile(built, copy)
    build_wall, build_dbt, _ = dbt("build")
    print(f"  one dbt build: {build_wall:.1f} s wall ({build_dbt:.1f} s inside dbt)", flush=True)

    # Cosmos (TestBehavior.AFTER_EACH, its default) renders a model with tests as a task
    # group `run` >> `test`, a model without tests as a `run` task alone.
    shutil.copyfile(built, copy)  # the same starting state
    walls, inside = [], []
    print(
        f"  {len(order)} models in dependency order: dbt run each, then dbt test for the "
        f"{len(tested & set(order))} with tests:",
        flush=True,
    )
    for index, unique_id in enumerate(order, 1):
        for command in ("run", "test") if unique_id in tested else ("run",):
            wall, elapsed, _ = dbt(command, "--select", ids[unique_id])
            walls.append(wall)
            inside.append(elapsed)
        if index % 7 == 0 or index == len(order):
            print(f"    {index}/{len(order)} models, {sum(walls):.0f} s so far", flush=True)

    per_node, per_node_dbt = sum(walls), sum(inside)
    each, work = per_node / len(walls), per_node_dbt / len(walls)
    print()
    print("dbt as one task (the DAG now) against one task per model (Cosmos LOCAL mode)")
    print(f"{'':<34}{'invocations':>12}{'wall s':>9}{'in dbt s':>10}")
    print(f"{'dbt build':<34}{1:>12}{build_wall:>9.1f}{build_dbt:>10.1f}")
    print(
        f"{'dbt run / dbt test per model':<34}{len(walls):>12}{per_node:>9.1f}{per_node_dbt:>10.1f}"
    )
    print(f"per-model / single build: {per_node / build_wall:.1f}x wall", end="")
    print(f" ({each:.1f} s per invocation, {work:.2f} s of it inside dbt)")
    print(
        f"  not timed: Cosmos would add {len(seeds)} `dbt seed` tasks (~{len(seeds) * each:.0f} s "
        f"at that rate);\n  TestBehavior.BUILD (one `dbt build --select` per model) would be "
        f"{len(order)} invocations, ~{len(order) * each:.0f} s"
    )
    if per_task is not None:  # each invocation would be an Airflow task of its own
        total = per_node + per_task * len(walls)
        print(
            f"  with Airflow's time per task in `dags test` above (~{per_task:.1f} s; a scheduler "
            f"with an executor\n  starts a process per task: more) x {len(walls)} tasks: "
            f"~{total:.0f} s, {total / build_wall:.0f}x the single build"
        )


# --- the bench ---


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--day", default=DAY, help="the run's day (the snapshot's: %(default)s)")
    parser.add_argument("--root", type=Path, help="scratch folder (default: a temporary one)")
    parser.add_argument("--skip-dbt", action="store_true", help="skip the per-model dbt part")
    parser.add_argument("--direct", choices=DAGS, help=argparse.SUPPRESS)  # the child's mode
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.direct:
        args.out.write_text(json.dumps(direct(args.direct, args.day)))
        return 0

    from civicpulse.warehouse import mart_row_counts

    began = time.perf_counter()
    root = args.root or Path(tempfile.mkdtemp(prefix="civicpulse-orchestration-"))
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    on_airflow = airflow_env(root / "airflow" / "home", root / "airflow" / "data")
    on_direct = airflow_env(root / "direct" / "home", root / "direct" / "data")  # home: unused
    print(f"orchestration overhead, day {args.day}, snapshot replayed, scratch {root}")
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f} at start", flush=True)

    started = time.perf_counter()
    timed_run([str(BIN / "airflow"), "db", "migrate"], on_airflow, "airflow db migrate")
    migrate = time.perf_counter() - started
    print(f"airflow db migrate (fresh SQLite home): {migrate:.1f} s (not in the ratio)", flush=True)
    python_s = probe("pass", on_direct)
    import_s = probe("import airflow", on_direct)
    print(f"python start-up {python_s:.2f} s; import airflow {import_s:.2f} s", flush=True)

    runs: dict[str, tuple[DagRun, DagRun]] = {}
    for dag in DAGS:  # in turn, so both sides of a DAG run under the same load
        airflow = through_airflow(dag, args.day, on_airflow)
        print(f"{dag}: airflow dags test {airflow.wall:.1f} s", end="", flush=True)
        plain = directly(dag, args.day, on_direct, root)
        print(f", direct {plain.wall:.1f} s", flush=True)
        runs[dag] = (airflow, plain)

    print()
    print("per task (seconds inside each task; mapped tasks summed)")
    for dag, (airflow, plain) in runs.items():
        dag_table(dag, airflow, plain)
    print()
    print("orchestration overhead (Airflow wall / direct wall; db migrate excluded), and")
    print("where Airflow's extra seconds go (the columns after 'extra' add up to it)")
    widths = (18, 10, 9, 8, 9, 10, 9, 10, 7)
    names = ("DAG", "airflow s", "direct s", "ratio", "extra s", "start-up", "between")
    print(
        "".join(
            f"{n:<{widths[0]}}" if i == 0 else f"{n:>{widths[i]}}"
            for i, n in enumerate((*names, "in tasks", "exit"))
        )
    )
    totals = [0.0] * 7
    for dag, (airflow, plain) in runs.items():
        outside = plain.wall - plain.in_tasks  # the direct process's start-up, imports, exit
        row = (
            airflow.wall,
            plain.wall,
            airflow.wall - plain.wall,
            airflow.before - outside,  # CLI process, import airflow, DAG parse, run created
            airflow.between,  # the run loop between tasks: state in the metadata DB
            airflow.in_tasks - plain.in_tasks,  # supervisor, XCom, in-process API calls
            airflow.after,  # after the last task: the run finished, the process exits
        )
        totals = [total + value for total, value in zip(totals, row, strict=True)]
        print(_row(dag, row, widths))
    print(_row("all three", totals, widths))
    print(
        f"  import airflow alone: {import_s - python_s:.1f} s over a bare interpreter "
        f"({python_s:.2f} s). `dags test` runs every task inside\n"
        "  the CLI's process (no task-runner subprocess per task, unlike a scheduler with an\n"
        "  executor); the direct side pays land_or_fail's `import airflow` as well."
    )
    task_count = sum(len(t) for airflow, _ in runs.values() for t in airflow.tasks.values())
    per_task = (totals[4] + totals[5]) / task_count if task_count else None

    print()
    print("mart row counts (sanity check: the same work gives the same warehouse)")
    counts = {
        side: mart_row_counts(root / side / "data" / "warehouse.duckdb")
        for side in ("airflow", "direct")
    }
    differ = [
        mart
        for mart in sorted({*counts["airflow"], *counts["direct"]})
        if counts["airflow"].get(mart) != counts["direct"].get(mart)
    ]
    print(f"{'mart':<40}{'airflow':>9}{'direct':>9}")
    for mart in sorted({*counts["airflow"], *counts["direct"]}):
        a, d = (str(counts[side].get(mart, "-")) for side in ("airflow", "direct"))
        print(f"{mart:<40}{a:>9}{d:>9}{'  DIFFER' if mart in differ else ''}")
    if not counts["airflow"]:
        differ.append("(no marts at all)")

    if not args.skip_dbt:
        print(flush=True)
        per_model_cost(root / "direct" / "data", root / "dbt", per_task)

    print()
    print(f"bench wall time: {time.perf_counter() - began:.0f} s")
    if args.root is None:
        shutil.rmtree(root, ignore_errors=True)
    if differ:
        print(f"mart row counts differ: {', '.join(differ)}")
        return 1
    print("mart row counts agree")
    return 0


if __name__ == "__main__":
    sys.exit(main())
