"""Items described by structured data: JSON-LD, schema.org microdata and h-entry microformats."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin

from . import dates
from .page import Node, Page
from .text import is_web_url
from .vocabulary import ARTICLE_TYPES

_LIST_KEYS = ("itemListElement", "blogPost", "blogPosts", "hasPart", "mainEntity", "@graph")


@dataclass(frozen=True)
class StructuredItem:
    """What JSON-LD says about one item."""

    url: str
    title: str = ""
    summary: str = ""
    published: datetime.date | None = None
    image: str | None = None


def entry_types(entry: dict) -> set[str]:
    """The entry's schema.org ``@type`` names, lower-cased, without a vocabulary prefix."""
    value = entry.get("@type", ())
    if isinstance(value, str):
        value = [value]
    return {str(name).lower().rsplit("/", 1)[-1] for name in value if name}


def _text(value: object) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("@value") or value.get("name") or ""
    return " ".join(str(value).split()) if value else ""


def _url(entry: dict) -> str:
    """The entry's own URL: ``url``, else its ``@id`` or ``mainEntityOfPage`` when a URL."""
    for key in ("url", "@id", "mainEntityOfPage"):
        value = entry.get(key)
        if isinstance(value, dict):
            value = value.get("@id") or value.get("url")
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, str) and value.strip() and not value.startswith("_:"):
            return value.strip()
    return ""


def _image(value: object) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("url") or value.get("contentUrl") or value.get("@id") or ""
    return str(value) if isinstance(value, str) else ""


def json_ld_entries(data: object) -> Iterator[tuple[dict, bool]]:
    """Yield (entry, whether it sits in a collection) for every JSON-LD object, iteratively."""
    stack: list[tuple[object, bool, int]] = [(data, False, 0)]
    while stack:
        value, listed, depth = stack.pop()
        if depth > 12:
            continue
        if isinstance(value, list):
            stack.extend((entry, True, depth + 1) for entry in reversed(value))
            continue
        if not isinstance(value, dict):
            if listed and isinstance(value, str):
                yield {"url": value}, True
            continue
        types = entry_types(value)
        if "breadcrumblist" in types:
            continue
        if "listitem" in types:
            inner = value.get("item")
            entry = {key: item for key, item in value.items() if key != "@type"}
            if isinstance(inner, dict):
                entry.update(inner)
            elif isinstance(inner, str):
                entry["url"] = inner
            yield entry, True
            continue
        yield value, listed
        for key in _LIST_KEYS:
            nested = value.get(key)
            if nested is None:
                continue
            single = key == "mainEntity" and isinstance(nested, dict)
            collection = not single or "itemlist" in entry_types(nested)
            stack.append((nested, collection, depth + 1))


def json_ld_items(page: Page, base: str | None) -> list[StructuredItem]:
    """Items listed by the page's JSON-LD (``ItemList``, ``Blog``, ``hasPart``, arrays)."""
    found: dict[str, StructuredItem] = {}
    for script in page.json_ld:
        try:
            data = json.loads(script)
        except ValueError:
            continue
        for entry, listed in json_ld_entries(data):
            if not listed:
                continue
            types = entry_types(entry)
            if types and not types & ARTICLE_TYPES:
                continue
            url = _url(entry)
            if not url or not is_web_url(url):
                continue
            url = urldefrag(urljoin(base or "", url))[0]
            if url in found:
                continue
            published = _text(entry.get("datePublished"))
            image = _image(entry.get("image"))
            found[url] = StructuredItem(
                url=url,
                title=_text(entry.get("headline") or entry.get("name")),
                summary=_text(entry.get("description") or entry.get("abstract")),
                published=dates.parse_machine(published) or dates.find_date(published),
                image=urljoin(base or "", image) if image and is_web_url(image) else None,
            )
    return list(found.values()) if len(found) >= 2 else []


def _outermost(nodes: list[Node]) -> list[Node]:
    chosen = {id(node) for node in nodes}
    kept = []
    for node in nodes:
        parent = node.parent
        while parent is not None and id(parent) not in chosen:
            parent = parent.parent
        if parent is None and not node.chrome and node.links:
            kept.append(node)
    return kept


def marked_blocks(page: Page) -> list[Node]:
    """Blocks marked up as articles with microdata, or else as h-entry/hentry."""
    for nodes in (page.microdata, page.entries):
        blocks = _outermost(nodes)
        if len(blocks) >= 2:
            return blocks
    return []
