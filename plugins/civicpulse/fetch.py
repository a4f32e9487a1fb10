"""The one polite HTTP client: registry hosts only, robots.txt, delays, retries, a size cap,
and every response archived to WARC. Replay mode swaps only the transport underneath."""

from __future__ import annotations

import email.message
import email.utils
import json
import logging
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from protego import Protego

from civicpulse.archive import WarcArchive
from civicpulse.charsets import decode_html
from civicpulse.politeness import HostTurns
from civicpulse.replay import ReplayAdapter
from civicpulse.settings import Settings

log = logging.getLogger(__name__)

MAX_REDIRECTS = 5
BACKOFF_BASE_S = 1.0
BACKOFF_CAP_S = 60.0
RETRY_AFTER_CAP_S = 300.0
_RETRYABLE_STATUS = {429, 500, 502, 503, 504}
_TRANSIENT_ERRORS = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
)


class NotJson(ValueError):
    """An API answered with something that is not JSON."""


class FetchError(RuntimeError):
    """A URL could not be fetched; the message names the URL and the reason."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class HostNotAllowed(FetchError):
    """The URL's host is not in the source registry entry."""


class DisallowedByRobots(FetchError):
    """The site's robots.txt disallows the URL for our user agent."""


class ResponseTooLarge(FetchError):
    """The response body exceeds the configured cap."""


class NotAccepted(FetchError):
    """The response is not of a media type the caller accepts (e.g. a PDF for an article).
    Its body is never read."""


@dataclass(frozen=True)
class Page:
    """A successful response, with the provenance every landed record carries."""

    url: str
    status: int
    headers: requests.structures.CaseInsensitiveDict[str]
    body: bytes
    fetched_at: datetime
    warc_record_id: str

    @property
    def text(self) -> str:
        """The body decoded by the header's charset, else the document's own declaration
        (see `civicpulse.charsets`); raises `UnknownCharset` (a ValueError: a failure of
        this page only) when no declared charset is known and the bytes are not UTF-8."""
        message = email.message.Message()
        message["Content-Type"] = self.headers.get("Content-Type", "")
        charset = message.get_param("charset")
        return decode_html(self.body, str(charset) if charset else None, self.url)

    def json(self) -> Any:
        """The body as JSON; a body that is not (empty, an HTML error page) is a ValueError
        naming the URL."""
        try:
            return json.loads(self.body.decode("utf-8-sig"))
        except ValueError as error:  # UnicodeDecodeError and JSONDecodeError alike
            raise NotJson(f"{self.url}: not JSON ({len(self.body)} bytes): {error}") from None


@dataclass(frozen=True)
class Validators:
    """What a server told us to send back to ask "has this changed?" (RFC 9110 §13)."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass
class FetchStats:
    """What a fetcher did, for the run summary."""

    requests: int = 0
    not_modified: int = 0
    bytes: int = 0
    retries: int = 0
    errors: int = 0


@dataclass
class _Raw:
    url: str
    status: int
    headers: requests.structures.CaseInsensitiveDict[str]
    body: bytes
    fetched_at: datetime
    record_id: str


@dataclass
class Fetcher:
    """Fetches URLs for one source. Use as a context manager so the archive is closed."""

    hosts: frozenset[str]
    settings: Settings
    archive: WarcArchive | None = None
    sleep: Callable[[float], None] = time.sleep
    stats: FetchStats = field(default_factory=FetchStats)
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    _session: requests.Session = field(init=False)
    _robots: dict[str, Protego | None] = field(init=False, default_factory=dict)
    _turns: HostTurns = field(init=False)
    _crawl_delay: dict[str, float] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self._session = requests.Session()
        self._session.headers["User-Agent"] = self.settings.user_agent
        self._turns = HostTurns(self.settings.data_root / ".politeness", self.sleep)
        if self.settings.replay_dir is not None:
            replay = ReplayAdapter(self.settings.replay_dir)
            self._session.mount("http://", replay)
            self._session.mount("https://", replay)

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._session.close()
        if self.archive is not None:
            self.archive.close()

    def get(
        self,
        url: str,
        validators: Validators | None = None,
        accept: frozenset[str] = frozenset(),
        headers: Mapping[str, str] | None = None,
    ) -> Page:
        """GET `url` politely, following redirects only to allowed hosts.

        With `validators` from an earlier response the request is conditional: an unchanged
        resource comes back as a body-less `Page` with status 304. With `accept` media types,
        a successful response of another type raises `NotAccepted` before its body is read.
        `headers` (an API token) are sent, never archived: the archive keeps responses; nor
        are they sent on once a redirect leaves the origin or drops https, as requests decides.
        """
        credentials = dict(headers or {})
        conditional = _conditional_headers(validators)
        for _ in range(MAX_REDIRECTS + 1):
            self._check_allowed(url)
            raw = self._request(url, {**credentials, **conditional}, accept)
            if raw.status in (301, 302, 303, 307, 308) and "Location" in raw.headers:
                target = urljoin(url, raw.headers["Location"])
                if self._session.should_strip_auth(url, target):  # type: ignore[no-untyped-call]
                    credentials = {}  # and for every later hop, even one that comes back
                url = target
                continue
            if raw.status == 304 and conditional:
                self.stats.not_modified += 1
            elif not 200 <= raw.status < 300:
                raise FetchError(url, f"HTTP {raw.status}")
            return Page(raw.url, raw.status, raw.headers, raw.body, raw.fetched_at, raw.record_id)
        raise FetchError(url, f"more than {MAX_REDIRECTS} redirects")

    def post_form(self, url: str, form: Mapping[str, str]) -> Any:
        """POST a form and return its JSON answer: an OAuth token request. Registry hosts only,
        no redirects, no retries, and never archived or logged, as both ways carry secrets."""
        self._check_allowed(url)
        try:
            with (
                self._turn(url),
                self._session.post(
                    url, data=dict(form), timeout=self.settings.timeout_s, allow_redirects=False
                ) as response,
            ):
                self.stats.requests += 1
                status = response.status_code
                body = response.content[: self.settings.max_response_bytes]
        except _TRANSIENT_ERRORS as error:
            raise FetchError(url, _reason(error)) from error
        log.info("POST %s -> %s", url, status)
        if not 200 <= status < 300:
            raise FetchError(url, f"HTTP {status}")  # not the body: it may echo the form
        try:
            return json.loads(body)
        except ValueError as error:
            raise FetchError(url, "answer is not JSON") from error

    def _check_allowed(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.hostname not in self.hosts:
            raise HostNotAllowed(url, f"host {parts.hostname!r} is not in the source registry")
        robots = self._robots_for(f"{parts.scheme}://{parts.netloc}")
        if robots is not None and not robots.can_fetch(url, self.settings.user_agent):
            raise DisallowedByRobots(url, "disallowed by robots.txt")

    def _robots_for(self, origin: str) -> Protego | None:
        if origin not in self._robots:
            raw = self._request(f"{origin}/robots.txt")
            if 200 <= raw.status < 300:
                robots = Protego.parse(raw.body.decode("utf-8", errors="replace"))
                self._robots[origin] = robots
                self._crawl_delay[urlsplit(origin).hostname or ""] = float(
                    robots.crawl_delay(self.settings.user_agent) or 0
                )
            elif 400 <= raw.status < 500:
                self._robots[origin] = None  # RFC 9309: an unavailable robots.txt allows all
            else:
                raise FetchError(f"{origin}/robots.txt", f"HTTP {raw.status}; not crawling")
        return self._robots[origin]

    def _request(
        self, url: str, headers: dict[str, str] | None = None, accept: frozenset[str] = frozenset()
    ) -> _Raw:
        """One logical request: polite delay, bounded retries, archived response."""
        for attempt in range(self.settings.max_retries + 1):
            try:
                with self._turn(url):
                    raw = self._send(url, headers or {}, accept)
            except _TRANSIENT_ERRORS as error:
                self.stats.errors += 1
                reason = _reason(error)
                if attempt == self.settings.max_retries:
                    raise FetchError(url, f"{reason} after {attempt + 1} tries") from error
                self._back_off(url, attempt, None, reason)
                continue
            if raw.status in _RETRYABLE_STATUS and attempt < self.settings.max_retries:
                self._back_off(url, attempt, raw.headers.get("Retry-After"), f"HTTP {raw.status}")
                continue
            return raw
        raise AssertionError("unreachable")  # pragma: no cover

    def _send(self, url: str, headers: dict[str, str], accept: frozenset[str]) -> _Raw:
        with self._session.get(
            url,
            headers=headers,
            timeout=self.settings.timeout_s,
            stream=True,
            allow_redirects=False,
        ) as response:
            self.stats.requests += 1
            fetched_at = datetime.now(UTC)
            kind = _media_type(response.headers.get("Content-Type"))
            if accept and response.ok and kind and kind not in accept:
                log.info("GET %s -> %s %s: not read", url, response.status_code, kind)
                raise NotAccepted(url, f"{kind} is not one of {', '.join(sorted(accept))}")
            body = self._read_capped(url, response)
        self.stats.bytes += len(body)
        record_id = ""
        if self.archive is not None:
            record_id = self.archive.write_response(
                url,
                response.status_code,
                response.reason or "",
                list(response.headers.items()),
                body,
                fetched_at,
            )
        log.info("GET %s -> %s (%d bytes)", url, response.status_code, len(body))
        return _Raw(url, response.status_code, response.headers, body, fetched_at, record_id)

    def _read_capped(self, url: str, response: requests.Response) -> bytes:
        cap = self.settings.max_response_bytes
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > cap:
            raise ResponseTooLarge(url, f"Content-Length {declared} exceeds cap of {cap} bytes")
        chunks, size = [], 0
        for chunk in response.iter_content(chunk_size=65536):
            size += len(chunk)
            if size > cap:
                raise ResponseTooLarge(url, f"body exceeds cap of {cap} bytes")
            chunks.append(chunk)
        return b"".join(chunks)

    @contextmanager
    def _turn(self, url: str) -> Iterator[None]:
        """The host to ourselves for one request (see `politeness`), after its delay: ours,
        or its robots.txt Crawl-delay if longer (a replayed site costs nobody anything, so
        replay waits only for ours)."""
        host = urlsplit(url).hostname or ""
        delay = self.settings.crawl_delay_s
        if self.settings.replay_dir is None:
            delay = max(delay, self._crawl_delay.get(host, 0.0))
        with self._turns.turn(host, delay):
            yield

    def _back_off(self, url: str, attempt: int, retry_after: str | None, reason: str) -> None:
        delay = _retry_after_seconds(retry_after)
        if delay is None:
            delay = min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2**attempt)
        self.stats.retries += 1
        log.warning("%s: %s; retry %d in %.1f s", url, reason, attempt + 1, delay)
        self.sleep(delay)


def _media_type(content_type: str | None) -> str | None:
    """`text/html` from `text/html; charset=UTF-8`; None when the server sent none."""
    kind = (content_type or "").split(";", 1)[0].strip().lower()
    return kind or None


def _conditional_headers(validators: Validators | None) -> dict[str, str]:
    headers = {}
    if validators and validators.etag:
        headers["If-None-Match"] = validators.etag
    if validators and validators.last_modified:
        headers["If-Modified-Since"] = validators.last_modified
    return headers


def _reason(error: Exception) -> str:
    """Why a try failed, in a few words: a body cut short says how short (urllib3's
    IncompleteRead, beneath requests' ChunkedEncodingError), so it is not taken for a page."""
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, urllib3.exceptions.IncompleteRead):
            return f"truncated: got {cause.partial} of {cause.partial + cause.expected} bytes"
        cause = cause.__cause__ or cause.__context__
    return type(error).__name__


def _retry_after_seconds(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date), capped; None
    (back off as usual) for anything else. A date without a zone (`-0000`) is UTC: HTTP's."""
    if not value:
        return None
    if value.strip().isdecimal():  # not isdigit: float() refuses "²"
        return min(float(value), RETRY_AFTER_CAP_S)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (ValueError, OverflowError):  # "year 99999 is out of range", a 30-digit year
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return min(max(0.0, (when - datetime.now(UTC)).total_seconds()), RETRY_AFTER_CAP_S)
