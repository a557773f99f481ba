"""Listing -> pages: one ArticlePage per source URL, idempotent and all-or-nothing."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify
from taggit.models import Tag
from wagtail.models import Page

from .errors import SyncError
from .listing import ItemResult, ListingItem, Outcome

SLUG_MAX_LENGTH = 200

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class TaggedItem:
    """An item with the tags it is imported under."""

    item: ListingItem
    tags: tuple[str, ...]


def page_fields(item: ListingItem) -> dict:
    """The article fields an import writes for ``item``; everything else is the editors'."""
    return {"title": item.title, "date": item.published, "summary": item.summary_html}


def fingerprint(item: ListingItem) -> str:
    """A hash of the content an import writes: equal hashes mean nothing to update."""
    content = json.dumps(page_fields(item), sort_keys=True, default=str)
    return hashlib.sha256(content.encode()).hexdigest()


def resolve_tags(names: Iterable[str]) -> dict[str, Tag]:
    """Map each name (lowercased) to a Tag, reusing existing ones case-insensitively."""
    wanted = {name.strip().lower(): name.strip() for name in names if name and name.strip()}
    found: dict[str, Tag] = {}
    match = Q()
    for name in wanted.values():
        match |= Q(name__iexact=name)
    for tag in Tag.objects.filter(match).order_by("pk") if wanted else ():
        found.setdefault(tag.name.lower(), tag)
    for key, name in wanted.items():
        if key not in found:
            found[key] = Tag.objects.create(name=name)
    return found


class Syncer:
    """Writes items below one tag index the standard Wagtail way."""

    def __init__(
        self, parent: Page | None, *, user=None, draft: bool = False, force: bool = False
    ):
        from .models import ArticlePage

        self.parent = parent
        self.model = parent.specific.get_article_model() if parent else ArticlePage
        self.user = user
        self.draft = draft
        self.force = force

    def plan(self, entries: Sequence[TaggedItem]) -> list[tuple[TaggedItem, Page | None]]:
        """Pair each entry with the existing page for its URL, in one query."""
        urls = [entry.item.url for entry in entries]
        existing = {
            page.source_url: page
            for page in self.model.objects.filter(source_url__in=urls).prefetch_related(
                "tagged_items__tag"
            )
        }
        return [(entry, existing.get(entry.item.url)) for entry in entries]

    def outcome(self, entry: TaggedItem, page: Page | None) -> Outcome:
        if page is None:
            return Outcome.CREATED
        if not self.force and page.latest_revision_id != page.imported_revision_id:
            return Outcome.KEPT
        if page.import_fingerprint != fingerprint(entry.item) or self.missing_tags(entry, page):
            return Outcome.UPDATED
        return Outcome.UNCHANGED

    @staticmethod
    def missing_tags(entry: TaggedItem, page: Page) -> set[str]:
        have = {row.tag.name.lower() for row in page.tagged_items.all()}
        return {name.lower() for name in entry.tags} - have

    def create(self, entry: TaggedItem, tags: dict[str, Tag], slugs: set[str]) -> Page:
        item = entry.item
        page = self.model(
            **page_fields(item),
            slug=unique_slug(item.title, slugs),
            source_url=item.url,
            import_fingerprint=fingerprint(item),
            live=not self.draft,
            owner=self.user,
        )
        page.tags.add(*(tags[name.lower()] for name in entry.tags))
        self.parent.add_child(instance=page)
        self.save_revision(page, publish=not self.draft)
        return page

    def update(self, entry: TaggedItem, page: Page, tags: dict[str, Tag]) -> Page:
        item = entry.item
        draft = page.get_latest_revision_as_object()
        for name, value in page_fields(item).items():
            setattr(draft, name, value)
        draft.import_fingerprint = fingerprint(item)
        draft.tags.add(*(tags[name.lower()] for name in entry.tags))
        self.save_revision(draft, publish=page.live and not page.has_unpublished_changes)
        return draft

    def save_revision(self, page: Page, *, publish: bool) -> None:
        revision = page.save_revision(user=self.user, log_action=True)
        if publish:
            revision.publish(user=self.user)
        type(page).objects.filter(pk=page.pk).update(
            imported_revision=revision, import_fingerprint=page.import_fingerprint
        )
        page.imported_revision = revision


def unique_slug(title: str, taken: set[str]) -> str:
    """A slug for ``title`` not in ``taken`` (which it is added to)."""
    base = slugify(title, allow_unicode=True)[:SLUG_MAX_LENGTH].strip("-") or "article"
    slug, number = base, 1
    while slug in taken:
        number += 1
        suffix = f"-{number}"
        slug = base[: SLUG_MAX_LENGTH - len(suffix)] + suffix
    taken.add(slug)
    return slug


def sync(
    parent: Page | None,
    entries: Sequence[TaggedItem],
    *,
    user=None,
    dry_run: bool = False,
    draft: bool = False,
    force: bool = False,
    keep_going: bool = False,
    progress: Progress | None = None,
) -> tuple[ItemResult, ...]:
    """Create or update one page per entry below ``parent``.

    Runs in one transaction: the first failure undoes everything and raises
    :class:`SyncError` naming the item, unless ``keep_going`` records it and goes on.
    A dry run writes nothing and reports what would happen (``parent`` may then be None:
    an index that does not exist yet).
    """
    syncer = Syncer(parent, user=user, draft=draft, force=force)
    planned = syncer.plan(entries)
    if dry_run:
        return tuple(
            ItemResult(
                entry.item.url, entry.item.title, syncer.outcome(entry, page), page and page.pk
            )
            for entry, page in planned
        )
    results: list[ItemResult] = []
    with transaction.atomic():
        tags = resolve_tags(name for entry in entries for name in entry.tags)
        slugs = set(parent.get_children().values_list("slug", flat=True))
        for done, (entry, page) in enumerate(planned, start=1):
            outcome = syncer.outcome(entry, page)
            try:
                with transaction.atomic():
                    if outcome == Outcome.CREATED:
                        page = syncer.create(entry, tags, slugs)
                    elif outcome == Outcome.UPDATED:
                        page = syncer.update(entry, page, tags)
            except Exception as error:
                reason = str(error).splitlines()[0] if str(error) else type(error).__name__
                if not keep_going:
                    raise SyncError(f"{entry.item.url}: {reason}; nothing was imported") from error
                results.append(
                    ItemResult(entry.item.url, entry.item.title, Outcome.FAILED, reason=reason)
                )
            else:
                results.append(ItemResult(entry.item.url, entry.item.title, outcome, page.pk))
            if progress:
                progress(done, len(planned))
    return tuple(results)
