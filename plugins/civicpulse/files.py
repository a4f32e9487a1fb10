"""Atomic file writes: a file appears under its final name whole, or not at all."""

from __future__ import annotations

import logging
import os
import shutil
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


@contextmanager
def replaced_folder(final: Path) -> Iterator[Path]:
    """A staging folder beside `final` to fill; when the block ends without error it takes
    `final`'s place with two renames (the old one aside, the new one in), so a reader finds
    a whole folder, or for an instant none. A crashed run's staging folders are removed."""
    final.parent.mkdir(parents=True, exist_ok=True)
    for leftover in final.parent.glob(f".{final.name}.*"):
        shutil.rmtree(leftover, ignore_errors=True)
    staging = final.with_name(f".{final.name}.{uuid.uuid4().hex}.tmp")
    try:
        yield staging
        old = final.with_name(f".{final.name}.{uuid.uuid4().hex}.old")
        if final.exists():
            os.replace(final, old)
        try:
            os.replace(staging, final)
        except OSError:
            if old.exists():
                os.replace(old, final)
            raise
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
