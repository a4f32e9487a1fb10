"""A failed task is never silent: a summary lands in reports/failures/, and the connection
`civicpulse_alerts`, when set, carries it (here a webhook on a real local server)."""

from __future__ import annotations

import json
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest

from civicpulse.alerts import on_failure
from civicpulse.settings import Settings


@contextmanager
def webhook() -> Iterator[tuple[str, list[dict[str, object]]]]:
    """A real HTTP endpoint on 127.0.0.1 that records the JSON posted to it."""
    received: list[dict[str, object]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            length = int(self.headers["Content-Length"])
            received.append(json.loads(self.rfile.read(length)))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hooks/civicpulse", received
    finally:
        server.shutdown()


def context() -> dict[str, object]:
    """What Airflow hands an on_failure_callback, as far as the callback reads it."""
    ti = SimpleNamespace(
        dag_id="scrape_news",
        task_id="land",
        map_index=2,
        run_id="scheduled__2026-11-20",
        try_number=3,
    )
    return {"ti": ti, "exception": RuntimeError("ndi: batch of 12 records failed; quarantined")}


def test_a_failure_is_written_and_posted_to_the_webhook(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    with webhook() as (url, received):
        connection = json.dumps({"conn_type": "http", "host": url})
        monkeypatch.setenv("AIRFLOW_CONN_CIVICPULSE_ALERTS", connection)
        on_failure(context())

    (text,) = [message["text"] for message in received]
    assert "civicpulse: scrape_news.land[2] failed (scheduled__2026-11-20)" in str(text)
    assert "RuntimeError: ndi: batch of 12 records failed; quarantined" in str(text)
    (summary,) = (settings.reports_root / "failures").glob("*.md")
    assert summary.read_text(encoding="utf-8") == f"{text}\n"


@contextmanager
def smtp_server() -> Iterator[tuple[int, list[bytes]]]:
    """A real (minimal) SMTP server on 127.0.0.1 that records each message's DATA."""
    messages: list[bytes] = []

    class Handler(socketserver.StreamRequestHandler):
        def handle(self) -> None:
            self.wfile.write(b"220 civicpulse-test ESMTP\r\n")
            while line := self.rfile.readline():
                verb = line[:4].upper()
                if verb == b"DATA":
                    self.wfile.write(b"354 go ahead\r\n")
                    data = b"".join(iter(self.rfile.readline, b".\r\n"))
                    messages.append(data)
                    self.wfile.write(b"250 queued\r\n")
                elif verb == b"QUIT":
                    self.wfile.write(b"221 bye\r\n")
                    return
                else:  # EHLO, MAIL FROM, RCPT TO, RSET, NOOP
                    self.wfile.write(b"250 ok\r\n")

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1], messages
    finally:
        server.shutdown()
        server.server_close()


def test_an_smtp_connection_emails_the_summary(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    with smtp_server() as (port, messages):
        extra = {"to": "team@example.org", "disable_ssl": True, "disable_tls": True}
        connection = {"conn_type": "smtp", "host": "127.0.0.1", "port": port, "extra": extra}
        monkeypatch.setenv("AIRFLOW_CONN_CIVICPULSE_ALERTS", json.dumps(connection))
        on_failure(context())

    (message,) = messages
    assert b"To: team@example.org" in message and b"From: civicpulse@localhost" in message
    assert b"Subject: civicpulse: scrape_news.land[2] failed" in message
    assert len(list((settings.reports_root / "failures").glob("*.md"))) == 1


def test_a_slack_webhook_connection_posts_through_the_slack_provider(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    with webhook() as (url, received):
        connection = json.dumps({"conn_type": "slackwebhook", "password": url})
        monkeypatch.setenv("AIRFLOW_CONN_CIVICPULSE_ALERTS", connection)
        on_failure(context())

    (message,) = received
    assert "civicpulse: scrape_news.land[2] failed (scheduled__2026-11-20)" in str(message["text"])
    assert len(list((settings.reports_root / "failures").glob("*.md"))) == 1


def test_without_a_connection_only_the_summary_is_written(settings: Settings) -> None:
    on_failure(context())
    assert len(list((settings.reports_root / "failures").glob("*.md"))) == 1


def test_a_broken_notifier_never_raises(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    closed = json.dumps({"conn_type": "http", "host": "http://127.0.0.1:9/nothing-listens"})
    monkeypatch.setenv("AIRFLOW_CONN_CIVICPULSE_ALERTS", closed)
    on_failure(context())  # logged, not raised: the task's own failure stays the story
    assert len(list((settings.reports_root / "failures").glob("*.md"))) == 1
