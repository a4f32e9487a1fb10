"""End to end: the three DAGs through real Airflow (SQLite metadata DB) on a temporary data
folder, replaying the bundled snapshot, then the warehouse queried as an analyst would."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from civicpulse.settings import REPO_ROOT
from tests.conftest import FIXTURES
from tests.seeds import seed_posts

pytestmark = pytest.mark.e2e
AIRFLOW = str(Path(sys.executable).with_name("airflow"))
DAY = "2026-11-20"
DAGS = ("scrape_news", "scrape_indices", "build_warehouse")


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    root = tmp_path_factory.mktemp("e2e")
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
    yield environment


def airflow(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([AIRFLOW, *args], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout + done.stderr


def nightly(env: dict[str, str]) -> dict[str, str]:
    return {dag: airflow(env, "dags", "test", dag, DAY) for dag in DAGS}


def query(env: dict[str, str], sql: str) -> list[tuple[object, ...]]:
    warehouse = Path(env["CIVICPULSE_DATA"]) / "warehouse.duckdb"
    with duckdb.connect(str(warehouse), read_only=True) as db:
        return db.execute(sql).fetchall()


def mart_counts(env: dict[str, str]) -> dict[str, int]:
    return {
        table: int(query(env, f"select count(*) from marts.{table}")[0][0])  # type: ignore[call-overload]
        for table in ("fct_articles", "fct_indicator_values")
    }


def test_plugin_loader_does_not_execute_the_library(env: dict[str, str]) -> None:
    out = airflow(env, "plugins", "--output", "json")
    assert "civicpulse" not in out and "Failed to import" not in out


def test_nightly_dags_build_the_warehouse_and_rerun_idempotently(env: dict[str, str]) -> None:
    logs = nightly(env)
    assert (
        "partnersglobal: published: fetched 12, new 9, updated 0, failed 0" in logs["scrape_news"]
    )
    assert "worldbank_wdi: published: fetched 3, new 50" in logs["scrape_indices"]

    sources = query(env, "select distinct source_id from marts.fct_articles order by 1")
    assert sources == [("endvawnow",), ("ndi",), ("partnersglobal",), ("usip",)]
    articles = query(
        env,
        "select url, title, authors, published_date, body from marts.fct_articles "
        "where source_id = 'partnersglobal'",
    )
    assert len(articles) == len(seed_posts()) == 9  # seed 001's posts are reached by feed only
    bodies = {body for *_, body in articles}
    for post in seed_posts():
        assert "\n\n".join(post.paragraphs) in bodies
    bylined = {a[2][0]: str(a[3]) for a in articles if a[2]}  # type: ignore[index]
    assert bylined == {
        "Jillian Slutzker Rocker": "2021-03-19",
        "Mishellt Melgarejo": "2019-11-25",
        "Athir Hatem": "2019-12-18",
    }
    tashkent = [a for a in articles if a[2] == ["Jillian Slutzker Rocker"]][0]
    assert "Tashkent and Los Angeles are some 7,204 miles apart" in str(tashkent[4])

    values = query(
        env,
        "select country_iso3, min(year), max(year), count(*) from marts.fct_indicator_values "
        "where indicator_id = 'NY.GDP.MKTP.CD' group by 1",
    )
    assert values == [("JPN", 1971, 2019, 49)]  # 2020 is null in the recorded response

    before = mart_counts(env)
    second = nightly(env)
    for source in ("partnersglobal", "ndi", "usip", "endvawnow"):
        assert f"{source}: published: " in second["scrape_news"]
    assert second["scrape_news"].count("new 0, updated 0") >= 4
    assert mart_counts(env) == before
