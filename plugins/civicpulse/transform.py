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


def build_warehouse(settings: Settings | None = None) -> None:
    """Build and test every model into the warehouse."""
    from civicpulse.landing import ensure_schema_files

    settings = settings or load_settings()
    ensure_schema_files(settings)
    dbt("build", settings=settings)
