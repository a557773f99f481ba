"""Writing articles below one tag index: Wagtail's standard calls, or the same rows in bulk.

A writer creates pages in two steps so that links between the articles of one import can be
resolved before any revision is written: :meth:`PageWriter.allocate` gives the new pages their
place in the tree and their ids, then :meth:`PageWriter.complete` writes each page's content,
revision, publication (or moderation), history and index entries once. Changed articles are
updated with :meth:`PageWriter.update`, always through Wagtail's own calls.

:class:`StandardWriter` calls ``add_child``, ``save_revision`` and ``publish`` page by page.
:class:`BulkWriter` stores exactly the same rows in a few queries per chunk; it needs some
private APIs (:mod:`~wagtail_tagfeed.internals`), is used only where it is known to agree
(no receivers of the article's save signals besides Wagtail's, no moderation to start) and
is checked against the standard path by the test suite.
"""

from __future__ import annotations

import hashlib
import json
import logging
import operator
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import F, Model
from django.db.models.signals import post_save, pre_save
from django.utils import timezone
from django.utils.text import slugify
from modelcluster.models import get_all_child_relations
from taggit.models import Tag
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision
from wagtail.search.backends import get_search_backends_with_name
from wagtail.search.index import class_is_indexed
from wagtail.signals import page_published, published

from . import indexing, internals
from .errors import SyncError
from .errors import gettext as _
from .inserting import Insert, can_reserve_keys, insert_rows, reserve_keys
from .listing import ArticleDraft
from .parsing.urls import source_key

logger = logging.getLogger(__name__)

SLUG_MAX_LENGTH = 200
CHUNK_SIZE = 500
"""Pages built and written together by the bulk writer: memory stays flat, queries few."""


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


def chunked(values: Sequence, size: int = CHUNK_SIZE) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield list(values[start : start + size])


FINGERPRINT_JSON = json.JSONEncoder(sort_keys=True, default=str, ensure_ascii=False)
"""How fingerprints encode values before hashing: ``json.dumps`` with these options, made
once (``json.dumps`` makes an encoder per call when given options)."""


def fingerprint(draft: ArticleDraft) -> dict[str, str]:
    """A hash of each field the draft writes: equal hashes mean nothing to update."""
    return {
        name: hashlib.sha256(FINGERPRINT_JSON.encode(value).encode()).hexdigest()[:32]
        for name, value in draft.page_fields().items()
    }


def error_reason(error: Exception) -> str:
    if isinstance(error, ValidationError) and hasattr(error, "message_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
        )
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def failure(url: str, error: Exception) -> SyncError:
    return SyncError(
        _("%(url)s: %(reason)s; nothing was imported")
        % {"url": url, "reason": error_reason(error)}
    )


class PageWriter(ABC):
    """Creates and updates the articles of one import below a locked tag index."""

    def __init__(self, parent: Page, model: type[Page], *, user, tags: dict[str, Tag]):
        self.parent = parent
        self.model = model
        self.user = user
        self.tags = tags
        self._slugs: set[str] | None = None
        self.new = model
        """What makes a new, unsaved article: the model's constructor, or its equivalent."""

    @property
    def slugs(self) -> set[str]:
        """The parent's children's slugs, read once and only when something is created."""
        if self._slugs is None:
            self._slugs = set(self.parent.get_children().values_list("slug", flat=True))
        return self._slugs

    def build(
        self, draft: ArticleDraft, *, live: bool, slug: str | None = None, tagged: bool = True
    ) -> Page:
        """An unsaved article for ``draft``, with its slug and (unless not ``tagged``) its
        pending tags."""
        page = self.new(
            **draft.page_fields(),
            slug=slug or unique_slug(draft.title, self.slugs),
            source_url=draft.source_url,
            source_key=source_key(draft.source_url),
            import_fingerprint=fingerprint(draft),
            live=live,
            owner=self.user,
        )
        if tagged:
            page.tags.add(*(self.tags[name.lower()] for name in draft.tags))
        return page

    @abstractmethod
    def allocate(self, drafts: Sequence[ArticleDraft], *, publish: bool) -> dict[str, int]:
        """Give each draft its page in the tree; returns page ids by listing URL."""

    @abstractmethod
    def complete(
        self, drafts: Sequence[ArticleDraft], *, publish: bool, moderate: bool = False
    ) -> None:
        """Write the content, revision and publication (or, with ``moderate``, the submission
        for moderation) of the pages :meth:`allocate` made."""

    def update(
        self, page_id: int, draft: ArticleDraft, *, publish: bool, moderate: bool = False
    ) -> Page:
        """A new revision of an existing article with the draft's fields (and tags) set."""
        page = self.model.objects.get(pk=page_id)
        latest = page.get_latest_revision_as_object()
        for name, value in draft.page_fields().items():
            setattr(latest, name, value)
        latest.source_url = draft.source_url
        latest.source_key = source_key(draft.source_url)
        latest.import_fingerprint = {**(page.import_fingerprint or {}), **fingerprint(draft)}
        latest.tags.add(*(self.tags[name.lower()] for name in draft.tags))
        self.save_revision(latest, publish=publish and page.live, moderate=moderate)
        return latest

    def save_revision(self, page: Page, *, publish: bool, moderate: bool = False) -> None:
        """Save a revision by the import's user, then publish it or submit it for moderation."""
        revision = page.save_revision(user=self.user, log_action=True)
        if publish:
            revision.publish(user=self.user)
        elif moderate and self.user is not None:
            submit_for_moderation(page, self.user)
        type(page).objects.filter(pk=page.pk).update(
            imported_revision=revision, import_fingerprint=page.import_fingerprint
        )
        page.imported_revision = revision


def submit_for_moderation(page: Page, user) -> None:
    """Start the page's workflow, as "Submit for moderation" would, when one applies."""
    workflow = page.get_workflow()
    if workflow is not None and not page.workflow_in_progress:
        workflow.start(page, user)


class StandardWriter(PageWriter):
    """Wagtail's standard calls, page by page: what an editor's "Publish" does."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.pages: dict[str, Page] = {}

    def allocate(self, drafts: Sequence[ArticleDraft], *, publish: bool) -> dict[str, int]:
        for draft in drafts:
            page = self.build(draft, live=publish)
            self.parent.add_child(instance=page)
            self.pages[draft.listing_url] = page
        return {url: self.pages[url].pk for url in (draft.listing_url for draft in drafts)}

    def complete(
        self, drafts: Sequence[ArticleDraft], *, publish: bool, moderate: bool = False
    ) -> None:
        for draft in drafts:
            page = self.pages.pop(draft.listing_url)
            for name, value in draft.page_fields().items():
                setattr(page, name, value)
            page.import_fingerprint = fingerprint(draft)
            self.save_revision(page, publish=publish, moderate=moderate)

    def discard(self, draft: ArticleDraft) -> None:
        """Forget a page whose completion failed (its savepoint removed it)."""
        self.pages.pop(draft.listing_url, None)


class BulkWriter(PageWriter):
    """The rows of :class:`StandardWriter`, for a chunk of pages in a few queries.

    ``add_child`` stores path, depth, url_path, the parent's numchild, locale, draft_title and
    a ``wagtail.create`` log entry; ``save_revision(log_action=True)`` a revision whose content
    is ``serializable_data()`` at that moment, ``latest_revision`` and a ``wagtail.edit``
    entry; ``publish()`` (unless drafting) ``live``, ``live_revision``, ``first_published_at``,
    ``last_published_at``, no unpublished changes, a ``wagtail.publish`` entry and the
    ``page_published`` and ``published`` signals. Search and reference index entries are
    written in batches through Wagtail's search API and the reference index's own extraction.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.content_type = ContentType.objects.get_for_model(self.model)
        self.new = internals.Copier(self.model)
        self.new_revision = internals.Copier(Revision)
        through = self.model.tags.through
        self.new_tagged_item = internals.Copier(through)
        self.tagged_items = operator.attrgetter(
            through._meta.get_field("content_object").remote_field.get_accessor_name()
        )
        self.tag_orders: dict[tuple, list[Tag]] = {}
        """The tags ``page.tags.add()`` gave a page, by the keys of the tags it was given."""
        self.page_content_type = ContentType.objects.get_for_model(Page)
        self.depth = self.parent.depth + 1
        last = (
            Page.objects.filter(path__startswith=self.parent.path, depth=self.depth)
            .order_by("-path")
            .values_list("path", flat=True)
            .first()
        )
        self.fields = frozenset(field.name for field in self.model._meta.concrete_fields)
        self._unchecked: dict[frozenset[str], frozenset[str]] = {}
        self.child_relations = [
            relation.get_accessor_name() for relation in get_all_child_relations(self.model)
        ]
        self.searched = class_is_indexed(self.model) and getattr(
            self.model, "search_auto_update", True
        )
        """Whether saving the model's pages updates the search backends."""
        self.next_step = internals.path_step(last) + 1 if last else 1
        self.placed: dict[str, tuple[ArticleDraft, Page, int, int]] = {}
        """By listing URL, the draft each page was built from, the page (without its id
        until it is complete), its id and the id of its first revision (its row names it
        already)."""
        self.now = timezone.now()
        # Every entry names the import's user: the pages are theirs (``build``).
        user_id = self.user.pk if self.user is not None else None
        self.log_rows = Insert(
            PageLogEntry,
            ("page_id", "label", "action", "revision_id"),
            {
                "content_type_id": self.content_type.pk,
                "timestamp": self.now,
                "user_id": user_id,
                "data": {},
                "content_changed": True,
            },
        )
        self.reference_rows = Insert(
            ReferenceIndex,
            (
                "object_id",
                "to_content_type_id",
                "to_object_id",
                "model_path",
                "content_path",
                "content_path_hash",
            ),
            {
                "content_type_id": self.content_type.pk,
                "base_content_type_id": self.page_content_type.pk,
            },
        )

    @staticmethod
    def usable(model: type[Page]) -> bool:
        """Whether the bulk rows are known to equal the standard path's for ``model``.

        Not when the private APIs it needs changed, when the model is not a direct subclass
        of ``Page``, when anything besides Wagtail listens to its saves, or when the
        database cannot set revision ids aside (it is neither PostgreSQL nor SQLite).
        """
        problems = internals.problems()
        if problems:
            logger.warning(
                "Writing imported pages one by one: the bulk path's checks failed (%s)",
                "; ".join(problems),
            )
            return False
        if list(model._meta.parents) != [Page] or not can_reserve_keys(Revision):
            return False
        return not has_foreign_save_receivers(model, model.tags.through)

    def next_path(self) -> str:
        """The tree path ``add_child`` would give the next new page."""
        if self.next_step >= internals.max_children():
            raise SyncError(
                _("%(path)s: no room for more pages below this page")
                % {"path": self.parent.url_path}
            )
        self.next_step += 1
        return internals.child_path(self.parent.path, self.depth, self.next_step - 1)

    def place(self, page: Page, path: str) -> None:
        """Put ``page`` in the tree at ``path``, with the fields ``add_child`` sets."""
        page.depth = self.depth
        page.path = path
        page.numchild = 0
        page.url_path = self.parent.url_path + page.slug + "/"
        page.draft_title = page.title
        page.locale_id = self.parent.locale_id

    def unchecked(self, draft: ArticleDraft) -> frozenset[str]:
        """The fields validation can skip: all but the draft's own, its source URL and its
        key. The others the writer sets to valid values (:func:`unique_slug` makes slugs of
        word characters and hyphens only) or are foreign keys to rows known to exist."""
        given = frozenset(draft.page_fields())
        if given not in self._unchecked:
            checked = {"source_url", "source_key", *given}
            self._unchecked[given] = self.fields.difference(checked)
        return self._unchecked[given]

    def new_page(self, draft: ArticleDraft, *, publish: bool) -> Page:
        """A validated page for ``draft`` at the next free place in the tree.

        Only its ``Page`` row is written now, so it gets no tags.
        """
        try:
            page = self.build(draft, live=publish, tagged=False)
            self.place(page, self.next_path())
            page.clean_fields(exclude=self.unchecked(draft))
        except SyncError:
            raise
        except Exception as error:
            raise failure(draft.listing_url, error) from error
        return page

    def allocate(self, drafts: Sequence[ArticleDraft], *, publish: bool) -> dict[str, int]:
        ids: dict[str, int] = {}
        for chunk in chunked(drafts):
            pages = [self.new_page(draft, publish=publish) for draft in chunk]
            revision_ids = reserve_keys(Revision, len(pages))
            # The rows get their final state at once, naming revisions written when the
            # pages are complete; the pages keep the state of before publishing, which is
            # what the revision records.
            insert_rows(
                Page,
                pages,
                overrides={
                    "latest_revision_created_at": self.now,
                    "has_unpublished_changes": not publish,
                    "first_published_at": self.now if publish else None,
                    "last_published_at": self.now if publish else None,
                },
                values={
                    "latest_revision_id": revision_ids,
                    "live_revision_id": revision_ids if publish else [None] * len(pages),
                },
            )
            paths = dict(
                Page.objects.filter(
                    depth=self.depth, path__range=(pages[0].path, pages[-1].path)
                ).values_list("path", "pk")
            )
            for draft, page, revision_id in zip(chunk, pages, revision_ids, strict=True):
                self.placed[draft.listing_url] = (draft, page, paths[page.path], revision_id)
                ids[draft.listing_url] = paths[page.path]
        if ids:
            Page.objects.filter(pk=self.parent.pk).update(numchild=F("numchild") + len(ids))
            self.parent.numchild += len(ids)
        return ids

    def complete(
        self, drafts: Sequence[ArticleDraft], *, publish: bool, moderate: bool = False
    ) -> None:
        if moderate:
            raise ValueError("the bulk writer cannot start moderation")
        for chunk in chunked(drafts):
            pages, revision_ids = zip(*map(self.placed_page, chunk), strict=True)
            self.write(list(pages), list(revision_ids), publish=publish)
        if self.searched:
            self.search(lambda backend: indexing.finish_bulk(backend, self.model), len(drafts))

    def placed_page(self, draft: ArticleDraft) -> tuple[Page, int]:
        """The page :meth:`allocate` placed for ``draft``, with its final fields and tags,
        and the id of its first revision."""
        allocated, page, pk, revision_id = self.placed.pop(draft.listing_url)
        if draft != allocated:
            # Linking rewrote the summary or body.
            for name, value in draft.page_fields().items():
                setattr(page, name, value)
            page.import_fingerprint = fingerprint(draft)
        self.tag(page, (self.tags[name.lower()] for name in draft.tags))
        for relation in self.child_relations:
            # Keep child relations in memory (read before the page has its id, so without a
            # query): the page has none in the database yet.
            getattr(page, relation).get_object_list()
        page.id = page.page_ptr_id = pk
        return page, revision_id

    def tag(self, page: Page, tags: Iterable[Tag]) -> None:
        """``page.tags.add(*tags)`` for a page without tags.

        The first page given a sequence of tags gets them from taggit; the next ones get the
        tagged items that call made, in its order (which depends on taggit's version), in
        one call, without taggit's look-ups for each page.
        """
        tags = tuple(tags)
        key = tuple(tag.pk for tag in tags)
        if key not in self.tag_orders:
            page.tags.add(*tags)
            self.tag_orders[key] = [item.tag for item in self.tagged_items(page).all()]
        else:
            items = (self.new_tagged_item(tag=tag) for tag in self.tag_orders[key])
            self.tagged_items(page).add(*items)

    def write(self, pages: list[Page], revision_ids: list[int], *, publish: bool) -> None:
        """Write the rows of complete pages but their ``Page`` rows, which
        :meth:`allocate` wrote."""
        revisions = self.save_revisions(pages, revision_ids)
        for page, revision in zip(pages, revisions, strict=True):
            page.latest_revision = revision
            page.latest_revision_created_at = revision.created_at
            page.imported_revision = revision
            page.has_unpublished_changes = not publish
            if publish:
                page.live_revision = revision
                page.first_published_at = page.last_published_at = self.now
        insert_rows(self.model, pages)
        self.save_tags(pages)
        self.log(pages, publish=publish)
        self.index(pages)
        if publish:
            for page in pages:
                page_published.send(self.model, instance=page, revision=page.live_revision)
                published.send(self.model, instance=page, revision=page.live_revision)

    def save_revisions(self, pages: list[Page], ids: list[int]) -> list[Revision]:
        """Each page's first revision, saved with its reserved id."""
        revisions = [
            self.new_revision(
                id=revision_id,
                content_type=self.content_type,
                base_content_type=self.page_content_type,
                object_id=str(page.pk),
                user=self.user,
                content=internals.serializable_data(page),
                object_str=str(page),
                created_at=self.now,
            )
            for page, revision_id in zip(pages, ids, strict=True)
        ]
        insert_rows(
            Revision,
            revisions,
            overrides={
                "content_type_id": self.content_type.pk,
                "base_content_type_id": self.page_content_type.pk,
                "user_id": self.user.pk if self.user is not None else None,
                "created_at": self.now,
            },
        )
        return revisions

    def save_tags(self, pages: list[Page]) -> list[Model]:
        """The pages' tag rows, saved with their keys, which the reference index names."""
        tagged = []
        for page in pages:
            for item in page.tagged_items.all():
                item.content_object_id = page.pk
                tagged.append(item)
        through = self.model.tags.through
        insert_rows(through, tagged)
        keys = {(item.content_object_id, item.tag_id): item for item in tagged}
        for page_id, tag_id, pk in through.objects.filter(
            content_object_id__in=[page.pk for page in pages]
        ).values_list("content_object_id", "tag_id", "pk"):
            keys[page_id, tag_id].pk = pk
        return tagged

    def log(self, pages: list[Page], *, publish: bool) -> None:
        actions = ["wagtail.create", "wagtail.edit"]
        if publish:
            actions.append("wagtail.publish")
        rows = []
        for page in pages:
            label, revision_id = page.get_admin_display_title(), page.latest_revision.pk
            rows += [
                (page.pk, label, action, None if action == "wagtail.create" else revision_id)
                for action in actions
            ]
        self.log_rows.run(rows)

    def index(self, pages: list[Page]) -> None:
        """Search and reference index entries, as the post_save handlers would write them."""
        if self.searched:
            with internals.search_values_once(pages):
                self.search(
                    lambda backend: indexing.add_bulk(backend, self.model, pages), len(pages)
                )
        if ReferenceIndex.is_indexed(self.model):
            self.reference_rows.run(
                (page.pk, *reference) for page in pages for reference in internals.references(page)
            )

    def search(self, action: Callable[[object], None], count: int) -> None:
        """``action(backend)`` for each search backend updated on save, with the errors the
        signal handler would let through or log."""
        for name, backend in get_search_backends_with_name(with_auto_update=True):
            try:
                action(backend)
            except Exception:
                logger.exception("Could not add %d pages to search backend %s", count, name)
                if not backend.catch_indexing_errors:
                    raise


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
    return any(
        receiver not in known
        for signal in (pre_save, post_save)
        for model in models
        for receiver in internals.receivers(signal, model)
    )
