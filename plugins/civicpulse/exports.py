"""Every mart as a Parquet file in the data folder's `exports/`, for tools that do not speak
DuckDB: each written atomically, then a manifest (row counts, columns, when it was built,
which warehouse) that names only files already in place."""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from civicpulse.files import replaced_atomically
from civicpulse.settings import Settings, load_settings

log = logging.getLogger(__name__)


def export_marts(settings: Settings | None = None) -> Path:
    """Export every table of the `marts` schema; return the manifest's path."""
    import duckdb

    settings = settings or load_settings()
    folder = settings.exports_root
    tables: dict[str, Any] = {}
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as connection:
        names = [
            name
            for (name,) in connection.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'marts' order by table_name"
            ).fetchall()
        ]
        for name in names:
            final = folder / f"{name}.parquet"
            with replaced_atomically(final) as staged:
                connection.execute(f"copy marts.\"{name}\" to '{staged}' (format parquet)")
            columns = connection.execute(f'describe marts."{name}"').fetchall()
            ((rows,),) = connection.execute(f'select count(*) from marts."{name}"').fetchall()
            tables[name] = {
                "file": final.name,
                "rows": int(rows),
                "columns": [{"name": c[0], "type": c[1]} for c in columns],
            }
    manifest = {
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "warehouse": str(settings.warehouse_path),
        "warehouse_version": warehouse_version(settings.warehouse_path),
        "tables": tables,
    }
    path = folder / "manifest.json"
    with replaced_atomically(path) as staged:
        staged.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    log.info("exported %d marts to %s (manifest %s)", len(tables), folder, path)
    return path


def warehouse_version(warehouse: Path) -> str:
    """The warehouse file's modification time and size, hashed: a new build is a new
    version, and naming one costs no read of the file."""
    stat = warehouse.stat()
    return hashlib.sha256(f"{stat.st_mtime_ns}:{stat.st_size}".encode()).hexdigest()[:16]
