"""Turn a fetched :class:`~wagtail_tagfeed.listing.Document` into a raw :class:`Listing`.

Items come from the page's structured data when it lists them (JSON-LD, microdata,
h-entry), else from the repeated blocks found by :mod:`.records`, unless CSS selectors are
given, which always win. The result is raw: ``summary_html`` is the teaser as found and still
needs :func:`wagtail_tagfeed.cleaning.clean_listing`.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace
from html import escape
from urllib.parse import urldefrag, urljoin

import soupsieve
from bs4 import BeautifulSoup, Tag

from wagtail_tagfeed.errors import NoItemsError, NotHTMLError, SelectorError
from wagtail_tagfeed.fetching import decode_html
from wagtail_tagfeed.listing import Document, Listing, ListingItem, Selectors

from .fields import ItemSelectors, extract_item
from .page import Node, Page, index_page
from .pagination import find_next_page
from .records import ranked_groups, with_featured, wrap_flat_items
from .structured import StructuredItem, json_ld_items, marked_blocks
from .tags import detect_tag, taxonomy_prefix
from .text import attr, collapse, is_web_url, rel, visible_text

__all__ = ["page_text", "parse_listing"]

_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b")
_FEED_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:RDF)\b", re.S
)
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")


def parse_listing(
    document: Document,
    selectors: Selectors | None = None,
    *,
    max_items: int = 1000,
    max_depth: int = 512,
) -> Listing:
    """Parse a tag-listing page into a raw :class:`Listing`.

    Only the first ``max_items`` items are kept. Elements nested deeper than ``max_depth`` are
    not looked into (such nesting is never a real listing, and it would cost time).
    Raises :class:`NotHTMLError`, :class:`SelectorError` or :class:`NoItemsError`.
    """
    selectors = selectors or Selectors()
    _check_selectors(selectors)
    page = index_page(_soup(document), max_depth)
    if not any(node.text for node in page.nodes[:1]):
        raise NotHTMLError(f"{document.source} has no visible content: it is not an HTML page")
    groups = [] if selectors.item else ranked_groups(page)
    if wrap_flat_items(page, groups):
        page = index_page(page.soup, max_depth)
        groups = ranked_groups(page)
    page_url = document.url or _declared_url(page)
    base = urljoin(page_url or "", page.base_href) if page.base_href else page_url
    items, blocks = _items(page, groups, base, selectors, taxonomy_prefix(page_url), max_items)
    heading = _heading(page, blocks[0].position if blocks else len(page.nodes))
    next_page = _next_page(page, selectors, page_url, base, items, blocks)
    return Listing(
        source=document.source,
        page_url=page_url,
        heading=heading,
        tag=detect_tag(heading, page_url, page.body_classes, page.title),
        next_page=next_page,
        items=tuple(items),
        feed_url=_feed_url(page, base),
    )


def _soup(document: Document) -> BeautifulSoup:
    """Decode and parse the document, refusing what is plainly not an HTML page."""
    return BeautifulSoup(page_text(document), "lxml")


def page_text(document: Document) -> str:
    """The document decoded, or :class:`NotHTMLError` when it is plainly not an HTML page
    (empty, binary, JSON, a feed, no markup)."""
    if not document.content.strip(b" \t\r\n\f\x00\xef\xbb\xbf\xfe\xff"):
        raise NotHTMLError(f"{document.source} is empty")
    if document.content.lstrip()[:8].startswith(_BINARY_MAGIC):
        raise NotHTMLError(f"{document.source} is not an HTML page (binary content)")
    text, _ = decode_html(document.content, document.encoding)
    start = text[:4096]
    if start.count("\x00") > 8:
        raise NotHTMLError(f"{document.source} is not an HTML page (binary content)")
    if start.lstrip()[:1] in ("{", "["):
        raise NotHTMLError(f"{document.source} is not an HTML page (it looks like JSON)")
    if _FEED_START.search(start):
        raise NotHTMLError(f"{document.source} is an RSS or Atom feed, not an HTML page")
    if "<" not in text:
        raise NotHTMLError(f"{document.source} is not an HTML page (no markup)")
    return text


def _check_selectors(selectors: Selectors) -> None:
    for option, value in vars(selectors).items():
        if not value:
            continue
        try:
            soupsieve.compile(value)
        except (soupsieve.SelectorSyntaxError, ValueError) as error:
            reason = str(error).splitlines()[0]
            raise SelectorError(
                f"Invalid CSS selector for --{option}: {value!r} ({reason})"
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


def _feed_url(page: Page, base: str | None) -> str | None:
    for link in page.head_links:
        if "alternate" in rel(link) and attr(link, "type").lower() in _FEED_TYPES:
            href = attr(link, "href")
            if href and is_web_url(href):
                return urljoin(base or "", href)
    return None


def _next_page(
    page: Page,
    selectors: Selectors,
    page_url: str | None,
    base: str | None,
    items: list[ListingItem],
    blocks: list[Node],
) -> str | None:
    if selectors.next:
        element = page.soup.select_one(selectors.next)
        if element is None:
            return None
        link = element if element.name == "a" else element.find("a", href=True)
        href = attr(link, "href") if link is not None else ""
        url = urldefrag(urljoin(base or "", href))[0] if href and is_web_url(href) else None
        return url if url and url != page_url else None
    anchors = _outside(page, page.anchors, blocks)
    return find_next_page(
        page.head_links, anchors, page_url, base, exclude=[item.url for item in items]
    )


def _outside(page: Page, anchors: list[Tag], blocks: list[Node]) -> list[Tag]:
    """The links that are not inside any item block (pagers never are)."""
    spans = sorted((block.position, block.end) for block in blocks)
    starts = [start for start, _ in spans]
    kept = []
    for anchor in anchors:
        node = page.node(anchor)
        if node is None:
            continue
        index = bisect.bisect_right(starts, node.position) - 1
        if index < 0 or node.position > spans[index][1]:
            kept.append(anchor)
    return kept


def _items(
    page: Page,
    groups: list[list[Node]],
    base: str | None,
    selectors: Selectors,
    taxonomy: str | None,
    limit: int,
) -> tuple[list[ListingItem], list[Node]]:
    """The first ``limit`` items, and the blocks they were read from (none for JSON-LD alone).

    ``groups`` are the detected candidate groups of blocks, best first.
    """
    fields = ItemSelectors(
        title=selectors.title,
        summary=selectors.summary,
        date=selectors.date,
        image=selectors.image,
    )
    if selectors.item:
        blocks = page.soup.select(selectors.item)
        items = _extract(page, blocks, base, fields, taxonomy, limit)
        if not items:
            found = (
                f"matched {len(blocks)} elements without a titled link"
                if blocks
                else ("matched nothing")
            )
            raise NoItemsError(f"The --item selector {selectors.item!r} {found}")
        nodes = [page.node(block) for block in blocks]
        return items, [node for node in nodes if node is not None]
    described = json_ld_items(page, base)
    candidates = list(groups)
    marked = marked_blocks(page)
    if marked and (not candidates or len(marked) * 2 >= len(candidates[0])):
        candidates.insert(0, marked)
    fallback: tuple[list[ListingItem], list[Node]] | None = None
    for group in candidates:
        items = _extract(page, [node.tag for node in group], base, fields, taxonomy, limit)
        if len(items) * 2 < min(len(group), limit) or not items:
            continue
        if described and not _overlaps(items, described):
            fallback = fallback or (items, group)
            continue
        featured = with_featured(page, group)
        if featured:
            extra = _extract(page, [node.tag for node in featured], base, fields, taxonomy, limit)
            known = {item.url for item in items}
            items = ([item for item in extra if item.url not in known] + items)[:limit]
            group = featured + group
        return _enrich(items, described), group
    if described:
        return [_from_structured(entry) for entry in described[:limit]], []
    if fallback:
        return fallback
    raise NoItemsError(
        "No listing items found: no structured data (JSON-LD, microdata, h-entry) listing "
        "two or more articles, and no repeated blocks with a title link; "
        "give the items' CSS selector with --item"
    )


def _extract(
    page: Page,
    blocks: list[Tag],
    base: str | None,
    fields: ItemSelectors,
    taxonomy: str | None,
    limit: int,
) -> list[ListingItem]:
    """The items of ``blocks`` (at most ``limit``), skipping repeated URLs and the page itself."""
    items: list[ListingItem] = []
    seen: set[str] = set()
    for block in blocks:
        if len(items) >= limit:
            break
        item = extract_item(page, block, base, fields, taxonomy)
        if item is None or item.url in seen or item.url == base:
            continue
        seen.add(item.url)
        items.append(item)
    return items


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
