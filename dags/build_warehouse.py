"""Build the DuckDB warehouse with dbt once a night, when both landing DAGs have announced
their raw data, and only if something changed since the last build (a run started by hand
always builds). The build: first the articles' enrichment (countries, topics, organisations,
programme figures), then `dbt build` into a copy swapped in when every model and test passed
(with its dbt docs), then every mart exported as Parquet and the static report site rendered
from the new warehouse. GX's Data Docs are rendered from the kept validations whether or not
the build passed: a bad night's quality report matters most when the warehouse kept
yesterday's data.

dbt is the only writer of the warehouse, and DuckDB allows one writer, so runs never overlap.
"""

from typing import Any

import pendulum
from airflow.sdk import dag, task, teardown

from civicpulse.assets import RAW_INDICES, RAW_NEWS, WAREHOUSE
from civicpulse.task_defaults import DEFAULT_ARGS


@dag(
    schedule=RAW_NEWS & RAW_INDICES,  # one event per landing DAG run
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["civicpulse", "dbt", "warehouse"],
    doc_md=__doc__,
)
def build_warehouse() -> None:
    @task
    def check_for_changes(*, triggering_asset_events: Any = None) -> str:
        from airflow.sdk.exceptions import AirflowSkipException

        from civicpulse.changes import why_build

        reason = why_build(triggered=bool(triggering_asset_events))
        if reason is None:  # skips the build; the reports below still run
            raise AirflowSkipException("nothing changed since the last build")
        return reason

    @task
    def enrich_articles() -> None:
        from civicpulse.enrichment import enrich_landed_articles

        enrich_landed_articles()  # only articles whose content or enricher changed

    @task(outlets=[WAREHOUSE])
    def dbt_build() -> None:
        from civicpulse.transform import build_warehouse

        build_warehouse(enrich=False, docs=True, freshness=True)

    @task
    def export_marts() -> None:
        from civicpulse.exports import export_marts

        export_marts()  # every mart as Parquet in exports/, with a manifest

    @task
    def render_site() -> None:
        from civicpulse.site import render_site

        render_site()  # the static report site, in reports/site/

    @teardown  # runs whatever happened, without hiding a failed build from the run's state
    def render_data_docs() -> None:
        from civicpulse.data_docs import build_data_docs

        build_data_docs()  # every kept validation as GX Data Docs, in reports/data_docs/

    @teardown
    def report() -> None:
        from civicpulse.cli import report

        print(report())

    changes = check_for_changes()
    built = changes >> enrich_articles() >> dbt_build() >> export_marts() >> render_site()
    built >> render_data_docs() >> report()


build_warehouse()
