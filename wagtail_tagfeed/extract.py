"""The extraction API: what the importer reads from a page, without a database.

``listing(html, url)`` returns the cleaned :class:`~wagtail_tagfeed.listing.Listing` of a
tag-listing page, ``article(html, url)`` the
:class:`~wagtail_tagfeed.parsing.article.ArticleContent` of an article page, whose plain
text is ``.text``. Both take the page as bytes (decoded as
the importer decodes it: byte-order mark, declared charset, UTF-8, windows-1252) or as text.
The importer calls the same functions, so this is exactly what an import would store.
No Django settings are needed; this module is public and stable.
"""

from __future__ import annotations

from wagtail_tagfeed.cleaning import clean_listing
from wagtail_tagfeed.listing import Document, Listing
from wagtail_tagfeed.parsing import parse_listing
from wagtail_tagfeed.parsing.article import ArticleContent, parse_article

__all__ = ["article", "listing"]


def _document(html: bytes | str, url: str | None, encoding: str | None) -> Document:
    if isinstance(html, str):
        html, encoding = html.encode("utf-8"), "utf-8"
    return Document(content=html, source=url or "-", url=url, encoding=encoding)


def listing(html: bytes | str, url: str | None = None, *, encoding: str | None = None) -> Listing:
    """The items, tag and next page of a tag-listing page, cleaned as the importer stores them."""
    return clean_listing(parse_listing(_document(html, url, encoding)))


def article(
    html: bytes | str, url: str | None = None, *, encoding: str | None = None
) -> ArticleContent:
    """The body (as StreamField blocks) and metadata of an article page."""
    return parse_article(_document(html, url, encoding))
