"""`civicpulse` command line: land a source, list sources, print the run report."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from civicpulse.registry import load_sources
from civicpulse.runs import format_table, latest_summaries
from civicpulse.settings import load_settings
from civicpulse.sql import FORMATS
from civicpulse.warehouse import mart_row_counts

log = logging.getLogger(__name__)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="civicpulse", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    land = commands.add_parser("land", help="fetch, validate and publish one source")
    land.add_argument("source")
    land.add_argument("--ds", default=datetime.now(UTC).date().isoformat(), help="run day")
    sources = commands.add_parser("sources", help="list registry entries")
    sources.add_argument("--entity")
    commands.add_parser("report", help="latest run per source and the marts' row counts")
    sql = commands.add_parser("sql", help="query the warehouse, read-only")
    sql.add_argument("query", nargs="?", help="SQL text (or use -f)")
    sql.add_argument("-f", "--file", type=Path, help="a file of SQL, e.g. queries/*.sql")
    sql.add_argument("--format", choices=FORMATS, default="table")
    sql.add_argument("--output", type=Path, help="where --format parquet writes")
    provenance = commands.add_parser(
        "provenance", help="where one warehouse row came from, back to its WARC record"
    )
    provenance.add_argument("table", help="e.g. fct_articles, fct_program_figures")
    provenance.add_argument("key", help="the row's id (indicator_id/ISO3/year for values)")
    commands.add_parser("site", help="render the static report site from the warehouse")
    commands.add_parser("reextract", help="rebuild landed articles from the WARC archive")
    extract = commands.add_parser("extract", help="print one article as JSON, with its enrichment")
    extract.add_argument("--source", required=True)
    extract.add_argument("page", help="a saved HTML file, or a URL (fetched politely)")
    nightly = commands.add_parser(
        "nightly", help="run the nightly DAGs through `airflow dags test`, then the report"
    )
    nightly.add_argument("--day", type=run_day, default=datetime.now(UTC).date().isoformat())
    nightly.add_argument(
        "--dags",
        default="scrape_news,scrape_indices,build_warehouse",
        help="comma-separated DAG ids, run in this order",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )

    return int(COMMANDS[args.command](args) or 0)


def run_day(text: str) -> str:
    """A run day as `airflow dags test` takes it; a typo fails here, not after Airflow starts."""
    return date.fromisoformat(text).isoformat()


def nightly_command(args: argparse.Namespace) -> int:
    """One line per DAG and task, the full Airflow log in a file, then the run report;
    exit 1 if any DAG failed (the later ones still run)."""
    from civicpulse.progress import run_nightly

    status = run_nightly([dag for dag in args.dags.split(",") if dag], args.day)
    if status != 130:  # not after Ctrl-C
        print()
        print(report())
    return status


def land_command(args: argparse.Namespace) -> None:
    from civicpulse.landing import land_source

    print(land_source(args.source, args.ds).line())


HEALTH = """
select
    health.source_id as source,
    health.entity,
    health.cadence,
    health.freshness,
    health.days_since_success as days,
    health.last_success_ds as last_success,
    health.last_new_item_ds as last_new,
    health.items_last_run as items,
    health.items_trailing_median as median,
    health.last_run_status as last_run,
    array_to_string(health.alarms, '; ') as alarms
from marts.source_health as health
where $entity is null or health.entity = $entity
order by health.entity, health.source_id
"""


def sources_command(args: argparse.Namespace) -> int:
    """The registry's sources with their health (`marts.source_health`, as of the last
    build); only the registry entries while no warehouse has been built."""
    from civicpulse.sql import QueryError, run_query

    settings = load_settings()
    try:
        run_query(HEALTH, settings.warehouse_path, params={"entity": args.entity})
        return 0
    except QueryError as error:
        print(f"civicpulse sources: no health yet ({error})", file=sys.stderr)
    for source in load_sources():
        if args.entity in (None, source.entity):
            print(f"{source.name}\t{source.adapter}\t{source.entity}\t{source.url}")
    return 0


def site_command(args: argparse.Namespace) -> None:
    from civicpulse.site import render_site

    print(render_site())


def reextract_command(args: argparse.Namespace) -> None:
    from civicpulse.reextract import reextract_all

    for summary in reextract_all():
        print(summary.line())


def extract_command(args: argparse.Namespace) -> None:
    from civicpulse.enrich.article import enrich_article

    record: dict[str, Any] = extract_one(args.source, args.page)
    record["enrichment"] = enrich_article(
        record.get("title"), record.get("body"), record.get("tags"), record.get("language")
    )
    print(json.dumps(record, indent=2, default=str, ensure_ascii=False))


def sql_command(args: argparse.Namespace) -> int:
    """`civicpulse sql`: exit 2, with the reason, on a missing warehouse or bad SQL."""
    from civicpulse.sql import QueryError, run_query

    if (args.query is None) == (args.file is None):
        print("civicpulse sql: give the SQL as an argument or with -f FILE", file=sys.stderr)
        return 2
    text = args.file.read_text(encoding="utf-8") if args.file else args.query
    try:
        rows = run_query(text, load_settings().warehouse_path, args.format, args.output)
    except QueryError as error:
        print(f"civicpulse sql: {error}", file=sys.stderr)
        return 2
    if args.format == "parquet":
        print(f"{rows} rows -> {args.output}")
    return 0


def provenance_command(args: argparse.Namespace) -> int:
    """Print the chain from one row back to its WARC record; exit 2 on a bad table or key."""
    from civicpulse.provenance import ProvenanceError, chain

    try:
        print("\n".join(chain(args.table, args.key)))
    except ProvenanceError as error:
        print(f"civicpulse provenance: {error}", file=sys.stderr)
        return 2
    return 0


def extract_one(source_name: str, where: str) -> dict[str, object]:
    """One article from a file or a URL, extracted as the nightly run would."""
    from requests.structures import CaseInsensitiveDict

    from civicpulse.articles import extract_page
    from civicpulse.fetch import Fetcher, Page
    from civicpulse.registry import get_source

    source = get_source(source_name)
    path = Path(where)
    if path.is_file():
        headers = CaseInsensitiveDict({"Content-Type": "text/html; charset=utf-8"})
        page = Page(path.resolve().as_uri(), 200, headers, path.read_bytes(), datetime.now(UTC), "")
    else:
        with Fetcher(source.hosts, load_settings()) as client:
            page = client.get(where)
    return extract_page(source, page)


def report() -> str:
    """The end-of-run summary: one row per source, then the marts' row counts."""
    settings = load_settings()
    lines = ["Latest run per source:", format_table(latest_summaries(settings.runs_root)), ""]
    counts = mart_row_counts(settings.warehouse_path)
    lines.append(f"Warehouse {settings.warehouse_path}:")
    lines.extend(f"  {table}: {count} rows" for table, count in counts.items())
    outputs = {
        "Report site": settings.reports_root / "site" / "index.html",
        "dbt docs": settings.reports_root / "dbt_docs" / "index.html",
        "Data quality (GX Data Docs)": settings.reports_root / "data_docs" / "index.html",
        "Parquet exports": settings.exports_root / "manifest.json",
    }
    lines += ["", *(f"{name}: {path}" for name, path in outputs.items() if path.exists())]
    return "\n".join(lines)


COMMANDS: dict[str, Callable[[argparse.Namespace], int | None]] = {
    "land": land_command,
    "sources": sources_command,
    "report": lambda args: print(report()),
    "sql": sql_command,
    "provenance": provenance_command,
    "site": site_command,
    "reextract": reextract_command,
    "extract": extract_command,
    "nightly": nightly_command,
}


if __name__ == "__main__":
    sys.exit(main())
