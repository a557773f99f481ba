"""Choose an item's image: real URLs from ``src``, lazy-loading attributes or ``srcset``."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from urllib.parse import urljoin

from bs4 import Tag

from .text import attr, class_parts, is_web_url

_LAZY = ("data-src", "data-lazy-src", "data-original", "data-lazy", "data-url", "data-hi-res-src")
_LAZY_SETS = ("data-srcset", "data-lazy-srcset")
_PIXEL_PATH = re.compile(
    r"(pixel|spacer|blank|transparent|placeholder|1x1|tracking|beacon)[\w-]*\.(gif|png)|"
    r"/(pixel|beacon|track|tr)(\?|/|$)|\.gif\?",
    re.IGNORECASE,
)
_SKIP_WORDS = frozenset(("avatar", "gravatar", "author", "emoji", "icon", "logo", "wp-smiley"))
_WIDTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([wx])\s*$")


def largest_candidate(srcset: str) -> str | None:
    """The URL of the widest (or highest-density) candidate in a ``srcset`` value."""
    pieces = re.split(r",\s+", srcset.strip()) if ", " in srcset else srcset.split(",")
    best_size, best_url = -1.0, None
    for candidate in pieces:
        parts = candidate.strip().split()
        if not parts:
            continue
        size = 1.0
        if len(parts) > 1:
            match = _WIDTH.match(parts[1])
            if match:
                size = float(match[1])
        if size > best_size:
            best_size, best_url = size, parts[0].rstrip(",")
    return best_url


def _usable(url: str | None) -> bool:
    if not url:
        return False
    return is_web_url(url) and not _PIXEL_PATH.search(url.lower())


def _is_pixel(img: Tag) -> bool:
    width, height = attr(img, "width"), attr(img, "height")
    return width in ("0", "1") or height in ("0", "1")


def image_url(img: Tag, base: str | None) -> str | None:
    """The real image URL of one ``<img>`` (or ``<source>``), made absolute, or ``None``.

    Lazy-loading attributes come first (``src`` is then usually a placeholder), then ``src``,
    then the largest ``srcset`` candidate.
    """
    if img.name == "img" and (_is_pixel(img) or class_parts(img) & _SKIP_WORDS):
        return None
    for url in _candidates(img):
        if _usable(url):
            return urljoin(base or "", url.strip())
    return None


def _candidates(img: Tag) -> Iterator[str]:
    attrs = img.attrs
    for name in _LAZY:
        if name in attrs:
            yield attr(img, name)
    if img.name == "img":
        yield attr(img, "src")
    for name in (*_LAZY_SETS, "srcset"):
        if name in attrs:
            yield largest_candidate(attr(img, name)) or ""


def find_image(elements: Iterable[Tag], base: str | None) -> str | None:
    """The first usable image among ``elements`` (``<picture>`` sources count too)."""
    for img in elements:
        if img.name not in ("img", "source"):
            continue
        if img.name == "source" and (img.parent is None or img.parent.name != "picture"):
            continue
        url = image_url(img, base)
        if url:
            return url
    return None
