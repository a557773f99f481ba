"""One http(s) GET under every guarantee fetching gives, on urllib3's connection classes.

For each hop of a redirect chain: the host is resolved once and every address it has must be
public (unless allowed), robots.txt must allow the URL, the connection goes to an address
that was checked (``server_hostname`` keeps TLS verification and SNI on the host name, a
``Host`` header keeps virtual hosting), and the request waits for a place among the run's
requests to that host. The body is read raw and decoded here, so the size cap holds after
gzip/deflate decoding too. A watchdog shuts the socket down at the deadline, which wakes any
blocked read: a server trickling its headers or body cannot hold a fetch past it. Connection
errors, HTTP 429 and HTTP 503 are tried again, after ``Retry-After`` or a jittered backoff,
as long as the run's deadline allows.
"""

from __future__ import annotations

import contextlib
import dataclasses
import email.message
import email.utils
import http.client
import random
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Mapping
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, NoReturn, Protocol
from urllib.parse import SplitResult, quote, urljoin, urlsplit

from urllib3 import BaseHTTPResponse
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.exceptions import (
    ConnectTimeoutError,
    IncompleteRead,
    NameResolutionError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
)
from urllib3.exceptions import SSLError as URLLib3SSLError

from wagtail_tagfeed.errors import FetchError, NotHTMLError, TagfeedError
from wagtail_tagfeed.errors import gettext as _

from . import addresses
from .sniffing import refused_type

if TYPE_CHECKING:
    from .policy import Deadline, FetchPolicy

MAX_REDIRECTS = 5
CHUNK_SIZE = 64 * 1024
DEADLINE_SLACK = 0.05
"""Seconds: a read timing out this close to the deadline is reported as the deadline."""
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({429, 503})
BACKOFF_BASE = 0.5
"""Seconds: the first retry waits up to this long, each later one up to twice as long."""
BACKOFF_CAP = 10.0
MAX_RETRY_AFTER = 120.0
"""Seconds: a server asking to wait longer than this is not tried again in this run."""
PATH_SAFE = "/%:@!$&'()*+,;=-._~"


class Crawl(Protocol):
    """What a fetch needs from the run it is part of (:class:`.crawl.Crawl` is the one)."""

    policy: FetchPolicy
    deadline: Deadline

    def check_robots(self, url: str, source: str) -> None: ...

    def slot(self, parts: SplitResult, clock: Clock) -> AbstractContextManager[None]:
        """Wait for a place among the run's requests to the host."""


@dataclasses.dataclass(frozen=True)
class Request:
    """What to ask for and how much of it to take."""

    source: str
    """The URL as given, which error messages name."""
    max_bytes: int
    accept: str = "*/*"
    html: bool = False
    """Whether only an HTML page will do: declared types that cannot be one are refused."""
    truncate: bool = False
    """Keep the first ``max_bytes`` of a longer body instead of failing (robots.txt)."""
    robots: bool = True
    """Whether robots.txt must allow each hop (not for robots.txt itself)."""
    headers: Mapping[str, str] = dataclasses.field(default_factory=dict)
    what: str = ""
    """What the timeout message says took too long: "the page", "the download"..."""


@dataclasses.dataclass(frozen=True)
class Answer:
    """The final (non-redirect) answer to a request."""

    url: str
    status: int
    reason: str
    headers: Mapping[str, str]
    content: bytes
    content_type: str | None
    charset: str | None

    def header(self, name: str) -> str | None:
        value = self.headers.get(name)
        return value.strip() if value else None


class TooManyRedirects(FetchError):
    """More redirects than :data:`MAX_REDIRECTS` (robots.txt then counts as unavailable)."""


class _Retryable(FetchError):
    """A connection that failed before any answer: worth another try."""


def fail(
    source: str, reason: str, error_class: type[TagfeedError] = FetchError, url: str = ""
) -> NoReturn:
    """Raise ``error_class`` with the one-line message ``source: reason (at url)``."""
    if url and url != source:
        reason += " " + _("(at %(url)s)") % {"url": url}
    reason = " ".join(reason.split())
    raise error_class(f"{' '.join(source.split())}: {reason}", reason=reason)


class Clock:
    """The deadline of one try of a fetch: its own timeout, or the run's end if sooner."""

    def __init__(self, request: Request, crawl: Crawl) -> None:
        self.request = request
        self.timeout = crawl.policy.timeout
        self.run = crawl.deadline
        run_left = self.run.remaining()
        self.run_binds = run_left < self.timeout
        self.ends = time.monotonic() + min(self.timeout, run_left)

    def remaining(self) -> float:
        return max(self.ends - time.monotonic(), 0.0)

    def timed_out(self, url: str) -> NoReturn:
        if self.run_binds:
            reason = run_timed_out(self.run.seconds)
        else:
            reason = _("timed out: %(what)s took longer than %(seconds)s s") % {
                "what": self.request.what or _("the download"),
                "seconds": f"{self.timeout:g}",
            }
        fail(self.request.source, reason, url=url)


def run_timed_out(seconds: float) -> str:
    return _("timed out: the run's time limit of %(seconds)s s was reached") % {
        "seconds": f"{seconds:g}"
    }


def get(request: Request, crawl: Crawl) -> Answer:
    """GET ``request.source``, following redirects and trying again when worth it.

    Returns the final answer whatever its status (redirects excepted); raises
    :class:`FetchError` when there is none.
    """
    for attempt in range(crawl.policy.retries):
        try:
            answer = _follow(request, crawl, Clock(request, crawl))
        except _Retryable as error:
            _wait_before_retry(request, crawl, attempt, None, error.reason)
            continue
        if answer.status not in RETRY_STATUSES:
            return answer
        _wait_before_retry(request, crawl, attempt, answer, status_reason(answer))
    try:
        return _follow(request, crawl, Clock(request, crawl))
    except _Retryable as error:
        raise FetchError(str(error), reason=error.reason) from None


def status_reason(answer: Answer) -> str:
    reason = answer.reason or http.client.responses.get(answer.status, "")
    return f"HTTP {answer.status} {reason}".strip()


def _wait_before_retry(
    request: Request, crawl: Crawl, attempt: int, answer: Answer | None, reason: str
) -> None:
    """Sleep before the next try, or fail at once when the wait cannot end in time."""
    url = answer.url if answer else ""
    wait = random.uniform(0, min(BACKOFF_CAP, BACKOFF_BASE * 2**attempt))
    asked = retry_after(answer.header("Retry-After")) if answer else None
    if asked is not None and asked > MAX_RETRY_AFTER:
        reason += " " + _("(asked to retry after %(seconds)s s)") % {"seconds": f"{asked:.0f}"}
        fail(request.source, reason, url=url)
    if asked is not None:
        wait = asked
    if wait >= crawl.deadline.remaining():
        reason += "; " + _("a retry after %(seconds)s s would pass the run's time limit") % {
            "seconds": f"{wait:.1f}"
        }
        fail(request.source, reason, url=url)
    time.sleep(wait)


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds a ``Retry-After`` value asks to wait; None when absent, past or malformed."""
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        return None
    seconds = when.timestamp() - (time.time() if now is None else now)
    return seconds if seconds > 0 else None


def _follow(request: Request, crawl: Crawl, clock: Clock) -> Answer:
    """Follow up to MAX_REDIRECTS redirects by hand, checking every hop."""
    url = urlsplit(request.source)._replace(fragment="").geturl()
    seen = {url}
    for _hop in range(MAX_REDIRECTS + 1):
        answer = _exchange(url, request, crawl, clock)
        if answer.status not in REDIRECT_STATUSES:
            return answer
        location = answer.header("Location")
        if not location:
            fail(
                request.source,
                _("HTTP %(status)s redirect without a Location header")
                % {"status": answer.status},
                url=url,
            )
        target = urlsplit(urljoin(url, location))._replace(fragment="").geturl()
        if urlsplit(target).scheme.lower() not in ("http", "https"):
            fail(
                request.source,
                _("refused redirect to %(target)s (only http and https are allowed)")
                % {"target": target},
                url=url,
            )
        if target in seen:
            fail(request.source, _("redirect loop back to %(target)s") % {"target": target})
        seen.add(target)
        url = target
    fail(
        request.source,
        _("too many redirects (more than %(count)s)") % {"count": MAX_REDIRECTS},
        TooManyRedirects,
        url=url,
    )


def _exchange(url: str, request: Request, crawl: Crawl, clock: Clock) -> Answer:
    """One request and its answer, for one hop."""
    parts = urlsplit(url)
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        fail(request.source, _("invalid port in URL"), url=url)
    if not host:
        fail(request.source, _("no host in URL"), url=url)
    https = parts.scheme.lower() == "https"
    port = port or (443 if https else 80)
    checked = _checked_addresses(url, host, port, request, crawl)
    if request.robots:
        crawl.check_robots(url, request.source)
    with crawl.slot(parts, clock):
        if clock.remaining() <= 0:
            clock.timed_out(url)
        connection = _connect(url, host, port, https, checked, request, clock)
        try:
            return _converse(connection, url, parts, request, crawl, clock)
        finally:
            connection.close()


def _checked_addresses(
    url: str, host: str, port: int, request: Request, crawl: Crawl
) -> list[str]:
    """The host's addresses, refusing the host if any of them is not public (unless allowed)."""
    try:
        found = addresses.resolve(host, port)
    except (OSError, UnicodeError):
        fail(request.source, _("cannot resolve host %(host)r") % {"host": host}, url=url)
    if not crawl.policy.allow_private:
        for address in found:
            if not addresses.is_public(addresses.parse(address)):
                # The address itself is not named: it would tell about the internal network.
                fail(
                    request.source,
                    _("refused: %(host)s is on a non-public address") % {"host": host},
                    url=url,
                )
    return found


def _connect(
    url: str,
    host: str,
    port: int,
    https: bool,
    checked: list[str],
    request: Request,
    clock: Clock,
) -> HTTPConnection:
    """A connection to the first checked address that answers."""
    error: Exception | None = None
    timeout = 0.0
    for address in checked:
        timeout = min(clock.timeout, clock.remaining())
        if timeout <= 0:
            clock.timed_out(url)
        if https:
            connection: HTTPConnection = HTTPSConnection(
                address, port, timeout=timeout, server_hostname=host
            )
        else:
            connection = HTTPConnection(address, port, timeout=timeout)
        try:
            connection.connect()
        except (OSError, ConnectTimeoutError, URLLib3SSLError) as exc:
            connection.close()
            error = exc
            if isinstance(exc, ssl.SSLError | ssl.CertificateError):
                break
            continue
        return connection
    assert error is not None
    if isinstance(error, ConnectTimeoutError) and not isinstance(error, NewConnectionError):
        if clock.remaining() < DEADLINE_SLACK:
            clock.timed_out(url)
        # Not tried again: a host that does not answer would cost the whole timeout again.
        reason = _("timed out connecting to %(host)s (%(seconds)s s)") % {
            "host": host,
            "seconds": f"{round(timeout, 2):g}",
        }
        fail(request.source, reason, url=url)
    retryable = _is_retryable(error)
    fail(request.source, describe(error, host), _Retryable if retryable else FetchError, url=url)


def _converse(
    connection: HTTPConnection,
    url: str,
    parts: SplitResult,
    request: Request,
    crawl: Crawl,
    clock: Clock,
) -> Answer:
    """Send the request on a connected socket and read the answer before the deadline."""
    sock = connection.sock
    expired = threading.Event()
    watchdog = threading.Timer(clock.remaining(), _abort, (sock, expired))
    watchdog.daemon = True
    watchdog.start()
    response = None
    try:
        connection.timeout = max(min(clock.timeout, clock.remaining()), 0.001)
        connection.request(
            "GET",
            _target(parts),
            headers=_headers(parts, request, crawl),
            preload_content=False,
            decode_content=False,
        )
        response = connection.getresponse()
        headers = dict(response.headers.items())
        content_type, charset = _media_type(response.headers.get("Content-Type"))
        answer = Answer(url, response.status, response.reason or "", headers, b"", None, None)
        if response.status in REDIRECT_STATUSES or not 200 <= response.status < 300:
            return answer
        if request.html and refused_type(content_type):
            fail(
                request.source,
                _("not HTML but %(type)s") % {"type": content_type},
                NotHTMLError,
                url=url,
            )
        length = (response.headers.get("Content-Length") or "").strip()
        if length.isdigit() and int(length) > request.max_bytes and not request.truncate:
            _too_large(url, request)
        content = _read_body(response, url, request, clock, expired)
    except (TimeoutError, ReadTimeoutError):
        if expired.is_set() or clock.remaining() < DEADLINE_SLACK:
            clock.timed_out(url)
        fail(
            request.source,
            _("timed out waiting for the server (%(seconds)s s)")
            % {"seconds": f"{clock.timeout:g}"},
            url=url,
        )
    except (http.client.HTTPException, OSError, ProtocolError, URLLib3SSLError) as error:
        if expired.is_set():
            clock.timed_out(url)
        retryable = response is None and _is_retryable(error)
        error_class = _Retryable if retryable else FetchError
        fail(request.source, describe(error, parts.hostname or ""), error_class, url=url)
    finally:
        watchdog.cancel()
        if response is not None:
            response.close()
    if expired.is_set():
        clock.timed_out(url)
    return dataclasses.replace(answer, content=content, content_type=content_type, charset=charset)


def _target(parts: SplitResult) -> str:
    target = quote(parts.path or "/", safe=PATH_SAFE)
    if parts.query:
        target += "?" + quote(parts.query, safe=PATH_SAFE + "?")
    return target


def _headers(parts: SplitResult, request: Request, crawl: Crawl) -> dict[str, str]:
    return {
        "Host": parts.netloc.rpartition("@")[2],
        "User-Agent": crawl.policy.user_agent,
        "Accept": request.accept,
        "Accept-Encoding": "gzip, deflate",
        "Connection": "close",
        **request.headers,
    }


def _media_type(header: str | None) -> tuple[str | None, str | None]:
    """The media type and charset of a ``Content-Type`` header."""
    if not header:
        return None, None
    message = email.message.Message()
    message["Content-Type"] = header
    try:
        charset = message.get_content_charset()
    except (LookupError, UnicodeError, ValueError):
        charset = None
    return message.get_content_type(), charset


def _too_large(url: str, request: Request) -> NoReturn:
    fail(
        request.source,
        _("larger than %(bytes)s bytes") % {"bytes": f"{request.max_bytes:,}"},
        url=url,
    )


def _read_body(
    response: BaseHTTPResponse,
    url: str,
    request: Request,
    clock: Clock,
    expired: threading.Event,
) -> bytes:
    """Read the body chunk by chunk, checking the raw and decoded sizes and the deadline."""
    inflater = _Inflater.for_encoding(response.headers.get("Content-Encoding", ""), url, request)
    limit = request.max_bytes
    raw_size = decoded_size = 0
    pieces: list[bytes] = []
    while True:
        if expired.is_set() or clock.remaining() <= 0:
            clock.timed_out(url)
        chunk = response.read(CHUNK_SIZE, decode_content=False)
        if not chunk:
            break
        raw_size += len(chunk)
        piece = inflater.feed(chunk, limit - decoded_size + 1) if inflater else chunk
        decoded_size += len(piece)
        pieces.append(piece)
        if raw_size > limit or decoded_size > limit:
            if request.truncate:
                return b"".join(pieces)[:limit]
            _too_large(url, request)
    return b"".join(pieces)


class _Inflater:
    """Incremental gzip/deflate decoding that never yields more than asked for.

    ``deflate`` is meant to be zlib-wrapped but some servers send raw deflate data, so the
    raw format is tried when the first bytes are not a zlib header.
    """

    def __init__(self, name: str, url: str, request: Request) -> None:
        self.name = name
        self.url = url
        self.request = request
        self.decompressor = zlib.decompressobj(wbits=47)  # gzip or zlib header
        self.fallback_input: bytearray | None = bytearray() if name == "deflate" else None

    @classmethod
    def for_encoding(cls, header: str, url: str, request: Request) -> _Inflater | None:
        name = header.strip().lower()
        if name in ("", "identity"):
            return None
        if name not in ("gzip", "x-gzip", "deflate"):
            fail(
                request.source,
                _("unsupported Content-Encoding %(name)r") % {"name": header},
                url=url,
            )
        return cls(name, url, request)

    def feed(self, chunk: bytes, limit: int) -> bytes:
        """Decode ``chunk``; when ``limit`` bytes come out, the rest is simply not decoded."""
        try:
            if self.fallback_input is not None:
                self.fallback_input += chunk
                try:
                    output = self.decompressor.decompress(chunk, limit)
                except zlib.error:
                    self.decompressor = zlib.decompressobj(wbits=-15)
                    chunk = bytes(self.fallback_input)
                else:
                    if output:
                        self.fallback_input = None
                    return output
                self.fallback_input = None
            return self.decompressor.decompress(chunk, limit)
        except zlib.error:
            fail(
                self.request.source,
                _("invalid %(name)s data") % {"name": self.name},
                url=self.url,
            )


def _abort(sock: socket.socket, expired: threading.Event) -> None:
    """Run by the watchdog at the deadline: wake up any blocked read on ``sock``."""
    expired.set()
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def _cause(error: BaseException) -> BaseException:
    """The low-level error inside urllib3's wrappers."""
    if isinstance(error, ProtocolError) and len(error.args) > 1:
        inner = error.args[1]
        if isinstance(inner, BaseException):
            return inner
    if isinstance(error, NewConnectionError | URLLib3SSLError) and error.__cause__:
        return error.__cause__
    return error


def _is_retryable(error: BaseException) -> bool:
    cause = _cause(error)
    return isinstance(
        cause,
        ConnectionRefusedError | ConnectionResetError | http.client.RemoteDisconnected,
    ) and not isinstance(error, NameResolutionError)


def describe(error: BaseException, host: str) -> str:
    """A few words on a network error."""
    if isinstance(error, NameResolutionError):
        return _("cannot resolve host %(host)r") % {"host": host}
    cause = _cause(error)
    if isinstance(cause, IncompleteRead | http.client.IncompleteRead):
        return _("the connection closed before the whole page was received")
    if isinstance(cause, socket.gaierror | UnicodeError):
        return _("cannot resolve host %(host)r") % {"host": host}
    if isinstance(cause, ConnectionRefusedError):
        return _("connection refused")
    if isinstance(cause, http.client.RemoteDisconnected):
        return _("the server closed the connection without answering")
    if isinstance(cause, ConnectionResetError):
        return _("connection reset by the server")
    if isinstance(cause, ssl.SSLCertVerificationError):
        return _("TLS certificate not accepted (%(why)s)") % {"why": cause.verify_message}
    if isinstance(cause, ssl.CertificateError):
        return _("TLS certificate not accepted (%(why)s)") % {"why": cause}
    if isinstance(cause, ssl.SSLError):
        return _("TLS error (%(why)s)") % {"why": cause.reason or cause}
    if isinstance(cause, http.client.HTTPException):
        return _("invalid HTTP response (%(kind)s)") % {"kind": type(cause).__name__}
    why = getattr(cause, "strerror", None) or cause
    return _("network error (%(why)s)") % {"why": why}
