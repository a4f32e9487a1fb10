"""Each source's run history from its run summaries (`runs/<source>/<ds>.json`), for the
source pages: the warehouse keeps what was published, the summaries keep how each night went."""

from __future__ import annotations

import json
import logging
from dataclasses import MISSING, fields
from pathlib import Path
from typing import Any

from civicpulse.runs import RunSummary

log = logging.getLogger(__name__)

PUBLISHED = "published"
# A summary written before a counter existed shows it as the counter's default.
DEFAULTS = {f.name: f.default for f in fields(RunSummary) if f.default is not MISSING}


def run_history(runs_root: Path) -> dict[str, list[dict[str, Any]]]:
    """Every source's run summaries as dicts, newest day first; a summary that cannot be
    read is logged and left out, so one torn file does not hide the rest of the site."""
    history: dict[str, list[dict[str, Any]]] = {}
    for folder in sorted(p for p in runs_root.glob("*") if p.is_dir()):
        runs = []
        for path in sorted(folder.glob("*.json"), reverse=True):
            try:
                runs.append({**DEFAULTS, **json.loads(path.read_text(encoding="utf-8"))})
            except (OSError, ValueError) as error:
                log.warning("skipping unreadable run summary %s: %s", path, error)
        history[folder.name] = runs
    return history


def last_success(runs: list[dict[str, Any]]) -> str | None:
    """The latest day whose run published a partition."""
    return next((run.get("ds") for run in runs if run.get("status") == PUBLISHED), None)
