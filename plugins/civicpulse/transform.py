"""Build the warehouse with dbt (a subprocess: only dbt writes it, and no DuckDB handle
outlives it) into a copy, swapped in atomically only when every model and test passed: a
failed build leaves the previous warehouse as it was, and readers never wait for a build."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from civicpulse.files import replaced_atomically
from civicpulse.settings import REPO_ROOT, Settings, load_settings

log = logging.getLogger(__name__)

DBT_PROJECT = REPO_ROOT / "dbt_project"


def dbt(*args: str, settings: Settings | None = None, warehouse: Path | None = None) -> None:
    """Run `dbt <args>` on the project with the data folder from settings (and the warehouse
    file `warehouse`, if given); raise on failure."""
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
    if warehouse is not None:
        env["CIVICPULSE_WAREHOUSE"] = str(warehouse)
    log.info("running %s", " ".join(command))
    subprocess.run(command, env=env, check=True, cwd=DBT_PROJECT)


class WarehouseIncomplete(RuntimeError):
    """dbt passed, but a source that landed rows is missing from the marts."""


def build_warehouse(
    settings: Settings | None = None, *, enrich: bool = True, docs: bool = False
) -> None:
    """Enrich the landed articles (incrementally; the DAG does it in a task of its own),
    build and test every model into a copy of the warehouse, check that every source that
    landed rows shows in the marts (a source lost on the way is an error, not a success),
    write the dbt docs page if `docs`, and swap the copy in."""
    from civicpulse.enrichment import enrich_landed_articles, enrichment_path
    from civicpulse.landing import ensure_schema_files

    settings = settings or load_settings()
    ensure_schema_files(settings)
    write_registry_table(settings)
    if enrich or not enrichment_path(settings).exists():
        enrich_landed_articles(settings)
    warehouse = settings.warehouse_path
    building = warehouse.with_name(f".{warehouse.stem}.building.duckdb")
    _remove(building)  # a crashed build's leftover
    if warehouse.exists():  # incremental models continue from the current warehouse
        shutil.copyfile(warehouse, building)
    with tempfile.TemporaryDirectory(prefix="civicpulse-dbt-") as target:
        try:
            dbt("build", settings=settings, warehouse=building)
            check_landed_sources_shown(settings, building)
            if docs:  # from the copy: dbt's catalog query needs a writer's connection
                dbt(
                    *("docs", "generate", "--static", "--target-path", target),
                    settings=settings,
                    warehouse=building,
                )
            _checkpoint(building)
        except BaseException:
            _remove(building)
            log.error("the build failed: the previous warehouse is untouched: %s", warehouse)
            raise
        # a write-ahead log left by an interrupted bare `dbt build` belongs to the old file
        warehouse.with_name(warehouse.name + ".wal").unlink(missing_ok=True)
        os.replace(building, warehouse)
        log.info("warehouse built and swapped in: %s", warehouse)
        if docs:
            page = settings.reports_root / "dbt_docs" / "index.html"
            with replaced_atomically(page) as staged:
                shutil.copyfile(Path(target) / "static_index.html", staged)
            log.info("dbt docs (one file, opens offline): %s", page)


def _checkpoint(path: Path) -> None:
    """Fold the write-ahead log into the file, so the file alone is the warehouse."""
    import duckdb

    with duckdb.connect(str(path)) as connection:
        connection.execute("checkpoint")
    with path.open("rb") as handle:  # on disk before the rename makes it the warehouse
        os.fsync(handle.fileno())


def _remove(path: Path) -> None:
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)


def write_registry_table(settings: Settings) -> Path:
    """The registry as `derived/sources.parquet`, which `dim_sources` reads."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from civicpulse.registry import registry_rows

    path = settings.derived_root / "sources.parquet"
    with replaced_atomically(path) as staged:
        pq.write_table(pa.Table.from_pylist(registry_rows()), staged)
    return path


def check_landed_sources_shown(settings: Settings, warehouse: Path | None = None) -> None:
    """Raise `WarehouseIncomplete` naming each source whose latest partition has rows but
    whose mart (in `warehouse`, by default the current one) holds none of them."""
    from civicpulse.landing import landed_sources
    from civicpulse.warehouse import MART_OF, sources_in_marts

    shown = sources_in_marts(warehouse or settings.warehouse_path)
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
