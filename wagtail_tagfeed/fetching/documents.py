"""Read a page from a file, standard input or an http(s) URL, or any file from a URL."""

from __future__ import annotations

import dataclasses
import re
import sys
from pathlib import Path
from typing import BinaryIO, overload

from wagtail_tagfeed.errors import FetchError, NotHTMLError
from wagtail_tagfeed.errors import gettext as _
from wagtail_tagfeed.listing import Document, NotModified, Validators

from . import http
from .crawl import Crawl
from .decoding import codec_name
from .policy import FetchPolicy
from .sniffing import not_html_reason

ACCEPT_HTML = "text/html,application/xhtml+xml"
HTTP_URL = re.compile(r"https?://", re.IGNORECASE)


@dataclasses.dataclass(frozen=True)
class Response:
    """What an http(s) URL answered, after redirects."""

    url: str
    content: bytes
    content_type: str | None
    charset: str | None
    etag: str | None = None
    last_modified: str | None = None


@overload
def fetch(
    source: str,
    *,
    crawl: Crawl | None = ...,
    policy: FetchPolicy | None = ...,
    base_url: str | None = ...,
    encoding: str | None = ...,
    stdin: BinaryIO | None = ...,
    validators: None = ...,
) -> Document: ...


@overload
def fetch(
    source: str,
    *,
    crawl: Crawl | None = ...,
    policy: FetchPolicy | None = ...,
    base_url: str | None = ...,
    encoding: str | None = ...,
    stdin: BinaryIO | None = ...,
    validators: Validators,
) -> Document | NotModified: ...


def fetch(
    source: str,
    *,
    crawl: Crawl | None = None,
    policy: FetchPolicy | None = None,
    base_url: str | None = None,
    encoding: str | None = None,
    stdin: BinaryIO | None = None,
    validators: Validators | None = None,
) -> Document | NotModified:
    """Read ``source`` (a path, an http(s) URL or ``-`` for standard input) into a Document.

    A URL is fetched as part of ``crawl`` (its deadline, robots.txt and host limits), or of a
    run of its own under ``policy``. With ``validators`` (an earlier answer's ``ETag`` and
    ``Last-Modified``), an unchanged page comes back as :class:`NotModified`.

    Raises :class:`FetchError` when the source cannot be read and :class:`NotHTMLError` when
    what was read is not an HTML page; both carry a one-line message naming the source.
    """
    label = _("standard input") if source == "-" else source
    codec = codec_name(encoding)
    if encoding is not None and codec is None:
        http.fail(label, _("unknown encoding %(name)r") % {"name": encoding})
    if HTTP_URL.match(source):
        crawl = _crawl(crawl, policy)
        request = http.Request(
            source,
            max_bytes=crawl.policy.max_bytes,
            accept=ACCEPT_HTML,
            html=True,
            headers=validators.headers() if validators else {},
            what=_("the page"),
        )
        answer = _get(request, crawl, validators)
        if isinstance(answer, NotModified):
            return answer
        reason = not_html_reason(answer.content, answer.content_type)
        if reason:
            http.fail(source, reason, NotHTMLError, url=answer.url)
        return Document(
            content=answer.content,
            source=source,
            url=answer.url,
            encoding=codec or codec_name(answer.charset),
            content_type=answer.content_type,
            etag=answer.header("ETag"),
            last_modified=answer.header("Last-Modified"),
        )
    max_bytes = (policy or (crawl.policy if crawl else FetchPolicy())).max_bytes
    if source == "-":
        content = _read_stream(stdin or sys.stdin.buffer, label, max_bytes)
    elif re.match(r"[a-zA-Z][a-zA-Z0-9+.-]+://", source) and not Path(source).exists():
        scheme = source.split(":", 1)[0]
        http.fail(label, _("unsupported URL scheme %(scheme)r") % {"scheme": scheme})
    else:
        content = _read_file(source, max_bytes)
    reason = not_html_reason(content, None)
    if reason:
        http.fail(label, reason, NotHTMLError)
    return Document(content=content, source=source, url=base_url, encoding=codec)


@overload
def fetch_bytes(
    url: str,
    *,
    crawl: Crawl | None = ...,
    policy: FetchPolicy | None = ...,
    max_bytes: int | None = ...,
    validators: None = ...,
) -> Response: ...


@overload
def fetch_bytes(
    url: str,
    *,
    crawl: Crawl | None = ...,
    policy: FetchPolicy | None = ...,
    max_bytes: int | None = ...,
    validators: Validators,
) -> Response | NotModified: ...


def fetch_bytes(
    url: str,
    *,
    crawl: Crawl | None = None,
    policy: FetchPolicy | None = None,
    max_bytes: int | None = None,
    validators: Validators | None = None,
) -> Response | NotModified:
    """GET an http(s) URL whatever its type (an image, say), with the guarantees of :func:`fetch`.

    ``max_bytes`` defaults to the policy's ``max_bytes``. Raises :class:`FetchError`.
    """
    if not HTTP_URL.match(url):
        http.fail(url, _("not an http(s) URL"))
    crawl = _crawl(crawl, policy)
    request = http.Request(
        url,
        max_bytes=crawl.policy.max_bytes if max_bytes is None else max_bytes,
        headers=validators.headers() if validators else {},
        what=_("the download"),
    )
    answer = _get(request, crawl, validators)
    if isinstance(answer, NotModified):
        return answer
    return Response(
        answer.url,
        answer.content,
        answer.content_type,
        answer.charset,
        etag=answer.header("ETag"),
        last_modified=answer.header("Last-Modified"),
    )


def _crawl(crawl: Crawl | None, policy: FetchPolicy | None) -> Crawl:
    if crawl is None:
        return Crawl(policy)
    if policy is not None and policy != crawl.policy:
        raise ValueError("give a policy or a crawl, not both: the crawl has its policy")
    return crawl


def _get(request: http.Request, crawl: Crawl, validators: Validators | None):
    """The final 2xx answer (or NotModified for a 304 to a conditional request)."""
    answer = http.get(request, crawl)
    if answer.status == 304 and validators:
        return NotModified(
            request.source,
            answer.url,
            etag=answer.header("ETag") or validators.etag,
            last_modified=answer.header("Last-Modified") or validators.last_modified,
        )
    if not 200 <= answer.status < 300:
        http.fail(request.source, http.status_reason(answer), url=answer.url)
    return answer


def _read_stream(stream: BinaryIO, label: str, max_bytes: int) -> bytes:
    content = stream.read(max_bytes + 1)
    if len(content) > max_bytes:
        http.fail(label, _("larger than %(bytes)s bytes") % {"bytes": f"{max_bytes:,}"})
    return content


def _read_file(path: str, max_bytes: int) -> bytes:
    reasons = {
        FileNotFoundError: _("file not found"),
        IsADirectoryError: _("is a directory, not a file"),
        PermissionError: _("permission denied"),
    }
    try:
        with Path(path).expanduser().open("rb") as stream:
            return _read_stream(stream, path, max_bytes)
    except OSError as error:
        reason = reasons.get(type(error)) or _("cannot read file (%(why)s)") % {
            "why": error.strerror or error
        }
        raise FetchError(" ".join(f"{path}: {reason}".split()), reason=reason) from error
