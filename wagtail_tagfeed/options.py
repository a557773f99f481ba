"""How one import reads and writes: a single value, resolved once from the site's settings.

The command line, the admin's import form, a tag source and a queued run all describe an
import as an :class:`ImportOptions`; a run stores it as JSON (:meth:`ImportOptions.as_json`)
and reads it back (:meth:`ImportOptions.from_json`). The stages receive the parts they need
from it; none of them reads Django settings.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field, fields
from typing import Any

from .conf import DEFAULTS, fetch_policy, get_setting
from .fetching import FetchPolicy
from .listing import Selectors

SETTINGS = {
    "timeout": "TAGFEED_TIMEOUT",
    "max_bytes": "TAGFEED_MAX_BYTES",
    "max_pages": "TAGFEED_MAX_PAGES",
    "max_items": "TAGFEED_MAX_ITEMS",
    "max_depth": "TAGFEED_MAX_DEPTH",
    "allow_private": "TAGFEED_ALLOW_PRIVATE_HOSTS",
    "max_image_bytes": "TAGFEED_MAX_IMAGE_BYTES",
    "max_images": "TAGFEED_MAX_IMAGES",
    "collection": "TAGFEED_IMAGE_COLLECTION",
    "bulk": "TAGFEED_BULK_WRITES",
}
"""The options whose default is a setting, by setting name."""

__all__ = ["ImportOptions"]


@dataclass(frozen=True)
class ImportOptions:
    """Everything that decides how sources are read and how their items are written."""

    base_url: str | None = None
    """The address of a file or standard-input source, to resolve its relative links."""
    encoding: str | None = None
    """The source's encoding, when it does not declare the right one."""
    pages: int = 1
    """Listing pages to read, following "next page" links (capped by ``max_pages``)."""
    selectors: Selectors = field(default_factory=Selectors)
    tags: tuple[str, ...] = ()
    """Tags for every item; empty: the tag the page names."""
    fetch_articles: bool = False
    """Read each article's own page for its body, author, date and tags."""
    images: bool = False
    """Download teaser and body images into the image library."""
    draft: bool = False
    """Create and update pages without publishing them."""
    force: bool = False
    """Overwrite articles that editors changed since their last import."""
    keep_going: bool = False
    """Import what can be and report the items that failed, instead of writing nothing."""
    strict: bool = False
    """Make an article or image that cannot be read an error instead of a report message."""
    url_map: tuple[tuple[str, str], ...] = ()
    """(prefix, replacement) pairs: article pages and images whose URL starts with a prefix
    are fetched from a mirror (the replacement plus the rest), yet keep their own URL."""
    timeout: float = DEFAULTS["TAGFEED_TIMEOUT"]
    max_bytes: int = DEFAULTS["TAGFEED_MAX_BYTES"]
    max_pages: int = DEFAULTS["TAGFEED_MAX_PAGES"]
    max_items: int = DEFAULTS["TAGFEED_MAX_ITEMS"]
    max_depth: int = DEFAULTS["TAGFEED_MAX_DEPTH"]
    allow_private: bool = DEFAULTS["TAGFEED_ALLOW_PRIVATE_HOSTS"]
    """Whether loopback, private and other non-public addresses may be fetched."""
    max_image_bytes: int = DEFAULTS["TAGFEED_MAX_IMAGE_BYTES"]
    max_images: int = DEFAULTS["TAGFEED_MAX_IMAGES"]
    collection: str | None = DEFAULTS["TAGFEED_IMAGE_COLLECTION"]
    """The name of the collection images go to (the root collection when None)."""
    bulk: bool = DEFAULTS["TAGFEED_BULK_WRITES"]
    """Write new articles in bulk where that stores what Wagtail's standard calls would."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "pages", max(1, min(self.pages, self.max_pages)))
        object.__setattr__(self, "tags", tuple(self.tags))
        object.__setattr__(self, "url_map", tuple(tuple(pair) for pair in self.url_map))
        if isinstance(self.selectors, dict):
            object.__setattr__(self, "selectors", Selectors.from_json(self.selectors))

    @classmethod
    def from_settings(cls, **given: Any) -> ImportOptions:
        """Options with the site's settings for what ``given`` leaves out (or gives as None)."""
        values = {name: value for name, value in given.items() if value is not None}
        for name, setting in SETTINGS.items():
            values.setdefault(name, get_setting(setting))
        return cls(**values)

    @classmethod
    def from_json(cls, data: dict) -> ImportOptions:
        """Options stored by :meth:`as_json`; settings fill in what an older run lacks."""
        known = {f.name for f in fields(cls)}
        return cls.from_settings(**{name: value for name, value in data.items() if name in known})

    def as_json(self) -> dict:
        data = dataclasses.asdict(self)
        data["selectors"] = self.selectors.as_json()
        data["tags"] = list(self.tags)
        data["url_map"] = [list(pair) for pair in self.url_map]
        return data

    def replace(self, **changes: Any) -> ImportOptions:
        return dataclasses.replace(self, **changes)

    def fetch_policy(self) -> FetchPolicy:
        """How this import fetches: these options' limits, the settings' manners (robots.txt,
        retries, requests at once, the run's deadline)."""
        return fetch_policy(
            timeout=self.timeout,
            max_bytes=self.max_bytes,
            max_image_bytes=self.max_image_bytes,
            allow_private=self.allow_private,
        )
