"""The article's content elements -> raw body blocks, in the shape of the body's StreamField.

Runs of paragraphs, lists, tables and loose text (``<div>`` text broken by ``<br>``) become
one ``paragraph`` block of raw HTML, in which only element names and link targets are kept;
headings become ``heading``, block quotes ``quote`` (with their attribution), images
``image`` (with alt text and caption: a figure's caption belongs to its image, not to the
text), and iframes or lone links that Wagtail's oEmbed providers know ``embed``. The values
are raw: :func:`wagtail_tagfeed.cleaning.clean_article` makes them safe to store.

What only closes an article (its tags, "Related" and "Comments" sections, share prompts) is
left out when it comes after the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from urllib.parse import urljoin

from lxml import etree

from .content import Content, Node
from .embeds import embed_url
from .images import image_url, largest_candidate
from .text import collapse
from .tree import Attributes, class_tokens, text_of
from .vocabulary import BLOCK_TAGS, CAPTION_HINTS, END_HEADINGS, END_LABELS, FIGURE_CLASSES

HEADING_LEVELS = {"h1": "h2", "h2": "h2", "h3": "h3", "h4": "h4", "h5": "h4", "h6": "h4"}
RICH_TEXT_TAGS = frozenset(("p", "ul", "ol", "dl", "table", "pre", "address"))
MEDIA_TAGS = frozenset(("img", "picture", "iframe", "video", "figure"))
NOT_INLINE = BLOCK_TAGS | MEDIA_TAGS | frozenset(("center", "summary", "body"))
VOID = frozenset(("br", "hr", "img", "wbr", "source", "area", "col", "track"))
QUOTE_SOURCES = ("cite", "footer", "figcaption")
_DASHES = re.compile(r"^[\s—–-]+")
_CAPTION = re.compile(CAPTION_HINTS)
LABEL_MAX_TEXT = 300
"""Characters of text above which a line starting "Tags:" is more than a list of tags."""
MIN_TEXT = 25
"""Characters of text below which a box's text besides its caption is only a label."""
CAPTION_MAX_TEXT = 500
"""Characters of text above which a box with an image and a caption is more than a figure."""
_END_HEADING = re.compile(rf"^(?:{END_HEADINGS})\W*$", re.IGNORECASE)
_END_LABEL = re.compile(rf"^(?:{END_LABELS})\s*:", re.IGNORECASE)


@dataclass(frozen=True)
class Block:
    """One block of an article body, in the shape of the body's StreamField raw data.

    ``image`` values are ``{"url", "alt", "caption"}`` until the image is in the library.
    """

    type: str
    value: object

    def as_json(self) -> dict:
        return {"type": self.type, "value": self.value}


def body_blocks(content: Content, base_url: str, title: str = "") -> list[Block]:
    """The raw blocks of the article held by ``content``."""
    builder = _Builder(content, base_url, collapse(title).casefold())
    for root in content.roots:
        if root.tag in NOT_INLINE and root.tag not in ("div", "section", "article", "main"):
            builder.element(root)
        else:
            builder.walk(root)
    builder.flush()
    return _without_end_matter(builder.blocks, builder.texts)


class _Builder:
    """Walks the content elements and collects body blocks."""

    def __init__(self, content: Content, base_url: str, title: str) -> None:
        self.content = content
        self.keeps = content.keeps
        self.base_url = base_url
        self.title = title
        self.blocks: list[Block] = []
        self.texts: list[int] = []
        """Characters of text of each block, to weigh what comes after a closing heading."""
        self.pending: list[str] = []
        self.pending_text = 0
        self.seen_text = False

    def node(self, el: etree._Element) -> Node | None:
        return self.content.nodes.get(el)

    def flush(self) -> None:
        if self.pending:
            self.blocks.append(Block("paragraph", "".join(self.pending)))
            self.texts.append(self.pending_text)
            self.pending = []
            self.pending_text = 0

    def add(self, block: Block, text: int = 0) -> None:
        self.flush()
        self.blocks.append(block)
        self.texts.append(text)
        self.seen_text = self.seen_text or block.type != "image"

    def add_rich_text(self, markup: str, text: int) -> None:
        self.pending.append(markup)
        self.pending_text += text
        self.seen_text = True

    def walk(self, parent: etree._Element) -> None:
        run: list[str] = [escape(parent.text, quote=False)] if parent.text else []
        for child in parent:
            tag = child.tag
            if isinstance(tag, str) and self.keeps(child):
                if self.is_inline(child):
                    run.append(self.serialize(child))
                else:
                    self.add_run(run)
                    run = []
                    self.element(child)
            if child.tail:
                run.append(escape(child.tail, quote=False))
        self.add_run(run)

    def add_run(self, run: list[str]) -> None:
        markup = "".join(run)
        if markup.strip():
            self.add_rich_text(f"<p>{markup}</p>", len(markup))

    def is_inline(self, el: etree._Element) -> bool:
        if el.tag in NOT_INLINE:
            return False
        node = self.node(el)
        return node is None or not node.images or bool(node.text)

    def serialize(self, el: etree._Element) -> str:
        """Raw HTML of an element and its kept descendants: names and link targets only."""
        parts: list[str] = []

        def write(el: etree._Element) -> None:
            tag = el.tag
            if tag == "a" and el.get("href"):
                parts.append(f'<a href="{escape(el.get("href"))}">')
            elif tag not in ("img", "picture", "iframe", "video"):
                parts.append(f"<{tag}>")
            else:
                return
            if tag in VOID:
                return
            if el.text:
                parts.append(escape(el.text, quote=False))
            for child in el:
                if isinstance(child.tag, str) and self.keeps(child):
                    write(child)
                if child.tail:
                    parts.append(escape(child.tail, quote=False))
            parts.append(f"</{tag}>")

        write(el)
        return "".join(parts)

    def element(self, el: etree._Element) -> None:
        tag = el.tag
        classes = class_tokens(el)
        if tag == "blockquote":
            self.quote(el)
        elif tag in HEADING_LEVELS:
            self.heading(el)
        elif tag in ("img", "picture") or (tag == "a" and not self.is_inline(el)):
            self.image(el)
        elif tag in ("iframe", "video"):
            self.embed(el.get("src") or el.get("data-src"))
        elif tag == "figure" or not FIGURE_CLASSES.isdisjoint(classes) or self.is_figure(el):
            self.figure(el, classes)
        elif self.is_caption(el):
            return  # the caption or credit of an image that is not shown
        elif tag == "p":
            self.paragraph(el)
        elif tag == "pre":
            lines = _text_lines(el, self.keeps)
            if lines:
                self.add_rich_text(
                    f"<p>{'<br>'.join(escape(line, quote=False) for line in lines)}</p>",
                    sum(map(len, lines)),
                )
        elif tag in RICH_TEXT_TAGS and not self.holds_layout(el):
            self.add_rich_text(self.serialize(el), self.text_length(el))
        else:
            self.walk(el)

    def is_caption(self, el: etree._Element) -> bool:
        node = self.node(el)
        return (
            node is not None
            and not node.images
            and node.text < CAPTION_MAX_TEXT
            and bool(_CAPTION.search(node.words))
        )

    def is_figure(self, el: etree._Element) -> bool:
        """A box holding an image and its caption, without ``<figure>``."""
        node = self.node(el)
        if node is None or not node.images or node.text > CAPTION_MAX_TEXT:
            return False
        captions = [self.node(child) for child in el.iter() if self.is_caption(child)]
        return bool(captions) and node.text - max(c.text for c in captions) < MIN_TEXT

    def text_length(self, el: etree._Element) -> int:
        node = self.node(el)
        return node.text if node is not None else 0

    def holds_layout(self, el: etree._Element) -> bool:
        """Whether a table or block lays out text and images, rather than holding data."""
        if el.tag == "table":
            return _is_layout_table(el)
        node = self.node(el)
        return node is not None and node.images > 0 and el.tag not in ("ul", "ol", "dl")

    def heading(self, el: etree._Element) -> None:
        text = text_of(el, self.keeps)
        if not text:
            return
        if not self.seen_text and (el.tag == "h1" or text.casefold() == self.title):
            return  # the article's title, repeated above its text
        self.add(Block("heading", {"text": text, "level": HEADING_LEVELS[el.tag]}), len(text))

    def paragraph(self, el: etree._Element) -> None:
        links = [a for a in el.iter("a") if self.keeps(a)]
        if len(links) == 1 and links[0].get("href"):
            text = text_of(el, self.keeps)
            if text and text == text_of(links[0], self.keeps):
                url = embed_url(urljoin(self.base_url, links[0].get("href").strip()))
                if url:
                    self.add(Block("embed", url))
                    return
        node = self.node(el)
        if node is not None and (node.images or el.find(".//iframe") is not None):
            self.walk(el)
        elif node is not None and node.text < LABEL_MAX_TEXT and _END_LABEL.match(text_of(el)):
            self.flush()  # "Tags: ...", on its own so that it can be left out at the end
            self.add_rich_text(self.serialize(el), node.text)
            self.flush()
        else:
            self.add_rich_text(self.serialize(el), node.text if node is not None else 0)

    def image(self, el: etree._Element, caption: str = "") -> None:
        img = el if el.tag == "img" else next(el.iter("img"), None)
        url = image_url(Attributes(img), self.base_url) if img is not None else None
        if url is None and el.tag in ("picture", "a"):
            for source in el.iter("source"):
                srcset = source.get("srcset") or source.get("data-srcset")
                if srcset and (candidate := largest_candidate(srcset)):
                    url = urljoin(self.base_url, candidate)
                    break
        if url:
            alt = collapse(img.get("alt") or "") if img is not None else ""
            self.add(Block("image", {"url": url, "alt": alt, "caption": caption}))

    def embed(self, src: str | None) -> None:
        url = embed_url(urljoin(self.base_url, src.strip())) if src else None
        if url:
            self.add(Block("embed", url))

    def figure(self, el: etree._Element, classes: list[str]) -> None:
        caption_el = next(
            (
                child
                for child in el.iter()
                if child is not el
                and isinstance(child.tag, str)
                and (child.tag == "figcaption" or self.is_caption(child))
            ),
            None,
        )
        caption = text_of(caption_el, self.keeps) if caption_el is not None else ""
        quote = next(el.iter("blockquote"), None)
        iframe = next(el.iter("iframe"), None)
        if quote is not None:
            self.quote(quote, caption)
        elif iframe is not None:
            self.embed(iframe.get("src") or iframe.get("data-src"))
        elif "wp-block-embed" in classes:
            wrapper = next(
                (c for c in el.iter() if "wp-block-embed__wrapper" in class_tokens(c)), None
            )
            url = embed_url(text_of(wrapper)) if wrapper is not None else None
            if url:
                self.add(Block("embed", url))
        elif next(el.iter("img"), None) is not None:
            self.image(el if el.tag != "figure" else next(el.iter("img")), caption)
            if el.tag == "figure":
                return
            for child in el:  # a caption box's own text around its image
                if (
                    child is not caption_el
                    and isinstance(child.tag, str)
                    and child.tag not in MEDIA_TAGS
                    and child.tag != "a"
                    and self.keeps(child)
                    and text_of(child)
                ):
                    self.element(child)
        else:
            self.walk(el)

    def quote(self, el: etree._Element, attribution: str = "") -> None:
        classes = set(class_tokens(el))
        if {"twitter-tweet", "twitter-video"} & classes or {"twitter", "tweet"} <= classes:
            statuses = [embed_url(a.get("href")) for a in el.iter("a")]
            url = next((status for status in reversed(statuses) if status), None)
            if url:
                self.add(Block("embed", url))
            return
        sources: set[etree._Element] = set()
        for source in el.iter(*QUOTE_SOURCES):
            parent = source.getparent()
            if source.tag != "cite" or parent is el or _has_ancestor(source, "footer", el):
                attribution = attribution or text_of(source, self.keeps)
                sources.add(source)

        def keep(child: etree._Element) -> bool:
            return child not in sources and self.keeps(child)

        paragraphs = [text_of(p, keep) for p in el.iter("p") if keep(p)]
        text = "\n\n".join(part for part in paragraphs if part) or text_of(el, keep)
        if text:
            attribution = _DASHES.sub("", attribution)
            self.add(Block("quote", {"text": text, "attribution": attribution}), len(text))


def _text_lines(el: etree._Element, keeps: Callable[[etree._Element], bool]) -> list[str]:
    """The lines of a preformatted element, without its leading and trailing blank lines."""
    parts: list[str] = []

    def walk(parent: etree._Element) -> None:
        if parent.text:
            parts.append(parent.text)
        for child in parent:
            if isinstance(child.tag, str) and keeps(child):
                if child.tag == "br":
                    parts.append("\n")
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    return [line.rstrip() for line in "".join(parts).strip("\n").splitlines()]


def _has_ancestor(el: etree._Element, tag: str, stop: etree._Element) -> bool:
    parent = el.getparent()
    while parent is not None and parent is not stop:
        if parent.tag == tag:
            return True
        parent = parent.getparent()
    return False


def _is_layout_table(el: etree._Element) -> bool:
    """A table used to lay out the page rather than to show data."""
    if el.get("role") == "presentation":
        return True
    if el.find("caption") is not None or el.find("thead") is not None:
        return False
    return el.find(".//p") is not None or el.find(".//table") is not None


def _without_end_matter(blocks: list[Block], texts: list[int]) -> list[Block]:
    """The blocks before a closing section ("Related", "Comments", "Tags: ..."), when what
    follows it is short next to the text before it."""
    total = sum(texts)
    before = 0
    for index, block in enumerate(blocks):
        closing = block.type == "heading" and _END_HEADING.match(block.value["text"])
        if closing and (total - before) * 2 < before:
            blocks = blocks[:index]
            break
        before += texts[index]
    while blocks and blocks[-1].type == "paragraph" and _is_end_label(blocks[-1].value):
        blocks = blocks[:-1]
    return blocks


def _is_end_label(markup: str) -> bool:
    """Whether a paragraph block is one labelled line such as "Tags: a, b" or "Filed under"."""
    if markup.count("<p>") + markup.count("<li>") > 1:
        return False
    text = collapse(re.sub(r"<[^>]+>", " ", markup))
    return len(text) < LABEL_MAX_TEXT and bool(_END_LABEL.match(text))
