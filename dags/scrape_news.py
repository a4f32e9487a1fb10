"""Scrape the programme-news sources in the registry; land each as a validated Parquet partition.

One mapped task per source, so one failing site never stops the others. Each task fetches
politely (robots.txt, delays, retries), archives every response to WARC, validates the batch
with its Great Expectations suite, then publishes it or quarantines it with a report.
"""

from typing import Any

import pendulum
from airflow.sdk import dag, task, teardown

from civicpulse.assets import RAW_NEWS
from civicpulse.task_defaults import DEFAULT_ARGS, LANDING_TIMEOUT


@dag(
    schedule="0 2 * * *",
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["civicpulse", "scrape", "news"],
    doc_md=__doc__,
)
def scrape_news() -> None:
    @task
    def list_sources(ds: str | None = None) -> list[str]:  # Airflow passes the run's day
        from civicpulse.landing import sources_due

        assert ds is not None
        return sources_due("articles", ds)  # weekly sources every seventh day

    @task(execution_timeout=LANDING_TIMEOUT)
    def land(source_name: str, *, ds: str) -> None:
        from civicpulse.tasks import land_or_fail

        land_or_fail(source_name, ds)

    @teardown  # once every source is done, whatever happened: one build per night
    @task(outlets=[RAW_NEWS])
    def announce(*, ds: str | None = None, outlet_events: Any = None) -> None:
        from civicpulse.changes import announcement

        assert ds is not None  # Airflow passes the run's day
        outlet_events[RAW_NEWS].extra = announcement("articles", ds)  # shown in the UI

    @teardown  # runs whatever happened, without hiding a failed source from the run's state
    def report() -> None:
        from civicpulse.cli import report

        print(report())

    land.expand(source_name=list_sources()) >> [announce(), report()]


scrape_news()
