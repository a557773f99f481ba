"""Work out which tag a listing page is about: from its heading, its URL or its body classes."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urlsplit

from .text import collapse, wordset

# Straight, curly, low-9, angle and corner quotation marks.
_QUOTES = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e\u201a\u2039\u203a\u300c\u300d"
_DASHES = "\u2013\u2014"
_NOUNS = r"(?:posts?|articles?|entries|contents?|stories|items|pages|news|everything|results)"
_LABELS = (
    r"(?:tag|topic|label|category|keyword|subject|schlagwort|stichwort|kategorie|thema|"
    r"étiquette|mot-clé|catégorie|rubrique|etiqueta|categoría|etiket|kategori|konu)"
)
_LABEL_WORDS = re.compile(
    r"(?:^|[^\w])(?:tags?|topics?|labels?|categor(?:y|ies)|keywords?|subjects?|schlagwort|"
    r"stichwort|kategorien?|thema|themen|rubrik|étiquettes?|mots?-clés?|catégories?|"
    r"rubriques?|sujets?|etiquetas?|categorías?|categorias?|temas?|etichett[ae]|"
    r"categori[ae]|argomenti|argomento|etiket|kategori|konu|kategoria|kategorie|tagi?|"
    r"etykiet[ay]|temat|рубрик[аи]|категори[яи]|категорія|теги?|метк[аи]|мітк[аи]|тема|"
    r"štítek|štítky|rubrika|kategorie|archives?|archiv|archivio|archivo|arquivo|архив|архів)"
    r"(?:[^\w]|$)|カテゴリー?|タグ|分[类類]|[标標][签籤]|主[题題]|话题|話題|카테고리|태그",
    re.IGNORECASE,
)
"""Words that name a taxonomy in a heading such as "Рубрика: X" or "カテゴリ：X"."""
_LABEL_SEPARATOR = re.compile(r"\s*[:：|»›]\s*|\s+[-\u2013\u2014]\s+")
_TAG = r"\s*:?\s*(?P<tag>.+)$"


def _pattern(text: str) -> re.Pattern[str]:
    return re.compile(text, re.IGNORECASE)


_HEADING_PATTERNS = [
    _pattern(rf"^{_NOUNS}\s+(?:tagged|labell?ed|filed)\s+(?:with|as|under|in)?{_TAG}"),
    _pattern(rf"^(?:tagged|labell?ed|filed under)(?:\s+(?:with|as))?{_TAG}"),
    _pattern(rf"^{_LABELS}\s*(?:archives?)?\s*[:\-{_DASHES}|]\s*(?P<tag>.+)$"),
    _pattern(r"^(?:tag|category|topic)\s+archives?\s+for\s+(?P<tag>.+)$"),
    _pattern(r"^archives?\s+for\s+(?:the\s+)?(?P<tag>.+?)\s+(?:category|tag)$"),
    _pattern(rf"^{_NOUNS}\s+(?:about|in|under|on)\s+(?:the\s+)?(?:tag|category|topic)?{_TAG}"),
    _pattern(rf"^(?:browsing|viewing)\s+(?:tag|category|topic){_TAG}"),
    _pattern(r"^#(?P<tag>[^\s#][^#]*)$"),
    # Turkish "“X” etiketli haberler", German, French and Spanish equivalents.
    _pattern(r"^(?P<tag>.+?)\s+etiketli\s+\w+$"),
    _pattern(
        rf"^(?:beiträge|artikel|einträge)\s+(?:mit\s+dem\s+)?(?:schlagwort|stichwort|tag){_TAG}"
    ),
    _pattern(rf"^(?:articles?|billets?)\s+(?:avec\s+le\s+mot-clé|tagués?|étiquetés?){_TAG}"),
    _pattern(
        rf"^(?:entradas|artículos)\s+(?:etiquetad[ao]s\s+(?:con|como)|con\s+la\s+etiqueta){_TAG}"
    ),
]
_URL_SEGMENTS = frozenset(
    [
        "tag",
        "tags",
        "category",
        "categories",
        "topic",
        "topics",
        "label",
        "labels",
        "etiket",
        "etiketler",
        "kategori",
        "schlagwort",
        "schlagworte",
        "stichwort",
        "kategorie",
        "thema",
        "etiqueta",
        "etiquette",
        "categorie",
        "categoria",
        "mot-cle",
    ]
)
_URL_PARAMS = ("tag", "tags", "category", "topic", "label")
_BODY_CLASS = re.compile(r"^(?:tag|term|category|topic)-(?P<slug>[^\d\W][\w-]*)$")


def tag_from_heading(heading: str | None, labelled: bool = True) -> str | None:
    """The tag named by a heading such as "Posts tagged “turkey”" or "Category: Turkey".

    ``labelled`` also reads any short taxonomy label before a separator ("Рубрика: X").
    """
    if not heading:
        return None
    text = collapse(heading)
    for pattern in _HEADING_PATTERNS:
        match = pattern.match(text)
        if match:
            tag = match["tag"].strip().strip(_QUOTES + " .:").strip()
            if tag:
                return tag
    return _labelled(text) if labelled else None


def _labelled(text: str) -> str | None:
    """The name after a short label that names a taxonomy, in any language:
    "Рубрика: Новости", "Archivo de la categoría: Viajes", "カテゴリ：非常識"."""
    separator = _LABEL_SEPARATOR.search(text)
    if separator is None or separator.start() > 40:
        return None
    prefix, rest = text[: separator.start()], text[separator.end() :]
    tag = rest.strip().strip(_QUOTES + " .:：").strip()
    if tag and len(tag) <= 60 and _LABEL_WORDS.search(prefix):
        return tag
    return None


def taxonomy_prefix(url: str | None) -> str | None:
    """The path under which the site lists its tags, e.g. ``/blog/category/`` for
    ``/blog/category/turkey/``: links below it on the page are tag or category links."""
    if not url:
        return None
    path = urlsplit(url).path
    segments = path.split("/")
    for position, segment in enumerate(segments[:-1]):
        if segment.lower() in _URL_SEGMENTS and segments[position + 1]:
            return "/".join(segments[: position + 1]) + "/"
    return None


def tag_from_url(url: str | None) -> str | None:
    """The tag slug in ``/tag/<slug>/``, ``/category/<slug>/`` or ``?tag=<slug>``."""
    if not url:
        return None
    parts = urlsplit(url)
    segments = [unquote(segment) for segment in parts.path.split("/") if segment]
    for position, segment in enumerate(segments[:-1]):
        if segment.lower() in _URL_SEGMENTS:
            slug = segments[position + 1]
            if slug.lower() != "page" and not slug.isdigit():
                return slug.removesuffix(".html")
    query = parse_qs(parts.query)
    for name in _URL_PARAMS:
        if query.get(name):
            return query[name][0].strip() or None
    return None


def tag_from_body_classes(body_classes: tuple[str, ...] | list[str]) -> str | None:
    """The slug in a body class such as ``tag-turkey`` or ``term-turkey``."""
    for name in body_classes:
        match = _BODY_CLASS.match(name)
        if match and match["slug"] not in {"template", "archive", "page", "paged"}:
            return match["slug"]
    return None


_TITLE_SEPARATORS = re.compile(rf"\s+[|·•{_DASHES}-]\s+|\s*[|·•]\s*")


def tag_from_title(title: str | None) -> str | None:
    """The tag named in the document title, e.g. "Tag: Türkei | Site name"."""
    if not title:
        return None
    for part in _TITLE_SEPARATORS.split(collapse(title)):
        found = tag_from_heading(part)
        if found:
            return found
    # The whole title: "Tag: X - Site" read as one, but not "X Archives - Site" as a label.
    return tag_from_heading(collapse(title), labelled=False)


_GENERIC_NAMES = wordset(
    """blog news home archive archives articles posts latest all index nyheter noticias
    notizie nachrichten actualités actualites новости новини haberler aktualności wiadomości
    ニュース 新闻 新聞 ブログ"""
)
_NAME_SEPARATORS = re.compile(rf"\s+[|·•:{_DASHES}-]\s+|\s*[|·•：]\s*")
_TOPIC_PARAMS = (*_URL_PARAMS, "cat", "board", "forum", "f", "forumid", "fid")
"""Query parameters of pages that list one topic: categories, and forum boards."""
_CATEGORY_BODY = frozenset(("category", "tag", "tax", "taxonomy", "term", "page-category"))


def category_page(url: str | None, body_classes: tuple[str, ...] | list[str] = ()) -> bool:
    """Whether the page lists one topic: a taxonomy segment or ``cat_`` page in its URL, a
    taxonomy or forum-board query parameter, or body classes that say so (``category``,
    ``tax-…``)."""
    if url:
        parts = urlsplit(url)
        for segment in parts.path.lower().split("/"):
            if segment in _URL_SEGMENTS or segment.startswith(("cat_", "cat-", "category-")):
                return True
        if any(name in parse_qs(parts.query) for name in _TOPIC_PARAMS):
            return True
    return any(
        name in _CATEGORY_BODY or name.startswith(("tax-", "term-", "category-"))
        for name in body_classes
    )


def _named(text: str | None) -> str | None:
    """A short heading, breadcrumb or title part that can be a topic's name."""
    if not text:
        return None
    name = collapse(text).strip(_QUOTES + " .:").strip()
    if not name or len(name) > 50 or len(name.split()) > 5:
        return None
    if name.casefold() in _GENERIC_NAMES or name.isdigit():
        return None
    return name


def _is_word_slug(slug: str) -> bool:
    """Whether a URL slug is a name (``middle-east``), not an id (``cat_103640``, ``12``)."""
    letters = sum(character.isalpha() for character in slug)
    digits = sum(character.isdigit() for character in slug)
    return letters >= 2 and digits * 2 < letters


def detect_tag(
    heading: str | None,
    url: str | None,
    body_classes: tuple[str, ...] = (),
    title: str | None = None,
    breadcrumb: str | None = None,
) -> str | None:
    """The page's tag, lower-cased.

    A heading or title that says "Tag: X" first; then the slug of a taxonomy URL; then, on a
    page that lists one topic, the name it shows (its heading, the breadcrumb's last part,
    the first part of its title); then an id-like URL slug; then the body classes. Home
    pages, blog indexes and news sections show names too ("News"), but no topic.
    """
    found = tag_from_heading(heading) or tag_from_title(title)
    slug = tag_from_url(url)
    if not found and slug and _is_word_slug(slug):
        found = slug
    if not found and category_page(url, body_classes):
        found = (
            _named(heading)
            or _named(breadcrumb)
            or _named(_NAME_SEPARATORS.split(collapse(title))[0] if title else None)
        )
    found = found or slug or tag_from_body_classes(body_classes)
    return found.lower() if found else None
