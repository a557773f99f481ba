"""Validators of the listings, so that browsers, front ends and feed readers revalidate cheaply.

Every route of a tag index (its HTML pages, their JSON, the feeds) answers with an ``ETag``
and a ``Last-Modified`` computed here, and with 304 Not Modified when the request's
``If-None-Match`` (or, without one, ``If-Modified-Since``) still holds.

What a listing shows changes when an article below the index is published, republished,
unpublished, moved or deleted, or when the index itself is published. The validators hold
the number of listed articles, the latest publication among them and the index's own
(one aggregate query, cached until the listed articles change), with the route's URL, the
language and the user. The ETag also holds the generation of the listing caches, which
changes when any article of the site changes (a sidebar of the latest articles shows those).
``Last-Modified`` is the latest publication; it cannot tell an unpublication, which the ETag
does, so clients should send ``If-None-Match`` (browsers send both).
"""

from __future__ import annotations

import datetime
import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import get_language

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
    user = getattr(request, "user", None)
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
            user.pk if user is not None and user.is_authenticated else "",
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
        return validators.apply(route(index, request, *args, **kwargs))

    return wrapper
