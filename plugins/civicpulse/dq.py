"""Every validation's outcome, kept: one JSON file per source, entity and run day in the
data folder's `quality/` (a re-run of a day replaces it), gathered before each build into
`derived/dq_results.parquet` for `marts.dq_results`, and read by `data_docs` for GX's own
Data Docs. Analysts query data quality over time; nothing needs GX to read it."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from civicpulse.files import replaced_atomically
from civicpulse.quality import ValidationReport
from civicpulse.settings import Settings

log = logging.getLogger(__name__)


def quality_root(settings: Settings) -> Path:
    return settings.data_root / "quality"


def save_validation(
    settings: Settings, source: str, entity: str, ds: str, report: ValidationReport, outcome: str
) -> Path:
    """Keep `report` as `quality/<source>/<entity>/<ds>.json`; `outcome` says what became of
    the batch (published, quarantined)."""
    path = quality_root(settings) / source / entity / f"{ds}.json"
    document = {
        "source": source,
        "entity": entity,
        "ds": ds,
        "suite": report.suite,
        "validated_at": datetime.now(UTC).isoformat(),
        "outcome": outcome,
        "records": report.records,
        "expectations": report.outcomes,
        "gx_result": report.gx_result,
    }
    with replaced_atomically(path) as staged:
        staged.write_text(json.dumps(document, default=str), encoding="utf-8")
    return path


def stored_validations(settings: Settings) -> list[tuple[Path, dict[str, Any]]]:
    """Every kept validation, oldest day first; an unreadable file is skipped, named."""
    documents = []
    for path in sorted(quality_root(settings).glob("*/*/*.json")):
        try:
            documents.append((path, json.loads(path.read_text(encoding="utf-8"))))
        except (OSError, ValueError) as error:
            log.error("%s: unreadable validation record, skipped: %s", path, error)
    return documents


def write_results_table(settings: Settings) -> Path:
    """Every expectation of every kept validation as `derived/dq_results.parquet`."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [
        {
            "source_id": document["source"],
            "table_name": document["entity"],
            "ds": document["ds"],
            "suite": document["suite"],
            "validated_at": document["validated_at"],
            "batch_outcome": document["outcome"],
            "records": document["records"],
            **expectation,
        }
        for _, document in stored_validations(settings)
        for expectation in document["expectations"]
    ]
    schema = pa.schema(
        [
            ("source_id", pa.string()),
            ("table_name", pa.string()),
            ("ds", pa.string()),
            ("suite", pa.string()),
            ("validated_at", pa.string()),
            ("batch_outcome", pa.string()),
            ("records", pa.int64()),
            ("expectation", pa.string()),
            ("column_name", pa.string()),
            ("kwargs", pa.string()),
            ("policy", pa.string()),
            ("success", pa.bool_()),
            ("observed_value", pa.string()),
            ("unexpected_count", pa.int64()),
            ("unexpected_percent", pa.float64()),
        ]
    )
    path = settings.derived_root / "dq_results.parquet"
    with replaced_atomically(path) as staged:
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), staged)
    return path
