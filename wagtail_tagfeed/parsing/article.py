"""Article page -> :class:`ArticleContent`: the body as blocks, and the article's own metadata.

The main content is found first (``[itemprop=articleBody]``, ``.entry-content``, ``.post-content``,
``.gh-content`` and the like, then ``article``, then ``main``, then the element holding the most
paragraph text), skipping the site's chrome, comments, share buttons and related-article boxes.
It becomes the blocks of ``ArticlePage.body``: runs of paragraphs and lists are one rich-text
``paragraph`` (cleaned like summaries), headings ``heading``, block quotes ``quote``, images
``image`` (by URL: downloading them is the job of :mod:`wagtail_tagfeed.images`) and iframes or
lone links that Wagtail's oEmbed providers know ``embed``. Pure: no Django models.
"""

from __future__ import annotations

import datetime
import functools
import html
import json
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from wagtail_tagfeed.cleaning import clean_body_html, clean_text, clean_url, html_to_text
from wagtail_tagfeed.fetching import decode_html
from wagtail_tagfeed.listing import Document

from . import dates
from .images import image_url
from .structured import entry_types, json_ld_entries
from .text import class_parts, classes, rel, visible_text
from .vocabulary import ARTICLE_TYPES

BODY_SELECTORS = (
    "[itemprop=articleBody]",
    ".entry-content",
    ".post-content",
    ".gh-content",
    ".e-content",
    ".article-body",
    ".article-content",
    ".post-body",
    ".node__content .text-content",
    ".md-content__inner",
)
"""Elements that hold just an article's text in common software, most specific first."""

FALLBACK_SELECTORS = ("article", "[role=main]", "main")

NOISE_TAGS = frozenset(
    (
        "script",
        "style",
        "noscript",
        "template",
        "form",
        "button",
        "input",
        "select",
        "textarea",
        "nav",
        "aside",
        "header",
        "footer",
        "svg",
        "dialog",
        "object",
        "embed",
        "video",
        "audio",
        "canvas",
        "hr",
    )
)
NOISE_WORDS = frozenset(
    (
        "share",
        "sharing",
        "sharedaddy",
        "social",
        "related",
        "relatedposts",
        "comments",
        "comment",
        "respond",
        "newsletter",
        "subscribe",
        "advert",
        "advertisement",
        "ads",
        "sponsored",
        "promo",
        "byline",
        "meta",
        "tags",
        "breadcrumb",
        "breadcrumbs",
        "author",
        "bio",
        "sidebar",
        "widget",
        "navigation",
        "pagination",
        "cookie",
        "signup",
        "cta",
        "toc",
    )
)
HEADING_LEVELS = {"h1": "h2", "h2": "h2", "h3": "h3", "h4": "h4", "h5": "h4", "h6": "h4"}
RICH_TEXT_TAGS = frozenset(("p", "ul", "ol", "dl", "table", "pre", "address"))
CONTAINER_TAGS = frozenset(
    ("div", "section", "article", "main", "center", "details", "summary", "figcaption", "body")
)
AUTHOR_SELECTORS = (
    "[rel~=author]",
    "[itemprop=author] [itemprop=name]",
    "[itemprop=author]",
    ".p-author",
    ".author .fn",
    ".author-name",
    ".post-author",
    ".field--name-uid",
)
AUTHOR_WORDS = frozenset(("author", "byline"))
DATE_WORDS = frozenset(("date", "published", "posted", "pubdate"))
TERM_CLASS = re.compile(r"^(?:tag|category|format|status|type|has|is|postid)-")
CHROME_WORDS = frozenset(("comments", "comment", "related", "sidebar", "widget", "respond"))
NARROW_SHARE = 0.75
BY = re.compile(r"^(?:by|von|par|por|door)\s+", re.IGNORECASE)
YOUTUBE_EMBED = re.compile(
    r"^https?://(?:www\.)?youtube(?:-nocookie)?\.com/embed/([\w-]+)", re.IGNORECASE
)
VIMEO_PLAYER = re.compile(r"^https?://player\.vimeo\.com/video/(\d+)", re.IGNORECASE)


@dataclass(frozen=True)
class Block:
    """One block of an article body, in the shape of the body's StreamField raw data.

    ``image`` values are ``{"url": ..., "alt": ...}`` until the image is in the library.
    """

    type: str
    value: object

    def as_json(self) -> dict:
        return {"type": self.type, "value": self.value}


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

    @property
    def text(self) -> str:
        """The body as plain text: paragraphs, headings and quotes, separated by blank lines."""
        parts = []
        for block in self.blocks:
            if block.type == "paragraph":
                parts.append(html_to_text(block.value))
            elif block.type in ("heading", "quote"):
                parts.append(block.value["text"])
        return "\n\n".join(part for part in parts if part)

    def as_json(self) -> dict:
        return {
            "url": self.url,
            "author": self.author,
            "published": self.published.isoformat() if self.published else None,
            "tags": list(self.tags),
            "image": self.image,
            "blocks": [block.as_json() for block in self.blocks],
        }


def parse_article(document: Document) -> ArticleContent:
    """Extract an article page's body and metadata; empty blocks when no content is found."""
    text, _ = decode_html(document.content, document.encoding)
    soup = BeautifulSoup(text, "lxml")
    canonical = soup.find("link", rel="canonical")
    base = clean_url(canonical.get("href") if canonical else None, document.url) or (
        document.url or ""
    )
    structured = _structured(soup)
    content = find_content(soup)
    scope = _scope(content) if content is not None else soup
    blocks = _Builder(base).build(content) if content is not None else ()
    return ArticleContent(
        url=base,
        blocks=tuple(blocks),
        author=_author(soup, scope, structured),
        published=_published(soup, scope, structured),
        tags=_tags(soup, scope, structured),
        image=clean_url(_meta(soup, "og:image"), base),
    )


def find_content(soup: BeautifulSoup) -> Tag | None:
    """The element holding the article's text, or None when the page has no paragraphs."""
    for selectors in (BODY_SELECTORS, FALLBACK_SELECTORS):
        found = [
            tag
            for selector in selectors
            for tag in soup.select(selector)
            if not _in_chrome(tag) and _text_length(tag) > 0
        ]
        if found:
            best = max(found, key=_text_length)
            return best if selectors is BODY_SELECTORS else _narrow(best)
    scores: dict[int, tuple[int, Tag]] = {}
    for paragraph in soup.find_all("p"):
        parent = paragraph.parent
        if isinstance(parent, Tag) and not _in_chrome(paragraph):
            score, _ = scores.get(id(parent), (0, parent))
            scores[id(parent)] = (score + len(visible_text(paragraph)), parent)
    if not scores:
        return None
    return max(scores.values(), key=lambda pair: pair[0])[1]


def _narrow(tag: Tag) -> Tag:
    """The deepest block inside ``tag`` that still holds most of its text (not its header)."""
    total = _text_length(tag)
    for child in tag.find_all(["div", "section"]):
        if not is_noise(child) and _text_length(child) >= NARROW_SHARE * total:
            tag = child
    return tag


def embed_url(url: str | None) -> str | None:
    """The URL to store in an ``embed`` block, when Wagtail's oEmbed providers know it.

    Player iframes (``youtube.com/embed/ID``, ``player.vimeo.com/video/ID``) are turned into
    the page URLs the providers list; nothing is fetched.
    """
    if not url:
        return None
    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
    if match := YOUTUBE_EMBED.match(url):
        url = f"https://www.youtube.com/watch?v={match[1]}"
    elif match := VIMEO_PLAYER.match(url):
        url = f"https://vimeo.com/{match[1]}"
    elif urlsplit(url).hostname in ("platform.twitter.com", "platform.x.com"):
        ids = parse_qs(urlsplit(url).query).get("id")
        url = f"https://twitter.com/i/status/{ids[0]}" if ids else url
    if not any(pattern.match(url) for pattern in _provider_patterns()):
        return None
    parts = urlsplit(url)
    if parts.hostname in ("twitter.com", "x.com", "www.twitter.com", "www.x.com"):
        url = parts._replace(query="", fragment="").geturl()
    return url


@functools.cache
def _provider_patterns() -> tuple[re.Pattern, ...]:
    from wagtail.embeds.oembed_providers import all_providers

    return tuple(re.compile(url) for provider in all_providers for url in provider["urls"])


def is_noise(tag: Tag) -> bool:
    """Whether an element inside the content is chrome: meta, share, comments, related..."""
    if tag.name in NOISE_TAGS or tag.has_attr("hidden"):
        return True
    if tag.get("aria-hidden") == "true" or "display:none" in tag.get("style", "").replace(" ", ""):
        return True
    return bool(_words(tag) & NOISE_WORDS)


def _words(tag: Tag) -> set[str]:
    """The words of an element's classes and id, without taxonomy classes such as ``tag-x``."""
    names = [name for name in classes(tag) if not TERM_CLASS.match(name)]
    names.append(tag.get("id", "") if isinstance(tag.get("id"), str) else "")
    return {word for name in names for word in re.split(r"[-_\s]+", name.lower()) if word}


class _Builder:
    """Walks the content element and collects body blocks."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.blocks: list[Block] = []
        self.pending: list[str] = []
        self.seen_text = False

    def build(self, content: Tag) -> list[Block]:
        self.walk(content)
        self.flush()
        return self.blocks

    def flush(self) -> None:
        if self.pending:
            value = clean_body_html("".join(self.pending), self.base_url)
            if value:
                self.blocks.append(Block("paragraph", value))
            self.pending = []

    def add(self, block: Block) -> None:
        self.flush()
        self.blocks.append(block)
        self.seen_text = self.seen_text or block.type != "image"

    def walk(self, parent: Tag) -> None:
        inline: list[str] = []
        for child in parent.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                inline.append(html.escape(str(child)))
            elif isinstance(child, Tag) and self.is_inline(child):
                inline.append(str(child))
            elif isinstance(child, Tag):
                self.add_inline(inline)
                inline = []
                self.element(child)
        self.add_inline(inline)

    def add_inline(self, inline: list[str]) -> None:
        if "".join(inline).strip():
            self.pending.append(f"<p>{''.join(inline)}</p>")
            self.seen_text = True

    @staticmethod
    def is_inline(tag: Tag) -> bool:
        if tag.name in ("img", "picture", "iframe") or is_noise(tag):
            return False
        if tag.name == "a" and tag.find("img") and not visible_text(tag):
            return False
        return tag.name not in (
            RICH_TEXT_TAGS | CONTAINER_TAGS | set(HEADING_LEVELS) | {"blockquote", "figure"}
        )

    def element(self, tag: Tag) -> None:
        name = tag.name
        if name == "blockquote":
            self.quote(tag)
        elif is_noise(tag):
            return
        elif name in HEADING_LEVELS:
            self.heading(tag)
        elif name in ("img", "picture", "a"):
            self.image(tag)
        elif name == "iframe":
            self.embed(tag.get("src") or tag.get("data-src"))
        elif name == "figure":
            self.figure(tag)
        elif name == "p":
            self.paragraph(tag)
        elif name == "pre":
            lines = tag.get_text().strip("\n").splitlines()
            self.pending.append(f"<p>{'<br>'.join(html.escape(line) for line in lines)}</p>")
            self.seen_text = True
        elif name in RICH_TEXT_TAGS:
            self.pending.append(str(tag))
            self.seen_text = True
        else:
            self.walk(tag)

    def heading(self, tag: Tag) -> None:
        text = clean_text(_visible_text(tag))
        if tag.name == "h1" and not self.seen_text:
            return  # the article's title, repeated above its text
        if text:
            self.add(Block("heading", {"text": text, "level": HEADING_LEVELS[tag.name]}))

    def paragraph(self, tag: Tag) -> None:
        links = tag.find_all("a")
        text = visible_text(tag)
        if len(links) == 1 and text == visible_text(links[0]):
            url = embed_url(clean_url(links[0].get("href"), self.base_url))
            if url:
                self.add(Block("embed", url))
                return
        if tag.find(["img", "iframe"]):
            self.walk(tag)
        else:
            self.pending.append(str(tag))
            self.seen_text = True

    def image(self, tag: Tag) -> None:
        img = tag if tag.name == "img" else tag.find("img")
        url = clean_url(image_url(img, self.base_url), None) if img is not None else None
        if url:
            alt = clean_text(img.get("alt", "") or "")
            self.add(Block("image", {"url": url, "alt": alt}))

    def embed(self, src: str | None) -> None:
        url = embed_url(clean_url(src, self.base_url))
        if url:
            self.add(Block("embed", url))

    def figure(self, tag: Tag) -> None:
        if tag.find("blockquote"):
            self.quote(tag.find("blockquote"))
        elif tag.find("iframe"):
            self.embed(tag.find("iframe").get("src"))
        elif "wp-block-embed" in class_parts(tag) or {"wp", "block", "embed"} <= class_parts(tag):
            wrapper = tag.select_one(".wp-block-embed__wrapper")
            url = embed_url(visible_text(wrapper) if wrapper else None)
            if url:
                self.add(Block("embed", url))
        elif tag.find("img"):
            img = tag.find("img")
            caption = tag.find("figcaption")
            if not img.get("alt") and caption is not None:
                img["alt"] = visible_text(caption)
            self.image(img)
        else:
            self.walk(tag)

    def quote(self, tag: Tag) -> None:
        if {"twitter", "tweet"} <= class_parts(tag):
            statuses = [embed_url(a.get("href")) for a in tag.find_all("a")]
            url = next((status for status in reversed(statuses) if status), None)
            if url:
                self.add(Block("embed", url))
            return
        attribution = ""
        for source in tag.find_all(["cite", "footer", "figcaption"]):
            if source.name != "cite" or source.parent is tag or source.find_parent("footer"):
                attribution = attribution or clean_text(visible_text(source))
                source.extract()
        attribution = re.sub(r"^[\s—–-]+", "", attribution)
        parts = [clean_text(visible_text(p)) for p in tag.find_all("p")]
        text = "\n\n".join(part for part in parts if part) or clean_text(visible_text(tag))
        if text:
            self.add(Block("quote", {"text": text, "attribution": attribution}))


def _visible_text(tag: Tag) -> str:
    """The element's visible text without its noise (hidden anchors, screen-reader labels)."""
    copy = BeautifulSoup(str(tag), "html.parser")
    for child in copy.find_all(True):
        if child.parent is not None and child is not copy.contents[0] and is_noise(child):
            child.decompose()
    return visible_text(copy)


def _text_length(tag: Tag) -> int:
    return sum(len(visible_text(p)) for p in tag.find_all(["p", "li"]))


def _in_chrome(tag: Tag) -> bool:
    return any(
        parent.name in ("nav", "aside", "footer") or _words(parent) & CHROME_WORDS
        for parent in (tag, *tag.parents)
        if isinstance(parent, Tag)
    )


def _scope(content: Tag) -> Tag:
    """Where the article's own metadata is: its ``article`` (or ``main``) element."""
    return content.find_parent("article") or content.find_parent("main") or content.parent


def _meta(soup: BeautifulSoup, *names: str) -> str:
    for name in names:
        tag = soup.find("meta", attrs={"property": name}) or soup.find(
            "meta", attrs={"name": name}
        )
        if tag and tag.get("content", "").strip():
            return tag["content"].strip()
    return ""


def _structured(soup: BeautifulSoup) -> dict:
    """The page's JSON-LD description of an article, if any."""
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        try:
            data = json.loads(script.string or "")
        except ValueError:
            continue
        for entry, _listed in json_ld_entries(data):
            if entry_types(entry) & ARTICLE_TYPES:
                return entry
    return {}


def _names(value: object) -> list[str]:
    if isinstance(value, list):
        return [name for entry in value for name in _names(entry)]
    if isinstance(value, dict):
        return _names(value.get("name", ""))
    return [clean_text(str(value))] if value else []


def _published(soup: BeautifulSoup, scope: Tag, structured: dict) -> datetime.date | None:
    candidates = [
        str(structured.get("datePublished", "")),
        _meta(soup, "article:published_time", "datePublished"),
    ]
    times = scope.select(
        "[itemprop=datePublished], .dt-published, time.published, time.entry-date, time"
    )
    candidates += [tag.get("datetime") or tag.get("content") or "" for tag in times]
    for value in candidates:
        found = dates.parse_machine(value.strip()) if value else None
        if found:
            return found
    for tag in scope.find_all(True):
        if _words(tag) & DATE_WORDS and (found := dates.find_date(visible_text(tag))):
            return found
    return None


def _author(soup: BeautifulSoup, scope: Tag, structured: dict) -> str:
    names = _names(structured.get("author"))
    if names:
        return ", ".join(names)
    if (name := _meta(soup, "author", "article:author")) and not re.match(r"https?://", name):
        return clean_text(name)
    for selector in AUTHOR_SELECTORS:
        for tag in scope.select(selector):
            if tag.name == "link":
                continue
            name = BY.sub("", clean_text(visible_text(tag))).strip(" ,")
            if name and len(name) < 100:
                return name
    for tag in scope.find_all(True):
        if _words(tag) & AUTHOR_WORDS and not tag.find(["p", "div", "li", "ul"]):
            name = BY.sub("", clean_text(visible_text(tag))).strip(" ,")
            if name and len(name) < 60:
                return name
    return ""


def _in_tag_list(anchor: Tag, scope: Tag) -> bool:
    """Whether a link sits in the article's list of tags (``.tags``, ``.field--name-tags``)."""
    for parent in anchor.parents:
        if parent is scope or not isinstance(parent, Tag):
            return False
        words = _words(parent)
        if "tags" in words and not words & {"cloud", "widget"}:
            return True
    return False


def _tags(soup: BeautifulSoup, scope: Tag, structured: dict) -> tuple[str, ...]:
    names = [
        clean_text(visible_text(a))
        for a in scope.find_all("a")
        if ("tag" in rel(a) and "category" not in rel(a))
        or "p-category" in classes(a)
        or _in_tag_list(a, scope)
    ]
    names += [tag["content"] for tag in soup.find_all("meta", attrs={"property": "article:tag"})]
    keywords = structured.get("keywords", [])
    names += keywords.split(",") if isinstance(keywords, str) else _names(keywords)
    found: dict[str, str] = {}
    for name in map(clean_text, names):
        if name:
            found.setdefault(name.casefold(), name.lstrip("#"))
    return tuple(found.values())
