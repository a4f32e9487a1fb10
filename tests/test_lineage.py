"""OpenLineage (Airflow's provider) is installed and off until a transport is configured."""

from __future__ import annotations

import json
import os
import subprocess
import sys

PROBE = "from airflow.providers.openlineage import conf; print(conf.is_disabled())"


def lineage_disabled(**env: str) -> bool:
    clean = {k: v for k, v in os.environ.items() if "OPENLINEAGE" not in k}
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=clean | env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip().splitlines()[-1] == "True"


def test_lineage_is_off_by_default_and_on_with_a_transport() -> None:
    assert lineage_disabled()
    transport = {"type": "http", "url": "http://marquez:5000", "endpoint": "api/v1/lineage"}
    assert not lineage_disabled(AIRFLOW__OPENLINEAGE__TRANSPORT=json.dumps(transport))
