"""Work out which tag a listing page is about: from its heading, its URL or its body classes."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urlsplit

from .text import collapse

# Straight, curly, low-9, angle and corner quotation marks.
_QUOTES = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e\u201a\u2039\u203a\u300c\u300d"
_DASHES = "\u2013\u2014"
_NOUNS = r"(?:posts?|articles?|entries|contents?|stories|items|pages|news|everything|results)"
_LABELS = (
    r"(?:tag|topic|label|category|keyword|subject|schlagwort|stichwort|kategorie|thema|"
    r"étiquette|mot-clé|catégorie|etiqueta|categoría|etiket|kategori|konu)"
)
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


def tag_from_heading(heading: str | None) -> str | None:
    """The tag named by a heading such as "Posts tagged “turkey”" or "Category: Turkey"."""
    if not heading:
        return None
    text = collapse(heading)
    for pattern in _HEADING_PATTERNS:
        match = pattern.match(text)
        if match:
            tag = match["tag"].strip().strip(_QUOTES + " .:").strip()
            if tag:
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
    return tag_from_heading(collapse(title))


def detect_tag(
    heading: str | None,
    url: str | None,
    body_classes: tuple[str, ...] = (),
    title: str | None = None,
) -> str | None:
    """The page's tag, lower-cased: from the heading, the title, the URL or the body classes."""
    found = (
        tag_from_heading(heading)
        or tag_from_title(title)
        or tag_from_url(url)
        or tag_from_body_classes(body_classes)
    )
    return found.lower() if found else None
