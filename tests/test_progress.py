"""`civicpulse nightly`: the pieces on what a real `airflow dags test` left (its log lines and
its metadata DB rows, captured from runs on the bundled snapshot), and one run through
Airflow checking what a newcomer sees."""

from __future__ import annotations

import io
import re
import sqlite3
import sys
from datetime import datetime
from pathlib import Path

import pytest
from rich.console import Console

from civicpulse.progress import (
    LINE_STATES,
    DagResult,
    LiveView,
    PlainView,
    TaskState,
    Tracker,
    describe,
    run_nightly,
    sqlite_path,
    summary,
    task_label,
    task_log,
)
from civicpulse.settings import Settings
from tests.nightly import Demo

# `rendered_task_instance_fields` rows of a scrape_news run (Airflow 3.3.2, SQLite).
RENDERED = {
    ("list_sources", -1): '{"templates_dict": null, "op_args": [], "op_kwargs": {}}',
    ("land", 1): '{"templates_dict": null, "op_args": [], "op_kwargs": {"source_name": "ndi"}}',
}

# Each poll of `task_instance` during a scrape_news run whose NDI listing was broken:
# (task_id, map_index, state). `land` has one unexpanded row until list_sources returns.
POLLS: list[list[tuple[str, int, str | None]]] = [
    [("list_sources", -1, "queued"), ("land", -1, None), ("announce", -1, None),
     ("report", -1, None)],
    [("list_sources", -1, "running"), ("land", -1, None), ("announce", -1, None),
     ("report", -1, None)],
    [("list_sources", -1, "success"), ("land", 3, "running"), ("land", 0, "scheduled"),
     ("land", 1, "scheduled"), ("land", 2, "scheduled"), ("announce", -1, None),
     ("report", -1, None)],
    [("list_sources", -1, "success"), ("land", 3, "success"), ("land", 0, "running"),
     ("land", 1, "scheduled"), ("land", 2, "scheduled"), ("announce", -1, None),
     ("report", -1, None)],
    [("list_sources", -1, "success"), ("land", 3, "success"), ("land", 0, "success"),
     ("land", 1, "failed"), ("land", 2, "running"), ("announce", -1, None),
     ("report", -1, None)],
    [("list_sources", -1, "success"), ("land", 3, "success"), ("land", 0, "success"),
     ("land", 1, "failed"), ("land", 2, "success"), ("announce", -1, "success"),
     ("report", -1, "running")],
    [("list_sources", -1, "success"), ("land", 3, "success"), ("land", 0, "success"),
     ("land", 1, "failed"), ("land", 2, "success"), ("announce", -1, "success"),
     ("report", -1, "success")],
]  # fmt: skip

# That run's failed task instance (its start_date and end_date in the metadata DB) and lines of
# its log around it, verbatim: the end of the task before, then land[ndi] (its traceback cut
# short), then the start of the task after.
NDI = TaskState(
    "land",
    1,
    "failed",
    "land[ndi]",
    datetime.fromisoformat("2026-12-01 11:13:47.004427"),
    datetime.fromisoformat("2026-12-01 11:13:47.071191"),
)
NDI_LOG = """\
2026-12-01T11:13:46.989469Z [info     ] summary partnersglobal: published: fetched 17, new 15, updated 0, failed 0, skipped 0, refused 0, quarantined 0, unmapped 0 (304: 0, retries: 0) -> /tmp/np-fail/data/raw/partnersglobal/articles/2026-11-20.parquet [civicpulse.landing] loc=landing.py:104
2026-12-01T11:13:46.989854Z [info     ] Done. Returned value was: None [airflow.task.operators.airflow.providers.standard.decorators.python._PythonDecoratedOperator] loc=python.py:233
2026-12-01T11:13:47.002078Z [info     ] [DAG TEST] end task task_id=land map_index=0 [airflow.sdk.definitions.dag] loc=dag.py:1563
2026-12-01T11:13:47.002165Z [info     ] [DAG TEST] starting task_id=land map_index=1 [airflow.sdk.definitions.dag] loc=dag.py:1501
2026-12-01T11:13:47.002204Z [info     ] [DAG TEST] running task <TaskInstance: scrape_news.land manual__2026-12-01T11:13:36.672023+00:00 map_index=1 [TaskInstanceState.SCHEDULED] ti_id=01a2314f-793e-7e0d-9b2c-08fac3ef7802> [airflow.sdk.definitions.dag] loc=dag.py:1504
2026-12-01T11:13:47.009177Z [info     ] Task started                   [airflow.api_fastapi.execution_api.routes.task_instances] correlation_id=01a2314f-8dfc-7616-b020-10f030b79499 hostname=vm loc=task_instances.py:226 previous_state=queued ti_id=01a2314f-793e-7e0d-9b2c-08fac3ef7802
2026-12-01T11:13:47.009845Z [info     ] Task instance state updated    [airflow.api_fastapi.execution_api.routes.task_instances] correlation_id=01a2314f-8dfc-7616-b020-10f030b79499 loc=task_instances.py:254 rows_affected=1 ti_id=01a2314f-793e-7e0d-9b2c-08fac3ef7802
2026-12-01T11:13:47.027226Z [info     ] Updating RenderedTaskInstanceFields [airflow.api_fastapi.execution_api.routes.task_instances] correlation_id=01a2314f-8e0f-7c06-84c5-5979b1d92f16 field_count=3 loc=task_instances.py:1017 ti_id=01a2314f-793e-7e0d-9b2c-08fac3ef7802
2026-12-01T11:13:47.034519Z [info     ] ::endgroup::                   [task] loc=task_runner.py:2232
2026-12-01T11:13:47.048967Z [info     ] replay: 57 recorded responses from /tmp/np-fail/site [civicpulse.replay] loc=replay.py:34
2026-12-01T11:13:47.050165Z [info     ] GET https://www.ndi.org/robots.txt -> 200 (2231 bytes) [civicpulse.fetch] loc=fetch.py:290
2026-12-01T11:13:47.051555Z [info     ] GET https://www.ndi.org/publications -> 200 (4317 bytes) [civicpulse.fetch] loc=fetch.py:290
2026-12-01T11:13:47.054018Z [info     ] archived responses in /tmp/np-fail/data/archive/ndi/2026-11-20_20261201T111347035125Z.warc.gz [civicpulse.archive] loc=archive.py:80
2026-12-01T11:13:47.054918Z [info     ] summary ndi: failed: fetched 2, new 0, updated 0, failed 0, skipped 0, refused 0, quarantined 0, unmapped 0 (304: 0, retries: 0) -> ExtractionError: https://www.ndi.org/publications: listing selector '.view-publications .views-row' matched nothing (4317 bytes): no items, the listing changed or is empty [civicpulse.landing] loc=landing.py:104
2026-12-01T11:13:47.055029Z [error    ] Task failed with exception     [task] loc=task_runner.py:1639
Traceback (most recent call last):
  File "/work/main/plugins/civicpulse/tasks.py", line 29, in land_or_fail
    summary = land_source(entry, ds)
    land_or_fail(source_name, ds)
  File "/work/main/plugins/civicpulse/tasks.py", line 31, in land_or_fail
    raise AirflowFailException(str(error)) from error
airflow.sdk.exceptions.AirflowFailException: https://www.ndi.org/publications: listing selector '.view-publications .views-row' matched nothing (4317 bytes): no items, the listing changed or is empty
2026-12-01T11:13:47.056628Z [info     ] ::group::Post Execute          [task] loc=task_runner.py:1640
2026-12-01T11:13:47.057976Z [error    ] civicpulse: scrape_news.land[1] failed (manual__2026-12-01T11:13:36.672023+00:00): summary in /tmp/np-fail/data/reports/failures/scrape_news.land_1__failed__manual__2026-12-01T11_13_36.672023_00_00_.md [civicpulse.alerts] loc=alerts.py:28
2026-12-01T11:13:47.071087Z [info     ] ::endgroup::                   [task] loc=task_runner.py:2379
2026-12-01T11:13:47.078715Z [info     ] Task instance state updated    [airflow.api_fastapi.execution_api.routes.task_instances] correlation_id=01a2314f-8e3f-7f94-bcfa-b2820b375e48 loc=task_instances.py:485 new_state=failed rows_affected=1 ti_id=01a2314f-793e-7e0d-9b2c-08fac3ef7802
2026-12-01T11:13:47.088016Z [info     ] [DAG TEST] end task task_id=land map_index=1 [airflow.sdk.definitions.dag] loc=dag.py:1563
2026-12-01T11:13:47.088107Z [info     ] [DAG TEST] starting task_id=land map_index=2 [airflow.sdk.definitions.dag] loc=dag.py:1501
2026-12-01T11:13:47.088146Z [info     ] [DAG TEST] running task <TaskInstance: scrape_news.land manual__2026-12-01T11:13:36.672023+00:00 map_index=2 [TaskInstanceState.SCHEDULED] ti_id=01a2314f-793f-7ff0-94bc-8371197068e2> [airflow.sdk.definitions.dag] loc=dag.py:1504
"""  # noqa: E501

# The end of `airflow dags test nosuchdag 2026-11-20`, verbatim: it fails before any task.
NO_SUCH_DAG = """\
  File "/work/main/.venv/lib/python3.11/site-packages/airflow/utils/cli.py", line 304, in get_bagged_dag
    raise AirflowException(
airflow.sdk.exceptions.AirflowException: Dag 'nosuchdag' could not be found; either it does not exist or it failed to parse.
"""  # noqa: E501


def states(poll: list[tuple[str, int, str | None]]) -> list[TaskState]:
    return [TaskState(task, index, state, f"{task}[{index}]") for task, index, state in poll]


def test_a_mapped_task_is_named_by_the_argument_it_was_mapped_over() -> None:
    assert task_label("land", 1, None, RENDERED[("land", 1)]) == "land[ndi]"
    assert task_label("list_sources", -1, None, RENDERED[("list_sources", -1)]) == "list_sources"
    assert task_label("land", 1, "ndi (weekly)", RENDERED[("land", 1)]) == "land[ndi (weekly)]"
    assert task_label("land", 1, None, None) == "land[1]"  # rendered fields not written yet


def test_each_task_gets_one_line_when_it_finishes_even_between_two_polls() -> None:
    tracker = Tracker()
    lines = [
        (task.task_id, task.map_index, task.state)
        for poll in POLLS
        for task in tracker.changes(states(poll))
        if task.state in LINE_STATES
    ]
    assert lines == [
        ("list_sources", -1, "success"),
        ("land", 3, "success"),
        ("land", 0, "success"),
        ("land", 1, "failed"),  # scheduled, then failed: never seen running
        ("land", 2, "success"),
        ("announce", -1, "success"),
        ("report", -1, "success"),
    ]
    assert tracker.changes(states(POLLS[-1])) == []  # the final poll after exit repeats nothing


def test_a_failed_task_log_is_its_own_lines_by_their_timestamps() -> None:
    lines = task_log(NDI_LOG, NDI)
    text = "\n".join(lines)
    assert "Task started" in lines[0]  # after start_date: not the `[DAG TEST] running` line
    assert "summary ndi: failed" in text
    assert lines[-1].endswith("loc=task_runner.py:2379")  # its ::endgroup::, before end_date
    assert "AirflowFailException: https://www.ndi.org/publications: listing selector" in text
    assert '  File "/work/main/plugins/civicpulse/tasks.py", line 31' in text  # traceback kept
    assert "partnersglobal" not in text and "starting task_id=land map_index=1" not in text
    assert "map_index=2" not in text and "new_state=failed" not in text


def test_a_failed_dag_names_its_failed_task_and_shows_the_tail_of_its_log(tmp_path: Path) -> None:
    log = tmp_path / "nightly.log"
    log.write_text("===== header =====\n" + NDI_LOG, encoding="utf-8")
    ok = TaskState("land", 0, "success", "land[partnersglobal]")
    result = DagResult("scrape_news", 1, "failed", [ok, NDI], 14.2, (19, log.stat().st_size))
    lines = [text.plain for text in summary(result, log)]
    assert lines[0] == "scrape_news FAILED in 14 s, 1 success, 1 failed: land[ndi]"
    assert lines[1] == "  last lines of land[ndi]:"
    assert len(lines) == 2 + 10
    assert any("AirflowFailException: https://www.ndi.org/publications" in s for s in lines)


def test_sqlite_url_gives_the_file_and_any_other_database_none() -> None:
    assert sqlite_path("sqlite:////tmp/np-probe/airflow/airflow.db\n") == Path(
        "/tmp/np-probe/airflow/airflow.db"
    )
    assert sqlite_path("postgresql+psycopg2://airflow:airflow@postgres/airflow") is None


def test_without_a_terminal_lines_are_plain_and_on_one_terminal_markup_is_not_read() -> None:
    task = TaskState("land", 1, "failed", "land[ndi]", NDI.start, NDI.end)
    plain = io.StringIO()
    PlainView(plain).line(describe(task))
    assert plain.getvalue() == "  failed          land[ndi]                       0.1 s\n"

    screen = io.StringIO()
    view = LiveView(Console(file=screen, force_terminal=True, width=100))
    view.line(describe(task))
    view.close()
    assert "\x1b[" in screen.getvalue() and "land[ndi]" in screen.getvalue()  # not eaten as [tag]


def test_every_dag_runs_after_one_failed_and_the_exit_says_so(
    settings: Settings, tmp_path: Path
) -> None:
    """An `airflow` that fails the first DAG as Airflow does for a missing one; no metadata
    DB to read: the DAGs still run in order, each with its line, and the status is 1."""
    output = tmp_path / "no_such_dag.txt"
    output.write_text(NO_SUCH_DAG, encoding="utf-8")
    airflow = tmp_path / "airflow"
    airflow.write_text(
        f"#!{sys.executable}\n"
        "import sys\n"
        "if sys.argv[1] == 'config':\n"
        f"    print('sqlite:///{tmp_path}/missing/airflow.db')\n"
        "elif sys.argv[3] == 'nosuchdag':\n"
        f"    print(open('{output}').read(), end='')\n"
        "    sys.exit(1)\n"
        "else:\n"
        "    print('ran', *sys.argv[1:])\n",
        encoding="utf-8",
    )
    airflow.chmod(0o755)
    out = io.StringIO()
    status = run_nightly(
        ["nosuchdag", "scrape_news"], "2026-11-20", airflow=airflow, console=Console(file=out)
    )
    shown = out.getvalue()
    assert status == 1
    assert re.search(r"^nosuchdag FAILED in \d+ s: airflow exited with 1$", shown, re.MULTILINE)
    assert (
        "  | airflow.sdk.exceptions.AirflowException: Dag 'nosuchdag' could not be found" in shown
    )
    assert "scrape_news succeeded" in shown
    assert "no task progress: unable to open database file" in shown
    assert shown.splitlines()[-1].startswith("Failed: nosuchdag; the full log: ")
    (log,) = (settings.data_root / "logs").glob("nightly-2026-11-20-*.log")
    assert "ran dags test scrape_news 2026-11-20" in log.read_text(encoding="utf-8")
    assert "\x1b" not in shown


@pytest.mark.e2e
def test_nightly_shows_a_line_per_task_then_the_report_and_logs_the_rest(
    demo: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    from civicpulse.cli import report
    from tests.nightly import DAGS
    from tests.sources import recorded

    out = demo.printed
    monkeypatch.setenv("CIVICPULSE_DATA", demo.env["CIVICPULSE_DATA"])
    ending = "\n" + report() + "\n"
    assert out.endswith(ending) and "\x1b" not in out, out
    with sqlite3.connect(Path(demo.env["AIRFLOW_HOME"]) / "airflow.db") as db:
        tasks = db.execute("select task_id, state from task_instance").fetchall()
    # The log line, then per DAG its name, a line per task and how it went; then the report.
    lines = out.removesuffix(ending).splitlines()
    assert len(lines) == 1 + len(DAGS) * 2 + len(tasks), out
    shown = [re.match(r"  (\w+) +(\w+)", line) for line in lines]
    shown_tasks = sorted((m[2], m[1]) for m in shown if m)  # (task_id, state) per line
    assert shown_tasks == sorted(tasks), out  # every task once, with its final state
    for source in (*recorded("articles"), *recorded("indicator_values")):
        assert re.search(rf"^  success +land\[{source}\] ", out, re.MULTILINE), source
    for dag_id in DAGS:
        assert re.search(rf"^{dag_id} succeeded in \d+ s", out, re.MULTILINE), dag_id

    (path,) = re.findall(r"^Full Airflow log: (.+)$", out, re.MULTILINE)
    assert Path(path).parent == Path(demo.env["CIVICPULSE_DATA"]) / "logs"
    assert len(demo.log.splitlines()) > 100
    for dag_id in DAGS:
        assert f"DagRun Finished: dag_id={dag_id}" in demo.log
    for source in recorded("articles"):
        assert f"summary {source}: published" in demo.log
