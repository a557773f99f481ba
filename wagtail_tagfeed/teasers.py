"""What readers see of an article's summary: its "…" and whether it repeats the body's lead.

An import removes the source's own cut marks from a teaser ("…", "Read more") and records
that the teaser was cut; :func:`with_ellipsis` puts one "…" back where the text ends, so that
a template's own cut (:func:`~wagtail_tagfeed.truncation.truncate_html`) either keeps it (no
cut) or drops it with the last word and ends with its own: one ellipsis, never two.

News sites often make the teaser from the article's first paragraphs; :func:`starts_body`
tells when the summary is only the start of the body, so the article page does not show it
twice. Texts are compared by their letters and digits alone, so markup, spacing, quotes,
dashes and ellipses written differently do not matter.
"""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Iterable

ELLIPSIS = "…"
_ENDS_WITH_ELLIPSIS = re.compile(r"(?:…|\.\.\.)\W*$")
_TRAILING_END_TAGS = re.compile(r"(?:\s*</([a-zA-Z][a-zA-Z0-9]*)\s*>)+\s*$")
_END_TAG = re.compile(r"</([a-zA-Z][a-zA-Z0-9]*)\s*>")
_INLINE = frozenset(("a", "b", "i", "strong", "em", "span", "u", "s", "code", "sub", "sup"))
"""Inline elements an ellipsis follows rather than goes into: ``<a>more</a>…``."""
_BLOCK_EDGE = re.compile(
    r"</?(?:p|li|ul|ol|h[1-6]|blockquote|div|section|article|figure|figcaption|pre|"
    r"table|tr|td|th|dl|dt|dd)\b[^>]*>|<br\s*/?>",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[^>]*>")
_SENTENCE_END = re.compile(r"[.!?]$")
"""After a full stop the ellipsis stands apart, as a mark of its own: "station. …"."""


def with_ellipsis(html: str, ellipsis: str = ELLIPSIS) -> str:
    """``html`` ending in ``ellipsis`` after its last word, unless its text already ends in one.

    The ellipsis goes after closing inline elements (outside a link) and inside the closing
    block elements, the way :func:`~wagtail_tagfeed.truncation.truncate_html` places its own.
    """
    text = htmllib.unescape(_TAG.sub("", html)).strip()
    if not text or _ENDS_WITH_ELLIPSIS.search(text):
        return html
    trailing = _TRAILING_END_TAGS.search(html)
    at = len(html.rstrip())
    if trailing:
        at = trailing.start()
        for tag in _END_TAG.finditer(html, trailing.start()):
            if tag.group(1).lower() not in _INLINE:
                break
            at = tag.end()
    head = html[:at]
    if not trailing or at == trailing.start():
        head = head.rstrip()
    if _SENTENCE_END.search(head):
        ellipsis = "\u00a0" + ellipsis
    return head + ellipsis + html[at:]


def plain_text(html: str) -> str:
    """The visible text of ``html`` on one line, its paragraphs apart: for ``<meta>`` tags."""
    text = htmllib.unescape(_TAG.sub("", _BLOCK_EDGE.sub(" ", html)))
    return " ".join(text.split())


def paragraphs(html: str) -> list[str]:
    """The comparable text of each paragraph (or list item, heading...) of ``html``."""
    return [key for key in (comparable(part) for part in _BLOCK_EDGE.split(html)) if key]


def comparable(html: str) -> str:
    """The letters and digits of ``html``'s text, case-folded: what the comparison sees."""
    text = htmllib.unescape(_TAG.sub(" ", html)) if "<" in html or "&" in html else html
    return "".join(char for char in text.casefold() if char.isalnum())


def starts_body(summary: list[str], body: Iterable[str]) -> bool:
    """Whether the ``summary`` paragraphs are the start of the ``body`` paragraphs.

    Both are lists of :func:`paragraphs`. The summary starts the body when its text is the
    start of the body's text, or when each of its paragraphs starts the body's paragraph at
    the same place (a teaser cut within each paragraph). ``body`` is read only as far as
    needed.
    """
    if not summary:
        return False
    wanted = sum(map(len, summary))
    lead: list[str] = []
    size = 0
    for paragraph in body:
        lead.append(paragraph)
        size += len(paragraph)
        if size >= wanted and len(lead) >= len(summary):
            break
    if "".join(lead).startswith("".join(summary)):
        return True
    return len(lead) >= len(summary) and all(
        whole.startswith(part) for part, whole in zip(summary, lead, strict=False)
    )
