"""`civicpulse sql`: read-only queries in four formats, clear errors, and every example query
in queries/ runs on the warehouse of a nightly run."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from civicpulse.settings import REPO_ROOT
from civicpulse.sql import QueryError, run_query
from tests.nightly import Demo

CLI = str(Path(sys.executable).with_name("civicpulse"))
QUERIES = sorted((REPO_ROOT / "queries").glob("*.sql"))


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    path = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(path)) as db:
        db.execute("create schema marts")
        db.execute(
            "create table marts.t as select * from (values ('GIN', 2019, 29.0), "
            "('BFA', 2019, null)) as v (country_iso3, year, cpi_score)"
        )
    return path


def test_formats(warehouse: Path, tmp_path: Path) -> None:
    sql = "select * from marts.t order by country_iso3"
    table = io.StringIO()
    assert run_query(sql, warehouse, "table", out=table) == 2
    assert table.getvalue().splitlines()[2].split() == ["BFA", "2019"]
    csv_out = io.StringIO()
    run_query(sql, warehouse, "csv", out=csv_out)
    assert csv_out.getvalue().splitlines() == [
        "country_iso3,year,cpi_score",
        "BFA,2019,",
        "GIN,2019,29.0",
    ]
    json_out = io.StringIO()
    run_query(sql, warehouse, "json", out=json_out)
    assert json.loads(json_out.getvalue())[1] == {
        "country_iso3": "GIN",
        "year": 2019,
        "cpi_score": 29.0,
    }
    target = tmp_path / "out.parquet"
    assert run_query(sql, warehouse, "parquet", target) == 2
    assert duckdb.sql(f"select count(*) from '{target}'").fetchall() == [(2,)]


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("selec 1", "SQL error: Parser Error"),
        ("select * from marts.nothing", "SQL error: Catalog Error"),
        ("create table marts.x (a int)", "SQL error: Invalid Input Error"),  # read-only
    ],
)
def test_bad_sql_is_a_clear_error(warehouse: Path, sql: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        run_query(sql, warehouse, out=io.StringIO())


def test_a_missing_warehouse_says_how_to_build_it(tmp_path: Path) -> None:
    done = subprocess.run(
        [CLI, "sql", "select 1"],
        capture_output=True,
        text=True,
        env={"CIVICPULSE_DATA": str(tmp_path), "PATH": ""},
    )
    assert done.returncode == 2
    assert f"no warehouse at {tmp_path / 'warehouse.duckdb'}: build it first" in done.stderr


@pytest.mark.e2e
@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_every_example_query_runs(demo: Demo, query: Path) -> None:
    env = demo.env
    done = subprocess.run(
        [CLI, "sql", "-f", str(query), "--format", "json"], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout), f"{query.name} returned no rows"
