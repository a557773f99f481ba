"""Redirects from a site's old addresses to the articles imported from them.

When a site moves to Wagtail by importing its own listings, the old article addresses must
keep working. With ``TAGFEED_REDIRECT_FROM_HOSTS`` naming the old site's host names, each
import creates a permanent redirect (``wagtail.contrib.redirects``) from the path of every
article's source URL on those hosts to the article's page, on the tag index's site.

A redirect already there for that path is left alone, whatever it points to: an editor's
choice wins. No redirect is made where the page already has the old path (it would loop).
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from wagtail.models import Page

from .conf import get_setting

REDIRECTS_APP = "wagtail.contrib.redirects"


def redirect_hosts() -> frozenset[str]:
    """The host names of ``TAGFEED_REDIRECT_FROM_HOSTS``, lower case (none by default)."""
    hosts = frozenset(host.strip().lower() for host in get_setting("TAGFEED_REDIRECT_FROM_HOSTS"))
    if hosts and not apps.is_installed(REDIRECTS_APP):
        raise ImproperlyConfigured(
            f"TAGFEED_REDIRECT_FROM_HOSTS needs {REDIRECTS_APP!r} in INSTALLED_APPS."
        )
    return hosts


def old_path(source_url: str | None, hosts: frozenset[str]) -> str | None:
    """The path a redirect matches for ``source_url``, if it is on one of ``hosts``."""
    if not source_url:
        return None
    from wagtail.contrib.redirects.models import Redirect

    host = (urlsplit(source_url).hostname or "").lower()
    if host not in hosts:
        return None
    path = Redirect.normalise_path(source_url)
    return None if path == "/" else path


def create_redirects(index: Page, articles: Iterable[tuple[str | None, int]]) -> int:
    """Redirect the old path of each ``(source_url, page_id)`` to the page; returns how many
    redirects were created. Three queries at most, however many articles."""
    hosts = redirect_hosts()
    if not hosts:
        return 0
    from wagtail.contrib.redirects.models import Redirect

    wanted: dict[str, int] = {}
    for source_url, page_id in articles:
        path = old_path(source_url, hosts)
        if path is not None:
            wanted.setdefault(path, page_id)
    if not wanted:
        return 0
    site = index.get_site()
    taken = set(
        Redirect.objects.filter(site=site, old_path__in=wanted).values_list("old_path", flat=True)
    )
    pages = Page.objects.in_bulk(
        [page_id for path, page_id in wanted.items() if path not in taken]
    )
    redirects = []
    for path, page_id in wanted.items():
        page = pages.get(page_id)
        if path in taken or page is None:
            continue
        if Redirect.normalise_path(page.get_url() or "") == path:
            continue
        redirects.append(Redirect(old_path=path, site=site, redirect_page=page, is_permanent=True))
    Redirect.objects.bulk_create(redirects)
    return len(redirects)
