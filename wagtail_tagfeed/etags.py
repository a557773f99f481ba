"""Conditional GET for article pages: an ``ETag``, and "304 Not Modified" when it matches.

An article page shows the article as last published and, around it, listings (the latest
articles, tags) that change with the listing generation; the tag is made of both, so a
reader's copy is current exactly when the page would render the same.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import quote_etag

from . import queries

if TYPE_CHECKING:
    from wagtail.models import Page


def article_etag(page: Page) -> str:
    """The page's id, its latest revision, its last publication and the listing generation."""
    published = page.last_published_at.timestamp() if page.last_published_at else ""
    return quote_etag(
        f"{page.pk}-{page.latest_revision_id or ''}-{published}-{queries.generation()}"
    )


def serve_conditionally(
    request: HttpRequest, etag: str, serve: Callable[[], HttpResponse]
) -> HttpResponse:
    """``serve()`` with ``etag``, or a 304 when the request's ``If-None-Match`` has it.

    Only for readers: an editor's page carries the user bar, which is not in the tag.
    """
    if request.method not in ("GET", "HEAD") or is_editor(request):
        return serve()
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        return not_modified
    response = serve()
    if response.status_code == 200 and not response.has_header("ETag"):
        response["ETag"] = etag
    return response


def is_editor(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)
