"""URLs as the importer compares them: one spelling for the many a site may use."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit


def normalise_url(url: str) -> str:
    """``url`` for comparisons: lower-case scheme and host, query parameters sorted, no
    fragment and no trailing slash."""
    parts = urlsplit(url.strip())
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    path = parts.path.rstrip("/")
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, query, ""))
