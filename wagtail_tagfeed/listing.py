"""The small, frozen records passed between the import stages.

``fetching`` produces a :class:`Document` (or :class:`NotModified` for a conditional
fetch), ``parsing`` turns it into a :class:`Listing` of raw :class:`ListingItem` teasers,
``cleaning`` returns a new :class:`Listing` whose HTML is safe to store, ``drafting`` turns
each item (with its article page and images, when read) into an :class:`ArticleDraft`, the
page as it will be written, and ``syncing`` writes the drafts and answers with an
:class:`ImportReport`.
"""

from __future__ import annotations

import copy
import datetime
import enum
from dataclasses import dataclass, field, fields

__all__ = [
    "ArticleDraft",
    "Document",
    "ImportReport",
    "ItemResult",
    "Listing",
    "ListingItem",
    "NotModified",
    "Outcome",
    "Selectors",
    "Validators",
]


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

    @property
    def validators(self) -> Validators:
        return Validators(self.etag, self.last_modified)


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

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """The selectors' names, in the order forms and the command show them."""
        return tuple(f.name for f in fields(cls))

    @classmethod
    def from_json(cls, data: dict) -> Selectors:
        return cls(**{name: data.get(name) or None for name in cls.names()})

    def as_json(self) -> dict:
        return {name: value for name, value in vars(self).items() if value}


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

    def as_json(self) -> dict:
        return {
            "title": self.title,
            "url": self.url,
            "summary_html": self.summary_html,
            "summary_text": self.summary_text,
            "published": self.published.isoformat() if self.published else None,
            "image": self.image,
            "tags": list(self.tags),
            "truncated": self.truncated,
        }

    @classmethod
    def from_json(cls, data: dict) -> ListingItem:
        """An item stored by :meth:`as_json` (a previewed import keeps its items this way)."""
        published = data.get("published")
        return cls(
            title=data["title"],
            url=data["url"],
            summary_html=data.get("summary_html", ""),
            summary_text=data.get("summary_text", ""),
            published=datetime.date.fromisoformat(published) if published else None,
            image=data.get("image"),
            tags=tuple(data.get("tags", ())),
            truncated=data.get("truncated", False),
        )


@dataclass(frozen=True)
class Listing:
    """A parsed tag-listing page."""

    source: str
    page_url: str | None
    heading: str | None
    tag: str | None
    next_page: str | None
    items: tuple[ListingItem, ...] = ()

    def as_json(self) -> dict:
        return {
            "source": self.source,
            "page_url": self.page_url,
            "heading": self.heading,
            "tag": self.tag,
            "next_page": self.next_page,
            "items": [item.as_json() for item in self.items],
        }

    @classmethod
    def from_json(cls, data: dict) -> Listing:
        """A listing stored by :meth:`as_json`."""
        return cls(
            source=data["source"],
            page_url=data.get("page_url"),
            heading=data.get("heading"),
            tag=data.get("tag"),
            next_page=data.get("next_page"),
            items=tuple(ListingItem.from_json(item) for item in data.get("items", ())),
        )


@dataclass(frozen=True)
class ArticleDraft:
    """An article as an import writes it: the page's fields, in the database's terms.

    ``published``, ``author``, ``body`` and ``image_id`` are None when the import did not
    find them (no date shown, no ``fetch_articles``, no ``images``): the page keeps what it
    has, so importing with fewer options never takes anything away.
    """

    source_url: str
    """The article's address: its page's canonical URL when the page was read, else the
    listing's link."""
    listing_url: str
    """The link the listing gave; results are reported by it."""
    title: str
    tags: tuple[str, ...]
    summary: str = ""
    """Rich text in Wagtail's storage format, links between imported articles resolved."""
    summary_truncated: bool = False
    published: datetime.date | None = None
    author: str | None = None
    body: tuple[dict, ...] | None = None
    """StreamField data: one ``{"type": ..., "value": ...}`` per block."""
    image_id: int | None = None

    def page_fields(self) -> dict:
        """The article fields this draft sets; everything else is the editors'."""
        values = {"title": self.title, "summary": self.summary}
        values["summary_truncated"] = self.summary_truncated
        if self.published is not None:
            values["date"] = self.published
        if self.body is not None:
            # A copy: a page given the blocks adds their ids to them.
            values["body"] = copy.deepcopy(list(self.body))
        if self.author is not None:
            values["author"] = self.author
        if self.image_id is not None:
            values["listing_image_id"] = self.image_id
        return values


class Outcome(enum.StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    KEPT = "kept local edits"
    SKIPPED = "skipped"
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
    not_modified: tuple[str, ...] = ()
    """Sources not read because their first page had not changed since the last sync."""

    def count(self, outcome: Outcome) -> int:
        return sum(1 for result in self.results if result.outcome == outcome)

    def summary_line(self) -> str:
        label = ", ".join(self.tags) or "import"
        if self.not_modified and not self.results:
            return f"{label}: not modified"
        counts = ", ".join(
            f"{self.count(outcome)} {outcome}"
            for outcome in (Outcome.CREATED, Outcome.UPDATED, Outcome.UNCHANGED, Outcome.FAILED)
        )
        for outcome in (Outcome.KEPT, Outcome.SKIPPED):
            if self.count(outcome):
                counts += f", {self.count(outcome)} {outcome}"
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
            "not_modified": list(self.not_modified),
        }
