"""The warehouse build at scale: a synthetic data folder of 1,000,000 articles and 5,000,000
indicator values (`scale_data.py`), a full build (no warehouse yet), then one more night with
1,000 new articles built incrementally on top. Each build is the nightly one (`dbt build`
into a copy, checked, swapped in), in a process of its own, so its peak memory (dbt's
included) is its own. Targets on a 2-core machine: full build at most 60 s, incremental at
most a tenth of it.

    make bench            # or: .venv/bin/python benchmarks/bench_scale.py --articles 1000000
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale_data import add_night, generate  # noqa: E402

from civicpulse.transform import DBT_PROJECT  # noqa: E402

FULL_TARGET_S = 60.0
INCREMENTAL_TARGET = 0.10  # of the full build

BUILD = (
    "import logging; logging.basicConfig(level=logging.INFO); "
    "from civicpulse.transform import build_warehouse; build_warehouse(enrich=False)"
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--values", type=int, default=5_000_000)
    parser.add_argument("--new", type=int, default=1_000, help="new articles on the second night")
    parser.add_argument("--root", type=Path, help="data folder (default: a temporary one)")
    args = parser.parse_args(argv)

    root = args.root or Path(tempfile.mkdtemp(prefix="civicpulse-scale-"))
    shutil.rmtree(root, ignore_errors=True)
    started = time.perf_counter()
    print(f"generating {args.articles:,} articles and {args.values:,} indicator values in {root}")
    generate(root, args.articles, args.values)
    print(f"generated in {time.perf_counter() - started:.0f} s ({_size(root / 'raw')} landed)")

    full = build(root, "full build")
    add_night(root, args.new)
    incremental = build(root, f"incremental build (+{args.new:,} articles)")
    ratio = incremental["wall_s"] / full["wall_s"]
    print(f"warehouse: {_size(root / 'warehouse.duckdb')}")
    print(
        f"incremental / full: {ratio:.3f} (dbt build alone: "
        f"{incremental['dbt_s'] / full['dbt_s']:.3f})"
    )
    full_met, incremental_met = full["wall_s"] <= FULL_TARGET_S, ratio <= INCREMENTAL_TARGET
    print(
        f"targets: full <= {FULL_TARGET_S:.0f} s: {'met' if full_met else 'NOT met'}; "
        f"incremental <= {INCREMENTAL_TARGET:.0%} of full: "
        f"{'met' if incremental_met else 'NOT met'}"
    )
    met = full_met and incremental_met
    if args.root is None:
        shutil.rmtree(root, ignore_errors=True)
    return 0 if met else 1


def build(root: Path, label: str) -> dict[str, float]:
    """Run the nightly build on `root` in a child process; its wall time, dbt's own time
    (from dbt's run results) and the peak memory of the child and everything it ran."""
    env = {**os.environ, "CIVICPULSE_DATA": str(root), "DO_NOT_TRACK": "1"}
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", BUILD], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert child.stderr is not None
    log = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    if status != 0:
        sys.stderr.write(log.decode(errors="replace")[-5000:])
        raise SystemExit(f"{label} failed")
    results = json.loads((DBT_PROJECT / "target" / "run_results.json").read_text())
    dbt_s = float(results["elapsed_time"])
    peak_gib = usage.ru_maxrss / 1024**2  # ru_maxrss is in KiB on Linux
    print(f"{label:<34} {wall:7.1f} s wall, dbt build {dbt_s:6.1f} s, peak {peak_gib:.1f} GiB")
    steps = re.search(r"swapped in: \S+ \((.*)\)", log.decode(errors="replace"))
    print(f"  steps: {steps.group(1) if steps else '?'}; the rest is starting Python and dbt")
    return {"wall_s": wall, "dbt_s": dbt_s, "peak_gib": peak_gib}


def _size(path: Path) -> str:
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return f"{sum(p.stat().st_size for p in files) / 1024**3:.2f} GiB"


if __name__ == "__main__":
    sys.exit(main())
