"""Find the repeated item blocks of a listing page without knowing its markup.

Elements are grouped by shape (same parent path, same tag); each group is scored on how much
its members look like teasers: one title link each, text of substance besides links, dates,
many alike siblings, and being outside navigation, sidebars and footers.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict

from .page import Node, Page, is_stable_class
from .text import class_parts
from .vocabulary import HEADINGS

_NEVER_ITEMS = frozenset(
    ("html", "body", "main", "head", "br", "hr", "img", "span", "em", "strong", "b", "i")
)


def _member_score(node: Node) -> float:
    """How much one block looks like a teaser (0 when it cannot be one).

    Text inside menus and sidebars nested in the block does not count; a block holding the
    page's ``<main>`` or its unlinked ``<h1>`` is a layout container, not an item.
    """
    links = node.links - node.chrome_links
    text = node.text - node.chrome_text
    if links <= 0 or node.titles > 1 or text <= 0:
        return 0.0
    link_text = node.link_text - node.chrome_link_text
    own_text = text - link_text
    score = min(own_text, 400) + min(link_text, 100) * 0.3
    if node.titles == 1:
        score += 40
    else:
        score *= 0.5
    if node.times:
        score += 15
    if node.images:
        score += 5
    if links > 15:
        score *= 0.5
    if node.mains or node.plain_h1s:
        score *= 0.3
    return score


def _alike(members: list[Node]) -> list[list[Node]]:
    """Split a group by the class names most of it shares.

    Blocks lacking them (an ad between teasers, or a sidebar's entries whose path looks
    like the listing's) go to groups of their own, scored separately.
    """
    split: list[list[Node]] = []
    while len(members) >= 3:
        counts: Counter[str] = Counter()
        for node in members:
            counts.update(_stable_classes(node.classes))
        core = {name for name, count in counts.items() if count * 2 > len(members)}
        if not core:
            break
        alike = [node for node in members if core.issubset(node.classes)]
        split.append(alike)
        members = [node for node in members if not core.issubset(node.classes)]
    if members:
        split.append(members)
    return split


@functools.lru_cache(maxsize=4096)
def _stable_classes(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(name for name in names if is_stable_class(name))


def ranked_groups(page: Page, limit: int = 8) -> list[list[Node]]:
    """The most item-like groups of blocks, best first, each in document order."""
    groups: dict[int, list[Node]] = defaultdict(list)
    for node in page.nodes:
        if node.links and node.tag.name not in _NEVER_ITEMS:
            groups[node.key].append(node)
    scored: list[tuple[float, int, list[Node]]] = []
    for members in (alike for group in groups.values() for alike in _alike(group)):
        scores = [(node, _member_score(node)) for node in members]
        valid = [node for node, score in scores if score > 0]
        if not valid:
            continue
        score = sum(score for _, score in scores)
        chrome = sum(1 for node in valid if node.chrome)
        if chrome * 2 > len(valid):
            score *= 0.15
        if len(valid) == 1:
            score *= 0.6
        scored.append((score, -valid[0].depth, valid))
    _favour_the_heading_section(page, scored)
    scored.sort(key=lambda entry: (round(entry[0], 1), entry[1]), reverse=True)
    return [members for _, _, members in scored[:limit]]


def _favour_the_heading_section(page: Page, scored: list[tuple[float, int, list[Node]]]) -> None:
    """Boost the groups in the same section as the page's own ``<h1>``.

    The listing heading titles the listing: the real items share a closer ancestor with it
    than a sidebar's "Recent posts" do, even where nothing in the markup names the sidebar.
    """
    heading = next((node for node in page.h1s if node.plain_h1s and not node.chrome), None)
    if heading is None or len(scored) < 2:
        return
    depths: dict[int, int] = {}
    ancestor: Node | None = heading
    while ancestor is not None:
        depths[id(ancestor)] = ancestor.depth
        ancestor = ancestor.parent
    best = max(score for score, _, _ in scored)
    closeness = []
    for score, _, members in scored:
        ancestor = members[0].parent
        while ancestor is not None and id(ancestor) not in depths:
            ancestor = ancestor.parent
        closeness.append(ancestor.depth if ancestor is not None and score * 3 >= best else -1)
    closest = max(closeness)
    for index, depth in enumerate(closeness):
        if depth == closest:
            score, order, members = scored[index]
            scored[index] = (score * 1.5, order, members)


_FEATURED_WORDS = frozenset(("featured", "feature", "hero", "highlight", "lead", "top", "sticky"))


def _featured_region(node: Node) -> bool:
    parent: Node | None = node
    while parent is not None:
        if class_parts(parent.tag) & _FEATURED_WORDS:
            return True
        parent = parent.parent
    return False


def with_featured(page: Page, group: list[Node]) -> list[Node]:
    """The ``<article>`` blocks shown before the group in a different layout.

    Themes often render the newest item as a "featured" article above the others (Pelican's
    default theme puts it in an ``<aside>``); it belongs to the listing all the same.
    """
    first = group[0]
    if first.tag.name != "article" and not any(
        node.tag.name == "article" for node in page.inside(first)
    ):
        return []
    featured: list[Node] = []
    for node in page.nodes[: first.position]:
        if node.tag.name != "article" or node.titles != 1 or not node.links:
            continue
        if node.text - node.link_text < 20 or _inside(first, node):
            continue
        if featured and _inside(node, featured[-1]):
            continue
        if node.chrome and not _featured_region(node):
            continue
        featured.append(node)
    return featured


def _inside(node: Node, other: Node) -> bool:
    parent = node.parent
    while parent is not None:
        if parent is other:
            return True
        parent = parent.parent
    return False


def wrap_flat_items(page: Page, groups: list[list[Node]]) -> bool:
    """Wrap each item of a "flat" listing (headings and teasers as siblings, no element per
    item) in a ``<div>``, so that each item gets a block. Returns whether the tree changed.

    ``groups`` are the page's :func:`ranked_groups`; only the best one is looked at.
    """
    if not groups:
        return False
    group = groups[0]
    first = group[0]
    parent = first.parent
    if first.tag.name not in HEADINGS or parent is None or len(group) < 2:
        return False
    if any(node.parent is not parent for node in group):
        return False
    if parent.text - sum(node.text for node in group) < 20 * len(group):
        return False
    members = {id(node.tag) for node in group}
    level = first.tag.name
    sections: list[list] = []
    current: list | None = None
    for child in list(parent.tag.contents):
        if id(child) in members:
            current = [child]
            sections.append(current)
        elif current is not None:
            name = getattr(child, "name", None)
            node = page.node(child) if name else None
            if (name in HEADINGS and name <= level) or name == "hr" or (node and node.chrome):
                current = None
            else:
                current.append(child)
    for section in sections:
        wrapper = page.soup.new_tag("div", attrs={"class": "tagfeed-flat-item"})
        section[0].insert_before(wrapper)
        for element in section:
            wrapper.append(element.extract())
    return True
