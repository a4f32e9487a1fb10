"""What the DAGs' tasks call: Airflow's view of a landing (which failures are worth a retry)."""

from __future__ import annotations

from civicpulse.runs import RunSummary


def land_or_fail(source_name: str, ds: str) -> RunSummary:
    """Land one source for day `ds`. A quarantined batch, or a site whose markup no longer
    matches its registry entry, fails the task without retries: a retry would fail the same
    way. Anything else (a site down for the night) is left to Airflow's retries."""
    from airflow.sdk.exceptions import AirflowFailException

    from civicpulse.extract import ExtractionError
    from civicpulse.landing import BatchQuarantined, land_source

    try:
        return land_source(source_name, ds)
    except (BatchQuarantined, ExtractionError) as error:
        raise AirflowFailException(str(error)) from error
