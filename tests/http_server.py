"""A real HTTP server on 127.0.0.1 that answers from a script of responses per path."""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (a client timeout shorter than this fires)
    reset: bool = False  # answer nothing: reset the TCP connection (RST)


@dataclass
class Site:
    """Scripted replies by path; the last reply of a path repeats. Requests are recorded.

    A reply with a `Connection` header is sent without Content-Length (the body ends when
    the connection closes), as servers streaming unknown lengths do."""

    replies: dict[str, list[Reply]]
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    served: list[tuple[str, float, float]] = field(default_factory=list)  # path, start, end
    base: str = ""

    def next_reply(self, path: str) -> Reply:
        script = self.replies.get(path)
        if not script:
            return Reply(404, b"not found")
        return script.pop(0) if len(script) > 1 else script[0]


@contextmanager
def serve(replies: dict[str, list[Reply]]) -> Iterator[Site]:
    site = Site(replies)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            started = time.time()
            site.requests.append((self.path, dict(self.headers)))
            reply = site.next_reply(self.path)
            time.sleep(reply.delay)
            if reply.reset:  # linger 0 then close: the kernel sends RST, not FIN
                linger = struct.pack("ii", 1, 0)
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
                self.connection.close()
                self.close_connection = True
                return
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if "Content-Length" not in reply.headers and "Connection" not in reply.headers:
                self.send_header("Content-Length", str(len(reply.body)))
            try:
                self.end_headers()
                self.wfile.write(reply.body)
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up first (a timeout): what the test wanted
            site.served.append((self.path, started, time.time()))

        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            length = int(self.headers.get("Content-Length", "0"))
            form = self.rfile.read(length).decode()
            site.requests.append((self.path, {**dict(self.headers), "form": form}))
            reply = site.next_reply(self.path)
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    site.base = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
