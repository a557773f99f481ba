"""Listing -> pages: one ArticlePage per source URL, idempotent and all-or-nothing.

New articles are written in chunks by :class:`BulkWriter`, which stores exactly what
``parent.add_child(instance=page)``, ``page.save_revision(log_action=True)`` and
``revision.publish()`` would (tree fields, revisions, publishing fields, tags, history, search
and reference index) in a few queries per chunk. Updates of changed articles, and every write
when ``keep_going`` is set or a site listens to the article model's ``post_save``, go through
those standard Wagtail calls one page at a time (:class:`Syncer`).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import CharField, F, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.db.models.signals import post_save, pre_save
from django.utils import timezone
from django.utils.text import slugify
from modelcluster.models import get_all_child_relations
from taggit.models import Tag
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision
from wagtail.search.backends import get_search_backends_with_name
from wagtail.search.index import class_is_indexed
from wagtail.signals import page_published, published

from .errors import SyncError
from .inserting import insert_rows
from .listing import ItemResult, ListingItem, Outcome

logger = logging.getLogger(__name__)

SLUG_MAX_LENGTH = 200
CHUNK_SIZE = 500
"""Entries planned and written together: memory stays flat, queries stay few."""

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class TaggedItem:
    """An item with the tags it is imported under."""

    item: ListingItem
    tags: tuple[str, ...]


@dataclass(frozen=True)
class Existing:
    """What planning needs to know about an article already imported from a URL."""

    pk: int
    fingerprint: str
    latest_revision_id: int | None
    imported_revision_id: int | None
    tags: frozenset[str]


def page_fields(item: ListingItem) -> dict:
    """The article fields an import writes for ``item``; everything else is the editors'.

    The body, author and listing image only when the import found them (``--fetch-articles``,
    ``--images``), so that an import of teasers alone does not clear them.
    """
    fields = {"title": item.title, "date": item.published, "summary": item.summary_html}
    if item.body:
        fields["body"] = json.loads(item.body)
    if item.author:
        fields["author"] = item.author
    if item.image_id is not None:
        fields["listing_image_id"] = item.image_id
    return fields


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


def chunked(entries: Sequence[TaggedItem], size: int = CHUNK_SIZE) -> Iterator[list]:
    for start in range(0, len(entries), size):
        yield list(entries[start : start + size])


def error_reason(error: Exception) -> str:
    if isinstance(error, ValidationError) and hasattr(error, "message_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
        )
    return str(error).splitlines()[0] if str(error) else type(error).__name__


class Syncer:
    """Plans a sync and writes items below one tag index the standard Wagtail way."""

    def __init__(
        self, parent: Page | None, *, user=None, draft: bool = False, force: bool = False
    ):
        from .models import ArticlePage

        self.parent = parent
        self.model = parent.specific.get_article_model() if parent else ArticlePage
        self.user = user
        self.draft = draft
        self.force = force
        self._slugs: set[str] | None = None

    @property
    def slugs(self) -> set[str]:
        """The parent's children's slugs, read once and only when something is created."""
        if self._slugs is None:
            self._slugs = set(self.parent.get_children().values_list("slug", flat=True))
        return self._slugs

    def plan(self, entries: Sequence[TaggedItem]) -> list[tuple[TaggedItem, Existing | None]]:
        """Pair each entry with the article imported from its URL: two queries in all."""
        urls = [entry.item.url for entry in entries]
        rows = self.model.objects.filter(source_url__in=urls).values_list(
            "source_url", "pk", "import_fingerprint", "latest_revision_id", "imported_revision_id"
        )
        found = {row[0]: row[1:] for row in rows}
        tags: dict[int, set[str]] = {row[0]: set() for row in found.values()}
        through = self.model.tags.through
        for page_id, name in through.objects.filter(content_object_id__in=tags).values_list(
            "content_object_id", "tag__name"
        ):
            tags[page_id].add(name.lower())
        existing = {
            url: Existing(pk, fp, latest, imported, frozenset(tags[pk]))
            for url, (pk, fp, latest, imported) in found.items()
        }
        return [(entry, existing.get(entry.item.url)) for entry in entries]

    def outcome(self, entry: TaggedItem, page: Existing | None) -> Outcome:
        if page is None:
            return Outcome.CREATED
        if not self.force and page.latest_revision_id != page.imported_revision_id:
            return Outcome.KEPT
        if page.fingerprint != fingerprint(entry.item) or self.missing_tags(entry, page):
            return Outcome.UPDATED
        return Outcome.UNCHANGED

    @staticmethod
    def missing_tags(entry: TaggedItem, page: Existing) -> set[str]:
        return {name.lower() for name in entry.tags} - page.tags

    def new_page(self, entry: TaggedItem, tags: dict[str, Tag]) -> Page:
        """An unsaved article for ``entry``, with its slug and pending tags."""
        item = entry.item
        page = self.model(
            **page_fields(item),
            slug=unique_slug(item.title, self.slugs),
            source_url=item.url or None,
            import_fingerprint=fingerprint(item),
            live=not self.draft,
            owner=self.user,
        )
        page.tags.add(*(tags[name.lower()] for name in entry.tags))
        return page

    def create(self, entry: TaggedItem, tags: dict[str, Tag]) -> Page:
        page = self.new_page(entry, tags)
        self.parent.add_child(instance=page)
        self.save_revision(page, publish=not self.draft)
        return page

    def edited_since_plan(self, existing: Existing) -> bool:
        """Lock the article's row, then tell whether an editor has saved a revision since.

        The plan was read without locks; an editor who saved meanwhile must not be overwritten.
        """
        latest, imported = (
            self.model.objects.select_for_update()
            .filter(pk=existing.pk)
            .values_list("latest_revision_id", "imported_revision_id")
            .get()
        )
        return not self.force and latest != imported

    def update(self, entry: TaggedItem, existing: Existing, tags: dict[str, Tag]) -> Page:
        item = entry.item
        page = self.model.objects.get(pk=existing.pk)
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


def wagtail_receivers() -> set:
    """The pre/post_save receivers of Wagtail itself, whose work the bulk path does."""
    from wagtail.models.i18n import set_locale_on_new_instance
    from wagtail.search import signal_handlers as search_handlers
    from wagtail.signal_handlers import update_reference_index_on_save

    return {
        set_locale_on_new_instance,
        update_reference_index_on_save,
        getattr(search_handlers, "post_save_signal_handler", None),
    }


def has_foreign_save_receivers(*models) -> bool:
    """Whether anything besides Wagtail's own handlers listens to these models' saves."""
    known = wagtail_receivers()
    for signal in (pre_save, post_save):
        for model in models:
            sync_receivers, async_receivers = signal._live_receivers(model)
            if async_receivers or any(receiver not in known for receiver in sync_receivers):
                return True
    return False


class BulkWriter:
    """Creates a chunk of articles below a locked parent in a few queries.

    The rows are those of the standard path: ``add_child`` (path, depth, url_path, the
    parent's numchild, locale, draft_title, a ``wagtail.create`` log entry), then
    ``save_revision(log_action=True)`` (a revision whose content is ``serializable_data()``
    at that moment, ``latest_revision``, a ``wagtail.edit`` entry), then, unless drafting,
    ``publish()`` (``live``, ``live_revision``, ``first_published_at``,
    ``last_published_at``, no unpublished changes, a ``wagtail.publish`` entry, the
    ``page_published`` and ``published`` signals). Search and reference index entries are
    written in batches through Wagtail's own APIs, inside the transaction.
    """

    def __init__(self, syncer: Syncer, parent: Page):
        from django.contrib.contenttypes.models import ContentType

        self.syncer = syncer
        self.model = syncer.model
        self.parent = parent
        self.content_type = ContentType.objects.get_for_model(self.model)
        self.page_content_type = ContentType.objects.get_for_model(Page)
        self.depth = parent.depth + 1
        last = (
            Page.objects.filter(path__startswith=parent.path, depth=self.depth)
            .order_by("-path")
            .values_list("path", flat=True)
            .first()
        )
        self.related_fields = [f.name for f in self.model._meta.concrete_fields if f.is_relation]
        self.next_step = Page._str2int(last[-Page.steplen :]) + 1 if last else 1

    def build(self, entry: TaggedItem, tags: dict[str, Tag]) -> Page:
        """The unsaved page as ``add_child`` would save it, validated like ``full_clean``."""
        if self.next_step >= len(Page.alphabet) ** Page.steplen:
            raise SyncError(f"{self.parent.url_path}: no room for more pages below this page")
        page = self.syncer.new_page(entry, tags)
        # The foreign keys are set here from rows known to exist: no query per page checks them.
        page.depth = self.depth
        page.path = Page._get_path(self.parent.path, self.depth, self.next_step)
        page.numchild = 0
        page.url_path = self.parent.url_path + page.slug + "/"
        page.draft_title = page.title
        page.locale_id = self.parent.locale_id
        page.clean_fields(exclude=self.related_fields)
        for relation in get_all_child_relations(page):
            # Keep child relations in memory: the new page has none in the database yet.
            getattr(page, relation.get_accessor_name()).get_object_list()
        self.next_step += 1
        return page

    def write(self, pages: list[Page]) -> None:
        now = timezone.now()
        publish = not self.syncer.draft
        user = self.syncer.user
        # The rows get their final state at once; the pages keep the state of before
        # publishing, which is what the revision records.
        insert_rows(
            Page,
            pages,
            overrides={
                "latest_revision_created_at": now,
                "has_unpublished_changes": not publish,
                "first_published_at": now if publish else None,
                "last_published_at": now if publish else None,
            },
        )
        ids = dict(
            Page.objects.filter(
                depth=self.depth, path__range=(pages[0].path, pages[-1].path)
            ).values_list("path", "pk")
        )
        for page in pages:
            page.id = page.page_ptr_id = ids[page.path]
        tagged = []
        for page in pages:
            for item in page.tagged_items.all():
                item.content_object_id = page.pk
                tagged.append(item)
        revisions = {
            str(page.pk): Revision(
                content_type=self.content_type,
                base_content_type=self.page_content_type,
                object_id=str(page.pk),
                user=user,
                content=page.serializable_data(),
                object_str=str(page),
                created_at=now,
            )
            for page in pages
        }
        insert_rows(Revision, list(revisions.values()))
        for object_id, pk in Revision.objects.filter(
            base_content_type=self.page_content_type, object_id__in=revisions
        ).values_list("object_id", "pk"):
            revisions[object_id].pk = pk
        for page in pages:
            revision = revisions[str(page.pk)]
            page.latest_revision = revision
            page.latest_revision_created_at = revision.created_at
            page.imported_revision = revision
            page.has_unpublished_changes = not publish
            if publish:
                page.live_revision = revision
                page.first_published_at = page.last_published_at = now
        insert_rows(self.model, pages)
        through = self.model.tags.through
        insert_rows(through, tagged)
        # The reference index names tag rows by their keys.
        keys = {(item.content_object_id, item.tag_id): item for item in tagged}
        for page_id, tag_id, pk in through.objects.filter(
            content_object_id__in=[page.pk for page in pages]
        ).values_list("content_object_id", "tag_id", "pk"):
            keys[page_id, tag_id].pk = pk
        revision_id = Subquery(
            Revision.objects.filter(
                base_content_type=self.page_content_type,
                object_id=Cast(OuterRef("pk"), output_field=CharField()),
            ).values("pk")[:1]
        )
        Page.objects.filter(pk__in=[page.pk for page in pages]).update(
            latest_revision_id=revision_id, live_revision_id=revision_id if publish else None
        )
        Page.objects.filter(pk=self.parent.pk).update(numchild=F("numchild") + len(pages))
        self.parent.numchild += len(pages)
        self.log(pages, now)
        self.index(pages)
        if publish:
            for page in pages:
                page_published.send(self.model, instance=page, revision=page.live_revision)
                published.send(self.model, instance=page, revision=page.live_revision)

    def log(self, pages: list[Page], now) -> None:
        user = self.syncer.user
        actions = ["wagtail.create", "wagtail.edit"]
        if not self.syncer.draft:
            actions.append("wagtail.publish")
        entries = [
            PageLogEntry(
                content_type=self.content_type,
                label=page.get_admin_display_title(),
                action=action,
                timestamp=now,
                data={},
                user=user or page.owner if action == "wagtail.create" else user,
                revision=None if action == "wagtail.create" else page.latest_revision,
                content_changed=True,
                page=page,
            )
            for page in pages
            for action in actions
        ]
        insert_rows(PageLogEntry, entries)

    def index(self, pages: list[Page]) -> None:
        """Search and reference index entries, as the post_save handlers would write them."""
        if class_is_indexed(self.model) and getattr(self.model, "search_auto_update", True):
            for name, backend in get_search_backends_with_name(with_auto_update=True):
                try:
                    backend.add_bulk(self.model, pages)
                except Exception:
                    logger.exception(
                        "Could not add %d pages to search backend %s", len(pages), name
                    )
                    if not backend.catch_indexing_errors:
                        raise
        if ReferenceIndex.is_indexed(self.model):
            rows = []
            for page in pages:
                for to_type, to_id, model_path, content_path in set(
                    ReferenceIndex._extract_references_from_object(page)
                ):
                    rows.append(
                        ReferenceIndex(
                            content_type=self.content_type,
                            base_content_type=self.page_content_type,
                            object_id=page.pk,
                            to_content_type_id=to_type,
                            to_object_id=to_id,
                            model_path=model_path,
                            content_path=content_path,
                            content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
                        )
                    )
            insert_rows(ReferenceIndex, rows)


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

    Runs in one transaction, with the parent row locked: the first failure undoes everything
    and raises :class:`SyncError` naming the item, unless ``keep_going`` records it and goes
    on. A dry run writes nothing and reports what would happen (``parent`` may then be None:
    an index that does not exist yet).
    """
    syncer = Syncer(parent, user=user, draft=draft, force=force)
    if dry_run:
        return tuple(
            ItemResult(
                entry.item.url, entry.item.title, syncer.outcome(entry, page), page and page.pk
            )
            for chunk in chunked(entries)
            for entry, page in syncer.plan(chunk)
        )
    results: list[ItemResult] = []
    urls = [entry.item.url for entry in entries]
    bulk = not (
        keep_going
        or len(set(urls)) < len(urls)
        or list(syncer.model._meta.parents) != [Page]
        or has_foreign_save_receivers(syncer.model, syncer.model.tags.through)
    )
    with transaction.atomic():
        locked = Page.objects.select_for_update().get(pk=parent.pk)
        syncer.parent = locked
        tags = resolve_tags(name for entry in entries for name in entry.tags)
        writer = None
        for chunk in chunked(entries):
            planned = [
                (entry, page, syncer.outcome(entry, page)) for entry, page in syncer.plan(chunk)
            ]
            created: dict[str, Page] = {}
            if bulk and any(outcome == Outcome.CREATED for _, _, outcome in planned):
                writer = writer or BulkWriter(syncer, locked)
                created = bulk_create(writer, planned, tags)
            for entry, page, outcome in planned:
                try:
                    if entry.item.url in created:
                        page = created[entry.item.url]
                    elif outcome in (Outcome.CREATED, Outcome.UPDATED):
                        with transaction.atomic():
                            if outcome == Outcome.CREATED:
                                page = syncer.create(entry, tags)
                            elif syncer.edited_since_plan(page):
                                outcome = Outcome.KEPT
                            else:
                                page = syncer.update(entry, page, tags)
                except Exception as error:
                    reason = error_reason(error)
                    if not keep_going:
                        raise SyncError(
                            f"{entry.item.url}: {reason}; nothing was imported"
                        ) from error
                    results.append(
                        ItemResult(entry.item.url, entry.item.title, Outcome.FAILED, reason=reason)
                    )
                else:
                    results.append(ItemResult(entry.item.url, entry.item.title, outcome, page.pk))
                if progress:
                    progress(len(results), len(entries))
        if parent is not locked:
            parent.numchild = locked.numchild
        if writer and count_created(results) >= ANALYZE_AFTER:
            refresh_statistics(syncer.model)
    return tuple(results)


ANALYZE_AFTER = 1000
"""New articles after which PostgreSQL's planner statistics are refreshed."""


def count_created(results: Sequence[ItemResult]) -> int:
    return sum(1 for result in results if result.outcome == Outcome.CREATED)


def refresh_statistics(article_model: type[Page]) -> None:
    """``ANALYZE`` the tables a large bulk import grew, as PostgreSQL advises after bulk loads.

    Until autovacuum gets to them, the planner would still believe a tag has a handful of
    articles and sort all of them instead of reading the listing's index in order.
    """
    if connection.vendor != "postgresql":
        return
    through = article_model.tags.through
    tag_model = through._meta.get_field("tag").related_model
    tables = [Page._meta.db_table, article_model._meta.db_table]
    tables += [through._meta.db_table, tag_model._meta.db_table]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))


def bulk_create(
    writer: BulkWriter, planned: list[tuple[TaggedItem, Existing | None, Outcome]], tags
) -> dict[str, Page]:
    """Build and write the chunk's new articles; a failure names the item (or the chunk)."""
    pages: dict[str, Page] = {}
    for entry, _page, outcome in planned:
        if outcome == Outcome.CREATED:
            try:
                pages[entry.item.url] = writer.build(entry, tags)
            except Exception as error:
                raise SyncError(
                    f"{entry.item.url}: {error_reason(error)}; nothing was imported"
                ) from error
    try:
        with transaction.atomic():
            writer.write(list(pages.values()))
    except Exception as error:
        first = next(iter(pages))
        where = first if len(pages) == 1 else f"{first} (or one of {len(pages) - 1} more)"
        raise SyncError(f"{where}: {error_reason(error)}; nothing was imported") from error
    return pages
