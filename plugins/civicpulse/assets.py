"""Airflow assets shared by the DAGs: landing DAGs produce them, the warehouse DAG consumes them."""

from __future__ import annotations

from airflow.sdk import Asset

RAW_NEWS = Asset("civicpulse://raw/articles")
RAW_INDICES = Asset("civicpulse://raw/indicator_values")
WAREHOUSE = Asset("civicpulse://warehouse")
