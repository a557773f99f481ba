"""Drafts -> pages below one tag index: matched, checked against the user's rights, written.

Each draft is matched with the article imported from the same address *below the tag
index* (an article of the same address elsewhere in the index's language is left alone and
reported). Its outcome follows: created, updated (a field it writes changed, or it has new
tags), unchanged, kept (an editor changed the page since its last import), or skipped (the
user may not edit it, or it is locked). Nothing is published that the user may not publish:
without that right, new and changed articles are drafts, submitted to moderation where a
workflow applies. ``user=None`` is the site's operator (the command line): every right.

Writing is one transaction with the tag index's language locked, so imports into one language
take turns and an address is imported once per language. The first failure undoes
everything, unless ``keep_going`` records it and goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils.text import slugify
from taggit.models import Tag
from wagtail.models import Locale, Page, PagePermissionTester

from . import heap
from .errors import SyncError
from .errors import gettext as _
from .linking import LinkChanges, link_draft, link_targets
from .listing import ArticleDraft, ItemResult, Outcome
from .options import ImportOptions
from .parsing.urls import source_key
from .queries import by_source_key
from .redirects import create_redirects
from .writing import (
    BulkWriter,
    PageWriter,
    StandardWriter,
    chunked,
    error_reason,
    failure,
    fingerprint,
)

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]

ANALYZE_AFTER = 1000
"""New articles after which PostgreSQL's planner statistics are refreshed."""

PLACEHOLDER_ID = 0
"""The page id a dry run gives the pages it would create, so links to them count as changes."""


@dataclass
class Existing:
    """What planning knows about an article already imported from the same address."""

    row: dict
    """The article's row as values (by attribute name): its state, and what permission
    checks and reports read."""
    model: type[Page]
    tags: frozenset[str]
    elsewhere: bool = False
    """Whether it lives below another page than the import's tag index."""

    @property
    def pk(self) -> int:
        return self.row["id"]

    @property
    def title(self) -> str:
        return self.row["draft_title"] or self.row["title"]

    @property
    def edited(self) -> bool:
        """Whether an editor saved a revision after the last import."""
        return self.row["latest_revision_id"] != self.row["imported_revision_id"]

    @cached_property
    def page(self) -> Page:
        """The article as a model instance, made only for the permission checks: a re-import
        of unchanged articles reads their rows and builds no page."""
        return self.model(**self.row)


@dataclass
class Plan:
    """One draft's match and what will happen to it."""

    draft: ArticleDraft
    existing: Existing | None = None
    outcome: Outcome = Outcome.CREATED
    reason: str = ""
    publish: bool = False
    moderate: bool = False
    """Whether the page is submitted for moderation: it was to be published, and the user
    may not publish it."""
    page_id: int | None = None
    duplicate_of: str | None = None
    """The listing URL of an earlier draft of this run for the same article."""


@dataclass
class Rights:
    """What the import's user may do below the tag index, decided once per page."""

    user: object
    parent: Page
    testers: dict[int, PagePermissionTester] = field(default_factory=dict)

    def tester(self, page: Page) -> PagePermissionTester | None:
        if self.user is None:
            return None
        if page.pk not in self.testers:
            self.testers[page.pk] = page.permissions_for_user(self.user)
        return self.testers[page.pk]

    def can_publish_new(self) -> bool:
        tester = self.tester(self.parent)
        return tester is None or tester.can_publish_subpage()

    def can_edit(self, page: Page) -> bool:
        tester = self.tester(page)
        return tester is None or tester.can_edit()

    def can_publish(self, page: Page) -> bool:
        tester = self.tester(page)
        return tester is None or tester.can_publish()

    def locked(self, page: Page) -> bool:
        lock = page.get_lock()
        return bool(lock) and (self.user is None or lock.for_user(self.user))


EXISTING_FIELDS = (
    "title",
    "draft_title",
    "path",
    "depth",
    "owner",
    "locked",
    "locked_by",
    "locked_at",
    "live",
    "has_unpublished_changes",
    "content_type",
    "latest_revision",
    "source_key",
    "import_fingerprint",
    "imported_revision",
)
"""What planning reads of an existing article: its state, and what permission checks need."""


def match_keys(draft: ArticleDraft) -> set[str]:
    """The source keys an earlier import of this draft's article may be stored under."""
    return {source_key(draft.source_url), source_key(draft.listing_url)}


class Planner:
    """Matches drafts with the articles already imported, and decides their outcomes."""

    def __init__(self, parent: Page, options: ImportOptions, user):
        self.parent = parent
        self.model = parent.specific.get_article_model()
        self.options = options
        self.rights = Rights(user, parent)

    def match(self, drafts: Sequence[ArticleDraft]) -> list[Plan]:
        """Each draft with the article of its address in the index's language: two queries
        per chunk of drafts. A later draft of the same article as an earlier one is marked."""
        plans = []
        seen: dict[str, str] = {}
        for chunk in chunked(drafts):
            found, tags = self.existing(chunk)
            for draft in chunk:
                keys = match_keys(draft)
                duplicate_of = next((seen[key] for key in keys if key in seen), None)
                seen.update(dict.fromkeys(keys, draft.listing_url))
                row = next((found[key] for key in keys if key in found), None)
                existing = None
                if row is not None:
                    elsewhere = row["depth"] != self.parent.depth + 1 or not row[
                        "path"
                    ].startswith(self.parent.path)
                    existing = Existing(row, self.model, frozenset(tags[row["id"]]), elsewhere)
                plans.append(Plan(draft, existing, duplicate_of=duplicate_of))
        return plans

    def existing(self, drafts: Sequence[ArticleDraft]) -> tuple[dict[str, dict], dict]:
        """The rows of the imported articles of these drafts' addresses by key, and their
        tag names."""
        keys = {key for draft in drafts for key in match_keys(draft)}
        meta = self.model._meta
        names = {"id", meta.pk.attname, *(meta.get_field(f).attname for f in EXISTING_FIELDS)}
        found: dict[str, dict] = {}
        for row in by_source_key(self.model.objects, keys, self.parent.locale_id, *names):
            found.setdefault(row["source_key"], row)
        tags: dict[int, set[str]] = {row["id"]: set() for row in found.values()}
        through = self.model.tags.through
        for page_id, name in through.objects.filter(content_object_id__in=tags).values_list(
            "content_object_id", "tag__name"
        ):
            tags[page_id].add(name.lower())
        return found, tags

    def decide(self, plan: Plan) -> None:
        """Set the plan's outcome, reason and whether it is published."""
        existing, draft = plan.existing, plan.draft
        if plan.duplicate_of is not None:
            plan.outcome, plan.reason = (
                Outcome.SKIPPED,
                _("the same article as %(url)s") % {"url": plan.duplicate_of},
            )
            return
        if existing is None:
            plan.outcome = Outcome.CREATED
            allowed = self.rights.can_publish_new()
            plan.publish = not self.options.draft and allowed
            plan.moderate = not self.options.draft and not allowed
            return
        row = existing.row
        plan.page_id = existing.pk
        if existing.elsewhere:
            plan.outcome, plan.reason = (
                Outcome.SKIPPED,
                _("already imported as “%(title)s” below another page")
                % {"title": existing.title},
            )
            return
        stored = row["import_fingerprint"]
        stored = stored if isinstance(stored, dict) else {}
        new = fingerprint(draft)
        missing_tags = {name.lower() for name in draft.tags} - existing.tags
        if existing.edited and not self.options.force:
            plan.outcome = Outcome.KEPT
        elif all(stored.get(name) == value for name, value in new.items()) and not missing_tags:
            plan.outcome = Outcome.UNCHANGED
        elif self.rights.locked(existing.page):
            plan.outcome, plan.reason = Outcome.SKIPPED, _("the page is locked")
        elif not self.rights.can_edit(existing.page):
            plan.outcome, plan.reason = Outcome.SKIPPED, _("you may not edit this page")
        else:
            plan.outcome = Outcome.UPDATED
            allowed = self.rights.can_publish(existing.page)
            plan.publish = (
                not self.options.draft
                and row["live"]
                and not row["has_unpublished_changes"]
                and allowed
            )
            plan.moderate = not self.options.draft and not allowed


def resolve_tags(names: Iterable[str]) -> dict[str, Tag]:
    """Map each name (lower-cased) to a Tag, reusing existing ones case-insensitively.

    A tag created meanwhile by a concurrent import is found rather than created twice.
    """
    wanted = {name.strip().lower(): name.strip() for name in names if name and name.strip()}
    found: dict[str, Tag] = {}
    match = Q()
    for name in wanted.values():
        match |= Q(name__iexact=name)
    for tag in Tag.objects.filter(match).order_by("pk") if wanted else ():
        found.setdefault(tag.name.lower(), tag)
    for key, name in wanted.items():
        if key not in found:
            try:
                with transaction.atomic():
                    found[key] = Tag.objects.create(name=name)
            except IntegrityError:
                found[key] = Tag.objects.filter(name__iexact=name).order_by("pk").first()
                if found[key] is None:
                    raise
    return found


@dataclass
class Sync:
    """One sync of drafts below a tag index; :func:`sync` runs it."""

    parent: Page
    options: ImportOptions
    user: object = None
    source_pages: Sequence[str] = ()
    progress: Progress | None = None
    changes: LinkChanges = field(default_factory=LinkChanges)

    def run(self, drafts: Sequence[ArticleDraft]) -> tuple[ItemResult, ...]:
        with heap.frozen(), transaction.atomic():
            # FOR NO KEY UPDATE: imports into the same locale wait for each other, while an
            # editor's commit, whose foreign keys to these rows PostgreSQL checks, does not.
            locked = Page.objects.select_for_update(no_key=True).get(pk=self.parent.pk)
            Locale.objects.select_for_update(no_key=True).filter(pk=locked.locale_id).first()
            self.parent.numchild = locked.numchild
            tags = resolve_tags(name for draft in drafts for name in draft.tags)
            planner = Planner(self.parent, self.options, self.user)
            plans = planner.match(drafts)
            new = [plan for plan in plans if plan.existing is None or plan.duplicate_of]
            for plan in new:
                planner.decide(plan)
            new = [plan for plan in new if plan.outcome == Outcome.CREATED]
            writer = self.writer(tags, moderated=any(plan.moderate for plan in new), new=new)
            self.allocate(writer, new)
            self.link(plans, self.known(plans), tags)
            for plan in plans:
                if plan.existing is not None and plan.duplicate_of is None:
                    planner.decide(plan)
            self.complete(writer, [plan for plan in new if plan.outcome == Outcome.CREATED])
            results = []
            for plan in plans:
                if plan.outcome == Outcome.UPDATED:
                    self.write_one(plan, lambda plan=plan: self.update(writer, plan))
                results.append(self.result(plan))
                if self.progress:
                    self.progress(len(results), len(plans))
            create_redirects(self.parent, self.imported(plans))
            if isinstance(writer, BulkWriter) and len(new) >= ANALYZE_AFTER:
                refresh_statistics(writer.model)
        return tuple(results)

    @staticmethod
    def imported(plans: Sequence[Plan]) -> list[tuple[str, int]]:
        """The source URL and page id of each article below the index that this run matched."""
        found = []
        for plan in plans:
            if plan.outcome in (Outcome.FAILED, Outcome.SKIPPED) or plan.duplicate_of:
                continue
            existing = plan.existing
            if existing is not None and not existing.elsewhere:
                found.append((plan.draft.source_url, existing.pk))
            elif existing is None and plan.page_id is not None:
                found.append((plan.draft.source_url, plan.page_id))
        return found

    def plan(self, drafts: Sequence[ArticleDraft]) -> list[Plan]:
        """What :meth:`run` would do, without writing (new pages get a placeholder id)."""
        planner = Planner(self.parent, self.options, self.user)
        plans = planner.match(drafts)
        for plan in plans:
            if plan.existing is None or plan.duplicate_of is not None:
                planner.decide(plan)
        tags = {
            name.lower(): Tag(name=name, slug=slugify(name, allow_unicode=True))
            for plan in plans
            for name in plan.draft.tags
        }
        self.link(plans, self.known(plans, placeholder=PLACEHOLDER_ID), tags)
        for plan in plans:
            if plan.existing is not None and plan.duplicate_of is None:
                planner.decide(plan)
        return plans

    @staticmethod
    def known(plans: Sequence[Plan], placeholder: int | None = None) -> dict[str, int]:
        """Page ids by source key of the articles this run writes or finds below the index."""
        known = {}
        for plan in plans:
            page_id = plan.page_id
            if plan.duplicate_of is not None:
                continue
            if plan.existing is not None:
                page_id = None if plan.existing.elsewhere else plan.existing.pk
            elif page_id is None and plan.outcome == Outcome.CREATED:
                page_id = placeholder
            if page_id is not None:
                known[source_key(plan.draft.source_url)] = page_id
        return known

    def link(self, plans: list[Plan], known: dict[str, int], tags: dict[str, Tag]) -> None:
        drafts = [plan.draft for plan in plans]
        slugs = [tag.slug for tag in tags.values()]
        targets = link_targets(self.parent, drafts, self.source_pages, known, slugs)
        for plan in plans:
            plan.draft = link_draft(plan.draft, targets, self.changes)

    def result(self, plan: Plan) -> ItemResult:
        return ItemResult(
            plan.draft.listing_url, self.title(plan), plan.outcome, plan.page_id, plan.reason
        )

    @staticmethod
    def title(plan: Plan) -> str:
        """The editor's current title of an existing page, else the imported one."""
        if plan.existing is not None:
            return plan.existing.title
        return plan.draft.title

    def writer(self, tags: dict[str, Tag], *, moderated: bool, new: Sequence) -> PageWriter:
        """The bulk writer where it writes what the standard calls would; else those calls.

        Not for ``keep_going`` (each item in a savepoint of its own), nor when new pages of a
        user without publish rights may need their moderation started, nor when the site
        turns it off with ``TAGFEED_BULK_WRITES = False``.
        """
        model = self.parent.specific.get_article_model()
        bulk = (
            bool(new)
            and self.options.bulk
            and not self.options.keep_going
            and not moderated
            and BulkWriter.usable(model)
        )
        kind = BulkWriter if bulk else StandardWriter
        return kind(self.parent, model, user=self.user, tags=tags)

    def allocate(self, writer: PageWriter, plans: list[Plan]) -> None:
        """Give the new pages their ids, grouped by whether they are published."""
        for publish in (True, False):
            group = [plan for plan in plans if plan.publish == publish]
            if not group:
                continue
            if isinstance(writer, BulkWriter):
                try:
                    ids = writer.allocate([plan.draft for plan in group], publish=publish)
                except SyncError:
                    raise
                except Exception as error:
                    raise failure(group[0].draft.listing_url, error) from error
                for plan in group:
                    plan.page_id = ids[plan.draft.listing_url]
                continue
            for plan in group:
                self.write_one(
                    plan,
                    lambda plan=plan, publish=publish: self.allocate_one(writer, plan, publish),
                )

    @staticmethod
    def allocate_one(writer: PageWriter, plan: Plan, publish: bool) -> None:
        ids = writer.allocate([plan.draft], publish=publish)
        plan.page_id = ids[plan.draft.listing_url]

    def complete(self, writer: PageWriter, plans: list[Plan]) -> None:
        for publish, moderate in ((True, False), (False, False), (False, True)):
            group = [p for p in plans if (p.publish, p.moderate) == (publish, moderate)]
            if not group:
                continue
            if isinstance(writer, BulkWriter):
                try:
                    with transaction.atomic():
                        writer.complete([plan.draft for plan in group], publish=publish)
                except Exception as error:
                    first = group[0].draft.listing_url
                    raise failure(
                        first if len(group) == 1 else f"{first} (+{len(group) - 1})", error
                    ) from error
                continue
            for plan in group:
                done = self.write_one(
                    plan,
                    lambda plan=plan, publish=publish, moderate=moderate: writer.complete(
                        [plan.draft], publish=publish, moderate=moderate
                    ),
                )
                if not done:
                    writer.discard(plan.draft)
                    Page.objects.filter(pk=plan.page_id).delete()
                    plan.page_id = None

    def update(self, writer: PageWriter, plan: Plan) -> None:
        if self.edited_since_plan(plan):
            plan.outcome = Outcome.KEPT
            return
        writer.update(plan.page_id, plan.draft, publish=plan.publish, moderate=plan.moderate)

    def edited_since_plan(self, plan: Plan) -> bool:
        """Lock the article's row, then tell whether an editor has saved a revision since.

        The plan was read without locks; an editor who saved meanwhile must not be overwritten.
        """
        model = self.parent.specific.get_article_model()
        latest, imported = (
            model.objects.select_for_update(no_key=True)
            .filter(pk=plan.page_id)
            .values_list("latest_revision_id", "imported_revision_id")
            .get()
        )
        return not self.options.force and latest != imported

    def write_one(self, plan: Plan, write: Callable[[], None]) -> bool:
        """Run one item's write in a savepoint; a failure undoes everything or, with
        ``keep_going``, only this item, which is reported as failed."""
        try:
            with transaction.atomic():
                write()
        except Exception as error:
            if not self.options.keep_going:
                raise failure(plan.draft.listing_url, error) from error
            plan.outcome, plan.reason = Outcome.FAILED, error_reason(error)
            return False
        return True


def sync(
    parent: Page | None,
    drafts: Sequence[ArticleDraft],
    *,
    options: ImportOptions,
    user=None,
    dry_run: bool = False,
    source_pages: Sequence[str] = (),
    changes: LinkChanges | None = None,
    progress: Progress | None = None,
) -> tuple[ItemResult, ...]:
    """Create or update one page per draft below ``parent``; report what happened to each.

    A dry run writes nothing and reports what would happen (``parent`` may then be None: an
    index that does not exist yet, where everything would be created).
    """
    if parent is None:
        return tuple(
            ItemResult(draft.listing_url, draft.title, Outcome.CREATED) for draft in drafts
        )
    job = Sync(
        parent,
        options,
        user=user,
        source_pages=source_pages,
        progress=progress,
        changes=changes if changes is not None else LinkChanges(),
    )
    if not dry_run:
        return job.run(drafts)
    return tuple(job.result(plan) for chunk in chunked(drafts) for plan in job.plan(chunk))


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
