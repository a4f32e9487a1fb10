"""One request at a time per host, across every process that shares the data folder: two
sources on one host (the World Bank's two) landing in parallel tasks, on one worker or on
several, queue for it, and each request waits out the host's delay after the previous one
ended, whoever sent it. An OS file lock per host does it (`flock`: released if a process
dies), so no Airflow pool has to mirror the registry's hosts."""

from __future__ import annotations

import fcntl
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


class HostTurns:
    """Turns at the hosts, kept in `folder` (one small file per host: when its last request
    ended)."""

    def __init__(self, folder: Path, sleep: Callable[[float], None] = time.sleep) -> None:
        self.folder = folder
        self.sleep = sleep

    @contextmanager
    def turn(self, host: str, delay: float) -> Iterator[None]:
        """Hold `host` for one request: wait for any other holder, then until `delay`
        seconds have passed since the host's last request ended."""
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{re.sub(r'[^A-Za-z0-9.-]', '_', host) or '_'}.turn"
        with path.open("a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)  # blocks while another process has the host
            try:
                handle.seek(0)
                ended = float(handle.read() or 0)
                remaining = delay - (time.time() - ended)
                if remaining > 0:
                    self.sleep(remaining)
                yield
            finally:
                handle.seek(0)
                handle.truncate()
                handle.write(repr(time.time()).encode())
                handle.flush()
                fcntl.flock(handle, fcntl.LOCK_UN)
