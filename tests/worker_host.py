"""Two Celery workers on one machine stand for two hosts: each worker's environment names its
host (`CIVICPULSE_WORKER_HOST`), and Airflow records it on every task instance through
`[core] hostname_callable`, as it records the container's name in docker-compose."""

from __future__ import annotations

import os
import socket


def hostname() -> str:
    return os.environ.get("CIVICPULSE_WORKER_HOST") or socket.getfqdn()
