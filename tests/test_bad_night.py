"""One bad night, as the nightly tasks see it: USIP changed its listing's layout and
PartnersGlobal serves a soft 404 for a known post. USIP's task fails with the reason and
lands nothing; the soft 404 is refused and the rest of PartnersGlobal publishes; the index
lands as usual; the warehouse keeps every article it had; `civicpulse sources` shows the
alarm and the state of every source."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from civicpulse.landing import partitions
from civicpulse.registry import load_sources
from civicpulse.settings import Settings
from civicpulse.tasks import land_or_fail
from civicpulse.transform import build_warehouse
from tests.nightly import query
from tests.snapshots import REST_POSTS, edited_snapshot, mark_modified
from tests.test_guard import soft_404_page
from tests.test_incremental import TASHKENT

SOURCES = ("partnersglobal", "usip", "ti_cpi")
USIP_LISTINGS = (
    "https://www.usip.org/publications",
    "https://www.usip.org/publications?page=0",
    "https://www.usip.org/publications?page=1",
)


def new_layout(listing: bytes) -> bytes:
    """The redesign: listing items are no longer `article.summary`."""
    return listing.replace(b'class="summary', b'class="teaser')


def test_a_changed_layout_and_a_soft_404_cost_only_themselves(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from airflow.sdk.exceptions import AirflowFailException

    for source in SOURCES:
        land_or_fail(source, "2026-11-20")
    build_warehouse(settings)
    env = {"CIVICPULSE_DATA": str(settings.data_root)}
    before = dict(query(env, "select url, body from marts.fct_articles"))

    edits = {REST_POSTS: mark_modified(TASHKENT), TASHKENT: lambda page: soft_404_page()}
    edits.update({url: new_layout for url in USIP_LISTINGS})
    monkeypatch.setenv("CIVICPULSE_REPLAY", str(edited_snapshot(tmp_path / "site", edits)))
    with pytest.raises(AirflowFailException, match=r"listing selector 'article.summary' matched"):
        land_or_fail("usip", "2026-11-21")
    partners = land_or_fail("partnersglobal", "2026-11-21")
    land_or_fail("ti_cpi", "2026-11-21")
    build_warehouse(settings)

    assert partners.status == "published" and partners.refused == 1
    (refusal,) = [f for f in partners.failures if f["kind"] == "refused"]
    assert refusal["item"] == TASHKENT and refusal["reason"].startswith("soft 404")
    assert [p.stem for p in partitions(settings.raw_root / "usip" / "articles")] == ["2026-11-20"]
    assert dict(query(env, "select url, body from marts.fct_articles")) == before  # all kept

    cli = Path(sys.executable).with_name("civicpulse")
    shown = subprocess.run(
        [cli, "sources"], env={**os.environ, **env}, capture_output=True, text=True, check=True
    ).stdout
    rows = {line.split()[0]: line for line in shown.splitlines()[2:] if line.strip()}
    assert "latest run failed: ExtractionError" in rows["usip"]
    assert {s.name for s in load_sources()} <= set(rows)  # every source, with its state
    assert rows["partnersglobal"].split()[3] == "fresh" and rows["acled"].split()[3] == "never"
