"""Small text and class-name helpers shared by the parsing modules."""

from __future__ import annotations

import functools
import re

from bs4 import NavigableString, Tag
from bs4.element import PreformattedString

from .vocabulary import BLOCK_TAGS, INVISIBLE

_CLASS_PARTS = re.compile(r"[-_\s]+")


def collapse(text: str) -> str:
    """Collapse runs of whitespace (including non-breaking spaces) into single spaces."""
    return " ".join(text.split())


def classes(tag: Tag) -> list[str]:
    """The element's class names, lower-cased."""
    value = tag.attrs.get("class")
    if not value:
        return []
    if isinstance(value, str):
        value = value.split()
    return [name.lower() for name in value]


_STATE_CLASS = re.compile(r"^(has|is|no|js)-")


def class_parts(tag: Tag, skip_state: bool = False) -> frozenset[str]:
    """Every ``-``/``_`` separated word of the element's classes and id, lower-cased.

    With ``skip_state``, state classes such as ``has-main-navigation`` are left out.
    """
    names = classes(tag)
    if skip_state:
        names = [name for name in names if not _STATE_CLASS.match(name)]
    words = " ".join(names)
    ident = tag.attrs.get("id")
    if isinstance(ident, str):
        words += " " + ident.lower()
    return words_of(words)


@functools.lru_cache(maxsize=8192)
def words_of(names: str) -> frozenset[str]:
    """The ``-``/``_``/space separated words of a string of class names."""
    return frozenset(_CLASS_PARTS.split(names)) - {""}


def wordset(words: str) -> frozenset[str]:
    """The set of the space-separated words of ``words`` (for long word lists)."""
    return frozenset(words.split())


def attr(tag: Tag, name: str) -> str:
    """An attribute as a stripped string ("" when missing); multi-valued ones are joined."""
    value = tag.attrs.get(name)
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(value).strip()
    return value.strip()


def rel(tag: Tag) -> set[str]:
    """The lower-cased tokens of the element's ``rel`` attribute."""
    return set(attr(tag, "rel").lower().split())


def visible_text(tag: Tag) -> str:
    """The element's text without scripts and styles, whitespace collapsed.

    Block-level elements and ``<br>`` separate words, inline ones do not.
    """
    parts: list[str] = []
    for node in tag.descendants:
        if isinstance(node, Tag):
            if node.name in BLOCK_TAGS or node.name == "br":
                parts.append(" ")
        elif (
            isinstance(node, NavigableString)
            and not isinstance(node, PreformattedString)
            and (node.parent is None or node.parent.name not in INVISIBLE)
        ):
            parts.append(node)
    return collapse("".join(parts))


_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")


def is_web_url(url: str) -> bool:
    """Whether a URL (relative or absolute) can only lead to a web page: no ``javascript:``,
    ``data:``, ``mailto:`` or any scheme other than http(s)."""
    scheme = _SCHEME.match(url)
    return scheme is None or scheme[1].lower() in ("http", "https")
