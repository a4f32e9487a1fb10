"""Build the DuckDB warehouse with dbt whenever new raw partitions are published: first the
articles' enrichment (countries, topics, organisations, programme figures), then `dbt build`
into a copy swapped in when every model and test passed (with its dbt docs), then every mart
exported as Parquet and the static report site rendered from the new warehouse. GX's Data
Docs are rendered from the kept validations whether or not the build passed: a bad night's
quality report matters most when the warehouse kept yesterday's data.

dbt is the only writer of the warehouse, and DuckDB allows one writer, so runs never overlap.
"""

import pendulum
from airflow.sdk import dag, task, teardown

from civicpulse.assets import RAW_INDICES, RAW_NEWS, WAREHOUSE
from civicpulse.task_defaults import DEFAULT_ARGS


@dag(
    schedule=RAW_NEWS | RAW_INDICES,
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["civicpulse", "dbt", "warehouse"],
    doc_md=__doc__,
)
def build_warehouse() -> None:
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

    built = enrich_articles() >> dbt_build() >> export_marts() >> render_site()
    built >> render_data_docs() >> report()


build_warehouse()
