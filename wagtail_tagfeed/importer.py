"""The one import function behind the command, the admin screens and background tasks.

It chains the stages: fetching, parsing and cleaning each source (following its pagination),
optionally each article's own page and images (:mod:`.enriching`), then syncing the items into
a tag index and keeping their links inside the site (:mod:`.linking`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from .cleaning import clean_listing
from .conf import fetch_policy, get_setting
from .enriching import Extras, apply_extras, fetch_extras
from .errors import NoItemsError, NoTagError, ParentError
from .fetching import Crawl, fetch
from .images import files_removed_on_error
from .linking import LinkChanges, fold_links, link_targets, rewrite_item
from .listing import ImportReport, ItemResult, Listing, Selectors
from .parsing import parse_listing
from .syncing import Progress, TaggedItem, sync


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
    fetch_articles: bool = False
    """Read each article's own page for its body, author, date and tags."""
    images: bool = False
    """Download teaser and body images into the image library."""
    strict: bool = False
    """Make an article or image that cannot be read an error instead of a report message."""
    url_map: tuple[tuple[str, str], ...] = ()
    """(prefix, replacement) pairs: article pages and images whose URL starts with a prefix
    are fetched from a mirror (the replacement plus the rest), yet keep their own URL."""

    @property
    def page_limit(self) -> int:
        cap = get_setting("TAGFEED_MAX_PAGES")
        return cap if self.all_pages else max(1, min(self.pages, cap))


def start_crawl(options: ReadOptions) -> Crawl:
    """The fetching run of an import: the settings' policy with the options' overrides."""
    return Crawl(
        fetch_policy(
            timeout=options.timeout,
            max_bytes=options.max_bytes,
            allow_private=options.allow_private,
        )
    )


def read_listing(
    source: str, options: ReadOptions = ReadOptions(), stdin=None, crawl: Crawl | None = None
) -> list[Listing]:
    """Fetch, parse and clean ``source`` and the pages after it, up to the page limit.

    Stops at a page seen before (a loop) and at a page that brings no new items.
    """
    crawl = crawl or start_crawl(options)
    listings: list[Listing] = []
    seen_pages: set[str] = set()
    seen_items: set[str] = set()
    location, base_url = source, options.base_url
    while len(listings) < options.page_limit:
        document = fetch(
            location,
            base_url=base_url,
            encoding=options.encoding,
            crawl=crawl,
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
    collection: str | None = None,
) -> ImportReport:
    """Import tag-listing pages into a tag index and report what happened to each item.

    Every source is read before anything is written, and the writing is one transaction:
    an error anywhere leaves the database as it was, unless ``keep_going`` is set, in which
    case failing items are reported and the others imported. ``exclude`` lists article
    URLs to leave out (the admin preview's unticked items). Article pages and images are
    read before the transaction too; images go to ``collection`` (by name).
    """
    crawl = start_crawl(options)
    listings = [
        listing
        for source in sources
        for listing in read_listing(source, options, stdin=stdin, crawl=crawl)
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
    extras = Extras()
    if options.fetch_articles or options.images:
        extras = fetch_extras(
            [entry.item for entry in entries],
            articles=options.fetch_articles,
            images=options.images,
            strict=options.strict,
            crawl=crawl,
            url_map=options.url_map,
        )
    pages_read = tuple(listing.page_url or listing.source for listing in listings)
    changes = LinkChanges()
    with files_removed_on_error() as written, transaction.atomic():
        # Inside the transaction: a tag index created for this import goes if it fails.
        parent_page, message = resolve_parent(parent, create=not dry_run)
        items = apply_extras(
            [entry.item for entry in entries],
            extras,
            dry_run=dry_run,
            collection=collection,
            written=written,
        )
        targets = link_targets(parent_page, items, pages_read)
        entries = [
            TaggedItem(rewrite_item(item, targets, changes), entry.tags)
            for item, entry in zip(items, entries, strict=True)
        ]
        results = _sync_and_link(
            parent_page,
            entries,
            pages_read,
            changes,
            user=user,
            dry_run=dry_run,
            draft=draft,
            force=force,
            keep_going=keep_going,
            progress=progress,
        )
    all_tags = dict.fromkeys(tag for entry in entries for tag in entry.tags)
    messages = ((message,) if message else ()) + extras.messages
    return ImportReport(
        tags=tuple(all_tags),
        results=results,
        pages_read=pages_read,
        dry_run=dry_run,
        messages=messages,
        links_rewritten=tuple(changes.rewritten),
        links_external=changes.left_external(),
    )


def _sync_and_link(
    parent_page: Page | None,
    entries: list[TaggedItem],
    pages_read: Sequence[str],
    changes: LinkChanges,
    **kwargs,
) -> tuple[ItemResult, ...]:
    """Sync the entries, then point their links at the pages this run created."""
    # Listings put the newest item first; creating the oldest first keeps that order in
    # our own listings when the source gives no dates.
    results = sync(parent_page, entries[::-1], **kwargs)[::-1]
    if kwargs.get("dry_run") or parent_page is None:
        return results
    targets = link_targets(parent_page, [entry.item for entry in entries], pages_read)
    revise = fold_links(parent_page, entries, results, targets, changes)
    if not revise:
        return results
    kwargs["progress"] = None
    revised = {result.url: result for result in sync(parent_page, revise, **kwargs)}
    return tuple(revised.get(result.url, result) for result in results)
