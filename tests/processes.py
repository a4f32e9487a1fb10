"""Which processes a test left behind: those running with its Airflow home."""

from __future__ import annotations

import psutil


def processes_of(airflow_home: str) -> list[str]:
    """Command lines of the processes running with this Airflow home."""
    found = []
    for process in psutil.process_iter(["cmdline"]):
        try:
            if process.environ().get("AIRFLOW_HOME") == airflow_home:
                found.append(" ".join(process.info["cmdline"] or []))
        except (psutil.AccessDenied, psutil.NoSuchProcess, psutil.ZombieProcess):
            continue
    return found
