"""WARC files: every response we receive is appended to one, and replay reads them back."""

from __future__ import annotations

import io
import logging
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from civicpulse.files import durable_replace

log = logging.getLogger(__name__)

# requests has already decoded these, so storing them would describe bytes we no longer hold.
_TRANSPORT_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


@dataclass(frozen=True)
class ArchivedResponse:
    """One HTTP response as stored in a WARC response record."""

    url: str
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes
    record_id: str
    date: str


class WarcArchive:
    """Appends response records to `<path>.part`; renamed to `path` on close, so a crash
    leaves no half-written archive under the final name."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._partial = path.with_name(path.name + ".part")
        path.parent.mkdir(parents=True, exist_ok=True)
        self._handle = self._partial.open("wb")
        self._writer = WARCWriter(self._handle, gzip=True, warc_version="1.1")

    def write_response(
        self,
        url: str,
        status: int,
        reason: str,
        headers: Iterable[tuple[str, str]],
        body: bytes,
        fetched_at: datetime,
    ) -> str:
        """Append one response; return its WARC-Record-ID."""
        kept = [(k, v) for k, v in headers if k.lower() not in _TRANSPORT_HEADERS]
        kept.append(("Content-Length", str(len(body))))
        http_headers = StatusAndHeaders(f"{status} {reason}", kept, protocol="HTTP/1.1")
        record_id = f"<urn:uuid:{uuid.uuid4()}>"
        record = self._writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            http_headers=http_headers,
            warc_headers_dict={
                "WARC-Record-ID": record_id,
                "WARC-Date": fetched_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            },
        )
        self._writer.write_record(record)
        return record_id

    def close(self) -> None:
        self._handle.close()
        durable_replace(self._partial, self.path)
        log.info("archived responses in %s", self.path)

    def __enter__(self) -> WarcArchive:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def read_responses(path: Path) -> Iterator[ArchivedResponse]:
    """Every response record in one WARC file (gzipped or not)."""
    with path.open("rb") as handle:
        for record in ArchiveIterator(handle):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            status_line = record.http_headers.get_statuscode() or "0"
            yield ArchivedResponse(
                url=record.rec_headers.get_header("WARC-Target-URI"),
                status=int(status_line),
                reason=record.http_headers.statusline.partition(" ")[2],
                headers=list(record.http_headers.headers),
                body=record.content_stream().read(),
                record_id=record.rec_headers.get_header("WARC-Record-ID"),
                date=record.rec_headers.get_header("WARC-Date"),
            )


def warc_files(folder: Path) -> list[Path]:
    """WARC files below `folder`, in a stable order."""
    return sorted(p for p in folder.rglob("*") if p.name.endswith((".warc", ".warc.gz")))
