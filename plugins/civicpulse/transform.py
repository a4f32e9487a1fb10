"""Run dbt as a subprocess: only dbt writes the warehouse, and no DuckDB handle outlives it."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

from civicpulse.settings import REPO_ROOT, Settings, load_settings

log = logging.getLogger(__name__)

DBT_PROJECT = REPO_ROOT / "dbt_project"


def dbt(*args: str, settings: Settings | None = None) -> None:
    """Run `dbt <args>` on the project with the data folder from settings; raise on failure."""
    settings = settings or load_settings()
    settings.data_root.mkdir(parents=True, exist_ok=True)
    executable = Path(sys.executable).with_name("dbt")
    command = [
        str(executable),
        *args,
        "--project-dir",
        str(DBT_PROJECT),
        "--profiles-dir",
        str(DBT_PROJECT),
    ]
    env = {**os.environ, "CIVICPULSE_DATA": str(settings.data_root), "DO_NOT_TRACK": "1"}
    log.info("running %s", " ".join(command))
    subprocess.run(command, env=env, check=True, cwd=DBT_PROJECT)


class WarehouseIncomplete(RuntimeError):
    """dbt passed, but a source that landed rows is missing from the marts."""


def build_warehouse(settings: Settings | None = None, *, enrich: bool = True) -> None:
    """Enrich the landed articles (incrementally; the DAG does it in a task of its own),
    build and test every model into the warehouse, then check that every source that landed
    rows shows in the marts: a source lost on the way is an error, not a success."""
    from civicpulse.enrichment import enrich_landed_articles, enrichment_path
    from civicpulse.landing import ensure_schema_files

    settings = settings or load_settings()
    ensure_schema_files(settings)
    write_registry_table(settings)
    if enrich or not enrichment_path(settings).exists():
        enrich_landed_articles(settings)
    dbt("build", settings=settings)
    check_landed_sources_shown(settings)


def write_registry_table(settings: Settings) -> Path:
    """The registry as `derived/sources.parquet`, which `dim_sources` reads."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from civicpulse.registry import registry_rows

    path = settings.data_root / "derived" / "sources.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    staged = path.with_name(f".sources.{os.getpid()}.tmp")
    pq.write_table(pa.Table.from_pylist(registry_rows()), staged)
    os.replace(staged, path)
    return path


def check_landed_sources_shown(settings: Settings) -> None:
    """Raise `WarehouseIncomplete` naming each source whose latest partition has rows but
    whose mart holds none of them."""
    from civicpulse.landing import landed_sources
    from civicpulse.warehouse import sources_in_marts

    shown = sources_in_marts(settings.warehouse_path)
    missing = [
        f"{source} ({entity}: landed, but no row in {MART_OF[entity]})"
        for entity, sources in landed_sources(settings).items()
        for source in sources
        if source not in shown.get(entity, set())
    ]
    if missing:
        raise WarehouseIncomplete(
            "the warehouse built, but does not show every landed source: " + "; ".join(missing)
        )
    log.info("every landed source shows in the marts")


# Where each entity's rows must reach: the mart analysts read first.
MART_OF = {
    "articles": "marts.fct_articles",
    "indicator_values": "marts.fct_indicator_value_history",
}
