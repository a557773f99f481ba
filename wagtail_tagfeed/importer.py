"""The one import behind the command, the admin screens and background tasks.

:func:`import_tagpage` reads sources (:func:`read_listings`: fetching, parsing and cleaning
each page, following its pagination), then :func:`import_listings` turns their items into
article drafts (:mod:`.drafting`, with each article's own page and images when asked,
:mod:`.enriching`) and writes them below a tag index (:mod:`.syncing`). Everything is read
before anything is written, and the writing is one transaction.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.db import OperationalError, transaction
from wagtail.models import Page, Site, get_page_models

from .cleaning import clean_listing
from .drafting import draft_article
from .enriching import Extras, fetch_extras
from .errors import NoItemsError, NoTagError, ParentError, SyncError, TagfeedError
from .errors import gettext as _
from .fetching import Crawl, NotModified, Validators, fetch
from .images import files_removed_on_error, store_images
from .linking import LinkChanges
from .listing import Document, ImportReport, Listing, ListingItem
from .options import ImportOptions
from .parsing import parse_listing
from .syncing import Progress, sync

BUSY_WAIT = 60.0
"""Seconds an import waits, trying again now and then, while the database is busy with
another writer (SQLite lets one in at a time, and may refuse at once rather than wait)."""

__all__ = ["Reading", "import_listings", "import_tagpage", "read_listings", "resolve_parent"]


@dataclass(frozen=True)
class Reading:
    """The listing pages read from the sources, and what stopped pagination early."""

    listings: tuple[Listing, ...]
    warnings: tuple[str, ...] = ()
    validators: Mapping[str, Validators] = field(default_factory=dict)
    """Each source's first page's ``ETag`` and ``Last-Modified``, as its server last gave them,
    by source: what to send next time to learn whether it changed."""
    not_modified: tuple[str, ...] = ()
    """The sources whose first page had not changed since the validators given: nothing of
    them was read."""

    @property
    def pages_read(self) -> tuple[str, ...]:
        return tuple(listing.page_url or listing.source for listing in self.listings)


def read_listings(
    sources: Sequence[str],
    options: ImportOptions,
    *,
    stdin=None,
    crawl: Crawl | None = None,
    validators: Mapping[str, Validators] | None = None,
) -> Reading:
    """Fetch, parse and clean each source and the pages after it, up to ``options.pages``.

    Pagination stops at a page seen before (a loop) and at a page that brings no new items.
    A following page that cannot be read ends that source's pages with a warning; the first
    page of a source that cannot be read is an error. The fetches are part of ``crawl``, the
    import's run (a run of their own by default).

    With ``validators`` for a source (from an earlier reading's), its first page is asked
    for only if it changed: when its server answers that it did not, the source is listed in
    :attr:`Reading.not_modified` and none of its pages is read.
    """
    crawl = crawl or Crawl(options.fetch)
    validators = validators or {}
    listings: list[Listing] = []
    warnings: list[str] = []
    answered: dict[str, Validators] = {}
    not_modified: list[str] = []
    for source in sources:
        seen_pages: set[str] = set()
        seen_items: set[str] = set()
        location, base_url, count = source, options.base_url, 0
        while count < options.pages:
            try:
                document = read_document(
                    location,
                    base_url,
                    options,
                    stdin=stdin,
                    crawl=crawl,
                    validators=validators.get(label(source)) if count == 0 else None,
                )
                if count == 0 and document.validators:
                    answered[label(source)] = document.validators
                if isinstance(document, NotModified):
                    not_modified.append(label(source))
                    break
                listing = parse_page(document, options)
            except TagfeedError as error:
                if count == 0:
                    raise
                warnings.append(
                    _("Stopped after %(count)d pages of %(source)s: %(error)s")
                    % {"count": count, "source": label(source), "error": error}
                )
                break
            new_urls = {item.url for item in listing.items} - seen_items
            if count and not new_urls:
                break
            listings.append(listing)
            count += 1
            seen_items |= new_urls
            seen_pages.update(filter(None, (label(location), listing.page_url)))
            if not listing.next_page or listing.next_page in seen_pages:
                break
            location, base_url = listing.next_page, None
    return Reading(tuple(listings), tuple(warnings), answered, tuple(not_modified))


def label(source: str | Document) -> str:
    return source.source if isinstance(source, Document) else source


def read_document(
    location: str | Document,
    base_url: str | None,
    options: ImportOptions,
    *,
    stdin=None,
    crawl: Crawl | None = None,
    validators: Validators | None = None,
) -> Document | NotModified:
    """One listing page as fetched (or as given); NotModified when ``validators`` say it is
    the page read before."""
    if isinstance(location, Document):
        return location
    return fetch(
        location,
        base_url=base_url,
        encoding=options.encoding,
        crawl=crawl or Crawl(options.fetch),
        stdin=stdin,
        validators=validators,
    )


def parse_page(document: Document, options: ImportOptions) -> Listing:
    """A fetched listing page, parsed and cleaned."""
    listing = parse_listing(
        document, options.selectors, max_items=options.max_items, max_depth=options.max_depth
    )
    return clean_listing(listing)


def tagged_items(
    listings: Sequence[Listing], tags: Sequence[str], *, required: bool = True
) -> list[tuple[ListingItem, tuple[str, ...]]]:
    """Each item once (the first time its URL appears), with the tags it is imported under:
    ``tags`` when given, else the tag its page names; a page naming none is an error when
    tags are ``required``."""
    entries = []
    seen: set[str] = set()
    for listing in listings:
        item_tags = tuple(tags) or ((listing.tag,) if listing.tag else ())
        if not item_tags and required:
            raise NoTagError(
                _("No tag found on %(source)s; name the tag to import under.")
                % {"source": listing.source}
            )
        for item in listing.items:
            if item.url not in seen:
                seen.add(item.url)
                entries.append((item, item_tags))
    return entries


def tag_index_models() -> list[type[Page]]:
    """Every concrete page model built on the abstract tag index, the site's own included."""
    from .models import AbstractTagIndexPage

    return [model for model in get_page_models() if issubclass(model, AbstractTagIndexPage)]


def resolve_parent(
    spec: str | int | Page | None, *, create: bool = True
) -> tuple[Page | None, str]:
    """The tag index to import into, and a message when one had to be created.

    ``spec`` is a page, an id, or a URL path such as ``/news/``. Without one: the only
    tag index; none at all: a new "News" index under the default site's root.
    """
    from .models import AbstractTagIndexPage, TagIndexPage

    if isinstance(spec, Page):
        return spec.specific, ""
    indexes = Page.objects.type(*tag_index_models()).order_by("path")
    if spec not in (None, ""):
        text = str(spec).strip()
        if text.isdigit():
            page = Page.objects.filter(pk=int(text)).first()
        else:
            wanted = "/" + text.strip("/") + "/" if text.strip("/") else "/"
            page = next((p for p in Page.objects.all() if p.url in (wanted, text)), None)
        if page is None:
            raise ParentError(_("No page matches “%(spec)s”.") % {"spec": spec})
        page = page.specific
        if not isinstance(page, AbstractTagIndexPage):
            raise ParentError(
                _("“%(title)s” (%(spec)s) is not a tag index page.")
                % {"title": page.title, "spec": spec}
            )
        return page, ""
    found = [page.specific for page in indexes[:11]]
    if len(found) == 1:
        return found[0], ""
    if found:
        choices = ", ".join(f"{index.pk} ({index.url or index.url_path})" for index in found[:10])
        raise ParentError(
            _("Several tag index pages exist; choose one: %(choices)s") % {"choices": choices}
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
    options: ImportOptions | None = None,
    user=None,
    dry_run: bool = False,
    stdin=None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import tag-listing pages into a tag index and report what happened to each item.

    ``options`` default to the site's settings. An error anywhere leaves the database as it
    was, unless ``options.keep_going`` is set: then failing items are reported and the others
    imported. A dry run reads the listings only and writes nothing.
    """
    options = options or ImportOptions.from_settings()
    crawl = Crawl(options.fetch)
    reading = read_listings(sources, options, stdin=stdin, crawl=crawl)
    return import_listings(
        reading,
        parent=parent,
        options=options,
        user=user,
        dry_run=dry_run,
        progress=progress,
        crawl=crawl,
    )


def import_listings(
    reading: Reading,
    *,
    parent: str | int | Page | None = None,
    options: ImportOptions,
    user=None,
    dry_run: bool = False,
    progress: Progress | None = None,
    crawl: Crawl | None = None,
) -> ImportReport:
    """Write the items of listings already read (a preview's, say) below a tag index.

    Article pages and images, when asked for, are read first, outside the transaction, as
    part of ``crawl`` (the run that read the listings, or a new one). A reading of sources
    that all answered "not modified" writes nothing and says so.
    """
    if reading.not_modified and not reading.listings:
        return ImportReport(
            tags=options.tags,
            dry_run=dry_run,
            messages=reading.warnings,
            not_modified=reading.not_modified,
        )
    entries = tagged_items(reading.listings, options.tags, required=not dry_run)
    if not entries:
        raise NoItemsError(_("No items to import."))
    extras = Extras()
    if not dry_run and (options.fetch_articles or options.images):
        extras = fetch_extras([item for item, _tags in entries], options, crawl=crawl)
    changes = LinkChanges()
    give_up = time.monotonic() + BUSY_WAIT
    for attempt in itertools.count():
        try:
            message, results = write(
                entries,
                extras,
                reading,
                parent=parent,
                options=options,
                user=user,
                dry_run=dry_run,
                changes=changes,
                progress=progress,
            )
            break
        except OperationalError as error:
            if not database_busy(error):
                raise
            pause = min(0.25 * 2**attempt, 4.0)
            if time.monotonic() + pause > give_up:
                raise SyncError(
                    _("The database stayed busy with other writes; nothing was imported.")
                ) from error
            changes = LinkChanges()
            time.sleep(pause)
    tags = dict.fromkeys(tag for _item, item_tags in entries for tag in item_tags)
    return ImportReport(
        tags=tuple(tags),
        results=results,
        pages_read=reading.pages_read,
        dry_run=dry_run,
        messages=((message,) if message else ()) + reading.warnings + extras.messages,
        links_rewritten=tuple(changes.rewritten),
        links_external=changes.left_external(),
        not_modified=reading.not_modified,
    )


def write(entries, extras: Extras, reading: Reading, *, parent, options, user, dry_run, **kw):
    """The writing transaction: the tag index, the images, the drafts and their pages."""
    with files_removed_on_error() as written, transaction.atomic():
        # Inside the transaction: a tag index created for this import goes if it fails.
        parent_page, message = resolve_parent(parent, create=not dry_run)
        image_ids = None
        if options.images and not dry_run:
            image_ids = store_images(
                extras.downloads, extras.titles, options.collection, written=written
            )
        drafts = [
            draft_article(item, tags, extras.articles.get(item.url), image_ids)
            for item, tags in entries
        ]
        # Listings put the newest item first; creating the oldest first keeps that order in
        # our own listings when the source gives no dates.
        results = sync(
            parent_page,
            drafts[::-1],
            options=options,
            user=user,
            dry_run=dry_run,
            source_pages=reading.pages_read,
            **kw,
        )[::-1]
    return message, results


def database_busy(error: OperationalError) -> bool:
    """Whether ``error`` says another transaction holds the database (SQLite's lock, or a
    PostgreSQL deadlock or serialisation failure): trying again later can succeed."""
    text = str(error).lower()
    return "database is locked" in text or "deadlock detected" in text or "serializ" in text
