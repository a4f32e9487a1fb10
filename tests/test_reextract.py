"""Re-extraction rebuilds landed articles from the WARC archive alone."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pyarrow.parquet as pq

from civicpulse.landing import land_source, to_table
from civicpulse.reextract import reextract_source
from civicpulse.settings import Settings
from tests.conftest import FIXTURES
from tests.seeds import seed_posts
from tests.snapshots import recorded


def test_reextract_repairs_every_landed_article_from_the_archive(settings: Settings) -> None:
    first = land_source("partnersglobal", "2026-11-20", settings)
    partition = Path(str(first.partition))
    landed = pq.read_table(partition).to_pylist()
    # What an older, buggy extractor might have landed: bodies cut to their first paragraph.
    damaged = sum("\n\n" in row["body"] for row in landed)  # one-paragraph posts stay whole
    for row in landed:
        row["body"] = row["body"].split("\n\n")[0]
    pq.write_table(to_table(landed, "articles", "2026-11-20"), partition)

    offline = replace(settings, replay_dir=None)  # a fetch now would fail: there is no network
    (summary,) = reextract_source("partnersglobal", offline)

    assert (summary.status, summary.updated, summary.failed) == ("published", damaged, 0)
    rebuilt = {r["url"]: r for r in pq.read_table(partition).to_pylist()}
    bodies = {r["body"] for r in rebuilt.values()}
    assert all("\n\n".join(post.paragraphs) in bodies for post in seed_posts())
    before = {r["url"]: r for r in landed}
    for url, row in rebuilt.items():  # provenance still points at the original fetch
        assert row["warc_record_id"] == before[url]["warc_record_id"]
        assert row["fetched_at"] == before[url]["fetched_at"]


def test_extract_command_prints_one_article_as_json(tmp_path: Path) -> None:
    page = tmp_path / "post.html"
    chile = (
        "https://www.partnersglobal.org/newsroom/protests-in-chile-what-they-mean-for-democracy/"
    )
    page.write_bytes(recorded(chile).body)
    cli = Path(sys.executable).with_name("civicpulse")
    out = subprocess.run(
        [str(cli), "extract", "--source", "partnersglobal", str(page)],
        capture_output=True,
        text=True,
        check=True,
        env={"CIVICPULSE_REPLAY": str(FIXTURES), "PATH": ""},
    )
    article = json.loads(out.stdout)
    assert article["url"] == chile  # from the page's canonical link, not the file's path
    assert article["authors"] == ["Mishellt Melgarejo"]
    assert "Sebastián Piñera" in article["body"]
    # and the enrichment the warehouse would hold: Chile, with Colombia only mentioned
    countries = {c["iso3"]: c for c in article["enrichment"]["countries"]}
    assert countries["CHL"]["is_primary"] and not countries["COL"]["is_about"]
    assert article["enrichment"]["enricher_version"].startswith("enrich-")
