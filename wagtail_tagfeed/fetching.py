"""Read a listing page from a file, standard input or an http(s) URL into a :class:`Document`.

Fetching is defensive because the URL may come from an editor rather than an administrator:
sizes are capped while reading (also after gzip/deflate decoding), every redirect hop is
checked by hand, the timeout is also an overall deadline for the page, and with
``allow_private=False`` hosts on loopback, private or otherwise non-public addresses are
refused, on every hop. Only the standard library is used for the network.

:func:`decode_html` holds all charset logic, so that the parser decodes the same way.
"""

from __future__ import annotations

import codecs
import contextlib
import dataclasses
import http.client
import ipaddress
import json
import re
import socket
import ssl
import sys
import threading
import time
import zlib
from pathlib import Path
from typing import BinaryIO, NoReturn
from urllib.parse import quote, urljoin, urlsplit

from bs4.dammit import EncodingDetector

from wagtail_tagfeed import __version__
from wagtail_tagfeed.errors import FetchError, NotHTMLError, TagfeedError
from wagtail_tagfeed.listing import Document

USER_AGENT = f"wagtail-tagfeed/{__version__}"
ACCEPT = "text/html,application/xhtml+xml"
MAX_REDIRECTS = 5
CHUNK_SIZE = 64 * 1024
DEADLINE_SLACK = 0.05
"""Seconds: a read timing out this close to the deadline is reported as the deadline."""

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
NOT_HTML_TYPES = frozenset(
    {
        "application/pdf",
        "application/json",
        "application/zip",
        "application/gzip",
        "application/x-gzip",
        "application/msword",
        "application/javascript",
        "text/javascript",
        "text/css",
        "text/csv",
    }
)
NOT_HTML_TYPE_PREFIXES = ("image/", "audio/", "video/", "font/", "model/")
SIGNATURES = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "a gzip archive"),
)
HTML_HINT = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|title|meta|div|p|a|article|section|main|ul|ol|li"
    rb"|h[1-6]|span|table|br|img|link|script|header|nav|footer)[\s/>]",
    re.IGNORECASE,
)
WINDOWS_1252_ALIASES = frozenset({"ascii", "latin-1", "iso8859-1"})
PATH_SAFE = "/%:@!$&'()*+,;=-._~"
HTTP_URL = re.compile(r"https?://", re.IGNORECASE)


def fetch(
    source: str,
    *,
    base_url: str | None = None,
    encoding: str | None = None,
    timeout: float = 10.0,
    max_bytes: int = 5_000_000,
    allow_private: bool = True,
    stdin: BinaryIO | None = None,
) -> Document:
    """Read ``source`` (a path, an http(s) URL or ``-`` for standard input) into a Document.

    Raises :class:`FetchError` when the source cannot be read and :class:`NotHTMLError` when
    what was read is not an HTML page; both carry a one-line message naming the source.
    """
    label = "standard input" if source == "-" else source
    codec = _codec_name(encoding)
    if encoding is not None and codec is None:
        _fail(FetchError, label, f"unknown encoding {encoding!r}")
    if HTTP_URL.match(source):
        limits = _Limits(source, timeout, max_bytes, allow_private)
        response = _fetch_url(limits)
        reason = _not_html_reason(response.content, response.content_type)
        if reason:
            limits.fail(response.url, reason, NotHTMLError)
        return Document(
            content=response.content,
            source=source,
            url=response.url,
            encoding=codec or _codec_name(response.charset),
            content_type=response.content_type,
        )
    if source == "-":
        content = _read_stream(stdin or sys.stdin.buffer, label, max_bytes)
    elif re.match(r"[a-zA-Z][a-zA-Z0-9+.-]+://", source) and not Path(source).exists():
        _fail(FetchError, label, f"unsupported URL scheme {source.split(':', 1)[0]!r}")
    else:
        content = _read_file(source, max_bytes)
    reason = _not_html_reason(content, None)
    if reason:
        _fail(NotHTMLError, label, reason)
    return Document(content=content, source=source, url=base_url, encoding=codec)


@dataclasses.dataclass(frozen=True)
class Response:
    """What an http(s) URL answered, after redirects."""

    url: str
    content: bytes
    content_type: str | None
    charset: str | None


def fetch_bytes(
    url: str,
    *,
    timeout: float = 10.0,
    max_bytes: int = 5_000_000,
    allow_private: bool = True,
) -> Response:
    """GET an http(s) URL whatever its type (an image, say), with the limits of :func:`fetch`.

    The same deadline, size caps, redirect checks and address checks (with the connection
    made to the address that was checked) apply. Raises :class:`FetchError`.
    """
    if not HTTP_URL.match(url):
        _fail(FetchError, url, "not an http(s) URL")
    return _fetch_url(_Limits(url, timeout, max_bytes, allow_private, html=False))


def decode_html(content: bytes, declared: str | None) -> tuple[str, str]:
    """Decode an HTML page, returning the text and the name of the encoding used.

    The order is: a byte-order mark; the declared charset (HTTP header or the user's choice);
    a ``<meta charset>``, ``<meta http-equiv="Content-Type">`` or XML declaration in the
    first 4 KB; strict UTF-8; and finally windows-1252 with replacement characters, the
    browsers' default. Statistical detection is deliberately not used: on teaser-sized pages
    it confuses the single-byte code pages (windows-1252 reported as windows-1250 or cp852),
    and windows-1252 and windows-1254 (Turkish) differ in six letters only, so no detector
    tells them apart reliably. A legacy page without a declaration needs its encoding given.
    """
    data, bom_encoding = EncodingDetector.strip_byte_order_mark(content)
    if bom_encoding:
        codec = _codec_name(bom_encoding) or "utf-8"
        return data.decode(codec, errors="replace"), codec
    meta = EncodingDetector.find_declared_encoding(content[:4096], is_html=True)
    for label in (declared, meta):
        codec = _codec_name(label)
        if codec:
            # A page that reached us as bytes cannot really be UTF-16 without a BOM.
            codec = "utf-8" if codec.startswith("utf-16") else codec
            return data.decode(codec, errors="replace"), codec
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def _codec_name(label: str | None) -> str | None:
    """Python's codec name for a charset label, or None when the label is unknown.

    ASCII and Latin-1 labels mean windows-1252, a superset of both, as on the web.
    """
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except (LookupError, ValueError):
        return None
    return "cp1252" if name in WINDOWS_1252_ALIASES else name


def _fail(error_class: type[TagfeedError], label: str, reason: str) -> NoReturn:
    reason = " ".join(reason.split())
    raise error_class(f"{' '.join(label.split())}: {reason}", reason=reason)


def _read_stream(stream: BinaryIO, label: str, max_bytes: int) -> bytes:
    content = stream.read(max_bytes + 1)
    if len(content) > max_bytes:
        _fail(FetchError, label, f"larger than {max_bytes:,} bytes")
    return content


def _read_file(path: str, max_bytes: int) -> bytes:
    reasons = {
        FileNotFoundError: "file not found",
        IsADirectoryError: "is a directory, not a file",
        PermissionError: "permission denied",
    }
    try:
        with Path(path).expanduser().open("rb") as stream:
            return _read_stream(stream, path, max_bytes)
    except OSError as error:
        reason = reasons.get(type(error)) or f"cannot read file ({error.strerror or error})"
        raise FetchError(" ".join(f"{path}: {reason}".split())) from error


def _refused_type(content_type: str | None) -> bool:
    """Whether a declared media type can never hold an HTML page."""
    return bool(content_type) and (
        content_type in NOT_HTML_TYPES
        or content_type.endswith(("+json", "+zip"))
        or content_type.startswith(NOT_HTML_TYPE_PREFIXES)
    )


def _not_html_reason(content: bytes, content_type: str | None) -> str | None:
    """Why a body is not an HTML page, or None when it may be one.

    A declared HTML type is trusted unless the bytes are clearly something else; any other
    type (or none, as for files) is accepted only when the bytes show HTML markup.
    """
    if not content.strip():
        return "empty document"
    if _refused_type(content_type):
        return f"not HTML but {content_type}"
    head = content[:1024]
    for signature, kind in SIGNATURES:
        if head.startswith(signature):
            return f"not HTML but {kind}"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "not HTML but a WebP image"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    if b"\x00" in head:
        return "not HTML but binary data"
    if content.lstrip()[:1] in (b"{", b"["):
        try:
            json.loads(content)
        except ValueError:
            pass
        else:
            return "not HTML but JSON"
    if content_type not in HTML_TYPES and not HTML_HINT.search(content[:8192]):
        return f"does not look like HTML ({content_type or 'no HTML markup found'})"
    return None


@dataclasses.dataclass
class _Limits:
    """What one URL fetch may spend, and the label its errors carry."""

    source: str
    timeout: float
    max_bytes: int
    allow_private: bool
    html: bool = True
    """Whether an HTML page is wanted: it is asked for, and other declared types refused."""
    deadline: float = dataclasses.field(init=False)

    def __post_init__(self) -> None:
        self.deadline = time.monotonic() + self.timeout

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def fail(
        self, url: str, reason: str, error_class: type[TagfeedError] = FetchError
    ) -> NoReturn:
        where = "" if url == self.source else f" (at {url})"
        _fail(error_class, self.source, reason + where)

    def too_large(self, url: str) -> NoReturn:
        self.fail(url, f"larger than {self.max_bytes:,} bytes")

    def overall_timeout(self, url: str) -> NoReturn:
        what = "the page" if self.html else "the download"
        self.fail(url, f"timed out: {what} took longer than {self.timeout:g} s")


def _fetch_url(limits: _Limits) -> Response:
    """Follow up to MAX_REDIRECTS redirects by hand, checking every hop."""
    url = urlsplit(limits.source)._replace(fragment="").geturl()
    seen = {url}
    for _hop in range(MAX_REDIRECTS + 1):
        result = _request(url, limits)
        if isinstance(result, Response):
            return result
        target = urlsplit(urljoin(url, result))._replace(fragment="").geturl()
        if urlsplit(target).scheme.lower() not in ("http", "https"):
            limits.fail(url, f"refused redirect to {target} (only http and https are allowed)")
        if target in seen:
            limits.fail(url, f"redirect loop back to {target}")
        seen.add(target)
        url = target
    limits.fail(url, f"too many redirects (more than {MAX_REDIRECTS})")


def _request(url: str, limits: _Limits) -> Response | str:
    """Make one GET request: the answer, or the Location of a redirect."""
    parts = urlsplit(url)
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        limits.fail(url, "invalid port in URL")
    if not host:
        limits.fail(url, "no host in URL")
    address = None if limits.allow_private else _public_address(url, host, port, limits)
    remaining = limits.remaining()
    if remaining <= 0:
        limits.overall_timeout(url)
    connect_timeout = min(limits.timeout, remaining)
    if parts.scheme.lower() == "https":
        connection = http.client.HTTPSConnection(
            host, port, timeout=connect_timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(host, port, timeout=connect_timeout)
    if address is not None:
        # Connect to the address that was checked, so a second DNS answer cannot differ;
        # the Host header and TLS server name still use the host name.
        connection._create_connection = lambda target, *args: socket.create_connection(
            (address, target[1]), *args
        )
    try:
        try:
            connection.connect()
        except TimeoutError:
            limits.fail(url, f"timed out connecting to {host} ({connect_timeout:g} s)")
        except (OSError, UnicodeError) as error:
            limits.fail(url, _describe_network_error(error, host))
        return _exchange(connection, url, limits)
    finally:
        connection.close()


def _exchange(connection: http.client.HTTPConnection, url: str, limits: _Limits) -> Response | str:
    """Send the request on a connected socket and read the answer before the deadline.

    A watchdog shuts the socket down at the deadline, which wakes any blocked read, so a
    server trickling its headers or body cannot hold the fetch beyond the timeout.
    """
    sock = connection.sock
    expired = threading.Event()
    watchdog = threading.Timer(max(limits.remaining(), 0), _abort, (sock, expired))
    watchdog.daemon = True
    watchdog.start()
    response = None
    try:
        response = _send(connection, url, limits)
        if response.status in REDIRECT_STATUSES:
            location = response.getheader("Location", "").strip()
            if not location:
                limits.fail(url, f"HTTP {response.status} redirect without a Location header")
            return location
        if not 200 <= response.status < 300:
            reason = response.reason or http.client.responses.get(response.status, "")
            limits.fail(url, f"HTTP {response.status} {reason}".strip())
        content_type = (
            response.headers.get_content_type() if response.getheader("Content-Type") else None
        )
        if limits.html and _refused_type(content_type):
            limits.fail(url, f"not HTML but {content_type}", NotHTMLError)
        length = response.getheader("Content-Length", "").strip()
        if length.isdigit() and int(length) > limits.max_bytes:
            limits.too_large(url)
        content = _read_body(response, sock, url, limits, expired)
    except TimeoutError:
        if expired.is_set() or limits.remaining() < DEADLINE_SLACK:
            limits.overall_timeout(url)
        limits.fail(url, f"timed out waiting for the server ({limits.timeout:g} s)")
    except (http.client.HTTPException, OSError) as error:
        if expired.is_set():
            limits.overall_timeout(url)
        limits.fail(url, _describe_network_error(error, connection.host))
    finally:
        watchdog.cancel()
        if response is not None:
            response.close()
    if expired.is_set():
        limits.overall_timeout(url)
    return Response(url, content, content_type, response.headers.get_content_charset())


def _send(
    connection: http.client.HTTPConnection, url: str, limits: _Limits
) -> http.client.HTTPResponse:
    parts = urlsplit(url)
    target = quote(parts.path or "/", safe=PATH_SAFE)
    if parts.query:
        target += "?" + quote(parts.query, safe=PATH_SAFE + "?")
    connection.putrequest("GET", target, skip_accept_encoding=True)
    connection.putheader("User-Agent", USER_AGENT)
    connection.putheader("Accept", ACCEPT if limits.html else "*/*")
    connection.putheader("Accept-Encoding", "gzip, deflate")
    connection.putheader("Connection", "close")
    connection.endheaders()
    connection.sock.settimeout(min(limits.timeout, max(limits.remaining(), 0.001)))
    return connection.getresponse()


def _read_body(
    response: http.client.HTTPResponse,
    sock: socket.socket,
    url: str,
    limits: _Limits,
    expired: threading.Event,
) -> bytes:
    """Read the body chunk by chunk, checking the raw and decoded sizes and the deadline."""
    inflater = _Inflater.for_encoding(response.getheader("Content-Encoding", ""), url, limits)
    raw_size = 0
    pieces: list[bytes] = []
    decoded_size = 0
    while True:
        remaining = limits.remaining()
        if remaining <= 0 or expired.is_set():
            limits.overall_timeout(url)
        sock.settimeout(min(limits.timeout, remaining))
        chunk = response.read1(CHUNK_SIZE)
        if not chunk:
            break
        raw_size += len(chunk)
        if raw_size > limits.max_bytes:
            limits.too_large(url)
        piece = inflater.feed(chunk, limits.max_bytes - decoded_size + 1) if inflater else chunk
        decoded_size += len(piece)
        if decoded_size > limits.max_bytes:
            limits.too_large(url)
        pieces.append(piece)
    if not expired.is_set() and response.length:
        limits.fail(url, "the connection closed before the whole page was received")
    return b"".join(pieces)


class _Inflater:
    """Incremental gzip/deflate decoding that never yields more than asked for.

    ``deflate`` is meant to be zlib-wrapped but some servers send raw deflate data, so the
    raw format is tried when the first bytes are not a zlib header.
    """

    def __init__(self, name: str, url: str, limits: _Limits) -> None:
        self.name = name
        self.url = url
        self.limits = limits
        self.decompressor = zlib.decompressobj(wbits=47)  # gzip or zlib header
        self.fallback_input: bytearray | None = bytearray() if name == "deflate" else None

    @classmethod
    def for_encoding(cls, header: str, url: str, limits: _Limits) -> _Inflater | None:
        name = header.strip().lower()
        if name in ("", "identity"):
            return None
        if name not in ("gzip", "x-gzip", "deflate"):
            limits.fail(url, f"unsupported Content-Encoding {header!r}")
        return cls(name, url, limits)

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
            self.limits.fail(self.url, f"invalid {self.name} data")


def _abort(sock: socket.socket, expired: threading.Event) -> None:
    """Run by the watchdog at the deadline: wake up any blocked read on ``sock``."""
    expired.set()
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def _is_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether an address is on the public internet (not loopback, private, link-local...)."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def _public_address(url: str, host: str, port: int | None, limits: _Limits) -> str:
    """Resolve ``host`` and return its first address, refusing it if any is not public."""
    try:
        infos = socket.getaddrinfo(host, port or 80, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        limits.fail(url, f"cannot resolve host {host!r}")
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if not _is_public(ip):
            limits.fail(url, f"refused: {host} is on a non-public address ({ip})")
    return addresses[0]


def _describe_network_error(error: Exception, host: str) -> str:
    if isinstance(error, (socket.gaierror, UnicodeError)):
        return f"cannot resolve host {host!r}"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, ConnectionResetError):
        return "connection reset by the server"
    if isinstance(error, ssl.SSLCertVerificationError):
        return f"TLS certificate not accepted ({error.verify_message})"
    if isinstance(error, ssl.SSLError):
        return f"TLS error ({error.reason or error})"
    if isinstance(error, http.client.RemoteDisconnected):
        return "the server closed the connection without answering"
    if isinstance(error, http.client.HTTPException):
        return f"invalid HTTP response ({type(error).__name__})"
    return f"network error ({getattr(error, 'strerror', None) or error})"
