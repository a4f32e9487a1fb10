"""Settings read once from the environment, so every entry point agrees on paths and limits."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[2]
PROJECT_URL = "https://github.com/civicpulse/civicpulse"


@dataclass(frozen=True)
class Settings:
    """Where data lives and how politely we fetch; see `.env.example` for the variables."""

    data_root: Path
    replay_dir: Path | None
    crawl_delay_s: float
    timeout_s: float
    max_retries: int
    max_response_bytes: int
    contact_url: str

    @property
    def raw_root(self) -> Path:
        return self.data_root / "raw"

    @property
    def archive_root(self) -> Path:
        return self.data_root / "archive"

    @property
    def quarantine_root(self) -> Path:
        return self.data_root / "quarantine"

    @property
    def runs_root(self) -> Path:
        return self.data_root / "runs"

    @property
    def derived_root(self) -> Path:
        """Files civicpulse computes for the build: the enrichment, the registry table."""
        return self.data_root / "derived"

    @property
    def exports_root(self) -> Path:
        return self.data_root / "exports"

    @property
    def reports_root(self) -> Path:
        return self.data_root / "reports"

    @property
    def warehouse_path(self) -> Path:
        return self.data_root / "warehouse.duckdb"

    @property
    def user_agent(self) -> str:
        return f"civicpulse/0.1 (+{self.contact_url})"


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Build settings from `env` (default: the process environment)."""
    env = dict(os.environ if env is None else env)
    replay = env.get("CIVICPULSE_REPLAY")
    return Settings(
        data_root=Path(env.get("CIVICPULSE_DATA", REPO_ROOT / "data")).resolve(),
        replay_dir=Path(replay).resolve() if replay else None,
        # Replayed responses cost the site nothing, so only live crawls wait between requests.
        crawl_delay_s=float(env.get("CIVICPULSE_CRAWL_DELAY", "0" if replay else "1.0")),
        timeout_s=float(env.get("CIVICPULSE_TIMEOUT", "30")),
        max_retries=int(env.get("CIVICPULSE_MAX_RETRIES", "3")),
        max_response_bytes=int(env.get("CIVICPULSE_MAX_RESPONSE_BYTES", str(20 * 1024 * 1024))),
        contact_url=env.get("CIVICPULSE_CONTACT_URL", PROJECT_URL),
    )
