"""Read-only questions to the DuckDB warehouse that dbt builds."""

from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger(__name__)

# Where each entity's rows must reach: the mart analysts read first.
MART_OF = {
    "articles": "marts.fct_articles",
    "indicator_values": "marts.fct_indicator_value_history",
}


def mart_row_counts(warehouse: Path) -> dict[str, int]:
    """Row count of every table in the `marts` schema, by qualified name."""
    import duckdb

    if not warehouse.exists():
        return {}
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        tables = connection.execute(
            "select table_name from information_schema.tables "
            "where table_schema = 'marts' order by table_name"
        ).fetchall()
        counts = {}
        for (name,) in tables:
            ((count,),) = connection.execute(f'select count(*) from marts."{name}"').fetchall()
            counts[f"marts.{name}"] = int(count)
        return counts


def sources_in_marts(warehouse: Path) -> dict[str, set[str]]:
    """The `source_id`s each entity's main mart holds rows of."""
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return {
            entity: {
                row[0]
                for row in connection.execute(f"select distinct source_id from {mart}").fetchall()
            }
            for entity, mart in MART_OF.items()
        }
