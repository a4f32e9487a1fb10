"""A new source is one registry entry: sites never seen before, added with only their entries
and recordings of their responses, reach the marts after the nightly DAGs. One article site
on an existing adapter (feed) and one index release on an existing parser."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from civicpulse.archive import ArchivedResponse, read_responses, warc_files
from civicpulse.registry import REGISTRY_PATH
from tests.conftest import FIXTURES
from tests.nightly import DAY, airflow, airflow_env, query
from tests.snapshots import add_recording, edited_snapshot

pytestmark = pytest.mark.e2e

# Recorded responses served from hosts the registry has never known: new sites to the crawler
# (their own robots.txt, politeness and archive). A WordPress blog (PartnersGlobal's posts)…
BLOG = ("partnersglobal", "www.partnersglobal.org", "news.peace-example.org")
# …and a conflict dataset published as a zipped CSV (UCDP's battle deaths release).
DATA = ("ucdp_brd", "ucdp.uu.se", "data.peace-example.org")
ORIGINALS = {BLOG[0], DATA[0]}
ENTRIES = """
- name: peace_example
  adapter: feed
  url: https://news.peace-example.org/feed/
  entity: articles
  owner: "@someone"
  license: CC BY 4.0
  description: A programme-news blog added by a new user with this entry only.

- name: peace_example_deaths
  adapter: download
  url: https://data.peace-example.org/downloads/
  entity: indicator_values
  owner: "@someone"
  license: CC BY 4.0
  description: A battle-deaths release in UCDP's format, on the existing parser.
  options:
    parser: ucdp_battle_deaths_csv
    files:
      - url: https://data.peace-example.org/downloads/brd/ucdp-brd-dyadic-241-csv.zip
        member: BattleDeaths_v24_1.csv
        vintage: "2026-06-01"
"""


def rehosted(recording: str, old: str, new: str) -> dict[str, ArchivedResponse]:
    return {
        r.url.replace(old, new): replace(
            r, url=r.url.replace(old, new), body=r.body.replace(old.encode(), new.encode())
        )
        for path in warc_files(FIXTURES / recording)
        for r in read_responses(path)
    }


def test_sources_added_with_one_entry_each_reach_the_marts(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    root = tmp_path_factory.mktemp("new_sources")
    blog, data = rehosted(*BLOG), rehosted(*DATA)
    site = edited_snapshot(root / "site", {})
    add_recording(site, "peace_example", blog)
    add_recording(site, "peace_example_deaths", data)
    # The registry as a deployment keeps it, cut to the two sources the new ones copy (so
    # each lands beside its original without a clash), plus the two new entries.
    kept = [e for e in yaml.safe_load(REGISTRY_PATH.read_text()) if e["name"] in ORIGINALS]
    registry = root / "sources.yml"
    registry.write_text(yaml.safe_dump(kept, sort_keys=False) + ENTRIES, encoding="utf-8")
    env = airflow_env(root) | {"CIVICPULSE_REGISTRY": str(registry), "CIVICPULSE_REPLAY": str(site)}

    logs = "".join(
        airflow(env, "dags", "test", dag, DAY)
        for dag in ("scrape_news", "scrape_indices", "build_warehouse")
    )

    items = len(re.findall(rb"<item>", blog["https://news.peace-example.org/feed/"].body))
    assert "peace_example: validated with the default suite default__articles" in logs
    fetched = items + 2  # robots.txt, the feed, every item's page
    assert f"peace_example: published: fetched {fetched}, new {items}, " in logs
    articles = query(
        env,
        "select count(*), count(distinct url), min(url) from marts.fct_articles "
        "where source_id = 'peace_example'",
    )
    assert articles[0][:2] == (items, items) and items >= 10
    assert str(articles[0][2]).startswith("https://news.peace-example.org/")

    assert "peace_example_deaths: validated with the default suite" in logs
    deaths = query(
        env,
        "select count(*), min(vintage), max(vintage) from marts.fct_indicator_value_history "
        "where source_id = 'peace_example_deaths' and indicator_id = 'ucdp_battle_deaths'",
    )
    same_release = query(
        env,
        "select count(*) from marts.fct_indicator_value_history where source_id = 'ucdp_brd'",
    )
    assert deaths[0] == (same_release[0][0], "2026-06-01", "2026-06-01")
    assert not (Path(env["CIVICPULSE_DATA"]) / "quarantine").exists()
