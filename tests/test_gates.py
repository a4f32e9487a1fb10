"""Row-level versus batch-level gates: a bad record is set aside with its reason and the rest
of the batch publishes; the whole batch is quarantined only when the suite says the batch is
wrong (a batch-policy expectation, most records failing, a row-count collapse)."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from civicpulse.landing import BatchQuarantined, land_source, publish, to_table
from civicpulse.registry import get_source
from civicpulse.runs import RunSummary
from civicpulse.settings import Settings
from tests.snapshots import REST_POSTS, add_post, edited_snapshot, recorded

SOURCE = get_source("partnersglobal")
DAY, NEXT = "2026-11-20", "2026-11-21"
CHILE = "https://www.partnersglobal.org/newsroom/protests-in-chile-what-they-mean-for-democracy/"
NEW = "https://www.partnersglobal.org/newsroom/protests-in-chile-one-year-on/"
POSTS = [post["link"] for post in json.loads(recorded(REST_POSTS).body)]


def gut(page: bytes) -> bytes:
    """The post's body renders as one short line: the selector still "works"."""
    body = re.compile(rb'(<div class="entry-content"[^>]*>).*?(<div class="sharedaddy)', re.DOTALL)
    gutted, found = body.subn(rb"\1<p>Read more.</p>\2", page)
    assert found == 1
    return gutted


def urls(path: Path) -> list[str]:
    return sorted(pq.read_table(path, columns=["url"])["url"].to_pylist())


def quarantined(settings: Settings) -> list[Path]:
    return sorted((settings.quarantine_root / SOURCE.name / SOURCE.entity).iterdir())


def test_one_bad_record_is_set_aside_with_its_reason_and_the_rest_publishes(
    settings: Settings, tmp_path: Path
) -> None:
    first = land_source(SOURCE.name, DAY, settings)
    chile = recorded(CHILE)
    new = replace(chile, url=NEW, body=gut(chile.body).replace(CHILE.encode(), NEW.encode()))
    edits = {REST_POSTS: add_post(NEW, "Protests in Chile, one year on")}
    snapshot = edited_snapshot(tmp_path / "site", edits, {NEW: new})

    second = land_source(SOURCE.name, NEXT, replace(settings, replay_dir=snapshot))

    assert (second.status, second.records, second.quarantined) == ("published", 16, 1)
    assert (second.new, second.updated) == (0, 0)  # the one new post was set aside
    assert urls(Path(str(second.partition))) == urls(Path(str(first.partition)))
    [aside] = [f for f in second.failures if f["kind"] == "quarantined"]
    assert aside["item"] == NEW
    assert aside["reason"].startswith("`expect_column_value_lengths_to_be_between` ")
    assert "the body selector stopped matching" in aside["reason"]

    [folder] = quarantined(settings)  # the records aside; no batch was quarantined
    assert folder.name.startswith(f"{NEXT}_") and folder.name.endswith("_rows")
    assert str(folder / "report.md") == second.report
    records = pq.read_table(folder / "records.parquet").to_pylist()
    assert [(r["url"], r["body"]) for r in records] == [(NEW, "Read more.")]
    report = (folder / "report.md").read_text(encoding="utf-8")
    assert "1 of 16 records failed a row check" in report and f"## {NEW}\n" in report
    check = '`expect_column_value_lengths_to_be_between` {"column": "body", "min_value": 100}'
    assert f"- {check} (policy: row)" in report


def test_a_known_article_whose_new_version_fails_a_row_check_keeps_its_published_version(
    settings: Settings,
) -> None:
    landed = land_source(SOURCE.name, DAY, settings)
    rows = pq.read_table(str(landed.partition)).to_pylist()
    before = {row["url"]: dict(row) for row in rows}
    rows[0]["title"], rows[0]["body"] = None, rows[0]["body"] + " Updated."
    summary = RunSummary(SOURCE.name, SOURCE.entity, NEXT)

    publish(to_table(rows, SOURCE.entity, NEXT), SOURCE, NEXT, settings, summary, "stamp")

    assert (summary.status, summary.quarantined, summary.new, summary.updated) == (
        "published", 1, 0, 0,
    )  # fmt: skip
    published = {r["url"]: r for r in pq.read_table(str(summary.partition)).to_pylist()}
    assert sorted(published) == sorted(before)  # no article lost for a night
    assert published[rows[0]["url"]] == {**before[rows[0]["url"]], "ds": NEXT}
    aside = pq.read_table(Path(str(summary.report)).with_name("records.parquet")).to_pylist()
    assert [(r["url"], r["title"]) for r in aside] == [(rows[0]["url"], None)]


def test_indicator_records_are_named_by_their_key_and_both_duplicates_are_set_aside(
    settings: Settings,
) -> None:
    """Values: a year out of range, and a key landed twice (neither copy can be told right)."""
    source = get_source("worldbank_wdi")
    landed = land_source(source.name, DAY, settings)
    rows = pq.read_table(str(landed.partition)).to_pylist()
    rows[0]["year"] = 1850
    rows[2]["year"] = rows[1]["year"]
    summary = RunSummary(source.name, source.entity, NEXT)

    publish(to_table(rows, source.entity, NEXT), source, NEXT, settings, summary, "stamp")

    assert (summary.status, summary.quarantined) == ("published", 3)
    published = pq.read_table(str(summary.partition)).to_pylist()
    assert len(published) == len(rows) - 2  # the duplicated key keeps its published value
    before = pq.read_table(str(landed.partition)).to_pylist()
    assert [r for r in published if r["year"] == rows[1]["year"]] == [{**before[1], "ds": NEXT}]
    key = "indicator_id={indicator_id}, country_scheme={country_scheme}, country={country}, "
    key += "year={year}, vintage={vintage}"
    reasons = {f["item"]: f["reason"] for f in summary.failures}
    assert set(reasons) == {key.format(**r) for r in rows[:3]}
    assert reasons[key.format(**rows[0])].startswith("`expect_column_values_to_be_between` ")
    assert reasons[key.format(**rows[1])].startswith("`expect_compound_columns_to_be_unique` ")
    report = Path(str(summary.report)).read_text(encoding="utf-8")
    assert f"## {key.format(**rows[0])}\n" in report


@pytest.mark.parametrize(("gutted", "published"), [(7, True), (8, False)])
def test_a_batch_where_most_records_fail_is_quarantined_whole(
    settings: Settings, tmp_path: Path, gutted: int, published: bool
) -> None:
    """Of 15 new posts, 7 bad ones are set aside; 8 (more than half) mean the site changed."""
    snapshot = edited_snapshot(tmp_path / "site", dict.fromkeys(POSTS[:gutted], gut))
    bad = replace(settings, replay_dir=snapshot)

    if published:
        summary = land_source(SOURCE.name, DAY, bad)
        assert (summary.status, summary.quarantined) == ("published", gutted)
        assert urls(Path(str(summary.partition))) == sorted(POSTS[gutted:])
        return
    with pytest.raises(BatchQuarantined, match="most records failed: 8 of 15 failed a row check"):
        land_source(SOURCE.name, DAY, bad)

    saved = settings.runs_root / SOURCE.name / f"{DAY}.json"
    summary = RunSummary(**json.loads(saved.read_text(encoding="utf-8")))
    assert (summary.status, summary.quarantined) == ("quarantined", 15)
    [folder] = quarantined(settings)
    assert urls(folder / "batch.parquet") == sorted(POSTS)  # the whole batch, nothing lost
    report = (folder / "report.md").read_text(encoding="utf-8")
    assert "Quarantined because:\n- most records failed: 8 of 15 failed a row check\n" in report
    assert not (settings.raw_root / SOURCE.name / SOURCE.entity / f"{DAY}.parquet").exists()


def test_a_row_count_collapse_against_the_trailing_median_quarantines_the_batch(
    settings: Settings, tmp_path: Path
) -> None:
    """The API lists 5 of its 15 posts: with 2 earlier partitions that is too little history to
    judge, and it publishes; with 3 (15, 15, 5: median 15) it is a collapse."""
    cut = edited_snapshot(
        tmp_path / "site", {REST_POSTS: lambda body: json.dumps(json.loads(body)[:5]).encode()}
    )
    for day in ("2026-11-17", "2026-11-18"):
        assert land_source(SOURCE.name, day, settings).records == 15
    third = land_source(SOURCE.name, "2026-11-19", replace(settings, replay_dir=cut))
    assert (third.status, third.records) == ("published", 5)
    folder = settings.raw_root / SOURCE.name / SOURCE.entity
    before = {p.name: p.read_bytes() for p in folder.iterdir()}

    with pytest.raises(BatchQuarantined) as raised:
        land_source(SOURCE.name, DAY, replace(settings, replay_dir=cut))

    rule = "row count 5 is under half the trailing median 15 (of the source's last 3 partitions)"
    assert rule in str(raised.value)
    [batch] = quarantined(settings)
    assert f"Quarantined because:\n- {rule}\n" in (batch / "report.md").read_text(encoding="utf-8")
    assert pq.read_metadata(batch / "batch.parquet").num_rows == 5
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # nothing published


def test_a_batch_policy_failure_quarantines_the_whole_batch(
    settings: Settings, tmp_path: Path
) -> None:
    """Three of fifteen pages lost the body's markup: each record is fine (the generic
    extractor finds the text) but a share that large means the selector stopped matching,
    which the suite's `body_source` expectation judges for the batch."""

    def restyled(page: bytes) -> bytes:
        return page.replace(b'<div class="entry-content">', b'<div class="post-text">')

    snapshot = edited_snapshot(tmp_path / "site", dict.fromkeys(POSTS[:3], restyled))

    with pytest.raises(BatchQuarantined) as raised:
        land_source(SOURCE.name, DAY, replace(settings, replay_dir=snapshot))

    rule = (
        '`expect_column_values_to_be_in_set` {"column": "body_source", "mostly": 0.9, '
        '"value_set": ["selectors"]} failed (policy: batch)'
    )
    assert f"records: {rule}; quarantined" in str(raised.value)  # the only rule that fired
    [batch] = quarantined(settings)
    report = (batch / "report.md").read_text(encoding="utf-8")
    assert f"Quarantined because:\n- {rule}\n\n" in report
    assert urls(batch / "batch.parquet") == sorted(POSTS)
    assert not (settings.raw_root / SOURCE.name / SOURCE.entity / f"{DAY}.parquet").exists()
