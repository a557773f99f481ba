"""Find the repeated item blocks of a listing page without knowing its markup.

Elements are grouped by shape (same parent path, same tag); each group is scored on how much
its members look like teasers: one title link each, text of substance besides links, dates,
many alike siblings, and being outside navigation, sidebars and footers.
"""

from __future__ import annotations

import bisect
import functools
from collections import Counter, defaultdict

from bs4 import Tag

from .deadline import NO_DEADLINE, Deadline
from .page import Node, Page, is_stable_class
from .text import attr, class_parts, classes, collapse
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
    if links <= 0 or node.titles > 2 or text <= 0:
        return 0.0
    link_text = node.link_text - node.chrome_link_text
    own_text = text - link_text
    if links == 1 and node.titles == 1 and link_text > node.title_text:
        # A card that is one link around its title and teaser: the teaser is the card's
        # own text, not a menu's link text.
        own_text += link_text - node.title_text
        link_text = node.title_text
    # A teaser's first lines say it is one; more text says little more (a promo box's long
    # copy must not outweigh a list of short teasers).
    score = min(own_text, 150) + 0.3 * min(max(own_text - 150, 0), 250)
    score += min(link_text, 100) * 0.3
    if node.titles == 1:
        score += 40
    elif node.titles == 2:
        # A kicker heading (section, company) above the title, or two items in one block.
        score = score * 0.6 + 20
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


_MAX_SPLITS = 8
"""Rounds of :func:`_alike`: each takes blocks out, and more than a few kinds of blocks under
one parent are never a listing's."""


def _alike(members: list[Node]) -> list[list[Node]]:
    """Split a group by the class names most of it shares.

    Blocks lacking them (an ad between teasers, or a sidebar's entries whose path looks
    like the listing's) go to groups of their own, scored separately. A block with a linked
    title among or before the others stays, whatever its classes: a card with an extra
    image, or a featured first card, is an item of the same list.
    """
    split: list[list[Node]] = []
    for _round in range(_MAX_SPLITS):
        if len(members) < 3:
            break
        counts: Counter[str] = Counter()
        for node in members:
            counts.update(_stable_classes(node.classes))
        core = {name for name, count in counts.items() if count * 2 > len(members)}
        alike = [node for node in members if core.issubset(node.classes)]
        if not core or not alike or len(alike) == len(members):
            # Every round must take members out, or the group stays whole: the majority
            # classes may each be common without any one block carrying them all.
            break
        last = alike[-1].position
        kept = {
            id(node)
            for node in members
            if node.titles == 1
            and node.position < last
            and not core.issubset(node.classes)
            and not _is_ad(node)
        }
        if kept:
            alike = [node for node in members if id(node) in kept or core.issubset(node.classes)]
            if len(alike) == len(members):
                break
        split.append(alike)
        chosen = {id(node) for node in alike}
        members = [node for node in members if id(node) not in chosen]
    if members:
        split.append(members)
    return split


_AD_WORDS = frozenset(("ad", "ads", "advert", "advertisement", "sponsored", "sponsor", "promo"))


def _is_ad(node: Node) -> bool:
    if class_parts(node.tag) & _AD_WORDS:
        return True
    link = node.tag.find("a", rel=True)
    return link is not None and "sponsored" in attr(link, "rel").lower()


@functools.lru_cache(maxsize=4096)
def _stable_classes(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(name for name in names if is_stable_class(name))


def ranked_groups(page: Page, clock: Deadline = NO_DEADLINE, limit: int = 8) -> list[list[Node]]:
    """The most item-like groups of blocks, best first, each in document order."""
    groups: dict[int, list[Node]] = defaultdict(list)
    for node in page.nodes:
        if node.links and node.tag.name not in _NEVER_ITEMS:
            groups[node.key].append(node)
    scored: list[tuple[float, int, list[Node]]] = []
    for members in (alike for group in groups.values() for alike in _alike(group)):
        clock.check()
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
        elif _in_content_region(valid[0]):
            score *= 1.3
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


_CONTENT_WORDS = frozenset(
    ("main", "content", "primary", "posts", "articles", "archive", "results", "stream", "listing")
)


def _in_content_region(node: Node) -> bool:
    """Whether the block sits in what the page marks as its main content (``<main>``, or a
    container named content, primary, posts...), rather than in an unnamed box beside it."""
    parent = node.parent
    while parent is not None:
        tag = parent.tag
        if tag.name == "main" or attr(tag, "role") == "main":
            return True
        if tag.name not in ("body", "html") and class_parts(tag) & _CONTENT_WORDS:
            return True
        parent = parent.parent
    return False


_FEATURED_WORDS = frozenset(("featured", "feature", "hero", "highlight", "lead", "top", "sticky"))


def _featured_region(node: Node) -> bool:
    parent: Node | None = node
    while parent is not None:
        if class_parts(parent.tag) & _FEATURED_WORDS:
            return True
        parent = parent.parent
    return False


def with_featured(page: Page, group: list[Node], clock: Deadline = NO_DEADLINE) -> list[Node]:
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
        if not node.position & 1023:
            clock.check()
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
    _move_leads(parent.tag, sections)
    for section in sections:
        wrapper = page.soup.new_tag("div", attrs={"class": "tagfeed-flat-item"})
        section[0].insert_before(wrapper)
        for element in section:
            wrapper.append(element.extract())
    return True


def _shape_of(child) -> str | None:
    """A sibling's shape for :func:`_move_leads`: element and classes; ``None`` for blank
    text."""
    if isinstance(child, Tag):
        return child.name + "." + ".".join(classes(child))
    return "#text" if str(child).strip() else None


def _move_leads(parent: Tag, sections: list[list]) -> None:
    """Give each flat item the elements that come before its heading (a picture, a date):
    those that end every section the same way as the elements before the first heading.

    Without this, a card's picture and date, written before its title, would be read as
    the end of the card above.
    """
    if len(sections) < 2:
        return
    before: list = []
    for child in sections[0][0].previous_siblings:
        if _shape_of(child) is None:
            continue
        if not isinstance(child, Tag) or child.name in HEADINGS or child.name == "hr":
            break
        before.append(child)
    shapes = [
        [_shape_of(child) for child in section[1:] if _shape_of(child)] for section in sections
    ]
    lead = 0
    while lead < len(before) and all(
        len(shape) > lead + 1 and shape[-1 - lead] == _shape_of(before[lead])
        for shape in shapes[:-1]
    ):
        lead += 1
    if not lead:
        return
    sections[0][:0] = list(reversed(before[:lead]))
    for index in range(len(sections) - 1):
        kept = [child for child in sections[index] if _shape_of(child) is not None]
        moved = kept[-lead:]
        sections[index] = [
            child for child in sections[index] if not any(child is m for m in moved)
        ]
        sections[index + 1][:0] = moved


def wrap_row_groups(page: Page, groups: list[list[Node]]) -> bool:
    """Wrap the rows of each item of a table listing that gives an item several rows
    (link aggregators: a title row, a row of points and comments, a spacer) in a
    ``<tbody>``, so that each item gets one block. Returns whether the tree changed.

    Only the best of ``groups`` is looked at: table rows under one parent whose classes
    repeat with a period of two or three rows.
    """
    if not groups or groups[0][0].tag.name != "tr" or groups[0][0].parent is None:
        return False
    parent = groups[0][0].parent.tag
    rows = [child for child in parent.children if isinstance(child, Tag) and child.name == "tr"]
    shapes = [tuple(classes(row)) for row in rows]
    period = next((size for size in (2, 3) if _repeats(shapes, size)), None)
    if period is None:
        return False
    longest = [_longest_link_text(row) for row in rows]
    offset = max(range(period), key=lambda start: sum(longest[start::period]))
    for start in range(offset, len(rows) - period + 1, period):
        wrapper = page.soup.new_tag("tbody", attrs={"class": "tagfeed-row-group"})
        rows[start].insert_before(wrapper)
        for row in rows[start : start + period]:
            wrapper.append(row.extract())
    return True


def _repeats(shapes: list[tuple[str, ...]], period: int) -> bool:
    """Whether row classes repeat with this period (at least three times, 80% of the rows)
    while the rows of one period differ (in most periods, not only around a header row)."""
    if len(shapes) < 3 * period:
        return False
    pairs = zip(shapes, shapes[period:], strict=False)
    same = sum(1 for shape, later in pairs if shape == later)
    periods = [shapes[start : start + period] for start in range(0, len(shapes), period)]
    mixed = sum(1 for rows in periods if len(set(rows)) > 1)
    return same >= 0.8 * (len(shapes) - period) and mixed >= 0.8 * len(periods)


def _longest_link_text(row: Tag) -> int:
    return max((len(collapse(link.get_text(" "))) for link in row.find_all("a")), default=0)


def of_the_same_kind(page: Page, group: list[Node], clock: Deadline = NO_DEADLINE) -> list[Node]:
    """The blocks elsewhere in the page's content that are made like the group's cards (same
    element, all the classes the group's cards share) and hold one linked title: the other
    sections of a front page, whose cards sit under other parents.

    Blocks in navigation, sidebars and footers, and blocks inside or around the group's, do
    not count.
    """
    cards = [_card(page, node) for node in group]
    shared = frozenset.intersection(*(_stable_classes(card.classes) for card in cards))
    shared = frozenset(name for name in shared if "--" not in name)  # BEM modifiers vary
    if not shared or len({card.tag.name for card in cards}) > 1:
        return []
    name = cards[0].tag.name
    taken = sorted((node.position, node.end) for node in group)
    starts = [start for start, _end in taken]
    found = []
    for node in page.nodes:
        if not node.position & 1023:
            clock.check()
        if node.tag.name != name or node.titles != 1 or node.chrome or not node.links:
            continue
        if not shared.issubset(node.classes):
            continue
        index = bisect.bisect_right(starts, node.end) - 1
        if index >= 0 and taken[index][1] >= node.position:
            continue  # a chosen block, or inside or around one
        found.append(node)
    return found


def _card(page: Page, node: Node) -> Node:
    """The element that is the card in a block that only wraps it (a slider's or a grid's
    cell around an ``<article>``): the innermost one with classes still holding all its
    links."""
    card = node
    for _level in range(6):
        position = node.position + 1
        inner = None
        while position <= node.end:
            child = page.nodes[position]
            if child.links == node.links and child.titles == node.titles:
                inner = child
                break
            position = child.end + 1
        if inner is None:
            break
        node = inner
        if _stable_classes(node.classes):
            card = node
    return card
