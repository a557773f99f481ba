"""Article pages on lxml's own tree: parsing, and reading an element's text and classes.

Article extraction reads whole pages, often large ones, once each: lxml's tree is built about
twenty times faster than BeautifulSoup's over the same parser, so the article stages work on
it directly (the listing parser, which needs BeautifulSoup's CSS selectors, does not).
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from .text import collapse
from .vocabulary import BLOCK_TAGS, INVISIBLE

_PARSER = etree.HTMLParser(
    encoding="utf-8", remove_comments=True, remove_pis=True, huge_tree=True, no_network=True
)


def parse_html(text: str) -> etree._Element | None:
    """The document element of an HTML page, or None when it has no elements at all."""
    try:
        return etree.fromstring(text.encode("utf-8", "surrogatepass"), _PARSER)
    except (etree.ParserError, ValueError):
        return None


def class_tokens(el: etree._Element) -> list[str]:
    """The element's class names, lower-cased."""
    value = el.get("class")
    return value.lower().split() if value else []


def text_of(el: etree._Element, keep: Callable[[etree._Element], bool] | None = None) -> str:
    """The element's visible text, whitespace collapsed; block elements and ``<br>`` separate
    words. ``keep`` says which descendants count (all visible ones by default)."""
    parts: list[str] = [el.text or ""]
    # Children in reverse order, each followed by its tail: (element, entering?) pairs.
    stack: list[tuple[etree._Element, bool]] = [(child, True) for child in reversed(el)]
    while stack:
        child, entering = stack.pop()
        tag = child.tag
        if not entering:
            if tag in BLOCK_TAGS or tag == "br":
                parts.append(" ")
            if child.tail:
                parts.append(child.tail)
            continue
        if isinstance(tag, str) and tag not in INVISIBLE and (keep is None or keep(child)):
            if tag in BLOCK_TAGS or tag == "br":
                parts.append(" ")
            if child.text:
                parts.append(child.text)
            stack.append((child, False))
            stack.extend((grandchild, True) for grandchild in reversed(child))
        elif child.tail:
            parts.append(child.tail)
    return collapse("".join(parts))


class Attributes:
    """An lxml element seen as :mod:`.images` reads elements: a ``name`` and ``attrs``."""

    __slots__ = ("attrs", "name")

    def __init__(self, el: etree._Element) -> None:
        self.name = el.tag
        self.attrs = el.attrib
