"""The warehouse's marts as rows, for tests that compare one build with another."""

from __future__ import annotations

from civicpulse.settings import Settings

# Marts that log every run rather than describe the data: the archive gains the responses of
# each run (robots.txt, the API again), health is as of each build, and data-quality results
# carry when each batch was validated.
RUN_LOGS = frozenset({"dim_archive_records", "source_health", "dq_results"})


def marts(settings: Settings, *, data_only: bool = False) -> dict[str, list[tuple[object, ...]]]:
    """Every mart's rows, sorted; with `data_only`, all but the `RUN_LOGS`."""
    import duckdb

    with duckdb.connect(str(settings.warehouse_path), read_only=True) as db:
        names = db.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
        ).fetchall()
        return {
            name: sorted(db.execute(f"select * from marts.{name}").fetchall(), key=repr)
            for (name,) in names
            if not (data_only and name in RUN_LOGS)
        }
