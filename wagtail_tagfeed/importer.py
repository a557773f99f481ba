"""The one import function behind the command, the admin screens and background tasks.

It chains the stages: fetching, parsing and cleaning each source (following its pagination),
then syncing the items into a tag index.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from .cleaning import clean_listing
from .conf import get_setting
from .errors import NoItemsError, NoTagError, TagfeedError
from .fetching import fetch
from .listing import ImportReport, Listing, Selectors
from .parsing import parse_listing
from .syncing import Progress, TaggedItem, sync


class ParentError(TagfeedError):
    """The tag index to import into is unknown or ambiguous."""


@dataclass(frozen=True)
class ReadOptions:
    """How to read sources: the limits and overrides of one import."""

    base_url: str | None = None
    pages: int = 1
    all_pages: bool = False
    selectors: Selectors = field(default_factory=Selectors)
    encoding: str | None = None
    timeout: float | None = None
    max_bytes: int | None = None
    allow_private: bool = True

    @property
    def page_limit(self) -> int:
        cap = get_setting("TAGFEED_MAX_PAGES")
        return cap if self.all_pages else max(1, min(self.pages, cap))


def read_listing(source: str, options: ReadOptions = ReadOptions(), stdin=None) -> list[Listing]:
    """Fetch, parse and clean ``source`` and the pages after it, up to the page limit.

    Stops at a page seen before (a loop) and at a page that brings no new items.
    """
    timeout = options.timeout or get_setting("TAGFEED_TIMEOUT")
    max_bytes = options.max_bytes or get_setting("TAGFEED_MAX_BYTES")
    listings: list[Listing] = []
    seen_pages: set[str] = set()
    seen_items: set[str] = set()
    location, base_url = source, options.base_url
    while len(listings) < options.page_limit:
        document = fetch(
            location,
            base_url=base_url,
            encoding=options.encoding,
            timeout=timeout,
            max_bytes=max_bytes,
            allow_private=options.allow_private,
            stdin=stdin,
        )
        listing = clean_listing(
            parse_listing(
                document,
                options.selectors,
                max_items=get_setting("TAGFEED_MAX_ITEMS"),
                max_depth=get_setting("TAGFEED_MAX_DEPTH"),
            )
        )
        new_urls = {item.url for item in listing.items} - seen_items
        if listings and not new_urls:
            break
        listings.append(listing)
        seen_items |= new_urls
        seen_pages.update(filter(None, (location, document.url, listing.page_url)))
        if not listing.next_page or listing.next_page in seen_pages:
            break
        location, base_url = listing.next_page, None
    return listings


def resolve_parent(
    spec: str | int | Page | None, *, create: bool = True
) -> tuple[Page | None, str]:
    """The tag index to import into, and a message when one had to be created.

    ``spec`` is a page, an id, or a URL path such as ``/news/``. Without one: the only
    tag index; none at all: a new "News" index under the default site's root.
    """
    from .models import TagIndexPage

    indexes = TagIndexPage.objects.all().order_by("path")
    if isinstance(spec, Page):
        return spec.specific, ""
    if spec not in (None, ""):
        text = str(spec).strip()
        if text.isdigit():
            page = indexes.filter(pk=int(text)).first()
        else:
            wanted = "/" + text.strip("/") + "/" if text.strip("/") else "/"
            page = next((index for index in indexes if index.url in (wanted, text)), None)
        if page is None:
            raise ParentError(_("No tag index page matches “%(spec)s”.") % {"spec": spec})
        return page, ""
    found = list(indexes[:11])
    if len(found) == 1:
        return found[0], ""
    if found:
        choices = ", ".join(f"{index.pk} ({index.url or index.url_path})" for index in found[:10])
        raise ParentError(
            _("Several tag index pages exist; choose one with --parent: %(choices)s")
            % {"choices": choices}
        )
    if not create:
        return None, _("A tag index “News” would be created under the site's root.")
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    root = site.root_page if site else Page.get_first_root_node()
    with transaction.atomic():
        index = root.add_child(instance=TagIndexPage(title="News", slug="news"))
        index.save_revision().publish()
    return index, _("Created the tag index “%(title)s” at %(url)s.") % {
        "title": index.title,
        "url": index.url or index.url_path,
    }


def import_tagpage(
    sources: Sequence[str],
    *,
    parent: str | int | Page | None = None,
    tags: Sequence[str] = (),
    options: ReadOptions = ReadOptions(),
    dry_run: bool = False,
    draft: bool = False,
    force: bool = False,
    keep_going: bool = False,
    user=None,
    stdin=None,
    exclude: Sequence[str] = (),
    progress: Progress | None = None,
    on_listing: Callable[[Listing], None] | None = None,
) -> ImportReport:
    """Import tag-listing pages into a tag index and report what happened to each item.

    Every source is read before anything is written, and the writing is one transaction:
    an error anywhere leaves the database as it was, unless ``keep_going`` is set, in which
    case failing items are reported and the others imported. ``exclude`` lists article
    URLs to leave out (the admin preview's unticked items).
    """
    listings = [
        listing for source in sources for listing in read_listing(source, options, stdin=stdin)
    ]
    entries: list[TaggedItem] = []
    seen: set[str] = set(exclude)
    for listing in listings:
        if on_listing:
            on_listing(listing)
        item_tags = tuple(tags) or ((listing.tag,) if listing.tag else ())
        if not item_tags:
            raise NoTagError(
                _("No tag found on %(source)s; give one with --tag.") % {"source": listing.source}
            )
        for item in listing.items:
            if item.url not in seen:
                seen.add(item.url)
                entries.append(TaggedItem(item, item_tags))
    if not entries and not exclude:
        raise NoItemsError(
            _("No items to import from %(sources)s.") % {"sources": ", ".join(sources)}
        )
    parent_page, message = resolve_parent(parent, create=not dry_run)
    # Listings put the newest item first; creating the oldest first keeps that order in
    # our own listings when the source gives no dates.
    results = sync(
        parent_page,
        entries[::-1],
        user=user,
        dry_run=dry_run,
        draft=draft,
        force=force,
        keep_going=keep_going,
        progress=progress,
    )[::-1]
    all_tags = dict.fromkeys(tag for entry in entries for tag in entry.tags)
    return ImportReport(
        tags=tuple(all_tags),
        results=results,
        pages_read=tuple(listing.page_url or listing.source for listing in listings),
        dry_run=dry_run,
        messages=(message,) if message else (),
    )
