"""The small, frozen records passed between the import stages.

``fetching`` produces a :class:`Document` (or :class:`NotModified`), ``parsing`` turns it
into a :class:`Listing`, ``cleaning`` returns a new :class:`Listing` whose HTML is safe to
store, and ``syncing`` writes it and answers with an :class:`ImportReport`.
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Document:
    """Raw bytes of one fetched page, with what is known about them."""

    content: bytes
    source: str
    """What the user gave: a file path, a URL, or ``-`` for standard input."""
    url: str | None = None
    """The page's own URL after redirects (or the base URL given for files and stdin)."""
    encoding: str | None = None
    """The charset declared by the HTTP header or chosen by the user, if any."""
    content_type: str | None = None
    etag: str | None = None
    """The response's ``ETag``, to send back in a later conditional request."""
    last_modified: str | None = None
    """The response's ``Last-Modified``, as the server wrote it."""

    @property
    def validators(self) -> Validators:
        return Validators(self.etag, self.last_modified)


@dataclass(frozen=True)
class Validators:
    """What an earlier response said about its version, for a conditional request."""

    etag: str | None = None
    last_modified: str | None = None

    def __bool__(self) -> bool:
        return bool(self.etag or self.last_modified)

    def headers(self) -> dict[str, str]:
        """``If-None-Match`` and ``If-Modified-Since``, for the validators there are."""
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass(frozen=True)
class NotModified:
    """A conditional fetch's answer that the resource did not change (HTTP 304)."""

    source: str
    url: str
    """The URL that answered, after redirects."""
    etag: str | None = None
    last_modified: str | None = None
    """The validators the 304 answer carried, or else the ones sent."""


@dataclass(frozen=True)
class Selectors:
    """CSS selectors that override detection when given."""

    item: str | None = None
    title: str | None = None
    summary: str | None = None
    date: str | None = None
    image: str | None = None
    next: str | None = None

    def __bool__(self) -> bool:
        return any(vars(self).values())


@dataclass(frozen=True)
class ListingItem:
    """One teaser on a listing page."""

    title: str
    url: str
    summary_html: str = ""
    summary_text: str = ""
    published: datetime.date | None = None
    image: str | None = None
    tags: tuple[str, ...] = ()
    truncated: bool = False
    """Whether the source cut the teaser short (its own "…", "Read more" removed by cleaning)."""
    author: str = ""
    body: str = ""
    """The article's body as the JSON of its StreamField data, when the article was fetched."""
    image_id: int | None = None
    """The teaser image's id in the image library, when images are imported."""

    def as_json(self) -> dict:
        return {
            "title": self.title,
            "url": self.url,
            "summary_html": self.summary_html,
            "summary_text": self.summary_text,
            "published": self.published.isoformat() if self.published else None,
            "image": self.image,
            "tags": list(self.tags),
        }


@dataclass(frozen=True)
class Listing:
    """A parsed tag-listing page."""

    source: str
    page_url: str | None
    heading: str | None
    tag: str | None
    next_page: str | None
    items: tuple[ListingItem, ...] = ()
    feed_url: str | None = None

    def as_json(self) -> dict:
        return {
            "source": self.source,
            "page_url": self.page_url,
            "heading": self.heading,
            "tag": self.tag,
            "next_page": self.next_page,
            "items": [item.as_json() for item in self.items],
        }


class Outcome(enum.StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    KEPT = "kept local edits"
    FAILED = "failed"


@dataclass(frozen=True)
class ItemResult:
    """What happened (or, in a dry run, would happen) to one item."""

    url: str
    title: str
    outcome: Outcome
    page_id: int | None = None
    reason: str = ""

    def as_json(self) -> dict:
        return {
            "url": self.url,
            "title": self.title,
            "outcome": str(self.outcome),
            "page_id": self.page_id,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class ImportReport:
    """The result of one import run."""

    tags: tuple[str, ...]
    results: tuple[ItemResult, ...] = ()
    pages_read: tuple[str, ...] = ()
    dry_run: bool = False
    messages: tuple[str, ...] = field(default=())
    links_rewritten: tuple[tuple[str, str], ...] = ()
    """Links turned into links inside the site: (source URL, new target)."""
    links_external: tuple[str, ...] = ()
    """Links to the source site left pointing at it (no imported article or tag page)."""

    def count(self, outcome: Outcome) -> int:
        return sum(1 for result in self.results if result.outcome == outcome)

    def summary_line(self) -> str:
        label = ", ".join(self.tags) or "import"
        counts = ", ".join(
            f"{self.count(outcome)} {outcome}"
            for outcome in (Outcome.CREATED, Outcome.UPDATED, Outcome.UNCHANGED, Outcome.FAILED)
        )
        kept = self.count(Outcome.KEPT)
        if kept:
            counts += f", {kept} kept local edits"
        return f"{label}: {counts}"

    def as_json(self) -> dict:
        return {
            "tags": list(self.tags),
            "dry_run": self.dry_run,
            "pages_read": list(self.pages_read),
            "counts": {str(outcome): self.count(outcome) for outcome in Outcome},
            "results": [result.as_json() for result in self.results],
            "messages": list(self.messages),
            "links": {
                "rewritten": [{"url": url, "to": to} for url, to in self.links_rewritten],
                "external": list(self.links_external),
            },
        }
