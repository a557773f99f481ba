"""URLs as the importer compares them: one spelling for the many a site may use."""

from __future__ import annotations

import functools
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING_PARAMETERS = re.compile(
    r"^(?:utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|igshid|mc_cid|mc_eid|_ga|_gl"
    r"|oly_enc_id|oly_anon_id|vero_id|wickedid|__s|ref_src|s_cid|cmpid)$",
    re.IGNORECASE,
)
"""Query parameters that only say where a visitor came from, never which page it is."""


def normalise_url(url: str) -> str:
    """``url`` for comparisons: lower-case scheme and host, query parameters sorted, no
    fragment and no trailing slash."""
    parts = urlsplit(url.strip())
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    path = parts.path.rstrip("/")
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, query, ""))


LABEL = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
PLAIN_URL = re.compile(
    rf"https?://(?:www\.)?+((?:{LABEL}\.)*{LABEL})(/[\w\-.~%!$&'()*+,;=:@/]*)?", re.ASCII
)
"""An http(s) URL whose key is its host without ``www.`` and its path: a lower-case host
name, no user, port, query or fragment, and a path of characters ``urlsplit`` keeps as they
are (most addresses an import meets)."""


@functools.lru_cache(maxsize=65536)
def source_key(url: str) -> str:
    """What identifies an article's address, whoever links to it and how.

    The same article is one key whether it is reached over http or https, with or without
    ``www.``, a default port, a trailing slash, a fragment or tracking parameters. (An import
    asks for the keys of each address several times: matching, linking and writing.)
    """
    plain = PLAIN_URL.fullmatch(url)
    if plain:
        return plain[1] + (plain[2] or "").rstrip("/")
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").removeprefix("www.")
    port = parts.port if parts.port not in (None, 80, 443) else None
    query = urlencode(
        sorted(
            (name, value)
            for name, value in parse_qsl(parts.query, keep_blank_values=True)
            if not TRACKING_PARAMETERS.match(name)
        )
    )
    path = parts.path.rstrip("/")
    key = f"{host}:{port}{path}" if port else f"{host}{path}"
    return f"{key}?{query}" if query else key


@functools.lru_cache(maxsize=65536)
def hostname(url: str) -> str | None:
    """``url``'s host name, lower-cased (an import asks for the host of each link twice)."""
    return urlsplit(url).hostname


def is_article_address(url: str | None) -> bool:
    """Whether ``url`` can name one article: an http(s) URL with a path below the root.

    Some sites declare their home page as every page's canonical URL; such a URL must not
    stand for an article.
    """
    if not url:
        return False
    parts = urlsplit(url)
    return (
        parts.scheme in ("http", "https") and bool(parts.hostname) and parts.path.strip("/") != ""
    )
