"""Find the elements that hold an article's text on a parsed page (an lxml tree).

The page is indexed once: each element's own text and commas, its text in links, its class
words. Paragraphs then score their containers as in Mozilla's Readability (text and commas add
to the parent, half as much to the grandparent, less further up; link-heavy containers and
chrome class words lose), the best container wins, and its siblings that score well enough or
read as paragraphs join it. An element that blogging software names as the article's text
(``[itemprop=articleBody]``, ``.entry-content``...) wins over a container found by scoring when
it holds most of the same text; several such elements side by side are kept together.

Hidden elements, menus, sidebars and comments are left out first. When what remains gives less
than :data:`ENOUGH_TEXT` characters, the search is repeated with fewer exclusions, so a page
whose wrapper's classes look like chrome (``<body class="one-sidebar">``, ``.widget``) still
gives its text. Nothing is removed from the tree: exclusions are recorded in :class:`Content`,
so the article's metadata can still be read around it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from .vocabulary import (
    ARTICLE_BODY_CLASSES,
    BLOCK_TAGS,
    BYLINE_HINTS,
    CHROME_HINTS,
    CONTENT_HINTS,
    HEADINGS,
    HIDDEN_CLASSES,
    MAYBE_HINTS,
    PROMPT_HINTS,
    UNLIKELY_HINTS,
    UNLIKELY_ROLES,
)

MAX_DEPTH = 150
"""Nesting depth below which elements are not looked at."""
MIN_PARAGRAPH = 25
"""Characters of text below which an element is not scored as a paragraph."""
ENOUGH_TEXT = 500
"""Characters of text an article needs before the search stops relaxing its exclusions."""
NEXT_TO_NOTHING = 100
"""Characters of text below which a result is no article at all (any other text is better)."""
RELAXED_PASSES = (
    {"strip_unlikely": False},
    {"strip_unlikely": False, "weigh_classes": False},
    {"strip_unlikely": False, "weigh_classes": False, "clean": False},
    {"strip_unlikely": False, "weigh_classes": False, "clean": False, "keep_hidden": True},
)
PROMPT_MAX_TEXT = 500
"""Characters above which a box named like a share or sign-up prompt is text after all."""
BYLINE_MAX_TEXT = 100
"""Characters above which an element named like a byline is more than one."""
LINK_LIST_DENSITY = 0.8
"""Share of a list's text in links above which, at the end of an article, it is not text."""

NEVER_CONTENT = frozenset(
    (
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "title",
        "meta",
        "link",
        "svg",
        "math",
        "button",
        "input",
        "select",
        "textarea",
        "option",
        "nav",
        "aside",
        "footer",
        "dialog",
        "menu",
        "object",
        "embed",
        "canvas",
        "map",
    )
)
"""Elements whose content is never part of an article's text."""
INPUTS = frozenset(("input", "select", "textarea", "button"))
CONTAINERS = BLOCK_TAGS | frozenset(("center", "summary", "body", "html", "font"))
SCORED = frozenset(
    ("p", "pre", "td", "div", "section", "article", "main", "center", "font", "blockquote")
) | (HEADINGS - {"h1"})
"""Elements whose own text counts as a paragraph when it is long enough."""
TAG_SCORES = {
    "div": 5,
    "article": 5,
    "pre": 3,
    "td": 3,
    "blockquote": 3,
    "address": -3,
    "ol": -3,
    "ul": -3,
    "dl": -3,
    "dd": -3,
    "dt": -3,
    "li": -3,
    "form": -3,
    **dict.fromkeys(HEADINGS, -5),
    "th": -5,
}
CLEANED = frozenset(("form", "fieldset", "table", "ul", "ol", "div", "section"))
"""Elements inside the content that are kept or dropped by their text, links and images."""

_CONTENT = re.compile(CONTENT_HINTS)
_CHROME = re.compile(CHROME_HINTS)
_UNLIKELY = re.compile(UNLIKELY_HINTS)
_MAYBE = re.compile(MAYBE_HINTS)
_PROMPT = re.compile(PROMPT_HINTS)
_BYLINE = re.compile(BYLINE_HINTS)
_COMMAS = re.compile("[,\u060c\ufe50\ufe10\ufe11\u2e41\u2e34\u2e32\uff0c\u3001]")
_SENTENCE_END = re.compile(r"\.( |$)")
_VIDEO = re.compile(
    r"//(www\.)?((dailymotion|youtube|youtube-nocookie|player\.vimeo|v\.qq)\.com|"
    r"(archive|upload\.wikimedia)\.org|player\.twitch\.tv|twitter\.com|x\.com)",
    re.IGNORECASE,
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


@dataclass(slots=True, eq=False)
class Node:
    """One element of the page, with what its subtree holds."""

    el: etree._Element
    parent: Node | None
    tag: str
    words: str
    """The element's class and id, lower-cased, space separated."""
    position: int
    end: int = 0
    own_text: int = 0
    own_commas: int = 0
    tail: int = 0
    tail_commas: int = 0
    inputs: int = 0
    unlikely: bool = False
    hidden: bool = False
    known: bool = False
    """Named by its software as an article's text (``.entry-content``...)."""
    protected: bool = False
    """Holds the page's main element or a known body: never left out as chrome."""
    children: list[Node] = field(default_factory=list)
    # What one search (see ``_Search``) computes:
    excluded: bool = False
    run: int = 0
    """Text outside nested blocks: the element's own paragraph text."""
    run_commas: int = 0
    text: int = 0
    links: float = 0
    has_block: bool = False
    paragraphs: int = 0
    images: int = 0
    items: int = 0
    embeds: int = 0
    videos: int = 0
    heading_text: int = 0
    list_text: int = 0
    commas: int = 0
    score: float | None = None

    @property
    def link_density(self) -> float:
        return self.links / self.text if self.text else 0.0

    def subtree(self, nodes: list[Node]) -> list[Node]:
        return nodes[self.position : self.end + 1]


@dataclass
class Content:
    """The elements holding an article's text, and what to leave out inside them."""

    root_nodes: list[Node]
    nodes: dict[etree._Element, Node]
    dropped: set[Node]
    text: int
    known: bool = False
    """Whether the roots are elements named as the article's text by their software."""

    @property
    def roots(self) -> list[etree._Element]:
        return [node.el for node in self.root_nodes]

    def overlaps(self, other: Content) -> bool:
        """Whether the two hold some of the same elements."""
        return any(
            a.position <= b.position <= a.end or b.position <= a.position <= b.end
            for a in self.root_nodes
            for b in other.root_nodes
        )

    def keeps(self, el: etree._Element) -> bool:
        """Whether ``el`` (inside a root) is part of the article."""
        node = self.nodes.get(el)
        return node is not None and not node.excluded and node not in self.dropped


def find_content(root: etree._Element) -> Content | None:
    """The article's text on a page, or None when the page shows no text at all."""
    body = root.find("body")
    body = body if body is not None else root
    nodes = _index(body)
    if not nodes:
        return None
    best_search = last_search = _Search(nodes)
    best = best_search.run()
    # Each pass leaves less out: unlikely chrome, then class weights, then link-heavy blocks,
    # then (for next to nothing) hidden elements. A pass replaces a short result only with a
    # wider container of the same text (or when that result is next to nothing), not with
    # comments beside it.
    for relaxed in RELAXED_PASSES:
        if best.text >= ENOUGH_TEXT:
            break
        if relaxed.get("keep_hidden") and best.text >= NEXT_TO_NOTHING:
            break
        last_search = _Search(nodes, **relaxed)
        content = last_search.run()
        if content.text > best.text and (
            content.overlaps(best) or (best.text < NEXT_TO_NOTHING and not best.known)
        ):
            best_search, best = last_search, content
    if best_search is not last_search:
        best_search.measure()  # the nodes hold what the last search measured
    return best if best.text else None


def _length(text: str | None) -> int:
    return len(text.strip()) if text else 0


@functools.lru_cache(maxsize=4096)
def _word_flags(words: str) -> tuple[bool, bool, bool, bool]:
    """What an element's class and id words say: (hidden, unlikely, maybe a candidate after
    all, named as an article's text). Class strings repeat a lot on a page."""
    names = words.split()
    return (
        not HIDDEN_CLASSES.isdisjoint(names),
        bool(_UNLIKELY.search(words)),
        bool(_MAYBE.search(words)),
        not ARTICLE_BODY_CLASSES.isdisjoint(names),
    )


def _index(body: etree._Element) -> list[Node]:
    """Every element that can show text, in document order; children after their parent.

    Elements nested deeper than :data:`MAX_DEPTH` are left out: no article is built so, and
    the stages after this one walk the kept elements recursively.
    """
    nodes: list[Node] = []
    stack: list[tuple[etree._Element, Node | None, int]] = [(body, None, 0)]
    while stack:
        el, parent, depth = stack.pop()
        tag = el.tag
        if not isinstance(tag, str):
            if parent is not None:  # a comment or processing instruction: only its tail shows
                parent.own_text += _length(el.tail)
            continue
        tag = tag.lower()
        if tag in NEVER_CONTENT and parent is not None:
            parent.own_text += _length(el.tail)
            if tag in INPUTS:
                parent.inputs += 1
            continue
        attrib = el.attrib
        words = ""
        if attrib:
            value, ident = attrib.get("class"), attrib.get("id")
            if value or ident:
                words = f"{value or ''} {ident or ''}".lower().strip()
        node = Node(el, parent, tag, words, len(nodes))
        nodes.append(node)
        if attrib:
            _read_attributes(node, attrib)
        elif tag == "header":
            node.unlikely = True
        text = el.text
        if text:
            node.own_text = _length(text)
            node.own_commas = len(_COMMAS.findall(text)) if node.own_text else 0
        tail = el.tail
        if tail:
            node.tail = _length(tail)
            node.tail_commas = len(_COMMAS.findall(tail)) if node.tail else 0
        if parent is not None:
            parent.children.append(node)
        if len(el) and depth < MAX_DEPTH:
            stack.extend((child, node, depth + 1) for child in reversed(el))
    for node in reversed(nodes):
        if node.end < node.position:
            node.end = node.position
        if node.known or node.tag in ("main", "h1") or node.el.get("role") == "main":
            node.protected = node.tag != "header"
        parent = node.parent
        if parent is not None:
            if node.end > parent.end:
                parent.end = node.end
            if node.protected and parent.tag != "header":
                parent.protected = True
    return nodes


def _read_attributes(node: Node, attrib) -> None:
    """Whether an element is hidden, unlikely to be the article, or named as its text."""
    words = node.words
    hidden = unlikely = maybe = known = False
    if words:
        hidden, unlikely, maybe, known = _word_flags(words)
    node.hidden = (
        hidden
        or "hidden" in attrib
        or (attrib.get("aria-hidden") == "true" and "fallback-image" not in words)
        or bool(_HIDDEN_STYLE.search(attrib.get("style") or ""))
    )
    if node.tag in ("body", "a", "html", "main", "article"):
        node.unlikely = False
    else:
        node.unlikely = (
            attrib.get("role") in UNLIKELY_ROLES
            or node.tag == "header"
            or (unlikely and not maybe)
        )
    node.known = known or attrib.get("itemprop") == "articleBody"


def class_weight(words: str) -> int:
    """How much an element's class and id words say it holds an article (+) or chrome (-)."""
    if not words:
        return 0
    weight = 0
    if _CHROME.search(words):
        weight -= 25
    if _CONTENT.search(words):
        weight += 25
    return weight


class _Search:
    """One search for the article's text, with a given set of exclusions."""

    def __init__(
        self,
        nodes: list[Node],
        *,
        strip_unlikely: bool = True,
        weigh_classes: bool = True,
        clean: bool = True,
        keep_hidden: bool = False,
    ) -> None:
        self.nodes = nodes
        self.strip_unlikely = strip_unlikely
        self.weigh_classes = weigh_classes
        self.clean = clean
        self.keep_hidden = keep_hidden
        self.dropped: set[Node] = set()

    def run(self) -> Content:
        self.measure()
        top = self._top_candidate()
        roots = self._with_siblings(top) if top is not None else [self.nodes[0]]
        known = self._known_bodies()
        is_known = bool(known) and sum(n.text for n in known) * 2 >= sum(n.text for n in roots)
        if is_known:
            roots = known
        if self.clean:
            for root in roots:
                self._clean(root)
        text = sum(self._kept_text(root) for root in roots)
        return Content(
            roots,
            {node.el: node for node in self.nodes},
            self.dropped,
            text,
            is_known,
        )

    def measure(self) -> None:
        """Sum text, links, paragraphs, images... of each element's subtree, leaving out the
        elements this search excludes."""
        strip_unlikely, keep_hidden = self.strip_unlikely, self.keep_hidden
        for node in self.nodes:
            parent = node.parent
            node.excluded = (parent is not None and parent.excluded) or (
                (node.hidden and not keep_hidden)
                or (strip_unlikely and node.unlikely and not node.protected)
            )
            node.run = node.own_text
            node.run_commas = node.commas = node.own_commas
            node.text = node.own_text
            node.links = 0
            node.has_block = False
            node.paragraphs = node.images = node.embeds = node.videos = node.heading_text = 0
            node.items = node.list_text = 0
            node.score = None
        for node in reversed(self.nodes):
            parent = node.parent
            if parent is None or parent.excluded:
                continue
            parent.text += node.tail
            parent.commas += node.tail_commas
            parent.run += node.tail
            parent.run_commas += node.tail_commas
            if node.excluded:
                continue
            tag = node.tag
            if tag == "a":
                href = node.el.get("href") or ""
                node.links = node.text * (0.3 if href.startswith("#") else 1)
            elif tag == "p":
                node.paragraphs += 1
            elif tag == "img":
                node.images += 1
            elif tag == "li":
                node.items += 1
            elif tag in ("iframe", "video"):
                if _VIDEO.search(node.el.get("src") or node.el.get("data-src") or ""):
                    node.videos += 1
                else:
                    node.embeds += 1
            elif tag in HEADINGS:
                node.heading_text = node.text
            elif tag in ("ul", "ol"):
                node.list_text = node.text
            parent.text += node.text
            parent.commas += node.commas
            parent.links += node.links
            parent.paragraphs += node.paragraphs
            parent.images += node.images
            parent.items += node.items
            parent.embeds += node.embeds
            parent.videos += node.videos
            parent.heading_text += node.heading_text
            parent.list_text += node.list_text
            if tag in CONTAINERS or tag in ("img", "iframe", "picture", "video", "figure"):
                parent.has_block = True
            else:
                parent.run += node.run
                parent.run_commas += node.run_commas

    def _init_score(self, node: Node) -> float:
        score = TAG_SCORES.get(node.tag, 0)
        if self.weigh_classes:
            score += class_weight(node.words)
        return score

    def _top_candidate(self) -> Node | None:
        candidates: list[Node] = []
        for node in self.nodes:
            if node.excluded or node.tag not in SCORED or node.run < MIN_PARAGRAPH:
                continue
            score = 1 + node.run_commas + min(node.run // 100, 3)
            ancestor = node if node.has_block else node.parent
            for level in range(5):
                if ancestor is None:
                    break
                if ancestor.score is None:
                    ancestor.score = self._init_score(ancestor)
                    candidates.append(ancestor)
                ancestor.score += score / (1 if level == 0 else 2 if level == 1 else level * 3)
                ancestor = ancestor.parent
        if not candidates:
            return None
        for node in candidates:
            node.score *= 1 - node.link_density
        ranked = sorted(candidates, key=lambda node: node.score, reverse=True)
        top = ranked[0]
        if top.parent is None:
            return top
        # When several good candidates share an ancestor, the article is that ancestor.
        alternatives = [
            {id(a) for a in _ancestors(node)}
            for node in ranked[1:5]
            if node.score / max(top.score, 1e-9) >= 0.75
        ]
        if len(alternatives) >= 3:
            for ancestor in _ancestors(top):
                if ancestor.parent is None:
                    break
                if sum(id(ancestor) in found for found in alternatives) >= 3:
                    top = ancestor
                    break
        if top.score is None:
            top.score = self._init_score(top)
        # Climb while the parent scores well: the text column inside a wider wrapper.
        last = top.score
        threshold = top.score / 3
        parent = top.parent
        while parent is not None and parent.parent is not None:
            if parent.score is None:
                parent = parent.parent
                continue
            if parent.score < threshold:
                break
            if parent.score > last:
                top = parent
                break
            last = parent.score
            parent = parent.parent
        while (
            top.parent is not None
            and top.parent.parent is not None
            and len([c for c in top.parent.children if not c.excluded]) == 1
        ):
            top = top.parent
        return top

    def _with_siblings(self, top: Node) -> list[Node]:
        """The top candidate and the siblings that belong to the article with it."""
        parent = top.parent
        if parent is None:
            return [top]
        top_score = top.score or 0
        threshold = max(10, top_score * 0.2)
        kept = []
        for sibling in parent.children:
            if sibling.excluded:
                continue
            if sibling is top:
                kept.append(sibling)
                continue
            bonus = top_score * 0.2 if top.words and sibling.words == top.words else 0
            scored = sibling.score is not None and sibling.score + bonus >= threshold
            if scored or (sibling.tag == "p" and self._reads_as_paragraph(sibling)):
                kept.append(sibling)
        return kept

    @staticmethod
    def _reads_as_paragraph(node: Node) -> bool:
        density = node.link_density
        if node.text > 80:
            return density < 0.25
        if node.text == 0 or density:
            return False
        text = "".join(node.el.itertext()).strip()
        return bool(_SENTENCE_END.search(text))

    def _known_bodies(self) -> list[Node]:
        """The elements named as the article's text, outermost first, side by side."""
        found: list[Node] = []
        end = -1
        for node in self.nodes:
            if node.position <= end or not node.known or node.excluded:
                continue
            if node.text:
                found.append(node)
                end = node.end
        if not found:
            return []
        main = max(found, key=lambda node: node.text)
        names = _body_names(main)
        # A body split in sections repeats the main one's name, or sits beside it.
        return [
            node
            for node in found
            if node is main
            or (
                node.text * 5 >= main.text
                and (node.parent is main.parent or not names.isdisjoint(_body_names(node)))
            )
        ]

    def _clean(self, root: Node) -> None:
        """Drop the link lists, forms, share buttons and image strips inside the content."""
        nodes = root.subtree(self.nodes)
        for node in nodes:
            if node.excluded or node is root or self._dropped_above(node, root):
                continue
            if self._is_noise(node):
                self.dropped.add(node)
        self._drop_closing_links(root)

    def _drop_closing_links(self, root: Node) -> None:
        """Drop the lists of links that close the content ("related", "more on", tags)."""
        nodes = root.subtree(self.nodes)
        index = len(nodes) - 1
        while index > 0:
            node = nodes[index]
            if node.excluded or not node.text or self._dropped_above(node, root):
                index -= 1
                continue
            links = next(
                (a for a in (node, *_ancestors(node)) if a.tag in ("ul", "ol") or a is root),
                root,
            )
            if links is root or links.link_density < LINK_LIST_DENSITY:
                return
            self.dropped.add(links)
            index = links.position - root.position - 1

    def _is_noise(self, node: Node) -> bool:
        """Whether an element inside the content is not part of the article's text."""
        tag = node.tag
        if tag == "h1":  # the title, shown above the text
            return True
        if node.words and _PROMPT.search(node.words) and node.text < PROMPT_MAX_TEXT:
            return True
        if node.words and node.text < BYLINE_MAX_TEXT and _BYLINE.search(node.words):
            return True
        if tag in HEADINGS:
            return self.weigh_classes and class_weight(node.words) < 0
        return tag in CLEANED and self._is_clutter(node)

    def _dropped_above(self, node: Node, root: Node) -> bool:
        parent = node.parent
        while parent is not None and parent is not root:
            if parent in self.dropped:
                return True
            parent = parent.parent
        return False

    def _is_clutter(self, node: Node) -> bool:
        """Readability's test of a block inside the content: too many links, images, inputs
        or list items for its paragraphs."""
        if node.tag == "table" and _is_data_table(node):
            return False
        weight = class_weight(node.words) if self.weigh_classes else 0
        if weight < 0:
            return True
        if node.commas >= 10:
            return False
        is_list = node.tag in ("ul", "ol") or (node.text > 0 and node.list_text / node.text > 0.9)
        paragraphs, images = node.paragraphs, node.images
        items = node.items - 100
        in_figure = _inside(node, "figure")
        density = node.link_density
        heading_density = node.heading_text / node.text if node.text else 0
        remove = (
            (images > 1 and paragraphs / images < 0.5 and not in_figure)
            or (not is_list and items > paragraphs)
            or (node.inputs > paragraphs // 3)
            or (
                not is_list
                and heading_density < 0.9
                and node.text < MIN_PARAGRAPH
                and (images == 0 or images > 2)
                and not node.videos
                and not in_figure
            )
            or (not is_list and weight < 25 and density > 0.2 and not self._is_prose(node))
            or (weight >= 25 and density > 0.5)
            or (node.embeds == 1 and node.text < 75)
            or node.embeds > 1
        )
        if remove and is_list:
            # A list of images (a gallery) stays.
            children = [child for child in node.children if not child.excluded]
            if all(len(child.children) <= 1 for child in children) and images == node.items:
                return False
        return remove

    @staticmethod
    def _is_prose(node: Node) -> bool:
        """A paragraph with links in its sentences, rather than a box of links."""
        return node.paragraphs <= 1 and node.link_density <= 0.5 and node.text - node.links >= 40

    def _kept_text(self, root: Node) -> int:
        if root in self.dropped:
            return 0
        lost = 0
        end = -1
        for node in root.subtree(self.nodes):
            if node.position > end and node in self.dropped and not node.excluded:
                lost += node.text
                end = node.end
        return max(root.text - lost, 0)


def _body_names(node: Node) -> set[str]:
    """The names that mark an element as an article's text (class names, microdata)."""
    names = set(ARTICLE_BODY_CLASSES.intersection(node.words.split()))
    if node.el.get("itemprop") == "articleBody":
        names.add("[itemprop=articleBody]")
    return names


def _ancestors(node: Node) -> Iterator[Node]:
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def _inside(node: Node, tag: str) -> bool:
    return any(ancestor.tag == tag for ancestor in _ancestors(node))


def _is_data_table(node: Node) -> bool:
    el = node.el
    if el.get("role") == "presentation" or el.get("datatable") == "0":
        return False
    if el.get("summary") or el.find("caption") is not None or el.find("thead") is not None:
        return True
    return el.find(".//th") is not None
