"""Settings, with their defaults: every limit the importer enforces can be changed here."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from .fetching.policy import FetchPolicy

DEFAULTS: dict[str, Any] = {
    "TAGFEED_MAX_BYTES": 5_000_000,
    "TAGFEED_TIMEOUT": 10.0,
    "TAGFEED_RUN_TIMEOUT": 600.0,
    "TAGFEED_STALE_RUN_AFTER": 3600.0,
    "TAGFEED_MAX_PAGES": 50,
    "TAGFEED_MAX_ITEMS": 1000,
    "TAGFEED_MAX_DEPTH": 512,
    "TAGFEED_ALLOW_PRIVATE_HOSTS": False,
    "TAGFEED_MAX_IMAGE_BYTES": 10_000_000,
    "TAGFEED_MAX_IMAGE_PIXELS": 50_000_000,
    "TAGFEED_MAX_IMAGES": 200,
    "TAGFEED_IMAGE_COLLECTION": None,
    "TAGFEED_CONTACT_URL": "https://wagtail-tagfeed.readthedocs.io/",
    "TAGFEED_OBEY_ROBOTS": True,
    "TAGFEED_RETRIES": 2,
    "TAGFEED_PER_HOST": 4,
    "TAGFEED_CONCURRENCY": 8,
    "TAGFEED_PREVIEW_MAX_AGE": 3600,
    "TAGFEED_BULK_WRITES": True,
    "TAGFEED_LISTING_IMAGE_FORMATS": ("avif", "webp"),
    "TAGFEED_REDIRECT_FROM_HOSTS": (),
}

WAGTAIL_MAX_IMAGE_PIXELS = 128_000_000
"""Wagtail's default for ``WAGTAILIMAGES_MAX_IMAGE_PIXELS``."""


def get_setting(name: str) -> Any:
    return getattr(settings, name, DEFAULTS[name])


def fetch_policy(**overrides: Any) -> FetchPolicy:
    """The :class:`~wagtail_tagfeed.fetching.FetchPolicy` of the settings.

    ``overrides`` (``timeout=…``, ``allow_private=…``) replace settings where not None.
    Images may have no more pixels than both our limit and Wagtail's own allow.
    """
    wagtail_pixels = getattr(settings, "WAGTAILIMAGES_MAX_IMAGE_PIXELS", WAGTAIL_MAX_IMAGE_PIXELS)
    pixels = get_setting("TAGFEED_MAX_IMAGE_PIXELS")
    values = {
        "timeout": get_setting("TAGFEED_TIMEOUT"),
        "max_bytes": get_setting("TAGFEED_MAX_BYTES"),
        "max_image_bytes": get_setting("TAGFEED_MAX_IMAGE_BYTES"),
        "max_image_pixels": min(pixels, wagtail_pixels) if wagtail_pixels else pixels,
        "allow_private": get_setting("TAGFEED_ALLOW_PRIVATE_HOSTS"),
        "contact_url": get_setting("TAGFEED_CONTACT_URL"),
        "obey_robots": get_setting("TAGFEED_OBEY_ROBOTS"),
        "retries": get_setting("TAGFEED_RETRIES"),
        "per_host": get_setting("TAGFEED_PER_HOST"),
        "concurrency": get_setting("TAGFEED_CONCURRENCY"),
        "run_timeout": get_setting("TAGFEED_RUN_TIMEOUT"),
    }
    values.update((name, value) for name, value in overrides.items() if value is not None)
    return FetchPolicy(**values)
