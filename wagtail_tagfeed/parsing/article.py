"""Article page -> raw :class:`ArticleContent`: the body as blocks, and the article's metadata.

The page is parsed with lxml (:mod:`.tree`), the elements holding its text are found by
:mod:`.content` and turned into raw blocks by :mod:`.body`; author, publication date, tags and
lead image come from the page's JSON-LD, ``<meta>`` tags and the markup around the text. The
result is raw, as found: :func:`wagtail_tagfeed.cleaning.clean_article` makes it safe to store
and fills in its plain ``text``. Pure: no Django models.
"""

from __future__ import annotations

import datetime
import functools
import json
import re
from dataclasses import dataclass
from html import escape, unescape
from urllib.parse import urljoin

from lxml import etree

from wagtail_tagfeed.listing import Document

from . import dates, page_text
from .body import Block, body_blocks
from .content import ENOUGH_TEXT, NEXT_TO_NOTHING, find_content
from .structured import entry_types, json_ld_entries
from .text import collapse
from .tree import class_tokens, parse_html, text_of
from .vocabulary import ARTICLE_TYPES

__all__ = ["ArticleContent", "Block", "parse_article"]

AUTHOR_CLASSES = ("p-author", "author-name", "post-author", "field--name-uid")
AUTHOR_WORDS = frozenset(("author", "byline"))
DATE_WORDS = frozenset(("date", "published", "posted", "pubdate"))
DATE_CLASSES = frozenset(("dt-published", "published", "entry-date"))
TERM_CLASS = re.compile(r"^(?:tag|category|format|status|type|has|is|postid)-")
BY = re.compile(r"^(?:by|von|par|por|door)\s+", re.IGNORECASE)
WORD_SPLIT = re.compile(r"[-_\s]+")


@dataclass(frozen=True)
class ArticleContent:
    """What an article's own page says: its body and metadata."""

    url: str
    blocks: tuple[Block, ...] = ()
    author: str = ""
    published: datetime.date | None = None
    tags: tuple[str, ...] = ()
    image: str | None = None
    """The page's lead image (``og:image``), for an item whose teaser had none."""
    text: str = ""
    """The body as plain text: paragraphs, headings and quotes, separated by blank lines
    (filled in by cleaning; image captions are not part of it)."""

    def as_json(self) -> dict:
        return {
            "url": self.url,
            "author": self.author,
            "published": self.published.isoformat() if self.published else None,
            "tags": list(self.tags),
            "image": self.image,
            "blocks": [block.as_json() for block in self.blocks],
            "text": self.text,
        }


def parse_article(document: Document) -> ArticleContent:
    """Extract an article page's body and metadata, raw; no blocks when it shows no text.

    Raises :class:`~wagtail_tagfeed.errors.NotHTMLError` for what is plainly not an HTML page.
    """
    root = parse_html(page_text(document))
    if root is None:
        return ArticleContent(url=document.url or "")
    head = _Head(root, document.url or "")
    content = find_content(root)
    blocks = body_blocks(content, head.url, head.title) if content is not None else []
    described = head.structured.get("articleBody")
    found = content.text if content is not None else 0
    if isinstance(described, str) and len(described) > max(2 * found, NEXT_TO_NOTHING):
        # A page drawn by scripts shows next to nothing, but its JSON-LD may hold the text.
        blocks = [_text_block(described)] if found < ENOUGH_TEXT else blocks
    scope = _Scope(_scope(content.roots[0]) if content is not None else root)
    return ArticleContent(
        url=head.url,
        blocks=tuple(blocks),
        author=_author(head, scope),
        published=_published(head, scope),
        tags=_tags(head, scope),
        image=head.image,
    )


class _Head:
    """What the page says about itself in ``<link>``, ``<meta>``, ``<title>`` and JSON-LD."""

    def __init__(self, root: etree._Element, url: str) -> None:
        self.meta: dict[str, str] = {}
        self.tags: list[str] = []
        self.structured: dict = {}
        canonical = None
        title = ""
        for el in root.iter("link", "meta", "script", "title"):
            tag = el.tag
            if tag == "meta":
                name = (el.get("property") or el.get("name") or "").strip().lower()
                value = (el.get("content") or "").strip()
                if name == "article:tag" and value:
                    self.tags.append(value)
                elif name and value:
                    self.meta.setdefault(name, value)
            elif tag == "link":
                rel = (el.get("rel") or "").lower().split()
                if "canonical" in rel and canonical is None and el.get("href"):
                    canonical = el.get("href").strip()
            elif tag == "title":
                title = title or "".join(el.itertext())
            elif (el.get("type") or "").lower() == "application/ld+json" and not self.structured:
                self.structured = _structured(el.text or "")
        self.url = urljoin(url, canonical) if canonical else url
        self.title = self.meta.get("og:title") or title
        image = self.meta.get("og:image")
        self.image = urljoin(self.url, image) if image else None


def _text_block(text: str) -> Block:
    """A paragraph block of plain text, one paragraph per line."""
    lines = (collapse(unescape(line)) for line in text.splitlines())
    return Block("paragraph", "".join(f"<p>{escape(line)}</p>" for line in lines if line))


def _structured(script: str) -> dict:
    """The JSON-LD description of an article in one script, if any."""
    try:
        data = json.loads(script)
    except ValueError:
        return {}
    for entry, _listed in json_ld_entries(data):
        if entry_types(entry) & ARTICLE_TYPES:
            return entry
    return {}


def _scope(content: etree._Element) -> etree._Element:
    """Where the article's own metadata is: its ``article`` (or ``main``) element."""
    for tag in ("article", "main"):
        for ancestor in content.iterancestors(tag):
            return ancestor
    parent = content.getparent()
    return parent if parent is not None else content


def _words(el: etree._Element) -> frozenset[str]:
    """The words of an element's classes and id, without taxonomy classes such as ``tag-x``."""
    return _words_of(el.get("class") or "", el.get("id") or "")


@functools.lru_cache(maxsize=4096)
def _words_of(classes: str, ident: str) -> frozenset[str]:
    names = [name for name in classes.lower().split() if not TERM_CLASS.match(name)]
    names.append(ident.lower())
    return frozenset(word for name in names for word in WORD_SPLIT.split(name) if word)


class _Scope:
    """The elements around the article that name its date, author and tags, found in one walk."""

    def __init__(self, scope: etree._Element) -> None:
        self.dates: list[etree._Element] = []
        self.times: list[etree._Element] = []
        self.dated: list[etree._Element] = []
        self.authors: list[list[etree._Element]] = [[], [], [], []]
        self.bylines: list[etree._Element] = []
        self.links: list[etree._Element] = []
        self.tag_lists: set[etree._Element] = set()
        """Containers of the article's list of tags (``.tags``, ``.field--name-tags``)."""
        for el in scope.iter():
            tag = el.tag
            if not isinstance(tag, str):
                continue
            attrib = el.attrib
            if tag == "a":
                self.links.append(el)
            elif tag == "time":
                self.times.append(el)
            if not attrib:
                continue
            if "author" in (attrib.get("rel") or "").lower().split():
                self.authors[0].append(el)
            itemprop = attrib.get("itemprop")
            if itemprop == "datePublished":
                self.dates.append(el)
            elif itemprop == "author":
                names = [n for n in el.iter() if n.get("itemprop") == "name"]
                self.authors[1].extend(names or [el])
            if "class" not in attrib and "id" not in attrib:
                continue
            classes = class_tokens(el)
            if not DATE_CLASSES.isdisjoint(classes):
                self.dates.append(el)
            if any(name in classes for name in AUTHOR_CLASSES):
                self.authors[2].append(el)
            elif "fn" in classes and any("author" in class_tokens(a) for a in el.iterancestors()):
                self.authors[3].append(el)
            words = _words(el)
            if words & DATE_WORDS:
                self.dated.append(el)
            if words & AUTHOR_WORDS:
                self.bylines.append(el)
            if "tags" in words and not words & {"cloud", "widget"} and el is not scope:
                self.tag_lists.add(el)


def _names(value: object) -> list[str]:
    if isinstance(value, list):
        return [name for entry in value for name in _names(entry)]
    if isinstance(value, dict):
        return _names(value.get("name", ""))
    return [collapse(str(value))] if value else []


def _published(head: _Head, scope: _Scope) -> datetime.date | None:
    candidates = [
        str(head.structured.get("datePublished", "")),
        head.meta.get("article:published_time", ""),
        head.meta.get("datepublished", ""),
    ]
    candidates += [el.get("datetime") or el.get("content") or "" for el in scope.dates]
    candidates += [el.get("datetime") or el.get("content") or "" for el in scope.times]
    for value in candidates:
        found = dates.parse_machine(value.strip()) if value else None
        if found:
            return found
    for el in scope.dated:
        found = dates.find_date(text_of(el))
        if found:
            return found
    return None


def _author(head: _Head, scope: _Scope) -> str:
    names = _names(head.structured.get("author"))
    if names:
        return ", ".join(names)
    name = head.meta.get("author") or head.meta.get("article:author") or ""
    if name and not re.match(r"https?://", name):
        return collapse(name)
    for el in (el for group in scope.authors for el in group):
        if el.tag == "link":
            continue
        name = BY.sub("", text_of(el)).strip(" ,")
        if name and len(name) < 100:
            return name
    for el in scope.bylines:
        if any(child.tag in ("p", "div", "li", "ul") for child in el.iter() if child is not el):
            continue
        name = BY.sub("", text_of(el)).strip(" ,")
        if name and len(name) < 60:
            return name
    return ""


def _tags(head: _Head, scope: _Scope) -> tuple[str, ...]:
    names = []
    for anchor in scope.links:
        rel = (anchor.get("rel") or "").lower().split()
        if (
            ("tag" in rel and "category" not in rel)
            or "p-category" in class_tokens(anchor)
            or any(parent in scope.tag_lists for parent in anchor.iterancestors())
        ):
            names.append(text_of(anchor))
    names += head.tags
    keywords = head.structured.get("keywords", [])
    names += keywords.split(",") if isinstance(keywords, str) else _names(keywords)
    found: dict[str, str] = {}
    for name in map(collapse, names):
        if name:
            found.setdefault(name.casefold(), name.lstrip("#"))
    return tuple(found.values())
