"""The tasks' view of a landing: what fails a task, and what is left to retries."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from civicpulse.landing import partitions
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
