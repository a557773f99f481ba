"""Serve readers the pages stored for them before Wagtail looks for the page.

Article pages and a tag index's listings, JSON and feeds are made from the cache for
readers without a session (:mod:`.caching`), but finding the page still costs Wagtail's
routing: the site, the pages on the way down the tree, the view restrictions, and the
listing's validators. Last in ``MIDDLEWARE``, :class:`ReaderCacheMiddleware` stores each
such answer under its URL, and answers a reader's next request for that URL from
the cache, with one query: whether a view restriction applies to the page, which is never
cached, so that a new one applies at once in every process. The key holds the listing
generation, so a page is served from there only until any page is published, unpublished,
moved or deleted, or a view restriction or a site changes (see ``caching.reader_key``).
A restricted page goes through Wagtail, which asks for a login or a password.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from . import caching, queries


class ReaderCacheMiddleware:
    """Answer readers' requests for stored pages from the cache, and store them there."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The key is read first: a page published while this one renders changes the
        # generation, and the page rendered before it is then stored under the old key.
        key = caching.reader_key(request)
        if key is None:
            return self.get_response(request)
        stored = cache.get(key)
        if stored is not None and not stored.is_restricted():
            return stored.answer(request)
        response = self.get_response(request)
        stored = getattr(response, caching.STORED_ATTR, None)
        if stored is not None and response.status_code == 200:
            cache.set(key, stored, queries.CACHE_TIMEOUT)
        return response
