"""Conditional GET, so that browsers, front ends and feed readers revalidate cheaply.

Every route of a tag index (its HTML pages, their JSON, the feeds) answers with an ``ETag``
and a ``Last-Modified`` computed here, and with 304 Not Modified when the request's
``If-None-Match`` (or, without one, ``If-Modified-Since``) still holds.

What a listing shows changes when an article below the index is published, republished,
unpublished, moved or deleted, or when the index itself is published. The validators hold
the number of listed articles, the latest publication among them and the index's own
(one aggregate query, cached until the listed articles change), with the route's URL, the
language and the user. The ETag also holds the generation of the listing caches, which
changes when any page of the site changes (a sidebar of the latest articles shows those).
``Last-Modified`` is the latest publication; it cannot tell an unpublication, which the ETag
does, so clients should send ``If-None-Match`` (browsers send both).

An article page shows the article as last published and, around it, listings (the latest
articles, tags) that change with the listing generation; its ETag is made of both, so a
reader's copy is current exactly when the page would render the same. For the same reason
the page's HTML is cached under its ETag, and served to readers from there.

Both kinds of answers, when made for any reader without a session, are kept on the response
as a :class:`StoredPage`, which ``middleware.ReaderCacheMiddleware`` stores by URL.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from django.utils.translation import get_language
from wagtail.models import Site

from . import __version__, queries

if TYPE_CHECKING:
    from wagtail.models import Page


@dataclass(frozen=True)
class Validators:
    etag: str
    last_modified: datetime.datetime | None

    @property
    def timestamp(self) -> int | None:
        return int(self.last_modified.timestamp()) if self.last_modified else None

    def apply(self, response: HttpResponse) -> HttpResponse:
        """Set the response's ``ETag`` and ``Last-Modified`` (on a 200 or a 304 only)."""
        if response.status_code in (200, 304):
            response.headers["ETag"] = self.etag
            if self.last_modified is not None:
                response.headers["Last-Modified"] = http_date(self.timestamp)
        return response


def listing_state(index: Page) -> dict:
    """How many articles the index lists and when the latest of them was published."""
    return queries.cached(
        f"state:{index.pk}",
        lambda: (
            index.get_articles()
            .order_by()
            .aggregate(count=Count("pk"), latest=Max("last_published_at"))
        ),
    )


def listing_validators(index: Page, request: HttpRequest) -> Validators:
    """The validators of the index's route that ``request`` asks for."""
    state = listing_state(index)
    times = [time for time in (state["latest"], index.last_published_at) if time is not None]
    last_modified = max(times) if times else None
    user = signed_in_user(request)
    key = "|".join(
        str(part)
        for part in (
            __version__,
            queries.generation(),
            index.pk,
            index.last_published_at and index.last_published_at.isoformat(),
            state["count"],
            last_modified and last_modified.isoformat(),
            request.get_full_path(),
            get_language(),
            user.pk if user is not None else "",
        )
    )
    return Validators(f'W/"{hashlib.sha256(key.encode()).hexdigest()[:32]}"', last_modified)


def conditional(route: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Decorate a route of a tag index: validators on its answer, 304 when they still hold."""

    @functools.wraps(route)
    def wrapper(index, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return route(index, request, *args, **kwargs)
        validators = listing_validators(index, request)
        not_modified = get_conditional_response(
            request, etag=validators.etag, last_modified=validators.timestamp
        )
        if not_modified is not None:
            return validators.apply(not_modified)
        response = validators.apply(route(index, request, *args, **kwargs))
        if not has_session(request):
            storable(request, response, validators.etag, index.path, validators.timestamp)
        return response

    return wrapper


def article_etag(page: Page) -> str:
    """The page's id, its latest revision, its last publication and the listing generation."""
    published = page.last_published_at.timestamp() if page.last_published_at else ""
    return quote_etag(
        f"{page.pk}-{page.latest_revision_id or ''}-{published}-{queries.generation()}"
    )


def serve_conditionally(
    request: HttpRequest, page: Page, serve: Callable[[], HttpResponse]
) -> HttpResponse:
    """``serve()`` with the article ``page``'s ETag, or a 304 when the request's
    ``If-None-Match`` has it.

    Only for readers: an editor's page carries the user bar, which is not in the tag.
    Readers without a session get the page from the cache, stored by the first of them.
    """
    if request.method not in ("GET", "HEAD") or is_editor(request):
        return serve()
    etag = article_etag(page)
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        return not_modified
    response = serve() if has_session(request) else stored_page(request, page, etag, serve)
    if response.status_code == 200 and not response.has_header("ETag"):
        response["ETag"] = etag
    return response


@dataclass(frozen=True)
class StoredPage:
    """A page's answer to readers, with its validators and the page's tree path."""

    etag: str
    content: bytes
    content_type: str
    path: str
    last_modified: int | None = None

    def answer(self, request: HttpRequest) -> HttpResponse:
        """The page, or a 304 when the request's validators still hold."""
        not_modified = get_conditional_response(
            request, etag=self.etag, last_modified=self.last_modified
        )
        if not_modified is None:
            response = HttpResponse(self.content, content_type=self.content_type)
            setattr(response, STORED_ATTR, self)
        else:
            response = not_modified
        response["ETag"] = self.etag
        if self.last_modified is not None:
            response["Last-Modified"] = http_date(self.last_modified)
        return response

    def is_restricted(self) -> bool:
        """Whether a view restriction applies to the page now (one query, never cached)."""
        return queries.restrictions_at(self.path).exists()


STORED_ATTR = "tagfeed_stored_page"
"""The attribute of a response that holds the :class:`StoredPage` it may be stored as."""


def storable(
    request: HttpRequest,
    response: HttpResponse,
    etag: str,
    path: str,
    last_modified: int | None = None,
) -> StoredPage | None:
    """The response as readers may be given it again, kept on the response for
    :class:`~wagtail_tagfeed.middleware.ReaderCacheMiddleware`; ``None`` for anything but a
    whole 200 made for any reader."""
    if response.status_code != 200 or response.streaming:
        return None
    if hasattr(response, "render"):
        response.render()
    if request_specific(request, response):
        return None
    stored = StoredPage(etag, response.content, response["Content-Type"], path, last_modified)
    setattr(response, STORED_ATTR, stored)
    return stored


def stored_page(
    request: HttpRequest, page: Page, etag: str, serve: Callable[[], HttpResponse]
) -> HttpResponse:
    site = Site.find_for_request(request)
    key = ":".join(
        ("wagtail_tagfeed:page", etag.strip('"'), str(site.pk if site else ""), get_language())
    )
    stored = cache.get(key)
    if stored is not None:
        return stored.answer(request)
    response = serve()
    stored = storable(request, response, etag, page.path)
    if stored is not None:
        cache.set(key, stored, queries.CACHE_TIMEOUT)
    return response


def reader_key(request: HttpRequest) -> str | None:
    """The key of the page a reader's request asks for, stored by its URL (with its query);
    ``None`` for anything but a ``GET`` (or ``HEAD``) by a reader without a session.

    The key holds the listing generation, which changes when any page is published,
    unpublished, moved or deleted, or a view restriction or a site changes: what decides
    which page a URL finds, and whether the reader may see it.
    """
    if (
        request.method not in ("GET", "HEAD")
        or has_session(request)
        or "HTTP_AUTHORIZATION" in request.META
    ):
        return None
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    url = f"{request.scheme}://{host}{request.get_full_path()}"
    digest = hashlib.sha256(url.encode()).hexdigest()[:32]
    return f"wagtail_tagfeed:url:{queries.generation()}:{get_language()}:{digest}"


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


def signed_in_user(request: HttpRequest):
    """The signed-in user who asks, or ``None``. Without a session cookie nobody is signed
    in, and the session is not read: a page made for a reader stays one for any reader."""
    user = getattr(request, "user", None)
    if has_session(request) and user is not None and user.is_authenticated:
        return user
    return None


def is_editor(request: HttpRequest) -> bool:
    return signed_in_user(request) is not None
