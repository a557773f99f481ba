"""Imports in the background: an :class:`~.models.ImportRun` is queued, then a task runs it.

A run stores everything its import needs as JSON: the :class:`~.options.ImportOptions`, and
either the sources to read or, for an import previewed in the admin, the listings exactly as
the editor reviewed them. A ``django-tasks`` worker (or the immediate backend, inside the
request) runs it with nothing but the run's id, with the rights of the run's user.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone
from django_tasks import task

from .errors import TagfeedError
from .errors import gettext as _
from .importer import Reading, import_listings, import_tagpage
from .listing import Listing, Outcome
from .models import AbstractTagIndexPage, ImportRun, TagSource
from .options import ImportOptions


def queue_import(
    options: ImportOptions,
    *,
    parent,
    user=None,
    sources: Sequence[str] = (),
    listings: Sequence[Listing] = (),
    label: str = "",
    source: TagSource | None = None,
) -> ImportRun:
    """Record an import as queued and hand it to the task backend; returns the run.

    The run reads ``sources``, or writes ``listings`` already read (a preview's).
    """
    run = ImportRun.objects.create(
        source=source,
        user=user,
        parent=parent,
        urls=list(sources) or [label],
        options=options.as_json(),
        listings=[listing.as_json() for listing in listings],
    )
    result = run_import.enqueue(run.pk)
    ImportRun.objects.filter(pk=run.pk).update(task_id=result.id)
    run.refresh_from_db()
    return run


def queue_sync(source: TagSource, user=None) -> ImportRun:
    """Queue an import of a tag source's current page(s), by ``user`` or the source's owner."""
    return queue_import(
        source.import_options(),
        parent=source.parent,
        user=user or source.owner,
        sources=[source.url],
        source=source,
    )


def check_parent(run: ImportRun) -> AbstractTagIndexPage:
    """The run's tag index, if it still exists and its user may still add pages below it."""
    parent = run.parent.specific if run.parent else None
    if not isinstance(parent, AbstractTagIndexPage):
        raise TagfeedError(_("The tag index of this import no longer exists."))
    if run.user is None and run.source is not None:
        raise TagfeedError(
            _("The tag source “%(source)s” has no responsible user; choose one to sync it.")
            % {"source": run.source}
        )
    if run.user and not parent.permissions_for_user(run.user).can_add_subpage():
        raise TagfeedError(
            _("%(user)s may not add pages below “%(title)s”.")
            % {"user": run.user, "title": parent.title}
        )
    return parent


def perform(run: ImportRun):
    """The run's import: its previewed listings, or a fresh read of its sources."""
    options = ImportOptions.from_json(run.options)
    parent = check_parent(run)
    if run.listings:
        reading = Reading(tuple(Listing.from_json(data) for data in run.listings))
        return import_listings(reading, parent=parent, options=options, user=run.user)
    return import_tagpage(run.urls, parent=parent, options=options, user=run.user)


@task()
def run_import(run_id: int) -> str:
    """Run a queued import and record its outcome on the run; returns the final status."""
    run = ImportRun.objects.select_related("user", "parent", "source").get(pk=run_id)
    run.status, run.started_at = ImportRun.Status.RUNNING, timezone.now()
    run.save(update_fields=["status", "started_at"])
    try:
        report = perform(run)
    except TagfeedError as error:
        run.status, run.error = ImportRun.Status.FAILED, str(error)
    except Exception as error:
        run.status, run.error = ImportRun.Status.FAILED, f"{type(error).__name__}: {error}"
        raise
    else:
        run.status = ImportRun.Status.SUCCEEDED
        run.report = report.as_json()
        run.created = report.count(Outcome.CREATED)
        run.updated = report.count(Outcome.UPDATED)
        run.unchanged = report.count(Outcome.UNCHANGED)
        run.kept = report.count(Outcome.KEPT)
        run.skipped = report.count(Outcome.SKIPPED)
        run.failed = report.count(Outcome.FAILED)
    finally:
        run.finished_at = timezone.now()
        run.save()
    return run.status
