"""Answer HTTP requests from WARC files instead of the network, beneath the polite client."""

from __future__ import annotations

import io
import logging
from collections.abc import Mapping
from pathlib import Path

import requests
from requests.adapters import BaseAdapter
from urllib3 import HTTPHeaderDict, HTTPResponse

from civicpulse.archive import ArchivedResponse, read_responses, warc_files

log = logging.getLogger(__name__)


class ReplayAdapter(BaseAdapter):
    """A requests transport that serves recorded responses by URL; unknown URLs get a 404.

    Mounted on the fetcher's session, so host checks, robots.txt, retries and the size cap
    all run exactly as they do against the live web.
    """

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.responses: dict[str, ArchivedResponse] = {}
        for path in warc_files(folder):
            for response in read_responses(path):
                self.responses[response.url] = response  # later recordings win
        if not self.responses:
            raise FileNotFoundError(f"replay: no WARC responses found under {folder}")
        log.info("replay: %d recorded responses from %s", len(self.responses), folder)

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float, float] | tuple[float, None] | None = None,
        verify: bool | str = True,
        cert: bytes | str | tuple[bytes | str, bytes | str] | None = None,
        proxies: Mapping[str, str] | None = None,
    ) -> requests.Response:
        url = request.url or ""
        recorded = self.responses.get(url)
        if recorded is None:
            log.debug("replay: %s is not in the snapshot", url)
            status, reason, headers, body = 404, "Not Found", [], b"not in snapshot"
        elif _not_modified(request, recorded):
            status, reason, headers, body = 304, "Not Modified", _validators(recorded), b""
        else:
            status, reason = recorded.status, recorded.reason
            headers, body = recorded.headers, recorded.body
        raw = HTTPResponse(
            body=io.BytesIO(body),
            headers=HTTPHeaderDict(headers),
            status=status,
            reason=reason,
            preload_content=False,
            decode_content=False,
        )
        response = requests.Response()
        response.status_code = status
        response.reason = reason
        response.headers = requests.structures.CaseInsensitiveDict(headers)
        response.raw = raw
        response.url = url
        response.request = request
        response.encoding = requests.utils.get_encoding_from_headers(response.headers)
        return response

    def close(self) -> None:
        """Nothing to release: responses live in memory."""


def _validators(recorded: ArchivedResponse) -> list[tuple[str, str]]:
    return [(k, v) for k, v in recorded.headers if k.lower() in ("etag", "last-modified")]


def _not_modified(request: requests.PreparedRequest, recorded: ArchivedResponse) -> bool:
    """Answer conditional requests as the recorded server would (RFC 9110 §13.2.2)."""
    mine = {k.lower(): v for k, v in _validators(recorded)}
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        return "etag" in mine and mine["etag"] in {t.strip() for t in if_none_match.split(",")}
    since = request.headers.get("If-Modified-Since")
    return since is not None and "last-modified" in mine and mine["last-modified"] == since
