"""Find the URL of the listing's next page (older items), never an article's next post."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, urldefrag, urlencode, urljoin, urlsplit, urlunsplit

from bs4 import Tag

from .text import attr, class_parts, classes, collapse, is_web_url, rel
from .urls import normalise_url

_NEXT_TEXT = re.compile(
    r"^(?:next(?: page| posts?| entries| articles?)?|"
    r"older(?: posts?| entries| articles?| stories)?|more (?:posts|articles|entries|stories)|"
    r"page suivante|suivant|nächste(?: seite)?|weiter|"
    r"ältere beiträge|siguiente|avanti)$",
    re.IGNORECASE,
)
# Single and double angle quotes, arrows and triangles pointing right.
_ARROWS = "\u203a»→\u27e9>\u3009▶⇒"
_BACK_ARROWS = "«\u2039←<"
_NEXT_CLASSES = frozenset(
    (
        "next",
        "pager__item--next",
        "pager-next",
        "wp-block-query-pagination-next",
        "pagination-next",
        "page-next",
        "next-page",
        "nextpostslink",
        "older-posts",
        "older",
    )
)
# Containers of an article's own previous/next-post links.
_POST_NAV = re.compile(
    r"^(post-navigation|post-nav|single-post-nav|entry-navigation|prev-next|adjacent-posts|"
    r"post-pagination|article-navigation|nav-single|navigation-post)$"
)
_PAGER_WORDS = frozenset(("pager", "pagination", "paging", "page-numbers", "pages", "paginator"))
_CURRENT_WORDS = frozenset(("current", "active", "is-active", "selected"))
_PAGE_PATH = re.compile(r"/page/(\d+)/?$")
_PAGE_PARAMS = ("page", "paged", "p", "pg")


def _in_post_navigation(tag: Tag) -> bool:
    for ancestor in tag.parents:
        if any(_POST_NAV.match(name) for name in classes(ancestor)):
            return True
        if ancestor.name in ("body", "html"):
            break
    return False


def _ancestor_classes(tag: Tag, levels: int = 3) -> set[str]:
    names: set[str] = set(classes(tag))
    for depth, ancestor in enumerate(tag.parents):
        if depth >= levels or ancestor.name in ("body", "html"):
            break
        names.update(classes(ancestor))
    return names


def _in_pager(tag: Tag) -> bool:
    for depth, ancestor in enumerate(tag.parents):
        if depth >= 4 or ancestor.name in ("body", "html"):
            break
        words = class_parts(ancestor) | {name for name in classes(ancestor)}
        if words & _PAGER_WORDS or attr(ancestor, "aria-label").lower() in {
            "pagination",
            "pager",
        }:
            return True
    return False


_NUMBERED = re.compile(r"(/page/?\d+|[?&](page|paged|p|pg|start|offset)=\d+|\d+(\.html?)?/?$)")


def _paginates(url: str, page_url: str | None) -> bool:
    """Whether ``url`` looks like another page of this listing (not the next document).

    Some generators use ``<link rel=next>`` for the next page of the site's navigation.
    """
    if not page_url:
        return True
    here, there = urlsplit(page_url), urlsplit(url)
    if here.netloc != there.netloc:
        return False
    if there.path == here.path:
        return True
    directory = here.path if here.path.endswith("/") else here.path.rsplit("/", 1)[0] + "/"
    numbered = _NUMBERED.search(there.path) or _NUMBERED.search("?" + there.query)
    return there.path.startswith(directory) and bool(numbered)


def _page_number(url: str) -> int | None:
    parts = urlsplit(url)
    match = _PAGE_PATH.search(parts.path)
    if match:
        return int(match[1])
    for name, value in parse_qsl(parts.query):
        if name in _PAGE_PARAMS and value.isdigit():
            return int(value)
    return None


def _link_says_next(anchor: Tag) -> bool:
    text = collapse(anchor.get_text(" "))
    words = text.strip(_ARROWS + _BACK_ARROWS + " ").strip()
    if not words:
        return bool(text) and text.strip() in _ARROWS
    if _NEXT_TEXT.match(words):
        return True
    label = (attr(anchor, "aria-label") or attr(anchor, "title")).lower()
    return label in {"next", "next page", "go to next page", "older posts", "older entries"}


def find_next_page(
    head_links: Iterable[Tag],
    anchors: Iterable[Tag],
    page_url: str | None,
    base: str | None,
    exclude: Iterable[str] = (),
) -> str | None:
    """The absolute URL of the next listing page, or ``None``.

    ``exclude`` lists article URLs (the items found): a "next" link pointing at one of them is
    an article's next-post link, not a pager.
    """
    here = normalise_url(page_url) if page_url else None
    excluded = {normalise_url(url) for url in exclude}

    def accept(href: str) -> str | None:
        if not href or href.startswith("#") or not is_web_url(href):
            return None
        url = urljoin(base or "", href)
        normal = normalise_url(url)
        if normal == here or normal in excluded:
            return None
        return urldefrag(url)[0]

    for link in head_links:
        if "next" in rel(link):
            found = accept(attr(link, "href"))
            if found and _paginates(found, page_url):
                return found
    anchors = [
        anchor
        for anchor in anchors
        if "prev" not in rel(anchor)
        and "previous" not in rel(anchor)
        and not _in_post_navigation(anchor)
    ]
    for anchor in anchors:
        if "next" in rel(anchor):
            found = accept(attr(anchor, "href"))
            if found:
                return found
    for anchor in anchors:
        names = _ancestor_classes(anchor, levels=2)
        if names & _NEXT_CLASSES or _link_says_next(anchor):
            found = accept(attr(anchor, "href"))
            if found:
                return found
    return _numbered_next(anchors, page_url, accept) or _following_url(anchors, page_url, accept)


def _following_urls(page_url: str) -> set[str]:
    """The URLs the next page would have under the usual schemes (``/page/N/``, ``?page=N``)."""
    parts = urlsplit(page_url)
    path, query = parts.path, parse_qsl(parts.query, keep_blank_values=True)
    found = set()
    match = _PAGE_PATH.search(path)
    if match:
        following = path[: match.start()] + f"/page/{int(match[1]) + 1}/"
        found.add(urlunsplit(parts._replace(path=following)))
    else:
        directory = path if path.endswith("/") else path + "/"
        found.add(urlunsplit(parts._replace(path=directory + "page/2/")))
    numbered = [(name, value) for name, value in query if name in _PAGE_PARAMS]
    name, number = (numbered[0][0], numbered[0][1]) if numbered else ("page", "1")
    if number.isdigit():
        others = [(key, value) for key, value in query if key != name]
        following = urlencode([*others, (name, str(int(number) + 1))])
        found.add(urlunsplit(parts._replace(query=following)))
    return {normalise_url(url) for url in found}


def _following_url(anchors: list[Tag], page_url: str | None, accept) -> str | None:
    """A link to where the next page would be by the usual URL schemes, if the page has one."""
    if not page_url:
        return None
    wanted = _following_urls(page_url)
    for anchor in anchors:
        found = accept(attr(anchor, "href"))
        if found and normalise_url(found) in wanted:
            return found
    return None


def _numbered_next(anchors: list[Tag], page_url: str | None, accept) -> str | None:
    """The pager link numbered one past the current page."""
    pager = [anchor for anchor in anchors if _in_pager(anchor)]
    if not pager:
        return None
    current: int | None = None
    for anchor in pager:
        marked = attr(anchor, "aria-current") or (
            _ancestor_classes(anchor, levels=1) & _CURRENT_WORDS
            or class_parts(anchor) & _CURRENT_WORDS
        )
        text = collapse(anchor.get_text(" "))
        if marked and text.isdigit():
            current = int(text)
            break
    if current is None:
        for parent in {id(a.parent): a.parent for a in pager if a.parent is not None}.values():
            for child in parent.find_all(("span", "strong", "em", "b"), recursive=False):
                text = collapse(child.get_text(" "))
                if text.isdigit() and (
                    _CURRENT_WORDS & class_parts(child) or attr(child, "aria-current")
                ):
                    current = int(text)
                    break
    if current is None:
        current = _page_number(page_url or "") or 1
    wanted = str(current + 1)
    for anchor in pager:
        if collapse(anchor.get_text(" ")) == wanted:
            found = accept(attr(anchor, "href"))
            if found:
                return found
    return None
