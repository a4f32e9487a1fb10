"""The tasks' view of a landing: what fails a task, and what is left to retries."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from civicpulse.landing import partitions
from civicpulse.quality import EXPECTATIONS_DIR
from civicpulse.registry import get_source
from civicpulse.settings import Settings
from civicpulse.tasks import land_or_fail


def test_a_failed_release_file_fails_the_task_once_the_rest_is_published(
    settings: Settings,
) -> None:
    from airflow.sdk.exceptions import AirflowFailException

    cpi = get_source("ti_cpi")
    missing = "https://images.transparencycdn.org/images/CPI2099_GlobalResults.xlsx"
    files = [*cpi.options["files"], {"url": missing, "vintage": "2100-01-31"}]
    entry = cpi.model_copy(update={"options": {**cpi.options, "files": files}})

    with pytest.raises(AirflowFailException, match=r"ti_cpi: 1 release file\(s\) failed") as error:
        land_or_fail(entry, "2026-11-20")

    assert missing in str(error.value)
    (published,) = partitions(settings.raw_root / "ti_cpi" / "indicator_values")
    assert pq.read_metadata(published).num_rows > 3000  # every other release landed


def test_a_suite_that_is_not_json_fails_the_task_without_retries_and_leaves_nothing(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A deployment's suite folder with a hand-edited suite that no longer parses: the task
    fails at once (a retry reads the same file), naming the file and where it breaks, and
    the raw folder holds neither a partition nor a staging file."""
    from airflow.sdk.exceptions import AirflowFailException

    suites = tmp_path / "expectations"
    shutil.copytree(EXPECTATIONS_DIR, suites)
    broken = suites / "worldbank_wdi__indicator_values.json"
    broken.write_text(broken.read_text(encoding="utf-8").replace('"name"', "name", 1))
    monkeypatch.setenv("CIVICPULSE_EXPECTATIONS", str(suites))

    with pytest.raises(AirflowFailException) as raised:
        land_or_fail("worldbank_wdi", "2026-11-20")

    assert str(raised.value).startswith(f"{broken}: line ")
    assert "not valid JSON" in str(raised.value)
    raw = settings.raw_root / "worldbank_wdi"
    assert not raw.exists() or [p for p in raw.rglob("*") if p.is_file()] == []
