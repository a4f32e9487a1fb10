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


@pytest.mark.parametrize("dag_id", ["scrape_news", "scrape_indices"])
def test_a_landing_dag_announces_its_asset_once_when_every_source_is_done(
    dag_bag: object, dag_id: str
) -> None:
    dag = dag_bag.dags[dag_id]  # type: ignore[attr-defined]
    producers = {task.task_id: task for task in dag.tasks if task.outlets}
    assert set(producers) == {"announce"}  # not the mapped `land`: one event per source
    announce = producers["announce"]
    assert announce.is_teardown  # runs when one source failed, too
    assert "land" in announce.upstream_task_ids


def test_the_warehouse_is_built_after_both_landing_dags_not_after_either(dag_bag: object) -> None:
    from airflow.sdk.definitions.asset import AssetAll

    from civicpulse.assets import RAW_INDICES, RAW_NEWS

    dag = dag_bag.dags["build_warehouse"]  # type: ignore[attr-defined]
    condition = dag.timetable.asset_condition
    assert isinstance(condition, AssetAll)
    assert set(condition.objects) == {RAW_NEWS, RAW_INDICES}
    assert dag.task_dict["enrich_articles"].upstream_task_ids == {"check_for_changes"}
