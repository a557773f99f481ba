"""Find the URL of the listing's next page (older items), never an article's next post."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, urldefrag, urlencode, urljoin, urlsplit, urlunsplit

from bs4 import Tag

from .text import attr, class_parts, classes, collapse, is_web_url, rel, wordset
from .urls import normalise_url

_NEXT_WORDS = wordset(
    """next nxt older nächste nächster naechste weiter ältere aeltere suivant suivante
    suivants siguiente siguientes successivo successiva successive prossima prossimo avanti
    próxima próximo proxima proximo seguinte volgende oudere nästa äldre neste eldre ældre
    seuraava vanhemmat następna następne nastepna dalej starsze další starší
    следующая следующие следующий след далее вперед вперёд ранее старые наступна
    наступні далі вперед старіші sonraki ileri eski 次へ 次のページ 次 下一页
    下一頁 下页 后页 後頁 更早 다음 다음페이지"""
)
"""Words that label a link to the next page of a listing, in the languages listings use."""
_NEXT_PHRASES = re.compile(
    r"^(?:more (?:posts|articles|entries|stories)|page suivante|articles plus anciens|"
    r"entradas (?:más )?antiguas|más antiguas|post più vecchi|articoli (?:più )?vecchi|"
    r"mais antigos|daha eski|older entries|previous entries|"
    r"предыдущие записи|старые записи|古い記事)",
    re.IGNORECASE,
)
_BACK_WORDS = wordset(
    """prev previous newer back zurück vorherige neuere précédent précédente récents
    anterior anteriores precedente precedenti recenti nieuwere vorige föregående nyere
    poprzednia poprzednie nowsze předchozí předešlé novější предыдущая назад пред новые
    попередня новіші önceki geri yeni 前へ 前のページ 上一页 上一頁 이전 first erste
    première primera prima pierwsza первая перша ilk 最初 last letzte dernière última
    ultima ostatnia последняя остання son 最後 末页"""
)
_SHOW_ALL = re.compile(
    r"^(?:show|view|see)?\s*(?:all|alle|tous|toutes|todos|todas|tutti|tutte|wszystkie|все|"
    r"всі|tümü|hepsi|全部|すべて|전체)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+")
_CJK_NEXT = ("次", "下一", "下页", "다음")
# Single and double angle quotes, arrows and triangles pointing right.
_ARROWS = "\u203a»→\u27e9>\u3009▶⇒"
_BACK_ARROWS = "«\u2039←<"
_NEXT_CLASSES = frozenset(
    (
        "next",
        "pager__item--next",
        "pager-next",
        "wp-block-query-pagination-next",
        "pagination-next",
        "page-next",
        "next-page",
        "nextpostslink",
        "older-posts",
        "older",
    )
)
# Containers of an article's own previous/next-post links.
_POST_NAV = re.compile(
    r"^(post-navigation|post-nav|single-post-nav|entry-navigation|prev-next|adjacent-posts|"
    r"post-pagination|article-navigation|nav-single|navigation-post)$"
)
_PAGER_WORDS = frozenset(
    (
        *("pager", "pagination", "paging", "page-numbers", "pages", "paginator", "pagelinks"),
        *("navpages", "pagenav", "pagenavi", "wp-pagenavi", "pagebar", "pagelist", "paginate"),
    )
)
_CURRENT_WORDS = frozenset(("current", "active", "is-active", "selected"))
_PAGE_PATH = re.compile(r"/page/(\d+)/?$")
_PAGE_PARAMS = ("page", "paged", "p", "pg")


def _in_post_navigation(tag: Tag) -> bool:
    for ancestor in tag.parents:
        if any(_POST_NAV.match(name) for name in classes(ancestor)):
            return True
        if ancestor.name in ("body", "html"):
            break
    return False


def _ancestor_classes(tag: Tag, levels: int = 3) -> set[str]:
    names: set[str] = set(classes(tag))
    for depth, ancestor in enumerate(tag.parents):
        if depth >= levels or ancestor.name in ("body", "html"):
            break
        names.update(classes(ancestor))
    return names


def _in_pager(tag: Tag) -> bool:
    if set(classes(tag)) & _PAGER_WORDS:
        return True
    for depth, ancestor in enumerate(tag.parents):
        if depth >= 4 or ancestor.name in ("body", "html"):
            break
        words = class_parts(ancestor) | {name for name in classes(ancestor)}
        if words & _PAGER_WORDS or attr(ancestor, "aria-label").lower() in {
            "pagination",
            "pager",
        }:
            return True
    return False


_NUMBERED = re.compile(r"(/page/?\d+|[?&](page|paged|p|pg|start|offset)=\d+|\d+(\.html?)?/?$)")
_CALENDAR_WORDS = frozenset(("calendar", "wp-calendar", "datepicker", "archive-calendar"))


def _host(netloc: str) -> str:
    return netloc.lower().removeprefix("www.")


def _paginates(url: str, page_url: str | None, strict: bool = False) -> bool:
    """Whether ``url`` looks like another page of this listing (not the next document).

    Some generators use ``<link rel=next>`` for the next page of the site's navigation.
    ``strict`` asks for a page number or offset in the URL even on the same path.
    """
    if not page_url:
        return not strict
    here, there = urlsplit(page_url), urlsplit(url)
    if _host(here.netloc) != _host(there.netloc):
        return False
    numbered = _NUMBERED.search(there.path) or _NUMBERED.search("?" + there.query)
    if there.path == here.path and not strict:
        return True
    directory = here.path if here.path.endswith("/") else here.path.rsplit("/", 1)[0] + "/"
    return there.path.startswith(directory) and bool(numbered)


def _in_calendar(tag: Tag) -> bool:
    for depth, ancestor in enumerate(tag.parents):
        if depth >= 6 or ancestor.name in ("body", "html"):
            break
        if class_parts(ancestor) & _CALENDAR_WORDS:
            return True
    return False


def _page_number(url: str) -> int | None:
    parts = urlsplit(url)
    match = _PAGE_PATH.search(parts.path)
    if match:
        return int(match[1])
    for name, value in parse_qsl(parts.query):
        if name in _PAGE_PARAMS and value.isdigit():
            return int(value)
    return None


def says_next(label: str) -> bool:
    """Whether a link's label ("Next", "Ältere Beiträge", "След.", "次のページ") asks for
    the next page; arrows and punctuation around the words do not count."""
    text = collapse(label).strip(_ARROWS + _BACK_ARROWS + " .…:|[]()").casefold()
    if not text or len(text) > 40:
        return False
    if _NEXT_PHRASES.match(text):
        return True
    words = _WORD.findall(text)
    if not words or len(words) > 4 or any(word in _BACK_WORDS for word in words):
        return False
    if any(word in _NEXT_WORDS for word in words):
        return True
    return text.startswith(_CJK_NEXT) and len(text) <= 8


def _label(anchor: Tag) -> str:
    """What an icon-only link says to those who cannot see the icon."""
    label = attr(anchor, "aria-label") or attr(anchor, "title")
    if not label:
        for inner in anchor.find_all(("img", "svg", "span", "i", "title")):
            label = (
                attr(inner, "alt")
                or attr(inner, "aria-label")
                or attr(inner, "title")
                or (inner.get_text(" ") if inner.name == "title" else "")
            )
            if label:
                break
    return label


def _link_says_next(anchor: Tag, page_url: str | None, url: str | None) -> bool:
    """Whether the link's text (or, for icons, its label) says "next"; a bare arrow only
    counts in a pager or towards a numbered page of this listing (a calendar's next month
    is an arrow too)."""
    text = collapse(anchor.get_text(" "))
    words = text.strip(_ARROWS + _BACK_ARROWS + " ").strip()
    if words:
        # "weiter..." and "Далее…" also lead on to the rest of an article: a word-labelled
        # link must not end like a read-more link, and must lead to this listing's pages.
        return (
            says_next(words)
            and not words.endswith(("...", "…"))
            and (url is None or _paginates(url, page_url))
        )
    label = _label(anchor)
    if label:
        return says_next(label)
    if text and text.strip() in _ARROWS:
        return _in_pager(anchor) or (url is not None and _paginates(url, page_url, strict=True))
    return False


def find_next_page(
    head_links: Iterable[Tag],
    anchors: Iterable[Tag],
    page_url: str | None,
    base: str | None,
    exclude: Iterable[str] = (),
    inner_anchors: Iterable[Tag] = (),
) -> str | None:
    """The absolute URL of the next listing page, or ``None``.

    ``exclude`` lists article URLs (the items found): a "next" link pointing at one of them is
    an article's next-post link, not a pager. ``inner_anchors`` are the links inside item
    blocks: only a pager among them counts (a block taken for an item may hold it).
    """
    here = normalise_url(page_url) if page_url else None
    excluded = {normalise_url(url) for url in exclude}

    def accept(href: str) -> str | None:
        if not href or href.startswith("#") or not is_web_url(href):
            return None
        url = urljoin(base or "", href)
        normal = normalise_url(url)
        if normal == here or normal in excluded:
            return None
        return urldefrag(url)[0]

    for link in head_links:
        if "next" in rel(link):
            found = accept(attr(link, "href"))
            if found and _paginates(found, page_url):
                return found
    outside = _candidates(anchors)
    found = _labelled_next(outside, page_url, accept)
    if found:
        return found
    inside = [anchor for anchor in _candidates(inner_anchors) if _in_pager(anchor)]
    found = _labelled_next(inside, page_url, accept)
    if found:
        return found
    pager = [anchor for anchor in outside + inside if _in_pager(anchor)]
    return (
        _offset_next(pager or outside, page_url, accept)
        or _numbered_next(pager, page_url, accept)
        or _following_url(outside, page_url, accept)
    )


def _candidates(anchors: Iterable[Tag]) -> list[Tag]:
    return [
        anchor
        for anchor in anchors
        if "prev" not in rel(anchor)
        and "previous" not in rel(anchor)
        and not _in_post_navigation(anchor)
        and not _in_calendar(anchor)
    ]


def _labelled_next(anchors: list[Tag], page_url: str | None, accept) -> str | None:
    """The first link marked as the next page: ``rel=next``, a "next" class, or its label."""
    for anchor in anchors:
        if "next" in rel(anchor):
            found = accept(attr(anchor, "href"))
            if found:
                return found
    for anchor in anchors:
        classed = bool(_ancestor_classes(anchor, levels=2) & _NEXT_CLASSES)
        text = collapse(anchor.get_text(" "))
        if not classed and not text and not _label(anchor):
            continue
        found = accept(attr(anchor, "href"))
        if not found or _goes_back(found, page_url):
            continue
        if classed and _trusted_next_class(text, page_url, found):
            return found
        if not classed and _link_says_next(anchor, page_url, found):
            return found
    return None


def _goes_back(url: str, page_url: str | None) -> bool:
    """Whether ``url`` is a page of this listing numbered before this one (themes class the
    link to newer posts "next")."""
    here = _page_number(page_url or "")
    there = _page_number(url)
    return here is not None and there is not None and there < here


def _trusted_next_class(text: str, page_url: str | None, url: str) -> bool:
    """A link classed "next" is the next page unless its words say otherwise ("Show all")."""
    words = text.strip(_ARROWS + _BACK_ARROWS + " .…")
    if not words or words.isdigit() or says_next(words):
        return True
    if _SHOW_ALL.match(words) or any(
        word in _BACK_WORDS for word in _WORD.findall(words.casefold())
    ):
        return False
    return _paginates(url, page_url, strict=True)


_OFFSET_PARAMS = ("start", "offset", "from", "skip", "limitstart", "startrow", "first")


def _offset_next(anchors: list[Tag], page_url: str | None, accept) -> str | None:
    """For offset pagination (``?start=20``): the link with the smallest offset past this
    page's (page numbers would mislead: "2" is not after the page at offset 50)."""
    if not page_url:
        return None
    here = urlsplit(page_url)
    current = dict(parse_qsl(here.query))
    best: tuple[int, str] | None = None
    for anchor in anchors:
        href = attr(anchor, "href")
        if not href or not any(f"{name}=" in href for name in _OFFSET_PARAMS):
            continue
        found = accept(href)
        if not found:
            continue
        there = urlsplit(found)
        if there.path != here.path:
            continue
        query = dict(parse_qsl(there.query))
        for name in _OFFSET_PARAMS:
            value = query.get(name, "")
            if not value.isdigit():
                continue
            mine = current.get(name, "0")
            if int(value) > (int(mine) if mine.isdigit() else 0) and (
                best is None or int(value) < best[0]
            ):
                best = (int(value), found)
            break
    return best[1] if best else None


def _following_urls(page_url: str) -> set[str]:
    """The URLs the next page would have under the usual schemes (``/page/N/``, ``?page=N``)."""
    parts = urlsplit(page_url)
    path, query = parts.path, parse_qsl(parts.query, keep_blank_values=True)
    found = set()
    match = _PAGE_PATH.search(path)
    if match:
        following = path[: match.start()] + f"/page/{int(match[1]) + 1}/"
        found.add(urlunsplit(parts._replace(path=following)))
    else:
        directory = path if path.endswith("/") else path + "/"
        found.add(urlunsplit(parts._replace(path=directory + "page/2/")))
    numbered = [(name, value) for name, value in query if name in _PAGE_PARAMS]
    name, number = (numbered[0][0], numbered[0][1]) if numbered else ("page", "1")
    if number.isdigit():
        others = [(key, value) for key, value in query if key != name]
        following = urlencode([*others, (name, str(int(number) + 1))])
        found.add(urlunsplit(parts._replace(query=following)))
    return {normalise_url(url) for url in found}


def _following_url(anchors: list[Tag], page_url: str | None, accept) -> str | None:
    """A link to where the next page would be by the usual URL schemes, if the page has one."""
    if not page_url:
        return None
    wanted = _following_urls(page_url)
    for anchor in anchors:
        found = accept(attr(anchor, "href"))
        if found and normalise_url(found) in wanted:
            return found
    return None


def _numbered_next(anchors: list[Tag], page_url: str | None, accept) -> str | None:
    """The pager link numbered one past the current page."""
    pager = anchors
    if not pager:
        return None
    current: int | None = None
    for anchor in pager:
        marked = attr(anchor, "aria-current") or (
            _ancestor_classes(anchor, levels=1) & _CURRENT_WORDS
            or class_parts(anchor) & _CURRENT_WORDS
        )
        text = collapse(anchor.get_text(" "))
        if marked and text.isdigit():
            current = int(text)
            break
    if current is None:
        unmarked = []
        for parent in {id(a.parent): a.parent for a in pager if a.parent is not None}.values():
            for child in parent.find_all(("span", "strong", "em", "b"), recursive=False):
                text = collapse(child.get_text(" "))
                if not text.isdigit():
                    continue
                if _CURRENT_WORDS & class_parts(child) or attr(child, "aria-current"):
                    current = int(text)
                    break
                unmarked.append(int(text))
        if current is None and len(unmarked) == 1:
            current = unmarked[0]  # the one number that is not a link: ``<b>3</b>``
    if current is None:
        query = dict(parse_qsl(urlsplit(page_url or "").query))
        if any(query.get(name, "0") not in ("", "0") for name in _OFFSET_PARAMS):
            return None  # an offset is no page number: the pager's "2" is not next
        current = _page_number(page_url or "") or 1
    wanted = str(current + 1)
    for anchor in pager:
        if collapse(anchor.get_text(" ")) == wanted:
            found = accept(attr(anchor, "href"))
            if found:
                return found
    return None
