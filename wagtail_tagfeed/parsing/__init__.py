"""Turn a fetched :class:`~wagtail_tagfeed.listing.Document` into a raw :class:`Listing`.

Items come from the page's structured data when it lists them (JSON-LD, microdata,
h-entry), else from the repeated blocks found by :mod:`.records`, unless CSS selectors are
given, which always win. The result is raw: ``summary_html`` is the teaser as found and still
needs :func:`wagtail_tagfeed.cleaning.clean_listing`.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, replace
from html import escape
from urllib.parse import urldefrag, urljoin

import soupsieve
from bs4 import BeautifulSoup, Tag

from wagtail_tagfeed.errors import NoItemsError, NotHTMLError, SelectorError
from wagtail_tagfeed.errors import gettext as _
from wagtail_tagfeed.fetching import decode_html
from wagtail_tagfeed.listing import Document, Listing, ListingItem, Selectors

from .deadline import Deadline
from .fields import ItemSelectors, extract_item
from .page import Node, Page, index_page
from .pagination import find_next_page
from .records import (
    of_the_same_kind,
    ranked_groups,
    with_featured,
    wrap_flat_items,
    wrap_row_groups,
)
from .structured import StructuredItem, json_ld_items, marked_blocks
from .tags import category_page, detect_tag, taxonomy_prefix
from .text import attr, collapse, is_web_url, rel, visible_text

__all__ = ["parse_listing"]

_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b")
_FEED_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:RDF)\b", re.S
)
_SELECTOR_FIELDS = {
    "item": "item selector",
    "title": "title selector",
    "summary": "summary selector",
    "date": "date selector",
    "image": "image selector",
    "next": "next-page selector",
}


def parse_listing(
    document: Document,
    selectors: Selectors | None = None,
    *,
    max_items: int = 1000,
    max_depth: int = 512,
    deadline: float | None = None,
) -> Listing:
    """Parse a tag-listing page into a raw :class:`Listing`.

    Only the first ``max_items`` items are kept. Elements nested deeper than ``max_depth`` are
    not looked into (such nesting is never a real listing, and it would cost time).
    ``deadline`` is a :func:`time.monotonic` value: parsing still under way then stops.
    Raises :class:`NotHTMLError`, :class:`SelectorError`, :class:`NoItemsError` or
    :class:`ParseTimeoutError`.
    """
    selectors = selectors or Selectors()
    _check_selectors(selectors)
    clock = Deadline(deadline, document.source)
    clock.check()
    page = index_page(_soup(document), max_depth, clock)
    if not any(node.text for node in page.nodes[:1]):
        raise NotHTMLError(
            _("%(source)s has no visible content: it is not an HTML page")
            % {"source": document.source}
        )
    groups = [] if selectors.item else ranked_groups(page, clock)
    if wrap_flat_items(page, groups) or wrap_row_groups(page, groups):
        page = index_page(page.soup, max_depth, clock)
        groups = ranked_groups(page, clock)
    page_url = document.url or _declared_url(page)
    base = urljoin(page_url or "", page.base_href) if page.base_href else page_url
    one_topic = category_page(page_url, page.body_classes)
    context = _Context(page, base, taxonomy_prefix(page_url), max_items, clock, one_topic)
    items, blocks = _items(context, groups, selectors)
    heading = _heading(page, blocks[0].position if blocks else len(page.nodes))
    next_page = _next_page(page, selectors, page_url, base, items, blocks, clock)
    return Listing(
        source=document.source,
        page_url=page_url,
        heading=heading,
        tag=detect_tag(heading, page_url, page.body_classes, page.title, _breadcrumb(page)),
        next_page=next_page,
        items=tuple(items),
    )


def _soup(document: Document) -> BeautifulSoup:
    """Decode and parse the document, refusing what is plainly not an HTML page."""
    if not document.content.strip(b" \t\r\n\f\x00\xef\xbb\xbf\xfe\xff"):
        _refuse(document, _("%(source)s is empty"))
    if document.content.lstrip()[:8].startswith(_BINARY_MAGIC):
        _refuse(document, _("%(source)s is not an HTML page (binary content)"))
    text, _encoding = decode_html(document.content, document.encoding)
    start = text[:4096]
    if start.count("\x00") > 8:
        _refuse(document, _("%(source)s is not an HTML page (binary content)"))
    if start.lstrip()[:1] in ("{", "["):
        _refuse(document, _("%(source)s is not an HTML page (it looks like JSON)"))
    if _FEED_START.search(start):
        _refuse(document, _("%(source)s is an RSS or Atom feed, not an HTML page"))
    if "<" not in text:
        _refuse(document, _("%(source)s is not an HTML page (no markup)"))
    return BeautifulSoup(text, "lxml")


def _refuse(document: Document, message: str) -> None:
    raise NotHTMLError(message % {"source": document.source})


def _check_selectors(selectors: Selectors) -> None:
    for option, value in vars(selectors).items():
        if not value:
            continue
        try:
            soupsieve.compile(value)
        except (soupsieve.SelectorSyntaxError, ValueError) as error:
            reason = str(error).splitlines()[0]
            message = _("Invalid %(field)s: %(selector)r is not a CSS selector (%(reason)s)")
            field = _(_SELECTOR_FIELDS[option])
            raise SelectorError(
                message % {"field": field, "selector": value, "reason": reason}
            ) from None


def _declared_url(page: Page) -> str | None:
    if page.base_href and page.base_href.startswith(("http://", "https://")):
        return page.base_href
    for link in page.head_links:
        if "canonical" in rel(link) and attr(link, "href"):
            return attr(link, "href")
    for meta in page.metas:
        if attr(meta, "property") == "og:url" and attr(meta, "content"):
            return attr(meta, "content")
    return None


_TRAIL_SEPARATORS = frozenset("›»>/|→•·:")


def _breadcrumb(page: Page) -> str | None:
    """The last part of the page's breadcrumb trail: where the page itself sits."""
    if page.breadcrumb is None:
        return None
    parts = [collapse(text) for text in page.breadcrumb.stripped_strings]
    parts = [part for part in parts if part.strip("".join(_TRAIL_SEPARATORS) + " ")]
    return parts[-1].strip("".join(_TRAIL_SEPARATORS) + " ") if parts else None


def _heading(page: Page, first_block: int) -> str | None:
    """The text of the first ``<h1>`` above the items, outside the site's header and menus."""
    for node in page.h1s:
        if node.position >= first_block:
            break
        if not node.chrome:
            text = visible_text(node.tag)
            if text:
                return text
    return None


def _next_page(
    page: Page,
    selectors: Selectors,
    page_url: str | None,
    base: str | None,
    items: list[ListingItem],
    blocks: list[Node],
    clock: Deadline,
) -> str | None:
    if selectors.next:
        element = page.soup.select_one(selectors.next)
        if element is None:
            return None
        link = element if element.name == "a" else element.find("a", href=True)
        href = attr(link, "href") if link is not None else ""
        url = urldefrag(urljoin(base or "", href))[0] if href and is_web_url(href) else None
        return url if url and url != page_url else None
    outside, inside = _split_by_blocks(page, page.anchors, blocks, clock)
    return find_next_page(
        page.head_links,
        outside,
        page_url,
        base,
        exclude=[item.url for item in items],
        inner_anchors=inside,
    )


def _split_by_blocks(
    page: Page, anchors: list[Tag], blocks: list[Node], clock: Deadline
) -> tuple[list[Tag], list[Tag]]:
    """The links outside any item block, and those inside one (where only a pager counts)."""
    spans = sorted((block.position, block.end) for block in blocks)
    starts = [start for start, _end in spans]
    outside, inside = [], []
    for anchor in anchors:
        clock.check()
        node = page.node(anchor)
        if node is None:
            continue
        index = bisect.bisect_right(starts, node.position) - 1
        if index < 0 or node.position > spans[index][1]:
            outside.append(anchor)
        else:
            inside.append(anchor)
    return outside, inside


@dataclass(frozen=True)
class _Context:
    """What reading the items of one page needs besides the blocks."""

    page: Page
    base: str | None
    taxonomy: str | None
    """The listing's tag path (see :func:`.tags.taxonomy_prefix`)."""
    limit: int
    clock: Deadline
    one_topic: bool = False
    """Whether the page lists one topic (a tag or category page): one list, no sections."""


def _items(
    context: _Context, groups: list[list[Node]], selectors: Selectors
) -> tuple[list[ListingItem], list[Node]]:
    """The first ``limit`` items, and the blocks they were read from (none for JSON-LD alone).

    ``groups`` are the detected candidate groups of blocks, best first.
    """
    page, limit = context.page, context.limit
    fields = ItemSelectors(
        title=selectors.title,
        summary=selectors.summary,
        date=selectors.date,
        image=selectors.image,
    )
    if selectors.item:
        blocks = page.soup.select(selectors.item)
        items = _extract(context, blocks, fields)
        if not items:
            found = (
                _(
                    "The item selector %(selector)r matched %(count)d elements without a titled "
                    "link"
                )
                if blocks
                else _("The item selector %(selector)r matched nothing")
            )
            raise NoItemsError(found % {"selector": selectors.item, "count": len(blocks)})
        nodes = [page.node(block) for block in blocks]
        return items, [node for node in nodes if node is not None]
    described = json_ld_items(page, context.base)
    candidates = list(groups)
    marked = marked_blocks(page)
    if marked and (not candidates or len(marked) * 2 >= len(candidates[0])):
        candidates.insert(0, marked)
    fallback: tuple[list[ListingItem], list[Node]] | None = None
    for group in candidates:
        items = _extract(context, [node.tag for node in group], fields)
        if len(items) * 2 < min(len(group), limit) or not items:
            continue
        if described and not _overlaps(items, described):
            fallback = fallback or (items, group)
            continue
        extra = with_featured(page, group, context.clock)
        if not context.one_topic:
            extra += of_the_same_kind(page, group, context.clock)
        if extra:
            group = sorted(group + extra, key=lambda node: node.position)
            items = _extract(context, [node.tag for node in group], fields)
        return _enrich(_without_shared_images(items), described), group
    if described:
        return [_from_structured(entry) for entry in described[:limit]], []
    if fallback:
        return fallback
    raise NoItemsError(
        _(
            "No listing items found: no structured data (JSON-LD, microdata, h-entry) listing "
            "two or more articles, and no repeated blocks with a title link; the item selector "
            "can name them"
        )
    )


def _extract(context: _Context, blocks: list[Tag], fields: ItemSelectors) -> list[ListingItem]:
    """The items of ``blocks`` (at most ``limit``), skipping repeated URLs and the page itself."""
    items: list[ListingItem] = []
    seen: set[str] = set()
    for block in blocks:
        if len(items) >= context.limit:
            break
        context.clock.check()
        item = extract_item(context.page, block, context.base, fields, context.taxonomy)
        if item is None or item.url in seen or item.url == context.base:
            continue
        seen.add(item.url)
        items.append(item)
    return items


def _without_shared_images(items: list[ListingItem]) -> list[ListingItem]:
    """Items without the picture a third or more of them share (three at least): a site's
    "no picture" placeholder or an icon, never one item's own picture. (A stock photo
    used for a few items stays.)"""
    counts = Counter(item.image for item in items if item.image)
    shared = {url for url, count in counts.items() if count >= 3 and count * 3 >= len(items)}
    if not shared:
        return items
    return [replace(item, image=None) if item.image in shared else item for item in items]


def _overlaps(items: list[ListingItem], described: list[StructuredItem]) -> bool:
    urls = {entry.url for entry in described}
    shared = sum(1 for item in items if item.url in urls)
    return shared * 2 >= min(len(items), len(urls))


def _enrich(items: list[ListingItem], described: list[StructuredItem]) -> list[ListingItem]:
    """Fill dates and images the markup lacks from the JSON-LD entry for the same URL."""
    if not described:
        return items
    by_url = {entry.url: entry for entry in described}
    enriched = []
    for item in items:
        entry = by_url.get(item.url)
        if entry is not None and (item.published is None or item.image is None):
            item = replace(
                item, published=item.published or entry.published, image=item.image or entry.image
            )
        enriched.append(item)
    return enriched


def _from_structured(entry: StructuredItem) -> ListingItem:
    summary = collapse(entry.summary)
    return ListingItem(
        title=entry.title or entry.url,
        url=entry.url,
        summary_html=f"<p>{escape(summary)}</p>" if summary else "",
        summary_text=summary,
        published=entry.published,
        image=entry.image,
    )
