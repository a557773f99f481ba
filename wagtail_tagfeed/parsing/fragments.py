"""Render part of an item as an HTML fragment and as plain text, leaving chosen elements out."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from bs4 import NavigableString, Tag
from bs4.element import PreformattedString

from .text import collapse
from .vocabulary import BLOCK_TAGS, INVISIBLE

VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    ]
)
DROPPED = INVISIBLE | frozenset(("button", "form", "input", "select", "textarea", "svg", "object"))
# Elements kept (minus what is left out) rather than unwrapped when they contain a left-out part.
KEPT_WRAPPERS = frozenset(
    [
        "p",
        "blockquote",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "table",
        "thead",
        "tbody",
        "tr",
        "td",
        "th",
        "pre",
        "em",
        "strong",
        "b",
        "i",
    ]
)


def _attributes(tag: Tag) -> str:
    parts = []
    for name, value in tag.attrs.items():
        if isinstance(value, list):
            value = " ".join(value)
        parts.append(f' {name}="{escape(str(value))}"')
    return "".join(parts)


def render(
    root: Tag,
    skip: dict[int, Tag],
    has_text: Callable[[Tag], bool],
    include_root: bool = False,
) -> tuple[str, str]:
    """HTML and text of ``root``'s content without the elements in ``skip`` (by ``id()``).

    Containers of a left-out element are unwrapped (their content kept without their tag),
    except paragraph-like ones which keep their tag. Elements without text are dropped.
    The text has whitespace collapsed and block-level elements separated by blank lines.
    """
    dirty: set[int] = set()
    for tag in skip.values():
        for ancestor in tag.parents:
            if id(ancestor) in dirty or ancestor is root:
                break
            dirty.add(id(ancestor))
    html: list[str] = []
    text: list[str] = []
    stack: list[object] = list(reversed(root.contents)) if not include_root else [root]
    while stack:
        node = stack.pop()
        if isinstance(node, str) and not isinstance(node, NavigableString):
            html.append(node)
            if node[2:-1] in BLOCK_TAGS:
                text.append("\n\n")
            continue
        if isinstance(node, NavigableString):
            if not isinstance(node, PreformattedString):
                html.append(escape(str(node), quote=False))
                text.append(str(node))
            continue
        if not isinstance(node, Tag) or id(node) in skip or node.name in DROPPED:
            continue
        name = node.name
        if name in BLOCK_TAGS:
            text.append("\n\n")
        elif name == "br":
            text.append(" ")
        if name not in VOID and not has_text(node):
            continue
        if id(node) in dirty and name not in KEPT_WRAPPERS:
            stack.extend(reversed(node.contents))
            continue
        html.append(f"<{name}{_attributes(node)}>")
        if name in VOID:
            continue
        stack.append(f"</{name}>")
        stack.extend(reversed(node.contents))
    paragraphs = (collapse(part) for part in "".join(text).split("\n\n"))
    return "".join(html).strip(), "\n\n".join(part for part in paragraphs if part)
