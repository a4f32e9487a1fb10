"""Atomic file writes: a file appears under its final name whole, or not at all."""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)


@contextmanager
def replaced_atomically(path: Path) -> Iterator[Path]:
    """A staging path beside `path` to write to; when the block ends without error it is
    fsynced and renamed over `path`, and on an error it is removed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staged = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        yield staged
        durable_replace(staged, path)
    finally:
        staged.unlink(missing_ok=True)


def durable_replace(staged: Path, path: Path) -> None:
    """Rename the written file `staged` over `path`, both on disk before and after: a crash
    leaves the old file or the new one, never an empty or truncated one."""
    with staged.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(staged, path)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)  # the rename itself
    finally:
        os.close(folder)
