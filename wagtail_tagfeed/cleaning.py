"""Make parsed listings safe to store: rich text in Wagtail's format, plain text, http(s) URLs.

HTML assigned to a ``RichTextField`` in code is stored as it is, so this module is the only
defence against markup from the imported site. Teasers go through ``nh3`` first (dangerous
elements removed with their content, every attribute but ``href`` dropped, unsafe link
schemes removed), then are rebuilt from scratch in the storage format of the summary's
features (bold, italic, link, ol, ul): ``<p>``, ``<b>``, ``<i>``, ``<a href>``, ``<ul>``,
``<ol>``, ``<li>`` and ``<br>``, nothing else.

Mapping: ``strong`` becomes ``b``; ``em``, ``cite``, ``dfn`` and ``var`` become ``i``; block
containers (``div``, ``section``, ``blockquote``, table cells...) become paragraphs, and so
does bare text; a heading becomes a paragraph in bold, since the summary has no headings; two
or more ``<br>`` in a row split a paragraph; other elements are unwrapped and images dropped.
Links keep only absolute http, https and mailto targets (relative ones are resolved against
the page URL); any other link loses its ``<a>`` but keeps its text.

The source's own marks of a cut teaser at its end ("…", "[…]", "(more…)", "Read more",
"Continue reading <title>", "→", German "Weiterlesen" and its Turkish counterpart) are
removed, and reported, so that the site can show its own.
"""

from __future__ import annotations

import dataclasses
import html
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import nh3
from bs4 import BeautifulSoup, NavigableString, Tag

from wagtail_tagfeed.listing import Listing, ListingItem
from wagtail_tagfeed.parsing.vocabulary import HEADINGS, READ_MORE_WORDS

REMOVED_WITH_CONTENT = frozenset(
    {
        "script",
        "style",
        "iframe",
        "object",
        "embed",
        "svg",
        "math",
        "template",
        "noscript",
        "noembed",
        "noframes",
        "textarea",
        "select",
        "button",
        "audio",
        "video",
        "canvas",
        "title",
    }
)
LISTS = frozenset({"ul", "ol"})
BLOCKS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "blockquote",
        "header",
        "footer",
        "main",
        "aside",
        "nav",
        "figure",
        "figcaption",
        "address",
        "pre",
        "center",
        "details",
        "summary",
        "dl",
        "dt",
        "dd",
        "li",
        "table",
        "caption",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
        "hr",
    }
)
BOLD = frozenset({"b", "strong"})
ITALIC = frozenset({"i", "em", "cite", "dfn", "var"})
KEPT_BY_SANITIZER = BLOCKS | HEADINGS | LISTS | BOLD | ITALIC | {"a", "br"}
LINK_SCHEMES = frozenset({"http", "https", "mailto"})

SPACES = re.compile(r"[^\S\u00a0\u2007\u202f]+")
"""Runs of white space, except the no-break spaces, which are kept as written."""
INVISIBLE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufeff\ufffe\uffff]")
"""Control characters, lone surrogates and byte-order marks: never meant to be shown."""
URL_UNSAFE = re.compile(r"[\x00-\x20\"<>\\^`{|}\x7f]")
SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")

TITLE_MAX_LENGTH = 255
TAG_MAX_LENGTH = 100
URL_MAX_LENGTH = 2048
"""The longest title, tag name and URL the page tree stores (Wagtail's and taggit's fields)."""

ELLIPSIS = r"(?:…|\.{3,})"
READ_MORE = rf"(?:{READ_MORE_WORDS})"
ARROWS = r"(?:→|»|\u203a|>>|⟶|➔)"
END_MARK = re.compile(
    rf"""(?:
        \s*[\[(]\s*{ELLIPSIS}\s*[\])]                          # […] [...] (…)
      | \s*\(\s*more\s*{ELLIPSIS}?\s*\)                        # (more…) (more)
      | \s*{ELLIPSIS}                                          # … ...
      | (?:^|(?<=[.!?…:;,"”\u2019)\]]))\s*[\[(]?\s*{READ_MORE}\s*{ELLIPSIS}?\s*{ARROWS}?\s*[\])]?
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
"""A cut mark at the end of a teaser's text; a plain-text "Read more" must follow a
sentence's end (or stand alone) so that a sentence ending in those words is kept."""
SEPARATOR = re.compile(r"\s*[|·•]\s*$")
READ_MORE_LINK = re.compile(
    rf"""\s*[\[(]?\s*(?:
        {READ_MORE}\b.*
      | (?:more|mehr|devam\u0131)\s*{ELLIPSIS}?\s*{ARROWS}?
      | {ELLIPSIS}?\s*{ARROWS}
      | {ELLIPSIS}
    )\s*[\])]?\s*""",
    re.IGNORECASE | re.VERBOSE | re.DOTALL,
)
"""The whole text of a link that only leads to the rest of the article."""


@dataclass
class _Element:
    """A node of rebuilt HTML: p, b, i, a, br, ul, ol or li."""

    tag: str
    children: list[_Element | str] = field(default_factory=list)
    href: str | None = None


Nodes = list[_Element | str]


def clean_summary(html_text: str, base_url: str | None = None) -> tuple[str, bool]:
    """Clean a teaser's HTML; returns it and whether the source had marked it as cut short."""
    blocks = _blocks(html_text, base_url)
    truncated = _remove_cut_marks(blocks)
    _remove_lead_separator(blocks)
    return "".join(_render(block) for block in blocks), truncated


def html_to_text(html_text: str) -> str:
    """Visible text: paragraphs and list items separated by a blank line, spaces collapsed."""
    return "\n\n".join(_block_texts(_blocks(html_text, None))).strip()


def clean_text(text: str) -> str:
    """A plain-text field (title, tag...): no control characters, spaces collapsed, stripped."""
    return SPACES.sub(" ", INVISIBLE.sub("", text)).strip()


def clean_url(url: str | None, base_url: str | None) -> str | None:
    """An absolute http(s) URL, resolved against ``base_url``; None for anything else.

    URLs longer than ``URL_MAX_LENGTH`` count as anything else: they cannot be stored.
    """
    absolute = _absolute_url(url, base_url)
    if (
        absolute
        and len(absolute) <= URL_MAX_LENGTH
        and SCHEME.match(absolute).group(1).lower() in ("http", "https")
    ):
        return absolute
    return None


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, at a space when there is one, with "…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip() + "…"


def clean_listing(listing: Listing) -> Listing:
    """A copy of ``listing`` with every text cleaned and items without an http(s) URL dropped."""
    page_url = clean_url(listing.page_url, None)
    items = tuple(
        item
        for item in (_clean_item(item, page_url) for item in listing.items)
        if item is not None
    )
    return dataclasses.replace(
        listing,
        page_url=page_url,
        heading=clean_text(listing.heading or "") or None,
        tag=shorten(clean_text(listing.tag or ""), TAG_MAX_LENGTH) or None,
        next_page=clean_url(listing.next_page, page_url),
        items=items,
    )


def _clean_item(item: ListingItem, page_url: str | None) -> ListingItem | None:
    url = clean_url(item.url, page_url)
    if url is None:
        return None
    summary_html, truncated = clean_summary(item.summary_html, page_url or url)
    tags: dict[str, str] = {}
    for tag in (shorten(clean_text(name), TAG_MAX_LENGTH) for name in item.tags):
        if tag:
            tags.setdefault(tag.casefold(), tag)
    return dataclasses.replace(
        item,
        title=shorten(clean_text(item.title), TITLE_MAX_LENGTH),
        url=url,
        summary_html=summary_html,
        summary_text=html_to_text(summary_html),
        image=clean_url(item.image, page_url or url),
        tags=tuple(tags.values()),
        truncated=truncated or item.truncated,
    )


def _absolute_url(url: str | None, base_url: str | None) -> str | None:
    """``url`` made absolute, with the junk browsers ignore removed; None when impossible.

    Tabs, newlines and control characters are removed first, as browsers do, so that
    ``jav\\tascript:`` is seen for what it is.
    """
    if not url:
        return None
    url = INVISIBLE.sub("", re.sub(r"[\t\n\r]", "", url)).strip()
    match = SCHEME.match(url)
    try:
        if match is None:
            base = clean_url(base_url, None) if base_url else None
            if base is None:
                return None
            url = urljoin(base, url)
            match = SCHEME.match(url)
        scheme = match.group(1).lower()
        if scheme not in LINK_SCHEMES:
            return None
        rest = url[match.end() :]
        if scheme == "mailto":
            return f"mailto:{URL_UNSAFE.sub(_percent, rest)}" if rest.strip("/") else None
        if not urlsplit(url).hostname:
            return None
    except ValueError:  # a malformed authority, such as an unclosed IPv6 bracket
        return None
    return scheme + ":" + URL_UNSAFE.sub(_percent, rest)


def _percent(match: re.Match) -> str:
    return f"%{ord(match.group()):02X}"


def _blocks(html_text: str, base_url: str | None) -> Nodes:
    """Sanitise with nh3, then rebuild the teaser as a list of paragraphs and lists."""
    safe = nh3.clean(
        html_text,
        tags=set(KEPT_BY_SANITIZER),
        clean_content_tags=set(REMOVED_WITH_CONTENT),
        attributes={"a": {"href"}},
        url_schemes=set(LINK_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )
    builder = _Builder(base_url)
    builder.add_blocks(BeautifulSoup(safe, "html.parser"))
    builder.flush()
    return builder.blocks


class _Builder:
    """Collects paragraphs and lists while walking the sanitised tree."""

    def __init__(self, base_url: str | None) -> None:
        self.base_url = base_url
        self.blocks: Nodes = []
        self.pending: Nodes = []

    def flush(self) -> None:
        """Close the paragraph being collected, split at double line breaks."""
        paragraph: Nodes = []
        breaks = 0
        for node in [*_tidy(self.pending, trim=False), _Element("br"), _Element("br")]:
            if _is_break(node):
                breaks += 1
            elif isinstance(node, str) and not node.strip(" \t\n\r\f") and breaks:
                continue
            else:
                if breaks == 1:
                    paragraph.append(_Element("br"))
                elif breaks > 1:
                    self._add_paragraph(paragraph)
                    paragraph = []
                breaks = 0
                paragraph.append(node)
        self._add_paragraph(paragraph)
        self.pending = []

    def _add_paragraph(self, nodes: Nodes) -> None:
        nodes = _tidy(nodes)
        if _text(nodes).strip():
            self.blocks.append(_Element("p", nodes))

    def add_blocks(self, parent: Tag) -> None:
        for child in parent.children:
            if isinstance(child, NavigableString):
                self.pending.append(str(child))
            elif child.name in HEADINGS:
                self.flush()
                self.pending = [_Element("b", self.inline(child))]
                self.flush()
            elif child.name in LISTS:
                self.flush()
                self.blocks.extend(self.nonempty_list(child))
            elif child.name in BLOCKS:
                self.flush()
                self.add_blocks(child)
                self.flush()
            else:
                self.pending.extend(self.inline_node(child))

    def list(self, tag: Tag) -> _Element:
        items: Nodes = []
        stray: Nodes = []
        for child in tag.children:
            if isinstance(child, Tag) and child.name == "li":
                items.append(_Element("li", self.list_item(child)))
            elif isinstance(child, Tag) and child.name in LISTS and items:
                items[-1].children.extend(self.nonempty_list(child))
            elif isinstance(child, NavigableString):
                stray.append(str(child))
            else:
                stray.extend(self.inline_node(child))
        if _text(stray).strip():
            items.append(_Element("li", _tidy(stray)))
        return _Element(tag.name, [item for item in items if _has_content(item)])

    def nonempty_list(self, tag: Tag) -> Nodes:
        rebuilt = self.list(tag)
        return [rebuilt] if rebuilt.children else []

    def list_item(self, tag: Tag) -> Nodes:
        nodes: Nodes = []
        for child in tag.children:
            if isinstance(child, NavigableString):
                nodes.append(str(child))
            elif child.name in LISTS:
                nodes.extend(self.nonempty_list(child))
            elif child.name in BLOCKS | HEADINGS:
                if _text(nodes).strip():
                    nodes.append(_Element("br"))
                nodes.extend(self.inline(child))
            else:
                nodes.extend(self.inline_node(child))
        return _tidy(nodes)

    def inline(self, tag: Tag) -> Nodes:
        nodes: Nodes = []
        for child in tag.children:
            nodes.extend(
                [str(child)] if isinstance(child, NavigableString) else self.inline_node(child)
            )
        return nodes

    def inline_node(self, tag: Tag) -> Nodes:
        if tag.name == "br":
            return [_Element("br")]
        children = self.inline(tag)
        if tag.name in BOLD:
            return [_Element("b", children)]
        if tag.name in ITALIC:
            return [_Element("i", children)]
        if tag.name == "a":
            href = _absolute_url(tag.get("href"), self.base_url)
            if href or _is_read_more(children):
                # A "Read more" link without a usable href is kept, to be recognised as a
                # cut mark; if it is not at the end it is rendered as its text alone.
                return [_Element("a", _unlink(children), href)]
            return children
        if tag.name in BLOCKS | HEADINGS | LISTS:
            return [" ", *children, " "]
        return children


def _is_read_more(nodes: Nodes) -> bool:
    return all(isinstance(node, str) for node in nodes) and bool(
        READ_MORE_LINK.fullmatch("".join(nodes))
    )


def _unlink(nodes: Nodes) -> Nodes:
    """Links cannot nest: keep the text of inner links only."""
    flat: Nodes = []
    for node in nodes:
        if isinstance(node, _Element) and node.tag == "a":
            flat.extend(_unlink(node.children))
        elif isinstance(node, _Element):
            flat.append(_Element(node.tag, _unlink(node.children), node.href))
        else:
            flat.append(node)
    return flat


def _tidy(nodes: Nodes, trim: bool = True) -> Nodes:
    """Collapse spaces, merge text and drop empty inline elements; ``trim`` strips the ends.

    Spaces at the edges of ``b``, ``i`` and ``a`` are moved outside them, so that output
    and text extraction stay the same however the source spaced its markup.
    """
    tidy: Nodes = []

    def add_text(text: str) -> None:
        if tidy and isinstance(tidy[-1], str):
            tidy[-1] = SPACES.sub(" ", tidy[-1] + text)
        elif text:
            tidy.append(text)

    for node in nodes:
        if isinstance(node, str):
            add_text(SPACES.sub(" ", INVISIBLE.sub("", node)))
        elif node.tag in ("br", "ul", "ol"):
            tidy.append(node)
        else:
            children = _tidy(node.children, trim=False)
            text = _text(children)
            if text[:1].isspace():
                add_text(" ")
            if text.strip():
                _strip_start(children)
                _strip_end(children)
                tidy.append(_Element(node.tag, children, node.href))
            if text[-1:].isspace():
                add_text(" ")
    tidy = _trim_around_breaks(tidy)
    if trim:
        _strip_end(tidy)
        _strip_start(tidy)
    return tidy


def _trim_around_breaks(nodes: Nodes) -> Nodes:
    """Drop the spaces next to a ``<br>``, which are never shown."""
    trimmed: Nodes = []
    for index, node in enumerate(nodes):
        if isinstance(node, str):
            if index and _is_break(nodes[index - 1]):
                node = node.lstrip(" ")
            if index + 1 < len(nodes) and _is_break(nodes[index + 1]):
                node = node.rstrip(" ")
            if not node:
                continue
        trimmed.append(node)
    return trimmed


def _is_break(node: _Element | str) -> bool:
    return isinstance(node, _Element) and node.tag == "br"


def _strip_start(nodes: Nodes) -> None:
    while nodes:
        first = nodes[0]
        if isinstance(first, str):
            if first.lstrip():
                nodes[0] = first.lstrip()
                return
        elif first.tag == "br":
            pass
        elif first.tag in ("b", "i", "a"):
            _strip_start(first.children)
            return
        else:
            return
        nodes.pop(0)


def _strip_end(nodes: Nodes) -> None:
    while nodes:
        last = nodes[-1]
        if isinstance(last, str):
            if last.rstrip():
                nodes[-1] = last.rstrip()
                return
        elif last.tag == "br":
            pass
        elif last.tag in ("b", "i", "a"):
            _strip_end(last.children)
            return
        else:
            return
        nodes.pop()


def _text(nodes: Nodes) -> str:
    return "".join(
        node if isinstance(node, str) else "\n" if node.tag == "br" else _text(node.children)
        for node in nodes
    )


def _has_content(item: _Element) -> bool:
    return bool(_text(item.children).strip()) or any(
        isinstance(node, _Element) and node.tag in LISTS for node in item.children
    )


def _remove_cut_marks(blocks: Nodes) -> bool:
    """Remove the source's own cut marks from the end of the teaser; whether any were found."""
    removed = False
    while blocks and blocks[-1].tag == "p":
        paragraph = blocks[-1].children
        if not _remove_cut_mark(paragraph, removed):
            break
        removed = True
        _strip_end(paragraph)
        if not _text(paragraph).strip():
            blocks.pop()
    return removed


LEAD_SEPARATOR = re.compile(r"^\s*[|·•\u2013\u2014/:]\s+")
"""What is left at a teaser's start of "05.12.2022 | Paris - ..." once its date is taken."""


def _remove_lead_separator(blocks: Nodes) -> None:
    """Remove a separator left at the start of the teaser, where a date or label was."""
    if not blocks or blocks[0].tag != "p" or not blocks[0].children:
        return
    first = blocks[0].children[0]
    if isinstance(first, str) and LEAD_SEPARATOR.match(first):
        rest = LEAD_SEPARATOR.sub("", first, count=1)
        if rest:
            blocks[0].children[0] = rest
        else:
            blocks[0].children.pop(0)
        if not _text(blocks[0].children).strip():
            blocks.pop(0)


def _remove_cut_mark(nodes: Nodes, after_mark: bool) -> bool:
    """Remove one cut mark (or, after one, a dangling separator) at the end of ``nodes``."""
    if not nodes:
        return False
    last = nodes[-1]
    if isinstance(last, _Element):
        if last.tag == "a" and READ_MORE_LINK.fullmatch(_text(last.children)):
            nodes.pop()
            return True
        if last.tag in ("b", "i", "a") and _remove_cut_mark(last.children, after_mark):
            _strip_end(last.children)
            if not _text(last.children).strip():
                nodes.pop()
            return True
        return False
    for pattern in (END_MARK, SEPARATOR) if after_mark else (END_MARK,):
        shorter = pattern.sub("", last, count=1)
        if shorter != last:
            if shorter:
                nodes[-1] = shorter
            else:
                nodes.pop()
            return True
    return False


def _render(node: _Element | str) -> str:
    if isinstance(node, str):
        return html.escape(node, quote=False)
    if node.tag == "br":
        return "<br>"
    inner = "".join(_render(child) for child in node.children)
    if node.tag == "a":
        return f'<a href="{html.escape(node.href)}">{inner}</a>' if node.href else inner
    return f"<{node.tag}>{inner}</{node.tag}>"


def _block_texts(blocks: Nodes) -> list[str]:
    """The text of each paragraph and list item, in order; nested lists come after their item."""
    texts: list[str] = []
    for block in blocks:
        if block.tag in LISTS:
            for item in block.children:
                inline = [node for node in item.children if not _is_list(node)]
                texts.append(_paragraph_text(inline))
                texts.extend(_block_texts([node for node in item.children if _is_list(node)]))
        else:
            texts.append(_paragraph_text(block.children))
    return [text for text in texts if text]


def _is_list(node: _Element | str) -> bool:
    return isinstance(node, _Element) and node.tag in LISTS


def _paragraph_text(nodes: Nodes) -> str:
    return "\n".join(line.strip() for line in _text(nodes).split("\n")).strip()


def clean_body_html(html_text: str, base_url: str | None = None) -> str:
    """Clean a run of an article body's paragraphs and lists like a summary, cut marks kept.

    A full article has no teaser cut, so its last "…" or "Read more" is the author's own.
    """
    return "".join(_render(block) for block in _blocks(html_text, base_url))
