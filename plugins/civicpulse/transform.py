"""Build the warehouse with dbt (a subprocess: only dbt writes it, and no DuckDB handle
outlives it) into a copy, swapped in atomically only when every model and test passed: a
failed build leaves the previous warehouse as it was, and readers never wait for a build.

The incremental models continue from the copy. When the dbt project itself changed since
the warehouse was built (a model, macro, seed), the build starts from empty instead
(`--full-refresh`): incremental rows written by the old logic would otherwise stay."""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from civicpulse.files import durable_replace, replaced_atomically
from civicpulse.runs import COLUMNS as COUNTS
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
    env = {
        **os.environ,
        "CIVICPULSE_DATA": str(settings.data_root),
        "DO_NOT_TRACK": "1",
        # dbt's artifacts and logs with the data they describe: two data folders never
        # share (nor race for) a manifest, and the project folder stays read-only
        "DBT_TARGET_PATH": str(settings.data_root / ".dbt" / "target"),
        "DBT_LOG_PATH": str(settings.data_root / ".dbt" / "logs"),
    }
    if warehouse is not None:
        env["CIVICPULSE_WAREHOUSE"] = str(warehouse)
    log.info("running %s", " ".join(command))
    subprocess.run(command, env=env, check=True, cwd=DBT_PROJECT)


class WarehouseIncomplete(RuntimeError):
    """dbt passed, but a source that landed rows is missing from the marts."""


def build_warehouse(
    settings: Settings | None = None,
    *,
    enrich: bool = True,
    docs: bool = False,
    freshness: bool = False,
    full_refresh: bool = False,
) -> None:
    """Enrich the landed articles (incrementally; the DAG does it in a task of its own),
    build and test every model into a copy of the warehouse, check that every source that
    landed rows shows in the marts (a source lost on the way is an error, not a success),
    run `dbt source freshness` if `freshness`, write the dbt docs page if `docs`, and swap
    the copy in."""
    from civicpulse.dq import write_results_table
    from civicpulse.enrichment import enrich_landed_articles, enrichment_path
    from civicpulse.integrity import quarantine_unreadable
    from civicpulse.landing import ensure_schema_files
    from civicpulse.provenance import index_archive

    settings = settings or load_settings()
    started = datetime.now(UTC)
    steps = Steps()
    with steps("prepare"):
        quarantine_unreadable(settings)  # one unreadable file must not stop the build
        ensure_schema_files(settings)
        write_registry_table(settings)
        write_runs_table(settings)
        write_results_table(settings)
        index_archive(settings)
        if enrich or not enrichment_path(settings).exists():
            enrich_landed_articles(settings)
    warehouse = settings.warehouse_path
    building = warehouse.with_name(f".{warehouse.stem}.building.duckdb")
    _remove(building)  # a crashed build's leftover
    project = project_fingerprint()
    built_by = built_with(warehouse)
    if warehouse.exists() and built_by != project and not full_refresh:
        log.info("the warehouse was built by another version of the dbt project: full refresh")
        full_refresh = True
    if warehouse.exists() and not full_refresh:  # incremental models continue from it
        with steps("copy"):
            copy_file(warehouse, building)
    with tempfile.TemporaryDirectory(prefix="civicpulse-dbt-") as target:
        try:
            with steps("dbt build"):
                refresh = ["--full-refresh"] if full_refresh else []
                dbt("build", *refresh, settings=settings, warehouse=building)
            with steps("checks"):
                check_landed_sources_shown(settings, building)
            if freshness:  # warns on a stale source; the states are in source_health
                with steps("freshness"):
                    dbt("source", "freshness", settings=settings, warehouse=building)
            if docs:  # from the copy: dbt's catalog query needs a writer's connection
                with steps("docs"):
                    dbt(
                        *("docs", "generate", "--static", "--target-path", target),
                        settings=settings,
                        warehouse=building,
                    )
            with steps("checkpoint"):
                _checkpoint(building, project, started)
        except BaseException:
            _remove(building)
            log.error("the build failed: the previous warehouse is untouched: %s", warehouse)
            raise
        # a write-ahead log left by an interrupted bare `dbt build` belongs to the old file
        warehouse.with_name(warehouse.name + ".wal").unlink(missing_ok=True)
        durable_replace(building, warehouse)  # DuckDB synced it; this syncs the rename
        log.info("warehouse built and swapped in: %s (%s)", warehouse, steps)
        if docs:
            page = settings.reports_root / "dbt_docs" / "index.html"
            with replaced_atomically(page) as staged:
                shutil.copyfile(Path(target) / "static_index.html", staged)
            log.info("dbt docs (one file, opens offline): %s", page)


def copy_file(source: Path, target: Path) -> None:
    """Copy with copy_file_range: on a copy-on-write file system (XFS, btrfs) the kernel
    shares the blocks instead, so the copy costs nothing however large the warehouse."""
    with source.open("rb") as reader, target.open("wb") as writer:
        remaining = os.fstat(reader.fileno()).st_size
        try:
            while remaining > 0:
                copied = os.copy_file_range(reader.fileno(), writer.fileno(), remaining)
                if copied == 0:
                    break
                remaining -= copied
        except OSError:  # not supported between these files: copy the bytes
            reader.seek(0)
            writer.seek(0)
            writer.truncate()
            shutil.copyfileobj(reader, writer, 16 * 1024 * 1024)


class Steps:
    """Wall time of each step of a build, for its log line."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = time.perf_counter() - started

    def __str__(self) -> str:
        return ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.seconds.items())


def project_fingerprint() -> str:
    """A hash of what dbt builds from: models, macros, seeds and the project file."""
    digest = hashlib.sha256()
    files = [DBT_PROJECT / "dbt_project.yml"] + sorted(
        path
        for folder in ("models", "macros", "seeds")
        for path in (DBT_PROJECT / folder).rglob("*")
        if path.is_file()
    )
    for path in files:
        digest.update(path.relative_to(DBT_PROJECT).as_posix().encode())
        digest.update(path.read_bytes())
    return f"dbt-{digest.hexdigest()[:12]}"


def built_with(warehouse: Path) -> str | None:
    """The project fingerprint the warehouse was built with; None if there is none."""
    record = build_record(warehouse)
    return record[0] if record else None


def build_record(warehouse: Path) -> tuple[str, datetime] | None:
    """The project fingerprint the warehouse was built with and when that build began to
    read its inputs (so a landing that finished during the build counts as after it)."""
    import duckdb

    if not warehouse.exists():
        return None
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        try:
            ((fingerprint, started),) = connection.execute(
                "select project_fingerprint, inputs_read_at from main.civicpulse_build"
            ).fetchall()
        except duckdb.BinderException:  # written before builds recorded their start
            return None
        except duckdb.CatalogException:
            return None
    return str(fingerprint), datetime.fromisoformat(started)


def _checkpoint(path: Path, project: str, started: datetime) -> None:
    """Record what built the warehouse and from when, then fold the write-ahead log into
    the file, so the file alone is the warehouse."""
    import duckdb

    with duckdb.connect(str(path)) as connection:
        connection.execute(
            "create or replace table main.civicpulse_build as "
            "select ? as project_fingerprint, ? as inputs_read_at, now() as built_at",
            [project, started.isoformat()],
        )
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


RUN_COUNTS = (*COUNTS, "records", "not_modified", "retries", "extracted", "by_selectors")


def write_runs_table(settings: Settings) -> Path:
    """Every run summary as `derived/runs.parquet`, which `source_health` reads."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from civicpulse.runs import all_summaries

    columns = [
        ("source_id", pa.string()),
        ("entity", pa.string()),
        ("ds", pa.string()),
        ("status", pa.string()),
        ("finished_at", pa.string()),
        *((name, pa.int64()) for name in RUN_COUNTS),
        ("detail", pa.string()),
    ]
    rows = [
        {
            **{name: getattr(s, name) for name in RUN_COUNTS},
            "source_id": s.source,
            "entity": s.entity,
            "ds": s.ds,
            "status": s.status,
            "finished_at": s.finished_at,
            "detail": s.error or s.report,
        }
        for s in all_summaries(settings.runs_root)
    ]
    path = settings.derived_root / "runs.parquet"
    with replaced_atomically(path) as staged:
        pq.write_table(pa.Table.from_pylist(rows, schema=pa.schema(columns)), staged)
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
