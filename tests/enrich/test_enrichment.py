"""Enrichment is incremental and versioned: a normal night enriches only changed content, a
new enricher version re-enriches everything from what landed (no re-crawl)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from civicpulse.countries import SEEDS
from civicpulse.enrich.article import LOOKUPS, enricher_version
from civicpulse.enrichment import enrich_landed_articles, enrichment_path
from civicpulse.landing import land_source, partitions
from civicpulse.settings import Settings


def _land(settings: Settings) -> None:
    for source in ("ndi", "endvawnow"):
        land_source(source, "2026-11-20", settings)


def test_only_changed_content_is_enriched_again(settings: Settings) -> None:
    _land(settings)
    first = enrich_landed_articles(settings)
    assert first == {"articles": 2, "carried_over": 0, "enriched": 2, "dropped": 0}
    assert enrich_landed_articles(settings)["carried_over"] == 2  # a quiet night

    # The NDI publication is edited: its next landing carries a new content hash.
    (latest,) = partitions(settings.raw_root / "ndi" / "articles")[-1:]
    table = pq.read_table(latest)
    edited = table.set_column(
        table.schema.get_field_index("content_hash"), "content_hash", pa.array(["edited"])
    )
    pq.write_table(edited, latest.with_name("2026-11-21.parquet"))

    again = enrich_landed_articles(settings)
    assert again == {"articles": 2, "carried_over": 1, "enriched": 1, "dropped": 1}
    rows = pq.read_table(enrichment_path(settings)).to_pylist()
    assert {r["enricher_version"] for r in rows} == {enricher_version()}


def test_a_new_enricher_version_re_enriches_everything(settings: Settings) -> None:
    _land(settings)
    enrich_landed_articles(settings)
    path = enrichment_path(settings)
    table = pq.read_table(path)
    older = table.set_column(
        table.schema.get_field_index("enricher_version"),
        "enricher_version",
        pa.array(["enrich-000000000000"] * table.num_rows),
    )
    pq.write_table(older, path)  # as a build with yesterday's code or lookups left it

    assert enrich_landed_articles(settings)["enriched"] == 2
    assert {r["enricher_version"] for r in pq.read_table(path).to_pylist()} == {enricher_version()}


def test_the_version_names_the_lookups(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name in LOOKUPS:
        shutil.copy(SEEDS / name, seeds / name)
    before = enricher_version(seeds)
    with (seeds / "topic_terms.csv").open("a", encoding="utf-8") as handle:
        handle.write("gender,en,femicide,3,\n")
    enricher_version.cache_clear()
    assert enricher_version(seeds) != before
    assert enricher_version(SEEDS) == enricher_version()
