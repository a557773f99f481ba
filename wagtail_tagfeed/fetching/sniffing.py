"""Whether what was read can be an HTML page, from its declared type and its first bytes."""

from __future__ import annotations

import codecs
import json
import re

from wagtail_tagfeed.errors import gettext as _

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
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"PK\x03\x04", "zip"),
    (b"\x1f\x8b", "gzip"),
)
HTML_HINT = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|title|meta|div|p|a|article|section|main|ul|ol|li"
    rb"|h[1-6]|span|table|br|img|link|script|header|nav|footer)[\s/>]",
    re.IGNORECASE,
)


def refused_type(content_type: str | None) -> bool:
    """Whether a declared media type can never hold an HTML page."""
    return bool(content_type) and (
        content_type in NOT_HTML_TYPES
        or content_type.endswith(("+json", "+zip"))
        or content_type.startswith(NOT_HTML_TYPE_PREFIXES)
    )


def not_html_reason(content: bytes, content_type: str | None) -> str | None:
    """Why a body is not an HTML page, or None when it may be one.

    A declared HTML type is trusted unless the bytes are clearly something else; any other
    type (or none, as for files) is accepted only when the bytes show HTML markup.
    """
    if not content.strip():
        return _("empty document")
    if refused_type(content_type):
        return _("not HTML but %(type)s") % {"type": content_type}
    head = content[:1024]
    for signature, kind in SIGNATURES:
        if head.startswith(signature):
            return _signature_reason(kind)
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return _("not HTML but a WebP image")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    if b"\x00" in head:
        return _("not HTML but binary data")
    if content.lstrip()[:1] in (b"{", b"["):
        try:
            json.loads(content)
        except ValueError:
            pass
        else:
            return _("not HTML but JSON")
    if content_type not in HTML_TYPES and not HTML_HINT.search(content[:8192]):
        return _("does not look like HTML (%(what)s)") % {
            "what": content_type or _("no HTML markup found")
        }
    return None


def _signature_reason(kind: str) -> str:
    return {
        "pdf": _("not HTML but a PDF document"),
        "png": _("not HTML but a PNG image"),
        "jpeg": _("not HTML but a JPEG image"),
        "gif": _("not HTML but a GIF image"),
        "zip": _("not HTML but a ZIP archive"),
        "gzip": _("not HTML but a gzip archive"),
    }[kind]
