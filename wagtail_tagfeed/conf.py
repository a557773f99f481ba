"""Settings, with their defaults: every limit the importer enforces can be changed here."""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    "TAGFEED_MAX_BYTES": 5_000_000,
    "TAGFEED_TIMEOUT": 10.0,
    "TAGFEED_MAX_PAGES": 50,
    "TAGFEED_MAX_ITEMS": 1000,
    "TAGFEED_MAX_DEPTH": 512,
    "TAGFEED_ALLOW_PRIVATE_HOSTS": False,
    "TAGFEED_MAX_IMAGE_BYTES": 10_000_000,
    "TAGFEED_MAX_IMAGES": 200,
    "TAGFEED_IMAGE_COLLECTION": None,
    "TAGFEED_PREVIEW_MAX_AGE": 3600,
    "TAGFEED_BULK_WRITES": True,
}


def get_setting(name: str) -> Any:
    return getattr(settings, name, DEFAULTS[name])
