"""What every civicpulse task gets: retries that back off (a site down for the night is not
hammered), a time limit (a hung request never holds a worker slot till morning), and the
failure notifier."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from civicpulse.alerts import on_failure

DEFAULT_ARGS: dict[str, Any] = {
    "retries": 2,
    "retry_delay": timedelta(minutes=5),
    "retry_exponential_backoff": 2.0,  # 5 min, then 10
    "max_retry_delay": timedelta(hours=1),
    "execution_timeout": timedelta(hours=1),
    "on_failure_callback": on_failure,
}
# Landing a source is the long task: a first crawl of a large site at one request a second.
LANDING_TIMEOUT = timedelta(hours=4)
