"""The nightly DAGs' wall time on the production configuration: docker-compose.yaml's
environment made native (PostgreSQL metadata DB and result backend, Redis broker, the
api-server, two Celery workers), as `tests/test_production_stack.py` proves it. The bench
runs that test (one harness, not a copy) and reports what it timed: each DAG from
`airflow dags test --use-executor` to its last task's result, and the stack's start-up.

    make bench            # or: .venv/bin/python benchmarks/bench_celery.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TEST = "tests/test_production_stack.py"


def main() -> int:
    print("Celery run: the nightly DAGs on two workers (PostgreSQL, Redis; see " + TEST + ")")
    with tempfile.TemporaryDirectory(prefix="civicpulse-bench-celery-") as scratch:
        out = Path(scratch) / "seconds.json"
        started = time.perf_counter()
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                TEST,
                "-q",
                "-p",
                "no:xdist",
                "-p",
                "no:cacheprovider",
            ],
            cwd=REPO,
            env={**os.environ, "CIVICPULSE_BENCH_OUT": str(out)},
            capture_output=True,
            text=True,
        )
        total = time.perf_counter() - started
        if done.returncode != 0 or not out.exists():
            print("the Celery run did not complete (PostgreSQL and Redis on 127.0.0.1?):")
            print(done.stdout[-3000:])
            return 1
        seconds: dict[str, float] = json.loads(out.read_text())
    for dag_id, wall in seconds.items():
        print(f"  {dag_id:<18}{wall:>8.1f} s")
    in_dags = sum(seconds.values())
    print(f"  {'all three':<18}{in_dags:>8.1f} s")
    print(
        f"  set-up and tear-down (databases, migrate, api-server, workers): {total - in_dags:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
