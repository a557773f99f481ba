"""Read one item's fields (title, URL, teaser, date, image, tags) from its block of HTML."""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin, urlsplit

from bs4 import NavigableString, Tag

from wagtail_tagfeed.listing import ListingItem

from . import dates
from .fragments import KEPT_WRAPPERS, render
from .images import SHARE_LINK, find_image, image_url
from .page import Node, Page
from .text import (
    attr,
    class_parts,
    classes,
    collapse,
    is_web_url,
    rel,
    visible_text,
    words_of,
)
from .vocabulary import HEADINGS, READ_MORE_WORDS

_HEADING_NAMES = sorted(HEADINGS)
_NOT_TITLES = frozenset(("time", "small", "figcaption", "script", "style", "noscript", "button"))

_TITLE_CLASSES = frozenset(
    [
        "entry-title",
        "post-title",
        "p-name",
        "card-title",
        "article-title",
        "title",
        "headline",
        "node__title",
        "post-card-title",
        "teaser-title",
        "story-title",
        "item-title",
        "news-title",
        "listing-title",
        "wp-block-post-title",
    ]
)
_SUMMARY_CLASSES = re.compile(
    r"(^|[-_])(summary|excerpt|teaser-text|teaser-body|description|dek|standfirst|abstract|"
    r"intro|lede|lead|e-content|entry-content|post-content|card-text|field--name-body)($|[-_])"
)
_META_WORDS = frozenset(
    [
        "meta",
        "metadata",
        "byline",
        "author",
        "authors",
        "date",
        "dates",
        "time",
        "posted",
        "postedon",
        "published",
        "updated",
        "pubdate",
        "tags",
        "tag",
        "taglinks",
        "categories",
        "category",
        "cat",
        "cats",
        "share",
        "sharing",
        "social",
        "comments",
        "comment",
        "readmore",
        "more",
        "continue",
        "submitted",
        "breadcrumb",
        "breadcrumbs",
        "thumbnail",
        "thumb",
        "image",
        "images",
        "img",
        "media",
        "figure",
        "photo",
        "picture",
        "avatar",
        "badge",
        "reading",
        "readtime",
        "edit",
        "dt",
        "byline",
        "vcard",
        "kicker",
        "eyebrow",
        "overline",
        "rubric",
        "save",
        "bookmark",
    ]
)
_ACTION_WORDS = frozenset(("share", "sharing", "social", "save", "bookmark", "print", "like"))
_RANK = re.compile(r"^[(#№]?\d{1,4}[.)]?$")
_WEAK_META_WORDS = frozenset(
    ("info", "footer", "details", "bottom", "section", "label", "flag", "channel", "actions")
)
_WEAK_META_TEXT = 80
_META_EXCEPT = re.compile(r"^(tag|category|term|has|format|status|type)-")
_READ_MORE = re.compile(
    rf"^(?:(?:read|view|see|keep reading|open)\s+(?:the\s+)?"
    rf"(?:more|full|whole|rest|article|post|story|entry)|{READ_MORE_WORDS}|continue|more|"
    rf"mehr|weiter|\[?(?:…|\.\.\.)\]?|[»→\u203a])(?:\W|$)",
    re.IGNORECASE,
)
_TAG_CONTAINER_WORDS = frozenset(
    ["tags", "tag", "taglist", "taglinks", "labels", "topics", "keywords"]
)
_DATE_CLASSES = frozenset(("published", "dt-published", "pubdate", "entry-date", "post-date"))
_REMOVED_TAGS = frozenset(
    ("time", "figure", "picture", "img", "svg", "video", "audio", "iframe", "header", "footer")
)
_REMOVED_TAGS |= frozenset(("address", "figcaption", "nav", "aside", "button", "form"))
_META_PROPS = frozenset(("author", "datePublished", "dateModified", "image", "keywords"))
_LABEL_TAGS = frozenset(("span", "li", "div", "small"))
_DATE_HOLDERS = frozenset(("span", "div", "small", "li", "p", "em", "strong", "b", "td", "dd"))
# Meta lines without a date: "3 days ago", "Updated 5 hours ago", "4 min read".
_RELATIVE_META = re.compile(
    r"^(?:(?:updated|posted|published)\s+)?(?:\d+|an?|one)\s+"
    r"(?:seconds?|minutes?|mins?|hours?|days?|weeks?|months?|years?)\s+ago$|"
    r"^\d+\s+(?:min(?:ute)?s?|hours?)\s+(?:read|reading(?: time)?)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ItemSelectors:
    """The per-field CSS selectors given by the user (``None`` means detect)."""

    title: str | None = None
    summary: str | None = None
    date: str | None = None
    image: str | None = None


def _usable_href(anchor: Tag) -> str | None:
    """The link's ``href`` when it can lead to an article: not a fragment, not a script, not
    another scheme than http(s)."""
    href = attr(anchor, "href")
    if not href or href.startswith("#"):
        return None
    return href if is_web_url(href) else None


def _link_of(element: Tag, block: Tag) -> Tag | None:
    """The link in or around ``element`` (up to ``block``)."""
    if element.name == "a" and _usable_href(element):
        return element
    for anchor in element.descendants:
        if getattr(anchor, "name", None) == "a" and _usable_href(anchor):
            return anchor
    for ancestor in element.parents:
        if ancestor.name == "a" and _usable_href(ancestor):
            return ancestor
        if ancestor is block:
            break
    return None


def _is_title_like(tag: Tag) -> bool:
    if tag.name in HEADINGS:
        return True
    if attr(tag, "itemprop") in ("headline", "name") and tag.name != "meta":
        return True
    return bool(set(classes(tag)) & _TITLE_CLASSES)


def _is_secondary_link(anchor: Tag, read_more: bool = False) -> bool:
    """Links that are not the item's own title link: tags, authors, comments, read-more."""
    if rel(anchor) & {"tag", "category", "author"}:
        return True
    words = class_parts(anchor)
    if words & {"author", "tag", "category", "comments", "comment", "share", "avatar"}:
        return True
    href = attr(anchor, "href").lower()
    if "#comment" in href or "/tag/" in href or "/tags/" in href or "/author/" in href:
        return True
    return not read_more and bool(_READ_MORE.match(collapse(anchor.get_text(" "))))


def find_title(block: Tag, tags: list[Tag], selector: str | None) -> tuple[Tag | None, Tag | None]:
    """The title element and the article link of one block."""
    if selector:
        element = block.select_one(selector)
        if element is None:
            return None, None
        return element, _link_of(element, block)
    if block.name == "a" and _usable_href(block):
        heading = next((tag for tag in tags if _is_title_like(tag)), None)
        return heading or _title_inside_link(block), block
    unlinked = None
    found: tuple[Tag, Tag] | None = None
    for tag in tags:
        if tag.name in HEADINGS or _is_title_like(tag):
            if found is not None and (
                tag.name not in HEADINGS
                or found[0].name not in HEADINGS
                or tag.name >= found[0].name
            ):
                continue
            link = _link_of(tag, block)
            if link is not None and not _is_secondary_link(link):
                if tag.name not in HEADINGS:
                    # A title wrapper (``div.title``) may hold the date too: the heading
                    # inside it, when it holds the same link, is the title.
                    inner = tag.find(_HEADING_NAMES)
                    if inner is not None and _link_of(inner, block) is link:
                        return inner, link
                    return tag, link
                # A kicker (a company or section link in an ``h6``) may come before the
                # title: a more prominent linked heading further on is the title.
                found = (tag, link)
            elif unlinked is None and tag.name in HEADINGS and collapse(tag.get_text(" ")):
                unlinked = tag
    if found is not None:
        return found
    fallback = None
    for tag in tags:
        if tag.name != "a" or not _usable_href(tag):
            continue
        if _is_secondary_link(tag, read_more=unlinked is not None):
            continue
        text = collapse(tag.get_text(" "))
        if unlinked is not None:
            return unlinked, tag
        if len(text) >= 12 or len(text.split()) >= 2:
            return _title_inside_link(tag), tag
        if fallback is None and text:
            fallback = tag
    if unlinked is not None:
        return None, None
    return fallback, fallback


def _title_inside_link(link: Tag) -> Tag:
    """The title part of a link that wraps a whole card (title, teaser, date): its first
    element of text that is not a date or a label; the link itself when it holds one text."""
    texts = 0
    first = None
    for element in link.find_all(True):
        own = "".join(
            str(child) for child in element.children if isinstance(child, NavigableString)
        ).strip()
        if not own or element.name in _NOT_TITLES:
            continue
        texts += 1
        if first is None and not dates.find_date(own) and (len(own) >= 12 or " " in own):
            first = element
        if texts > 1 and first is not None:
            return first
    return link


def _is_meta(node: Node, limit: int, block_text: int = 0) -> bool:
    """Whether an element of the block is metadata (byline, date, categories, share...) by
    its ``itemprop``, classes or id. Words such as "info" also name teaser boxes, so they
    only count for a short element holding less than half the block's text."""
    if attr(node.tag, "itemprop") in _META_PROPS:
        return True
    names = node.classes
    ident = node.tag.attrs.get("id")
    if isinstance(ident, str) and ident:
        names = (*names, ident.lower())
    if not names:
        return False
    kind = _meta_classes(names)
    if kind is None:
        return False
    if kind:
        return node.text <= limit
    return node.text <= _WEAK_META_TEXT and node.text * 2 < block_text


@functools.lru_cache(maxsize=4096)
def _meta_classes(names: tuple[str, ...]) -> bool | None:
    """``True`` for a clear metadata name, ``False`` for a weak one, ``None`` for neither."""
    kept = " ".join(name for name in names if not _META_EXCEPT.match(name))
    words = words_of(kept)
    if words & _META_WORDS:
        return True
    return False if words & _WEAK_META_WORDS else None


def _machine_date(tag: Tag, day_first: bool | None) -> datetime.date | None:
    """The date an element gives in an attribute; for ``<time>``, the date it shows when that
    differs (``datetime`` is often the UTC day, the text the day the reader is told)."""
    for name in ("datetime", "content", "title"):
        value = attr(tag, name)
        if value:
            found = dates.parse_machine(value) or (
                dates.find_date(value, day_first) if name == "title" else None
            )
            if found:
                if tag.name == "time":
                    shown = dates.find_date(visible_text(tag), day_first)
                    return shown or found
                return found
    return None


def find_date(
    block: Tag,
    tags: list[Tag],
    meta_texts: list[str],
    selector: str | None,
    day_first: bool | None = None,
) -> datetime.date | None:
    """The item's date: machine-readable markup, then the visible meta text.

    A date in the article's URL is not used: the truth is the date the listing shows, and
    many items (an aggregator's, a front page's) show none.
    """
    if selector:
        element = block.select_one(selector)
        if element is None:
            return None
        return _machine_date(element, day_first) or dates.find_date(
            visible_text(element), day_first
        )
    preferred = None
    first = None
    for tag in tags:
        if (
            tag.name == "time"
            or attr(tag, "itemprop") == "datePublished"
            or (tag.name == "abbr" and attr(tag, "title"))
        ):
            value = _machine_date(tag, day_first)
            if value is None:
                continue
            if attr(tag, "itemprop") == "datePublished" or set(classes(tag)) & _DATE_CLASSES:
                preferred = preferred or value
            first = first or value
    found = preferred or first
    if found:
        return found
    for text in meta_texts:
        found = dates.find_date(text, day_first)
        if found:
            return found
    return None


@functools.lru_cache(maxsize=4096)
def _tag_classes(names: tuple[str, ...]) -> tuple[bool, bool]:
    """For a tuple of class names: (is a tag list container, is a single tag label)."""
    container = bool(words_of(" ".join(names)) & _TAG_CONTAINER_WORDS) and not any(
        name.startswith(("tag-", "category-")) for name in names
    )
    label = any(name == "tag" or name.endswith(("-tag", "__tag")) for name in names)
    return container, label


def find_tags(
    block: Tag,
    inside: list[Node],
    title_link: Tag | None,
    base: str | None,
    taxonomy: str | None,
) -> tuple[str, ...]:
    """The item's own tag names, in order, without duplicates.

    Tags are ``rel=tag`` links, links inside tag lists, links to pages under the same
    taxonomy path as the listing itself (``taxonomy``, e.g. ``/tag/``) and unlinked tag labels
    such as Ghost's ``<span class="post-card-primary-tag">``. Category links
    (``rel=category``) and read-more links are not tags.
    """
    names: list[str] = []
    containers: set[int] = set()
    title_href = attr(title_link, "href") if title_link is not None else None
    for node in inside:
        tag = node.tag
        if tag.name != "a":
            if node.classes:
                container, label = _tag_classes(node.classes)
                if container:
                    containers.add(id(tag))
                if label and tag.name in _LABEL_TAGS and node.links == 0 and node.text <= 60:
                    _add_name(names, tag)
            continue
        if tag is title_link or node.text > 60:
            continue
        relations = rel(tag)
        if "category" in relations or attr(tag, "href") == title_href:
            continue
        tagged = "tag" in relations or "p-category" in node.classes
        if not tagged and containers:
            for parent in tag.parents:
                if id(parent) in containers:
                    tagged = True
                if tagged or parent is block:
                    break
        if not tagged and taxonomy and _usable_href(tag):
            path = urlsplit(urljoin(base or "", attr(tag, "href"))).path
            tagged = path.startswith(taxonomy) and len(path) > len(taxonomy)
        if tagged and not _READ_MORE.match(collapse(tag.get_text(" "))):
            _add_name(names, tag)
    return tuple(names)


def _add_name(names: list[str], tag: Tag) -> None:
    name = collapse(tag.get_text(" ")).lstrip("#").strip()
    if name and len(name) <= 60 and name not in names:
        names.append(name)


def extract_item(
    page: Page,
    block: Tag,
    base: str | None,
    selectors: ItemSelectors = ItemSelectors(),
    taxonomy: str | None = None,
) -> ListingItem | None:
    """The raw item in ``block`` (teaser HTML as found), or ``None`` when it has no titled
    link. ``taxonomy`` is the listing's tag path (see :func:`.tags.taxonomy_prefix`)."""
    block_node = page.node(block)
    inside = page.inside(block_node) if block_node is not None else []
    tags = [node.tag for node in inside]
    title_element, link = find_title(block, tags, selectors.title)
    if link is None:
        return None
    title = collapse(title_element.get_text(" ")) if title_element is not None else ""
    if title_element is not None and title_element is not link:
        link_text = collapse(link.get_text(" "))
        if link_text and title_element in link.parents:
            title = link_text
    if not title:
        title = collapse(link.get_text(" ")) or attr(link, "title")
    if not title:
        return None
    url = urldefrag(urljoin(base or "", _usable_href(link) or ""))[0]
    title_root = title_element if title_element is not None else link
    around_title = {id(ancestor) for ancestor in title_root.parents}
    skip, meta_texts = _left_out(page, inside, block_node, title_root, around_title, link, title)
    roots = _summary_roots(block, inside, skip, around_title, selectors.summary)
    html, text = _render_summary(page, roots, block, skip)
    # The source cut the teaser when it led on with a read-more link (left out above).
    truncated = any(
        tag.name == "a" and tag is not title_root and _READ_MORE.match(collapse(tag.get_text(" ")))
        for tag in skip.values()
    )

    published = find_date(block, tags, meta_texts, selectors.date, page.day_first)
    image = None
    if selectors.image:
        element = block.select_one(selectors.image)
        if element is not None:
            image = image_url(element, base) if element.name in ("img", "source") else None
            image = image or find_image(element.find_all(("img", "source")), base)
    else:
        image = find_image(tags, base, block)
        if image is None and block_node is not None and block.find("noscript"):
            image = find_image(block.find_all("noscript"), base, block)
    return ListingItem(
        title=title,
        url=url,
        summary_html=html,
        summary_text=text,
        published=published,
        image=image,
        tags=find_tags(block, inside, link, base, taxonomy),
        truncated=truncated,
    )


def _left_out(
    page: Page,
    inside: list[Node],
    block_node: Node | None,
    title_root: Tag,
    around_title: set[int],
    link: Tag,
    title: str,
) -> tuple[dict[int, Tag], list[str]]:
    """The elements that are not part of the teaser (title, date, meta, images, tag links,
    read-more links) and the texts of the meta parts, where a written date may be."""
    block_text = block_node.text if block_node else 0
    limit = max(200, block_text * 2 // 5)
    skip: dict[int, Tag] = {id(title_root): title_root}
    meta_texts: list[str] = []
    if link is not title_root and id(link) not in skip and title_root not in link.parents:
        link_words = collapse(link.get_text(" "))
        if not link_words or _READ_MORE.match(link_words) or link_words == title:
            skip[id(link)] = link
    link_href = attr(link, "href")
    position, end = 0, len(inside)
    while position < end:
        node = inside[position]
        position += 1
        tag = node.tag
        if tag is title_root or id(tag) in skip:
            position = node.end - inside[0].position + 1
            continue
        name = tag.name
        left_out = False
        if name in ("figure", "figcaption", "picture") and _in_full_post(tag, block_node):
            pass  # a full post's figure caption is part of the text shown (its image is not)
        elif name in _REMOVED_TAGS or (name in HEADINGS and id(tag) in around_title):
            if name in ("header", "footer", "time", "address"):
                meta_texts.append(tag.get_text(" "))
            left_out = True
        elif name in HEADINGS and node.links and node.text <= 80:
            left_out = True  # a kicker: the section's or company's link above the title
        elif name == "a" and (
            rel(tag) & {"tag", "category", "author"}
            or class_parts(tag) & _ACTION_WORDS
            or SHARE_LINK.search(attr(tag, "href"))
            or (node.text <= 200 and _READ_MORE.match(collapse(tag.get_text(" "))))
            or (node.text == 0 and not node.images and attr(tag, "href") == link_href)
        ):
            left_out = True
        elif name != "a" and id(tag) not in around_title and _is_meta(node, limit, block_text):
            meta_texts.append(tag.get_text(" "))
            left_out = True
        elif node.links >= 3 and node.text - node.link_text <= 40 and id(tag) not in around_title:
            # A line of links (author, comments, share, hide): metadata, even unnamed.
            meta_texts.append(tag.get_text(" "))
            left_out = True
        elif node.text <= 6 and _RANK.match(collapse(tag.get_text(" "))) and _alone(tag):
            left_out = True  # a rank or counter ("1.", "#12")
        elif (name in _DATE_HOLDERS or name == "a") and 6 <= node.text <= 60:
            text = collapse(tag.get_text(" "))
            if dates.find_date(text, page.day_first) and (name != "p" or len(text) <= 40):
                meta_texts.insert(0, text)
                left_out = True
            elif _RELATIVE_META.match(text):
                left_out = True
        if left_out:
            skip[id(tag)] = tag
            position = node.end - inside[0].position + 1
    return skip, meta_texts


_FULL_POST = re.compile(
    r"(^|[-_])(entry-content|post-content|e-content|entry-body|post-body|article-body|"
    r"field--name-body|post-entry|blog-post-body)($|[-_])"
)


def _in_full_post(tag: Tag, block_node: Node | None) -> bool:
    """Whether an element sits in the body of a post shown in full (not in a card's
    thumbnail area): inside ``.entry-content`` and the like, after some of its text."""
    if block_node is None:
        return False
    for ancestor in tag.parents:
        if ancestor is block_node.tag:
            return False
        if attr(ancestor, "itemprop") == "articleBody" or any(
            _FULL_POST.search(name) for name in classes(ancestor)
        ):
            before = tag.find_previous(string=lambda text: text.strip())
            return before is not None and ancestor in before.parents
    return False


def _alone(tag: Tag) -> bool:
    """Whether no text runs on before or after the element (it is not part of a sentence)."""
    for sibling in (tag.previous_sibling, tag.next_sibling):
        if isinstance(sibling, NavigableString) and sibling.strip():
            return False
    return True


def _has_content(page: Page, tag: Tag) -> bool:
    node = page.node(tag)
    return node is None or node.text > 0 or node.images > 0


def _summary_roots(
    block: Tag,
    inside: list[Node],
    skip: dict[int, Tag],
    around_title: set[int],
    selector: str | None,
) -> list[Tag]:
    """Where the teaser is: the selector's matches, an element marked as the summary (with
    its like-shaped following siblings), or else the whole block."""
    if selector:
        return block.select(selector) or [block]
    for node in inside:
        tag = node.tag
        if id(tag) in skip or not node.text:
            continue
        hinted = (node.classes and _summary_hint(node.classes)) or attr(tag, "itemprop") in (
            "description",
            "articleBody",
        )
        if hinted and id(tag) not in around_title:
            roots = [tag]
            for sibling in tag.next_siblings:
                if not isinstance(sibling, Tag):
                    if str(sibling).strip():
                        break
                    continue
                if sibling.name != tag.name or classes(sibling) != classes(tag):
                    break
                if id(sibling) not in skip:
                    roots.append(sibling)
            return roots
    return [block]


@functools.lru_cache(maxsize=4096)
def _summary_hint(names: tuple[str, ...]) -> bool:
    return any(_SUMMARY_CLASSES.search(name) for name in names)


def _render_summary(
    page: Page, roots: list[Tag], block: Tag, skip: dict[int, Tag]
) -> tuple[str, str]:
    htmls, texts = [], []
    for root in roots:
        html, text = render(
            root,
            skip,
            lambda tag: _has_content(page, tag),
            include_root=root is not block and root.name in KEPT_WRAPPERS,
        )
        if html:
            htmls.append(html)
        if text:
            texts.append(text)
    return "".join(htmls), "\n\n".join(texts)
