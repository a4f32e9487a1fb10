"""What the DAGs' tasks call: Airflow's view of a landing (which failures are worth a retry)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from civicpulse.runs import RunSummary

if TYPE_CHECKING:
    from civicpulse.registry import Source


def land_or_fail(source: Source | str, ds: str) -> RunSummary:
    """Land one source for day `ds`. A quarantined batch, a site whose markup no longer
    matches its registry entry, or a broken registry entry or suite file fails the task
    without retries: a retry would fail the same way. So does a release file (the `download`
    adapter's) that could not be fetched or read, once the source's other releases are
    published: the index is incomplete, and that must not look like a success. Anything
    else (a site down for the night) is left to Airflow's retries."""
    from airflow.sdk.exceptions import AirflowFailException

    from civicpulse.extract import ExtractionError
    from civicpulse.landing import BatchQuarantined, land_source
    from civicpulse.quality import SuiteError
    from civicpulse.registry import RegistryError, get_source

    try:
        entry = get_source(source) if isinstance(source, str) else source
        summary = land_source(entry, ds)
    except (BatchQuarantined, ExtractionError, SuiteError, RegistryError) as error:
        raise AirflowFailException(str(error)) from error
    failed = [f for f in summary.failures if f["kind"] == "failed"]
    if entry.adapter == "download" and failed:
        files = "; ".join(f"{f['item']}: {f['reason']}" for f in failed)
        raise AirflowFailException(
            f"{summary.source}: {len(failed)} release file(s) failed, the rest is published "
            f"({summary.partition}): {files}"
        )
    return summary
