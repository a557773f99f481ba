"""A real HTTP server on 127.0.0.1 for tests that fetch pages, and its ``http_server`` fixture.

The server listens on a free port in a background thread and answers from a route table::

    def test_page(http_server):
        url = http_server.route("/tag/turkey", body="<html>...</html>")
        http_server.route("/gone", status=404, body="")
        http_server.redirect("/old", "/tag/turkey")
        http_server.handler("/slow", slow_handler)
        fetch(http_server.url("/old"))

A route answers with a fixed status, headers and body (``Content-Type`` defaults to
``text/html; charset=utf-8``; ``Content-Length`` is added unless given). A handler is any
callable taking the :class:`http.server.BaseHTTPRequestHandler` and writing the whole
response itself, for slow, trickling, compressed or malformed answers; it should wait with
:meth:`HTTPTestServer.sleep`, which returns early when the test ends. Each request seen is
recorded in :attr:`HTTPTestServer.requests`, except those for ``/robots.txt`` (which every
fetch asks for first), recorded in :attr:`HTTPTestServer.robots_requests`; the most
requests ever under way at once (from their arrival until the server starts answering) is
:attr:`HTTPTestServer.most_at_once`. Unknown paths
answer 404.
"""

from __future__ import annotations

import ssl
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

Handler = Callable[[BaseHTTPRequestHandler], None]
TLS_FOLDER = Path(__file__).resolve().parents[1] / "data" / "tls"


@dataclass(frozen=True)
class Route:
    status: int
    headers: Mapping[str, str]
    body: bytes


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    headers: Mapping[str, str]
    at: float = 0.0
    """When it arrived (``time.monotonic()``)."""


class HTTPTestServer:
    """A threaded HTTP server on 127.0.0.1 with a route table that tests fill in."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.scheme = "https" if tls else "http"
        self.requests: list[RecordedRequest] = []
        self.robots_requests: list[RecordedRequest] = []
        self.most_at_once = 0
        self.server_names: list[str | None] = []
        self.stopping = threading.Event()
        self._under_way = 0
        self._count_lock = threading.Lock()
        self._routes: dict[str, Route | Handler] = {}
        self._server = _Server(("127.0.0.1", 0), _request_handler(self))
        if tls:
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        """The absolute URL of ``path`` on this server (under another name, if given)."""
        return f"{self.scheme}://{host}:{self.port}{path}"

    def route(
        self,
        path: str,
        body: bytes | str = b"",
        status: int = 200,
        headers: Mapping[str, str] | None = None,
    ) -> str:
        """Answer ``path`` with a fixed response; returns its URL."""
        if isinstance(body, str):
            body = body.encode()
        if headers is None:
            headers = {"Content-Type": "text/html; charset=utf-8"}
        self._routes[path] = Route(status, dict(headers), body)
        return self.url(path)

    def redirect(self, path: str, location: str, status: int = 302) -> str:
        """Answer ``path`` with a redirect to ``location``; returns its URL."""
        return self.route(path, status=status, headers={"Location": location})

    def handler(self, path: str, handler: Handler) -> str:
        """Answer ``path`` by calling ``handler(request)``; returns its URL."""
        self._routes[path] = handler
        return self.url(path)

    def trickle(
        self,
        path: str,
        body: bytes,
        content_type: str,
        *,
        length: int | None = None,
        interval: float = 0.2,
    ) -> str:
        """Answer ``path`` with ``body`` one byte per ``interval`` seconds; returns its URL.

        ``length`` is the ``Content-Length`` sent, if any: it may promise more than the body.
        """

        def send(request) -> None:
            request.send_response(200)
            request.send_header("Content-Type", content_type)
            if length is not None:
                request.send_header("Content-Length", str(length))
            request.end_headers()
            for byte in body:
                if not self.sleep(interval):
                    return
                request.wfile.write(bytes([byte]))
                request.wfile.flush()

        return self.handler(path, send)

    def sleep(self, seconds: float) -> bool:
        """Wait in a handler; False when the server is stopping and the handler should end."""
        return not self.stopping.wait(seconds)

    def arrived(self) -> None:
        with self._count_lock:
            self._under_way += 1
            self.most_at_once = max(self.most_at_once, self._under_way)

    def answered(self) -> None:
        """The server starts answering: from here on, the client may move on to its next
        request before this thread gets to run again, so the request counts as done."""
        with self._count_lock:
            self._under_way -= 1

    def lookup(self, path: str) -> Route | Handler | None:
        return self._routes.get(path) or self._routes.get(path.split("?", 1)[0])

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and wait for every handler thread to end."""
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


class _Server(ThreadingHTTPServer):
    daemon_threads = False
    block_on_close = True

    def handle_error(self, request, client_address) -> None:
        """Clients hanging up early is what many tests do on purpose: stay quiet about it."""


def _request_handler(server: HTTPTestServer) -> type[BaseHTTPRequestHandler]:
    class RequestHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        timeout = 10

        def do_GET(self) -> None:
            self._answer(send_body=True)

        def do_HEAD(self) -> None:
            self._answer(send_body=False)

        def _answer(self, send_body: bool) -> None:
            self.answering = False
            server.arrived()
            try:
                self._respond(send_body)
            finally:
                self._stop_counting()

        def end_headers(self) -> None:
            self._stop_counting()
            super().end_headers()

        def _stop_counting(self) -> None:
            if not self.answering:
                self.answering = True
                server.answered()

        def _respond(self, send_body: bool) -> None:
            recorded = RecordedRequest(
                self.command, self.path, dict(self.headers), time.monotonic()
            )
            if self.path == "/robots.txt":
                server.robots_requests.append(recorded)
            else:
                server.requests.append(recorded)
            self.close_connection = True
            answer = server.lookup(self.path)
            if callable(answer):
                answer(self)
                return
            route = answer or Route(404, {"Content-Type": "text/plain"}, b"Not Found")
            self.send_response(route.status)
            for name, value in route.headers.items():
                self.send_header(name, value)
            if not any(name.lower() == "content-length" for name in route.headers):
                self.send_header("Content-Length", str(len(route.body)))
            self.send_header("Connection", "close")
            self.end_headers()
            if send_body:
                self.wfile.write(route.body)

        def log_message(self, format: str, *args: object) -> None:
            """Keep test output clean."""

    return RequestHandler


@pytest.fixture
def http_server() -> Iterator[HTTPTestServer]:
    """A running :class:`HTTPTestServer`, stopped (threads joined) after the test."""
    yield from _running(HTTPTestServer())


@pytest.fixture
def https_server() -> Iterator[HTTPTestServer]:
    """An :class:`HTTPTestServer` speaking TLS with a certificate for ``news.test``.

    The certificate is signed by ``tests/data/tls/ca.pem``, which no system trusts: tests
    point ``SSL_CERT_FILE`` at it. The server names clients asked for (SNI) are recorded in
    :attr:`HTTPTestServer.server_names`.
    """
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(TLS_FOLDER / "news.test.pem")
    names: list[str | None] = []
    context.sni_callback = lambda sock, name, ctx: names.append(name)
    server = HTTPTestServer(tls=context)
    server.server_names = names
    yield from _running(server)


def _running(server: HTTPTestServer) -> Iterator[HTTPTestServer]:
    server.start()
    try:
        yield server
    finally:
        server.stop()
