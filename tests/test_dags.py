"""DAG files: import cleanly, follow the house rules, and keep heavy work out of import time."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from civicpulse.alerts import on_failure
from civicpulse.settings import REPO_ROOT

DAGS = REPO_ROOT / "dags"


@pytest.fixture(scope="module")
def dag_bag() -> object:
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS))


def test_dags_import_without_errors(dag_bag: object) -> None:
    assert dag_bag.import_errors == {}  # type: ignore[attr-defined]
    assert set(dag_bag.dag_ids) == {"scrape_news", "scrape_indices", "build_warehouse"}  # type: ignore[attr-defined]


def test_dag_ids_match_file_names_and_house_rules(dag_bag: object) -> None:
    for dag_id, dag in dag_bag.dags.items():  # type: ignore[attr-defined]
        assert Path(dag.fileloc).stem == dag_id
        assert dag.tags and dag.doc_md
        assert dag.max_active_runs == 1
        assert all(task.retries >= 2 for task in dag.tasks), dag_id
        assert all(task.retry_exponential_backoff > 1 for task in dag.tasks), dag_id
        assert all(task.max_retry_delay for task in dag.tasks), dag_id
        timeouts = {task.task_id: task.execution_timeout for task in dag.tasks}
        assert all(timeouts.values()), timeouts  # nothing holds a worker slot forever
        callbacks = [task.on_failure_callback for task in dag.tasks]
        assert all(c is on_failure or on_failure in c for c in callbacks), dag_id


@pytest.mark.parametrize("path", sorted(DAGS.glob("*.py")), ids=lambda p: p.name)
def test_dag_files_do_not_import_heavy_libraries(path: Path) -> None:
    probe = (
        f"import runpy, sys; runpy.run_path({str(path)!r}); "
        "heavy = {'great_expectations', 'duckdb', 'pandas', 'pyarrow', 'dbt', 'requests'}; "
        "print(sorted(heavy & set(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO_ROOT
    )
    assert out.stdout.strip().splitlines()[-1] == "[]"
