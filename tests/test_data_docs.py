"""GX Data Docs from the kept validations of real landings: every suite and every kept result
has its page, linked from the index in its HTML (no CDN script needed), a failed validation
reads as failed, a rebuild replaces the site whole, and a broken record is skipped by name."""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from bs4 import BeautifulSoup

from civicpulse.data_docs import build_data_docs
from civicpulse.landing import land_source, publish, to_table
from civicpulse.quality import EXPECTATIONS_DIR
from civicpulse.registry import get_source
from civicpulse.runs import RunSummary
from civicpulse.settings import Settings, load_settings
from tests.conftest import FIXTURES

SOURCE = get_source("worldbank_wdi")
DAY, NEXT = "2026-11-20", "2026-11-21"


@pytest.fixture(scope="module")
def kept(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The `quality/` folder of two landings of the recorded World Bank file: as recorded
    (every expectation passes), and the next day with one record's year out of range (a row
    check fails, the rest publishes)."""
    data = tmp_path_factory.mktemp("kept") / "data"
    env = {
        "CIVICPULSE_DATA": str(data),
        "CIVICPULSE_REPLAY": str(FIXTURES),
        "CIVICPULSE_MAX_RETRIES": "0",
    }
    with pytest.MonkeyPatch.context() as monkeypatch:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        settings = load_settings()
        landed = land_source(SOURCE.name, DAY, settings)
        rows = pq.read_table(str(landed.partition)).to_pylist()
        rows[0]["year"] = 1850
        summary = RunSummary(SOURCE.name, SOURCE.entity, NEXT)
        publish(to_table(rows, SOURCE.entity, NEXT), SOURCE, NEXT, settings, summary, "s")
        yield settings.data_root / "quality"


def keep(settings: Settings, kept: Path) -> dict[str, dict[str, Any]]:
    """Copy the kept validations into this test's data folder; each by its day."""
    shutil.copytree(kept, settings.data_root / "quality")
    paths = sorted((settings.data_root / "quality").glob("*/*/*.json"))
    documents = [json.loads(path.read_text(encoding="utf-8")) for path in paths]
    return {document["ds"]: document for document in documents}


def result_page(index: Path, document: dict[str, Any]) -> Path:
    """Where GX writes a result's page: validations/<suite>/<run name>/<run time>/<batch>."""
    run_time = datetime.fromisoformat(document["validated_at"]).astimezone(UTC)
    batch = f"{document['source']}__{document['entity']}__{document['ds']}"
    return (
        index.parent
        / "validations"
        / document["suite"]
        / document["ds"]
        / run_time.strftime("%Y%m%dT%H%M%S.%fZ")
        / f"{batch}.html"
    )


def text(page: Path) -> str:
    """What a reader sees without scripts: the page's text, one space between words."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    for script in soup("script"):
        script.decompose()
    return " ".join(soup.get_text(" ").split())


def links(page: Path) -> set[str]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return {str(a["href"]) for a in soup("a", href=True)}


def test_every_suite_and_every_kept_validation_has_a_page_linked_from_the_index(
    settings: Settings, kept: Path
) -> None:
    documents = keep(settings, kept)

    index = build_data_docs(settings)

    assert index == settings.reports_root / "data_docs" / "index.html"
    linked = links(index)
    for suite in sorted(p.stem for p in EXPECTATIONS_DIR.glob("*.json")):
        assert (index.parent / "expectations" / f"{suite}.html").is_file(), suite
        assert f"expectations/{suite}.html" in linked, suite
    for document in documents.values():
        page = result_page(index, document)
        assert page.is_file(), page
        assert page.relative_to(index.parent).as_posix() in linked, page
        assert f"Data asset: {SOURCE.name}/{SOURCE.entity}" in text(page)


def test_a_failed_validation_reads_as_failed_with_its_unexpected_value(
    settings: Settings, kept: Path
) -> None:
    documents = keep(settings, kept)

    index = build_data_docs(settings)

    passed, failed = (
        text(result_page(index, documents[DAY])),
        text(result_page(index, documents[NEXT])),
    )
    assert "Status: Succeeded" in passed
    assert "Status: Failed" in failed
    assert "Unsuccessful Expectations 1 " in failed
    assert "values must be greater than or equal to 1900.0" in failed
    assert "Unexpected Value Count Index 1850 1 0" in failed  # the record the test broke
    assert f"outcome {documents[NEXT]['outcome']}" in failed  # published, less that record
    status = {
        row.find("td").get_text(strip=True): row.find("a")["href"]
        for row in BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser")("tr")
        if row.find("td") and row.find("a") and "validations/" in row.find("a")["href"]
    }
    assert sorted(status) == ["Failed", "Success"]
    assert status["Failed"].endswith(f"__{NEXT}.html")


def test_a_rebuild_replaces_the_site_whole(settings: Settings, kept: Path) -> None:
    documents = keep(settings, kept)
    first = build_data_docs(settings)
    gone = result_page(first, documents[NEXT])
    assert gone.is_file()
    (settings.data_root / "quality" / SOURCE.name / SOURCE.entity / f"{NEXT}.json").unlink()

    index = build_data_docs(settings)

    assert index == first
    assert not gone.exists()
    assert not gone.parent.parent.exists()  # no empty run folder either
    assert result_page(index, documents[DAY]).is_file()
    assert not any(NEXT in href for href in links(index))
    assert [p.name for p in settings.reports_root.iterdir()] == ["data_docs"]  # nothing aside


def test_a_broken_record_is_skipped_and_named_and_the_rest_is_rendered(
    settings: Settings, kept: Path, caplog: pytest.LogCaptureFixture
) -> None:
    documents = keep(settings, kept)
    quality = settings.data_root / "quality" / SOURCE.name / SOURCE.entity
    not_json = quality / "2026-11-22.json"
    not_json.write_bytes(b'{"source": "worldbank_wdi", "gx_re\xff')
    not_gx = quality / "2026-11-23.json"
    not_gx.write_text(
        json.dumps({**documents[DAY], "ds": "2026-11-23", "gx_result": {"results": "none"}}),
        encoding="utf-8",
    )

    with caplog.at_level(logging.ERROR):
        index = build_data_docs(settings)

    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 2, errors
    assert any(str(not_json) in message for message in errors), errors
    assert any(str(not_gx) in message and "results" in message for message in errors), errors
    assert all(result_page(index, document).is_file() for document in documents.values())
    assert not any(day in href for day in ("2026-11-22", "2026-11-23") for href in links(index))
