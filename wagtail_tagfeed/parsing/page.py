"""Parse the HTML once and index it in a single pass.

Everything later stages need from the whole document (per-element statistics for block
detection, links, ``<link>``/``<meta>`` tags, JSON-LD scripts, headings) is gathered here so
that no stage scans the full tree again.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, NavigableString, Tag

from .dates import day_first
from .deadline import NO_DEADLINE, Deadline
from .text import attr, class_parts, classes
from .vocabulary import ARTICLE_TYPES, HEADINGS, INVISIBLE

_CHROME_TAGS = frozenset(("nav", "aside", "dialog", "select", "menu"))
_CHROME_ROLES = frozenset(
    ("navigation", "complementary", "banner", "contentinfo", "search", "menu", "menubar", "dialog")
)
_CHROME_WORDS = frozenset(
    [
        "sidebar",
        "widget",
        "widgets",
        "menu",
        "navbar",
        "nav",
        "navigation",
        "breadcrumb",
        "breadcrumbs",
        "cookie",
        "cookies",
        "consent",
        "gdpr",
        "related",
        "popular",
        "trending",
        "mostread",
        "newsletter",
        "subscribe",
        "comments",
        "comment",
        "share",
        "sharing",
        "social",
        "pagination",
        "pager",
        "masthead",
        "toolbar",
        "skip",
        "advert",
        "advertisement",
        "ads",
        "promo",
        "sponsored",
        "modal",
        "popup",
    ]
)
_CONTENT_TAGS = frozenset(("main", "article"))
_BREADCRUMB_WORDS = frozenset(("breadcrumb", "breadcrumbs", "crumbs", "breadcrumbtrail"))
# Classes that differ between blocks of one kind: counters and ids (``post-123``,
# ``views-row-1``), states, WordPress's per-post term and format classes.
_UNSTABLE_CLASS = re.compile(
    r"\d|^(first|last|odd|even|active|current|selected|hidden|visible|show|open|in|"
    r"hentry|sticky|h-entry)$|-(first|last|odd|even)$|"
    r"^(tag|category|term|author|format|status|type|has|is)-"
)
# Grid widths keep their numbers: ``col-md-8`` and ``col-md-4`` are different regions.
_LAYOUT_CLASS = re.compile(
    r"^(col|span|large|medium|small|grid|cell|columns?|u|w)(-[a-z]{2,3})?-\d+$"
)


@functools.lru_cache(maxsize=8192)
def is_stable_class(name: str) -> bool:
    """Whether a class name says what kind of block this is (rather than which one)."""
    return not _UNSTABLE_CLASS.search(name) or bool(_LAYOUT_CLASS.match(name))


@dataclass(slots=True, eq=False)
class Node:
    """One element with counts aggregated over its subtree."""

    tag: Tag
    parent: Node | None
    depth: int
    position: int
    key: int
    path: int
    chrome: bool
    in_link: bool
    text: int
    link_text: int
    links: int
    titles: int
    paragraphs: int
    images: int
    times: int
    mains: int
    end: int
    """Position of the last element inside this one."""
    classes: tuple[str, ...]
    plain_h1s: int = 0
    """``<h1>`` without a link: the page's own heading, never inside an item."""
    chrome_text: int = 0
    """How much of ``text`` (and of ``link_text``, ``links``) is inside menus and sidebars."""
    chrome_link_text: int = 0
    chrome_links: int = 0
    title_text: int = 0
    """How much of ``text`` is in linked headings (the titles)."""


@dataclass
class Page:
    """A parsed document and what was found in one walk over it."""

    soup: BeautifulSoup
    nodes: list[Node] = field(default_factory=list)
    by_tag: dict[int, Node] = field(default_factory=dict)
    anchors: list[Tag] = field(default_factory=list)
    head_links: list[Tag] = field(default_factory=list)
    metas: list[Tag] = field(default_factory=list)
    json_ld: list[str] = field(default_factory=list)
    h1s: list[Node] = field(default_factory=list)
    microdata: list[Node] = field(default_factory=list)
    entries: list[Node] = field(default_factory=list)
    base_href: str | None = None
    language: str | None = None
    """The ``lang`` of ``<html>``."""
    day_first: bool | None = None
    """Whether the page's numeric dates put the day first (from its language)."""
    title: str | None = None
    breadcrumb: Tag | None = None
    """The first breadcrumb trail."""
    body_classes: tuple[str, ...] = ()

    def node(self, tag: Tag) -> Node | None:
        return self.by_tag.get(id(tag))

    def inside(self, node: Node) -> list[Node]:
        """The indexed elements inside ``node``, in document order."""
        return self.nodes[node.position + 1 : node.end + 1]


_ITEMTYPE = re.compile(r"schema\.org/(?P<type>\w+)", re.IGNORECASE)


def _is_article_itemtype(itemtype: str) -> bool:
    return any(match["type"].lower() in ARTICLE_TYPES for match in _ITEMTYPE.finditer(itemtype))


def _signature(tag: Tag) -> str:
    stable = sorted(name for name in classes(tag) if is_stable_class(name))
    return tag.name + "." + ".".join(stable)


def _is_chrome(tag: Tag, in_content: bool) -> bool:
    name = tag.name
    if name in ("html", "body", "main"):
        return False
    if name in _CHROME_TAGS:
        return True
    if attr(tag, "role").lower() in _CHROME_ROLES:
        return True
    words = class_parts(tag, skip_state=True)
    if (name in ("header", "footer") or words & {"header", "footer"}) and not in_content:
        return True
    return bool(words & _CHROME_WORDS)


def index_page(soup: BeautifulSoup, max_depth: int, clock: Deadline = NO_DEADLINE) -> Page:
    """Walk the tree once (iteratively: no recursion limit) and build a :class:`Page`.

    Elements nested deeper than ``max_depth`` are left out of the index.
    """
    page = Page(soup)
    nodes = page.nodes
    by_tag = page.by_tag
    shapes: dict[tuple, tuple[str, bool, tuple[str, ...]]] = {}
    stack: list[tuple[Tag, Node | None, bool]] = [
        (child, None, False) for child in reversed(soup.contents) if isinstance(child, Tag)
    ]
    while stack:
        tag, parent, in_content = stack.pop()
        if not len(nodes) & 1023:
            clock.check()
        name = tag.name
        attrs = tag.attrs
        if name in INVISIBLE:
            _index_invisible(page, tag)
            continue
        if name in ("link", "meta", "base"):
            _index_head_tag(page, tag)
        class_value = attrs.get("class")
        role = attrs.get("role")
        shape_key = (
            name,
            tuple(class_value) if class_value else (),
            attrs.get("id"),
            role,
            in_content,
            attrs.get("aria-label"),
        )
        shape = shapes.get(shape_key)
        if shape is None:
            shape = shapes[shape_key] = _shape(tag, in_content)
        signature, chrome, lowered, trail = shape
        is_main = name == "main" or role == "main"
        if parent is None:
            depth, parent_path, in_link = 0, 0, False
        else:
            depth, parent_path = parent.depth + 1, parent.path
            in_link = parent.in_link or parent.tag.name == "a"
        node = Node(
            tag, parent, depth, len(nodes), hash((parent_path, name)),
            hash((parent_path, signature)), chrome, in_link,
            0, 0, 0, 0, 0, 0, 0, 1 if is_main else 0, len(nodes), lowered,
        )  # fmt: skip
        nodes.append(node)
        by_tag[id(tag)] = node
        if name == "a":
            if attrs.get("href"):
                page.anchors.append(tag)
        elif name == "h1":
            page.h1s.append(node)
        elif name == "body":
            page.body_classes = lowered
        if trail and page.breadcrumb is None:
            page.breadcrumb = tag
        elif name == "html" and page.language is None:
            page.language = attr(tag, "lang") or attr(tag, "xml:lang") or None
            page.day_first = day_first(page.language)
        if "itemscope" in attrs and _is_article_itemtype(attr(tag, "itemtype")):
            page.microdata.append(node)
        elif "h-entry" in lowered or "hentry" in lowered:
            page.entries.append(node)
        if depth >= max_depth:
            continue
        in_content = in_content or name in _CONTENT_TAGS or is_main
        text = 0
        children = []
        for child in tag.contents:
            if type(child) is Tag:
                children.append((child, node, in_content))
            elif type(child) is NavigableString:
                text += len(child.strip())
            elif isinstance(child, Tag):
                children.append((child, node, in_content))
        node.text = text
        stack.extend(reversed(children))
    _aggregate(nodes)
    _inherit_chrome(nodes)
    return page


def _shape(tag: Tag, in_content: bool) -> tuple[str, bool, tuple[str, ...], bool]:
    """What only depends on the element's name and attributes: its signature for grouping,
    whether it is site chrome in itself, its lower-cased class names, and whether it is a
    breadcrumb trail."""
    words = class_parts(tag)
    trail = bool(words & _BREADCRUMB_WORDS) or "breadcrumb" in attr(tag, "aria-label").lower()
    return _signature(tag), _is_chrome(tag, in_content), tuple(classes(tag)), trail


def _index_invisible(page: Page, tag: Tag) -> None:
    if tag.name == "script" and "ld+json" in attr(tag, "type").lower():
        page.json_ld.append(tag.get_text())
    elif tag.name == "head":
        for inner in tag.find_all(("link", "meta", "base", "script", "title")):
            if inner.name == "title":
                page.title = page.title or inner.get_text()
            elif inner.name == "script":
                _index_invisible(page, inner)
            else:
                _index_head_tag(page, inner)


def _index_head_tag(page: Page, tag: Tag) -> None:
    if tag.name == "link":
        page.head_links.append(tag)
    elif tag.name == "meta":
        page.metas.append(tag)
    elif tag.name == "base" and page.base_href is None and attr(tag, "href"):
        page.base_href = attr(tag, "href")


def _aggregate(nodes: list[Node]) -> None:
    """Sum each element's counts into its ancestors (children come after parents)."""
    for node in reversed(nodes):
        name = node.tag.name
        if name == "a" and node.tag.attrs.get("href"):
            node.links += 1
            node.link_text = node.text
        elif name in HEADINGS:
            if node.links or node.in_link:
                node.titles += 1
                node.title_text = node.text
            elif name == "h1":
                node.plain_h1s += 1
        elif name == "p":
            node.paragraphs += 1
        elif name == "img":
            node.images += 1
        elif name == "time":
            node.times += 1
        parent = node.parent
        if parent is not None:
            if node.end > parent.end:
                parent.end = node.end
            parent.text += node.text
            parent.link_text += node.link_text
            parent.links += node.links
            parent.titles += node.titles
            parent.title_text += node.title_text
            parent.paragraphs += node.paragraphs
            parent.images += node.images
            parent.times += node.times
            parent.mains += node.mains
            parent.plain_h1s += node.plain_h1s


def _inherit_chrome(nodes: list[Node]) -> None:
    """Mark everything inside navigation, sidebars and footers as chrome, and count how much
    of each element's text is in such chrome.

    An element that wraps the page's ``<main>`` is never chrome, whatever its class says
    (layouts name wrappers ``sidebar-grid`` or ``has-sidebar``).
    """
    for node in nodes:
        own = node.chrome and not node.mains
        node.chrome = own or (node.parent is not None and node.parent.chrome)
    for node in reversed(nodes):
        parent = node.parent
        if parent is None:
            continue
        if node.chrome and not parent.chrome:
            parent.chrome_text += node.text
            parent.chrome_link_text += node.link_text
            parent.chrome_links += node.links
        else:
            parent.chrome_text += node.chrome_text
            parent.chrome_link_text += node.chrome_link_text
            parent.chrome_links += node.chrome_links
