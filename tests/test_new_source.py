"""A new source is one registry entry: a site never seen before, added with only its entry
and a recording of its responses, reaches `marts.fct_articles` after the nightly DAGs."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from civicpulse.archive import read_responses, warc_files
from civicpulse.registry import REGISTRY_PATH
from tests.conftest import FIXTURES
from tests.nightly import DAY, airflow, airflow_env, query
from tests.snapshots import edited_snapshot

pytestmark = pytest.mark.e2e

# A WordPress site the registry has never known: PartnersGlobal's recorded responses, served
# from another host (a new site to the crawler: its own robots.txt, politeness and archive).
OLD, NEW = b"www.partnersglobal.org", b"news.peace-example.org"
ENTRY = """
- name: peace_example
  adapter: feed
  url: https://news.peace-example.org/feed/
  entity: articles
  owner: "@someone"
  license: CC BY 4.0
  description: A programme-news blog added by a new user with this entry only.
"""


def test_a_feed_source_added_with_one_entry_reaches_the_marts(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    root = tmp_path_factory.mktemp("new_source")
    rehosted = {
        r.url.replace(OLD.decode(), NEW.decode()): replace(
            r, url=r.url.replace(OLD.decode(), NEW.decode()), body=r.body.replace(OLD, NEW)
        )
        for path in warc_files(FIXTURES / "partnersglobal")
        for r in read_responses(path)
    }
    registry = root / "sources.yml"
    registry.write_text(REGISTRY_PATH.read_text(encoding="utf-8") + ENTRY, encoding="utf-8")
    env = airflow_env(root) | {
        "CIVICPULSE_REGISTRY": str(registry),
        "CIVICPULSE_REPLAY": str(edited_snapshot(root / "site", {}, rehosted, "peace_example")),
    }

    logs = airflow(env, "dags", "test", "scrape_news", DAY)
    logs += airflow(env, "dags", "test", "build_warehouse", DAY)

    feed = rehosted["https://news.peace-example.org/feed/"].body
    items = len(re.findall(rb"<item>", feed))
    assert "peace_example: validated with the default suite default__articles" in logs
    fetched = items + 2  # robots.txt, the feed, every item's page
    assert f"peace_example: published: fetched {fetched}, new {items}, " in logs
    landed = query(
        env,
        "select count(*), count(distinct url), min(url) from marts.fct_articles "
        "where source_id = 'peace_example'",
    )
    assert landed[0][:2] == (items, items) and items >= 10
    assert str(landed[0][2]).startswith("https://news.peace-example.org/")
    assert not (Path(env["CIVICPULSE_DATA"]) / "quarantine").exists()
