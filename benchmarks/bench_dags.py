"""DAG file parse time, as Airflow's DAG processor measures it: each file of `dags/` parsed
by its own `DagBag` in a fresh interpreter (the processor forks one per file), best of a
few rounds. The target is under 1 s per file; heavy imports belong inside tasks.

    make bench            # or: .venv/bin/python benchmarks/bench_dags.py --rounds 5
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET_S = 1.0
PROBE = """
import json, sys, time
from airflow.dag_processing.dagbag import DagBag
bag = DagBag(dag_folder=sys.argv[1])
assert not bag.import_errors, bag.import_errors
(stat,) = bag.dagbag_stats
print(json.dumps({"seconds": stat.duration.total_seconds(), "dags": stat.dag_num}))
"""


def parse_seconds(path: Path) -> float:
    """Seconds Airflow's DagBag took to parse `path`, in a fresh interpreter."""
    env = {**os.environ, "AIRFLOW__CORE__LOAD_EXAMPLES": "False"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(path)], env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"{path.name}: {done.stderr[-2000:]}")
    return float(json.loads(done.stdout.strip().splitlines()[-1])["seconds"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"DAG file parse time (Airflow's DagBag, fresh interpreter, best of {args.rounds})")
    print(f"{'file':<24}{'seconds':>10}{'of target':>11}")
    worst = 0.0
    for path in sorted((REPO / "dags").glob("*.py")):
        seconds = min(parse_seconds(path) for _ in range(args.rounds))
        worst = max(worst, seconds)
        print(f"{path.name:<24}{seconds:>10.3f}{seconds / TARGET_S:>10.2f}x")
    print(f"target under {TARGET_S:.0f} s per file: {'met' if worst < TARGET_S else 'NOT met'}")
    return 0 if worst < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
