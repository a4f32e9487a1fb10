"""Shared fixtures: a temporary data folder and replay of the bundled recorded snapshot."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from civicpulse.settings import Settings, load_settings

if TYPE_CHECKING:
    from tests.nightly import Demo

FIXTURES = Path(__file__).parent / "fixtures"

# Airflow reads its home on import; never let tests touch ~/airflow.
os.environ.setdefault("AIRFLOW_HOME", tempfile.mkdtemp(prefix="civicpulse-airflow-"))
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups (else each worker runs demo)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under pytest-xdist (`make test`), the tests that share the one nightly run (`demo`)
    go to one worker, which runs it once; and the slow tests are handed out first, the
    whole deployments before the other nightly runs through Airflow, so no worker is left
    with a long one at the end."""
    for item in items:
        if "demo" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("demo"))
    items.sort(  # stable: deployments, then the other end-to-end tests, then the rest
        key=lambda item: (
            item.get_closest_marker("deployment") is None,
            item.get_closest_marker("e2e") is None,
        )
    )


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """One nightly run, as `make demo` runs it, shared by the tests that read its output."""
    from tests.nightly import demo_run

    return demo_run(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """Settings for a fresh data folder, replaying the bundled snapshot; also exported to env
    so code that loads settings itself (the CLI, dbt) sees the same folder."""
    monkeypatch.setenv("CIVICPULSE_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("CIVICPULSE_REPLAY", str(FIXTURES))
    monkeypatch.setenv("CIVICPULSE_MAX_RETRIES", "0")
    yield load_settings()
