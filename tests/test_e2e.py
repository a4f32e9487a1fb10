"""End to end: the three DAGs through real Airflow (SQLite metadata DB) on a temporary data
folder, replaying the bundled snapshot, then the warehouse queried as an analyst would."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.nightly import AIRFLOW, DAY, Demo, airflow, airflow_env, nightly, own_copy, query
from tests.seeds import seed_posts
from tests.snapshots import edited_snapshot
from tests.sources import NOT_RECORDED, recorded

pytestmark = pytest.mark.e2e


def mart_counts(env: dict[str, str]) -> dict[str, int]:
    return {
        table: int(query(env, f"select count(*) from marts.{table}")[0][0])  # type: ignore[call-overload]
        for table in ("fct_articles", "fct_article_versions", "fct_indicator_values")
    }


def test_plugin_loader_does_not_execute_the_library(demo: Demo) -> None:
    env = demo.env
    out = airflow(env, "plugins", "--output", "json")
    assert "Failed to import" not in out
    from_folder = {
        plugin["source"] for plugin in json.loads(out) if "$PLUGINS_FOLDER" in plugin["source"]
    }
    # only the UI plugin module; nothing inside the civicpulse package is run as a plugin
    assert from_folder == {"$PLUGINS_FOLDER/civicpulse_reports.py"}


def test_nightly_dags_build_the_warehouse(demo: Demo) -> None:
    env, log = demo.env, demo.log
    # robots.txt, one API page, fifteen post pages
    assert "partnersglobal: published: fetched 17, new 15, updated 0, failed 0" in log
    assert "worldbank_wdi: published: fetched 3, new 50" in log

    sources = query(env, "select distinct source_id from marts.fct_articles order by 1")
    assert sources == [(name,) for name in sorted(recorded("articles"))]
    articles = query(
        env,
        "select url, title, authors, published_date, body, language from marts.fct_articles "
        "where source_id = 'partnersglobal'",
    )
    assert len(articles) == 15  # every category, through the REST API
    bylined = {a[2][0]: str(a[3]) for a in articles if a[2]}  # type: ignore[index]
    assert bylined == {
        post.author: str(post.published) for post in seed_posts() if post.author is not None
    }
    assert {a[5] for a in articles} == {"en", "fr"}

    values = query(
        env,
        "select country_iso3, min(year), max(year), count(*) from marts.fct_indicator_values "
        "where indicator_id = 'NY.GDP.MKTP.CD' group by 1",
    )
    assert values == [("JPN", 1971, 2019, 49)]  # 2020 is null in the recorded response
    served = query(env, "select distinct source_id from marts.fct_indicator_values order by 1")
    assert served == [(name,) for name in sorted(recorded("indicator_values"))]
    for unrecorded in NOT_RECORDED:
        assert f"{unrecorded}: skipped: " in log  # said, not crashed

    # the build's outputs beside the warehouse: its dbt docs page and every mart as Parquet
    data = Path(env["CIVICPULSE_DATA"])
    assert "fct_articles" in (data / "reports" / "dbt_docs" / "index.html").read_text()
    exported = json.loads((data / "exports" / "manifest.json").read_text())["tables"]
    assert exported["fct_articles"]["rows"] == len(query(env, "select * from marts.fct_articles"))


def test_quality_is_reported_after_the_nightly_run(demo: Demo) -> None:
    """Issue 10, must-show 3: GX Data Docs, `marts.dq_results` and `marts.source_health`."""
    env = demo.env
    data_docs = Path(env["CIVICPULSE_DATA"]) / "reports" / "data_docs"
    validated = query(
        env,
        "select source_id, table_name, run_ds, count(*), bool_and(success) from marts.dq_results "
        "group by all order by 1, 2",
    )
    assert {row[0] for row in validated} == set(recorded("articles")) | set(
        recorded("indicator_values")
    )
    assert all(row[3] > 0 and row[4] for row in validated), validated  # the snapshot is clean
    index = (data_docs / "index.html").read_text(encoding="utf-8")
    for source, entity, ds, _, _ in validated:
        pages = list((data_docs / "validations").glob(f"*/{ds}/*/{source}__{entity}__{ds}.html"))
        assert len(pages) == 1, (source, pages)
        assert pages[0].relative_to(data_docs).as_posix() in index
    health = query(
        env,
        "select source_id, freshness, last_run_status, alarms from marts.source_health order by 1",
    )
    assert {row[0] for row in health} >= set(recorded("articles"))
    for source, freshness, status, alarms in health:
        if source in recorded("articles") or source in recorded("indicator_values"):
            assert (freshness, status, alarms) == ("fresh", "published", []), source


def test_a_second_night_fetches_no_article_page_and_changes_nothing(
    demo: Demo, tmp_path: Path
) -> None:
    env = own_copy(demo, tmp_path)
    before = mart_counts(env)
    second = nightly(env, dags=("scrape_news", "build_warehouse"))  # the news alone
    assert "partnersglobal: published: fetched 2, new 0, updated 0" in second["scrape_news"]
    for source in recorded("articles"):
        assert f"{source}: published: " in second["scrape_news"]
    assert second["scrape_news"].count("new 0, updated 0") == len(recorded("articles"))
    assert mart_counts(env) == before


def test_one_failing_source_never_stops_the_others(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    root = tmp_path_factory.mktemp("broken")
    # NDI redesigned its listing overnight: the registry's item selector matches nothing.
    broken = {"https://www.ndi.org/publications": lambda page: page.replace(b"views-row", b"x")}
    env = airflow_env(root) | {"CIVICPULSE_REPLAY": str(edited_snapshot(root / "site", broken))}

    done = subprocess.run(
        [AIRFLOW, "dags", "test", "scrape_news", DAY], env=env, capture_output=True, text=True
    )
    log = done.stdout + done.stderr
    assert done.returncode == 1, log[-3000:]  # the run is failed, not quietly green
    assert "listing selector '.view-publications .views-row' matched nothing" in log
    for source in set(recorded("articles")) - {"ndi"}:
        assert f"{source}: published: " in log  # in the teardown's report
    assert "ndi: failed: " in log
    assert query_parquet(env, "ndi") is None
    assert query_parquet(env, "partnersglobal") == 15


def query_parquet(env: dict[str, str], source: str) -> int | None:
    """Rows published for `source` on DAY, or None if nothing was."""
    path = Path(env["CIVICPULSE_DATA"]) / "raw" / source / "articles" / f"{DAY}.parquet"
    return pq.read_metadata(path).num_rows if path.exists() else None
