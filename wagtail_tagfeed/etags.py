"""Conditional GET for article pages: an ``ETag``, and "304 Not Modified" when it matches.

An article page shows the article as last published and, around it, listings (the latest
articles, tags) that change with the listing generation; the tag is made of both, so a
reader's copy is current exactly when the page would render the same. For the same
reason the page's HTML is cached under its tag, and served to readers from there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import quote_etag
from django.utils.translation import get_language
from wagtail.models import Site

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
    Readers without a session get the page from the cache, stored by the first of them.
    """
    if request.method not in ("GET", "HEAD") or is_editor(request):
        return serve()
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        return not_modified
    response = serve() if has_session(request) else stored_page(request, etag, serve)
    if response.status_code == 200 and not response.has_header("ETag"):
        response["ETag"] = etag
    return response


def stored_page(
    request: HttpRequest, etag: str, serve: Callable[[], HttpResponse]
) -> HttpResponse:
    site = Site.find_for_request(request)
    key = ":".join(
        ("wagtail_tagfeed:page", etag.strip('"'), str(site.pk if site else ""), get_language())
    )
    stored = cache.get(key)
    if stored is not None:
        return HttpResponse(stored[0], content_type=stored[1])
    response = serve()
    if response.status_code != 200 or response.streaming:
        return response
    if hasattr(response, "render"):
        response.render()
    if not request_specific(request, response):
        cache.set(key, (response.content, response["Content-Type"]), queries.CACHE_TIMEOUT)
    return response


def request_specific(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether the page was made for this request: a form's CSRF token, a cookie, the
    session read. Such a page is not stored, as Django's cache middleware would not."""
    session = getattr(request, "session", None)
    return bool(
        request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or response.cookies
        or (session is not None and session.accessed)
    )


def has_session(request: HttpRequest) -> bool:
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def is_editor(request: HttpRequest) -> bool:
    """Whether a signed-in user asks; without a session cookie, nobody is signed in."""
    user = getattr(request, "user", None)
    return has_session(request) and user is not None and user.is_authenticated
