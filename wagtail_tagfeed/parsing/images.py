"""Choose an item's image: the picture the page shows, not a guess at a better one.

An ``<img>``'s ``src`` first (its lazy-loading attribute when ``src`` is a placeholder, the
first ``srcset`` candidate when it has neither), then the ``<noscript>`` copy lazy loaders
leave, then a CSS ``background-image``; never avatars, icons, tracking pixels or the buttons
of share widgets. ``<source>`` crops of a ``<picture>`` are used only when its ``<img>``
gives nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from urllib.parse import urljoin

from bs4 import BeautifulSoup, Tag

from .text import attr, class_parts, is_web_url

_LAZY = (
    "data-src",
    "data-lazy-src",
    "data-original",
    "data-lazy",
    "data-url",
    "data-hi-res-src",
    "data-orig-file",
)
_LAZY_SETS = ("data-srcset", "data-lazy-srcset")
_BACKGROUND_ATTRS = ("data-bg", "data-background", "data-background-image", "data-bg-src")
_PIXEL_PATH = re.compile(
    r"(pixel|spacer|blank|transparent|placeholder|1x1|tracking|beacon)[\w-]*\.(gif|png)|"
    r"/(lazy[\w-]*|loading|loader|spinner)\.(gif|png|svg)(\?|$)|"
    r"/(default[-_]?(pic|img|image|thumb)|no[-_]?(image|img|pic|photo|thumb))[\w-]*\.\w+|"
    r"/(pixel|beacon|track|tr)(\?|/|$)|\.gif\?",
    re.IGNORECASE,
)
_SKIP_WORDS = frozenset(("avatar", "gravatar", "author", "emoji", "icon", "logo", "wp-smiley"))
_SHARE_WORDS = frozenset(("share", "sharing", "social", "socials", "sharer", "addthis"))
SHARE_LINK = re.compile(
    r"(?:^|[/.?&=_-])(?:share|sharer|sharing)(?:\.php|[/?#&=_-]|$)|intent/tweet|"
    r"twitter\.com/home\?status|pinterest\.com/pin/create|addtoany\.com|^(?:mailto|whatsapp):",
    re.IGNORECASE,
)
"""The address of a share button: a share endpoint, not an article whose slug says "share"."""
_WIDTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([wx])\s*$")
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(?P<url>[^'\")]+?)\1\s*(?:\)|$|;)", re.IGNORECASE)


def _candidates_of(srcset: str) -> list[tuple[str, float]]:
    pieces = re.split(r",\s+", srcset.strip()) if ", " in srcset else srcset.split(",")
    found = []
    for candidate in pieces:
        parts = candidate.strip().split()
        if not parts:
            continue
        size = 1.0
        if len(parts) > 1:
            match = _WIDTH.match(parts[1])
            if match:
                size = float(match[1])
        found.append((parts[0].rstrip(","), size))
    return found


def first_candidate(srcset: str) -> str | None:
    """The URL of the first candidate of a ``srcset`` value."""
    found = _candidates_of(srcset)
    return found[0][0] if found else None


def largest_candidate(srcset: str) -> str | None:
    """The URL of the widest (or highest-density) candidate in a ``srcset`` value."""
    best_size, best_url = -1.0, None
    for url, size in _candidates_of(srcset):
        if size > best_size:
            best_size, best_url = size, url
    return best_url


def _usable(url: str | None) -> bool:
    if not url:
        return False
    return is_web_url(url) and not _PIXEL_PATH.search(url.lower())


def _is_pixel(img: Tag) -> bool:
    width, height = attr(img, "width"), attr(img, "height")
    return width in ("0", "1") or height in ("0", "1")


def image_url(img: Tag, base: str | None) -> str | None:
    """The URL of the picture one ``<img>`` (or ``<source>``) shows, made absolute, or
    ``None``.

    ``src`` comes first; when it is missing or a placeholder, the lazy-loading attributes,
    then the first ``srcset`` candidate.
    """
    if img.name == "img" and (_is_pixel(img) or class_parts(img) & _SKIP_WORDS):
        return None
    for url in _candidates(img):
        if _usable(url):
            return urljoin(base or "", url.strip())
    return None


def _candidates(img: Tag) -> Iterator[str]:
    attrs = img.attrs
    if img.name == "img":
        yield attr(img, "src")
    for name in _LAZY:
        if name in attrs:
            yield attr(img, name)
    for name in (*_LAZY_SETS, "srcset"):
        if name in attrs:
            yield first_candidate(attr(img, name)) or ""


def background_url(element: Tag, base: str | None) -> str | None:
    """The image of an element's CSS ``background-image`` (inline ``style`` or a lazy
    loader's ``data-bg``), made absolute; an unclosed ``url(`` is read too."""
    for name in _BACKGROUND_ATTRS:
        value = attr(element, name)
        if value:
            match = _CSS_URL.search(value)
            url = match["url"].strip() if match else value
            if _usable(url):
                return urljoin(base or "", url)
    style = attr(element, "style")
    if "url(" not in style.lower() or "background" not in style.lower():
        return None
    match = _CSS_URL.search(style)
    if match and _usable(match["url"].strip()):
        return urljoin(base or "", match["url"].strip())
    return None


def _in_share_widget(element: Tag, block: Tag | None) -> bool:
    for ancestor in element.parents:
        if ancestor.name == "a" and SHARE_LINK.search(attr(ancestor, "href")):
            return True
        if class_parts(ancestor) & _SHARE_WORDS:
            return True
        if ancestor is block or ancestor.name in ("body", "html"):
            break
    return False


def find_image(elements: Iterable[Tag], base: str | None, block: Tag | None = None) -> str | None:
    """The first picture shown among ``elements`` (a block's elements, in order).

    ``block`` bounds the look at ancestors for share widgets.
    """
    fallback = None
    for element in elements:
        name = element.name
        url = None
        if name == "img":
            if not _in_share_widget(element, block):
                url = image_url(element, base)
        elif name == "source":
            parent = element.parent
            if fallback is None and parent is not None and parent.name == "picture":
                fallback = image_url(element, base)
        elif name == "noscript":
            url = _noscript_image(element, base)
        elif "style" in element.attrs or any(key in element.attrs for key in _BACKGROUND_ATTRS):
            url = background_url(element, base)
        if url:
            return url
    return fallback


def _noscript_image(noscript: Tag, base: str | None) -> str | None:
    """The ``<img>`` a lazy loader put in ``<noscript>`` for browsers without scripts."""
    images = noscript.find_all("img")
    if not images and "<img" in noscript.get_text():
        images = BeautifulSoup(noscript.get_text(), "lxml").find_all("img")
    for img in images:
        url = image_url(img, base)
        if url:
            return url
    return None
